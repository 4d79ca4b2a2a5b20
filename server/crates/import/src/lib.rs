//! Parsing and validation of data brought into Hearth from elsewhere: user
//! lists from spreadsheets, Slack exports and Mattermost bulk-import files.
//!
//! Everything here is pure: bytes in, validated records and per-row problems
//! out. The server checks what needs the database (teams, channels, existing
//! accounts, what an earlier run imported) and writes. The heavy readers
//! (calamine, zip) live here so the server crate does not rebuild for them.

pub mod cells;
pub mod error;
pub mod markup;
pub mod mattermost;
pub mod sheet;
pub mod slack;
pub mod users;

pub use error::{ImportError, Result};
