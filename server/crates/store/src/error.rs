use diesel::result::{DatabaseErrorKind, Error as DieselError};

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Diesel(#[from] DieselError),
    #[error("connection pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    #[error("migrations failed: {0}")]
    Migrate(String),
    #[error("database url '{0}' must start with sqlite://, postgres:// or postgresql://")]
    BadUrl(String),
    /// A change could not be encoded for the change log; the mutation fails
    /// rather than write an event nobody can decode.
    #[error("cannot encode a change-log event: {0}")]
    Encode(String),
}

impl From<StoreError> for hearth_core::Error {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Diesel(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _,
            )) => hearth_core::Error::conflict("a record with that name already exists"),
            StoreError::Diesel(DieselError::NotFound) => hearth_core::Error::NotFound("record"),
            _ => hearth_core::Error::internal(with_causes(&e)),
        }
    }
}

/// The error and its causes on one line: the domain error keeps only text,
/// and a row that fails to decode says why only in its cause (`unknown Role
/// "superuser" in the database`).
fn with_causes(e: &StoreError) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Diesel(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}
