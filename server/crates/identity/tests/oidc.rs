//! OpenID Connect flows against a real oidc-provider, driven like a browser.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::oidc::{OidcServer, browser_login};
use hearth_identity::IdentityError;
use hearth_identity::oidc::{CallbackParams, LoginResult, OidcProviderConfig, OidcProviders};
use hearth_identity::provisioning::{ProvisioningDecision, ProvisioningPolicy, decide};

async fn login(providers: &OidcProviders, server: &OidcServer, user: &str) -> LoginResult {
    let start = providers.start_login("test", None).await.unwrap();
    let query = browser_login(&start.authorization_url, user, &server.redirect_uri).await;
    providers
        .complete_login(&start.pending, &CallbackParams::from_query(&query))
        .await
        .unwrap()
}

fn providers(cfg: OidcProviderConfig) -> OidcProviders {
    OidcProviders::new(vec![cfg]).unwrap()
}

#[tokio::test]
async fn full_browser_flow_maps_claims() {
    let server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let listing = providers.listing();
    assert_eq!(
        (listing[0].id.as_str(), listing[0].display_name.as_str()),
        ("test", "Test Provider")
    );

    let start = providers
        .start_login("test", Some("/teams/eng".into()))
        .await
        .unwrap();
    let url = url::Url::parse(&start.authorization_url).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["state"], start.pending.state);
    assert_eq!(q["nonce"], start.pending.nonce);
    assert_eq!(q["client_id"], "hearth");
    assert!(q["scope"].contains("groups"));
    assert!(start.pending.expires_at > start.pending.created_at);

    // The pending record survives a round trip through storage.
    let stored = serde_json::to_string(&start.pending).unwrap();
    let pending = serde_json::from_str(&stored).unwrap();

    let query = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    let result = providers
        .complete_login(&pending, &CallbackParams::from_query(&query))
        .await
        .unwrap();
    let id = &result.identity;
    assert_eq!(id.provider_id, "test");
    assert_eq!(id.subject, "alice");
    assert_eq!(id.email.as_deref(), Some("alice@example.com"));
    assert!(id.email_verified);
    assert_eq!(id.names.first_name.as_deref(), Some("Alice"));
    assert_eq!(id.names.last_name.as_deref(), Some("Anderson"));
    assert_eq!(id.names.display_name.as_deref(), Some("Alice Anderson"));
    assert_eq!(id.username.as_deref(), Some("alice"));
    assert_eq!(id.groups, vec!["developers", "admins"]);
    assert_eq!(result.return_to.as_deref(), Some("/teams/eng"));

    // First sign-in with no accounts: just-in-time creation.
    let policy = ProvisioningPolicy::from(providers.config("test").unwrap());
    match decide(id, &policy, &[]) {
        ProvisioningDecision::Create { account } => assert_eq!(account.login, "alice"),
        other => panic!("{other:?}"),
    }

    // The ID token can be validated again later (e.g. as a logout hint).
    let again = providers
        .verify_id_token("test", &result.id_token, None)
        .await
        .unwrap();
    assert_eq!(again.subject, "alice");
}

#[tokio::test]
async fn accented_claims_and_unverified_email() {
    let server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let jose = login(&providers, &server, "jose").await.identity;
    assert_eq!(jose.names.display_name.as_deref(), Some("José Müller"));
    assert_eq!(jose.groups, vec!["équipe"]);
    let bob = login(&providers, &server, "bob").await.identity;
    assert!(!bob.email_verified);
}

#[tokio::test]
async fn wrong_state_expired_login_and_provider_errors() {
    let server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let start = providers.start_login("test", None).await.unwrap();
    let query = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    let mut cb = CallbackParams::from_query(&query);

    let good_state = cb.state.clone();
    cb.state = Some("forged".into());
    assert_eq!(
        providers
            .complete_login(&start.pending, &cb)
            .await
            .unwrap_err(),
        IdentityError::OidcStateMismatch
    );
    cb.state = None;
    assert_eq!(
        providers
            .complete_login(&start.pending, &cb)
            .await
            .unwrap_err(),
        IdentityError::OidcStateMismatch
    );
    cb.state = good_state;

    let mut expired = start.pending.clone();
    expired.expires_at = expired.created_at - 1;
    assert_eq!(
        providers.complete_login(&expired, &cb).await.unwrap_err(),
        IdentityError::OidcLoginExpired
    );

    let denied = CallbackParams {
        state: cb.state.clone(),
        error: Some("access_denied".into()),
        error_description: Some("user cancelled".into()),
        code: None,
    };
    let e = providers
        .complete_login(&start.pending, &denied)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.provider_error");
    assert!(e.to_string().contains("user cancelled"));

    // The untouched callback still works.
    providers.complete_login(&start.pending, &cb).await.unwrap();
}

#[tokio::test]
async fn replayed_code_is_refused() {
    let server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let start = providers.start_login("test", None).await.unwrap();
    let query = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    let cb = CallbackParams::from_query(&query);
    providers.complete_login(&start.pending, &cb).await.unwrap();
    let e = providers
        .complete_login(&start.pending, &cb)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.token_exchange", "{e}");
    assert!(e.to_string().contains("invalid_grant"), "{e}");
}

#[tokio::test]
async fn tampered_nonce_is_refused() {
    let server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let start = providers.start_login("test", None).await.unwrap();
    let query = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    let mut pending = start.pending.clone();
    pending.nonce = "attacker-chosen".into();
    let e = providers
        .complete_login(&pending, &CallbackParams::from_query(&query))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.id_token_nonce", "{e}");
}

#[tokio::test]
async fn token_for_another_client_is_refused() {
    let server = OidcServer::start();
    let other = providers(server.config("other-app"));
    let foreign = login(&other, &server, "alice").await;
    let hearth = providers(server.config("hearth"));
    let e = hearth
        .verify_id_token("test", &foreign.id_token, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.id_token_audience", "{e}");
}

fn shifted(by: i64) -> hearth_identity::oidc::Clock {
    Arc::new(move || {
        let now = SystemTime::now();
        if by >= 0 {
            now + Duration::from_secs(by as u64)
        } else {
            now - Duration::from_secs((-by) as u64)
        }
    })
}

#[tokio::test]
async fn expiry_respects_the_configured_clock_skew() {
    let server = OidcServer::start();
    // ID tokens from this provider live one hour.
    let mut cfg = server.config("hearth");
    cfg.login_ttl_secs = 3 * 3600;
    cfg.clock_skew_secs = 120;

    // 60 s past expiry, within the 120 s skew: accepted.
    let late = OidcProviders::new(vec![cfg.clone()])
        .unwrap()
        .with_clock(shifted(3600 + 60));
    let start = late.start_login("test", None).await.unwrap();
    let q = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    late.complete_login(&start.pending, &CallbackParams::from_query(&q))
        .await
        .unwrap();

    // 5 minutes past expiry: refused.
    let too_late = OidcProviders::new(vec![cfg.clone()])
        .unwrap()
        .with_clock(shifted(3600 + 300));
    let start = too_late.start_login("test", None).await.unwrap();
    let q = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    let e = too_late
        .complete_login(&start.pending, &CallbackParams::from_query(&q))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.id_token_expired", "{e}");

    // A server clock ten minutes behind sees the token as issued in the future.
    let early = OidcProviders::new(vec![cfg])
        .unwrap()
        .with_clock(shifted(-600));
    let start = early.start_login("test", None).await.unwrap();
    let q = browser_login(&start.authorization_url, "alice", &server.redirect_uri).await;
    let e = early
        .complete_login(&start.pending, &CallbackParams::from_query(&q))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.id_token_expired", "{e}");
    assert!(e.to_string().contains("future"), "{e}");
}

#[tokio::test]
async fn signing_key_rotation_is_picked_up() {
    let mut server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let before = login(&providers, &server, "alice").await;

    server.rotate_key("key-2");
    // Discovery is cached for an hour, so only the unknown-kid refetch can make this pass.
    let after = login(&providers, &server, "alice").await;
    assert_eq!(after.identity.subject, "alice");
    let header = |jwt: &str| {
        use base64::Engine;
        let h = jwt.split('.').next().unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(h)
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["kid"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(header(&before.id_token), "key-1");
    assert_eq!(header(&after.id_token), "key-2");
    // The retired key is gone from the provider's set: old tokens no longer verify.
    let e = providers
        .verify_id_token("test", &before.id_token, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "oidc.id_token_signature", "{e}");
}

#[tokio::test]
async fn logout_url_is_accepted_by_the_provider() {
    let server = OidcServer::start();
    let providers = providers(server.config("hearth"));
    let result = login(&providers, &server, "alice").await;
    let url = providers
        .logout_url(
            "test",
            Some(&result.id_token),
            Some(&server.post_logout_uri),
            Some("bye"),
        )
        .await
        .unwrap()
        .expect("provider advertises end_session_endpoint");
    let parsed = url::Url::parse(&url).unwrap();
    assert_eq!(parsed.path(), "/session/end");
    let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(q["id_token_hint"], result.id_token);
    assert_eq!(q["post_logout_redirect_uri"], server.post_logout_uri);
    assert_eq!(q["state"], "bye");
    // The provider validates the hint and redirect URI and shows its sign-out confirmation.
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("logout") || body.contains("sign-out") || body.contains("Sign-out"),
        "{body}"
    );
    assert!(!body.contains("invalid_request"), "{body}");
}

#[tokio::test]
async fn discovery_failures_and_unknown_providers_are_explained() {
    let port = common::free_port();
    let cfg = OidcProviderConfig::new(
        "down",
        format!("http://127.0.0.1:{port}"),
        "c",
        None,
        "http://127.0.0.1:1/cb",
    );
    let providers = OidcProviders::new(vec![cfg]).unwrap();
    let e = providers.start_login("down", None).await.unwrap_err();
    assert_eq!(e.code(), "oidc.discovery");
    assert!(e.to_string().contains(&port.to_string()), "{e}");
    assert_eq!(
        providers
            .start_login("nope", None)
            .await
            .unwrap_err()
            .code(),
        "oidc.unknown_provider"
    );

    let dup = OidcProviderConfig::new(
        "a",
        "http://127.0.0.1:1",
        "c",
        None,
        "http://127.0.0.1:1/cb",
    );
    assert_eq!(
        OidcProviders::new(vec![dup.clone(), dup])
            .unwrap_err()
            .code(),
        "config.invalid"
    );
}

#[tokio::test]
async fn issuer_mismatch_is_refused_at_discovery() {
    let server = OidcServer::start();
    // Same server, but named differently from the issuer it announces.
    let mut cfg = server.config("hearth");
    cfg.issuer_url = format!("http://localhost:{}", server.port);
    let providers = providers(cfg);
    let e = providers.start_login("test", None).await.unwrap_err();
    assert_eq!(e.code(), "oidc.discovery");
    assert!(e.to_string().to_lowercase().contains("issuer"), "{e}");
}
