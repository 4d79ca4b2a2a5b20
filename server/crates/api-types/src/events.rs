//! WebSocket frames (`/api/v1/websocket`).
//!
//! Every frame the server sends to a user carries that user's sequence number,
//! counted per server run (`epoch`). A client that reconnects with
//! `?epoch=E&seq=N` receives exactly the events after N, or a `resync` frame
//! when they are no longer kept and it must refetch its state.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::{
    Channel, ChannelMember, Millis, Post, Reaction, Team, TeamMember, ThreadState, User, UserStatus,
};

/// The name of an event: the `event` member of a frame and the change
/// log's `kind` column. [`EventPayload`] pairs each name with its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// `Post`
    Posted,
    /// `Post` (edits, pins and thread counters)
    PostEdited,
    /// `Post` with `deleted_at` set
    PostDeleted,
    /// `Reaction`
    ReactionAdded,
    /// `Reaction`
    ReactionRemoved,
    /// `Channel`
    ChannelCreated,
    /// `Channel` (rename, purpose, header, archive, unarchive)
    ChannelUpdated,
    /// `ChannelMember`
    ChannelMemberAdded,
    /// `ChannelMembership`
    ChannelMemberRemoved,
    /// `ChannelMember` (read state, notify level, favourite; or a role)
    ChannelMemberUpdated,
    /// `ChannelViewed`: a read receipt
    ChannelViewed,
    /// `Team`
    TeamUpdated,
    /// `TeamMember`
    TeamMemberAdded,
    /// `TeamMembership`
    TeamMemberRemoved,
    /// `TeamMember` whose role changed
    TeamMemberUpdated,
    /// `User`
    UserUpdated,
    /// `ThreadState` of the receiving user
    ThreadUpdated,
    /// `Typing`
    Typing,
    /// `UserStatus`
    StatusChanged,
    /// `SessionRevoked`: this session was revoked; the socket closes next.
    SessionRevoked,
}

/// Every event with its payload: the `event` and `data` members of an
/// [`Event`] frame as one value, so the name and the payload cannot disagree.
/// The server writes the change log from it, routes by it and indexes from
/// it; bots and plugins can decode a frame into it with [`Event::payload`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
pub enum EventPayload {
    /// A post was created. Audience: the channel's members.
    Posted(Post),
    /// A post was edited, pinned or unpinned, or its thread counters changed.
    /// Audience: the channel's members.
    PostEdited(Post),
    /// A post was deleted (`deleted_at` set). Audience: the channel's members.
    PostDeleted(Post),
    /// Audience: the channel's members.
    ReactionAdded(Reaction),
    /// Audience: the channel's members.
    ReactionRemoved(Reaction),
    /// Audience: the channel's members (public channels: the team's).
    ChannelCreated(Channel),
    /// Rename, purpose, header, archive, unarchive, made private, moved.
    /// Audience: the channel's members, or the team's.
    ChannelUpdated(Channel),
    /// Audience: the channel's members.
    ChannelMemberAdded(ChannelMember),
    /// Audience: the channel's members and the removed user.
    ChannelMemberRemoved(ChannelMembership),
    /// Read state, notify level, favourite (to the member), or a role change
    /// (to the channel). Audience: the member, or the channel's members.
    ChannelMemberUpdated(ChannelMember),
    /// A read receipt. Audience: the viewer, or a direct or group channel's members.
    ChannelViewed(ChannelViewed),
    /// Audience: the team's members.
    TeamUpdated(Team),
    /// Audience: the team's members and the new member.
    TeamMemberAdded(TeamMember),
    /// Audience: the team's members and the removed user.
    TeamMemberRemoved(TeamMembership),
    /// A member's team role changed. Audience: the team's members.
    TeamMemberUpdated(TeamMember),
    /// Audience: every user allowed to see the account.
    UserUpdated(User),
    /// The receiving user's view of a thread. Audience: that user.
    ThreadUpdated(ThreadState),
    /// Not stored. Audience: the channel's connected members but the typist.
    Typing(Typing),
    /// Not stored. Audience: the connections subscribed to the user's presence.
    StatusChanged(UserStatus),
    /// This session was revoked; the socket closes next. Audience: its user.
    SessionRevoked(SessionRevoked),
}

impl EventPayload {
    /// The event's name, as the `event` member and the change log carry it.
    pub fn kind(&self) -> EventKind {
        match self {
            EventPayload::Posted(_) => EventKind::Posted,
            EventPayload::PostEdited(_) => EventKind::PostEdited,
            EventPayload::PostDeleted(_) => EventKind::PostDeleted,
            EventPayload::ReactionAdded(_) => EventKind::ReactionAdded,
            EventPayload::ReactionRemoved(_) => EventKind::ReactionRemoved,
            EventPayload::ChannelCreated(_) => EventKind::ChannelCreated,
            EventPayload::ChannelUpdated(_) => EventKind::ChannelUpdated,
            EventPayload::ChannelMemberAdded(_) => EventKind::ChannelMemberAdded,
            EventPayload::ChannelMemberRemoved(_) => EventKind::ChannelMemberRemoved,
            EventPayload::ChannelMemberUpdated(_) => EventKind::ChannelMemberUpdated,
            EventPayload::ChannelViewed(_) => EventKind::ChannelViewed,
            EventPayload::TeamUpdated(_) => EventKind::TeamUpdated,
            EventPayload::TeamMemberAdded(_) => EventKind::TeamMemberAdded,
            EventPayload::TeamMemberRemoved(_) => EventKind::TeamMemberRemoved,
            EventPayload::TeamMemberUpdated(_) => EventKind::TeamMemberUpdated,
            EventPayload::UserUpdated(_) => EventKind::UserUpdated,
            EventPayload::ThreadUpdated(_) => EventKind::ThreadUpdated,
            EventPayload::Typing(_) => EventKind::Typing,
            EventPayload::StatusChanged(_) => EventKind::StatusChanged,
            EventPayload::SessionRevoked(_) => EventKind::SessionRevoked,
        }
    }

    /// Decodes an event from its name and the JSON text of its data, as the
    /// change log stores them.
    pub fn from_parts(kind: EventKind, data: &RawValue) -> Result<EventPayload, serde_json::Error> {
        #[derive(Serialize)]
        struct Parts<'a> {
            event: EventKind,
            data: &'a RawValue,
        }
        serde_json::from_str(&serde_json::to_string(&Parts { event: kind, data })?)
    }
}

/// A user who left or was removed from a channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelMembership {
    pub channel_id: Uuid,
    pub user_id: Uuid,
}

/// A user who left or was removed from a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMembership {
    pub team_id: Uuid,
    pub user_id: Uuid,
}

/// A read receipt: the user read the channel up to `last_viewed_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelViewed {
    pub channel_id: Uuid,
    pub user_id: Uuid,
    pub last_viewed_at: Millis,
}

/// A user is typing in a channel, or in the thread under `root_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Typing {
    pub channel_id: Uuid,
    /// Always present: `null` when typing in the channel itself.
    pub root_id: Option<Uuid>,
    pub user_id: Uuid,
}

/// The session that was revoked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRevoked {
    pub session_id: Uuid,
}

/// An event as delivered to one user.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// The receiving user's sequence number in this epoch, gap-free from 1.
    pub seq: u64,
    pub event: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<Uuid>,
    pub data: serde_json::Value,
}

impl Event {
    /// The typed payload; an error when `data` does not fit `event`.
    pub fn payload(&self) -> Result<EventPayload, serde_json::Error> {
        let data = serde_json::value::to_raw_value(&self.data)?;
        EventPayload::from_parts(self.event, &data)
    }
}

/// A frame from server to client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// First frame on every connection: the current epoch and the last sequence sent.
    Hello {
        epoch: String,
        seq: u64,
    },
    /// The missed events are gone: refetch state, then continue from `seq`.
    Resync {
        epoch: String,
        seq: u64,
    },
    Event(Event),
    /// Answer to a client `ping` action.
    Pong,
}

/// A frame from client to server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ClientFrame {
    /// The user is typing in a channel (or a thread of it).
    Typing {
        channel_id: Uuid,
        #[serde(default)]
        root_id: Option<Uuid>,
    },
    /// The user did something: resets the idle timer behind "away".
    Activity,
    /// Replaces the set of users whose `status_changed` events this
    /// connection receives (at most 1000); their current status follows at once.
    SubscribePresence {
        user_ids: Vec<Uuid>,
    },
    Ping,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revoked() -> EventPayload {
        EventPayload::SessionRevoked(SessionRevoked {
            session_id: Uuid::nil(),
        })
    }

    #[test]
    fn an_event_is_tagged_by_its_name_with_its_payload_as_data() {
        assert_eq!(
            serde_json::to_string(&revoked()).unwrap(),
            r#"{"event":"session_revoked","data":{"session_id":"00000000-0000-0000-0000-000000000000"}}"#
        );
        assert_eq!(
            serde_json::to_value(revoked().kind()).unwrap(),
            serde_json::to_value(revoked()).unwrap()["event"]
        );
    }

    #[test]
    fn a_frame_decodes_to_its_payload_or_fails_when_they_disagree() {
        let mut frame = Event {
            seq: 1,
            event: EventKind::SessionRevoked,
            channel_id: None,
            team_id: None,
            data: serde_json::json!({ "session_id": Uuid::nil() }),
        };
        assert!(matches!(
            frame.payload(),
            Ok(EventPayload::SessionRevoked(_))
        ));
        frame.event = EventKind::Posted;
        assert!(frame.payload().is_err());
    }
}
