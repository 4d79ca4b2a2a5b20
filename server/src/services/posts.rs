//! Posts: create with mentions and threads, edit and delete with history,
//! reactions, pins and saved posts.

use std::collections::{HashMap, HashSet};

use hearth_api::{
    CreatePostRequest, EventPayload, Post, PostPage, PostVersion, PostsQuery, Reaction,
};
use hearth_core::permissions::{Action, Facts, require};
use hearth_core::{Error, Id, Result, mentions, new_id, now_millis, validate};
use hearth_store::kinds::PostChange;
use hearth_store::models::{ChannelRow, PostHistoryRow, PostRow, ReactionRow, ThreadMemberRow};
use hearth_store::posts::Cursor;
use hearth_store::{Audience, Change, DbConn, Tx, ids_json, parse_id, posts, threads};

use crate::auth::Auth;
use crate::services::{channels, threads as thread_svc};
use crate::state::Ctx;

const MAX_FILES_PER_POST: usize = 10;
const DEFAULT_PAGE: u32 = 60;
const MAX_PAGE: u32 = 200;

pub fn load(c: &mut DbConn, id: Id) -> Result<PostRow> {
    posts::by_id(c, &id.to_string())?.ok_or(Error::NotFound("post"))
}

/// Adds reactions and thread participants to post rows.
pub fn hydrate(c: &mut DbConn, rows: &[PostRow]) -> Result<Vec<Post>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut reactions: HashMap<String, Vec<Reaction>> = HashMap::new();
    for r in posts::reactions_for(c, &ids)? {
        reactions
            .entry(r.post_id.clone())
            .or_default()
            .push(r.to_api());
    }
    let roots: Vec<String> = rows
        .iter()
        .filter(|r| r.reply_count > 0)
        .map(|r| r.id.clone())
        .collect();
    let mut participants: HashMap<String, Vec<Id>> = HashMap::new();
    for (root, user) in threads::participants(c, &roots)? {
        participants.entry(root).or_default().push(parse_id(&user));
    }
    Ok(rows
        .iter()
        .map(|r| {
            let mut p = r.to_api();
            p.reactions = reactions.remove(&r.id).unwrap_or_default();
            p.participants = participants.remove(&r.id).unwrap_or_default();
            p
        })
        .collect())
}

fn one(c: &mut DbConn, row: &PostRow) -> Result<Post> {
    hydrate(c, std::slice::from_ref(row))?
        .pop()
        .ok_or(Error::NotFound("post"))
}

fn audience(ch: &ChannelRow) -> Audience {
    Audience::Channel {
        channel_id: parse_id(&ch.id),
        team_id: ch.team_id.as_deref().map(parse_id),
        also: None,
    }
}

/// Resolves `@user` to channel members and `~channel` to channels of the same team.
pub fn resolve_mentions(
    c: &mut DbConn,
    ch: &ChannelRow,
    text: &str,
) -> Result<(Vec<Id>, bool, Vec<Id>)> {
    let m = mentions::parse(text);
    let names: Vec<String> = m.usernames.into_iter().collect();
    let mut mentioned = Vec::new();
    // Most posts mention nobody: only look people up when a name was written.
    if !names.is_empty() {
        let users = hearth_store::users::by_usernames(c, &names)?;
        let members: HashSet<String> = hearth_store::channels::member_ids(c, &ch.id)?
            .into_iter()
            .collect();
        mentioned = users
            .iter()
            .filter(|u| members.contains(&u.id))
            .map(|u| parse_id(&u.id))
            .collect();
    }
    let links = match &ch.team_id {
        Some(t) if !m.channels.is_empty() => {
            let names: Vec<String> = m.channels.into_iter().collect();
            hearth_store::channels::by_names(c, t, &names)?
                .iter()
                .filter(|l| l.kind == hearth_api::ChannelKind::Public)
                .map(|l| parse_id(&l.id))
                .collect()
        }
        _ => vec![],
    };
    Ok((mentioned, m.channel_wide, links))
}

/// Creates a post; a retry with the same idempotency key returns the
/// original (`false` in the second field) and writes nothing.
pub fn create(ctx: &Ctx, auth: &Auth, req: CreatePostRequest) -> Result<(Post, bool)> {
    let message = validate::post_message(&req.message, !req.file_ids.is_empty())?;
    let key = req
        .idempotency_key
        .as_deref()
        .map(validate::idempotency_key)
        .transpose()?;
    if req.file_ids.len() > MAX_FILES_PER_POST {
        return Err(Error::invalid(format!(
            "a post can carry at most {MAX_FILES_PER_POST} files"
        )));
    }
    ctx.store.write(|tx| {
        if let Some(k) = &key
            && let Some(existing) = posts::by_idempotency(tx.conn, &auth.user.id, k)?
        {
            if existing.channel_id != req.channel_id.to_string() {
                return Err(Error::conflict(
                    "this idempotency key was already used for a post in another channel",
                ));
            }
            return Ok((one(tx.conn, &existing)?, false));
        }
        let (ch, f) = channels::readable(tx.conn, auth, req.channel_id)?;
        require(&auth.actor, Action::Post, &f)?;
        let root = match req.root_id {
            Some(r) => {
                let root = posts::by_id(tx.conn, &r.to_string())?
                    .filter(|p| p.channel_id == ch.id)
                    .ok_or_else(|| {
                        Error::invalid("root_id does not name a post in this channel")
                    })?;
                if root.deleted_at.is_some() {
                    return Err(Error::invalid("cannot reply to a deleted post"));
                }
                // A reply to a reply joins the same thread.
                match &root.root_id {
                    Some(rr) => Some(posts::by_id(tx.conn, rr)?.ok_or(Error::NotFound("post"))?),
                    None => Some(root),
                }
            }
            None => None,
        };
        let file_keys: Vec<String> = req.file_ids.iter().map(|i| i.to_string()).collect();
        let files = hearth_store::files::by_ids(tx.conn, &file_keys)?;
        if files.len() != file_keys.len()
            || files.iter().any(|f| {
                f.uploader_id != auth.user.id || f.channel_id != ch.id || f.post_id.is_some()
            })
        {
            return Err(Error::invalid(
                "file_ids must be your own unattached uploads to this channel",
            ));
        }
        let (mentioned, channel_wide, links) = resolve_mentions(tx.conn, &ch, &message)?;
        let now = now_millis();
        let id = new_id();
        let row = PostRow {
            id: id.to_string(),
            channel_id: ch.id.clone(),
            user_id: auth.user.id.clone(),
            root_id: root.as_ref().map(|r| r.id.clone()),
            message,
            file_ids: ids_json(&req.file_ids),
            mentions: ids_json(&mentioned),
            mentions_channel: channel_wide,
            channel_links: ids_json(&links),
            is_pinned: false,
            created_at: now,
            updated_at: now,
            edited_at: None,
            deleted_at: None,
            reply_count: 0,
            last_reply_at: None,
            idempotency_key: key.clone(),
        };
        if !posts::insert_unless_retried(tx.conn, &row)? {
            // A concurrent retry with the same key committed first.
            let existing = key
                .as_deref()
                .map(|k| posts::by_idempotency(tx.conn, &auth.user.id, k))
                .transpose()?
                .flatten()
                .ok_or_else(|| Error::internal("idempotent post vanished"))?;
            if existing.channel_id != ch.id {
                return Err(Error::conflict(
                    "this idempotency key was already used for a post in another channel",
                ));
            }
            return Ok((one(tx.conn, &existing)?, false));
        }
        hearth_store::files::attach(tx.conn, &file_keys, &row.id)?;
        hearth_store::channels::count_post(tx.conn, &ch.id, now, root.is_none())?;
        hearth_store::channels::mark_read_to_current(tx.conn, &ch.id, &auth.user.id, now)?;
        count_mentions(tx, &ch, auth.user_id(), &mentioned, channel_wide)?;
        // A new post has no reactions or participants yet.
        let post = row.to_api();
        tx.log(Change::new(
            EventPayload::Posted(post.clone()),
            audience(&ch),
        ))?;
        if let Some(root) = root {
            reply_added(tx, &ch, root, auth.user_id(), &mentioned, now)?;
        }
        Ok((post, true))
    })
}

fn count_mentions(
    tx: &mut Tx,
    ch: &ChannelRow,
    author: Id,
    mentioned: &[Id],
    channel_wide: bool,
) -> Result<()> {
    let mut targets: HashSet<String> = mentioned
        .iter()
        .filter(|u| **u != author)
        .map(|u| u.to_string())
        .collect();
    if channel_wide || ch.kind.is_dm() {
        for m in hearth_store::channels::members(tx.conn, &ch.id)? {
            if m.user_id != author.to_string() && (!m.muted || ch.kind.is_dm()) {
                targets.insert(m.user_id);
            }
        }
    }
    let targets: Vec<String> = targets.into_iter().collect();
    hearth_store::channels::add_mentions(tx.conn, &ch.id, &targets)?;
    Ok(())
}

/// Thread bookkeeping for a new reply: counters on the root, the author
/// participates and follows, mentioned users and the root author follow.
fn reply_added(
    tx: &mut Tx,
    ch: &ChannelRow,
    mut root: PostRow,
    author: Id,
    mentioned: &[Id],
    now: i64,
) -> Result<()> {
    root.reply_count += 1;
    root.last_reply_at = Some(now);
    root.updated_at = now;
    posts::save(tx.conn, &root)?;
    let mut follow: Vec<(Id, bool)> = vec![(author, true), (parse_id(&root.user_id), false)];
    follow.extend(mentioned.iter().map(|m| (*m, false)));
    for (user, participated) in follow {
        let uid = user.to_string();
        let existing = threads::get(tx.conn, &root.id, &uid)?;
        let row = match existing {
            Some(mut r) => {
                if participated {
                    r.following = true;
                    r.participated_at.get_or_insert(now);
                    r.last_viewed_at = now;
                }
                r
            }
            None => ThreadMemberRow {
                root_id: root.id.clone(),
                user_id: uid,
                following: true,
                participated_at: participated.then_some(now),
                last_viewed_at: if participated { now } else { root.created_at },
            },
        };
        threads::upsert(tx.conn, &row)?;
    }
    let post = one(tx.conn, &root)?;
    tx.log(Change::new(EventPayload::PostEdited(post), audience(ch)))?;
    for m in threads::followers(tx.conn, &root.id)? {
        // Followers who lost access to the channel hear nothing more of it.
        if !channels::user_can_read(tx.conn, ch, &m.user_id)? {
            continue;
        }
        let state = thread_svc::state(tx.conn, &root, &m)?;
        tx.log(Change::new(
            EventPayload::ThreadUpdated(state),
            Audience::User(parse_id(&m.user_id)),
        ))?;
    }
    Ok(())
}

pub fn get(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Post> {
    ctx.store.read(|c| {
        let row = load(c, id)?;
        channels::readable(c, auth, parse_id(&row.channel_id))
            .map_err(|_| Error::NotFound("post"))?;
        one(c, &row)
    })
}

pub fn page(ctx: &Ctx, auth: &Auth, channel_id: Id, q: PostsQuery) -> Result<PostPage> {
    let set = [q.before.is_some(), q.after.is_some(), q.around.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if set > 1 {
        return Err(Error::invalid(
            "use at most one of before, after and around",
        ));
    }
    let limit = i64::from(q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE));
    ctx.store.read(|c| {
        let (ch, _) = channels::readable(c, auth, channel_id)?;
        let keys = (
            q.before.map(|i| i.to_string()),
            q.after.map(|i| i.to_string()),
            q.around.map(|i| i.to_string()),
        );
        let cursor = match &keys {
            (Some(b), _, _) => Cursor::Before(b),
            (_, Some(a), _) => Cursor::After(a),
            (_, _, Some(r)) => Cursor::Around(r),
            _ => Cursor::Latest,
        };
        let (rows, has_more_before, has_more_after) =
            posts::page(c, &ch.id, cursor, limit, q.collapsed.unwrap_or(false))?;
        Ok(PostPage {
            posts: hydrate(c, &rows)?,
            has_more_before,
            has_more_after,
        })
    })
}

pub fn thread(ctx: &Ctx, auth: &Auth, id: Id) -> Result<PostPage> {
    ctx.store.read(|c| {
        let row = load(c, id)?;
        channels::readable(c, auth, parse_id(&row.channel_id))
            .map_err(|_| Error::NotFound("post"))?;
        let root_id = row.root_id.clone().unwrap_or(row.id.clone());
        let rows = posts::thread(c, &root_id)?;
        Ok(PostPage {
            posts: hydrate(c, &rows)?,
            has_more_before: false,
            has_more_after: false,
        })
    })
}

pub fn pinned(ctx: &Ctx, auth: &Auth, channel_id: Id) -> Result<Vec<Post>> {
    ctx.store.read(|c| {
        let (ch, _) = channels::readable(c, auth, channel_id)?;
        let rows = posts::pinned(c, &ch.id)?;
        hydrate(c, &rows)
    })
}

/// Loads a post for a change by the caller, checking `action` on its channel.
fn for_change(tx: &mut Tx, auth: &Auth, id: Id, action: Action) -> Result<(PostRow, ChannelRow)> {
    let row = load(tx.conn, id)?;
    let (ch, mut f) = channels::readable(tx.conn, auth, parse_id(&row.channel_id))
        .map_err(|_| Error::NotFound("post"))?;
    if row.deleted_at.is_some() {
        return Err(Error::NotFound("post"));
    }
    f.post_author = Some(parse_id(&row.user_id));
    require(&auth.actor, action, &f)?;
    Ok((row, ch))
}

fn keep_version(tx: &mut Tx, row: &PostRow, by: Id, at: i64, change: PostChange) -> Result<()> {
    posts::insert_history(
        tx.conn,
        &PostHistoryRow {
            id: new_id().to_string(),
            post_id: row.id.clone(),
            message: row.message.clone(),
            file_ids: row.file_ids.clone(),
            replaced_at: at,
            replaced_by: by.to_string(),
            change,
        },
    )?;
    Ok(())
}

pub fn edit(ctx: &Ctx, auth: &Auth, id: Id, message: &str) -> Result<Post> {
    ctx.store.write(|tx| {
        let (mut row, ch) = for_change(tx, auth, id, Action::EditPost)?;
        let has_files = row.file_ids != "[]";
        let message = validate::post_message(message, has_files)?;
        if message == row.message {
            return one(tx.conn, &row);
        }
        let now = now_millis();
        keep_version(tx, &row, auth.user_id(), now, PostChange::Edit)?;
        let (mentioned, channel_wide, links) = resolve_mentions(tx.conn, &ch, &message)?;
        row.message = message;
        row.mentions = ids_json(&mentioned);
        row.mentions_channel = channel_wide;
        row.channel_links = ids_json(&links);
        row.edited_at = Some(now);
        row.updated_at = now;
        posts::save(tx.conn, &row)?;
        let post = one(tx.conn, &row)?;
        tx.log(Change::new(
            EventPayload::PostEdited(post.clone()),
            audience(&ch),
        ))?;
        Ok(post)
    })
}

/// Soft delete: users see the post gone; its text stays in the history for compliance.
pub fn delete(ctx: &Ctx, auth: &Auth, id: Id) -> Result<()> {
    ctx.store.write(|tx| {
        let (mut row, ch) = for_change(tx, auth, id, Action::DeletePost)?;
        let now = now_millis();
        keep_version(tx, &row, auth.user_id(), now, PostChange::Delete)?;
        row.deleted_at = Some(now);
        row.updated_at = now;
        row.is_pinned = false;
        posts::save(tx.conn, &row)?;
        tx.log(Change::new(
            EventPayload::PostDeleted(row.to_api()),
            audience(&ch),
        ))?;
        if let Some(root_id) = &row.root_id
            && let Some(mut root) = posts::by_id(tx.conn, root_id)?
        {
            root.reply_count = (root.reply_count - 1).max(0);
            root.updated_at = now;
            posts::save(tx.conn, &root)?;
            let post = one(tx.conn, &root)?;
            tx.log(Change::new(EventPayload::PostEdited(post), audience(&ch)))?;
        }
        if auth.user.id != row.user_id {
            crate::services::audit::record(
                tx,
                Some(auth.user_id()),
                "post.delete",
                "post",
                Some(row.id.clone()),
                serde_json::json!({ "author": row.user_id }),
            )?;
        }
        Ok(())
    })
}

/// Earlier versions: visible to the author and system admins.
pub fn history(ctx: &Ctx, auth: &Auth, id: Id) -> Result<Vec<PostVersion>> {
    ctx.store.read(|c| {
        let row = load(c, id)?;
        channels::readable(c, auth, parse_id(&row.channel_id))
            .map_err(|_| Error::NotFound("post"))?;
        let facts = Facts {
            post_author: Some(parse_id(&row.user_id)),
            ..Facts::default()
        };
        require(&auth.actor, Action::ViewPostHistory, &facts)?;
        Ok(posts::history(c, &row.id)?
            .into_iter()
            .map(|h| PostVersion {
                message: h.message,
                file_ids: hearth_store::parse_ids_json(&h.file_ids),
                replaced_at: h.replaced_at,
                replaced_by: parse_id(&h.replaced_by),
            })
            .collect())
    })
}

pub fn react(ctx: &Ctx, auth: &Auth, id: Id, emoji: &str, add: bool) -> Result<Reaction> {
    let emoji = validate::emoji_name(emoji)?;
    ctx.store.write(|tx| {
        let (row, ch) = for_change(tx, auth, id, Action::Post)?;
        let r = ReactionRow {
            post_id: row.id.clone(),
            user_id: auth.user.id.clone(),
            emoji_name: emoji.clone(),
            created_at: now_millis(),
        };
        let changed = if add {
            posts::add_reaction(tx.conn, &r)?
        } else {
            posts::remove_reaction(tx.conn, &row.id, &auth.user.id, &emoji)?
        };
        if !add && !changed {
            return Err(Error::NotFound("reaction"));
        }
        if changed {
            let event = if add {
                EventPayload::ReactionAdded(r.to_api())
            } else {
                EventPayload::ReactionRemoved(r.to_api())
            };
            tx.log(Change::new(event, audience(&ch)))?;
        }
        Ok(r.to_api())
    })
}

pub fn pin(ctx: &Ctx, auth: &Auth, id: Id, pinned: bool) -> Result<Post> {
    ctx.store.write(|tx| {
        let (mut row, ch) = for_change(tx, auth, id, Action::Post)?;
        if row.is_pinned != pinned {
            row.is_pinned = pinned;
            row.updated_at = now_millis();
            posts::save(tx.conn, &row)?;
            let post = one(tx.conn, &row)?;
            tx.log(Change::new(EventPayload::PostEdited(post), audience(&ch)))?;
        }
        one(tx.conn, &row)
    })
}

pub fn save(ctx: &Ctx, auth: &Auth, id: Id, saved: bool) -> Result<()> {
    ctx.store.write(|tx| {
        let row = load(tx.conn, id)?;
        channels::readable(tx.conn, auth, parse_id(&row.channel_id))
            .map_err(|_| Error::NotFound("post"))?;
        if saved {
            posts::save_for_user(tx.conn, &auth.user.id, &row.id, now_millis())?;
        } else {
            posts::unsave_for_user(tx.conn, &auth.user.id, &row.id)?;
        }
        Ok(())
    })
}

/// Saved posts from channels the caller can still read.
pub fn saved(ctx: &Ctx, auth: &Auth) -> Result<Vec<Post>> {
    ctx.store.read(|c| {
        let rows = posts::saved_by(c, &auth.user.id)?;
        let mut readable = Vec::new();
        for r in rows {
            if channels::can_read(c, auth, parse_id(&r.channel_id))? {
                readable.push(r);
            }
        }
        hydrate(c, &readable)
    })
}
