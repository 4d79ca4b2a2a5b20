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
            _ => hearth_core::Error::internal(e),
        }
    }
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
