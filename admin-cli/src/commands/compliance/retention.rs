//! `hearthctl retention …`: the policies of each level, dry runs and purges.

use hearth_api::{PurgeReport, RetentionPolicies, RetentionPolicy, RetentionScope};
use hearth_client::Client;
use uuid::Uuid;

use super::jobs::finish;
use crate::cli::{Period, RetentionCmd, RetentionTarget};
use crate::commands::{Ctx, resolve};
use crate::exit::{CliError, Result};
use crate::output::{opt_time, table};

fn period_text(days: Option<u32>) -> String {
    match days {
        None => "inherit".into(),
        Some(0) => "keep forever".into(),
        Some(d) => format!("{d} days"),
    }
}

fn period_days(p: &Option<Period>, current: Option<u32>) -> Option<u32> {
    match p {
        None => current,
        Some(Period::Inherit) => None,
        Some(Period::Forever) => Some(0),
        Some(Period::Days(d)) => Some(*d),
    }
}

async fn target(c: &Client, t: &RetentionTarget) -> Result<(RetentionScope, Option<Uuid>)> {
    match (&t.team, &t.channel) {
        (Some(_), Some(_)) => Err(CliError::Usage("name a team or a channel, not both".into())),
        (Some(team), None) => Ok((RetentionScope::Team, Some(resolve::team(c, team).await?.id))),
        (None, Some(ch)) => Ok((
            RetentionScope::Channel,
            Some(resolve::channel(c, ch).await?.id),
        )),
        (None, None) => Ok((RetentionScope::Global, None)),
    }
}

pub async fn retention(ctx: &Ctx, cmd: RetentionCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        RetentionCmd::Show => {
            let p = c.retention_policies().await?;
            ctx.out.emit(&p, || policies_text(&p))
        }
        RetentionCmd::Set {
            target: t,
            messages,
            files,
        } => {
            if messages.is_none() && files.is_none() {
                return Err(CliError::Usage("give --messages and/or --files".into()));
            }
            let (scope, scope_id) = target(&c, &t).await?;
            let current = c
                .retention_policies()
                .await?
                .policies
                .into_iter()
                .find(|p| p.scope == scope && p.scope_id == scope_id);
            let policy = RetentionPolicy {
                scope,
                scope_id,
                messages_days: period_days(
                    &messages,
                    current.as_ref().and_then(|p| p.messages_days),
                ),
                files_days: period_days(&files, current.as_ref().and_then(|p| p.files_days)),
                updated_at: None,
            };
            let p = c.set_retention(&policy).await?;
            ctx.out.emit(&p, || {
                format!(
                    "Retention for {}: messages {}, files {}.",
                    scope_text(&p),
                    period_text(p.messages_days),
                    period_text(p.files_days)
                )
            })
        }
        RetentionCmd::Remove { target: t } => {
            let (scope, scope_id) = target(&c, &t).await?;
            c.delete_retention(scope, scope_id).await?;
            let v = serde_json::json!({ "removed": true, "scope": scope, "scope_id": scope_id });
            ctx.out.emit(&v, || {
                "Removed; that level follows the less specific one again.".into()
            })
        }
        RetentionCmd::DryRun => {
            let r = c.retention_dry_run().await?;
            ctx.out.emit(&r, || report_text(&r))
        }
        RetentionCmd::Run { wait } => {
            let job = c.retention_run().await?;
            finish(ctx, &c, job, wait, None).await
        }
    }
}

fn scope_text(p: &RetentionPolicy) -> String {
    match (p.scope, p.scope_id) {
        (RetentionScope::Global, _) => "the global default".into(),
        (s, Some(id)) => format!("{} {id}", s.as_str()),
        (s, None) => s.as_str().into(),
    }
}

fn policies_text(p: &RetentionPolicies) -> String {
    let rows = p.policies.iter().map(|x| {
        vec![
            x.scope.as_str().to_string(),
            x.scope_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into()),
            period_text(x.messages_days),
            period_text(x.files_days),
            opt_time(x.updated_at),
        ]
    });
    format!(
        "{}\nDaily purge: {}",
        table(
            &["level", "team/channel", "messages", "files", "updated"],
            rows
        ),
        p.purge_time
            .clone()
            .map(|t| format!("{t} UTC"))
            .unwrap_or_else(|| "off".into())
    )
}

fn report_text(r: &PurgeReport) -> String {
    let rows = r.channels.iter().map(|c| {
        vec![
            c.channel_id.to_string(),
            c.posts.to_string(),
            c.files.to_string(),
            c.file_bytes.to_string(),
            c.held_posts.to_string(),
            opt_time(c.oldest),
            opt_time(c.newest),
        ]
    });
    format!(
        "{}\n{} posts and {} files ({} bytes) {}; {} expired posts kept by legal holds.",
        table(
            &[
                "channel", "posts", "files", "bytes", "held", "oldest", "newest"
            ],
            rows
        ),
        r.posts,
        r.files,
        r.file_bytes,
        if r.dry_run {
            "would be deleted"
        } else {
            "deleted"
        },
        r.held_posts
    )
}
