//! What a WebSocket client asks of the server besides receiving events:
//! presence subscriptions and typing notices. The route only moves frames.

use std::sync::Arc;

use hearth_api::{EventPayload, Typing};
use hearth_core::Id;
use hearth_store::Audience;

use crate::auth::Auth;
use crate::services::accounts;
use crate::state::Ctx;

/// Watches the presence of `user_ids` on connection `conn_id`; guests
/// watch only the people they may see.
pub async fn subscribe_presence(ctx: &Arc<Ctx>, auth: &Auth, conn_id: u64, user_ids: Vec<Id>) {
    let a = auth.clone();
    let ids = ctx
        .run(move |c| {
            c.store
                .read(|conn| accounts::visible_ids(conn, &a, user_ids))
        })
        .await
        .unwrap_or_default();
    ctx.hub
        .subscribe_presence(conn_id, auth.user_id(), ids)
        .await
}

/// Tells the channel that the caller is typing (in the thread `root_id`).
/// Membership is asked on every notice, not remembered: a member removed
/// from the channel stops typing into it at once.
pub async fn typing(ctx: &Arc<Ctx>, auth: &Auth, channel_id: Id, root_id: Option<Id>) {
    let a = auth.clone();
    let member = ctx
        .run(move |c| {
            c.store.read(|conn| {
                Ok(
                    hearth_store::channels::member(conn, &channel_id.to_string(), &a.user.id)?
                        .is_some(),
                )
            })
        })
        .await
        .unwrap_or(false);
    if !member {
        return;
    }
    let user_id = auth.user_id();
    ctx.hub.activity(user_id);
    ctx.hub.ephemeral(
        Audience::Channel {
            channel_id,
            team_id: None,
            also: None,
        },
        Some(user_id),
        &EventPayload::Typing(Typing {
            channel_id,
            root_id,
            user_id,
        }),
        Some(channel_id),
    );
}
