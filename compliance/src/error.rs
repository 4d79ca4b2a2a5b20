//! The crate's single error type.

use std::io;

/// Everything that can go wrong in a compliance job.
///
/// Errors abort the job without advancing any export cursor, so a rerun
/// starts from the same point.
#[derive(Debug, thiserror::Error)]
pub enum ComplianceError {
    /// Writing the output or reading an attachment failed.
    #[error("i/o error: {0}")]
    Io(#[from] io::Error),
    /// The record source (the server's database stream) reported a failure.
    #[error("record source failed: {0}")]
    Source(String),
    /// Records arrived out of order; incremental exports depend on the order.
    #[error("records out of order: {previous} then {next}")]
    Unordered {
        /// Key of the earlier record.
        previous: String,
        /// Key of the record that should have come first.
        next: String,
    },
    /// The zip container could not be written or read.
    #[error("archive error: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// XML could not be written.
    #[error("xml error: {0}")]
    Xml(String),
    /// CSV could not be written.
    #[error("csv error: {0}")]
    Csv(#[from] csv::Error),
    /// JSON could not be written or parsed.
    #[error("json error: {0}")]
    Json(#[from] serde_json::Error),
    /// An archive failed verification: its content does not match its manifest.
    #[error("archive verification failed for {path}: {reason}")]
    Verification {
        /// Path inside the archive (or `manifest.json`).
        path: String,
        /// What did not match.
        reason: String,
    },
    /// The progress callback asked the job to stop.
    #[error("cancelled")]
    Cancelled,
    /// A caller-supplied setting cannot be used.
    #[error("invalid setting: {0}")]
    Invalid(String),
}

impl From<quick_xml::Error> for ComplianceError {
    fn from(e: quick_xml::Error) -> Self {
        ComplianceError::Xml(e.to_string())
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = ComplianceError> = std::result::Result<T, E>;
