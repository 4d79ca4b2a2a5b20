//! `hearthctl ldap …`: directory diagnostics and synchronisation.

use hearth_api::{LdapDiagnosis, LdapSyncReport};

use super::Ctx;
use crate::cli::LdapCmd;
use crate::connect;
use crate::exit::{CliError, Result};
use crate::output::{fields, opt_time, steps, table, time, yes_no};

/// A sync of a large directory runs for minutes.
const SYNC_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3600);

pub async fn run(ctx: &Ctx, cmd: LdapCmd) -> Result<()> {
    match cmd {
        LdapCmd::Test => {
            let d = ctx.client()?.ldap_test().await?;
            diagnosis(ctx, &d)
        }
        LdapCmd::TestUser { login, password } => {
            let d = ctx
                .client()?
                .ldap_test_user(&login, password.as_deref())
                .await?;
            diagnosis(ctx, &d)
        }
        LdapCmd::Sync => {
            let c = connect::client_with_timeout(&ctx.global, SYNC_TIMEOUT)?;
            let spinner = ctx.out.spinner("synchronising the directory");
            let r = c.ldap_sync().await;
            if let Some(pb) = spinner {
                pb.finish_and_clear();
            }
            let report = r?;
            ctx.out.emit(&report, || report_text(&report))
        }
        LdapCmd::Status => {
            let s = ctx.client()?.ldap_status().await?;
            ctx.out.emit(&s, || {
                let mut text = fields(vec![
                    ("enabled", yes_no(s.enabled)),
                    ("running", yes_no(s.running)),
                    ("interval", format!("{} min", s.sync_interval_mins)),
                    ("next sync", opt_time(s.next_sync_at)),
                    (
                        "last error",
                        s.last_error.clone().unwrap_or_else(|| "-".into()),
                    ),
                ]);
                if let Some(r) = &s.last_sync {
                    text.push_str("\nLast sync:\n");
                    text.push_str(&report_text(r));
                }
                text
            })
        }
    }
}

/// Prints the steps; a failed diagnosis exits 1 so scripts notice.
fn diagnosis(ctx: &Ctx, d: &LdapDiagnosis) -> Result<()> {
    ctx.out.emit(d, || {
        steps(d.steps.iter().map(|s| {
            (
                s.check.as_str(),
                s.status.as_str(),
                s.detail.as_str(),
                s.elapsed_ms,
            )
        }))
    })?;
    if d.ok {
        Ok(())
    } else {
        let failed = d.steps.iter().find(|s| s.status == "failed");
        Err(CliError::Other(match failed {
            Some(s) => format!("the {} check failed: {}", s.check, s.detail),
            None => "the directory check failed".into(),
        }))
    }
}

fn report_text(r: &LdapSyncReport) -> String {
    let mut text = fields(vec![
        ("started", time(r.started_at)),
        ("finished", time(r.finished_at)),
        ("users seen", r.users_seen.to_string()),
        ("groups seen", r.groups_seen.to_string()),
        ("created", r.created.to_string()),
        ("updated", r.updated.to_string()),
        ("deactivated", r.deactivated.to_string()),
        ("reactivated", r.reactivated.to_string()),
        ("memberships added", r.memberships_added.to_string()),
        ("memberships removed", r.memberships_removed.to_string()),
        ("role changes", r.role_changes.to_string()),
        ("issues", r.issues.to_string()),
    ]);
    if !r.errors.is_empty() {
        text.push('\n');
        text.push_str(&table(
            &["issue", "subject", "detail"],
            r.errors
                .iter()
                .map(|e| vec![e.code.clone(), e.subject.clone(), e.detail.clone()]),
        ));
    }
    text
}
