//! Runs the `hearth-load` binary against a minimal in-process fake of the
//! routes it uses, once clean and once with a delivery dropped and another
//! doubled, to check that the instrument counts what really happened.

// tungstenite's handshake callback returns its large `ErrorResponse` by value.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use hearth_api::*;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use uuid::Uuid;

#[derive(Default)]
struct State {
    /// Drop post 3's delivery to its channel's first member, double post 5's.
    faulty: bool,
    users: Vec<User>,
    members: HashMap<Uuid, Vec<Uuid>>,
    sockets: HashMap<Uuid, mpsc::UnboundedSender<String>>,
    seq: HashMap<Uuid, u64>,
}

type Shared = Arc<Mutex<State>>;

/// Serialises a response body.
macro_rules! js {
    ($x:expr) => {
        serde_json::to_string($x).unwrap()
    };
}

fn user(id: Uuid, username: &str) -> User {
    User {
        id,
        username: username.into(),
        email: None,
        display_name: username.into(),
        role: Role::User,
        timezone: "UTC".into(),
        status_text: String::new(),
        has_avatar: false,
        is_active: true,
        is_bot: false,
        created_at: 0,
        updated_at: 0,
    }
}

fn user_of_token(headers: &HashMap<String, String>) -> Option<Uuid> {
    let auth = headers.get("authorization")?;
    auth.strip_prefix("Bearer tok-")?.parse().ok()
}

/// Answers one API request: (status, JSON body).
fn route(st: &Shared, method: &str, path: &str, auth: Option<Uuid>, body: &[u8]) -> (u16, String) {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let mut st = st.lock().unwrap();
    let parts: Vec<&str> = path.trim_start_matches("/api/v1/").split('/').collect();
    match (method, parts.as_slice()) {
        ("GET", ["system", "info"]) => (
            200,
            js!(&ServerInfo {
                version: "fake".into(),
                signup_mode: "open".into(),
                needs_setup: st.users.is_empty(),
                max_file_size: 0,
                max_post_chars: MAX_POST_CHARS,
            }),
        ),
        ("POST", ["users", "signup"]) => {
            let u = user(Uuid::now_v7(), v["username"].as_str().unwrap());
            st.users.push(u.clone());
            (201, js!(&u))
        }
        ("POST", ["users", "login"]) => {
            let login = v["login"].as_str().unwrap();
            let Some(u) = st.users.iter().find(|u| u.username == login).cloned() else {
                return (
                    401,
                    r#"{"error":{"code":"invalid_credentials","message":"no"}}"#.into(),
                );
            };
            let token = format!("tok-{}", u.id);
            let r = LoginResponse {
                user: u,
                token,
                csrf_token: "c".into(),
                session_id: Uuid::now_v7(),
            };
            (200, js!(&r))
        }
        ("POST", ["teams"]) => (
            201,
            js!(&Team {
                id: Uuid::now_v7(),
                name: v["name"].as_str().unwrap().into(),
                display_name: "t".into(),
                description: String::new(),
                open: true,
                created_at: 0,
                updated_at: 0,
            }),
        ),
        ("GET", ["teams", _, "invite"]) => (
            200,
            js!(&TeamInvite {
                invite_id: "inv".into()
            }),
        ),
        ("POST", ["teams", team, "members"]) => (
            201,
            js!(&TeamMember {
                team_id: team.parse().unwrap(),
                user_id: v["user_id"].as_str().unwrap().parse().unwrap(),
                role: MemberRole::Member,
                created_at: 0,
            }),
        ),
        ("POST", ["channels"]) => {
            let id = Uuid::now_v7();
            st.members.insert(id, Vec::new());
            let c = Channel {
                id,
                team_id: v["team_id"].as_str().and_then(|t| t.parse().ok()),
                kind: ChannelKind::Public,
                name: v["name"].as_str().unwrap().into(),
                display_name: "c".into(),
                purpose: String::new(),
                header: String::new(),
                creator_id: auth,
                created_at: 0,
                updated_at: 0,
                archived_at: None,
                last_post_at: 0,
                total_msg_count: 0,
            };
            (201, js!(&c))
        }
        ("POST", ["channels", ch, "members"]) => {
            let channel_id: Uuid = ch.parse().unwrap();
            let user_id: Uuid = v["user_id"].as_str().unwrap().parse().unwrap();
            st.members.get_mut(&channel_id).unwrap().push(user_id);
            let m = ChannelMember {
                channel_id,
                user_id,
                role: MemberRole::Member,
                notify_level: NotifyLevel::Default,
                muted: false,
                favorite: false,
                last_viewed_at: 0,
                msg_count: 0,
                mention_count: 0,
                created_at: 0,
            };
            (201, js!(&m))
        }
        ("POST", ["posts"]) => {
            let channel_id: Uuid = v["channel_id"].as_str().unwrap().parse().unwrap();
            let message = v["message"].as_str().unwrap().to_string();
            let n: u64 = message.split([':', ' ']).nth(2).unwrap().parse().unwrap();
            let post = Post {
                id: Uuid::now_v7(),
                channel_id,
                user_id: auth.unwrap(),
                root_id: None,
                message,
                file_ids: vec![],
                is_pinned: false,
                created_at: 0,
                updated_at: 0,
                edited_at: None,
                deleted_at: None,
                reply_count: 0,
                last_reply_at: None,
                participants: vec![],
                reactions: vec![],
                mentions: vec![],
                mentions_channel: false,
                channel_links: vec![],
                idempotency_key: None,
            };
            let members = st.members[&channel_id].clone();
            for (i, m) in members.iter().enumerate() {
                let copies = match (st.faulty, n, i) {
                    (true, 3, 0) => 0,
                    (true, 5, 0) => 2,
                    _ => 1,
                };
                for _ in 0..copies {
                    let seq = st.seq.entry(*m).or_default();
                    *seq += 1;
                    let frame = ServerFrame::Event(Event {
                        seq: *seq,
                        event: EventKind::Posted,
                        channel_id: Some(channel_id),
                        team_id: None,
                        data: serde_json::to_value(&post).unwrap(),
                    });
                    if let Some(tx) = st.sockets.get(m) {
                        let _ = tx.send(serde_json::to_string(&frame).unwrap());
                    }
                }
            }
            (201, js!(&post))
        }
        _ => (
            404,
            r#"{"error":{"code":"not_found","message":"fake"}}"#.into(),
        ),
    }
}

async fn serve_http(st: Shared, sock: TcpStream) {
    let mut r = BufReader::new(sock);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let mut it = line.split_whitespace();
        let (method, path) = (
            it.next().unwrap().to_string(),
            it.next().unwrap().to_string(),
        );
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).await.unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap();
            headers.insert(k.to_lowercase(), v.trim().to_string());
        }
        let len: usize = headers
            .get("content-length")
            .map_or(0, |l| l.parse().unwrap());
        let mut body = vec![0; len];
        r.read_exact(&mut body).await.unwrap();
        let (status, out) = route(&st, &method, &path, user_of_token(&headers), &body);
        let resp = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{out}",
            out.len()
        );
        r.get_mut().write_all(resp.as_bytes()).await.unwrap();
    }
}

async fn serve_ws(st: Shared, sock: TcpStream) {
    let mut who = None;
    let cb = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        let h = req
            .headers()
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap();
        who = h
            .strip_prefix("Bearer tok-")
            .and_then(|t| t.parse::<Uuid>().ok());
        Ok(resp)
    };
    let mut ws = tokio_tungstenite::accept_hdr_async(sock, cb).await.unwrap();
    let user = who.unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let seq = {
        let mut s = st.lock().unwrap();
        s.sockets.insert(user, tx);
        s.seq.get(&user).copied().unwrap_or(0)
    };
    let hello = format!(r#"{{"type":"hello","epoch":"e","seq":{seq}}}"#);
    ws.send(Message::text(hello)).await.unwrap();
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(t) => if ws.send(Message::text(t)).await.is_err() { return },
                None => return,
            },
            msg = ws.next() => match msg {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                _ => {}
            },
        }
    }
}

async fn start(faulty: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let st: Shared = Arc::new(Mutex::new(State {
        faulty,
        ..State::default()
    }));
    tokio::spawn(async move {
        loop {
            let (sock, _) = listener.accept().await.unwrap();
            let st = st.clone();
            tokio::spawn(async move {
                let mut head = [0u8; 32];
                let n = sock.peek(&mut head).await.unwrap_or(0);
                if head[..n].starts_with(b"GET /api/v1/websocket") {
                    serve_ws(st, sock).await;
                } else {
                    serve_http(st, sock).await;
                }
            });
        }
    });
    url
}

async fn run_load(url: &str) -> (i32, serde_json::Value) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_hearth-load"))
        .args([
            "--url",
            url,
            "--users",
            "6",
            "--channels",
            "3",
            "--members-per-channel",
            "4",
        ])
        .args([
            "--rate",
            "40",
            "--duration",
            "1",
            "--warmup",
            "0",
            "--drain",
            "1",
        ])
        .args([
            "--admin-password",
            "adminpass",
            "--setup-token",
            "s",
            "--json",
            "--quiet",
        ])
        .args(["--server-pid", &std::process::id().to_string()])
        .stderr(Stdio::inherit())
        .output()
        .await
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_run_counts_every_delivery() {
    let url = start(false).await;
    let (code, r) = run_load(&url).await;
    let d = &r["deliveries"];
    assert_eq!(r["posts"]["created_measured"], 40, "{r:#}");
    assert_eq!(d["expected"], 40 * 4, "{r:#}");
    assert_eq!(d["received"], d["expected"], "{r:#}");
    assert_eq!(d["lost"], 0);
    assert_eq!(d["duplicates"], 0);
    assert_eq!(d["latency"]["count"], 160);
    assert_eq!(r["events"]["seq_gaps"], 0);
    assert!(r["server_rss"]["idle_kib"].as_u64().unwrap() > 0);
    assert_eq!(code, 0, "{r:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_detected() {
    let url = start(true).await;
    let (code, r) = run_load(&url).await;
    let d = &r["deliveries"];
    assert_eq!(d["expected"], 160, "{r:#}");
    assert_eq!(d["received"], 159, "{r:#}");
    assert_eq!(d["lost"], 1, "{r:#}");
    assert_eq!(d["duplicates"], 1, "{r:#}");
    assert_eq!(r["healthy"], false);
    assert_eq!(code, 3);
}
