//! The caller's MFA settings, and administrators resetting someone's MFA.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use hearth_api::{MfaCodeRequest, MfaEnrolment, MfaStatus, RecoveryCodes};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{
    BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, TooManyRequests, Unauthorized,
};
use crate::routes::extract::client_ip;
use crate::routes::{Ctx, IdPath};
use crate::signin::mfa;

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
pub(super) async fn mfa_status(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
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
pub(super) async fn mfa_enrol(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
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
pub(super) async fn mfa_activate(
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
pub(super) async fn mfa_disable(
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
pub(super) async fn mfa_recovery_codes(
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
pub(super) async fn admin_mfa_reset(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| mfa::admin_reset(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
