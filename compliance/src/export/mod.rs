//! Compliance exports: Actiance XML, GlobalRelay EML and CSV, written as a
//! streaming zip with a manifest.
//!
//! Records are consumed in `(at, id)` order and buffered in batches of at
//! most [`ExportOptions::batch_size`]; each full batch is written out (one
//! export file, or one EML per conversation-day, plus that batch's
//! attachments) and dropped, so memory depends on the batch size, never on
//! the size of the export.
//!
//! # Incremental exports
//!
//! A [`Cursor`] is the key of the last record a job consumed. A job given
//! `after: Some(cursor)` skips every record at or before it. The new cursor
//! is returned only by a successful [`export`]; a job that fails or is
//! cancelled returns an error and no cursor, so the caller keeps the old one
//! and a rerun covers the same records again: no gaps, no duplicates.

mod actiance;
mod csvfmt;
mod eml;

use std::io::{Seek, Write};
use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::archive::{ArchiveWriter, attachment_paths};
use crate::error::{ComplianceError, Result};
use crate::holds::{HoldStatus, LegalHold, covers};
use crate::model::{AttachmentSource, Directory, Event, Millis, Post, Record};

pub use eml::{encode_header_text, format_mailbox};

/// The CSV export's column names, in order.
pub fn csv_columns() -> &'static [&'static str] {
    &csvfmt::CSV_COLUMNS
}

/// Which export format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Smarsh/Actiance Vantage XML, one `FileDump` per batch.
    Actiance,
    /// RFC 5322 messages for GlobalRelay, one per channel per UTC day per batch.
    GlobalRelay,
    /// One CSV row per event.
    Csv,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Actiance => "actiance",
            Format::GlobalRelay => "globalrelay",
            Format::Csv => "csv",
        }
    }
}

/// Which records an export includes. All set filters must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Earliest event time included.
    pub from: Option<Millis>,
    /// Events at or after this time are left for a later job: the export
    /// stops reading there and its cursor stays before them. Setting it a
    /// little in the past keeps late-committed records out of a daily run
    /// instead of skipping them.
    pub until: Option<Millis>,
    /// Only these channels.
    pub channels: Option<Vec<String>>,
    /// Only events by or about these users (author, member or actor).
    pub users: Option<Vec<String>>,
    /// Only what this hold covers. The hold's rules are applied even if it
    /// has been released, so a released hold's content can still be produced.
    pub hold: Option<LegalHold>,
}

impl Scope {
    /// Whether the record is in scope.
    pub fn matches(&self, r: &Record) -> bool {
        if self.from.is_some_and(|f| r.at < f) || self.until.is_some_and(|u| r.at >= u) {
            return false;
        }
        let channel = r.event.channel_id();
        if self
            .channels
            .as_ref()
            .is_some_and(|cs| !cs.iter().any(|c| c == channel))
        {
            return false;
        }
        if let Some(users) = &self.users {
            let (user, actor) = (r.event.user_id(), r.event.actor_id());
            if !users.iter().any(|u| u == user || u == actor) {
                return false;
            }
        }
        if let Some(hold) = &self.hold {
            let mut hold = hold.clone();
            hold.status = HoldStatus::Active;
            let held = match &r.event {
                Event::Membership(_) | Event::Reaction(_) => {
                    let probe = Post {
                        id: String::new(),
                        channel_id: r.event.channel_id().to_string(),
                        team_id: None,
                        author_id: r.event.user_id().to_string(),
                        root_id: None,
                        message: String::new(),
                        created_at: r.at,
                        edited_at: None,
                        deleted_at: None,
                        deleted_by: None,
                        attachments: Vec::new(),
                        history: Vec::new(),
                    };
                    covers(&hold, &probe)
                }
                _ => r.event.post().is_some_and(|p| covers(&hold, p)),
            };
            if !held {
                return false;
            }
        }
        true
    }
}

/// Position in the record stream: the key of the last record consumed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Cursor {
    pub at: Millis,
    pub id: String,
}

impl Cursor {
    /// The cursor positioned at `r`.
    pub fn of(r: &Record) -> Cursor {
        Cursor {
            at: r.at,
            id: r.id.clone(),
        }
    }

    fn is_after(&self, r: &Record) -> bool {
        (r.at, r.id.as_str()) <= (self.at, self.id.as_str())
    }
}

/// How an export runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    pub format: Format,
    pub scope: Scope,
    /// Cursor returned by the previous successful export, if any.
    pub after: Option<Cursor>,
    /// Records per batch (bounds memory); at least 1.
    pub batch_size: usize,
    /// When the job started; written into the metadata.
    pub created_at: Millis,
    /// The server's id for this job; written into the metadata.
    pub job_id: String,
    /// Number of records the stream will yield, when the server knows it.
    pub total_hint: Option<u64>,
    /// The audit log's newest entry when the job ran, written into the
    /// manifest so that an operator holding the archive can later check the
    /// log still contains it (see [`crate::audit::verify_segment`]).
    pub audit_head: Option<AuditHead>,
    /// Largest GlobalRelay message, text plus attachments, in bytes: a
    /// conversation-day over it is split into several messages, and a post
    /// whose files alone exceed it is sent without them (named in the
    /// transcript and the warnings). GlobalRelay accepts 250 MiB.
    pub max_message_bytes: u64,
    /// Hearth's layout, or Mattermost's for archives that already ingest it.
    pub profile: Profile,
}

/// The layout of an export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Every event with its record id, in Hearth's columns.
    #[default]
    Hearth,
    /// Mattermost's layout, so an archive already ingesting Mattermost's
    /// exports takes the output unchanged: CSV with its columns, post types
    /// and `posts.csv` file name; Actiance as `actiance_export.xml`;
    /// GlobalRelay messages named `<channel> - (<id>) - <n>.eml` with its
    /// message type and `X-Mattermost-Channel*` headers.
    Mattermost,
}

/// The largest message GlobalRelay accepts.
pub const GLOBALRELAY_MAX_MESSAGE_BYTES: u64 = 250 << 20;

/// An audit log position: the sequence number and hex hash of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: u64,
    pub hash: String,
}

impl ExportOptions {
    /// Defaults: batches of 1,000 records, everything in scope.
    pub fn new(format: Format, created_at: Millis, job_id: &str) -> Self {
        ExportOptions {
            format,
            scope: Scope::default(),
            after: None,
            batch_size: 1000,
            created_at,
            job_id: job_id.to_string(),
            total_hint: None,
            audit_head: None,
            max_message_bytes: GLOBALRELAY_MAX_MESSAGE_BYTES,
            profile: Profile::Hearth,
        }
    }
}

/// Reported after each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Records read from the stream so far.
    pub records_done: u64,
    /// The total, when given in [`ExportOptions::total_hint`].
    pub records_total: Option<u64>,
    /// Records written to the export so far (in scope, after the cursor).
    pub exported: u64,
}

/// Counts written into the metadata and returned to the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportCounts {
    pub records_read: u64,
    pub records_skipped_before_cursor: u64,
    pub records_out_of_scope: u64,
    pub records_exported: u64,
    pub posts_created: u64,
    pub posts_edited: u64,
    pub posts_deleted: u64,
    pub joins: u64,
    pub leaves: u64,
    #[serde(default)]
    pub reactions: u64,
    pub attachments: u64,
    pub attachments_missing: u64,
    pub batches: u64,
    pub export_files: u64,
}

/// The result of a completed export.
#[derive(Debug)]
pub struct ExportOutcome<W> {
    pub writer: W,
    /// Store this and pass it as `after` next time. Equals the `after` given
    /// when the stream had nothing new.
    pub cursor: Option<Cursor>,
    /// Key of the first record exported, if any.
    pub first_exported: Option<Cursor>,
    /// Key of the last record exported, if any.
    pub last_exported: Option<Cursor>,
    pub counts: ExportCounts,
    pub manifest_sha256: String,
    pub warnings: Vec<String>,
    /// Largest number of records held at once (bounded by the batch size).
    pub peak_buffered_records: usize,
    /// Largest number of message bytes held at once.
    pub peak_buffered_bytes: usize,
}

/// What the per-format writers share.
pub(crate) struct BatchContext<'a, W: Write + Seek> {
    pub archive: &'a mut ArchiveWriter<W>,
    pub directory: &'a Directory,
    pub files: &'a dyn AttachmentSource,
    pub counts: &'a mut ExportCounts,
    pub batch_no: u64,
    /// Largest GlobalRelay message, text and attachments (see
    /// [`ExportOptions::max_message_bytes`]).
    pub max_message_bytes: u64,
    pub profile: Profile,
    /// The export window: from the cursor or `scope.from` to `scope.until`,
    /// each `None` when unbounded (writers then use the batch's records).
    pub window: Window,
}

/// Start and end of an export window; `None` where unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Window {
    pub start: Option<Millis>,
    pub end: Option<Millis>,
}

impl Window {
    fn of(options: &ExportOptions) -> Window {
        let from = options.scope.from;
        let after = options.after.as_ref().map(|c| c.at);
        Window {
            start: match (from, after) {
                (Some(f), Some(a)) => Some(f.max(a)),
                (f, a) => f.or(a),
            },
            end: options.scope.until,
        }
    }

    /// The window, with the batch's first and last record times where unbounded.
    pub fn bounds(self, batch: &[Record]) -> (Millis, Millis) {
        let first = batch.first().map_or(0, |r| r.at);
        let last = batch.last().map_or(first, |r| r.at);
        (self.start.unwrap_or(first), self.end.unwrap_or(last))
    }
}

fn record_bytes(r: &Record) -> usize {
    match &r.event {
        Event::PostEdited { post, previous } => post.message.len() + previous.len(),
        Event::PostCreated { post } | Event::PostDeleted { post } => {
            post.message.len() + post.history.iter().map(|v| v.message.len()).sum::<usize>()
        }
        Event::Membership(_) => 0,
        Event::Reaction(x) => x.emoji.len() + x.post_id.len(),
    }
    .saturating_add(r.id.len() + 64)
}

/// Runs an export over `records` into `out`.
///
/// `progress` is called after every record; returning
/// `ControlFlow::Break(())` cancels the job with [`ComplianceError::Cancelled`].
pub fn export<W, I, E>(
    options: &ExportOptions,
    directory: &Directory,
    files: &dyn AttachmentSource,
    records: I,
    out: W,
    progress: &mut dyn FnMut(Progress) -> ControlFlow<()>,
) -> Result<ExportOutcome<W>>
where
    W: Write + Seek,
    I: IntoIterator<Item = std::result::Result<Record, E>>,
    E: std::fmt::Display,
{
    let batch_size = options.batch_size.max(1);
    let mut archive = ArchiveWriter::new(out);
    let mut counts = ExportCounts::default();
    let mut batch: Vec<Record> = Vec::new();
    let mut batch_bytes = 0usize;
    let (mut peak_records, mut peak_bytes) = (0usize, 0usize);
    let mut last_seen: Option<Cursor> = None;
    let mut first_exported: Option<Cursor> = None;
    let mut last_exported: Option<Cursor> = None;

    for item in records {
        let r = item.map_err(|e| ComplianceError::Source(e.to_string()))?;
        if options.scope.until.is_some_and(|u| r.at >= u) {
            break;
        }
        if let Some(prev) = &last_seen
            && (r.at, r.id.as_str()) <= (prev.at, prev.id.as_str())
        {
            return Err(ComplianceError::Unordered {
                previous: format!("{}/{}", prev.at, prev.id),
                next: format!("{}/{}", r.at, r.id),
            });
        }
        last_seen = Some(Cursor::of(&r));
        counts.records_read += 1;
        if options.after.as_ref().is_some_and(|c| c.is_after(&r)) {
            counts.records_skipped_before_cursor += 1;
        } else if !options.scope.matches(&r) {
            counts.records_out_of_scope += 1;
        } else {
            if first_exported.is_none() {
                first_exported = Some(Cursor::of(&r));
            }
            last_exported = Some(Cursor::of(&r));
            counts.records_exported += 1;
            match &r.event {
                Event::PostCreated { .. } => counts.posts_created += 1,
                Event::PostEdited { .. } => counts.posts_edited += 1,
                Event::PostDeleted { .. } => counts.posts_deleted += 1,
                Event::Reaction(_) => counts.reactions += 1,
                Event::Membership(m) => match m.change {
                    crate::model::MembershipChange::Joined => counts.joins += 1,
                    crate::model::MembershipChange::Left => counts.leaves += 1,
                },
            }
            batch_bytes += record_bytes(&r);
            batch.push(r);
            peak_records = peak_records.max(batch.len());
            peak_bytes = peak_bytes.max(batch_bytes);
            if batch.len() >= batch_size {
                flush(
                    options,
                    Window::of(options),
                    &batch,
                    &mut archive,
                    directory,
                    files,
                    &mut counts,
                )?;
                batch.clear();
                batch_bytes = 0;
            }
        }
        let p = Progress {
            records_done: counts.records_read,
            records_total: options.total_hint,
            exported: counts.records_exported,
        };
        if progress(p).is_break() {
            return Err(ComplianceError::Cancelled);
        }
    }
    if !batch.is_empty() {
        flush(
            options,
            Window::of(options),
            &batch,
            &mut archive,
            directory,
            files,
            &mut counts,
        )?;
    }
    let cursor = last_seen.or_else(|| options.after.clone());
    let warnings = archive.warnings().to_vec();
    let metadata = json!({
        "product": "Hearth",
        "kind": "compliance_export",
        "format": options.format.as_str(),
        "job_id": options.job_id,
        "created_at": options.created_at,
        "created_at_utc": crate::time::iso8601(options.created_at),
        "scope": options.scope,
        "range": {
            "from": options.scope.from,
            "until": options.scope.until,
        },
        "cursor": {
            "after": options.after,
            "until": cursor,
            "first_exported": first_exported,
            "last_exported": last_exported,
        },
        "batch_size": batch_size,
        "counts": counts,
        "audit_head": options.audit_head,
        "profile": options.profile,
    });
    let finished = archive.finish(metadata)?;
    Ok(ExportOutcome {
        writer: finished.writer,
        cursor,
        first_exported,
        last_exported,
        counts,
        manifest_sha256: finished.manifest_sha256,
        warnings,
        peak_buffered_records: peak_records,
        peak_buffered_bytes: peak_bytes,
    })
}

fn flush<W: Write + Seek>(
    options: &ExportOptions,
    window: Window,
    batch: &[Record],
    archive: &mut ArchiveWriter<W>,
    directory: &Directory,
    files: &dyn AttachmentSource,
    counts: &mut ExportCounts,
) -> Result<()> {
    counts.batches += 1;
    let batch_no = counts.batches;
    let mut ctx = BatchContext {
        archive,
        directory,
        files,
        counts,
        batch_no,
        window,
        max_message_bytes: options.max_message_bytes,
        profile: options.profile,
    };
    match options.format {
        Format::Actiance => actiance::write_batch(&mut ctx, batch)?,
        Format::GlobalRelay => eml::write_batch(&mut ctx, batch)?,
        Format::Csv if options.profile == Profile::Mattermost => {
            csvfmt::write_mattermost_batch(&mut ctx, batch)?
        }
        Format::Csv => csvfmt::write_batch(&mut ctx, batch)?,
    }
    copy_attachments(&mut ctx, batch)
}

/// Copies the files of posts created in this batch to `files/<post id>/<name>`,
/// checking each against the SHA-256 recorded at upload.
fn copy_attachments<W: Write + Seek>(
    ctx: &mut BatchContext<'_, W>,
    batch: &[Record],
) -> Result<()> {
    for r in batch {
        let Event::PostCreated { post } = &r.event else {
            continue;
        };
        for (a, path) in post.attachments.iter().zip(attachment_paths(post)) {
            ctx.counts.attachments += 1;
            let (sha, size) = match copy_one(ctx, post, a, &path)? {
                Some(v) => v,
                None => continue,
            };
            if !a.sha256.is_empty() && !a.sha256.eq_ignore_ascii_case(&sha) {
                ctx.archive.warn(format!(
                    "{path}: sha256 {sha} differs from the {} recorded at upload",
                    a.sha256
                ));
            }
            if size != a.size {
                ctx.archive.warn(format!(
                    "{path}: {size} bytes, {} recorded at upload",
                    a.size
                ));
            }
        }
    }
    Ok(())
}

/// Copies one attachment; `None` when the store reports it missing.
pub(crate) fn copy_one<W: Write + Seek>(
    ctx: &mut BatchContext<'_, W>,
    post: &Post,
    a: &crate::model::Attachment,
    path: &str,
) -> Result<Option<(String, u64)>> {
    if ctx.archive.contains(path) {
        return Ok(None);
    }
    let mut reader = match ctx.files.open(&post.id, a) {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            ctx.counts.attachments_missing += 1;
            ctx.archive.warn(format!(
                "{path}: attachment {} missing from the file store",
                a.file_id
            ));
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    ctx.archive.copy_from(path, &mut reader).map(Some)
}

/// Keeps only characters XML 1.0 can carry; others become U+FFFD.
pub(crate) fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let ok = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if s.chars().all(ok) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(
            s.chars()
                .map(|c| if ok(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}
