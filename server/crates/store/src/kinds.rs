//! Closed sets of values the store keeps that the API never shows. Like the
//! API's enums they are text columns read fail-closed (see `hearth_api::sql`).

use diesel::{AsExpression, FromSqlRow, sql_types::Text};

/// Where an account signs in (`user_auth.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum SignInSource {
    /// A password Hearth keeps.
    Local,
    /// The configured LDAP directory.
    Ldap,
    /// An OpenID provider, named in `user_auth.provider`.
    Oidc,
}

impl SignInSource {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInSource::Local => "local",
            SignInSource::Ldap => "ldap",
            SignInSource::Oidc => "oidc",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "local" => Some(SignInSource::Local),
            "ldap" => Some(SignInSource::Ldap),
            "oidc" => Some(SignInSource::Oidc),
            _ => None,
        }
    }
}

/// Which sign-in step a pending challenge belongs to (`auth_challenges.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum ChallengeKind {
    /// The second factor after a password.
    Mfa,
    /// A redirect to an OpenID provider and back.
    Oidc,
}

impl ChallengeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeKind::Mfa => "mfa",
            ChallengeKind::Oidc => "oidc",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "mfa" => Some(ChallengeKind::Mfa),
            "oidc" => Some(ChallengeKind::Oidc),
            _ => None,
        }
    }
}

/// What replaced a kept post version (`post_history.change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum PostChange {
    Edit,
    Delete,
}

impl PostChange {
    pub fn as_str(self) -> &'static str {
        match self {
            PostChange::Edit => "edit",
            PostChange::Delete => "delete",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "edit" => Some(PostChange::Edit),
            "delete" => Some(PostChange::Delete),
            _ => None,
        }
    }
}

/// A join or a leave in the membership history
/// (`channel_member_history.change`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum MembershipChange {
    Joined,
    Left,
}

impl MembershipChange {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipChange::Joined => "joined",
            MembershipChange::Left => "left",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "joined" => Some(MembershipChange::Joined),
            "left" => Some(MembershipChange::Left),
            _ => None,
        }
    }
}

/// Which export an imported item came from (`import_map.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum ImportSource {
    Slack,
    Mattermost,
}

impl ImportSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportSource::Slack => "slack",
            ImportSource::Mattermost => "mattermost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "slack" => Some(ImportSource::Slack),
            "mattermost" => Some(ImportSource::Mattermost),
            _ => None,
        }
    }
}

/// What an imported item became (`import_map.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub enum ImportedKind {
    User,
    Team,
    Channel,
    /// A direct or group conversation, keyed by its members.
    DirectChannel,
    Post,
}

impl ImportedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportedKind::User => "user",
            ImportedKind::Team => "team",
            ImportedKind::Channel => "channel",
            ImportedKind::DirectChannel => "direct_channel",
            ImportedKind::Post => "post",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user" => Some(ImportedKind::User),
            "team" => Some(ImportedKind::Team),
            "channel" => Some(ImportedKind::Channel),
            "direct_channel" => Some(ImportedKind::DirectChannel),
            "post" => Some(ImportedKind::Post),
            _ => None,
        }
    }
}

hearth_api::text_enum_sql!(SignInSource);
hearth_api::text_enum_sql!(ChallengeKind);
hearth_api::text_enum_sql!(PostChange);
hearth_api::text_enum_sql!(MembershipChange);
hearth_api::text_enum_sql!(ImportSource);
hearth_api::text_enum_sql!(ImportedKind);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for s in [SignInSource::Local, SignInSource::Ldap, SignInSource::Oidc] {
            assert_eq!(SignInSource::parse(s.as_str()), Some(s));
        }
        for k in [ChallengeKind::Mfa, ChallengeKind::Oidc] {
            assert_eq!(ChallengeKind::parse(k.as_str()), Some(k));
        }
        for c in [PostChange::Edit, PostChange::Delete] {
            assert_eq!(PostChange::parse(c.as_str()), Some(c));
        }
        for c in [MembershipChange::Joined, MembershipChange::Left] {
            assert_eq!(MembershipChange::parse(c.as_str()), Some(c));
        }
        for s in [ImportSource::Slack, ImportSource::Mattermost] {
            assert_eq!(ImportSource::parse(s.as_str()), Some(s));
        }
        for k in [
            ImportedKind::User,
            ImportedKind::Team,
            ImportedKind::Channel,
            ImportedKind::DirectChannel,
            ImportedKind::Post,
        ] {
            assert_eq!(ImportedKind::parse(k.as_str()), Some(k));
        }
    }
}
