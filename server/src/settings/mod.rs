//! The configuration as the system console sees and changes it.
//!
//! Two configurations are kept: the *saved* one (file, then environment,
//! then command line: what a restart would run with) and the *running* one
//! (what the server uses now). A change or reload replaces the saved one and
//! copies into the running one every key that can change live; the keys in
//! [`keys::RESTART_KEYS`] keep their start values until the next start and
//! are reported as `restart_required` meanwhile.

pub mod file;
pub mod keys;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use hearth_api::{ConfigValidation, ConfigView};
use hearth_core::{Error, Id, Result};
use hearth_identity::ldap::LdapDirectory;
use serde_json::{Map, Value};

use crate::config::{Config, ConfigError, DEFAULT_FILE_NAME};
use crate::services::audit;
use crate::state::Ctx;

pub struct Settings {
    running: ArcSwap<Config>,
    saved: ArcSwap<Config>,
    /// The file changes go to; set when the first change creates it.
    file: Mutex<Option<PathBuf>>,
    /// One change or reload at a time, so none is lost between read and write.
    edit: tokio::sync::Mutex<()>,
}

impl Settings {
    pub fn new(config: Config) -> Settings {
        let file = config.origin.file.clone();
        let config = Arc::new(config);
        Settings {
            running: ArcSwap::new(config.clone()),
            saved: ArcSwap::new(config),
            file: Mutex::new(file),
            edit: tokio::sync::Mutex::new(()),
        }
    }

    /// The configuration in effect now.
    pub fn running(&self) -> Arc<Config> {
        self.running.load_full()
    }

    /// The configuration a restart would run with.
    pub fn saved(&self) -> Arc<Config> {
        self.saved.load_full()
    }

    fn file(&self) -> Option<PathBuf> {
        self.file.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The file a change is written to: the one read at start, else
    /// `<data_dir>/hearth.toml`.
    fn target(&self) -> PathBuf {
        self.file()
            .unwrap_or_else(|| self.running().server.data_dir.join(DEFAULT_FILE_NAME))
    }

    /// Keys fixed outside the file.
    fn locked(&self) -> (Vec<String>, Vec<String>) {
        (keys::env_keys(), self.running().origin.cli.clone())
    }

    /// Saved keys whose value the running server does not use yet.
    fn pending(&self) -> Vec<String> {
        keys::changed_keys(&json(&self.saved()), &json(&self.running()))
    }

    /// `GET /api/v1/admin/config`
    pub fn view(&self) -> ConfigView {
        let mut config = json(&self.saved());
        keys::mask(&mut config);
        let (env, cli) = self.locked();
        ConfigView {
            config,
            source: self.file().map(|p| p.display().to_string()),
            writable: file::writable(&self.target()),
            env_overrides: env,
            cli_overrides: cli,
            restart_keys: keys::RESTART_KEYS.iter().map(|k| k.to_string()).collect(),
            restart_required: Some(self.pending()),
        }
    }
}

/// The configuration as JSON in the shape of the file, secrets included:
/// only for editing and writing the file back (views mask them).
fn json(c: &Config) -> Value {
    hearth_identity::Secret::revealing(|| serde_json::to_value(c).unwrap_or(Value::Null))
}

fn invalid(e: ConfigError) -> Error {
    Error::InvalidConfig(e.0)
}

/// `cfg` with the values of `keys` taken from `from`.
fn with_values_from(cfg: &Config, keys_: &[String], from: &Config) -> Result<Config> {
    let src = json(from);
    let mut out = json(cfg);
    for k in keys_ {
        if let Some(v) = keys::get(&src, k) {
            keys::set(&mut out, k, v.clone());
        }
    }
    let mut c: Config = serde_json::from_value(out).map_err(Error::internal)?;
    c.origin = cfg.origin.clone();
    Ok(c)
}

/// Builds a configuration from JSON in the shape of the file, with the
/// names of the offending keys in the error.
fn from_json(mut value: Value) -> std::result::Result<Config, ConfigError> {
    strip_nulls(&mut value);
    let cfg: Config = figment::Figment::from(figment::providers::Serialized::defaults(value))
        .extract()
        .map_err(|e| ConfigError(e.to_string().replace("default.", "")))?;
    cfg.validate()?;
    Ok(cfg)
}

fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, x| !x.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// `POST /api/v1/admin/config/validate`: the current configuration with
/// `partial` merged in, checked as the server would check it at start.
pub fn validate(ctx: &Ctx, partial: &Value) -> Result<ConfigValidation> {
    if !partial.is_object() {
        return Err(Error::InvalidConfig(
            "config must be an object shaped like the configuration file".into(),
        ));
    }
    let saved = json(&ctx.settings.saved());
    let mut patch = partial.clone();
    keys::unmask(&mut patch, &saved);
    let mut merged = saved;
    keys::merge(&mut merged, &patch);
    let candidate = from_json(merged).map_err(invalid)?;
    let restart_required = keys::changed_keys(&json(&candidate), &json(&ctx.settings.running()))
        .into_iter()
        .filter(|k| keys::needs_restart(k))
        .collect();
    Ok(ConfigValidation {
        valid: true,
        restart_required,
    })
}

fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidConfig(format!(
            "`{key}` is not a configuration key (write it like ldap.directory.urls)"
        )))
    }
}

/// The text of a new configuration file holding what the server runs with
/// now (values different from the defaults, keys fixed elsewhere left out).
fn materialise(saved: &Config, locked: &[String]) -> Result<String> {
    let mut doc = toml_edit::DocumentMut::new();
    let defaults = keys::flatten(&json(&Config::default()));
    for (k, v) in keys::flatten(&json(saved)) {
        let unchanged = defaults.iter().any(|(dk, dv)| *dk == k && *dv == v);
        if v.is_null() || unchanged || locked.iter().any(|l| keys::overlaps(l, &k)) {
            continue;
        }
        file::set_key(&mut doc, &k, &v).map_err(Error::internal)?;
    }
    Ok(format!(
        "# Hearth configuration, created by the system console. Every option is\n\
         # documented in the example file shipped with the server (hearth.toml).\n\n{doc}"
    ))
}

/// `PATCH /api/v1/admin/config`: writes `set` into the file and applies what
/// can change live. Nothing is written when the result does not validate.
pub async fn patch(
    ctx: Arc<Ctx>,
    actor: Id,
    set: Map<String, Value>,
) -> hearth_core::Result<ConfigView> {
    if set.is_empty() {
        return Err(Error::invalid("set names no key"));
    }
    let s = &ctx.settings;
    let _one = s.edit.lock().await;
    let (env, cli) = s.locked();
    let saved = json(&s.saved());
    let mut changes = Vec::new();
    for (key, value) in &set {
        check_key(key)?;
        if let Some(l) = env.iter().find(|l| keys::overlaps(l, key)) {
            return Err(Error::ConfigLocked(format!(
                "`{key}` is fixed by the environment variable HEARTH_{}",
                l.to_uppercase().replace('.', "__")
            )));
        }
        if cli.iter().any(|l| keys::overlaps(l, key)) {
            return Err(Error::ConfigLocked(format!(
                "`{key}` is fixed by a command-line option"
            )));
        }
        if value.as_str() == Some(keys::MASK) {
            continue;
        }
        let mut v = value.clone();
        if let Some(old) = keys::get(&saved, key) {
            keys::unmask(&mut v, old);
        }
        changes.push((key.clone(), v));
    }
    // A secret never follows its endpoint to a new host unless given anew.
    let mut given = Value::Object(Map::new());
    let mut merged = saved.clone();
    for (k, v) in &set {
        keys::set(&mut given, k, v.clone());
    }
    for (k, v) in &changes {
        keys::set(&mut merged, k, v.clone());
    }
    for key in keys::drop_moved_secrets(&saved, &mut merged, &given) {
        let v = keys::get(&merged, &key).cloned().unwrap_or(Value::Null);
        changes.push((key, v));
    }
    let path = s.target();
    let text = if path.exists() {
        tokio::fs::read_to_string(&path)
            .await
            .map_err(|e| Error::internal(format!("cannot read {}: {e}", path.display())))?
    } else {
        let locked: Vec<String> = env.iter().chain(cli.iter()).cloned().collect();
        materialise(&s.saved(), &locked)?
    };
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| Error::InvalidConfig(format!("{} does not parse: {e}", path.display())))?;
    for (k, v) in &changes {
        file::set_key(&mut doc, k, v).map_err(Error::InvalidConfig)?;
    }
    let new_text = doc.to_string();
    let mut next = Config::from_toml(Some(&new_text)).map_err(invalid)?;
    next.origin.file = Some(path.clone());
    next.origin.cli = cli.clone();
    let next = with_values_from(&next, &cli, &s.running())?;
    next.validate().map_err(invalid)?;
    let before = json(&s.saved());
    let staged = stage(&ctx, next).await?;
    let target = path.clone();
    tokio::task::spawn_blocking(move || file::write_atomic(&target, &new_text))
        .await
        .map_err(Error::internal)?
        .map_err(|e| {
            // Said plainly (not a hidden internal error): the admin can fix permissions.
            Error::Unavailable(format!(
                "the configuration file {} cannot be written: {e}",
                path.display()
            ))
        })?;
    *s.file.lock().unwrap_or_else(|p| p.into_inner()) = Some(path.clone());
    let changed = keys::changed_keys(&before, &json(&staged.saved));
    commit(&ctx, staged);
    let view = s.view();
    record(&ctx, Some(actor), "config.changed", &path, changed, &view).await?;
    Ok(view)
}

/// `POST /api/v1/admin/config/reload`: reads the file and environment again.
pub async fn reload(ctx: Arc<Ctx>, actor: Id) -> hearth_core::Result<ConfigView> {
    let s = &ctx.settings;
    let _one = s.edit.lock().await;
    let path = s.file().or_else(|| Some(s.target()).filter(|p| p.exists()));
    let cli = s.running().origin.cli.clone();
    let file = path.clone();
    let mut next = tokio::task::spawn_blocking(move || Config::load(file.as_deref()))
        .await
        .map_err(Error::internal)?
        .map_err(invalid)?;
    next.origin.cli = cli.clone();
    let next = with_values_from(&next, &cli, &s.running())?;
    next.validate().map_err(invalid)?;
    let before = json(&s.saved());
    let staged = stage(&ctx, next).await?;
    if let Some(p) = &path {
        *s.file.lock().unwrap_or_else(|e| e.into_inner()) = Some(p.clone());
    }
    let changed = keys::changed_keys(&before, &json(&staged.saved));
    commit(&ctx, staged);
    let view = s.view();
    let shown = path.unwrap_or_default();
    record(&ctx, Some(actor), "config.reloaded", &shown, changed, &view).await?;
    Ok(view)
}

/// A new configuration with everything built that could fail, so nothing
/// is applied or written when something does.
struct Staged {
    saved: Config,
    running: Config,
    /// The new directory when the LDAP settings changed.
    ldap: Option<Option<LdapDirectory>>,
}

async fn stage(ctx: &Ctx, saved: Config) -> hearth_core::Result<Staged> {
    let now = ctx.settings.running();
    let restart: Vec<String> = keys::RESTART_KEYS.iter().map(|k| k.to_string()).collect();
    let running = with_values_from(&saved, &restart, &now)?;
    let ldap_changed =
        running.ldap.enabled != now.ldap.enabled || running.ldap.directory != now.ldap.directory;
    let ldap = if ldap_changed {
        Some(match (&running.ldap.directory, running.ldap.enabled) {
            (Some(d), true) => Some(
                LdapDirectory::new(d.clone())
                    .await
                    .map_err(|e| Error::InvalidConfig(format!("ldap.directory: {e}")))?,
            ),
            _ => None,
        })
    } else {
        None
    };
    Ok(Staged {
        saved,
        running,
        ldap,
    })
}

fn commit(ctx: &Ctx, staged: Staged) {
    if let Some(dir) = staged.ldap {
        ctx.signin.ldap.store(dir.map(Arc::new));
    }
    ctx.settings.saved.store(Arc::new(staged.saved));
    ctx.settings.running.store(Arc::new(staged.running));
}

/// Audits a change by key names only: values may be secrets.
async fn record(
    ctx: &Arc<Ctx>,
    actor: Option<Id>,
    action: &'static str,
    path: &std::path::Path,
    keys_: Vec<String>,
    view: &ConfigView,
) -> hearth_core::Result<()> {
    let details = serde_json::json!({
        "keys": keys_,
        "restart_required": view.restart_required,
        "file": path.display().to_string(),
    });
    ctx.run(move |c| {
        c.store
            .write(|tx| audit::record(tx, actor, action, "config", None, details))
    })
    .await
}
