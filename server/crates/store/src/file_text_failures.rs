//! Attachments whose text could not be extracted (a parse error, a bound
//! crossed, a crashed or timed-out extractor). Recorded once, they are
//! indexed by name only and never extracted again: a hostile file costs one
//! attempt, not one per restart or rebuild.

use std::collections::HashSet;

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::file_text_failures;

/// Records (or re-records) a failure; call inside a write transaction.
pub fn record(conn: &mut DbConn, file_id: &str, reason: &str, at: i64) -> StoreResult<()> {
    diesel::delete(file_text_failures::table.find(file_id)).execute(conn)?;
    diesel::insert_into(file_text_failures::table)
        .values((
            file_text_failures::file_id.eq(file_id),
            file_text_failures::reason.eq(reason),
            file_text_failures::failed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Which of `ids` have a recorded failure.
pub fn among(conn: &mut DbConn, ids: &[String]) -> StoreResult<HashSet<String>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(file_text_failures::table
        .filter(file_text_failures::file_id.eq_any(ids))
        .select(file_text_failures::file_id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// The failure recorded for one file: its reason and time.
pub fn get(conn: &mut DbConn, file_id: &str) -> StoreResult<Option<(String, i64)>> {
    Ok(file_text_failures::table
        .find(file_id)
        .select((file_text_failures::reason, file_text_failures::failed_at))
        .first(conn)
        .optional()?)
}
