//! LDAP: provisioning on login, directory sync and diagnostics.
//!
//! Login and sync share one path: the identity library plans the changes for
//! the users read from the directory (`plan_sync`), and [`apply_plan`] carries
//! them out in one transaction with audit entries and change-log events.

use std::collections::HashMap;
use std::sync::Arc;

use hearth_api::{EventKind, LdapDiagnosis, LdapSyncIssue, LdapSyncReport, MemberRole, Role};
use hearth_core::{Error, Id, Result, now_millis};
use hearth_identity::sync::{AccountRef, Field, SyncPlan, plan_sync};
use hearth_identity::{
    AuthSource, DirectorySnapshot, DirectoryUser, ExistingAccount, Names, TeamRole,
};
use hearth_store::identity as store;
use hearth_store::kinds::SignInSource;
use hearth_store::models::{UserAuthRow, UserRow};
use hearth_store::{Audience, Change, Tx, parse_id, users};

use super::{
    Profile, Synced, auth_row, create_external_user, display_name_of, free_username, role_of,
    usable_email,
};
use crate::error::ApiError;
use crate::services::{audit, channels, sessions, teams};
use crate::state::Ctx;

fn user_changed(row: &UserRow) -> Change {
    Change::new(EventKind::UserUpdated, Audience::All, row.to_api(false))
}

/// The server's accounts as the identity library sees them.
pub fn to_existing(u: &UserRow, a: Option<&UserAuthRow>) -> ExistingAccount {
    let synced = a.map(|a| Synced::parse(&a.synced)).unwrap_or_default();
    let source = match a {
        None => AuthSource::Local,
        Some(a) => match a.source {
            SignInSource::Local => AuthSource::Local,
            SignInSource::Ldap => AuthSource::Ldap,
            SignInSource::Oidc => AuthSource::Oidc {
                provider_id: a.provider.clone(),
            },
        },
    };
    let (login, email, names) = match (&source, synced.profile) {
        (AuthSource::Ldap, Some(p)) => (p.login, p.email, p.names),
        _ => (
            u.username.clone(),
            Some(u.email.clone()),
            Names {
                display_name: Some(u.display_name.clone()),
                ..Names::default()
            },
        ),
    };
    // A directory's addresses come from its administrators; a local
    // account's only once an admin or a sign-in provider vouched for it.
    let email_verified = source == AuthSource::Ldap || u.email_verified_at.is_some();
    ExistingAccount {
        user_id: parse_id(&u.id),
        stable_id: a.and_then(|a| a.external_id.clone()),
        login,
        email,
        email_verified,
        names,
        active: u.is_active,
        auth_source: source,
        synced: synced.memberships,
    }
}

/// First LDAP login or a returning one: creates or updates the account
/// linked to the entry's stable id and applies the group mappings. The inner
/// error is the audit reason when no usable account results.
pub fn provision_login(
    ctx: &Ctx,
    du: &DirectoryUser,
) -> Result<std::result::Result<UserRow, String>> {
    ctx.store.write(|tx| {
        let linked = store::by_external(tx.conn, SignInSource::Ldap, "", &du.stable_id)?;
        let mut existing = Vec::new();
        if let Some(a) = &linked
            && let Some(u) = users::by_id(tx.conn, &a.user_id)?
        {
            existing.push(to_existing(&u, Some(a)));
        }
        if existing.is_empty() && !ctx.config().ldap.create_on_login {
            return Ok(Err("ldap.not_provisioned".to_string()));
        }
        let snapshot = DirectorySnapshot {
            users: vec![du.clone()],
            ..Default::default()
        };
        let plan = plan_sync(&snapshot, &existing, &ctx.config().ldap.group_mappings);
        let issues = apply_plan(tx, &plan, "login")?;
        match store::by_external(tx.conn, SignInSource::Ldap, "", &du.stable_id)? {
            Some(a) => Ok(users::by_id(tx.conn, &a.user_id)?
                .ok_or_else(|| "ldap.provision_failed".to_string())),
            None => Ok(Err(issues
                .first()
                .map(|i| i.code.clone())
                .unwrap_or_else(|| "ldap.provision_failed".into()))),
        }
    })
}

fn issue(code: &str, subject: &str, detail: String) -> LdapSyncIssue {
    LdapSyncIssue {
        code: code.into(),
        subject: subject.into(),
        detail,
    }
}

/// Carries out a plan; what cannot be done is returned as issues, and only
/// database failures abort (rolling everything back).
pub fn apply_plan(tx: &mut Tx, plan: &SyncPlan, trigger: &str) -> Result<Vec<LdapSyncIssue>> {
    let mut issues = Vec::new();
    let mut created: HashMap<String, String> = HashMap::new();

    for n in &plan.create {
        if let Some(email) = n.email.as_deref().map(str::to_lowercase)
            && users::by_email(tx.conn, &email)?.is_some()
        {
            issues.push(issue(
                "sync.email_conflict",
                &n.dn,
                format!("e-mail {email} already belongs to another account; not created"),
            ));
            continue;
        }
        let synced = Synced {
            memberships: Default::default(),
            profile: Some(Profile {
                login: n.login.clone(),
                email: n.email.clone(),
                names: n.names.clone(),
            }),
        };
        let mut auth = UserAuthRow::local("", now_millis());
        auth.source = SignInSource::Ldap;
        auth.external_id = Some(n.stable_id.clone());
        auth.synced = synced.to_json();
        let row = create_external_user(tx, &n.login, n.email.as_deref(), &n.names, auth)?;
        audit::record(
            tx,
            None,
            "user.provision",
            "user",
            Some(row.id.clone()),
            serde_json::json!({
                "source": "ldap", "decision": "create", "trigger": trigger,
                "login": row.username, "dn": n.dn,
            }),
        )?;
        created.insert(n.stable_id.clone(), row.id);
    }

    for u in &plan.update {
        let uid = u.user_id.to_string();
        let Some(mut row) = users::by_id(tx.conn, &uid)? else {
            continue;
        };
        let mut a = auth_row(tx.conn, &uid)?;
        let mut synced = Synced::parse(&a.synced);
        let mut profile = synced.profile.take().unwrap_or_default();
        for c in &u.changes {
            match c.field {
                Field::Login => {
                    if let Some(new) = &c.new {
                        profile.login = new.clone();
                        row.username = free_username(tx.conn, new, Some(&row.id))?;
                    }
                }
                Field::Email => {
                    profile.email = c.new.clone();
                    let email = usable_email(tx.conn, c.new.as_deref(), Some(&row.id))?;
                    if email != row.email {
                        row.email_verified_at = None;
                    }
                    row.email = email;
                }
                Field::FirstName => profile.names.first_name = c.new.clone(),
                Field::LastName => profile.names.last_name = c.new.clone(),
                Field::DisplayName => profile.names.display_name = c.new.clone(),
            }
        }
        row.display_name = display_name_of(&profile.names, &row.username);
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        synced.profile = Some(profile);
        a.synced = synced.to_json();
        a.updated_at = now_millis();
        store::save_auth(tx.conn, &a)?;
        audit::record(
            tx,
            None,
            "user.sync_update",
            "user",
            Some(uid),
            serde_json::json!({ "source": "ldap", "trigger": trigger, "changes": u.changes }),
        )?;
    }

    for d in &plan.deactivate {
        let uid = d.user_id.to_string();
        let Some(mut row) = users::by_id(tx.conn, &uid)? else {
            continue;
        };
        row.is_active = false;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        sessions::revoke_all_in(tx, None, d.user_id)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            None,
            "user.deactivate",
            "user",
            Some(uid),
            serde_json::json!({ "source": "ldap", "trigger": trigger, "reason": d.reason }),
        )?;
    }

    for id in &plan.reactivate {
        let uid = id.to_string();
        let Some(mut row) = users::by_id(tx.conn, &uid)? else {
            continue;
        };
        row.is_active = true;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            None,
            "user.activate",
            "user",
            Some(uid),
            serde_json::json!({ "source": "ldap", "trigger": trigger }),
        )?;
    }

    let resolve = |r: &AccountRef| -> Option<String> {
        match r {
            AccountRef::Existing { user_id } => Some(user_id.to_string()),
            AccountRef::New { stable_id } => created.get(stable_id).cloned(),
        }
    };
    for t in &plan.teams {
        let Some(uid) = resolve(&t.account) else {
            continue;
        };
        if let Some(i) = apply_team(tx, &uid, &t.team, t.to)? {
            issues.push(i);
        }
    }
    for c in &plan.channels {
        let Some(uid) = resolve(&c.account) else {
            continue;
        };
        if let Some(i) = apply_channel(tx, &uid, &c.channel, c.join)? {
            issues.push(i);
        }
    }
    for r in &plan.roles {
        let Some(uid) = resolve(&r.account) else {
            continue;
        };
        if let Some(i) = apply_role(tx, &uid, r.to, SignInSource::Ldap)? {
            issues.push(i);
        }
    }
    Ok(issues)
}

fn update_synced(tx: &mut Tx, uid: &str, f: impl FnOnce(&mut Synced)) -> Result<()> {
    let mut a = auth_row(tx.conn, uid)?;
    let mut s = Synced::parse(&a.synced);
    f(&mut s);
    a.synced = s.to_json();
    a.updated_at = now_millis();
    store::save_auth(tx.conn, &a)?;
    Ok(())
}

fn member_role(r: TeamRole) -> MemberRole {
    match r {
        TeamRole::Admin => MemberRole::Admin,
        TeamRole::Member => MemberRole::Member,
    }
}

/// Joins, leaves or changes the role in a team (`to: None` leaves).
pub fn apply_team(
    tx: &mut Tx,
    uid: &str,
    team_name: &str,
    to: Option<TeamRole>,
) -> Result<Option<LdapSyncIssue>> {
    let Some(team) = hearth_store::teams::by_name(tx.conn, team_name)? else {
        return Ok(Some(issue(
            "sync.unknown_team",
            team_name,
            format!("team `{team_name}` does not exist; mapping skipped"),
        )));
    };
    let user_id = parse_id(uid);
    let current = hearth_store::teams::member(tx.conn, &team.id, uid)?;
    if team.archived_at.is_some() && current.is_none() && to.is_some() {
        return Ok(Some(issue(
            "sync.archived_team",
            team_name,
            format!("team `{team_name}` is archived; membership skipped"),
        )));
    }
    match (current, to) {
        (None, Some(r)) => {
            teams::add_member_in(tx, &team, user_id, member_role(r))?;
        }
        (Some(m), Some(r)) => {
            let role = member_role(r);
            if m.role != role {
                hearth_store::teams::set_member_role(tx.conn, &team.id, uid, role)?;
                if let Some(m) = hearth_store::teams::member(tx.conn, &team.id, uid)? {
                    tx.log(Change::new(
                        EventKind::TeamMemberUpdated,
                        Audience::Team {
                            team_id: parse_id(&team.id),
                            also: None,
                        },
                        m.to_api(),
                    ))?;
                }
            }
        }
        (Some(_), None) => {
            for ch in hearth_store::channels::for_user_in_team(tx.conn, uid, &team.id)? {
                channels::remove_member_in(tx, &ch, user_id, None)?;
            }
            hearth_store::teams::delete_member(tx.conn, &team.id, uid)?;
            tx.log(Change::new(
                EventKind::TeamMemberRemoved,
                Audience::Team {
                    team_id: parse_id(&team.id),
                    also: Some(user_id),
                },
                serde_json::json!({ "team_id": team.id, "user_id": uid }),
            ))?;
        }
        (None, None) => {}
    }
    let name = team_name.to_string();
    update_synced(tx, uid, |s| match to {
        Some(r) => {
            s.memberships.teams.insert(name, r);
        }
        None => {
            s.memberships.teams.remove(&name);
        }
    })?;
    audit::record(
        tx,
        None,
        if to.is_some() {
            "team.member_sync"
        } else {
            "team.member_sync_remove"
        },
        "team",
        Some(team.id.clone()),
        serde_json::json!({ "user_id": uid, "role": to }),
    )?;
    Ok(None)
}

/// Joins or leaves a channel named `team/channel`.
pub fn apply_channel(
    tx: &mut Tx,
    uid: &str,
    key: &str,
    join: bool,
) -> Result<Option<LdapSyncIssue>> {
    let unknown = || {
        Some(issue(
            "sync.unknown_channel",
            key,
            format!("channel `{key}` does not exist (write it team/channel); mapping skipped"),
        ))
    };
    let Some((team_name, ch_name)) = key.split_once('/') else {
        return Ok(unknown());
    };
    let Some(team) = hearth_store::teams::by_name(tx.conn, team_name)? else {
        return Ok(unknown());
    };
    let Some(ch) = hearth_store::channels::by_name(tx.conn, Some(&team.id), ch_name)? else {
        return Ok(unknown());
    };
    let user_id = parse_id(uid);
    if join {
        if hearth_store::teams::member(tx.conn, &team.id, uid)?.is_none() {
            return Ok(Some(issue(
                "sync.not_in_team",
                key,
                format!("the account is not in team `{team_name}`; map the team too"),
            )));
        }
        channels::add_member_in(tx, &ch, user_id, MemberRole::Member, None)?;
    } else {
        channels::remove_member_in(tx, &ch, user_id, None)?;
    }
    let k = key.to_string();
    update_synced(tx, uid, |s| {
        if join {
            s.memberships.channels.insert(k);
        } else {
            s.memberships.channels.remove(&k);
        }
    })?;
    audit::record(
        tx,
        None,
        if join {
            "channel.member_sync"
        } else {
            "channel.member_sync_remove"
        },
        "channel",
        Some(ch.id.clone()),
        serde_json::json!({ "user_id": uid }),
    )?;
    Ok(None)
}

/// Sets the system role a mapping grants; `None` returns to a plain user.
/// Mappings cannot name the compliance officer role, and they never change
/// an officer's role either (only the local operator grants or removes it):
/// that change is skipped, audited as `user.role_sync_skipped` and returned
/// as an issue.
pub fn apply_role(
    tx: &mut Tx,
    uid: &str,
    to: Option<hearth_identity::SystemRole>,
    source: SignInSource,
) -> Result<Option<LdapSyncIssue>> {
    let Some(mut row) = users::by_id(tx.conn, uid)? else {
        return Ok(None);
    };
    let role = to.map(role_of).unwrap_or(Role::User);
    if hearth_core::permissions::require_role_change(false, row.role, role).is_err() {
        audit::record(
            tx,
            None,
            "user.role_sync_skipped",
            "user",
            Some(row.id.clone()),
            serde_json::json!({
                "from": row.role.as_str(),
                "to": role.as_str(),
                "source": source.as_str(),
            }),
        )?;
        // Remembered as applied, so that every later sync or sign-in does
        // not try (and audit) the same change again.
        update_synced(tx, uid, |s| s.memberships.system_role = to)?;
        return Ok(Some(issue(
            "sync.officer_role",
            &row.username,
            format!(
                "`{}` is a compliance officer; the mapped role `{}` was not applied ({})",
                row.username,
                role.as_str(),
                hearth_core::permissions::OFFICER_ROLE_ON_HOST
            ),
        )));
    }
    if row.role != role {
        let old = row.role;
        row.role = role;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            None,
            "user.role",
            "user",
            Some(row.id.clone()),
            serde_json::json!({
                "from": old.as_str(),
                "to": role.as_str(),
                "source": source.as_str(),
            }),
        )?;
    }
    update_synced(tx, uid, |s| s.memberships.system_role = to)?;
    Ok(None)
}

/// Reads the whole directory and applies the plan; one run at a time.
pub async fn run_sync(
    ctx: Arc<Ctx>,
    actor: Option<Id>,
) -> std::result::Result<LdapSyncReport, ApiError> {
    let dir = ctx
        .signin
        .ldap
        .load_full()
        .ok_or_else(|| Error::Unavailable("LDAP is not enabled ([ldap] enabled)".into()))?;
    let _one_at_a_time = ctx.signin.sync_lock.lock().await;
    ctx.signin.update_sync(|s| s.running = true);
    let started_at = now_millis();
    let snapshot = match dir.snapshot().await {
        Ok(s) => s,
        Err(e) => {
            let msg = format!("{} ({})", e, e.code());
            ctx.signin.update_sync(|s| {
                s.running = false;
                s.last_error = Some(msg.clone());
            });
            let code = e.code();
            ctx.run(move |c: &Ctx| {
                c.store.write(|tx| {
                    audit::record(
                        tx,
                        actor,
                        "ldap.sync_failed",
                        "system",
                        None,
                        serde_json::json!({ "code": code }),
                    )
                })
            })
            .await?;
            return Err(Error::Unavailable(format!("directory read failed: {msg}")).into());
        }
    };
    let result = ctx
        .run(move |c: &Ctx| {
            c.store.write(|tx| {
                let existing: Vec<ExistingAccount> = store::all_accounts(tx.conn)?
                    .iter()
                    .map(|(u, a)| to_existing(u, a.as_ref()))
                    .collect();
                let plan = plan_sync(&snapshot, &existing, &c.config().ldap.group_mappings);
                let mut errors: Vec<LdapSyncIssue> = plan
                    .issues
                    .iter()
                    .map(|i| issue(&i.code, &i.subject, i.detail.clone()))
                    .collect();
                errors.extend(apply_plan(tx, &plan, "sync")?);
                let r = plan.report(&snapshot);
                let report = LdapSyncReport {
                    users_seen: r.users_seen as u64,
                    groups_seen: r.groups_seen as u64,
                    created: r.created as u64,
                    updated: r.updated as u64,
                    deactivated: r.deactivated as u64,
                    reactivated: r.reactivated as u64,
                    memberships_added: r.memberships_added as u64,
                    memberships_removed: r.memberships_removed as u64,
                    memberships_changed: r.memberships_changed as u64,
                    role_changes: r.role_changes as u64,
                    issues: errors.len() as u64,
                    errors,
                    started_at,
                    finished_at: now_millis(),
                };
                let mut details = serde_json::to_value(&report).map_err(Error::internal)?;
                if let Some(o) = details.as_object_mut() {
                    o.remove("errors");
                }
                audit::record(tx, actor, "ldap.sync", "system", None, details)?;
                Ok(report)
            })
        })
        .await;
    let interval = ctx.config().ldap.sync_interval_mins;
    ctx.signin.update_sync(|s| {
        s.running = false;
        match &result {
            Ok(r) => {
                s.last = Some(r.clone());
                s.last_error = None;
            }
            Err(e) => s.last_error = Some(e.to_string()),
        }
        if interval > 0 {
            s.next_at = Some(now_millis() + interval as i64 * 60_000);
        }
    });
    result
}

fn no_directory() -> Error {
    Error::Unavailable("no [ldap.directory] is configured".into())
}

fn to_wire(d: &hearth_identity::ldap::Diagnosis) -> Result<LdapDiagnosis> {
    serde_json::to_value(d)
        .and_then(serde_json::from_value)
        .map_err(Error::internal)
}

/// Step-by-step check of the configured directory (works before `enabled`).
pub async fn test_connection(
    ctx: Arc<Ctx>,
    actor: Id,
) -> std::result::Result<LdapDiagnosis, ApiError> {
    let cfg = ctx
        .config()
        .ldap
        .directory
        .clone()
        .ok_or_else(no_directory)?;
    let d = hearth_identity::ldap::test_connection(&cfg).await;
    let wire = to_wire(&d)?;
    let failed = d.first_failure().and_then(|s| s.code.clone());
    ctx.run(move |c: &Ctx| {
        c.store.write(|tx| {
            audit::record(
                tx,
                Some(actor),
                "ldap.test",
                "system",
                None,
                serde_json::json!({ "ok": d.ok, "failure": failed }),
            )
        })
    })
    .await?;
    Ok(wire)
}

/// Explains what happens when `login` signs in (the password is optional
/// and never recorded).
pub async fn test_user(
    ctx: Arc<Ctx>,
    actor: Id,
    login: String,
    password: Option<String>,
) -> std::result::Result<LdapDiagnosis, ApiError> {
    let cfg = ctx
        .config()
        .ldap
        .directory
        .clone()
        .ok_or_else(no_directory)?;
    let login = login.trim().to_string();
    if login.is_empty() || login.chars().count() > 254 {
        return Err(Error::invalid("login must be 1 to 254 characters").into());
    }
    let d = hearth_identity::ldap::test_user(&cfg, &login, password.as_deref()).await;
    let wire = to_wire(&d)?;
    let failed = d.first_failure().and_then(|s| s.code.clone());
    let with_password = password.is_some();
    ctx.run(move |c: &Ctx| {
        c.store.write(|tx| {
            audit::record(
                tx,
                Some(actor),
                "ldap.test_user",
                "system",
                None,
                serde_json::json!({
                    "login": login, "with_password": with_password,
                    "ok": d.ok, "failure": failed,
                }),
            )
        })
    })
    .await?;
    Ok(wire)
}

/// Runs sync every `sync_interval_mins` until the server stops. The interval
/// is read at start; whether LDAP is on is checked at every tick, so a
/// directory enabled from the console is synced without a restart.
pub fn spawn_scheduler(ctx: &Arc<Ctx>) {
    let interval = ctx.config().ldap.sync_interval_mins;
    if interval == 0 {
        return;
    }
    let weak = Arc::downgrade(ctx);
    let period = std::time::Duration::from_secs(interval * 60);
    if ctx.signin.ldap.load().is_some() {
        ctx.signin
            .update_sync(|s| s.next_at = Some(now_millis() + interval as i64 * 60_000));
    }
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(period).await;
            let Some(ctx) = weak.upgrade() else {
                return;
            };
            if ctx.signin.ldap.load().is_none() {
                continue;
            }
            if let Err(e) = run_sync(ctx, None).await {
                tracing::warn!(error = %e, "scheduled LDAP sync failed");
            }
        }
    });
}
