//! Counts for the administrator's dashboard. Each is one aggregate query, so
//! the dashboard stays cheap on large databases.

use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::{channels, posts, sessions, teams, users};

const DAY_MS: i64 = 86_400_000;

/// Accounts: (total, active, bots).
pub fn user_counts(conn: &mut DbConn) -> StoreResult<(i64, i64, i64)> {
    let total = users::table.select(count_star()).first(conn)?;
    let active = users::table
        .filter(users::is_active.eq(true))
        .select(count_star())
        .first(conn)?;
    let bots = users::table
        .filter(users::is_bot.eq(true))
        .select(count_star())
        .first(conn)?;
    Ok((total, active, bots))
}

/// Sessions of `kind` neither revoked nor expired at `now`.
pub fn live_sessions(
    conn: &mut DbConn,
    kind: hearth_api::SessionKind,
    now: i64,
) -> StoreResult<i64> {
    Ok(sessions::table
        .filter(sessions::kind.eq(kind))
        .filter(sessions::revoked_at.is_null())
        .filter(
            sessions::expires_at
                .is_null()
                .or(sessions::expires_at.gt(now)),
        )
        .select(count_star())
        .first(conn)?)
}

pub fn team_count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(teams::table.select(count_star()).first(conn)?)
}

pub fn channel_count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(channels::table.select(count_star()).first(conn)?)
}

/// Posts not deleted.
pub fn post_count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(posts::table
        .filter(posts::deleted_at.is_null())
        .select(count_star())
        .first(conn)?)
}

#[derive(QueryableByName)]
struct DayRow {
    #[diesel(sql_type = BigInt)]
    day: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Posts not deleted created at or after `since`, grouped by UTC day:
/// (days since the epoch, count), in no particular order. Raw SQL because
/// diesel cannot group by an expression; both backends divide integers the
/// same way.
pub fn posts_per_day(conn: &mut DbConn, since: i64) -> StoreResult<Vec<(i64, i64)>> {
    let sql = format!(
        "SELECT created_at / {DAY_MS} AS day, COUNT(*) AS n FROM posts \
         WHERE deleted_at IS NULL AND created_at >= {since} GROUP BY created_at / {DAY_MS}"
    );
    let rows: Vec<DayRow> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c)?,
        DbConn::Pg(c) => diesel::sql_query(sql).load(c)?,
    };
    Ok(rows.into_iter().map(|r| (r.day, r.n)).collect())
}

#[derive(QueryableByName)]
struct Size {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// The database's size on disk in bytes.
pub fn database_size(conn: &mut DbConn) -> StoreResult<i64> {
    let size: Size = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()",
        )
        .get_result(c)?,
        DbConn::Pg(c) => diesel::sql_query("SELECT pg_database_size(current_database()) AS bytes")
            .get_result(c)?,
    };
    Ok(size.bytes)
}
