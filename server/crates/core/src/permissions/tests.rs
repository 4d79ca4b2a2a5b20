//! The permission matrix, one row per decision.

use super::*;
use hearth_api::{ChannelKind as K, MemberRole as M, Role as R};
use uuid::Uuid;

const ME: Uuid = Uuid::from_u128(1);
const OTHER: Uuid = Uuid::from_u128(2);

struct Row {
    role: R,
    team: Option<M>,
    kind: Option<K>,
    member: Option<M>,
    archived: bool,
    author: Option<Uuid>,
    action: Action,
    expect: bool,
}

fn row(
    role: R,
    team: Option<M>,
    kind: Option<K>,
    member: Option<M>,
    action: Action,
    expect: bool,
) -> Row {
    Row {
        role,
        team,
        kind,
        member,
        archived: false,
        author: None,
        action,
        expect,
    }
}

#[test]
fn matrix() {
    use Action::*;
    let mut rows = vec![
        // Teams
        row(R::User, None, None, None, CreateTeam, true),
        row(R::Guest, None, None, None, CreateTeam, false),
        row(R::User, None, None, None, ViewTeam, false),
        row(R::User, Some(M::Member), None, None, ViewTeam, true),
        row(R::SystemAdmin, None, None, None, ViewTeam, true),
        row(R::User, Some(M::Member), None, None, ManageTeam, false),
        row(R::User, Some(M::Admin), None, None, ManageTeam, true),
        row(R::SystemAdmin, None, None, None, ManageTeam, true),
        // Compliance: administrators manage, only officers read content
        row(R::SystemAdmin, None, None, None, ManageCompliance, true),
        row(
            R::ComplianceOfficer,
            None,
            None,
            None,
            ManageCompliance,
            true,
        ),
        row(R::User, None, None, None, ManageCompliance, false),
        row(R::Guest, None, None, None, ManageCompliance, false),
        row(
            R::ComplianceOfficer,
            None,
            None,
            None,
            ReadComplianceContent,
            true,
        ),
        row(
            R::SystemAdmin,
            None,
            None,
            None,
            ReadComplianceContent,
            false,
        ),
        row(R::User, None, None, None, ReadComplianceContent, false),
        row(R::ComplianceOfficer, None, None, None, ManageUsers, false),
        // An officer reads a private channel only as a member, like anyone
        row(
            R::ComplianceOfficer,
            Some(M::Member),
            Some(K::Private),
            None,
            ReadChannel,
            false,
        ),
        // Channel creation
        row(
            R::User,
            Some(M::Member),
            None,
            None,
            CreatePublicChannel,
            true,
        ),
        row(R::User, None, None, None, CreatePublicChannel, false),
        row(
            R::Guest,
            Some(M::Member),
            None,
            None,
            CreatePrivateChannel,
            false,
        ),
        // Reading
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            None,
            ReadChannel,
            true,
        ),
        row(R::User, None, Some(K::Public), None, ReadChannel, false),
        row(
            R::Guest,
            Some(M::Member),
            Some(K::Public),
            None,
            ReadChannel,
            false,
        ),
        row(
            R::Guest,
            Some(M::Member),
            Some(K::Public),
            Some(M::Member),
            ReadChannel,
            true,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Private),
            None,
            ReadChannel,
            false,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Private),
            Some(M::Member),
            ReadChannel,
            true,
        ),
        row(
            R::SystemAdmin,
            None,
            Some(K::Private),
            None,
            ReadChannel,
            false,
        ),
        row(
            R::SystemAdmin,
            None,
            Some(K::Direct),
            None,
            ReadChannel,
            false,
        ),
        row(
            R::User,
            None,
            Some(K::Direct),
            Some(M::Member),
            ReadChannel,
            true,
        ),
        row(
            R::SystemAdmin,
            None,
            Some(K::Public),
            None,
            ReadChannel,
            true,
        ),
        // Joining
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            None,
            JoinChannel,
            true,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Private),
            None,
            JoinChannel,
            false,
        ),
        row(
            R::Guest,
            Some(M::Member),
            Some(K::Public),
            None,
            JoinChannel,
            false,
        ),
        row(R::User, None, Some(K::Public), None, JoinChannel, false),
        // Posting
        row(R::User, Some(M::Member), Some(K::Public), None, Post, false),
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            Some(M::Member),
            Post,
            true,
        ),
        row(
            R::Guest,
            None,
            Some(K::Private),
            Some(M::Member),
            Post,
            true,
        ),
        // Channel management
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            Some(M::Member),
            EditChannelInfo,
            true,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            None,
            EditChannelInfo,
            false,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            Some(M::Member),
            ManageChannel,
            false,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Public),
            Some(M::Admin),
            ManageChannel,
            true,
        ),
        row(
            R::User,
            Some(M::Admin),
            Some(K::Private),
            None,
            ManageChannel,
            true,
        ),
        row(
            R::SystemAdmin,
            None,
            Some(K::Direct),
            Some(M::Member),
            ManageChannel,
            false,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Private),
            Some(M::Member),
            AddChannelMembers,
            true,
        ),
        row(
            R::Guest,
            Some(M::Member),
            Some(K::Private),
            Some(M::Member),
            AddChannelMembers,
            false,
        ),
        row(
            R::User,
            None,
            Some(K::Direct),
            Some(M::Member),
            AddChannelMembers,
            false,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Private),
            Some(M::Member),
            RemoveOtherChannelMember,
            false,
        ),
        row(
            R::User,
            Some(M::Member),
            Some(K::Private),
            Some(M::Admin),
            RemoveOtherChannelMember,
            true,
        ),
        // Users
        row(R::User, None, None, None, ManageUsers, false),
        row(R::SystemAdmin, None, None, None, ManageUsers, true),
    ];
    let posts = [
        (R::User, Some(M::Member), Some(ME), false, EditPost, true),
        (
            R::User,
            Some(M::Member),
            Some(OTHER),
            false,
            EditPost,
            false,
        ),
        (R::User, Some(M::Admin), Some(OTHER), false, EditPost, false),
        (R::SystemAdmin, None, Some(OTHER), false, EditPost, true),
        (R::User, Some(M::Member), Some(ME), true, EditPost, false),
        (R::User, Some(M::Member), Some(ME), false, DeletePost, true),
        (
            R::User,
            Some(M::Member),
            Some(OTHER),
            false,
            DeletePost,
            false,
        ),
        (
            R::User,
            Some(M::Admin),
            Some(OTHER),
            false,
            DeletePost,
            true,
        ),
        (R::User, None, Some(ME), false, DeletePost, false),
        (R::User, Some(M::Member), Some(ME), true, DeletePost, false),
    ];
    for (role, member, author, archived, action, expect) in posts {
        rows.push(Row {
            role,
            team: Some(M::Member),
            kind: Some(K::Public),
            member,
            archived,
            author,
            action,
            expect,
        });
    }
    // Archived channels take no posts and no new members.
    let mut archived = row(
        R::User,
        Some(M::Member),
        Some(K::Public),
        Some(M::Member),
        Post,
        false,
    );
    archived.archived = true;
    rows.push(archived);
    let mut archived = row(
        R::User,
        Some(M::Member),
        Some(K::Public),
        None,
        JoinChannel,
        false,
    );
    archived.archived = true;
    rows.push(archived);

    for (i, r) in rows.iter().enumerate() {
        let actor = Actor {
            user_id: ME,
            role: r.role,
        };
        let facts = Facts {
            team_role: r.team,
            team_open: false,
            channel_kind: r.kind,
            channel_archived: r.archived,
            channel_role: r.member,
            post_author: r.author,
            target_guest: false,
        };
        assert_eq!(
            allowed(&actor, r.action, &facts),
            r.expect,
            "row {i}: {:?} {:?} team={:?} kind={:?} member={:?} archived={} author={:?}",
            r.role,
            r.action,
            r.team,
            r.kind,
            r.member,
            r.archived,
            r.author
        );
    }
}

#[test]
fn unreadable_channels_look_missing() {
    let actor = Actor {
        user_id: ME,
        role: R::User,
    };
    let facts = Facts {
        channel_kind: Some(K::Private),
        team_role: Some(M::Member),
        ..Facts::default()
    };
    assert!(matches!(
        require(&actor, Action::Post, &facts),
        Err(Error::NotFound("channel"))
    ));
    let facts = Facts {
        channel_kind: Some(K::Public),
        team_role: Some(M::Member),
        ..Facts::default()
    };
    assert!(matches!(
        require(&actor, Action::Post, &facts),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn open_teams_admit_users_not_guests() {
    let facts = Facts {
        team_open: true,
        ..Facts::default()
    };
    assert!(allowed(
        &Actor {
            user_id: ME,
            role: R::User
        },
        Action::JoinOpenTeam,
        &facts
    ));
    assert!(!allowed(
        &Actor {
            user_id: ME,
            role: R::Guest
        },
        Action::JoinOpenTeam,
        &facts
    ));
    assert!(!allowed(
        &Actor {
            user_id: ME,
            role: R::User
        },
        Action::JoinOpenTeam,
        &Facts::default()
    ));
}

#[test]
fn the_matrix_lists_every_action_in_both_contexts() {
    let m = super::matrix();
    assert_eq!(m.rows.len(), ACTIONS.len() * 2);
    let row = |action: &str, context: &str| {
        m.rows
            .iter()
            .find(|r| r.action == action && r.context == context)
            .unwrap()
            .clone()
    };
    let create = row("create team", "member");
    assert!(create.system_admin && create.user && !create.guest);
    let users = row("manage users", "outsider");
    assert!(users.system_admin && !users.user && !users.guest);
    let read = row("read channel", "outsider");
    assert!(read.system_admin && !read.user && !read.guest);
    let post = row("post", "member");
    assert!(post.system_admin && post.user && post.guest);
}

#[test]
fn only_admins_bring_guests_into_a_team() {
    let member = |role| Actor { user_id: ME, role };
    let facts = |team: Option<M>, open: bool, target_guest: bool| Facts {
        team_role: team,
        team_open: open,
        target_guest,
        ..Facts::default()
    };
    let add = Action::AddTeamMember;
    // A plain member of an open team adds users, never guests.
    assert!(allowed(
        &member(R::User),
        add,
        &facts(Some(M::Member), true, false)
    ));
    assert!(!allowed(
        &member(R::User),
        add,
        &facts(Some(M::Member), true, true)
    ));
    // Nor anyone to an invite-only team.
    assert!(!allowed(
        &member(R::User),
        add,
        &facts(Some(M::Member), false, false)
    ));
    // A guest in the team adds nobody.
    assert!(!allowed(
        &member(R::Guest),
        add,
        &facts(Some(M::Member), true, false)
    ));
    // Team and system admins may add guests.
    assert!(allowed(
        &member(R::User),
        add,
        &facts(Some(M::Admin), false, true)
    ));
    assert!(allowed(
        &member(R::SystemAdmin),
        add,
        &facts(None, false, true)
    ));
    // Outsiders add nobody.
    assert!(!allowed(&member(R::User), add, &facts(None, true, false)));
}

#[test]
fn server_wide_actions_by_role() {
    use Action::*;
    // (action, system admin, compliance officer, user, guest)
    let table = [
        (ReadAuditLog, true, true, false, false),
        (ManageServer, true, false, false, false),
        (ReadMetrics, true, false, false, false),
        (ManageSearchIndex, true, false, false, false),
        (MoveChannel, true, false, false, false),
        (DeleteAccount, true, false, false, false),
        (BrowsePublicChannels, true, true, true, false),
    ];
    for (action, admin, officer, user, guest) in table {
        for (role, expect) in [
            (R::SystemAdmin, admin),
            (R::ComplianceOfficer, officer),
            (R::User, user),
            (R::Guest, guest),
        ] {
            let actor = Actor { user_id: ME, role };
            assert_eq!(
                allowed(&actor, action, &Facts::default()),
                expect,
                "{action:?} as {role:?}"
            );
            assert_eq!(
                require(&actor, action, &Facts::default()).is_ok(),
                expect,
                "{action:?} as {role:?}"
            );
        }
    }
}

#[test]
fn plain_team_members_see_the_invite_link_and_guests_do_not() {
    let facts = |team: Option<M>| Facts {
        team_role: team,
        ..Facts::default()
    };
    // (role, team role, may see the link without managing the team)
    let table = [
        (R::User, Some(M::Member), true),
        (R::User, Some(M::Admin), true),
        (R::Guest, Some(M::Member), false),
        (R::User, None, false),
        (R::SystemAdmin, None, false),
    ];
    for (role, team, expect) in table {
        let actor = Actor { user_id: ME, role };
        assert_eq!(
            allowed(&actor, Action::ViewTeamInvite, &facts(team)),
            expect,
            "{role:?} {team:?}"
        );
    }
}

#[test]
fn post_history_is_for_the_author_and_system_admins() {
    let facts = |author| Facts {
        post_author: Some(author),
        ..Facts::default()
    };
    // (role, author, allowed)
    let table = [
        (R::User, ME, true),
        (R::Guest, ME, true),
        (R::User, OTHER, false),
        (R::ComplianceOfficer, OTHER, false),
        (R::SystemAdmin, OTHER, true),
    ];
    for (role, author, expect) in table {
        let actor = Actor { user_id: ME, role };
        assert_eq!(
            allowed(&actor, Action::ViewPostHistory, &facts(author)),
            expect,
            "{role:?}"
        );
    }
    let e = require(
        &Actor {
            user_id: ME,
            role: R::User,
        },
        Action::ViewPostHistory,
        &facts(OTHER),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "only the author may see a post's history");
}

#[test]
fn role_predicates_for_policies_and_facts() {
    // (role, is a system admin, is a guest)
    let table = [
        (R::SystemAdmin, true, false),
        (R::ComplianceOfficer, false, false),
        (R::User, false, false),
        (R::Guest, false, true),
    ];
    for (role, admin, guest) in table {
        assert_eq!(is_system_admin(role), admin, "{role:?}");
        assert_eq!(is_guest(role), guest, "{role:?}");
    }
}
