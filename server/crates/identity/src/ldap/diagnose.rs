//! Step-by-step connection and user checks for the admin console.
//!
//! Each step records what was tried and, on failure, the machine code and a sentence
//! saying what to fix. Later steps are marked skipped once one fails, so the first
//! failed step is the one to act on.

use std::time::Instant;

use ldap3::{Ldap, Scope};
use serde::{Deserialize, Serialize};

use super::config::LdapConfig;
use super::connect::{self, BindError, Target, TlsSettings};
use super::directory::LdapDirectory;
use super::filter;
use super::groups;
use super::search;
use crate::error::{IdentityError, Result};

/// What a step checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Config,
    ResolveHost,
    TcpConnect,
    TlsHandshake,
    ServiceBind,
    BaseDn,
    UserFilter,
    Attributes,
    Groups,
    DisabledFilter,
    FindUser,
    UserAttributes,
    UserGroups,
    UserDisabled,
    UserBind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// Works, but something deserves attention (e.g. an optional attribute is absent).
    Warning,
    Failed,
    /// Not run because an earlier step failed.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub check: Check,
    pub status: Status,
    /// What was found or what went wrong.
    pub detail: String,
    /// Machine code of the failure ([`IdentityError::code`]), when failed or warning.
    pub code: Option<String>,
    pub elapsed_ms: u64,
}

/// Result of [`test_connection`] or [`test_user`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub ok: bool,
    pub steps: Vec<Step>,
}

impl Diagnosis {
    pub fn first_failure(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.status == Status::Failed)
    }

    pub fn step(&self, check: Check) -> Option<&Step> {
        self.steps.iter().rev().find(|s| s.check == check)
    }
}

struct Recorder {
    steps: Vec<Step>,
    started: Instant,
}

impl Recorder {
    fn new() -> Self {
        Recorder {
            steps: Vec::new(),
            started: Instant::now(),
        }
    }

    fn start(&mut self) {
        self.started = Instant::now();
    }

    fn push(&mut self, check: Check, status: Status, detail: String, code: Option<&str>) {
        self.steps.push(Step {
            check,
            status,
            detail,
            code: code.map(str::to_string),
            elapsed_ms: self.started.elapsed().as_millis() as u64,
        });
        self.started = Instant::now();
    }

    fn ok(&mut self, check: Check, detail: String) {
        self.push(check, Status::Ok, detail, None);
    }

    fn fail(&mut self, check: Check, e: &IdentityError) {
        self.push(check, Status::Failed, e.to_string(), Some(e.code()));
    }

    fn skip(&mut self, checks: &[Check]) {
        for &c in checks {
            self.push(
                c,
                Status::Skipped,
                "not run: an earlier step failed".into(),
                None,
            );
        }
    }

    fn finish(self) -> Diagnosis {
        Diagnosis {
            ok: !self.steps.iter().any(|s| s.status == Status::Failed),
            steps: self.steps,
        }
    }
}

const CONNECT_STEPS: [Check; 4] = [
    Check::ResolveHost,
    Check::TcpConnect,
    Check::TlsHandshake,
    Check::ServiceBind,
];

/// Config check, then DNS, TCP, TLS and service bind against the first URL that
/// answers. Returns the bound connection when everything worked.
async fn connect_steps(config: &LdapConfig, rec: &mut Recorder) -> Option<(Ldap, TlsSettings)> {
    rec.start();
    let tls = match config.validate() {
        Ok(()) => match TlsSettings::from_config(config).await {
            Ok(t) => t,
            Err(e) => {
                rec.fail(Check::Config, &e);
                return None;
            }
        },
        Err(e) => {
            rec.fail(Check::Config, &e);
            return None;
        }
    };
    rec.ok(Check::Config, "configuration is valid".into());
    let timeout = config.connect_timeout();
    let mut ldap = None;
    for url in &config.urls {
        let target = match Target::parse(url) {
            Ok(t) => t,
            Err(e) => {
                rec.fail(Check::Config, &e);
                continue;
            }
        };
        let addrs = match connect::resolve(&target, timeout).await {
            Ok(a) => {
                let list: Vec<String> = a.iter().map(|a| a.ip().to_string()).collect();
                rec.ok(
                    Check::ResolveHost,
                    format!("{} resolves to {}", target.host, list.join(", ")),
                );
                a
            }
            Err(e) => {
                rec.fail(Check::ResolveHost, &e);
                continue;
            }
        };
        let stream = match connect::tcp_connect(&target, &addrs, timeout).await {
            Ok(s) => {
                rec.ok(
                    Check::TcpConnect,
                    format!(
                        "TCP connection to {}:{} established",
                        target.host, target.port
                    ),
                );
                s
            }
            Err(e) => {
                rec.fail(Check::TcpConnect, &e);
                continue;
            }
        };
        match connect::open_ldap(&target, &tls, stream, timeout).await {
            Ok(l) => {
                let detail = if target.ldaps {
                    "LDAPS handshake succeeded; certificate trusted".to_string()
                } else if tls.start_tls {
                    "StartTLS succeeded; certificate trusted".to_string()
                } else {
                    "plain LDAP (no TLS configured): credentials travel unencrypted".to_string()
                };
                let status = if tls.uses_tls(&target) {
                    Status::Ok
                } else {
                    Status::Warning
                };
                rec.push(
                    Check::TlsHandshake,
                    status,
                    detail,
                    (status == Status::Warning).then_some("ldap.no_tls"),
                );
                ldap = Some(l);
                break;
            }
            Err(e) => rec.fail(Check::TlsHandshake, &e),
        }
    }
    let Some(mut ldap) = ldap else {
        rec.skip(&[Check::ServiceBind]);
        return None;
    };
    if config.bind_dn.is_empty() {
        rec.push(
            Check::ServiceBind,
            Status::Warning,
            "no bind DN: searching anonymously".into(),
            None,
        );
        return Some((ldap, tls));
    }
    match connect::bind(
        &mut ldap,
        &config.bind_dn,
        config.bind_password.expose(),
        config.operation_timeout(),
    )
    .await
    {
        Ok(()) => {
            rec.ok(Check::ServiceBind, format!("bound as {}", config.bind_dn));
            Some((ldap, tls))
        }
        Err(BindError::InvalidCredentials(detail)) => {
            let e = IdentityError::LdapServiceBind {
                dn: config.bind_dn.clone(),
                detail: format!("{detail} (check bind_dn and bind_password)"),
            };
            rec.fail(Check::ServiceBind, &e);
            None
        }
        Err(BindError::Other(e)) => {
            let e = match e {
                IdentityError::LdapOperation { detail, .. } => IdentityError::LdapServiceBind {
                    dn: config.bind_dn.clone(),
                    detail,
                },
                other => other,
            };
            rec.fail(Check::ServiceBind, &e);
            None
        }
    }
}

/// Checks the whole path from DNS to "the user filter finds people with the mapped
/// attributes", stopping at the first failure.
pub async fn test_connection(config: &LdapConfig) -> Diagnosis {
    let mut rec = Recorder::new();
    let rest = [
        Check::BaseDn,
        Check::UserFilter,
        Check::Attributes,
        Check::Groups,
        Check::DisabledFilter,
    ];
    let Some((mut ldap, _tls)) = connect_steps(config, &mut rec).await else {
        let ran: Vec<Check> = rec.steps.iter().map(|s| s.check).collect();
        let missing: Vec<Check> = CONNECT_STEPS
            .iter()
            .chain(&rest)
            .copied()
            .filter(|c| !ran.contains(c))
            .collect();
        rec.skip(&missing);
        return rec.finish();
    };
    if let Err(skip_from) = directory_steps(config, &mut ldap, &mut rec).await {
        let idx = rest
            .iter()
            .position(|c| *c == skip_from)
            .map_or(rest.len(), |i| i + 1);
        rec.skip(&rest[idx..]);
    }
    let _ = tokio::time::timeout(config.operation_timeout(), ldap.unbind()).await;
    rec.finish()
}

/// Runs the directory-content steps; `Err(check)` names the step that failed.
async fn directory_steps(
    config: &LdapConfig,
    ldap: &mut Ldap,
    rec: &mut Recorder,
) -> Result<(), Check> {
    let timeout = config.operation_timeout();
    let one = ["1.1".to_string()];
    match search::search(
        ldap,
        &config.base_dn,
        Scope::Base,
        "(objectClass=*)",
        &one,
        timeout,
    )
    .await
    {
        Ok(_) => rec.ok(Check::BaseDn, format!("{} exists", config.base_dn)),
        Err(e) => {
            rec.fail(Check::BaseDn, &e);
            return Err(Check::BaseDn);
        }
    }

    let a = &config.attributes;
    let required = [
        config.login_attribute.as_str(),
        a.stable_id.as_str(),
        a.email.as_str(),
    ];
    let optional = [
        a.first_name.as_str(),
        a.last_name.as_str(),
        a.display_name.as_str(),
    ];
    let attrs: Vec<String> = required
        .iter()
        .chain(&optional)
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    let users = match search::paged_search(
        ldap,
        &config.base_dn,
        &filter::normalise(&config.user_filter),
        &attrs,
        config.page_size,
        timeout,
    )
    .await
    {
        Ok(u) if u.is_empty() => {
            rec.push(
                Check::UserFilter,
                Status::Failed,
                format!(
                    "user filter {} matches no entry under {}",
                    config.user_filter, config.base_dn
                ),
                Some("ldap.no_users"),
            );
            return Err(Check::UserFilter);
        }
        Ok(u) => {
            rec.ok(
                Check::UserFilter,
                format!("user filter matches {} entries", u.len()),
            );
            u
        }
        Err(e) => {
            rec.fail(Check::UserFilter, &e);
            return Err(Check::UserFilter);
        }
    };

    // Attribute presence on a sample of users.
    let sample = &users[..users.len().min(50)];
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    for (name, is_required) in required
        .iter()
        .map(|n| (*n, true))
        .chain(optional.iter().map(|n| (*n, false)))
    {
        if name.is_empty() {
            continue;
        }
        let present = sample
            .iter()
            .filter(|e| {
                if name == a.stable_id {
                    search::stable_id(e, name, a.stable_id_encoding).is_some()
                } else {
                    search::text(e, name).is_some()
                }
            })
            .count();
        if present == 0 && is_required {
            problems.push(name);
        } else if present < sample.len() {
            warnings.push(format!(
                "`{name}` present on {present} of {} sampled entries",
                sample.len()
            ));
        }
    }
    if let Some(first) = problems.first() {
        let e = IdentityError::LdapAttributeMissing {
            dn: sample.first().map(|e| e.dn.clone()).unwrap_or_default(),
            attribute: first.to_string(),
        };
        rec.push(
            Check::Attributes,
            Status::Failed,
            format!(
                "{e} (and on every sampled entry: check the attribute mapping; missing: {})",
                problems.join(", ")
            ),
            Some(e.code()),
        );
        return Err(Check::Attributes);
    } else if warnings.is_empty() {
        rec.ok(
            Check::Attributes,
            format!(
                "all mapped attributes present on {} sampled entries",
                sample.len()
            ),
        );
    } else {
        rec.push(
            Check::Attributes,
            Status::Warning,
            warnings.join("; "),
            Some("ldap.attribute_missing"),
        );
    }

    if let (Some(g), Some(base)) = (&config.groups, config.group_base()) {
        match search::paged_search(
            ldap,
            base,
            &filter::normalise(&g.filter),
            &groups::attributes(g),
            config.page_size,
            timeout,
        )
        .await
        {
            Ok(list) => {
                let status = if list.is_empty() {
                    Status::Warning
                } else {
                    Status::Ok
                };
                rec.push(
                    Check::Groups,
                    status,
                    format!("group filter matches {} groups under {base}", list.len()),
                    None,
                );
            }
            Err(e) => {
                rec.fail(Check::Groups, &e);
                return Err(Check::Groups);
            }
        }
    } else {
        rec.ok(Check::Groups, "group lookup not configured".into());
    }

    if let Some(d) = &config.disabled_filter {
        let f = filter::and(&[&config.user_filter, d]);
        match search::paged_search(ldap, &config.base_dn, &f, &one, config.page_size, timeout).await
        {
            Ok(list) => rec.ok(
                Check::DisabledFilter,
                format!("{} users match the disabled filter", list.len()),
            ),
            Err(e) => {
                rec.fail(Check::DisabledFilter, &e);
                return Err(Check::DisabledFilter);
            }
        }
    } else {
        rec.ok(
            Check::DisabledFilter,
            "no disabled-user filter configured".into(),
        );
    }
    Ok(())
}

/// Explains what happens when `login` signs in: connection, lookup, attributes,
/// groups, disabled state and, when `password` is given, the user bind itself.
pub async fn test_user(config: &LdapConfig, login: &str, password: Option<&str>) -> Diagnosis {
    let mut rec = Recorder::new();
    let rest = [
        Check::FindUser,
        Check::UserAttributes,
        Check::UserGroups,
        Check::UserDisabled,
        Check::UserBind,
    ];
    let Some((mut ldap, tls)) = connect_steps(config, &mut rec).await else {
        let ran: Vec<Check> = rec.steps.iter().map(|s| s.check).collect();
        let missing: Vec<Check> = CONNECT_STEPS
            .iter()
            .chain(&rest)
            .copied()
            .filter(|c| !ran.contains(c))
            .collect();
        rec.skip(&missing);
        return rec.finish();
    };
    let dir = match LdapDirectory::new(config.clone()).await {
        Ok(d) => d,
        Err(e) => {
            rec.fail(Check::Config, &e);
            return rec.finish();
        }
    };
    rec.start();
    let entry = match dir.find_entry(&mut ldap, login).await {
        Ok(e) => {
            rec.ok(Check::FindUser, format!("found {}", e.dn));
            e
        }
        Err(e) => {
            rec.fail(Check::FindUser, &e);
            rec.skip(&rest[1..]);
            return rec.finish();
        }
    };
    let user = match dir.map_user(&entry) {
        Ok(u) => {
            let mut absent = Vec::new();
            let a = &config.attributes;
            for (name, v) in [
                (&a.email, &u.email),
                (&a.first_name, &u.first_name),
                (&a.last_name, &u.last_name),
                (&a.display_name, &u.display_name),
            ] {
                if v.is_none() {
                    absent.push(name.as_str());
                }
            }
            let detail = format!(
                "stable id {}, login {}, email {}",
                u.stable_id,
                u.login,
                u.email.as_deref().unwrap_or("(none)")
            );
            if absent.is_empty() {
                rec.ok(Check::UserAttributes, detail);
            } else {
                rec.push(
                    Check::UserAttributes,
                    Status::Warning,
                    format!("{detail}; not set: {}", absent.join(", ")),
                    Some("ldap.attribute_missing"),
                );
            }
            u
        }
        Err(e) => {
            rec.fail(Check::UserAttributes, &e);
            rec.skip(&rest[2..]);
            return rec.finish();
        }
    };
    match groups::groups_of_user(&mut ldap, config, &user.dn, &user.login).await {
        Ok(g) => {
            let names: Vec<&str> = g.iter().map(|g| g.name.as_str()).collect();
            rec.ok(
                Check::UserGroups,
                format!("member of {} groups: {}", g.len(), names.join(", ")),
            );
        }
        Err(e) => rec.fail(Check::UserGroups, &e),
    }
    if let Some(d) = &config.disabled_filter {
        let f = filter::normalise(d);
        match search::search(
            &mut ldap,
            &user.dn,
            Scope::Base,
            &f,
            &["1.1".to_string()],
            config.operation_timeout(),
        )
        .await
        {
            Ok(found) if !found.is_empty() => {
                let e = IdentityError::LdapUserDisabled {
                    dn: user.dn.clone(),
                };
                rec.fail(Check::UserDisabled, &e);
            }
            Ok(_) => rec.ok(Check::UserDisabled, "account is enabled".into()),
            Err(e) => rec.fail(Check::UserDisabled, &e),
        }
    } else {
        rec.ok(
            Check::UserDisabled,
            "no disabled-user filter configured".into(),
        );
    }
    let _ = tokio::time::timeout(config.operation_timeout(), ldap.unbind()).await;
    match password {
        None => rec.push(
            Check::UserBind,
            Status::Skipped,
            "no password given".into(),
            None,
        ),
        Some(pw) => {
            rec.start();
            match connect::connect(config, &tls).await {
                Ok(mut user_conn) => {
                    match connect::bind(&mut user_conn, &user.dn, pw, config.operation_timeout())
                        .await
                    {
                        Ok(()) => rec.ok(
                            Check::UserBind,
                            format!("password accepted for {}", user.dn),
                        ),
                        Err(BindError::InvalidCredentials(detail)) => {
                            let e = IdentityError::LdapWrongPassword {
                                dn: user.dn.clone(),
                            };
                            rec.push(
                                Check::UserBind,
                                Status::Failed,
                                format!("{e}: {detail}"),
                                Some(e.code()),
                            );
                        }
                        Err(BindError::Other(e)) => rec.fail(Check::UserBind, &e),
                    }
                    let _ =
                        tokio::time::timeout(config.operation_timeout(), user_conn.unbind()).await;
                }
                Err(e) => rec.fail(Check::UserBind, &e),
            }
        }
    }
    rec.finish()
}
