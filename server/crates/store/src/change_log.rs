//! The ordered change stream. Each committed change names its audience so the
//! real-time hub can route it without re-reading the rows it describes.

use diesel::prelude::*;
use hearth_api::{EventKind, EventPayload};
use hearth_core::Id;
use serde_json::value::RawValue;

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

/// One entry for the change log: a typed event and who may see it. The
/// stored kind comes from the event's variant, so kind and payload agree.
#[derive(Debug, Clone)]
pub struct Change {
    pub audience: Audience,
    kind: EventKind,
    /// The payload's JSON text as the log stores it (through
    /// `serde_json::Value`, as it always was), or why it could not be
    /// encoded: [`append`] then fails the mutation rather than log an event
    /// nobody can decode.
    payload: Result<String, String>,
}

impl Change {
    pub fn new(event: EventPayload, audience: Audience) -> Self {
        let payload = match serde_json::to_value(&event) {
            Ok(serde_json::Value::Object(mut tagged)) => match tagged.remove("data") {
                Some(data) => Ok(data.to_string()),
                None => Err("the event has no data member".to_owned()),
            },
            Ok(other) => Err(format!("the event encodes to {other}, not an object")),
            Err(e) => Err(e.to_string()),
        };
        Change {
            audience,
            kind: event.kind(),
            payload,
        }
    }

    /// A change with any payload under any kind: only for tests of the
    /// paths that reject what [`Change::new`] cannot build.
    #[cfg(any(test, feature = "test-support"))]
    pub fn untyped(kind: EventKind, audience: Audience, payload: impl serde::Serialize) -> Self {
        Change {
            audience,
            kind,
            payload: serde_json::to_value(payload)
                .map(|v| v.to_string())
                .map_err(|e| e.to_string()),
        }
    }

    pub fn kind(&self) -> EventKind {
        self.kind
    }
}

/// A change-log row whose audience columns hold no known audience (an
/// unknown name, or an id that is missing or malformed). Such a row is
/// delivered to nobody: an unknown audience must never widen to everyone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown change-log audience '{0}'")]
pub struct UnknownAudience(pub String);

/// Why a stored change cannot be delivered or indexed; such a row is
/// skipped and logged, never guessed at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UndecodableChange {
    #[error("unknown change-log kind '{0}'")]
    UnknownKind(String),
    #[error(transparent)]
    Audience(#[from] UnknownAudience),
    #[error("the {kind:?} payload does not decode: {reason}")]
    Payload { kind: EventKind, reason: String },
}

/// A change read back from the log.
#[derive(Debug)]
pub struct LoggedChange {
    pub seq: i64,
    pub event: EventPayload,
    pub audience: Audience,
    /// The payload exactly as stored: what clients receive as `data`.
    pub data: Box<RawValue>,
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
    /// Decodes the audience columns written by [`append`]; fails closed on a
    /// name it does not know and on a missing or malformed id.
    pub fn audience(&self) -> Result<Audience, UnknownAudience> {
        let id =
            |column: &'static str, value: &Option<String>| -> Result<Option<Id>, UnknownAudience> {
                value
                    .as_deref()
                    .map(|v| {
                        v.parse::<Id>().map_err(|_| {
                            UnknownAudience(format!("{} with {column} '{v}'", self.audience))
                        })
                    })
                    .transpose()
            };
        let required = |column: &'static str, value: &Option<String>| {
            id(column, value)?
                .ok_or_else(|| UnknownAudience(format!("{} without {column}", self.audience)))
        };
        Ok(match self.audience.as_str() {
            "channel" => Audience::Channel {
                channel_id: required("channel_id", &self.channel_id)?,
                team_id: id("team_id", &self.team_id)?,
                also: id("user_id", &self.user_id)?,
            },
            "team" => Audience::Team {
                team_id: required("team_id", &self.team_id)?,
                also: id("user_id", &self.user_id)?,
            },
            "user" => Audience::User(required("user_id", &self.user_id)?),
            "all" => Audience::All,
            other => return Err(UnknownAudience(other.to_owned())),
        })
    }

    /// The event's name; an unknown name is an error.
    pub fn kind(&self) -> Result<EventKind, UndecodableChange> {
        serde_json::from_value(serde_json::Value::String(self.kind.clone()))
            .map_err(|_| UndecodableChange::UnknownKind(self.kind.clone()))
    }

    /// The typed event, without the audience (for readers that need only
    /// what happened, such as the search indexer).
    pub fn event(&self) -> Result<EventPayload, UndecodableChange> {
        let kind = self.kind()?;
        let payload = |e: serde_json::Error| UndecodableChange::Payload {
            kind,
            reason: e.to_string(),
        };
        let data: &RawValue = serde_json::from_str(&self.payload).map_err(payload)?;
        EventPayload::from_parts(kind, data).map_err(payload)
    }

    /// The whole change, typed; fails closed on anything it does not know.
    pub fn decode(self) -> Result<LoggedChange, UndecodableChange> {
        let event = self.event()?;
        let audience = self.audience()?;
        let kind = event.kind();
        let data = RawValue::from_string(self.payload).map_err(|e| UndecodableChange::Payload {
            kind,
            reason: e.to_string(),
        })?;
        Ok(LoggedChange {
            seq: self.seq,
            event,
            audience,
            data,
        })
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
    let payload = c.payload.as_deref().map_err(|reason| {
        StoreError::Encode(format!("the {:?} event payload: {reason}", c.kind))
    })?;
    let kind = kind_name(c.kind)?;
    diesel::insert_into(change_log::table)
        .values((
            change_log::created_at.eq(hearth_core::now_millis()),
            change_log::kind.eq(kind),
            change_log::audience.eq(aud),
            change_log::team_id.eq(team),
            change_log::channel_id.eq(channel),
            change_log::user_id.eq(user),
            change_log::payload.eq(payload),
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
        let c = Change::untyped(EventKind::Posted, Audience::All, Unserialisable);
        assert!(c.payload.is_err(), "{c:?}");
        let ok = Change::untyped(
            EventKind::Posted,
            Audience::All,
            serde_json::json!({"a": 1}),
        );
        assert_eq!(ok.payload.as_ref().err(), None);
        let payload: serde_json::Value =
            serde_json::from_str(ok.payload.as_deref().unwrap()).unwrap();
        assert_eq!(payload["a"], 1);
    }

    fn stored(kind: &str, audience: &str, payload: &str) -> ChangeRow {
        ChangeRow {
            kind: kind.into(),
            payload: payload.into(),
            ..row(audience)
        }
    }

    const SESSION: &str = r#"{"session_id":"0190a0a0-0000-7000-8000-000000000001"}"#;

    #[test]
    fn a_stored_change_decodes_to_its_typed_event_and_keeps_its_text() {
        let mut r = stored("session_revoked", "user", SESSION);
        r.user_id = Some("0190a0a0-0000-7000-8000-000000000002".into());
        let change = r.decode().unwrap();
        assert!(matches!(change.event, EventPayload::SessionRevoked(_)));
        assert!(matches!(change.audience, Audience::User(_)));
        assert_eq!(change.data.get(), SESSION);
    }

    #[test]
    fn an_unknown_kind_or_a_payload_of_another_kind_is_an_error() {
        assert_eq!(
            stored("exploded", "all", SESSION).decode().err(),
            Some(UndecodableChange::UnknownKind("exploded".into()))
        );
        assert!(matches!(
            stored("posted", "all", SESSION).decode(),
            Err(UndecodableChange::Payload {
                kind: EventKind::Posted,
                ..
            })
        ));
        assert!(matches!(
            stored("session_revoked", "all", "not json").decode(),
            Err(UndecodableChange::Payload { .. })
        ));
    }

    #[test]
    fn a_missing_or_malformed_audience_id_is_an_error_not_the_nil_id() {
        let mut r = row("channel");
        assert!(
            r.audience().is_err(),
            "a channel audience needs its channel"
        );
        r.channel_id = Some("not-an-id".into());
        assert!(r.audience().is_err());
        r.channel_id = Some("0190a0a0-0000-7000-8000-000000000003".into());
        r.team_id = Some("".into());
        assert!(r.audience().is_err());
        r.team_id = None;
        assert!(r.audience().is_ok());
        assert!(row("user").audience().is_err());
        assert!(row("team").audience().is_err());
    }

    #[test]
    fn the_stored_payload_is_the_data_member_of_the_event() {
        let event = EventPayload::SessionRevoked(hearth_api::SessionRevoked {
            session_id: "0190a0a0-0000-7000-8000-000000000001".parse().unwrap(),
        });
        let c = Change::new(event, Audience::All);
        assert_eq!(c.kind(), EventKind::SessionRevoked);
        assert_eq!(c.payload.as_deref(), Ok(SESSION));
    }

    #[test]
    fn every_kind_has_a_non_empty_name() {
        assert_eq!(kind_name(EventKind::Posted).as_deref().ok(), Some("posted"));
    }
}
