//! The event WebSocket (`/api/v1/websocket`): connect with the client's
//! token, read typed frames with a timeout, resume from `(epoch, seq)`.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use hearth_api::{ClientFrame, Event, ServerFrame};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::{Client, ClientError, Result};

/// How long `connect_ws` waits for the server's `hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// The WebSocket URL for an HTTP base URL: `http` becomes `ws`, `https`
/// becomes `wss`, and `resume` adds `?epoch=..&seq=..`.
pub fn ws_url(base: &str, resume: Option<(&str, u64)>) -> Result<String> {
    let base = base.trim_end_matches('/');
    let rest = if let Some(r) = base.strip_prefix("http://") {
        format!("ws://{r}")
    } else if let Some(r) = base.strip_prefix("https://") {
        format!("wss://{r}")
    } else if base.starts_with("ws://") || base.starts_with("wss://") {
        base.to_string()
    } else {
        return Err(ClientError::InvalidUrl(base.to_string()));
    };
    let mut url = format!("{rest}/api/v1/websocket");
    if let Some((epoch, seq)) = resume {
        url.push_str(&format!("?epoch={}&seq={seq}", urlencoding::encode(epoch)));
    }
    Ok(url)
}

/// One open event WebSocket. Tracks the epoch and the last sequence number
/// seen, so a test can reconnect with [`WsConnection::resume_point`].
pub struct WsConnection {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    epoch: String,
    hello_seq: u64,
    last_seq: u64,
    /// The close code and reason once the server has closed the socket.
    closed: Option<(Option<u16>, String)>,
}

impl std::fmt::Debug for WsConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsConnection")
            .field("epoch", &self.epoch)
            .field("hello_seq", &self.hello_seq)
            .field("last_seq", &self.last_seq)
            .field("closed", &self.closed)
            .finish()
    }
}

impl Client {
    /// Opens the event WebSocket with this client's bearer token, optionally
    /// resuming after `(epoch, seq)`, and waits for the server's `hello`.
    /// A refused upgrade comes back as [`ClientError::Api`] when the server
    /// sent its standard error body.
    pub async fn connect_ws(&self, resume: Option<(String, u64)>) -> Result<WsConnection> {
        let url = ws_url(&self.base, resume.as_ref().map(|(e, s)| (e.as_str(), *s)))?;
        let mut request = url.into_client_request()?;
        if let Some(token) = &self.token {
            let value = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|e| tungstenite::Error::HttpFormat(e.into()))?;
            request.headers_mut().insert("Authorization", value);
        }
        let stream = match tokio_tungstenite::connect_async_with_config(request, None, true).await {
            Ok((stream, _)) => stream,
            Err(tungstenite::Error::Http(resp)) => {
                let body = resp.body().as_deref().unwrap_or_default();
                return Err(ClientError::from_body(resp.status().as_u16(), body));
            }
            Err(e) => return Err(e.into()),
        };
        let mut conn = WsConnection {
            stream,
            epoch: String::new(),
            hello_seq: 0,
            last_seq: 0,
            closed: None,
        };
        match conn.next_frame(HELLO_TIMEOUT).await? {
            Some(ServerFrame::Hello { .. }) => Ok(conn),
            Some(other) => Err(ClientError::Protocol(format!(
                "first frame was not hello: {other:?}"
            ))),
            None => Err(ClientError::Protocol(format!(
                "no hello within {HELLO_TIMEOUT:?}"
            ))),
        }
    }
}

impl WsConnection {
    /// The epoch and sequence number of the server's `hello`.
    pub fn hello(&self) -> (&str, u64) {
        (&self.epoch, self.hello_seq)
    }

    /// The current epoch (from `hello`, or a later `resync`).
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    /// The last sequence number seen in `hello`, `resync` or an event.
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// What to pass to [`Client::connect_ws`] to continue where this left off.
    pub fn resume_point(&self) -> (String, u64) {
        (self.epoch.clone(), self.last_seq)
    }

    /// The close code and reason, once the server has closed the socket.
    pub fn close_info(&self) -> Option<(Option<u16>, &str)> {
        self.closed.as_ref().map(|(c, r)| (*c, r.as_str()))
    }

    /// The next frame from the server, or `None` if none came within
    /// `timeout`. Pings are answered and pongs skipped; a close from the
    /// server is [`ClientError::Closed`] with its code.
    pub async fn next_frame(&mut self, timeout: Duration) -> Result<Option<ServerFrame>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((code, reason)) = &self.closed {
                return Err(ClientError::Closed {
                    code: *code,
                    reason: reason.clone(),
                });
            }
            let msg = match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return Ok(None),
                Ok(None)
                | Ok(Some(Err(
                    tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed,
                ))) => {
                    self.closed.get_or_insert((None, String::new()));
                    continue;
                }
                Ok(Some(Err(e))) => return Err(e.into()),
                Ok(Some(Ok(msg))) => msg,
            };
            let bytes: &[u8] = match &msg {
                Message::Text(t) => t.as_bytes(),
                Message::Binary(b) => b,
                Message::Ping(_) => {
                    // tungstenite queued the pong; push it out now.
                    self.stream.flush().await?;
                    continue;
                }
                Message::Pong(_) | Message::Frame(_) => continue,
                Message::Close(frame) => {
                    self.closed = Some(match frame {
                        Some(f) => (Some(u16::from(f.code)), f.reason.to_string()),
                        None => (None, String::new()),
                    });
                    continue;
                }
            };
            let frame: ServerFrame = serde_json::from_slice(bytes).map_err(|e| {
                ClientError::decode(
                    format!("WebSocket frame {}", crate::error::snippet(bytes)),
                    e,
                )
            })?;
            match &frame {
                ServerFrame::Hello { epoch, seq } => {
                    self.epoch.clone_from(epoch);
                    self.hello_seq = *seq;
                    self.last_seq = *seq;
                }
                ServerFrame::Resync { epoch, seq } => {
                    self.epoch.clone_from(epoch);
                    self.last_seq = *seq;
                }
                ServerFrame::Event(ev) => self.last_seq = ev.seq,
                ServerFrame::Pong => {}
            }
            return Ok(Some(frame));
        }
    }

    /// The next event within `timeout`, skipping `hello`, `resync` and `pong`
    /// frames (their epoch and seq are still tracked).
    pub async fn next_event(&mut self, timeout: Duration) -> Result<Option<Event>> {
        self.next_event_where(timeout, |_| true).await
    }

    /// The next event within `timeout` for which `pred` holds, skipping the
    /// others: e.g. wait for the `posted` event of one channel.
    pub async fn next_event_where(
        &mut self,
        timeout: Duration,
        mut pred: impl FnMut(&Event) -> bool,
    ) -> Result<Option<Event>> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_frame(left).await? {
                None => return Ok(None),
                Some(ServerFrame::Event(ev)) if pred(&ev) => return Ok(Some(ev)),
                Some(_) => {}
            }
        }
    }

    /// Sends a client frame (`typing`, `activity`, `ping`).
    pub async fn send(&mut self, frame: ClientFrame) -> Result<()> {
        let text =
            serde_json::to_string(&frame).map_err(|e| ClientError::decode("client frame", e))?;
        self.send_text(text).await
    }

    /// Sends an arbitrary text frame, for testing malformed input.
    pub async fn send_text(&mut self, text: String) -> Result<()> {
        self.stream.send(Message::text(text)).await?;
        Ok(())
    }

    /// Closes the socket normally and waits briefly for the server's answer.
    pub async fn close(mut self) -> Result<()> {
        match self.stream.close(None).await {
            Ok(())
            | Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {}
            Err(e) => return Err(e.into()),
        }
        let drain = async { while let Some(Ok(_)) = self.stream.next().await {} };
        let _ = tokio::time::timeout(Duration::from_secs(2), drain).await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_url_follows_the_http_scheme() {
        assert_eq!(
            ws_url("http://127.0.0.1:8065", None).unwrap(),
            "ws://127.0.0.1:8065/api/v1/websocket"
        );
        assert_eq!(
            ws_url("https://chat.example.com/", None).unwrap(),
            "wss://chat.example.com/api/v1/websocket"
        );
    }

    #[test]
    fn ws_url_carries_the_resume_point() {
        assert_eq!(
            ws_url("http://h:1", Some(("a b", 42))).unwrap(),
            "ws://h:1/api/v1/websocket?epoch=a%20b&seq=42"
        );
    }

    #[test]
    fn ws_url_rejects_other_schemes() {
        assert!(matches!(
            ws_url("ftp://h", None),
            Err(ClientError::InvalidUrl(_))
        ));
    }

    #[test]
    fn server_frames_parse() {
        let f: ServerFrame = serde_json::from_str(
            r#"{"type":"event","seq":3,"event":"posted","channel_id":"0190a0a0-0000-7000-8000-000000000000","data":{"message":"hi"}}"#,
        )
        .unwrap();
        assert!(matches!(f, ServerFrame::Event(ref e) if e.seq == 3));
        let f: ServerFrame =
            serde_json::from_str(r#"{"type":"hello","epoch":"e","seq":0}"#).unwrap();
        assert!(matches!(f, ServerFrame::Hello { seq: 0, .. }));
    }
}
