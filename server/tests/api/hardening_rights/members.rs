//! Channel members: what others may see of a membership, repeated adds,
//! and what removed members stop receiving or sending.

use hearth_api::{
    ChannelKind, ClientFrame, CreateChannelRequest, CreatePostRequest, EventKind,
    UpdateMembershipRequest, UpdateProfileRequest,
};
use hearth_client::{Client, Method};
use uuid::Uuid;

use super::{events_until, round_trip};
use crate::both_backends;
use crate::harness::{TestServer, expect_event, my_channel};

both_backends!(
    members_listing_hides_others_read_state,
    a_repeated_add_answers_200,
    removed_members_get_no_thread_updates,
    removed_members_cannot_type,
);

async fn members_listing_hides_others_read_state(s: TestServer) {
    let (admin, admin_user) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = my_channel(&bob, "town-square").await;
    admin.post_message(town.id, "one").await.unwrap();
    admin.post_message(town.id, "two").await.unwrap();
    bob.view_channel(town.id).await.unwrap();
    bob.update_membership(
        town.id,
        &UpdateMembershipRequest {
            muted: Some(true),
            favorite: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let total = admin.channel(town.id).await.unwrap().total_msg_count;
    assert!(total >= 2);
    let seen_by_admin = admin.channel_members(town.id).await.unwrap();
    let b = seen_by_admin
        .iter()
        .find(|m| m.user_id == bob_user.id)
        .expect("bob is listed");
    assert_eq!(b.last_viewed_at, 0, "no read receipts: {b:?}");
    assert_eq!((b.msg_count, b.mention_count), (0, 0), "{b:?}");
    assert!(!b.muted && !b.favorite, "{b:?}");
    assert!(b.created_at > 0, "join info stays: {b:?}");
    // The caller's own entry keeps its private fields.
    let mine = seen_by_admin
        .iter()
        .find(|m| m.user_id == admin_user.id)
        .unwrap();
    assert!(
        mine.last_viewed_at > 0 && mine.msg_count == total,
        "{mine:?}"
    );
    let seen_by_bob = bob.channel_members(town.id).await.unwrap();
    let own = seen_by_bob
        .iter()
        .find(|m| m.user_id == bob_user.id)
        .unwrap();
    assert!(
        own.muted && own.favorite && own.last_viewed_at > 0,
        "{own:?}"
    );
    assert_eq!(own.msg_count, total);
}

async fn a_repeated_add_answers_200(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (_, bob_user) = s.user("bob").await;
    let body = Some(serde_json::json!({ "user_id": bob_user.id }));
    let path = format!("/api/v1/teams/{}/members", team.id);
    let first = admin.raw(Method::POST, &path, body.clone()).await.unwrap();
    let again = admin.raw(Method::POST, &path, body.clone()).await.unwrap();
    assert_eq!((first.0.as_u16(), again.0.as_u16()), (201, 200));
    assert_eq!(first.1.json(), again.1.json(), "the same membership");
    let side = admin
        .create_channel(&CreateChannelRequest {
            team_id: team.id,
            kind: ChannelKind::Public,
            name: "side".into(),
            display_name: "Side".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    let path = format!("/api/v1/channels/{}/members", side.id);
    let first = admin.raw(Method::POST, &path, body.clone()).await.unwrap();
    let again = admin.raw(Method::POST, &path, body).await.unwrap();
    assert_eq!((first.0.as_u16(), again.0.as_u16()), (201, 200));
    // Joining a channel one is already in changes nothing either.
    let (bob, _) = s.login("bob", "bob-password").await;
    let me = Some(serde_json::json!({ "user_id": bob_user.id }));
    let (status, _) = bob.raw(Method::POST, &path, me).await.unwrap();
    assert_eq!(status.as_u16(), 200);
}

/// Admin, bob and dave in a private channel with a thread bob replied to.
struct Secret {
    admin: Client,
    bob: Client,
    bob_id: Uuid,
    dave: Client,
    dave_id: Uuid,
    channel: Uuid,
    root: Uuid,
}

async fn secret(s: &TestServer) -> Secret {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    let (dave, dave_user) = s.user("dave").await;
    for u in [bob_user.id, dave_user.id] {
        admin.add_team_member(team.id, u).await.unwrap();
    }
    let ch = admin
        .create_channel(&CreateChannelRequest {
            team_id: team.id,
            kind: ChannelKind::Private,
            name: "secret".into(),
            display_name: "Secret".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    for u in [bob_user.id, dave_user.id] {
        admin.add_channel_member(ch.id, u).await.unwrap();
    }
    let root = admin.post_message(ch.id, "plans").await.unwrap();
    let w = Secret {
        admin,
        bob,
        bob_id: bob_user.id,
        dave,
        dave_id: dave_user.id,
        channel: ch.id,
        root: root.id,
    };
    w.bob.create_post(&reply(&w, "count me in")).await.unwrap();
    w
}

fn reply(w: &Secret, text: &str) -> CreatePostRequest {
    CreatePostRequest {
        channel_id: w.channel,
        message: text.into(),
        root_id: Some(w.root),
        ..Default::default()
    }
}

async fn removed_members_get_no_thread_updates(s: TestServer) {
    let w = secret(&s).await;
    let mut bob_ws = w.bob.connect_ws(None).await.unwrap();
    // While a member, bob hears of new replies (his own reply's update may
    // still be on its way: wait for the second reply's).
    w.admin
        .create_post(&reply(&w, "first detail"))
        .await
        .unwrap();
    let got = events_until(&mut bob_ws, |e| {
        e.event == EventKind::ThreadUpdated && e.data["reply_count"] == 2
    })
    .await;
    assert_eq!(got.last().unwrap().data["root_id"], w.root.to_string());

    w.admin
        .remove_channel_member(w.channel, w.bob_id)
        .await
        .unwrap();
    // After the removal: bob's own profile change, logged after the next
    // reply, arrives with no thread_updated before it.
    w.admin
        .create_post(&reply(&w, "second detail"))
        .await
        .unwrap();
    w.bob
        .update_me(&UpdateProfileRequest {
            display_name: Some("Bob Later".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let bob_id = w.bob_id.to_string();
    let got = events_until(&mut bob_ws, |e| {
        e.event == EventKind::UserUpdated && e.data["id"] == bob_id
    })
    .await;
    assert!(
        !got.iter()
            .any(|e| e.event == EventKind::ThreadUpdated && e.data["reply_count"] == 3),
        "{got:?}"
    );
}

async fn removed_members_cannot_type(s: TestServer) {
    let w = secret(&s).await;
    let mut bob_ws = w.bob.connect_ws(None).await.unwrap();
    let mut admin_ws = w.admin.connect_ws(None).await.unwrap();
    let mut dave_ws = w.dave.connect_ws(None).await.unwrap();
    let typing = ClientFrame::Typing {
        channel_id: w.channel,
        root_id: None,
    };
    // While a member, bob's typing reaches the others.
    bob_ws.send(typing.clone()).await.unwrap();
    let e = expect_event(&mut admin_ws, EventKind::Typing).await;
    assert_eq!(e.data["user_id"], w.bob_id.to_string());

    w.admin
        .remove_channel_member(w.channel, w.bob_id)
        .await
        .unwrap();
    // After the removal it is dropped: handled before dave's, which comes.
    bob_ws.send(typing.clone()).await.unwrap();
    round_trip(&mut bob_ws).await;
    dave_ws.send(typing).await.unwrap();
    let dave_id = w.dave_id.to_string();
    let got = events_until(&mut admin_ws, |e| {
        e.event == EventKind::Typing && e.data["user_id"] == dave_id
    })
    .await;
    let bob_id = w.bob_id.to_string();
    assert!(
        !got.iter()
            .any(|e| e.event == EventKind::Typing && e.data["user_id"] == bob_id),
        "{got:?}"
    );
}
