//! Typing, presence, slow consumers, heartbeats and shutdown on the WebSocket.

use crate::both_backends;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hearth_api::{ClientFrame, EventKind, Presence, UserStatus};
use hearth_client::{ClientError, WsConnection};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::harness::{TestServer, expect_event as expect};

const WAIT: Duration = crate::harness::EVENT_WAIT;

/// Collects events for `d`; the client answers pings meanwhile.
async fn drain(ws: &mut WsConnection, d: Duration) -> Vec<hearth_api::Event> {
    let deadline = Instant::now() + d;
    let mut out = Vec::new();
    while let Some(e) = ws
        .next_event(deadline.saturating_duration_since(Instant::now()))
        .await
        .expect("websocket works")
    {
        out.push(e);
    }
    out
}

async fn typing_reaches_other_members_only(s: TestServer) {
    let (alice, _) = s.admin().await;
    let team = s.team(&alice, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, _) = s.user("carol").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = crate::harness::my_channel(&alice, "town-square").await;
    let mut alice_ws = alice.connect_ws(None).await.unwrap();
    let mut bob_ws = bob.connect_ws(None).await.unwrap();
    let mut carol_ws = carol.connect_ws(None).await.unwrap();
    bob_ws
        .send(ClientFrame::Typing {
            channel_id: town.id,
            root_id: None,
        })
        .await
        .unwrap();
    let e = expect(&mut alice_ws, EventKind::Typing).await;
    assert_eq!(e.data["user_id"], bob_user.id.to_string());
    assert_eq!(e.channel_id, Some(town.id));
    let bob_saw = drain(&mut bob_ws, Duration::from_millis(500)).await;
    assert!(
        bob_saw.iter().all(|e| e.event != EventKind::Typing),
        "the typist is not told"
    );
    // Carol is not in the channel: neither her typing goes out nor does she see Bob's.
    carol_ws
        .send(ClientFrame::Typing {
            channel_id: town.id,
            root_id: None,
        })
        .await
        .unwrap();
    let carol_saw = drain(&mut carol_ws, Duration::from_millis(500)).await;
    assert!(carol_saw.iter().all(|e| e.event != EventKind::Typing));
    let alice_saw = drain(&mut alice_ws, Duration::from_millis(500)).await;
    assert!(
        alice_saw.iter().all(|e| e.event != EventKind::Typing),
        "non-members cannot send typing"
    );
}

async fn presence_follows_connections_and_choices(s: TestServer) {
    let (alice, _) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    assert_eq!(
        alice.status(bob_user.id).await.unwrap().presence,
        Presence::Offline
    );
    let nobody = alice.status(uuid::Uuid::now_v7()).await.unwrap_err();
    assert_eq!(nobody.code(), Some(hearth_api::ErrorCode::NotFound));
    let mut alice_ws = alice.connect_ws(None).await.unwrap();
    alice_ws
        .send(ClientFrame::SubscribePresence {
            user_ids: vec![bob_user.id],
        })
        .await
        .unwrap();
    // Bob's status changes, skipping Alice's own.
    async fn bob_status(ws: &mut WsConnection, bob: uuid::Uuid) -> Presence {
        loop {
            let e = expect(ws, EventKind::StatusChanged).await;
            let st: UserStatus = serde_json::from_value(e.data).unwrap();
            if st.user_id == bob {
                return st.presence;
            }
        }
    }
    assert_eq!(
        bob_status(&mut alice_ws, bob_user.id).await,
        Presence::Offline
    );
    let bob_ws = bob.connect_ws(None).await.unwrap();
    assert_eq!(
        bob_status(&mut alice_ws, bob_user.id).await,
        Presence::Online
    );
    assert_eq!(
        bob.set_status(Presence::Dnd).await.unwrap().presence,
        Presence::Dnd
    );
    assert_eq!(bob_status(&mut alice_ws, bob_user.id).await, Presence::Dnd);
    bob.set_status(Presence::Online).await.unwrap();
    assert_eq!(
        bob_status(&mut alice_ws, bob_user.id).await,
        Presence::Online
    );
    bob_ws.close().await.unwrap();
    assert_eq!(
        bob_status(&mut alice_ws, bob_user.id).await,
        Presence::Offline
    );
    let all = alice.statuses(&[bob_user.id]).await.unwrap();
    assert_eq!(all[0].presence, Presence::Offline);
}

async fn idle_users_become_away(s: TestServer) {
    let (alice, alice_user) = s.admin().await;
    let mut ws = alice.connect_ws(None).await.unwrap();
    ws.send(ClientFrame::SubscribePresence {
        user_ids: vec![alice_user.id],
    })
    .await
    .unwrap();
    // away_after_secs is 1 in this server; the hub sweeps every 15 s at most.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let e = expect(&mut ws, EventKind::StatusChanged).await;
        let st: UserStatus = serde_json::from_value(e.data).unwrap();
        if st.presence == Presence::Away {
            break;
        }
        assert!(Instant::now() < deadline, "never became away");
    }
    ws.send(ClientFrame::Activity).await.unwrap();
    let e = expect(&mut ws, EventKind::StatusChanged).await;
    assert_eq!(
        serde_json::from_value::<UserStatus>(e.data)
            .unwrap()
            .presence,
        Presence::Online
    );
}

/// A client that stops reading is disconnected; the others keep getting
/// every event without waiting for it.
async fn slow_consumer_is_dropped_without_delaying_others(s: TestServer) {
    let (alice, _) = s.admin().await;
    let team = s.team(&alice, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = crate::harness::my_channel(&alice, "town-square").await;

    // A raw connection as Bob that never reads after the handshake.
    let url = format!("{}/api/v1/websocket", s.url.replacen("http", "ws", 1));
    let mut req = url.into_client_request().unwrap();
    req.headers_mut().insert(
        "Authorization",
        format!("Bearer {}", bob.token().unwrap()).parse().unwrap(),
    );
    let (stalled, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut alice_ws = alice.connect_ws(None).await.unwrap();

    let big = "x".repeat(16_000);
    let n = 600;
    let poster = alice.clone();
    let post_task = tokio::spawn(async move {
        for i in 0..n {
            poster
                .post_message(town.id, &format!("{i} {big}"))
                .await
                .unwrap();
        }
    });
    let mut received = 0;
    while received < n {
        let e = expect(&mut alice_ws, EventKind::Posted).await;
        if e.channel_id == Some(town.id) {
            received += 1;
        }
    }
    post_task.await.unwrap();
    let metrics = alice.metrics().await.unwrap();
    let dropped = metrics
        .lines()
        .find(|l| l.starts_with("hearth_ws_slow_disconnects_total"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    assert!(
        dropped >= 1.0,
        "the stalled connection was dropped (metrics said {dropped})"
    );
    // The stalled socket, once read, ends with a policy close.
    let (_, mut read) = stalled.split();
    let mut closed = false;
    while let Ok(Some(msg)) = tokio::time::timeout(WAIT, read.next()).await {
        match msg {
            Ok(tokio_tungstenite::tungstenite::Message::Close(f)) => {
                assert_eq!(f.map(|f| u16::from(f.code)), Some(1008));
                closed = true;
                break;
            }
            Ok(_) => continue,
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    assert!(closed, "the slow connection was closed");
}

async fn shutdown_closes_sockets_with_going_away(mut s: TestServer) {
    let (alice, _) = s.admin().await;
    let mut ws = alice.connect_ws(None).await.unwrap();
    s.stop().await;
    let err = loop {
        match ws.next_frame(WAIT).await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("socket still open after shutdown"),
            Err(e) => break e,
        }
    };
    match err {
        ClientError::Closed { code, .. } => assert_eq!(code, Some(1001)),
        other => panic!("expected a close frame, got {other:?}"),
    }
}

both_backends!(typing_reaches_other_members_only);
both_backends!(presence_follows_connections_and_choices);
both_backends!(with |c| c.accounts.away_after_secs = 1; idle_users_become_away);
both_backends!(with |c| c.realtime.queue_size = 16; slow_consumer_is_dropped_without_delaying_others);
both_backends!(shutdown_closes_sockets_with_going_away);
