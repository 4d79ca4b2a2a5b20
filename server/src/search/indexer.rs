//! The background task that feeds the index from the change log, in order:
//! read what follows the index's cursor, turn touched posts into documents,
//! apply, commit with the last sequence number. A crash loses at most the
//! uncommitted batch, which is replayed from the cursor at the next start
//! (upserts are idempotent, so nothing is duplicated).

use std::collections::BTreeSet;
use std::sync::Weak;
use std::time::Duration;

use hearth_api::{EventKind, EventPayload};
use hearth_core::{Error, Result};
use hearth_search::Change;
use hearth_store::{change_log, posts};
use tokio_util::sync::CancellationToken;

use super::SearchService;
use super::documents::{changes_for_posts, documents};

/// Change-log entries read per batch.
const BATCH: i64 = 1000;
/// Posts per page of a full rebuild scan.
const SCAN_PAGE: i64 = 2000;

/// Feeds the index until `stop` is cancelled or the service is dropped; a
/// batch being applied is finished first.
pub async fn run(service: Weak<SearchService>, commit_interval_ms: u64, stop: CancellationToken) {
    let interval = Duration::from_millis(commit_interval_ms.max(50));
    let mut changes = match service.upgrade() {
        Some(s) => s.store.subscribe_changes(),
        None => return,
    };
    while !stop.is_cancelled() {
        let Some(s) = service.upgrade() else { return };
        let first_run = s.handle.current().cursor().is_none();
        let outcome = tokio::task::spawn_blocking(move || {
            if first_run {
                s.rebuild().map(|_| ())
            } else {
                catch_up(&s)
            }
            .map_err(|e| (s, e))
        })
        .await;
        let pause = match outcome {
            Ok(Ok(())) => {
                if let Some(s) = service.upgrade() {
                    s.set_error(None);
                }
                None
            }
            Ok(Err((s, e))) => {
                tracing::error!(error = %e, "search indexing failed; retrying");
                s.set_error(Some(e.to_string()));
                Some(Duration::from_secs(2))
            }
            Err(e) => {
                tracing::error!(error = %e, "search indexing task failed");
                Some(Duration::from_secs(2))
            }
        };
        // Batch what arrives within one interval into one commit; wake at
        // least every few seconds so a dropped service ends the task.
        let wait = async {
            if let Some(p) = pause {
                tokio::time::sleep(p).await;
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), changes.changed()).await;
            tokio::time::sleep(interval).await;
        };
        tokio::select! {
            () = stop.cancelled() => return,
            () = wait => {}
        }
    }
}

/// Applies everything after the index's cursor, batch by batch.
fn catch_up(s: &SearchService) -> Result<()> {
    loop {
        let index = s.handle.current();
        let cursor = index.cursor().unwrap_or(0);
        let rows = s
            .store
            .read(|c| Ok(change_log::after(c, cursor as i64, BATCH)?))?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            return Ok(());
        };
        let mut touched = BTreeSet::new();
        for row in &rows {
            // Only posts are indexed: other payloads are not even decoded.
            if !matches!(
                row.kind(),
                Ok(EventKind::Posted | EventKind::PostEdited | EventKind::PostDeleted)
            ) {
                continue;
            }
            let post = match row.event() {
                Ok(
                    EventPayload::Posted(post)
                    | EventPayload::PostEdited(post)
                    | EventPayload::PostDeleted(post),
                ) => post,
                Ok(_) => continue,
                Err(error) => {
                    tracing::error!(seq = row.seq, %error, "change not indexed");
                    continue;
                }
            };
            touched.insert(post.id.to_string());
            // A reply changes its root's "has replies".
            if let Some(root) = post.root_id {
                touched.insert(root.to_string());
            }
        }
        let ids: Vec<String> = touched.into_iter().collect();
        let changes = if ids.is_empty() {
            Vec::new()
        } else {
            s.store.read(|c| Ok(changes_for_posts(c, s, &ids)?))?
        };
        index
            .apply(changes)
            .and_then(|_| index.commit(last as u64))
            .map_err(|e| Error::internal(format!("search index update: {e}")))?;
        if (rows.len() as i64) < BATCH {
            return Ok(());
        }
    }
}

/// A full scan into a new generation. The cursor is read before the scan, so
/// anything committed during it is replayed afterwards by `catch_up`.
pub fn rebuild(s: &SearchService) -> Result<u64> {
    let cursor = s.store.read(|c| Ok(change_log::last_seq(c)?))?.max(0) as u64;
    let mut failure: Option<Error> = None;
    let pages = ScanPages {
        s,
        after: None,
        done: false,
        failure: &mut failure,
    };
    let report = s
        .handle
        .rebuild(pages.flatten(), cursor)
        .map_err(|e| Error::internal(format!("search index rebuild: {e}")));
    if let Some(e) = failure {
        return Err(e);
    }
    let report = report?;
    tracing::info!(documents = report.documents, cursor, "search index rebuilt");
    Ok(report.documents)
}

/// Pages of documents from a scan of every post in id order.
struct ScanPages<'a> {
    s: &'a SearchService,
    after: Option<String>,
    done: bool,
    failure: &'a mut Option<Error>,
}

impl Iterator for ScanPages<'_> {
    type Item = Vec<Change>;

    fn next(&mut self) -> Option<Vec<Change>> {
        if self.done {
            return None;
        }
        let after = self.after.clone();
        let page = self.s.store.read(|c| {
            let rows = posts::scan(c, after.as_deref(), SCAN_PAGE)?;
            let last = rows.last().map(|r| r.id.clone());
            let docs = documents(c, self.s, &rows)?;
            Ok((docs, last, rows.len() as i64))
        });
        match page {
            Ok((docs, last, n)) => {
                self.after = last;
                self.done = n < SCAN_PAGE;
                // Deleted posts need no document in a fresh index.
                Some(
                    docs.into_iter()
                        .filter(|d| !matches!(d, Change::DeletePost(_) | Change::DeleteFile(_)))
                        .collect(),
                )
            }
            Err(e) => {
                *self.failure = Some(e);
                self.done = true;
                None
            }
        }
    }
}
