//! The append-only, hash-chained audit log of admin and security-relevant
//! actions.
//!
//! Each row is an entry of `hearth_compliance::audit`: `seq` counts from 1
//! without gaps, `prev_hash` is the previous entry's hash and `hash` this
//! entry's, so editing, removing or reordering rows breaks the chain. A row
//! maps to the canonical entry as: `at` = `created_at`, `actor` = the actor's
//! id (empty for the system), `action`, `target` = `target_kind` or
//! `target_kind:target_id`, `details` = the stored JSON text parsed (the same
//! parse when writing and verifying, so the hash never depends on how a number
//! was first written). `id` and `ip` are not covered.

use diesel::prelude::*;
use hearth_compliance::audit::{self as chain, AuditEntry, GENESIS, Hash, Tamper};

use crate::conn::{DbConn, Tx};
use crate::error::StoreResult;
use crate::models::AuditRow;
use crate::schema::audit_log;

/// What an action records; the log adds its position and hashes.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub id: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub created_at: i64,
}

/// Appends `entry` after the current head in `tx`. Appends are totally
/// ordered (SQLite writes are serialised; on PostgreSQL the append lock is
/// held until commit), so two writers never extend the same head.
pub fn append(tx: &mut Tx, entry: NewEntry) -> StoreResult<AuditRow> {
    tx.order_appends()?;
    let (last_seq, prev) = match head(tx.conn)? {
        Some(row) => (row.seq, link_to(&row)),
        None => (0, GENESIS),
    };
    let mut row = AuditRow {
        id: entry.id,
        actor_id: entry.actor_id,
        action: entry.action,
        target_kind: entry.target_kind,
        target_id: entry.target_id,
        details: entry.details.to_string(),
        ip: entry.ip,
        created_at: entry.created_at,
        seq: last_seq + 1,
        prev_hash: hex::encode(prev),
        hash: String::new(),
    };
    let canonical = canonical_entry(&row).map_err(|t| {
        diesel::result::Error::QueryBuilderError(format!("audit entry: {t}").into())
    })?;
    row.hash = hex::encode(chain::entry_hash(&canonical));
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(tx.conn)?;
    Ok(row)
}

/// The hash a new entry links to: the head's stored hash, or when that was
/// damaged its recomputed one, so a broken head is reported by [`verify`]
/// instead of stopping every audited action.
fn link_to(head: &AuditRow) -> Hash {
    let mut out = [0u8; 32];
    if hex::decode_to_slice(&head.hash, &mut out).is_ok() {
        return out;
    }
    canonical_entry(head)
        .map(|e| chain::entry_hash(&e))
        .unwrap_or(GENESIS)
}

/// The newest entry.
pub fn head(conn: &mut DbConn) -> StoreResult<Option<AuditRow>> {
    Ok(audit_log::table
        .order(audit_log::seq.desc())
        .select(AuditRow::as_select())
        .first(conn)
        .optional()?)
}

/// The newest entries, most recent first.
pub fn recent(conn: &mut DbConn, limit: i64) -> StoreResult<Vec<AuditRow>> {
    Ok(audit_log::table
        .order(audit_log::seq.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}

/// Entries after `after`, oldest first, optionally of one action or actor.
pub fn page(
    conn: &mut DbConn,
    after: i64,
    limit: i64,
    action: Option<&str>,
    actor_id: Option<&str>,
    window: (Option<i64>, Option<i64>),
) -> StoreResult<Vec<AuditRow>> {
    let mut q = audit_log::table
        .filter(audit_log::seq.gt(after))
        .select(AuditRow::as_select())
        .into_boxed();
    if let Some(a) = action {
        q = q.filter(audit_log::action.eq(a.to_string()));
    }
    if let Some(a) = actor_id {
        q = q.filter(audit_log::actor_id.eq(a.to_string()));
    }
    if let Some(since) = window.0 {
        q = q.filter(audit_log::created_at.ge(since));
    }
    if let Some(until) = window.1 {
        q = q.filter(audit_log::created_at.lt(until));
    }
    Ok(q.order(audit_log::seq.asc()).limit(limit).load(conn)?)
}

/// The outcome of checking the whole log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked (up to and including the first bad one).
    pub entries: u64,
    /// The last entry's hash as recomputed, when the chain holds.
    pub head_hash: Option<String>,
    /// Where and why the chain breaks.
    pub tamper: Option<Tamper>,
}

/// Recomputes the chain from the first entry, `batch` rows at a time, and
/// reports the first entry whose position, link or stored hash is wrong.
/// With `expected_head` (a hash the operator kept from an earlier check or
/// an export manifest), the chain must also contain an entry with that
/// hash: a log cut back before it, or rewritten up to it, is broken.
pub fn verify(
    conn: &mut DbConn,
    batch: i64,
    expected_head: Option<Hash>,
) -> StoreResult<Verification> {
    let mut anchor: (u64, Hash) = (0, GENESIS);
    let mut entries = 0u64;
    let mut found = expected_head.is_none();
    let mut after = i64::MIN;
    loop {
        let rows: Vec<AuditRow> = audit_log::table
            .filter(audit_log::seq.gt(after))
            .order(audit_log::seq.asc())
            .limit(batch)
            .select(AuditRow::as_select())
            .load(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        let done = (rows.len() as i64) < batch;
        for row in &rows {
            entries += 1;
            match check(row, anchor) {
                Ok(next) => {
                    anchor = next;
                    found |= expected_head == Some(next.1);
                }
                Err(t) => {
                    return Ok(Verification {
                        entries,
                        head_hash: None,
                        tamper: Some(t),
                    });
                }
            }
        }
        if done {
            break;
        }
    }
    if !found {
        return Ok(Verification {
            entries,
            head_hash: None,
            tamper: Some(Tamper {
                seq: anchor.0,
                reason: "no entry has the expected head hash: entries were removed or rewritten"
                    .into(),
            }),
        });
    }
    Ok(Verification {
        entries,
        head_hash: (entries > 0).then(|| hex::encode(anchor.1)),
        tamper: None,
    })
}

/// Checks one row against the previous entry's `(seq, hash)`; returns its own.
fn check(row: &AuditRow, anchor: (u64, Hash)) -> Result<(u64, Hash), Tamper> {
    let entry = canonical_entry(row)?;
    let stored = parse_hash(&row.hash, entry.seq, "hash")?;
    let hash =
        chain::verify_segment(std::slice::from_ref(&entry), anchor, Some(stored)).map_err(|t| {
            Tamper {
                reason: if t.reason.starts_with("last entry") {
                    "entry does not match its stored hash: it was changed".into()
                } else {
                    t.reason
                },
                ..t
            }
        })?;
    Ok((entry.seq, hash))
}

/// The canonical entry a row stands for (see the module documentation).
pub fn canonical_entry(row: &AuditRow) -> Result<AuditEntry, Tamper> {
    let seq = u64::try_from(row.seq).map_err(|_| Tamper {
        seq: 0,
        reason: format!("negative seq {}", row.seq),
    })?;
    let details = serde_json::from_str(&row.details)
        .unwrap_or_else(|_| serde_json::Value::String(row.details.clone()));
    Ok(AuditEntry {
        seq,
        at: row.created_at,
        actor: row.actor_id.clone().unwrap_or_default(),
        action: row.action.clone(),
        target: match &row.target_id {
            Some(id) => format!("{}:{id}", row.target_kind),
            None => row.target_kind.clone(),
        },
        details,
        prev_hash: parse_hash(&row.prev_hash, seq, "prev_hash")?,
    })
}

fn parse_hash(hex_text: &str, seq: u64, column: &str) -> Result<Hash, Tamper> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(hex_text, &mut out).map_err(|_| Tamper {
        seq,
        reason: format!("{column} is not a hex SHA-256"),
    })?;
    Ok(out)
}

/// Set once the log is chained (or found chained, or empty): from then on
/// nothing is ever resealed.
const SEALED_KEY: &str = "audit.chain_sealed";

/// Chains entries written before the log was hash-chained, once: only when no
/// entry has a hash yet and the log was never found chained before. A log
/// whose hashes were all blanked later is reported broken by [`verify`],
/// never resealed. Returns the number of entries chained.
pub fn chain_unsealed(conn: &mut DbConn) -> StoreResult<usize> {
    conn.transaction::<_, crate::error::StoreError, _>(|c| {
        if let DbConn::Pg(_) = c {
            // Several servers may start at once; the append lock orders them.
            diesel::sql_query(format!(
                "SELECT pg_advisory_xact_lock({})",
                crate::conn::CHANGE_LOG_LOCK
            ))
            .execute(c)?;
        }
        if crate::settings::get(c, SEALED_KEY)?.is_some() {
            return Ok(0);
        }
        crate::settings::set(c, SEALED_KEY, "1")?;
        let sealed: i64 = audit_log::table
            .filter(audit_log::hash.ne(""))
            .count()
            .get_result(c)?;
        if sealed > 0 {
            return Ok(0);
        }
        let rows: Vec<AuditRow> = audit_log::table
            .order(audit_log::seq.asc())
            .select(AuditRow::as_select())
            .load(c)?;
        let mut prev = GENESIS;
        for row in &rows {
            let mut row = row.clone();
            row.prev_hash = hex::encode(prev);
            let entry = canonical_entry(&row)
                .map_err(|t| diesel::result::Error::QueryBuilderError(t.to_string().into()))?;
            prev = chain::entry_hash(&entry);
            diesel::update(audit_log::table.filter(audit_log::id.eq(&row.id)))
                .set((
                    audit_log::prev_hash.eq(&row.prev_hash),
                    audit_log::hash.eq(hex::encode(prev)),
                ))
                .execute(c)?;
        }
        Ok(rows.len())
    })
}
