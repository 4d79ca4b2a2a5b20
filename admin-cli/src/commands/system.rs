//! `hearthctl system …`: status, version and configuration, against the
//! system administration endpoints (`/api/v1/admin/system/status`,
//! `/api/v1/admin/config…`). `--json` prints the server's bodies as they
//! are; the tables summarise them from their JSON form, so fields a newer
//! server adds never break this program.

use serde::Serialize;
use serde_json::{Value, json};

use super::Ctx;
use crate::cli::{ConfigCmd, SystemCmd};
use crate::exit::{CliError, Result};
use crate::output::{cell, fields, time};

pub async fn run(ctx: &Ctx, cmd: SystemCmd) -> Result<()> {
    match cmd {
        SystemCmd::Version => version(ctx).await,
        SystemCmd::Status => {
            let s = as_json(&ctx.client()?.system_status().await?)?;
            ctx.out.emit(&s, || status_text(&s))
        }
        SystemCmd::Config(c) => config(ctx, c).await,
        SystemCmd::Reload => {
            let r = as_json(&ctx.client()?.reload_config().await?)?;
            ctx.out.emit(&r, || {
                format!("Configuration reloaded.{}", restart_note(&r))
            })
        }
    }
}

/// Works without a server: the client's version always, the server's when
/// one is configured and answers.
async fn version(ctx: &Ctx) -> Result<()> {
    let client = env!("CARGO_PKG_VERSION");
    let server = match ctx.client() {
        Ok(c) => c
            .server_info()
            .await
            .map(|i| i.version)
            .map_err(CliError::from),
        Err(e) => Err(e),
    };
    let (server_version, server_error) = match server {
        Ok(v) => (Some(v), None),
        Err(e) => (None, Some(e.message())),
    };
    let body = json!({ "client": client, "server": server_version, "server_error": server_error });
    ctx.out.emit(&body, || {
        let server = match (&server_version, &server_error) {
            (Some(v), _) => v.clone(),
            (None, Some(e)) => format!("unknown ({e})"),
            (None, None) => "unknown".into(),
        };
        format!("hearthctl {client}\nserver    {server}")
    })
}

async fn config(ctx: &Ctx, cmd: ConfigCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        ConfigCmd::Show => {
            let r = as_json(&c.config().await?)?;
            ctx.out.emit(&r, || {
                let body = without_nulls(r.get("config").cloned().unwrap_or(Value::Null));
                let text = toml::to_string_pretty(&body)
                    .unwrap_or_else(|_| serde_json::to_string_pretty(&body).unwrap_or_default());
                format!("{}\n{text}", config_header(&r))
            })
        }
        ConfigCmd::Validate { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CliError::Other(format!("cannot read {}: {e}", file.display())))?;
            let parsed: toml::Table = toml::from_str(&text)
                .map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?;
            let config =
                serde_json::to_value(parsed).map_err(|e| CliError::Other(e.to_string()))?;
            let r = as_json(&c.validate_config(config).await?)?;
            ctx.out.emit(&r, || {
                format!("The configuration is valid.{}", restart_note(&r))
            })
        }
        ConfigCmd::Set { pairs } => {
            let mut set = serde_json::Map::new();
            for p in &pairs {
                let (k, v) = parse_pair(p)?;
                set.insert(k, v);
            }
            let r = as_json(&c.patch_config(set).await?)?;
            ctx.out.emit(&r, || {
                format!(
                    "Configuration saved.{}\n{}",
                    restart_note(&r),
                    config_header(&r)
                )
            })
        }
    }
}

/// TOML has no null: an unset optional key is simply absent, as in the file.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn as_json(body: &impl Serialize) -> Result<Value> {
    serde_json::to_value(body).map_err(|e| CliError::Other(e.to_string()))
}

/// `key=value`, the value read as TOML (`10`, `true`, `"x"`, `[1, 2]`) and
/// otherwise taken as a bare string, so `accounts.signup=disabled` works.
pub fn parse_pair(pair: &str) -> Result<(String, Value)> {
    let Some((key, raw)) = pair.split_once('=') else {
        return Err(CliError::Usage(format!("expected KEY=VALUE, got '{pair}'")));
    };
    let key = key.trim();
    if key.is_empty() {
        return Err(CliError::Usage(format!("no key in '{pair}'")));
    }
    let raw = raw.trim();
    let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or_else(|| Value::String(raw.to_string()));
    Ok((key.to_string(), value))
}

fn restart_note(r: &Value) -> String {
    let keys: Vec<String> = r
        .get("restart_required")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(cell).collect())
        .unwrap_or_default();
    if keys.is_empty() {
        String::new()
    } else {
        format!("\nThese take effect after a restart: {}", keys.join(", "))
    }
}

fn config_header(r: &Value) -> String {
    let overrides: Vec<String> = r
        .get("env_overrides")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(cell).collect())
        .unwrap_or_default();
    fields(vec![
        ("file", r.get("source").map(cell).unwrap_or_default()),
        ("writable", r.get("writable").map(cell).unwrap_or_default()),
        (
            "set by environment",
            if overrides.is_empty() {
                "-".into()
            } else {
                overrides.join(", ")
            },
        ),
    ])
}

fn status_text(s: &Value) -> String {
    let get = |path: &str| s.pointer(path).map(cell).unwrap_or_else(|| "-".into());
    let mut rows = vec![
        ("version", get("/version")),
        (
            "started",
            s.get("started_at")
                .and_then(Value::as_i64)
                .map(time)
                .unwrap_or_else(|| "-".into()),
        ),
        ("uptime", format!("{} s", get("/uptime_secs"))),
        (
            "database",
            format!(
                "{} (ok: {}, {} bytes)",
                get("/database/backend"),
                get("/database/ok"),
                get("/database/size_bytes")
            ),
        ),
        (
            "users",
            format!(
                "{} total, {} active, {} deactivated, {} bots",
                get("/users/total"),
                get("/users/active"),
                get("/users/deactivated"),
                get("/users/bots")
            ),
        ),
        ("active sessions", get("/sessions/active")),
        ("teams", get("/teams")),
        ("channels", get("/channels")),
        ("posts", get("/posts/total")),
    ];
    rows.push((
        "search",
        match s.get("search") {
            Some(Value::Null) | None => "off".into(),
            Some(v) => format!(
                "{} posts, {} files indexed",
                v.get("posts").map(cell).unwrap_or_default(),
                v.get("files").map(cell).unwrap_or_default()
            ),
        },
    ));
    rows.push((
        "ldap",
        match s.get("ldap") {
            Some(Value::Null) | None => "not configured".into(),
            Some(v) => format!(
                "last sync {}",
                v.pointer("/last_sync/finished_at")
                    .and_then(Value::as_i64)
                    .map(time)
                    .unwrap_or_else(|| "never".into())
            ),
        },
    ));
    fields(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_take_toml_values_or_bare_strings() {
        assert_eq!(
            parse_pair("accounts.signup=disabled").unwrap(),
            ("accounts.signup".into(), json!("disabled"))
        );
        assert_eq!(
            parse_pair("limits.posts_per_second = 5").unwrap(),
            ("limits.posts_per_second".into(), json!(5))
        );
        assert_eq!(parse_pair("search.enabled=false").unwrap().1, json!(false));
        assert_eq!(parse_pair("log.level=\"debug\"").unwrap().1, json!("debug"));
        assert!(parse_pair("novalue").is_err());
        assert!(parse_pair("=1").is_err());
    }
}
