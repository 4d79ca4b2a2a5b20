//! Domain services: each public function checks permissions, validates input
//! and performs one transaction that writes rows, change-log entries and
//! audit entries together.

pub mod accounts;
pub mod audit;
pub mod channels;
pub mod files;
pub mod posts;
pub mod sessions;
pub mod teams;
pub mod threads;

use hearth_core::{Error, Id};

/// Parses a stored or client-given id, rejecting malformed ones clearly.
pub fn key(id: Id) -> String {
    id.to_string()
}

pub fn not_found<T>(what: &'static str) -> Result<T, Error> {
    Err(Error::NotFound(what))
}
