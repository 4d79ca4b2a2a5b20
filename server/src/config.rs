//! Server configuration: defaults, then a TOML file, then `HEARTH_*`
//! environment variables (`__` separates sections, e.g.
//! `HEARTH_DATABASE__URL`; a `_FILE` suffix reads a secret from a file).
//! Every field is documented in `packaging/hearth.toml`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[derive(Default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub accounts: AccountsConfig,
    pub files: FilesConfig,
    pub limits: LimitsConfig,
    pub realtime: RealtimeConfig,
    pub search: SearchConfig,
    pub metrics: MetricsConfig,
    pub log: LogConfig,
    pub sessions: crate::signin::config::SessionsConfig,
    pub login: crate::signin::config::LoginConfig,
    pub mfa: crate::signin::config::MfaConfig,
    pub ldap: crate::signin::config::LdapSection,
    pub oidc: crate::signin::config::OidcSection,
    pub compliance: crate::compliance::config::ComplianceConfig,
    pub audit: AuditConfig,
    /// Where the values came from, so the console can save and reload them.
    #[serde(skip)]
    pub origin: ConfigOrigin,
}

/// The file the configuration was read from and the keys the command line
/// fixed; neither is part of the configuration itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigOrigin {
    pub file: Option<PathBuf>,
    /// Dotted keys set by command-line options, which win over the file.
    pub cli: Vec<String>,
}

/// The file a server without `--config` reads from its data directory (and
/// creates when the console first saves a change).
pub const DEFAULT_FILE_NAME: &str = "hearth.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: String,
    /// Where the SQLite database, uploaded files and the search index live;
    /// made mode 0700 at start (the SQLite files 0600).
    pub data_dir: PathBuf,
    /// The URL users reach the server at. `https://…` turns on HSTS and
    /// `Secure` cookies with the `__Host-` prefix; anything else logs a
    /// warning at start.
    pub public_url: String,
    /// Seconds to let requests finish on shutdown.
    pub shutdown_grace_secs: u64,
    /// Unix socket for `hearthctl --local` on this host. Requests on it act as
    /// a built-in system administrator (it works before any account exists),
    /// so it is created with mode 0600 and only serves the API. Empty means
    /// `<data_dir>/hearth.sock`; `"off"` switches it off.
    pub admin_socket: String,
    /// Reverse proxies (IP addresses or CIDR ranges such as `10.0.0.0/8`)
    /// whose `Forwarded` / `X-Forwarded-For` headers name the real client
    /// for rate limits. Requests from any other address are keyed by their
    /// own address and those headers are ignored.
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path` or `postgres://user:password@host/db`; empty means
    /// `sqlite://<data_dir>/hearth.db`.
    pub url: String,
    pub max_connections: u32,
    /// SQLite durability: `full` (survives power loss) or `normal` (survives process crashes).
    pub sqlite_synchronous: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignupMode {
    /// Anyone who can reach the server may create an account.
    Open,
    /// Signup needs a team invite id.
    InviteOnly,
    /// Only admins create accounts.
    Disabled,
}

impl SignupMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SignupMode::Open => "open",
            SignupMode::InviteOnly => "invite_only",
            SignupMode::Disabled => "disabled",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    pub signup: SignupMode,
    /// Login sessions expire after this many days.
    pub session_days: u32,
    /// Users become "away" after this many seconds without activity.
    pub away_after_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FilesConfig {
    /// Largest accepted upload, in bytes.
    pub max_file_size: u64,
    /// Largest total of all files in one upload request, in bytes. Uploads
    /// are spooled to disk under the files directory, not kept in memory.
    pub max_upload_bytes: u64,
    /// Images decoded at once for thumbnails, previews and avatars; further
    /// uploads wait their turn. Each decode holds up to `max_image_pixels`
    /// × 4 bytes. Needs a restart.
    pub image_decodes: usize,
    /// Images with more pixels than this (read from the header, before
    /// decoding) are stored without thumbnail or preview; avatars are refused.
    pub max_image_pixels: u64,
    /// Where file contents are stored; empty means `<data_dir>/files`.
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Largest JSON request body, in bytes.
    pub max_json_bytes: usize,
    /// Login attempts allowed per minute from one client address.
    pub logins_per_minute: u32,
    /// Posts a user may create per second (sustained); bursts of twice that pass.
    pub posts_per_second: u32,
    /// Spreadsheets (attachments indexed for search, user import files):
    /// most cells with a value read from one file. A file with more is
    /// indexed by name only, or refused by the import.
    pub sheet_max_cells: u64,
    /// Spreadsheets: most bytes their zip members may unpack to, together
    /// (XLSX, XLSB and ODS are zip archives; this stops zip bombs).
    pub sheet_max_unpacked_bytes: u64,
    /// Spreadsheets: milliseconds one file may take to read before its
    /// reader process is killed.
    pub sheet_timeout_ms: u64,
    /// Spreadsheets: address space, in MiB, of the child process that reads
    /// one file (it maps the `hearth` binary too, so leave room for that).
    pub sheet_memory_mb: u64,
    /// The executable re-run to read spreadsheets in a child process; empty
    /// means this `hearth` binary.
    pub sheet_reader_program: PathBuf,
    /// Authenticated API requests one account may make per minute, whatever
    /// address they come from; bursts of as many pass.
    pub account_requests_per_minute: u32,
    /// Signup attempts allowed per hour from one client address (checked
    /// before anything else, whatever the answer).
    pub signups_per_hour: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RealtimeConfig {
    /// Frames queued per WebSocket connection before it is dropped as too slow.
    pub queue_size: usize,
    /// Events kept per user for replay after a reconnect.
    pub replay_events: usize,
    /// Seconds a disconnected user's replay buffer is kept.
    pub replay_keep_secs: u64,
    /// Open WebSocket connections one account may hold (tabs, devices);
    /// another is refused with `too_many_connections`.
    pub max_connections_per_user: usize,
}

/// Who may read `/metrics`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// A token for scrapers: `/metrics` answers requests carrying
    /// `Authorization: Bearer <token>` (Prometheus `authorization.credentials`).
    /// System administrators' own sessions and tokens are accepted too;
    /// anyone else is refused. Empty: administrators only.
    pub bearer_token: hearth_identity::Secret,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Keep the full-text index under `<data_dir>/search` and answer searches.
    pub enabled: bool,
    /// Milliseconds between index commits while changes arrive: how soon a new
    /// post becomes searchable.
    pub commit_interval_ms: u64,
    /// Search public channels of the caller's teams that they have not joined,
    /// as Slack does; off limits results to the caller's own channels.
    pub include_public_channels: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            commit_interval_ms: 500,
            include_public_channels: true,
        }
    }
}

/// The audit log's HMAC key, kept outside the database (read at start).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// Keys the audit chain: entry hashes become HMAC-SHA256 under this key
    /// (at least 32 bytes of text, e.g. from `openssl rand -hex 32`), so
    /// someone who can write the database cannot rewrite the log unseen.
    /// Best given as `HEARTH_AUDIT__HMAC_KEY_FILE`. Empty: plain SHA-256.
    pub hmac_key: hearth_identity::Secret,
    /// A file holding the key instead (surrounding whitespace is ignored).
    pub hmac_key_file: PathBuf,
}

impl AuditConfig {
    /// The key, read from `hmac_key` or the file `hmac_key_file`; `None`
    /// when neither is set. Errors never contain the key.
    pub fn key(&self) -> Result<Option<hearth_compliance::audit::AuditKey>, String> {
        let inline = self.hmac_key.expose().trim();
        let file = &self.hmac_key_file;
        let (text, from) = match (inline.is_empty(), file.as_os_str().is_empty()) {
            (true, true) => return Ok(None),
            (false, false) => {
                return Err(
                    "audit.hmac_key and audit.hmac_key_file are both set: give the key one way"
                        .into(),
                );
            }
            (false, true) => (inline.to_string(), "audit.hmac_key".to_string()),
            (true, false) => {
                let text = std::fs::read_to_string(file).map_err(|e| {
                    format!("audit.hmac_key_file: cannot read {}: {e}", file.display())
                })?;
                (
                    text.trim().to_string(),
                    format!("audit.hmac_key_file ({})", file.display()),
                )
            }
        };
        hearth_compliance::audit::AuditKey::new(text.into_bytes())
            .map(Some)
            .map_err(|e| format!("{from}: {e} (make one with `openssl rand -hex 32`)"))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `human` or `json`.
    pub format: String,
    /// A tracing filter such as `info` or `hearth=debug,info`.
    pub level: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8065".into(),
            data_dir: PathBuf::from("./hearth-data"),
            public_url: String::new(),
            shutdown_grace_secs: 10,
            admin_socket: String::new(),
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            max_connections: 10,
            sqlite_synchronous: "full".into(),
        }
    }
}

impl Default for AccountsConfig {
    fn default() -> Self {
        AccountsConfig {
            signup: SignupMode::InviteOnly,
            session_days: 30,
            away_after_secs: 300,
        }
    }
}

impl Default for FilesConfig {
    fn default() -> Self {
        FilesConfig {
            max_file_size: 50 * 1024 * 1024,
            max_upload_bytes: 200 * 1024 * 1024,
            image_decodes: 2,
            max_image_pixels: 25_000_000,
            dir: PathBuf::new(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_json_bytes: 1024 * 1024,
            logins_per_minute: 20,
            posts_per_second: 10,
            sheet_max_cells: 1_000_000,
            sheet_max_unpacked_bytes: 64 * 1024 * 1024,
            sheet_timeout_ms: 20_000,
            sheet_memory_mb: 1024,
            sheet_reader_program: PathBuf::new(),
            account_requests_per_minute: 1200,
            signups_per_hour: 10,
        }
    }
}

impl Default for RealtimeConfig {
    fn default() -> Self {
        RealtimeConfig {
            queue_size: 1024,
            replay_events: 512,
            replay_keep_secs: 600,
            max_connections_per_user: 16,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: "human".into(),
            level: "info".into(),
        }
    }
}

/// A configuration problem, said so that the admin can fix it.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    /// Loads defaults, then `file` (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let text = match file {
            Some(f) if !f.exists() => {
                return Err(ConfigError(format!("file {} does not exist", f.display())));
            }
            Some(f) => Some(
                std::fs::read_to_string(f)
                    .map_err(|e| ConfigError(format!("cannot read file {}: {e}", f.display())))?,
            ),
            None => None,
        };
        let mut cfg = Config::from_toml(text.as_deref())?;
        cfg.origin.file = file.map(Path::to_path_buf);
        Ok(cfg)
    }

    /// Defaults, then `toml` (the text of a configuration file), then the
    /// environment; validated.
    pub fn from_toml(toml: Option<&str>) -> Result<Config, ConfigError> {
        // The defaults pass through serialisation: keep their secrets real.
        let defaults = hearth_identity::Secret::revealing(|| {
            serde_json::to_value(Config::default()).map_err(|e| ConfigError(e.to_string()))
        })?;
        let mut fig = Figment::from(Serialized::defaults(defaults));
        if let Some(text) = toml {
            fig = fig.merge(Toml::string(text));
        }
        fig = fig.merge(secret_files()?).merge(
            Env::prefixed("HEARTH_")
                .ignore(&["CONFIG"])
                // `*_FILE` variables are read by `secret_files`, whatever their case.
                .filter(|k| !k.as_str().to_ascii_lowercase().ends_with("_file"))
                .split("__"),
        );
        let cfg: Config = fig.extract().map_err(|e| ConfigError(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Checks values a type cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen_addr()?;
        self.compliance.validate().map_err(ConfigError)?;
        if !matches!(self.database.sqlite_synchronous.as_str(), "full" | "normal") {
            return Err(ConfigError(format!(
                "database.sqlite_synchronous must be \"full\" or \"normal\", not \"{}\"",
                self.database.sqlite_synchronous
            )));
        }
        let url = self.database_url();
        if !(url.starts_with("sqlite://")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(ConfigError(format!(
                "database.url must start with sqlite://, postgres:// or postgresql://, got \"{}\"",
                hearth_store::redact(&url)
            )));
        }
        if !matches!(self.log.format.as_str(), "human" | "json") {
            return Err(ConfigError(format!(
                "log.format must be \"human\" or \"json\", not \"{}\"",
                self.log.format
            )));
        }
        if self.realtime.queue_size < 16 {
            return Err(ConfigError(
                "realtime.queue_size must be at least 16".into(),
            ));
        }
        if self.limits.max_json_bytes < 1024 {
            return Err(ConfigError(
                "limits.max_json_bytes must be at least 1024".into(),
            ));
        }
        if self.limits.sheet_max_cells == 0
            || self.limits.sheet_max_unpacked_bytes < 1024 * 1024
            || self.limits.sheet_timeout_ms < 100
            || self.limits.sheet_memory_mb < 256
        {
            return Err(ConfigError(
                "limits.sheet_max_cells must be positive, limits.sheet_max_unpacked_bytes at least 1048576, limits.sheet_timeout_ms at least 100 and limits.sheet_memory_mb at least 256".into(),
            ));
        }
        if self.files.max_file_size == 0 {
            return Err(ConfigError("files.max_file_size must be positive".into()));
        }
        if self.files.max_upload_bytes < self.files.max_file_size {
            return Err(ConfigError(
                "files.max_upload_bytes must be at least files.max_file_size".into(),
            ));
        }
        if self.files.image_decodes == 0 {
            return Err(ConfigError("files.image_decodes must be at least 1".into()));
        }
        if self.realtime.max_connections_per_user == 0 {
            return Err(ConfigError(
                "realtime.max_connections_per_user must be at least 1".into(),
            ));
        }
        crate::net::parse_proxies(&self.server.trusted_proxies).map_err(ConfigError)?;
        if self.accounts.session_days == 0 {
            return Err(ConfigError(
                "accounts.session_days must be at least 1".into(),
            ));
        }
        crate::signin::config::validate(self)?;
        self.audit.key().map_err(ConfigError)?;
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.server.listen.parse().map_err(|_| {
            ConfigError(format!(
                "server.listen must be an address like 127.0.0.1:8065, not \"{}\"",
                self.server.listen
            ))
        })
    }

    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("hearth.db").display()
            )
        } else {
            self.database.url.clone()
        }
    }

    /// The administration socket, unless switched off.
    pub fn admin_socket_path(&self) -> Option<PathBuf> {
        match self.server.admin_socket.as_str() {
            "off" => None,
            "" => Some(self.server.data_dir.join("hearth.sock")),
            p => Some(PathBuf::from(p)),
        }
    }

    /// Where the search index generations live.
    pub fn search_dir(&self) -> PathBuf {
        self.server.data_dir.join("search")
    }

    /// Where finished compliance exports wait for download.
    pub fn exports_dir(&self) -> PathBuf {
        self.server.data_dir.join("exports")
    }

    pub fn files_dir(&self) -> PathBuf {
        if self.files.dir.as_os_str().is_empty() {
            self.server.data_dir.join("files")
        } else {
            self.files.dir.clone()
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.server.public_url.starts_with("https://")
    }
}

/// `HEARTH_DATABASE__URL_FILE=/run/secrets/db` sets `database.url` from that file.
fn secret_files() -> Result<Serialized<serde_json::Value>, ConfigError> {
    let mut root = serde_json::Map::new();
    for (key, path) in std::env::vars() {
        let Some(name) = key
            .strip_prefix("HEARTH_")
            .and_then(|k| k.strip_suffix("_FILE"))
        else {
            continue;
        };
        let value = std::fs::read_to_string(&path)
            .map_err(|e| ConfigError(format!("{key}: cannot read {path}: {e}")))?;
        let parts: Vec<String> = name.split("__").map(|p| p.to_lowercase()).collect();
        let mut node = &mut root;
        for p in &parts[..parts.len() - 1] {
            node = node
                .entry(p.clone())
                .or_insert_with(|| serde_json::Value::Object(Default::default()))
                .as_object_mut()
                .ok_or_else(|| ConfigError(format!("{key}: conflicting keys")))?;
        }
        if let Some(last) = parts.last() {
            node.insert(
                last.clone(),
                serde_json::Value::String(value.trim_end().to_string()),
            );
        }
    }
    Ok(Serialized::defaults(serde_json::Value::Object(root)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_embedded() {
        let c = Config::default();
        c.validate().unwrap();
        assert!(c.database_url().starts_with("sqlite://"));
        assert!(c.files_dir().ends_with("files"));
    }

    /// The documented example must stay loadable and equal to the defaults.
    #[test]
    fn example_file_matches_defaults() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/hearth.toml");
        let loaded = Config::load(Some(&path)).unwrap();
        assert_eq!(
            serde_json::to_value(&loaded).unwrap(),
            serde_json::to_value(Config::default()).unwrap()
        );
    }

    /// Debug output and plain serialisation (`hearth config check`) never
    /// carry a secret; the configuration written back to its file does.
    #[test]
    fn secrets_print_redacted() {
        let mut c = Config::default();
        c.metrics.bearer_token = "scrape-token-42".into();
        c.audit.hmac_key = "audit-key-0123456789abcdef0123456789".into();
        let shown = format!("{c:?} {}", serde_json::to_string(&c).unwrap());
        assert!(!shown.contains("scrape-token-42"), "{shown}");
        assert!(!shown.contains("audit-key-0123"), "{shown}");
        let written = hearth_identity::Secret::revealing(|| serde_json::to_value(&c).unwrap());
        assert_eq!(written["metrics"]["bearer_token"], "scrape-token-42");
    }

    #[test]
    fn file_rejects_unknown_keys_and_bad_values() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("h.toml");
        std::fs::write(&f, "[server]\nlisten = \"127.0.0.1:9999\"\nlisen = 1\n").unwrap();
        let e = Config::load(Some(&f)).unwrap_err().to_string();
        assert!(e.contains("lisen"), "{e}");
        std::fs::write(&f, "[server]\nlisten = \"nope\"\n").unwrap();
        let e = Config::load(Some(&f)).unwrap_err().to_string();
        assert!(e.contains("server.listen"), "{e}");
        std::fs::write(&f, "[accounts]\nsignup = \"invite_only\"\n").unwrap();
        assert_eq!(
            Config::load(Some(&f)).unwrap().accounts.signup,
            SignupMode::InviteOnly
        );
    }
}
