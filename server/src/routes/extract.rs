//! Who is calling, from an HTTP request: bearer tokens and session cookies,
//! with CSRF protection for cookie-authenticated writes.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use hearth_core::Error;
use hearth_core::permissions::Actor;

use crate::auth::Auth;
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
/// The HttpOnly session cookie every login path sets.
pub fn session_cookie(ctx: &Ctx, token: &str) -> Cookie<'static> {
    cookie(&ctx.config(), SESSION_COOKIE, token.to_string(), "/")
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(i64::from(
            ctx.config().accounts.session_days,
        )))
        .finish()
}

pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// Application data present only in the app served on the local
/// administration socket. It is set by the listener, never derived from the
/// request, so nothing a TCP client sends can make it appear.
#[derive(Debug, Clone, Copy)]
pub struct LocalSocket;

pub(crate) fn bearer(req: &HttpRequest) -> Option<String> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
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
            let (session, user) = ctx
                .run(move |ctx: &Ctx| crate::services::sessions::authenticate(ctx, &token))
                .await?;
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

/// The User-Agent header, recorded with the session it opens.
pub fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
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

/// Middleware: the client address of TCP requests, found as for rate
/// limiting (the peer, or the client a trusted proxy names), for the audit
/// log (see [`crate::client_addr`]).
pub async fn client_addr_scope(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let addr = req
        .peer_addr()
        .map(|_| client_ip(req.request()).to_string());
    crate::client_addr::scope(addr, next.call(req)).await
}
