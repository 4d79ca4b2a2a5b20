//! Turning database rows into index documents: the current state of a post,
//! its thread root's text for context, and its attachments' names and text.

use std::collections::{HashMap, HashSet};

use hearth_search::{Change, FileDoc, PostDoc};
use hearth_store::models::{ChannelRow, FileRow, PostRow};
use hearth_store::{DbConn, channels, file_text_failures, files, parse_id, parse_ids_json, posts};
use uuid::Uuid;

use super::SearchService;
use crate::sheet_reader::ReadFailure;

/// Attachments larger than this are indexed by name only: extracting text
/// from a huge spreadsheet would stall indexing for everyone.
const MAX_EXTRACT_BYTES: i64 = 20 * 1024 * 1024;

/// The index changes that bring `ids` up to date: upserts for live posts and
/// their files, deletes for deleted ones. Missing ids (purged rows) are deleted.
pub fn changes_for_posts(
    conn: &mut DbConn,
    s: &SearchService,
    ids: &[String],
) -> hearth_store::StoreResult<Vec<Change>> {
    let rows = posts::by_ids(conn, ids)?;
    let found: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut out: Vec<Change> = ids
        .iter()
        .filter(|id| !found.contains(id.as_str()))
        .map(|id| Change::DeletePost(parse_id(id)))
        .collect();
    out.extend(documents(conn, s, &rows)?);
    Ok(out)
}

/// Documents for rows already loaded (also used by the full rebuild scan).
pub fn documents(
    conn: &mut DbConn,
    s: &SearchService,
    rows: &[PostRow],
) -> hearth_store::StoreResult<Vec<Change>> {
    let root_ids: Vec<String> = rows
        .iter()
        .filter_map(|r| r.root_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let roots: HashMap<String, String> = posts::by_ids(conn, &root_ids)?
        .into_iter()
        .filter(|r| r.deleted_at.is_none())
        .map(|r| (r.id, r.message))
        .collect();
    let channel_ids: Vec<String> = rows
        .iter()
        .map(|r| r.channel_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let teams: HashMap<String, Option<Uuid>> = channels::by_ids(conn, &channel_ids)?
        .into_iter()
        .map(|c: ChannelRow| (c.id.clone(), c.team_id.as_deref().map(parse_id)))
        .collect();
    let file_ids: Vec<String> = rows
        .iter()
        .filter(|r| r.deleted_at.is_none())
        .flat_map(|r| parse_ids_json(&r.file_ids))
        .map(|id| id.to_string())
        .collect();
    let failed = file_text_failures::among(conn, &file_ids)?;
    let mut files_by_post: HashMap<String, Vec<FileRow>> = HashMap::new();
    for f in files::by_ids(conn, &file_ids)? {
        if f.deleted_at.is_none()
            && let Some(p) = f.post_id.clone()
        {
            files_by_post.entry(p).or_default().push(f);
        }
    }

    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id = parse_id(&r.id);
        if r.deleted_at.is_some() {
            out.push(Change::DeletePost(id));
            continue;
        }
        let team_id = teams.get(&r.channel_id).copied().flatten();
        let attached = files_by_post.remove(&r.id).unwrap_or_default();
        let mut file_docs = Vec::with_capacity(attached.len());
        for f in &attached {
            file_docs.push(FileDoc {
                id: parse_id(&f.id),
                post_id: id,
                channel_id: parse_id(&f.channel_id),
                team_id,
                user_id: parse_id(&f.uploader_id),
                name: f.name.clone(),
                mime: f.mime_type.clone(),
                text: file_text(s, f, failed.contains(&f.id)),
                created_at: f.created_at,
            });
        }
        out.push(Change::UpsertPost(PostDoc {
            id,
            channel_id: parse_id(&r.channel_id),
            team_id,
            user_id: parse_id(&r.user_id),
            root_id: r.root_id.as_deref().map(parse_id),
            message: r.message.clone(),
            root_message: r.root_id.as_ref().and_then(|root| roots.get(root).cloned()),
            created_at: r.created_at,
            file_names: file_docs.iter().map(|f| f.name.clone()).collect(),
            file_text: file_docs.iter().filter_map(|f| f.text.clone()).collect(),
            has_replies: r.reply_count > 0,
        }));
        out.extend(file_docs.into_iter().map(Change::UpsertFile));
    }
    Ok(out)
}

/// Text of a text-like attachment; failures only cost the file its content
/// in search. A failure is recorded, and a file with a recorded failure is
/// never read again: one hostile upload costs one attempt, not one per
/// restart, rebuild or edit of its post.
fn file_text(s: &SearchService, f: &FileRow, failed_before: bool) -> Option<String> {
    if f.size > MAX_EXTRACT_BYTES || failed_before {
        return None;
    }
    let bytes = s.files.read(&f.sha256, None).ok()?;
    match s.reader.text(&f.name, &f.mime_type, &bytes) {
        Ok(text) => text,
        Err(ReadFailure::Reader(reason)) => {
            // Not the file's fault: it is read again at the next change or rebuild.
            tracing::error!(file = %f.id, %reason, "attachment text not read");
            None
        }
        Err(ReadFailure::File(reason)) => {
            tracing::warn!(file = %f.id, %reason, "attachment indexed by name only");
            let at = hearth_core::now_millis();
            if let Err(e) = s
                .store
                .write(|tx| Ok(file_text_failures::record(tx.conn, &f.id, &reason, at)?))
            {
                tracing::error!(file = %f.id, error = %e, "cannot record a failed text extraction");
            }
            None
        }
    }
}
