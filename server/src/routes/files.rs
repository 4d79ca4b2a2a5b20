//! Uploads and downloads.

use actix_multipart::Multipart;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use futures_util::StreamExt;
use hearth_api::FileInfo;
use hearth_core::{Error, Id};

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::openapi::{BadRequest, FileUpload, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::files;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(upload)
        .service(info)
        .service(download)
        .service(thumbnail)
        .service(preview);
}

const MAX_FILES_PER_UPLOAD: usize = 10;

/// POST /api/v1/files
///
/// Multipart: a text part `channel_id` first, then up to ten parts `files`.
/// Each part is read with the size limit enforced while streaming, so an
/// oversized upload is refused without being buffered whole.
#[utoipa::path(
    post,
    path = "/api/v1/files",
    operation_id = "upload_files",
    tag = "files",
    summary = "Upload up to ten files to a channel, to attach to a post",
    request_body(description = "A text part `channel_id` first, then one to ten parts `files`", content = FileUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "One record per file, in order", body = [FileInfo]),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 413, response = PayloadTooLarge),
    ),
    security(("bearer" = []), ("session_cookie" = [], "csrf_token" = []))
)]
#[post("/files")]
async fn upload(ctx: Ctx, auth: Auth, mut form: Multipart) -> ApiResult<HttpResponse> {
    let max = ctx.config.files.max_file_size;
    let mut channel_id: Option<Id> = None;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = form.next().await {
        let mut field =
            field.map_err(|e| Error::invalid(format!("malformed multipart body: {e}")))?;
        let name = field.name().unwrap_or("").to_string();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let limit = if name == "files" { max as usize } else { 256 };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk =
                chunk.map_err(|e| Error::invalid(format!("malformed multipart body: {e}")))?;
            if buf.len() + chunk.len() > limit {
                return Err(if name == "files" {
                    Error::FileTooLarge(max)
                } else {
                    Error::invalid(format!("part '{name}' is too long"))
                }
                .into());
            }
            buf.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "channel_id" => {
                let s = std::str::from_utf8(&buf)
                    .map_err(|_| Error::invalid("channel_id is not text"))?;
                channel_id = Some(
                    s.trim()
                        .parse()
                        .map_err(|_| Error::invalid("channel_id is not a valid id"))?,
                );
            }
            "files" => {
                if parts.len() >= MAX_FILES_PER_UPLOAD {
                    return Err(Error::invalid(format!(
                        "at most {MAX_FILES_PER_UPLOAD} files per upload"
                    ))
                    .into());
                }
                let n =
                    file_name.ok_or_else(|| Error::invalid("each file part needs a file name"))?;
                parts.push((n, buf));
            }
            other => {
                return Err(Error::invalid(format!("unexpected multipart part '{other}'")).into());
            }
        }
    }
    let channel_id = channel_id.ok_or_else(|| Error::invalid("the channel_id part is missing"))?;
    if parts.is_empty() {
        return Err(Error::invalid("no files part in the upload").into());
    }
    let infos = ctx
        .into_inner()
        .run(move |c| {
            parts
                .iter()
                .map(|(n, b)| files::upload(c, &auth, channel_id, n, b))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Created().json(infos))
}

/// GET /api/v1/files/{id}/info
#[utoipa::path(
    get,
    path = "/api/v1/files/{id}/info",
    operation_id = "file_info",
    tag = "files",
    summary = "A file's record",
    params(
        ("id" = uuid::Uuid, Path, description = "File id"),
    ),
    responses(
        (status = 200, description = "The record", body = FileInfo),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/files/{id}/info")]
async fn info(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    let id = path.id;
    let row = ctx
        .into_inner()
        .run(move |c| files::readable(c, &auth, id))
        .await?;
    Ok(HttpResponse::Ok().json(row.to_api()))
}

async fn send(
    ctx: Ctx,
    auth: Auth,
    id: Id,
    variant: Option<&'static str>,
) -> ApiResult<HttpResponse> {
    let (row, bytes) = ctx
        .into_inner()
        .run(move |c| {
            let row = files::readable(c, &auth, id)?;
            if variant.is_some() && !row.has_preview {
                return Err(Error::NotFound("preview"));
            }
            let bytes = c.files.read(&row.sha256, variant)?;
            Ok((row, bytes))
        })
        .await?;
    let mut resp = HttpResponse::Ok();
    resp.insert_header((header::CACHE_CONTROL, "private, max-age=86400"))
        .insert_header(("X-Content-Type-Options", "nosniff"));
    if variant.is_some() {
        return Ok(resp.content_type("image/jpeg").body(bytes));
    }
    resp.insert_header(ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(row.name.clone())],
    });
    Ok(resp.content_type(row.mime_type.as_str()).body(bytes))
}

/// GET /api/v1/files/{id}
#[utoipa::path(
    get,
    path = "/api/v1/files/{id}",
    operation_id = "download_file",
    tag = "files",
    summary = "A file's content, as an attachment",
    params(
        ("id" = uuid::Uuid, Path, description = "File id"),
    ),
    responses(
        (status = 200, description = "The content, with its MIME type", content(("application/octet-stream")), headers(("Content-Disposition" = String, description = "`attachment; filename=\"…\"`"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/files/{id}")]
async fn download(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    send(ctx, auth, path.id, None).await
}

/// GET /api/v1/files/{id}/thumbnail
#[utoipa::path(
    get,
    path = "/api/v1/files/{id}/thumbnail",
    operation_id = "file_thumbnail",
    tag = "files",
    summary = "An image's thumbnail, at most 120x100 (images only)",
    params(
        ("id" = uuid::Uuid, Path, description = "File id"),
    ),
    responses(
        (status = 200, description = "JPEG thumbnail", content(("image/jpeg"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/files/{id}/thumbnail")]
async fn thumbnail(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    send(ctx, auth, path.id, Some("thumb.jpg")).await
}

/// GET /api/v1/files/{id}/preview
#[utoipa::path(
    get,
    path = "/api/v1/files/{id}/preview",
    operation_id = "file_preview",
    tag = "files",
    summary = "An image's preview, at most 1920x1080 (images only)",
    params(
        ("id" = uuid::Uuid, Path, description = "File id"),
    ),
    responses(
        (status = 200, description = "JPEG preview", content(("image/jpeg"))),
        (status = 400, response = BadRequest),
        (status = 401, response = Unauthorized),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
    security(("bearer" = []), ("session_cookie" = []))
)]
#[get("/files/{id}/preview")]
async fn preview(ctx: Ctx, auth: Auth, path: web::Path<IdPath>) -> ApiResult<HttpResponse> {
    send(ctx, auth, path.id, Some("preview.jpg")).await
}
