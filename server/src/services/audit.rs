//! Audit entries, written in the same transaction as the action they record
//! and chained to the previous entry (see `hearth_store::audit`).

use hearth_core::{Id, new_id, now_millis};
use hearth_store::Tx;

use crate::auth::LOCAL_ADMIN_ID;
use hearth_store::audit::NewEntry;

/// Actions of the local administration socket's built-in administrator
/// have no account to name: they are recorded with no actor and
/// `"via": "local_socket"` in the details, so every call site stays the same.
pub fn record(
    tx: &mut Tx,
    actor: Option<Id>,
    action: &str,
    target_kind: &str,
    target_id: Option<String>,
    mut details: serde_json::Value,
) -> hearth_core::Result<()> {
    let actor = match actor {
        Some(a) if a == LOCAL_ADMIN_ID => {
            match &mut details {
                serde_json::Value::Object(m) => {
                    m.insert("via".into(), "local_socket".into());
                }
                other => {
                    *other = serde_json::json!({ "via": "local_socket", "details": other.take() });
                }
            }
            None
        }
        a => a,
    };
    hearth_store::audit::append(
        tx,
        NewEntry {
            id: new_id().to_string(),
            actor_id: actor.map(|a| a.to_string()),
            action: action.to_string(),
            target_kind: target_kind.to_string(),
            target_id,
            details,
            ip: crate::client_addr::current(),
            created_at: now_millis(),
        },
    )?;
    Ok(())
}
