//! Attachments: upload with limits, image thumbnails and previews, and
//! downloads only for people who may read the channel.

use std::io::Cursor;

use hearth_api::FileInfo;
use hearth_core::permissions::{Action, require};
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::models::FileRow;
use hearth_store::{DbConn, parse_id};

use crate::auth::Auth;
use crate::services::channels;
use crate::state::Ctx;

pub const THUMB: (u32, u32) = (120, 100);
pub const PREVIEW: (u32, u32) = (1920, 1080);
/// Decoding limits, so a tiny file cannot expand into gigabytes of pixels.
const MAX_PIXELS: u64 = 50_000_000;

/// Thumbnail and preview of an image, as JPEG; None when not a decodable image.
pub fn image_variants(bytes: &[u8]) -> Option<(u32, u32, Vec<u8>, Vec<u8>)> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.format()?;
    let (w, h) = reader.into_dimensions().ok()?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return None;
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().ok()?;
    let encode = |(mw, mh): (u32, u32)| -> Option<Vec<u8>> {
        let small = if img.width() > mw || img.height() > mh {
            img.thumbnail(mw, mh)
        } else {
            img.clone()
        };
        let mut out = Vec::new();
        small
            .to_rgb8()
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
            .ok()?;
        Some(out)
    };
    Some((w, h, encode(THUMB)?, encode(PREVIEW)?))
}

/// At most this many files in one upload.
pub const MAX_FILES_PER_UPLOAD: usize = 10;

/// A checked file name for an upload part (no paths, no control characters).
pub fn check_name(raw: &str) -> Result<String> {
    validate::file_name(raw)
}

/// Whether the caller may upload into the channel, which is whether they may
/// post there. A channel they may not read answers `not_found`, exactly like
/// one that does not exist.
pub fn check_upload(ctx: &Ctx, auth: &Auth, channel_id: Id) -> Result<()> {
    ctx.store.read(|c| may_post(c, auth, channel_id))
}

fn may_post(c: &mut DbConn, auth: &Auth, channel_id: Id) -> Result<()> {
    let (_, f) = channels::readable(c, auth, channel_id)?;
    require(&auth.actor, Action::Post, &f)
}

/// Stores one upload of `(file name, content)` parts, all or nothing: every
/// part is checked (names, sizes, count) before any is stored, and the rows
/// for all of them are inserted in one transaction. Blobs are written before
/// that transaction; storage is content-addressed, so a blob left by a failed
/// insert is harmless and reused by the next upload of the same bytes.
pub fn upload(
    ctx: &Ctx,
    auth: &Auth,
    channel_id: Id,
    parts: Vec<(String, Vec<u8>)>,
) -> Result<Vec<FileInfo>> {
    if parts.is_empty() {
        return Err(Error::invalid("no files part in the upload"));
    }
    if parts.len() > MAX_FILES_PER_UPLOAD {
        return Err(Error::invalid(format!(
            "at most {MAX_FILES_PER_UPLOAD} files per upload"
        )));
    }
    let max = ctx.config().files.max_file_size;
    let parts = parts
        .into_iter()
        .map(|(name, bytes)| {
            let name = check_name(&name)?;
            if bytes.len() as u64 > max {
                return Err(Error::FileTooLarge(max));
            }
            Ok((name, bytes))
        })
        .collect::<Result<Vec<_>>>()?;
    check_upload(ctx, auth, channel_id)?;

    let now = now_millis();
    let mut rows = Vec::with_capacity(parts.len());
    for (name, bytes) in parts {
        let sha = ctx.files.put(&bytes)?;
        let variants = image_variants(&bytes);
        if let Some((_, _, thumb, preview)) = &variants {
            ctx.files.put_variant(&sha, "thumb.jpg", thumb)?;
            ctx.files.put_variant(&sha, "preview.jpg", preview)?;
        }
        let mime = variants
            .as_ref()
            .and_then(|_| image::guess_format(&bytes).ok())
            .map(|f| f.to_mime_type().to_string())
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| {
                mime_guess::from_path(&name)
                    .first_or_octet_stream()
                    .essence_str()
                    .to_string()
            });
        rows.push(FileRow {
            id: new_id().to_string(),
            uploader_id: auth.user.id.clone(),
            channel_id: channel_id.to_string(),
            post_id: None,
            name,
            mime_type: mime,
            size: bytes.len() as i64,
            sha256: sha,
            width: variants.as_ref().map(|v| v.0 as i32),
            height: variants.as_ref().map(|v| v.1 as i32),
            has_preview: variants.is_some(),
            created_at: now,
            deleted_at: None,
        });
    }
    ctx.store.write(|tx| {
        // Checked again where the rows are written, in case the caller lost
        // the channel while the files were being stored.
        may_post(tx.conn, auth, channel_id)?;
        for row in &rows {
            hearth_store::files::insert(tx.conn, row)?;
        }
        Ok(())
    })?;
    Ok(rows.iter().map(FileRow::to_api).collect())
}

/// A file the caller may read (uploader before it is posted, channel readers after).
pub fn readable(ctx: &Ctx, auth: &Auth, id: Id) -> Result<FileRow> {
    ctx.store.read(|c| {
        let row = hearth_store::files::by_id(c, &id.to_string())?.ok_or(Error::NotFound("file"))?;
        if row.deleted_at.is_some() {
            return Err(Error::NotFound("file"));
        }
        let own_unposted = row.post_id.is_none() && row.uploader_id == auth.user.id;
        if !own_unposted
            && (row.post_id.is_none() || !channels::can_read(c, auth, parse_id(&row.channel_id))?)
        {
            return Err(Error::NotFound("file"));
        }
        if let Some(p) = &row.post_id
            && hearth_store::posts::by_id(c, p)?.is_some_and(|p| p.deleted_at.is_some())
        {
            return Err(Error::NotFound("file"));
        }
        Ok(row)
    })
}
