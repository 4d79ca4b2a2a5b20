//! The guest visibility rule, applied everywhere a person can be seen.

use hearth_api::{ClientFrame, ErrorCode, EventKind, Presence, Role, UpdateProfileRequest};
use hearth_client::{Client, Method};
use uuid::Uuid;

use super::{events_until, round_trip};
use crate::both_backends;
use crate::harness::{TestServer, my_channel};

both_backends!(
    only_admins_add_guests_to_a_team,
    guests_directory_statuses_and_direct_messages,
    guests_presence_subscriptions,
    guests_profile_events,
);

/// Admin and bob in an open team with gus, a guest; carol in no team.
struct World {
    bob: Client,
    bob_id: Uuid,
    carol: Client,
    carol_id: Uuid,
    gus: Client,
    gus_id: Uuid,
}

async fn world(s: &TestServer) -> World {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let (carol, carol_user) = s.user("carol").await;
    let (_, gus_user) = s.user("gus").await;
    admin.set_role(gus_user.id, Role::Guest).await.unwrap();
    admin.add_team_member(team.id, gus_user.id).await.unwrap();
    let (gus, _) = s.login("gus", "gus-password").await;
    World {
        bob,
        bob_id: bob_user.id,
        carol,
        carol_id: carol_user.id,
        gus,
        gus_id: gus_user.id,
    }
}

async fn only_admins_add_guests_to_a_team(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let (_, gus_user) = s.user("gus").await;
    admin.set_role(gus_user.id, Role::Guest).await.unwrap();
    // A plain member of the open team cannot pull the guest in...
    let (status, body) = bob
        .raw(
            Method::POST,
            &format!("/api/v1/teams/{}/members", team.id),
            Some(serde_json::json!({ "user_id": gus_user.id })),
        )
        .await
        .unwrap();
    assert_eq!(status, 403, "{body:?}");
    assert_eq!(body.error_code(), Some(ErrorCode::Forbidden));
    let (gus, _) = s.login("gus", "gus-password").await;
    assert!(gus.my_channels().await.unwrap().is_empty());
    // ...but can still add users, and a system admin can add the guest,
    // who then reads the default channels.
    let (_, carol) = s.user("carol").await;
    bob.add_team_member(team.id, carol.id).await.unwrap();
    admin.add_team_member(team.id, gus_user.id).await.unwrap();
    let town = my_channel(&gus, "town-square").await;
    assert_eq!(town.team_id, Some(team.id));
}

async fn guests_directory_statuses_and_direct_messages(s: TestServer) {
    let w = world(&s).await;
    // Directory and profiles.
    let names: Vec<String> = w
        .gus
        .users(None, None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(names.contains(&"bob".to_string()), "{names:?}");
    assert!(!names.contains(&"carol".to_string()), "{names:?}");
    let e = w.gus.user(w.carol_id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));

    // Statuses: only of people the guest may see.
    let list = w.gus.statuses(&[w.bob_id, w.carol_id]).await.unwrap();
    let ids: Vec<_> = list.iter().map(|st| st.user_id).collect();
    assert_eq!(ids, vec![w.bob_id]);
    let e = w.gus.status(w.carol_id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));

    // Direct and group messages only with visible people.
    let e = w.gus.direct_channel(&[w.carol_id]).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    let e = w
        .gus
        .direct_channel(&[w.bob_id, w.carol_id])
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    w.gus.direct_channel(&[w.bob_id]).await.unwrap();
}

async fn guests_presence_subscriptions(s: TestServer) {
    let w = world(&s).await;
    // The guest's own status change comes after the statuses of the
    // subscribed people, and carol's is not among them.
    let mut ws = w.gus.connect_ws(None).await.unwrap();
    ws.send(ClientFrame::SubscribePresence {
        user_ids: vec![w.bob_id, w.carol_id],
    })
    .await
    .unwrap();
    let mut seen = round_trip(&mut ws).await;
    w.gus.set_status(Presence::Dnd).await.unwrap();
    let gus_id = w.gus_id.to_string();
    let own_dnd = |e: &hearth_api::Event| {
        e.event == EventKind::StatusChanged
            && e.data["user_id"] == gus_id
            && e.data["presence"] == "dnd"
    };
    if !seen.iter().any(own_dnd) {
        seen.extend(events_until(&mut ws, own_dnd).await);
    }
    let statuses: Vec<String> = seen
        .iter()
        .filter(|e| e.event == EventKind::StatusChanged)
        .map(|e| e.data["user_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(statuses.contains(&w.bob_id.to_string()), "{statuses:?}");
    assert!(!statuses.contains(&w.carol_id.to_string()), "{statuses:?}");
}

async fn guests_profile_events(s: TestServer) {
    let w = world(&s).await;
    let mut ws = w.gus.connect_ws(None).await.unwrap();
    // Carol's change goes before bob's in the change log; only bob's
    // reaches the guest.
    w.carol
        .update_me(&UpdateProfileRequest {
            display_name: Some("Carol Hidden".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    w.bob
        .update_me(&UpdateProfileRequest {
            display_name: Some("Bob Seen".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let bob_id = w.bob_id.to_string();
    let got = events_until(&mut ws, |e| {
        e.event == EventKind::UserUpdated && e.data["id"] == bob_id
    })
    .await;
    let carol_id = w.carol_id.to_string();
    assert!(
        !got.iter()
            .any(|e| e.event == EventKind::UserUpdated && e.data["id"] == carol_id),
        "{got:?}"
    );
}
