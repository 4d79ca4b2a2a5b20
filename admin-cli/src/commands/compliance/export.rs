//! `hearthctl export …`: exports, incremental exports, cursors and jobs.

use hearth_api::{ExportFormat, ExportRequest, JobKind};

use super::ids;
use super::jobs::{download, finish, job_text, jobs_text};
use crate::cli::ExportCmd;
use crate::commands::Ctx;
use crate::commands::audit::parse_time;
use crate::exit::{CliError, Result};
use crate::output::{table, time};

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

impl From<crate::cli::ArchiveFormat> for ExportFormat {
    fn from(f: crate::cli::ArchiveFormat) -> Self {
        match f {
            crate::cli::ArchiveFormat::Actiance => ExportFormat::Actiance,
            crate::cli::ArchiveFormat::GlobalRelay => ExportFormat::GlobalRelay,
            crate::cli::ArchiveFormat::Csv => ExportFormat::Csv,
        }
    }
}
