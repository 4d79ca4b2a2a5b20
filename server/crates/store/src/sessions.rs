//! Login sessions and personal access tokens, stored by the SHA-256 of their secret.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::SessionRow;
use crate::schema::sessions;

pub fn insert(conn: &mut DbConn, row: &SessionRow) -> StoreResult<()> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn by_token_hash(conn: &mut DbConn, hash: &str) -> StoreResult<Option<SessionRow>> {
    Ok(sessions::table
        .filter(sessions::token_hash.eq(hash))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_id(conn: &mut DbConn, id: &str) -> StoreResult<Option<SessionRow>> {
    Ok(sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Live (not revoked, not expired) sessions or tokens of a user.
pub fn live_for_user(
    conn: &mut DbConn,
    user_id: &str,
    kind: hearth_api::SessionKind,
    now: i64,
) -> StoreResult<Vec<SessionRow>> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::kind.eq(kind))
        .filter(sessions::revoked_at.is_null())
        .filter(
            sessions::expires_at
                .is_null()
                .or(sessions::expires_at.gt(now)),
        )
        .order(sessions::created_at.desc())
        .select(SessionRow::as_select())
        .load(conn)?)
}

pub fn revoke(conn: &mut DbConn, id: &str, now: i64) -> StoreResult<bool> {
    let n = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)?;
    Ok(n > 0)
}

/// Revokes every live session and token of a user; returns the revoked ids.
pub fn revoke_all(conn: &mut DbConn, user_id: &str, now: i64) -> StoreResult<Vec<String>> {
    let ids: Vec<String> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .select(sessions::id)
        .load(conn)?;
    revoke_ids(conn, ids, now)
}

/// Revokes the sessions `ids` found by a caller's query; returns them.
fn revoke_ids(conn: &mut DbConn, ids: Vec<String>, now: i64) -> StoreResult<Vec<String>> {
    diesel::update(sessions::table.filter(sessions::id.eq_any(&ids)))
        .set(sessions::revoked_at.eq(now))
        .execute(conn)?;
    Ok(ids)
}

/// Marks a token as an integration token.
pub fn set_integration(conn: &mut DbConn, id: &str) -> StoreResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::integration.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Revokes a user's live access tokens that are not integration tokens;
/// returns the revoked ids.
pub fn revoke_personal_tokens(
    conn: &mut DbConn,
    user_id: &str,
    now: i64,
) -> StoreResult<Vec<String>> {
    let ids: Vec<String> = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::kind.eq(hearth_api::SessionKind::AccessToken))
        .filter(sessions::integration.eq(false))
        .filter(sessions::revoked_at.is_null())
        .select(sessions::id)
        .load(conn)?;
    revoke_ids(conn, ids, now)
}

pub fn touch(conn: &mut DbConn, id: &str, now: i64) -> StoreResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_active_at.eq(now))
        .execute(conn)?;
    Ok(())
}
