//! Data subject requests: a person's copy of everything they wrote, and the
//! plan for anonymising a departed user's profile.

use std::io::{Seek, Write};

use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::archive::{ArchiveWriter, attachment_paths};
use crate::error::{ComplianceError, Result};
use crate::export::{BatchContext, ExportCounts, Window, copy_one};
use crate::holds::{LegalHold, holds_on_user};
use crate::model::{AttachmentSource, Directory, Millis, Post, User};

/// What [`user_export`] produced.
#[derive(Debug)]
pub struct UserExportOutcome<W> {
    pub writer: W,
    pub posts: u64,
    pub attachments: u64,
    pub attachments_missing: u64,
    pub manifest_sha256: String,
    pub warnings: Vec<String>,
}

/// Writes a zip of everything `user` wrote: `profile.json`, posts as JSON
/// lines in parts of `batch_size` (`posts/part-000001.jsonl`, each line a
/// post with its channel, thread, history and attachment paths), the files
/// under `files/<post id>/<name>`, and `manifest.json`.
///
/// `posts` are the user's posts in any order; posts by anyone else are
/// skipped, so a broader stream is harmless.
pub fn user_export<W, I, E>(
    user: &User,
    directory: &Directory,
    files: &dyn AttachmentSource,
    posts: I,
    created_at: Millis,
    batch_size: usize,
    out: W,
) -> Result<UserExportOutcome<W>>
where
    W: Write + Seek,
    I: IntoIterator<Item = std::result::Result<Post, E>>,
    E: std::fmt::Display,
{
    let batch_size = batch_size.max(1);
    let mut archive = ArchiveWriter::new(out);
    archive.entry("profile.json", |w| {
        serde_json::to_writer_pretty(&mut *w, user)?;
        w.write_all(b"\n")?;
        Ok(())
    })?;
    let mut counts = ExportCounts::default();
    let mut batch: Vec<Post> = Vec::new();
    let mut written = 0u64;
    let mut part = 0u64;
    for item in posts {
        let post = item.map_err(|e| ComplianceError::Source(e.to_string()))?;
        if post.author_id != user.id {
            continue;
        }
        batch.push(post);
        if batch.len() >= batch_size {
            part += 1;
            written += write_part(&mut archive, directory, files, &mut counts, part, &batch)?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        part += 1;
        written += write_part(&mut archive, directory, files, &mut counts, part, &batch)?;
    }
    let warnings = archive.warnings().to_vec();
    let metadata = json!({
        "product": "Hearth",
        "kind": "user_export",
        "user_id": user.id,
        "created_at": created_at,
        "created_at_utc": crate::time::iso8601(created_at),
        "counts": {"posts": written, "attachments": counts.attachments, "attachments_missing": counts.attachments_missing},
    });
    let finished = archive.finish(metadata)?;
    Ok(UserExportOutcome {
        writer: finished.writer,
        posts: written,
        attachments: counts.attachments,
        attachments_missing: counts.attachments_missing,
        manifest_sha256: finished.manifest_sha256,
        warnings,
    })
}

fn write_part<W: Write + Seek>(
    archive: &mut ArchiveWriter<W>,
    directory: &Directory,
    files: &dyn AttachmentSource,
    counts: &mut ExportCounts,
    part: u64,
    batch: &[Post],
) -> Result<u64> {
    archive.entry(&format!("posts/part-{part:06}.jsonl"), |w| {
        for p in batch {
            let channel = directory.channel(&p.channel_id);
            let paths = attachment_paths(p);
            let attachments: Vec<_> = p
                .attachments
                .iter()
                .zip(&paths)
                .map(|(a, path)| json!({"file_id": a.file_id, "name": a.name, "mime": a.mime, "size": a.size, "sha256": a.sha256, "path": path}))
                .collect();
            let line = json!({
                "id": p.id,
                "channel_id": p.channel_id,
                "channel_name": channel.name,
                "channel_display_name": channel.display_name,
                "team_id": p.team_id,
                "root_id": p.root_id,
                "message": p.message,
                "created_at": p.created_at,
                "created_at_utc": crate::time::iso8601(p.created_at),
                "edited_at": p.edited_at,
                "deleted_at": p.deleted_at,
                "history": p.history,
                "attachments": attachments,
            });
            serde_json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
        Ok(())
    })?;
    let mut ctx = BatchContext {
        archive,
        directory,
        files,
        counts,
        batch_no: part,
        window: Window::default(),
        max_message_bytes: crate::export::GLOBALRELAY_MAX_MESSAGE_BYTES,
        profile: crate::export::Profile::Hearth,
    };
    for p in batch {
        for (a, path) in p.attachments.iter().zip(attachment_paths(p)) {
            ctx.counts.attachments += 1;
            copy_one(&mut ctx, p, a, &path)?;
        }
    }
    Ok(batch.len() as u64)
}

/// One profile field change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FieldAction {
    /// Set the field to this value.
    Replace { field: String, value: String },
    /// Empty the field.
    Blank { field: String },
}

/// What happens to the departed user's posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentAction {
    /// Posts stay, attributed to the same (now anonymised) user id.
    KeepUnderPseudonym,
    /// Posts not under a legal hold are deleted; held ones stay (decide per
    /// post with [`crate::holds::on_post_delete`]).
    DeleteUnheld,
}

/// How to anonymise a departed user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymisationPlan {
    /// Unchanged: posts, memberships and audit entries keep pointing at it.
    pub user_id: String,
    pub fields: Vec<FieldAction>,
    pub content: ContentAction,
    /// Active holds naming the user as custodian. When non-empty the server
    /// must keep a sealed copy of the original profile with the held content
    /// before applying `fields`, and must not delete the user's posts.
    pub holds: Vec<String>,
    pub preserve_profile_copy: bool,
}

/// Profile fields the server keeps beyond [`User`], blanked on anonymisation.
pub const EXTRA_PROFILE_FIELDS: [&str; 8] = [
    "first_name",
    "last_name",
    "nickname",
    "position",
    "avatar",
    "phone",
    "auth_data",
    "props",
];

/// Plans the anonymisation of `user`. The pseudonym is derived from the user
/// id (`deleted-<first 10 hex of SHA-256>`) so it is stable and unique
/// without revealing the person.
pub fn anonymise(user: &User, holds: &[LegalHold], erase_content: bool) -> AnonymisationPlan {
    let digest = hex::encode(Sha256::digest(user.id.as_bytes()));
    let pseudonym = format!("deleted-{}", digest.get(..10).unwrap_or(&digest));
    let mut fields = vec![
        FieldAction::Replace {
            field: "username".into(),
            value: pseudonym.clone(),
        },
        FieldAction::Replace {
            field: "display_name".into(),
            value: "Deleted user".into(),
        },
        FieldAction::Replace {
            field: "email".into(),
            value: format!("{pseudonym}@deleted.hearth.invalid"),
        },
    ];
    fields.extend(EXTRA_PROFILE_FIELDS.iter().map(|f| FieldAction::Blank {
        field: (*f).to_string(),
    }));
    let held = holds_on_user(holds, &user.id);
    AnonymisationPlan {
        user_id: user.id.clone(),
        fields,
        content: if erase_content {
            ContentAction::DeleteUnheld
        } else {
            ContentAction::KeepUnderPseudonym
        },
        preserve_profile_copy: !held.is_empty(),
        holds: held,
    }
}

impl AnonymisationPlan {
    /// Applies the plan's changes to a [`User`] record.
    pub fn apply(&self, user: &User) -> User {
        let mut u = user.clone();
        for f in &self.fields {
            match f {
                FieldAction::Replace { field, value } => match field.as_str() {
                    "username" => u.username = value.clone(),
                    "display_name" => u.display_name = value.clone(),
                    "email" => u.email = value.clone(),
                    _ => {}
                },
                FieldAction::Blank { field } => match field.as_str() {
                    "username" => u.username.clear(),
                    "display_name" => u.display_name.clear(),
                    "email" => u.email.clear(),
                    _ => {}
                },
            }
        }
        u
    }
}
