//! The client address of the request being served, for the audit log.
//!
//! A middleware (`routes::extract::client_addr_scope`) scopes the address
//! to the request's task; [`Ctx::run`] carries it onto the blocking thread
//! that does the work, where `services::audit::record` reads it. Work started outside a request (jobs,
//! the scheduler, the local socket) has none.
//!
//! [`Ctx::run`]: crate::state::Ctx::run

use std::cell::RefCell;

tokio::task_local! {
    static REQUEST_ADDR: Option<String>;
}

thread_local! {
    static BLOCKING_ADDR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `fut` (a request's handling) with `addr` as its client address.
pub async fn scope<F: std::future::Future>(addr: Option<String>, fut: F) -> F::Output {
    REQUEST_ADDR.scope(addr, fut).await
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
