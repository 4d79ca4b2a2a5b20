//! Real servers for the integration tests: a private OpenLDAP `slapd` and a Node
//! `oidc-provider`, each on a free loopback port in its own temporary directory,
//! stopped when the handle is dropped.
//!
//! Requirements on the machine: Debian packages `slapd`, `ldap-utils` and `openssl`;
//! Node.js 20+ with npm (the provider's dependencies are installed with `npm ci` into
//! tests/oidc/node_modules on first use).
//!
//! Enabled by the `test-support` feature; never part of a production build.

#![expect(
    clippy::expect_used,
    reason = "test servers stop the test at the first failure"
)]

pub mod ldap;
pub mod oidc;

use std::net::TcpListener;
use std::time::{Duration, Instant};

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    l.local_addr().expect("local addr").port()
}

/// Polls `probe` until it returns true or `limit` passes.
pub fn wait_until(limit: Duration, mut probe: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if probe() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

pub fn crate_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
