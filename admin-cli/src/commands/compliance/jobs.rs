//! Compliance jobs as the commands show them: waiting for one, its
//! details, and saving its archive.

use std::time::Duration;

use hearth_api::{ComplianceJob, JobStatus};
use hearth_client::Client;
use uuid::Uuid;

use crate::commands::Ctx;
use crate::exit::{CliError, Result};
use crate::output::{fields, opt_time, table, time, yes_no};

/// How often a waiting command asks for a job's progress.
const POLL: Duration = Duration::from_millis(500);

pub(super) fn jobs_text(js: &[ComplianceJob]) -> String {
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

pub(super) fn job_text(j: &ComplianceJob) -> String {
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
pub(in crate::commands) async fn finish(
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

pub(super) async fn download(
    ctx: &Ctx,
    c: &Client,
    job: Uuid,
    output: &std::path::Path,
) -> Result<()> {
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
