//! `hearthctl search …`: the full-text index.

use hearth_api::SearchStatus;

use super::Ctx;
use crate::cli::SearchCmd;
use crate::connect;
use crate::exit::Result;
use crate::output::{fields, yes_no};

/// A rebuild answers when the new index is live, which on a large server
/// takes far longer than an ordinary request.
const REINDEX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

pub async fn run(ctx: &Ctx, cmd: SearchCmd) -> Result<()> {
    match cmd {
        SearchCmd::Status => {
            let s = ctx.client()?.search_status().await?;
            ctx.out.emit(&s, || show(&s))
        }
        SearchCmd::Reindex => {
            let c = connect::client_with_timeout(&ctx.global, REINDEX_TIMEOUT)?;
            let spinner = ctx.out.spinner("rebuilding the search index");
            let r = c.search_reindex().await;
            if let Some(pb) = spinner {
                pb.finish_and_clear();
            }
            let s = r?;
            ctx.out.emit(&s, || format!("Index rebuilt.\n{}", show(&s)))
        }
    }
}

fn show(s: &SearchStatus) -> String {
    let behind = s.latest_seq.saturating_sub(s.cursor.unwrap_or(0));
    fields(vec![
        ("enabled", yes_no(s.enabled)),
        ("posts", s.posts.to_string()),
        ("files", s.files.to_string()),
        ("size", format!("{} bytes", s.size_bytes)),
        ("changes not yet indexed", behind.to_string()),
        ("rebuilding", yes_no(s.rebuilding)),
        (
            "last error",
            s.last_error.clone().unwrap_or_else(|| "-".into()),
        ),
    ])
}
