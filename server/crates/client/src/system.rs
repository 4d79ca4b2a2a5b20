//! System routes and the raw escape hatches.

use hearth_api::{ErrorBody, ErrorCode, ServerInfo};
use reqwest::{Method, StatusCode};

use crate::{Client, Result, checked};

/// The body of a raw answer: JSON when it parses as JSON, text otherwise
/// (an empty body is `Text("")`).
#[derive(Debug, Clone, PartialEq)]
pub enum RawBody {
    /// The body parsed as JSON.
    Json(serde_json::Value),
    /// The body as (lossily decoded) text.
    Text(String),
}

impl RawBody {
    fn parse(bytes: &[u8]) -> Self {
        match serde_json::from_slice(bytes) {
            Ok(v) => RawBody::Json(v),
            Err(_) => RawBody::Text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// The JSON value, if the body was JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        match self {
            RawBody::Json(v) => Some(v),
            RawBody::Text(_) => None,
        }
    }

    /// The `error.code` of a standard error body, if this is one.
    pub fn error_code(&self) -> Option<ErrorCode> {
        let v = self.json()?;
        serde_json::from_value::<ErrorBody>(v.clone())
            .ok()
            .map(|b| b.error.code)
    }
}

impl Client {
    /// `GET /api/v1/system/info`: facts needed before login (no auth).
    pub async fn server_info(&self) -> Result<ServerInfo> {
        self.json(self.api(Method::GET, "/system/info")).await
    }

    /// `GET /healthz`: the status code (200 while the process runs).
    pub async fn healthz(&self) -> Result<u16> {
        Ok(self.raw(Method::GET, "/healthz", None).await?.0.as_u16())
    }

    /// `GET /readyz`: the status code (200 when the database answers, else 503).
    pub async fn readyz(&self) -> Result<u16> {
        Ok(self.raw(Method::GET, "/readyz", None).await?.0.as_u16())
    }

    /// `GET /metrics`: the Prometheus text.
    pub async fn metrics(&self) -> Result<String> {
        let resp = checked(self.request(Method::GET, "/metrics").send().await?).await?;
        Ok(resp.text().await?)
    }

    /// `GET /api/v1/openapi.json`: the OpenAPI document, untyped.
    pub async fn openapi(&self) -> Result<serde_json::Value> {
        self.json(self.api(Method::GET, "/openapi.json")).await
    }

    /// Sends any request to `path` below the server root (`/api/v1/...`,
    /// `/healthz`) with an optional JSON body, and returns status and body
    /// whatever they are: error statuses are not turned into errors.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<(StatusCode, RawBody)> {
        let mut rb = self.request(method, path);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await?;
        let status = resp.status();
        Ok((status, RawBody::parse(&resp.bytes().await?)))
    }

    /// Like [`Client::raw`] with an arbitrary body and content type, for
    /// malformed JSON, wrong media types or oversized payloads.
    pub async fn raw_body(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Result<(StatusCode, RawBody)> {
        let resp = self
            .request(method, path)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await?;
        let status = resp.status();
        Ok((status, RawBody::parse(&resp.bytes().await?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_body_recognises_error_bodies() {
        let b = RawBody::parse(br#"{"error":{"code":"rate_limited","message":"slow down"}}"#);
        assert_eq!(b.error_code(), Some(ErrorCode::RateLimited));
        let t = RawBody::parse(b"ok");
        assert_eq!(t, RawBody::Text("ok".into()));
        assert_eq!(t.error_code(), None);
        assert_eq!(RawBody::parse(b""), RawBody::Text(String::new()));
    }
}
