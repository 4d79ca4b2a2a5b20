//! Channels, membership, preferences, read state and channel post listings.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    AddMemberRequest, CreateChannelRequest, DirectChannelRequest, PostsQuery, SetMemberRoleRequest,
    UpdateChannelRequest, UpdateMembershipRequest,
};

use super::{Ctx, IdPath, IdUserPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::services::{channels, posts};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(direct)
        .service(mine)
        .service(unreads)
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
#[get("/users/me/channels")]
async fn mine(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::mine(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/users/me/unreads
#[get("/users/me/unreads")]
async fn unreads(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::unreads(c, &auth))
            .await?,
    ))
}

/// GET /api/v1/channels/{id}
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
#[post("/channels/{id}/members")]
async fn add_member(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AddMemberRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let m = ctx
        .into_inner()
        .run(move |c| channels::add_member(c, &auth, id, body.user_id))
        .await?;
    Ok(HttpResponse::Created().json(m))
}

/// PATCH /api/v1/channels/{id}/members/me
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
#[get("/channels/{id}/pinned")]
async fn pinned(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| posts::pinned(c, &auth, id))
            .await?,
    ))
}
