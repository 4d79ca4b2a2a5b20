//! Hearth's domain rules as pure logic: identifiers and clocks, input
//! validation, mention parsing, the permission matrix and the error type every
//! service returns. No I/O, so all of it is unit- and property-tested.

pub mod error;
pub mod mentions;
pub mod permissions;
pub mod validate;

pub use error::{Error, Result};
pub use hearth_api::{ErrorCode, Id, Millis};

/// A new time-ordered identifier (UUIDv7), so primary keys sort by creation.
pub fn new_id() -> Id {
    uuid::Uuid::now_v7()
}

/// Now, in UTC milliseconds.
pub fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
