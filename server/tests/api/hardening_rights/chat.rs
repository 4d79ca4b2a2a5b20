//! CSRF on every write path, 405 for wrong methods, unread counts without
//! thread replies, do-not-disturb across restarts, and the counters and
//! idempotency keys under concurrent writers.

use hearth_api::{CreatePostRequest, ErrorCode, Presence};
use hearth_client::{Method, StatusCode};
use serde_json::json;

use super::restart;
use crate::both_backends;
use crate::harness::{EVENT_WAIT, TestServer, my_channel};

both_backends!(
    csrf_guards_paths_that_end_in_websocket,
    wrong_methods_answer_405_with_allow,
    thread_replies_are_not_channel_unreads,
    do_not_disturb_survives_a_restart,
    concurrent_posters_leave_no_phantom_unreads,
    concurrent_retries_return_the_original_post,
);

async fn csrf_guards_paths_that_end_in_websocket(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = my_channel(&bob, "town-square").await;
    let post = admin.post_message(town.id, "react to me").await.unwrap();

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(EVENT_WAIT)
        .build()
        .unwrap();
    let url = |p: &str| format!("{}/api/v1{p}", s.url);
    let login: serde_json::Value = http
        .post(url("/users/login"))
        .json(&json!({ "login": "bob", "password": "bob-password" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = login["csrf_token"].as_str().unwrap().to_string();
    let reactions = format!("/posts/{}/reactions", post.id);
    let r = http
        .post(url(&reactions))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({ "emoji_name": "websocket" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());

    // Without the token, or with a wrong one of the same length, the
    // reaction named `websocket` stays.
    let wrong: String = csrf
        .chars()
        .map(|c| if c == 'a' { 'b' } else { 'a' })
        .collect();
    for token in [None, Some(wrong.as_str())] {
        let mut rb = http.delete(url(&format!("{reactions}/websocket")));
        if let Some(t) = token {
            rb = rb.header("X-CSRF-Token", t);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "csrf_mismatch");
    }
    let still = admin.post(post.id).await.unwrap();
    assert_eq!(still.reactions.len(), 1, "{still:?}");
}

async fn wrong_methods_answer_405_with_allow(s: TestServer) {
    let (admin, _) = s.admin().await;
    let r = admin
        .request(Method::DELETE, "/api/v1/system/info")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["allow"], "GET");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
    assert!(!body["error"]["message"].as_str().unwrap().is_empty());

    let path = format!("/api/v1/channels/{}/members", uuid::Uuid::now_v7());
    let r = admin.request(Method::PUT, &path).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let allow = r.headers()["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    // Unauthenticated callers learn the same, and unknown paths stay 404.
    let (status, body) = s
        .client()
        .raw(Method::PATCH, "/api/v1/users/login", None)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body.error_code(), Some(ErrorCode::MethodNotAllowed));
    let (status, body) = admin
        .raw(Method::DELETE, "/api/v1/no/such/thing", None)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body.error_code(), Some(ErrorCode::NotFound));
}

async fn thread_replies_are_not_channel_unreads(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = my_channel(&bob, "town-square").await;
    let root = bob.post_message(town.id, "a question").await.unwrap();
    bob.view_channel(town.id).await.unwrap();
    for text in ["answer", "another answer"] {
        admin
            .create_post(&CreatePostRequest {
                channel_id: town.id,
                message: text.into(),
                root_id: Some(root.id),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let unread = |list: Vec<hearth_api::ChannelUnread>| {
        list.into_iter()
            .find(|u| u.channel_id == town.id)
            .map(|u| u.unread_count)
    };
    assert_eq!(unread(bob.unreads().await.unwrap()), Some(0));
    // The replies are unread on the thread.
    let threads = bob.my_threads().await.unwrap();
    let t = threads.iter().find(|t| t.root_id == root.id).unwrap();
    assert_eq!(t.unread_replies, 2);
    // A new thread counts in the channel.
    admin.post_message(town.id, "news").await.unwrap();
    assert_eq!(unread(bob.unreads().await.unwrap()), Some(1));
}

async fn do_not_disturb_survives_a_restart(mut s: TestServer) {
    s.admin().await;
    s.user("bob").await;
    let (bob, bob_user) = s.login("bob", "bob-password").await;
    bob.set_status(Presence::Dnd).await.unwrap();
    drop(bob);
    restart(&mut s).await;
    let (bob, _) = s.login("bob", "bob-password").await;
    // Connected (the hub's hello has come): do not disturb shows again.
    let ws = bob.connect_ws(None).await.unwrap();
    let (admin, _) = s.login("admin", "admin-password").await;
    let st = admin.status(bob_user.id).await.unwrap();
    assert_eq!(st.presence, Presence::Dnd, "{st:?}");
    assert!(st.manual);
    // Back online is remembered too.
    bob.set_status(Presence::Online).await.unwrap();
    drop(ws);
    restart(&mut s).await;
    let (bob, _) = s.login("bob", "bob-password").await;
    let _ws = bob.connect_ws(None).await.unwrap();
    let (admin, _) = s.login("admin", "admin-password").await;
    assert_eq!(
        admin.status(bob_user.id).await.unwrap().presence,
        Presence::Online
    );
}

/// Every author's own post is read: with one post each, the unread counts
/// of the authors are exactly 0, 1, …, n-1 (those committed after theirs).
async fn concurrent_posters_leave_no_phantom_unreads(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let mut authors = Vec::new();
    for i in 0..8 {
        let name = format!("poster{i}");
        let (c, u) = s.user(&name).await;
        admin.add_team_member(team.id, u.id).await.unwrap();
        authors.push(c);
    }
    let town = my_channel(&admin, "town-square").await;
    for c in &authors {
        c.view_channel(town.id).await.unwrap();
    }
    let posts = authors
        .iter()
        .map(|c| c.post_message(town.id, "at the same time"));
    for r in futures_util::future::join_all(posts).await {
        r.unwrap();
    }
    let mut counts = Vec::new();
    for c in &authors {
        let u = c.unreads().await.unwrap();
        counts.push(
            u.iter()
                .find(|u| u.channel_id == town.id)
                .map(|u| u.unread_count)
                .unwrap(),
        );
    }
    counts.sort_unstable();
    assert_eq!(counts, (0..8).collect::<Vec<i64>>());
}

async fn concurrent_retries_return_the_original_post(s: TestServer) {
    let (admin, _) = s.admin().await;
    s.team(&admin, "acme", true).await;
    let town = my_channel(&admin, "town-square").await;
    for round in 0..3 {
        let req = CreatePostRequest {
            channel_id: town.id,
            message: format!("once only {round}"),
            idempotency_key: Some(format!("retry-{round}")),
            ..Default::default()
        };
        let tries = (0..6).map(|_| admin.create_post_with_status(&req));
        let results: Vec<(u16, hearth_api::Post)> = futures_util::future::join_all(tries)
            .await
            .into_iter()
            .map(|r| r.expect("every retry gets the post"))
            .collect();
        let created = results.iter().filter(|(st, _)| *st == 201).count();
        assert_eq!(created, 1, "{results:?}");
        let id = results[0].1.id;
        assert!(results.iter().all(|(_, p)| p.id == id));
    }
}
