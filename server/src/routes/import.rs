//! Data import for system administrators: the file is the request body
//! (read with its size limit enforced while streaming), options are in the
//! query string, and the answer is a report. A dry run writes nothing; an
//! import that finds errors writes nothing either and answers 422 with the
//! report under `report`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use futures_util::StreamExt;
use hearth_api::{
    ChatImportQuery, ChatImportReport, ErrorBody, ErrorCode, ErrorDetail, ImportRejected,
    UserImportQuery, UserImportReport,
};
use hearth_core::Error;
use hearth_import::sheet::SheetFormat;

use super::Ctx;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::import;

/// Largest chat export accepted. The archive is spooled to a temporary
/// file, never held in memory, so this bounds disk use only.
pub const MAX_ARCHIVE_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// Largest Mattermost JSONL file accepted; it is checked whole before
/// anything is written, so it is held in memory.
pub const MAX_JSONL_BYTES: u64 = 512 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(users).service(slack).service(mattermost);
}

/// Streams the body into an anonymous temporary file (removed when dropped),
/// refusing it once it grows past `limit`.
async fn spool_body(mut body: web::Payload, limit: u64) -> Result<std::fs::File, Error> {
    use tokio::io::AsyncWriteExt;
    let io = |e: std::io::Error| Error::internal(format!("spooling the upload: {e}"));
    let std_file = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(Error::internal)?
        .map_err(io)?;
    let mut file = tokio::fs::File::from_std(std_file);
    let mut size: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::invalid(format!("cannot read the body: {e}")))?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(Error::FileTooLarge(limit));
        }
        file.write_all(&chunk).await.map_err(io)?;
    }
    if size == 0 {
        return Err(Error::invalid(
            "the request body (the file to import) is empty",
        ));
    }
    file.flush().await.map_err(io)?;
    Ok(file.into_std().await)
}

/// Reads the whole body, refusing it as soon as it grows past `limit`.
async fn read_body(mut body: web::Payload, limit: u64) -> Result<Vec<u8>, Error> {
    let limit_usize = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| Error::invalid(format!("cannot read the body: {e}")))?;
        if buf.len() + chunk.len() > limit_usize {
            return Err(Error::FileTooLarge(limit));
        }
        buf.extend_from_slice(&chunk);
    }
    if buf.is_empty() {
        return Err(Error::invalid(
            "the request body (the file to import) is empty",
        ));
    }
    Ok(buf)
}

/// 200 with the report, or 422 `import_rejected` when rows had errors and
/// nothing was written.
fn respond<R: serde::Serialize>(report: R, rejected: Option<String>) -> HttpResponse {
    match rejected {
        None => HttpResponse::Ok().json(report),
        Some(message) => {
            HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY).json(ImportRejected {
                error: ErrorDetail {
                    code: ErrorCode::ImportRejected,
                    message,
                },
                report,
            })
        }
    }
}

/// POST /api/v1/admin/import/users
///
/// The spreadsheet is the body. Authorisation is checked before the body is
/// read, so nobody else can make the server buffer a file.
#[utoipa::path(
    post,
    path = "/api/v1/admin/import/users",
    operation_id = "import_users",
    tag = "admin",
    summary = "Create or update users and their team and channel memberships from a spreadsheet (system admin)",
    params(
        ("format" = Option<String>, Query, description = "`xlsx`, `xls`, `ods` or `csv`; detected from the content when absent"),
        ("dry_run" = Option<bool>, Query, description = "Report only, write nothing (default false)"),
        ("mapping" = Option<String>, Query, description = "JSON object field → header, e.g. `{\"email\":\"E-mail address\",\"username\":\"Login\"}`; fields: username, email, display_name, first_name, last_name, role, teams, channels, start_date"),
    ),
    request_body(description = "The spreadsheet file (at most `files.max_file_size` bytes)", content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "The per-row report; `applied` says whether it was written", body = UserImportReport),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 422, description = "`import_rejected`: some rows have errors and nothing was written; the body is the error plus `report` (a UserImportReport)", body = ErrorBody),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/import/users")]
async fn users(
    ctx: Ctx,
    auth: Auth,
    query: web::Query<UserImportQuery>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let ctx = ctx.into_inner();
    let q = query.into_inner();
    import::admin_only(&auth)?;
    let format = q
        .format
        .as_deref()
        .map(|f| {
            SheetFormat::parse(f).ok_or_else(|| {
                Error::invalid(format!("format '{f}' is not one of xlsx, xls, ods, csv"))
            })
        })
        .transpose()?;
    let mapping = q
        .mapping
        .as_deref()
        .map(hearth_import::users::parse_mapping)
        .transpose()?
        .unwrap_or_default();
    let bytes = read_body(body, ctx.config().files.max_file_size).await?;
    let opts = import::users::UserImport {
        format,
        mapping,
        dry_run: q.dry_run.unwrap_or(false),
    };
    let report = ctx
        .run(move |c| import::users::import(c, &auth, &bytes, opts))
        .await?;
    let rejected = (!report.dry_run && report.errors > 0).then(|| {
        format!(
            "{} of {} rows have errors; nothing was imported",
            report.errors,
            report.rows.len()
        )
    });
    Ok(respond(report, rejected))
}

/// POST /api/v1/admin/import/slack
///
/// The export zip is the body; it is spooled to a temporary file and read
/// entry by entry. Each day file is committed on its own, so an interrupted
/// import keeps what it wrote and a rerun continues where it stopped.
#[utoipa::path(
    post,
    path = "/api/v1/admin/import/slack",
    operation_id = "import_slack",
    tag = "admin",
    summary = "Import a Slack export (users, channels, direct messages, posts, threads, reactions, files) into a team (system admin)",
    params(
        ("team" = String, Query, description = "Target team, by id or name"),
        ("dry_run" = Option<bool>, Query, description = "Report only, write nothing (default false)"),
    ),
    request_body(description = "The Slack export zip", content = Vec<u8>, content_type = "application/zip"),
    responses(
        (status = 200, description = "What was imported, skipped as already imported, or ignored", body = ChatImportReport),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/import/slack")]
async fn slack(
    ctx: Ctx,
    auth: Auth,
    query: web::Query<ChatImportQuery>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let ctx = ctx.into_inner();
    let q = query.into_inner();
    import::admin_only(&auth)?;
    let team = q.team.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        Error::invalid("team is required: the team to import into, by id or name")
    })?;
    let dry_run = q.dry_run.unwrap_or(false);
    let file = spool_body(body, MAX_ARCHIVE_BYTES).await?;
    let report = ctx
        .run(move |c| import::slack::import(c, &auth, file, &team, dry_run))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// POST /api/v1/admin/import/mattermost
///
/// The JSONL file is the body. Every line is checked before anything is
/// written; a file with problems is refused whole (422 with the report).
#[utoipa::path(
    post,
    path = "/api/v1/admin/import/mattermost",
    operation_id = "import_mattermost",
    tag = "admin",
    summary = "Import a Mattermost bulk-import JSONL file (teams, channels, users, posts, direct messages) (system admin)",
    params(
        ("dry_run" = Option<bool>, Query, description = "Report only, write nothing (default false)"),
    ),
    request_body(description = "The JSONL file", content = Vec<u8>, content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "What was imported, skipped as already imported, or ignored", body = ChatImportReport),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge),
        (status = 422, description = "`import_rejected`: some lines have problems (`report.issues`, with line numbers) and nothing was written; the body is the error plus `report` (a ChatImportReport)", body = ErrorBody),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/admin/import/mattermost")]
async fn mattermost(
    ctx: Ctx,
    auth: Auth,
    query: web::Query<ChatImportQuery>,
    body: web::Payload,
) -> ApiResult<HttpResponse> {
    let ctx = ctx.into_inner();
    let q = query.into_inner();
    import::admin_only(&auth)?;
    if q.team.is_some() {
        return Err(Error::invalid("team is not used: Mattermost files name their teams").into());
    }
    let dry_run = q.dry_run.unwrap_or(false);
    let bytes = read_body(body, MAX_JSONL_BYTES).await?;
    let report = ctx
        .run(move |c| import::mattermost::import(c, &auth, &bytes, dry_run))
        .await?;
    let rejected = (!dry_run && !report.issues.is_empty()).then(|| {
        format!(
            "{} problems in the file; nothing was imported",
            report.issues.len()
        )
    });
    Ok(respond(report, rejected))
}
