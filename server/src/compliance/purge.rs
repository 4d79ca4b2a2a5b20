//! The retention purge: walks expired candidates page by page, lets the
//! library decide, and deletes in small transactions. Holds are re-read in
//! every transaction, so a hold placed while a purge runs protects its
//! content from the next batch on.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use hearth_api::{ChannelPurgeReport, ComplianceJob, JobKind, PurgeReport};
use hearth_compliance::holds::is_held;
use hearth_compliance::model::Post;
use hearth_compliance::retention::{ChannelPurgeStats, evaluate};
use hearth_core::{Result, now_millis};
use hearth_store::compliance::{self as cstore, JobRow};
use hearth_store::parse_id;

use super::jobs::{self, Checkpoint, Finished};
use super::{convert, holds};
use crate::auth::Auth;
use crate::services::audit;
use crate::state::Ctx;

/// Candidates read per page.
const PAGE: i64 = 1000;

/// Queues a purge job.
pub fn start(ctx: &Ctx, auth: Option<&Auth>) -> Result<ComplianceJob> {
    if let Some(a) = auth {
        super::require_manage(a)?;
    }
    jobs::enqueue(
        ctx,
        auth,
        JobKind::Purge,
        serde_json::json!({ "now": now_millis() }),
        auth.is_none(),
    )
}

/// What a purge would delete now, without deleting anything.
pub fn dry_run(ctx: &Ctx, auth: &Auth) -> Result<PurgeReport> {
    super::require_manage(auth)?;
    let report = execute(ctx, now_millis(), true, None)?;
    ctx.store.write(|tx| {
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.retention.dry_run",
            "retention_policy",
            None,
            serde_json::json!({ "posts": report.posts, "files": report.files, "held_posts": report.held_posts }),
        )
    })?;
    Ok(report)
}

pub fn run_job(ctx: &Ctx, job: &JobRow, cp: &mut Checkpoint) -> Result<Finished> {
    let params: serde_json::Value = serde_json::from_str(&job.params).unwrap_or_default();
    // The reference time is fixed at creation, so a rerun decides the same.
    let now = params["now"].as_i64().unwrap_or(job.created_at);
    let report = execute(ctx, now, false, Some(cp))?;
    Ok(Finished {
        result: serde_json::to_value(&report).unwrap_or_default(),
        file: None,
        cursor: None,
        audit_action: "compliance.retention.purge",
    })
}

#[derive(Default)]
struct Totals {
    channels: BTreeMap<String, ChannelPurgeStats>,
    report: PurgeReport,
}

impl Totals {
    fn add(&mut self, r: &hearth_compliance::retention::DryRunReport) {
        self.report.posts += r.total_posts;
        self.report.files += r.total_files;
        self.report.file_bytes += r.total_file_bytes;
        self.report.held_posts += r.held_posts;
        for (id, s) in &r.channels {
            let t = self.channels.entry(id.clone()).or_default();
            t.posts += s.posts;
            t.files += s.files;
            t.file_bytes += s.file_bytes;
            t.held_posts += s.held_posts;
            t.oldest = match (t.oldest, s.oldest) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            t.newest = match (t.newest, s.newest) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
        }
    }

    fn finish(mut self, dry_run: bool) -> PurgeReport {
        self.report.dry_run = dry_run;
        self.report.channels = self
            .channels
            .into_iter()
            .map(|(id, s)| ChannelPurgeReport {
                channel_id: parse_id(&id),
                posts: s.posts,
                files: s.files,
                file_bytes: s.file_bytes,
                oldest: s.oldest,
                newest: s.newest,
                held_posts: s.held_posts,
            })
            .collect();
        self.report
    }
}

/// Runs the purge (or its dry run) as of `now`.
pub fn execute(
    ctx: &Ctx,
    now: i64,
    dry_run: bool,
    mut cp: Option<&mut Checkpoint>,
) -> Result<PurgeReport> {
    let (rows, channels) = ctx
        .store
        .read(|c| Ok((cstore::policies(c)?, cstore::all_channels(c)?)))?;
    let policies = convert::policies(&rows);
    // Only posts older than the shortest period can expire at all.
    let shortest = rows
        .iter()
        .flat_map(|r| [r.messages_ms, r.files_ms])
        .flatten()
        .filter(|ms| *ms > 0)
        .min();
    let mut totals = Totals::default();
    let Some(shortest) = shortest else {
        return Ok(totals.finish(dry_run));
    };
    let before = now.saturating_sub(shortest);
    let team_of = super::export::team_map(&channels);
    let batch_size = ctx.config().compliance.purge_batch_size;
    let pause = Duration::from_millis(ctx.config().compliance.purge_batch_pause_ms);
    let mut after: Option<cstore::Key> = None;
    loop {
        let (page, files) = ctx.store.read(|c| {
            let page = cstore::purge_candidates(c, before, after.as_ref(), PAGE)?;
            let ids: Vec<String> = page.iter().map(|p| p.id.clone()).collect();
            Ok((page, cstore::files_of(c, &ids)?))
        })?;
        let Some(last) = page.last() else { break };
        after = Some((last.created_at, last.id.clone()));
        let posts: Vec<Post> = convert::posts(&page, &team_of, &files);
        let holds_now = ctx.store.read(holds::active)?;
        let plan = evaluate(&policies, &holds_now, now, &posts, batch_size);
        totals.add(&plan.report);
        if let Some(cp) = cp.as_deref_mut() {
            cp.progress.done += page.len() as u64;
        }
        if !dry_run {
            let by_id: HashMap<&str, &Post> = posts.iter().map(|p| (p.id.as_str(), p)).collect();
            for batch in plan.batches {
                let sha_of: HashMap<&str, &str> = files
                    .iter()
                    .map(|f| (f.id.as_str(), f.sha256.as_str()))
                    .collect();
                let (deleted_posts, deleted_files) = ctx.store.write(|tx| {
                    // A hold placed since the page was read wins.
                    let holds = holds::active(tx.conn)?;
                    let keep =
                        |post_id: &str| by_id.get(post_id).is_some_and(|p| is_held(&holds, p));
                    let posts: Vec<String> =
                        batch.posts.iter().filter(|p| !keep(p)).cloned().collect();
                    let files: Vec<(String, String)> = batch
                        .files
                        .iter()
                        .filter(|f| !keep(&f.post_id))
                        .map(|f| (f.post_id.clone(), f.file_id.clone()))
                        .collect();
                    cstore::purge(tx.conn, &posts, &files)?;
                    Ok((posts, files))
                })?;
                totals.report.batches += 1;
                after_commit(ctx, &deleted_posts, &deleted_files, &sha_of)?;
                if let Some(cp) = cp.as_deref_mut() {
                    cp.progress.written += (deleted_posts.len() + deleted_files.len()) as u64;
                    cp.tick()?;
                }
                if !pause.is_zero() {
                    std::thread::sleep(pause);
                }
            }
        }
        if let Some(cp) = cp.as_deref_mut() {
            cp.tick()?;
        }
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    if !dry_run
        && let Some(search) = &ctx.search
        && let Err(e) = search.commit_purges()
    {
        tracing::warn!(error = %e, "retention purge: search index not committed");
    }
    Ok(totals.finish(dry_run))
}

/// Once a batch is committed: drop it from the search index and remove file
/// bytes nothing else refers to. A crash in between leaves only stale index
/// entries (searches hydrate from the database and skip them; a reindex
/// clears them) or orphaned bytes, never a lost deletion.
pub(super) fn after_commit(
    ctx: &Ctx,
    posts: &[String],
    files: &[(String, String)],
    sha_of: &HashMap<&str, &str>,
) -> Result<()> {
    if let Some(search) = &ctx.search {
        let post_ids: Vec<uuid::Uuid> = posts.iter().map(|p| parse_id(p)).collect();
        let file_ids: Vec<uuid::Uuid> = files.iter().map(|(_, f)| parse_id(f)).collect();
        if let Err(e) = search.purge(&post_ids, &file_ids) {
            tracing::warn!(error = %e, "retention purge: search index not updated");
        }
    }
    for (_, file_id) in files {
        let Some(sha) = sha_of.get(file_id.as_str()) else {
            continue;
        };
        let still_used = ctx.store.read(|c| Ok(cstore::files_with_sha(c, sha)?))? > 0;
        if !still_used && let Err(e) = ctx.files.remove(sha) {
            tracing::warn!(error = %e, "retention purge: file bytes not removed");
        }
    }
    Ok(())
}
