//! Accounts.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::UserRow;
use crate::schema::users;

pub fn insert(conn: &mut DbConn, row: &UserRow) -> StoreResult<()> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConn, row: &UserRow) -> StoreResult<()> {
    diesel::update(users::table.find(&row.id))
        .set(row)
        .execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Looks up by username or e-mail (both stored lowercase).
pub fn by_login(conn: &mut DbConn, login: &str) -> StoreResult<Option<UserRow>> {
    let l = login.trim().to_lowercase();
    Ok(users::table
        .filter(users::username.eq(&l).or(users::email.eq(&l)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_username(conn: &mut DbConn, name: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::username.eq(name.to_lowercase()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_email(conn: &mut DbConn, email: &str) -> StoreResult<Option<UserRow>> {
    Ok(users::table
        .filter(users::email.eq(email.to_lowercase()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[String]) -> StoreResult<Vec<UserRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn by_usernames(conn: &mut DbConn, names: &[String]) -> StoreResult<Vec<UserRow>> {
    if names.is_empty() {
        return Ok(vec![]);
    }
    Ok(users::table
        .filter(users::username.eq_any(names))
        .select(UserRow::as_select())
        .load(conn)?)
}

/// Active and inactive users whose username, display name or e-mail contains `q`.
pub fn search(conn: &mut DbConn, q: &str, offset: i64, limit: i64) -> StoreResult<Vec<UserRow>> {
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    let q = q.trim().to_lowercase();
    if !q.is_empty() {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        query = query.filter(
            users::username
                .like(pattern.clone())
                .escape('\\')
                .or(users::display_name.like(pattern.clone()).escape('\\'))
                .or(users::email.like(pattern).escape('\\')),
        );
    }
    Ok(query
        .order(users::username.asc())
        .offset(offset)
        .limit(limit)
        .load(conn)?)
}

pub fn count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}
