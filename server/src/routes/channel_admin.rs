//! Administrative changes to a channel's place and visibility: making a
//! public channel private, moving a channel to another team.

use actix_web::{HttpResponse, post, web};
use hearth_api::{Channel, MoveChannelRequest};

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::channel_admin;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(make_private).service(move_channel);
}

/// POST /api/v1/channels/{id}/make-private
#[utoipa::path(
    post,
    path = "/api/v1/channels/{id}/make-private",
    operation_id = "make_channel_private",
    tag = "channels",
    summary = "Turn a public channel private (channel managers); members stay, browsing stops",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "The channel, now private", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/{id}/make-private")]
async fn make_private(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let ch = ctx
        .into_inner()
        .run(move |c| channel_admin::make_private(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(ch))
}

/// POST /api/v1/channels/{id}/move
#[utoipa::path(
    post,
    path = "/api/v1/channels/{id}/move",
    operation_id = "move_channel",
    tag = "channels",
    summary = "Move a channel with its posts and members to another team (system admin)",
    description = "Every member must already be in the target team (`409` names those who are \
        not); the default channels cannot move. Team-scoped searches find the moved posts \
        under the new team after a search reindex.",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    request_body = MoveChannelRequest,
    responses(
        (status = 200, description = "The channel in its new team", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/{id}/move")]
async fn move_channel(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<MoveChannelRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let team = body.team_id;
    let ch = ctx
        .into_inner()
        .run(move |c| channel_admin::move_to_team(c, &auth, id, team))
        .await?;
    Ok(HttpResponse::Ok().json(ch))
}
