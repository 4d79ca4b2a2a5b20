//! One module per command group; each turns arguments into API calls and
//! prints the answer as a table or as JSON.

mod audit;
mod channel;
mod compliance;
mod import;
mod ldap;
mod meta;
mod oidc;
mod profile;
mod resolve;
mod search;
mod system;
mod team;
mod token;
mod user;

use hearth_client::Client;

use crate::cli::{Cli, Command, Global, RoleCmd};
use crate::connect;
use crate::exit::Result;
use crate::output::Out;

/// What every command gets: the global options, the printer and a way to
/// connect (not every command needs the server).
pub struct Ctx {
    pub global: Global,
    pub out: Out,
}

impl Ctx {
    pub fn client(&self) -> Result<Client> {
        connect::client(&self.global)
    }
}

pub async fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx {
        out: Out {
            json: cli.global.json,
        },
        global: cli.global,
    };
    match cli.command {
        Command::Profile(c) => profile::run(&ctx, c),
        Command::User(c) => user::run(&ctx, c).await,
        Command::Team(c) => team::run(&ctx, c).await,
        Command::Channel(c) => channel::run(&ctx, c).await,
        Command::Token(c) => token::run(&ctx, c).await,
        Command::Role(RoleCmd::Matrix) => user::matrix(&ctx).await,
        Command::Role(RoleCmd::Assign { user, role }) => {
            user::run(&ctx, crate::cli::UserCmd::Role { user, role }).await
        }
        Command::Ldap(c) => ldap::run(&ctx, c).await,
        Command::Oidc(c) => oidc::run(&ctx, c).await,
        Command::Search(c) => search::run(&ctx, c).await,
        Command::Audit(c) => audit::run(&ctx, c).await,
        Command::System(c) => system::run(&ctx, c).await,
        Command::Retention(c) => compliance::retention(&ctx, c).await,
        Command::Hold(c) => compliance::hold(&ctx, c).await,
        Command::Export(c) => compliance::export(&ctx, c).await,
        Command::Import(c) => import::run(&ctx, c).await,
        Command::Completion { shell } => meta::completion(shell),
        Command::Man => meta::man(),
    }
}
