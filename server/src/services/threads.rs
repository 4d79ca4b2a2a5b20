//! Per-user thread state: follow, unfollow, unread replies and mark read.

use hearth_api::{EventPayload, ThreadState};
use hearth_core::{Error, Id, Result, now_millis};
use hearth_store::models::{PostRow, ThreadMemberRow};
use hearth_store::{Audience, Change, DbConn, parse_id, threads};

use crate::auth::Auth;
use crate::services::{channels, posts};
use crate::state::Ctx;

pub fn state(c: &mut DbConn, root: &PostRow, m: &ThreadMemberRow) -> Result<ThreadState> {
    Ok(ThreadState {
        root_id: parse_id(&root.id),
        channel_id: parse_id(&root.channel_id),
        following: m.following,
        reply_count: root.reply_count,
        unread_replies: hearth_store::posts::replies_since(
            c,
            &root.id,
            m.last_viewed_at,
            &m.user_id,
        )?,
        last_reply_at: root.last_reply_at,
        last_viewed_at: m.last_viewed_at,
    })
}

fn root_for(c: &mut DbConn, auth: &Auth, id: Id) -> Result<PostRow> {
    let row = posts::load(c, id)?;
    channels::readable(c, auth, parse_id(&row.channel_id)).map_err(|_| Error::NotFound("post"))?;
    match &row.root_id {
        Some(r) => hearth_store::posts::by_id(c, r)?.ok_or(Error::NotFound("post")),
        None => Ok(row),
    }
}

fn update(
    ctx: &Ctx,
    auth: &Auth,
    id: Id,
    f: impl FnOnce(&mut ThreadMemberRow),
) -> Result<ThreadState> {
    ctx.store.write(|tx| {
        let root = root_for(tx.conn, auth, id)?;
        let mut m = threads::get(tx.conn, &root.id, &auth.user.id)?.unwrap_or(ThreadMemberRow {
            root_id: root.id.clone(),
            user_id: auth.user.id.clone(),
            following: false,
            participated_at: None,
            last_viewed_at: root.created_at,
        });
        f(&mut m);
        threads::upsert(tx.conn, &m)?;
        let s = state(tx.conn, &root, &m)?;
        tx.log(Change::new(
            EventPayload::ThreadUpdated(s.clone()),
            Audience::User(auth.user_id()),
        ))?;
        Ok(s)
    })
}

pub fn follow(ctx: &Ctx, auth: &Auth, id: Id, following: bool) -> Result<ThreadState> {
    update(ctx, auth, id, |m| m.following = following)
}

pub fn view(ctx: &Ctx, auth: &Auth, id: Id) -> Result<ThreadState> {
    let now = now_millis();
    update(ctx, auth, id, |m| m.last_viewed_at = now)
}

/// Followed threads in channels the caller can still read, newest activity first.
pub fn mine(ctx: &Ctx, auth: &Auth) -> Result<Vec<ThreadState>> {
    ctx.store.read(|c| {
        let mut out = Vec::new();
        for m in threads::followed_by(c, &auth.user.id)? {
            let Some(root) = hearth_store::posts::by_id(c, &m.root_id)? else {
                continue;
            };
            if !channels::can_read(c, auth, parse_id(&root.channel_id))? {
                continue;
            }
            out.push(state(c, &root, &m)?);
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.last_reply_at));
        Ok(out)
    })
}
