//! `hearthctl retention|hold|export …`: retention policies and purges,
//! legal holds, compliance exports and their jobs.

use std::time::Duration;

use hearth_api::{
    ComplianceJob, ExportFormat, ExportRequest, JobKind, JobStatus, LegalHold, LegalHoldRequest,
    PurgeReport, RetentionPolicies, RetentionPolicy, RetentionScope,
};
use hearth_client::Client;
use uuid::Uuid;

use super::Ctx;
use super::audit::parse_time;
use super::resolve;
use crate::cli::{ExportCmd, HoldCmd, HoldDefinition, Period, RetentionCmd, RetentionTarget};
use crate::exit::{CliError, Result};
use crate::output::{fields, opt_time, table, time, yes_no};

/// How often a waiting command asks for a job's progress.
const POLL: Duration = Duration::from_millis(500);

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

fn hold_request(
    d: HoldDefinition,
    custodians: Vec<Uuid>,
    channels: Vec<Uuid>,
) -> Result<LegalHoldRequest> {
    Ok(LegalHoldRequest {
        name: d.name,
        description: d.description.unwrap_or_default(),
        custodians,
        channels,
        include_channel_context: d.channel_context,
        start_at: d.from.as_deref().map(parse_time).transpose()?,
        end_at: d.to.as_deref().map(parse_time).transpose()?,
    })
}

async fn hold_by(c: &Client, which: &str) -> Result<LegalHold> {
    if let Ok(id) = Uuid::parse_str(which) {
        return Ok(c.legal_hold(id).await?);
    }
    let found = c
        .legal_holds(false)
        .await?
        .into_iter()
        .find(|h| h.name == which)
        .ok_or_else(|| CliError::NotFound(format!("no legal hold named '{which}'")))?;
    Ok(c.legal_hold(found.id).await?)
}

async fn ids(c: &Client, users: &[String], channels: &[String]) -> Result<(Vec<Uuid>, Vec<Uuid>)> {
    let mut u = Vec::new();
    for who in users {
        u.push(resolve::user_id(c, who).await?);
    }
    let mut ch = Vec::new();
    for which in channels {
        ch.push(resolve::channel(c, which).await?.id);
    }
    Ok((u, ch))
}

pub async fn hold(ctx: &Ctx, cmd: HoldCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        HoldCmd::List { active } => {
            let hs = c.legal_holds(active).await?;
            ctx.out.emit(&hs, || {
                table(
                    &[
                        "name",
                        "status",
                        "custodians",
                        "channels",
                        "from",
                        "to",
                        "created",
                    ],
                    hs.iter().map(|h| {
                        vec![
                            h.name.clone(),
                            format!("{:?}", h.status).to_lowercase(),
                            h.custodians.len().to_string(),
                            if h.channels.is_empty() {
                                "all".into()
                            } else {
                                h.channels.len().to_string()
                            },
                            opt_time(h.start_at),
                            opt_time(h.end_at),
                            time(h.created_at),
                        ]
                    }),
                )
            })
        }
        HoldCmd::Show { hold } => {
            let h = hold_by(&c, &hold).await?;
            ctx.out.emit(&h, || hold_text(&h))
        }
        HoldCmd::Create { def } => {
            let (u, ch) = ids(&c, &def.custodian, &def.channel).await?;
            let h = c.create_legal_hold(&hold_request(def, u, ch)?).await?;
            ctx.out
                .emit(&h, || format!("Legal hold placed.\n{}", hold_text(&h)))
        }
        HoldCmd::Update { hold, def } => {
            let current = hold_by(&c, &hold).await?;
            let (u, ch) = ids(&c, &def.custodian, &def.channel).await?;
            let h = c
                .update_legal_hold(current.id, &hold_request(def, u, ch)?)
                .await?;
            ctx.out
                .emit(&h, || format!("Legal hold changed.\n{}", hold_text(&h)))
        }
        HoldCmd::Release { hold } => {
            let current = hold_by(&c, &hold).await?;
            let h = c.release_legal_hold(current.id).await?;
            ctx.out.emit(&h, || {
                format!(
                    "Released '{}'; its content follows retention again.",
                    h.name
                )
            })
        }
        HoldCmd::Export {
            hold,
            format,
            wait,
            output,
        } => {
            let h = hold_by(&c, &hold).await?;
            let job = c.export_legal_hold(h.id, format.into()).await?;
            finish(ctx, &c, job, wait || output.is_some(), output).await
        }
    }
}

fn hold_text(h: &LegalHold) -> String {
    fields(vec![
        ("id", h.id.to_string()),
        ("name", h.name.clone()),
        ("status", format!("{:?}", h.status).to_lowercase()),
        ("description", h.description.clone()),
        (
            "custodians",
            h.custodians
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "channels",
            if h.channels.is_empty() {
                "all".into()
            } else {
                h.channels
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("channel context", yes_no(h.include_channel_context)),
        ("from", opt_time(h.start_at)),
        ("to", opt_time(h.end_at)),
        (
            "covered posts",
            h.covered_posts
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        ("created", time(h.created_at)),
        ("released", opt_time(h.released_at)),
    ])
}

pub async fn export(ctx: &Ctx, cmd: ExportCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        ExportCmd::Start {
            format,
            export_profile,
            from,
            until,
            channel,
            user,
            wait,
            output,
        } => {
            let (u, ch) = ids(&c, &user, &channel).await?;
            let req = ExportRequest {
                format: format.into(),
                from: from.as_deref().map(parse_time).transpose()?,
                until: until.as_deref().map(parse_time).transpose()?,
                channels: (!ch.is_empty()).then_some(ch),
                users: (!u.is_empty()).then_some(u),
                hold_id: None,
                profile: export_profile.into(),
            };
            let job = c.start_export(&req).await?;
            finish(ctx, &c, job, wait || output.is_some(), output).await
        }
        ExportCmd::Incremental {
            format,
            wait,
            output,
        } => {
            let job = c.start_incremental_export(format.into()).await?;
            finish(ctx, &c, job, wait || output.is_some(), output).await
        }
        ExportCmd::Cursors => {
            let cs = c.export_cursors().await?;
            ctx.out.emit(&cs, || {
                table(
                    &[
                        "cursor",
                        "last record time",
                        "last record",
                        "job",
                        "updated",
                    ],
                    cs.iter().map(|x| {
                        vec![
                            x.name.clone(),
                            time(x.at),
                            x.record_id.clone(),
                            x.job_id.to_string(),
                            time(x.updated_at),
                        ]
                    }),
                )
            })
        }
        ExportCmd::Jobs { kind, limit } => {
            let kind = kind.as_deref().map(|k| {
                JobKind::parse(k).ok_or_else(|| {
                    CliError::Usage(format!(
                        "unknown job kind '{k}' (export, purge, user_export)"
                    ))
                })
            });
            let js = c.compliance_jobs(kind.transpose()?, Some(limit)).await?;
            ctx.out.emit(&js, || jobs_text(&js))
        }
        ExportCmd::Status { job } => {
            let j = c.compliance_job(job).await?;
            ctx.out.emit(&j, || job_text(&j))
        }
        ExportCmd::Cancel { job } => {
            let j = c.cancel_compliance_job(job).await?;
            ctx.out
                .emit(&j, || format!("Job {} is {}.", j.id, j.status.as_str()))
        }
        ExportCmd::Download { job, output } => download(ctx, &c, job, &output).await,
    }
}

fn jobs_text(js: &[ComplianceJob]) -> String {
    table(
        &[
            "id", "kind", "status", "done", "written", "created", "finished", "file",
        ],
        js.iter().map(|j| {
            vec![
                j.id.to_string(),
                j.kind.as_str().into(),
                j.status.as_str().into(),
                j.progress.done.to_string(),
                j.progress.written.to_string(),
                time(j.created_at),
                opt_time(j.finished_at),
                j.file_name.clone().unwrap_or_else(|| "-".into()),
            ]
        }),
    )
}

fn job_text(j: &ComplianceJob) -> String {
    fields(vec![
        ("id", j.id.to_string()),
        ("kind", j.kind.as_str().into()),
        ("status", j.status.as_str().into()),
        ("scheduled", yes_no(j.scheduled)),
        (
            "progress",
            format!("{} read, {} written", j.progress.done, j.progress.written),
        ),
        ("attempts", j.attempts.to_string()),
        ("created", time(j.created_at)),
        ("started", opt_time(j.started_at)),
        ("finished", opt_time(j.finished_at)),
        ("file", j.file_name.clone().unwrap_or_else(|| "-".into())),
        (
            "size",
            j.file_size
                .map(|s| format!("{s} bytes"))
                .unwrap_or_else(|| "-".into()),
        ),
        (
            "sha256",
            j.file_sha256.clone().unwrap_or_else(|| "-".into()),
        ),
        ("error", j.error.clone().unwrap_or_else(|| "-".into())),
    ])
}

/// Prints the queued job, or waits for it (with a progress line on a
/// terminal), fails with exit 1 unless it succeeded, and saves the archive
/// when `output` is given.
pub(super) async fn finish(
    ctx: &Ctx,
    c: &Client,
    job: ComplianceJob,
    wait: bool,
    output: Option<std::path::PathBuf>,
) -> Result<()> {
    if !wait {
        return ctx.out.emit(&job, || {
            format!("Job {} queued ({}).", job.id, job.kind.as_str())
        });
    }
    let spinner = ctx
        .out
        .spinner(&format!("{} job {}", job.kind.as_str(), job.id));
    let j = loop {
        let j = c.compliance_job(job.id).await?;
        if let Some(pb) = &spinner {
            pb.set_message(format!(
                "{}: {} read, {} written",
                j.status.as_str(),
                j.progress.done,
                j.progress.written
            ));
        }
        if j.status.is_final() {
            break j;
        }
        tokio::time::sleep(POLL).await;
    };
    if let Some(pb) = spinner {
        pb.finish_and_clear();
    }
    if j.status != JobStatus::Succeeded {
        ctx.out.emit(&j, || job_text(&j))?;
        return Err(CliError::Other(format!(
            "the job {}: {}",
            j.status.as_str(),
            j.error.clone().unwrap_or_default()
        )));
    }
    if let Some(path) = output {
        return download(ctx, c, j.id, &path).await;
    }
    ctx.out.emit(&j, || job_text(&j))
}

async fn download(ctx: &Ctx, c: &Client, job: Uuid, output: &std::path::Path) -> Result<()> {
    let d = c.download_compliance_job(job).await?;
    std::fs::write(output, &d.bytes)
        .map_err(|e| CliError::Other(format!("cannot write {}: {e}", output.display())))?;
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&d.bytes));
    let v =
        serde_json::json!({ "job": job, "path": output, "bytes": d.bytes.len(), "sha256": sha });
    ctx.out.emit(&v, || {
        format!(
            "Saved {} ({} bytes, SHA-256 {sha}).",
            output.display(),
            d.bytes.len()
        )
    })
}

impl From<crate::cli::ArchiveFormat> for ExportFormat {
    fn from(f: crate::cli::ArchiveFormat) -> Self {
        match f {
            crate::cli::ArchiveFormat::Actiance => ExportFormat::Actiance,
            crate::cli::ArchiveFormat::GlobalRelay => ExportFormat::GlobalRelay,
            crate::cli::ArchiveFormat::Csv => ExportFormat::Csv,
        }
    }
}
