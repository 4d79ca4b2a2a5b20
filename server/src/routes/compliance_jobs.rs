//! Compliance exports and jobs, audited search across all content, data
//! subject requests, and account deletion.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use hearth_api::{
    AnonymiseOutcome, AnonymiseRequest, ComplianceJob, ComplianceSearchRequest, ExportCursorState,
    ExportRequest, JobKind, PostSearchResults, SearchRequest,
};
use hearth_core::Error;
use hearth_core::permissions::{Action, Facts, require};
use serde::Deserialize;

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::compliance::{dsr, export, jobs};
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Conflict, Forbidden, NotFound, ServiceUnavailable, Unauthorized};
use crate::services::audit;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(start_export)
        .service(start_incremental)
        .service(cursors)
        .service(list_jobs)
        .service(get_job)
        .service(cancel_job)
        .service(download)
        .service(search)
        .service(user_export)
        .service(anonymise)
        .service(delete_user);
}

/// POST /api/v1/compliance/exports
#[utoipa::path(
    post,
    path = "/api/v1/compliance/exports",
    operation_id = "compliance_export",
    tag = "compliance",
    summary = "Start an export (Actiance XML, GlobalRelay EML or CSV) scoped by dates, channels, users or a hold",
    request_body = ExportRequest,
    responses(
        (status = 202, description = "The queued job; follow it at /compliance/jobs/{id}", body = ComplianceJob),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/exports")]
async fn start_export(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<ExportRequest>,
) -> ApiResult<HttpResponse> {
    let job = ctx
        .into_inner()
        .run(move |c| export::start(c, &auth, body.into_inner()))
        .await?;
    Ok(HttpResponse::Accepted().json(job))
}

/// POST /api/v1/compliance/exports/incremental
#[utoipa::path(
    post,
    path = "/api/v1/compliance/exports/incremental",
    operation_id = "compliance_export_incremental",
    tag = "compliance",
    summary = "Run the daily incremental export of a format now: everything since its cursor, each record exactly once across runs",
    request_body = crate::routes::compliance::HoldExportRequest,
    responses(
        (status = 202, description = "The queued job", body = ComplianceJob),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/exports/incremental")]
async fn start_incremental(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<crate::routes::compliance::HoldExportRequest>,
) -> ApiResult<HttpResponse> {
    let format = body.format;
    let job = ctx
        .into_inner()
        .run(move |c| export::start_incremental(c, &auth, format))
        .await?;
    Ok(HttpResponse::Accepted().json(job))
}

/// GET /api/v1/compliance/exports/cursors
#[utoipa::path(
    get,
    path = "/api/v1/compliance/exports/cursors",
    operation_id = "compliance_export_cursors",
    tag = "compliance",
    summary = "Where each daily incremental export stands",
    responses(
        (status = 200, description = "One cursor per format that has run", body = [ExportCursorState]),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/exports/cursors")]
async fn cursors(ctx: Ctx, auth: Auth) -> ApiResult<HttpResponse> {
    let out = ctx
        .into_inner()
        .run(move |c| export::cursors(c, &auth))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JobsQuery {
    pub kind: Option<JobKind>,
    /// At most this many, newest first (1 to 500, default 50).
    pub limit: Option<u32>,
}

/// GET /api/v1/compliance/jobs
#[utoipa::path(
    get,
    path = "/api/v1/compliance/jobs",
    operation_id = "compliance_jobs",
    tag = "compliance",
    summary = "Export, purge and user-export jobs, newest first, with progress",
    params(JobsQuery),
    responses(
        (status = 200, description = "The jobs", body = [ComplianceJob]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/jobs")]
async fn list_jobs(ctx: Ctx, auth: Auth, q: web::Query<JobsQuery>) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let out = ctx
        .into_inner()
        .run(move |c| jobs::list(c, &auth, q.kind, q.limit.unwrap_or(50)))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// GET /api/v1/compliance/jobs/{id}
#[utoipa::path(
    get,
    path = "/api/v1/compliance/jobs/{id}",
    operation_id = "compliance_job",
    tag = "compliance",
    summary = "One job: status, progress, result and archive details",
    params(("id" = uuid::Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = ComplianceJob),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/jobs/{id}")]
async fn get_job(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let out = ctx
        .into_inner()
        .run(move |c| jobs::get(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// POST /api/v1/compliance/jobs/{id}/cancel
#[utoipa::path(
    post,
    path = "/api/v1/compliance/jobs/{id}/cancel",
    operation_id = "compliance_job_cancel",
    tag = "compliance",
    summary = "Cancel a queued or running job (an incremental cursor does not move)",
    params(("id" = uuid::Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job, cancelled or cancelling", body = ComplianceJob),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/jobs/{id}/cancel")]
async fn cancel_job(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let out = ctx
        .into_inner()
        .run(move |c| jobs::cancel(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// GET /api/v1/compliance/jobs/{id}/download
#[utoipa::path(
    get,
    path = "/api/v1/compliance/jobs/{id}/download",
    operation_id = "compliance_job_download",
    tag = "compliance",
    summary = "The archive of a finished export (compliance officers only; audited)",
    params(("id" = uuid::Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "The zip, with manifest.json listing every file's SHA-256", content(("application/zip"))),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/compliance/jobs/{id}/download")]
async fn download(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let (name, file) = ctx
        .into_inner()
        .run(move |c| jobs::download(c, &auth, id))
        .await?;
    let f = tokio::fs::File::open(&file)
        .await
        .map_err(|e| Error::internal(format!("opening {}: {e}", file.display())))?;
    let len = f
        .metadata()
        .await
        .map_err(|e| Error::internal(format!("{e}")))?
        .len();
    // Archives can be gigabytes: stream them instead of reading them whole.
    let body = futures_util::stream::unfold(f, |mut f| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buf)), f))
            }
            Err(e) => Some((Err(e), f)),
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((header::CONTENT_LENGTH, len))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .streaming(body))
}

/// POST /api/v1/compliance/search
#[utoipa::path(
    post,
    path = "/api/v1/compliance/search",
    operation_id = "compliance_search",
    tag = "compliance",
    summary = "Search every channel, private and direct ones included (compliance officers only; audited with the reason)",
    request_body = ComplianceSearchRequest,
    responses(
        (status = 200, description = "A page of matching posts", body = PostSearchResults),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 503, response = ServiceUnavailable),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/search")]
async fn search(
    ctx: Ctx,
    auth: Auth,
    body: web::Json<ComplianceSearchRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.into_inner();
    let out = ctx
        .into_inner()
        .run(move |c| {
            crate::compliance::require_content(&auth)?;
            let reason = req.reason.trim();
            if reason.is_empty() || reason.chars().count() > 1000 {
                return Err(Error::invalid("give the reason for the search (1 to 1000 characters)"));
            }
            let found = crate::search::search_all_posts(
                c,
                &auth,
                SearchRequest {
                    terms: req.terms.clone(),
                    time_zone: Some("UTC".into()),
                    team_id: None,
                    sort: None,
                    page: req.page,
                    per_page: req.per_page,
                    include_archived: Some(true),
                },
            )?;
            c.store.write(|tx| {
                audit::record(
                    tx,
                    Some(auth.user_id()),
                    "compliance.search",
                    "posts",
                    None,
                    serde_json::json!({ "terms": req.terms, "reason": reason, "total": found.total }),
                )
            })?;
            Ok(found)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// POST /api/v1/compliance/users/{id}/export
#[utoipa::path(
    post,
    path = "/api/v1/compliance/users/{id}/export",
    operation_id = "compliance_user_export",
    tag = "compliance",
    summary = "Export everything a user wrote, with files (data subject access request)",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 202, description = "The queued job", body = ComplianceJob),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/users/{id}/export")]
async fn user_export(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let job = ctx
        .into_inner()
        .run(move |c| dsr::start_user_export(c, &auth, id))
        .await?;
    Ok(HttpResponse::Accepted().json(job))
}

/// POST /api/v1/compliance/users/{id}/anonymise
#[utoipa::path(
    post,
    path = "/api/v1/compliance/users/{id}/anonymise",
    operation_id = "compliance_user_anonymise",
    tag = "compliance",
    summary = "Anonymise a departed user (deactivates them); optionally erase their posts except held ones",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    request_body = AnonymiseRequest,
    responses(
        (status = 200, description = "What was done", body = AnonymiseOutcome),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/compliance/users/{id}/anonymise")]
async fn anonymise(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    body: web::Json<AnonymiseRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let erase = body.erase_content;
    let out = ctx
        .into_inner()
        .run(move |c| dsr::anonymise(c, &auth, id, erase))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteUserQuery {
    /// Also delete the user's posts, except those a legal hold covers.
    #[serde(default)]
    pub erase_content: bool,
}

/// DELETE /api/v1/users/{id}
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}",
    operation_id = "user_delete",
    tag = "users",
    summary = "Delete an account: the profile is anonymised, the account deactivated; content under a legal hold is always kept",
    params(("id" = uuid::Uuid, Path, description = "User id"), DeleteUserQuery),
    responses(
        (status = 200, description = "What was done", body = AnonymiseOutcome),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[delete("/users/{id}")]
async fn delete_user(
    ctx: Ctx,
    auth: Auth,
    path: web::Path<IdPath>,
    q: web::Query<DeleteUserQuery>,
) -> ApiResult<HttpResponse> {
    let id = path.id;
    let erase = q.erase_content;
    let out = ctx
        .into_inner()
        .run(move |c| {
            require(&auth.actor, Action::DeleteAccount, &Facts::default())?;
            dsr::anonymise(c, &auth, id, erase)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
