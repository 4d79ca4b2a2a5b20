//! `hearthctl oidc test`: is a single sign-on provider reachable and usable?

use super::Ctx;
use crate::cli::OidcCmd;
use crate::exit::{CliError, Result};
use crate::output::steps;

pub async fn run(ctx: &Ctx, cmd: OidcCmd) -> Result<()> {
    let OidcCmd::Test { provider } = cmd;
    let d = ctx.client()?.oidc_test(&provider).await?;
    ctx.out.emit(&d, || {
        steps(d.steps.iter().map(|s| {
            (
                s.check.as_str(),
                s.status.as_str(),
                s.detail.as_str(),
                s.elapsed_ms,
            )
        }))
    })?;
    match d.steps.iter().find(|s| s.status != "ok") {
        None => Ok(()),
        Some(s) => Err(CliError::Other(format!(
            "the {} check of provider {} failed: {}",
            s.check, d.provider, s.detail
        ))),
    }
}
