//! Security headers on every HTTP response: a strict Content-Security-Policy
//! (scripts, styles and connections from this origin only, no framing),
//! `nosniff`, no referrer across origins, and HSTS when served over TLS.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::state::Ctx;

/// The web client is a Vite build with no inline script or style element:
/// everything comes from this origin. Images may also be `data:` (inlined
/// small assets, QR codes) and `blob:` (local previews of uploads).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; \
    media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

/// Two years, the preload lists' minimum.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

pub async fn secure(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let tls = req
        .app_data::<web::Data<Ctx>>()
        .is_some_and(|c| c.config().secure_cookies());
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        let name = HeaderName::from_static(name);
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set("content-security-policy", CONTENT_SECURITY_POLICY);
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "same-origin");
    if tls {
        set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
    }
    Ok(res)
}
