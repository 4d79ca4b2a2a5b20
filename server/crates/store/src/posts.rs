//! Posts, their edit history, reactions and saved flags.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::{PostHistoryRow, PostRow, ReactionRow};
use crate::schema::{post_history, posts, reactions, saved_posts};

/// Inserts a post, stamping when it entered Hearth (see `posts.inserted_at`)
/// whatever time it claims, so imported history reaches incremental exports.
pub fn insert(conn: &mut DbConn, row: &PostRow) -> StoreResult<()> {
    diesel::insert_into(posts::table)
        .values((row, posts::inserted_at.eq(hearth_core::now_millis())))
        .execute(conn)?;
    Ok(())
}

/// Inserts a post unless one with the same author and idempotency key
/// exists; false when it did. A concurrent retry on PostgreSQL waits for the
/// first to commit and then finds its post: the failed insert is undone to
/// a savepoint, leaving the caller's transaction usable. Stamped like
/// [`insert`].
pub fn insert_unless_retried(conn: &mut DbConn, row: &PostRow) -> StoreResult<bool> {
    let res = conn.transaction::<_, diesel::result::Error, _>(|c| {
        diesel::insert_into(posts::table)
            .values((row, posts::inserted_at.eq(hearth_core::now_millis())))
            .execute(c)
    });
    match res {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) if row.idempotency_key.is_some() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

pub fn save(conn: &mut DbConn, row: &PostRow) -> StoreResult<()> {
    diesel::update(posts::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> StoreResult<Option<PostRow>> {
    Ok(posts::table
        .find(id)
        .select(PostRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[String]) -> StoreResult<Vec<PostRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(posts::table
        .filter(posts::id.eq_any(ids))
        .order(posts::id.asc())
        .select(PostRow::as_select())
        .load(conn)?)
}

pub fn by_idempotency(conn: &mut DbConn, user_id: &str, key: &str) -> StoreResult<Option<PostRow>> {
    Ok(posts::table
        .filter(posts::user_id.eq(user_id))
        .filter(posts::idempotency_key.eq(key))
        .select(PostRow::as_select())
        .first(conn)
        .optional()?)
}

/// Where a page of posts starts.
#[derive(Debug, Clone, Copy)]
pub enum Cursor<'a> {
    Latest,
    Before(&'a str),
    After(&'a str),
    Around(&'a str),
}

/// A page of a channel's posts, oldest first, with flags for more on either side.
/// Ids are UUIDv7, so ordering by id is ordering by creation. `roots_only`
/// leaves thread replies out.
pub fn page(
    conn: &mut DbConn,
    channel_id: &str,
    cursor: Cursor,
    limit: i64,
    roots_only: bool,
) -> StoreResult<(Vec<PostRow>, bool, bool)> {
    let base = || {
        let q = posts::table
            .filter(posts::channel_id.eq(channel_id.to_string()))
            .select(PostRow::as_select())
            .into_boxed();
        if roots_only {
            q.filter(posts::root_id.is_null())
        } else {
            q
        }
    };
    let older = |conn: &mut DbConn,
                 below: Option<&str>,
                 inclusive: bool,
                 n: i64|
     -> StoreResult<(Vec<PostRow>, bool)> {
        let mut q = base();
        if let Some(b) = below {
            q = if inclusive {
                q.filter(posts::id.le(b.to_string()))
            } else {
                q.filter(posts::id.lt(b.to_string()))
            };
        }
        let mut rows: Vec<PostRow> = q.order(posts::id.desc()).limit(n + 1).load(conn)?;
        let more = rows.len() as i64 > n;
        rows.truncate(n as usize);
        rows.reverse();
        Ok((rows, more))
    };
    let newer = |conn: &mut DbConn, above: &str, n: i64| -> StoreResult<(Vec<PostRow>, bool)> {
        let mut rows: Vec<PostRow> = base()
            .filter(posts::id.gt(above.to_string()))
            .order(posts::id.asc())
            .limit(n + 1)
            .load(conn)?;
        let more = rows.len() as i64 > n;
        rows.truncate(n as usize);
        Ok((rows, more))
    };
    Ok(match cursor {
        Cursor::Latest => {
            let (rows, more) = older(conn, None, false, limit)?;
            (rows, more, false)
        }
        Cursor::Before(id) => {
            let (rows, more) = older(conn, Some(id), false, limit)?;
            (rows, more, true)
        }
        Cursor::After(id) => {
            let (rows, more) = newer(conn, id, limit)?;
            (rows, true, more)
        }
        Cursor::Around(id) => {
            let half = (limit / 2).max(1);
            let (mut rows, more_before) = older(conn, Some(id), true, half)?;
            let (after, more_after) = newer(conn, id, half)?;
            rows.extend(after);
            (rows, more_before, more_after)
        }
    })
}

/// Every post in id order, `limit` at a time after `after` (full scans such as
/// rebuilding the search index).
pub fn scan(conn: &mut DbConn, after: Option<&str>, limit: i64) -> StoreResult<Vec<PostRow>> {
    let mut q = posts::table.select(PostRow::as_select()).into_boxed();
    if let Some(a) = after {
        q = q.filter(posts::id.gt(a.to_string()));
    }
    Ok(q.order(posts::id.asc()).limit(limit).load(conn)?)
}

/// A thread: the root, then its replies oldest first.
pub fn thread(conn: &mut DbConn, root_id: &str) -> StoreResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::id.eq(root_id).or(posts::root_id.eq(root_id)))
        .order(posts::id.asc())
        .select(PostRow::as_select())
        .load(conn)?)
}

pub fn pinned(conn: &mut DbConn, channel_id: &str) -> StoreResult<Vec<PostRow>> {
    Ok(posts::table
        .filter(posts::channel_id.eq(channel_id))
        .filter(posts::is_pinned.eq(true))
        .filter(posts::deleted_at.is_null())
        .order(posts::id.asc())
        .select(PostRow::as_select())
        .load(conn)?)
}

/// Replies in a thread after `since` by others than `user_id`.
pub fn replies_since(
    conn: &mut DbConn,
    root_id: &str,
    since: i64,
    user_id: &str,
) -> StoreResult<i64> {
    Ok(posts::table
        .filter(posts::root_id.eq(root_id))
        .filter(posts::created_at.gt(since))
        .filter(posts::user_id.ne(user_id))
        .filter(posts::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

pub fn insert_history(conn: &mut DbConn, row: &PostHistoryRow) -> StoreResult<()> {
    diesel::insert_into(post_history::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn history(conn: &mut DbConn, post_id: &str) -> StoreResult<Vec<PostHistoryRow>> {
    Ok(post_history::table
        .filter(post_history::post_id.eq(post_id))
        .order(post_history::id.asc())
        .select(PostHistoryRow::as_select())
        .load(conn)?)
}

pub fn reactions_for(conn: &mut DbConn, post_ids: &[String]) -> StoreResult<Vec<ReactionRow>> {
    if post_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(reactions::table
        .filter(reactions::post_id.eq_any(post_ids))
        .order(reactions::created_at.asc())
        .select(ReactionRow::as_select())
        .load(conn)?)
}

/// Adds a reaction; false if the user had already reacted with that emoji.
pub fn add_reaction(conn: &mut DbConn, row: &ReactionRow) -> StoreResult<bool> {
    let exists = reactions::table
        .find((&row.post_id, &row.user_id, &row.emoji_name))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if exists {
        return Ok(false);
    }
    // Stamped with its arrival like a post (see `insert`), whatever time
    // an import claims, so it reaches incremental exports.
    diesel::insert_into(reactions::table)
        .values((row, reactions::inserted_at.eq(hearth_core::now_millis())))
        .execute(conn)?;
    Ok(true)
}

pub fn remove_reaction(
    conn: &mut DbConn,
    post_id: &str,
    user_id: &str,
    emoji: &str,
) -> StoreResult<bool> {
    Ok(diesel::delete(reactions::table.find((post_id, user_id, emoji))).execute(conn)? > 0)
}

pub fn save_for_user(conn: &mut DbConn, user_id: &str, post_id: &str, at: i64) -> StoreResult<()> {
    let exists = saved_posts::table
        .find((user_id, post_id))
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(saved_posts::table)
            .values((
                saved_posts::user_id.eq(user_id),
                saved_posts::post_id.eq(post_id),
                saved_posts::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn unsave_for_user(conn: &mut DbConn, user_id: &str, post_id: &str) -> StoreResult<()> {
    diesel::delete(saved_posts::table.find((user_id, post_id))).execute(conn)?;
    Ok(())
}

pub fn saved_by(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<PostRow>> {
    Ok(posts::table
        .inner_join(saved_posts::table.on(saved_posts::post_id.eq(posts::id)))
        .filter(saved_posts::user_id.eq(user_id))
        .filter(posts::deleted_at.is_null())
        .order(saved_posts::created_at.desc())
        .select(PostRow::as_select())
        .load(conn)?)
}
