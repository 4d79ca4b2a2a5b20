//! The guest visibility rule: a guest knows only the people they share a
//! channel with (direct and group messages included), and themself.
//!
//! It applies everywhere a person can be seen: the directory and user
//! search, profiles and avatars, `user_updated` events, statuses and
//! presence subscriptions, and the people a guest may open a direct or group
//! message with. Everyone else sees the whole directory.

use hearth_api::Role;

use super::Actor;
use crate::Id;

/// Whether `viewer` may see the account `target`; `shares_channel` says
/// whether the two are members of at least one common channel. Only asked
/// for guests: callers may skip the lookup when [`sees_everyone`] holds.
pub fn may_see_user(viewer: &Actor, target: Id, shares_channel: bool) -> bool {
    sees_everyone(viewer) || viewer.user_id == target || shares_channel
}

/// True for every role but guest: no lookup is needed.
pub fn sees_everyone(viewer: &Actor) -> bool {
    viewer.role != Role::Guest
}

/// Whether `viewer` sees the private fields (e-mail, auth source and the
/// like) of the account `target`: their own, or anyone's as a system admin.
pub fn may_see_private_fields(viewer: &Actor, target: Id) -> bool {
    viewer.user_id == target || sees_all_private_fields(viewer)
}

/// True for system admins, who see every account's private fields and may
/// search the directory by e-mail.
pub fn sees_all_private_fields(viewer: &Actor) -> bool {
    viewer.is_admin()
}

/// Whether `actor` may open a direct or group message with people of whom
/// `visible` of `total` are visible to them: all of them must be.
pub fn may_message_directly(actor: &Actor, visible: usize, total: usize) -> bool {
    sees_everyone(actor) || visible == total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: Id::from_u128(1),
            role,
        }
    }

    #[test]
    fn guests_see_only_people_they_share_a_channel_with() {
        let guest = actor(Role::Guest);
        assert!(!may_see_user(&guest, Id::from_u128(2), false));
        assert!(may_see_user(&guest, Id::from_u128(2), true));
        assert!(may_see_user(&guest, Id::from_u128(1), false));
        assert!(!may_message_directly(&guest, 1, 2));
        assert!(may_message_directly(&guest, 2, 2));
    }

    #[test]
    fn private_fields_are_for_their_owner_and_system_admins() {
        let other = Id::from_u128(2);
        // (role, sees another account's private fields)
        let table = [
            (Role::SystemAdmin, true),
            (Role::ComplianceOfficer, false),
            (Role::User, false),
            (Role::Guest, false),
        ];
        for (role, expect) in table {
            let a = actor(role);
            assert_eq!(may_see_private_fields(&a, other), expect, "{role:?}");
            assert_eq!(sees_all_private_fields(&a), expect, "{role:?}");
            assert!(may_see_private_fields(&a, a.user_id), "{role:?} on self");
        }
    }

    proptest! {
        #[test]
        fn other_roles_see_everyone(role in prop::sample::select(vec![Role::User, Role::SystemAdmin, Role::ComplianceOfficer]), t in any::<u128>(), shares in any::<bool>(), n in 0usize..8) {
            let a = actor(role);
            prop_assert!(may_see_user(&a, Id::from_u128(t), shares));
            prop_assert!(may_message_directly(&a, 0, n));
        }

        #[test]
        fn a_guest_sees_someone_else_only_through_a_channel(t in 2u128.., shares in any::<bool>()) {
            prop_assert_eq!(may_see_user(&actor(Role::Guest), Id::from_u128(t), shares), shares);
        }
    }
}
