//! `hearthctl retention|hold|export …`: retention policies and purges,
//! legal holds, compliance exports and their jobs, one file per command.

mod export;
mod hold;
mod jobs;
mod retention;

use hearth_client::Client;
use uuid::Uuid;

use super::resolve;
use crate::exit::Result;

pub use export::export;
pub use hold::hold;
pub(super) use jobs::finish;
pub use retention::retention;

/// The ids of the users and channels named on the command line.
async fn ids(c: &Client, users: &[String], channels: &[String]) -> Result<(Vec<Uuid>, Vec<Uuid>)> {
    let mut u = Vec::new();
    for who in users {
        u.push(resolve::user_id(c, who).await?);
    }
    let mut ch = Vec::new();
    for which in channels {
        ch.push(resolve::channel(c, which).await?.id);
    }
    Ok((u, ch))
}
