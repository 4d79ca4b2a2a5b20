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

diesel::define_sql_function! {
    /// SQL `lower()`, so matching ignores case on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// What a directory search may look at.
pub struct SearchScope<'a> {
    /// Match e-mail addresses too (only for admins, who can see them).
    pub match_email: bool,
    /// Only users who share a channel with this user (guests' view).
    pub sharing_channels_with: Option<&'a str>,
    /// Only users with this role.
    pub role: Option<hearth_api::Role>,
    /// Only active (`true`) or deactivated (`false`) accounts.
    pub active: Option<bool>,
}

/// Users whose username or display name (or e-mail, when allowed) contains
/// `q`, ignoring case; the scope is applied before paging.
pub fn search(
    conn: &mut DbConn,
    q: &str,
    scope: SearchScope,
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<UserRow>> {
    use crate::schema::channel_members;
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    let q = q.trim().to_lowercase();
    if !q.is_empty() {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let by_name =
            users::username
                .like(pattern.clone())
                .escape('\\')
                .or(lower(users::display_name)
                    .like(pattern.clone())
                    .escape('\\'));
        query = if scope.match_email {
            query.filter(by_name.or(users::email.like(pattern).escape('\\')))
        } else {
            query.filter(by_name)
        };
    }
    if let Some(me) = scope.sharing_channels_with {
        let my_channels: Vec<String> = channel_members::table
            .filter(channel_members::user_id.eq(me.to_string()))
            .select(channel_members::channel_id)
            .load(conn)?;
        let co_members = channel_members::table
            .filter(channel_members::channel_id.eq_any(my_channels))
            .select(channel_members::user_id);
        query = query.filter(users::id.eq_any(co_members));
    }
    if let Some(role) = scope.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(active) = scope.active {
        query = query.filter(users::is_active.eq(active));
    }
    Ok(query
        .order(users::username.asc())
        .offset(offset)
        .limit(limit)
        .load(conn)?)
}

/// Whether two users share at least one channel.
pub fn share_a_channel(conn: &mut DbConn, a: &str, b: &str) -> StoreResult<bool> {
    use crate::schema::channel_members;
    let a_channels: Vec<String> = channel_members::table
        .filter(channel_members::user_id.eq(a.to_string()))
        .select(channel_members::channel_id)
        .load(conn)?;
    let n: i64 = channel_members::table
        .filter(channel_members::user_id.eq(b.to_string()))
        .filter(channel_members::channel_id.eq_any(a_channels))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The users who share at least one channel with `user_id` (themself
/// included when they are in any channel).
pub fn co_members(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<String>> {
    use crate::schema::channel_members;
    let mine: Vec<String> = channel_members::table
        .filter(channel_members::user_id.eq(user_id.to_string()))
        .select(channel_members::channel_id)
        .load(conn)?;
    Ok(channel_members::table
        .filter(channel_members::channel_id.eq_any(mine))
        .select(channel_members::user_id)
        .distinct()
        .load(conn)?)
}

/// The guests who may not see the account `user_id` under the guest
/// visibility rule: those who share no channel with it. Everyone else may.
pub fn guests_who_may_not_see(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<String>> {
    let guests: Vec<String> = users::table
        .filter(users::role.eq(hearth_api::Role::Guest))
        .filter(users::id.ne(user_id.to_string()))
        .select(users::id)
        .load(conn)?;
    if guests.is_empty() {
        return Ok(guests);
    }
    let known: std::collections::HashSet<String> = co_members(conn, user_id)?.into_iter().collect();
    Ok(guests.into_iter().filter(|g| !known.contains(g)).collect())
}

pub fn count(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}
