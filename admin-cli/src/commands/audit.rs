//! `hearthctl audit …`: read, export and verify the hash-chained audit log.

use std::io::Write;

use hearth_api::{AuditLogEntry, AuditQuery};
use hearth_client::Client;

use super::{Ctx, resolve};
use crate::cli::{AuditCmd, AuditFilter, ExportFormat};
use crate::exit::{CliError, Result};
use crate::output::{fields, table, time, yes_no};

/// Entries fetched per request while exporting (the server's maximum).
const PAGE: u32 = 1000;

pub async fn run(ctx: &Ctx, cmd: AuditCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        AuditCmd::Query { filter, limit } => {
            let mut q = query(&c, &filter).await?;
            q.limit = Some(limit.clamp(1, PAGE));
            let page = c.audit_log(&q).await?;
            ctx.out.emit(&page, || {
                table(
                    &["seq", "time", "actor", "action", "target", "details"],
                    page.entries.iter().map(|e| {
                        vec![
                            e.seq.to_string(),
                            time(e.at),
                            actor(e),
                            e.action.clone(),
                            format!(
                                "{} {}",
                                e.target_kind,
                                e.target_id.clone().unwrap_or_default()
                            ),
                            e.details.to_string(),
                        ]
                    }),
                )
            })
        }
        AuditCmd::Export {
            filter,
            format,
            output,
        } => {
            let q = query(&c, &filter).await?;
            let sink: Box<dyn Write> =
                match &output {
                    Some(p) => Box::new(std::fs::File::create(p).map_err(|e| {
                        CliError::Other(format!("cannot create {}: {e}", p.display()))
                    })?),
                    None => Box::new(std::io::stdout().lock()),
                };
            let count = export(&c, q, format, sink).await?;
            if let Some(p) = output {
                let body = serde_json::json!({ "entries": count, "file": p });
                ctx.out.emit(&body, || {
                    format!("{count} entries written to {}", p.display())
                })?;
            }
            Ok(())
        }
        AuditCmd::Verify { head } => {
            let v = match head {
                Some(h) => c.audit_verify_against(&h).await?,
                None => c.audit_verify().await?,
            };
            ctx.out.emit(&v, || {
                fields(vec![
                    ("intact", yes_no(v.ok)),
                    ("entries checked", v.entries.to_string()),
                    (
                        "head hash",
                        v.head_hash.clone().unwrap_or_else(|| "-".into()),
                    ),
                    (
                        "first bad entry",
                        v.first_bad_seq
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    (
                        "keyed from entry",
                        v.keyed_from_seq
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    ("reason", v.reason.clone().unwrap_or_else(|| "-".into())),
                ])
            })?;
            match (v.ok, v.first_bad_seq, v.unchecked_from_seq) {
                (true, _, _) => Ok(()),
                (false, None, Some(from)) => Err(CliError::Other(format!(
                    "the audit entries from {from} on are keyed and the server has no audit key: they cannot be checked"
                ))),
                (false, seq, _) => Err(CliError::Other(format!(
                    "the audit chain is broken at entry {}",
                    seq.unwrap_or(0)
                ))),
            }
        }
    }
}

fn actor(e: &AuditLogEntry) -> String {
    match (&e.actor_id, e.details.get("via").and_then(|v| v.as_str())) {
        (Some(a), _) => a.to_string(),
        (None, Some(via)) => format!("({via})"),
        (None, None) => "(server)".into(),
    }
}

/// The server-side filters of the command line.
async fn query(c: &Client, f: &AuditFilter) -> Result<AuditQuery> {
    let actor_id = match &f.actor {
        Some(a) => Some(resolve::user_id(c, a).await?),
        None => None,
    };
    Ok(AuditQuery {
        action: f.action.clone(),
        actor_id,
        since: f.since.as_deref().map(parse_time).transpose()?,
        until: f.until.as_deref().map(parse_time).transpose()?,
        ..Default::default()
    })
}

/// `2026-11-25` (midnight UTC), an RFC 3339 time, or epoch milliseconds.
pub fn parse_time(s: &str) -> Result<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        return Ok(ms);
    }
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t.as_millisecond());
    }
    if s.parse::<jiff::civil::Date>().is_ok()
        && let Ok(t) = format!("{s}T00:00:00Z").parse::<jiff::Timestamp>()
    {
        return Ok(t.as_millisecond());
    }
    Err(CliError::Usage(format!(
        "cannot read the time '{s}': use 2026-11-25, 2026-11-25T10:00:00Z or epoch milliseconds"
    )))
}

/// Where exported entries go, in the chosen format.
enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Jsonl(std::io::BufWriter<Box<dyn Write>>),
}

const CSV_HEADER: [&str; 11] = [
    "seq",
    "id",
    "at",
    "actor_id",
    "action",
    "target_kind",
    "target_id",
    "details",
    "ip",
    "prev_hash",
    "hash",
];

impl Sink {
    fn new(format: ExportFormat, out: Box<dyn Write>) -> Result<Sink> {
        Ok(match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(CSV_HEADER).map_err(write_err)?;
                Sink::Csv(Box::new(w))
            }
            ExportFormat::Jsonl => Sink::Jsonl(std::io::BufWriter::new(out)),
        })
    }

    fn entry(&mut self, e: &AuditLogEntry) -> Result<()> {
        match self {
            Sink::Csv(w) => w
                .write_record([
                    e.seq.to_string(),
                    e.id.to_string(),
                    e.at.to_string(),
                    e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                    e.action.clone(),
                    e.target_kind.clone(),
                    e.target_id.clone().unwrap_or_default(),
                    e.details.to_string(),
                    e.ip.clone().unwrap_or_default(),
                    e.prev_hash.clone(),
                    e.hash.clone(),
                ])
                .map_err(write_err),
            Sink::Jsonl(w) => {
                serde_json::to_writer(&mut *w, e).map_err(write_err)?;
                w.write_all(b"\n").map_err(write_err)
            }
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Csv(mut w) => w.flush().map_err(write_err),
            Sink::Jsonl(mut w) => w.flush().map_err(write_err),
        }
    }
}

fn write_err(e: impl std::fmt::Display) -> CliError {
    CliError::Other(format!("cannot write the export: {e}"))
}

/// Pages through every matching entry, writing each as it arrives.
async fn export(
    c: &Client,
    mut q: AuditQuery,
    format: ExportFormat,
    out: Box<dyn Write>,
) -> Result<u64> {
    let mut sink = Sink::new(format, out)?;
    q.limit = Some(PAGE);
    let mut count = 0u64;
    loop {
        let page = c.audit_log(&q).await?;
        for e in &page.entries {
            sink.entry(e)?;
            count += 1;
        }
        match page.next_after {
            Some(n) => q.after = Some(n),
            None => break,
        }
    }
    sink.finish()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn times_in_three_forms() {
        assert_eq!(parse_time("1700000000000").unwrap(), 1_700_000_000_000);
        assert_eq!(parse_time("1970-01-02").unwrap(), 86_400_000);
        assert_eq!(parse_time("1970-01-01T00:00:01Z").unwrap(), 1000);
        assert!(parse_time("yesterday").is_err());
    }
}
