//! Bounds on what one client can make the server hold (presence watchers,
//! WebSocket connections, uploads, decoded images, metric series), rate-limit
//! keys behind reverse proxies, security headers and file modes.

use std::time::{Duration, Instant};

use hearth_api::{ClientFrame, ErrorCode};
use hearth_client::{Client, ClientError, Method};
use hearth_server::HubStats;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::accounts::png;
use crate::both_backends;
use crate::harness::{Backend, TestServer};

const WAIT: Duration = Duration::from_secs(20);

fn api_err<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, ErrorCode, String) {
    match r {
        Err(ClientError::Api {
            status,
            code,
            message,
            ..
        }) => (status, code, message),
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Polls the running server's hub until `done` holds; fails after [`WAIT`]
/// with the last figures.
async fn hub_until(s: &TestServer, what: &str, done: impl Fn(&HubStats) -> bool) {
    let deadline = Instant::now() + WAIT;
    loop {
        let st = s
            .server
            .as_ref()
            .expect("server runs")
            .ctx
            .hub
            .stats()
            .await;
        if done(&st) {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: hub says {st:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn ids(n: usize) -> Vec<Uuid> {
    (0..n).map(|_| Uuid::now_v7()).collect()
}

/// The value of an unlabelled metric in Prometheus text.
fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no metric {name} in:\n{text}"))
}

async fn presence_watchers_are_freed(s: TestServer) {
    let (alice, _) = s.admin().await;
    let mut ws = alice.connect_ws(None).await.unwrap();
    ws.send(ClientFrame::SubscribePresence { user_ids: ids(500) })
        .await
        .unwrap();
    hub_until(&s, "first subscription", |v| {
        v.presence_watched == 500 && v.presence_subscriptions == 500
    })
    .await;
    // A new subscription replaces the old one: no entry of the old ids stays.
    ws.send(ClientFrame::SubscribePresence { user_ids: ids(500) })
        .await
        .unwrap();
    hub_until(&s, "replaced subscription", |v| {
        v.presence_watched == 500 && v.presence_subscriptions == 500
    })
    .await;
    // One connection holds at most MAX_PRESENCE_SUBSCRIPTIONS.
    ws.send(ClientFrame::SubscribePresence {
        user_ids: ids(1500),
    })
    .await
    .unwrap();
    let cap = hearth_server::MAX_PRESENCE_SUBSCRIPTIONS;
    hub_until(&s, "capped subscription", |v| {
        v.presence_watched == cap && v.presence_subscriptions == cap
    })
    .await;
    // A second connection of the same user watching one of those ids.
    let mut other = alice.connect_ws(None).await.unwrap();
    other
        .send(ClientFrame::SubscribePresence { user_ids: ids(3) })
        .await
        .unwrap();
    hub_until(&s, "second connection", |v| {
        v.presence_subscriptions == cap + 3
    })
    .await;
    // Disconnecting frees everything the connection held.
    ws.close().await.unwrap();
    hub_until(&s, "after the first disconnect", |v| {
        v.presence_watched == 3 && v.presence_subscriptions == 3
    })
    .await;
    other.close().await.unwrap();
    hub_until(&s, "after both disconnects", |v| {
        v.presence_watched == 0 && v.presence_subscriptions == 0 && v.connections == 0
    })
    .await;
    // The gauges say the same.
    let text = alice.metrics().await.unwrap();
    assert_eq!(metric(&text, "hearth_presence_watched_users"), 0.0);
    assert_eq!(metric(&text, "hearth_presence_subscriptions"), 0.0);
}

async fn websocket_connections_per_user_are_capped(s: TestServer) {
    let (alice, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let first = alice.connect_ws(None).await.unwrap();
    let _second = alice.connect_ws(None).await.unwrap();
    let (status, code, message) = api_err(alice.connect_ws(None).await);
    assert_eq!((status, code), (429, ErrorCode::TooManyConnections));
    assert!(message.contains("limit is 2"), "{message}");
    // Other users are not affected.
    let _bob_ws = bob.connect_ws(None).await.unwrap();
    // A closed connection frees its slot.
    first.close().await.unwrap();
    let deadline = Instant::now() + WAIT;
    loop {
        match alice.connect_ws(None).await {
            Ok(_) => break,
            Err(e) => {
                assert_eq!(e.code(), Some(ErrorCode::TooManyConnections), "{e:?}");
                assert!(Instant::now() < deadline, "the slot was never freed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn metrics_are_not_public(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let anonymous = s.client();
    let (status, code, _) = api_err(anonymous.metrics().await);
    assert_eq!((status, code), (401, ErrorCode::Unauthenticated));
    let (status, code, _) = api_err(bob.metrics().await);
    assert_eq!((status, code), (403, ErrorCode::Forbidden));
    assert!(
        admin
            .metrics()
            .await
            .unwrap()
            .contains("hearth_http_requests_total")
    );
    // The scraper token configured for this server.
    let http = reqwest::Client::new();
    let with = |token: &str| {
        http.get(format!("{}/metrics", s.url))
            .bearer_auth(token)
            .send()
    };
    let ok = with("scrape-secret-0123456789").await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("hearth_ws_connections"));
    assert_eq!(with("wrong-token").await.unwrap().status(), 401);
}

/// The `method` label values of `hearth_http_requests_total`, and how many series it has.
fn method_labels(text: &str) -> (std::collections::BTreeSet<String>, usize) {
    let series: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("hearth_http_requests_total{"))
        .collect();
    let methods = series
        .iter()
        .filter_map(|l| l.split("method=\"").nth(1))
        .filter_map(|r| r.split('"').next())
        .map(str::to_string)
        .collect();
    (methods, series.len())
}

async fn made_up_methods_add_no_series(s: TestServer) {
    let (admin, _) = s.admin().await;
    let http = reqwest::Client::new();
    let send = |m: String| {
        http.request(
            reqwest::Method::from_bytes(m.as_bytes()).unwrap(),
            format!("{}/api/v1/system/info", s.url),
        )
        .send()
    };
    for i in 0..5 {
        send(format!("MADEUP{i}")).await.unwrap();
    }
    // Once first, so the series of GET /metrics itself exists already.
    admin.metrics().await.unwrap();
    let before = admin.metrics().await.unwrap();
    let (methods, n) = method_labels(&before);
    for i in 5..40 {
        send(format!("MADEUP{i}")).await.unwrap();
    }
    let after = admin.metrics().await.unwrap();
    let (methods_after, n_after) = method_labels(&after);
    assert!(methods.contains("other"), "{methods:?}");
    let closed = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other",
    ];
    assert!(
        methods_after.iter().all(|m| closed.contains(&m.as_str())),
        "{methods_after:?}"
    );
    assert_eq!(n, n_after, "35 more made-up methods added series");
}

async fn large_uploads_are_spooled_intact(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let _ = team;
    let town = crate::harness::my_channel(&admin, "town-square").await.id;
    // 12 MiB of bytes that do not repeat in any chunk.
    let mut data = Vec::with_capacity(12 << 20);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    while data.len() < 12 << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data.extend_from_slice(&x.to_le_bytes());
    }
    let sha = hex::encode(Sha256::digest(&data));
    let info = admin
        .upload_files(town, vec![("big.bin".into(), data.clone())])
        .await
        .unwrap();
    assert_eq!(info[0].size, data.len() as i64);
    let back = admin.download_file(info[0].id).await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&back.bytes)), sha);
    let stored = s
        .dir
        .path()
        .join("files")
        .join(&sha[..2])
        .join(&sha[2..4])
        .join(&sha);
    assert_eq!(std::fs::metadata(&stored).unwrap().len(), data.len() as u64);
    // No spool file is left behind.
    let tmp: Vec<_> = std::fs::read_dir(s.dir.path().join("files").join("tmp"))
        .unwrap()
        .collect();
    assert!(tmp.is_empty(), "{tmp:?}");
}

async fn one_upload_request_is_bounded_in_total(s: TestServer) {
    let (admin, _) = s.admin().await;
    s.team(&admin, "acme", true).await;
    let town = crate::harness::my_channel(&admin, "town-square").await.id;
    // max_file_size 1 MiB, max_upload_bytes 2 MiB in this server.
    let part = vec![7u8; 900 * 1024];
    let ok = admin
        .upload_files(
            town,
            vec![
                ("a.bin".into(), part.clone()),
                ("b.bin".into(), part.clone()),
            ],
        )
        .await
        .unwrap();
    assert_eq!(ok.len(), 2);
    let mut other = part.clone();
    other[0] = 8;
    let (status, code, message) = api_err(
        admin
            .upload_files(
                town,
                vec![
                    ("a.bin".into(), part.clone()),
                    ("b.bin".into(), other.clone()),
                    ("c.bin".into(), other),
                ],
            )
            .await,
    );
    assert_eq!((status, code), (400, ErrorCode::InvalidInput), "{message}");
    assert!(message.contains("total at most"), "{message}");
}

/// A PNG whose header says `w`×`h` and whose pixel data is a few bytes: the
/// header alone must keep the server from decoding it.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

async fn image_decoding_is_bounded(s: TestServer) {
    let (admin, _) = s.admin().await;
    s.team(&admin, "acme", true).await;
    let town = crate::harness::my_channel(&admin, "town-square").await.id;
    // 7000×7000 says the header: over max_image_pixels, so never decoded.
    let huge = png_header_only(7000, 7000);
    let info = admin
        .upload_files(town, vec![("huge.png".into(), huge.clone())])
        .await
        .unwrap();
    assert!(!info[0].has_preview);
    assert_eq!(info[0].width, None);
    let (status, code, message) = api_err(admin.set_avatar(huge, "image/png").await);
    assert_eq!((status, code), (400, ErrorCode::InvalidInput));
    assert!(message.contains("pixels"), "{message}");
    let text = admin.metrics().await.unwrap();
    assert_eq!(metric(&text, "hearth_images_too_large_total"), 2.0);
    // Six real images at once: at most files.image_decodes (2) decode together.
    let picture = png(900, 700);
    let mut tasks = Vec::new();
    for i in 0..6 {
        let c = admin.clone();
        let p = picture.clone();
        tasks.push(tokio::spawn(async move {
            c.upload_files(town, vec![(format!("p{i}.png"), p)]).await
        }));
    }
    for t in tasks {
        let info = t.await.unwrap().unwrap();
        assert!(info[0].has_preview);
    }
    let text = admin.metrics().await.unwrap();
    let peak = metric(&text, "hearth_image_decodes_peak");
    assert!((1.0..=2.0).contains(&peak), "peak {peak}");
    assert_eq!(metric(&text, "hearth_image_decodes"), 0.0);
}

/// Three failed logins: 401 each; the fourth from the same key is limited.
async fn login_attempt(s: &TestServer, forwarded_for: Option<&str>, n: usize) -> u16 {
    let c: Client = s.client();
    let mut rb = c
        .request(Method::POST, "/api/v1/users/login")
        .json(&serde_json::json!({ "login": format!("nobody{n}"), "password": "wrong-password" }));
    if let Some(ip) = forwarded_for {
        rb = rb.header("X-Forwarded-For", ip);
    }
    rb.send().await.unwrap().status().as_u16()
}

async fn forwarded_for_counts_only_from_trusted_proxies(backend: Backend) {
    // Loopback is the trusted proxy: each forwarded client has its own bucket.
    let s = TestServer::boot_with(backend, |c| {
        c.limits.logins_per_minute = 3;
        c.server.trusted_proxies = vec!["127.0.0.0/8".into()];
    })
    .await;
    for n in 0..3 {
        assert_eq!(login_attempt(&s, Some("203.0.113.1"), n).await, 401);
    }
    assert_eq!(login_attempt(&s, Some("203.0.113.1"), 3).await, 429);
    assert_eq!(
        login_attempt(&s, Some("203.0.113.2"), 4).await,
        401,
        "a second client behind the proxy has its own bucket"
    );
    // IPv6 clients share a bucket per /64.
    for n in 0..3 {
        let ip = format!("2001:db8:5:6::{n:x}");
        assert_eq!(login_attempt(&s, Some(&ip), 10 + n).await, 401);
    }
    assert_eq!(
        login_attempt(&s, Some("2001:db8:5:6:ffff::1"), 20).await,
        429
    );
    assert_eq!(login_attempt(&s, Some("2001:db8:5:7::1"), 21).await, 401);
    drop(s);

    // No trusted proxy: the header is ignored and loopback is one client.
    let s = TestServer::boot_with(backend, |c| {
        c.limits.logins_per_minute = 3;
    })
    .await;
    for n in 0..3 {
        let spoofed = format!("198.51.100.{n}");
        assert_eq!(login_attempt(&s, Some(&spoofed), n).await, 401);
    }
    assert_eq!(login_attempt(&s, Some("198.51.100.99"), 3).await, 429);
}

async fn requests_are_limited_per_account(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let (carol, _) = s.user("carol").await;
    for _ in 0..5 {
        bob.me().await.unwrap();
    }
    let (status, code, _) = api_err(bob.me().await);
    assert_eq!((status, code), (429, ErrorCode::RateLimited));
    // From another address (a second client) too: the limit is the account's.
    let (again, _) = s.login("bob", "bob-password").await;
    let (status, code, _) = api_err(again.me().await);
    assert_eq!((status, code), (429, ErrorCode::RateLimited));
    carol.me().await.unwrap();
    let _ = admin;
}

fn assert_secure_headers(what: &str, r: &reqwest::Response, tls: bool) {
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_str()
        .unwrap();
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    match h.get("strict-transport-security") {
        Some(v) => {
            assert!(tls, "{what}: HSTS over plain http");
            assert!(v.to_str().unwrap().starts_with("max-age="), "{what}");
        }
        None => assert!(!tls, "{what}: no HSTS over TLS"),
    }
}

/// Every kind of answer carries the headers: the web client, a static
/// asset, API answers (success and error), health and metrics.
async fn security_headers_on_every_answer(s: TestServer, tls: bool) {
    let http = reqwest::Client::new();
    let get = |path: String| http.get(format!("{}{path}", s.url)).send();
    let root = get("/".into()).await.unwrap();
    assert_secure_headers("/", &root, tls);
    let html = root.text().await.unwrap();
    if hearth_server::web_client_available() {
        assert!(
            !html.contains("<script>") && !html.contains("<style"),
            "no inline script or style: {html}"
        );
        let asset = html
            .split('"')
            .find(|p| p.starts_with("/assets/"))
            .expect("index.html references its assets")
            .to_string();
        let r = get(asset.clone()).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_secure_headers(&asset, &r, tls);
    }
    for path in [
        "/api/v1/system/info",
        "/api/v1/no-such-route",
        "/api/v1/users/me",
        "/healthz",
        "/metrics",
        "/some/client/route",
    ] {
        let r = get(path.into()).await.unwrap();
        assert_secure_headers(path, &r, tls);
    }
}

async fn security_headers_over_http(s: TestServer) {
    security_headers_on_every_answer(s, false).await;
}

/// With an https public URL: HSTS, and the session cookie is
/// `__Host-HEARTH_SESSION` with Secure and Path=/, the only name accepted.
async fn tls_servers_send_hsts_and_host_cookies(backend: Backend) {
    let s = TestServer::boot_with(backend, |c| {
        c.server.public_url = "https://chat.example.com".into()
    })
    .await;
    let _ = s.admin().await;
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{}/api/v1/users/login", s.url))
        .json(&serde_json::json!({ "login": "admin", "password": "admin-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert_secure_headers("login", &login, true);
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.contains("HEARTH_SESSION="))
        .expect("a session cookie");
    assert!(cookie.starts_with("__Host-HEARTH_SESSION="), "{cookie}");
    for attr in ["Secure", "HttpOnly", "Path=/"] {
        assert!(cookie.split("; ").any(|a| a == attr), "{attr}: {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
    let token = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_string())
        .unwrap();
    let me = |name: &str| {
        http.get(format!("{}/api/v1/users/me", s.url))
            .header("cookie", format!("{name}={token}"))
            .send()
    };
    assert_eq!(me("__Host-HEARTH_SESSION").await.unwrap().status(), 200);
    assert_eq!(me("HEARTH_SESSION").await.unwrap().status(), 401);
    security_headers_on_every_answer(s, true).await;
}

/// The data directory is 0700; the database, the administration socket and
/// a configuration file the console writes are 0600.
async fn data_files_are_private(backend: Backend) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    let mut data = std::path::PathBuf::new();
    let s = TestServer::boot_with(backend, |c| {
        data = c.server.data_dir.join("data");
        c.server.data_dir = data.clone();
        if backend == Backend::Sqlite {
            c.database.url = format!("sqlite://{}", data.join("hearth.db").display());
        }
    })
    .await;
    let (admin, _) = s.admin().await;
    assert_eq!(mode(&data), 0o700, "data directory");
    if backend == Backend::Sqlite {
        assert_eq!(mode(&data.join("hearth.db")), 0o600, "database");
    }
    assert_eq!(mode(&data.join("hearth.sock")), 0o600, "socket");
    assert_eq!(mode(&data.join("files")), 0o700, "files");
    let mut set = serde_json::Map::new();
    set.insert("login.lockout_threshold".into(), serde_json::json!(7));
    admin.patch_config(set).await.unwrap();
    assert_eq!(mode(&data.join("hearth.toml")), 0o600, "configuration");
}

mod boots {
    use super::*;

    pub async fn watchers(backend: Backend) {
        presence_watchers_are_freed(
            TestServer::boot_with(backend, |c| c.realtime.queue_size = 8192).await,
        )
        .await;
    }

    pub async fn ws_cap(backend: Backend) {
        websocket_connections_per_user_are_capped(
            TestServer::boot_with(backend, |c| c.realtime.max_connections_per_user = 2).await,
        )
        .await;
    }

    pub async fn metrics(backend: Backend) {
        metrics_are_not_public(
            TestServer::boot_with(backend, |c| {
                c.metrics.bearer_token = "scrape-secret-0123456789".into()
            })
            .await,
        )
        .await;
    }

    pub async fn upload_total(backend: Backend) {
        one_upload_request_is_bounded_in_total(
            TestServer::boot_with(backend, |c| {
                c.files.max_file_size = 1024 * 1024;
                c.files.max_upload_bytes = 2 * 1024 * 1024;
            })
            .await,
        )
        .await;
    }

    pub async fn images(backend: Backend) {
        image_decoding_is_bounded(
            TestServer::boot_with(backend, |c| c.files.image_decodes = 2).await,
        )
        .await;
    }

    pub async fn per_account(backend: Backend) {
        requests_are_limited_per_account(
            TestServer::boot_with(backend, |c| c.limits.account_requests_per_minute = 5).await,
        )
        .await;
    }
}

both_backends!(
    presence_watchers_are_freed_on_resubscribe_and_disconnect => super::boots::watchers,
    websocket_connections_are_capped_per_user => super::boots::ws_cap,
    metrics_refuse_anonymous_and_ordinary_users => super::boots::metrics,
    upload_requests_are_bounded_in_total => super::boots::upload_total,
    image_decoding_is_bounded_by_pixels_and_concurrency => super::boots::images,
    authenticated_requests_are_limited_per_account => super::boots::per_account,
    forwarded_headers_are_honoured_only_from_trusted_proxies => super::forwarded_for_counts_only_from_trusted_proxies,
    tls_servers_send_hsts_and_host_cookies => super::tls_servers_send_hsts_and_host_cookies,
    data_directory_database_socket_and_config_are_private => super::data_files_are_private,
);

both_backends!(
    made_up_methods_add_no_series,
    large_uploads_are_spooled_intact,
    security_headers_over_http,
);
