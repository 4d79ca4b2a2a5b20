//! Start-up, one named step after the other: storage, the context, the
//! state a restart left behind, the workers, then the listeners.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use actix_web::{App, HttpServer, web};
use hearth_store::{DbOptions, Store};

use crate::config::{Config, ConfigError};
use crate::files::FileStore;
use crate::hub::{Hub, HubOptions};
use crate::metrics::Metrics;
use crate::running::{Http, RunningServer};
use crate::search::SearchService;
use crate::state::{Ctx, Limits};
use crate::workers::{Stage, Workers};
use crate::{
    StartError, admin_socket, compliance, files, headers, hub, passwords, routes, services,
    settings, sheet_reader, signin, telemetry, tokens, webclient,
};

/// Opens storage, starts the workers and binds the HTTP server.
pub async fn start(config: Config, http_workers: usize) -> Result<RunningServer, StartError> {
    let workers = Workers::new();
    let started = boot(config, http_workers, &workers).await;
    if started.is_err() {
        workers.stop(Duration::from_secs(1)).await;
    }
    started
}

/// The start-up steps in order; on failure the caller stops the workers
/// already spawned.
async fn boot(
    config: Config,
    http_workers: usize,
    workers: &Workers,
) -> Result<RunningServer, StartError> {
    check_config(&config)?;
    prepare_data_dir(&config.server.data_dir)?;
    let store = open_store(&config).await?;
    let files = open_files(&config)?;
    let ctx = build_ctx(config, store, files, workers).await?;
    let setup_token = restore_state(&ctx).await?;
    spawn_workers(&ctx, workers);
    let listener = bind_tcp(&ctx)?;
    let admin_socket = ctx.config().admin_socket_path();
    let local = match &admin_socket {
        Some(path) => Some(serve_admin_socket(&ctx, admin_socket::bind(path)?, path)?),
        None => None,
    };
    let (tcp, addr) = serve_tcp(&ctx, listener, http_workers)?;
    Ok(RunningServer {
        addr,
        setup_token,
        ctx,
        admin_socket,
        tcp,
        local,
        workers: workers.clone(),
    })
}

/// Runs blocking start-up work on the blocking pool.
async fn blocking<T, E>(f: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, StartError>
where
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StartError::Other(e.to_string()))?
        .map_err(|e| StartError::Other(e.to_string()))
}

/// Refuses an invalid configuration and warns about an insecure one.
fn check_config(config: &Config) -> Result<(), StartError> {
    config.validate()?;
    if !config.secure_cookies() {
        tracing::warn!(
            public_url = %config.server.public_url,
            "server.public_url is not an https:// URL: session cookies are sent without \
             Secure and HSTS is off; serve Hearth over TLS and set public_url to its https address"
        );
    }
    Ok(())
}

fn prepare_data_dir(data_dir: &Path) -> Result<(), StartError> {
    std::fs::create_dir_all(data_dir).map_err(|source| StartError::DataDir {
        path: data_dir.display().to_string(),
        source,
    })?;
    private(data_dir, 0o700);
    Ok(())
}

/// Opens the database (migrating it) and starts keying the audit log when
/// a key is configured; the SQLite files are made private.
async fn open_store(config: &Config) -> Result<Arc<Store>, StartError> {
    let opts = DbOptions {
        url: config.database_url(),
        max_connections: config.database.max_connections,
        sqlite_synchronous: config.database.sqlite_synchronous.to_uppercase(),
    };
    let audit_key = config
        .audit
        .key()
        .map_err(|e| StartError::Config(ConfigError(e)))?;
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
    if let Some(db) = config.database_url().strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let p = PathBuf::from(format!("{db}{suffix}"));
            if p.exists() {
                private(&p, 0o600);
            }
        }
    }
    Ok(Arc::new(store))
}

fn open_files(config: &Config) -> Result<FileStore, StartError> {
    let files_dir = config.files_dir();
    let files = FileStore::open(&files_dir).map_err(|source| StartError::DataDir {
        path: files_dir.display().to_string(),
        source,
    })?;
    private(&files_dir, 0o700);
    Ok(files)
}

/// Opens the search index, unless search is switched off.
async fn open_search(
    config: &Config,
    store: &Arc<Store>,
    files: &FileStore,
) -> Result<Option<Arc<SearchService>>, StartError> {
    if !config.search.enabled {
        return Ok(None);
    }
    let dir = config.search_dir();
    let store = store.clone();
    let files = files.clone();
    let public = config.search.include_public_channels;
    let reader = sheet_reader::SheetReader::from_config(config);
    let search = blocking(move || SearchService::open(&dir, store, files, reader, public)).await?;
    Ok(Some(search))
}

/// The context every request and worker shares; the hub starts with it.
async fn build_ctx(
    config: Config,
    store: Arc<Store>,
    files: FileStore,
    workers: &Workers,
) -> Result<Arc<Ctx>, StartError> {
    let metrics = Metrics::new();
    let hub = Hub::start(
        store.clone(),
        HubOptions {
            replay_events: config.realtime.replay_events,
            replay_keep_secs: config.realtime.replay_keep_secs,
            away_after_secs: config.accounts.away_after_secs,
        },
        metrics.clone(),
        workers,
    );
    let dummy_hash = blocking(|| passwords::hash_password(&tokens::new_secret())).await?;
    let search = open_search(&config, &store, &files).await?;
    let signin = signin::SignIn::new(&config)
        .await
        .map_err(|e| StartError::Config(ConfigError(e)))?;
    Ok(Arc::new(Ctx {
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
    }))
}

/// Picks up what the previous run left: the setup token (returned while no
/// account exists), chosen presences, TOTP secrets still in plain text and
/// compliance jobs a restart interrupted.
async fn restore_state(ctx: &Arc<Ctx>) -> Result<Option<String>, StartError> {
    let c = ctx.clone();
    let setup_token = blocking(move || services::accounts::prepare_setup_token(&c)).await?;
    let c = ctx.clone();
    let chosen = blocking(move || services::accounts::stored_presences(&c)).await?;
    ctx.hub.restore_presence(chosen).await;
    let c = ctx.clone();
    let sealed = blocking(move || signin::mfa::seal_stored_secrets(&c)).await?;
    if sealed > 0 {
        tracing::info!(
            accounts = sealed,
            "TOTP secrets stored in plain text are now encrypted"
        );
    }
    let c = ctx.clone();
    let requeued = blocking(move || compliance::jobs::recover(&c)).await?;
    if requeued > 0 {
        tracing::info!(
            jobs = requeued,
            "compliance jobs interrupted by a restart are queued again"
        );
    }
    Ok(setup_token)
}

/// Every background loop besides the hub's, which starts with the context.
fn spawn_workers(ctx: &Arc<Ctx>, workers: &Workers) {
    if let Some(search) = &ctx.search {
        search.follow(workers, ctx.config().search.commit_interval_ms);
    }
    signin::directory::spawn_scheduler(ctx, workers);
    let weak = Arc::downgrade(ctx);
    workers.spawn("compliance jobs", Stage::Producer, |stop| {
        compliance::jobs::run(weak, stop)
    });
    let weak = Arc::downgrade(ctx);
    workers.spawn("compliance schedule", Stage::Producer, |stop| {
        compliance::schedule::run(weak, stop)
    });
    let weak = Arc::downgrade(ctx);
    workers.spawn("rate-limit sweeper", Stage::Producer, |stop| {
        sweep_limits(weak, stop)
    });
}

/// Binds the configured TCP address first, so a port in use fails the
/// start before anything serves.
fn bind_tcp(ctx: &Ctx) -> Result<TcpListener, StartError> {
    let addr = ctx.config().listen_addr()?;
    TcpListener::bind(addr).map_err(|source| StartError::Listen {
        addr: addr.to_string(),
        source,
    })
}

/// Serves the API and the web client on the TCP listener.
fn serve_tcp(
    ctx: &Arc<Ctx>,
    listener: TcpListener,
    workers: usize,
) -> Result<(Http, std::net::SocketAddr), StartError> {
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: "the TCP listener".into(),
        source,
    })?;
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
    Ok((Http { handle, task }, addr))
}

/// Serves the API on the local administration socket; its app carries the
/// [`routes::extract::LocalSocket`] marker and no web client.
fn serve_admin_socket(
    ctx: &Arc<Ctx>,
    listener: std::os::unix::net::UnixListener,
    path: &Path,
) -> Result<Http, StartError> {
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
    Ok(Http {
        handle,
        task: tokio::spawn(server),
    })
}

/// Every minute, drops the rate-limit entries of clients that have gone
/// quiet, so the limiters hold only the recently active ones.
async fn sweep_limits(ctx: std::sync::Weak<Ctx>, stop: tokio_util::sync::CancellationToken) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    every.tick().await;
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = every.tick() => {}
        }
        let Some(ctx) = ctx.upgrade() else { return };
        let kept = ctx.limits.forget_idle();
        tracing::debug!(entries = kept, "rate-limit entries kept");
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
