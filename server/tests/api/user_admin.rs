//! Administration of other users' accounts: their tokens, directory
//! filters, the permission matrix and the local administration socket.

use hearth_api::{ErrorCode, Role, SignupRequest};
use hearth_client::{Client, UserQuery};

use crate::both_backends;
use crate::harness::{TestServer, audit_actions};

both_backends!(
    admins_manage_other_users_tokens,
    only_admins_read_the_permission_matrix,
    the_directory_filters_by_role_and_state,
    the_local_socket_acts_as_the_builtin_admin,
);

async fn the_directory_filters_by_role_and_state(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (_, bob) = s.user("bob").await;
    let (_, carol) = s.user("carol").await;
    admin.set_role(bob.id, Role::Guest).await.unwrap();
    admin.set_active(carol.id, false).await.unwrap();
    let names = |v: Vec<hearth_api::User>| v.into_iter().map(|u| u.username).collect::<Vec<_>>();
    let q = |role, active| UserQuery {
        role,
        active,
        ..Default::default()
    };
    assert_eq!(
        names(admin.find_users(&q(Some(Role::Guest), None)).await.unwrap()),
        ["bob"]
    );
    assert_eq!(
        names(admin.find_users(&q(None, Some(false))).await.unwrap()),
        ["carol"]
    );
    assert_eq!(
        names(admin.find_users(&q(None, Some(true))).await.unwrap()),
        ["admin", "bob"]
    );
    assert_eq!(
        names(
            admin
                .find_users(&q(Some(Role::SystemAdmin), Some(true)))
                .await
                .unwrap()
        ),
        ["admin"]
    );
    let (status, body) = admin
        .raw(hearth_client::Method::GET, "/api/v1/users?role=king", None)
        .await
        .unwrap();
    assert_eq!(status, 400);
    assert_eq!(body.error_code(), Some(ErrorCode::InvalidInput));
}

async fn the_local_socket_acts_as_the_builtin_admin(s: TestServer) {
    let server = s.server.as_ref().unwrap();
    let path = server.admin_socket.clone().expect("on by default");
    let local = Client::unix(&path, std::time::Duration::from_secs(10)).unwrap();
    // Before any account exists, the socket can make the first admin.
    let u = local
        .create_user(&SignupRequest {
            username: "root".into(),
            email: "root@example.com".into(),
            password: "root-password".into(),
            ..Default::default()
        })
        .await
        .expect("created through the socket");
    local.set_role(u.id, Role::SystemAdmin).await.unwrap();
    let (admin, me) = s.login("root", "root-password").await;
    assert_eq!(me.role, Role::SystemAdmin);
    let created = audit_actions(&s)
        .into_iter()
        .find(|(a, _)| a == "user.create")
        .expect("audited");
    assert_eq!(created.1["via"], "local_socket");
    // A bearer token sent over the socket changes nothing; over TCP no
    // header makes a request local.
    assert_eq!(
        local.clone().with_token("junk").me().await.unwrap().role,
        Role::SystemAdmin
    );
    let e = s.client().with_token("junk").me().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::SessionExpired));
    drop(admin);
    // A stopped server leaves no socket file behind.
    let mut s = s;
    s.stop().await;
    assert!(!path.exists());
}

async fn only_admins_read_the_permission_matrix(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    let m = admin.permission_matrix().await.unwrap();
    assert_eq!(m.contexts.len(), 2);
    let guest_creates_team = m
        .rows
        .iter()
        .find(|r| r.action == "create team" && r.context == "member")
        .unwrap();
    assert!(guest_creates_team.user && !guest_creates_team.guest);
    let e = bob.permission_matrix().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
}

async fn admins_manage_other_users_tokens(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, carol_user) = s.user("carol").await;
    // Tokens are minted by their owner only; admins list and revoke them.
    let e = admin
        .create_token_for(bob_user.id, "deploy", Some(30))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::TokenForOtherAccount));
    let t = bob
        .create_token_for(bob_user.id, "deploy", Some(30))
        .await
        .unwrap();
    assert_eq!(t.info.user_id, bob_user.id);
    let as_bob = s.client().with_token(t.token.clone());
    assert_eq!(as_bob.me().await.unwrap().id, bob_user.id);
    let listed = admin.tokens_of(bob_user.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    // Bob sees it too; carol may not touch bob's tokens.
    assert_eq!(bob.tokens_of(bob_user.id).await.unwrap().len(), 1);
    let e = carol.tokens_of(bob_user.id).await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    let e = carol
        .create_token_for(bob_user.id, "x", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::TokenForOtherAccount));
    let e = carol
        .revoke_token_of(bob_user.id, t.info.id)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::Forbidden));
    // A token id under the wrong user is not found.
    let e = admin
        .revoke_token_of(carol_user.id, t.info.id)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::NotFound));
    let e = bob
        .create_token_for(bob_user.id, "", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
    admin.revoke_token_of(bob_user.id, t.info.id).await.unwrap();
    assert!(as_bob.me().await.is_err());
    let created = audit_actions(&s)
        .into_iter()
        .find(|(a, _)| a == "token.create");
    assert!(created.is_some(), "audited");
}
