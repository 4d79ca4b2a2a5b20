//! OpenID Connect single sign-on: the redirect to the provider and the callback.
//!
//! The pending sign-in (state, nonce, PKCE verifier) is kept server-side in
//! `auth_challenges`, keyed by the SHA-256 of `state`, and deleted when the
//! callback uses it: the verifier never leaves the server, each sign-in
//! completes at most once, and any server sharing the database can take the
//! callback. A short-lived HttpOnly cookie carries `state` as well, so a
//! callback only completes in the browser that started it (login CSRF).

use std::sync::Arc;

use hearth_api::{AuthProvider, AuthProviders, EventPayload, LoginResponse};
use hearth_core::{Error, Result, now_millis};
use hearth_identity::oidc::{CallbackParams, ExternalIdentity, LoginResult, PendingLogin};
use hearth_identity::provisioning::{ProvisioningDecision, ProvisioningPolicy, decide};
use hearth_identity::sync::desired_memberships;
use hearth_identity::{DirectoryUser, ExistingAccount, GroupRef, IdentityError};
use hearth_store::identity as store;
use hearth_store::kinds::{ChallengeKind, SignInSource};
use hearth_store::models::{AuthChallengeRow, UserAuthRow, UserRow};
use hearth_store::{Audience, Change, Tx, users};

use super::directory::{apply_channel, apply_role, apply_team, to_existing};
use super::{Synced, auth_row, create_external_user, display_name_of, open_session, usable_email};
use crate::services::{audit, sessions};
use crate::state::Ctx;
use crate::tokens::token_hash;

/// Cookie binding a started sign-in to the browser.
pub const STATE_COOKIE: &str = "HEARTH_OIDC_STATE";

pub fn providers(ctx: &Ctx) -> AuthProviders {
    AuthProviders {
        providers: ctx
            .signin
            .oidc
            .listing()
            .into_iter()
            .map(|p| AuthProvider {
                login_url: format!("/api/v1/oauth/{}/login", p.id),
                id: p.id,
                display_name: p.display_name,
                kind: "oidc".into(),
            })
            .collect(),
        ldap: ctx.signin.ldap.load().is_some(),
    }
}

/// Only paths on this server: no scheme, no host, no `//` or `\` tricks.
pub fn safe_return_to(r: Option<&str>) -> Option<String> {
    let r = r?.trim();
    let ok = r.starts_with('/')
        && !r.starts_with("//")
        && !r.contains('\\')
        && !r.chars().any(char::is_control)
        && r.len() <= 2048;
    ok.then(|| r.to_string())
}

/// Starts a sign-in; answers the provider URL and the `state` for the cookie.
pub async fn start(
    ctx: Arc<Ctx>,
    provider: String,
    return_to: Option<String>,
) -> hearth_core::Result<(String, String, u64)> {
    let cfg = ctx
        .signin
        .oidc
        .config(&provider)
        .ok_or(Error::NotFound("provider"))?;
    let ttl = cfg.login_ttl_secs;
    let start = ctx
        .signin
        .oidc
        .start_login(&provider, safe_return_to(return_to.as_deref()))
        .await
        .map_err(|e| {
            tracing::warn!(provider, code = e.code(), error = %e, "OpenID sign-in cannot start");
            Error::Unavailable(format!(
                "the sign-in provider is unavailable ({})",
                e.code()
            ))
        })?;
    let state = start.pending.state.clone();
    let pending = start.pending;
    ctx.run(move |c: &Ctx| {
        c.store.write(|tx| {
            let now = now_millis();
            store::purge_challenges(tx.conn, now)?;
            store::insert_challenge(
                tx.conn,
                &AuthChallengeRow {
                    id_hash: token_hash(&pending.state),
                    kind: ChallengeKind::Oidc,
                    user_id: None,
                    data: serde_json::to_string(&pending).map_err(Error::internal)?,
                    created_at: now,
                    expires_at: pending.expires_at as i64 * 1000,
                },
            )?;
            Ok(())
        })
    })
    .await?;
    Ok((start.authorization_url, state, ttl))
}

/// How a callback ended, for the redirect into the web client.
pub enum Finished {
    SignedIn {
        session: Box<LoginResponse>,
        return_to: Option<String>,
    },
    /// A stable code for the login page (`auth.login_expired`,
    /// `auth.invalid_response`, `provisioning.email_in_use`...).
    Failed(String),
}

/// Completes a sign-in from the callback query string.
pub async fn callback(
    ctx: Arc<Ctx>,
    provider: String,
    query: String,
    state_cookie: Option<String>,
    user_agent: String,
) -> hearth_core::Result<Finished> {
    let params = CallbackParams::from_query(&query);
    let Some(state) = params.state.clone() else {
        return Ok(Finished::Failed("auth.login_expired".into()));
    };
    let bound = state_cookie.as_deref() == Some(state.as_str());
    let hash = token_hash(&state);
    let pending = ctx
        .run(move |c: &Ctx| {
            c.store
                .write(|tx| Ok(store::take_challenge(tx.conn, &hash, ChallengeKind::Oidc)?))
        })
        .await?;
    let pending: Option<PendingLogin> = pending.and_then(|r| serde_json::from_str(&r.data).ok());
    let Some(pending) = pending.filter(|p| p.provider_id == provider && bound) else {
        return failed(&ctx, &provider, "oidc.state_mismatch", "auth.login_expired").await;
    };
    let result: LoginResult = match ctx.signin.oidc.complete_login(&pending, &params).await {
        Ok(r) => r,
        Err(e) => {
            if !matches!(e, IdentityError::OidcProviderError { .. }) {
                tracing::warn!(provider, code = e.code(), error = %e, "OpenID callback refused");
            }
            return failed(&ctx, &provider, e.code(), e.public_code()).await;
        }
    };
    let outcome = ctx
        .run(move |c: &Ctx| c.store.write(|tx| provision(tx, c, &result, &user_agent)))
        .await?;
    Ok(outcome)
}

async fn failed(
    ctx: &Arc<Ctx>,
    provider: &str,
    code: &str,
    public: &str,
) -> hearth_core::Result<Finished> {
    let (p, c) = (provider.to_string(), code.to_string());
    ctx.run(move |ctx: &Ctx| {
        ctx.store.write(|tx| {
            audit::record(
                tx,
                None,
                "user.login_failed",
                "user",
                None,
                serde_json::json!({ "method": "oidc", "provider": p, "reason": c }),
            )
        })
    })
    .await?;
    Ok(Finished::Failed(public.to_string()))
}

/// Accounts `decide` needs: the linked one and those sharing the e-mail.
fn candidates(tx: &mut Tx, id: &ExternalIdentity) -> Result<Vec<ExistingAccount>> {
    let mut out = Vec::new();
    if let Some(a) = store::by_external(tx.conn, SignInSource::Oidc, &id.provider_id, &id.subject)?
        && let Some(u) = users::by_id(tx.conn, &a.user_id)?
    {
        out.push(to_existing(&u, Some(&a)));
    }
    if let Some(email) = &id.email
        && let Some(u) = users::by_email(tx.conn, email)?
        && !out.iter().any(|e| e.user_id.to_string() == u.id)
    {
        let a = store::auth_of(tx.conn, &u.id)?;
        out.push(to_existing(&u, a.as_ref()));
    }
    Ok(out)
}

fn provision(tx: &mut Tx, ctx: &Ctx, r: &LoginResult, user_agent: &str) -> Result<Finished> {
    let id = &r.identity;
    let cfg = ctx
        .signin
        .oidc
        .config(&id.provider_id)
        .ok_or(Error::NotFound("provider"))?;
    let policy = ProvisioningPolicy::from(cfg);
    let existing = candidates(tx, id)?;
    let decision = decide(id, &policy, &existing);
    let audit_decision = |tx: &mut Tx, user: Option<&str>, action: &str| {
        audit::record(
            tx,
            None,
            "user.provision",
            "user",
            user.map(str::to_string),
            serde_json::json!({
                "source": "oidc", "provider": id.provider_id, "decision": action,
                "email": id.email, "email_verified": id.email_verified,
            }),
        )
    };
    let user = match decision {
        ProvisioningDecision::SignIn { user_id } => {
            match users::by_id(tx.conn, &user_id.to_string())? {
                Some(mut row) => {
                    refresh_profile(tx, &mut row, id)?;
                    Some(row)
                }
                None => None,
            }
        }
        ProvisioningDecision::Link { user_id } => {
            let uid = user_id.to_string();
            let mut a = auth_row(tx.conn, &uid)?;
            a.source = SignInSource::Oidc;
            a.provider = id.provider_id.clone();
            a.external_id = Some(id.subject.clone());
            a.updated_at = now_millis();
            store::save_auth(tx.conn, &a)?;
            // Whoever held the account before it was linked (its password,
            // sessions or tokens) is out: from now on it is the identity's.
            sessions::revoke_all_in(tx, None, user_id)?;
            audit_decision(tx, Some(&uid), "link")?;
            match users::by_id(tx.conn, &uid)? {
                Some(mut row) => {
                    refresh_profile(tx, &mut row, id)?;
                    Some(row)
                }
                None => None,
            }
        }
        ProvisioningDecision::Create { account } => {
            let mut auth = UserAuthRow::local("", now_millis());
            auth.source = SignInSource::Oidc;
            auth.provider = id.provider_id.clone();
            auth.external_id = Some(id.subject.clone());
            let mut row = create_external_user(
                tx,
                &account.login,
                account.email.as_deref(),
                &account.names,
                auth,
            )?;
            if account.email_verified && account.email.as_deref() == Some(row.email.as_str()) {
                row.email_verified_at = Some(now_millis());
                users::save(tx.conn, &row)?;
            }
            audit_decision(tx, Some(&row.id), "create")?;
            Some(row)
        }
        ProvisioningDecision::Refuse { reason } => {
            let code = reason.code();
            audit::record(
                tx,
                None,
                "user.login_failed",
                "user",
                None,
                serde_json::json!({
                    "method": "oidc", "provider": id.provider_id, "reason": code,
                    "email": id.email,
                }),
            )?;
            return Ok(Finished::Failed(code.to_string()));
        }
    };
    let Some(user) = user.filter(|u| u.is_active) else {
        return Ok(Finished::Failed("auth.account_disabled".into()));
    };
    apply_group_claims(tx, ctx, &user.id, id)?;
    let user = users::by_id(tx.conn, &user.id)?.unwrap_or(user);
    let session = open_session(
        tx,
        &ctx.config(),
        &user,
        user_agent,
        "oidc",
        Some((&id.provider_id, &r.id_token)),
    )?;
    Ok(Finished::SignedIn {
        session: Box::new(session),
        return_to: r.return_to.clone(),
    })
}

/// Keeps the display name and (verified) e-mail in step with the provider's
/// claims at each sign-in; an e-mail another account uses is left alone.
fn refresh_profile(tx: &mut Tx, row: &mut UserRow, id: &ExternalIdentity) -> Result<()> {
    let mut fields = Vec::new();
    let has_names = id.names.display_name.is_some()
        || id.names.first_name.is_some()
        || id.names.last_name.is_some();
    if has_names {
        let name = display_name_of(&id.names, &row.username);
        if name != row.display_name {
            row.display_name = name;
            fields.push("display_name");
        }
    }
    if id.email_verified
        && let Some(email) = id.email.as_deref()
    {
        let usable = usable_email(tx.conn, Some(email), Some(&row.id))?;
        let verified = usable.eq_ignore_ascii_case(email);
        if usable != row.email {
            row.email = usable;
            row.email_verified_at = None;
            fields.push("email");
        }
        if verified && row.email_verified_at.is_none() {
            row.email_verified_at = Some(now_millis());
            fields.push("email_verified");
        }
    }
    if fields.is_empty() {
        return Ok(());
    }
    row.updated_at = now_millis();
    users::save(tx.conn, row)?;
    tx.log(Change::new(
        EventPayload::UserUpdated(row.to_api(false)),
        Audience::All,
    ))?;
    audit::record(
        tx,
        None,
        "user.sync_update",
        "user",
        Some(row.id.clone()),
        serde_json::json!({ "source": "oidc", "provider": id.provider_id, "fields": fields }),
    )
}

/// Applies `[[oidc.group_mappings]]` to the groups claim, revoking only what
/// an earlier sign-in granted.
fn apply_group_claims(tx: &mut Tx, ctx: &Ctx, uid: &str, id: &ExternalIdentity) -> Result<()> {
    let mappings = &ctx.config().oidc.group_mappings;
    if mappings.is_empty() {
        return Ok(());
    }
    let as_user = DirectoryUser {
        stable_id: id.subject.clone(),
        login: id.subject.clone(),
        email: None,
        first_name: None,
        last_name: None,
        display_name: None,
        dn: String::new(),
        groups: id
            .groups
            .iter()
            .map(|g| GroupRef {
                dn: g.clone(),
                name: g.clone(),
            })
            .collect(),
        disabled: false,
    };
    let want = desired_memberships(&as_user, mappings);
    let had = Synced::parse(&auth_row(tx.conn, uid)?.synced).memberships;
    for (team, role) in &want.teams {
        if had.teams.get(team) != Some(role) {
            apply_team(tx, uid, team, Some(*role))?;
        }
    }
    for team in had.teams.keys().filter(|t| !want.teams.contains_key(*t)) {
        apply_team(tx, uid, team, None)?;
    }
    for ch in want.channels.difference(&had.channels) {
        apply_channel(tx, uid, ch, true)?;
    }
    for ch in had.channels.difference(&want.channels) {
        apply_channel(tx, uid, ch, false)?;
    }
    if want.system_role != had.system_role {
        // An officer's role is left alone; the skip is audited.
        apply_role(tx, uid, want.system_role, SignInSource::Oidc)?;
    }
    Ok(())
}

/// RP-initiated logout URL for a session opened by single sign-on.
pub async fn logout_url(ctx: Arc<Ctx>, session_id: String) -> Option<String> {
    let sso = ctx
        .run(move |c: &Ctx| {
            c.store
                .read(|conn| Ok(store::session_sso(conn, &session_id)?))
        })
        .await
        .ok()
        .flatten()?;
    let (provider, id_token) = sso;
    let post_logout = (!ctx.config().server.public_url.is_empty())
        .then(|| format!("{}/", ctx.config().server.public_url.trim_end_matches('/')));
    match ctx
        .signin
        .oidc
        .logout_url(&provider, Some(&id_token), post_logout.as_deref(), None)
        .await
    {
        Ok(u) => u,
        Err(e) => {
            tracing::warn!(provider, code = e.code(), "no provider logout URL");
            None
        }
    }
}
