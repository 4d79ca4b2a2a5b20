//! The audit log for system administrators and compliance officers:
//! paging through entries, verifying the hash chain and exporting it.

use actix_web::{HttpResponse, get, web};
use hearth_api::{AuditPage, AuditQuery, AuditVerification};

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, Unauthorized};
use crate::services::audit_log::{self, ExportFormat};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(verify).service(export);
}

/// GET /api/v1/admin/audit
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    operation_id = "audit_list",
    tag = "admin",
    summary = "Audit entries, oldest first, paged by seq (system admin)",
    params(
        ("after" = Option<u64>, Query, description = "Only entries with a larger seq (the previous page's next_after)"),
        ("limit" = Option<u32>, Query, description = "Entries per page, 1 to 1000 (default 100)"),
        ("action" = Option<String>, Query, description = "Only this action"),
        ("actor_id" = Option<uuid::Uuid>, Query, description = "Only this actor"),
        ("since" = Option<i64>, Query, description = "Only entries at or after this time (UTC milliseconds)"),
        ("until" = Option<i64>, Query, description = "Only entries before this time (UTC milliseconds)"),
    ),
    responses(
        (status = 200, description = "A page of entries", body = AuditPage),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit")]
async fn list(ctx: Ctx, auth: Auth, query: web::Query<AuditQuery>) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page: AuditPage = ctx
        .into_inner()
        .run(move |c| audit_log::page(c, &auth, q))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// GET /api/v1/admin/audit/verify
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit/verify",
    operation_id = "audit_verify",
    tag = "admin",
    summary = "Recompute the audit chain and report the first entry that was changed, removed or reordered (system admin)",
    params(AuditVerifyQuery),
    responses(
        (status = 200, description = "The verification; `ok` false names the first bad seq, or with `unchecked_from_seq` says that keyed entries could not be checked without the audit key", body = AuditVerification),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit/verify")]
async fn verify(ctx: Ctx, auth: Auth, q: web::Query<AuditVerifyQuery>) -> ApiResult<HttpResponse> {
    let expected = q.into_inner().expected_head;
    let answer: AuditVerification = ctx
        .into_inner()
        .run(move |c| audit_log::verify(c, &auth, expected.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditVerifyQuery {
    /// A head hash kept outside the database (from an earlier verification
    /// or an export manifest's `audit_head`): the chain must contain an
    /// entry with this hash, which catches a log cut back or rewritten.
    pub expected_head: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditExportQuery {
    /// `jsonl` (default: one entry per line, with its hashes) or `csv`.
    pub format: Option<String>,
    /// Only entries at or after this time (ms).
    pub since: Option<i64>,
    /// Only entries before this time (ms).
    pub until: Option<i64>,
}

/// GET /api/v1/admin/audit/export
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit/export",
    operation_id = "audit_export",
    tag = "admin",
    summary = "The audit log as JSON lines or CSV, with each entry's chain hashes (system admin or compliance officer; audited)",
    params(AuditExportQuery),
    responses(
        (status = 200, description = "The entries, oldest first", content(("application/x-ndjson"), ("text/csv"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/admin/audit/export")]
async fn export(ctx: Ctx, auth: Auth, q: web::Query<AuditExportQuery>) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let format = ExportFormat::parse(q.format.as_deref())?;
    let body = ctx
        .into_inner()
        .run(move |c| audit_log::export(c, &auth, format, q.since, q.until))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(match format {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::JsonLines => "application/x-ndjson",
        })
        .body(body))
}
