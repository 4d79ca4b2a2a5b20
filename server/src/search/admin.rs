//! The index's administration for system administrators: its status and an
//! online rebuild.

use hearth_api::SearchStatus;
use hearth_core::permissions::{Action, Facts, require};
use hearth_core::{Error, Result};

use crate::auth::Auth;
use crate::services::audit;
use crate::state::Ctx;

fn require_admin(auth: &Auth) -> Result<()> {
    require(&auth.actor, Action::ManageSearchIndex, &Facts::default())
}

/// Size, documents and lag; "switched off" when search is disabled.
pub fn status(ctx: &Ctx, auth: &Auth) -> Result<SearchStatus> {
    require_admin(auth)?;
    match &ctx.search {
        Some(s) => s.status(),
        None => Ok(SearchStatus::switched_off()),
    }
}

/// Rebuilds the index beside the live one and swaps it in; answers when
/// done. The request is audited before the work starts.
pub fn reindex(ctx: &Ctx, auth: &Auth) -> Result<SearchStatus> {
    require_admin(auth)?;
    let service = ctx
        .search
        .as_deref()
        .ok_or_else(|| Error::Unavailable("search is switched off on this server".into()))?;
    ctx.store.write(|tx| {
        audit::record(
            tx,
            Some(auth.user_id()),
            "search.reindex",
            "search_index",
            None,
            serde_json::json!({}),
        )
    })?;
    let documents = service.rebuild()?;
    tracing::info!(documents, "search index rebuilt on request");
    service.status()
}
