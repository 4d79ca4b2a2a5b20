//! Online, away and do-not-disturb statuses.

use actix_web::{HttpResponse, get, post, put, web};
use hearth_api::{SetStatusRequest, UserStatus};
use hearth_core::{Error, Id};

use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, PayloadTooLarge, Unauthorized};
use crate::routes::{Ctx, IdPath};
use crate::services::accounts;

/// PUT /api/v1/users/me/status
#[utoipa::path(
    put,
    path = "/api/v1/users/me/status",
    operation_id = "set_my_status",
    tag = "users",
    summary = "Set the caller's presence",
    request_body = SetStatusRequest,
    responses(
        (status = 200, description = "The caller's status", body = UserStatus),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/users/me/status")]
pub(super) async fn set_my_status(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<SetStatusRequest>,
) -> ApiResult<HttpResponse> {
    let presence = body.presence;
    let user_id = auth.user_id();
    ctx.clone()
        .into_inner()
        .run(move |c| accounts::set_presence(c, &auth, presence))
        .await?;
    let s = ctx
        .hub
        .set_presence(user_id, presence)
        .await
        .ok_or_else(|| Error::internal("hub stopped"))?;
    Ok(HttpResponse::Ok().json(s))
}

/// GET /api/v1/users/{id}/status
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}/status",
    operation_id = "user_status",
    tag = "users",
    summary = "A user's presence",
    params(
        ("id" = uuid::Uuid, Path, description = "User id"),
    ),
    responses(
        (status = 200, description = "The status (offline for unknown ids)", body = UserStatus),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/{id}/status")]
pub(super) async fn status(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    // Unknown (or, for guests, invisible) users answer not_found.
    ctx.clone()
        .into_inner()
        .run(move |c| accounts::get(c, &auth, id))
        .await?;
    let mut list = ctx.hub.statuses(vec![id]).await;
    let s = list.pop().ok_or_else(|| Error::internal("hub stopped"))?;
    Ok(HttpResponse::Ok().json(s))
}

/// POST /api/v1/users/status/ids
#[utoipa::path(
    post,
    path = "/api/v1/users/status/ids",
    operation_id = "user_statuses",
    tag = "users",
    summary = "Presence of many users (at most 1000 ids)",
    request_body(description = "User ids", content = Vec<uuid::Uuid>),
    responses(
        (status = 200, description = "One status per id; a guest gets none for people they share no channel with", body = [UserStatus]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/users/status/ids")]
pub(super) async fn statuses(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<Vec<Id>>,
) -> ApiResult<HttpResponse> {
    if body.len() > 1000 {
        return Err(Error::invalid("at most 1000 ids per request").into());
    }
    let ids = body.into_inner();
    // Guests get statuses only of the people they may see.
    let ids = ctx
        .clone()
        .into_inner()
        .run(move |c| c.store.read(|conn| accounts::visible_ids(conn, &auth, ids)))
        .await?;
    Ok(HttpResponse::Ok().json(ctx.hub.statuses(ids).await))
}
