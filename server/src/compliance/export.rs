//! Export jobs: on demand (scoped by dates, channels, users or a hold) and
//! the daily incremental run, driven by a persisted cursor per format.

use std::collections::HashMap;
use std::io::Read;
use std::ops::ControlFlow;
use std::time::Duration;

use hearth_api::{ComplianceJob, ExportFormat, ExportRequest, JobKind, JobStatus};
use hearth_compliance::export::{self as cexport, Cursor, ExportOptions, Format, Scope};
use hearth_compliance::model::{Attachment, AttachmentSource};
use hearth_core::{Error, Result, now_millis};
use hearth_store::compliance::{self as cstore, CursorRow, JobRow};
use serde::{Deserialize, Serialize};

use super::jobs::{self, Checkpoint, Finished};
use super::records::RecordStream;
use super::{convert, holds};
use crate::auth::Auth;
use crate::files::FileStore;
use crate::state::Ctx;

/// What an export job was asked for; fixed at creation so a rerun after a
/// crash covers exactly the same records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportParams {
    pub format: ExportFormat,
    pub from: Option<i64>,
    /// Exclusive upper bound on record time.
    pub until: i64,
    pub channels: Option<Vec<String>>,
    pub users: Option<Vec<String>>,
    pub hold_id: Option<String>,
    /// The incremental cursor this job reads and advances.
    pub cursor: Option<String>,
    #[serde(default)]
    pub profile: hearth_api::ExportProfile,
}

/// The cursor name of the daily export in `format`.
pub fn daily_cursor(format: ExportFormat) -> String {
    format!("daily-{}", format.as_str())
}

/// Starts an on-demand export.
pub fn start(ctx: &Ctx, auth: &Auth, req: ExportRequest) -> Result<ComplianceJob> {
    super::require_manage(auth)?;
    let now = now_millis();
    let until = req.until.unwrap_or(now);
    if req.from.is_some_and(|f| f >= until) {
        return Err(Error::invalid("from must be before until"));
    }
    if let Some(h) = req.hold_id {
        ctx.store
            .read(|c| Ok(cstore::hold(c, &h.to_string())?))?
            .ok_or(Error::NotFound("legal hold"))?;
    }
    let ids =
        |v: Option<Vec<hearth_core::Id>>| v.map(|v| v.iter().map(ToString::to_string).collect());
    let params = ExportParams {
        format: req.format,
        from: req.from,
        until,
        channels: ids(req.channels),
        users: ids(req.users),
        hold_id: req.hold_id.map(|h| h.to_string()),
        cursor: None,
        profile: req.profile,
    };
    jobs::enqueue(
        ctx,
        Some(auth),
        JobKind::Export,
        serde_json::to_value(&params).unwrap_or_default(),
        false,
    )
}

/// Runs the incremental export of `format` now rather than at its daily
/// time; one at a time per format, so two runs never read the same cursor.
pub fn start_incremental(ctx: &Ctx, auth: &Auth, format: ExportFormat) -> Result<ComplianceJob> {
    super::require_manage(auth)?;
    let name = daily_cursor(format);
    let busy = ctx.store.read(|c| {
        Ok(cstore::jobs(c, Some(JobKind::Export), 200)?
            .iter()
            .filter(|j| matches!(j.status, JobStatus::Queued | JobStatus::Running))
            .any(|j| {
                serde_json::from_str::<ExportParams>(&j.params)
                    .is_ok_and(|p| p.cursor.as_deref() == Some(name.as_str()))
            }))
    })?;
    if busy {
        return Err(Error::conflict(format!(
            "an incremental {} export is already queued or running",
            format.as_str()
        )));
    }
    queue_incremental(ctx, Some(auth), format)
}

/// Queues the daily incremental export for `format`, bounded a little in
/// the past so records still being committed wait for the next run.
pub fn start_daily(ctx: &Ctx, format: ExportFormat) -> Result<ComplianceJob> {
    queue_incremental(ctx, None, format)
}

fn queue_incremental(
    ctx: &Ctx,
    auth: Option<&Auth>,
    format: ExportFormat,
) -> Result<ComplianceJob> {
    let margin = i64::try_from(ctx.config().compliance.late_commit_margin_secs).unwrap_or(0) * 1000;
    let params = ExportParams {
        format,
        from: None,
        until: now_millis() - margin,
        channels: None,
        users: None,
        hold_id: None,
        cursor: Some(daily_cursor(format)),
        profile: hearth_api::ExportProfile::Hearth,
    };
    jobs::enqueue(
        ctx,
        auth,
        JobKind::Export,
        serde_json::to_value(&params).unwrap_or_default(),
        auth.is_none(),
    )
}

/// Reads attachment bytes from the content-addressed file store.
pub struct StoredFiles<'a>(pub &'a FileStore);

impl AttachmentSource for StoredFiles<'_> {
    fn open(&self, _post_id: &str, a: &Attachment) -> std::io::Result<Box<dyn Read + '_>> {
        let path = self
            .0
            .path(&a.sha256, None)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::NotFound, e.to_string()))?;
        Ok(Box::new(std::fs::File::open(path)?))
    }
}

fn lib_format(f: ExportFormat) -> Format {
    match f {
        ExportFormat::Actiance => Format::Actiance,
        ExportFormat::GlobalRelay => Format::GlobalRelay,
        ExportFormat::Csv => Format::Csv,
    }
}

/// Channel → team, for every channel.
pub fn team_map(channels: &[hearth_store::models::ChannelRow]) -> HashMap<String, Option<String>> {
    channels
        .iter()
        .map(|c| (c.id.clone(), c.team_id.clone()))
        .collect()
}

pub fn run(ctx: &Ctx, job: &JobRow, cp: &mut Checkpoint) -> Result<Finished> {
    let params: ExportParams = serde_json::from_str(&job.params)
        .map_err(|e| Error::internal(format!("bad export parameters: {e}")))?;
    let (users, channels, hold, after, history, audit_head) = ctx.store.read(|c| {
        let hold = match &params.hold_id {
            Some(h) => Some(cstore::hold(c, h)?.ok_or(Error::NotFound("legal hold"))?),
            None => None,
        };
        let after = match &params.cursor {
            Some(name) => cstore::cursor(c, name)?.map(|r| Cursor {
                at: r.at,
                id: r.record_id,
            }),
            None => None,
        };
        Ok((
            cstore::all_users(c)?,
            cstore::all_channels(c)?,
            hold,
            after,
            cstore::membership_history(c)?,
            hearth_store::audit::head(c)?,
        ))
    })?;
    let directory =
        convert::directory(&users, &channels).with_members(convert::member_spans(&history));
    let mut options = ExportOptions::new(lib_format(params.format), job.created_at, &job.id);
    options.batch_size = ctx.config().compliance.export_batch_size;
    options.profile = match params.profile {
        hearth_api::ExportProfile::Hearth => cexport::Profile::Hearth,
        hearth_api::ExportProfile::Mattermost => cexport::Profile::Mattermost,
    };
    options.after = after.clone();
    options.audit_head = audit_head.map(|h| cexport::AuditHead {
        seq: u64::try_from(h.seq).unwrap_or(0),
        hash: h.hash,
    });
    options.scope = Scope {
        from: params.from,
        until: Some(params.until),
        channels: params.channels.clone(),
        users: params.users.clone(),
        hold: hold.as_ref().map(convert::hold),
    };
    let stream_from = match (&after, params.from) {
        (Some(c), Some(f)) => c.at.max(f),
        (Some(c), None) => c.at,
        (None, Some(f)) => f,
        (None, None) => i64::MIN,
    };
    let records = RecordStream::new(
        ctx.store.clone(),
        team_map(&channels),
        stream_from,
        params.until,
        ctx.config().compliance.export_batch_size,
        Duration::from_millis(ctx.config().compliance.export_page_pause_ms),
    );
    // Incremental runs cover records by when they entered Hearth, so
    // imported history older than the cursor is never skipped.
    let records = if params.cursor.is_some() {
        records.by_arrival()
    } else {
        records
    };
    let out = jobs::create_part(ctx, &job.id)?;
    let mut stop: Option<Error> = None;
    let outcome = cexport::export(
        &options,
        &directory,
        &StoredFiles(&ctx.files),
        records,
        out,
        &mut |p| {
            cp.progress.done = p.records_done;
            cp.progress.written = p.exported;
            match cp.tick() {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    stop = Some(e);
                    ControlFlow::Break(())
                }
            }
        },
    );
    let outcome = match (outcome, stop) {
        (_, Some(e)) => return Err(e),
        (Err(e), None) => return Err(Error::internal(format!("export: {e}"))),
        (Ok(o), None) => o,
    };
    let path = jobs::seal(ctx, &job.id, outcome.writer)?;
    let cursor = match (&params.cursor, &outcome.cursor) {
        (Some(name), Some(c)) if Some(c) != after.as_ref() => Some(CursorRow {
            name: name.clone(),
            at: c.at,
            record_id: c.id.clone(),
            job_id: job.id.clone(),
            updated_at: now_millis(),
        }),
        _ => None,
    };
    let day = jiff::Timestamp::from_millisecond(job.created_at)
        .map(|t| t.strftime("%Y%m%d").to_string())
        .unwrap_or_default();
    let short: String = job.id.chars().take(8).collect();
    let name = format!("hearth-{}-{day}-{short}.zip", params.format.as_str());
    Ok(Finished {
        result: serde_json::json!({
            "counts": outcome.counts,
            "warnings": outcome.warnings,
            "manifest_sha256": outcome.manifest_sha256,
            "cursor": outcome.cursor,
            "first_exported": outcome.first_exported,
            "last_exported": outcome.last_exported,
            "peak_buffered_records": outcome.peak_buffered_records,
        }),
        file: Some((name, path)),
        cursor,
        audit_action: "compliance.export.succeeded",
    })
}

/// Where the daily exports stand.
pub fn cursors(ctx: &Ctx, auth: &Auth) -> Result<Vec<hearth_api::ExportCursorState>> {
    super::require_manage(auth)?;
    ctx.store.read(|c| {
        let mut out = Vec::new();
        for f in [
            ExportFormat::Actiance,
            ExportFormat::GlobalRelay,
            ExportFormat::Csv,
        ] {
            if let Some(r) = cstore::cursor(c, &daily_cursor(f))? {
                out.push(hearth_api::ExportCursorState {
                    name: r.name,
                    at: r.at,
                    record_id: r.record_id,
                    job_id: hearth_store::parse_id(&r.job_id),
                    updated_at: r.updated_at,
                });
            }
        }
        Ok(out)
    })
}

/// An active hold must exist for a hold export to be started from it.
pub fn start_for_hold(
    ctx: &Ctx,
    auth: &Auth,
    hold_id: hearth_core::Id,
    format: ExportFormat,
) -> Result<ComplianceJob> {
    let _ = holds::get(ctx, auth, hold_id)?;
    start(
        ctx,
        auth,
        ExportRequest {
            format,
            from: None,
            until: None,
            channels: None,
            users: None,
            hold_id: Some(hold_id),
            profile: Default::default(),
        },
    )
}
