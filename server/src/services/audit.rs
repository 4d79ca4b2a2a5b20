//! Audit entries, written in the same transaction as the action they record
//! and chained to the previous entry (see `hearth_store::audit`).

use hearth_core::{Id, new_id, now_millis};
use hearth_store::Tx;
use hearth_store::audit::NewEntry;

pub fn record(
    tx: &mut Tx,
    actor: Option<Id>,
    action: &str,
    target_kind: &str,
    target_id: Option<String>,
    details: serde_json::Value,
) -> hearth_core::Result<()> {
    hearth_store::audit::append(
        tx,
        NewEntry {
            id: new_id().to_string(),
            actor_id: actor.map(|a| a.to_string()),
            action: action.to_string(),
            target_kind: target_kind.to_string(),
            target_id,
            details,
            ip: None,
            created_at: now_millis(),
        },
    )?;
    Ok(())
}
