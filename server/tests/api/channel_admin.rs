//! Making a public channel private and moving a channel between teams.

use hearth_api::{ChannelKind, CreateChannelRequest, ErrorCode};

use crate::both_backends;
use crate::harness::{TestServer, audit_actions, my_channel};

both_backends!(public_channels_become_private, channels_move_between_teams);

async fn public_channels_become_private(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let team = s.team(&admin, "eng", true).await;
    bob.add_team_member(team.id, bob.me().await.unwrap().id)
        .await
        .unwrap();
    let ch = admin
        .create_channel(&CreateChannelRequest {
            team_id: team.id,
            kind: ChannelKind::Public,
            name: "plans".into(),
            display_name: "Plans".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    // A team member who is not in the channel can read it while public.
    bob.channel(ch.id)
        .await
        .expect("public: readable by the team");
    let e = bob.make_channel_private(ch.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));

    let p = admin.make_channel_private(ch.id).await.unwrap();
    assert_eq!(p.kind, ChannelKind::Private);
    let e = bob.channel(ch.id).await.unwrap_err();
    assert_eq!(
        e.code(),
        Some(ErrorCode::NotFound),
        "private: hidden from non-members"
    );
    let e = admin.make_channel_private(ch.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict));
    let town = my_channel(&admin, "town-square").await;
    let e = admin.make_channel_private(town.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    assert!(
        audit_actions(&s)
            .iter()
            .any(|(a, d)| a == "channel.make_private" && d["name"] == "plans")
    );
}

async fn channels_move_between_teams(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let eng = s.team(&admin, "eng", true).await;
    let ops = s.team(&admin, "ops", true).await;
    bob.add_team_member(eng.id, bob_user.id).await.unwrap();
    let ch = admin
        .create_channel(&CreateChannelRequest {
            team_id: eng.id,
            kind: ChannelKind::Public,
            name: "deploys".into(),
            display_name: "Deploys".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    admin.add_channel_member(ch.id, bob_user.id).await.unwrap();

    // Only system admins; members must be in the target team; names clash.
    let e = bob.move_channel(ch.id, ops.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let e = admin.move_channel(ch.id, ops.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict));
    assert!(e.to_string().contains("bob"), "{e}");
    let e = admin
        .move_channel(ch.id, uuid::Uuid::now_v7())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    let e = admin.move_channel(ch.id, eng.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    let town = my_channel(&admin, "town-square").await;
    let e = admin.move_channel(town.id, ops.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));

    bob.add_team_member(ops.id, bob_user.id).await.unwrap();
    let moved = admin.move_channel(ch.id, ops.id).await.unwrap();
    assert_eq!(moved.team_id, Some(ops.id));
    let listed = admin.browse_channels(ops.id, false).await.unwrap();
    assert!(listed.iter().any(|c| c.id == ch.id));
    let listed = admin.browse_channels(eng.id, false).await.unwrap();
    assert!(!listed.iter().any(|c| c.id == ch.id));
    assert_eq!(bob.channel(ch.id).await.unwrap().team_id, Some(ops.id));

    // A same-named channel in the target team blocks the move back.
    admin
        .create_channel(&CreateChannelRequest {
            team_id: eng.id,
            kind: ChannelKind::Public,
            name: "deploys".into(),
            display_name: "Deploys again".into(),
            purpose: None,
            header: None,
        })
        .await
        .unwrap();
    let e = admin.move_channel(ch.id, eng.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict));
    let moves: Vec<_> = audit_actions(&s)
        .into_iter()
        .filter(|(a, _)| a == "channel.move")
        .collect();
    assert_eq!(moves.len(), 1);
    assert_eq!(moves[0].1["to_team"], ops.id.to_string());
}
