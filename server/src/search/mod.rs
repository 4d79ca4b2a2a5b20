//! Full-text search: a tantivy index under `<data_dir>/search`, a derived
//! projection of the posts kept current from the change log by a background
//! task, rebuilt online on request, queried within the caller's readable
//! channels (see `query`).

pub mod admin;
mod documents;
mod indexer;
mod query;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use hearth_api::SearchStatus;
use hearth_core::{Error, Result};
use hearth_search::{IndexHandle, IndexOptions};
use hearth_store::Store;

use crate::files::FileStore;
use crate::sheet_reader::SheetReader;
use crate::workers::{Stage, Workers};

pub use query::{search_all_posts, search_files, search_posts};

pub struct SearchService {
    handle: IndexHandle,
    store: Arc<Store>,
    files: FileStore,
    /// Reads attachment text, spreadsheets in a bounded child process.
    reader: SheetReader,
    rebuilding: AtomicBool,
    last_error: Mutex<Option<String>>,
    include_public_channels: bool,
}

impl SearchService {
    /// Opens (or creates) the index; [`SearchService::follow`] keeps it current.
    pub fn open(
        dir: &Path,
        store: Arc<Store>,
        files: FileStore,
        reader: SheetReader,
        include_public_channels: bool,
    ) -> Result<Arc<SearchService>> {
        let handle = IndexHandle::open(dir, IndexOptions::default())
            .map_err(|e| Error::internal(format!("opening the search index: {e}")))?;
        let service = Arc::new(SearchService {
            handle,
            store,
            files,
            reader,
            rebuilding: AtomicBool::new(false),
            last_error: Mutex::new(None),
            include_public_channels,
        });
        Ok(service)
    }

    /// Starts the worker that feeds the index from the change log.
    pub fn follow(self: &Arc<Self>, workers: &Workers, commit_interval_ms: u64) {
        let service = Arc::downgrade(self);
        workers.spawn("search indexer", Stage::Follower, |stop| {
            indexer::run(service, commit_interval_ms, stop)
        });
    }

    /// Index figures and how far behind the change log it is.
    pub fn status(&self) -> Result<SearchStatus> {
        let stats = self
            .handle
            .stats()
            .map_err(|e| Error::internal(format!("search index stats: {e}")))?;
        let latest = self
            .store
            .read(|c| Ok(hearth_store::change_log::last_seq(c)?))?;
        Ok(SearchStatus {
            enabled: true,
            posts: stats.posts,
            files: stats.files,
            size_bytes: stats.size_bytes,
            cursor: stats.cursor,
            latest_seq: latest.max(0) as u64,
            rebuilding: self.rebuilding.load(Ordering::Relaxed),
            last_error: self.last_error.lock().ok().and_then(|e| e.clone()),
        })
    }

    /// Rebuilds the index from a full scan beside the live one, then swaps it
    /// in; searches keep answering from the old one meanwhile. Blocking.
    pub fn rebuild(&self) -> Result<u64> {
        if self.rebuilding.swap(true, Ordering::SeqCst) {
            return Err(Error::Conflict(
                "a search index rebuild is already running".into(),
            ));
        }
        let out = indexer::rebuild(self);
        self.rebuilding.store(false, Ordering::SeqCst);
        out
    }

    /// Stages the removal of purged posts (with their files) and purged
    /// files. They leave search results at the next commit: the indexer's,
    /// which follows new posts within a second, or [`SearchService::commit_purges`].
    pub fn purge(&self, posts: &[uuid::Uuid], files: &[uuid::Uuid]) -> Result<()> {
        let index = self.handle.current();
        let fail = |e: hearth_search::Error| Error::internal(format!("search purge: {e}"));
        index.purge_posts(posts).map_err(fail)?;
        index
            .apply(files.iter().map(|f| hearth_search::Change::DeleteFile(*f)))
            .map_err(fail)
    }

    /// Commits staged purges at the index's current cursor. Once per purge
    /// job, not per batch: a commit costs disk and CPU that chat needs.
    pub fn commit_purges(&self) -> Result<()> {
        let index = self.handle.current();
        index
            .commit(index.cursor().unwrap_or(0))
            .map_err(|e| Error::internal(format!("search purge commit: {e}")))
    }

    fn set_error(&self, e: Option<String>) {
        if let Ok(mut slot) = self.last_error.lock() {
            *slot = e;
        }
    }
}
