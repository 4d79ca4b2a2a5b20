//! The Hearth server: configuration, wiring and the HTTP/WebSocket API.
//! [`start`] boots a complete server on any tokio runtime, so integration
//! tests run several independent servers in one process.

pub mod admin_socket;
pub mod auth;
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
pub mod passwords;
pub mod routes;
pub mod search;
pub mod services;
pub mod settings;
pub mod sheet_reader;
pub mod signin;
pub mod state;
pub(crate) mod telemetry;
pub mod tokens;
pub mod webclient;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};
use hearth_store::{DbOptions, Store};

pub use crate::config::Config;
use crate::files::FileStore;
use crate::hub::{Hub, HubOptions};
use crate::metrics::Metrics;
use crate::state::{Ctx, Limits};

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

/// A running server.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// Present while no account exists: needed to create the first admin.
    pub setup_token: Option<String>,
    pub ctx: Arc<Ctx>,
    /// The local administration socket, when it is on.
    pub admin_socket: Option<PathBuf>,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    local: Option<(ServerHandle, tokio::task::JoinHandle<std::io::Result<()>>)>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Graceful stop: WebSockets close with 1001, then requests drain.
    pub async fn stop(self) {
        self.ctx.hub.shutdown().await;
        self.handle.stop(true).await;
        let _ = self.wait().await;
    }

    /// Waits until the server stops by itself (its handle was told to);
    /// the administration socket then closes too, after its requests drain.
    pub async fn wait(self) -> std::io::Result<()> {
        let r = match self.task.await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        };
        if let Some((handle, task)) = self.local {
            handle.stop(true).await;
            let _ = task.await;
        }
        if let Some(p) = &self.admin_socket {
            let _ = std::fs::remove_file(p);
        }
        r
    }

    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }
}

/// Says at start how the audit log is keyed (never the key itself).
fn report_audit_keying(k: &hearth_store::audit::KeyingStart, has_key: bool) {
    match (k.keyed_from, has_key) {
        (Some(seq), true) if k.started_now => tracing::info!(
            from_seq = seq,
            "the audit log is keyed with audit.hmac_key from this entry on; earlier entries keep their SHA-256 hashes"
        ),
        (Some(seq), true) if k.key_matches == Some(false) => tracing::error!(
            from_seq = seq,
            "audit.hmac_key is not the key the audit log was keyed with (or the entry that started keying was changed): verify reports the log broken there"
        ),
        (Some(seq), true) => {
            tracing::info!(from_seq = seq, "the audit log is keyed with audit.hmac_key")
        }
        (Some(seq), false) => tracing::warn!(
            from_seq = seq,
            "the audit log is keyed but audit.hmac_key is not set: keyed entries cannot be checked, and the entries this server writes are not keyed (a server with the key reports them); give the key and restart"
        ),
        (None, _) => {}
    }
}

/// Opens storage, starts the hub and binds the HTTP server.
pub async fn start(config: Config, workers: usize) -> Result<RunningServer, StartError> {
    config.validate()?;
    if !config.secure_cookies() {
        tracing::warn!(
            public_url = %config.server.public_url,
            "server.public_url is not an https:// URL: session cookies are sent without \
             Secure and HSTS is off; serve Hearth over TLS and set public_url to its https address"
        );
    }
    let data_dir = config.server.data_dir.clone();
    std::fs::create_dir_all(&data_dir).map_err(|source| StartError::DataDir {
        path: data_dir.display().to_string(),
        source,
    })?;
    private(&data_dir, 0o700);
    let opts = DbOptions {
        url: config.database_url(),
        max_connections: config.database.max_connections,
        sqlite_synchronous: config.database.sqlite_synchronous.to_uppercase(),
    };
    let audit_key = config
        .audit
        .key()
        .map_err(|e| StartError::Config(config::ConfigError(e)))?;
    let store = tokio::task::spawn_blocking(move || {
        let mut store = Store::open(opts)?;
        let keying = store.start_audit_keying(
            audit_key,
            hearth_core::new_id().to_string(),
            hearth_core::now_millis(),
        )?;
        report_audit_keying(&keying, store.audit_keying().key.is_some());
        Ok::<_, StartError>(store)
    })
    .await
    .map_err(|e| StartError::Other(e.to_string()))??;
    let store = Arc::new(store);
    if let Some(db) = config.database_url().strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let p = PathBuf::from(format!("{db}{suffix}"));
            if p.exists() {
                private(&p, 0o600);
            }
        }
    }
    let files_dir = config.files_dir();
    let files = FileStore::open(&files_dir).map_err(|source| StartError::DataDir {
        path: files_dir.display().to_string(),
        source,
    })?;
    private(&files_dir, 0o700);
    let metrics = Metrics::new();
    let hub = Hub::start(
        store.clone(),
        HubOptions {
            replay_events: config.realtime.replay_events,
            replay_keep_secs: config.realtime.replay_keep_secs,
            away_after_secs: config.accounts.away_after_secs,
        },
        metrics.clone(),
    );
    let dummy_hash =
        tokio::task::spawn_blocking(|| passwords::hash_password(&tokens::new_secret()))
            .await
            .map_err(|e| StartError::Other(e.to_string()))?
            .map_err(|e| StartError::Other(e.to_string()))?;
    let search = if config.search.enabled {
        let dir = config.search_dir();
        let store = store.clone();
        let files = files.clone();
        let interval = config.search.commit_interval_ms;
        let public = config.search.include_public_channels;
        let reader = sheet_reader::SheetReader::from_config(&config);
        Some(
            tokio::task::spawn_blocking(move || {
                search::SearchService::start(&dir, store, files, reader, interval, public)
            })
            .await
            .map_err(|e| StartError::Other(e.to_string()))?
            .map_err(|e| StartError::Other(e.to_string()))?,
        )
    } else {
        None
    };
    let signin = signin::SignIn::new(&config)
        .await
        .map_err(|e| StartError::Config(config::ConfigError(e)))?;
    let ctx = Arc::new(Ctx {
        signin,
        limits: Limits::new(&config),
        ws_slots: hub::ConnectionSlots::default(),
        images: files::ImageGate::new(config.files.image_decodes, &metrics),
        settings: settings::Settings::new(config),
        store,
        hub,
        files,
        metrics,
        dummy_hash,
        search,
        compliance: compliance::Compliance::default(),
        started_at: hearth_core::now_millis(),
        passwords: passwords::PasswordGate::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        ),
    });
    let setup_ctx = ctx.clone();
    let setup_token =
        tokio::task::spawn_blocking(move || services::accounts::prepare_setup_token(&setup_ctx))
            .await
            .map_err(|e| StartError::Other(e.to_string()))?
            .map_err(|e| StartError::Other(e.to_string()))?;
    let presence_ctx = ctx.clone();
    let chosen =
        tokio::task::spawn_blocking(move || services::accounts::stored_presences(&presence_ctx))
            .await
            .map_err(|e| StartError::Other(e.to_string()))?
            .map_err(|e| StartError::Other(e.to_string()))?;
    ctx.hub.restore_presence(chosen).await;

    let seal_ctx = ctx.clone();
    let sealed = tokio::task::spawn_blocking(move || signin::mfa::seal_stored_secrets(&seal_ctx))
        .await
        .map_err(|e| StartError::Other(e.to_string()))?
        .map_err(|e| StartError::Other(e.to_string()))?;
    if sealed > 0 {
        tracing::info!(
            accounts = sealed,
            "TOTP secrets stored in plain text are now encrypted"
        );
    }

    signin::directory::spawn_scheduler(&ctx);
    let recover_ctx = ctx.clone();
    let requeued = tokio::task::spawn_blocking(move || compliance::jobs::recover(&recover_ctx))
        .await
        .map_err(|e| StartError::Other(e.to_string()))?
        .map_err(|e| StartError::Other(e.to_string()))?;
    if requeued > 0 {
        tracing::info!(
            jobs = requeued,
            "compliance jobs interrupted by a restart are queued again"
        );
    }
    compliance::jobs::spawn(&ctx);
    compliance::schedule::spawn(&ctx);
    spawn_limit_sweeper(&ctx);

    let addr = ctx.config().listen_addr()?;
    let listener = TcpListener::bind(addr).map_err(|source| StartError::Listen {
        addr: addr.to_string(),
        source,
    })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: addr.to_string(),
        source,
    })?;
    let admin_socket = ctx.config().admin_socket_path();
    let local = match &admin_socket {
        Some(path) => Some(serve_admin_socket(&ctx, admin_socket::bind(path)?, path)?),
        None => None,
    };
    let data = web::Data::from(ctx.clone());
    let json_limit = ctx.config().limits.max_json_bytes;
    let grace = ctx.config().server.shutdown_grace_secs;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(routes::json_config(json_limit))
            .app_data(routes::path_config())
            .app_data(routes::query_config())
            .app_data(web::PayloadConfig::new(json_limit))
            .wrap(actix_web::middleware::from_fn(headers::secure))
            .wrap(actix_web::middleware::from_fn(
                routes::extract::client_addr_scope,
            ))
            .wrap(actix_web::middleware::from_fn(telemetry::observe))
            .configure(routes::system::configure_root)
            .configure(routes::configure)
            .default_service(web::to(webclient::serve))
    })
    .workers(workers.max(1))
    .disable_signals()
    .shutdown_timeout(grace)
    .client_request_timeout(Duration::from_secs(30))
    .listen(listener)
    .map_err(|source| StartError::Listen {
        addr: addr.to_string(),
        source,
    })?
    .run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    Ok(RunningServer {
        addr,
        setup_token,
        ctx,
        admin_socket,
        handle,
        task,
        local,
    })
}

/// Narrows the mode of a file or directory the server made (the data
/// directory 0700, the SQLite files 0600) whatever the umask was when it was
/// created; a failure (say, a directory owned by another user) is logged.
fn private(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777);
    if current.as_ref().is_ok_and(|m| m & !mode == 0) {
        return;
    }
    if let Err(error) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
        tracing::warn!(path = %path.display(), %error, "cannot make this private to the server's user (mode {mode:o})");
    }
}

/// Serves the API on the local administration socket; its app carries the
/// [`routes::extract::LocalSocket`] marker and no web client.
fn serve_admin_socket(
    ctx: &Arc<Ctx>,
    listener: std::os::unix::net::UnixListener,
    path: &std::path::Path,
) -> Result<(ServerHandle, tokio::task::JoinHandle<std::io::Result<()>>), StartError> {
    let data = web::Data::from(ctx.clone());
    let json_limit = ctx.config().limits.max_json_bytes;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(routes::extract::LocalSocket)
            .app_data(routes::json_config(json_limit))
            .app_data(routes::path_config())
            .app_data(routes::query_config())
            .app_data(web::PayloadConfig::new(json_limit))
            .wrap(actix_web::middleware::from_fn(telemetry::observe))
            .configure(routes::configure)
            .default_service(web::to(telemetry::not_found))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(ctx.config().server.shutdown_grace_secs)
    .listen_uds(listener)
    .map_err(|source| StartError::Listen {
        addr: path.display().to_string(),
        source,
    })?
    .run();
    let handle = server.handle();
    Ok((handle, tokio::spawn(server)))
}

/// Every minute, drops the rate-limit entries of clients that have gone
/// quiet, so the limiters hold only the recently active ones.
fn spawn_limit_sweeper(ctx: &Arc<Ctx>) {
    let weak = Arc::downgrade(ctx);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        every.tick().await;
        loop {
            every.tick().await;
            let Some(ctx) = weak.upgrade() else { return };
            let kept = ctx.limits.forget_idle();
            tracing::debug!(entries = kept, "rate-limit entries kept");
        }
    });
}
