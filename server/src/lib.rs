//! The Hearth server: configuration, wiring and the HTTP/WebSocket API.
//! [`start`] boots a complete server on any tokio runtime and
//! [`RunningServer::stop`] takes all of it down again, so integration tests
//! run many independent servers in one process.

pub(crate) mod admin_socket;
pub(crate) mod auth;
mod boot;
pub(crate) mod client_addr;
pub(crate) mod compliance;
pub mod config;
pub(crate) mod error;
pub(crate) mod files;
pub(crate) mod headers;
pub(crate) mod hub;
pub(crate) mod metrics;
pub(crate) mod net;
pub(crate) mod openapi;
pub(crate) mod passwords;
pub(crate) mod routes;
mod running;
pub(crate) mod search;
pub(crate) mod services;
pub(crate) mod settings;
pub(crate) mod sheet_reader;
pub(crate) mod signin;
pub(crate) mod state;
pub(crate) mod telemetry;
pub(crate) mod tokens;
pub(crate) mod webclient;
pub(crate) mod workers;

// What the `hearth` binary, the integration tests and the benchmarks reach;
// the rest stays crate-private so rustc reports dead code.
pub use crate::boot::start;
pub use crate::compliance::schedule::tick as compliance_schedule_tick;
pub use crate::config::Config;
pub use crate::hub::{HubStats, MAX_PRESENCE_SUBSCRIPTIONS};
pub use crate::openapi::json as openapi_json;
pub use crate::passwords::HashPurpose;
pub use crate::running::RunningServer;
pub use crate::sheet_reader::child_main as sheet_reader_main;
pub use crate::signin::config::MfaEnforcement;
pub use crate::signin::mfa::seal_stored_secrets;
pub use crate::state::Ctx;
pub use crate::webclient::available as web_client_available;

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
