//! Password login and logout, with the session cookie.

use actix_web::{HttpRequest, HttpResponse, post, web};
use hearth_api::{LoginOutcome, LoginRequest, LogoutResponse};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Forbidden, PayloadTooLarge, ServiceUnavailable, TooManyRequests, Unauthorized,
};
use crate::routes::Ctx;
use crate::routes::extract::{SESSION_COOKIE, client_ip, cookie, session_cookie, user_agent};
use crate::services::sessions;

/// POST /api/v1/users/login
#[utoipa::path(
    post,
    path = "/api/v1/users/login",
    operation_id = "login",
    tag = "users",
    summary = "Log in: opens a session and sets the HEARTH_SESSION cookie",
    description = "Local accounts check the stored password; with `[ldap] enabled`, directory \
        accounts and unknown logins are checked against the directory (search, then bind), and a \
        first directory login creates the account. When the account has MFA (or MFA is enforced \
        for it) the answer is an `MfaChallenge` instead of a session: finish with \
        `POST /users/login/mfa`. After `login.lockout_threshold` failures a login is locked for \
        `login.lockout_secs` (`429`), whether or not the account exists.",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "A session (`LoginResponse`: the user, bearer token and CSRF token; the token is also set as the HttpOnly `HEARTH_SESSION` cookie) or an `MfaChallenge` (`mfa_required: true`, no cookie)", body = LoginOutcome, headers(("Set-Cookie" = String, description = "`HEARTH_SESSION=<token>; Path=/; HttpOnly; SameSite=Lax`; when `server.public_url` is https, `__Host-HEARTH_SESSION=<token>; Path=/; Secure; HttpOnly; SameSite=Lax`"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 429, response = TooManyRequests),
        (status = 503, response = ServiceUnavailable),
    )
)]
#[post("/users/login")]
pub(super) async fn login(
    ctx: Ctx,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    ctx.limits.login(client_ip(&req))?;
    let ua = user_agent(&req);
    let ctx = ctx.into_inner();
    let outcome = crate::signin::login::password_login(ctx.clone(), body.into_inner(), ua).await?;
    Ok(match &outcome {
        LoginOutcome::Session(s) => HttpResponse::Ok()
            .cookie(session_cookie(&ctx, &s.token))
            .json(&outcome),
        LoginOutcome::Mfa(_) => HttpResponse::Ok().json(&outcome),
    })
}

/// POST /api/v1/users/logout
#[utoipa::path(
    post,
    path = "/api/v1/users/logout",
    operation_id = "logout",
    tag = "users",
    summary = "Log out: revokes the current session and clears the cookie",
    description = "A session opened by single sign-on answers `200` with the provider's \
        end-session URL (RP-initiated logout) for the client to visit.",
    responses(
        (status = 200, description = "Logged out here; visit `logout_url` to end the provider session too", body = LogoutResponse),
        (status = 204, description = "Logged out"),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/logout")]
pub(super) async fn logout(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let ctx = ctx.into_inner();
    let provider_logout =
        crate::signin::oidc::logout_url(ctx.clone(), auth.session_id.clone()).await;
    ctx.run(move |c| sessions::logout(c, &auth)).await?;
    let mut gone = cookie(&ctx.config(), SESSION_COOKIE, String::new(), "/").finish();
    gone.make_removal();
    Ok(match provider_logout {
        Some(url) => HttpResponse::Ok().cookie(gone).json(LogoutResponse {
            logout_url: Some(url),
        }),
        None => HttpResponse::NoContent().cookie(gone).finish(),
    })
}
