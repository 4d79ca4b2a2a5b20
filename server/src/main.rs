//! `hearth`: runs the server and its maintenance commands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hearth_server::Config;

/// mimalloc hands large freed blocks (such as argon2's 19 MiB work area)
/// back to the system, where glibc's arenas keep them: resident memory then
/// tracks the live working set.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "hearth", version, about = "Hearth workplace chat server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (with no options: SQLite and files under ./hearth-data).
    Serve {
        /// TOML configuration file.
        #[arg(long, env = "HEARTH_CONFIG")]
        config: Option<PathBuf>,
        /// Data directory (overrides server.data_dir).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// Listen address such as 0.0.0.0:8065 (overrides server.listen).
        #[arg(long)]
        listen: Option<String>,
        /// HTTP worker threads (default: one per CPU).
        #[arg(long)]
        workers: Option<usize>,
    },
    /// Database maintenance.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Configuration checks.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Reads one spreadsheet from standard input for the server (internal).
    #[command(name = "read-sheet", hide = true)]
    ReadSheet { request: String },
    /// Prints the OpenAPI document served at /api/v1/openapi.json, so clients
    /// can generate their types from it without starting a server.
    #[command(hide = true)]
    Openapi,
}

#[derive(Subcommand)]
enum DbCommand {
    /// Apply pending migrations and exit.
    Migrate {
        #[arg(long, env = "HEARTH_CONFIG")]
        config: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Load and validate the configuration, then print the effective values as JSON.
    Check {
        #[arg(long, env = "HEARTH_CONFIG")]
        config: Option<PathBuf>,
    },
}

fn load(config: Option<&PathBuf>) -> Result<Config, String> {
    Config::load(config.map(|p| p.as_path())).map_err(|e| e.to_string())
}

/// Without `--config`, the file the system console saves into
/// `<data_dir>/hearth.toml`, when it exists. The data directory is the one
/// given on the command line, in `HEARTH_SERVER__DATA_DIR`, or the default.
fn saved_file(data_dir: Option<&PathBuf>) -> Option<PathBuf> {
    let dir = data_dir
        .cloned()
        .or_else(|| std::env::var_os("HEARTH_SERVER__DATA_DIR").map(PathBuf::from))
        .unwrap_or_else(|| Config::default().server.data_dir);
    Some(dir.join(hearth_server::config::DEFAULT_FILE_NAME)).filter(|f| f.is_file())
}

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&cfg.log.level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cfg.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    // Everything the server creates (data directory, database, configuration,
    // uploads, the administration socket) is for its own user only; set
    // before any file or socket exists.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    let result = match cli.command {
        Command::ReadSheet { request } => return hearth_server::sheet_reader::child_main(&request),
        Command::Openapi => {
            println!("{}", hearth_server::openapi::json());
            Ok(())
        }
        Command::Serve {
            config,
            data_dir,
            listen,
            workers,
        } => load(config.or_else(|| saved_file(data_dir.as_ref())).as_ref()).and_then(|mut cfg| {
            if let Some(d) = data_dir {
                cfg.server.data_dir = d;
                cfg.origin.cli.push("server.data_dir".into());
            }
            if let Some(l) = listen {
                cfg.server.listen = l;
                cfg.origin.cli.push("server.listen".into());
            }
            cfg.validate().map_err(|e| e.to_string())?;
            init_logging(&cfg);
            serve(cfg, workers)
        }),
        Command::Db {
            command: DbCommand::Migrate { config },
        } => load(config.as_ref()).and_then(|cfg| {
            let opts = hearth_store::DbOptions {
                url: cfg.database_url(),
                max_connections: 1,
                sqlite_synchronous: cfg.database.sqlite_synchronous.to_uppercase(),
            };
            std::fs::create_dir_all(&cfg.server.data_dir).map_err(|e| e.to_string())?;
            hearth_store::migrate_only(opts).map_err(|e| e.to_string())?;
            println!(
                "migrations applied to {}",
                hearth_store::redact(&cfg.database_url())
            );
            Ok(())
        }),
        Command::Config {
            command: ConfigCommand::Check { config },
        } => load(config.as_ref()).and_then(|mut cfg| {
            if !cfg.database.url.is_empty() {
                cfg.database.url = hearth_store::redact(&cfg.database.url);
            }
            let text = effective_json(&cfg)?;
            println!("{text}");
            Ok(())
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hearth: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The effective configuration; secrets print as `[redacted]`.
fn effective_json(cfg: &Config) -> Result<String, String> {
    serde_json::to_string_pretty(cfg).map_err(|e| e.to_string())
}

fn serve(cfg: Config, workers: Option<usize>) -> Result<(), String> {
    // Blocking work (database, hashing, images) is bounded by the connection
    // pool and the password gate anyway; more threads would only wait, each
    // holding a stack.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(24)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let workers = workers.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
        let data_dir = cfg.server.data_dir.display().to_string();
        let server = hearth_server::start(cfg, workers).await.map_err(|e| e.to_string())?;
        println!("Hearth is listening on {} (data in {data_dir})", server.url());
        if let Some(t) = &server.setup_token {
            println!("First start: create the system admin account with this one-time setup token:\n  {t}");
        }
        if let Some(p) = &server.admin_socket {
            println!("Administration socket (hearthctl --local): {}", p.display());
        }
        let handle = server.handle();
        let hub = server.ctx.hub.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down");
            hub.shutdown().await;
            handle.stop(true).await;
        });
        server.wait().await.map_err(|e| e.to_string())
    })
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
