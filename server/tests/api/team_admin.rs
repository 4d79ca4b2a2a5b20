//! Archiving and restoring a team.

use hearth_api::{ChannelKind, CreateChannelRequest, CreatePostRequest, ErrorCode};

use crate::both_backends;
use crate::harness::{TestServer, audit_actions, my_channel};

both_backends!(archived_teams_close_and_reopen_their_channels);

async fn archived_teams_close_and_reopen_their_channels(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, carol_user) = s.user("carol").await;
    let team = s.team(&admin, "eng", true).await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let new_channel = |name: &str| CreateChannelRequest {
        team_id: team.id,
        kind: ChannelKind::Public,
        name: name.into(),
        display_name: name.into(),
        purpose: None,
        header: None,
    };
    let old = admin.create_channel(&new_channel("old")).await.unwrap();
    admin.archive_channel(old.id).await.unwrap();
    let town = my_channel(&bob, "town-square").await;
    let say = |text: &str| CreatePostRequest {
        channel_id: town.id,
        message: text.into(),
        root_id: None,
        file_ids: vec![],
        idempotency_key: None,
    };

    // Only managers; then the team and its open channels close together.
    let e = bob.archive_team(team.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let archived = admin.archive_team(team.id).await.unwrap();
    let at = archived.archived_at.expect("archived");
    assert_eq!(admin.channel(town.id).await.unwrap().archived_at, Some(at));
    assert_ne!(admin.channel(old.id).await.unwrap().archived_at, Some(at));
    let e = bob.create_post(&say("hello")).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::ChannelArchived));
    let e = carol
        .add_team_member(team.id, carol_user.id)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    let e = admin.create_channel(&new_channel("new")).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    assert!(
        carol.open_teams().await.unwrap().is_empty(),
        "not offered to join"
    );
    let e = admin.archive_team(team.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict));

    // Restore reopens what the archive closed, and only that.
    let restored = admin.restore_team(team.id).await.unwrap();
    assert_eq!(restored.archived_at, None);
    assert_eq!(admin.channel(town.id).await.unwrap().archived_at, None);
    assert!(admin.channel(old.id).await.unwrap().archived_at.is_some());
    bob.create_post(&say("hello again"))
        .await
        .expect("posting works again");
    carol
        .add_team_member(team.id, carol_user.id)
        .await
        .expect("joinable again");
    let e = admin.restore_team(team.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Conflict));
    let actions: Vec<String> = audit_actions(&s).into_iter().map(|(a, _)| a).collect();
    assert!(actions.contains(&"team.archive".to_string()));
    assert!(actions.contains(&"team.restore".to_string()));
}
