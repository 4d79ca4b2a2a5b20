//! Separation of duties: who may act on whose account.
//!
//! The rule, in full:
//!
//! * **Tokens belong to their owner.** Nobody mints a personal access token
//!   for another account, not even a system admin: a token for someone else
//!   would let its minter read that person's direct messages unseen. Tokens
//!   for bot and service accounts arrive with those accounts.
//! * **Plain accounts** (users and guests): a system admin may deactivate,
//!   reactivate, reset the password or MFA, change the role, end sessions and
//!   manage tokens; a compliance officer may only anonymise (delete) them, as
//!   data-subject requests need.
//! * **Privileged accounts** (system admins and compliance officers) are
//!   never acted on by a compliance officer. A system admin may act on
//!   another system admin but never on a compliance officer: the people who
//!   run the system and the people who audit it cannot disable, impersonate
//!   or erase each other alone. Changes to an officer's account are made by
//!   the operator on the server's host, through the local administration
//!   socket, where they are audited as such.
//! * **The officer role itself** is granted and removed only by that operator
//!   ([`role_change_verdict`]). Otherwise a system admin could promote an
//!   account of their own (a puppet) to compliance officer and read
//!   everyone's content alone through compliance search and exports. The
//!   rule holds on every path that sets a role: the role route, accounts an
//!   admin creates (`hearthctl user create --role` sets the role afterwards),
//!   user import files (whose role column cannot name the officer role and
//!   whose rows may not change an officer's role) and directory sync (LDAP
//!   and OpenID Connect group mappings cannot name the officer role, and a
//!   mapping never changes an existing officer's role: the change is skipped
//!   and audited).
//! * **Oneself**: resetting one's own password or MFA as an admin would skip
//!   the current-password and code checks, and anonymising oneself would
//!   erase the one who acts, so those are refused; the ordinary self-service
//!   routes remain.

use hearth_api::Role;

use super::Actor;
use crate::{Error, Id, Result};

/// Something done to a person's account by someone who may not be its owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAction {
    Deactivate,
    Reactivate,
    /// Anonymise or delete the account (with or without its content).
    Anonymise,
    ResetPassword,
    ResetMfa,
    ChangeRole,
    /// Mint a personal access token.
    MintToken,
    /// List the account's tokens.
    ListTokens,
    /// Revoke its sessions or tokens.
    EndSessions,
}

/// Every account action, for tests and documentation.
pub const ACCOUNT_ACTIONS: [AccountAction; 9] = [
    AccountAction::Deactivate,
    AccountAction::Reactivate,
    AccountAction::Anonymise,
    AccountAction::ResetPassword,
    AccountAction::ResetMfa,
    AccountAction::ChangeRole,
    AccountAction::MintToken,
    AccountAction::ListTokens,
    AccountAction::EndSessions,
];

/// The account acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub user_id: Id,
    pub role: Role,
}

/// The verdict on an account action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// The actor's role does not manage accounts (a plain user, or an
    /// officer outside anonymisation).
    NotPermitted,
    /// Tokens are minted by their owner only.
    TokenForOther,
    /// A privileged account protected from this actor (separation of duties).
    SeparationOfDuties,
    /// The admin route would bypass the checks of the self-service one.
    NotOnSelf,
}

fn privileged(role: Role) -> bool {
    matches!(role, Role::SystemAdmin | Role::ComplianceOfficer)
}

/// Decides `action` by `actor` on `target`. `local_operator` is true for the
/// built-in administrator of the local administration socket (host access).
pub fn account_verdict(
    actor: &Actor,
    local_operator: bool,
    action: AccountAction,
    target: &Target,
) -> Verdict {
    use AccountAction as A;
    let own = actor.user_id == target.user_id;
    if own {
        return match action {
            A::ResetPassword | A::ResetMfa | A::Anonymise | A::ChangeRole => Verdict::NotOnSelf,
            A::Deactivate | A::MintToken | A::ListTokens | A::EndSessions => Verdict::Allowed,
            A::Reactivate => Verdict::NotPermitted,
        };
    }
    if action == A::MintToken {
        return Verdict::TokenForOther;
    }
    match actor.role {
        _ if local_operator => Verdict::Allowed,
        Role::SystemAdmin => {
            if target.role == Role::ComplianceOfficer {
                Verdict::SeparationOfDuties
            } else {
                Verdict::Allowed
            }
        }
        Role::ComplianceOfficer => {
            if privileged(target.role) {
                Verdict::SeparationOfDuties
            } else if action == A::Anonymise {
                Verdict::Allowed
            } else {
                Verdict::NotPermitted
            }
        }
        Role::User | Role::Guest => Verdict::NotPermitted,
    }
}

/// Decides whether an account's system role may go from `from` to `to`.
/// Granting or removing [`Role::ComplianceOfficer`] is for the local
/// operator only (`local_operator`); every other change is left to
/// [`account_verdict`] with [`AccountAction::ChangeRole`]. Directory sync,
/// which acts for nobody, asks with `local_operator == false`.
pub fn role_change_verdict(local_operator: bool, from: Role, to: Role) -> Verdict {
    let touches_officer =
        from != to && (from == Role::ComplianceOfficer || to == Role::ComplianceOfficer);
    if touches_officer && !local_operator {
        Verdict::SeparationOfDuties
    } else {
        Verdict::Allowed
    }
}

/// [`role_change_verdict`] as a `Result` with the matching error.
pub fn require_role_change(local_operator: bool, from: Role, to: Role) -> Result<()> {
    match role_change_verdict(local_operator, from, to) {
        Verdict::Allowed => Ok(()),
        _ => Err(Error::SeparationOfDuties(OFFICER_ROLE_ON_HOST.into())),
    }
}

/// An administrator may not take away their own system admin role, so an
/// admin cannot lock themself (and perhaps everyone) out of running the
/// server by mistake.
pub fn require_keeps_own_admin_role(actor: &Actor, target: Id, to: Role) -> Result<()> {
    if actor.user_id == target && to != Role::SystemAdmin {
        return Err(Error::invalid(
            "you cannot remove your own system admin role",
        ));
    }
    Ok(())
}

/// Why a change of the officer role was refused, for error messages and
/// import reports.
pub const OFFICER_ROLE_ON_HOST: &str = "the compliance officer role is granted and removed only by the operator on the server's host, through the local administration socket (hearthctl --local user role USER ROLE)";

/// [`account_verdict`] as a `Result` with the matching error.
pub fn require_account_action(
    actor: &Actor,
    local_operator: bool,
    action: AccountAction,
    target: &Target,
) -> Result<()> {
    match account_verdict(actor, local_operator, action, target) {
        Verdict::Allowed => Ok(()),
        Verdict::NotPermitted => Err(Error::forbidden(format!(
            "your role does not allow this ({})",
            account_action_name(action)
        ))),
        Verdict::TokenForOther => Err(Error::TokenForOtherAccount),
        Verdict::SeparationOfDuties => Err(Error::SeparationOfDuties(format!(
            "a {} account cannot be changed by a {} ({}); use the local administration socket on the server's host",
            target.role.as_str().replace('_', " "),
            actor.role.as_str().replace('_', " "),
            account_action_name(action)
        ))),
        Verdict::NotOnSelf => Err(Error::invalid(format!(
            "you cannot do this to your own account ({}); use your own settings instead",
            account_action_name(action)
        ))),
    }
}

/// The action as people read it in messages.
pub fn account_action_name(a: AccountAction) -> &'static str {
    match a {
        AccountAction::Deactivate => "deactivate",
        AccountAction::Reactivate => "reactivate",
        AccountAction::Anonymise => "anonymise or delete",
        AccountAction::ResetPassword => "reset password",
        AccountAction::ResetMfa => "reset MFA",
        AccountAction::ChangeRole => "change role",
        AccountAction::MintToken => "mint a personal access token",
        AccountAction::ListTokens => "list tokens",
        AccountAction::EndSessions => "end sessions",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ROLES: [Role; 4] = [
        Role::SystemAdmin,
        Role::ComplianceOfficer,
        Role::User,
        Role::Guest,
    ];

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: Id::from_u128(1),
            role,
        }
    }

    fn other(role: Role) -> Target {
        Target {
            user_id: Id::from_u128(2),
            role,
        }
    }

    #[test]
    fn nobody_mints_tokens_for_someone_else() {
        for a in ROLES {
            for t in ROLES {
                for local in [false, true] {
                    assert_eq!(
                        account_verdict(&actor(a), local, AccountAction::MintToken, &other(t)),
                        Verdict::TokenForOther
                    );
                }
            }
        }
    }

    #[test]
    fn admins_and_officers_cannot_act_on_each_other() {
        for action in ACCOUNT_ACTIONS {
            if action == AccountAction::MintToken {
                continue;
            }
            assert_eq!(
                account_verdict(
                    &actor(Role::SystemAdmin),
                    false,
                    action,
                    &other(Role::ComplianceOfficer)
                ),
                Verdict::SeparationOfDuties,
                "{action:?}"
            );
            for t in [Role::SystemAdmin, Role::ComplianceOfficer] {
                assert_eq!(
                    account_verdict(&actor(Role::ComplianceOfficer), false, action, &other(t)),
                    Verdict::SeparationOfDuties,
                    "{action:?} on {t:?}"
                );
            }
        }
    }

    #[test]
    fn officers_only_anonymise_plain_accounts_and_admins_manage_them() {
        for t in [Role::User, Role::Guest] {
            for action in ACCOUNT_ACTIONS {
                let officer =
                    account_verdict(&actor(Role::ComplianceOfficer), false, action, &other(t));
                let expect = if action == AccountAction::Anonymise {
                    Verdict::Allowed
                } else if action == AccountAction::MintToken {
                    Verdict::TokenForOther
                } else {
                    Verdict::NotPermitted
                };
                assert_eq!(officer, expect, "{action:?}");
                let admin = account_verdict(&actor(Role::SystemAdmin), false, action, &other(t));
                if action != AccountAction::MintToken {
                    assert_eq!(admin, Verdict::Allowed, "{action:?}");
                }
            }
        }
    }

    #[test]
    fn the_local_operator_may_act_on_officers() {
        let local = Actor {
            user_id: Id::nil(),
            role: Role::SystemAdmin,
        };
        assert_eq!(
            account_verdict(
                &local,
                true,
                AccountAction::ResetPassword,
                &other(Role::ComplianceOfficer)
            ),
            Verdict::Allowed
        );
    }

    #[test]
    fn admin_routes_do_not_bypass_self_service_checks() {
        let me = Target {
            user_id: Id::from_u128(1),
            role: Role::SystemAdmin,
        };
        for action in [
            AccountAction::ResetPassword,
            AccountAction::ResetMfa,
            AccountAction::Anonymise,
        ] {
            assert_eq!(
                account_verdict(&actor(Role::SystemAdmin), false, action, &me),
                Verdict::NotOnSelf
            );
        }
        assert_eq!(
            account_verdict(&actor(Role::User), false, AccountAction::MintToken, &me),
            Verdict::Allowed
        );
    }

    #[test]
    fn only_the_operator_grants_or_removes_the_officer_role() {
        use Role as R;
        // (from, to, allowed over the API, allowed for the local operator)
        let table = [
            (R::User, R::ComplianceOfficer, false, true),
            (R::Guest, R::ComplianceOfficer, false, true),
            (R::SystemAdmin, R::ComplianceOfficer, false, true),
            (R::ComplianceOfficer, R::User, false, true),
            (R::ComplianceOfficer, R::SystemAdmin, false, true),
            (R::ComplianceOfficer, R::Guest, false, true),
            (R::ComplianceOfficer, R::ComplianceOfficer, true, true),
            (R::User, R::SystemAdmin, true, true),
            (R::SystemAdmin, R::User, true, true),
            (R::User, R::Guest, true, true),
            (R::Guest, R::User, true, true),
        ];
        for (from, to, api, local) in table {
            let want = |ok: bool| {
                if ok {
                    Verdict::Allowed
                } else {
                    Verdict::SeparationOfDuties
                }
            };
            assert_eq!(
                role_change_verdict(false, from, to),
                want(api),
                "{from:?} -> {to:?}"
            );
            assert_eq!(
                role_change_verdict(true, from, to),
                want(local),
                "{from:?} -> {to:?} locally"
            );
        }
        let e = require_role_change(false, R::User, R::ComplianceOfficer).unwrap_err();
        assert!(matches!(e, Error::SeparationOfDuties(_)));
    }

    #[test]
    fn an_admin_keeps_their_own_admin_role() {
        let me = actor(Role::SystemAdmin);
        // (target, new role, allowed)
        let table = [
            (me.user_id, Role::SystemAdmin, true),
            (me.user_id, Role::User, false),
            (me.user_id, Role::Guest, false),
            (me.user_id, Role::ComplianceOfficer, false),
            (Id::from_u128(2), Role::User, true),
            (Id::from_u128(2), Role::Guest, true),
        ];
        for (target, to, ok) in table {
            assert_eq!(
                require_keeps_own_admin_role(&me, target, to).is_ok(),
                ok,
                "{target} -> {to:?}"
            );
        }
    }

    fn role() -> impl Strategy<Value = Role> {
        prop::sample::select(ROLES.to_vec())
    }

    fn action() -> impl Strategy<Value = AccountAction> {
        prop::sample::select(ACCOUNT_ACTIONS.to_vec())
    }

    proptest! {
        /// Whatever the roles, a plain user or guest never acts on another
        /// account, and nobody but the local operator changes an officer.
        #[test]
        fn only_the_operator_changes_officers(a in role(), act in action(), local in any::<bool>()) {
            let v = account_verdict(&actor(a), local, act, &other(Role::ComplianceOfficer));
            if v == Verdict::Allowed {
                prop_assert!(local);
            }
            if !local {
                prop_assert_eq!(role_change_verdict(false, a, Role::ComplianceOfficer) == Verdict::Allowed, a == Role::ComplianceOfficer);
                prop_assert_eq!(role_change_verdict(false, Role::ComplianceOfficer, a) == Verdict::Allowed, a == Role::ComplianceOfficer);
            }
            if matches!(a, Role::User | Role::Guest) && !local {
                prop_assert_ne!(account_verdict(&actor(a), false, act, &other(Role::User)), Verdict::Allowed);
            }
        }
    }
}
