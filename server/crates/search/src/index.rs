//! One on-disk index: writing documents, committing with the change-log
//! cursor, and reading that cursor back after a restart.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tantivy::directory::MmapDirectory;
use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};
use uuid::Uuid;

use crate::analysis::{HearthTokenizer, TOKENIZER_NAME};
use crate::document::{Change, DocKind};
use crate::error::{Error, Result};
use crate::schema::Fields;

/// Prefix of the commit payload holding the cursor; the payload is written
/// atomically with the commit's `meta.json`, so the cursor can never run
/// ahead of (or lag behind) the documents it describes.
const CURSOR_PAYLOAD_PREFIX: &str = "hearth-search/1 cursor=";

/// Writer settings.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Total memory the writer may buffer before flushing a segment
    /// (at least 15 MB per indexing thread).
    pub memory_budget_bytes: usize,
    /// Indexing threads; 1 suits steady change feeds, more helps rebuilds.
    pub indexing_threads: usize,
    /// Background segment merge threads.
    pub merge_threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            memory_budget_bytes: 64 << 20,
            indexing_threads: 1,
            merge_threads: 1,
        }
    }
}

impl IndexOptions {
    /// Settings for a bulk build: more threads and memory.
    pub fn bulk() -> Self {
        IndexOptions {
            memory_budget_bytes: 512 << 20,
            indexing_threads: 2,
            merge_threads: 1,
        }
    }
}

/// A search index in one directory. Safe to share between threads: queries
/// run concurrently, writes are serialized internally.
pub struct SearchIndex {
    dir: PathBuf,
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    writer: Mutex<Option<IndexWriter>>,
    cursor: Mutex<Option<u64>>,
    /// Set when replaced by a rebuild: the directory is deleted once the
    /// last user drops this value.
    retired: AtomicBool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Counts and sizes for `hearthctl search stats` and metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexStats {
    /// Index directory.
    pub dir: PathBuf,
    /// Live post documents.
    pub posts: u64,
    /// Live file documents.
    pub files: u64,
    /// Documents marked deleted but not yet merged away.
    pub deleted: u64,
    /// Number of segments.
    pub segments: usize,
    /// Bytes on disk.
    pub size_bytes: u64,
    /// Last change-log sequence number committed, `None` for a fresh index.
    pub cursor: Option<u64>,
}

fn writer_lock_poisoned() -> Error {
    Error::Index(TantivyError::InternalError(
        "index writer lock poisoned".into(),
    ))
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the directory) if needed.
    ///
    /// Fails with [`Error::Incompatible`] if the directory holds an index
    /// with another schema: the caller then rebuilds.
    pub fn open_or_create(dir: impl AsRef<Path>, options: &IndexOptions) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let (schema, fields) = Fields::schema();
        let directory = MmapDirectory::open(&dir).map_err(TantivyError::from)?;
        let index = Index::open_or_create(directory, schema).map_err(|e| match e {
            TantivyError::SchemaError(reason) => Error::Incompatible {
                path: dir.clone(),
                reason,
            },
            other => Error::Index(other),
        })?;
        index
            .tokenizers()
            .register(TOKENIZER_NAME, TextAnalyzer::from(HearthTokenizer));
        let writer_options = IndexWriterOptions::builder()
            .memory_budget_per_thread(options.memory_budget_bytes / options.indexing_threads.max(1))
            .num_worker_threads(options.indexing_threads.max(1))
            .num_merge_threads(options.merge_threads.max(1))
            .build();
        let writer = index.writer_with_options(writer_options)?;
        // Reloaded explicitly after each commit, so a commit is visible to the
        // next query without polling delay.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let cursor = parse_cursor(index.load_metas()?.payload.as_deref(), &dir)?;
        Ok(SearchIndex {
            dir,
            fields,
            reader,
            writer: Mutex::new(Some(writer)),
            cursor: Mutex::new(cursor),
            retired: AtomicBool::new(false),
        })
    }

    /// The directory holding this index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Last committed change-log sequence number; replay strictly after it.
    pub fn cursor(&self) -> Option<u64> {
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter) -> Result<T>) -> Result<T> {
        let mut guard = self.writer.lock().map_err(|_| writer_lock_poisoned())?;
        let writer = guard.as_mut().ok_or_else(writer_lock_poisoned)?;
        f(writer)
    }

    /// Applies changes in order. Upserts replace any earlier version, so
    /// replaying changes already applied is harmless. Nothing is visible or
    /// durable until [`SearchIndex::commit`].
    pub fn apply<I: IntoIterator<Item = Change>>(&self, changes: I) -> Result<()> {
        let f = &self.fields;
        self.with_writer(|w| {
            for change in changes {
                match change {
                    Change::UpsertPost(post) => {
                        w.delete_term(Term::from_field_bytes(f.key, &DocKind::Post.key(post.id)));
                        w.add_document(f.post_document(&post))?;
                    }
                    Change::UpsertFile(file) => {
                        w.delete_term(Term::from_field_bytes(f.key, &DocKind::File.key(file.id)));
                        w.add_document(f.file_document(&file))?;
                    }
                    Change::DeletePost(id) => {
                        w.delete_term(Term::from_field_bytes(f.key, &DocKind::Post.key(id)));
                        w.delete_term(Term::from_field_text(f.post_id, &id.to_string()));
                    }
                    Change::DeleteFile(id) => {
                        w.delete_term(Term::from_field_bytes(f.key, &DocKind::File.key(id)));
                    }
                }
            }
            Ok(())
        })
    }

    /// Removes many posts (and their files) at once, e.g. for retention.
    pub fn purge_posts(&self, ids: &[Uuid]) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let f = &self.fields;
        let keys = ids
            .iter()
            .map(|id| Term::from_field_bytes(f.key, &DocKind::Post.key(*id)));
        let files = ids
            .iter()
            .map(|id| Term::from_field_text(f.post_id, &id.to_string()));
        self.with_writer(|w| {
            w.delete_query(Box::new(TermSetQuery::new(keys.chain(files))))?;
            Ok(())
        })
    }

    /// Removes every document created before `created_before_ms` (retention
    /// by age).
    pub fn purge_before(&self, created_before_ms: i64) -> Result<()> {
        let f = &self.fields;
        self.with_writer(|w| {
            w.delete_query(Box::new(RangeQuery::new(
                std::ops::Bound::Unbounded,
                std::ops::Bound::Excluded(Term::from_field_i64(f.created_at, created_before_ms)),
            )))?;
            Ok(())
        })
    }

    /// Makes everything applied so far durable and searchable, recording
    /// `cursor` (the last applied change-log `seq`) in the same atomic commit.
    pub fn commit(&self, cursor: u64) -> Result<()> {
        self.with_writer(|w| {
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&format!("{CURSOR_PAYLOAD_PREFIX}{cursor}"));
            prepared.commit()?;
            Ok(())
        })?;
        *self.cursor.lock().unwrap_or_else(|e| e.into_inner()) = Some(cursor);
        self.reader.reload()?;
        Ok(())
    }

    /// Discards changes applied since the last commit.
    pub fn rollback(&self) -> Result<()> {
        self.with_writer(|w| {
            w.rollback()?;
            Ok(())
        })
    }

    /// Document counts, size on disk and cursor.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader.searcher();
        let count = |kind: DocKind| -> Result<u64> {
            let q = TermQuery::new(
                Term::from_field_text(self.fields.kind, kind.as_str()),
                IndexRecordOption::Basic,
            );
            Ok(searcher.search(&q, &tantivy::collector::Count)? as u64)
        };
        let deleted = searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.num_deleted_docs()))
            .sum();
        Ok(IndexStats {
            dir: self.dir.clone(),
            posts: count(DocKind::Post)?,
            files: count(DocKind::File)?,
            deleted,
            segments: searcher.segment_readers().len(),
            size_bytes: dir_size(&self.dir)?,
            cursor: self.cursor(),
        })
    }

    /// Marks this index as replaced; its directory goes away on drop.
    pub(crate) fn retire(&self) {
        self.retired.store(true, Ordering::SeqCst);
    }
}

impl Drop for SearchIndex {
    fn drop(&mut self) {
        let writer = self.writer.get_mut().ok().and_then(Option::take);
        if let Some(w) = writer {
            // Wait for merges so no thread writes into a directory we delete.
            let _ = w.wait_merging_threads();
        }
        if self.retired.load(Ordering::SeqCst) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn parse_cursor(payload: Option<&str>, dir: &Path) -> Result<Option<u64>> {
    match payload {
        None => Ok(None),
        Some(p) => p
            .strip_prefix(CURSOR_PAYLOAD_PREFIX)
            .and_then(|n| n.parse().ok())
            .map(Some)
            .ok_or_else(|| Error::Incompatible {
                path: dir.to_path_buf(),
                reason: format!("unrecognized commit payload `{p}`"),
            }),
    }
}

pub(crate) fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            dir_size(&entry.path())?
        } else {
            meta.len()
        };
    }
    Ok(total)
}
