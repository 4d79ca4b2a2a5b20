//! Two people chatting: live events in order, threads, edits and deletes,
//! unread and mention counts, and resuming after a disconnect.

use std::time::Duration;

use hearth_api::{
    CreatePostRequest, Event, EventKind, NotifyLevel, Post, PostsQuery, ServerFrame,
    UpdateMembershipRequest,
};
use hearth_client::Client;
use uuid::Uuid;

use crate::both_backends;
use crate::harness::{TestServer, expect_event as expect};

const WAIT: Duration = crate::harness::EVENT_WAIT;

fn post_of(e: &Event) -> Post {
    serde_json::from_value(e.data.clone()).expect("event data is a post")
}

/// Alice (admin) and Bob share an open team; returns their clients and town-square.
async fn pair(s: &TestServer) -> (Client, Client, Uuid, Uuid) {
    let (alice, _) = s.admin().await;
    let team = s.team(&alice, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id)
        .await
        .expect("bob joins the open team");
    let town = crate::harness::my_channel(&bob, "town-square").await;
    (alice, bob, town.id, bob_user.id)
}

async fn live_events_arrive_in_order(s: TestServer) {
    let (alice, bob, town, _) = pair(&s).await;
    let mut bob_ws = bob.connect_ws(None).await.unwrap();
    let mut alice_ws = alice.connect_ws(None).await.unwrap();
    let mut sent = Vec::new();
    for i in 0..20 {
        sent.push(
            alice
                .post_message(town, &format!("message {i}"))
                .await
                .unwrap()
                .id,
        );
    }
    let mut got = Vec::new();
    let mut last_seq = bob_ws.last_seq();
    while got.len() < sent.len() {
        let e = expect(&mut bob_ws, EventKind::Posted).await;
        assert!(e.seq > last_seq, "sequence numbers increase");
        last_seq = e.seq;
        got.push(post_of(&e).id);
    }
    assert_eq!(
        got, sent,
        "bob sees alice's posts in the order they were made"
    );
    let reply = bob.post_message(town, "hi alice").await.unwrap();
    loop {
        let e = expect(&mut alice_ws, EventKind::Posted).await;
        if post_of(&e).id == reply.id {
            assert_eq!(post_of(&e).message, "hi alice");
            break;
        }
    }
}

async fn threads_edits_and_deletes(s: TestServer) {
    let (alice, bob, town, bob_id) = pair(&s).await;
    let root = alice
        .post_message(town, "what do we ship on friday?")
        .await
        .unwrap();
    let mut alice_ws = alice.connect_ws(None).await.unwrap();
    for text in ["the importer", "and the docs"] {
        bob.create_post(&CreatePostRequest {
            channel_id: town,
            message: text.into(),
            root_id: Some(root.id),
            ..Default::default()
        })
        .await
        .unwrap();
    }
    let thread = alice.thread(root.id).await.unwrap();
    assert_eq!(thread.posts.len(), 3);
    // Collapsed pages carry roots only; full pages carry the replies too.
    let page = |collapsed| PostsQuery {
        collapsed: Some(collapsed),
        ..Default::default()
    };
    let roots = alice.posts(town, &page(true)).await.unwrap().posts;
    assert!(roots.iter().all(|p| p.root_id.is_none()));
    assert!(roots.iter().any(|p| p.id == root.id));
    let all = alice.posts(town, &page(false)).await.unwrap().posts;
    assert_eq!(all.len(), roots.len() + 2);
    assert_eq!(thread.posts[0].id, root.id);
    assert_eq!(thread.posts[0].reply_count, 2);
    assert_eq!(thread.posts[0].participants, vec![bob_id]);
    let mine = alice.my_threads().await.unwrap();
    assert_eq!(mine.len(), 1, "the root author follows the thread");
    assert_eq!(mine[0].unread_replies, 2);
    let t = expect(&mut alice_ws, EventKind::ThreadUpdated).await;
    assert_eq!(t.data["root_id"], root.id.to_string());
    assert_eq!(alice.view_thread(root.id).await.unwrap().unread_replies, 0);
    assert!(!alice.follow_thread(root.id, false).await.unwrap().following);
    assert!(alice.my_threads().await.unwrap().is_empty());

    // Edit keeps the old text in the history; others get the new text live.
    let edited = alice
        .edit_post(root.id, "what do we ship on monday?")
        .await
        .unwrap();
    assert!(edited.edited_at.is_some());
    let mut bob_ws = bob.connect_ws(None).await.unwrap();
    let again = alice
        .edit_post(root.id, "what do we ship next week?")
        .await
        .unwrap();
    // The first edit may still be on its way to the new socket: skip it.
    loop {
        let e = expect(&mut bob_ws, EventKind::PostEdited).await;
        if post_of(&e).message == again.message {
            break;
        }
        assert_eq!(
            post_of(&e).message,
            edited.message,
            "only the two edits arrive"
        );
    }
    let history = alice.post_history(root.id).await.unwrap();
    let old: Vec<&str> = history.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        old,
        ["what do we ship on friday?", "what do we ship on monday?"]
    );
    assert!(
        bob.edit_post(root.id, "mine now").await.is_err(),
        "only the author edits"
    );

    // Delete blanks the post for users but keeps its text for compliance.
    alice.delete_post(root.id).await.unwrap();
    let e = expect(&mut bob_ws, EventKind::PostDeleted).await;
    assert_eq!(post_of(&e).id, root.id);
    assert_eq!(post_of(&e).message, "");
    let page = bob.posts(town, &PostsQuery::default()).await.unwrap();
    let gone = page.posts.iter().find(|p| p.id == root.id).unwrap();
    assert!(gone.deleted_at.is_some() && gone.message.is_empty());
    let history = alice.post_history(root.id).await.unwrap();
    assert_eq!(
        history.last().unwrap().message,
        "what do we ship next week?"
    );
}

async fn unread_and_mention_counts(s: TestServer) {
    let (alice, bob, town, _) = pair(&s).await;
    let before = bob
        .unreads()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.channel_id == town)
        .unwrap();
    assert_eq!((before.unread_count, before.mention_count), (0, 0));
    alice.post_message(town, "plain").await.unwrap();
    alice.post_message(town, "ping @bob").await.unwrap();
    alice
        .post_message(town, "`@bob` in code is no mention")
        .await
        .unwrap();
    alice.post_message(town, "@channel standup").await.unwrap();
    let u = bob
        .unreads()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.channel_id == town)
        .unwrap();
    assert_eq!(u.unread_count, 4);
    assert_eq!(u.mention_count, 2);
    let mine = alice
        .unreads()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.channel_id == town)
        .unwrap();
    assert_eq!(
        (mine.unread_count, mine.mention_count),
        (0, 0),
        "own posts are read"
    );
    let m = bob.view_channel(town).await.unwrap();
    assert_eq!(m.mention_count, 0);
    let u = bob
        .unreads()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.channel_id == town)
        .unwrap();
    assert_eq!((u.unread_count, u.mention_count), (0, 0));

    // Direct messages count every post as a mention and send read receipts.
    let me = alice.me().await.unwrap();
    let bob_id = bob.me().await.unwrap().id;
    let dm = alice.direct_channel(&[bob_id]).await.unwrap();
    assert_eq!(
        bob.direct_channel(&[me.id]).await.unwrap().id,
        dm.id,
        "one DM per pair"
    );
    let mut alice_ws = alice.connect_ws(None).await.unwrap();
    alice.post_message(dm.id, "psst").await.unwrap();
    let u = bob
        .unreads()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.channel_id == dm.id)
        .unwrap();
    assert_eq!((u.unread_count, u.mention_count), (1, 1));
    bob.view_channel(dm.id).await.unwrap();
    let receipt = expect(&mut alice_ws, EventKind::ChannelViewed).await;
    assert_eq!(receipt.data["user_id"], bob_id.to_string());
}

async fn reconnect_receives_exactly_the_missed_events(s: TestServer) {
    let (alice, bob, town, _) = pair(&s).await;
    let mut ws = bob.connect_ws(None).await.unwrap();
    let first = alice.post_message(town, "before the drop").await.unwrap();
    let e = expect(&mut ws, EventKind::Posted).await;
    assert_eq!(post_of(&e).id, first.id);
    let resume = ws.resume_point();
    ws.close().await.unwrap();
    // Wait until the server has noticed the close, then post while Bob is away.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut missed = Vec::new();
    for i in 0..5 {
        missed.push(
            alice
                .post_message(town, &format!("while away {i}"))
                .await
                .unwrap()
                .id,
        );
    }
    // Give the hub time to route them into Bob's replay buffer.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ws = bob.connect_ws(Some(resume.clone())).await.unwrap();
    let mut seqs = Vec::new();
    let mut got = Vec::new();
    while let Some(frame) = ws.next_frame(Duration::from_secs(2)).await.unwrap() {
        match frame {
            ServerFrame::Event(e) => {
                seqs.push(e.seq);
                if e.event == EventKind::Posted {
                    got.push(post_of(&e).id);
                }
            }
            ServerFrame::Resync { .. } => panic!("a short gap must be replayed, not resynced"),
            _ => {}
        }
    }
    assert_eq!(got, missed, "exactly the missed posts, in order, once");
    let expected: Vec<u64> = (resume.1 + 1..=resume.1 + seqs.len() as u64).collect();
    assert_eq!(
        seqs, expected,
        "replayed sequence numbers continue without gaps"
    );

    // An unknown epoch (e.g. after a server restart) asks the client to refetch.
    let mut ws = bob
        .connect_ws(Some(("someotherepoch".into(), 3)))
        .await
        .unwrap();
    match ws.next_frame(WAIT).await.unwrap() {
        Some(ServerFrame::Resync { epoch, .. }) => assert_ne!(epoch, "someotherepoch"),
        other => panic!("expected resync, got {other:?}"),
    }
}

async fn idempotent_posts_are_not_duplicated(s: TestServer) {
    let (alice, bob, town, _) = pair(&s).await;
    let req = CreatePostRequest {
        channel_id: town,
        message: "only once".into(),
        idempotency_key: Some("key-1".into()),
        ..Default::default()
    };
    let (status1, p1) = alice.create_post_with_status(&req).await.unwrap();
    let (status2, p2) = alice.create_post_with_status(&req).await.unwrap();
    assert_eq!((status1, status2), (201, 200));
    assert_eq!(p1.id, p2.id);
    let page = bob.posts(town, &PostsQuery::default()).await.unwrap();
    assert_eq!(
        page.posts
            .iter()
            .filter(|p| p.message == "only once")
            .count(),
        1
    );
    // The same key from another user is a different post.
    let (status, p3) = bob.create_post_with_status(&req).await.unwrap();
    assert_eq!(status, 201);
    assert_ne!(p3.id, p1.id);
}

async fn pagination_before_after_around(s: TestServer) {
    let (alice, _bob, town, _) = pair(&s).await;
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(alice.post_message(town, &format!("p{i}")).await.unwrap().id);
    }
    let q = |before, after, around| PostsQuery {
        before,
        after,
        around,
        limit: Some(10),
        ..Default::default()
    };
    let latest = alice.posts(town, &q(None, None, None)).await.unwrap();
    assert_eq!(
        latest.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[20..]
    );
    assert!(latest.has_more_before && !latest.has_more_after);
    let before = alice
        .posts(town, &q(Some(ids[20]), None, None))
        .await
        .unwrap();
    assert_eq!(
        before.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[10..20]
    );
    let after = alice
        .posts(town, &q(None, Some(ids[25]), None))
        .await
        .unwrap();
    assert_eq!(
        after.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[26..]
    );
    assert!(!after.has_more_after);
    let around = alice
        .posts(town, &q(None, None, Some(ids[15])))
        .await
        .unwrap();
    assert_eq!(
        around.posts.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[11..21]
    );
    let bad = alice
        .posts(town, &q(Some(ids[1]), Some(ids[2]), None))
        .await;
    assert_eq!(
        bad.unwrap_err().code(),
        Some(hearth_api::ErrorCode::InvalidInput)
    );
}

async fn reactions_pins_and_saved(s: TestServer) {
    let (alice, bob, town, bob_id) = pair(&s).await;
    let p = alice.post_message(town, "ship it").await.unwrap();
    let mut alice_ws = alice.connect_ws(None).await.unwrap();
    bob.add_reaction(p.id, ":thumbsup:").await.unwrap();
    bob.add_reaction(p.id, "thumbsup").await.unwrap();
    let e = expect(&mut alice_ws, EventKind::ReactionAdded).await;
    assert_eq!(e.data["emoji_name"], "thumbsup");
    let post = alice.post(p.id).await.unwrap();
    assert_eq!(
        post.reactions.len(),
        1,
        "reacting twice with one emoji counts once"
    );
    assert_eq!(post.reactions[0].user_id, bob_id);
    bob.remove_reaction(p.id, "thumbsup").await.unwrap();
    assert!(alice.post(p.id).await.unwrap().reactions.is_empty());
    assert!(bob.add_reaction(p.id, "not an emoji!").await.is_err());

    assert!(bob.pin(p.id).await.unwrap().is_pinned);
    assert_eq!(alice.pinned(town).await.unwrap().len(), 1);
    bob.unpin(p.id).await.unwrap();
    assert!(alice.pinned(town).await.unwrap().is_empty());

    bob.save_post(p.id).await.unwrap();
    assert_eq!(bob.saved_posts().await.unwrap()[0].id, p.id);
    bob.unsave_post(p.id).await.unwrap();
    assert!(bob.saved_posts().await.unwrap().is_empty());
}

/// Favourite and mute flags come back in the caller's membership list, and only theirs.
async fn memberships_carry_favourites_and_mutes(s: TestServer) {
    let (alice, bob, town, _) = pair(&s).await;
    alice
        .update_membership(
            town,
            &UpdateMembershipRequest {
                favorite: Some(true),
                muted: Some(true),
                notify_level: Some(NotifyLevel::Mention),
            },
        )
        .await
        .unwrap();
    let mine = alice.my_memberships().await.unwrap();
    let m = mine.iter().find(|m| m.channel_id == town).unwrap();
    assert!(m.favorite && m.muted);
    assert_eq!(m.notify_level, NotifyLevel::Mention);
    assert!(mine.iter().all(|m| m.user_id == mine[0].user_id));
    let theirs = bob.my_memberships().await.unwrap();
    let b = theirs.iter().find(|m| m.channel_id == town).unwrap();
    assert!(!b.favorite && !b.muted);
}

both_backends!(
    memberships_carry_favourites_and_mutes,
    live_events_arrive_in_order,
    threads_edits_and_deletes,
    unread_and_mention_counts,
    reconnect_receives_exactly_the_missed_events,
    idempotent_posts_are_not_duplicated,
    pagination_before_after_around,
    reactions_pins_and_saved,
);
