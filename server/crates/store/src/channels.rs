//! Channels, memberships and per-member read state.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::{ChannelMemberRow, ChannelRow};
use crate::schema::{channel_members, channels};

pub fn insert(conn: &mut DbConn, row: &ChannelRow) -> StoreResult<()> {
    diesel::insert_into(channels::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConn, row: &ChannelRow) -> StoreResult<()> {
    diesel::update(channels::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> StoreResult<Option<ChannelRow>> {
    Ok(channels::table
        .find(id)
        .select(ChannelRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[String]) -> StoreResult<Vec<ChannelRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(channels::table
        .filter(channels::id.eq_any(ids))
        .select(ChannelRow::as_select())
        .load(conn)?)
}

/// A team channel by name, or a direct/group channel by its member key when `team_id` is None.
pub fn by_name(
    conn: &mut DbConn,
    team_id: Option<&str>,
    name: &str,
) -> StoreResult<Option<ChannelRow>> {
    let q = channels::table
        .filter(channels::name.eq(name))
        .select(ChannelRow::as_select());
    Ok(match team_id {
        Some(t) => q.filter(channels::team_id.eq(t)).first(conn).optional()?,
        None => q
            .filter(channels::team_id.is_null())
            .first(conn)
            .optional()?,
    })
}

pub fn by_names(
    conn: &mut DbConn,
    team_id: &str,
    names: &[String],
) -> StoreResult<Vec<ChannelRow>> {
    if names.is_empty() {
        return Ok(vec![]);
    }
    Ok(channels::table
        .filter(channels::team_id.eq(team_id))
        .filter(channels::name.eq_any(names))
        .select(ChannelRow::as_select())
        .load(conn)?)
}

pub fn public_in_team(
    conn: &mut DbConn,
    team_id: &str,
    include_archived: bool,
) -> StoreResult<Vec<ChannelRow>> {
    let mut q = channels::table
        .filter(channels::team_id.eq(team_id))
        .filter(channels::kind.eq(hearth_api::ChannelKind::Public))
        .select(ChannelRow::as_select())
        .into_boxed();
    if !include_archived {
        q = q.filter(channels::archived_at.is_null());
    }
    Ok(q.order(channels::name.asc()).load(conn)?)
}

pub fn for_user(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<ChannelRow>> {
    Ok(channels::table
        .inner_join(channel_members::table.on(channel_members::channel_id.eq(channels::id)))
        .filter(channel_members::user_id.eq(user_id))
        .order(channels::name.asc())
        .select(ChannelRow::as_select())
        .load(conn)?)
}

/// Channels of one team the user is a member of.
pub fn for_user_in_team(
    conn: &mut DbConn,
    user_id: &str,
    team_id: &str,
) -> StoreResult<Vec<ChannelRow>> {
    Ok(channels::table
        .inner_join(channel_members::table.on(channel_members::channel_id.eq(channels::id)))
        .filter(channel_members::user_id.eq(user_id))
        .filter(channels::team_id.eq(team_id))
        .select(ChannelRow::as_select())
        .load(conn)?)
}

pub fn insert_member(conn: &mut DbConn, row: &ChannelMemberRow) -> StoreResult<()> {
    diesel::insert_into(channel_members::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn save_member(conn: &mut DbConn, row: &ChannelMemberRow) -> StoreResult<()> {
    diesel::update(channel_members::table.find((&row.channel_id, &row.user_id)))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn member(
    conn: &mut DbConn,
    channel_id: &str,
    user_id: &str,
) -> StoreResult<Option<ChannelMemberRow>> {
    Ok(channel_members::table
        .find((channel_id, user_id))
        .select(ChannelMemberRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn members(conn: &mut DbConn, channel_id: &str) -> StoreResult<Vec<ChannelMemberRow>> {
    Ok(channel_members::table
        .filter(channel_members::channel_id.eq(channel_id))
        .order(channel_members::created_at.asc())
        .select(ChannelMemberRow::as_select())
        .load(conn)?)
}

pub fn member_ids(conn: &mut DbConn, channel_id: &str) -> StoreResult<Vec<String>> {
    Ok(channel_members::table
        .filter(channel_members::channel_id.eq(channel_id))
        .select(channel_members::user_id)
        .load(conn)?)
}

pub fn memberships_of(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<ChannelMemberRow>> {
    Ok(channel_members::table
        .filter(channel_members::user_id.eq(user_id))
        .select(ChannelMemberRow::as_select())
        .load(conn)?)
}

pub fn delete_member(conn: &mut DbConn, channel_id: &str, user_id: &str) -> StoreResult<bool> {
    Ok(diesel::delete(channel_members::table.find((channel_id, user_id))).execute(conn)? > 0)
}

/// Counts a new post: bumps the channel's last post time and, for a post
/// that starts a thread (`root`), its total. Replies are counted on their
/// thread, not in the channel's unread count (as with collapsed threads).
pub fn count_post(conn: &mut DbConn, channel_id: &str, at: i64, root: bool) -> StoreResult<()> {
    let step = i64::from(root);
    diesel::update(channels::table.find(channel_id))
        .set((
            channels::total_msg_count.eq(channels::total_msg_count + step),
            channels::last_post_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Adds one mention to each of the given members' counters.
pub fn add_mentions(conn: &mut DbConn, channel_id: &str, user_ids: &[String]) -> StoreResult<()> {
    if user_ids.is_empty() {
        return Ok(());
    }
    diesel::update(
        channel_members::table
            .filter(channel_members::channel_id.eq(channel_id))
            .filter(channel_members::user_id.eq_any(user_ids)),
    )
    .set(channel_members::mention_count.eq(channel_members::mention_count + 1))
    .execute(conn)?;
    Ok(())
}

/// The author has read up to their own post: keep their counters current.
pub fn mark_read(
    conn: &mut DbConn,
    channel_id: &str,
    user_id: &str,
    total: i64,
    at: i64,
) -> StoreResult<()> {
    diesel::update(channel_members::table.find((channel_id, user_id)))
        .set((
            channel_members::msg_count.eq(total),
            channel_members::mention_count.eq(0),
            channel_members::last_viewed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The author has read up to their own post: their read count becomes the
/// channel's total as it is now, read in the same statement as it is
/// written. After [`count_post`] in the same transaction that is the total
/// including this post, whatever other posters committed meanwhile (the row
/// lock of the increment is held until commit).
pub fn mark_read_to_current(
    conn: &mut DbConn,
    channel_id: &str,
    user_id: &str,
    at: i64,
) -> StoreResult<()> {
    let total = channels::table
        .find(channel_id.to_string())
        .select(channels::total_msg_count)
        .single_value()
        .assume_not_null();
    diesel::update(channel_members::table.find((channel_id, user_id)))
        .set((
            channel_members::msg_count.eq(total),
            channel_members::mention_count.eq(0),
            channel_members::last_viewed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
