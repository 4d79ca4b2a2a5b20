//! Completion scripts and the man page, generated from the clap definition
//! so they never drift from the real options.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::{CliError, Result};

pub fn completion(shell: clap_complete::Shell) -> Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "hearthctl", &mut std::io::stdout());
    Ok(())
}

pub fn man() -> Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd)
        .render(&mut std::io::stdout())
        .map_err(|e| CliError::Other(format!("cannot write the man page: {e}")))
}
