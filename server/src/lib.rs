//! The Hearth server: configuration, wiring and the HTTP/WebSocket API.
//! [`start`] boots a complete server on any tokio runtime and
//! [`RunningServer::stop`] takes all of it down again, so integration tests
//! run many independent servers in one process.

pub mod admin_socket;
pub mod auth;
mod boot;
pub mod client_addr;
pub mod compliance;
pub mod config;
pub mod error;
pub mod files;
pub mod headers;
pub mod hub;
pub mod metrics;
pub mod net;
pub mod openapi;
pub mod routes;
mod running;
pub mod search;
pub mod services;
pub mod settings;
pub mod sheet_reader;
pub mod signin;
pub mod state;
pub(crate) mod telemetry;
pub mod webclient;
pub mod workers;

pub use crate::boot::start;
pub use crate::config::Config;
pub use crate::running::RunningServer;

/// Why the server could not start, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Database(#[from] hearth_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}
