//! `hearthctl`: the administration command line of Hearth. It is a client
//! of the server's HTTP API (never of its database), remote with a personal
//! access token or local through the server's administration socket.

mod cli;
mod commands;
mod connect;
mod exit;
mod output;
mod profiles;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let json = cli.global.json;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            if json {
                let body = serde_json::json!({
                    "error": { "code": e.code(), "message": e.message() }
                });
                eprintln!("{body}");
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}
