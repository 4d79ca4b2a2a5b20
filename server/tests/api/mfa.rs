//! TOTP second factor: enrolment, login challenge, replay protection,
//! recovery codes, admin reset, enforcement, and login lockout.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hearth_api::{ErrorCode, LoginMfaRequest, LoginOutcome, MfaChallenge};
use hearth_client::Client;
use hearth_identity::totp;

use crate::both_backends;
use crate::harness::{Backend, TestServer, audit_actions};

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

fn with_recovery(ch: &MfaChallenge, code: &str) -> LoginMfaRequest {
    LoginMfaRequest {
        mfa_token: ch.mfa_token.clone(),
        code: None,
        recovery_code: Some(code.to_string()),
    }
}

async fn mfa_enrol_login_recovery_and_reset(s: TestServer) {
    let (admin, _) = s.admin().await;
    let (alice, alice_user) = s.user("alice").await;

    let e = alice.mfa_enrol().await.expect("enrol");
    assert!(
        e.otpauth_uri.starts_with("otpauth://totp/Hearth:alice?"),
        "{}",
        e.otpauth_uri
    );
    assert!(e.otpauth_uri.contains(&e.secret));
    // A code far outside the window does not activate.
    let far = totp::code_at(&e.secret, now() + 600).unwrap();
    let err = alice.mfa_activate(&far).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidInput));
    let t0 = now();
    let codes = alice
        .mfa_activate(&totp::code_at(&e.secret, t0).unwrap())
        .await
        .expect("activate");
    assert_eq!(codes.recovery_codes.len(), 10);
    assert!(alice.mfa_status().await.unwrap().enabled);

    // The password alone now yields a challenge, not a session.
    let mut c = s.client();
    let ch = challenge(&mut c, "alice", "alice-password").await;
    assert!(ch.mfa_required && !ch.enrolment_required);
    let wrong = c
        .login_mfa(&with_code(&ch, totp::code_at(&e.secret, t0 + 600).unwrap()))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Some(ErrorCode::InvalidCredentials));
    // The code used to activate (same step) is refused as a replay.
    let replay = c
        .login_mfa(&with_code(&ch, totp::code_at(&e.secret, t0).unwrap()))
        .await
        .unwrap_err();
    assert_eq!(replay.code(), Some(ErrorCode::InvalidCredentials));
    let next = totp::code_at(&e.secret, t0 + 30).unwrap();
    let ok = c
        .login_mfa(&with_code(&ch, next.clone()))
        .await
        .expect("code accepted");
    assert_eq!(ok.session.user.id, alice_user.id);
    assert!(ok.recovery_codes.is_none());
    assert_eq!(c.me().await.unwrap().id, alice_user.id);
    // The challenge token worked once.
    let again = s
        .client()
        .login_mfa(&with_code(&ch, next))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some(ErrorCode::SessionExpired));

    // A recovery code works once.
    let mut r = s.client();
    let ch = challenge(&mut r, "alice", "alice-password").await;
    r.login_mfa(&with_recovery(&ch, &codes.recovery_codes[0].to_uppercase()))
        .await
        .expect("recovery code");
    assert_eq!(alice.mfa_status().await.unwrap().recovery_codes_left, 9);
    let mut r2 = s.client();
    let ch = challenge(&mut r2, "alice", "alice-password").await;
    let used = r2
        .login_mfa(&with_recovery(&ch, &codes.recovery_codes[0]))
        .await
        .unwrap_err();
    assert_eq!(used.code(), Some(ErrorCode::InvalidCredentials));

    // Only admins reset; after the reset the password alone signs in.
    let (bob, _) = s.user("bob").await;
    let denied = bob.admin_reset_mfa(alice_user.id).await.unwrap_err();
    assert_eq!(denied.code(), Some(ErrorCode::Forbidden));
    admin
        .admin_reset_mfa(alice_user.id)
        .await
        .expect("admin reset");
    let mut plain = s.client();
    assert!(matches!(
        plain.login_step("alice", "alice-password").await.unwrap(),
        LoginOutcome::Session(_)
    ));

    let audit = audit_actions(&s);
    for action in [
        "user.mfa_enrol",
        "user.mfa_enable",
        "user.mfa_code_failed",
        "user.login_mfa_challenge",
        "user.mfa_recovery_code_used",
        "user.mfa_reset",
        "user.login",
    ] {
        assert!(
            audit.iter().any(|(a, _)| a == action),
            "no {action} in audit"
        );
    }
    let failed: Vec<_> = audit
        .iter()
        .filter(|(a, _)| a == "user.login_failed")
        .collect();
    assert!(failed.iter().any(|(_, d)| d["reason"] == "mfa.wrong_code"));
    // Secrets never reach the audit log.
    for (_, d) in &audit {
        let text = d.to_string();
        assert!(!text.contains(&e.secret) && !text.contains("alice-password"));
    }
}

async fn mfa_recovery_codes_regenerate(s: TestServer) {
    let _ = s.admin().await;
    let (carol, _) = s.user("carol").await;
    let e = carol.mfa_enrol().await.unwrap();
    let t0 = now();
    let old = carol
        .mfa_activate(&totp::code_at(&e.secret, t0).unwrap())
        .await
        .unwrap();
    let new = carol
        .mfa_recovery_codes(&totp::code_at(&e.secret, t0 + 30).unwrap())
        .await
        .expect("regenerate");
    assert_ne!(old.recovery_codes, new.recovery_codes);
    let mut c = s.client();
    let ch = challenge(&mut c, "carol", "carol-password").await;
    let stale = c
        .login_mfa(&with_recovery(&ch, &old.recovery_codes[1]))
        .await
        .unwrap_err();
    assert_eq!(stale.code(), Some(ErrorCode::InvalidCredentials));
    c.login_mfa(&with_recovery(&ch, &new.recovery_codes[1]))
        .await
        .expect("new code works");
}

both_backends!(
    mfa_enrol_login_recovery_and_reset,
    mfa_recovery_codes_regenerate
);

/// With MFA enforced for everyone, a login without MFA must enrol first and
/// gets its recovery codes with the session; MFA cannot then be turned off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_enforced_enrolment_during_login() {
    let s = TestServer::boot_with(Backend::Sqlite, |c| {
        c.mfa.enforce = hearth_server::MfaEnforcement::All;
    })
    .await;
    let setup = s.client();
    setup
        .signup(&hearth_api::SignupRequest {
            username: "admin".into(),
            email: "admin@example.com".into(),
            password: "admin-password".into(),
            setup_token: s.server.as_ref().unwrap().setup_token.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut c = s.client();
    let ch = challenge(&mut c, "admin", "admin-password").await;
    assert!(ch.enrolment_required);
    // No code is accepted before enrolment.
    let early = c
        .login_mfa(&with_code(&ch, "123456".into()))
        .await
        .unwrap_err();
    assert_eq!(early.code(), Some(ErrorCode::InvalidInput));
    let e = c
        .login_mfa_enrol(&ch.mfa_token)
        .await
        .expect("enrol in login");
    let done = c
        .login_mfa(&with_code(&ch, totp::code_at(&e.secret, now()).unwrap()))
        .await
        .expect("enrolled and signed in");
    assert_eq!(done.recovery_codes.map(|c| c.len()), Some(10));
    let st = c.mfa_status().await.unwrap();
    assert!(st.enabled && st.required);
    let err = c
        .mfa_disable(&totp::code_at(&e.secret, now() + 30).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::Forbidden));
}

/// Repeated failures lock a login for a while, with the same answer whether
/// or not the account exists; the lock lifts after the configured time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_lockout_and_release() {
    let s = TestServer::boot_with(Backend::Sqlite, |c| {
        c.login.lockout_threshold = 3;
        c.login.lockout_secs = 2;
    })
    .await;
    let _ = s.admin().await;
    let _ = s.user("dora").await;
    for login in ["dora", "nobody-here"] {
        for _ in 0..3 {
            let e = s.client().login(login, "wrong-password").await.unwrap_err();
            assert_eq!(e.code(), Some(ErrorCode::InvalidCredentials), "{login}");
        }
        let locked = s.client().login(login, "dora-password").await.unwrap_err();
        assert_eq!(locked.code(), Some(ErrorCode::RateLimited), "{login}");
        assert_eq!(locked.status(), Some(429));
    }
    tokio::time::sleep(Duration::from_millis(2100)).await;
    s.client()
        .login("dora", "dora-password")
        .await
        .expect("lock released");
    let audit = audit_actions(&s);
    assert!(audit.iter().any(|(a, _)| a == "user.login_locked"));
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.login_failed" && d["reason"] == "login.locked")
    );
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.login_failed" && d["reason"] == "user.unknown")
    );
}

/// Browser sessions idle longer than `sessions.idle_timeout_mins` end;
/// personal access tokens are not affected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_expire() {
    let s = TestServer::boot_with(Backend::Sqlite, |c| c.sessions.idle_timeout_mins = 1).await;
    let (admin, _) = s.admin().await;
    let token = admin.create_token("ci", None).await.unwrap();
    let mut c = s.client();
    let session = c.login("admin", "admin-password").await.unwrap();
    c.me().await.expect("fresh session works");
    let sid = session.session_id.to_string();
    let long_ago = hearth_core::now_millis() - 2 * 60_000;
    let server = s.server.as_ref().unwrap();
    for id in [sid, token.info.id.to_string()] {
        server
            .ctx
            .store
            .write(|tx| Ok(hearth_store::sessions::touch(tx.conn, &id, long_ago)?))
            .unwrap();
    }
    let e = c.me().await.unwrap_err();
    assert_eq!(e.code(), Some(ErrorCode::SessionExpired));
    let by_token = s.client().with_token(token.token);
    by_token.me().await.expect("tokens have no idle timeout");
}
