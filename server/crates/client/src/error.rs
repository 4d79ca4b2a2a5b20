//! The one error type of the client, so tests can match on the server's
//! stable [`ErrorCode`] rather than on message text.

use hearth_api::{ErrorBody, ErrorCode};
use tokio_tungstenite::tungstenite;

/// Everything a client call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with the standard `{"error":{code,message}}` body.
    #[error("HTTP {status} {code}: {message}")]
    Api {
        /// HTTP status of the answer.
        status: u16,
        /// The stable code to match on.
        code: ErrorCode,
        /// The human sentence (wording may change).
        message: String,
    },
    /// The server answered an error status without the standard error body
    /// (itself a contract violation worth reporting).
    #[error("HTTP {status} without an error body: {body}")]
    Unexpected {
        /// HTTP status of the answer.
        status: u16,
        /// The start of the body, lossily decoded.
        body: String,
    },
    /// The request could not be sent or the response not read.
    #[error("HTTP transport: {0}")]
    Http(#[from] reqwest::Error),
    /// The WebSocket handshake or stream failed (boxed: the error is large).
    #[error("WebSocket: {0}")]
    WebSocket(#[from] Box<tungstenite::Error>),
    /// The server closed the WebSocket, with its close code if it sent one.
    #[error("WebSocket closed (code {code:?}): {reason}")]
    Closed {
        /// The close code (1001 going away, 1008 policy), if any was sent.
        code: Option<u16>,
        /// The close reason, possibly empty.
        reason: String,
    },
    /// A success body did not match the expected type.
    #[error("cannot decode {context}: {source}")]
    Decode {
        /// What was being decoded, with the start of the body.
        context: String,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// The server broke the protocol in a way serde does not catch
    /// (for example, the first WebSocket frame was not `hello`).
    #[error("protocol: {0}")]
    Protocol(String),
    /// The base URL given to the client cannot be used.
    #[error("invalid base URL: {0}")]
    InvalidUrl(String),
}

impl From<tungstenite::Error> for ClientError {
    fn from(e: tungstenite::Error) -> Self {
        ClientError::WebSocket(Box::new(e))
    }
}

impl ClientError {
    /// The API error code, when the server sent one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status of an error answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::Unexpected { status, .. } => {
                Some(*status)
            }
            ClientError::Http(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Builds the error for a non-success answer from its status and body.
    pub(crate) fn from_body(status: u16, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(b) => ClientError::Api {
                status,
                code: b.error.code,
                message: b.error.message,
            },
            Err(_) => ClientError::Unexpected {
                status,
                body: snippet(body),
            },
        }
    }

    pub(crate) fn decode(context: impl Into<String>, source: serde_json::Error) -> Self {
        ClientError::Decode {
            context: context.into(),
            source,
        }
    }
}

/// The start of a body, for error messages (bodies can be megabytes).
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 300;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX)]).into_owned();
    if body.len() > MAX {
        format!("{text}…")
    } else {
        text
    }
}

/// Result with [`ClientError`].
pub type Result<T, E = ClientError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_standard_error_body() {
        let e = ClientError::from_body(
            404,
            br#"{"error":{"code":"not_found","message":"no such channel"}}"#,
        );
        assert_eq!(e.code(), Some(ErrorCode::NotFound));
        assert_eq!(e.status(), Some(404));
    }

    #[test]
    fn keeps_a_non_standard_body() {
        let e = ClientError::from_body(502, b"Bad Gateway");
        assert!(e.code().is_none());
        assert!(
            matches!(e, ClientError::Unexpected { status: 502, ref body } if body == "Bad Gateway")
        );
    }
}
