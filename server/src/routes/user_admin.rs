//! What a system admin does to someone else's account beyond role and
//! activation (which live with the user resource): setting a new password.

use actix_web::{HttpResponse, put, web};
use hearth_api::ResetPasswordRequest;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::accounts;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(reset_password);
}

/// PUT /api/v1/users/{id}/password
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}/password",
    operation_id = "reset_password",
    tag = "users",
    summary = "Set a user's password (system admin); ends all their sessions and tokens",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password set, sessions ended"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/{id}/password")]
async fn reset_password(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<ResetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    ctx.into_inner()
        .run(move |c| accounts::reset_password(c, &auth, id, &body.password))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
