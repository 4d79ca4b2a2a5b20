//! The context every handler and service receives; nothing here is global,
//! so tests can run many servers in one process.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hearth_core::{Error, Id};
use hearth_store::Store;

use crate::config::Config;
use crate::error::ApiError;
use crate::files::FileStore;
use crate::hub::Hub;
use crate::metrics::Metrics;

pub struct Ctx {
    /// The running and saved configuration; read it through [`Ctx::config`].
    pub settings: crate::settings::Settings,
    pub store: Arc<Store>,
    pub hub: Hub,
    pub files: FileStore,
    pub metrics: Metrics,
    pub limits: Limits,
    /// A hash to verify against when the login names no account, so that
    /// unknown accounts cost the same time as wrong passwords.
    pub dummy_hash: String,
    /// Bounds concurrent password hashing (see [`PasswordGate`]).
    pub passwords: PasswordGate,
    /// LDAP directory, OpenID providers and sync state.
    pub signin: crate::signin::SignIn,
    /// The full-text index, unless switched off in the configuration.
    pub search: Option<Arc<crate::search::SearchService>>,
    /// The compliance job runner's shared state.
    pub compliance: crate::compliance::Compliance,
    /// When this server started (UTC milliseconds), for the uptime.
    pub started_at: i64,
}

/// Lets at most `n` argon2 computations run at once. Each takes 19 MiB and
/// most of a core, so an unbounded burst of logins would exhaust memory and
/// starve everything else; excess callers wait their turn.
pub struct PasswordGate {
    free: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

impl PasswordGate {
    pub fn new(n: usize) -> PasswordGate {
        PasswordGate {
            free: std::sync::Mutex::new(n.max(1)),
            freed: std::sync::Condvar::new(),
        }
    }

    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        drop(free);
        let out = f();
        *self.free.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        self.freed.notify_one();
        out
    }

    pub fn hash(&self, password: &str) -> hearth_core::Result<String> {
        self.run(|| crate::auth::hash_password(password))
    }

    pub fn verify(&self, password: &str, hash: &str) -> bool {
        self.run(|| crate::auth::verify_password(password, hash))
    }
}

/// Rate limits: logins per client address, posts per user.
pub struct Limits {
    logins: DefaultKeyedRateLimiter<IpAddr>,
    posts: DefaultKeyedRateLimiter<Id>,
}

impl Limits {
    pub fn new(logins_per_minute: u32, posts_per_second: u32) -> Limits {
        let nz = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Limits {
            logins: RateLimiter::keyed(
                Quota::per_minute(nz(logins_per_minute)).allow_burst(nz(logins_per_minute)),
            ),
            posts: RateLimiter::keyed(
                Quota::per_second(nz(posts_per_second)).allow_burst(nz(posts_per_second * 2)),
            ),
        }
    }

    pub fn login(&self, ip: IpAddr) -> Result<(), Error> {
        self.logins.check_key(&ip).map_err(|_| Error::RateLimited {
            retry_after_secs: 60,
        })
    }

    pub fn post(&self, user: Id) -> Result<(), Error> {
        self.posts.check_key(&user).map_err(|_| Error::RateLimited {
            retry_after_secs: 1,
        })
    }
}

impl Ctx {
    /// The configuration in effect now. Keys that change live (see
    /// `crate::settings`) may differ between two calls: read it once per
    /// decision.
    pub fn config(&self) -> Arc<Config> {
        self.settings.running()
    }

    /// Runs blocking work (diesel, argon2, image decoding) on the blocking pool.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Ctx) -> hearth_core::Result<T> + Send + 'static,
    {
        let ctx = self.clone();
        let addr = crate::client_addr::of_request();
        match tokio::task::spawn_blocking(move || crate::client_addr::with(addr, || f(&ctx))).await
        {
            Ok(r) => r.map_err(ApiError),
            Err(e) => Err(ApiError(Error::internal(format!(
                "blocking task failed: {e}"
            )))),
        }
    }
}
