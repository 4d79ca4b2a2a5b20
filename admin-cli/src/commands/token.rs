//! `hearthctl token …`: the caller's personal access tokens.

use hearth_api::{CreateTokenRequest, Session};

use super::{Ctx, resolve};
use crate::cli::TokenCmd;
use crate::exit::Result;
use crate::output::{opt_time, table, time};

pub async fn run(ctx: &Ctx, cmd: TokenCmd) -> Result<()> {
    let c = ctx.client()?;
    match cmd {
        TokenCmd::Create {
            name,
            expires_in_days,
            password_file,
            integration,
            user,
        } => {
            let password = password_file
                .as_deref()
                .map(crate::profiles::read_token)
                .transpose()?;
            let req = CreateTokenRequest {
                name,
                expires_in_days,
                password,
                integration,
            };
            let t = match user {
                None => c.create_token_with(&req).await?,
                Some(u) => {
                    let id = resolve::user_id(&c, &u).await?;
                    c.create_token_for_with(id, &req).await?
                }
            };
            ctx.out.emit(&t, || {
                format!(
                    "{}\nToken (shown only now; store it with mode 0600): {}",
                    list(std::slice::from_ref(&t.info)),
                    t.token
                )
            })
        }
        TokenCmd::List { user } => {
            let tokens = match user {
                None => c.tokens().await?,
                Some(u) => c.tokens_of(resolve::user_id(&c, &u).await?).await?,
            };
            ctx.out.emit(&tokens, || list(&tokens))
        }
        TokenCmd::Revoke { id, user } => {
            match user {
                None => c.revoke_token(id).await?,
                Some(u) => {
                    c.revoke_token_of(resolve::user_id(&c, &u).await?, id)
                        .await?
                }
            }
            let body = serde_json::json!({ "id": id, "revoked": true });
            ctx.out.emit(&body, || format!("token {id} revoked"))
        }
    }
}

fn list(tokens: &[Session]) -> String {
    table(
        &["name", "created", "last used", "expires", "id"],
        tokens.iter().map(|t| {
            vec![
                t.name.clone(),
                time(t.created_at),
                time(t.last_active_at),
                opt_time(t.expires_at),
                t.id.to_string(),
            ]
        }),
    )
}
