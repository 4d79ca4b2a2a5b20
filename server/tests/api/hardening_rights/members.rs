//! Channel members: what others may see of a membership, repeated adds,
//! and what removed members stop receiving or sending.

use hearth_api::{
    ChannelKind, ClientFrame, CreateChannelRequest, CreatePostRequest, EventKind,
    UpdateMembershipRequest, UpdateProfileRequest,
};
use hearth_client::Method;

use super::{events_until, round_trip};
use crate::both_backends;
use crate::harness::{TestServer, expect_event, my_channel};

both_backends!(
    members_listing_hides_others_read_state,
    a_repeated_add_answers_200,
    removed_members_hear_and_send_nothing_more,
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

async fn removed_members_hear_and_send_nothing_more(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    let (dave, dave_user) = s.user("dave").await;
    for u in [bob_user.id, dave_user.id] {
        admin.add_team_member(team.id, u).await.unwrap();
    }
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
        .unwrap();
    for u in [bob_user.id, dave_user.id] {
        admin.add_channel_member(secret.id, u).await.unwrap();
    }
    let root = admin.post_message(secret.id, "plans").await.unwrap();
    let reply = |text: &str| CreatePostRequest {
        channel_id: secret.id,
        message: text.into(),
        root_id: Some(root.id),
        ..Default::default()
    };
    bob.create_post(&reply("count me in")).await.unwrap();
    let mut bob_ws = bob.connect_ws(None).await.unwrap();
    let mut admin_ws = admin.connect_ws(None).await.unwrap();
    let mut dave_ws = dave.connect_ws(None).await.unwrap();

    // While a member, bob follows the thread and types into the channel.
    // (Bob's own reply may still be on its way: wait for the second.)
    admin.create_post(&reply("first detail")).await.unwrap();
    let e = events_until(&mut bob_ws, |e| {
        e.event == EventKind::ThreadUpdated && e.data["reply_count"] == 2
    })
    .await;
    assert_eq!(e.last().unwrap().data["root_id"], root.id.to_string());
    let typing = ClientFrame::Typing {
        channel_id: secret.id,
        root_id: None,
    };
    bob_ws.send(typing.clone()).await.unwrap();
    let e = expect_event(&mut admin_ws, EventKind::Typing).await;
    assert_eq!(e.data["user_id"], bob_user.id.to_string());

    admin
        .remove_channel_member(secret.id, bob_user.id)
        .await
        .unwrap();

    // No thread_updated for the reply after the removal: bob's own profile
    // change, logged later, arrives first.
    admin.create_post(&reply("second detail")).await.unwrap();
    bob.update_me(&UpdateProfileRequest {
        display_name: Some("Bob Later".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let bob_id = bob_user.id.to_string();
    let got = events_until(&mut bob_ws, |e| {
        e.event == EventKind::UserUpdated && e.data["id"] == bob_id
    })
    .await;
    assert!(
        !got.iter()
            .any(|e| e.event == EventKind::ThreadUpdated && e.data["reply_count"] == 3),
        "{got:?}"
    );

    // Bob's typing is dropped: handled before dave's, which admin does get.
    bob_ws.send(typing.clone()).await.unwrap();
    round_trip(&mut bob_ws).await;
    dave_ws.send(typing).await.unwrap();
    let dave_id = dave_user.id.to_string();
    let got = events_until(&mut admin_ws, |e| {
        e.event == EventKind::Typing && e.data["user_id"] == dave_id
    })
    .await;
    assert!(
        !got.iter()
            .any(|e| e.event == EventKind::Typing && e.data["user_id"] == bob_id),
        "{got:?}"
    );
}
