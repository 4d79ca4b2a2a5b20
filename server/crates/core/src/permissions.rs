//! The one place that decides who may do what. Every route asks [`allowed`]
//! with the facts it loaded; the table test below pins the whole matrix.

use hearth_api::{ChannelKind, MemberRole, Role};

use crate::{Error, Id, Result};

mod accounts;
mod visibility;

pub use accounts::{
    ACCOUNT_ACTIONS, AccountAction, OFFICER_ROLE_ON_HOST, Target, Verdict, account_action_name,
    account_verdict, require_account_action, require_keeps_own_admin_role, require_role_change,
    role_change_verdict,
};
pub use visibility::{
    may_message_directly, may_see_private_fields, may_see_user, sees_all_private_fields,
    sees_everyone,
};

/// Who is acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Id,
    pub role: Role,
}

impl Actor {
    /// Private to this module on purpose: callers ask for an [`Action`]
    /// instead, so every rule about roles lives here.
    pub(crate) fn is_admin(&self) -> bool {
        is_system_admin(self.role)
    }
}

/// Whether `role` runs the system: for policies that name administrators
/// (such as "MFA for admins") rather than an [`Action`].
pub fn is_system_admin(role: Role) -> bool {
    role == Role::SystemAdmin
}

/// Whether `role` is a guest's, for facts about the person acted on
/// (see [`Facts::target_guest`]).
pub fn is_guest(role: Role) -> bool {
    role == Role::Guest
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateTeam,
    ViewTeam,
    /// Rename, change openness, make invite links, set member roles, remove members.
    ManageTeam,
    /// Join an open team without an invitation.
    JoinOpenTeam,
    CreatePublicChannel,
    CreatePrivateChannel,
    ReadChannel,
    JoinChannel,
    Post,
    /// Purpose and header: any member may change them, as in Mattermost.
    EditChannelInfo,
    /// Rename, archive, unarchive, set channel admins.
    ManageChannel,
    AddChannelMembers,
    RemoveOtherChannelMember,
    /// Add someone else to a team. In an open team any plain member may add
    /// people, except guests: only system and team admins bring in a guest.
    AddTeamMember,
    /// Edit a post (own posts; admins may edit any).
    EditPost,
    DeletePost,
    ManageUsers,
    /// Retention policies, legal holds, starting exports and following jobs.
    ManageCompliance,
    /// Downloading exports and searching or exporting anyone's content.
    ReadComplianceContent,
    /// Read, verify and export the audit log.
    ReadAuditLog,
    /// The running configuration, server status and reloads.
    ManageServer,
    /// Prometheus metrics, for an account rather than the scraper's token.
    ReadMetrics,
    /// Index status and rebuilds.
    ManageSearchIndex,
    /// Move a channel with its posts and members to another team.
    MoveChannel,
    /// Delete (anonymise) an account through the admin route.
    DeleteAccount,
    /// See the invite link of a team one belongs to without managing it.
    ViewTeamInvite,
    /// List the public channels of a team, and find their posts in search.
    BrowsePublicChannels,
    /// A post's earlier versions (the author's own posts; admins any).
    ViewPostHistory,
}

/// What the route knows about the target. Unused fields stay `None`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    /// The actor's role in the relevant team, if a member.
    pub team_role: Option<MemberRole>,
    /// The target team is open to anyone.
    pub team_open: bool,
    pub channel_kind: Option<ChannelKind>,
    pub channel_archived: bool,
    /// The actor's role in the channel, if a member.
    pub channel_role: Option<MemberRole>,
    /// The author of the target post.
    pub post_author: Option<Id>,
    /// The person acted on is a guest (adding members).
    pub target_guest: bool,
}

/// Decides `action` for `actor` given `facts`.
pub fn allowed(actor: &Actor, action: Action, f: &Facts) -> bool {
    let admin = actor.is_admin();
    let guest = is_guest(actor.role);
    let team_admin = f.team_role == Some(MemberRole::Admin);
    let in_team = f.team_role.is_some();
    let in_channel = f.channel_role.is_some();
    let channel_admin = f.channel_role == Some(MemberRole::Admin);
    let kind = f.channel_kind;
    let public = kind == Some(ChannelKind::Public);
    let dm = kind.is_some_and(ChannelKind::is_dm);
    match action {
        Action::CreateTeam => !guest,
        Action::ViewTeam => admin || in_team,
        Action::ManageTeam => admin || team_admin,
        Action::JoinOpenTeam => !guest && (f.team_open || admin),
        Action::CreatePublicChannel | Action::CreatePrivateChannel => !guest && (in_team || admin),
        // Public channels are readable by their team's members (not guests);
        // private channels and DMs only by members, admins included.
        Action::ReadChannel => in_channel || (public && !guest && (in_team || admin)),
        Action::JoinChannel => public && !guest && (in_team || admin) && !f.channel_archived,
        Action::Post => in_channel && !f.channel_archived,
        Action::EditChannelInfo => {
            !f.channel_archived && (in_channel || (!dm && (admin || team_admin)))
        }
        Action::ManageChannel => !dm && (admin || team_admin || channel_admin),
        Action::AddChannelMembers => {
            !dm && !f.channel_archived && ((in_channel && !guest) || admin || team_admin)
        }
        Action::RemoveOtherChannelMember => !dm && (admin || team_admin || channel_admin),
        Action::AddTeamMember => {
            admin || team_admin || (f.team_open && in_team && !guest && !f.target_guest)
        }
        Action::EditPost => {
            !f.channel_archived
                && (f.post_author == Some(actor.user_id) || admin)
                && (in_channel || admin)
        }
        Action::DeletePost => {
            !f.channel_archived
                && (f.post_author == Some(actor.user_id) && in_channel
                    || admin
                    || (!dm && (team_admin || channel_admin)))
        }
        Action::ManageUsers => admin,
        Action::ManageCompliance => admin || actor.role == Role::ComplianceOfficer,
        // Separation of duties: administrators run the system, only
        // compliance officers see other people's content in bulk.
        Action::ReadComplianceContent => actor.role == Role::ComplianceOfficer,
        Action::ReadAuditLog => admin || actor.role == Role::ComplianceOfficer,
        Action::ManageServer
        | Action::ReadMetrics
        | Action::ManageSearchIndex
        | Action::MoveChannel
        | Action::DeleteAccount => admin,
        Action::ViewTeamInvite => in_team && !guest,
        Action::BrowsePublicChannels => !guest,
        Action::ViewPostHistory => admin || f.post_author == Some(actor.user_id),
    }
}

/// [`allowed`] as a `Result`. A channel the actor may not read is reported as
/// not found, so its existence does not leak.
pub fn require(actor: &Actor, action: Action, facts: &Facts) -> Result<()> {
    if allowed(actor, action, facts) {
        return Ok(());
    }
    if facts.channel_kind.is_some() && !allowed(actor, Action::ReadChannel, facts) {
        return Err(Error::NotFound("channel"));
    }
    if facts.channel_archived
        && matches!(action, Action::Post | Action::EditPost | Action::DeletePost)
    {
        return Err(Error::ChannelArchived);
    }
    Err(Error::forbidden(refusal(action)))
}

/// Why `action` was refused, in the words people see.
fn refusal(action: Action) -> String {
    let fixed = match action {
        Action::ReadAuditLog => {
            "only system administrators and compliance officers read the audit log"
        }
        Action::ManageServer => "only system administrators manage the server",
        Action::ReadMetrics => {
            "metrics are for system administrators and the configured metrics.bearer_token"
        }
        Action::ManageSearchIndex => "only system administrators manage the search index",
        Action::MoveChannel => "only system admins move channels between teams",
        Action::DeleteAccount => "only system admins delete accounts",
        Action::ViewPostHistory => "only the author may see a post's history",
        _ => return format!("your role does not allow this ({})", action_name(action)),
    };
    fixed.to_string()
}

/// Every action, in the order the matrix lists them.
pub const ACTIONS: [Action; 17] = [
    Action::CreateTeam,
    Action::ViewTeam,
    Action::ManageTeam,
    Action::JoinOpenTeam,
    Action::CreatePublicChannel,
    Action::CreatePrivateChannel,
    Action::ReadChannel,
    Action::JoinChannel,
    Action::Post,
    Action::EditChannelInfo,
    Action::ManageChannel,
    Action::AddChannelMembers,
    Action::RemoveOtherChannelMember,
    Action::AddTeamMember,
    Action::EditPost,
    Action::DeletePost,
    Action::ManageUsers,
];

/// The matrix of [`ACTIONS`] × system roles, evaluated by [`allowed`] in two
/// contexts: as a plain member of the team and of a public channel (acting
/// on one's own post), and as an outsider to both (on someone else's post).
/// Team and channel admin rights come on top and are not shown.
pub fn matrix() -> hearth_api::PermissionMatrix {
    let me = Id::from_u128(1);
    let someone_else = Id::from_u128(2);
    let contexts = [
        (
            "member",
            "plain member of the open team and of the public channel; the post is the actor's own",
            Facts {
                team_role: Some(MemberRole::Member),
                team_open: true,
                channel_kind: Some(ChannelKind::Public),
                channel_role: Some(MemberRole::Member),
                post_author: Some(me),
                ..Facts::default()
            },
        ),
        (
            "outsider",
            "neither in the open team nor in the public channel; the post is someone else's",
            Facts {
                team_open: true,
                channel_kind: Some(ChannelKind::Public),
                post_author: Some(someone_else),
                ..Facts::default()
            },
        ),
    ];
    let actor = |role: Role| Actor { user_id: me, role };
    let mut rows = Vec::new();
    for action in ACTIONS {
        for (name, _, facts) in &contexts {
            rows.push(hearth_api::PermissionRow {
                action: action_name(action).to_string(),
                context: (*name).to_string(),
                system_admin: allowed(&actor(Role::SystemAdmin), action, facts),
                user: allowed(&actor(Role::User), action, facts),
                guest: allowed(&actor(Role::Guest), action, facts),
            });
        }
    }
    hearth_api::PermissionMatrix {
        contexts: contexts
            .iter()
            .map(|(name, description, _)| hearth_api::PermissionContext {
                name: (*name).to_string(),
                description: (*description).to_string(),
            })
            .collect(),
        rows,
    }
}

/// The action as people read it in messages and the matrix.
pub fn action_name(a: Action) -> &'static str {
    match a {
        Action::CreateTeam => "create team",
        Action::ViewTeam => "view team",
        Action::ManageTeam => "manage team",
        Action::JoinOpenTeam => "join team",
        Action::CreatePublicChannel => "create public channel",
        Action::CreatePrivateChannel => "create private channel",
        Action::ReadChannel => "read channel",
        Action::JoinChannel => "join channel",
        Action::Post => "post",
        Action::EditChannelInfo => "edit channel info",
        Action::ManageChannel => "manage channel",
        Action::AddChannelMembers => "add channel members",
        Action::RemoveOtherChannelMember => "remove channel member",
        Action::AddTeamMember => "add team member",
        Action::EditPost => "edit post",
        Action::DeletePost => "delete post",
        Action::ManageUsers => "manage users",
        Action::ManageCompliance => "manage compliance",
        Action::ReadComplianceContent => "read compliance content",
        Action::ReadAuditLog => "read audit log",
        Action::ManageServer => "manage server",
        Action::ReadMetrics => "read metrics",
        Action::ManageSearchIndex => "manage search index",
        Action::MoveChannel => "move channel",
        Action::DeleteAccount => "delete account",
        Action::ViewTeamInvite => "view team invite",
        Action::BrowsePublicChannels => "browse public channels",
        Action::ViewPostHistory => "view post history",
    }
}

#[cfg(test)]
mod tests;
