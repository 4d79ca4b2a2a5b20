//! Running a resolved query: ranking, paging, channel counts, snippets.

use std::ops::Range;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::Query;
use tantivy::schema::{Field, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};
use uuid::Uuid;

use crate::channel_counts::{ChannelCounts, top_channels};
use crate::document::DocKind;
use crate::error::Result;
use crate::index::SearchIndex;
use crate::query::build::{build, candidate_estimate};
use crate::query::{Scope, SearchQuery};
use crate::scope_filter::ScopedCollector;

/// When the text clauses may match more than 1/N of the index, the scope is
/// also applied as a query pre-filter (see `scope_prefilter`).
const PREFILTER_FRACTION_INV: u64 = 50;

/// Upper bound on one page, to keep a request's cost bounded.
pub const MAX_PAGE_SIZE: usize = 1000;

/// Deepest offset served; nobody pages further, and it bounds the top-k heap.
pub const MAX_OFFSET: usize = 10_000;

/// Result ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best match first (BM25).
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// Options of one search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    /// Channels the caller may read.
    pub scope: Scope,
    /// Posts or files.
    pub kind: DocKind,
    /// Ordering.
    pub sort: SortOrder,
    /// Hits to skip (beyond [`MAX_OFFSET`] the page is empty).
    pub offset: usize,
    /// Hits to return (capped at [`MAX_PAGE_SIZE`]; 0 returns counts only).
    pub limit: usize,
    /// When set, count hits per channel and return the top N channels.
    pub channel_counts: Option<usize>,
    /// Compute highlighted snippets for the returned hits.
    pub snippets: bool,
}

impl SearchOptions {
    /// First page of 20 posts by relevance, with snippets.
    pub fn posts(scope: Scope) -> Self {
        SearchOptions {
            scope,
            kind: DocKind::Post,
            sort: SortOrder::Relevance,
            offset: 0,
            limit: 20,
            channel_counts: None,
            snippets: true,
        }
    }
}

/// A page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Total number of matching documents in scope.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// (channel id, hits) for the top channels, most hits first, if requested.
    pub channel_counts: Vec<(Uuid, u64)>,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Post or file id.
    pub id: Uuid,
    /// Document kind.
    pub kind: DocKind,
    /// Channel.
    pub channel_id: Uuid,
    /// Author or uploader.
    pub user_id: Uuid,
    /// Thread root of a reply, post of a file.
    pub parent_id: Option<Uuid>,
    /// Creation time, ms since epoch.
    pub created_at: i64,
    /// BM25 score when sorted by relevance.
    pub score: Option<f32>,
    /// Highlighted excerpt, when requested.
    pub snippet: Option<Snippet>,
}

/// A fragment of the matched text with the matched terms marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Which text the fragment comes from.
    pub source: SnippetSource,
    /// Plain-text fragment (markdown already stripped).
    pub text: String,
    /// Byte ranges of `text` to highlight.
    pub highlights: Vec<Range<usize>>,
    /// `text` HTML-escaped with `<mark>` around highlights: safe to embed.
    pub html: String,
}

/// Where a snippet was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetSource {
    /// The post's own text.
    Message,
    /// An attachment's name.
    FileName,
    /// An attachment's extracted text.
    FileText,
}

impl SearchIndex {
    /// Runs a resolved query within a scope. Sees everything committed so far.
    pub fn search(&self, query: &SearchQuery, options: &SearchOptions) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let prefilter = match &options.scope {
            Scope::Channels(ids) => {
                let estimate = candidate_estimate(&self.fields, query, |t| {
                    searcher.doc_freq(t).unwrap_or(u64::MAX)
                });
                let unselective =
                    estimate.saturating_mul(PREFILTER_FRACTION_INV) > searcher.num_docs();
                unselective.then_some(ids.as_slice())
            }
            Scope::All => None,
        };
        let q = build(&self.fields, query, options.kind, prefilter);
        if matches!(&options.scope, Scope::Channels(c) if c.is_empty()) {
            return Ok(SearchResults {
                total: 0,
                hits: Vec::new(),
                channel_counts: Vec::new(),
            });
        }
        // Pages past the deepest offset are empty (counts are still given).
        let limit = if options.offset > MAX_OFFSET {
            0
        } else {
            options.limit.min(MAX_PAGE_SIZE)
        };
        let counter = options.channel_counts.map(|_| ChannelCounts);
        let scope = &options.scope;
        let (addresses, total, channel_hits) = if limit == 0 {
            let (total, counts) = collect(&searcher, &*q, scope, (Count, counter))?;
            (Vec::new(), total, counts)
        } else {
            let top = TopDocs::with_limit(limit).and_offset(options.offset);
            match options.sort {
                SortOrder::Relevance => {
                    let (docs, total, counts) = collect(
                        &searcher,
                        &*q,
                        scope,
                        (top.order_by_score(), Count, counter),
                    )?;
                    let docs = docs.into_iter().map(|(s, a)| (Some(s), a)).collect();
                    (docs, total, counts)
                }
                SortOrder::Newest => {
                    let by_date = top.order_by_fast_field::<i64>("created_at", Order::Desc);
                    let (docs, total, counts) =
                        collect(&searcher, &*q, scope, (by_date, Count, counter))?;
                    let docs = docs.into_iter().map(|(_, a)| (None, a)).collect();
                    (docs, total, counts)
                }
            }
        };
        let channel_counts = match (channel_hits, options.channel_counts) {
            (Some(counts), Some(n)) => top_channels(counts, n),
            _ => Vec::new(),
        };
        let snippets = if options.snippets && !addresses.is_empty() {
            Some(Snippets::new(self, &searcher, &*q)?)
        } else {
            None
        };
        let hits = addresses
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, snippets.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(SearchResults {
            total,
            hits,
            channel_counts,
        })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: Option<f32>,
        snippets: Option<&Snippets>,
    ) -> Result<Hit> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        let uuid = |field| Uuid::parse_str(text(field)).ok();
        let kind = if text(f.kind) == DocKind::File.as_str() {
            DocKind::File
        } else {
            DocKind::Post
        };
        let parent_id = match kind {
            DocKind::Post => uuid(f.root_id),
            DocKind::File => uuid(f.post_id),
        };
        Ok(Hit {
            id: uuid(f.id).unwrap_or_default(),
            kind,
            channel_id: uuid(f.channel_id).unwrap_or_default(),
            user_id: uuid(f.user_id).unwrap_or_default(),
            parent_id,
            created_at: doc
                .get_first(f.created_at)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            score,
            snippet: snippets.map(|s| s.best(&doc, kind)),
        })
    }
}

/// Runs `collector` over the hits of `query` that lie within `scope`.
fn collect<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    scope: &Scope,
    collector: C,
) -> Result<C::Fruit> {
    Ok(match scope {
        Scope::All => searcher.search(query, &collector)?,
        Scope::Channels(ids) => searcher.search(query, &ScopedCollector::new(ids, collector))?,
    })
}

/// Snippet generators for the stored text fields, built once per request.
struct Snippets {
    message: SnippetGenerator,
    file_names: SnippetGenerator,
    file_text: SnippetGenerator,
    message_field: Field,
    file_name_field: Field,
}

impl Snippets {
    fn new(index: &SearchIndex, searcher: &Searcher, query: &dyn Query) -> Result<Self> {
        let f = &index.fields;
        let make = |field| -> Result<SnippetGenerator> {
            let mut g = SnippetGenerator::create(searcher, query, field)?;
            g.set_max_num_chars(SNIPPET_CHARS);
            Ok(g)
        };
        Ok(Snippets {
            message: make(f.message)?,
            file_names: make(f.file_names)?,
            file_text: make(f.file_text)?,
            message_field: f.message,
            file_name_field: f.file_names,
        })
    }

    /// The first source with a highlighted term, else the leading text.
    fn best(&self, doc: &TantivyDocument, kind: DocKind) -> Snippet {
        let order: &[(SnippetSource, &SnippetGenerator)] = match kind {
            DocKind::Post => &[
                (SnippetSource::Message, &self.message),
                (SnippetSource::FileName, &self.file_names),
                (SnippetSource::FileText, &self.file_text),
            ],
            DocKind::File => &[
                (SnippetSource::FileName, &self.file_names),
                (SnippetSource::FileText, &self.file_text),
            ],
        };
        for (source, generator) in order {
            let mut s = generator.snippet_from_doc(doc);
            if !s.highlighted().is_empty() {
                s.set_snippet_prefix_postfix("<mark>", "</mark>");
                return Snippet {
                    source: *source,
                    text: s.fragment().to_owned(),
                    highlights: s.highlighted().to_vec(),
                    html: s.to_html(),
                };
            }
        }
        // Matched through filters or thread context only: show the start of
        // the document's own text.
        let (source, field) = match kind {
            DocKind::Post => (SnippetSource::Message, self.message_field),
            DocKind::File => (SnippetSource::FileName, self.file_name_field),
        };
        let full = doc
            .get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let text = leading_text(full, SNIPPET_CHARS).to_owned();
        Snippet {
            source,
            html: html_escape(&text),
            text,
            highlights: Vec::new(),
        }
    }
}

/// Length of snippets, in characters.
const SNIPPET_CHARS: usize = 200;

/// At most `max_chars` characters of `text`, cut at a word boundary when possible.
fn leading_text(text: &str, max_chars: usize) -> &str {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text;
    };
    let head = &text[..cut];
    match head.rfind(char::is_whitespace) {
        Some(space) if space > cut / 2 => head[..space].trim_end(),
        _ => head,
    }
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}
