//! Single sign-on: the providers offered and the OpenID Connect redirect round trip.

use actix_web::cookie::SameSite;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use hearth_api::AuthProviders;

use crate::error::ApiResult;
use crate::openapi::{NotFound, ServiceUnavailable, TooManyRequests};
use crate::routes::Ctx;
use crate::routes::extract::{client_ip, session_cookie, user_agent};
use crate::signin::oidc;

/// GET /api/v1/auth/providers
#[utoipa::path(
    get,
    path = "/api/v1/auth/providers",
    operation_id = "auth_providers",
    tag = "users",
    summary = "Sign-in options for the login page (no authentication)",
    responses(
        (status = 200, description = "Single sign-on providers and whether LDAP logins work", body = AuthProviders),
    )
)]
#[get("/auth/providers")]
pub(super) async fn auth_providers(ctx: Ctx) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(oidc::providers(&ctx)))
}

#[derive(Debug, serde::Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

/// Where the web client shows a failed single sign-on.
pub(super) fn sso_error_redirect(config: &crate::Config, code: &str) -> HttpResponse {
    let mut gone =
        crate::routes::extract::cookie(config, oidc::STATE_COOKIE, String::new(), "/api/v1/oauth")
            .finish();
    gone.make_removal();
    HttpResponse::Found()
        .insert_header((header::LOCATION, format!("/?sso_error={}", urlencode(code))))
        .cookie(gone)
        .finish()
}

pub(super) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'_' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// GET /api/v1/oauth/{provider}/login
#[utoipa::path(
    get,
    path = "/api/v1/oauth/{provider}/login",
    operation_id = "oauth_login",
    tag = "users",
    summary = "Start single sign-on: redirects the browser to the provider",
    params(
        ("provider" = String, Path, description = "Provider id from `GET /auth/providers`"),
        ("return_to" = Option<String>, Query, description = "A path on this server to land on afterwards"),
    ),
    responses(
        (status = 302, description = "To the provider's authorization endpoint (PKCE, state and nonce); sets a short-lived `HEARTH_OIDC_STATE` cookie"),
        (status = 404, response = NotFound),
        (status = 429, response = TooManyRequests),
        (status = 503, response = ServiceUnavailable),
    )
)]
#[get("/oauth/{provider}/login")]
pub(super) async fn oauth_login(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<String>,
    q: web::Query<LoginQuery>,
) -> ApiResult<HttpResponse> {
    ctx.limits.login(client_ip(&req))?;
    let ctx = ctx.into_inner();
    let (url, state, ttl) =
        oidc::start(ctx.clone(), path.into_inner(), q.into_inner().return_to).await?;
    let cookie =
        crate::routes::extract::cookie(&ctx.config(), oidc::STATE_COOKIE, state, "/api/v1/oauth")
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::seconds(ttl as i64))
            .finish();
    Ok(HttpResponse::Found()
        .insert_header((header::LOCATION, url))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(cookie)
        .finish())
}

/// GET /api/v1/oauth/{provider}/callback
#[utoipa::path(
    get,
    path = "/api/v1/oauth/{provider}/callback",
    operation_id = "oauth_callback",
    tag = "users",
    summary = "Single sign-on callback: validates, provisions, opens a session",
    description = "Checks state (and the browser's `HEARTH_OIDC_STATE` cookie), exchanges the code \
        with the PKCE verifier, validates the ID token (signature, issuer, audience, expiry, \
        nonce), then signs in, links by verified e-mail (when the provider allows it) or creates \
        the account. Success redirects to `return_to` (or `/`) with the session cookie set; \
        failure redirects to `/?sso_error=<code>` (`auth.login_expired`, `auth.invalid_response`, \
        `auth.provider_refused`, `auth.account_disabled`, `provisioning.email_in_use`, \
        `provisioning.email_not_verified`, `provisioning.email_domain_not_allowed`, \
        `provisioning.jit_disabled`...).",
    params(("provider" = String, Path, description = "Provider id")),
    responses(
        (status = 302, description = "Into the web client, signed in or with `sso_error`"),
        (status = 429, response = TooManyRequests),
    )
)]
#[get("/oauth/{provider}/callback")]
pub(super) async fn oauth_callback(
    ctx: Ctx,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    ctx.limits.login(client_ip(&req))?;
    let ctx = ctx.into_inner();
    let state = req
        .cookie(&crate::routes::extract::cookie_name(
            &ctx.config(),
            oidc::STATE_COOKIE,
        ))
        .map(|c| c.value().to_string());
    let finished = oidc::callback(
        ctx.clone(),
        path.into_inner(),
        req.query_string().to_string(),
        state,
        user_agent(&req),
    )
    .await?;
    match finished {
        oidc::Finished::SignedIn { session, return_to } => {
            let mut gone = crate::routes::extract::cookie(
                &ctx.config(),
                oidc::STATE_COOKIE,
                String::new(),
                "/api/v1/oauth",
            )
            .finish();
            gone.make_removal();
            Ok(HttpResponse::Found()
                .insert_header((header::LOCATION, return_to.unwrap_or_else(|| "/".into())))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .cookie(session_cookie(&ctx, &session.token))
                .cookie(gone)
                .finish())
        }
        oidc::Finished::Failed(code) => Ok(sso_error_redirect(&ctx.config(), &code)),
    }
}
