//! Sign-in state: external account links, second factors, recovery codes,
//! login failure counters, pending sign-in steps and SSO sessions.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::kinds::{ChallengeKind, SignInSource};
use crate::models::{AuthChallengeRow, LoginFailureRow, UserAuthRow, UserRow};
use crate::schema::{auth_challenges, login_failures, mfa_recovery_codes, session_sso, user_auth};

pub fn auth_of(conn: &mut DbConn, user_id: &str) -> StoreResult<Option<UserAuthRow>> {
    Ok(user_auth::table
        .find(user_id)
        .select(UserAuthRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts or replaces an account's row.
pub fn save_auth(conn: &mut DbConn, row: &UserAuthRow) -> StoreResult<()> {
    let n = diesel::update(user_auth::table.find(&row.user_id))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(user_auth::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// The account linked to an external identity (`provider` is empty for LDAP).
pub fn by_external(
    conn: &mut DbConn,
    source: SignInSource,
    provider: &str,
    external_id: &str,
) -> StoreResult<Option<UserAuthRow>> {
    Ok(user_auth::table
        .filter(user_auth::source.eq(source))
        .filter(user_auth::provider.eq(provider))
        .filter(user_auth::external_id.eq(external_id))
        .select(UserAuthRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every account of a source (LDAP sync reads them all).
pub fn all_of_source(conn: &mut DbConn, source: SignInSource) -> StoreResult<Vec<UserAuthRow>> {
    Ok(user_auth::table
        .filter(user_auth::source.eq(source))
        .select(UserAuthRow::as_select())
        .load(conn)?)
}

/// Every sign-in row holding a TOTP secret (to seal old plain ones).
pub fn with_mfa_secret(conn: &mut DbConn) -> StoreResult<Vec<UserAuthRow>> {
    Ok(user_auth::table
        .filter(user_auth::mfa_secret.is_not_null())
        .select(UserAuthRow::as_select())
        .load(conn)?)
}

pub fn replace_recovery_codes(
    conn: &mut DbConn,
    user_id: &str,
    hashes: &[String],
    now: i64,
) -> StoreResult<()> {
    diesel::delete(mfa_recovery_codes::table.filter(mfa_recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    for h in hashes {
        diesel::insert_into(mfa_recovery_codes::table)
            .values((
                mfa_recovery_codes::user_id.eq(user_id),
                mfa_recovery_codes::code_hash.eq(h),
                mfa_recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn recovery_codes(conn: &mut DbConn, user_id: &str) -> StoreResult<Vec<String>> {
    Ok(mfa_recovery_codes::table
        .filter(mfa_recovery_codes::user_id.eq(user_id))
        .select(mfa_recovery_codes::code_hash)
        .load(conn)?)
}

/// Deletes one unused code; false when it was already used.
pub fn use_recovery_code(conn: &mut DbConn, user_id: &str, hash: &str) -> StoreResult<bool> {
    let n = diesel::delete(
        mfa_recovery_codes::table
            .filter(mfa_recovery_codes::user_id.eq(user_id))
            .filter(mfa_recovery_codes::code_hash.eq(hash)),
    )
    .execute(conn)?;
    Ok(n > 0)
}

pub fn failures(conn: &mut DbConn, login_hash: &str) -> StoreResult<Option<LoginFailureRow>> {
    Ok(login_failures::table
        .find(login_hash)
        .select(LoginFailureRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn save_failures(conn: &mut DbConn, row: &LoginFailureRow) -> StoreResult<()> {
    let n = diesel::update(login_failures::table.find(&row.login_hash))
        .set(row)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(login_failures::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear_failures(conn: &mut DbConn, login_hash: &str) -> StoreResult<()> {
    diesel::delete(login_failures::table.find(login_hash)).execute(conn)?;
    Ok(())
}

pub fn insert_challenge(conn: &mut DbConn, row: &AuthChallengeRow) -> StoreResult<()> {
    diesel::insert_into(auth_challenges::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Removes and returns a challenge: each is usable once, expired or not.
pub fn take_challenge(
    conn: &mut DbConn,
    id_hash: &str,
    kind: ChallengeKind,
) -> StoreResult<Option<AuthChallengeRow>> {
    let row = auth_challenges::table
        .find(id_hash)
        .filter(auth_challenges::kind.eq(kind))
        .select(AuthChallengeRow::as_select())
        .first(conn)
        .optional()?;
    if row.is_some() {
        diesel::delete(auth_challenges::table.find(id_hash)).execute(conn)?;
    }
    Ok(row)
}

pub fn challenge(
    conn: &mut DbConn,
    id_hash: &str,
    kind: ChallengeKind,
) -> StoreResult<Option<AuthChallengeRow>> {
    Ok(auth_challenges::table
        .find(id_hash)
        .filter(auth_challenges::kind.eq(kind))
        .select(AuthChallengeRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_challenge_data(conn: &mut DbConn, id_hash: &str, data: &str) -> StoreResult<()> {
    diesel::update(auth_challenges::table.find(id_hash))
        .set(auth_challenges::data.eq(data))
        .execute(conn)?;
    Ok(())
}

/// Drops expired challenges (called when new ones are made, so the table stays small).
pub fn purge_challenges(conn: &mut DbConn, now: i64) -> StoreResult<()> {
    diesel::delete(auth_challenges::table.filter(auth_challenges::expires_at.lt(now)))
        .execute(conn)?;
    Ok(())
}

pub fn set_session_sso(
    conn: &mut DbConn,
    session_id: &str,
    provider: &str,
    id_token: &str,
) -> StoreResult<()> {
    diesel::insert_into(session_sso::table)
        .values((
            session_sso::session_id.eq(session_id),
            session_sso::provider.eq(provider),
            session_sso::id_token.eq(id_token),
        ))
        .execute(conn)?;
    Ok(())
}

/// The provider and ID token a session was opened with, if it came from SSO.
pub fn session_sso(conn: &mut DbConn, session_id: &str) -> StoreResult<Option<(String, String)>> {
    Ok(session_sso::table
        .find(session_id)
        .select((session_sso::provider, session_sso::id_token))
        .first(conn)
        .optional()?)
}

/// Every account with its sign-in row (directory sync compares them all).
pub fn all_accounts(conn: &mut DbConn) -> StoreResult<Vec<(UserRow, Option<UserAuthRow>)>> {
    use crate::schema::users;
    let users: Vec<UserRow> = users::table
        .filter(users::is_bot.eq(false))
        .select(UserRow::as_select())
        .load(conn)?;
    let mut auth: std::collections::HashMap<String, UserAuthRow> = user_auth::table
        .select(UserAuthRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|a| (a.user_id.clone(), a))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| {
            let a = auth.remove(&u.id);
            (u, a)
        })
        .collect())
}
