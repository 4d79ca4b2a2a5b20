//! The servers the integration tests run against live in the crate's
//! `test-support` feature, so the server's own tests reuse them.

#![allow(
    dead_code,
    unused_imports,
    reason = "shared by test binaries that each use a part"
)]

pub use hearth_identity::test_support::{free_port, ldap, oidc, wait_until};
