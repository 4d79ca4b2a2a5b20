//! Follows the change log in `seq` order and routes each change to the users
//! who may see it. Membership lists are cached and dropped whenever a change
//! alters them, so routing costs no query in the steady state.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use hearth_api::EventKind;
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
    let Some(kind) = row.event_kind() else {
        tracing::warn!(seq = row.seq, kind = row.kind, "unknown change kind");
        return;
    };
    let audience = match row.audience() {
        Ok(a) => a,
        Err(e) => {
            tracing::error!(seq = row.seq, kind = row.kind, error = %e, "change not delivered");
            return;
        }
    };
    invalidate(members, kind, &audience);
    let to = if kind == EventKind::UserUpdated {
        // Guests learn only of the people they may see.
        profile_watchers(store, &row.payload).await
    } else {
        resolve(store, members, &audience).await
    };
    let Some(to) = to else {
        return;
    };
    let (channel_id, team_id) = match &audience {
        Audience::Channel {
            channel_id,
            team_id,
            ..
        } => (Some(*channel_id), *team_id),
        Audience::Team { team_id, .. } => (None, Some(*team_id)),
        _ => (None, None),
    };
    let close_session = (kind == EventKind::SessionRevoked)
        .then(|| serde_json::from_str::<serde_json::Value>(&row.payload).ok())
        .flatten()
        .and_then(|v| {
            v.get("session_id")
                .and_then(|s| s.as_str())
                .map(str::to_string)
        });
    let body = Arc::new(EventBody::new(kind, channel_id, team_id, &row.payload));
    hub.send(Cmd::Deliver {
        to,
        body,
        except: None,
        close_session,
    })
    .await;
}

fn invalidate(members: &mut Members, kind: EventKind, audience: &Audience) {
    match (kind, audience) {
        (
            EventKind::ChannelMemberAdded
            | EventKind::ChannelMemberRemoved
            | EventKind::ChannelCreated,
            Audience::Channel { channel_id, .. },
        ) => {
            members.channels.remove(channel_id);
        }
        (
            EventKind::TeamMemberAdded | EventKind::TeamMemberRemoved,
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
/// under the guest visibility rule. A payload without an id goes to nobody.
async fn profile_watchers(store: &Arc<Store>, payload: &str) -> Option<Recipients> {
    let id = serde_json::from_str::<serde_json::Value>(payload)
        .ok()?
        .get("id")?
        .as_str()?
        .parse::<Id>()
        .ok()?;
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
