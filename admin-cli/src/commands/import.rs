//! `hearthctl import …`: users from spreadsheets, Slack exports and
//! Mattermost bulk-import files, through the server's import endpoints.

use std::path::Path;

use hearth_api::{ChatImportQuery, ChatImportReport, UserImportQuery, UserImportReport};

use super::Ctx;
use crate::cli::ImportCmd;
use crate::connect;
use crate::exit::{CliError, Result};
use crate::output::table;

/// Large exports take a while to upload and import.
const IMPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| CliError::Other(format!("cannot read {}: {e}", path.display())))
}

pub async fn run(ctx: &Ctx, cmd: ImportCmd) -> Result<()> {
    let c = connect::client_with_timeout(&ctx.global, IMPORT_TIMEOUT)?;
    match cmd {
        ImportCmd::Users {
            file,
            format,
            mapping,
            dry_run,
        } => {
            if let Some(m) = &mapping {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(m).map_err(|e| {
                    CliError::Usage(format!(
                        "--mapping must be a JSON object such as {{\"email\":\"E-mail address\"}}: {e}"
                    ))
                })?;
            }
            let query = UserImportQuery {
                format,
                dry_run: Some(dry_run),
                mapping,
            };
            let r = c.import_users(read(&file)?, &query).await?;
            ctx.out.emit(&r, || users_text(&r))?;
            if r.errors > 0 {
                return Err(CliError::Api {
                    code: "import_rejected".into(),
                    message: format!("{} row(s) have errors; nothing was written", r.errors),
                    exit: crate::exit::INVALID,
                });
            }
            Ok(())
        }
        ImportCmd::Slack {
            file,
            team,
            dry_run,
        } => {
            let query = ChatImportQuery {
                team: Some(team),
                dry_run: Some(dry_run),
            };
            let r = c.import_slack(read(&file)?, &query).await?;
            chat(ctx, &r)
        }
        ImportCmd::Mattermost { file, dry_run } => {
            let query = ChatImportQuery {
                team: None,
                dry_run: Some(dry_run),
            };
            let r = c.import_mattermost(read(&file)?, &query).await?;
            chat(ctx, &r)
        }
    }
}

fn chat(ctx: &Ctx, r: &ChatImportReport) -> Result<()> {
    ctx.out.emit(r, || chat_text(r))?;
    if !r.issues.is_empty() && !r.dry_run && r.posts == 0 && r.users_created == 0 {
        return Err(CliError::Api {
            code: "import_rejected".into(),
            message: format!(
                "{} problem(s) in the input; nothing was written",
                r.issues.len()
            ),
            exit: crate::exit::INVALID,
        });
    }
    Ok(())
}

fn users_text(r: &UserImportReport) -> String {
    let rows = r.rows.iter().map(|row| {
        vec![
            row.row.to_string(),
            format!("{:?}", row.status).to_lowercase(),
            row.username.clone().unwrap_or_default(),
            row.email.clone().unwrap_or_default(),
            row.teams.join(", "),
            row.errors
                .iter()
                .map(|e| match &e.column {
                    Some(c) => format!("{c}: {}", e.message),
                    None => e.message.clone(),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ]
    });
    format!(
        "{}\n{} ({}, header on row {}): {} to create, {} to update, {} unchanged, {} with errors.{}",
        table(
            &["row", "status", "username", "e-mail", "teams", "problems"],
            rows
        ),
        if r.dry_run {
            "Dry run"
        } else if r.applied {
            "Applied"
        } else {
            "Not applied"
        },
        r.format,
        r.header_row,
        r.created,
        r.updated,
        r.unchanged,
        r.errors,
        if r.errors > 0 {
            " Nothing was written."
        } else {
            ""
        }
    )
}

fn chat_text(r: &ChatImportReport) -> String {
    let counts = vec![
        ("teams created", r.teams_created),
        ("users created", r.users_created),
        ("users matched by e-mail", r.users_matched),
        ("channels created", r.channels_created),
        ("direct channels created", r.direct_channels_created),
        ("posts", r.posts),
        ("replies", r.replies),
        ("reactions", r.reactions),
        ("files imported", r.files_imported),
        ("files without content", r.files_missing),
        ("already imported", r.skipped),
        ("ignored", r.ignored),
    ];
    let mut out = format!(
        "{} import of a {} file{}\n",
        if r.dry_run { "Dry run:" } else { "Done:" },
        r.source,
        if r.dry_run { " (nothing written)" } else { "" }
    );
    out.push_str(&table(
        &["what", "count"],
        counts
            .into_iter()
            .map(|(k, v)| vec![k.to_string(), v.to_string()]),
    ));
    if !r.issues.is_empty() {
        out.push('\n');
        out.push_str(&table(
            &["line/entry", "code", "problem"],
            r.issues.iter().map(|i| {
                vec![
                    i.line
                        .map(|l| l.to_string())
                        .or_else(|| i.entry.clone())
                        .unwrap_or_default(),
                    format!("{:?}", i.code),
                    i.message.clone(),
                ]
            }),
        ));
    }
    out
}
