//! Teams, invitations and team membership.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    AddMemberRequest, CreateTeamRequest, JoinTeamRequest, SetMemberRoleRequest, UpdateTeamRequest,
};

use super::{Ctx, IdPath, IdUserPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::services::{channels, teams};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(mine)
        .service(open)
        .service(join)
        .service(get_team)
        .service(update)
        .service(get_invite)
        .service(new_invite)
        .service(members)
        .service(add_member)
        .service(remove_member)
        .service(set_member_role)
        .service(browse_channels);
}

/// POST /api/v1/teams
#[post("/teams")]
async fn create(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<CreateTeamRequest>,
) -> ApiResult<HttpResponse> {
    let t = ctx
        .into_inner()
        .run(move |c| teams::create(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(t))
}

/// GET /api/v1/teams
#[get("/teams")]
async fn mine(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(ctx.into_inner().run(move |c| teams::mine(c, &auth)).await?))
}

/// GET /api/v1/teams/open
#[get("/teams/open")]
async fn open(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(ctx.into_inner().run(move |c| teams::open(c, &auth)).await?))
}

/// POST /api/v1/teams/join
#[post("/teams/join")]
async fn join(ctx: Ctx, auth: Auth, body: web::Json<JoinTeamRequest>) -> ApiResult<HttpResponse> {
    let t = ctx
        .into_inner()
        .run(move |c| teams::join_by_invite(c, &auth, &body.invite_id))
        .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// GET /api/v1/teams/{id}
#[get("/teams/{id}")]
async fn get_team(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| teams::get(c, &auth, id))
            .await?,
    ))
}

/// PATCH /api/v1/teams/{id}
#[patch("/teams/{id}")]
async fn update(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<UpdateTeamRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| teams::update(c, &auth, id, body.into_inner()))
            .await?,
    ))
}

/// GET /api/v1/teams/{id}/invite
#[get("/teams/{id}/invite")]
async fn get_invite(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| teams::invite(c, &auth, id, false))
            .await?,
    ))
}

/// POST /api/v1/teams/{id}/invite
#[post("/teams/{id}/invite")]
async fn new_invite(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| teams::invite(c, &auth, id, true))
            .await?,
    ))
}

/// GET /api/v1/teams/{id}/members
#[get("/teams/{id}/members")]
async fn members(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| teams::members(c, &auth, id))
            .await?,
    ))
}

/// POST /api/v1/teams/{id}/members
#[post("/teams/{id}/members")]
async fn add_member(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AddMemberRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let m = ctx
        .into_inner()
        .run(move |c| teams::add_member(c, &auth, id, body.user_id))
        .await?;
    Ok(HttpResponse::Created().json(m))
}

/// DELETE /api/v1/teams/{id}/members/{user_id}
#[delete("/teams/{id}/members/{user_id}")]
async fn remove_member(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdUserPath>,
) -> ApiResult<HttpResponse> {
    let IdUserPath { id, user_id } = path.into_inner();
    ctx.into_inner()
        .run(move |c| teams::remove_member(c, &auth, id, user_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// PUT /api/v1/teams/{id}/members/{user_id}/role
#[put("/teams/{id}/members/{user_id}/role")]
async fn set_member_role(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdUserPath>,
    body: web::Json<SetMemberRoleRequest>,
) -> ApiResult<HttpResponse> {
    let IdUserPath { id, user_id } = path.into_inner();
    let m = ctx
        .into_inner()
        .run(move |c| teams::set_member_role(c, &auth, id, user_id, body.role))
        .await?;
    Ok(HttpResponse::Ok().json(m))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct BrowseQuery {
    #[serde(default)]
    include_archived: bool,
}

/// GET /api/v1/teams/{id}/channels
#[get("/teams/{id}/channels")]
async fn browse_channels(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    q: web::Query<BrowseQuery>,
) -> ApiResult<HttpResponse> {
    let (id, arch) = (path.id, q.include_archived);
    Ok(HttpResponse::Ok().json(
        ctx.into_inner()
            .run(move |c| channels::browse(c, &auth, id, arch))
            .await?,
    ))
}
