//! The client against tiny in-process fakes of the server, so the HTTP error
//! mapping and the WebSocket handshake, ping and close handling are checked
//! without the real server.

// tungstenite's handshake callback returns its large `ErrorResponse` by value.
#![allow(clippy::result_large_err)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use hearth_api::{ClientFrame, ErrorCode, EventKind, ServerFrame};
use hearth_client::{Client, ClientError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, http};

/// Answers one HTTP request with `status` and `body`, returning the request text.
async fn one_http_answer(
    status: &'static str,
    body: &'static str,
) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let n = sock.read(&mut buf).await.unwrap();
        let resp = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        sock.write_all(resp.as_bytes()).await.unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    });
    (base, task)
}

#[tokio::test]
async fn api_errors_carry_the_code() {
    let (base, server) = one_http_answer(
        "404 Not Found",
        r#"{"error":{"code":"not_found","message":"no such user"}}"#,
    )
    .await;
    let client = Client::new(base).with_token("tok123");
    let err = client.me().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::NotFound));
    assert_eq!(err.status(), Some(404));
    let request = server.await.unwrap();
    assert!(request.starts_with("GET /api/v1/users/me "), "{request}");
    assert!(
        request
            .to_lowercase()
            .contains("authorization: bearer tok123"),
        "{request}"
    );
}

#[tokio::test]
async fn raw_returns_any_status() {
    let (base, _server) = one_http_answer(
        "429 Too Many Requests",
        r#"{"error":{"code":"rate_limited","message":"x"}}"#,
    )
    .await;
    let (status, body) = Client::new(base)
        .raw(
            hearth_client::Method::POST,
            "/api/v1/posts",
            Some(serde_json::json!({"x": 1})),
        )
        .await
        .unwrap();
    assert_eq!(status.as_u16(), 429);
    assert_eq!(body.error_code(), Some(ErrorCode::RateLimited));
}

#[tokio::test]
async fn websocket_hello_events_ping_and_close() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let check = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
            assert_eq!(req.uri().query(), Some("epoch=e1&seq=7"));
            let auth = req.headers().get("authorization").unwrap();
            assert_eq!(auth, "Bearer tok");
            Ok(resp)
        };
        let mut ws = tokio_tungstenite::accept_hdr_async(sock, check)
            .await
            .unwrap();
        let send = |f: &str| Message::text(f.to_string());
        ws.send(send(r#"{"type":"hello","epoch":"e1","seq":7}"#))
            .await
            .unwrap();
        ws.send(Message::Ping(b"p".to_vec().into())).await.unwrap();
        ws.send(send(r#"{"type":"pong"}"#)).await.unwrap();
        ws.send(send(
            r#"{"type":"event","seq":8,"event":"posted","channel_id":"0190a0a0-0000-7000-8000-000000000000","data":{"message":"hi"}}"#,
        ))
        .await
        .unwrap();
        // The client answers the ping and then sends its own frame.
        let mut saw_pong = false;
        loop {
            match ws.next().await.unwrap().unwrap() {
                Message::Pong(p) => {
                    assert_eq!(&p[..], b"p");
                    saw_pong = true;
                }
                Message::Text(t) => {
                    assert_eq!(t.as_str(), r#"{"action":"ping"}"#);
                    break;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(saw_pong);
        ws.close(Some(CloseFrame {
            code: CloseCode::Policy,
            reason: "queue full".into(),
        }))
        .await
        .unwrap();
    });
    let client = Client::new(base).with_token("tok");
    let mut conn = client.connect_ws(Some(("e1".into(), 7))).await.unwrap();
    assert_eq!(conn.hello(), ("e1", 7));
    let ev = conn
        .next_event(Duration::from_secs(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ev.event, EventKind::Posted);
    assert_eq!(conn.resume_point(), ("e1".to_string(), 8));
    conn.send(ClientFrame::Ping).await.unwrap();
    let err = conn.next_frame(Duration::from_secs(5)).await.unwrap_err();
    assert!(
        matches!(err, ClientError::Closed { code: Some(1008), ref reason } if reason == "queue full"),
        "{err:?}"
    );
    assert_eq!(conn.close_info(), Some((Some(1008), "queue full")));
    server.await.unwrap();
}

#[tokio::test]
async fn websocket_timeout_is_none_and_refusal_is_an_api_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        // First connection: hello, then silence.
        let (sock, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(sock).await.unwrap();
        ws.send(Message::text(r#"{"type":"hello","epoch":"e","seq":0}"#))
            .await
            .unwrap();
        // Second connection: refused with the standard error body.
        let (sock, _) = listener.accept().await.unwrap();
        let refuse = |_: &Request, _: Response| -> Result<Response, ErrorResponse> {
            let mut r = ErrorResponse::new(Some(
                r#"{"error":{"code":"unauthenticated","message":"no token"}}"#.to_string(),
            ));
            *r.status_mut() = http::StatusCode::UNAUTHORIZED;
            Err(r)
        };
        let _ = tokio_tungstenite::accept_hdr_async(sock, refuse).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(ws);
    });
    let client = Client::new(base);
    let mut conn = client.connect_ws(None).await.unwrap();
    let f: Option<ServerFrame> = conn.next_frame(Duration::from_millis(100)).await.unwrap();
    assert!(f.is_none());
    let err = client.connect_ws(None).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Unauthenticated), "{err:?}");
    assert_eq!(err.status(), Some(401));
}
