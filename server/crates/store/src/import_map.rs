//! What earlier imports created: (source, kind, external id) → Hearth id, so
//! importing the same export again writes nothing twice.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::kinds::{ImportSource, ImportedKind};
use crate::schema::import_map;

/// The Hearth id recorded for an external item, if it was imported before.
pub fn get(
    conn: &mut DbConn,
    source: ImportSource,
    kind: ImportedKind,
    external_id: &str,
) -> StoreResult<Option<String>> {
    Ok(import_map::table
        .find((source, kind, external_id))
        .select(import_map::hearth_id)
        .first(conn)
        .optional()?)
}

/// Records an imported item (in the transaction that created it).
pub fn put(
    conn: &mut DbConn,
    source: ImportSource,
    kind: ImportedKind,
    external_id: &str,
    hearth_id: &str,
    at: i64,
) -> StoreResult<()> {
    diesel::insert_into(import_map::table)
        .values((
            import_map::source.eq(source),
            import_map::kind.eq(kind),
            import_map::external_id.eq(external_id),
            import_map::hearth_id.eq(hearth_id),
            import_map::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}
