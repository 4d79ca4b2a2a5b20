//! `hearthctl oidc test`: is a single sign-on provider reachable and usable?

use super::Ctx;
use crate::cli::OidcCmd;
use crate::exit::{CliError, Result};
use crate::output::table;

pub async fn run(ctx: &Ctx, cmd: OidcCmd) -> Result<()> {
    let OidcCmd::Test { provider } = cmd;
    let d = ctx.client()?.oidc_test(&provider).await?;
    ctx.out.emit(&d, || {
        table(
            &["check", "status", "detail", "ms"],
            d.steps.iter().map(|s| {
                vec![
                    s.check.clone(),
                    s.status.clone(),
                    s.detail.clone(),
                    s.elapsed_ms.to_string(),
                ]
            }),
        )
    })?;
    match d.steps.iter().find(|s| s.status != "ok") {
        None => Ok(()),
        Some(s) => Err(CliError::Other(format!(
            "the {} check of provider {} failed: {}",
            s.check, d.provider, s.detail
        ))),
    }
}
