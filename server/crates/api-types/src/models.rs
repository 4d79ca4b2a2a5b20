//! Resources as the API returns them.

use serde::{Deserialize, Serialize};

use uuid::Uuid;

use crate::Millis;

/// System-wide role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum Role {
    SystemAdmin,
    User,
    /// Sees only the channels it was added to; cannot create teams or public channels.
    Guest,
    /// Chats like a user and also runs retention, legal holds, exports and
    /// audited search across all content; cannot act as anyone else.
    ComplianceOfficer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::User => "user",
            Role::Guest => "guest",
            Role::ComplianceOfficer => "compliance_officer",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "system_admin" => Some(Role::SystemAdmin),
            "user" => Some(Role::User),
            "guest" => Some(Role::Guest),
            "compliance_officer" => Some(Role::ComplianceOfficer),
            _ => None,
        }
    }
}

/// Presence as shown beside a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum Presence {
    Online,
    Away,
    Dnd,
    Offline,
}

impl Presence {
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Online => "online",
            Presence::Away => "away",
            Presence::Dnd => "dnd",
            Presence::Offline => "offline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "online" => Some(Presence::Online),
            "away" => Some(Presence::Away),
            "dnd" => Some(Presence::Dnd),
            "offline" => Some(Presence::Offline),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub username: String,
    /// Only shown to the user themself and to system admins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub display_name: String,
    pub role: Role,
    pub timezone: String,
    pub status_text: String,
    pub has_avatar: bool,
    pub is_active: bool,
    pub is_bot: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// Whether the e-mail address is verified (by an administrator or a
    /// sign-in provider); shown with the e-mail only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
}

/// The response to a login: the user and, for API clients, the bearer token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub user: User,
    /// Bearer token for `Authorization: Bearer …`; also set as an HttpOnly cookie.
    pub token: String,
    /// Echo this in `X-CSRF-Token` on cookie-authenticated writes.
    pub csrf_token: String,
    pub session_id: Uuid,
}

/// A login session or a personal access token (never includes the secret).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: SessionKind,
    /// Name given to a personal access token; the user agent for a session.
    pub name: String,
    pub created_at: Millis,
    pub last_active_at: Millis,
    pub expires_at: Option<Millis>,
    /// True for the session that made the request.
    pub current: bool,
    /// An integration token: it survives its owner's password and MFA changes.
    #[serde(default)]
    pub integration: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum SessionKind {
    Session,
    AccessToken,
}

/// A freshly created personal access token; the secret is shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub token: String,
    pub info: Session,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    /// URL name, unique, lowercase.
    pub name: String,
    pub display_name: String,
    pub description: String,
    /// Open teams can be joined by any user; others need an invitation.
    pub open: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// When the team was archived: it takes no new members or channels, and
    /// its channels are archived (read-only) with it.
    #[serde(default)]
    pub archived_at: Option<Millis>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamInvite {
    /// Token to pass to `POST /api/v1/teams/join` or to signup.
    pub invite_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum MemberRole {
    Admin,
    Member,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Admin => "admin",
            MemberRole::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(MemberRole::Admin),
            "member" => Some(MemberRole::Member),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub team_id: Uuid,
    pub user_id: Uuid,
    pub role: MemberRole,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum ChannelKind {
    Public,
    Private,
    /// 1:1 direct message.
    Direct,
    /// Group direct message, 3 to 8 people.
    Group,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Public => "public",
            ChannelKind::Private => "private",
            ChannelKind::Direct => "direct",
            ChannelKind::Group => "group",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(ChannelKind::Public),
            "private" => Some(ChannelKind::Private),
            "direct" => Some(ChannelKind::Direct),
            "group" => Some(ChannelKind::Group),
            _ => None,
        }
    }
    pub fn is_dm(self) -> bool {
        matches!(self, ChannelKind::Direct | ChannelKind::Group)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Channel {
    pub id: Uuid,
    /// None for direct and group messages.
    pub team_id: Option<Uuid>,
    pub kind: ChannelKind,
    pub name: String,
    pub display_name: String,
    pub purpose: String,
    pub header: String,
    pub creator_id: Option<Uuid>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub archived_at: Option<Millis>,
    pub last_post_at: Millis,
    /// Posts and replies ever made, the base of unread counts.
    pub total_msg_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::AsExpression, diesel::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub enum NotifyLevel {
    /// Follow the user's global preference.
    Default,
    All,
    Mention,
    None,
}

impl NotifyLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyLevel::Default => "default",
            NotifyLevel::All => "all",
            NotifyLevel::Mention => "mention",
            NotifyLevel::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "default" => Some(NotifyLevel::Default),
            "all" => Some(NotifyLevel::All),
            "mention" => Some(NotifyLevel::Mention),
            "none" => Some(NotifyLevel::None),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelMember {
    pub channel_id: Uuid,
    pub user_id: Uuid,
    pub role: MemberRole,
    pub notify_level: NotifyLevel,
    pub muted: bool,
    pub favorite: bool,
    /// When the member last viewed the channel: the read receipt in DMs.
    pub last_viewed_at: Millis,
    pub msg_count: i64,
    pub mention_count: i64,
    pub created_at: Millis,
}

/// A channel as one member sees it, with unread state.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelUnread {
    pub channel_id: Uuid,
    pub team_id: Option<Uuid>,
    pub unread_count: i64,
    pub mention_count: i64,
    pub last_viewed_at: Millis,
    pub last_post_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reaction {
    pub user_id: Uuid,
    pub post_id: Uuid,
    pub emoji_name: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: Uuid,
    pub channel_id: Uuid,
    pub user_id: Uuid,
    /// The thread root this post replies to.
    pub root_id: Option<Uuid>,
    /// Markdown, stored as written.
    pub message: String,
    pub file_ids: Vec<Uuid>,
    pub is_pinned: bool,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub edited_at: Option<Millis>,
    /// Set when deleted; the message is then blanked for users.
    pub deleted_at: Option<Millis>,
    /// For thread roots: replies, last reply time and participants.
    pub reply_count: i64,
    pub last_reply_at: Option<Millis>,
    pub participants: Vec<Uuid>,
    pub reactions: Vec<Reaction>,
    /// User ids mentioned with `@username`.
    pub mentions: Vec<Uuid>,
    /// `@channel`, `@here` or `@all` was used.
    pub mentions_channel: bool,
    /// Channel ids linked with `~name`.
    pub channel_links: Vec<Uuid>,
    pub idempotency_key: Option<String>,
}

/// A page of posts, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostPage {
    pub posts: Vec<Post>,
    /// More posts exist before the first one returned.
    pub has_more_before: bool,
    /// More posts exist after the last one returned.
    pub has_more_after: bool,
}

/// One earlier version of a post.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostVersion {
    pub message: String,
    pub file_ids: Vec<Uuid>,
    /// When this version was replaced (edited or deleted).
    pub replaced_at: Millis,
    pub replaced_by: Uuid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadState {
    pub root_id: Uuid,
    pub channel_id: Uuid,
    pub following: bool,
    pub reply_count: i64,
    pub unread_replies: i64,
    pub last_reply_at: Option<Millis>,
    pub last_viewed_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileInfo {
    pub id: Uuid,
    pub uploader_id: Uuid,
    pub channel_id: Uuid,
    pub post_id: Option<Uuid>,
    pub name: String,
    pub mime_type: String,
    pub size: i64,
    /// Hex SHA-256 of the content; files are stored by this hash.
    pub sha256: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub has_preview: bool,
    pub created_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserStatus {
    pub user_id: Uuid,
    pub presence: Presence,
    /// Do-not-disturb set by the user, kept while they come and go.
    pub manual: bool,
    pub last_activity_at: Millis,
}

/// Server facts a client needs before login.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerInfo {
    pub version: String,
    pub signup_mode: String,
    /// True until the first account (the system admin) exists.
    pub needs_setup: bool,
    pub max_file_size: u64,
    pub max_post_chars: usize,
}
