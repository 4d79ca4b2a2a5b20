//! Users from a spreadsheet. The file is parsed by `hearth-import`; here each
//! row is checked against the database (teams, channels, existing accounts)
//! and, when no row has an error, everything is written in one transaction.
//!
//! New accounts get no password: they sign in through LDAP or OpenID Connect
//! (a provider that links by verified e-mail finds them), or an administrator
//! sets a password. Importing never sends e-mail and never guesses secrets.

use std::collections::HashMap;

use hearth_api::{
    ImportIssue, ImportIssueCode, ImportRowStatus, MemberRole, Role, UserImportReport,
    UserImportRow,
};
use hearth_core::{Error, Result, now_millis};
use hearth_import::sheet::SheetFormat;
use hearth_import::users::{Mapping, UserRecord, UserSheet};
use hearth_store::models::{ChannelRow, TeamRow, UserRow};
use hearth_store::{Audience, Change, DbConn, Tx, channels, parse_id, teams, users};

use crate::auth::Auth;
use crate::services::{audit, channels as channel_service, teams as team_service};
use crate::state::Ctx;

/// What the caller sent besides the file.
pub struct UserImport {
    pub format: Option<SheetFormat>,
    pub mapping: Mapping,
    pub dry_run: bool,
}

/// One row's plan: the report line and, for rows without errors, what to write.
struct Planned {
    line: UserImportRow,
    existing: Option<UserRow>,
    record: UserRecord,
    teams: Vec<TeamRow>,
    channels: Vec<ChannelRow>,
}

/// Reads, checks and (unless a dry run or any row has an error) applies a
/// user spreadsheet. A report with `applied == false` and errors is the
/// caller's cue to answer 422.
pub fn import(ctx: &Ctx, auth: &Auth, bytes: &[u8], opts: UserImport) -> Result<UserImportReport> {
    super::admin_only(auth)?;
    // Read in a bounded child process; validation is pure and stays here.
    let format = opts.format.unwrap_or_else(|| SheetFormat::sniff(bytes));
    let rows = crate::sheet_reader::SheetReader::from_config(&ctx.config()).rows(bytes, format)?;
    let sheet = hearth_import::users::parse_rows(&rows, format, &opts.mapping)?;
    let local = auth.is_local();
    let planned = ctx.store.read(|c| plan(c, &sheet, local))?;
    let report = summarise(&sheet, &planned, opts.dry_run);
    if opts.dry_run || report.errors > 0 {
        return Ok(report);
    }
    // Planned again inside the transaction, so a concurrent change between
    // the check and the write cannot slip through.
    ctx.store.write(|tx| {
        let planned = plan(tx.conn, &sheet, local)?;
        let report = summarise(&sheet, &planned, false);
        if report.errors > 0 {
            return Ok(report);
        }
        for p in &planned {
            apply_row(tx, p)?;
        }
        audit::record(
            tx,
            Some(auth.user_id()),
            "import.users",
            "import",
            None,
            serde_json::json!({
                "format": report.format,
                "rows": report.rows.len(),
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }),
        )?;
        Ok(UserImportReport {
            applied: true,
            ..report
        })
    })
}

fn summarise(sheet: &UserSheet, planned: &[Planned], dry_run: bool) -> UserImportReport {
    let count = |s: ImportRowStatus| {
        u32::try_from(planned.iter().filter(|p| p.line.status == s).count()).unwrap_or(u32::MAX)
    };
    UserImportReport {
        dry_run,
        applied: false,
        format: sheet.format.as_str().into(),
        header_row: sheet.header_row,
        columns: sheet.columns.clone(),
        rows: planned.iter().map(|p| p.line.clone()).collect(),
        created: count(ImportRowStatus::Create),
        updated: count(ImportRowStatus::Update),
        unchanged: count(ImportRowStatus::Unchanged),
        errors: count(ImportRowStatus::Error),
    }
}

fn column(sheet: &UserSheet, field: &str) -> Option<String> {
    sheet
        .columns
        .iter()
        .find(|c| c.field == field)
        .map(|c| c.header.clone())
}

fn issue(code: ImportIssueCode, message: String, column: Option<String>) -> ImportIssue {
    ImportIssue {
        code,
        message,
        column,
    }
}

/// `local` is true when the local operator imports, who alone may change a
/// compliance officer's role.
fn plan(c: &mut DbConn, sheet: &UserSheet, local: bool) -> Result<Vec<Planned>> {
    let mut team_cache: HashMap<String, Option<TeamRow>> = HashMap::new();
    let mut out = Vec::with_capacity(sheet.records.len());
    for rec in &sheet.records {
        let mut errors = rec.errors.clone();
        let mut changes = Vec::new();
        let team_col = column(sheet, "teams").or_else(|| column(sheet, "channels"));
        let mut team_rows = Vec::new();
        for name in &rec.teams {
            if !team_cache.contains_key(name) {
                team_cache.insert(name.clone(), teams::by_name(c, name)?);
            }
            match team_cache.get(name).cloned().flatten() {
                Some(t) => team_rows.push(t),
                None => errors.push(issue(
                    ImportIssueCode::UnknownTeam,
                    format!("no team is named '{name}'"),
                    team_col.clone(),
                )),
            }
        }
        let mut channel_rows = Vec::new();
        for (team, name) in &rec.channels {
            let Some(t) = team_rows.iter().find(|t| &t.name == team) else {
                continue; // already reported as an unknown team
            };
            let col = column(sheet, "channels");
            match channels::by_name(c, Some(&t.id), name)? {
                Some(ch) if ch.archived_at.is_some() => errors.push(issue(
                    ImportIssueCode::ChannelArchived,
                    format!("the channel '{team}/{name}' is archived"),
                    col,
                )),
                Some(ch) => channel_rows.push(ch),
                None => errors.push(issue(
                    ImportIssueCode::UnknownChannel,
                    format!("the team '{team}' has no channel '{name}'"),
                    col,
                )),
            }
        }
        let existing = match &rec.email {
            Some(e) => users::by_email(c, e)?,
            None => None,
        };
        if let Some(u) = &rec.username {
            let col = column(sheet, "username").or_else(|| column(sheet, "email"));
            match (&existing, users::by_username(c, u)?) {
                (Some(ex), _) if &ex.username != u => errors.push(issue(
                    ImportIssueCode::UsernameMismatch,
                    format!(
                        "the account with this e-mail has the username '{}'",
                        ex.username
                    ),
                    col,
                )),
                (None, Some(_)) => errors.push(issue(
                    ImportIssueCode::UsernameTaken,
                    format!("the username '{u}' belongs to another account"),
                    col,
                )),
                _ => {}
            }
        }
        if let Some(ex) = &existing {
            if rec
                .display_name
                .as_ref()
                .is_some_and(|d| *d != ex.display_name)
            {
                changes.push("display_name".to_string());
            }
            if let Some(r) = rec.role.filter(|r| *r != ex.role) {
                if hearth_core::permissions::require_role_change(local, ex.role, r).is_err() {
                    errors.push(issue(
                        ImportIssueCode::SeparationOfDuties,
                        format!(
                            "'{}' is a compliance officer: {}",
                            ex.username,
                            hearth_core::permissions::OFFICER_ROLE_ON_HOST
                        ),
                        column(sheet, "role"),
                    ));
                }
                changes.push("role".to_string());
            }
            for t in &team_rows {
                if teams::member(c, &t.id, &ex.id)?.is_none() {
                    changes.push(format!("team:{}", t.name));
                }
            }
            for ch in &channel_rows {
                if channels::member(c, &ch.id, &ex.id)?.is_none() {
                    changes.push(format!("channel:{}", channel_label(&team_rows, ch)));
                }
            }
        }
        let status = if !errors.is_empty() {
            ImportRowStatus::Error
        } else if existing.is_none() {
            ImportRowStatus::Create
        } else if changes.is_empty() {
            ImportRowStatus::Unchanged
        } else {
            ImportRowStatus::Update
        };
        let line = UserImportRow {
            row: rec.row,
            status,
            username: rec.username.clone(),
            email: rec.email.clone(),
            display_name: rec.display_name.clone(),
            teams: rec.teams.clone(),
            channels: rec
                .channels
                .iter()
                .map(|(t, c)| format!("{t}/{c}"))
                .collect(),
            start_date: rec.start_date.clone(),
            changes,
            errors,
        };
        out.push(Planned {
            line,
            existing,
            record: rec.clone(),
            teams: team_rows,
            channels: channel_rows,
        });
    }
    Ok(out)
}

fn channel_label(team_rows: &[TeamRow], ch: &ChannelRow) -> String {
    let team = team_rows
        .iter()
        .find(|t| Some(&t.id) == ch.team_id.as_ref())
        .map(|t| t.name.as_str())
        .unwrap_or("");
    format!("{team}/{}", ch.name)
}

fn apply_row(tx: &mut Tx, p: &Planned) -> Result<()> {
    let now = now_millis();
    let rec = &p.record;
    let user = match (&p.existing, p.line.status) {
        (_, ImportRowStatus::Unchanged | ImportRowStatus::Error) => return Ok(()),
        (Some(ex), _) => {
            let mut row = ex.clone();
            if let Some(d) = &rec.display_name {
                row.display_name = d.clone();
            }
            if let Some(r) = rec.role {
                row.role = r;
            }
            if row.display_name != ex.display_name || row.role != ex.role {
                row.updated_at = now;
                users::save(tx.conn, &row)?;
                tx.log(Change::new(
                    hearth_api::EventPayload::UserUpdated(row.to_api(false)),
                    Audience::All,
                ))?;
            }
            row
        }
        (None, _) => {
            let username = rec
                .username
                .clone()
                .ok_or_else(|| Error::internal("planned row without a username"))?;
            let email = rec
                .email
                .clone()
                .ok_or_else(|| Error::internal("planned row without an e-mail"))?;
            let display = rec.display_name.clone().unwrap_or_else(|| username.clone());
            let mut row = UserRow::new_account(
                username,
                email,
                display,
                None,
                rec.role.unwrap_or(Role::User),
                now,
            );
            // The admin's list vouches for the address (single sign-on
            // links by it).
            row.email_verified_at = Some(now);
            users::insert(tx.conn, &row)?;
            tx.log(Change::new(
                hearth_api::EventPayload::UserUpdated(row.to_api(false)),
                Audience::All,
            ))?;
            row
        }
    };
    let uid = parse_id(&user.id);
    for t in &p.teams {
        team_service::add_member_in(tx, t, uid, MemberRole::Member)?;
    }
    for ch in &p.channels {
        channel_service::add_member_in(tx, ch, uid, MemberRole::Member, None)?;
    }
    Ok(())
}
