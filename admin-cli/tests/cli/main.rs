//! `hearthctl` end to end: the real binary against real servers on SQLite
//! and PostgreSQL, in table and `--json` output.

mod harness;

use hearth_testkit::both_backends;

mod basics;
mod compliance;
mod directory;
mod local;
mod operations;
mod system;
