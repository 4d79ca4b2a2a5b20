//! Attachments: upload with limits, image thumbnails and previews, and
//! downloads only for people who may read the channel.

use std::io::{BufRead, Cursor, Seek};

use hearth_api::FileInfo;
use hearth_core::permissions::{Action, require};
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::models::FileRow;
use hearth_store::{DbConn, parse_id};

use crate::auth::Auth;
use crate::files::Spooled;
use crate::services::channels;
use crate::state::Ctx;

pub const THUMB: (u32, u32) = (120, 100);
pub const PREVIEW: (u32, u32) = (1920, 1080);

/// Why an image got no variants.
#[derive(Debug, PartialEq, Eq)]
pub enum NoVariants {
    /// Not an image this server decodes (or a damaged one).
    NotAnImage,
    /// More pixels than `files.max_image_pixels`, seen in the header.
    TooLarge,
}

/// Thumbnail and preview of an image, as JPEG, with its size. The pixel
/// count is read from the header and checked against
/// `files.max_image_pixels` before anything is decoded, and at most
/// `files.image_decodes` images are decoded at once (see [`crate::files::ImageGate`]).
pub fn image_variants<R: BufRead + Seek>(
    ctx: &Ctx,
    source: R,
) -> std::result::Result<(u32, u32, Vec<u8>, Vec<u8>), NoVariants> {
    let max_pixels = ctx.config().files.max_image_pixels;
    let mut reader = image::ImageReader::new(source)
        .with_guessed_format()
        .map_err(|_| NoVariants::NotAnImage)?;
    reader.format().ok_or(NoVariants::NotAnImage)?;
    let mut limits = image::Limits::default();
    // Up to 16 bytes a pixel (RGBA, 32-bit float) for the largest accepted image.
    limits.max_alloc = Some(max_pixels.saturating_mul(16).max(64 * 1024 * 1024));
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => NoVariants::TooLarge,
        _ => NoVariants::NotAnImage,
    })?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if u64::from(w) * u64::from(h) > max_pixels {
        ctx.metrics.images_too_large.inc();
        return Err(NoVariants::TooLarge);
    }
    ctx.images.run(|| {
        let img = image::DynamicImage::from_decoder(decoder).map_err(|e| match e {
            image::ImageError::Limits(_) => NoVariants::TooLarge,
            _ => NoVariants::NotAnImage,
        })?;
        encode_variants(&img)
            .map(|(t, p)| (w, h, t, p))
            .ok_or(NoVariants::NotAnImage)
    })
}

fn encode_variants(img: &image::DynamicImage) -> Option<(Vec<u8>, Vec<u8>)> {
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
    Some((encode(THUMB)?, encode(PREVIEW)?))
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

/// Stores one upload of `(file name, spooled content)` parts, all or
/// nothing: every part is checked (names, sizes, count) before any is stored,
/// and the rows for all of them are inserted in one transaction. Blobs are
/// moved into place before that transaction; storage is content-addressed, so
/// a blob left by a failed insert is harmless and reused by the next upload
/// of the same bytes.
pub fn upload(
    ctx: &Ctx,
    auth: &Auth,
    channel_id: Id,
    parts: Vec<(String, Spooled)>,
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
        .map(|(name, spooled)| {
            let name = check_name(&name)?;
            if spooled.size > max {
                return Err(Error::FileTooLarge(max));
            }
            Ok((name, spooled))
        })
        .collect::<Result<Vec<_>>>()?;
    check_upload(ctx, auth, channel_id)?;

    let now = now_millis();
    let mut rows = Vec::with_capacity(parts.len());
    for (name, spooled) in parts {
        let size = spooled.size;
        let open = || -> Result<std::io::BufReader<std::fs::File>> {
            let f = spooled
                .file
                .reopen()
                .map_err(|e| Error::internal(format!("reopening an upload: {e}")))?;
            Ok(std::io::BufReader::new(f))
        };
        let variants = image_variants(ctx, open()?).ok();
        let format = match &variants {
            Some(_) => image::ImageReader::new(open()?)
                .with_guessed_format()
                .ok()
                .and_then(|r| r.format()),
            None => None,
        };
        let sha = ctx.files.put_spooled(spooled)?;
        if let Some((_, _, thumb, preview)) = &variants {
            ctx.files.put_variant(&sha, "thumb.jpg", thumb)?;
            ctx.files.put_variant(&sha, "preview.jpg", preview)?;
        }
        let mime = format
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
            size: i64::try_from(size).unwrap_or(i64::MAX),
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
