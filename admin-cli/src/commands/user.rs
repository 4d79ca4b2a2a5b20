//! `hearthctl user …`: accounts.

use hearth_api::{Role, SignupRequest, User};
use hearth_client::UserQuery;
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Serialize;

use super::{Ctx, resolve};
use crate::cli::{RoleArg, UserCmd};
use crate::exit::{CliError, Result};
use crate::output::{fields, table, time, yes_no};

/// A password for `--password` left out: 20 letters and digits (about 119
/// bits), shown once and never stored here.
fn generate_password() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

/// An account with the password chosen for it, when it was generated.
#[derive(Serialize)]
struct WithPassword<'a> {
    user: &'a User,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
}

pub async fn run(ctx: &Ctx, cmd: UserCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        UserCmd::Create {
            username,
            email,
            display_name,
            role,
            password,
        } => {
            // The server refuses the officer role to anyone but the local
            // operator; asked here first so a token's refusal leaves no
            // half-made account behind.
            let local = ctx.global.local || ctx.global.socket.is_some();
            if matches!(role, RoleArg::ComplianceOfficer) && !local {
                return Err(CliError::Api {
                    code: "separation_of_duties".into(),
                    message: "the compliance officer role is granted only by the operator on \
                              the server's host: run this with --local there"
                        .into(),
                    exit: crate::exit::PERMISSION,
                });
            }
            let generated = password.is_none();
            let password = password.unwrap_or_else(generate_password);
            let mut user = c
                .create_user(&SignupRequest {
                    username,
                    email,
                    password: password.clone(),
                    display_name,
                    ..Default::default()
                })
                .await?;
            let role = Role::from(role);
            if user.role != role {
                user = c.set_role(user.id, role).await?;
            }
            let shown = generated.then_some(password.as_str());
            ctx.out.emit(
                &WithPassword {
                    user: &user,
                    password: shown,
                },
                || {
                    let mut text = show(&user);
                    if let Some(p) = shown {
                        text.push_str(&format!("\nGenerated password (shown only now): {p}"));
                    }
                    text
                },
            )
        }
        UserCmd::List {
            query,
            role,
            inactive,
            active,
            page,
            per_page,
        } => {
            let users = c
                .find_users(&UserQuery {
                    q: query,
                    role: role.map(Role::from),
                    active: if inactive {
                        Some(false)
                    } else {
                        active.then_some(true)
                    },
                    page: Some(page),
                    per_page: Some(per_page),
                })
                .await?;
            ctx.out.emit(&users, || list(&users))
        }
        UserCmd::Show { user } => {
            let u = resolve::user(&c, &user).await?;
            ctx.out.emit(&u, || show(&u))
        }
        UserCmd::Activate { user } => set_active(ctx, &c, &user, true).await,
        UserCmd::Deactivate { user } => set_active(ctx, &c, &user, false).await,
        UserCmd::VerifyEmail { user, undo } => {
            let id = resolve::user_id(&c, &user).await?;
            let u = c.set_email_verified(id, !undo).await?;
            ctx.out.emit(&u, || show(&u))
        }
        UserCmd::Role { user, role } => {
            let id = resolve::user_id(&c, &user).await?;
            let u = c.set_role(id, role.into()).await?;
            ctx.out.emit(&u, || show(&u))
        }
        UserCmd::ResetPassword { user, password } => {
            let u = resolve::user(&c, &user).await?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(generate_password);
            c.reset_password(u.id, &password).await?;
            let shown = generated.then_some(password.as_str());
            ctx.out.emit(
                &WithPassword {
                    user: &u,
                    password: shown,
                },
                || match shown {
                    Some(p) => format!(
                        "Password of {} reset; their sessions ended.\nNew password (shown only now): {p}",
                        u.username
                    ),
                    None => format!("Password of {} reset; their sessions ended.", u.username),
                },
            )
        }
        UserCmd::ResetMfa { user } => {
            let u = resolve::user(&c, &user).await?;
            c.admin_reset_mfa(u.id).await?;
            done(ctx, &u, "second factor removed")
        }
        UserCmd::RevokeSessions { user } => {
            let u = resolve::user(&c, &user).await?;
            c.revoke_all_sessions(u.id).await?;
            done(ctx, &u, "all sessions and tokens revoked")
        }
        UserCmd::Delete {
            user,
            erase_content,
            yes,
        } => {
            let u = resolve::user(&c, &user).await?;
            if !yes {
                confirm_delete(&u.username)?;
            }
            let out = c.delete_user(u.id, erase_content).await?;
            ctx.out.emit(&out, || {
                format!(
                    "{} deleted (now {}): {} posts deleted, {} kept under legal hold{}.",
                    u.username,
                    out.username,
                    out.posts_deleted,
                    out.posts_held,
                    if out.holds.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; named in {} active hold(s), profile kept sealed",
                            out.holds.len()
                        )
                    }
                )
            })
        }
        UserCmd::ExportData { user, output } => {
            let u = resolve::user(&c, &user).await?;
            let job = c.start_user_export(u.id).await?;
            super::compliance::finish(ctx, &c, job, output.is_some(), output).await
        }
    }
}

/// Deleting needs `--yes`, or the username typed back on a terminal.
fn confirm_delete(username: &str) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "deleting an account needs --yes when not run from a terminal".into(),
        ));
    }
    eprint!("Type the username ({username}) to delete the account: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Other(e.to_string()))?;
    if line.trim() != username {
        return Err(CliError::Usage("not confirmed; nothing was deleted".into()));
    }
    Ok(())
}

/// `role matrix`: the server's permission matrix.
pub async fn matrix(ctx: &Ctx) -> Result<()> {
    let m = ctx.client()?.permission_matrix().await?;
    ctx.out.emit(&m, || {
        let mut text = table(
            &["action", "context", "system_admin", "user", "guest"],
            m.rows.iter().map(|r| {
                vec![
                    r.action.clone(),
                    r.context.clone(),
                    yes_no(r.system_admin),
                    yes_no(r.user),
                    yes_no(r.guest),
                ]
            }),
        );
        for c in &m.contexts {
            text.push_str(&format!("\n{}: {}", c.name, c.description));
        }
        text
    })
}

async fn set_active(ctx: &Ctx, c: &hearth_client::Client, who: &str, active: bool) -> Result<()> {
    let id = resolve::user_id(c, who).await?;
    let u = c.set_active(id, active).await?;
    ctx.out.emit(&u, || show(&u))
}

/// The outcome of an action that returns nothing: who it was done to.
fn done(ctx: &Ctx, u: &User, what: &str) -> Result<()> {
    let body = serde_json::json!({ "user_id": u.id, "username": u.username, "done": what });
    ctx.out.emit(&body, || format!("{}: {what}", u.username))
}

pub fn show(u: &User) -> String {
    fields(vec![
        ("id", u.id.to_string()),
        ("username", u.username.clone()),
        ("email", u.email.clone().unwrap_or_default()),
        (
            "email verified",
            u.email_verified.map(yes_no).unwrap_or_default(),
        ),
        ("display name", u.display_name.clone()),
        ("role", u.role.as_str().to_string()),
        ("active", yes_no(u.is_active)),
        ("bot", yes_no(u.is_bot)),
        ("created", time(u.created_at)),
        ("updated", time(u.updated_at)),
    ])
}

fn list(users: &[User]) -> String {
    table(
        &["username", "email", "display name", "role", "active", "id"],
        users.iter().map(|u| {
            vec![
                u.username.clone(),
                u.email.clone().unwrap_or_default(),
                u.display_name.clone(),
                u.role.as_str().to_string(),
                yes_no(u.is_active),
                u.id.to_string(),
            ]
        }),
    )
}
