//! Enterprise sign-in: password and LDAP logins with lockout, TOTP second
//! factor, OpenID Connect single sign-on, and LDAP directory sync. The
//! identity library decides and verifies; this module stores and applies.

pub mod config;
pub mod directory;
pub mod login;
pub mod mfa;
pub mod oidc;

use std::sync::Mutex;

use hearth_api::{LdapSyncReport, LoginResponse, Role};
use hearth_core::{Error, Result, new_id, now_millis, validate};
use hearth_identity::ldap::LdapDirectory;
use hearth_identity::oidc::OidcProviders;
use hearth_identity::sealing::SealingKey;
use hearth_identity::{Memberships, Names, SystemRole};
use hearth_store::identity as store;
use hearth_store::models::{UserAuthRow, UserRow};
use hearth_store::{DbConn, Tx, parse_id, users};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::services::{audit, sessions};

/// Sign-in machinery built from the configuration at start.
pub struct SignIn {
    /// The directory when `[ldap] enabled`; holds the service connection pool.
    /// Swapped when the console changes the LDAP settings.
    pub ldap: arc_swap::ArcSwapOption<LdapDirectory>,
    pub oidc: OidcProviders,
    pub sync: Mutex<SyncState>,
    /// Serialises sync runs (scheduled and on demand).
    pub sync_lock: tokio::sync::Mutex<()>,
    /// Seals TOTP secrets at rest (`mfa.secret_key` or `<data_dir>/mfa.key`).
    pub sealing: SealingKey,
}

/// The file the TOTP sealing key lives in when `mfa.secret_key` is empty.
pub const SEALING_KEY_FILE: &str = "mfa.key";

/// The key from `mfa.secret_key`, else from `<data_dir>/mfa.key`, which is
/// created with a fresh key (mode 0600) when it does not exist yet.
fn sealing_key(config: &Config) -> std::result::Result<SealingKey, String> {
    let given = config.mfa.secret_key.expose().trim();
    if !given.is_empty() {
        return SealingKey::from_hex(given).map_err(|e| format!("mfa.secret_key: {e}"));
    }
    let path = config.server.data_dir.join(SEALING_KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => SealingKey::from_hex(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let hex = SealingKey::generate_hex();
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            f.write_all(format!("{hex}\n").as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            tracing::info!(file = %path.display(), "created the key that encrypts TOTP secrets; back it up with the database");
            SealingKey::from_hex(&hex).map_err(|e| e.to_string())
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// What the admin console shows about directory sync.
#[derive(Debug, Default, Clone)]
pub struct SyncState {
    pub running: bool,
    pub last: Option<LdapSyncReport>,
    pub last_error: Option<String>,
    pub next_at: Option<i64>,
}

impl SignIn {
    pub async fn new(config: &Config) -> std::result::Result<SignIn, String> {
        let ldap = match (&config.ldap.directory, config.ldap.enabled) {
            (Some(d), true) => Some(
                LdapDirectory::new(d.clone())
                    .await
                    .map_err(|e| format!("ldap.directory: {e}"))?,
            ),
            _ => None,
        };
        let oidc = OidcProviders::new(config.oidc.providers.clone()).map_err(|e| e.to_string())?;
        Ok(SignIn {
            ldap: arc_swap::ArcSwapOption::from(ldap.map(std::sync::Arc::new)),
            oidc,
            sync: Mutex::new(SyncState::default()),
            sync_lock: tokio::sync::Mutex::new(()),
            sealing: sealing_key(config)?,
        })
    }

    pub fn sync_state(&self) -> SyncState {
        self.sync.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn update_sync(&self, f: impl FnOnce(&mut SyncState)) {
        f(&mut self.sync.lock().unwrap_or_else(|p| p.into_inner()));
    }
}

/// Directory sync state as `GET /admin/ldap/status` reports it.
pub fn ldap_status(ctx: &crate::state::Ctx) -> hearth_api::LdapStatus {
    let s = ctx.signin.sync_state();
    hearth_api::LdapStatus {
        enabled: ctx.signin.ldap.load().is_some(),
        running: s.running,
        last_sync: s.last,
        last_error: s.last_error,
        next_sync_at: s.next_at,
        sync_interval_mins: ctx.config().ldap.sync_interval_mins,
    }
}

/// The profile last read from the directory or provider, and the memberships
/// that sync granted (only these are ever revoked by sync).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Synced {
    #[serde(default)]
    pub memberships: Memberships,
    #[serde(default)]
    pub profile: Option<Profile>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Profile {
    pub login: String,
    pub email: Option<String>,
    #[serde(default)]
    pub names: Names,
}

impl Synced {
    pub fn parse(s: &str) -> Synced {
        serde_json::from_str(s).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The account's sign-in row; a missing row is a local account without MFA.
pub fn auth_row(c: &mut DbConn, user_id: &str) -> Result<UserAuthRow> {
    Ok(store::auth_of(c, user_id)?.unwrap_or_else(|| UserAuthRow::local(user_id, now_millis())))
}

/// Opens a browser session for `user` and records the login.
pub fn open_session(
    tx: &mut Tx,
    config: &Config,
    user: &UserRow,
    user_agent: &str,
    method: &str,
    sso: Option<(&str, &str)>,
) -> Result<LoginResponse> {
    let days = i64::from(config.accounts.session_days);
    let name: String = user_agent.chars().take(200).collect();
    let (row, secret) = sessions::create(
        tx,
        &user.id,
        hearth_api::SessionKind::Session,
        &name,
        Some(now_millis() + days * 86_400_000),
    )?;
    let mut details = serde_json::json!({ "method": method });
    if let Some((provider, id_token)) = sso {
        store::set_session_sso(tx.conn, &row.id, provider, id_token)?;
        details["provider"] = provider.into();
    }
    audit::record(
        tx,
        Some(parse_id(&user.id)),
        "user.login",
        "session",
        Some(row.id.clone()),
        details,
    )?;
    Ok(LoginResponse {
        user: user.to_api(true),
        token: secret,
        csrf_token: row.csrf_token.clone(),
        session_id: parse_id(&row.id),
    })
}

pub fn role_of(r: SystemRole) -> Role {
    match r {
        SystemRole::Admin => Role::SystemAdmin,
        SystemRole::User => Role::User,
        SystemRole::Guest => Role::Guest,
    }
}

/// A valid, free username derived from a directory login or provider claim:
/// invalid characters dropped, numbered when taken by another account.
pub fn free_username(c: &mut DbConn, raw: &str, owner: Option<&str>) -> Result<String> {
    let mut base: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .filter(|ch| {
            ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '-' | '_')
        })
        .take(18)
        .collect();
    if !base.starts_with(|ch: char| ch.is_ascii_lowercase()) {
        base.insert(0, 'u');
    }
    while base.chars().count() < 3 {
        base.push('0');
    }
    let mut candidate = base.clone();
    for n in 2..10_000 {
        if validate::username(&candidate).is_ok() {
            match users::by_username(c, &candidate)? {
                None => return Ok(candidate),
                Some(u) if Some(u.id.as_str()) == owner => return Ok(candidate),
                Some(_) => {}
            }
        }
        candidate = format!("{base}{n}");
    }
    Err(Error::conflict(format!("no free username for `{raw}`")))
}

/// The e-mail to store: the given one when valid and free, otherwise a
/// unique placeholder (accounts need one; it never receives mail).
pub fn usable_email(c: &mut DbConn, email: Option<&str>, owner: Option<&str>) -> Result<String> {
    if let Some(e) = email.and_then(|e| validate::email(e).ok()) {
        match users::by_email(c, &e)? {
            None => return Ok(e),
            Some(u) if Some(u.id.as_str()) == owner => return Ok(e),
            Some(_) => {}
        }
    }
    if let Some(owner) = owner
        && let Some(u) = users::by_id(c, owner)?
    {
        return Ok(u.email);
    }
    Ok(format!("{}@users.invalid", new_id().simple()))
}

pub fn display_name_of(names: &Names, login: &str) -> String {
    let joined = [names.first_name.as_deref(), names.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let pick = names
        .display_name
        .clone()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or(joined);
    let pick = if pick.trim().is_empty() {
        login.to_string()
    } else {
        pick
    };
    validate::display_name(&pick).unwrap_or_else(|_| login.chars().take(64).collect())
}

/// Creates an account for an external identity (no password).
pub fn create_external_user(
    tx: &mut Tx,
    login: &str,
    email: Option<&str>,
    names: &Names,
    auth: UserAuthRow,
) -> Result<UserRow> {
    let username = free_username(tx.conn, login, None)?;
    let email = usable_email(tx.conn, email, None)?;
    let now = now_millis();
    let display_name = display_name_of(names, &username);
    let row = UserRow::new_account(username, email, display_name, None, Role::User, now);
    users::insert(tx.conn, &row)?;
    store::save_auth(
        tx.conn,
        &UserAuthRow {
            user_id: row.id.clone(),
            ..auth
        },
    )?;
    tx.log(hearth_store::Change::new(
        hearth_api::EventPayload::UserUpdated(row.to_api(false)),
        hearth_store::Audience::All,
    ))?;
    Ok(row)
}
