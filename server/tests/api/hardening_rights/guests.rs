//! The guest visibility rule, applied everywhere a person can be seen.

use hearth_api::{ClientFrame, ErrorCode, EventKind, Presence, Role, UpdateProfileRequest};
use hearth_client::Method;

use super::{events_until, round_trip};
use crate::both_backends;
use crate::harness::TestServer;

both_backends!(guests_see_only_people_they_share_a_channel_with);

async fn guests_see_only_people_they_share_a_channel_with(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    // Carol shares no channel with the guest.
    let (carol, carol_user) = s.user("carol").await;
    let (_, gus_user) = s.user("gus").await;
    admin.set_role(gus_user.id, Role::Guest).await.unwrap();

    // A plain member cannot pull a guest into the open team.
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
    // A system admin can; the guest then shares the default channels with bob.
    admin.add_team_member(team.id, gus_user.id).await.unwrap();
    let (gus, _) = s.login("gus", "gus-password").await;

    // Directory and profiles.
    let names: Vec<String> = gus
        .users(None, None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert!(names.contains(&"bob".to_string()), "{names:?}");
    assert!(!names.contains(&"carol".to_string()), "{names:?}");
    let e = gus.user(carol_user.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));

    // Statuses: only of people the guest may see.
    let list = gus.statuses(&[bob_user.id, carol_user.id]).await.unwrap();
    let ids: Vec<_> = list.iter().map(|st| st.user_id).collect();
    assert_eq!(ids, vec![bob_user.id]);
    let e = gus.status(carol_user.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));

    // Direct and group messages only with visible people.
    let e = gus.direct_channel(&[carol_user.id]).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    let e = gus
        .direct_channel(&[bob_user.id, carol_user.id])
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    gus.direct_channel(&[bob_user.id]).await.unwrap();

    // Presence subscriptions: the guest's own status change comes after the
    // statuses of the subscribed people, and carol's is not among them.
    let mut ws = gus.connect_ws(None).await.unwrap();
    ws.send(ClientFrame::SubscribePresence {
        user_ids: vec![bob_user.id, carol_user.id],
    })
    .await
    .unwrap();
    let mut seen = round_trip(&mut ws).await;
    gus.set_status(Presence::Dnd).await.unwrap();
    let gus_id = gus_user.id.to_string();
    let already = seen.iter().any(|e| {
        e.event == EventKind::StatusChanged
            && e.data["user_id"] == gus_id
            && e.data["presence"] == "dnd"
    });
    if !already {
        seen.extend(
            events_until(&mut ws, |e| {
                e.event == EventKind::StatusChanged
                    && e.data["user_id"] == gus_id
                    && e.data["presence"] == "dnd"
            })
            .await,
        );
    }
    let statuses: Vec<String> = seen
        .iter()
        .filter(|e| e.event == EventKind::StatusChanged)
        .map(|e| e.data["user_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(statuses.contains(&bob_user.id.to_string()), "{statuses:?}");
    assert!(
        !statuses.contains(&carol_user.id.to_string()),
        "{statuses:?}"
    );

    // Profile changes: carol's goes before bob's in the change log, and only
    // bob's reaches the guest.
    carol
        .update_me(&UpdateProfileRequest {
            display_name: Some("Carol Hidden".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    bob.update_me(&UpdateProfileRequest {
        display_name: Some("Bob Seen".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let bob_id = bob_user.id.to_string();
    let got = events_until(&mut ws, |e| {
        e.event == EventKind::UserUpdated && e.data["id"] == bob_id
    })
    .await;
    let carol_id = carol_user.id.to_string();
    assert!(
        !got.iter()
            .any(|e| e.event == EventKind::UserUpdated && e.data["id"] == carol_id),
        "{got:?}"
    );
    drop(carol);
}
