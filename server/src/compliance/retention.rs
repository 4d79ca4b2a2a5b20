//! Retention policy management: one row per level that sets a period.

use hearth_api::{RetentionPolicies, RetentionPolicy, RetentionScope};
use hearth_core::{Error, Result, now_millis};
use hearth_store::compliance::{self as cstore, RetentionRow};

use super::convert;
use crate::auth::Auth;
use crate::services::audit;
use crate::state::Ctx;

/// Longest period accepted: 100 years.
const MAX_DAYS: u32 = 36_500;

pub fn list(ctx: &Ctx, auth: &Auth) -> Result<RetentionPolicies> {
    super::require_manage(auth)?;
    let rows = ctx.store.read(|c| Ok(cstore::policies(c)?))?;
    Ok(RetentionPolicies {
        policies: rows.iter().map(convert::policy_to_api).collect(),
        purge_time: ctx
            .config()
            .compliance
            .purge_enabled
            .then(|| ctx.config().compliance.purge_time.clone()),
    })
}

fn scope_key(p: &RetentionPolicy) -> Result<(RetentionScope, String)> {
    match (p.scope, p.scope_id) {
        (RetentionScope::Global, None) => Ok((RetentionScope::Global, String::new())),
        (RetentionScope::Global, Some(_)) => {
            Err(Error::invalid("the global policy takes no scope_id"))
        }
        (s, Some(id)) => Ok((s, id.to_string())),
        (_, None) => Err(Error::invalid("team and channel policies need a scope_id")),
    }
}

/// Sets the periods of one level (creating or replacing its policy).
pub fn put(ctx: &Ctx, auth: &Auth, p: RetentionPolicy) -> Result<RetentionPolicy> {
    super::require_manage(auth)?;
    let (kind, id) = scope_key(&p)?;
    for (name, d) in [
        ("messages_days", p.messages_days),
        ("files_days", p.files_days),
    ] {
        if d.is_some_and(|d| d > MAX_DAYS) {
            return Err(Error::invalid(format!(
                "{name} must be 0 (keep forever) to {MAX_DAYS}"
            )));
        }
    }
    ctx.store.write(|tx| {
        match p.scope {
            RetentionScope::Team => {
                hearth_store::teams::by_id(tx.conn, &id)?.ok_or(Error::NotFound("team"))?;
            }
            RetentionScope::Channel => {
                hearth_store::channels::by_id(tx.conn, &id)?.ok_or(Error::NotFound("channel"))?;
            }
            RetentionScope::Global => {}
        }
        let row = RetentionRow {
            scope_kind: kind,
            scope_id: id.clone(),
            messages_ms: convert::days_to_ms(p.messages_days),
            files_ms: convert::days_to_ms(p.files_days),
            updated_by: Some(auth.user.id.clone()),
            updated_at: now_millis(),
        };
        cstore::put_policy(tx.conn, &row)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.retention.set",
            "retention_policy",
            Some(format!("{}:{id}", kind.as_str())),
            serde_json::json!({
                "messages_days": p.messages_days,
                "files_days": p.files_days,
            }),
        )?;
        Ok(convert::policy_to_api(&row))
    })
}

/// Removes a level's policy so it follows the less specific one again.
pub fn delete(
    ctx: &Ctx,
    auth: &Auth,
    scope: RetentionScope,
    scope_id: Option<hearth_core::Id>,
) -> Result<()> {
    super::require_manage(auth)?;
    let (kind, id) = scope_key(&RetentionPolicy {
        scope,
        scope_id,
        messages_days: None,
        files_days: None,
        updated_at: None,
    })?;
    ctx.store.write(|tx| {
        if !cstore::delete_policy(tx.conn, kind, &id)? {
            return Err(Error::NotFound("retention policy"));
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.retention.delete",
            "retention_policy",
            Some(format!("{}:{id}", kind.as_str())),
            serde_json::json!({}),
        )
    })
}
