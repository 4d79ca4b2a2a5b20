//! Enterprise sign-in: the MFA login step, MFA settings, single sign-on and
//! LDAP administration. `POST /users/login` itself lives in `users`.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use hearth_api::{
    AuthProviders, CsrfTokenResponse, LdapDiagnosis, LdapStatus, LdapSyncReport,
    LdapTestUserRequest, LoginMfaEnrolRequest, LoginMfaRequest, MfaCodeRequest, MfaEnrolment,
    MfaLoginResponse, MfaStatus, RecoveryCodes,
};
use hearth_core::Error;
use hearth_core::permissions::{Action, Facts, require};

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, ServiceUnavailable,
    TooManyRequests, Unauthorized,
};
use crate::routes::extract::{SESSION_COOKIE, client_ip};
use crate::signin::{directory, login, mfa, oidc};
use crate::state;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login_mfa)
        .service(login_mfa_enrol)
        .service(mfa_status)
        .service(mfa_enrol)
        .service(mfa_activate)
        .service(mfa_disable)
        .service(mfa_recovery_codes)
        .service(csrf)
        .service(admin_mfa_reset)
        .service(auth_providers)
        .service(oauth_login)
        .service(oauth_callback)
        .service(ldap_test)
        .service(ldap_test_user)
        .service(ldap_sync)
        .service(ldap_status);
}

fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The HttpOnly session cookie every login path sets.
pub fn session_cookie(ctx: &state::Ctx, token: &str) -> Cookie<'static> {
    crate::routes::extract::cookie(&ctx.config(), SESSION_COOKIE, token.to_string(), "/")
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(i64::from(
            ctx.config().accounts.session_days,
        )))
        .finish()
}

fn require_admin(auth: &Auth) -> Result<(), Error> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())
}

/// POST /api/v1/users/login/mfa
#[utoipa::path(
    post,
    path = "/api/v1/users/login/mfa",
    operation_id = "login_mfa",
    tag = "users",
    summary = "Complete a login with a TOTP code or a recovery code",
    description = "Takes the `mfa_token` of a login that answered `mfa_required`. Send exactly one of \
        `code` (6 digits) or `recovery_code` (each works once). Wrong codes count towards the \
        login's lockout; after 5 the token is void. When the login enrolled MFA (enforced \
        enrolment), the answer also carries the recovery codes, shown once.",
    request_body = LoginMfaRequest,
    responses(
        (status = 200, description = "A session, as from a login; the cookie is set", body = MfaLoginResponse),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/users/login/mfa")]
async fn login_mfa(
    ctx: Ctx,
    req: HttpRequest,
    body: web::Json<LoginMfaRequest>,
) -> ApiResult<HttpResponse> {
    ctx.limits.login(client_ip(&req))?;
    let ua = user_agent(&req);
    let ctx = ctx.into_inner();
    let resp = ctx.run(move |c| login::login_mfa(c, &body, &ua)).await?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&ctx, &resp.session.token))
        .json(resp))
}

/// POST /api/v1/users/login/mfa/enrol
#[utoipa::path(
    post,
    path = "/api/v1/users/login/mfa/enrol",
    operation_id = "login_mfa_enrol",
    tag = "users",
    summary = "Enrol MFA during a login that requires it",
    description = "For a challenge with `enrolment_required`: answers a new secret; confirm it by \
        completing the login with a code from the authenticator app.",
    request_body = LoginMfaEnrolRequest,
    responses(
        (status = 200, description = "The secret and otpauth URI", body = MfaEnrolment),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 429, response = TooManyRequests),
    )
)]
#[post("/users/login/mfa/enrol")]
async fn login_mfa_enrol(
    ctx: Ctx,
    req: HttpRequest,
    body: web::Json<LoginMfaEnrolRequest>,
) -> ApiResult<HttpResponse> {
    ctx.limits.login(client_ip(&req))?;
    let e = ctx
        .into_inner()
        .run(move |c| login::login_enrol(c, &body))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}

/// GET /api/v1/users/me/mfa
#[utoipa::path(
    get,
    path = "/api/v1/users/me/mfa",
    operation_id = "mfa_status",
    tag = "users",
    summary = "The caller's MFA state",
    responses(
        (status = 200, description = "Whether MFA is on or required, and recovery codes left", body = MfaStatus),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/mfa")]
async fn mfa_status(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let s = ctx.into_inner().run(move |c| mfa::status(c, &auth)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// POST /api/v1/users/me/mfa/enrol
#[utoipa::path(
    post,
    path = "/api/v1/users/me/mfa/enrol",
    operation_id = "mfa_enrol",
    tag = "users",
    summary = "Start MFA enrolment: a new TOTP secret",
    description = "The secret is not active until `POST /users/me/mfa/activate` confirms a code.",
    responses(
        (status = 200, description = "Secret and otpauth URI for a QR code", body = MfaEnrolment),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/me/mfa/enrol")]
async fn mfa_enrol(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let e = ctx.into_inner().run(move |c| mfa::enrol(c, &auth)).await?;
    Ok(HttpResponse::Ok().json(e))
}

/// POST /api/v1/users/me/mfa/activate
#[utoipa::path(
    post,
    path = "/api/v1/users/me/mfa/activate",
    operation_id = "mfa_activate",
    tag = "users",
    summary = "Turn MFA on with a code from the app; answers recovery codes (shown once)",
    request_body = MfaCodeRequest,
    responses(
        (status = 200, description = "Ten one-time recovery codes", body = RecoveryCodes),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/me/mfa/activate")]
async fn mfa_activate(
    ctx: Ctx,
    req: HttpRequest,
    auth: Auth,
    body: web::Json<MfaCodeRequest>,
) -> ApiResult<HttpResponse> {
    // Codes are six digits: attempts share the login rate limit.
    ctx.limits.login(client_ip(&req))?;
    let r = ctx
        .into_inner()
        .run(move |c| mfa::activate(c, &auth, &body.code))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// DELETE /api/v1/users/me/mfa
#[utoipa::path(
    delete,
    path = "/api/v1/users/me/mfa",
    operation_id = "mfa_disable",
    tag = "users",
    summary = "Turn MFA off (needs a current code; refused where MFA is enforced)",
    request_body = MfaCodeRequest,
    responses(
        (status = 204, description = "MFA is off and the recovery codes are gone"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/users/me/mfa")]
async fn mfa_disable(
    ctx: Ctx,
    req: HttpRequest,
    auth: Auth,
    body: web::Json<MfaCodeRequest>,
) -> ApiResult<HttpResponse> {
    // Codes are six digits: attempts share the login rate limit.
    ctx.limits.login(client_ip(&req))?;
    ctx.into_inner()
        .run(move |c| mfa::disable(c, &auth, &body.code))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// POST /api/v1/users/me/mfa/recovery-codes
#[utoipa::path(
    post,
    path = "/api/v1/users/me/mfa/recovery-codes",
    operation_id = "mfa_recovery_codes",
    tag = "users",
    summary = "Replace the recovery codes (needs a current code)",
    request_body = MfaCodeRequest,
    responses(
        (status = 200, description = "Ten new recovery codes; the old ones stop working", body = RecoveryCodes),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 429, response = TooManyRequests),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/me/mfa/recovery-codes")]
async fn mfa_recovery_codes(
    ctx: Ctx,
    req: HttpRequest,
    auth: Auth,
    body: web::Json<MfaCodeRequest>,
) -> ApiResult<HttpResponse> {
    // Codes are six digits: attempts share the login rate limit.
    ctx.limits.login(client_ip(&req))?;
    let r = ctx
        .into_inner()
        .run(move |c| mfa::regenerate(c, &auth, &body.code))
        .await?;
    Ok(HttpResponse::Ok().json(r))
}

/// GET /api/v1/users/me/csrf
#[utoipa::path(
    get,
    path = "/api/v1/users/me/csrf",
    operation_id = "csrf_token",
    tag = "users",
    summary = "The session's CSRF token",
    description = "For clients signed in by a redirect (single sign-on), which never saw a login \
        response. Pages of other origins cannot read it.",
    responses(
        (status = 200, description = "Send it as `X-CSRF-Token` on cookie-authenticated writes", body = CsrfTokenResponse),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/csrf")]
async fn csrf(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let sid = auth.session_id.clone();
    let token = ctx
        .into_inner()
        .run(move |c| {
            c.store.read(|conn| {
                hearth_store::sessions::by_id(conn, &sid)?
                    .map(|s| s.csrf_token)
                    .ok_or(Error::SessionExpired)
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CsrfTokenResponse { csrf_token: token }))
}

/// DELETE /api/v1/users/{id}/mfa
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}/mfa",
    operation_id = "admin_mfa_reset",
    tag = "users",
    summary = "Remove a user's MFA (system admin; audited)",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "MFA removed; the user enrols again where it is enforced"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/users/{id}/mfa")]
async fn admin_mfa_reset(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| mfa::admin_reset(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

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
async fn auth_providers(ctx: Ctx) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(oidc::providers(&ctx)))
}

#[derive(Debug, serde::Deserialize)]
struct LoginQuery {
    return_to: Option<String>,
}

/// Where the web client shows a failed single sign-on.
fn sso_error_redirect(config: &crate::Config, code: &str) -> HttpResponse {
    let mut gone =
        crate::routes::extract::cookie(config, oidc::STATE_COOKIE, String::new(), "/api/v1/oauth")
            .finish();
    gone.make_removal();
    HttpResponse::Found()
        .insert_header((header::LOCATION, format!("/?sso_error={}", urlencode(code))))
        .cookie(gone)
        .finish()
}

fn urlencode(s: &str) -> String {
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
async fn oauth_login(
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
async fn oauth_callback(
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

/// POST /api/v1/admin/ldap/test
#[utoipa::path(
    post,
    path = "/api/v1/admin/ldap/test",
    operation_id = "ldap_test",
    tag = "admin",
    summary = "Test the LDAP configuration step by step (system admin)",
    description = "Config, DNS, TCP, TLS, service bind, base DN, user filter, attributes, groups and \
        the disabled filter; stops at the first failure and names it.",
    responses(
        (status = 200, description = "The steps and whether all passed", body = LdapDiagnosis),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/ldap/test")]
async fn ldap_test(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    let d = directory::test_connection(ctx.into_inner(), auth.user_id()).await?;
    Ok(HttpResponse::Ok().json(d))
}

/// POST /api/v1/admin/ldap/test-user
#[utoipa::path(
    post,
    path = "/api/v1/admin/ldap/test-user",
    operation_id = "ldap_test_user",
    tag = "admin",
    summary = "Explain what happens when a directory user logs in (system admin)",
    request_body = LdapTestUserRequest,
    responses(
        (status = 200, description = "The steps, through the user's bind when a password is given", body = LdapDiagnosis),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/ldap/test-user")]
async fn ldap_test_user(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<LdapTestUserRequest>,
) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    let b = body.into_inner();
    let d = directory::test_user(ctx.into_inner(), auth.user_id(), b.login, b.password).await?;
    Ok(HttpResponse::Ok().json(d))
}

/// POST /api/v1/admin/ldap/sync
#[utoipa::path(
    post,
    path = "/api/v1/admin/ldap/sync",
    operation_id = "ldap_sync",
    tag = "admin",
    summary = "Sync with the directory now (system admin)",
    description = "Creates, updates, deactivates (ending their sessions at once) and reactivates \
        accounts and applies group mappings; waits for a run already in progress.",
    responses(
        (status = 200, description = "What the run did", body = LdapSyncReport),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/ldap/sync")]
async fn ldap_sync(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    let r = directory::run_sync(ctx.into_inner(), Some(auth.user_id())).await?;
    Ok(HttpResponse::Ok().json(r))
}

/// GET /api/v1/admin/ldap/status
#[utoipa::path(
    get,
    path = "/api/v1/admin/ldap/status",
    operation_id = "ldap_status",
    tag = "admin",
    summary = "Directory sync state: last run, its report, the next run (system admin)",
    responses(
        (status = 200, description = "Sync state", body = LdapStatus),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/ldap/status")]
async fn ldap_status(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    require_admin(&auth)?;
    Ok(HttpResponse::Ok().json(crate::signin::ldap_status(&ctx)))
}

/// The body of a logout: the provider's end-session URL for SSO sessions.
pub fn logout_body(url: Option<String>) -> Option<hearth_api::LogoutResponse> {
    url.map(|u| hearth_api::LogoutResponse {
        logout_url: Some(u),
    })
}
