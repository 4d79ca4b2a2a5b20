//! Reading the audit log: pages, verifying the hash chain, and exports
//! (which are themselves audited). Writing entries is [`super::audit`].

use hearth_api::{AuditLogEntry, AuditPage, AuditQuery, AuditVerification};
use hearth_core::Error;
use hearth_core::Result;
use hearth_core::permissions::{Action, Facts, require};
use hearth_store::models::AuditRow;
use hearth_store::parse_id;

use crate::auth::Auth;
use crate::state::Ctx;

/// Entries per page unless `limit` says otherwise.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;
/// Rows read per query while verifying or exporting, bounding memory on large logs.
const BATCH: i64 = 1000;

/// System admins and compliance officers read the audit log.
fn require_reader(auth: &Auth) -> Result<()> {
    require(&auth.actor, Action::ReadAuditLog, &Facts::default())
}

fn to_api(row: AuditRow) -> AuditLogEntry {
    AuditLogEntry {
        seq: u64::try_from(row.seq).unwrap_or(0),
        id: parse_id(&row.id),
        at: row.created_at,
        actor_id: row.actor_id.as_deref().map(parse_id),
        action: row.action,
        target_kind: row.target_kind,
        target_id: row.target_id,
        details: serde_json::from_str(&row.details)
            .unwrap_or(serde_json::Value::String(row.details)),
        ip: row.ip,
        prev_hash: row.prev_hash,
        hash: row.hash,
    }
}

/// A page of entries, oldest first, after `q.after`.
pub fn page(ctx: &Ctx, auth: &Auth, q: AuditQuery) -> Result<AuditPage> {
    require_reader(auth)?;
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::invalid(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    let after =
        i64::try_from(q.after.unwrap_or(0)).map_err(|_| Error::invalid("after is too large"))?;
    let actor = q.actor_id.map(|a| a.to_string());
    let rows = ctx.store.read(|conn| {
        Ok(hearth_store::audit::page(
            conn,
            after,
            i64::from(limit),
            q.action.as_deref(),
            actor.as_deref(),
            (q.since, q.until),
        )?)
    })?;
    let full = rows.len() == limit as usize;
    let entries: Vec<AuditLogEntry> = rows.into_iter().map(to_api).collect();
    let next_after = if full {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(AuditPage {
        entries,
        next_after,
    })
}

/// Recomputes the chain; `expected_head` (hex) must be one of its hashes.
pub fn verify(ctx: &Ctx, auth: &Auth, expected_head: Option<&str>) -> Result<AuditVerification> {
    require_reader(auth)?;
    let expected = match expected_head {
        Some(h) => {
            let mut out = [0u8; 32];
            hex::decode_to_slice(h, &mut out)
                .map_err(|_| Error::invalid("expected_head must be 64 hexadecimal digits"))?;
            Some(out)
        }
        None => None,
    };
    let keying = ctx.store.audit_keying();
    let v = ctx
        .store
        .read(|conn| Ok(hearth_store::audit::verify(conn, BATCH, expected, keying)?))?;
    if let Some(t) = &v.tamper {
        tracing::warn!(seq = t.seq, reason = %t.reason, "audit chain broken");
    }
    let reason = match (&v.tamper, v.unchecked_from) {
        (Some(t), _) => Some(t.reason.clone()),
        (None, Some(from)) => Some(format!(
            "cannot check keyed entries: the entries from seq {from} on are keyed with the audit key ([audit] hmac_key), which this server was started without; only their order and links were checked"
        )),
        (None, None) => None,
    };
    Ok(AuditVerification {
        ok: v.tamper.is_none() && v.unchecked_from.is_none(),
        entries: v.entries,
        head_hash: v.head_hash,
        first_bad_seq: v.tamper.as_ref().map(|t| t.seq),
        reason,
        keyed_from_seq: v.keyed_from,
        unchecked_from_seq: v.unchecked_from,
    })
}

/// The formats of [`export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One entry per line, as the API returns it.
    JsonLines,
    Csv,
}

impl ExportFormat {
    /// `jsonl` (the default) or `csv`.
    pub fn parse(name: Option<&str>) -> Result<ExportFormat> {
        match name {
            None | Some("jsonl") => Ok(ExportFormat::JsonLines),
            Some("csv") => Ok(ExportFormat::Csv),
            Some(other) => Err(Error::invalid(format!(
                "format must be jsonl or csv, not {other:?}"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            ExportFormat::JsonLines => "jsonl",
            ExportFormat::Csv => "csv",
        }
    }
}

const CSV_HEADER: [&str; 11] = [
    "seq",
    "id",
    "at",
    "actor_id",
    "action",
    "target_kind",
    "target_id",
    "ip",
    "details",
    "prev_hash",
    "hash",
];

/// The entries between `since` and `until`, oldest first, with their chain
/// hashes. The export itself is audited first, so it cannot go unrecorded.
pub fn export(
    ctx: &Ctx,
    auth: &Auth,
    format: ExportFormat,
    since: Option<i64>,
    until: Option<i64>,
) -> Result<Vec<u8>> {
    require_reader(auth)?;
    ctx.store.write(|tx| {
        super::audit::record(
            tx,
            Some(auth.user_id()),
            "audit.export",
            "audit_log",
            None,
            serde_json::json!({ "format": format.name(), "since": since, "until": until }),
        )
    })?;
    let mut out = Writer::new(format)?;
    let mut after = 0i64;
    loop {
        let rows = ctx.store.read(|conn| {
            Ok(hearth_store::audit::page(
                conn,
                after,
                BATCH,
                None,
                None,
                (since, until),
            )?)
        })?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        let n = rows.len();
        for row in rows {
            out.entry(&to_api(row))?;
        }
        if (n as i64) < BATCH {
            break;
        }
    }
    out.finish()
}

/// Writes entries in one of the export formats.
enum Writer {
    JsonLines(Vec<u8>),
    /// Boxed: the CSV writer carries its buffers inline.
    Csv(Box<csv::Writer<Vec<u8>>>),
}

impl Writer {
    fn new(format: ExportFormat) -> Result<Writer> {
        Ok(match format {
            ExportFormat::JsonLines => Writer::JsonLines(Vec::new()),
            ExportFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(Vec::new());
                w.write_record(CSV_HEADER).map_err(Error::internal)?;
                Writer::Csv(Box::new(w))
            }
        })
    }

    fn entry(&mut self, e: &AuditLogEntry) -> Result<()> {
        match self {
            Writer::JsonLines(out) => {
                serde_json::to_writer(&mut *out, e).map_err(Error::internal)?;
                out.push(b'\n');
            }
            Writer::Csv(w) => w
                .write_record([
                    e.seq.to_string(),
                    e.id.to_string(),
                    e.at.to_string(),
                    e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                    e.action.clone(),
                    e.target_kind.clone(),
                    e.target_id.clone().unwrap_or_default(),
                    e.ip.clone().unwrap_or_default(),
                    e.details.to_string(),
                    e.prev_hash.clone(),
                    e.hash.clone(),
                ])
                .map_err(Error::internal)?,
        }
        Ok(())
    }

    fn finish(self) -> Result<Vec<u8>> {
        match self {
            Writer::JsonLines(out) => Ok(out),
            Writer::Csv(w) => w.into_inner().map_err(Error::internal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(details: serde_json::Value) -> AuditLogEntry {
        AuditLogEntry {
            seq: 7,
            id: uuid::Uuid::from_u128(1),
            at: 1000,
            actor_id: None,
            action: "user.create".into(),
            target_kind: "user".into(),
            target_id: Some("a,b".into()),
            ip: None,
            details,
            prev_hash: "00".into(),
            hash: "ff".into(),
        }
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let mut w = Writer::new(ExportFormat::Csv).unwrap();
        w.entry(&entry(serde_json::json!({ "name": "say \"hi\"\nbye" })))
            .unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "seq,id,at,actor_id,action,target_kind,target_id,ip,details,prev_hash,hash\n\
             7,00000000-0000-0000-0000-000000000001,1000,,user.create,user,\"a,b\",,\
             \"{\"\"name\"\":\"\"say \\\"\"hi\\\"\"\\nbye\"\"}\",00,ff\n"
        );
    }

    #[test]
    fn json_lines_end_every_entry_with_a_newline() {
        let mut w = Writer::new(ExportFormat::JsonLines).unwrap();
        w.entry(&entry(serde_json::Value::Null)).unwrap();
        w.entry(&entry(serde_json::Value::Null)).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn unknown_formats_are_refused() {
        assert_eq!(ExportFormat::parse(None).unwrap(), ExportFormat::JsonLines);
        assert_eq!(ExportFormat::parse(Some("csv")).unwrap(), ExportFormat::Csv);
        assert!(ExportFormat::parse(Some("xml")).is_err());
    }
}
