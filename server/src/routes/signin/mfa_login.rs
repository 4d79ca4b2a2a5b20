//! The second step of a login when the account has MFA, or must enrol first.

use actix_web::{HttpRequest, HttpResponse, post, web};
use hearth_api::{LoginMfaEnrolRequest, LoginMfaRequest, MfaEnrolment, MfaLoginResponse};

use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, PayloadTooLarge, TooManyRequests, Unauthorized,
};
use crate::routes::Ctx;
use crate::routes::extract::{client_ip, session_cookie, user_agent};
use crate::signin::login;

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
pub(super) async fn login_mfa(
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
pub(super) async fn login_mfa_enrol(
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
