//! The permission matrix, read-only, for administrators checking what a
//! role allows (`hearthctl role matrix`, the system console).

use actix_web::{HttpResponse, get, web};
use hearth_api::PermissionMatrix;
use hearth_core::permissions::{Action, Facts, require};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{Forbidden, Unauthorized};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(matrix);
}

/// GET /api/v1/admin/permissions
#[utoipa::path(
    get,
    path = "/api/v1/admin/permissions",
    operation_id = "permission_matrix",
    tag = "admin",
    summary = "What each system role may do, from the permission module (system admin)",
    responses(
        (status = 200, description = "The matrix", body = PermissionMatrix),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/permissions")]
async fn matrix(auth: Auth) -> ApiResult<HttpResponse> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    Ok(HttpResponse::Ok().json(hearth_core::permissions::matrix()))
}
