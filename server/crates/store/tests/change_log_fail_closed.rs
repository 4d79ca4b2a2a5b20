//! The change log fails closed: an event that cannot be serialised fails its
//! mutation (nothing is written, not even an empty kind), and a stored row
//! whose audience is unknown decodes to an error, never to everyone.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use diesel::prelude::*;
use hearth_api::EventKind;
use hearth_store::schema::change_log;
use hearth_store::{Audience, Change, change_log as log};
use hearth_testkit::{Backend, TestDb, both_backends};

both_backends!(
    an_unserialisable_event_fails_the_mutation_and_writes_nothing => super::an_unserialisable_event_fails_the_mutation_and_writes_nothing,
    a_stored_unknown_audience_decodes_to_an_error => super::a_stored_unknown_audience_decodes_to_an_error,
);

/// A payload serde cannot represent as JSON (a map with non-string keys).
struct Unserialisable;

impl serde::Serialize for Unserialisable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(&[1u8, 2], &1)?;
        m.end()
    }
}

async fn an_unserialisable_event_fails_the_mutation_and_writes_nothing(backend: Backend) {
    let db = TestDb::new(backend);
    let store = db.open();
    let err = store
        .write(|tx| {
            tx.log(Change::untyped(
                EventKind::Posted,
                Audience::All,
                serde_json::json!({"ok": 1}),
            ))?;
            tx.log(Change::untyped(
                EventKind::Posted,
                Audience::All,
                Unserialisable,
            ))?;
            Ok(())
        })
        .unwrap_err();
    assert!(err.to_string().contains("encode"), "{err}");
    // The whole transaction rolled back: not even the valid first event.
    assert_eq!(store.read(|c| Ok(log::last_seq(c)?)).unwrap(), 0);

    store
        .write(|tx| Ok(tx.log(Change::untyped(EventKind::Posted, Audience::All, "fine"))?))
        .unwrap();
    let rows = store.read(|c| Ok(log::after(c, 0, 10)?)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, "posted");
    assert_eq!(rows[0].audience(), Ok(Audience::All));
}

async fn a_stored_unknown_audience_decodes_to_an_error(backend: Backend) {
    let db = TestDb::new(backend);
    let store = db.open();
    store
        .read(|c| {
            diesel::insert_into(change_log::table)
                .values((
                    change_log::created_at.eq(0i64),
                    change_log::kind.eq("posted"),
                    change_log::audience.eq("everyone"),
                    change_log::payload.eq("{}"),
                ))
                .execute(c)
                .map_err(hearth_store::StoreError::from)?;
            Ok(())
        })
        .unwrap();
    let rows = store.read(|c| Ok(log::after(c, 0, 10)?)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].audience(),
        Err(log::UnknownAudience("everyone".into()))
    );
}
