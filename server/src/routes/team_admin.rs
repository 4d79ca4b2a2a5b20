//! Archiving and restoring a team.

use actix_web::{HttpResponse, post, web};
use hearth_api::Team;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized};
use crate::services::team_admin;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(archive).service(restore);
}

/// POST /api/v1/teams/{id}/archive
#[utoipa::path(
    post,
    path = "/api/v1/teams/{id}/archive",
    operation_id = "archive_team",
    tag = "teams",
    summary = "Archive a team: no new members or channels, its open channels archived with it (system and team admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "The archived team", body = Team),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/teams/{id}/archive")]
async fn archive(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let t = ctx
        .into_inner()
        .run(move |c| team_admin::set_archived(c, &auth, id, true))
        .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// POST /api/v1/teams/{id}/restore
#[utoipa::path(
    post,
    path = "/api/v1/teams/{id}/restore",
    operation_id = "restore_team",
    tag = "teams",
    summary = "Restore an archived team and the channels its archiving closed (system and team admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "The restored team", body = Team),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/teams/{id}/restore")]
async fn restore(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let t = ctx
        .into_inner()
        .run(move |c| team_admin::set_archived(c, &auth, id, false))
        .await?;
    Ok(HttpResponse::Ok().json(t))
}
