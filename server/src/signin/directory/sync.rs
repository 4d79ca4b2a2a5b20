//! Running a sync on request or on a schedule, and recording how it went.

use std::sync::Arc;

use hearth_api::{LdapSyncIssue, LdapSyncReport};
use hearth_core::{Error, Id, now_millis};
use hearth_identity::ExistingAccount;
use hearth_identity::sync::plan_sync;
use hearth_store::identity as store;

use super::accounts::to_existing;
use super::apply::{apply_plan, issue};
use crate::services::audit;
use crate::state::Ctx;
use crate::workers::{Stage, Workers};

/// Reads the whole directory and applies the plan; one run at a time.
pub async fn run_sync(ctx: Arc<Ctx>, actor: Option<Id>) -> hearth_core::Result<LdapSyncReport> {
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
            return Err(Error::Unavailable(format!("directory read failed: {msg}")));
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

/// Runs sync every `sync_interval_mins` until the server stops. The interval
/// is read at start; whether LDAP is on is checked at every tick, so a
/// directory enabled from the console is synced without a restart.
pub fn spawn_scheduler(ctx: &Arc<Ctx>, workers: &Workers) {
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
    workers.spawn("directory sync", Stage::Producer, |stop| async move {
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(period) => {}
            }
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
