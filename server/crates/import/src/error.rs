//! The one error of the import crate: the whole input is unusable (as
//! opposed to a bad row or line, which the reports carry).

pub type Result<T, E = ImportError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The bytes are not a file of the expected format.
    #[error("{0}")]
    Unreadable(String),
    /// The file reads but cannot be imported as a whole (no header row, a
    /// mapping naming a missing column, a missing required file…).
    #[error("{0}")]
    Invalid(String),
    /// The file crosses a bound on cells or unpacked bytes: it is refused
    /// whole rather than read in part.
    #[error("{0}")]
    TooLarge(String),
}

impl From<ImportError> for hearth_core::Error {
    fn from(e: ImportError) -> Self {
        hearth_core::Error::invalid(e.to_string())
    }
}
