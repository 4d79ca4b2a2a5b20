//! Hearth's storage layer: one diesel schema over SQLite (the embedded
//! default) and PostgreSQL, embedded migrations, repositories, and the change
//! log that every projection (real-time hub, search, exports) follows.

pub mod audit;
pub mod change_log;
pub mod channels;
pub mod compliance;
mod conn;
mod error;
pub mod file_text_failures;
pub mod files;
pub mod identity;
pub mod import_map;
pub mod kinds;
pub mod models;
pub mod posts;
pub mod presence;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod stats;
pub mod teams;
pub mod threads;
pub mod users;

pub use change_log::{Audience, Change, ChangeRow, LoggedChange, UndecodableChange};
pub use conn::{Backend, DbConn, DbOptions, Store, Tx, migrate_only, redact};
pub use error::{StoreError, StoreResult};

use hearth_core::Id;

/// Ids are stored as hyphenated text; rows are only ever written by us, so a
/// malformed one is a corruption worth logging, not a reason to fail a read.
pub fn parse_id(s: &str) -> Id {
    uuid::Uuid::parse_str(s).unwrap_or_else(|e| {
        tracing::error!(value = s, error = %e, "malformed id in database");
        uuid::Uuid::nil()
    })
}

pub fn parse_ids_json(s: &str) -> Vec<Id> {
    serde_json::from_str::<Vec<Id>>(s).unwrap_or_default()
}

pub fn ids_json(ids: &[Id]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}
