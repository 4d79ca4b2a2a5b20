//! `hearthctl` end to end: the real binary against real servers on SQLite
//! and PostgreSQL, in table and `--json` output.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod harness;

use hearth_testkit::both_backends;

mod basics;
mod compliance;
mod directory;
mod local;
mod operations;
mod system;
