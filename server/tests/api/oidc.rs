//! OpenID Connect single sign-on through the server's own endpoints against a
//! real oidc-provider: the browser-style flow, JIT provisioning, linking by
//! verified e-mail, refusals, the CSRF handoff and RP-initiated logout.

use std::time::Duration;

use hearth_api::{SignupRequest, User};
use hearth_identity::TeamRole;
use hearth_identity::sync::{GroupMapping, TeamGrant};
use hearth_identity::test_support::free_port;
use hearth_identity::test_support::oidc::{OidcServer, browser_login};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use crate::harness::{Backend, TestServer, audit_actions};

pub(crate) struct Sso {
    pub(crate) s: TestServer,
    pub(crate) provider: OidcServer,
}

async fn boot(backend: Backend) -> Sso {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let provider = OidcServer::start_for(
        &format!("{url}/api/v1/oauth/test/callback"),
        &format!("{url}/"),
    );
    let mut p = provider.config("hearth");
    p.link_by_verified_email = true;
    let s = TestServer::boot_with(backend, move |c| {
        c.server.listen = format!("127.0.0.1:{port}");
        c.server.public_url = url.clone();
        c.oidc.providers = vec![p];
        c.oidc.group_mappings = vec![GroupMapping {
            group: "developers".into(),
            teams: vec![TeamGrant {
                team: "engineering".into(),
                role: TeamRole::Member,
            }],
            channels: vec![],
            system_role: None,
        }];
    })
    .await;
    Sso { s, provider }
}

pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a redirect")
        .to_string()
}

/// Plays the whole browser flow for `login`; answers the server's final
/// redirect target and the session cookie, if one was set.
pub(crate) async fn sso(
    sso: &Sso,
    http: &reqwest::Client,
    login: &str,
) -> (String, Option<String>) {
    let start = http
        .get(format!(
            "{}/api/v1/oauth/test/login?return_to=/teams",
            sso.s.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 302);
    let to_provider = location(&start);
    assert!(
        to_provider.starts_with(&sso.provider.issuer),
        "{to_provider}"
    );
    assert!(to_provider.contains("code_challenge_method=S256"));
    assert!(to_provider.contains("nonce="));
    let query = browser_login(&to_provider, login, &sso.provider.redirect_uri).await;
    let back = http
        .get(format!("{}?{query}", sso.provider.redirect_uri))
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 302);
    let session = back
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("HEARTH_SESSION=") && !v.starts_with("HEARTH_SESSION=;"))
        .map(|v| v.split(';').next().unwrap_or_default().to_string());
    (location(&back), session)
}

pub(crate) async fn me(sso: &Sso, http: &reqwest::Client) -> reqwest::Response {
    http.get(format!("{}/api/v1/users/me", sso.s.url))
        .send()
        .await
        .unwrap()
}

async fn oidc_browser_flow_jit_link_and_logout(backend: Backend) {
    let sso_env = boot(backend).await;
    let s = &sso_env.s;
    let (admin, _) = s.admin().await;
    let team = s.team(&admin, "engineering", true).await;
    // Existing local accounts: jose (provider says verified), bob (unverified).
    for (name, email) in [("jose", "jose@example.org"), ("bob", "bob@example.com")] {
        admin
            .create_user(&SignupRequest {
                username: name.into(),
                email: email.into(),
                password: format!("{name}-password"),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    let providers = s.client().auth_providers().await.unwrap();
    assert_eq!(providers.providers.len(), 1);
    assert_eq!(providers.providers[0].id, "test");
    assert_eq!(providers.providers[0].kind, "oidc");

    // JIT: alice has no account yet.
    let http = browser();
    let (landing, cookie) = sso(&sso_env, &http, "alice").await;
    assert_eq!(landing, "/teams");
    assert!(cookie.is_some(), "session cookie set");
    let r = me(&sso_env, &http).await;
    assert_eq!(r.status(), 200);
    let alice: User = r.json().await.unwrap();
    assert_eq!(alice.username, "alice");
    assert_eq!(alice.email.as_deref(), Some("alice@example.com"));
    let members = admin.team_members(team.id).await.unwrap();
    assert!(
        members.iter().any(|m| m.user_id == alice.id),
        "groups claim mapped"
    );

    // The client fetches the CSRF token and can write with the cookie.
    let csrf: hearth_api::CsrfTokenResponse = http
        .get(format!("{}/api/v1/users/me/csrf", s.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let no_csrf = http
        .post(format!("{}/api/v1/users/logout", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    let out = http
        .post(format!("{}/api/v1/users/logout", s.url))
        .header("X-CSRF-Token", &csrf.csrf_token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    let body: hearth_api::LogoutResponse = out.json().await.unwrap();
    let logout_url = body.logout_url.expect("RP-initiated logout URL");
    assert!(
        logout_url.starts_with(&sso_env.provider.issuer),
        "{logout_url}"
    );
    assert!(logout_url.contains("id_token_hint="));
    assert_eq!(me(&sso_env, &http).await.status(), 401);

    // A second sign-in reuses the account.
    let http2 = browser();
    sso(&sso_env, &http2, "alice").await;
    let again: User = me(&sso_env, &http2).await.json().await.unwrap();
    assert_eq!(again.id, alice.id);

    // Link by verified e-mail to the existing local account.
    let jose_before = admin.user_by_username("jose").await.unwrap();
    let http3 = browser();
    let (_, cookie) = sso(&sso_env, &http3, "jose").await;
    assert!(cookie.is_some());
    let jose: User = me(&sso_env, &http3).await.json().await.unwrap();
    assert_eq!(jose.id, jose_before.id);
    // Names follow the provider's claims.
    assert_eq!(jose_before.display_name, "jose");
    assert_eq!(jose.display_name, "José Müller");

    // Unverified e-mail matching an account: refused with a clear code.
    let http4 = browser();
    let (landing, cookie) = sso(&sso_env, &http4, "bob").await;
    assert_eq!(landing, "/?sso_error=provisioning.email_not_verified");
    assert!(cookie.is_none());

    // A callback replayed without the starting browser's state cookie fails.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!(
            "{}?state=forged&code=nope",
            sso_env.provider.redirect_uri
        ))
        .header(COOKIE, "HEARTH_OIDC_STATE=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&replay), "/?sso_error=auth.login_expired");

    let audit = audit_actions(s);
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.provision" && d["decision"] == "create")
    );
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.provision" && d["decision"] == "link")
    );
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.login" && d["method"] == "oidc")
    );
    assert!(
        audit
            .iter()
            .any(|(a, d)| a == "user.login_failed"
                && d["reason"] == "provisioning.email_not_verified")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_browser_flow_jit_link_and_logout_sqlite() {
    oidc_browser_flow_jit_link_and_logout(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_browser_flow_jit_link_and_logout_postgres() {
    oidc_browser_flow_jit_link_and_logout(Backend::Postgres).await;
}

/// The provider check: every step against the real provider, a provider
/// that is not there, and who may ask.
async fn oidc_provider_check(backend: Backend) {
    let sso = boot(backend).await;
    let (admin, _) = sso.s.admin().await;
    let d = admin.oidc_test("test").await.expect("check runs");
    assert!(d.ok, "{d:?}");
    let checks: Vec<&str> = d.steps.iter().map(|s| s.check.as_str()).collect();
    assert_eq!(checks, ["discovery", "issuer", "jwks", "metadata"]);
    assert!(d.steps[2].detail.contains("key(s)"), "{d:?}");
    assert!(d.steps[0].detail.contains("/token"), "{d:?}");

    let e = admin.oidc_test("nope").await.unwrap_err();
    assert_eq!(e.code(), Some(hearth_api::ErrorCode::NotFound));
    let (user, _) = sso.s.user("bob").await;
    let e = user.oidc_test("test").await.unwrap_err();
    assert_eq!(e.code(), Some(hearth_api::ErrorCode::Forbidden));

    // The provider goes away: the first step fails and says where.
    let Sso { s, provider } = sso;
    drop(provider);
    let d = admin.oidc_test("test").await.expect("check runs");
    assert!(!d.ok);
    assert_eq!(d.steps.len(), 1);
    assert_eq!(d.steps[0].check, "discovery");
    assert_eq!(d.steps[0].status, "failed");
    assert!(
        d.steps[0]
            .detail
            .contains(".well-known/openid-configuration"),
        "{d:?}"
    );
    drop(s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_check_sqlite() {
    oidc_provider_check(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_provider_check_postgres() {
    oidc_provider_check(Backend::Postgres).await;
}
