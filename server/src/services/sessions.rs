//! Login sessions and personal access tokens.

use hearth_api::{CreatedToken, EventKind, Session};
use hearth_core::permissions::AccountAction;
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::models::SessionRow;
use hearth_store::{Audience, Change, Tx, sessions};

use crate::auth::{Auth, new_secret, token_hash};
use crate::services::accounts::check_account_action;
use crate::services::audit;
use crate::state::Ctx;

pub const KIND_SESSION: &str = "session";
pub const KIND_TOKEN: &str = "token";

/// Creates a session or token row; returns the row and the plain secret.
pub fn create(
    tx: &mut Tx,
    user_id: &str,
    kind: &str,
    name: &str,
    expires_at: Option<i64>,
) -> Result<(SessionRow, String)> {
    let secret = new_secret();
    let now = now_millis();
    let row = SessionRow {
        id: new_id().to_string(),
        user_id: user_id.to_string(),
        token_hash: token_hash(&secret),
        kind: kind.to_string(),
        name: name.to_string(),
        csrf_token: new_secret(),
        created_at: now,
        last_active_at: now,
        expires_at,
        revoked_at: None,
    };
    sessions::insert(tx.conn, &row)?;
    Ok((row, secret))
}

fn revoked_change(user_id: Id, session_id: &str) -> Change {
    Change::new(
        EventKind::SessionRevoked,
        Audience::User(user_id),
        serde_json::json!({ "session_id": session_id }),
    )
}

pub fn list(ctx: &Ctx, auth: &Auth, kind: &str) -> Result<Vec<Session>> {
    let now = now_millis();
    let rows = ctx
        .store
        .read(|c| Ok(sessions::live_for_user(c, &auth.user.id, kind, now)?))?;
    Ok(rows
        .iter()
        .map(|r| r.to_api(Some(&auth.session_id)))
        .collect())
}

/// Revokes one of the caller's own sessions or tokens.
pub fn revoke_own(ctx: &Ctx, auth: &Auth, id: Id, kind: &str) -> Result<()> {
    let sid = id.to_string();
    ctx.store.write(|tx| {
        let row = sessions::by_id(tx.conn, &sid)?
            .filter(|r| r.user_id == auth.user.id && r.kind == kind && r.revoked_at.is_none())
            .ok_or(Error::NotFound(if kind == KIND_TOKEN {
                "token"
            } else {
                "session"
            }))?;
        sessions::revoke(tx.conn, &row.id, now_millis())?;
        tx.log(revoked_change(auth.user_id(), &row.id))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            &format!("{kind}.revoke"),
            "session",
            Some(row.id.clone()),
            serde_json::json!({}),
        )
    })
}

/// Revokes every session and token of `user_id`: the user themself, or a
/// system admin where separation of duties allows (not on officers).
pub fn revoke_all(ctx: &Ctx, auth: &Auth, user_id: Id) -> Result<()> {
    ctx.store.write(|tx| {
        check_account_action(tx.conn, auth, AccountAction::EndSessions, user_id)?;
        revoke_all_in(tx, Some(auth.user_id()), user_id)
    })
}

pub fn revoke_all_in(tx: &mut Tx, actor: Option<Id>, user_id: Id) -> Result<()> {
    let ids = sessions::revoke_all(tx.conn, &user_id.to_string(), now_millis())?;
    for sid in &ids {
        tx.log(revoked_change(user_id, sid))?;
    }
    audit::record(
        tx,
        actor,
        "user.revoke_sessions",
        "user",
        Some(user_id.to_string()),
        serde_json::json!({ "count": ids.len() }),
    )
}

/// A personal access token for the caller.
pub fn create_token(
    ctx: &Ctx,
    auth: &Auth,
    name: &str,
    expires_in_days: Option<u32>,
) -> Result<CreatedToken> {
    create_token_for(ctx, auth, auth.user_id(), name, expires_in_days)
}

/// Who manages whose tokens: the owner, and (to list or revoke, never to
/// mint) whoever the separation-of-duties rule lets act on the account.
fn may_manage_tokens_of(
    c: &mut hearth_store::DbConn,
    auth: &Auth,
    owner: Id,
    action: AccountAction,
) -> Result<()> {
    if owner == auth.user_id() {
        return auth.require_account();
    }
    check_account_action(c, auth, action, owner).map(|_| ())
}

/// A personal access token for the caller. Minting one for anybody else is
/// refused with `token_for_other_account`: a token is a way to act as its
/// owner, which nobody else should hold unseen.
pub fn create_token_for(
    ctx: &Ctx,
    auth: &Auth,
    owner: Id,
    name: &str,
    expires_in_days: Option<u32>,
) -> Result<CreatedToken> {
    ctx.store
        .read(|c| may_manage_tokens_of(c, auth, owner, AccountAction::MintToken))?;
    let name = validate::text("token name", name, 64, false)?;
    if expires_in_days == Some(0) || expires_in_days.is_some_and(|d| d > 3650) {
        return Err(Error::invalid("expires_in_days must be between 1 and 3650"));
    }
    let expires = expires_in_days.map(|d| now_millis() + i64::from(d) * 86_400_000);
    ctx.store.write(|tx| {
        may_manage_tokens_of(tx.conn, auth, owner, AccountAction::MintToken)?;
        let user = hearth_store::users::by_id(tx.conn, &owner.to_string())?
            .ok_or(Error::NotFound("user"))?;
        if !user.is_active {
            return Err(Error::invalid("the account is deactivated"));
        }
        let (row, secret) = create(tx, &user.id, KIND_TOKEN, &name, expires)?;
        let mut details = serde_json::json!({ "name": name });
        if owner != auth.user_id() {
            details["for_user"] = user.username.clone().into();
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            "token.create",
            "session",
            Some(row.id.clone()),
            details,
        )?;
        Ok(CreatedToken {
            token: secret,
            info: row.to_api(None),
        })
    })
}

/// The live tokens of `owner` (the caller, or any user for system admins).
pub fn tokens_of(ctx: &Ctx, auth: &Auth, owner: Id) -> Result<Vec<Session>> {
    let now = now_millis();
    let rows = ctx.store.read(|c| {
        may_manage_tokens_of(c, auth, owner, AccountAction::ListTokens)?;
        Ok(sessions::live_for_user(
            c,
            &owner.to_string(),
            KIND_TOKEN,
            now,
        )?)
    })?;
    Ok(rows
        .iter()
        .map(|r| r.to_api(Some(&auth.session_id)))
        .collect())
}

/// Revokes one token of `owner` (the caller, or any user for system admins).
pub fn revoke_token_of(ctx: &Ctx, auth: &Auth, owner: Id, token_id: Id) -> Result<()> {
    let owner_id = owner.to_string();
    ctx.store.write(|tx| {
        may_manage_tokens_of(tx.conn, auth, owner, AccountAction::EndSessions)?;
        let row = sessions::by_id(tx.conn, &token_id.to_string())?
            .filter(|r| r.user_id == owner_id && r.kind == KIND_TOKEN && r.revoked_at.is_none())
            .ok_or(Error::NotFound("token"))?;
        sessions::revoke(tx.conn, &row.id, now_millis())?;
        tx.log(revoked_change(owner, &row.id))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "token.revoke",
            "session",
            Some(row.id.clone()),
            serde_json::json!({ "user_id": owner_id }),
        )
    })
}

/// Logout: revokes the current session.
pub fn logout(ctx: &Ctx, auth: &Auth) -> Result<()> {
    ctx.store.write(|tx| {
        sessions::revoke(tx.conn, &auth.session_id, now_millis())?;
        tx.log(revoked_change(auth.user_id(), &auth.session_id))?;
        Ok(())
    })
}
