//! The context every handler and service receives; nothing here is global,
//! so tests can run many servers in one process.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hearth_core::{Error, Id};
use hearth_store::Store;

use crate::config::Config;
use crate::files::FileStore;
use crate::hub::Hub;
use crate::metrics::Metrics;
use crate::passwords::PasswordGate;

pub struct Ctx {
    /// The running and saved configuration; read it through [`Ctx::config`].
    pub settings: crate::settings::Settings,
    pub store: Arc<Store>,
    pub hub: Hub,
    pub files: FileStore,
    pub(crate) metrics: Metrics,
    pub(crate) limits: Limits,
    /// Open WebSocket connections per user, for `realtime.max_connections_per_user`.
    pub(crate) ws_slots: crate::hub::ConnectionSlots,
    /// Bounds concurrent image decoding (see [`crate::services::files`]).
    pub(crate) images: crate::files::ImageGate,
    /// A hash to verify against when the login names no account, so that
    /// unknown accounts cost the same time as wrong passwords.
    pub(crate) dummy_hash: String,
    /// Bounds concurrent password hashing (see [`PasswordGate`]).
    pub passwords: PasswordGate,
    /// LDAP directory, OpenID providers and sync state.
    pub signin: crate::signin::SignIn,
    /// The full-text index, unless switched off in the configuration.
    pub(crate) search: Option<Arc<crate::search::SearchService>>,
    /// The compliance job runner's shared state.
    pub(crate) compliance: crate::compliance::Compliance,
    /// When this server started (UTC milliseconds), for the uptime.
    pub(crate) started_at: i64,
}

/// Rate limits: logins and signups per client address (see [`crate::net`]
/// for how the address is found), requests and posts per account.
pub struct Limits {
    logins: DefaultKeyedRateLimiter<IpAddr>,
    signups: DefaultKeyedRateLimiter<IpAddr>,
    posts: DefaultKeyedRateLimiter<Id>,
    requests: DefaultKeyedRateLimiter<Id>,
    /// `server.trusted_proxies`, parsed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Limits {
    pub fn new(config: &Config) -> Limits {
        let l = &config.limits;
        let signups_per_hour = l.signups_per_hour;
        let nz = |n: u32| NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        Limits {
            signups: RateLimiter::keyed(
                Quota::per_hour(nz(signups_per_hour)).allow_burst(nz(signups_per_hour)),
            ),
            logins: RateLimiter::keyed(
                Quota::per_minute(nz(l.logins_per_minute)).allow_burst(nz(l.logins_per_minute)),
            ),
            posts: RateLimiter::keyed(
                Quota::per_second(nz(l.posts_per_second))
                    .allow_burst(nz(l.posts_per_second.saturating_mul(2))),
            ),
            requests: RateLimiter::keyed(
                Quota::per_minute(nz(l.account_requests_per_minute))
                    .allow_burst(nz(l.account_requests_per_minute)),
            ),
            // Validated with the configuration; an invalid entry cannot reach here.
            trusted_proxies: crate::net::parse_proxies(&config.server.trusted_proxies)
                .unwrap_or_default(),
        }
    }

    /// One login attempt from `ip` (IPv6 counted per /64).
    pub fn login(&self, ip: IpAddr) -> Result<(), Error> {
        self.logins
            .check_key(&crate::net::rate_key(ip))
            .map_err(|_| Error::RateLimited {
                retry_after_secs: 60,
            })
    }

    /// One authenticated request by `user`, from wherever it comes.
    pub fn request(&self, user: Id) -> Result<(), Error> {
        self.requests
            .check_key(&user)
            .map_err(|_| Error::RateLimited {
                retry_after_secs: 60,
            })
    }

    /// Signup attempts, counted before any other check.
    pub fn signup(&self, ip: IpAddr) -> Result<(), Error> {
        self.signups
            .check_key(&crate::net::rate_key(ip))
            .map_err(|_| Error::RateLimited {
                retry_after_secs: 60,
            })
    }

    /// Forgets the clients and accounts whose buckets are full again: each
    /// distinct address or account that ever knocked would otherwise keep an
    /// entry for the life of the process. Answers how many entries remain.
    pub fn forget_idle(&self) -> usize {
        self.logins.retain_recent();
        self.signups.retain_recent();
        self.posts.retain_recent();
        self.requests.retain_recent();
        self.logins.shrink_to_fit();
        self.signups.shrink_to_fit();
        self.posts.shrink_to_fit();
        self.requests.shrink_to_fit();
        self.logins.len() + self.signups.len() + self.posts.len() + self.requests.len()
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
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> hearth_core::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Ctx) -> hearth_core::Result<T> + Send + 'static,
    {
        let ctx = self.clone();
        let addr = crate::client_addr::of_request();
        match tokio::task::spawn_blocking(move || crate::client_addr::with(addr, || f(&ctx))).await
        {
            Ok(r) => r,
            Err(e) => Err(Error::internal(format!("blocking task failed: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_rate_limit_entries_are_forgotten() {
        let mut config = Config::default();
        // A login cell comes back every millisecond, so a single attempt is
        // forgotten a few milliseconds later; a signup cell takes an hour.
        config.limits.logins_per_minute = 60_000;
        config.limits.signups_per_hour = 1;
        let limits = Limits::new(&config);
        for i in 0..1000u32 {
            let ip = IpAddr::from(i.to_be_bytes());
            limits.login(ip).unwrap();
            limits.signup(ip).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(limits.forget_idle(), 1000, "only the signup entries stay");
    }
}
