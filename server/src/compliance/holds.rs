//! Legal hold management. Released holds stay on record for the audit trail.

use hearth_api::{HoldStatus, LegalHold, LegalHoldRequest};
use hearth_core::{Error, Id, Result, new_id, now_millis, validate};
use hearth_store::compliance::{self as cstore, HoldRow};
use hearth_store::ids_json;

use super::convert;
use crate::auth::Auth;
use crate::services::audit;
use crate::state::Ctx;

/// Bounds a hold's lists so one request cannot hold a megabyte of ids.
const MAX_IDS: usize = 10_000;

fn check(ctx: &Ctx, req: &LegalHoldRequest) -> Result<(String, String)> {
    let name = req.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("a hold needs a name of 1 to 200 characters"));
    }
    let description = validate::text("description", &req.description, 4000, true)?;
    if req.custodians.is_empty() && req.channels.is_empty() {
        return Err(Error::invalid(
            "a hold needs at least one custodian or one channel",
        ));
    }
    if req.custodians.is_empty() && !req.include_channel_context {
        return Err(Error::invalid(
            "a hold without custodians must set include_channel_context to hold its channels",
        ));
    }
    if req.custodians.len() > MAX_IDS || req.channels.len() > MAX_IDS {
        return Err(Error::invalid(format!(
            "a hold names at most {MAX_IDS} custodians and {MAX_IDS} channels"
        )));
    }
    if let (Some(s), Some(e)) = (req.start_at, req.end_at)
        && s > e
    {
        return Err(Error::invalid("start_at must not be after end_at"));
    }
    ctx.store.read(|c| {
        let ids: Vec<String> = req.custodians.iter().map(Id::to_string).collect();
        let found = hearth_store::users::by_ids(c, &ids)?;
        if let Some(missing) = ids.iter().find(|i| !found.iter().any(|u| &&u.id == i)) {
            return Err(Error::invalid(format!("no user with id {missing}")));
        }
        let ids: Vec<String> = req.channels.iter().map(Id::to_string).collect();
        let found = hearth_store::channels::by_ids(c, &ids)?;
        if let Some(missing) = ids.iter().find(|i| !found.iter().any(|ch| &&ch.id == i)) {
            return Err(Error::invalid(format!("no channel with id {missing}")));
        }
        Ok(())
    })?;
    Ok((name, description))
}

/// What the audit log records of a hold's definition.
fn details(name: &str, req: &LegalHoldRequest) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "custodians": req.custodians,
        "channels": req.channels,
        "include_channel_context": req.include_channel_context,
        "start_at": req.start_at,
        "end_at": req.end_at,
    })
}

fn covered(ctx: &Ctx, row: &HoldRow) -> Result<u64> {
    let hold = convert::hold(row);
    let n = ctx.store.read(|c| {
        Ok(cstore::count_covered(
            c,
            &hold.custodians,
            &hold.channels,
            hold.include_channel_context,
            hold.start,
            hold.end,
        )?)
    })?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub fn create(ctx: &Ctx, auth: &Auth, req: LegalHoldRequest) -> Result<LegalHold> {
    super::require_manage(auth)?;
    let (name, description) = check(ctx, &req)?;
    let row = ctx.store.write(|tx| {
        if cstore::hold_by_name(tx.conn, &name)?.is_some() {
            return Err(Error::conflict(format!("a hold named {name:?} exists")));
        }
        let row = HoldRow {
            id: new_id().to_string(),
            name,
            description,
            custodians: ids_json(&req.custodians),
            channels: ids_json(&req.channels),
            include_channel_context: req.include_channel_context,
            start_at: req.start_at,
            end_at: req.end_at,
            status: HoldStatus::Active,
            created_by: Some(auth.user.id.clone()),
            created_at: now_millis(),
            released_by: None,
            released_at: None,
        };
        cstore::insert_hold(tx.conn, &row)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.hold.create",
            "legal_hold",
            Some(row.id.clone()),
            details(&row.name, &req),
        )?;
        Ok(row)
    })?;
    let n = covered(ctx, &row)?;
    Ok(convert::hold_to_api(&row, Some(n)))
}

/// Changes an active hold. Widening is always safe; narrowing takes effect
/// at once, so content it no longer covers becomes subject to retention.
pub fn update(ctx: &Ctx, auth: &Auth, id: Id, req: LegalHoldRequest) -> Result<LegalHold> {
    super::require_manage(auth)?;
    let (name, description) = check(ctx, &req)?;
    let row = ctx.store.write(|tx| {
        let mut row =
            cstore::hold(tx.conn, &id.to_string())?.ok_or(Error::NotFound("legal hold"))?;
        if row.status != HoldStatus::Active {
            return Err(Error::conflict("a released hold cannot be changed"));
        }
        if let Some(other) = cstore::hold_by_name(tx.conn, &name)?
            && other.id != row.id
        {
            return Err(Error::conflict(format!("a hold named {name:?} exists")));
        }
        row.name = name;
        row.description = description;
        row.custodians = ids_json(&req.custodians);
        row.channels = ids_json(&req.channels);
        row.include_channel_context = req.include_channel_context;
        row.start_at = req.start_at;
        row.end_at = req.end_at;
        cstore::save_hold(tx.conn, &row)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.hold.update",
            "legal_hold",
            Some(row.id.clone()),
            details(&row.name, &req),
        )?;
        Ok(row)
    })?;
    let n = covered(ctx, &row)?;
    Ok(convert::hold_to_api(&row, Some(n)))
}

/// Releases a hold: its content becomes subject to retention again.
pub fn release(ctx: &Ctx, auth: &Auth, id: Id) -> Result<LegalHold> {
    super::require_manage(auth)?;
    let row = ctx.store.write(|tx| {
        let mut row =
            cstore::hold(tx.conn, &id.to_string())?.ok_or(Error::NotFound("legal hold"))?;
        if row.status != HoldStatus::Active {
            return Err(Error::conflict("the hold is already released"));
        }
        row.status = HoldStatus::Released;
        row.released_by = Some(auth.user.id.clone());
        row.released_at = Some(now_millis());
        cstore::save_hold(tx.conn, &row)?;
        audit::record(
            tx,
            Some(auth.user_id()),
            "compliance.hold.release",
            "legal_hold",
            Some(row.id.clone()),
            serde_json::json!({ "name": row.name }),
        )?;
        Ok(row)
    })?;
    Ok(convert::hold_to_api(&row, None))
}

pub fn list(ctx: &Ctx, auth: &Auth, active_only: bool) -> Result<Vec<LegalHold>> {
    super::require_manage(auth)?;
    let rows = ctx.store.read(|c| Ok(cstore::holds(c, active_only)?))?;
    Ok(rows.iter().map(|r| convert::hold_to_api(r, None)).collect())
}

pub fn get(ctx: &Ctx, auth: &Auth, id: Id) -> Result<LegalHold> {
    super::require_manage(auth)?;
    let row = ctx
        .store
        .read(|c| Ok(cstore::hold(c, &id.to_string())?))?
        .ok_or(Error::NotFound("legal hold"))?;
    let n = covered(ctx, &row)?;
    Ok(convert::hold_to_api(&row, Some(n)))
}

/// Active holds in the library's form.
pub fn active(conn: &mut hearth_store::DbConn) -> Result<Vec<hearth_compliance::holds::LegalHold>> {
    Ok(cstore::holds(conn, true)?
        .iter()
        .map(convert::hold)
        .collect())
}
