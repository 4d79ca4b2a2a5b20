//! The ordered change stream. Each committed change names its audience so the
//! real-time hub can route it without re-reading the rows it describes.

use diesel::prelude::*;
use hearth_api::EventKind;
use hearth_core::Id;

use crate::conn::DbConn;
use crate::error::{StoreError, StoreResult};
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
    /// Why the payload could not be serialised: [`append`] then fails the
    /// mutation rather than log an event nobody can decode.
    payload_error: Option<String>,
}

impl Change {
    pub fn new(kind: EventKind, audience: Audience, payload: impl serde::Serialize) -> Self {
        let (payload, payload_error) = match serde_json::to_value(payload) {
            Ok(v) => (v, None),
            Err(e) => (serde_json::Value::Null, Some(e.to_string())),
        };
        Change {
            kind,
            audience,
            payload,
            payload_error,
        }
    }
}

/// A change-log row whose audience column holds no known value. Such a row
/// is delivered to nobody: an unknown audience must never widen to everyone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown change-log audience '{0}'")]
pub struct UnknownAudience(pub String);

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
    /// Decodes the audience columns written by [`append`]; fails closed on a
    /// value it does not know.
    pub fn audience(&self) -> Result<Audience, UnknownAudience> {
        let id = |s: &Option<String>| s.as_deref().map(crate::parse_id);
        Ok(match self.audience.as_str() {
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
            "all" => Audience::All,
            other => return Err(UnknownAudience(other.to_owned())),
        })
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
    if let Some(reason) = &c.payload_error {
        return Err(StoreError::Encode(format!(
            "the {:?} event payload: {reason}",
            c.kind
        )));
    }
    let kind = kind_name(c.kind)?;
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

/// The wire name of an event kind, as the change log stores it.
fn kind_name(kind: EventKind) -> StoreResult<String> {
    match serde_json::to_value(kind) {
        Ok(serde_json::Value::String(s)) if !s.is_empty() => Ok(s),
        Ok(other) => Err(StoreError::Encode(format!(
            "event kind {kind:?} serialises to {other}, not a name"
        ))),
        Err(e) => Err(StoreError::Encode(format!("event kind {kind:?}: {e}"))),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(audience: &str) -> ChangeRow {
        ChangeRow {
            seq: 1,
            created_at: 0,
            kind: "posted".into(),
            audience: audience.into(),
            team_id: None,
            channel_id: None,
            user_id: None,
            payload: "{}".into(),
        }
    }

    #[test]
    fn an_unknown_audience_is_an_error_not_everyone() {
        assert_eq!(row("all").audience(), Ok(Audience::All));
        assert_eq!(
            row("everyone").audience(),
            Err(UnknownAudience("everyone".into()))
        );
        assert_eq!(row("").audience(), Err(UnknownAudience(String::new())));
        assert_eq!(row("ALL").audience(), Err(UnknownAudience("ALL".into())));
    }

    /// A payload serde cannot represent (a map with non-string keys).
    struct Unserialisable;

    impl serde::Serialize for Unserialisable {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(&[1u8, 2], &1)?;
            m.end()
        }
    }

    #[test]
    fn a_payload_that_fails_to_serialise_is_kept_as_an_error() {
        let c = Change::new(EventKind::Posted, Audience::All, Unserialisable);
        assert!(c.payload_error.is_some(), "{c:?}");
        let ok = Change::new(
            EventKind::Posted,
            Audience::All,
            serde_json::json!({"a": 1}),
        );
        assert_eq!(ok.payload_error, None);
        assert_eq!(ok.payload["a"], 1);
    }

    #[test]
    fn every_kind_has_a_non_empty_name() {
        assert_eq!(kind_name(EventKind::Posted).as_deref().ok(), Some("posted"));
    }
}
