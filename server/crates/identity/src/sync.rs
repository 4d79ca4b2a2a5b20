//! Directory sync planning: a pure function from (directory snapshot, existing
//! accounts, group mappings) to the list of changes the server applies in one
//! transaction. Keeping it free of I/O makes every rule testable and lets the admin
//! console show a dry run.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::{AuthSource, ExistingAccount, Memberships, Names, SystemRole, TeamRole};
use crate::directory::{DirectorySnapshot, DirectoryUser};

/// What membership in one directory group grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupMapping {
    /// Group DN (contains `=`, compared case- and space-insensitively) or group name.
    pub group: String,
    #[serde(default)]
    pub teams: Vec<TeamGrant>,
    /// Channels to join (server identifiers, e.g. `team/channel`).
    #[serde(default)]
    pub channels: Vec<String>,
    /// System role; with several mapped groups the highest wins (admin > user > guest).
    /// There is deliberately no compliance officer here: only the operator
    /// on the server's host grants that role.
    #[serde(default)]
    pub system_role: Option<SystemRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamGrant {
    pub team: String,
    #[serde(default)]
    pub role: TeamRole,
}

/// An account to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub stable_id: String,
    pub login: String,
    pub email: Option<String>,
    pub names: Names,
    pub dn: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Login,
    Email,
    FirstName,
    LastName,
    DisplayName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: Field,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUpdate {
    pub user_id: Uuid,
    pub stable_id: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeactivationReason {
    RemovedFromDirectory,
    DisabledInDirectory,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deactivation {
    pub user_id: Uuid,
    pub stable_id: String,
    pub reason: DeactivationReason,
}

/// Which account a membership change is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountRef {
    Existing {
        user_id: Uuid,
    },
    /// An account in [`SyncPlan::create`], by stable id.
    New {
        stable_id: String,
    },
}

/// Join (`from: None`), leave (`to: None`) or role change in a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamChange {
    pub account: AccountRef,
    pub team: String,
    pub from: Option<TeamRole>,
    pub to: Option<TeamRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelChange {
    pub account: AccountRef,
    pub channel: String,
    /// `true` to join, `false` to leave.
    pub join: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChange {
    pub account: AccountRef,
    pub from: Option<SystemRole>,
    pub to: Option<SystemRole>,
}

/// Something sync could not do; the rest of the plan is still valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncIssue {
    /// `sync.duplicate_stable_id`, `sync.duplicate_login`, `sync.login_conflict`,
    /// `sync.unknown_group`, `sync.empty_snapshot`, or a directory read code.
    pub code: String,
    /// DN, login or group the issue is about.
    pub subject: String,
    pub detail: String,
}

/// All changes for one sync run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncPlan {
    pub create: Vec<NewAccount>,
    pub update: Vec<AccountUpdate>,
    pub deactivate: Vec<Deactivation>,
    /// Accounts to reactivate (back in the directory and not disabled), by user id.
    pub reactivate: Vec<Uuid>,
    pub teams: Vec<TeamChange>,
    pub channels: Vec<ChannelChange>,
    pub roles: Vec<RoleChange>,
    pub issues: Vec<SyncIssue>,
}

/// Counts for the admin console and the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncReport {
    pub users_seen: usize,
    pub groups_seen: usize,
    pub created: usize,
    pub updated: usize,
    pub deactivated: usize,
    pub reactivated: usize,
    pub memberships_added: usize,
    pub memberships_removed: usize,
    pub memberships_changed: usize,
    pub role_changes: usize,
    pub issues: usize,
}

impl SyncPlan {
    pub fn is_empty(&self) -> bool {
        self.create.is_empty()
            && self.update.is_empty()
            && self.deactivate.is_empty()
            && self.reactivate.is_empty()
            && self.teams.is_empty()
            && self.channels.is_empty()
            && self.roles.is_empty()
    }

    pub fn report(&self, snapshot: &DirectorySnapshot) -> SyncReport {
        let team_added = self.teams.iter().filter(|t| t.from.is_none()).count();
        let team_removed = self.teams.iter().filter(|t| t.to.is_none()).count();
        let team_changed = self.teams.len() - team_added - team_removed;
        let ch_added = self.channels.iter().filter(|c| c.join).count();
        SyncReport {
            users_seen: snapshot.users.len(),
            groups_seen: snapshot.groups.len(),
            created: self.create.len(),
            updated: self.update.len(),
            deactivated: self.deactivate.len(),
            reactivated: self.reactivate.len(),
            memberships_added: team_added + ch_added,
            memberships_removed: team_removed + (self.channels.len() - ch_added),
            memberships_changed: team_changed,
            role_changes: self.roles.len(),
            issues: self.issues.len(),
        }
    }
}

fn normalise_group_key(s: &str) -> String {
    if s.contains('=') {
        crate::ldap::normalise_dn(s)
    } else {
        s.trim().to_lowercase()
    }
}

/// Memberships the mappings grant to `user`.
pub fn desired_memberships(user: &DirectoryUser, mappings: &[GroupMapping]) -> Memberships {
    let mut keys: HashSet<String> = HashSet::new();
    for g in &user.groups {
        keys.insert(crate::ldap::normalise_dn(&g.dn));
        keys.insert(g.name.trim().to_lowercase());
    }
    let mut m = Memberships::default();
    for mapping in mappings {
        if !keys.contains(&normalise_group_key(&mapping.group)) {
            continue;
        }
        for t in &mapping.teams {
            let role = m.teams.entry(t.team.clone()).or_insert(t.role);
            *role = (*role).max(t.role);
        }
        m.channels.extend(mapping.channels.iter().cloned());
        if let Some(r) = mapping.system_role {
            m.system_role = Some(m.system_role.map_or(r, |cur| cur.max(r)));
        }
    }
    m
}

fn diff_memberships(
    plan: &mut SyncPlan,
    account: &AccountRef,
    old: &Memberships,
    new: &Memberships,
) {
    let teams: BTreeSet<&String> = old.teams.keys().chain(new.teams.keys()).collect();
    for team in teams {
        let (from, to) = (old.teams.get(team).copied(), new.teams.get(team).copied());
        if from != to {
            plan.teams.push(TeamChange {
                account: account.clone(),
                team: team.clone(),
                from,
                to,
            });
        }
    }
    for c in new.channels.difference(&old.channels) {
        plan.channels.push(ChannelChange {
            account: account.clone(),
            channel: c.clone(),
            join: true,
        });
    }
    for c in old.channels.difference(&new.channels) {
        plan.channels.push(ChannelChange {
            account: account.clone(),
            channel: c.clone(),
            join: false,
        });
    }
    if old.system_role != new.system_role {
        plan.roles.push(RoleChange {
            account: account.clone(),
            from: old.system_role,
            to: new.system_role,
        });
    }
}

fn field_changes(account: &ExistingAccount, user: &DirectoryUser) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    if account.login != user.login {
        changes.push(FieldChange {
            field: Field::Login,
            old: Some(account.login.clone()),
            new: Some(user.login.clone()),
        });
    }
    // Values the directory does not have are left alone rather than erased.
    let pairs = [
        (Field::Email, &account.email, &user.email),
        (
            Field::FirstName,
            &account.names.first_name,
            &user.first_name,
        ),
        (Field::LastName, &account.names.last_name, &user.last_name),
        (
            Field::DisplayName,
            &account.names.display_name,
            &user.display_name,
        ),
    ];
    for (field, old, new) in pairs {
        if new.is_some() && old != new {
            changes.push(FieldChange {
                field,
                old: old.clone(),
                new: new.clone(),
            });
        }
    }
    changes
}

/// Plans a sync run. See the module docs; rules in brief:
///
/// - accounts are matched by stable id, never by login or email;
/// - a directory user without a linked account is created unless it is disabled or its
///   login is taken by another account (reported as `sync.login_conflict`);
/// - linked accounts get field updates, deactivation when disabled or gone from the
///   directory, reactivation when back;
/// - memberships are diffed against what sync granted before ([`ExistingAccount::synced`]);
/// - an empty snapshot never deactivates anyone (`sync.empty_snapshot`), since that
///   almost always means a wrong base DN or filter rather than an empty company.
pub fn plan_sync(
    snapshot: &DirectorySnapshot,
    existing: &[ExistingAccount],
    mappings: &[GroupMapping],
) -> SyncPlan {
    let mut plan = SyncPlan::default();
    for issue in &snapshot.issues {
        plan.issues.push(SyncIssue {
            code: issue.code.clone(),
            subject: issue.dn.clone(),
            detail: issue.detail.clone(),
        });
    }

    // Reject ambiguous directory data before matching anything.
    let mut id_count: HashMap<&str, usize> = HashMap::new();
    let mut login_count: HashMap<String, usize> = HashMap::new();
    for u in &snapshot.users {
        *id_count.entry(u.stable_id.as_str()).or_default() += 1;
        *login_count.entry(u.login.to_lowercase()).or_default() += 1;
    }
    let mut usable: Vec<&DirectoryUser> = Vec::new();
    for u in &snapshot.users {
        if id_count[u.stable_id.as_str()] > 1 {
            plan.issues.push(SyncIssue {
                code: "sync.duplicate_stable_id".into(),
                subject: u.dn.clone(),
                detail: format!(
                    "stable id `{}` is shared by several entries; entry skipped",
                    u.stable_id
                ),
            });
        } else if login_count[&u.login.to_lowercase()] > 1 {
            plan.issues.push(SyncIssue {
                code: "sync.duplicate_login".into(),
                subject: u.dn.clone(),
                detail: format!(
                    "login `{}` is used by several entries; entry skipped",
                    u.login
                ),
            });
        } else {
            usable.push(u);
        }
    }

    let linked: HashMap<&str, &ExistingAccount> = existing
        .iter()
        .filter(|a| a.auth_source == AuthSource::Ldap)
        .filter_map(|a| a.stable_id.as_deref().map(|id| (id, a)))
        .collect();
    let by_login: HashMap<String, &ExistingAccount> = existing
        .iter()
        .map(|a| (a.login.to_lowercase(), a))
        .collect();

    let mut seen: HashSet<&str> = HashSet::new();
    for user in usable {
        seen.insert(user.stable_id.as_str());
        let desired = desired_memberships(user, mappings);
        match linked.get(user.stable_id.as_str()) {
            Some(account) => {
                let mut changes = field_changes(account, user);
                if let Some(pos) = changes.iter().position(|c| c.field == Field::Login)
                    && let Some(other) = by_login
                        .get(&user.login.to_lowercase())
                        .filter(|o| o.user_id != account.user_id)
                {
                    changes.remove(pos);
                    plan.issues.push(SyncIssue {
                        code: "sync.login_conflict".into(),
                        subject: user.dn.clone(),
                        detail: format!(
                            "cannot rename `{}` to `{}`: account {} already uses that login",
                            account.login, user.login, other.user_id
                        ),
                    });
                }
                if !changes.is_empty() {
                    plan.update.push(AccountUpdate {
                        user_id: account.user_id,
                        stable_id: user.stable_id.clone(),
                        changes,
                    });
                }
                if user.disabled {
                    if account.active {
                        plan.deactivate.push(Deactivation {
                            user_id: account.user_id,
                            stable_id: user.stable_id.clone(),
                            reason: DeactivationReason::DisabledInDirectory,
                        });
                    }
                    continue;
                }
                if !account.active {
                    plan.reactivate.push(account.user_id);
                }
                let r = AccountRef::Existing {
                    user_id: account.user_id,
                };
                diff_memberships(&mut plan, &r, &account.synced, &desired);
            }
            None if user.disabled => {}
            None => {
                if let Some(other) = by_login.get(&user.login.to_lowercase()) {
                    plan.issues.push(SyncIssue {
                        code: "sync.login_conflict".into(),
                        subject: user.dn.clone(),
                        detail: format!(
                            "login `{}` already belongs to account {} ({}); link or rename it first",
                            user.login,
                            other.user_id,
                            source_name(&other.auth_source)
                        ),
                    });
                    continue;
                }
                plan.create.push(NewAccount {
                    stable_id: user.stable_id.clone(),
                    login: user.login.clone(),
                    email: user.email.clone(),
                    names: Names {
                        first_name: user.first_name.clone(),
                        last_name: user.last_name.clone(),
                        display_name: user.display_name.clone(),
                    },
                    dn: user.dn.clone(),
                });
                let r = AccountRef::New {
                    stable_id: user.stable_id.clone(),
                };
                diff_memberships(&mut plan, &r, &Memberships::default(), &desired);
            }
        }
    }

    let gone: Vec<&ExistingAccount> = existing
        .iter()
        .filter(|a| a.auth_source == AuthSource::Ldap && a.active)
        .filter(|a| {
            a.stable_id
                .as_deref()
                .is_some_and(|id| !seen.contains(id) && !id_count.contains_key(id))
        })
        .collect();
    if snapshot.users.is_empty() && !gone.is_empty() {
        plan.issues.push(SyncIssue {
            code: "sync.empty_snapshot".into(),
            subject: String::new(),
            detail: format!(
                "the directory returned no users; {} accounts were left active (check base DN and user filter)",
                gone.len()
            ),
        });
    } else {
        for a in gone {
            plan.deactivate.push(Deactivation {
                user_id: a.user_id,
                stable_id: a.stable_id.clone().unwrap_or_default(),
                reason: DeactivationReason::RemovedFromDirectory,
            });
        }
    }

    if !snapshot.groups.is_empty() {
        let known: BTreeSet<String> = snapshot
            .groups
            .iter()
            .flat_map(|g| {
                [
                    crate::ldap::normalise_dn(&g.dn),
                    g.name.trim().to_lowercase(),
                ]
            })
            .collect();
        let mut reported: BTreeMap<String, ()> = BTreeMap::new();
        for m in mappings {
            let key = normalise_group_key(&m.group);
            if !known.contains(&key) && reported.insert(key, ()).is_none() {
                plan.issues.push(SyncIssue {
                    code: "sync.unknown_group".into(),
                    subject: m.group.clone(),
                    detail: "no directory group matches this mapping".into(),
                });
            }
        }
    }
    plan
}

fn source_name(s: &AuthSource) -> String {
    match s {
        AuthSource::Local => "local account".into(),
        AuthSource::Ldap => "directory account".into(),
        AuthSource::Oidc { provider_id } => format!("OpenID account via {provider_id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{DirectoryGroup, GroupRef};

    fn user(id: &str, login: &str, groups: &[&str]) -> DirectoryUser {
        DirectoryUser {
            stable_id: id.into(),
            login: login.into(),
            email: Some(format!("{login}@example.com")),
            first_name: Some(login.to_uppercase()),
            last_name: Some("Test".into()),
            display_name: Some(format!("{login} Test")),
            dn: format!("uid={login},ou=people,dc=x"),
            groups: groups
                .iter()
                .map(|g| GroupRef {
                    dn: format!("cn={g},ou=groups,dc=x"),
                    name: g.to_string(),
                })
                .collect(),
            disabled: false,
        }
    }

    fn account(u: &DirectoryUser, n: u128) -> ExistingAccount {
        ExistingAccount {
            user_id: Uuid::from_u128(n),
            stable_id: Some(u.stable_id.clone()),
            login: u.login.clone(),
            email: u.email.clone(),
            email_verified: true,
            names: Names {
                first_name: u.first_name.clone(),
                last_name: u.last_name.clone(),
                display_name: u.display_name.clone(),
            },
            active: true,
            auth_source: AuthSource::Ldap,
            synced: Memberships::default(),
        }
    }

    fn snapshot(users: Vec<DirectoryUser>) -> DirectorySnapshot {
        let mut names: BTreeSet<String> = BTreeSet::new();
        for u in &users {
            names.extend(u.groups.iter().map(|g| g.name.clone()));
        }
        DirectorySnapshot {
            groups: names
                .into_iter()
                .map(|n| DirectoryGroup {
                    dn: format!("cn={n},ou=groups,dc=x"),
                    name: n,
                    member_count: 1,
                })
                .collect(),
            users,
            issues: vec![],
        }
    }

    fn mappings() -> Vec<GroupMapping> {
        vec![
            GroupMapping {
                group: "developers".into(),
                teams: vec![TeamGrant {
                    team: "eng".into(),
                    role: TeamRole::Member,
                }],
                channels: vec!["eng/dev".into()],
                system_role: Some(SystemRole::User),
            },
            GroupMapping {
                group: "CN=Admins, OU=Groups, DC=x".into(),
                teams: vec![TeamGrant {
                    team: "eng".into(),
                    role: TeamRole::Admin,
                }],
                channels: vec![],
                system_role: Some(SystemRole::Admin),
            },
            GroupMapping {
                group: "contractors".into(),
                teams: vec![TeamGrant {
                    team: "ext".into(),
                    role: TeamRole::Member,
                }],
                channels: vec!["ext/general".into()],
                system_role: Some(SystemRole::Guest),
            },
        ]
    }

    #[test]
    fn first_sync_creates_accounts_with_memberships() {
        let snap = snapshot(vec![
            user("1", "alice", &["developers", "admins"]),
            user("2", "bob", &["developers"]),
        ]);
        let plan = plan_sync(&snap, &[], &mappings());
        assert_eq!(plan.create.len(), 2);
        assert_eq!(plan.create[0].login, "alice");
        assert_eq!(
            plan.create[0].names.display_name.as_deref(),
            Some("alice Test")
        );
        let alice = AccountRef::New {
            stable_id: "1".into(),
        };
        let alice_team = plan.teams.iter().find(|t| t.account == alice).unwrap();
        // Highest team role wins; DN mapping matched despite case and spaces.
        assert_eq!(
            (alice_team.team.as_str(), alice_team.to),
            ("eng", Some(TeamRole::Admin))
        );
        let alice_role = plan.roles.iter().find(|r| r.account == alice).unwrap();
        assert_eq!(alice_role.to, Some(SystemRole::Admin));
        assert_eq!(plan.channels.iter().filter(|c| c.join).count(), 2);
        assert!(plan.deactivate.is_empty());
        // "contractors" is mapped but absent from the directory.
        assert_eq!(plan.issues.len(), 1);
        assert_eq!(plan.issues[0].code, "sync.unknown_group");
        let r = plan.report(&snap);
        assert_eq!(
            (r.created, r.memberships_added, r.role_changes, r.issues),
            (2, 4, 2, 1)
        );
    }

    #[test]
    fn unchanged_directory_gives_an_empty_plan() {
        let u = user("1", "alice", &["developers"]);
        let mut a = account(&u, 1);
        a.synced = desired_memberships(&u, &mappings());
        let plan = plan_sync(&snapshot(vec![u]), &[a], &mappings());
        assert!(plan.is_empty(), "{plan:#?}");
    }

    #[test]
    fn updates_list_exactly_what_changed() {
        let mut u = user("1", "alice", &[]);
        let a = account(&u, 1);
        u.login = "alice.a".into();
        u.email = Some("alice.a@example.com".into());
        u.first_name = None; // absent in the directory: left alone
        let plan = plan_sync(&snapshot(vec![u]), &[a], &[]);
        assert_eq!(plan.update.len(), 1);
        let fields: Vec<Field> = plan.update[0].changes.iter().map(|c| c.field).collect();
        assert_eq!(fields, vec![Field::Login, Field::Email]);
        assert_eq!(
            plan.update[0].changes[1].old.as_deref(),
            Some("alice@example.com")
        );
        assert_eq!(
            plan.update[0].changes[1].new.as_deref(),
            Some("alice.a@example.com")
        );
    }

    #[test]
    fn removed_and_disabled_users_are_deactivated_and_returning_ones_reactivated() {
        let alice = user("1", "alice", &[]);
        let bob = user("2", "bob", &[]);
        let mut carol = user("3", "carol", &[]);
        let mut dave = user("4", "dave", &[]);
        let accounts = vec![account(&alice, 1), account(&bob, 2), account(&carol, 3), {
            let mut d = account(&dave, 4);
            d.active = false;
            d
        }];
        carol.disabled = true;
        dave.disabled = false;
        let plan = plan_sync(&snapshot(vec![alice, carol, dave]), &accounts, &[]);
        assert_eq!(
            plan.deactivate,
            vec![
                Deactivation {
                    user_id: Uuid::from_u128(3),
                    stable_id: "3".into(),
                    reason: DeactivationReason::DisabledInDirectory
                },
                Deactivation {
                    user_id: Uuid::from_u128(2),
                    stable_id: "2".into(),
                    reason: DeactivationReason::RemovedFromDirectory
                },
            ]
        );
        assert_eq!(plan.reactivate, vec![Uuid::from_u128(4)]);
    }

    #[test]
    fn disabled_new_users_are_not_created_and_inactive_disabled_are_left_alone() {
        let mut u = user("1", "alice", &[]);
        u.disabled = true;
        let plan = plan_sync(&snapshot(vec![u.clone()]), &[], &[]);
        assert!(plan.is_empty());
        let mut a = account(&u, 1);
        a.active = false;
        let plan = plan_sync(&snapshot(vec![u]), &[a], &[]);
        assert!(plan.is_empty());
    }

    #[test]
    fn memberships_follow_group_changes_but_keep_manual_ones() {
        let u = user("1", "alice", &["contractors"]);
        let mut a = account(&u, 1);
        // Previously a developer (synced), plus a team an admin added by hand (not in `synced`).
        a.synced = desired_memberships(&user("1", "alice", &["developers"]), &mappings());
        let plan = plan_sync(&snapshot(vec![u]), &[a], &mappings());
        let teams: Vec<(&str, Option<TeamRole>, Option<TeamRole>)> = plan
            .teams
            .iter()
            .map(|t| (t.team.as_str(), t.from, t.to))
            .collect();
        assert_eq!(
            teams,
            vec![
                ("eng", Some(TeamRole::Member), None),
                ("ext", None, Some(TeamRole::Member))
            ]
        );
        let chans: Vec<(&str, bool)> = plan
            .channels
            .iter()
            .map(|c| (c.channel.as_str(), c.join))
            .collect();
        assert_eq!(chans, vec![("ext/general", true), ("eng/dev", false)]);
        assert_eq!(plan.roles[0].from, Some(SystemRole::User));
        assert_eq!(plan.roles[0].to, Some(SystemRole::Guest));
        let r = plan.report(&snapshot(vec![]));
        assert_eq!((r.memberships_added, r.memberships_removed), (2, 2));
    }

    #[test]
    fn team_role_upgrade_is_a_change_not_a_leave() {
        let u = user("1", "alice", &["developers", "admins"]);
        let mut a = account(&u, 1);
        a.synced = desired_memberships(&user("1", "alice", &["developers"]), &mappings());
        let plan = plan_sync(&snapshot(vec![u.clone()]), &[a], &mappings());
        assert_eq!(plan.teams.len(), 1);
        assert_eq!(
            (plan.teams[0].from, plan.teams[0].to),
            (Some(TeamRole::Member), Some(TeamRole::Admin))
        );
        assert_eq!(plan.report(&snapshot(vec![u])).memberships_changed, 1);
    }

    #[test]
    fn login_conflicts_and_duplicates_are_reported_not_applied() {
        let local = ExistingAccount {
            user_id: Uuid::from_u128(9),
            stable_id: None,
            login: "Alice".into(),
            email: None,
            email_verified: false,
            names: Names::default(),
            active: true,
            auth_source: AuthSource::Local,
            synced: Memberships::default(),
        };
        let plan = plan_sync(
            &snapshot(vec![user("1", "alice", &[])]),
            std::slice::from_ref(&local),
            &[],
        );
        assert!(plan.create.is_empty());
        assert_eq!(plan.issues[0].code, "sync.login_conflict");

        // Rename onto a login someone else has.
        let mut bob = user("2", "bob", &[]);
        let bob_acc = account(&bob, 2);
        bob.login = "alice".into();
        let plan = plan_sync(&snapshot(vec![bob]), &[local, bob_acc], &[]);
        assert!(plan.update.is_empty());
        assert_eq!(plan.issues[0].code, "sync.login_conflict");

        let plan = plan_sync(
            &snapshot(vec![
                user("1", "a", &[]),
                user("1", "b", &[]),
                user("3", "c", &[]),
                user("4", "C", &[]),
            ]),
            &[],
            &[],
        );
        assert!(plan.create.is_empty());
        let codes: Vec<&str> = plan.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "sync.duplicate_stable_id",
                "sync.duplicate_stable_id",
                "sync.duplicate_login",
                "sync.duplicate_login"
            ]
        );
    }

    #[test]
    fn duplicated_stable_id_does_not_deactivate_its_account() {
        let a = user("1", "a", &[]);
        let acc = account(&a, 1);
        let plan = plan_sync(&snapshot(vec![a, user("1", "b", &[])]), &[acc], &[]);
        assert!(plan.deactivate.is_empty());
    }

    #[test]
    fn empty_snapshot_never_deactivates() {
        let acc = account(&user("1", "a", &[]), 1);
        let plan = plan_sync(&DirectorySnapshot::default(), &[acc], &[]);
        assert!(plan.deactivate.is_empty());
        assert_eq!(plan.issues[0].code, "sync.empty_snapshot");
    }

    #[test]
    fn other_sources_are_never_touched() {
        let u = user("x", "zed", &[]);
        let mut oidc = account(&u, 5);
        oidc.auth_source = AuthSource::Oidc {
            provider_id: "corp".into(),
        };
        oidc.login = "zed-oidc".into();
        let plan = plan_sync(&snapshot(vec![user("1", "alice", &[])]), &[oidc], &[]);
        assert!(plan.deactivate.is_empty());
        assert_eq!(plan.create.len(), 1);
    }

    #[test]
    fn snapshot_issues_are_carried_over() {
        let mut snap = snapshot(vec![]);
        snap.issues.push(crate::directory::SnapshotIssue {
            dn: "uid=x".into(),
            code: "ldap.attribute_missing".into(),
            detail: "attribute `entryUUID` is missing on `uid=x`".into(),
        });
        let plan = plan_sync(&snap, &[], &[]);
        assert_eq!(plan.issues[0].code, "ldap.attribute_missing");
    }

    #[test]
    fn mapping_config_is_strict() {
        let m: GroupMapping = serde_json::from_value(serde_json::json!({
            "group": "cn=admins,ou=groups,dc=x",
            "teams": [{"team": "eng", "role": "admin"}, {"team": "all"}],
            "system_role": "admin"
        }))
        .unwrap();
        assert_eq!(m.teams[1].role, TeamRole::Member);
        assert!(
            serde_json::from_value::<GroupMapping>(
                serde_json::json!({"group": "x", "role": "admin"})
            )
            .is_err()
        );
    }
}
