//! Untyped JSON calls for endpoints whose bodies this crate does not model
//! (yet): the answer is a `serde_json::Value`, errors are still
//! [`ClientError`](crate::ClientError)s with the server's code.

use reqwest::Method;

use crate::{Client, Result};

impl Client {
    /// Sends `method path` below `/api/v1` with an optional JSON body and
    /// decodes the JSON answer; an empty success answer (204) is `null`.
    pub async fn call_json(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<serde_json::Value> {
        let mut rb = self.api(method, path);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        let resp = crate::checked(rb.send().await?).await?;
        let context = format!("{} answer", resp.url().path());
        let bytes = resp.bytes().await?;
        if bytes.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| {
            crate::ClientError::decode(format!("{context} ({})", crate::error::snippet(&bytes)), e)
        })
    }
}
