//! Data subject requests: a user's own data export (GDPR access) and the
//! anonymisation of a departed user that keeps what legal holds cover.

use std::collections::HashMap;

use hearth_api::{AnonymiseOutcome, ComplianceJob, JobKind};
use hearth_compliance::dsr::{anonymise as plan_anonymise, user_export};
use hearth_compliance::holds::is_held;
use hearth_compliance::model::Post;
use hearth_core::{Error, Id, Result, now_millis};
use hearth_store::compliance::{self as cstore, JobRow};
use hearth_store::{Audience, Change, parse_id};

use super::export::{StoredFiles, team_map};
use super::jobs::{self, Checkpoint, Finished};
use super::{convert, holds};
use crate::auth::Auth;
use crate::services::audit;
use crate::state::Ctx;

/// Posts read or erased per transaction.
const PAGE: i64 = 500;

/// Queues an export of everything `user_id` wrote.
pub fn start_user_export(ctx: &Ctx, auth: &Auth, user_id: Id) -> Result<ComplianceJob> {
    super::require_manage(auth)?;
    ctx.store
        .read(|c| Ok(hearth_store::users::by_id(c, &user_id.to_string())?))?
        .ok_or(Error::NotFound("user"))?;
    jobs::enqueue(
        ctx,
        Some(auth),
        JobKind::UserExport,
        serde_json::json!({ "user_id": user_id }),
        false,
    )
}

/// The user's posts, page by page, with attachments and history.
struct AuthorPosts<'a> {
    ctx: &'a Ctx,
    user_id: String,
    team_of: HashMap<String, Option<String>>,
    after: Option<String>,
    buf: std::vec::IntoIter<Post>,
    done: bool,
}

impl AuthorPosts<'_> {
    fn fill(&mut self) -> Result<()> {
        let (rows, files, hist) = self.ctx.store.read(|c| {
            let rows = cstore::posts_by_author(c, &self.user_id, self.after.as_deref(), PAGE)?;
            let ids: Vec<String> = rows.iter().map(|p| p.id.clone()).collect();
            Ok((
                rows,
                cstore::files_of(c, &ids)?,
                cstore::history_of(c, &ids)?,
            ))
        })?;
        self.done = (rows.len() as i64) < PAGE;
        self.after = rows.last().map(|p| p.id.clone());
        let mut posts = convert::posts(&rows, &self.team_of, &files);
        for (post, row) in posts.iter_mut().zip(&rows) {
            post.history = convert::versions(row, &hist);
        }
        self.buf = posts.into_iter();
        Ok(())
    }
}

impl Iterator for AuthorPosts<'_> {
    type Item = Result<Post>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(p) = self.buf.next() {
                return Some(Ok(p));
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.fill() {
                self.done = true;
                return Some(Err(e));
            }
        }
    }
}

pub fn run_user_export(ctx: &Ctx, job: &JobRow, cp: &mut Checkpoint) -> Result<Finished> {
    let params: serde_json::Value = serde_json::from_str(&job.params).unwrap_or_default();
    let user_id = params["user_id"]
        .as_str()
        .ok_or_else(|| Error::internal("user export without user_id"))?
        .to_string();
    let (users, channels) = ctx
        .store
        .read(|c| Ok((cstore::all_users(c)?, cstore::all_channels(c)?)))?;
    let user = users
        .iter()
        .find(|u| u.id == user_id)
        .map(convert::user)
        .ok_or(Error::NotFound("user"))?;
    let directory = convert::directory(&users, &channels);
    let posts = AuthorPosts {
        ctx,
        user_id: user_id.clone(),
        team_of: team_map(&channels),
        after: None,
        buf: Vec::new().into_iter(),
        done: false,
    };
    let out = jobs::create_part(ctx, &job.id)?;
    let outcome = user_export(
        &user,
        &directory,
        &StoredFiles(&ctx.files),
        posts,
        job.created_at,
        ctx.config().compliance.export_batch_size,
        out,
    )
    .map_err(|e| Error::internal(format!("user export: {e}")))?;
    cp.progress.done = outcome.posts;
    cp.progress.written = outcome.posts;
    let path = jobs::seal(ctx, &job.id, outcome.writer)?;
    Ok(Finished {
        result: serde_json::json!({
            "user_id": user_id,
            "posts": outcome.posts,
            "attachments": outcome.attachments,
            "attachments_missing": outcome.attachments_missing,
            "manifest_sha256": outcome.manifest_sha256,
            "warnings": outcome.warnings,
        }),
        file: Some((format!("hearth-user-{}.zip", user.username), path)),
        cursor: None,
        audit_action: "compliance.user_export.succeeded",
    })
}

/// Anonymises a departed user: pseudonymous profile, deactivated, signed
/// out everywhere; with `erase_content`, their posts go too except those a
/// legal hold covers. A custodian's original profile is kept (sealed in the
/// settings table, never served) for as long as the holds need it.
pub fn anonymise(
    ctx: &Ctx,
    auth: &Auth,
    user_id: Id,
    erase_content: bool,
) -> Result<AnonymiseOutcome> {
    super::require_manage(auth)?;
    if user_id == auth.user_id() {
        return Err(Error::invalid("you cannot remove your own account"));
    }
    let uid = user_id.to_string();
    let (username, held_by) = ctx.store.write(|tx| {
        let mut row = crate::services::accounts::check_account_action(
            tx.conn,
            auth,
            hearth_core::permissions::AccountAction::Anonymise,
            user_id,
        )?;
        let holds = holds::active(tx.conn)?;
        let original = convert::user(&row);
        let plan = plan_anonymise(&original, &holds, erase_content);
        if plan.preserve_profile_copy {
            let sealed = serde_json::json!({
                "user": original,
                "holds": plan.holds,
                "at": now_millis(),
            });
            hearth_store::settings::set(
                tx.conn,
                &format!("held_profile:{uid}"),
                &sealed.to_string(),
            )?;
        }
        let new = plan.apply(&original);
        row.username = new.username;
        row.email = new.email;
        row.email_verified_at = None;
        row.display_name = new.display_name;
        row.status_text = String::new();
        row.avatar_sha256 = None;
        row.password_hash = None;
        row.is_active = false;
        row.updated_at = now_millis();
        hearth_store::users::save(tx.conn, &row)?;
        crate::services::sessions::revoke_all_in(tx, Some(auth.user_id()), user_id)?;
        tx.log(Change::new(
            hearth_api::EventPayload::UserUpdated(row.to_api(false)),
            Audience::All,
        ))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.user.anonymise",
            "user",
            Some(uid.clone()),
            serde_json::json!({ "erase_content": erase_content, "holds": plan.holds }),
        )?;
        Ok((row.username, plan.holds))
    })?;
    let (mut deleted, mut held) = (0u64, 0u64);
    if erase_content {
        (deleted, held) = erase_posts(ctx, &uid)?;
        ctx.store.write(|tx| {
            audit::record(
                tx,
                Some(auth.user_id()),
                "compliance.user.erase_content",
                "user",
                Some(uid.clone()),
                serde_json::json!({ "posts_deleted": deleted, "posts_held": held }),
            )
        })?;
    }
    Ok(AnonymiseOutcome {
        user_id,
        username,
        posts_deleted: deleted,
        posts_held: held,
        holds: held_by.iter().map(|h| parse_id(h)).collect(),
    })
}

/// Deletes the user's posts a hold does not cover, in small transactions.
fn erase_posts(ctx: &Ctx, uid: &str) -> Result<(u64, u64)> {
    let channels = ctx.store.read(|c| Ok(cstore::all_channels(c)?))?;
    let team_of = team_map(&channels);
    let (mut deleted, mut held) = (0u64, 0u64);
    let mut after: Option<String> = None;
    loop {
        let page = ctx
            .store
            .read(|c| Ok(cstore::posts_by_author(c, uid, after.as_deref(), PAGE)?))?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        let (d, h, files, shas) = ctx.store.write(|tx| {
            let holds = holds::active(tx.conn)?;
            let ids: Vec<String> = page.iter().map(|p| p.id.clone()).collect();
            let files = cstore::files_of(tx.conn, &ids)?;
            let mut gone = Vec::new();
            let mut kept = 0u64;
            for p in &page {
                if is_held(&holds, &convert::post(p, &team_of, &[])) {
                    kept += 1;
                } else {
                    gone.push(p.id.clone());
                }
            }
            let gone_files: Vec<(String, String)> = files
                .iter()
                .filter_map(|f| {
                    let p = f.post_id.clone()?;
                    gone.contains(&p).then(|| (p, f.id.clone()))
                })
                .collect();
            let shas: HashMap<String, String> = files
                .iter()
                .map(|f| (f.id.clone(), f.sha256.clone()))
                .collect();
            cstore::purge(tx.conn, &gone, &gone_files)?;
            Ok((gone, kept, gone_files, shas))
        })?;
        deleted += d.len() as u64;
        held += h;
        let sha_of: HashMap<&str, &str> =
            shas.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        super::purge::after_commit(ctx, &d, &files, &sha_of)?;
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    if let Some(search) = &ctx.search
        && let Err(e) = search.commit_purges()
    {
        tracing::warn!(error = %e, "erasing a user's posts: search index not committed");
    }
    Ok((deleted, held))
}
