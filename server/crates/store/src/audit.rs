//! The append-only, hash-chained audit log of admin and security-relevant
//! actions.
//!
//! Each row is an entry of `hearth_audit_chain`: `seq` counts from 1
//! without gaps, `prev_hash` is the previous entry's hash and `hash` this
//! entry's, so editing, removing or reordering rows breaks the chain. A row
//! maps to the canonical entry as: `at` = `created_at`, `actor` = the actor's
//! id (empty for the system), `action`, `target` = `target_kind` or
//! `target_kind:target_id`, `details` = the stored JSON text parsed (the same
//! parse when writing and verifying, so the hash never depends on how a number
//! was first written). `id` and `ip` are not covered.
//!
//! # Keyed entries
//!
//! A server given an audit key (`[audit] hmac_key`, kept outside the
//! database) hashes the entries it appends with HMAC-SHA256 under that key,
//! so someone who can only write the database cannot recompute them. The
//! first server that starts with a key appends an entry of action
//! [`KEYED_ACTION`], the first keyed entry: the entries before it keep their
//! SHA-256 hashes and still verify, and it and every later entry must be
//! keyed. The switch point is an entry of the chain itself, so it cannot be
//! moved, removed or inserted without breaking the chain, and a server
//! remembers where it was when it started ([`Keying::keyed_from`]), so
//! rewriting the whole keyed part as a plain chain is caught too while it
//! runs. Nothing is ever re-keyed: a server without the key appends plain
//! entries (which a server with the key reports) and reports the keyed
//! entries as unchecked, never as intact.

use diesel::prelude::*;
use hearth_audit_chain::{self as chain, AuditEntry, AuditKey, GENESIS, Hash, Keyed, Tamper};

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

/// The action of the entry that starts keying: the first keyed entry.
pub const KEYED_ACTION: &str = "audit.hmac_enabled";

/// How a server hashes and checks the log, fixed at start.
#[derive(Debug, Clone, Default)]
pub struct Keying {
    /// The audit key: entries this server appends are keyed with it, and
    /// keyed entries are checked with it.
    pub key: Option<AuditKey>,
    /// The seq of the entry that started keying, as found (or written) when
    /// the server started.
    pub keyed_from: Option<u64>,
}

/// What [`start_keying`] found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyingStart {
    /// The first keyed entry, if the log is keyed.
    pub keyed_from: Option<u64>,
    /// The log became keyed just now, with this server's key.
    pub started_now: bool,
    /// Whether the entry that started keying matches this server's key
    /// (`None` without a key, or when keying started just now).
    pub key_matches: Option<bool>,
}

/// The first entry of [`KEYED_ACTION`], which starts keying.
pub fn first_keyed(conn: &mut DbConn) -> StoreResult<Option<AuditRow>> {
    Ok(audit_log::table
        .filter(audit_log::action.eq(KEYED_ACTION))
        .order(audit_log::seq.asc())
        .select(AuditRow::as_select())
        .first(conn)
        .optional()?)
}

/// Finds where the log became keyed. With a key (`tx`'s store keying) and a
/// log not keyed yet, appends the entry that starts keying (`id`, `now`),
/// itself keyed, naming the key by its id. Never changes an existing entry.
pub fn start_keying(tx: &mut Tx, id: String, now: i64) -> StoreResult<KeyingStart> {
    tx.order_appends()?;
    if let Some(row) = first_keyed(tx.conn)? {
        let seq = u64::try_from(row.seq).unwrap_or(0);
        let key_matches = tx.audit.key.as_ref().map(|k| {
            canonical_entry(&row)
                .is_ok_and(|e| hex::encode(chain::keyed_entry_hash(k, &e)) == row.hash)
        });
        return Ok(KeyingStart {
            keyed_from: Some(seq),
            started_now: false,
            key_matches,
        });
    }
    let Some(key) = tx.audit.key.as_ref() else {
        return Ok(KeyingStart {
            keyed_from: None,
            started_now: false,
            key_matches: None,
        });
    };
    let plain = head(tx.conn)?.map_or(0, |r| r.seq);
    let details = serde_json::json!({ "key_id": key.id(), "plain_entries": plain });
    let row = append(
        tx,
        NewEntry {
            id,
            actor_id: None,
            action: KEYED_ACTION.into(),
            target_kind: "audit_log".into(),
            target_id: None,
            details,
            ip: None,
            created_at: now,
        },
    )?;
    Ok(KeyingStart {
        keyed_from: Some(u64::try_from(row.seq).unwrap_or(0)),
        started_now: true,
        key_matches: None,
    })
}

/// Appends `entry` after the current head in `tx`, keyed when the store has
/// an audit key. Appends are totally ordered (SQLite writes are serialised;
/// on PostgreSQL the append lock is held until commit), so two writers never
/// extend the same head.
pub fn append(tx: &mut Tx, entry: NewEntry) -> StoreResult<AuditRow> {
    tx.order_appends()?;
    let key = tx.audit.key.as_ref();
    let (last_seq, prev) = match head(tx.conn)? {
        Some(row) => (row.seq, link_to(&row, key)),
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
    row.hash = hex::encode(chain::entry_hash_with(key, &canonical));
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(tx.conn)?;
    Ok(row)
}

/// The hash a new entry links to: the head's stored hash, or when that was
/// damaged its recomputed one, so a broken head is reported by [`verify`]
/// instead of stopping every audited action.
fn link_to(head: &AuditRow, key: Option<&AuditKey>) -> Hash {
    let mut out = [0u8; 32];
    if hex::decode_to_slice(&head.hash, &mut out).is_ok() {
        return out;
    }
    canonical_entry(head)
        .map(|e| chain::entry_hash_with(key, &e))
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
    /// Entries read (up to and including the first bad one).
    pub entries: u64,
    /// The last entry's hash as recomputed, when the chain holds.
    pub head_hash: Option<String>,
    /// Where and why the chain breaks.
    pub tamper: Option<Tamper>,
    /// The first keyed entry, when the log (as far as it was read) is keyed.
    pub keyed_from: Option<u64>,
    /// Set when the log is keyed and this server has no key: entries from
    /// this seq on were read, their order and links checked, but not their
    /// hashes, so the log is neither intact nor broken as far as it knows.
    pub unchecked_from: Option<u64>,
}

/// Recomputes the chain from the first entry, `batch` rows at a time, and
/// reports the first entry whose position, link or stored hash is wrong.
/// With `expected_head` (a hash the operator kept from an earlier check or
/// an export manifest), the chain must also contain an entry with that
/// hash: a log cut back before it, or rewritten up to it, is broken.
///
/// Entries from the first [`KEYED_ACTION`] entry on are checked with
/// `keying`'s key; where keying starts must agree with where it started
/// when the server started. Without a key those entries are reported
/// unchecked ([`Verification::unchecked_from`]).
pub fn verify(
    conn: &mut DbConn,
    batch: i64,
    expected_head: Option<Hash>,
    keying: &Keying,
) -> StoreResult<Verification> {
    let mut anchor: (u64, Hash) = (0, GENESIS);
    let mut entries = 0u64;
    let mut found = expected_head.is_none();
    let mut switch: Option<u64> = None;
    let mut unchecked_from: Option<u64> = None;
    let mut after = i64::MIN;
    let broken = |entries, switch, tamper| {
        Ok(Verification {
            entries,
            head_hash: None,
            tamper: Some(tamper),
            keyed_from: switch,
            unchecked_from: None,
        })
    };
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
            let seq = u64::try_from(row.seq).unwrap_or(0);
            if switch.is_none() {
                let starts = row.action == KEYED_ACTION;
                if let Some(n) = keying.keyed_from {
                    if seq == n && !starts {
                        return broken(
                            entries,
                            switch,
                            Tamper {
                                seq,
                                reason: format!(
                                    "keying started at seq {n} when this server started, but that entry no longer starts it: the keyed entries were rewritten"
                                ),
                            },
                        );
                    }
                    if starts && seq != n {
                        return broken(
                            entries,
                            switch,
                            Tamper {
                                seq,
                                reason: format!(
                                    "keying starts at seq {seq} in the log but started at seq {n} when this server started: the log was rewritten"
                                ),
                            },
                        );
                    }
                }
                if starts {
                    switch = Some(seq);
                    if keying.key.is_none() {
                        unchecked_from = Some(seq);
                    }
                }
            }
            let checked = match (unchecked_from, switch) {
                (Some(_), _) => links(row, anchor),
                (None, Some(from)) => check(
                    row,
                    anchor,
                    keying.key.as_ref().map(|key| Keyed {
                        from_seq: from,
                        key,
                    }),
                ),
                (None, None) => check(row, anchor, None),
            };
            match checked {
                Ok(next) => {
                    anchor = next;
                    found |= expected_head == Some(next.1);
                }
                Err(t) => return broken(entries, switch, t),
            }
        }
        if done {
            break;
        }
    }
    if let (None, Some(n)) = (switch, keying.keyed_from) {
        return broken(
            entries,
            switch,
            Tamper {
                seq: n,
                reason: format!(
                    "keying started at seq {n} when this server started, but no entry starts it now: the keyed entries were rewritten or removed"
                ),
            },
        );
    }
    if !found {
        return broken(
            entries,
            switch,
            Tamper {
                seq: anchor.0,
                reason: "no entry has the expected head hash: entries were removed or rewritten"
                    .into(),
            },
        );
    }
    Ok(Verification {
        entries,
        head_hash: (entries > 0 && unchecked_from.is_none()).then(|| hex::encode(anchor.1)),
        tamper: None,
        keyed_from: switch,
        unchecked_from,
    })
}

/// Checks one row against the previous entry's `(seq, hash)`, with its
/// hash keyed when `keyed` covers it; returns its own.
fn check(
    row: &AuditRow,
    anchor: (u64, Hash),
    keyed: Option<Keyed<'_>>,
) -> Result<(u64, Hash), Tamper> {
    let entry = canonical_entry(row)?;
    let stored = parse_hash(&row.hash, entry.seq, "hash")?;
    let hash = chain::verify_segment_with(std::slice::from_ref(&entry), anchor, Some(stored), keyed)
        .map_err(|t| {
            if !t.reason.starts_with("last entry") {
                return t;
            }
            let reason = match keyed {
                None => "entry does not match its stored hash: it was changed".into(),
                Some(k) if chain::entry_hash(&entry) == stored => format!(
                    "entry is not keyed although the log is keyed from seq {}: it was written by a server started without the audit key, or rewritten without it",
                    k.from_seq
                ),
                Some(k) => match row
                    .action
                    .eq(KEYED_ACTION)
                    .then(|| entry.details.get("key_id").and_then(|v| v.as_str()))
                    .flatten()
                {
                    Some(theirs) if theirs != k.key.id() => format!(
                        "the audit key is not the one the log was keyed with (key id {theirs}; this server's is {})",
                        k.key.id()
                    ),
                    _ => "entry does not match its keyed hash: it was changed, or the audit key is wrong".into(),
                },
            };
            Tamper { reason, ..t }
        })?;
    Ok((entry.seq, hash))
}

/// Checks only a row's position and link to the previous entry's stored
/// hash (a keyed entry, without the key); returns its stored hash.
fn links(row: &AuditRow, anchor: (u64, Hash)) -> Result<(u64, Hash), Tamper> {
    let entry = canonical_entry(row)?;
    let stored = parse_hash(&row.hash, entry.seq, "hash")?;
    chain::verify_segment(std::slice::from_ref(&entry), anchor, None)?;
    Ok((entry.seq, stored))
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
