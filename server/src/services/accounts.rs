//! Accounts: first-run setup, signup, login, profiles, roles and deactivation.

use hearth_api::{
    ChangePasswordRequest, EventPayload, Role, SessionRevoked, SignupRequest, UpdateProfileRequest,
    User,
};
use hearth_core::permissions::{self, AccountAction, Action, Facts, require};
use hearth_core::{Error, Id, Result, now_millis, validate};
use hearth_store::models::UserRow;
use hearth_store::{Audience, Change, DbConn, parse_id, settings, users};

use crate::auth::Auth;
use crate::config::SignupMode;
use crate::passwords::HashPurpose;
use crate::services::{audit, sessions, teams};
use crate::state::Ctx;
use crate::tokens::token_hash;

const SETUP_TOKEN_KEY: &str = "setup_token_sha256";

/// At start: while no account exists, makes a fresh one-time setup token
/// (only its hash is stored) and returns it for the operator.
pub fn prepare_setup_token(ctx: &Ctx) -> Result<Option<String>> {
    ctx.store.write(|tx| {
        if users::count(tx.conn)? > 0 {
            settings::delete(tx.conn, SETUP_TOKEN_KEY)?;
            return Ok(None);
        }
        let token = crate::tokens::new_secret();
        settings::set(tx.conn, SETUP_TOKEN_KEY, &token_hash(&token))?;
        Ok(Some(token))
    })
}

pub fn needs_setup(ctx: &Ctx) -> Result<bool> {
    ctx.store.read(|c| Ok(users::count(c)? == 0))
}

/// Creates an account. The first account needs the setup token and becomes
/// system admin; later ones follow the signup mode.
pub fn signup(ctx: &Ctx, req: SignupRequest) -> Result<User> {
    create(ctx, req, None)
}

/// An account made by a system admin, whatever the signup mode.
pub fn create_by_admin(ctx: &Ctx, auth: &Auth, req: SignupRequest) -> Result<User> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    create(ctx, req, Some(auth.user_id()))
}

fn create(ctx: &Ctx, req: SignupRequest, admin: Option<Id>) -> Result<User> {
    let username = validate::username(&req.username)?;
    let email = validate::email(&req.email)?;
    validate::password(&req.password)?;
    let display_name = match &req.display_name {
        Some(d) if !d.trim().is_empty() => validate::display_name(d)?,
        _ => username.clone(),
    };
    let mode = ctx.config().accounts.signup;
    // Everything that can refuse the signup is checked before the password
    // is hashed, so refused attempts cost a few reads and no argon2 time;
    // the same checks run again in the transaction that creates the account.
    ctx.store
        .read(|c| admit(c, &req, admin, mode, &username, &email).map(|_| ()))?;
    let purpose = if admin.is_some() {
        HashPurpose::Account
    } else {
        HashPurpose::Signup
    };
    let hash = ctx.passwords.hash(purpose, &req.password)?;
    let user = ctx.store.write(|tx| {
        let (first, invite_team) = admit(tx.conn, &req, admin, mode, &username, &email)?;
        if first {
            settings::delete(tx.conn, SETUP_TOKEN_KEY)?;
        }
        let now = now_millis();
        let mut row = UserRow::new_account(
            username.clone(),
            email.clone(),
            display_name.clone(),
            Some(hash.clone()),
            if first { Role::SystemAdmin } else { Role::User },
            now,
        );
        // An address an admin typed in is the admin's word; a self-signup's
        // is unverified until an admin or a sign-in provider vouches for it.
        if admin.is_some() {
            row.email_verified_at = Some(now);
        }
        users::insert(tx.conn, &row)?;
        let uid = hearth_store::parse_id(&row.id);
        if first {
            audit::record(
                tx,
                Some(uid),
                "system.setup",
                "user",
                Some(row.id.clone()),
                serde_json::json!({ "username": username }),
            )?;
        }
        if admin.is_some() {
            audit::record(
                tx,
                admin,
                "user.create",
                "user",
                Some(row.id.clone()),
                serde_json::json!({ "username": username }),
            )?;
        }
        if let Some(team) = invite_team {
            teams::add_member_in(tx, &team, uid, hearth_api::MemberRole::Member)?;
        }
        Ok(row)
    })?;
    Ok(user.to_api(true))
}

/// Whether this signup may go ahead: the setup token for the first account,
/// otherwise the signup mode and invitation (admins skip both), and a free
/// username and e-mail. Answers whether it is the first account and the
/// team the invitation adds it to.
fn admit(
    c: &mut DbConn,
    req: &SignupRequest,
    admin: Option<Id>,
    mode: SignupMode,
    username: &str,
    email: &str,
) -> Result<(bool, Option<hearth_store::models::TeamRow>)> {
    let first = users::count(c)? == 0;
    let mut invite_team = None;
    if first {
        // An admin before the first account is the local socket's
        // built-in one: being on the server's host stands in for the token.
        if admin.is_none() {
            let expected = settings::get(c, SETUP_TOKEN_KEY)?;
            let given = req.setup_token.as_deref().map(token_hash);
            if expected.is_none() || given != expected {
                return Err(Error::SetupTokenInvalid);
            }
        }
    } else if admin.is_none() {
        match mode {
            SignupMode::Disabled => {
                return Err(Error::SignupDisabled(
                    "signup is disabled; ask an administrator for an account".into(),
                ));
            }
            SignupMode::InviteOnly if req.invite_id.is_none() => {
                return Err(Error::SignupDisabled("signup needs an invitation".into()));
            }
            _ => {}
        }
        if let Some(inv) = &req.invite_id {
            invite_team = Some(hearth_store::teams::by_invite(c, inv)?.ok_or_else(|| {
                Error::invalid("the invitation is not valid (it may have been replaced)")
            })?);
        }
    }
    if users::by_username(c, username)?.is_some() {
        return Err(Error::conflict(format!("username '{username}' is taken")));
    }
    if users::by_email(c, email)?.is_some() {
        return Err(Error::conflict(
            "an account with that e-mail already exists",
        ));
    }
    Ok((first, invite_team))
}

/// Applies the separation-of-duties rule ([`permissions::account_verdict`])
/// to `action` on the account `target` and returns that account. A missing
/// account counts as a plain one, so only those who could act on it learn
/// that it does not exist.
pub fn check_account_action(
    c: &mut hearth_store::DbConn,
    auth: &Auth,
    action: permissions::AccountAction,
    target: Id,
) -> Result<UserRow> {
    let row = users::by_id(c, &target.to_string())?;
    let role = row.as_ref().map_or(Role::User, |r| r.role);
    permissions::require_account_action(
        &auth.actor,
        auth.is_local(),
        action,
        &permissions::Target {
            user_id: target,
            role,
        },
    )?;
    row.ok_or(Error::NotFound("user"))
}

fn load_user(c: &mut hearth_store::DbConn, id: Id) -> Result<UserRow> {
    users::by_id(c, &id.to_string())?.ok_or(Error::NotFound("user"))
}

fn user_changed(row: &UserRow) -> Change {
    Change::new(EventPayload::UserUpdated(row.to_api(false)), Audience::All)
}

pub fn update_profile(ctx: &Ctx, auth: &Auth, req: UpdateProfileRequest) -> Result<User> {
    let display = req
        .display_name
        .as_deref()
        .map(validate::display_name)
        .transpose()?;
    let username = req
        .username
        .as_deref()
        .map(validate::username)
        .transpose()?;
    let timezone = req
        .timezone
        .as_deref()
        .map(validate::timezone)
        .transpose()?;
    let status = req
        .status_text
        .as_deref()
        .map(|s| validate::text("status text", s, validate::MAX_STATUS_TEXT, true))
        .transpose()?;
    let row = ctx.store.write(|tx| {
        let mut row = load_user(tx.conn, auth.user_id())?;
        if let Some(u) = username.filter(|u| *u != row.username) {
            if users::by_username(tx.conn, &u)?.is_some() {
                return Err(Error::conflict(format!("username '{u}' is taken")));
            }
            row.username = u;
        }
        if let Some(d) = display {
            row.display_name = d;
        }
        if let Some(t) = timezone {
            row.timezone = t;
        }
        if let Some(s) = status {
            row.status_text = s;
        }
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        Ok(row)
    })?;
    Ok(row.to_api(true))
}

pub fn change_password(ctx: &Ctx, auth: &Auth, req: &ChangePasswordRequest) -> Result<()> {
    validate::password(&req.new_password)?;
    let current_ok = auth
        .user
        .password_hash
        .as_deref()
        .map(|h| {
            ctx.passwords
                .verify(HashPurpose::Account, &req.current_password, h)
        })
        .transpose()?
        .unwrap_or(false);
    if !current_ok {
        // Not 401: the session is fine, only the typed password is wrong.
        return Err(Error::invalid("the current password is wrong"));
    }
    let hash = ctx
        .passwords
        .hash(HashPurpose::Account, &req.new_password)?;
    ctx.store.write(|tx| {
        let mut row = load_user(tx.conn, auth.user_id())?;
        row.password_hash = Some(hash);
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        // Other sessions end, and access tokens but integration tokens;
        // the session that changed the password stays.
        sessions::revoke_personal_tokens_in(tx, auth.user_id(), "password_change")?;
        let now = now_millis();
        for s in hearth_store::sessions::live_for_user(
            tx.conn,
            &row.id,
            hearth_api::SessionKind::Session,
            now,
        )? {
            if s.id != auth.session_id {
                hearth_store::sessions::revoke(tx.conn, &s.id, now)?;
                tx.log(Change::new(
                    EventPayload::SessionRevoked(SessionRevoked {
                        session_id: hearth_store::parse_id(&s.id),
                    }),
                    Audience::User(auth.user_id()),
                ))?;
            }
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.password_change",
            "user",
            Some(row.id.clone()),
            serde_json::json!({}),
        )
    })
}

/// Records a new avatar (already stored by content hash).
pub fn set_avatar(ctx: &Ctx, auth: &Auth, sha256: String) -> Result<User> {
    let row = ctx.store.write(|tx| {
        let mut row = load_user(tx.conn, auth.user_id())?;
        row.avatar_sha256 = Some(sha256);
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        Ok(row)
    })?;
    Ok(row.to_api(true))
}

/// Guests only know the people they share a channel with; for anyone else
/// the account answers `not_found`.
fn visible(c: &mut hearth_store::DbConn, auth: &Auth, row: UserRow) -> Result<UserRow> {
    let target = parse_id(&row.id);
    let shares = !permissions::sees_everyone(&auth.actor)
        && target != auth.user_id()
        && users::share_a_channel(c, &auth.user.id, &row.id)?;
    if !permissions::may_see_user(&auth.actor, target, shares) {
        return Err(Error::NotFound("user"));
    }
    Ok(row)
}

/// The ids among `ids` the caller may see, in their order (guests: the
/// people they share a channel with, and themself).
pub fn visible_ids(c: &mut hearth_store::DbConn, auth: &Auth, ids: Vec<Id>) -> Result<Vec<Id>> {
    if permissions::sees_everyone(&auth.actor) {
        return Ok(ids);
    }
    let known: std::collections::HashSet<Id> = users::co_members(c, &auth.user.id)?
        .iter()
        .map(|s| parse_id(s))
        .collect();
    Ok(ids
        .into_iter()
        .filter(|u| permissions::may_see_user(&auth.actor, *u, known.contains(u)))
        .collect())
}

pub fn get(ctx: &Ctx, auth: &Auth, id: Id) -> Result<User> {
    let row = ctx.store.read(|c| {
        let row = load_user(c, id)?;
        visible(c, auth, row)
    })?;
    Ok(row.to_api(permissions::may_see_private_fields(&auth.actor, id)))
}

pub fn avatar_hash(ctx: &Ctx, auth: &Auth, id: Id) -> Result<String> {
    let row = ctx.store.read(|c| {
        let row = load_user(c, id)?;
        visible(c, auth, row)
    })?;
    row.avatar_sha256.ok_or(Error::NotFound("avatar"))
}

pub fn by_username(ctx: &Ctx, auth: &Auth, name: &str) -> Result<User> {
    let row = ctx.store.read(|c| {
        let row = users::by_username(c, name)?.ok_or(Error::NotFound("user"))?;
        visible(c, auth, row)
    })?;
    let me = row.id == auth.user.id;
    Ok(row.to_api(me || permissions::sees_all_private_fields(&auth.actor)))
}

/// Directory search by username or display name (and e-mail for admins,
/// who can see it). Guests only find people they share a channel with.
/// Filters of the user directory beyond the search text.
#[derive(Debug, Clone, Copy, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub active: Option<bool>,
}

pub fn search(
    ctx: &Ctx,
    auth: &Auth,
    q: &str,
    filter: UserFilter,
    page: u32,
    per_page: u32,
) -> Result<Vec<User>> {
    let per_page = i64::from(per_page.clamp(1, 200));
    let offset = i64::from(page) * per_page;
    let admin = permissions::sees_all_private_fields(&auth.actor);
    let scope = users::SearchScope {
        match_email: admin,
        sharing_channels_with: (!permissions::sees_everyone(&auth.actor))
            .then_some(auth.user.id.as_str()),
        role: filter.role,
        active: filter.active,
    };
    let rows = ctx
        .store
        .read(|c| Ok(users::search(c, q, scope, offset, per_page)?))?;
    Ok(rows
        .iter()
        .map(|r| r.to_api(admin || r.id == auth.user.id))
        .collect())
}

/// Sets an account's system role. Granting or removing the compliance
/// officer role is for the local operator only (see
/// [`permissions::role_change_verdict`]).
pub fn set_role(ctx: &Ctx, auth: &Auth, id: Id, role: Role) -> Result<User> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    // Asked before anything else, so that an admin naming the officer role
    // learns why whatever the account.
    permissions::require_role_change(auth.is_local(), Role::User, role)?;
    permissions::require_keeps_own_admin_role(&auth.actor, id, role)?;
    let row = ctx.store.write(|tx| {
        let mut row = check_account_action(tx.conn, auth, AccountAction::ChangeRole, id)?;
        permissions::require_role_change(auth.is_local(), row.role, role)?;
        let old = row.role;
        row.role = role;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        tx.log(user_changed(&row))?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.role",
            "user",
            Some(row.id.clone()),
            serde_json::json!({ "from": old.as_str(), "to": role.as_str() }),
        )?;
        Ok(row)
    })?;
    Ok(row.to_api(true))
}

/// A system admin vouches for (or withdraws) an account's e-mail address.
pub fn set_email_verified(ctx: &Ctx, auth: &Auth, id: Id, verified: bool) -> Result<User> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    let row = ctx.store.write(|tx| {
        let mut row = load_user(tx.conn, id)?;
        if row.email_verified_at.is_some() == verified {
            return Ok(row);
        }
        let now = now_millis();
        row.email_verified_at = verified.then_some(now);
        row.updated_at = now;
        users::save(tx.conn, &row)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.email_verified",
            "user",
            Some(row.id.clone()),
            serde_json::json!({ "verified": verified, "email": row.email }),
        )?;
        Ok(row)
    })?;
    Ok(row.to_api(true))
}

/// Deactivation ends every session at once; admins may also reactivate.
/// A system admin sets a new password for a local account, e.g. one whose
/// owner forgot it; every session and token of that account ends, so whoever
/// knew the old password is out.
pub fn reset_password(ctx: &Ctx, auth: &Auth, id: Id, new_password: &str) -> Result<()> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    validate::password(new_password)?;
    ctx.store
        .read(|c| check_account_action(c, auth, AccountAction::ResetPassword, id).map(|_| ()))?;
    let source = ctx
        .store
        .read(|c| Ok(crate::signin::auth_row(c, &id.to_string())?.source))?;
    if source != hearth_store::kinds::SignInSource::Local {
        return Err(Error::invalid(format!(
            "this account signs in through {}; change its password there",
            source.as_str()
        )));
    }
    let hash = ctx.passwords.hash(HashPurpose::Account, new_password)?;
    ctx.store.write(|tx| {
        let mut row = check_account_action(tx.conn, auth, AccountAction::ResetPassword, id)?;
        row.password_hash = Some(hash);
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        sessions::revoke_all_in(tx, Some(auth.user_id()), id)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.password_reset",
            "user",
            Some(row.id.clone()),
            serde_json::json!({}),
        )
    })
}

pub fn set_active(ctx: &Ctx, auth: &Auth, id: Id, active: bool) -> Result<User> {
    let action = if active {
        AccountAction::Reactivate
    } else {
        AccountAction::Deactivate
    };
    let row = ctx.store.write(|tx| {
        let mut row = check_account_action(tx.conn, auth, action, id)?;
        row.is_active = active;
        row.updated_at = now_millis();
        users::save(tx.conn, &row)?;
        if !active {
            sessions::revoke_all_in(tx, Some(auth.user_id()), id)?;
        }
        tx.log(user_changed(&row))?;
        let action = if active {
            "user.activate"
        } else {
            "user.deactivate"
        };
        audit::record(
            tx,
            Some(auth.user_id()),
            action,
            "user",
            Some(row.id.clone()),
            serde_json::json!({}),
        )?;
        Ok(row)
    })?;
    Ok(row.to_api(true))
}

/// The presences a user chooses that outlast a restart: do not disturb and
/// invisible. Away ends by itself with activity and online is the default,
/// so neither is stored.
fn stored_presence(p: hearth_api::Presence) -> Option<hearth_api::Presence> {
    match p {
        hearth_api::Presence::Dnd | hearth_api::Presence::Offline => Some(p),
        hearth_api::Presence::Online | hearth_api::Presence::Away => None,
    }
}

/// Records the caller's chosen presence; the hub shows it.
pub fn set_presence(ctx: &Ctx, auth: &Auth, presence: hearth_api::Presence) -> Result<()> {
    auth.require_account()?;
    ctx.store.write(|tx| {
        Ok(hearth_store::presence::set(
            tx.conn,
            &auth.user.id,
            stored_presence(presence),
            now_millis(),
        )?)
    })
}

/// The chosen presences to restore at start.
pub fn stored_presences(ctx: &Ctx) -> Result<Vec<(Id, hearth_api::Presence)>> {
    let rows = ctx.store.read(|c| Ok(hearth_store::presence::all(c)?))?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, p)| stored_presence(p).map(|p| (parse_id(&u), p)))
        .collect())
}
