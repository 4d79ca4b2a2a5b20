//! Full-text search for Hearth.
//!
//! The database is the source of truth; this index is a derived projection
//! fed in order from the change log and rebuildable at any time.
//!
//! * [`IndexHandle`] owns the live [`SearchIndex`] under the data directory
//!   and rebuilds it online.
//! * [`SearchIndex::apply`] + [`SearchIndex::commit`] feed it; the commit
//!   records the change-log cursor atomically, read back by
//!   [`SearchIndex::cursor`] after a restart.
//! * [`query::parse`] turns what the user typed into a [`query::ParsedQuery`];
//!   [`query::ParsedQuery::resolve`] maps names to ids through a
//!   [`query::Resolver`]; [`SearchIndex::search`] runs it within the
//!   caller's readable channels.
//! * [`extract_text`] pulls text out of attachments.
//!
//! ```no_run
//! use hearth_search::query::{Resolver, parse_and_resolve};
//! use hearth_search::{Change, IndexHandle, IndexOptions, Scope, SearchOptions};
//! # fn changes_after(_: Option<u64>) -> Vec<(u64, Change)> { Vec::new() }
//! # fn demo(resolver: &dyn Resolver, readable: Vec<uuid::Uuid>) -> hearth_search::Result<()> {
//! let handle = IndexHandle::open("/var/lib/hearth/search", IndexOptions::default())?;
//!
//! // Indexing loop, at least once a second: apply what follows the cursor.
//! let index = handle.current();
//! let batch = changes_after(index.cursor());
//! if let Some(last) = batch.last().map(|(seq, _)| *seq) {
//!     index.apply(batch.into_iter().map(|(_, change)| change))?;
//!     index.commit(last)?;
//! }
//!
//! // A search request.
//! let query = parse_and_resolve("deploy from:@ann after:2026-01-01", resolver, "Europe/Paris")?;
//! let results = handle.current().search(&query, &SearchOptions::posts(Scope::Channels(readable)))?;
//! # let _ = results; Ok(()) }
//! ```
//!
//! PDF attachments are not text-extracted. `pdf-extract`, the usual Rust
//! choice, deliberately panics on constructs it does not support and has
//! paths that abort the process, which `catch_unwind` cannot contain; an
//! upload must never be able to take the server down. Extracting PDF text in
//! a separate, disposable process is the safe way to add it later.

pub mod analysis;
mod channel_counts;
mod document;
mod error;
mod extract;
mod handle;
mod index;
pub mod query;
mod schema;
mod scope_filter;
mod search;

pub use document::{Change, DocKind, FileDoc, PostDoc};
pub use error::{Error, Result};
pub use extract::{
    MAX_EXTRACTED_BYTES, SheetLimits, extract_text, extract_text_with, spreadsheet_format,
};
pub use handle::{IndexHandle, RebuildReport};
pub use index::{IndexOptions, IndexStats, SearchIndex};
pub use query::Scope;
pub use search::{
    Hit, MAX_OFFSET, MAX_PAGE_SIZE, SearchOptions, SearchResults, Snippet, SnippetSource, SortOrder,
};
