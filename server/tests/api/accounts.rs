//! Accounts: first-run setup, signup modes, login, cookies and CSRF,
//! sessions and personal access tokens, deactivation, roles, profiles,
//! avatars, password changes and the login rate limit.

use std::time::Duration;

use hearth_api::{
    ErrorCode, Presence, Role, ServerFrame, SessionKind, SignupRequest, UpdateProfileRequest, User,
};
use hearth_client::{Client, ClientError, Method, StatusCode};
use hearth_server::Config;
use hearth_server::config::SignupMode;
use serde_json::json;
use uuid::Uuid;

use crate::both_backends;
use crate::harness::TestServer;

const WAIT: Duration = Duration::from_secs(10);

/// The status and stable code of a failed call; panics on success.
fn err<T: std::fmt::Debug>(r: Result<T, ClientError>) -> (u16, ErrorCode) {
    match r {
        Err(ClientError::Api { status, code, .. }) => (status, code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn signup_req(name: &str) -> SignupRequest {
    SignupRequest {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: format!("{name}-password"),
        ..Default::default()
    }
}

fn setup_token(s: &TestServer) -> String {
    s.server
        .as_ref()
        .and_then(|r| r.setup_token.clone())
        .expect("a fresh server has a setup token")
}

/// Replaces the server the macro booted by one with a tweaked configuration
/// on the same backend.
async fn reboot_with(mut s: TestServer, tweak: impl FnOnce(&mut Config)) -> TestServer {
    let backend = s.backend;
    s.stop().await;
    drop(s);
    TestServer::boot_with(backend, tweak).await
}

/// Every account, as a system admin sees them.
async fn all_users(admin: &Client) -> Vec<User> {
    admin.users(None, None, Some(200)).await.unwrap()
}

/// Logs in on a fresh client, keeping the login response.
async fn login_full(s: &TestServer, login: &str, password: &str) -> (Client, Uuid) {
    let mut c = s.client();
    let r = c.login(login, password).await.expect("login");
    (c, r.session_id)
}

async fn first_account_needs_the_setup_token(s: TestServer) {
    let anon = s.client();
    assert!(anon.server_info().await.unwrap().needs_setup);
    let token = setup_token(&s);

    let missing = anon.signup(&signup_req("alice")).await;
    assert_eq!(err(missing), (403, ErrorCode::SetupTokenInvalid));
    let wrong = anon
        .signup(&SignupRequest {
            setup_token: Some("not-the-token".into()),
            ..signup_req("alice")
        })
        .await;
    assert_eq!(err(wrong), (403, ErrorCode::SetupTokenInvalid));
    assert!(
        anon.server_info().await.unwrap().needs_setup,
        "a refused setup creates no account"
    );
    assert_eq!(
        err(s.client().login("alice", "alice-password").await),
        (401, ErrorCode::InvalidCredentials)
    );

    let alice = anon
        .signup(&SignupRequest {
            setup_token: Some(token.clone()),
            ..signup_req("alice")
        })
        .await
        .unwrap();
    assert_eq!(alice.role, Role::SystemAdmin);
    assert_eq!(alice.email.as_deref(), Some("alice@example.com"));
    assert!(!anon.server_info().await.unwrap().needs_setup);

    // The token is spent: in open mode a second signup that presents it is
    // just an ordinary user.
    let bob = anon
        .signup(&SignupRequest {
            setup_token: Some(token),
            ..signup_req("bob")
        })
        .await
        .expect("open signup ignores a spent setup token");
    assert_eq!(bob.role, Role::User);

    // Asking for a role in the signup body is an unknown field, not a promotion.
    let (status, body) = anon
        .raw(
            Method::POST,
            "/api/v1/users/signup",
            Some(json!({
                "username": "mallory",
                "email": "mallory@example.com",
                "password": "mallory-password",
                "role": "system_admin",
            })),
        )
        .await
        .unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body.error_code(), Some(ErrorCode::InvalidInput));

    let (bob_c, _) = s.login("bob", "bob-password").await;
    assert_eq!(
        err(bob_c.set_role(bob.id, Role::SystemAdmin).await),
        (403, ErrorCode::Forbidden)
    );
    let (admin, _) = s.login("alice", "alice-password").await;
    let users = all_users(&admin).await;
    let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["alice", "bob"], "mallory was never created");
    assert_eq!(admin.user(bob.id).await.unwrap().role, Role::User);
}

async fn invite_only_signup_needs_a_valid_invitation(s: TestServer) {
    let s = reboot_with(s, |cfg| cfg.accounts.signup = SignupMode::InviteOnly).await;
    let anon = s.client();
    assert_eq!(anon.server_info().await.unwrap().signup_mode, "invite_only");
    // The first account is the setup account, whatever the mode.
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", false).await;
    let invite = admin.team_invite(team.id).await.unwrap().invite_id;

    assert_eq!(
        err(anon.signup(&signup_req("bob")).await),
        (403, ErrorCode::SignupDisabled)
    );
    let bad = anon
        .signup(&SignupRequest {
            invite_id: Some("no-such-invite".into()),
            ..signup_req("bob")
        })
        .await;
    assert_eq!(err(bad), (400, ErrorCode::InvalidInput));
    assert_eq!(
        all_users(&admin).await.len(),
        1,
        "refused signups write nothing"
    );

    let bob = anon
        .signup(&SignupRequest {
            invite_id: Some(invite.clone()),
            ..signup_req("bob")
        })
        .await
        .unwrap();
    assert_eq!(bob.role, Role::User);
    let (bob_c, _) = s.login("bob", "bob-password").await;
    let teams = bob_c.teams().await.unwrap();
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].id, team.id, "the invitation's team is joined");
    let mut chans: Vec<String> = bob_c
        .my_channels()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    chans.sort();
    assert_eq!(chans, ["off-topic", "town-square"]);

    // A regenerated invitation replaces the old one.
    let fresh = admin.regenerate_invite(team.id).await.unwrap().invite_id;
    assert_ne!(fresh, invite);
    let stale = anon
        .signup(&SignupRequest {
            invite_id: Some(invite),
            ..signup_req("carol")
        })
        .await;
    assert_eq!(err(stale), (400, ErrorCode::InvalidInput));
    anon.signup(&SignupRequest {
        invite_id: Some(fresh),
        ..signup_req("carol")
    })
    .await
    .unwrap();
    assert_eq!(all_users(&admin).await.len(), 3);
}

async fn disabled_signup_refuses_everyone(s: TestServer) {
    let s = reboot_with(s, |cfg| cfg.accounts.signup = SignupMode::Disabled).await;
    let anon = s.client();
    assert_eq!(anon.server_info().await.unwrap().signup_mode, "disabled");
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", false).await;
    let invite = admin.team_invite(team.id).await.unwrap().invite_id;
    assert_eq!(
        err(anon.signup(&signup_req("bob")).await),
        (403, ErrorCode::SignupDisabled)
    );
    let with_invite = anon
        .signup(&SignupRequest {
            invite_id: Some(invite),
            ..signup_req("bob")
        })
        .await;
    assert_eq!(err(with_invite), (403, ErrorCode::SignupDisabled));
    assert_eq!(all_users(&admin).await.len(), 1);
    assert_eq!(admin.team_members(team.id).await.unwrap().len(), 1);

    // Administrators still create accounts; ordinary users cannot.
    let bob = admin.create_user(&signup_req("bob")).await.unwrap();
    assert_eq!(bob.role, hearth_api::Role::User);
    assert_eq!(all_users(&admin).await.len(), 2);
    let (bob_client, _) = s.login("bob", "bob-password").await;
    assert_eq!(
        err(bob_client.create_user(&signup_req("carol")).await),
        (403, ErrorCode::Forbidden)
    );
    assert_eq!(all_users(&admin).await.len(), 2);
}

async fn duplicate_usernames_and_emails_conflict(s: TestServer) {
    let (admin, _) = s.admin().await;
    let anon = s.client();
    anon.signup(&signup_req("bob")).await.unwrap();
    let same_name = anon
        .signup(&SignupRequest {
            username: "Bob".into(),
            email: "other@example.com".into(),
            password: "whatever-password".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(err(same_name), (409, ErrorCode::Conflict));
    let same_email = anon
        .signup(&SignupRequest {
            username: "robert".into(),
            email: "BOB@example.com".into(),
            password: "whatever-password".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(err(same_email), (409, ErrorCode::Conflict));
    let users = all_users(&admin).await;
    let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["admin", "bob"]);
    // The original password still opens the original account.
    s.login("bob", "bob-password").await;
    assert_eq!(
        err(s.client().login("bob", "whatever-password").await),
        (401, ErrorCode::InvalidCredentials)
    );
}

async fn wrong_password_and_unknown_user_look_the_same(s: TestServer) {
    s.admin().await;
    s.user("bob").await;
    let anon = s.client();
    let attempt = |login: &'static str, password: &'static str| {
        let anon = anon.clone();
        async move {
            anon.raw(
                Method::POST,
                "/api/v1/users/login",
                Some(json!({ "login": login, "password": password })),
            )
            .await
            .unwrap()
        }
    };
    let wrong = attempt("bob", "not-bobs-password").await;
    let unknown = attempt("nobody", "not-bobs-password").await;
    let unknown_email = attempt("nobody@example.com", "bob-password").await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.1.error_code(), Some(ErrorCode::InvalidCredentials));
    assert_eq!(wrong, unknown, "status, code and message are identical");
    assert_eq!(wrong, unknown_email);
    // Login by e-mail works and is case-insensitive.
    let mut c = s.client();
    assert_eq!(
        c.login("BOB@example.com", "bob-password")
            .await
            .unwrap()
            .user
            .username,
        "bob"
    );
}

async fn cookie_sessions_need_the_csrf_token_for_writes(s: TestServer) {
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "acme", true).await;
    let (bob, bob_user) = s.user("bob").await;
    bob.add_team_member(team.id, bob_user.id).await.unwrap();
    let town = crate::harness::my_channel(&bob, "town-square").await;

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(WAIT)
        .build()
        .unwrap();
    let url = |p: &str| format!("{}/api/v1{p}", s.url);
    let resp = http
        .post(url("/users/login"))
        .json(&json!({ "login": "bob", "password": "bob-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("HEARTH_SESSION="))
        .expect("login sets the session cookie");
    let attrs = cookie.to_ascii_lowercase();
    assert!(attrs.contains("httponly"), "{cookie}");
    assert!(
        attrs.contains("samesite=lax") || attrs.contains("samesite=strict"),
        "{cookie}"
    );
    assert!(attrs.contains("path=/"), "{cookie}");
    let login: serde_json::Value = resp.json().await.unwrap();
    let csrf = login["csrf_token"].as_str().unwrap().to_string();
    let token = login["token"].as_str().unwrap().to_string();
    assert!(
        cookie.starts_with(&format!("HEARTH_SESSION={token}")),
        "the cookie carries the session token"
    );

    // Reads with the cookie alone work.
    let me = http.get(url("/users/me")).send().await.unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<User>().await.unwrap().username, "bob");

    let error_code = |v: serde_json::Value| v["error"]["code"].as_str().unwrap().to_string();
    // Writes without the header, or with a wrong one, are refused and change nothing.
    for header in [None, Some("wrong-token")] {
        let mut rb = http
            .patch(url("/users/me"))
            .json(&json!({ "display_name": "Cookie Bob" }));
        if let Some(h) = header {
            rb = rb.header("X-CSRF-Token", h);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(error_code(r.json().await.unwrap()), "csrf_mismatch");
        let r = http
            .post(url("/posts"))
            .json(&json!({ "channel_id": town.id, "message": "forged" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(error_code(r.json().await.unwrap()), "csrf_mismatch");
    }
    assert_eq!(bob.me().await.unwrap().display_name, "bob");
    let page = bob
        .posts(town.id, &hearth_api::PostsQuery::default())
        .await
        .unwrap();
    assert!(page.posts.is_empty(), "no forged post was written");

    // With the session's CSRF token the same writes go through.
    let r = http
        .patch(url("/users/me"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({ "display_name": "Cookie Bob" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(bob.me().await.unwrap().display_name, "Cookie Bob");
    let r = http
        .post(url("/posts"))
        .header("X-CSRF-Token", &csrf)
        .json(&json!({ "channel_id": town.id, "message": "via cookie" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // Another session's CSRF token does not fit this session.
    let mut other = s.client();
    let other_csrf = other.login("bob", "bob-password").await.unwrap().csrf_token;
    assert_ne!(other_csrf, csrf);
    let r = http
        .patch(url("/users/me"))
        .header("X-CSRF-Token", &other_csrf)
        .json(&json!({ "status_text": "nope" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Bearer requests need no CSRF token.
    bob.update_me(&UpdateProfileRequest {
        status_text: Some("bearer".into()),
        ..Default::default()
    })
    .await
    .unwrap();

    // Logout through the cookie needs the token too, then clears the cookie
    // and ends the session for bearer use as well.
    let r = http.post(url("/users/logout")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = http
        .post(url("/users/logout"))
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = http.get(url("/users/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let as_bearer = s.client().with_token(token);
    assert_eq!(err(as_bearer.me().await), (401, ErrorCode::SessionExpired));
}

async fn personal_access_tokens(s: TestServer) {
    s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let created = bob.create_token("ci bot", None).await.unwrap();
    assert_eq!(created.info.kind, SessionKind::AccessToken);
    assert_eq!(created.info.name, "ci bot");
    assert_eq!(created.info.user_id, bob_user.id);
    // Tokens expire after `sessions.token_default_days` unless told otherwise.
    assert!(created.info.expires_at.is_some());

    let pat = s.client().with_token(created.token.clone());
    assert_eq!(pat.me().await.unwrap().id, bob_user.id);

    let tokens = bob.tokens().await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].id, created.info.id);
    assert!(
        !serde_json::to_string(&tokens)
            .unwrap()
            .contains(&created.token),
        "the secret is shown once"
    );
    let sessions = bob.sessions().await.unwrap();
    assert!(
        sessions.iter().all(|x| x.kind == SessionKind::Session),
        "tokens are not listed as sessions"
    );
    // A token is revoked through the token route only.
    assert_eq!(
        err(bob.revoke_session(created.info.id).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(pat.me().await.unwrap().id, bob_user.id);
    // Another user cannot revoke it.
    let (carol, _) = s.user("carol").await;
    assert_eq!(
        err(carol.revoke_token(created.info.id).await),
        (404, ErrorCode::NotFound)
    );
    assert_eq!(pat.me().await.unwrap().id, bob_user.id);

    bob.revoke_token(created.info.id).await.unwrap();
    assert_eq!(err(pat.me().await), (401, ErrorCode::SessionExpired));
    assert!(bob.tokens().await.unwrap().is_empty());
    assert_eq!(
        err(bob.revoke_token(created.info.id).await),
        (404, ErrorCode::NotFound),
        "revoking twice finds nothing"
    );

    // Names are validated; nothing is created on refusal.
    assert_eq!(
        err(bob.create_token("   ", None).await),
        (400, ErrorCode::InvalidInput)
    );
    assert!(bob.tokens().await.unwrap().is_empty());
}

async fn logout_and_session_management(s: TestServer) {
    s.admin().await;
    s.user("bob").await;
    let (c1, sid1) = login_full(&s, "bob", "bob-password").await;
    let (c2, sid2) = login_full(&s, "bob", "bob-password").await;
    let (mut c3, sid3) = login_full(&s, "bob", "bob-password").await;

    let list = c1.sessions().await.unwrap();
    for sid in [sid1, sid2, sid3] {
        assert!(list.iter().any(|x| x.id == sid), "{sid} listed");
    }
    let current: Vec<Uuid> = list.iter().filter(|x| x.current).map(|x| x.id).collect();
    assert_eq!(current, [sid1], "exactly the calling session is current");

    // Logout ends only that session.
    let old = c3.token().unwrap().to_string();
    c3.logout().await.unwrap();
    assert_eq!(
        err(s.client().with_token(old).me().await),
        (401, ErrorCode::SessionExpired)
    );
    assert!(!c1.sessions().await.unwrap().iter().any(|x| x.id == sid3));

    // Revoking one of one's own sessions.
    c1.revoke_session(sid2).await.unwrap();
    assert_eq!(err(c2.me().await), (401, ErrorCode::SessionExpired));
    c1.me().await.unwrap();
    assert_eq!(
        err(c1.revoke_session(Uuid::now_v7()).await),
        (404, ErrorCode::NotFound)
    );

    // Someone else's session cannot be revoked, and its id is not found.
    let (carol, _) = s.user("carol").await;
    assert_eq!(
        err(carol.revoke_session(sid1).await),
        (404, ErrorCode::NotFound)
    );
    c1.me().await.unwrap();

    // Revoking all sessions of another user is for admins only.
    let bob_id = c1.me().await.unwrap().id;
    assert_eq!(
        err(carol.revoke_all_sessions(bob_id).await),
        (403, ErrorCode::Forbidden)
    );
    c1.me().await.unwrap();
    let (admin, _) = s.login("admin", "admin-password").await;
    let pat = c1.create_token("script", None).await.unwrap();
    admin.revoke_all_sessions(bob_id).await.unwrap();
    assert_eq!(err(c1.me().await), (401, ErrorCode::SessionExpired));
    assert_eq!(
        err(s.client().with_token(pat.token).me().await),
        (401, ErrorCode::SessionExpired),
        "revoke-all includes personal access tokens"
    );
}

/// Reads frames until the server closes the socket; returns the close code.
async fn wait_for_close(ws: &mut hearth_client::WsConnection) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match ws.next_frame(left).await {
            Err(ClientError::Closed { code, .. }) => return code,
            Ok(Some(_)) => continue,
            Ok(None) => panic!("the socket was not closed within {WAIT:?}"),
            Err(e) => panic!("unexpected WebSocket error: {e}"),
        }
    }
}

async fn revoking_a_session_closes_its_websocket(s: TestServer) {
    s.admin().await;
    s.user("bob").await;
    let (keep, _) = login_full(&s, "bob", "bob-password").await;
    let (doomed, doomed_sid) = login_full(&s, "bob", "bob-password").await;
    let mut doomed_ws = doomed.connect_ws(None).await.unwrap();
    let mut keep_ws = keep.connect_ws(None).await.unwrap();

    keep.revoke_session(doomed_sid).await.unwrap();
    assert_eq!(
        wait_for_close(&mut doomed_ws).await,
        Some(4001),
        "the revoked session's socket is closed with 4001"
    );
    assert_eq!(err(doomed.me().await), (401, ErrorCode::SessionExpired));
    assert_eq!(
        err(doomed.connect_ws(None).await),
        (401, ErrorCode::SessionExpired),
        "a revoked session cannot reconnect"
    );

    // The other session's socket stays open and answers pings.
    keep_ws.send(hearth_api::ClientFrame::Ping).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match keep_ws.next_frame(left).await.unwrap() {
            Some(ServerFrame::Pong) => break,
            Some(_) => continue,
            None => panic!("no pong on the surviving socket"),
        }
    }
}

async fn deactivation_ends_access_at_once(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, carol_user) = s.user("carol").await;
    let pat = bob.create_token("script", None).await.unwrap();
    let pat_client = s.client().with_token(pat.token);
    let mut ws = bob.connect_ws(None).await.unwrap();

    // Users cannot deactivate others.
    assert_eq!(
        err(carol.set_active(bob_user.id, false).await),
        (403, ErrorCode::Forbidden)
    );
    assert!(admin.user(bob_user.id).await.unwrap().is_active);
    bob.me().await.unwrap();

    let u = admin.set_active(bob_user.id, false).await.unwrap();
    assert!(!u.is_active);
    for c in [&bob, &pat_client] {
        let got = err(c.me().await);
        assert!(
            matches!(
                got,
                (401, ErrorCode::SessionExpired) | (403, ErrorCode::AccountInactive)
            ),
            "{got:?}"
        );
    }
    assert_eq!(wait_for_close(&mut ws).await, Some(4001));
    assert_eq!(
        err(s.client().login("bob", "bob-password").await),
        (403, ErrorCode::AccountInactive)
    );
    assert_eq!(
        err(s.client().login("bob", "wrong-password").await),
        (401, ErrorCode::InvalidCredentials),
        "a wrong password does not learn that the account exists"
    );
    // A deactivated user cannot be added to things or messaged.
    assert_eq!(
        err(carol.direct_channel(&[bob_user.id]).await).1,
        ErrorCode::NotFound
    );
    // Users cannot reactivate, not even themselves.
    assert_eq!(
        err(carol.set_active(bob_user.id, true).await),
        (403, ErrorCode::Forbidden)
    );

    let u = admin.set_active(bob_user.id, true).await.unwrap();
    assert!(u.is_active);
    assert_eq!(
        err(bob.me().await),
        (401, ErrorCode::SessionExpired),
        "old sessions stay revoked"
    );
    let (bob2, _) = s.login("bob", "bob-password").await;
    assert_eq!(bob2.me().await.unwrap().id, bob_user.id);

    // Self-deactivation is allowed.
    carol.set_active(carol_user.id, false).await.unwrap();
    assert_eq!(
        err(s.client().login("carol", "carol-password").await),
        (403, ErrorCode::AccountInactive)
    );
}

async fn roles_are_changed_by_admins_only(s: TestServer) {
    let (admin, admin_user) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (_carol, carol_user) = s.user("carol").await;
    assert_eq!(
        err(bob.set_role(carol_user.id, Role::SystemAdmin).await),
        (403, ErrorCode::Forbidden)
    );
    assert_eq!(
        err(bob.set_role(bob_user.id, Role::SystemAdmin).await),
        (403, ErrorCode::Forbidden)
    );
    assert_eq!(
        err(bob.set_role(admin_user.id, Role::User).await),
        (403, ErrorCode::Forbidden)
    );
    assert_eq!(admin.user(carol_user.id).await.unwrap().role, Role::User);
    assert_eq!(bob.me().await.unwrap().role, Role::User);
    assert_eq!(admin.me().await.unwrap().role, Role::SystemAdmin);

    // An admin cannot demote themself (someone must stay admin).
    assert_eq!(
        err(admin.set_role(admin_user.id, Role::User).await),
        (400, ErrorCode::InvalidInput)
    );
    assert_eq!(admin.me().await.unwrap().role, Role::SystemAdmin);

    let g = admin.set_role(carol_user.id, Role::Guest).await.unwrap();
    assert_eq!(g.role, Role::Guest);
    let b = admin
        .set_role(bob_user.id, Role::SystemAdmin)
        .await
        .unwrap();
    assert_eq!(b.role, Role::SystemAdmin);
    // The new role applies to the existing session at once.
    assert_eq!(bob.me().await.unwrap().role, Role::SystemAdmin);
    bob.set_role(carol_user.id, Role::User).await.unwrap();
    assert_eq!(
        err(admin.set_role(Uuid::now_v7(), Role::User).await),
        (404, ErrorCode::NotFound)
    );
}

async fn profile_updates(s: TestServer) {
    s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, _) = s.user("carol").await;
    let u = bob
        .update_me(&UpdateProfileRequest {
            display_name: Some("Bob Builder".into()),
            timezone: Some("Europe/Berlin".into()),
            status_text: Some("at lunch".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(u.display_name, "Bob Builder");
    assert_eq!(u.timezone, "Europe/Berlin");
    assert_eq!(u.status_text, "at lunch");
    assert_eq!(u.username, "bob", "unset fields stay");
    let seen = carol.user(bob_user.id).await.unwrap();
    assert_eq!(seen.display_name, "Bob Builder");
    assert!(seen.email.is_none(), "others do not see the e-mail");

    let u = bob
        .update_me(&UpdateProfileRequest {
            username: Some("Robert".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(u.username, "robert");
    s.login("robert", "bob-password").await;
    assert_eq!(
        err(s.client().login("bob", "bob-password").await),
        (401, ErrorCode::InvalidCredentials)
    );
    assert_eq!(
        carol.user_by_username("robert").await.unwrap().id,
        bob_user.id
    );

    // A taken username refuses the whole update.
    let taken = bob
        .update_me(&UpdateProfileRequest {
            username: Some("carol".into()),
            display_name: Some("Not Applied".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(err(taken), (409, ErrorCode::Conflict));
    for (bad, what) in [
        (
            UpdateProfileRequest {
                timezone: Some("Mars/Olympus Mons".into()),
                display_name: Some("Not Applied".into()),
                ..Default::default()
            },
            "timezone",
        ),
        (
            UpdateProfileRequest {
                status_text: Some("x".repeat(101)),
                ..Default::default()
            },
            "status text",
        ),
        (
            UpdateProfileRequest {
                display_name: Some("   ".into()),
                ..Default::default()
            },
            "display name",
        ),
        (
            UpdateProfileRequest {
                username: Some("channel".into()),
                ..Default::default()
            },
            "reserved username",
        ),
    ] {
        assert_eq!(
            err(bob.update_me(&bad).await),
            (400, ErrorCode::InvalidInput),
            "{what}"
        );
    }
    let me = bob.me().await.unwrap();
    assert_eq!(
        (
            me.username.as_str(),
            me.display_name.as_str(),
            me.timezone.as_str(),
            me.status_text.as_str()
        ),
        ("robert", "Bob Builder", "Europe/Berlin", "at lunch"),
        "refused updates change nothing"
    );

    // Presence is set separately and visible to others while connected.
    let _ws = bob.connect_ws(None).await.unwrap();
    let st = bob.set_status(Presence::Dnd).await.unwrap();
    assert_eq!((st.presence, st.manual), (Presence::Dnd, true));
    assert_eq!(
        carol.status(bob_user.id).await.unwrap().presence,
        Presence::Dnd
    );
}

/// A small PNG with a gradient, so it is a real decodable image.
pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn avatar_upload_and_download(s: TestServer) {
    s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (carol, carol_user) = s.user("carol").await;
    assert!(!bob.me().await.unwrap().has_avatar);
    assert_eq!(
        err(carol.avatar(bob_user.id).await),
        (404, ErrorCode::NotFound)
    );

    assert_eq!(
        err(bob
            .set_avatar(b"this is not an image".to_vec(), "image/png")
            .await),
        (400, ErrorCode::InvalidInput)
    );
    assert!(!bob.me().await.unwrap().has_avatar);

    let picture = png(64, 48);
    let u = bob.set_avatar(picture.clone(), "image/png").await.unwrap();
    assert!(u.has_avatar);
    assert!(carol.user(bob_user.id).await.unwrap().has_avatar);
    let got = carol.avatar(bob_user.id).await.unwrap();
    assert_eq!(got.content_type.as_deref(), Some("image/png"));
    assert_eq!(got.bytes, picture);
    assert_eq!(
        image::load_from_memory(&got.bytes).unwrap().width(),
        64,
        "the avatar decodes"
    );
    assert_eq!(
        err(bob.avatar(carol_user.id).await),
        (404, ErrorCode::NotFound)
    );
    // A broken replacement keeps the old avatar.
    assert_eq!(
        err(bob.set_avatar(picture[..40].to_vec(), "image/png").await),
        (400, ErrorCode::InvalidInput)
    );
    assert_eq!(carol.avatar(bob_user.id).await.unwrap().bytes, picture);
    // Anonymous callers cannot fetch avatars.
    assert_eq!(
        err(s.client().avatar(bob_user.id).await),
        (401, ErrorCode::Unauthenticated)
    );
}

async fn password_change_ends_other_sessions(s: TestServer) {
    s.admin().await;
    s.user("bob").await;
    let (c1, _) = login_full(&s, "bob", "bob-password").await;
    let (c2, _) = login_full(&s, "bob", "bob-password").await;

    assert_eq!(
        err(c1.change_password("wrong-password", "new-password-1").await),
        (400, ErrorCode::InvalidInput),
        "a wrong current password is bad input, not a dead session"
    );
    assert_eq!(
        err(c1.change_password("bob-password", "short").await),
        (400, ErrorCode::InvalidInput)
    );
    c2.me().await.expect("refused changes end no sessions");
    s.login("bob", "bob-password").await;

    c1.change_password("bob-password", "new-password-1")
        .await
        .unwrap();
    c1.me().await.expect("the changing session stays");
    assert_eq!(err(c2.me().await), (401, ErrorCode::SessionExpired));
    assert_eq!(
        err(s.client().login("bob", "bob-password").await),
        (401, ErrorCode::InvalidCredentials)
    );
    s.login("bob", "new-password-1").await;
    let live = c1.sessions().await.unwrap();
    assert_eq!(live.iter().filter(|x| x.current).count(), 1);
    assert_eq!(live.len(), 2, "the changing session and the new login");
}

async fn login_rate_limit(s: TestServer) {
    let s = reboot_with(s, |cfg| cfg.limits.logins_per_minute = 3).await;
    let token = setup_token(&s);
    s.client()
        .signup(&SignupRequest {
            setup_token: Some(token),
            ..signup_req("alice")
        })
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            err(s.client().login("alice", "wrong-password").await),
            (401, ErrorCode::InvalidCredentials)
        );
    }
    let c = s.client();
    let resp = c
        .request(Method::POST, "/api/v1/users/login")
        .json(&json!({ "login": "alice", "password": "alice-password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .expect("Retry-After is set")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Even the right password is refused while limited.
    assert_eq!(
        err(s.client().login("alice", "alice-password").await),
        (429, ErrorCode::RateLimited)
    );
}

both_backends!(
    first_account_needs_the_setup_token,
    invite_only_signup_needs_a_valid_invitation,
    disabled_signup_refuses_everyone,
    duplicate_usernames_and_emails_conflict,
    wrong_password_and_unknown_user_look_the_same,
    cookie_sessions_need_the_csrf_token_for_writes,
    personal_access_tokens,
    logout_and_session_management,
    revoking_a_session_closes_its_websocket,
    deactivation_ends_access_at_once,
    roles_are_changed_by_admins_only,
    profile_updates,
    avatar_upload_and_download,
    password_change_ends_other_sessions,
    login_rate_limit,
);
