//! Full-text search: requests and answers.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::models::{FileInfo, Post};

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// A search as the user typed it. `terms` takes words, `"exact phrases"`,
/// `-excluded`, `prefix*`, `from:@user`, `in:~channel`, `in:@user` (direct
/// messages), `before:`/`after:`/`on:YYYY-MM-DD`, `has:file`, `has:link`,
/// `is:thread` and `#hashtags`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    pub terms: String,
    /// IANA zone for dates (`Europe/Paris`); the caller's profile zone when absent.
    pub time_zone: Option<String>,
    /// The team whose channel wins when `in:~name` exists in several teams.
    pub team_id: Option<Uuid>,
    pub sort: Option<SearchSort>,
    /// Zero-based page.
    pub page: Option<u32>,
    /// 1–100, default 20.
    pub per_page: Option<u32>,
    /// Also search archived channels.
    pub include_archived: Option<bool>,
}

/// Why one result matched.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchMatch {
    /// The post or file id.
    pub id: Uuid,
    /// HTML-escaped excerpt with `<mark>` around the matched words.
    pub snippet_html: Option<String>,
    /// Relevance score, when sorted by relevance.
    pub score: Option<f32>,
}

/// Hits per channel, for narrowing a search.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelCount {
    pub channel_id: Uuid,
    pub count: u64,
}

/// A page of matching posts, in result order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostSearchResults {
    /// Matches in every page.
    pub total: u64,
    pub posts: Vec<Post>,
    /// One entry per post, same order.
    pub matches: Vec<SearchMatch>,
    pub channel_counts: Vec<ChannelCount>,
}

/// A page of matching attachments, in result order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileSearchResults {
    pub total: u64,
    pub files: Vec<FileInfo>,
    pub matches: Vec<SearchMatch>,
    pub channel_counts: Vec<ChannelCount>,
}

/// The index as the administrator sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchStatus {
    pub enabled: bool,
    pub posts: u64,
    pub files: u64,
    pub size_bytes: u64,
    /// Change-log position the index has caught up to.
    pub cursor: Option<u64>,
    /// Newest change-log position: `latest_seq - cursor` changes are not searchable yet.
    pub latest_seq: u64,
    /// A rebuild is running.
    pub rebuilding: bool,
    /// The last indexing failure, if the indexer is stuck.
    pub last_error: Option<String>,
}

impl SearchStatus {
    /// What a server with search switched off reports.
    pub fn switched_off() -> SearchStatus {
        SearchStatus {
            enabled: false,
            posts: 0,
            files: 0,
            size_bytes: 0,
            cursor: None,
            latest_seq: 0,
            rebuilding: false,
            last_error: None,
        }
    }
}
