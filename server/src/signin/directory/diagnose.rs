//! Diagnostics for administrators: the connection and one user's lookup.

use std::sync::Arc;

use hearth_api::LdapDiagnosis;
use hearth_core::{Error, Id, Result};

use crate::services::audit;
use crate::state::Ctx;

pub(super) fn no_directory() -> Error {
    Error::Unavailable("no [ldap.directory] is configured".into())
}

pub(super) fn to_wire(d: &hearth_identity::ldap::Diagnosis) -> Result<LdapDiagnosis> {
    serde_json::to_value(d)
        .and_then(serde_json::from_value)
        .map_err(Error::internal)
}

/// Step-by-step check of the configured directory (works before `enabled`).
pub async fn test_connection(ctx: Arc<Ctx>, actor: Id) -> hearth_core::Result<LdapDiagnosis> {
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
) -> hearth_core::Result<LdapDiagnosis> {
    let cfg = ctx
        .config()
        .ldap
        .directory
        .clone()
        .ok_or_else(no_directory)?;
    let login = login.trim().to_string();
    if login.is_empty() || login.chars().count() > 254 {
        return Err(Error::invalid("login must be 1 to 254 characters"));
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
