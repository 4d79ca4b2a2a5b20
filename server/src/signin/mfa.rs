//! TOTP second factor for signed-in users: enrol, activate, disable,
//! regenerate recovery codes, and the admin reset.

use hearth_api::{MfaEnrolment, MfaStatus, RecoveryCodes};
use hearth_core::permissions::{Action, Facts, require};
use hearth_core::{Error, Id, Result, now_millis};
use hearth_identity::sealing::SealingKey;
use hearth_identity::totp;
use hearth_store::Tx;
use hearth_store::identity as store;

use super::auth_row;
use super::login::mfa_required;
use crate::auth::Auth;
use crate::services::{audit, sessions};
use crate::state::Ctx;

pub fn status(ctx: &Ctx, auth: &Auth) -> Result<MfaStatus> {
    ctx.store.read(|c| {
        let a = auth_row(c, &auth.user.id)?;
        let left = if a.mfa_enabled {
            store::recovery_codes(c, &auth.user.id)?.len() as u32
        } else {
            0
        };
        Ok(MfaStatus {
            enabled: a.mfa_enabled,
            required: mfa_required(ctx, &auth.user),
            recovery_codes_left: left,
        })
    })
}

/// Starts (or restarts) enrolment: a new secret, not active until a code confirms it.
pub fn enrol(ctx: &Ctx, auth: &Auth) -> Result<MfaEnrolment> {
    ctx.store.write(|tx| {
        let mut a = auth_row(tx.conn, &auth.user.id)?;
        if a.mfa_enabled {
            return Err(Error::conflict(
                "MFA is already on; disable it before enrolling again",
            ));
        }
        let e =
            totp::enrol(&ctx.config().mfa.issuer, &auth.user.username).map_err(Error::internal)?;
        a.mfa_secret = Some(seal(ctx, &auth.user.id, &e.secret_base32)?);
        a.mfa_last_step = None;
        a.updated_at = now_millis();
        store::save_auth(tx.conn, &a)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.mfa_enrol",
            "user",
            Some(auth.user.id.clone()),
            serde_json::json!({}),
        )?;
        Ok(MfaEnrolment {
            secret: e.secret_base32,
            otpauth_uri: e.otpauth_uri,
        })
    })
}

/// A TOTP secret as stored: sealed under the server's key for its account.
pub(crate) fn seal(ctx: &Ctx, user_id: &str, secret: &str) -> Result<String> {
    ctx.signin
        .sealing
        .seal(user_id, secret)
        .map_err(Error::internal)
}

/// The TOTP secret a stored value holds (sealed, or plain from before sealing).
pub(crate) fn unseal(ctx: &Ctx, user_id: &str, stored: &str) -> Result<String> {
    ctx.signin
        .sealing
        .open(user_id, stored)
        .map_err(Error::internal)
}

/// At start: seals the TOTP secrets stored in plain text before secrets were
/// encrypted at rest. Answers how many it sealed.
pub fn seal_stored_secrets(ctx: &Ctx) -> Result<usize> {
    ctx.store.write(|tx| {
        let mut sealed = 0;
        for mut a in store::with_mfa_secret(tx.conn)? {
            let Some(plain) = a.mfa_secret.clone() else {
                continue;
            };
            if SealingKey::is_sealed(&plain) {
                continue;
            }
            a.mfa_secret = Some(seal(ctx, &a.user_id, &plain)?);
            store::save_auth(tx.conn, &a)?;
            sealed += 1;
        }
        Ok(sealed)
    })
}

/// Checks a current code against the stored secret and records its step.
/// Returns false (and changes nothing) for a wrong or replayed code.
fn check_code(
    ctx: &Ctx,
    tx: &mut Tx,
    user_id: &str,
    code: &str,
    must_be_enabled: bool,
) -> Result<bool> {
    let mut a = auth_row(tx.conn, user_id)?;
    if must_be_enabled && !a.mfa_enabled {
        return Err(Error::invalid("MFA is not on for this account"));
    }
    let Some(stored) = a.mfa_secret.clone() else {
        return Err(Error::invalid("start with POST /api/v1/users/me/mfa/enrol"));
    };
    let secret = unseal(ctx, user_id, &stored)?;
    let now = (now_millis() / 1000) as u64;
    let last = a.mfa_last_step.map(|s| s as u64);
    match totp::verify(&secret, code.trim(), now, last).map_err(Error::internal)? {
        Some(step) => {
            a.mfa_last_step = Some(step as i64);
            a.updated_at = now_millis();
            store::save_auth(tx.conn, &a)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Audits a wrong code (the change it guarded is not made) and answers `invalid_input`.
fn wrong_code<T>(ctx: &Ctx, auth: &Auth, action: &str) -> Result<T> {
    ctx.store.write(|tx| {
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.mfa_code_failed",
            "user",
            Some(auth.user.id.clone()),
            serde_json::json!({ "for": action }),
        )
    })?;
    Err(Error::invalid("the code is wrong or was already used"))
}

/// Confirms enrolment with a code; answers the recovery codes (shown once).
pub fn activate(ctx: &Ctx, auth: &Auth, code: &str) -> Result<RecoveryCodes> {
    let out = ctx.store.write(|tx| {
        let a = auth_row(tx.conn, &auth.user.id)?;
        if a.mfa_enabled {
            return Err(Error::conflict("MFA is already on"));
        }
        if !check_code(ctx, tx, &auth.user.id, code, false)? {
            return Ok(None);
        }
        let mut a = auth_row(tx.conn, &auth.user.id)?;
        a.mfa_enabled = true;
        store::save_auth(tx.conn, &a)?;
        sessions::revoke_personal_tokens_in(tx, auth.user_id(), "mfa_enable")?;
        new_recovery_codes(tx, &auth.user.id, "user.mfa_enable", serde_json::json!({})).map(Some)
    })?;
    match out {
        Some(recovery_codes) => Ok(RecoveryCodes { recovery_codes }),
        None => wrong_code(ctx, auth, "activate"),
    }
}

/// Replaces a user's recovery codes and audits `action` as done by that
/// user; answers the codes in clear (shown once).
pub(crate) fn new_recovery_codes(
    tx: &mut Tx,
    user_id: &str,
    action: &str,
    details: serde_json::Value,
) -> Result<Vec<String>> {
    let codes = totp::generate_recovery_codes();
    store::replace_recovery_codes(tx.conn, user_id, &codes.hashes, now_millis())?;
    audit::record(
        tx,
        Some(hearth_store::parse_id(user_id)),
        action,
        "user",
        Some(user_id.to_string()),
        details,
    )?;
    Ok(codes.plain)
}

fn clear(tx: &mut Tx, user_id: &str) -> Result<()> {
    let mut a = auth_row(tx.conn, user_id)?;
    a.mfa_enabled = false;
    a.mfa_secret = None;
    a.mfa_last_step = None;
    a.updated_at = now_millis();
    store::save_auth(tx.conn, &a)?;
    store::replace_recovery_codes(tx.conn, user_id, &[], now_millis())?;
    Ok(())
}

/// Turns MFA off; needs a current code, and is refused where MFA is enforced.
pub fn disable(ctx: &Ctx, auth: &Auth, code: &str) -> Result<()> {
    if mfa_required(ctx, &auth.user) {
        return Err(Error::forbidden(
            "MFA is required for your account and cannot be turned off",
        ));
    }
    let ok = ctx.store.write(|tx| {
        if !check_code(ctx, tx, &auth.user.id, code, true)? {
            return Ok(false);
        }
        clear(tx, &auth.user.id)?;
        sessions::revoke_personal_tokens_in(tx, auth.user_id(), "mfa_disable")?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.mfa_disable",
            "user",
            Some(auth.user.id.clone()),
            serde_json::json!({}),
        )?;
        Ok(true)
    })?;
    if ok {
        Ok(())
    } else {
        wrong_code(ctx, auth, "disable")
    }
}

/// New recovery codes replace the old ones; needs a current code.
pub fn regenerate(ctx: &Ctx, auth: &Auth, code: &str) -> Result<RecoveryCodes> {
    let out = ctx.store.write(|tx| {
        if !check_code(ctx, tx, &auth.user.id, code, true)? {
            return Ok(None);
        }
        new_recovery_codes(
            tx,
            &auth.user.id,
            "user.mfa_recovery_codes",
            serde_json::json!({}),
        )
        .map(Some)
    })?;
    match out {
        Some(recovery_codes) => Ok(RecoveryCodes { recovery_codes }),
        None => wrong_code(ctx, auth, "recovery_codes"),
    }
}

/// A system admin removes someone's second factor (lost phone); the user
/// enrols again at the next login where MFA is enforced.
pub fn admin_reset(ctx: &Ctx, auth: &Auth, user_id: Id) -> Result<()> {
    require(&auth.actor, Action::ManageUsers, &Facts::default())?;
    ctx.store.write(|tx| {
        let uid = user_id.to_string();
        crate::services::accounts::check_account_action(
            tx.conn,
            auth,
            hearth_core::permissions::AccountAction::ResetMfa,
            user_id,
        )?;
        let was = auth_row(tx.conn, &uid)?.mfa_enabled;
        clear(tx, &uid)?;
        sessions::revoke_personal_tokens_in(tx, user_id, "mfa_reset")?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "user.mfa_reset",
            "user",
            Some(uid),
            serde_json::json!({ "was_enabled": was }),
        )
    })
}
