//! The ordered change stream. Each committed change names its audience so the
//! real-time hub can route it without re-reading the rows it describes.

use diesel::prelude::*;
use hearth_api::EventKind;
use hearth_core::Id;

use crate::conn::DbConn;
use crate::error::StoreResult;
use crate::schema::change_log;

/// Who may see a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Members of the channel, plus `also` (e.g. a member who was just removed).
    Channel {
        channel_id: Id,
        team_id: Option<Id>,
        also: Option<Id>,
    },
    /// Members of the team, plus `also`.
    Team { team_id: Id, also: Option<Id> },
    /// One user only (their own read state, preferences, sessions).
    User(Id),
    /// Every signed-in user (profile changes, presence).
    All,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub kind: EventKind,
    pub audience: Audience,
    pub payload: serde_json::Value,
}

impl Change {
    pub fn new(kind: EventKind, audience: Audience, payload: impl serde::Serialize) -> Self {
        Change {
            kind,
            audience,
            payload: serde_json::to_value(payload).unwrap_or(serde_json::Value::Null),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = change_log)]
pub struct ChangeRow {
    pub seq: i64,
    pub created_at: i64,
    pub kind: String,
    pub audience: String,
    pub team_id: Option<String>,
    pub channel_id: Option<String>,
    pub user_id: Option<String>,
    pub payload: String,
}

impl ChangeRow {
    /// Decodes the audience columns written by [`append`].
    pub fn audience(&self) -> Audience {
        let id = |s: &Option<String>| s.as_deref().map(crate::parse_id);
        match self.audience.as_str() {
            "channel" => Audience::Channel {
                channel_id: id(&self.channel_id).unwrap_or_default(),
                team_id: id(&self.team_id),
                also: id(&self.user_id),
            },
            "team" => Audience::Team {
                team_id: id(&self.team_id).unwrap_or_default(),
                also: id(&self.user_id),
            },
            "user" => Audience::User(id(&self.user_id).unwrap_or_default()),
            _ => Audience::All,
        }
    }

    pub fn event_kind(&self) -> Option<EventKind> {
        serde_json::from_value(serde_json::Value::String(self.kind.clone())).ok()
    }
}

pub(crate) fn append(conn: &mut DbConn, c: &Change) -> StoreResult<()> {
    let s = |id: Id| Some(id.to_string());
    let (aud, team, channel, user) = match &c.audience {
        Audience::Channel {
            channel_id,
            team_id,
            also,
        } => (
            "channel",
            team_id.and_then(s),
            s(*channel_id),
            also.and_then(s),
        ),
        Audience::Team { team_id, also } => ("team", s(*team_id), None, also.and_then(s)),
        Audience::User(u) => ("user", None, None, s(*u)),
        Audience::All => ("all", None, None, None),
    };
    let kind = serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    diesel::insert_into(change_log::table)
        .values((
            change_log::created_at.eq(hearth_core::now_millis()),
            change_log::kind.eq(kind),
            change_log::audience.eq(aud),
            change_log::team_id.eq(team),
            change_log::channel_id.eq(channel),
            change_log::user_id.eq(user),
            change_log::payload.eq(c.payload.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Changes after `seq`, oldest first.
pub fn after(conn: &mut DbConn, seq: i64, limit: i64) -> StoreResult<Vec<ChangeRow>> {
    Ok(change_log::table
        .filter(change_log::seq.gt(seq))
        .order(change_log::seq.asc())
        .limit(limit)
        .select(ChangeRow::as_select())
        .load(conn)?)
}

/// The newest sequence number, 0 when the log is empty.
pub fn last_seq(conn: &mut DbConn) -> StoreResult<i64> {
    Ok(change_log::table
        .select(diesel::dsl::max(change_log::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}
