//! Administrators acting on other accounts: role, activation, sessions and password.

use actix_web::{HttpResponse, post, put, web};
use hearth_api::{AdminSetPasswordRequest, SetActiveRequest, SetRoleRequest, User};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::routes::{Ctx, IdPath};
use crate::services::{accounts, sessions};

/// PUT /api/v1/users/{id}/role
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/role",
    operation_id = "set_role",
    tag = "users",
    summary = "Set a user's system role (system admins)",
    description = "Granting or removing the compliance officer role, and any change of an officer's role, is refused with 403 separation_of_duties except over the local administration socket (the operator on the server's host).",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = SetRoleRequest,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/{id}/role")]
pub(super) async fn set_role(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<SetRoleRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::set_role(c, &auth, id, body.role))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// PUT /api/v1/users/{id}/active
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/active",
    operation_id = "set_active",
    tag = "users",
    summary = "Deactivate or reactivate an account (system admins; anyone may deactivate themself)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = SetActiveRequest,
    responses(
        (status = 200, description = "The updated user", body = User),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/{id}/active")]
pub(super) async fn set_active(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<SetActiveRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let u = ctx
        .into_inner()
        .run(move |c| accounts::set_active(c, &auth, id, body.active))
        .await?;
    Ok(HttpResponse::Ok().json(u))
}

/// POST /api/v1/users/{id}/sessions/revoke
#[utoipa::path(
    post,
    path = "/api/v1/users/{id}/sessions/revoke",
    operation_id = "revoke_all_sessions",
    tag = "users",
    summary = "Revoke every session and token of a user (system admins, or self)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/{id}/sessions/revoke")]
pub(super) async fn revoke_all(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| sessions::revoke_all(c, &auth, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// PUT /api/v1/users/{id}/password
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/password",
    operation_id = "reset_password",
    tag = "users",
    summary = "Set a new password for a local account and end its sessions (system admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = AdminSetPasswordRequest,
    responses(
        (status = 204, description = "Password set, sessions and tokens revoked"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/{id}/password")]
pub(super) async fn reset_password(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AdminSetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| accounts::reset_password(c, &auth, id, &body.new_password))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
