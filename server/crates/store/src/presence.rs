//! Presence a user chose (do not disturb, invisible), so it survives restarts.

use diesel::prelude::*;
use hearth_api::Presence;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::user_presence;

/// Records `manual` (do not disturb, invisible) for the user, or forgets
/// their choice.
pub fn set(conn: &mut DbConn, user_id: &str, manual: Option<Presence>, at: i64) -> StoreResult<()> {
    diesel::delete(user_presence::table.find(user_id)).execute(conn)?;
    if let Some(m) = manual {
        diesel::insert_into(user_presence::table)
            .values((
                user_presence::user_id.eq(user_id),
                user_presence::manual.eq(m),
                user_presence::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every stored choice, as (user id, presence).
pub fn all(conn: &mut DbConn) -> StoreResult<Vec<(String, Presence)>> {
    Ok(user_presence::table
        .select((user_presence::user_id, user_presence::manual))
        .load(conn)?)
}
