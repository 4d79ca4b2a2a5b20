//! Uploads and downloads.

use actix_multipart::{Field, Multipart};
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpResponse, get, post, web};
use futures_util::StreamExt;
use hearth_api::FileInfo;
use hearth_core::{Error, Id};

use super::{Ctx, IdPath};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::files::Spooled;
use crate::openapi::{BadRequest, FileUpload, Forbidden, NotFound, PayloadTooLarge, Unauthorized};
use crate::services::files;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(upload)
        .service(info)
        .service(download)
        .service(thumbnail)
        .service(preview);
}

/// POST /api/v1/files
///
/// Multipart: a text part `channel_id` first, then up to ten parts `files`.
/// The caller's right to post in the channel is checked as soon as
/// `channel_id` has been read, before any file part is, so `channel_id` must
/// come before the files (a file part before it is refused). Each part is
/// spooled to a temporary file under the files directory while it is hashed,
/// with `files.max_file_size` per part and `files.max_upload_bytes` for the
/// whole request enforced while streaming, so no upload is held in memory.
/// The upload is all or nothing: every part is checked (name, size, count)
/// before any is stored.
#[utoipa::path(
    post,
    path = "/api/v1/files",
    operation_id = "upload_files",
    tag = "files",
    summary = "Upload up to ten files to a channel, to attach to a post",
    request_body(description = "A text part `channel_id` first (file parts before it are refused), then one to ten parts `files`; nothing is stored unless every part is accepted", content = FileUpload, content_type = "multipart/form-data"),
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
    let ctx = ctx.into_inner();
    let max = ctx.config().files.max_file_size;
    let max_total = ctx.config().files.max_upload_bytes;
    let mut total: u64 = 0;
    let mut channel_id: Option<Id> = None;
    let mut parts: Vec<(String, Spooled)> = Vec::new();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(malformed)?;
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "channel_id" => {
                if channel_id.is_some() {
                    return Err(Error::invalid("the channel_id part must be sent once").into());
                }
                let buf = read_part(&mut field, 256)
                    .await?
                    .ok_or_else(|| Error::invalid("part 'channel_id' is too long"))?;
                let id: Id = std::str::from_utf8(&buf)
                    .map_err(|_| Error::invalid("channel_id is not text"))?
                    .trim()
                    .parse()
                    .map_err(|_| Error::invalid("channel_id is not a valid id"))?;
                // Before any file part is read, so a caller who may not post
                // here cannot make the server buffer their upload.
                let who = auth.clone();
                ctx.run(move |c| files::check_upload(c, &who, id)).await?;
                channel_id = Some(id);
            }
            "files" => {
                if channel_id.is_none() {
                    return Err(Error::invalid(
                        "the channel_id part must come before the file parts",
                    )
                    .into());
                }
                if parts.len() >= files::MAX_FILES_PER_UPLOAD {
                    return Err(Error::invalid(format!(
                        "at most {} files per upload",
                        files::MAX_FILES_PER_UPLOAD
                    ))
                    .into());
                }
                let file_name = part_file_name(&field)
                    .ok_or_else(|| Error::invalid("each file part needs a file name"))?;
                let file_name = files::check_name(&file_name)?;
                let spooled = spool_part(&ctx, &mut field, max, max_total - total).await?;
                total += spooled.size;
                parts.push((file_name, spooled));
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
        .run(move |c| files::upload(c, &auth, channel_id, parts))
        .await?;
    Ok(HttpResponse::Created().json(infos))
}

fn malformed(e: actix_multipart::MultipartError) -> Error {
    Error::invalid(format!("malformed multipart body: {e}"))
}

/// Writes a file part to a spool; refused once it grows past `max` bytes
/// (`file_too_large`) or past what is left of the request's total
/// (`invalid_input`); the rest is not read.
async fn spool_part(
    ctx: &std::sync::Arc<crate::state::Ctx>,
    field: &mut Field,
    max: u64,
    left: u64,
) -> Result<Spooled, Error> {
    let mut spool = ctx.files.spool()?;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        let size = spool.size() + chunk.len() as u64;
        if size > max {
            return Err(Error::FileTooLarge(max));
        }
        if size > left {
            return Err(Error::invalid(format!(
                "the files of one upload may total at most {} bytes",
                ctx.config().files.max_upload_bytes
            )));
        }
        spool.write(&chunk).await?;
    }
    spool.finish().await
}

/// A part's content, or None once it grows past `limit` bytes (the rest is
/// not read).
async fn read_part(field: &mut Field, limit: usize) -> Result<Option<Vec<u8>>, Error> {
    let mut buf = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        if buf.len() + chunk.len() > limit {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Some(buf))
}

/// A file part's name: `filename`, or `filename*` in UTF-8 from clients that
/// send it (RFC 7578 asks for plain `filename`, with the name in UTF-8).
fn part_file_name(field: &Field) -> Option<String> {
    let cd = field.content_disposition()?;
    let ext = cd
        .get_filename_ext()
        .filter(|v| v.charset.to_string().eq_ignore_ascii_case("utf-8"))
        .and_then(|v| String::from_utf8(v.value.clone()).ok());
    ext.or_else(|| cd.get_filename().map(str::to_string))
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
    resp.insert_header(attachment(&row.name));
    Ok(resp.content_type(row.mime_type.as_str()).body(bytes))
}

/// `attachment; filename="…"` per RFC 6266: names outside printable ASCII
/// get an ASCII fallback in `filename` (other characters as `_`) and the
/// real name, percent-encoded UTF-8, in `filename*=UTF-8''…` (RFC 8187).
fn attachment(name: &str) -> ContentDisposition {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '_'
            }
        })
        .collect();
    let plain = fallback == name;
    let mut parameters = vec![DispositionParam::Filename(fallback)];
    if !plain {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
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
        (status = 200, description = "The content, with its MIME type", content(("application/octet-stream")), headers(("Content-Disposition" = String, description = "`attachment; filename=\"…\"`, plus `filename*=UTF-8''…` (RFC 6266) when the name is not plain ASCII"))),
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
