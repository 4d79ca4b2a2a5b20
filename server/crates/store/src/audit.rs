//! The append-only audit log of admin and security-relevant actions.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::AuditRow;
use crate::schema::audit_log;

pub fn append(conn: &mut DbConn, row: &AuditRow) -> StoreResult<()> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn recent(conn: &mut DbConn, limit: i64) -> StoreResult<Vec<AuditRow>> {
    Ok(audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}
