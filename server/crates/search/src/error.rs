//! The crate's single error type.
//!
//! Query errors carry a stable machine code (see [`Error::code`]) so the API
//! layer can map them to localized messages, and a character position so the
//! client can point at the offending part of what the user typed.

use std::path::PathBuf;

/// Everything that can go wrong in search: malformed queries, unresolvable
/// names, index storage failures and attachment extraction failures.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query contains nothing searchable.
    #[error("the search query is empty")]
    EmptyQuery,
    /// Every clause is a negation, so there is nothing to match against.
    #[error("the search query only excludes terms; add at least one term or filter")]
    OnlyNegations,
    /// More clauses than a single search may evaluate.
    #[error("the search query has more than {max} terms")]
    TooManyClauses {
        /// The limit.
        max: usize,
    },
    /// A `"` opened a phrase that never closes.
    #[error("unbalanced quote at position {position}")]
    UnbalancedQuote {
        /// Character offset (0-based) of the opening quote.
        position: usize,
    },
    /// `name:value` where `name` is not a known operator.
    #[error("unknown operator `{operator}:` at position {position}")]
    UnknownOperator {
        /// The operator name as typed.
        operator: String,
        /// Character offset (0-based) of the operator.
        position: usize,
    },
    /// An operator was given with nothing after the colon.
    #[error("operator `{operator}:` at position {position} needs a value")]
    MissingValue {
        /// The operator name.
        operator: String,
        /// Character offset (0-based) of the operator.
        position: usize,
    },
    /// An operator value outside the accepted set, e.g. `has:banana`.
    #[error("`{value}` is not a valid value for `{operator}:` at position {position}")]
    BadOperatorValue {
        /// The operator name.
        operator: String,
        /// The rejected value.
        value: String,
        /// Character offset (0-based) of the operator.
        position: usize,
    },
    /// A date operator whose value is not a valid `YYYY-MM-DD` date.
    #[error("`{value}` at position {position} is not a date of the form YYYY-MM-DD")]
    BadDate {
        /// The rejected value.
        value: String,
        /// Character offset (0-based) of the operator.
        position: usize,
    },
    /// `from:` or `in:@` names a user the resolver does not know.
    #[error("no user named `{name}` (position {position})")]
    UnknownUser {
        /// The user name as typed, without `@`.
        name: String,
        /// Character offset (0-based) of the operator.
        position: usize,
    },
    /// `in:` names a channel the resolver does not know (or the caller cannot see).
    #[error("no channel named `{name}` (position {position})")]
    UnknownChannel {
        /// The channel name as typed, without `~`.
        name: String,
        /// Character offset (0-based) of the operator.
        position: usize,
    },
    /// The caller's time zone is not a known IANA zone name.
    #[error("unknown time zone `{0}`")]
    BadTimeZone(String),
    /// The search index failed (I/O, corruption, lock held by another process).
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The on-disk index was written with a different schema and must be rebuilt.
    #[error("the index at {path} is incompatible with this version and needs a reindex: {reason}")]
    Incompatible {
        /// Directory of the index.
        path: PathBuf,
        /// What did not match.
        reason: String,
    },
    /// A filesystem operation around the index failed.
    #[error("search index I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// An attachment could not be parsed although its type is supported.
    #[error("could not extract text from `{file_name}`: {reason}")]
    Extract {
        /// The attachment's file name.
        file_name: String,
        /// Why the parser gave up.
        reason: String,
    },
}

impl Error {
    /// Stable, machine-readable code for API responses and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmptyQuery => "empty_query",
            Error::OnlyNegations => "only_negations",
            Error::TooManyClauses { .. } => "too_many_terms",
            Error::UnbalancedQuote { .. } => "unbalanced_quote",
            Error::UnknownOperator { .. } => "unknown_operator",
            Error::MissingValue { .. } => "missing_value",
            Error::BadOperatorValue { .. } => "bad_operator_value",
            Error::BadDate { .. } => "bad_date",
            Error::UnknownUser { .. } => "unknown_user",
            Error::UnknownChannel { .. } => "unknown_channel",
            Error::BadTimeZone(_) => "bad_time_zone",
            Error::Index(_) => "index_error",
            Error::Incompatible { .. } => "index_incompatible",
            Error::Io(_) => "index_io",
            Error::Extract { .. } => "extract_failed",
        }
    }

    /// Character offset (0-based) in the query the error refers to, if any.
    pub fn position(&self) -> Option<usize> {
        match self {
            Error::UnbalancedQuote { position }
            | Error::UnknownOperator { position, .. }
            | Error::MissingValue { position, .. }
            | Error::BadOperatorValue { position, .. }
            | Error::BadDate { position, .. }
            | Error::UnknownUser { position, .. }
            | Error::UnknownChannel { position, .. } => Some(*position),
            _ => None,
        }
    }

    /// True for errors caused by what the user typed (a 400, not a 500).
    pub fn is_user_error(&self) -> bool {
        self.position().is_some()
            || matches!(
                self,
                Error::EmptyQuery
                    | Error::OnlyNegations
                    | Error::TooManyClauses { .. }
                    | Error::BadTimeZone(_)
            )
    }
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
