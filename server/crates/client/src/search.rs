//! Full-text search and the index's administration.

use hearth_api::{FileSearchResults, PostSearchResults, SearchRequest, SearchStatus};
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// `POST /posts/search`.
    pub async fn search_posts(&self, req: &SearchRequest) -> Result<PostSearchResults> {
        self.json(self.api(Method::POST, "/posts/search").json(req))
            .await
    }

    /// `POST /posts/search` with only the terms.
    pub async fn search(&self, terms: &str) -> Result<PostSearchResults> {
        self.search_posts(&SearchRequest {
            terms: terms.to_string(),
            ..Default::default()
        })
        .await
    }

    /// `POST /files/search`.
    pub async fn search_files(&self, req: &SearchRequest) -> Result<FileSearchResults> {
        self.json(self.api(Method::POST, "/files/search").json(req))
            .await
    }

    /// `GET /admin/search/status` (system admin).
    pub async fn search_status(&self) -> Result<SearchStatus> {
        self.json(self.api(Method::GET, "/admin/search/status"))
            .await
    }

    /// `POST /admin/search/reindex` (system admin): answers once the new index is live.
    pub async fn search_reindex(&self) -> Result<SearchStatus> {
        self.json(self.api(Method::POST, "/admin/search/reindex"))
            .await
    }
}
