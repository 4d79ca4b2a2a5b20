//! The wire contract of the Hearth API (`/api/v1`): request and response bodies,
//! WebSocket frames and the closed set of error codes. Serde only, so the server,
//! `hearthctl`, plugins and tests share one definition and cannot drift apart.
//!
//! The `openapi` feature adds the `utoipa` schema derives; only the server,
//! which serves the OpenAPI document, turns it on, so clients stay light.

pub mod admin;
pub mod audit;
pub mod compliance;
pub mod error;
pub mod events;
pub mod identity;
pub mod import;
pub mod models;
pub mod permissions;
pub mod requests;
pub mod search;
#[cfg(feature = "diesel")]
pub mod sql;

pub use admin::*;
pub use audit::*;
pub use compliance::*;
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use events::{
    ChannelMembership, ChannelViewed, ClientFrame, Event, EventKind, EventPayload, ServerFrame,
    SessionRevoked, TeamMembership, Typing,
};
pub use identity::*;
pub use import::*;
pub use models::*;
pub use permissions::*;
pub use requests::*;
pub use search::*;

/// Identifiers are UUIDv7 (time-ordered), sent as hyphenated strings.
pub type Id = uuid::Uuid;

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// Longest post text accepted, in characters (the same limit Mattermost applies).
pub const MAX_POST_CHARS: usize = 16_383;
