//! A typed async client for the Hearth API (`/api/v1`, see `docs/api.md`).
//!
//! One method per route, named after what it does, returning the
//! `hearth-api` types; failures come back as [`ClientError`] carrying the
//! server's stable [`ErrorCode`](hearth_api::ErrorCode). Integration tests,
//! the load generator and tools share it so they all speak the same contract.
//! [`Client::raw`] and [`Client::raw_body`] are the escape hatches for
//! sending what the typed methods cannot (malformed or unknown input).

mod admin;
mod audit;
mod channels;
mod checks;
mod compliance;
mod error;
mod files;
mod identity;
mod import;
mod posts;
mod search;
mod system;
mod teams;
mod users;
mod ws;

pub use error::{ClientError, Result};
/// Re-exported so dependents can build a custom `reqwest::Client` for
/// [`Client::with_http`] without a version-matched dependency of their own.
pub use reqwest;
pub use reqwest::{Method, StatusCode};
pub use system::RawBody;
pub use users::UserQuery;
pub use ws::{WsConnection, ws_url};

use serde::de::DeserializeOwned;

/// A handle on one server, optionally authenticated with a bearer token.
///
/// Cheap to clone (the HTTP connection pool is shared); each clone keeps its
/// own token, so one pool can serve many users.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    /// Scheme, host and port (and any path prefix), without a trailing slash.
    base: String,
    token: Option<String>,
}

/// Leaves the token out, so a logged client never gives its credentials away.
impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish_non_exhaustive()
    }
}

/// A binary answer (file, thumbnail, avatar) with the headers tests check.
#[derive(Debug, Clone)]
pub struct Download {
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Content-Disposition` header (`attachment; filename=…` for files).
    pub content_disposition: Option<String>,
    /// The body.
    pub bytes: Vec<u8>,
}

impl Client {
    /// A client for the server at `base_url` (e.g. `http://127.0.0.1:8065`),
    /// with a fresh connection pool and no token.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self::with_http(base_url, reqwest::Client::new())
    }

    /// Like [`Client::new`] with a per-request timeout, so a stuck server
    /// fails a test or a benchmark instead of hanging it.
    pub fn with_timeout(base_url: impl Into<String>, timeout: std::time::Duration) -> Result<Self> {
        let http = reqwest::Client::builder().timeout(timeout).build()?;
        Ok(Self::with_http(base_url, http))
    }

    /// A client that speaks HTTP over the Unix socket at `path`, such as the
    /// server's local administration socket (requests there act as the
    /// built-in administrator, so no token is needed).
    #[cfg(unix)]
    pub fn unix(path: impl AsRef<std::path::Path>, timeout: std::time::Duration) -> Result<Self> {
        let http = reqwest::Client::builder()
            .unix_socket(path.as_ref())
            .timeout(timeout)
            .build()?;
        // The host is never resolved: every connection goes to the socket.
        Ok(Self::with_http("http://localhost", http))
    }

    /// Like [`Client::new`] but on a caller-built `reqwest::Client`, to share a
    /// pool between many users or to set timeouts or a cookie store.
    pub fn with_http(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        let base = base_url.into().trim_end_matches('/').to_string();
        Client {
            http,
            base,
            token: None,
        }
    }

    /// The same client authenticated with `token` (a login token or a
    /// personal access token).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Replaces (or clears) the bearer token in place.
    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    /// The bearer token in use, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The underlying HTTP client, for requests this crate does not model.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A request to `path` below the server root (`/healthz`, `/api/v1/...`),
    /// carrying the bearer token if one is set.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let rb = self.http.request(method, format!("{}{}", self.base, path));
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    /// A request to `path` below `/api/v1`.
    pub(crate) fn api(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.request(method, &format!("/api/v1{path}"))
    }

    /// Sends and decodes a JSON success body, or turns the answer into an error.
    pub(crate) async fn json<T: DeserializeOwned>(&self, rb: reqwest::RequestBuilder) -> Result<T> {
        Ok(self.json_with_status(rb).await?.1)
    }

    /// Like [`Client::json`], also returning the success status (201 vs 200).
    pub(crate) async fn json_with_status<T: DeserializeOwned>(
        &self,
        rb: reqwest::RequestBuilder,
    ) -> Result<(u16, T)> {
        let resp = checked(rb.send().await?).await?;
        let status = resp.status().as_u16();
        let context = format!("{} answer", resp.url().path());
        let body = resp.bytes().await?;
        serde_json::from_slice(&body)
            .map(|v| (status, v))
            .map_err(|e| ClientError::decode(format!("{context} ({})", error::snippet(&body)), e))
    }

    /// Sends a request whose success answer has no body worth reading (204).
    pub(crate) async fn empty(&self, rb: reqwest::RequestBuilder) -> Result<()> {
        checked(rb.send().await?).await?;
        Ok(())
    }

    /// Sends a request whose success answer is binary content.
    pub(crate) async fn download(&self, rb: reqwest::RequestBuilder) -> Result<Download> {
        let resp = checked(rb.send().await?).await?;
        let header = |name: reqwest::header::HeaderName| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let content_disposition = header(reqwest::header::CONTENT_DISPOSITION);
        let bytes = resp.bytes().await?.to_vec();
        Ok(Download {
            content_type,
            content_disposition,
            bytes,
        })
    }
}

/// Passes a success answer through; turns any other into a [`ClientError`].
async fn checked(resp: reqwest::Response) -> Result<reqwest::Response> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let body = resp.bytes().await?;
    Err(ClientError::from_body(status.as_u16(), &body))
}

/// Like [`checked`], but lets a 422 `import_rejected` through: its body
/// carries the import report the caller wants.
async fn checked_import(resp: reqwest::Response) -> Result<reqwest::Response> {
    if resp.status().as_u16() == 422 {
        return Ok(resp);
    }
    checked(resp).await
}

/// Percent-encodes one path segment taken from user input (usernames, emoji).
pub(crate) fn seg(s: &str) -> String {
    urlencoding::encode(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_loses_trailing_slash() {
        let c = Client::new("http://127.0.0.1:8065/");
        assert_eq!(c.base_url(), "http://127.0.0.1:8065");
        assert!(c.token().is_none());
        let c = c.with_token("t");
        assert_eq!(c.token(), Some("t"));
    }

    #[test]
    fn debug_hides_the_token() {
        let c = Client::new("http://127.0.0.1:8065").with_token("hunter2-token");
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2-token"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(seg("a b/c"), "a%20b%2Fc");
        assert_eq!(seg("thumbsup"), "thumbsup");
    }
}
