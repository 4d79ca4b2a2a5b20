//! `POST /users/login` and its second step: local passwords, LDAP
//! search-then-bind, lockout after repeated failures, and the MFA challenge.
//!
//! Lockout counts password failures per account (whichever of its names was
//! typed), and per typed login (hashed) when no account has that name, so
//! neither the answer nor its timing tells which accounts exist; a locked
//! login is refused before any password check. Wrong second-factor codes
//! count separately, per account, and a correct password does not clear
//! them: only a correct code does.

use std::sync::Arc;

use hearth_api::{
    LoginMfaEnrolRequest, LoginMfaRequest, LoginOutcome, LoginRequest, MfaChallenge, MfaEnrolment,
    MfaLoginResponse,
};
use hearth_core::{Error, Result, now_millis};
use hearth_identity::totp;
use hearth_store::identity as store;
use hearth_store::kinds::{ChallengeKind, SignInSource};
use hearth_store::models::{AuthChallengeRow, LoginFailureRow, UserRow};
use hearth_store::{DbConn, Tx, parse_id, users};
use serde::{Deserialize, Serialize};

use super::config::MfaEnforcement;
use super::{auth_row, directory, open_session};
use crate::services::audit;
use crate::state::Ctx;
use crate::tokens::{new_secret, token_hash};

/// Wrong codes allowed on one MFA challenge before the login must start over.
const MFA_ATTEMPTS: u32 = 5;

/// The key failures are counted under: the typed login, normalised and hashed.
pub fn login_key(login: &str) -> String {
    token_hash(&format!("login:{}", login.trim().to_lowercase()))
}

/// The key password failures of an existing account are counted under.
pub fn account_key(user_id: &str) -> String {
    token_hash(&format!("account:{user_id}"))
}

/// The key wrong second-factor codes of an account are counted under.
pub fn mfa_key(user_id: &str) -> String {
    token_hash(&format!("mfa:{user_id}"))
}

/// Refuses a locked login (`rate_limited` with the seconds left).
fn check_lock(conn: &mut DbConn, key: &str) -> Result<Option<u64>> {
    let now = now_millis();
    Ok(store::failures(conn, key)?
        .and_then(|f| f.locked_until)
        .filter(|until| *until > now)
        .map(|until| ((until - now) as u64).div_ceil(1000)))
}

/// Counts a failure and audits it; locks the login at the threshold.
pub fn record_failure(
    tx: &mut Tx,
    ctx: &Ctx,
    key: &str,
    login: &str,
    user: Option<&UserRow>,
    method: &str,
    reason: &str,
) -> Result<()> {
    let now = now_millis();
    let threshold = ctx.config().login.lockout_threshold;
    let mut row = store::failures(tx.conn, key)?.unwrap_or(LoginFailureRow {
        login_hash: key.to_string(),
        failures: 0,
        last_failure_at: now,
        locked_until: None,
    });
    if row.locked_until.is_some_and(|u| u <= now) {
        row.failures = 0;
        row.locked_until = None;
    }
    row.failures += 1;
    row.last_failure_at = now;
    let mut locked = false;
    if threshold > 0 && row.failures >= threshold as i32 {
        row.locked_until = Some(now + ctx.config().login.lockout_secs as i64 * 1000);
        row.failures = 0;
        locked = true;
    }
    store::save_failures(tx.conn, &row)?;
    let login: String = login.trim().chars().take(128).collect();
    audit::record(
        tx,
        None,
        "user.login_failed",
        "user",
        user.map(|u| u.id.clone()),
        serde_json::json!({ "login": login, "method": method, "reason": reason }),
    )?;
    if locked {
        audit::record(
            tx,
            None,
            "user.login_locked",
            "user",
            user.map(|u| u.id.clone()),
            serde_json::json!({ "login": login, "seconds": ctx.config().login.lockout_secs }),
        )?;
    }
    Ok(())
}

/// Records a failure in its own transaction and answers `err`.
fn fail<T>(
    ctx: &Ctx,
    key: &str,
    login: &str,
    user: Option<&UserRow>,
    method: &str,
    reason: &str,
    err: Error,
) -> Result<T> {
    ctx.store
        .write(|tx| record_failure(tx, ctx, key, login, user, method, reason))?;
    Err(err)
}

/// Whether the server requires a second factor of this account.
pub fn mfa_required(ctx: &Ctx, user: &UserRow) -> bool {
    !user.is_bot
        && match ctx.config().mfa.enforce {
            MfaEnforcement::None => false,
            MfaEnforcement::Admins => hearth_core::permissions::is_system_admin(user.role),
            MfaEnforcement::All => true,
        }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ChallengeData {
    method: String,
    attempts: u32,
    /// Secret being enrolled during an enforced enrolment, sealed.
    #[serde(default)]
    enrol_secret: Option<String>,
}

/// What the first look at a login found.
enum Checked {
    /// A local account whose password matched.
    Local(Box<UserRow>),
    /// For the directory to decide: a linked account, or no account yet.
    Ldap(Option<Box<UserRow>>),
    /// Refused, with the audit reason.
    Refuse(Option<Box<UserRow>>, &'static str),
}

/// Checks the credentials and answers a session or an MFA challenge.
pub async fn password_login(
    ctx: Arc<Ctx>,
    req: LoginRequest,
    user_agent: String,
) -> hearth_core::Result<LoginOutcome> {
    let login = normalised_login(&req)?;
    let ldap_on = ctx.signin.ldap.load().is_some();
    let (l, password) = (login.clone(), req.password.clone());
    let (key, checked) = ctx
        .run(move |c: &Ctx| check_credentials(c, &l, &password, ldap_on))
        .await?;
    let (user, method) = match checked {
        Checked::Local(u) => (*u, "password"),
        Checked::Refuse(u, reason) => {
            let failure = Failure {
                key,
                login,
                user: u,
                method: "password",
            };
            return failure
                .record(&ctx, reason.to_string(), Error::InvalidCredentials)
                .await;
        }
        Checked::Ldap(local) => {
            let failure = Failure {
                key: key.clone(),
                login,
                user: local,
                method: "ldap",
            };
            (directory_login(&ctx, failure, &req.password).await?, "ldap")
        }
    };
    finish_login(&ctx, key, user, method, user_agent).await
}

/// The typed login, trimmed; over-long logins and passwords are refused
/// like wrong ones.
fn normalised_login(req: &LoginRequest) -> Result<String> {
    let login = req.login.trim().to_string();
    if login.is_empty() || login.chars().count() > 254 || req.password.chars().count() > 1024 {
        return Err(Error::InvalidCredentials);
    }
    Ok(login)
}

/// Looks the login up, refuses it while locked and checks a local
/// account's password; answers the key failures are counted under and what
/// was found. Every path that does not reach the directory runs one argon2
/// check, so timing does not tell which accounts exist.
fn check_credentials(
    c: &Ctx,
    login: &str,
    password: &str,
    ldap_on: bool,
) -> Result<(String, Checked)> {
    let found = c.store.read(|conn| {
        Ok(match users::by_login(conn, login)? {
            Some(u) => {
                let a = auth_row(conn, &u.id)?;
                Some((u, a))
            }
            None => None,
        })
    })?;
    let key = match &found {
        Some((u, _)) => account_key(&u.id),
        None => login_key(login),
    };
    refuse_if_locked(c, &key, login)?;
    let checked = match found {
        Some((u, a)) if a.source == SignInSource::Local => {
            let ok = match u.password_hash.as_deref() {
                Some(h) => c.passwords.verify_login(password, h),
                None => {
                    c.passwords.verify_login(password, &c.dummy_hash);
                    false
                }
            };
            if ok {
                Checked::Local(Box::new(u))
            } else {
                Checked::Refuse(Some(Box::new(u)), "password.wrong")
            }
        }
        Some((u, a)) if a.source == SignInSource::Ldap && ldap_on => {
            Checked::Ldap(Some(Box::new(u)))
        }
        Some((u, _)) => {
            c.passwords.verify_login(password, &c.dummy_hash);
            Checked::Refuse(Some(Box::new(u)), "login.not_password_account")
        }
        None if ldap_on => Checked::Ldap(None),
        None => {
            c.passwords.verify_login(password, &c.dummy_hash);
            Checked::Refuse(None, "user.unknown")
        }
    };
    Ok((key, checked))
}

/// A locked login is audited and refused before any password check.
fn refuse_if_locked(c: &Ctx, key: &str, login: &str) -> Result<()> {
    let Some(secs) = c.store.read(|conn| check_lock(conn, key))? else {
        return Ok(());
    };
    c.store.write(|tx| {
        let login: String = login.chars().take(128).collect();
        audit::record(
            tx,
            None,
            "user.login_failed",
            "user",
            None,
            serde_json::json!({ "login": login, "reason": "login.locked" }),
        )
    })?;
    Err(Error::RateLimited {
        retry_after_secs: secs,
    })
}

/// Who a failed login attempt is counted against, and how it was tried.
struct Failure {
    key: String,
    login: String,
    user: Option<Box<UserRow>>,
    method: &'static str,
}

impl Failure {
    /// Records the failure on the blocking pool and answers `err`.
    async fn record<T: Send + 'static>(
        self,
        ctx: &Arc<Ctx>,
        reason: String,
        err: Error,
    ) -> Result<T> {
        ctx.run(move |c: &Ctx| {
            fail(
                c,
                &self.key,
                &self.login,
                self.user.as_deref(),
                self.method,
                &reason,
                err,
            )
        })
        .await
    }
}

/// Search-then-bind against the directory, then creates or updates the
/// linked account; failures are recorded against `failure`.
async fn directory_login(ctx: &Arc<Ctx>, failure: Failure, password: &str) -> Result<UserRow> {
    let dir = ctx
        .signin
        .ldap
        .load_full()
        .ok_or_else(|| Error::internal("LDAP is not configured"))?;
    match dir.authenticate(&failure.login, password).await {
        Ok(du) => {
            let provisioned = ctx
                .run(move |c: &Ctx| directory::provision_login(c, &du))
                .await?;
            match provisioned {
                Ok(u) => Ok(u),
                Err(reason) => failure.record(ctx, reason, Error::InvalidCredentials).await,
            }
        }
        Err(e) => {
            let err = match e.public_code() {
                "auth.account_disabled" => Error::AccountInactive,
                "auth.invalid_credentials" => Error::InvalidCredentials,
                _ => {
                    tracing::warn!(code = e.code(), error = %e, "LDAP login failed");
                    Error::Unavailable("the directory cannot be reached; try again later".into())
                }
            };
            failure.record(ctx, e.code().to_string(), err).await
        }
    }
}

/// The credentials are right: refuses a deactivated account, clears the
/// failure count and answers an MFA challenge or a new session.
async fn finish_login(
    ctx: &Arc<Ctx>,
    key: String,
    user: UserRow,
    method: &'static str,
    user_agent: String,
) -> Result<LoginOutcome> {
    ctx.run(move |c: &Ctx| {
        if !user.is_active {
            return fail(
                c,
                &key,
                &user.username,
                Some(&user),
                method,
                "account.inactive",
                Error::AccountInactive,
            );
        }
        c.store.write(|tx| {
            store::clear_failures(tx.conn, &key)?;
            let auth = auth_row(tx.conn, &user.id)?;
            let enrol = !auth.mfa_enabled && mfa_required(c, &user);
            if auth.mfa_enabled || enrol {
                return challenge(tx, c, &user, method, enrol).map(LoginOutcome::Mfa);
            }
            open_session(tx, &c.config(), &user, &user_agent, method, None)
                .map(LoginOutcome::Session)
        })
    })
    .await
}

fn challenge(
    tx: &mut Tx,
    ctx: &Ctx,
    user: &UserRow,
    method: &str,
    enrolment_required: bool,
) -> Result<MfaChallenge> {
    let now = now_millis();
    store::purge_challenges(tx.conn, now)?;
    let token = new_secret();
    let expires_at = now + ctx.config().mfa.challenge_ttl_secs as i64 * 1000;
    let data = ChallengeData {
        method: method.to_string(),
        ..Default::default()
    };
    store::insert_challenge(
        tx.conn,
        &AuthChallengeRow {
            id_hash: token_hash(&token),
            kind: ChallengeKind::Mfa,
            user_id: Some(user.id.clone()),
            data: serde_json::to_string(&data).map_err(Error::internal)?,
            created_at: now,
            expires_at,
        },
    )?;
    audit::record(
        tx,
        Some(parse_id(&user.id)),
        "user.login_mfa_challenge",
        "user",
        Some(user.id.clone()),
        serde_json::json!({ "method": method, "enrolment_required": enrolment_required }),
    )?;
    Ok(MfaChallenge {
        mfa_required: true,
        mfa_token: token,
        enrolment_required,
        expires_at,
    })
}

/// Loads a live challenge; expired ones are removed and refused.
fn live_challenge(tx: &mut Tx, token: &str) -> Result<(AuthChallengeRow, ChallengeData, UserRow)> {
    let hash = token_hash(token);
    let row = store::challenge(tx.conn, &hash, ChallengeKind::Mfa)?.ok_or(Error::SessionExpired)?;
    if row.expires_at <= now_millis() {
        store::take_challenge(tx.conn, &hash, ChallengeKind::Mfa)?;
        return Err(Error::SessionExpired);
    }
    let data: ChallengeData = serde_json::from_str(&row.data).unwrap_or_default();
    let user = row
        .user_id
        .as_deref()
        .map(|id| users::by_id(tx.conn, id))
        .transpose()?
        .flatten()
        .ok_or(Error::SessionExpired)?;
    if !user.is_active {
        return Err(Error::AccountInactive);
    }
    Ok((row, data, user))
}

/// During an enforced enrolment: the secret to add to the authenticator app.
pub fn login_enrol(ctx: &Ctx, req: &LoginMfaEnrolRequest) -> Result<MfaEnrolment> {
    ctx.store.write(|tx| {
        let (row, mut data, user) = live_challenge(tx, &req.mfa_token)?;
        if auth_row(tx.conn, &user.id)?.mfa_enabled {
            return Err(Error::conflict("MFA is already set up; enter a code"));
        }
        let e = totp::enrol(&ctx.config().mfa.issuer, &user.username).map_err(Error::internal)?;
        data.enrol_secret = Some(super::mfa::seal(ctx, &user.id, &e.secret_base32)?);
        store::update_challenge_data(
            tx.conn,
            &row.id_hash,
            &serde_json::to_string(&data).map_err(Error::internal)?,
        )?;
        Ok(MfaEnrolment {
            secret: e.secret_base32,
            otpauth_uri: e.otpauth_uri,
        })
    })
}

/// Second step: a TOTP code (or a recovery code) turns the challenge into a
/// session. Wrong codes count towards the login's lockout.
pub fn login_mfa(ctx: &Ctx, req: &LoginMfaRequest, user_agent: &str) -> Result<MfaLoginResponse> {
    let code = req.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let recovery = req
        .recovery_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if code.is_some() == recovery.is_some() {
        return Err(Error::invalid("send either `code` or `recovery_code`"));
    }
    ctx.store.write(|tx| {
        let (row, mut data, user) = live_challenge(tx, &req.mfa_token)?;
        let key = mfa_key(&user.id);
        if let Some(secs) = check_lock(tx.conn, &key)? {
            return Ok(Err(Error::RateLimited {
                retry_after_secs: secs,
            }));
        }
        let mut auth = auth_row(tx.conn, &user.id)?;
        let now_secs = (now_millis() / 1000) as u64;
        let mut recovery_codes = None;
        let ok = if let Some(rc) = recovery {
            auth.mfa_enabled
                && store::use_recovery_code(tx.conn, &user.id, &totp::hash_recovery_code(rc))?
        } else if let Some(code) = code {
            // Both are sealed for this account (see `super::mfa::seal`).
            let (stored, enrolling) = match (&auth.mfa_secret, auth.mfa_enabled, &data.enrol_secret)
            {
                (Some(s), true, _) => (s.clone(), false),
                (_, false, Some(s)) => (s.clone(), true),
                _ => {
                    return Ok(Err(Error::invalid(
                        "set up MFA first: POST /api/v1/users/login/mfa/enrol",
                    )));
                }
            };
            let secret = super::mfa::unseal(ctx, &user.id, &stored)?;
            let last = if enrolling {
                None
            } else {
                auth.mfa_last_step.map(|s| s as u64)
            };
            match totp::verify(&secret, code, now_secs, last).map_err(Error::internal)? {
                Some(step) => {
                    auth.mfa_last_step = Some(step as i64);
                    if enrolling {
                        auth.mfa_secret = Some(stored);
                        auth.mfa_enabled = true;
                        crate::services::sessions::revoke_personal_tokens_in(
                            tx,
                            parse_id(&user.id),
                            "mfa_enable",
                        )?;
                        recovery_codes = Some(super::mfa::new_recovery_codes(
                            tx,
                            &user.id,
                            "user.mfa_enable",
                            serde_json::json!({ "during_login": true }),
                        )?);
                    }
                    auth.updated_at = now_millis();
                    store::save_auth(tx.conn, &auth)?;
                    true
                }
                None => false,
            }
        } else {
            false
        };
        if !ok {
            data.attempts += 1;
            if data.attempts >= MFA_ATTEMPTS {
                store::take_challenge(tx.conn, &row.id_hash, ChallengeKind::Mfa)?;
            } else {
                store::update_challenge_data(
                    tx.conn,
                    &row.id_hash,
                    &serde_json::to_string(&data).map_err(Error::internal)?,
                )?;
            }
            let reason = if recovery.is_some() {
                "mfa.wrong_recovery_code"
            } else {
                "mfa.wrong_code"
            };
            record_failure(
                tx,
                ctx,
                &key,
                &user.username,
                Some(&user),
                &data.method,
                reason,
            )?;
            return Ok(Err(Error::InvalidCredentials));
        }
        if store::take_challenge(tx.conn, &row.id_hash, ChallengeKind::Mfa)?.is_none() {
            return Ok(Err(Error::SessionExpired));
        }
        store::clear_failures(tx.conn, &key)?;
        if recovery.is_some() {
            let left = store::recovery_codes(tx.conn, &user.id)?.len();
            audit::record(
                tx,
                Some(parse_id(&user.id)),
                "user.mfa_recovery_code_used",
                "user",
                Some(user.id.clone()),
                serde_json::json!({ "left": left }),
            )?;
        }
        let method = format!("{}+mfa", data.method);
        let session = open_session(tx, &ctx.config(), &user, user_agent, &method, None)?;
        Ok(Ok(MfaLoginResponse {
            session,
            recovery_codes,
        }))
    })?
}
