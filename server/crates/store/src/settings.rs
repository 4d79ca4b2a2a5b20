//! Small server-wide facts (the setup token, the epoch of the schema).

use diesel::prelude::*;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::system_settings;

pub fn get(conn: &mut DbConn, key: &str) -> StoreResult<Option<String>> {
    Ok(system_settings::table
        .find(key)
        .select(system_settings::value)
        .first(conn)
        .optional()?)
}

pub fn set(conn: &mut DbConn, key: &str, value: &str) -> StoreResult<()> {
    let n = diesel::update(system_settings::table.find(key))
        .set(system_settings::value.eq(value))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(system_settings::table)
            .values((
                system_settings::key.eq(key),
                system_settings::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConn, key: &str) -> StoreResult<()> {
    diesel::delete(system_settings::table.find(key)).execute(conn)?;
    Ok(())
}
