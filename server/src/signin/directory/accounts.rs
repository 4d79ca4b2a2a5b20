//! Directory accounts as the sync planner sees them, and provisioning on login.

use hearth_api::EventPayload;
use hearth_core::Result;
use hearth_identity::sync::plan_sync;
use hearth_identity::{AuthSource, DirectorySnapshot, DirectoryUser, ExistingAccount, Names};
use hearth_store::models::{UserAuthRow, UserRow};
use hearth_store::{Audience, Change, identity as store, parse_id, users};

use super::apply::apply_plan;
use crate::signin::Synced;
use crate::state::Ctx;
use hearth_store::kinds::SignInSource;

pub(super) fn user_changed(row: &UserRow) -> Change {
    Change::new(EventPayload::UserUpdated(row.to_api(false)), Audience::All)
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
