//! Attachment metadata; the bytes live in the content-addressed file store.

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::models::FileRow;
use crate::schema::files;

pub fn insert(conn: &mut DbConn, row: &FileRow) -> StoreResult<()> {
    diesel::insert_into(files::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: &str) -> StoreResult<Option<FileRow>> {
    Ok(files::table
        .find(id)
        .select(FileRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn by_ids(conn: &mut DbConn, ids: &[String]) -> StoreResult<Vec<FileRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(files::table
        .filter(files::id.eq_any(ids))
        .select(FileRow::as_select())
        .load(conn)?)
}

pub fn attach(conn: &mut DbConn, ids: &[String], post_id: &str) -> StoreResult<()> {
    diesel::update(files::table.filter(files::id.eq_any(ids)))
        .set(files::post_id.eq(post_id))
        .execute(conn)?;
    Ok(())
}
