//! Channels, membership, preferences, read state and channel post listings.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    AddMemberRequest, Channel, ChannelMember, ChannelUnread, CreateChannelRequest,
    DirectChannelRequest, Post, PostPage, PostsQuery, SetMemberRoleRequest, UpdateChannelRequest,
    UpdateMembershipRequest,
};

use super::{Ctx, IdPath, IdUserPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::{channels, posts};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(direct)
        .service(mine)
        .service(unreads)
        .service(memberships)
        .service(get_channel)
        .service(update)
        .service(archive)
        .service(unarchive)
        .service(members)
        .service(add_member)
        .service(update_membership)
        .service(remove_member)
        .service(set_member_role)
        .service(view)
        .service(list_posts)
        .service(pinned);
}

/// POST /api/v1/channels
#[utoipa::path(
    post,
    path = "/api/v1/channels",
    operation_id = "create_channel",
    tag = "channels",
    summary = "Create a public or private channel in a team; the caller becomes channel admin",
    request_body = CreateChannelRequest,
    responses(
        (status = 201, description = "The new channel", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels")]
async fn create(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<CreateChannelRequest>,
) -> ApiResult<HttpResponse> {
    let ch = ctx
        .into_inner()
        .run(move |c| channels::create(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(ch))
}

/// POST /api/v1/channels/direct
#[utoipa::path(
    post,
    path = "/api/v1/channels/direct",
    operation_id = "direct_channel",
    tag = "channels",
    summary = "Find or create the direct (1 other) or group (2 to 7 others) channel with these users",
    request_body = DirectChannelRequest,
    responses(
        (status = 200, description = "The existing or new channel", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/direct")]
async fn direct(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<DirectChannelRequest>,
) -> ApiResult<HttpResponse> {
    let ch = ctx
        .into_inner()
        .run(move |c| channels::direct(c, &auth, &body.user_ids))
        .await?;
    Ok(HttpResponse::Ok().json(ch))
}

/// GET /api/v1/users/me/channels
#[utoipa::path(
    get,
    path = "/api/v1/users/me/channels",
    operation_id = "my_channels",
    tag = "channels",
    summary = "Every channel the caller is a member of",
    responses(
        (status = 200, description = "Channels", body = [Channel]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/channels")]
async fn mine(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::mine(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/users/me/memberships
#[utoipa::path(
    get,
    path = "/api/v1/users/me/memberships",
    operation_id = "my_memberships",
    tag = "channels",
    summary = "The caller's membership of each of their channels (favourite, mute, notification level)",
    responses(
        (status = 200, description = "One entry per channel", body = [ChannelMember]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/memberships")]
async fn memberships(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::memberships(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/users/me/unreads
#[utoipa::path(
    get,
    path = "/api/v1/users/me/unreads",
    operation_id = "unreads",
    tag = "channels",
    summary = "Unread and mention counts of the caller's channels",
    responses(
        (status = 200, description = "One entry per channel", body = [ChannelUnread]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/users/me/unreads")]
async fn unreads(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::unreads(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/channels/{id}
#[utoipa::path(
    get,
    path = "/api/v1/channels/{id}",
    operation_id = "get_channel",
    tag = "channels",
    summary = "A channel the caller may read",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "The channel", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/channels/{id}")]
async fn get_channel(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::get(c, &auth, id))
            .await?,
    ))
}

/// PATCH /api/v1/channels/{id}
#[utoipa::path(
    patch,
    path = "/api/v1/channels/{id}",
    operation_id = "update_channel",
    tag = "channels",
    summary = "Rename (channel admins) or change purpose and header (members)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    request_body = UpdateChannelRequest,
    responses(
        (status = 200, description = "The updated channel", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[patch("/channels/{id}")]
async fn update(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<UpdateChannelRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::update(c, &auth, id, body.into_inner()))
            .await?,
    ))
}

/// POST /api/v1/channels/{id}/archive
#[utoipa::path(
    post,
    path = "/api/v1/channels/{id}/archive",
    operation_id = "archive_channel",
    tag = "channels",
    summary = "Archive a channel: it becomes read-only (channel admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "The archived channel", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/{id}/archive")]
async fn archive(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::set_archived(c, &auth, id, true))
            .await?,
    ))
}

/// POST /api/v1/channels/{id}/unarchive
#[utoipa::path(
    post,
    path = "/api/v1/channels/{id}/unarchive",
    operation_id = "unarchive_channel",
    tag = "channels",
    summary = "Unarchive a channel (channel admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "The channel", body = Channel),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/{id}/unarchive")]
async fn unarchive(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::set_archived(c, &auth, id, false))
            .await?,
    ))
}

/// GET /api/v1/channels/{id}/members
#[utoipa::path(
    get,
    path = "/api/v1/channels/{id}/members",
    operation_id = "channel_members",
    tag = "channels",
    summary = "A channel's members",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "Members", body = [ChannelMember]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/channels/{id}/members")]
async fn members(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::members(c, &auth, id))
            .await?,
    ))
}

/// POST /api/v1/channels/{id}/members
#[utoipa::path(
    post,
    path = "/api/v1/channels/{id}/members",
    operation_id = "add_channel_member",
    tag = "channels",
    summary = "Join a public channel (self), or add a member of the channel's team",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    request_body = AddMemberRequest,
    responses(
        (status = 201, description = "The new membership", body = ChannelMember),
        (status = 200, description = "Already a member: the existing membership, unchanged", body = ChannelMember),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/{id}/members")]
async fn add_member(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AddMemberRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let (m, added) = ctx
        .into_inner()
        .run(move |c| channels::add_member(c, &auth, id, body.user_id))
        .await?;
    // A repeated add changes nothing: 200, not 201.
    Ok(if added {
        HttpResponse::Created().json(m)
    } else {
        HttpResponse::Ok().json(m)
    })
}

/// PATCH /api/v1/channels/{id}/members/me
#[utoipa::path(
    patch,
    path = "/api/v1/channels/{id}/members/me",
    operation_id = "update_membership",
    tag = "channels",
    summary = "Change the caller's notification level, mute and favourite in a channel",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    request_body = UpdateMembershipRequest,
    responses(
        (status = 200, description = "The caller's membership", body = ChannelMember),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[patch("/channels/{id}/members/me")]
async fn update_membership(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<UpdateMembershipRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::update_membership(c, &auth, id, body.into_inner()))
            .await?,
    ))
}

/// DELETE /api/v1/channels/{id}/members/{user_id}
#[utoipa::path(
    delete,
    path = "/api/v1/channels/{id}/members/{user_id}",
    operation_id = "remove_channel_member",
    tag = "channels",
    summary = "Leave a channel (self) or remove a member (channel admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
        ("user_id" = uuid::Uuid, Path, description = "User id of the member"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/channels/{id}/members/{user_id}")]
async fn remove_member(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdUserPath>,
) -> ApiResult<HttpResponse> {
    let IdUserPath { id, user_id } = path.into_inner();
    ctx.into_inner()
        .run(move |c| channels::remove_member(c, &auth, id, user_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// PUT /api/v1/channels/{id}/members/{user_id}/role
#[utoipa::path(
    put,
    path = "/api/v1/channels/{id}/members/{user_id}/role",
    operation_id = "set_channel_member_role",
    tag = "channels",
    summary = "Set a member's channel role (channel admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
        ("user_id" = uuid::Uuid, Path, description = "User id of the member"),
    ),
    request_body = SetMemberRoleRequest,
    responses(
        (status = 200, description = "The updated membership", body = ChannelMember),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/channels/{id}/members/{user_id}/role")]
async fn set_member_role(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdUserPath>,
    body: web::Json<SetMemberRoleRequest>,
) -> ApiResult<HttpResponse> {
    let IdUserPath { id, user_id } = path.into_inner();
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::set_member_role(c, &auth, id, user_id, body.role))
            .await?,
    ))
}

/// POST /api/v1/channels/{id}/view
#[utoipa::path(
    post,
    path = "/api/v1/channels/{id}/view",
    operation_id = "view_channel",
    tag = "channels",
    summary = "Mark a channel read (a read receipt in direct and group channels)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "The caller's membership", body = ChannelMember),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/channels/{id}/view")]
async fn view(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::view(c, &auth, id))
            .await?,
    ))
}

/// GET /api/v1/channels/{id}/posts
#[utoipa::path(
    get,
    path = "/api/v1/channels/{id}/posts",
    operation_id = "channel_posts",
    tag = "channels",
    summary = "A page of a channel's posts, oldest first (at most one of before, after, around)",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
        ("before" = Option<uuid::Uuid>, Query, description = "Posts before this post id"),
        ("after" = Option<uuid::Uuid>, Query, description = "Posts after this post id"),
        ("around" = Option<uuid::Uuid>, Query, description = "Posts around this post id"),
        ("limit" = Option<u32>, Query, description = "Posts per page, 1 to 200 (default 60)"),
    ),
    responses(
        (status = 200, description = "The page", body = PostPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/channels/{id}/posts")]
async fn list_posts(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    q: web::Query<PostsQuery>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::page(c, &auth, id, q.into_inner()))
            .await?,
    ))
}

/// GET /api/v1/channels/{id}/pinned
#[utoipa::path(
    get,
    path = "/api/v1/channels/{id}/pinned",
    operation_id = "pinned_posts",
    tag = "channels",
    summary = "A channel's pinned posts",
    params(
        ("id" = uuid::Uuid, Path, description = "Channel id"),
    ),
    responses(
        (status = 200, description = "Pinned posts", body = [Post]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/channels/{id}/pinned")]
async fn pinned(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::pinned(c, &auth, id))
            .await?,
    ))
}
