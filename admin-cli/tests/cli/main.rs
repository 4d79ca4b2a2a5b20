//! `hearthctl` end to end: the real binary against real servers on SQLite
//! and PostgreSQL, in table and `--json` output.

mod harness;

mod basics;
mod compliance;
mod directory;
mod local;
mod operations;
mod system;
