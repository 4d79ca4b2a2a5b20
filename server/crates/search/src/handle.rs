//! The index as the server holds it: a swappable current index under a root
//! directory, rebuilt online.
//!
//! Layout under the root: one `gen-<uuid>` directory per index generation and
//! a `CURRENT` file naming the live one. A rebuild fills a new generation
//! while the old one keeps serving, replaces `CURRENT` atomically (write to a
//! temporary file, fsync, rename, fsync the directory), then swaps the
//! in-memory handle. The old generation's directory is removed once the
//! last in-flight request drops it; generations not named by `CURRENT`
//! (a rebuild interrupted by a crash) are removed at open.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use tantivy::TantivyError;
use uuid::Uuid;

use crate::document::Change;
use crate::error::{Error, Result};
use crate::index::{IndexOptions, IndexStats, SearchIndex};

const CURRENT_FILE: &str = "CURRENT";
const GENERATION_PREFIX: &str = "gen-";

/// Documents are handed to the writer in batches of this size during a rebuild.
const REBUILD_BATCH: usize = 10_000;

/// Shared handle to the live index.
///
/// The server's indexing loop should, for each batch, take
/// [`IndexHandle::current`], read its [`SearchIndex::cursor`], apply the
/// change-log entries after it and [`SearchIndex::commit`] with the last
/// `seq`. Because the cursor is read from the index itself, the loop
/// naturally replays from a rebuilt index's cursor after a swap (upserts
/// are idempotent, so overlap is harmless).
pub struct IndexHandle {
    root: PathBuf,
    options: IndexOptions,
    current: ArcSwap<SearchIndex>,
    rebuild_lock: Mutex<()>,
}

impl std::fmt::Debug for IndexHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexHandle")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

/// What a rebuild produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebuildReport {
    /// Documents written.
    pub documents: u64,
    /// Stats of the new index.
    pub stats: IndexStats,
}

impl IndexHandle {
    /// Opens the live generation under `root`, creating an empty one if
    /// there is none (or if the existing one has an incompatible format),
    /// and removes leftovers of interrupted rebuilds.
    ///
    /// A live index whose [`SearchIndex::cursor`] is `None` holds nothing
    /// from the change log yet: the server should run [`IndexHandle::rebuild`].
    pub fn open(root: impl AsRef<Path>, options: IndexOptions) -> Result<Self> {
        let root = root.as_ref().to_path_buf();
        fs::create_dir_all(&root)?;
        let start_fresh = |root: &Path| -> Result<String> {
            let name = new_generation_name();
            fs::create_dir_all(root.join(&name))?;
            write_current(root, &name)?;
            Ok(name)
        };
        let mut live = match fs::read_to_string(root.join(CURRENT_FILE)) {
            Ok(name) if is_generation_name(name.trim()) => name.trim().to_owned(),
            Ok(_) | Err(_) => start_fresh(&root)?,
        };
        let index = match SearchIndex::open_or_create(root.join(&live), &options) {
            // Written by a version with another schema: start an empty
            // generation; its missing cursor tells the server to rebuild.
            Err(Error::Incompatible { .. }) => {
                live = start_fresh(&root)?;
                SearchIndex::open_or_create(root.join(&live), &options)?
            }
            other => other?,
        };
        for entry in fs::read_dir(&root)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_generation_name(&name) && name != live {
                fs::remove_dir_all(entry.path())?;
            }
        }
        Ok(IndexHandle {
            root,
            options,
            current: ArcSwap::from_pointee(index),
            rebuild_lock: Mutex::new(()),
        })
    }

    /// The live index. Hold the `Arc` for one request or one batch only.
    pub fn current(&self) -> Arc<SearchIndex> {
        self.current.load_full()
    }

    /// Stats of the live index.
    pub fn stats(&self) -> Result<IndexStats> {
        self.current().stats()
    }

    /// Builds a new generation from a full scan and swaps it in.
    ///
    /// `documents` must be a consistent snapshot of every post and file as of
    /// change-log `cursor`; only upserts are meaningful. Queries keep using
    /// the old generation until the swap; the indexing loop may keep
    /// applying changes to the old one meanwhile and then catches up on the
    /// new one from `cursor`. Only one rebuild runs at a time.
    pub fn rebuild<I>(&self, documents: I, cursor: u64) -> Result<RebuildReport>
    where
        I: IntoIterator<Item = Change>,
    {
        let _guard = self.rebuild_lock.lock().map_err(|_| {
            Error::Index(TantivyError::InternalError("rebuild lock poisoned".into()))
        })?;
        let name = new_generation_name();
        let dir = self.root.join(&name);
        let built = (|| {
            let index = SearchIndex::open_or_create(&dir, &IndexOptions::bulk())?;
            let mut count = 0u64;
            let mut batch = Vec::with_capacity(REBUILD_BATCH);
            for doc in documents {
                batch.push(doc);
                if batch.len() == REBUILD_BATCH {
                    count += batch.len() as u64;
                    index.apply(batch.drain(..))?;
                }
            }
            count += batch.len() as u64;
            index.apply(batch)?;
            index.commit(cursor)?;
            Ok::<_, Error>((index, count))
        })();
        let (bulk_index, documents) = match built {
            Ok(v) => v,
            Err(e) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        // Reopen with the steady-state writer settings.
        drop(bulk_index);
        let index = SearchIndex::open_or_create(&dir, &self.options)?;
        write_current(&self.root, &name)?;
        let old = self.current.swap(Arc::new(index));
        old.retire();
        drop(old);
        Ok(RebuildReport {
            documents,
            stats: self.stats()?,
        })
    }
}

fn new_generation_name() -> String {
    format!("{GENERATION_PREFIX}{}", Uuid::now_v7().simple())
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix(GENERATION_PREFIX)
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Atomically points `CURRENT` at generation `name`.
fn write_current(root: &Path, name: &str) -> Result<()> {
    let tmp = root.join(format!("{CURRENT_FILE}.tmp"));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(name.as_bytes())?;
        f.sync_all()?;
    }
    fs::rename(&tmp, root.join(CURRENT_FILE))?;
    File::open(root)?.sync_all()?;
    Ok(())
}
