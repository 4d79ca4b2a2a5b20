//! Per-user thread state: following, participation and last view.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::ThreadMemberRow;
use crate::schema::thread_members;

pub fn get(
    conn: &mut DbConn,
    root_id: &str,
    user_id: &str,
) -> StoreResult<Option<ThreadMemberRow>> {
    Ok(thread_members::table
        .find((root_id, user_id))
        .select(ThreadMemberRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn upsert(conn: &mut DbConn, row: &ThreadMemberRow) -> StoreResult<()> {
    let n = diesel::update(thread_members::table.find((&row.root_id, &row.user_id)))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(thread_members::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn followers(conn: &mut DbConn, root_id: &str) -> StoreResult<Vec<ThreadMemberRow>> {
    Ok(thread_members::table
        .filter(thread_members::root_id.eq(root_id))
        .filter(thread_members::following.eq(true))
        .select(ThreadMemberRow::as_select())
        .load(conn)?)
}

/// Participants of the given threads, in order of first reply.
pub fn participants(conn: &mut DbConn, root_ids: &[String]) -> StoreResult<Vec<(String, String)>> {
    if root_ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(thread_members::table
        .filter(thread_members::root_id.eq_any(root_ids))
        .filter(thread_members::participated_at.is_not_null())
        .order(thread_members::participated_at.asc())
        .select((thread_members::root_id, thread_members::user_id))
        .load(conn)?)
}

pub fn followed_by(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<ThreadMemberRow>> {
    Ok(thread_members::table
        .filter(thread_members::user_id.eq(user_id))
        .filter(thread_members::following.eq(true))
        .select(ThreadMemberRow::as_select())
        .load(conn)?)
}
