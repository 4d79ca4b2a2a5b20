//! Teams, invitations and team membership.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    AddMemberRequest, Channel, CreateTeamRequest, JoinTeamRequest, SetMemberRoleRequest, Team,
    TeamInvite, TeamMember, UpdateTeamRequest,
};

use super::{Ctx, IdPath, IdUserPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::{channels, teams};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create)
        .service(mine)
        .service(all)
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
#[utoipa::path(
    post,
    path = "/api/v1/teams",
    operation_id = "create_team",
    tag = "teams",
    summary = "Create a team with its town-square and off-topic channels; the caller becomes team admin",
    request_body = CreateTeamRequest,
    responses(
        (status = 201, description = "The new team", body = Team),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/teams",
    operation_id = "my_teams",
    tag = "teams",
    summary = "The teams the caller belongs to",
    responses(
        (status = 200, description = "Teams", body = [Team]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/teams")]
async fn mine(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(ctx.into_inner().run(move |c| teams::mine(c, &auth)).await?))
}

/// GET /api/v1/admin/teams
#[utoipa::path(
    get,
    path = "/api/v1/admin/teams",
    operation_id = "all_teams",
    tag = "teams",
    summary = "Every team on the server, by name (system admin)",
    responses(
        (status = 200, description = "Teams", body = [Team]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/teams")]
async fn all(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(ctx.into_inner().run(move |c| teams::all(c, &auth)).await?))
}

/// GET /api/v1/teams/open
#[utoipa::path(
    get,
    path = "/api/v1/teams/open",
    operation_id = "open_teams",
    tag = "teams",
    summary = "Open teams the caller may join (none for guests)",
    responses(
        (status = 200, description = "Teams", body = [Team]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/teams/open")]
async fn open(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(ctx.into_inner().run(move |c| teams::open(c, &auth)).await?))
}

/// POST /api/v1/teams/join
#[utoipa::path(
    post,
    path = "/api/v1/teams/join",
    operation_id = "join_team",
    tag = "teams",
    summary = "Join a team with an invitation id",
    request_body = JoinTeamRequest,
    responses(
        (status = 200, description = "The joined team", body = Team),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/teams/join")]
async fn join(ctx: Ctx, auth: Auth, body: web::Json<JoinTeamRequest>) -> ApiResult<HttpResponse> {
    let t = ctx
        .into_inner()
        .run(move |c| teams::join_by_invite(c, &auth, &body.invite_id))
        .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// GET /api/v1/teams/{id}
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}",
    operation_id = "get_team",
    tag = "teams",
    summary = "A team (members, and anyone for an open team)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "The team", body = Team),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
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
#[utoipa::path(
    patch,
    path = "/api/v1/teams/{id}",
    operation_id = "update_team",
    tag = "teams",
    summary = "Update a team (team admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    request_body = UpdateTeamRequest,
    responses(
        (status = 200, description = "The updated team", body = Team),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}/invite",
    operation_id = "team_invite",
    tag = "teams",
    summary = "The team's invitation id (members; team admins for guests and non-members)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "The invitation", body = TeamInvite),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/teams/{id}/invite",
    operation_id = "regenerate_invite",
    tag = "teams",
    summary = "Replace the team's invitation id; the old one stops working (team admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "The new invitation", body = TeamInvite),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}/members",
    operation_id = "team_members",
    tag = "teams",
    summary = "A team's members",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    responses(
        (status = 200, description = "Members", body = [TeamMember]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/teams/{id}/members",
    operation_id = "add_team_member",
    tag = "teams",
    summary = "Join an open team (self), or add a member",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
    ),
    request_body = AddMemberRequest,
    responses(
        (status = 201, description = "The new membership", body = TeamMember),
        (status = 200, description = "Already a member: the existing membership, unchanged", body = TeamMember),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/teams/{id}/members")]
async fn add_member(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AddMemberRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let (m, added) = ctx
        .into_inner()
        .run(move |c| teams::add_member(c, &auth, id, body.user_id))
        .await?;
    // A repeated add changes nothing: 200, not 201.
    Ok(if added {
        HttpResponse::Created().json(m)
    } else {
        HttpResponse::Ok().json(m)
    })
}

/// DELETE /api/v1/teams/{id}/members/{user_id}
#[utoipa::path(
    delete,
    path = "/api/v1/teams/{id}/members/{user_id}",
    operation_id = "remove_team_member",
    tag = "teams",
    summary = "Leave a team (self) or remove a member (team admins); also leaves its channels",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
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
#[utoipa::path(
    put,
    path = "/api/v1/teams/{id}/members/{user_id}/role",
    operation_id = "set_team_member_role",
    tag = "teams",
    summary = "Set a member's team role (team admins)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
        ("user_id" = uuid::Uuid, Path, description = "User id of the member"),
    ),
    request_body = SetMemberRoleRequest,
    responses(
        (status = 200, description = "The updated membership", body = TeamMember),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct BrowseQuery {
    /// Also list archived channels.
    #[serde(default)]
    include_archived: bool,
}

/// GET /api/v1/teams/{id}/channels
#[utoipa::path(
    get,
    path = "/api/v1/teams/{id}/channels",
    operation_id = "browse_channels",
    tag = "teams",
    summary = "Public channels of a team to browse (none for guests)",
    params(
        ("id" = uuid::Uuid, Path, description = "Team id"),
        BrowseQuery,
    ),
    responses(
        (status = 200, description = "Channels", body = [Channel]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
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
