//! Follows the change log in `seq` order and routes each change to the users
//! who may see it. Membership lists are cached and dropped whenever a change
//! alters them, so routing costs no query in the steady state.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use hearth_api::EventPayload;
use hearth_core::Id;
use hearth_store::{Audience, ChangeRow, Store, change_log};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Cmd, Ephemeral, EventBody, Hub, Recipients};

const BATCH: i64 = 512;

#[derive(Default)]
struct Members {
    channels: HashMap<Id, Arc<Vec<Id>>>,
    teams: HashMap<Id, Arc<Vec<Id>>>,
}

pub(super) async fn run(
    store: Arc<Store>,
    hub: Hub,
    mut ephemeral: mpsc::Receiver<Ephemeral>,
    stop: CancellationToken,
) {
    let mut changes = store.subscribe_changes();
    // Events committed before this run started are not replayed: every
    // client of a new epoch starts from a fresh fetch.
    let mut cursor = loop {
        let s = store.clone();
        match tokio::task::spawn_blocking(move || s.read(|c| Ok(change_log::last_seq(c)?))).await {
            Ok(Ok(seq)) => break seq,
            other => {
                tracing::error!(?other, "router cannot read the change log; retrying");
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    };
    let mut members = Members::default();
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            changed = changes.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            // Picks up writes made by other server processes on the same database.
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            e = ephemeral.recv() => {
                let Some(e) = e else { break };
                if let Some(to) = resolve(&store, &mut members, &e.audience).await {
                    hub.send(Cmd::Deliver { to, body: e.body, except: e.except, close_session: None }).await;
                }
                continue;
            }
        }
        loop {
            let s = store.clone();
            let rows = match tokio::task::spawn_blocking(move || {
                s.read(|c| Ok(change_log::after(c, cursor, BATCH)?))
            })
            .await
            {
                Ok(Ok(rows)) => rows,
                other => {
                    tracing::error!(?other, "router cannot read the change log");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    break;
                }
            };
            let n = rows.len() as i64;
            for row in rows {
                cursor = row.seq;
                route(&store, &hub, &mut members, row).await;
            }
            if n < BATCH {
                break;
            }
        }
    }
}

async fn route(store: &Arc<Store>, hub: &Hub, members: &mut Members, row: ChangeRow) {
    let seq = row.seq;
    let change = match row.decode() {
        Ok(change) => change,
        Err(error) => {
            tracing::error!(seq, %error, "change not delivered");
            return;
        }
    };
    invalidate(members, &change.event, &change.audience);
    let to = match &change.event {
        // Guests learn only of the people they may see.
        EventPayload::UserUpdated(user) => profile_watchers(store, user.id).await,
        _ => resolve(store, members, &change.audience).await,
    };
    let Some(to) = to else {
        return;
    };
    let close_session = match &change.event {
        EventPayload::SessionRevoked(revoked) => Some(revoked.session_id.to_string()),
        _ => None,
    };
    hub.send(Cmd::Deliver {
        to,
        body: Arc::new(EventBody::logged(&change)),
        except: None,
        close_session,
    })
    .await;
}

/// Drops the cached member lists a change alters.
fn invalidate(members: &mut Members, event: &EventPayload, audience: &Audience) {
    match (event, audience) {
        (
            EventPayload::ChannelMemberAdded(_)
            | EventPayload::ChannelMemberRemoved(_)
            | EventPayload::ChannelCreated(_),
            Audience::Channel { channel_id, .. },
        ) => {
            members.channels.remove(channel_id);
        }
        (
            EventPayload::TeamMemberAdded(_) | EventPayload::TeamMemberRemoved(_),
            Audience::Team { team_id, .. },
        ) => {
            members.teams.remove(team_id);
        }
        _ => {}
    }
}

async fn resolve(
    store: &Arc<Store>,
    members: &mut Members,
    audience: &Audience,
) -> Option<Recipients> {
    let with_also = |list: &Arc<Vec<Id>>, also: &Option<Id>| match also {
        Some(a) if !list.contains(a) => {
            let mut v = (**list).clone();
            v.push(*a);
            Arc::new(v)
        }
        _ => list.clone(),
    };
    match audience {
        Audience::All => Some(Recipients::All),
        Audience::User(u) => Some(Recipients::Users(Arc::new(vec![*u]))),
        Audience::Channel {
            channel_id, also, ..
        } => {
            if !members.channels.contains_key(channel_id) {
                let ids = load(store, *channel_id, true).await?;
                members.channels.insert(*channel_id, ids);
            }
            members
                .channels
                .get(channel_id)
                .map(|l| Recipients::Users(with_also(l, also)))
        }
        Audience::Team { team_id, also } => {
            if !members.teams.contains_key(team_id) {
                let ids = load(store, *team_id, false).await?;
                members.teams.insert(*team_id, ids);
            }
            members
                .teams
                .get(team_id)
                .map(|l| Recipients::Users(with_also(l, also)))
        }
    }
}

/// Who receives a profile change: everyone allowed to see the account
/// under the guest visibility rule.
async fn profile_watchers(store: &Arc<Store>, id: Id) -> Option<Recipients> {
    let s = store.clone();
    let res = tokio::task::spawn_blocking(move || {
        s.read(|c| {
            Ok(hearth_store::users::guests_who_may_not_see(
                c,
                &id.to_string(),
            )?)
        })
    })
    .await;
    match res {
        Ok(Ok(ids)) => Some(Recipients::AllExcept(Arc::new(
            ids.iter().map(|s| hearth_store::parse_id(s)).collect(),
        ))),
        other => {
            tracing::error!(?other, %id, "cannot load who may see a profile");
            None
        }
    }
}

async fn load(store: &Arc<Store>, id: Id, channel: bool) -> Option<Arc<Vec<Id>>> {
    let s = store.clone();
    let res = tokio::task::spawn_blocking(move || {
        s.read(|c| {
            let key = id.to_string();
            let ids = if channel {
                hearth_store::channels::member_ids(c, &key)?
            } else {
                hearth_store::teams::member_ids(c, &key)?
            };
            Ok(ids
                .iter()
                .map(|s| hearth_store::parse_id(s))
                .collect::<Vec<_>>())
        })
    })
    .await;
    match res {
        Ok(Ok(v)) => Some(Arc::new(v)),
        other => {
            tracing::error!(?other, %id, "cannot load members for routing");
            None
        }
    }
}
