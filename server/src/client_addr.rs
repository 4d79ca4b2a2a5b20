//! The client address of the request being served, for the audit log.
//!
//! A middleware scopes the address to the request's task; [`Ctx::run`]
//! carries it onto the blocking thread that does the work, where
//! `services::audit::record` reads it. Work started outside a request (jobs,
//! the scheduler, the local socket) has none.
//!
//! [`Ctx::run`]: crate::state::Ctx::run

use std::cell::RefCell;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

tokio::task_local! {
    static REQUEST_ADDR: Option<String>;
}

thread_local! {
    static BLOCKING_ADDR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Middleware: the client address of TCP requests, found as for rate
/// limiting (the peer, or the client a trusted proxy names).
pub async fn scope(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let addr = req
        .peer_addr()
        .map(|_| crate::routes::extract::client_ip(req.request()).to_string());
    REQUEST_ADDR.scope(addr, next.call(req)).await
}

/// The address of the request this task serves, if any.
pub fn of_request() -> Option<String> {
    REQUEST_ADDR.try_with(Clone::clone).ok().flatten()
}

/// Runs `f` with `addr` as the current client address of this thread.
pub fn with<T>(addr: Option<String>, f: impl FnOnce() -> T) -> T {
    let previous = BLOCKING_ADDR.with(|a| a.replace(addr));
    let out = f();
    BLOCKING_ADDR.with(|a| *a.borrow_mut() = previous);
    out
}

/// The client address of the work running on this thread, if any.
pub fn current() -> Option<String> {
    BLOCKING_ADDR
        .with(|a| a.borrow().clone())
        .or_else(of_request)
}
