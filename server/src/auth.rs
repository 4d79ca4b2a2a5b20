//! Who is calling: bearer tokens and session cookies, with CSRF protection
//! for cookie-authenticated writes.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, web};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use hearth_api::Role;
use hearth_core::permissions::Actor;
use hearth_core::{Error, Id, now_millis};
use hearth_store::models::{SessionRow, UserRow};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::Ctx;

pub const SESSION_COOKIE: &str = "HEARTH_SESSION";

/// The name a cookie has on this server: `base`, or `__Host-base` when it is
/// served over TLS (`server.public_url` is https).
pub fn cookie_name(config: &crate::Config, base: &'static str) -> String {
    if config.secure_cookies() {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// An HttpOnly cookie named after [`cookie_name`]. Over TLS it is `Secure`
/// with `Path=/` and the `__Host-` prefix, which browsers accept only from
/// this host and never let another host, subdomain or path shadow; over
/// plain http (development) it keeps `base` and `path`.
pub fn cookie(
    config: &crate::Config,
    base: &'static str,
    value: String,
    path: &'static str,
) -> actix_web::cookie::CookieBuilder<'static> {
    let secure = config.secure_cookies();
    actix_web::cookie::Cookie::build(cookie_name(config, base), value)
        .path(if secure { "/" } else { path })
        .secure(secure)
        .http_only(true)
}
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Auth {
    pub actor: Actor,
    pub user: UserRow,
    pub session_id: String,
}

impl Auth {
    pub fn user_id(&self) -> Id {
        self.actor.user_id
    }

    /// The built-in administrator of the local administration socket: it has
    /// no account (it must work before the first one exists), so its id is
    /// [`LOCAL_ADMIN_ID`], which the audit log records as "via local socket".
    pub fn local_admin() -> Auth {
        let mut user = UserRow::new_account(
            "local-admin".into(),
            String::new(),
            "Local administrator".into(),
            None,
            Role::SystemAdmin,
            0,
        );
        user.id = LOCAL_ADMIN_ID.to_string();
        Auth {
            actor: Actor {
                user_id: LOCAL_ADMIN_ID,
                role: Role::SystemAdmin,
            },
            user,
            session_id: String::new(),
        }
    }

    /// True for requests that came through the local administration socket.
    pub fn is_local(&self) -> bool {
        self.actor.user_id == LOCAL_ADMIN_ID
    }

    /// Refuses the local administrator for actions that make the caller
    /// the owner or a member of something (teams, channels, tokens): it
    /// has no account to hold them.
    pub fn require_account(&self) -> Result<(), Error> {
        if self.is_local() {
            return Err(Error::invalid(
                "the local administrator has no account to own this; create an admin \
                 account and act as it (with a personal access token) instead",
            ));
        }
        Ok(())
    }
}

/// The actor id of requests on the local administration socket (the nil
/// UUID, which no account ever gets: account ids are UUIDv7).
pub const LOCAL_ADMIN_ID: Id = Id::nil();

/// Application data present only in the app served on the local
/// administration socket. It is set by the listener, never derived from the
/// request, so nothing a TCP client sends can make it appear.
#[derive(Debug, Clone, Copy)]
pub struct LocalSocket;

/// A random secret for tokens: 32 bytes, URL-safe base64.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Tokens are stored only as their SHA-256, so a database leak does not leak sessions.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(Error::internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub(crate) fn bearer(req: &HttpRequest) -> Option<String> {
    let v = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Resolves a token to its live session and active user.
pub fn authenticate(ctx: &Ctx, token: &str) -> Result<(SessionRow, UserRow), Error> {
    let now = now_millis();
    let (s, u) = ctx.store.read(|c| {
        let s = hearth_store::sessions::by_token_hash(c, &token_hash(token))?
            .ok_or(Error::SessionExpired)?;
        if s.revoked_at.is_some() || s.expires_at.is_some_and(|e| e <= now) {
            return Err(Error::SessionExpired);
        }
        // Idle timeout: browser sessions only; activity is recorded once a minute.
        let idle_ms = ctx.config().sessions.idle_timeout_mins as i64 * 60_000;
        if idle_ms > 0
            && s.kind == hearth_api::SessionKind::Session
            && now - s.last_active_at > idle_ms
        {
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

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Auth, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let ctx = req
                .app_data::<web::Data<Ctx>>()
                .map(|d| d.clone().into_inner())
                .ok_or_else(|| ApiError(Error::internal("no context")))?;
            if req.app_data::<LocalSocket>().is_some() {
                return Ok(Auth::local_admin());
            }
            let (token, via_cookie) = match bearer(&req) {
                Some(t) => (t, false),
                None => match req.cookie(&cookie_name(&ctx.config(), SESSION_COOKIE)) {
                    Some(c) => (c.value().to_string(), true),
                    None => return Err(ApiError(Error::Unauthenticated)),
                },
            };
            let csrf = req
                .headers()
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            // The WebSocket upgrade is a GET and needs no exception: every
            // cookie-authenticated write, whatever its path, carries the token.
            let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
            let (session, user) = ctx.run(move |ctx: &Ctx| authenticate(ctx, &token)).await?;
            ctx.limits.request(hearth_store::parse_id(&user.id))?;
            if via_cookie && writes && !csrf_matches(csrf.as_deref(), &session.csrf_token) {
                return Err(ApiError(Error::CsrfMismatch));
            }
            Ok(Auth {
                actor: Actor {
                    user_id: hearth_store::parse_id(&user.id),
                    role: user.role,
                },
                user,
                session_id: session.id,
            })
        })
    }
}

/// Compares the presented CSRF token with the session's in constant time,
/// so response timing reveals nothing of the expected value.
fn csrf_matches(given: Option<&str>, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(expected.as_bytes())))
}

/// The client address for rate limiting: the peer, or the client a trusted
/// proxy (`server.trusted_proxies`) names; see [`crate::net::client_addr`].
pub fn client_ip(req: &HttpRequest) -> std::net::IpAddr {
    let peer = req
        .peer_addr()
        .map(|a| a.ip())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]));
    match req.app_data::<web::Data<Ctx>>() {
        Some(ctx) => crate::net::client_addr(peer, req, &ctx.limits.trusted_proxies),
        None => peer,
    }
}
