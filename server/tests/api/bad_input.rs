//! Bad input, one test per class: each gets the right status and stable
//! error code, and leaves nothing written behind.

use std::path::{Path, PathBuf};

use hearth_api::{
    Channel, ChannelKind, CreateChannelRequest, CreatePostRequest, ErrorCode, Post, PostsQuery,
    SessionKind,
};
use hearth_client::{Client, ClientError, Method, RawBody, StatusCode};
use hearth_server::Config;
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::harness::TestServer;

fn err<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, ErrorCode) {
    match r {
        Err(ClientError::Api { status, code, .. }) => (status, code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Asserts a raw answer is the standard error body with this status and code.
#[track_caller]
fn refused(got: (StatusCode, RawBody), status: u16, code: ErrorCode, what: &str) {
    assert_eq!(got.0.as_u16(), status, "{what}: {got:?}");
    assert_eq!(got.1.error_code(), Some(code), "{what}: {got:?}");
    let msg = got.1.json().unwrap()["error"]["message"].as_str().unwrap();
    assert!(!msg.is_empty(), "{what}: errors carry a message");
}

async fn reboot_with(mut s: TestServer, tweak: impl FnOnce(&mut Config)) -> TestServer {
    let backend = s.backend;
    s.stop().await;
    drop(s);
    TestServer::boot_with(backend, tweak).await
}

/// Admin and Bob in an open team; returns their clients, town-square and
/// a private channel of the admin's that Bob is not in.
struct World {
    admin: Client,
    bob: Client,
    bob_id: Uuid,
    town: Uuid,
    secret: Uuid,
}

async fn world(s: &TestServer) -> World {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = crate::harness::my_channel(&bob, "town-square").await.id;
    let secret = admin
        .create_channel(&CreateChannelRequest {
            team_id: team.id,
            kind: ChannelKind::Private,
            name: "secret".into(),
            display_name: "Secret".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap()
        .id;
    admin.post_message(secret, "classified").await.unwrap();
    admin.post_message(town, "welcome").await.unwrap();
    World {
        admin,
        bob,
        bob_id: bob_user.id,
        town,
        secret,
    }
}

/// What must not change: the channel (message counter) and its posts.
async fn state(c: &Client, ch: Uuid) -> (Channel, Vec<Post>) {
    (
        c.channel(ch).await.unwrap(),
        c.posts(ch, &PostsQuery::default()).await.unwrap().posts,
    )
}

fn post_body(ch: Uuid, message: &str) -> serde_json::Value {
    json!({ "channel_id": ch, "message": message })
}

async fn malformed_json(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    let good = serde_json::to_string(&post_body(w.town, "hello")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good.as_bytes()[..good.len() - 2].to_vec()),
        ("trailing garbage", format!("{good} xyz").into_bytes()),
        ("not an object", b"[1, 2, 3]".to_vec()),
        ("null", b"null".to_vec()),
        ("empty", Vec::new()),
        ("single quotes", b"{'channel_id': 'x'}".to_vec()),
        (
            "wrong types",
            json!({ "channel_id": w.town, "message": 42 })
                .to_string()
                .into_bytes(),
        ),
        (
            "missing field",
            json!({ "channel_id": w.town }).to_string().into_bytes(),
        ),
    ];
    for (what, body) in cases {
        let got = w
            .bob
            .raw_body(Method::POST, "/api/v1/posts", "application/json", body)
            .await
            .unwrap();
        refused(got, 400, ErrorCode::InvalidInput, what);
    }
    // Other routes map body errors the same way.
    let got = w
        .bob
        .raw_body(
            Method::PATCH,
            "/api/v1/users/me",
            "application/json",
            b"{\"display_name\":".to_vec(),
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "profile");
    assert_eq!(state(&w.admin, w.town).await, before);
    assert_eq!(w.bob.me().await.unwrap().display_name, "bob");
}

async fn json_over_the_body_limit(s: TestServer) {
    let s = reboot_with(s, |cfg| cfg.limits.max_json_bytes = 4096).await;
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;

    // Just under the limit is fine.
    let fits = "a".repeat(3900);
    assert_eq!(
        w.bob.post_message(w.town, &fits).await.unwrap().message,
        fits
    );
    let before_big = state(&w.admin, w.town).await;
    assert_eq!(before_big.1.len(), before.1.len() + 1);

    // Over it, with a Content-Length...
    let big = serde_json::to_vec(&post_body(w.town, &"b".repeat(5000))).unwrap();
    assert!(big.len() > 4096);
    let got = w
        .bob
        .raw_body(
            Method::POST,
            "/api/v1/posts",
            "application/json",
            big.clone(),
        )
        .await
        .unwrap();
    refused(got, 413, ErrorCode::PayloadTooLarge, "known length");
    // ...and streamed without one.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(1000).map(|c| Ok(c.to_vec())).collect();
    let resp = w
        .bob
        .request(Method::POST, "/api/v1/posts")
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(state(&w.admin, w.town).await, before_big);

    // Signup bodies too: no account appears.
    let got = s
        .client()
        .raw(
            Method::POST,
            "/api/v1/users/signup",
            Some(json!({
                "username": "huge",
                "email": "huge@example.com",
                "password": "huge-password",
                "display_name": "h".repeat(5000),
            })),
        )
        .await
        .unwrap();
    refused(got, 413, ErrorCode::PayloadTooLarge, "signup");
    assert_eq!(
        err(w.admin.user_by_username("huge").await),
        (404, ErrorCode::NotFound)
    );
}

async fn unknown_fields(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    let got = w
        .bob
        .raw(
            Method::POST,
            "/api/v1/posts",
            Some(json!({ "channel_id": w.town, "message": "hi", "colour": "red" })),
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "post");
    let got = w
        .bob
        .raw(
            Method::PATCH,
            "/api/v1/users/me",
            Some(json!({ "display_name": "Root", "role": "system_admin" })),
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "profile");
    let got = w
        .bob
        .raw(
            Method::GET,
            &format!("/api/v1/channels/{}/posts?limit=5&colour=red", w.town),
            None,
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "query");
    assert_eq!(state(&w.admin, w.town).await, before);
    let me = w.bob.me().await.unwrap();
    assert_eq!(
        (me.display_name.as_str(), me.role),
        ("bob", hearth_api::Role::User)
    );
}

async fn bad_ids_in_paths_and_bodies(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    let channels_before = w.bob.my_channels().await.unwrap().len();
    for path in [
        "/api/v1/channels/not-a-uuid".to_string(),
        "/api/v1/posts/123".to_string(),
        "/api/v1/users/%20".to_string(),
        format!("/api/v1/channels/{}/posts?before=yesterday", w.town),
    ] {
        let got = w.bob.raw(Method::GET, &path, None).await.unwrap();
        refused(got, 400, ErrorCode::InvalidInput, &path);
    }
    let got = w
        .bob
        .raw(
            Method::DELETE,
            &format!("/api/v1/channels/{}/members/not-a-uuid", w.town),
            None,
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "delete member");
    let got = w
        .bob
        .raw(Method::POST, "/api/v1/posts", Some(post_body_raw("nope")))
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "channel id in body");

    // Well-formed ids that name nothing.
    let ghost = Uuid::now_v7();
    assert_eq!(
        err(w.bob.post_message(ghost, "into the void").await),
        (404, ErrorCode::NotFound)
    );
    let reply = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: "reply to nothing".into(),
            root_id: Some(ghost),
            ..Default::default()
        })
        .await;
    assert_eq!(err(reply), (400, ErrorCode::InvalidInput));
    let with_file = w
        .bob
        .create_post(&CreatePostRequest {
            channel_id: w.town,
            message: "with a ghost file".into(),
            file_ids: vec![ghost],
            ..Default::default()
        })
        .await;
    assert_eq!(err(with_file), (400, ErrorCode::InvalidInput));
    assert_eq!(
        err(w.bob.direct_channel(&[ghost]).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(
        err(w.bob.direct_channel(&[]).await),
        (400, ErrorCode::InvalidInput)
    );
    assert_eq!(
        err(w.admin.add_channel_member(w.town, ghost).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(err(w.bob.user(ghost).await), (404, ErrorCode::NotFound));
    assert_eq!(state(&w.admin, w.town).await, before);
    assert_eq!(w.bob.my_channels().await.unwrap().len(), channels_before);
}

fn post_body_raw(channel_id: &str) -> serde_json::Value {
    json!({ "channel_id": channel_id, "message": "hi" })
}

async fn message_length_limit(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    assert_eq!(hearth_api::MAX_POST_CHARS, 16_383);
    for too_long in ["x".repeat(16_384), "é".repeat(16_384), "😀".repeat(16_384)] {
        assert_eq!(
            err(w.bob.post_message(w.town, &too_long).await),
            (400, ErrorCode::InvalidInput)
        );
    }
    assert_eq!(state(&w.admin, w.town).await, before);

    // The limit counts characters, not bytes.
    let max = "x".repeat(16_383);
    let p = w.bob.post_message(w.town, &max).await.unwrap();
    assert_eq!(w.admin.post(p.id).await.unwrap().message, max);
    let wide = "😀".repeat(16_383);
    let q = w.bob.post_message(w.town, &wide).await.unwrap();
    assert_eq!(w.admin.post(q.id).await.unwrap().message, wide);
    // Trailing whitespace is trimmed before counting.
    let padded = format!("{max}   \n");
    assert_eq!(
        w.bob.post_message(w.town, &padded).await.unwrap().message,
        max
    );

    // Editing to an over-long text changes nothing.
    let small = w.bob.post_message(w.town, "short").await.unwrap();
    assert_eq!(
        err(w.bob.edit_post(small.id, &"y".repeat(16_384)).await),
        (400, ErrorCode::InvalidInput)
    );
    let after = w.admin.post(small.id).await.unwrap();
    assert_eq!(after.message, "short");
    assert!(after.edited_at.is_none());
    assert!(w.bob.post_history(small.id).await.unwrap().is_empty());
}

async fn empty_messages(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    for empty in ["", "   ", "\n\t \n"] {
        assert_eq!(
            err(w.bob.post_message(w.town, empty).await),
            (400, ErrorCode::InvalidInput),
            "{empty:?}"
        );
    }
    let got = w
        .bob
        .raw(
            Method::POST,
            "/api/v1/posts",
            Some(post_body(w.town, "nul \0 inside")),
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "NUL");
    assert_eq!(state(&w.admin, w.town).await, before);
    let p = w.bob.post_message(w.town, "keep me").await.unwrap();
    assert_eq!(
        err(w.bob.edit_post(p.id, "  ").await),
        (400, ErrorCode::InvalidInput)
    );
    assert_eq!(w.admin.post(p.id).await.unwrap().message, "keep me");
}

/// Every file below `dir`, recursively.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

async fn file_names_with_path_separators(s: TestServer) {
    let w = world(&s).await;
    let store = s.dir.path().join("files");
    assert!(files_under(&store).is_empty());
    for name in ["../x.txt", "a/b", "a\\b", "..", "/etc/passwd", "x\u{1}.txt"] {
        let got = w
            .bob
            .upload_files(w.town, vec![(name.to_string(), b"payload".to_vec())])
            .await;
        assert_eq!(err(got), (400, ErrorCode::InvalidInput), "{name:?}");
    }
    assert!(
        files_under(&store).is_empty(),
        "nothing was stored: {:?}",
        files_under(&store)
    );
    assert!(
        !s.dir.path().join("x.txt").exists() && !store.join("x.txt").exists(),
        "nothing escaped the store"
    );
    // A plain name with dots is fine.
    let ok = w
        .bob
        .upload_files(
            w.town,
            vec![("report..final.txt".into(), b"payload".to_vec())],
        )
        .await
        .unwrap();
    assert_eq!(ok[0].name, "report..final.txt");
}

async fn invalid_utf8_bodies(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    let mut body = format!("{{\"channel_id\":\"{}\",\"message\":\"caf", w.town).into_bytes();
    body.extend_from_slice(&[0xff, 0xfe, 0xe9]);
    body.extend_from_slice(b"\"}");
    let got = w
        .bob
        .raw_body(Method::POST, "/api/v1/posts", "application/json", body)
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "post");
    let mut body = b"{\"display_name\":\"".to_vec();
    body.extend_from_slice(&[0xc3, 0x28]);
    body.extend_from_slice(b"\"}");
    let got = w
        .bob
        .raw_body(Method::PATCH, "/api/v1/users/me", "application/json", body)
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "profile");
    // A multipart channel id that is not text.
    let form = reqwest::multipart::Form::new()
        .part(
            "channel_id",
            reqwest::multipart::Part::bytes(vec![0xff, 0xfe, 0xfd]),
        )
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.txt"),
        );
    let resp = w
        .bob
        .request(Method::POST, "/api/v1/files")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_input");
    assert_eq!(state(&w.admin, w.town).await, before);
    assert_eq!(w.bob.me().await.unwrap().display_name, "bob");
    assert!(files_under(&s.dir.path().join("files")).is_empty());
}

async fn private_channels_look_missing_to_non_members(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.secret).await;
    let ghost = Uuid::now_v7();
    let same = |a: (StatusCode, RawBody), b: (StatusCode, RawBody), what: &str| {
        assert_eq!(a.0, StatusCode::NOT_FOUND, "{what}: {a:?}");
        assert_eq!(a.1.error_code(), Some(ErrorCode::NotFound), "{what}");
        assert_eq!(a, b, "{what}: a private channel answers like a missing one");
    };
    for (method, suffix, body) in [
        (Method::GET, "", None),
        (Method::GET, "/posts", None),
        (Method::GET, "/members", None),
        (Method::GET, "/pinned", None),
        (Method::POST, "/view", None),
        (Method::PATCH, "", Some(json!({ "header": "hijacked" }))),
        (Method::POST, "/archive", None),
        (Method::PATCH, "/members/me", Some(json!({ "muted": true }))),
    ] {
        let real = w
            .bob
            .raw(
                method.clone(),
                &format!("/api/v1/channels/{}{suffix}", w.secret),
                body.clone(),
            )
            .await
            .unwrap();
        let missing = w
            .bob
            .raw(
                method.clone(),
                &format!("/api/v1/channels/{ghost}{suffix}"),
                body,
            )
            .await
            .unwrap();
        same(real, missing, &format!("{method} {suffix}"));
    }
    let real = w
        .bob
        .raw(
            Method::POST,
            "/api/v1/posts",
            Some(post_body(w.secret, "let me in")),
        )
        .await
        .unwrap();
    let missing = w
        .bob
        .raw(
            Method::POST,
            "/api/v1/posts",
            Some(post_body(ghost, "let me in")),
        )
        .await
        .unwrap();
    same(real, missing, "post");
    let real = w
        .bob
        .raw(
            Method::POST,
            &format!("/api/v1/channels/{}/members", w.secret),
            Some(json!({ "user_id": w.bob_id })),
        )
        .await
        .unwrap();
    let missing = w
        .bob
        .raw(
            Method::POST,
            &format!("/api/v1/channels/{ghost}/members"),
            Some(json!({ "user_id": w.bob_id })),
        )
        .await
        .unwrap();
    same(real, missing, "join");
    // Its posts, too, look like missing posts.
    let secret_post = before.1[0].id;
    let real = w
        .bob
        .raw(Method::GET, &format!("/api/v1/posts/{secret_post}"), None)
        .await
        .unwrap();
    let missing = w
        .bob
        .raw(Method::GET, &format!("/api/v1/posts/{ghost}"), None)
        .await
        .unwrap();
    same(real, missing, "post by id");
    assert!(
        !w.bob
            .my_channels()
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == w.secret)
    );
    assert_eq!(state(&w.admin, w.secret).await, before);
}

async fn expired_and_revoked_tokens(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    let pat = w.bob.create_token("old script", None).await.unwrap();
    w.bob.revoke_token(pat.info.id).await.unwrap();
    let revoked = s.client().with_token(pat.token);
    assert_eq!(err(revoked.me().await), (401, ErrorCode::SessionExpired));
    assert_eq!(
        err(revoked.post_message(w.town, "ghost write").await),
        (401, ErrorCode::SessionExpired)
    );
    assert_eq!(
        err(revoked.connect_ws(None).await),
        (401, ErrorCode::SessionExpired)
    );
    let garbage = s.client().with_token("not-a-real-token");
    assert_eq!(
        err(garbage.post_message(w.town, "ghost write").await),
        (401, ErrorCode::SessionExpired)
    );
    let anon = s.client();
    assert_eq!(
        err(anon.post_message(w.town, "anonymous").await),
        (401, ErrorCode::Unauthenticated)
    );
    let basic = anon
        .request(Method::GET, "/api/v1/users/me")
        .header("Authorization", "Basic Ym9iOmJvYi1wYXNzd29yZA==")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(state(&w.admin, w.town).await, before);
}

async fn expiring_tokens_carry_their_expiry(s: TestServer) {
    let w = world(&s).await;
    let now = hearth_api::Millis::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    );
    let t = w.bob.create_token("weekly", Some(7)).await.unwrap();
    let week = 7 * 86_400_000;
    let exp = t.info.expires_at.expect("expires_at is set");
    assert!(
        (exp - (now + week)).abs() < 120_000,
        "expires in 7 days: {exp} vs {}",
        now + week
    );
    let listed = w.bob.tokens().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].expires_at, Some(exp));
    assert_eq!(listed[0].kind, SessionKind::AccessToken);
    s.client().with_token(t.token).me().await.unwrap();
    // Login sessions expire too (30 days by default).
    let sessions = w.bob.sessions().await.unwrap();
    assert!(
        sessions
            .iter()
            .all(|x| x.expires_at.is_some_and(|e| e > now))
    );
    for days in [0, 3651] {
        assert_eq!(
            err(w.bob.create_token("bad", Some(days)).await),
            (400, ErrorCode::InvalidInput),
            "{days} days"
        );
    }
    assert_eq!(
        w.bob.tokens().await.unwrap().len(),
        1,
        "refusals create nothing"
    );
}

async fn unknown_routes_answer_json_404(s: TestServer) {
    let w = world(&s).await;
    // Other GET paths belong to the web client (see webclient.rs); anything
    // under /api and any other method answers the JSON error.
    for (method, path) in [
        (Method::GET, "/api/v1/nope"),
        (Method::GET, "/api/v2/users/me"),
        (Method::POST, "/nope"),
        (Method::POST, "/api/v1/users/me/nothing"),
    ] {
        for c in [&w.bob, &s.client()] {
            let got = c.raw(method.clone(), path, None).await.unwrap();
            refused(got, 404, ErrorCode::NotFound, path);
        }
    }
    // A path that exists, with a method it does not take: 405.
    for c in [&w.bob, &s.client()] {
        let got = c
            .raw(Method::DELETE, "/api/v1/system/info", None)
            .await
            .unwrap();
        refused(got, 405, ErrorCode::MethodNotAllowed, "DELETE /system/info");
    }
}

async fn wrong_content_type(s: TestServer) {
    let w = world(&s).await;
    let before = state(&w.admin, w.town).await;
    let good = serde_json::to_vec(&post_body(w.town, "typed wrong")).unwrap();
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "image/png",
    ] {
        let got = w
            .bob
            .raw_body(Method::POST, "/api/v1/posts", ct, good.clone())
            .await
            .unwrap();
        refused(got, 400, ErrorCode::InvalidInput, ct);
    }
    let resp = w
        .bob
        .request(Method::POST, "/api/v1/posts")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "no content type");
    // Uploads must be multipart.
    let got = w
        .bob
        .raw_body(
            Method::POST,
            "/api/v1/files",
            "application/json",
            good.clone(),
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "files as JSON");
    // Avatars must be images.
    let got = w
        .bob
        .raw_body(
            Method::PUT,
            "/api/v1/users/me/avatar",
            "text/plain",
            b"hello".to_vec(),
        )
        .await
        .unwrap();
    refused(got, 400, ErrorCode::InvalidInput, "avatar");
    assert!(!w.bob.me().await.unwrap().has_avatar);
    assert_eq!(state(&w.admin, w.town).await, before);
    // The same body with the right type works.
    let got = w
        .bob
        .raw_body(Method::POST, "/api/v1/posts", "application/json", good)
        .await
        .unwrap();
    assert_eq!(got.0, StatusCode::CREATED);
}

both_backends!(
    malformed_json,
    json_over_the_body_limit,
    unknown_fields,
    bad_ids_in_paths_and_bodies,
    message_length_limit,
    empty_messages,
    file_names_with_path_separators,
    invalid_utf8_bodies,
    private_channels_look_missing_to_non_members,
    expired_and_revoked_tokens,
    expiring_tokens_carry_their_expiry,
    unknown_routes_answer_json_404,
    wrong_content_type,
);
