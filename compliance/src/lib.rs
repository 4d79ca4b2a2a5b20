//! Compliance for Hearth: retention, legal holds, regulatory exports,
//! a tamper-evident audit log and data subject requests.
//!
//! Everything here is pure logic over streams of records: the server reads
//! its database, feeds records in, stores what comes out and runs these as
//! jobs. No function panics on any input; failures are [`ComplianceError`].
//!
//! - [`retention`]: policies and the purge plan, never touching held content.
//! - [`holds`]: legal holds and what they cover.
//! - [`export`]: Actiance XML, GlobalRelay EML and CSV exports in a zip with
//!   a SHA-256 manifest, incremental through a [`export::Cursor`].
//! - [`archive`]: the streaming zip writer and [`archive::verify_archive`].
//! - [`audit`]: the hash-chained audit log (the `hearth-audit-chain` crate,
//!   which the store uses too).
//! - [`dsr`]: a user's own data export and account anonymisation plans.

pub mod archive;
pub use hearth_audit_chain as audit;
pub mod dsr;
mod error;
pub mod export;
pub mod holds;
pub mod model;
pub mod retention;
pub mod time;

pub use error::{ComplianceError, Result};
pub use export::csv_columns;
