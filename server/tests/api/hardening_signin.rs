//! Sign-in hardening: signup checks before hashing and its rate limit,
//! account lockout that counts MFA codes, OpenID linking only to verified
//! addresses, personal access tokens that need the password and end with
//! it, endpoint changes that drop stored secrets, and TOTP secrets kept
//! encrypted.

use std::time::{SystemTime, UNIX_EPOCH};

use hearth_api::{
    CreateTokenRequest, ErrorCode, LoginMfaRequest, LoginOutcome, MfaChallenge, SignupRequest,
};
use hearth_client::{Client, ClientError};
use hearth_identity::totp;
use hearth_server::Config;
use hearth_server::config::SignupMode;
use hearth_server::passwords::HashPurpose;

use hearth_identity::test_support::free_port;
use hearth_identity::test_support::oidc::OidcServer;

use crate::both_backends;
use crate::harness::TestServer;
use crate::oidc::{Sso, browser, me as me_of, sso};

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

/// Replaces the server the macro booted by one with a tweaked configuration
/// on the same backend.
async fn reboot_with(mut s: TestServer, tweak: impl FnOnce(&mut Config)) -> TestServer {
    let backend = s.backend;
    s.stop().await;
    drop(s);
    TestServer::boot_with(backend, tweak).await
}

/// Argon2 computations the server has run for `purpose`.
fn hashed(s: &TestServer, purpose: HashPurpose) -> u64 {
    s.server
        .as_ref()
        .expect("server runs")
        .ctx
        .passwords
        .computed(purpose)
}

both_backends!(
    refused_signups_hash_nothing,
    signups_are_rate_limited_per_client,
    wrong_codes_lock_out_despite_right_passwords,
    lockout_counts_every_name_of_an_account,
    minting_tokens_needs_the_password_or_a_fresh_sign_in,
    tokens_end_with_password_and_mfa_changes_unless_integration,
    signup_is_invite_only_by_default,
    secrets_do_not_follow_a_moved_endpoint,
);

/// Item 2: a signup that the mode, the invitation or a taken name refuses
/// is refused before the password is hashed.
async fn refused_signups_hash_nothing(s: TestServer) {
    let s = reboot_with(s, |c| c.accounts.signup = SignupMode::Disabled).await;
    let (admin, _) = s.admin().await;
    let before = hashed(&s, HashPurpose::Signup);
    for i in 0..5 {
        let r = s.client().signup(&signup_req(&format!("flood{i}"))).await;
        assert_eq!(err(r), (403, ErrorCode::SignupDisabled));
    }
    assert_eq!(
        hashed(&s, HashPurpose::Signup),
        before,
        "no password was hashed for refused signups"
    );

    // Invite-only: no invitation, or one that does not exist.
    let s = reboot_with(s, |c| c.accounts.signup = SignupMode::InviteOnly).await;
    let (_admin, _) = s.admin().await;
    let before = hashed(&s, HashPurpose::Signup);
    let r = s.client().signup(&signup_req("nobody")).await;
    assert_eq!(err(r), (403, ErrorCode::SignupDisabled));
    let r = s
        .client()
        .signup(&SignupRequest {
            invite_id: Some("no-such-invite".into()),
            ..signup_req("nobody")
        })
        .await;
    assert_eq!(err(r).0, 400);
    assert_eq!(hashed(&s, HashPurpose::Signup), before);

    // Open: a taken username or e-mail.
    let s = reboot_with(s, |c| c.accounts.signup = SignupMode::Open).await;
    let (_admin, _) = s.admin().await;
    s.user("taken").await;
    let before = hashed(&s, HashPurpose::Signup);
    let r = s.client().signup(&signup_req("taken")).await;
    assert_eq!(err(r), (409, ErrorCode::Conflict));
    let r = s
        .client()
        .signup(&SignupRequest {
            email: "taken@example.com".into(),
            ..signup_req("other")
        })
        .await;
    assert_eq!(err(r), (409, ErrorCode::Conflict));
    assert_eq!(hashed(&s, HashPurpose::Signup), before);
    // A signup that goes ahead is hashed on the signup budget.
    s.client().signup(&signup_req("fresh")).await.unwrap();
    assert_eq!(hashed(&s, HashPurpose::Signup), before + 1);
    drop(admin);
}

/// Item 2: signup attempts are limited per client address, whatever their
/// outcome, and the limit does not touch logins.
async fn signups_are_rate_limited_per_client(s: TestServer) {
    let s = reboot_with(s, |c| {
        c.accounts.signup = SignupMode::Disabled;
        c.limits.signups_per_hour = 3;
    })
    .await;
    let (_admin, _) = s.admin().await;
    // The first account's signup counted too.
    for i in 0..2 {
        let r = s.client().signup(&signup_req(&format!("try{i}"))).await;
        assert_eq!(err(r), (403, ErrorCode::SignupDisabled));
    }
    let r = s.client().signup(&signup_req("try3")).await;
    assert_eq!(err(r), (429, ErrorCode::RateLimited));
    s.login("admin", "admin-password").await;
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

async fn challenge(c: &mut Client, login: &str, password: &str) -> MfaChallenge {
    match c.login_step(login, password).await.expect("login") {
        LoginOutcome::Mfa(ch) => ch,
        LoginOutcome::Session(_) => panic!("expected an MFA challenge for {login}"),
    }
}

fn with_code(ch: &MfaChallenge, code: String) -> LoginMfaRequest {
    LoginMfaRequest {
        mfa_token: ch.mfa_token.clone(),
        code: Some(code),
        recovery_code: None,
    }
}

/// Turns on MFA for `c`'s account; answers the TOTP secret.
async fn enable_mfa(c: &Client) -> String {
    let e = c.mfa_enrol().await.expect("enrol");
    c.mfa_activate(&totp::code_at(&e.secret, now()).unwrap())
        .await
        .expect("activate");
    e.secret
}

/// Item 7: someone who knows the password cannot try codes forever by
/// starting a new login after each few wrong ones: wrong codes are counted
/// per account and only a right code clears them.
async fn wrong_codes_lock_out_despite_right_passwords(s: TestServer) {
    let s = reboot_with(s, |c| {
        c.login.lockout_threshold = 3;
        c.login.lockout_secs = 600;
    })
    .await;
    let (_admin, _) = s.admin().await;
    let (alice, _) = s.user("alice").await;
    let secret = enable_mfa(&alice).await;
    let wrong = || totp::code_at(&secret, now() + 3600).unwrap();
    for _ in 0..2 {
        // A fresh login each time: the right password must not reset the count.
        let mut c = s.client();
        let ch = challenge(&mut c, "alice", "alice-password").await;
        let r = c.login_mfa(&with_code(&ch, wrong())).await;
        assert_eq!(err(r), (401, ErrorCode::InvalidCredentials));
    }
    let mut c = s.client();
    let ch = challenge(&mut c, "alice", "alice-password").await;
    let r = c.login_mfa(&with_code(&ch, wrong())).await;
    assert_eq!(err(r), (401, ErrorCode::InvalidCredentials));
    // The third wrong code locked the second factor: even the right code is refused.
    let mut c = s.client();
    let ch = challenge(&mut c, "alice", "alice-password").await;
    let r = c
        .login_mfa(&with_code(&ch, totp::code_at(&secret, now()).unwrap()))
        .await;
    assert_eq!(err(r), (429, ErrorCode::RateLimited));
}

/// Item 7: failures count against the account, whichever of its names
/// (username or e-mail) is typed.
async fn lockout_counts_every_name_of_an_account(s: TestServer) {
    let s = reboot_with(s, |c| {
        c.login.lockout_threshold = 3;
        c.login.lockout_secs = 600;
    })
    .await;
    let (_admin, _) = s.admin().await;
    s.user("bob").await;
    for login in ["bob", "BOB", "bob@example.com"] {
        let r = s.client().login(login, "wrong-password").await;
        assert_eq!(err(r), (401, ErrorCode::InvalidCredentials), "{login}");
    }
    let r = s.client().login("bob@example.com", "bob-password").await;
    assert_eq!(err(r), (429, ErrorCode::RateLimited));
    let r = s.client().login("bob", "bob-password").await;
    assert_eq!(err(r), (429, ErrorCode::RateLimited));
}

/// A server with one OpenID provider (`test`) that links by verified
/// e-mail and admits only `example.com` addresses.
async fn boot_sso(backend: crate::harness::Backend) -> Sso {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let provider = OidcServer::start_for(
        &format!("{url}/api/v1/oauth/test/callback"),
        &format!("{url}/"),
    );
    let mut p = provider.config("hearth");
    p.link_by_verified_email = true;
    p.allowed_email_domains = vec!["example.com".into()];
    let s = TestServer::boot_with(backend, move |c| {
        c.server.listen = format!("127.0.0.1:{port}");
        c.server.public_url = url.clone();
        c.oidc.providers = vec![p];
    })
    .await;
    Sso { s, provider }
}

/// Item 3: an account someone signed up with another person's address is
/// never linked to that person's single sign-on; an account whose address
/// an admin verified is, and everything its earlier holder had ends; an
/// unverified address does not pass the domain allow-list.
async fn sso_links_only_verified_addresses(backend: crate::harness::Backend) {
    let env = boot_sso(backend).await;
    let s = &env.s;
    let (admin, _) = s.admin().await;

    // The squatter signs up with the victim's address and keeps a token.
    s.client()
        .signup(&SignupRequest {
            email: "victim@example.com".into(),
            ..signup_req("squatter")
        })
        .await
        .unwrap();
    let (squatter, _) = s.login("squatter", "squatter-password").await;
    let token = squatter.create_token("keep", None).await.unwrap();
    let squatter_token = s.client().with_token(token.token);
    assert_eq!(
        squatter_token.me().await.unwrap().email_verified,
        Some(false)
    );

    // The victim's first sign-in is refused, not linked.
    let (landing, cookie) = sso(&env, &browser(), "victim").await;
    assert_eq!(
        landing,
        "/?sso_error=provisioning.account_email_not_verified"
    );
    assert!(cookie.is_none());
    let me = squatter_token.me().await.unwrap();
    assert_eq!(
        me.username, "squatter",
        "the squatter's account is unchanged"
    );

    // Carol's own account, whose address an admin vouches for, is linked;
    // every session and token it had ends.
    let (carol, carol_user) = s.user("carol").await;
    let carol_token = carol.create_token("old", None).await.unwrap();
    let carol_token = s.client().with_token(carol_token.token);
    let verified = admin.set_email_verified(carol_user.id, true).await.unwrap();
    assert_eq!(verified.email_verified, Some(true));
    let http = browser();
    let (_, cookie) = sso(&env, &http, "carol").await;
    assert!(cookie.is_some(), "linked and signed in");
    let linked: hearth_api::User = me_of(&env, &http).await.json().await.unwrap();
    assert_eq!(linked.id, carol_user.id);
    assert_eq!(err(carol.me().await).0, 401, "the old session ended");
    assert_eq!(err(carol_token.me().await).0, 401, "the old token ended");

    // Bob's provider does not verify his address: the domain list does not
    // take it on trust.
    let (landing, cookie) = sso(&env, &browser(), "bob").await;
    assert_eq!(landing, "/?sso_error=provisioning.email_domain_not_allowed");
    assert!(cookie.is_none());

    // Only admins vouch for addresses.
    let r = squatter
        .set_email_verified(squatter_token.me().await.unwrap().id, true)
        .await;
    assert_eq!(err(r).0, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_links_only_verified_addresses_sqlite() {
    sso_links_only_verified_addresses(crate::harness::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_links_only_verified_addresses_postgres() {
    sso_links_only_verified_addresses(crate::harness::Backend::Postgres).await;
}

fn token_req(name: &str) -> CreateTokenRequest {
    CreateTokenRequest {
        name: name.into(),
        ..Default::default()
    }
}

/// Item 13: a token outlives the session that mints it, so minting needs
/// the password unless the caller signed in minutes ago; an access token is
/// never a fresh sign-in. Tokens expire by default.
async fn minting_tokens_needs_the_password_or_a_fresh_sign_in(s: TestServer) {
    let (_admin, _) = s.admin().await;
    let (alice, alice_user) = s.user("alice").await;
    // A session a sign-in just opened may mint without the password.
    let t = alice.create_token_with(&token_req("first")).await.unwrap();
    let now = hearth_core::now_millis();
    let expires = t.info.expires_at.expect("tokens expire by default");
    let days = (expires - now) as f64 / 86_400_000.0;
    assert!((89.9..=90.1).contains(&days), "{days} days");
    let via_token = s.client().with_token(t.token);
    let r = via_token.create_token_with(&token_req("second")).await;
    assert_eq!(err(r), (403, ErrorCode::ReauthenticationRequired));
    let r = via_token
        .create_token_for_with(alice_user.id, &token_req("second"))
        .await;
    assert_eq!(err(r), (403, ErrorCode::ReauthenticationRequired));
    let r = via_token
        .create_token_with(&CreateTokenRequest {
            password: Some("wrong-password".into()),
            ..token_req("second")
        })
        .await;
    assert_eq!(err(r), (400, ErrorCode::InvalidInput));
    let second = via_token
        .create_token_with(&CreateTokenRequest {
            password: Some("alice-password".into()),
            expires_in_days: Some(3),
            ..token_req("second")
        })
        .await
        .unwrap();
    let days = (second.info.expires_at.unwrap() - now) as f64 / 86_400_000.0;
    assert!((2.9..=3.1).contains(&days), "{days} days");

    // An old session is no fresh sign-in either.
    let s = reboot_with(s, |c| c.sessions.token_reauth_mins = 0).await;
    let (_admin, _) = s.admin().await;
    let (bob, _) = s.user("bob").await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = bob.create_token_with(&token_req("t")).await;
    assert_eq!(err(r), (403, ErrorCode::ReauthenticationRequired));
    bob.create_token_with(&CreateTokenRequest {
        password: Some("bob-password".into()),
        ..token_req("t")
    })
    .await
    .unwrap();
}

/// Item 13: a password change or a second-factor change ends the
/// account's access tokens, except integration tokens.
async fn tokens_end_with_password_and_mfa_changes_unless_integration(s: TestServer) {
    let (_admin, _) = s.admin().await;
    let (alice, _) = s.user("alice").await;
    let with = |t: hearth_api::CreatedToken| s.client().with_token(t.token);
    let personal = with(alice.create_token_with(&token_req("p")).await.unwrap());
    let integration = with(
        alice
            .create_token_with(&CreateTokenRequest {
                integration: true,
                ..token_req("i")
            })
            .await
            .unwrap(),
    );
    assert!(alice.tokens().await.unwrap().iter().any(|t| t.integration));
    alice
        .change_password("alice-password", "alice-password-2")
        .await
        .unwrap();
    assert_eq!(err(personal.me().await).0, 401, "personal token ended");
    integration.me().await.expect("integration token survives");
    alice.me().await.expect("the changing session stays");

    // Turning MFA on, then off, ends personal tokens each time.
    let (alice, _) = s.login("alice", "alice-password-2").await;
    let personal = with(alice.create_token_with(&token_req("p2")).await.unwrap());
    let secret = enable_mfa(&alice).await;
    assert_eq!(err(personal.me().await).0, 401, "ended by MFA on");
    let personal = with(
        alice
            .create_token_with(&CreateTokenRequest {
                password: Some("alice-password-2".into()),
                ..token_req("p3")
            })
            .await
            .unwrap(),
    );
    // A later step than the one activation used.
    let code = totp::code_at(&secret, now() + 30).unwrap();
    alice.mfa_disable(&code).await.unwrap();
    assert_eq!(err(personal.me().await).0, 401, "ended by MFA off");
    integration.me().await.expect("integration token survives");
}

/// Item 13: without configuration, signup needs an invitation.
async fn signup_is_invite_only_by_default(s: TestServer) {
    let s = reboot_with(s, |c| c.accounts.signup = Config::default().accounts.signup).await;
    let (admin, _) = s.admin().await;
    let r = s.client().signup(&signup_req("walkin")).await;
    assert_eq!(err(r), (403, ErrorCode::SignupDisabled));
    let team = s.team(&admin, "staff", false).await;
    s.client()
        .signup(&SignupRequest {
            invite_id: Some(admin.team_invite(team.id).await.unwrap().invite_id),
            ..signup_req("invited")
        })
        .await
        .unwrap();
}

fn keys(pairs: &[(&str, serde_json::Value)]) -> serde_json::Map<String, serde_json::Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Item 6: pointing LDAP or an OpenID provider at another host drops the
/// stored bind password or client secret, unless a new one comes with it.
async fn secrets_do_not_follow_a_moved_endpoint(s: TestServer) {
    use serde_json::json;
    let (admin, _) = s.admin().await;
    let ctx = s.server.as_ref().unwrap().ctx.clone();
    admin
        .patch_config(keys(&[
            (
                "ldap.directory",
                json!({
                    "urls": ["ldap://127.0.0.1:1"],
                    "base_dn": "dc=example,dc=com",
                    "bind_dn": "cn=svc,dc=example,dc=com",
                    "bind_password": "hunter2-secret",
                }),
            ),
            (
                "oidc.providers",
                json!([{
                    "id": "corp",
                    "display_name": "Corp",
                    "issuer_url": "http://127.0.0.1:1/realms/corp",
                    "client_id": "hearth",
                    "client_secret": "client-secret-1",
                    "redirect_url": "http://127.0.0.1:1/api/v1/oauth/corp/callback",
                }]),
            ),
        ]))
        .await
        .unwrap();
    // Other changes keep the secrets.
    let view = admin
        .patch_config(keys(&[(
            "ldap.directory.base_dn",
            json!("dc=example,dc=org"),
        )]))
        .await
        .unwrap();
    let saved = ctx.settings.saved();
    assert_eq!(
        saved.ldap.directory.as_ref().unwrap().bind_password,
        "hunter2-secret"
    );
    // The directory moves: the password stays behind.
    admin
        .patch_config(keys(&[(
            "ldap.directory.urls",
            json!(["ldap://evil.example:389"]),
        )]))
        .await
        .unwrap();
    let saved = ctx.settings.saved();
    let dir = saved.ldap.directory.as_ref().unwrap();
    assert_eq!(dir.urls, ["ldap://evil.example:389"]);
    assert_eq!(dir.bind_password, "", "bind password dropped");
    // Moved with a new password: that one is kept.
    admin
        .patch_config(keys(&[
            ("ldap.directory.urls", json!(["ldap://new.example:389"])),
            ("ldap.directory.bind_password", json!("new-secret")),
        ]))
        .await
        .unwrap();
    assert_eq!(
        ctx.settings
            .saved()
            .ldap
            .directory
            .as_ref()
            .unwrap()
            .bind_password,
        "new-secret"
    );
    // The provider moves, its secret sent back masked as the console does.
    let mut providers = view.config["oidc"]["providers"].clone();
    assert_eq!(providers[0]["client_secret"], "********");
    providers[0]["issuer_url"] = json!("http://evil.example/realms/corp");
    admin
        .patch_config(keys(&[("oidc.providers", providers)]))
        .await
        .unwrap();
    let saved = ctx.settings.saved();
    assert_eq!(
        saved.oidc.providers[0].issuer_url,
        "http://evil.example/realms/corp"
    );
    assert_eq!(
        saved.oidc.providers[0].client_secret, None,
        "client secret dropped"
    );
    let file = std::fs::read_to_string(s.dir.path().join("hearth.toml")).unwrap();
    assert!(!file.contains("client-secret-1"), "{file}");
    assert!(!file.contains("hunter2-secret"), "{file}");
}

/// Item 12 (secrets): `hearth config check` prints the effective
/// configuration without the LDAP bind password or OpenID client secret,
/// whether they come from the file or from `_FILE` variables.
#[test]
fn config_check_prints_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hearth.toml");
    std::fs::write(
        &file,
        r#"
[ldap.directory]
urls = ["ldap://127.0.0.1:389"]
base_dn = "dc=example,dc=com"
bind_dn = "cn=svc,dc=example,dc=com"
bind_password = "ldap-bind-secret"

[[oidc.providers]]
id = "corp"
display_name = "Corp"
issuer_url = "https://id.example.com"
client_id = "hearth"
client_secret = "oidc-client-secret"
redirect_url = "https://chat.example.com/api/v1/oauth/corp/callback"
"#,
    )
    .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"));
    for (k, _) in std::env::vars() {
        if k.starts_with("HEARTH_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("cn=svc,dc=example,dc=com"), "{stdout}");
    assert!(stdout.contains("[redacted]"), "{stdout}");
    assert!(!stdout.contains("ldap-bind-secret"), "{stdout}");
    assert!(!stdout.contains("oidc-client-secret"), "{stdout}");
    // The server itself still reads the real values.
    let cfg = Config::load(Some(&file)).unwrap();
    assert_eq!(
        cfg.ldap.directory.as_ref().unwrap().bind_password.expose(),
        "ldap-bind-secret"
    );
    assert!(!format!("{cfg:?}").contains("ldap-bind-secret"));
}

/// The stored TOTP secret of `user_id`, as the database holds it.
fn stored_totp_secret(s: &TestServer, user_id: &str) -> Option<String> {
    s.server
        .as_ref()
        .expect("server runs")
        .ctx
        .store
        .read(|c| Ok(hearth_store::identity::auth_of(c, user_id)?))
        .expect("read sign-in row")
        .and_then(|a| a.mfa_secret)
}

both_backends!(totp_secrets_are_encrypted_at_rest);

/// TOTP secrets are encrypted in the database under a key kept outside it
/// (`<data_dir>/mfa.key`, mode 0600); secrets stored in plain text by an
/// earlier version are encrypted at start and keep working.
async fn totp_secrets_are_encrypted_at_rest(s: TestServer) {
    use std::os::unix::fs::PermissionsExt;
    let (_admin, _) = s.admin().await;
    let (alice, alice_user) = s.user("alice").await;
    let secret = enable_mfa(&alice).await;
    let stored = stored_totp_secret(&s, &alice_user.id.to_string()).unwrap();
    assert!(!stored.contains(&secret), "{stored}");
    assert!(stored.starts_with("v1:"), "{stored}");
    let key = s.dir.path().join("mfa.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!std::fs::read_to_string(&key).unwrap().contains(&secret));
    // The sealed secret still checks codes.
    let mut c = s.client();
    let ch = challenge(&mut c, "alice", "alice-password").await;
    c.login_mfa(&with_code(&ch, totp::code_at(&secret, now() + 30).unwrap()))
        .await
        .expect("login with a code");

    // A row written in plain text (as before encryption) is sealed at start.
    let ctx = s.server.as_ref().unwrap().ctx.clone();
    let (bob, bob_user) = s.user("bob").await;
    let bob_secret = enable_mfa(&bob).await;
    let bob_id = bob_user.id.to_string();
    ctx.store
        .write(|tx| {
            let mut a = hearth_store::identity::auth_of(tx.conn, &bob_id)?.unwrap();
            a.mfa_secret = Some(bob_secret.clone());
            hearth_store::identity::save_auth(tx.conn, &a)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        stored_totp_secret(&s, &bob_id).as_deref(),
        Some(bob_secret.as_str())
    );
    let sealed = hearth_server::signin::mfa::seal_stored_secrets(&ctx).unwrap();
    assert_eq!(sealed, 1);
    let stored = stored_totp_secret(&s, &bob_id).unwrap();
    assert!(stored.starts_with("v1:") && !stored.contains(&bob_secret));
    let mut c = s.client();
    let ch = challenge(&mut c, "bob", "bob-password").await;
    c.login_mfa(&with_code(
        &ch,
        totp::code_at(&bob_secret, now() + 30).unwrap(),
    ))
    .await
    .expect("login with a code after sealing");
}
