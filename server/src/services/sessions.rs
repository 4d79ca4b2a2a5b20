//! Login sessions and personal access tokens.

use hearth_api::{
    CreateTokenRequest, CreatedToken, EventPayload, Session, SessionKind, SessionRevoked,
};
use hearth_core::permissions::AccountAction;
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::models::{SessionRow, UserRow};
use hearth_store::{Audience, Change, Tx, sessions};

use crate::auth::Auth;
use crate::passwords::HashPurpose;
use crate::services::accounts::check_account_action;
use crate::services::audit;
use crate::state::Ctx;
use crate::tokens::{new_secret, token_hash};

/// What the audit log and error messages call a session or a token.
fn noun(kind: SessionKind) -> &'static str {
    match kind {
        SessionKind::Session => "session",
        SessionKind::AccessToken => "token",
    }
}

/// Creates a session or token row; returns the row and the plain secret.
pub fn create(
    tx: &mut Tx,
    user_id: &str,
    kind: SessionKind,
    name: &str,
    expires_at: Option<i64>,
) -> Result<(SessionRow, String)> {
    let secret = new_secret();
    let now = now_millis();
    let row = SessionRow {
        id: new_id().to_string(),
        user_id: user_id.to_string(),
        token_hash: token_hash(&secret),
        kind,
        name: name.to_string(),
        csrf_token: new_secret(),
        created_at: now,
        last_active_at: now,
        expires_at,
        revoked_at: None,
        integration: false,
    };
    sessions::insert(tx.conn, &row)?;
    Ok((row, secret))
}

/// Resolves a token to its live session and active user.
pub fn authenticate(ctx: &Ctx, token: &str) -> Result<(SessionRow, UserRow)> {
    let now = now_millis();
    let (s, u) = ctx.store.read(|c| {
        let s = hearth_store::sessions::by_token_hash(c, &token_hash(token))?
            .ok_or(Error::SessionExpired)?;
        if s.revoked_at.is_some() || s.expires_at.is_some_and(|e| e <= now) {
            return Err(Error::SessionExpired);
        }
        // Idle timeout: browser sessions only; activity is recorded once a minute.
        let idle_ms = ctx.config().sessions.idle_timeout_mins as i64 * 60_000;
        if idle_ms > 0 && s.kind == SessionKind::Session && now - s.last_active_at > idle_ms {
            return Err(Error::SessionExpired);
        }
        let u = hearth_store::users::by_id(c, &s.user_id)?.ok_or(Error::SessionExpired)?;
        if !u.is_active {
            return Err(Error::AccountInactive);
        }
        Ok((s, u))
    })?;
    // Activity is recorded at most once a minute, through the write path so
    // it never races a write transaction.
    if now - s.last_active_at > 60_000 {
        ctx.store
            .write(|tx| Ok(hearth_store::sessions::touch(tx.conn, &s.id, now)?))?;
    }
    Ok((s, u))
}

fn revoked_change(user_id: Id, session_id: &str) -> Change {
    Change::new(
        EventPayload::SessionRevoked(SessionRevoked {
            session_id: hearth_store::parse_id(session_id),
        }),
        Audience::User(user_id),
    )
}

pub fn list(ctx: &Ctx, auth: &Auth, kind: SessionKind) -> Result<Vec<Session>> {
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
pub fn revoke_own(ctx: &Ctx, auth: &Auth, id: Id, kind: SessionKind) -> Result<()> {
    let sid = id.to_string();
    ctx.store.write(|tx| {
        let row = sessions::by_id(tx.conn, &sid)?
            .filter(|r| r.user_id == auth.user.id && r.kind == kind && r.revoked_at.is_none())
            .ok_or(Error::NotFound(noun(kind)))?;
        sessions::revoke(tx.conn, &row.id, now_millis())?;
        tx.log(revoked_change(auth.user_id(), &row.id))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            &format!("{}.revoke", noun(kind)),
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
pub fn create_token(ctx: &Ctx, auth: &Auth, req: &CreateTokenRequest) -> Result<CreatedToken> {
    create_token_for(ctx, auth, auth.user_id(), req)
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

/// A token outlives the session that mints it, so whoever mints one proves
/// again that they are the account's owner: with the password, or with a
/// session a sign-in opened less than `sessions.token_reauth_mins` ago (an
/// access token never counts as a sign-in). The local administration socket
/// stands for the server's host and needs neither.
fn reauthenticate(ctx: &Ctx, auth: &Auth, password: Option<&str>) -> Result<()> {
    if auth.is_local() {
        return Ok(());
    }
    if let Some(password) = password {
        let ok = match auth.user.password_hash.as_deref() {
            Some(hash) => ctx.passwords.verify(HashPurpose::Account, password, hash)?,
            None => false,
        };
        // Not 401: the session is fine, only the typed password is wrong.
        return if ok {
            Ok(())
        } else {
            Err(Error::invalid("the password is wrong"))
        };
    }
    let window = i64::try_from(ctx.config().sessions.token_reauth_mins)
        .unwrap_or(i64::MAX / 120_000)
        .saturating_mul(60_000);
    let since = now_millis().saturating_sub(window);
    let fresh = ctx
        .store
        .read(|c| Ok(sessions::by_id(c, &auth.session_id)?))?
        .is_some_and(|s| s.kind == SessionKind::Session && s.created_at >= since);
    if fresh {
        Ok(())
    } else {
        Err(Error::ReauthenticationRequired(
            "enter your password to create an access token".into(),
        ))
    }
}

/// A personal access token for the caller. Minting one for anybody else is
/// refused with `token_for_other_account`: a token is a way to act as its
/// owner, which nobody else should hold unseen.
pub fn create_token_for(
    ctx: &Ctx,
    auth: &Auth,
    owner: Id,
    req: &CreateTokenRequest,
) -> Result<CreatedToken> {
    ctx.store
        .read(|c| may_manage_tokens_of(c, auth, owner, AccountAction::MintToken))?;
    let name = validate::text("token name", &req.name, 64, false)?;
    let expires_in_days = req.expires_in_days;
    if expires_in_days == Some(0) || expires_in_days.is_some_and(|d| d > 3650) {
        return Err(Error::invalid("expires_in_days must be between 1 and 3650"));
    }
    reauthenticate(ctx, auth, req.password.as_deref())?;
    let days =
        expires_in_days.or(Some(ctx.config().sessions.token_default_days).filter(|d| *d > 0));
    let expires = days.map(|d| now_millis() + i64::from(d) * 86_400_000);
    let integration = req.integration;
    ctx.store.write(|tx| {
        may_manage_tokens_of(tx.conn, auth, owner, AccountAction::MintToken)?;
        let user = hearth_store::users::by_id(tx.conn, &owner.to_string())?
            .ok_or(Error::NotFound("user"))?;
        if !user.is_active {
            return Err(Error::invalid("the account is deactivated"));
        }
        let (mut row, secret) = create(tx, &user.id, SessionKind::AccessToken, &name, expires)?;
        if integration {
            sessions::set_integration(tx.conn, &row.id)?;
            row.integration = true;
        }
        let mut details = serde_json::json!({ "name": name, "integration": integration });
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

/// Ends the access tokens of `user_id` that are not integration tokens,
/// after its password or second factor changed.
pub fn revoke_personal_tokens_in(tx: &mut Tx, user_id: Id, reason: &str) -> Result<()> {
    let ids = sessions::revoke_personal_tokens(tx.conn, &user_id.to_string(), now_millis())?;
    for sid in &ids {
        tx.log(revoked_change(user_id, sid))?;
    }
    if ids.is_empty() {
        return Ok(());
    }
    audit::record(
        tx,
        None,
        "token.revoke_on_change",
        "user",
        Some(user_id.to_string()),
        serde_json::json!({ "count": ids.len(), "reason": reason }),
    )
}

/// The live tokens of `owner` (the caller, or any user for system admins).
pub fn tokens_of(ctx: &Ctx, auth: &Auth, owner: Id) -> Result<Vec<Session>> {
    let now = now_millis();
    let rows = ctx.store.read(|c| {
        may_manage_tokens_of(c, auth, owner, AccountAction::ListTokens)?;
        Ok(sessions::live_for_user(
            c,
            &owner.to_string(),
            SessionKind::AccessToken,
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
            .filter(|r| {
                r.user_id == owner_id
                    && r.kind == SessionKind::AccessToken
                    && r.revoked_at.is_none()
            })
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
