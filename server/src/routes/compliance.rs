//! Compliance administration: retention policies and legal holds.
//! Exports, jobs and data subject requests are in `compliance_jobs`.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};
use hearth_api::{
    ComplianceJob, ExportFormat, LegalHold, LegalHoldRequest, PurgeReport, RetentionPolicies,
    RetentionPolicy, RetentionScope,
};
use serde::Deserialize;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::compliance::{export, holds, purge, retention};
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_policies)
        .service(put_policy)
        .service(delete_policy)
        .service(dry_run)
        .service(run_purge)
        .service(list_holds)
        .service(create_hold)
        .service(get_hold)
        .service(update_hold)
        .service(release_hold)
        .service(export_hold);
}

/// GET /api/v1/compliance/retention
#[utoipa::path(
    get,
    path = "/api/v1/compliance/retention",
    operation_id = "retention_list",
    tag = "compliance",
    summary = "Retention policies (system admin or compliance officer)",
    responses(
        (status = 200, description = "Every level that sets a period", body = RetentionPolicies),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/retention")]
async fn list_policies(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let out = ctx
        .into_inner()
        .run(move |c| retention::list(c, &auth))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// PUT /api/v1/compliance/retention
#[utoipa::path(
    put,
    path = "/api/v1/compliance/retention",
    operation_id = "retention_put",
    tag = "compliance",
    summary = "Set the periods of the global default, a team or a channel (days; 0 keeps forever, null defers)",
    request_body = RetentionPolicy,
    responses(
        (status = 200, description = "The stored policy", body = RetentionPolicy),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[put("/compliance/retention")]
async fn put_policy(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<RetentionPolicy>,
) -> ApiResult<HttpResponse> {
    let out = ctx
        .into_inner()
        .run(move |c| retention::put(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuery {
    pub scope: RetentionScope,
    pub scope_id: Option<uuid::Uuid>,
}

/// DELETE /api/v1/compliance/retention
#[utoipa::path(
    delete,
    path = "/api/v1/compliance/retention",
    operation_id = "retention_delete",
    tag = "compliance",
    summary = "Remove a level's policy so it follows the less specific level",
    params(PolicyQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/compliance/retention")]
async fn delete_policy(
    ctx: Ctx,
    auth: Auth,
    q: web::Query<PolicyQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    ctx.into_inner()
        .run(move |c| retention::delete(c, &auth, q.scope, q.scope_id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// POST /api/v1/compliance/retention/dry-run
#[utoipa::path(
    post,
    path = "/api/v1/compliance/retention/dry-run",
    operation_id = "retention_dry_run",
    tag = "compliance",
    summary = "What a purge would delete now, per channel, without deleting anything",
    responses(
        (status = 200, description = "The report", body = PurgeReport),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/retention/dry-run")]
async fn dry_run(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let out = ctx
        .into_inner()
        .run(move |c| purge::dry_run(c, &auth))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// POST /api/v1/compliance/retention/run
#[utoipa::path(
    post,
    path = "/api/v1/compliance/retention/run",
    operation_id = "retention_run",
    tag = "compliance",
    summary = "Start a purge job now (it also runs daily at the configured time)",
    responses(
        (status = 202, description = "The queued job", body = ComplianceJob),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/retention/run")]
async fn run_purge(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let job = ctx
        .into_inner()
        .run(move |c| purge::start(c, Some(&auth)))
        .await?;
    Ok(HttpResponse::Accepted().json(job))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HoldsQuery {
    /// Leave released holds out.
    #[serde(default)]
    pub active: bool,
}

/// GET /api/v1/compliance/holds
#[utoipa::path(
    get,
    path = "/api/v1/compliance/holds",
    operation_id = "holds_list",
    tag = "compliance",
    summary = "Legal holds, newest first",
    params(HoldsQuery),
    responses(
        (status = 200, description = "The holds", body = [LegalHold]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/holds")]
async fn list_holds(ctx: Ctx, auth: Auth, q: web::Query<HoldsQuery>) -> ApiResult<HttpResponse> {
    let active = q.active;
    let out = ctx
        .into_inner()
        .run(move |c| holds::list(c, &auth, active))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// POST /api/v1/compliance/holds
#[utoipa::path(
    post,
    path = "/api/v1/compliance/holds",
    operation_id = "holds_create",
    tag = "compliance",
    summary = "Place a legal hold: covered content survives retention, user deletes and account deletion",
    request_body = LegalHoldRequest,
    responses(
        (status = 201, description = "The hold, with the number of posts it covers", body = LegalHold),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/holds")]
async fn create_hold(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<LegalHoldRequest>,
) -> ApiResult<HttpResponse> {
    let out = ctx
        .into_inner()
        .run(move |c| holds::create(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// GET /api/v1/compliance/holds/{id}
#[utoipa::path(
    get,
    path = "/api/v1/compliance/holds/{id}",
    operation_id = "holds_get",
    tag = "compliance",
    summary = "A legal hold and the number of posts it covers",
    params(("id" = uuid::Uuid, Path, description = "Hold id")),
    responses(
        (status = 200, description = "The hold", body = LegalHold),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/holds/{id}")]
async fn get_hold(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let out = ctx
        .into_inner()
        .run(move |c| holds::get(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// PATCH /api/v1/compliance/holds/{id}
#[utoipa::path(
    patch,
    path = "/api/v1/compliance/holds/{id}",
    operation_id = "holds_update",
    tag = "compliance",
    summary = "Change an active hold (the whole definition is replaced)",
    params(("id" = uuid::Uuid, Path, description = "Hold id")),
    request_body = LegalHoldRequest,
    responses(
        (status = 200, description = "The hold", body = LegalHold),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[patch("/compliance/holds/{id}")]
async fn update_hold(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<LegalHoldRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let out = ctx
        .into_inner()
        .run(move |c| holds::update(c, &auth, id, body.into_inner()))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// POST /api/v1/compliance/holds/{id}/release
#[utoipa::path(
    post,
    path = "/api/v1/compliance/holds/{id}/release",
    operation_id = "holds_release",
    tag = "compliance",
    summary = "Release a hold: its content becomes subject to retention again",
    params(("id" = uuid::Uuid, Path, description = "Hold id")),
    responses(
        (status = 200, description = "The released hold", body = LegalHold),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/holds/{id}/release")]
async fn release_hold(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let out = ctx
        .into_inner()
        .run(move |c| holds::release(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldExportRequest {
    pub format: ExportFormat,
}

/// POST /api/v1/compliance/holds/{id}/export
#[utoipa::path(
    post,
    path = "/api/v1/compliance/holds/{id}/export",
    operation_id = "holds_export",
    tag = "compliance",
    summary = "Export everything a hold covers (released holds included)",
    params(("id" = uuid::Uuid, Path, description = "Hold id")),
    request_body = HoldExportRequest,
    responses(
        (status = 202, description = "The queued export job", body = ComplianceJob),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/holds/{id}/export")]
async fn export_hold(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<HoldExportRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let format = body.format;
    let job = ctx
        .into_inner()
        .run(move |c| export::start_for_hold(c, &auth, id, format))
        .await?;
    Ok(HttpResponse::Accepted().json(job))
}
