//! WebSocket frames (`/api/v1/websocket`).
//!
//! Every frame the server sends to a user carries that user's sequence number,
//! counted per server run (`epoch`). A client that reconnects with
//! `?epoch=E&seq=N` receives exactly the events after N, or a `resync` frame
//! when they are no longer kept and it must refetch its state.

use serde::{Deserialize, Serialize};

use uuid::Uuid;

/// What happened. The `data` of each kind is the resource named in the doc.
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
    /// `{channel_id, user_id}`
    ChannelMemberRemoved,
    /// `ChannelMember` of the viewer (read state, notify level, favourite)
    ChannelMemberUpdated,
    /// `{channel_id, user_id, last_viewed_at}`: read receipt
    ChannelViewed,
    /// `Team`
    TeamUpdated,
    /// `TeamMember`
    TeamMemberAdded,
    /// `{team_id, user_id}`
    TeamMemberRemoved,
    /// `TeamMember` whose role changed
    TeamMemberUpdated,
    /// `User`
    UserUpdated,
    /// `ThreadState` of the receiving user
    ThreadUpdated,
    /// `{channel_id, root_id, user_id}`
    Typing,
    /// `UserStatus`
    StatusChanged,
    /// `{session_id}`: this session was revoked; the socket closes next.
    SessionRevoked,
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
