//! The job runner: one job at a time, persisted so that a restart resumes.
//!
//! A job's output is written to `<id>.zip.part` and renamed only when
//! complete; its status, result and (for incremental exports) the new
//! cursor are committed in one transaction after that. A crash anywhere
//! before the commit leaves the job `running`, which the next start turns
//! back into `queued`: the rerun reads the same cursor and the same fixed
//! time bounds, so it produces the same export.

use std::sync::Weak;
use std::time::{Duration, Instant};

use hearth_api::{ComplianceJob, JobKind, JobProgress, JobStatus};
use hearth_core::{Error, Id, Result, new_id, now_millis};
use hearth_store::compliance::{self as cstore, CursorRow, JobRow};
use tokio_util::sync::CancellationToken;

use super::convert;
use crate::auth::Auth;
use crate::services::audit;
use crate::state::Ctx;

/// How often an idle runner looks for work it was not woken for.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// How often a running job saves its progress and checks for cancellation.
const CHECKPOINT: Duration = Duration::from_millis(500);

/// What a finished job leaves behind.
pub struct Finished {
    pub result: serde_json::Value,
    /// `(download name, path)` of the archive.
    pub file: Option<(String, std::path::PathBuf)>,
    /// The incremental export cursor to store with the result.
    pub cursor: Option<CursorRow>,
    pub audit_action: &'static str,
}

/// A job ended early because someone cancelled it.
pub const CANCELLED: &str = "job cancelled";
/// A job ended early because the server is stopping; it stays `running`
/// and is queued again at the next start, like after a crash.
const STOPPING: &str = "server stopping";

/// Progress reporting and cancellation, shared by the job kinds.
pub struct Checkpoint<'a> {
    ctx: &'a Ctx,
    id: String,
    last: Instant,
    stop: CancellationToken,
    pub progress: JobProgress,
}

impl<'a> Checkpoint<'a> {
    fn new(ctx: &'a Ctx, id: &str, stop: CancellationToken) -> Self {
        Checkpoint {
            ctx,
            id: id.to_string(),
            stop,
            last: Instant::now(),
            progress: JobProgress::default(),
        }
    }

    /// Saves progress at most every [`CHECKPOINT`]; errors with [`CANCELLED`]
    /// once the job was asked to stop, at once when the server is stopping.
    pub fn tick(&mut self) -> Result<()> {
        if self.stop.is_cancelled() {
            return Err(Error::Conflict(STOPPING.into()));
        }
        if self.last.elapsed() < CHECKPOINT {
            return Ok(());
        }
        self.flush()
    }

    pub fn flush(&mut self) -> Result<()> {
        self.last = Instant::now();
        let progress = serde_json::to_string(&self.progress).unwrap_or_default();
        // A write, so it takes its turn with every other writer (SQLite).
        let status = self.ctx.store.write(|tx| {
            cstore::set_job_progress(tx.conn, &self.id, &progress)?;
            Ok(cstore::job(tx.conn, &self.id)?.map(|j| j.status))
        })?;
        if status == Some(JobStatus::Cancelling) {
            return Err(Error::Conflict(CANCELLED.into()));
        }
        Ok(())
    }
}

/// Queues a job and wakes the runner.
pub fn enqueue(
    ctx: &Ctx,
    by: Option<&Auth>,
    kind: JobKind,
    params: serde_json::Value,
    scheduled: bool,
) -> Result<ComplianceJob> {
    let row = JobRow {
        id: new_id().to_string(),
        kind,
        status: JobStatus::Queued,
        params: params.to_string(),
        progress: serde_json::to_string(&JobProgress::default()).unwrap_or_default(),
        result: None,
        error: None,
        attempts: 0,
        scheduled,
        created_by: by.map(|a| a.user.id.clone()),
        created_at: now_millis(),
        started_at: None,
        finished_at: None,
        file_name: None,
        file_size: None,
        file_sha256: None,
    };
    ctx.store.write(|tx| {
        cstore::insert_job(tx.conn, &row)?;
        audit::record(
            tx,
            by.map(Auth::user_id),
            &format!("compliance.{}.start", row.kind.as_str()),
            "compliance_job",
            Some(row.id.clone()),
            serde_json::json!({ "params": params, "scheduled": scheduled }),
        )
    })?;
    ctx.compliance.wake.notify_one();
    Ok(convert::job_to_api(&row))
}

pub fn get(ctx: &Ctx, auth: &Auth, id: Id) -> Result<ComplianceJob> {
    super::require_manage(auth)?;
    let row = ctx
        .store
        .read(|c| Ok(cstore::job(c, &id.to_string())?))?
        .ok_or(Error::NotFound("job"))?;
    Ok(convert::job_to_api(&row))
}

pub fn list(
    ctx: &Ctx,
    auth: &Auth,
    kind: Option<JobKind>,
    limit: u32,
) -> Result<Vec<ComplianceJob>> {
    super::require_manage(auth)?;
    let rows = ctx
        .store
        .read(|c| Ok(cstore::jobs(c, kind, i64::from(limit.clamp(1, 500)))?))?;
    Ok(rows.iter().map(convert::job_to_api).collect())
}

/// Cancels a queued job at once, a running one at its next checkpoint.
pub fn cancel(ctx: &Ctx, auth: &Auth, id: Id) -> Result<ComplianceJob> {
    super::require_manage(auth)?;
    let id = id.to_string();
    let row = ctx.store.write(|tx| {
        let done = cstore::transition_job(tx.conn, &id, JobStatus::Queued, JobStatus::Cancelled)?
            || cstore::transition_job(tx.conn, &id, JobStatus::Running, JobStatus::Cancelling)?;
        let row = cstore::job(tx.conn, &id)?.ok_or(Error::NotFound("job"))?;
        if !done {
            return Err(Error::conflict(format!(
                "the job is already {}",
                row.status.as_str()
            )));
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            &format!("compliance.{}.cancel", row.kind.as_str()),
            "compliance_job",
            Some(row.id.clone()),
            serde_json::json!({}),
        )?;
        Ok(row)
    })?;
    Ok(convert::job_to_api(&row))
}

/// Turns jobs a previous process left running back into queued ones and
/// removes their partial files. Called once at start, before the runner.
pub fn recover(ctx: &Ctx) -> Result<u64> {
    let dir = ctx.config().exports_dir();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "part") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    ctx.store.write(|tx| {
        let mut n = 0;
        while let Some(j) = cstore::oldest_with_status(tx.conn, JobStatus::Running)? {
            cstore::transition_job(tx.conn, &j.id, JobStatus::Running, JobStatus::Queued)?;
            n += 1;
        }
        while let Some(j) = cstore::oldest_with_status(tx.conn, JobStatus::Cancelling)? {
            cstore::transition_job(tx.conn, &j.id, JobStatus::Cancelling, JobStatus::Cancelled)?;
        }
        Ok(n)
    })
}

/// Runs queued jobs until `stop` is cancelled (or the server's context is
/// dropped). A job running then stops at its next checkpoint and stays
/// `running`, so the next start queues it again.
pub async fn run(ctx: Weak<Ctx>, stop: CancellationToken) {
    let Some(wake) = ctx.upgrade().map(|c| c.compliance.wake.clone()) else {
        return;
    };
    while !stop.is_cancelled() {
        let notified = wake.notified();
        let Some(ctx) = ctx.upgrade() else { return };
        let job_stop = stop.clone();
        let ran = tokio::task::spawn_blocking(move || run_next(&ctx, &job_stop)).await;
        match ran {
            Ok(Ok(true)) => continue,
            Ok(Ok(false)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "compliance job runner"),
            Err(e) => tracing::error!(error = %e, "compliance job runner panicked"),
        }
        tokio::select! {
            () = stop.cancelled() => {}
            () = notified => {}
            () = tokio::time::sleep(IDLE_POLL) => {}
        }
    }
}

/// Runs the oldest queued job, if any. Returns whether there was one.
fn run_next(ctx: &Ctx, stop: &CancellationToken) -> Result<bool> {
    let Some(mut row) = ctx
        .store
        .read(|c| Ok(cstore::oldest_with_status(c, JobStatus::Queued)?))?
    else {
        return Ok(false);
    };
    let claimed = ctx.store.write(|tx| {
        if !cstore::transition_job(tx.conn, &row.id, JobStatus::Queued, JobStatus::Running)? {
            return Ok(false);
        }
        row.status = JobStatus::Running;
        row.attempts += 1;
        row.started_at = Some(now_millis());
        row.error = None;
        cstore::save_job(tx.conn, &row)?;
        Ok(true)
    })?;
    if !claimed {
        return Ok(true);
    }
    tracing::info!(job = %row.id, kind = row.kind.as_str(), attempt = row.attempts, "compliance job started");
    let mut cp = Checkpoint::new(ctx, &row.id, stop.clone());
    let outcome = match row.kind {
        JobKind::Export => super::export::run(ctx, &row, &mut cp),
        JobKind::UserExport => super::dsr::run_user_export(ctx, &row, &mut cp),
        JobKind::Purge => super::purge::run_job(ctx, &row, &mut cp),
    };
    if matches!(&outcome, Err(Error::Conflict(m)) if m == STOPPING) {
        tracing::info!(job = %row.id, "compliance job interrupted by shutdown; it runs again at the next start");
        return Ok(false);
    }
    let progress = serde_json::to_string(&cp.progress).unwrap_or_default();
    finish(ctx, row, outcome, progress)?;
    Ok(true)
}

fn finish(ctx: &Ctx, mut row: JobRow, outcome: Result<Finished>, progress: String) -> Result<()> {
    row.progress = progress;
    row.finished_at = Some(now_millis());
    match outcome {
        Ok(done) => {
            if let Some((name, path)) = &done.file {
                let (size, sha) = file_digest(path)?;
                row.file_name = Some(name.clone());
                row.file_size = Some(i64::try_from(size).unwrap_or(i64::MAX));
                row.file_sha256 = Some(sha);
            }
            row.status = JobStatus::Succeeded;
            row.result = Some(done.result.to_string());
            let details = serde_json::json!({
                "result": done.result,
                "file_sha256": row.file_sha256,
            });
            ctx.store.write(|tx| {
                cstore::save_job(tx.conn, &row)?;
                if let Some(c) = &done.cursor {
                    cstore::put_cursor(tx.conn, c)?;
                }
                audit::record(
                    tx,
                    row.created_by.as_deref().map(hearth_store::parse_id),
                    done.audit_action,
                    "compliance_job",
                    Some(row.id.clone()),
                    details,
                )
            })?;
            tracing::info!(job = %row.id, "compliance job succeeded");
        }
        Err(e) => {
            let cancelled = matches!(&e, Error::Conflict(m) if m == CANCELLED);
            row.status = if cancelled {
                JobStatus::Cancelled
            } else {
                JobStatus::Failed
            };
            row.error = Some(if cancelled {
                CANCELLED.to_string()
            } else {
                e.to_string()
            });
            let _ = std::fs::remove_file(part_path(ctx, &row.id));
            if !cancelled {
                tracing::error!(job = %row.id, error = %e, "compliance job failed");
            }
            ctx.store.write(|tx| {
                cstore::save_job(tx.conn, &row)?;
                audit::record(
                    tx,
                    None,
                    &format!("compliance.{}.{}", row.kind.as_str(), row.status.as_str()),
                    "compliance_job",
                    Some(row.id.clone()),
                    serde_json::json!({ "error": row.error }),
                )
            })?;
        }
    }
    Ok(())
}

/// Where a job writes while it runs.
pub fn part_path(ctx: &Ctx, id: &str) -> std::path::PathBuf {
    ctx.config().exports_dir().join(format!("{id}.zip.part"))
}

/// Where a finished job's archive lives.
pub fn final_path(ctx: &Ctx, id: &str) -> std::path::PathBuf {
    ctx.config().exports_dir().join(format!("{id}.zip"))
}

/// Makes a finished archive durable and moves it to its final name; until
/// then a crash leaves only a `.part` file, which the next start removes.
pub fn seal(
    ctx: &Ctx,
    id: &str,
    writer: std::io::BufWriter<std::fs::File>,
) -> Result<std::path::PathBuf> {
    let file = writer
        .into_inner()
        .map_err(|e| Error::internal(format!("flushing the export: {e}")))?;
    file.sync_all()
        .map_err(|e| Error::internal(format!("{e}")))?;
    drop(file);
    let path = final_path(ctx, id);
    std::fs::rename(part_path(ctx, id), &path).map_err(|e| Error::internal(format!("{e}")))?;
    Ok(path)
}

/// Creates the `.part` file a job writes its archive to.
pub fn create_part(ctx: &Ctx, id: &str) -> Result<std::io::BufWriter<std::fs::File>> {
    std::fs::create_dir_all(ctx.config().exports_dir())
        .map_err(|e| Error::internal(format!("{e}")))?;
    let file =
        std::fs::File::create(part_path(ctx, id)).map_err(|e| Error::internal(format!("{e}")))?;
    Ok(std::io::BufWriter::new(file))
}

fn file_digest(path: &std::path::Path) -> Result<(u64, String)> {
    use sha2::Digest;
    let mut f = std::fs::File::open(path).map_err(|e| Error::internal(format!("{e}")))?;
    let mut h = sha2::Sha256::new();
    let n = std::io::copy(&mut f, &mut h).map_err(|e| Error::internal(format!("{e}")))?;
    Ok((n, hex::encode(h.finalize())))
}

/// The archive of a succeeded job, for compliance officers only.
pub fn download(ctx: &Ctx, auth: &Auth, id: Id) -> Result<(String, std::path::PathBuf)> {
    super::require_content(auth)?;
    let row = ctx.store.write(|tx| {
        let row = cstore::job(tx.conn, &id.to_string())?.ok_or(Error::NotFound("job"))?;
        if row.status != JobStatus::Succeeded || row.file_name.is_none() {
            return Err(Error::conflict("the job has no archive to download"));
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.download",
            "compliance_job",
            Some(row.id.clone()),
            serde_json::json!({ "file_sha256": row.file_sha256 }),
        )?;
        Ok(row)
    })?;
    let path = final_path(ctx, &row.id);
    if !path.exists() {
        return Err(Error::NotFound("export archive"));
    }
    Ok((row.file_name.unwrap_or_default(), path))
}
