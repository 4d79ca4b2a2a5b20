//! Open WebSocket connections per user, counted before the upgrade so a
//! user over the cap is refused with an error body instead of a socket.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_core::{Error, Id};

/// Counts open connections per user; cloned into every request.
#[derive(Clone, Default)]
pub struct ConnectionSlots {
    open: Arc<Mutex<HashMap<Id, usize>>>,
}

/// One held connection slot; dropping it frees the slot.
pub struct ConnectionSlot {
    slots: ConnectionSlots,
    user_id: Id,
}

impl ConnectionSlots {
    /// Takes a slot for `user_id`, or refuses with `too_many_connections`
    /// when the user already holds `max`.
    pub fn acquire(&self, user_id: Id, max: usize) -> Result<ConnectionSlot, Error> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(user_id).or_insert(0);
        if *n >= max {
            return Err(Error::TooManyConnections(max));
        }
        *n += 1;
        Ok(ConnectionSlot {
            slots: self.clone(),
            user_id,
        })
    }

    /// Connections `user_id` holds now.
    #[cfg(test)]
    pub fn held(&self, user_id: Id) -> usize {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.get(&user_id).copied().unwrap_or(0)
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.user_id) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_capped_and_freed_on_drop() {
        let slots = ConnectionSlots::default();
        let u = hearth_core::new_id();
        let a = slots.acquire(u, 2).unwrap();
        let _b = slots.acquire(u, 2).unwrap();
        assert!(matches!(
            slots.acquire(u, 2),
            Err(Error::TooManyConnections(2))
        ));
        assert!(slots.acquire(hearth_core::new_id(), 2).is_ok());
        drop(a);
        assert_eq!(slots.held(u), 1);
        assert!(slots.acquire(u, 2).is_ok());
    }
}
