//! Row types and their conversion to API resources.

use diesel::prelude::*;
use hearth_api as api;

use crate::kinds::{ChallengeKind, PostChange, SignInSource};
use crate::schema::*;
use crate::{parse_id, parse_ids_json};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub role: api::Role,
    pub timezone: String,
    pub status_text: String,
    pub avatar_sha256: Option<String>,
    pub is_active: bool,
    pub is_bot: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the e-mail address was verified (by an admin or a sign-in
    /// provider); `None` while unverified.
    pub email_verified_at: Option<i64>,
}

impl UserRow {
    /// A new, active person account with a fresh id and default profile
    /// (UTC, no status, no avatar).
    pub fn new_account(
        username: String,
        email: String,
        display_name: String,
        password_hash: Option<String>,
        role: api::Role,
        now: i64,
    ) -> UserRow {
        UserRow {
            id: hearth_core::new_id().to_string(),
            username,
            email,
            display_name,
            password_hash,
            role,
            timezone: "UTC".into(),
            status_text: String::new(),
            avatar_sha256: None,
            is_active: true,
            is_bot: false,
            created_at: now,
            updated_at: now,
            email_verified_at: None,
        }
    }

    /// The public view; `with_email` for the user themself and admins.
    pub fn to_api(&self, with_email: bool) -> api::User {
        api::User {
            id: parse_id(&self.id),
            username: self.username.clone(),
            email: with_email.then(|| self.email.clone()),
            display_name: self.display_name.clone(),
            role: self.role,
            timezone: self.timezone.clone(),
            status_text: self.status_text.clone(),
            has_avatar: self.avatar_sha256.is_some(),
            is_active: self.is_active,
            is_bot: self.is_bot,
            created_at: self.created_at,
            updated_at: self.updated_at,
            email_verified: with_email.then_some(self.email_verified_at.is_some()),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub kind: api::SessionKind,
    pub name: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_active_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// Integration tokens survive password and MFA changes.
    pub integration: bool,
}

impl SessionRow {
    pub fn to_api(&self, current: Option<&str>) -> api::Session {
        api::Session {
            id: parse_id(&self.id),
            user_id: parse_id(&self.user_id),
            kind: self.kind,
            name: self.name.clone(),
            created_at: self.created_at,
            last_active_at: self.last_active_at,
            expires_at: self.expires_at,
            current: current == Some(self.id.as_str()),
            integration: self.integration,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = teams, treat_none_as_null = true)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub open: bool,
    pub invite_id: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub archived_at: Option<i64>,
}

impl TeamRow {
    pub fn to_api(&self) -> api::Team {
        api::Team {
            id: parse_id(&self.id),
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            description: self.description.clone(),
            open: self.open,
            created_at: self.created_at,
            updated_at: self.updated_at,
            archived_at: self.archived_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = team_members)]
pub struct TeamMemberRow {
    pub team_id: String,
    pub user_id: String,
    pub role: api::MemberRole,
    pub created_at: i64,
}

impl TeamMemberRow {
    pub fn to_api(&self) -> api::TeamMember {
        api::TeamMember {
            team_id: parse_id(&self.team_id),
            user_id: parse_id(&self.user_id),
            role: self.role,
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = channels, treat_none_as_null = true)]
pub struct ChannelRow {
    pub id: String,
    pub team_id: Option<String>,
    pub kind: api::ChannelKind,
    pub name: String,
    pub display_name: String,
    pub purpose: String,
    pub header: String,
    pub creator_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub archived_at: Option<i64>,
    pub last_post_at: i64,
    pub total_msg_count: i64,
}

impl ChannelRow {
    pub fn to_api(&self) -> api::Channel {
        api::Channel {
            id: parse_id(&self.id),
            team_id: self.team_id.as_deref().map(parse_id),
            kind: self.kind,
            name: self.name.clone(),
            display_name: self.display_name.clone(),
            purpose: self.purpose.clone(),
            header: self.header.clone(),
            creator_id: self.creator_id.as_deref().map(parse_id),
            created_at: self.created_at,
            updated_at: self.updated_at,
            archived_at: self.archived_at,
            last_post_at: self.last_post_at,
            total_msg_count: self.total_msg_count,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = channel_members)]
pub struct ChannelMemberRow {
    pub channel_id: String,
    pub user_id: String,
    pub role: api::MemberRole,
    pub notify_level: api::NotifyLevel,
    pub muted: bool,
    pub favorite: bool,
    pub last_viewed_at: i64,
    pub msg_count: i64,
    pub mention_count: i64,
    pub created_at: i64,
}

impl ChannelMemberRow {
    pub fn to_api(&self) -> api::ChannelMember {
        api::ChannelMember {
            channel_id: parse_id(&self.channel_id),
            user_id: parse_id(&self.user_id),
            role: self.role,
            notify_level: self.notify_level,
            muted: self.muted,
            favorite: self.favorite,
            last_viewed_at: self.last_viewed_at,
            msg_count: self.msg_count,
            mention_count: self.mention_count,
            created_at: self.created_at,
        }
    }

    /// The membership as other people see it: who, which role and since
    /// when. Read state, counters, mute, favourite and notification level
    /// are the member's own and read as their defaults (zero, false,
    /// `default`); direct and group channels share read state through
    /// `channel_viewed` receipts instead.
    pub fn to_api_public(&self) -> api::ChannelMember {
        api::ChannelMember {
            channel_id: parse_id(&self.channel_id),
            user_id: parse_id(&self.user_id),
            role: self.role,
            notify_level: api::NotifyLevel::Default,
            muted: false,
            favorite: false,
            last_viewed_at: 0,
            msg_count: 0,
            mention_count: 0,
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = posts, treat_none_as_null = true)]
pub struct PostRow {
    pub id: String,
    pub channel_id: String,
    pub user_id: String,
    pub root_id: Option<String>,
    pub message: String,
    pub file_ids: String,
    pub mentions: String,
    pub mentions_channel: bool,
    pub channel_links: String,
    pub is_pinned: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub edited_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub reply_count: i64,
    pub last_reply_at: Option<i64>,
    pub idempotency_key: Option<String>,
}

impl PostRow {
    /// The API view without reactions and participants (see `posts::hydrate`).
    /// Deleted posts keep their row for compliance but show no content.
    pub fn to_api(&self) -> api::Post {
        let deleted = self.deleted_at.is_some();
        api::Post {
            id: parse_id(&self.id),
            channel_id: parse_id(&self.channel_id),
            user_id: parse_id(&self.user_id),
            root_id: self.root_id.as_deref().map(parse_id),
            message: if deleted {
                String::new()
            } else {
                self.message.clone()
            },
            file_ids: if deleted {
                vec![]
            } else {
                parse_ids_json(&self.file_ids)
            },
            is_pinned: self.is_pinned,
            created_at: self.created_at,
            updated_at: self.updated_at,
            edited_at: self.edited_at,
            deleted_at: self.deleted_at,
            reply_count: self.reply_count,
            last_reply_at: self.last_reply_at,
            participants: vec![],
            reactions: vec![],
            mentions: if deleted {
                vec![]
            } else {
                parse_ids_json(&self.mentions)
            },
            mentions_channel: self.mentions_channel && !deleted,
            channel_links: if deleted {
                vec![]
            } else {
                parse_ids_json(&self.channel_links)
            },
            idempotency_key: self.idempotency_key.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = post_history)]
pub struct PostHistoryRow {
    pub id: String,
    pub post_id: String,
    pub message: String,
    pub file_ids: String,
    pub replaced_at: i64,
    pub replaced_by: String,
    /// What replaced this version.
    pub change: PostChange,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = thread_members, treat_none_as_null = true)]
pub struct ThreadMemberRow {
    pub root_id: String,
    pub user_id: String,
    pub following: bool,
    pub participated_at: Option<i64>,
    pub last_viewed_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reactions)]
pub struct ReactionRow {
    pub post_id: String,
    pub user_id: String,
    pub emoji_name: String,
    pub created_at: i64,
}

impl ReactionRow {
    pub fn to_api(&self) -> api::Reaction {
        api::Reaction {
            user_id: parse_id(&self.user_id),
            post_id: parse_id(&self.post_id),
            emoji_name: self.emoji_name.clone(),
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = files, treat_none_as_null = true)]
pub struct FileRow {
    pub id: String,
    pub uploader_id: String,
    pub channel_id: String,
    pub post_id: Option<String>,
    pub name: String,
    pub mime_type: String,
    pub size: i64,
    pub sha256: String,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub has_preview: bool,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

impl FileRow {
    pub fn to_api(&self) -> api::FileInfo {
        api::FileInfo {
            id: parse_id(&self.id),
            uploader_id: parse_id(&self.uploader_id),
            channel_id: parse_id(&self.channel_id),
            post_id: self.post_id.as_deref().map(parse_id),
            name: self.name.clone(),
            mime_type: self.mime_type.clone(),
            size: self.size,
            sha256: self.sha256.clone(),
            width: self.width,
            height: self.height,
            has_preview: self.has_preview,
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
    pub created_at: i64,
    /// Position in the log, gap-free from 1.
    pub seq: i64,
    /// Hex hash of the previous entry (zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of this entry's canonical form, or its HMAC-SHA256 under
    /// the audit key when the entry is keyed (see `audit`).
    pub hash: String,
}

/// An account's sign-in source, external link and second factor.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = user_auth, treat_none_as_null = true)]
pub struct UserAuthRow {
    pub user_id: String,
    pub source: SignInSource,
    pub provider: String,
    pub external_id: Option<String>,
    pub synced: String,
    pub mfa_secret: Option<String>,
    pub mfa_enabled: bool,
    pub mfa_last_step: Option<i64>,
    pub updated_at: i64,
}

impl UserAuthRow {
    /// A local account without a second factor (what a missing row means).
    pub fn local(user_id: &str, now: i64) -> UserAuthRow {
        UserAuthRow {
            user_id: user_id.to_string(),
            source: SignInSource::Local,
            provider: String::new(),
            external_id: None,
            synced: "{}".into(),
            mfa_secret: None,
            mfa_enabled: false,
            mfa_last_step: None,
            updated_at: now,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_failures, treat_none_as_null = true)]
pub struct LoginFailureRow {
    pub login_hash: String,
    pub failures: i32,
    pub last_failure_at: i64,
    pub locked_until: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = auth_challenges)]
pub struct AuthChallengeRow {
    pub id_hash: String,
    pub kind: ChallengeKind,
    pub user_id: Option<String>,
    pub data: String,
    pub created_at: i64,
    pub expires_at: i64,
}
