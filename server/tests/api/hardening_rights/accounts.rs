//! Separation of duties: tokens belong to their owner, and system admins
//! and compliance officers cannot act on each other's accounts.

use hearth_api::{ErrorCode, Role};
use hearth_client::ClientError;

use crate::both_backends;
use crate::compliance::officer;
use crate::harness::TestServer;

both_backends!(admins_and_officers_cannot_act_on_each_other);

fn code<T: std::fmt::Debug>(r: Result<T, ClientError>) -> Option<ErrorCode> {
    r.unwrap_err().code()
}

async fn admins_and_officers_cannot_act_on_each_other(s: TestServer) {
    let (admin, admin_user) = s.admin().await;
    let (bob, bob_user) = s.user("bob").await;
    let (_, ada) = s.user("ada").await;
    admin.set_role(ada.id, Role::SystemAdmin).await.unwrap();
    let (olga, olga_user) = officer(&s, &admin, "olga").await;

    // Nobody mints a token for someone else: not for a user (their DMs),
    // not for an officer (their access to everyone's content).
    for target in [bob_user.id, olga_user.id, ada.id] {
        let e = admin.create_token_for(target, "peek", None).await;
        assert_eq!(code(e), Some(ErrorCode::TokenForOtherAccount));
    }
    assert!(admin.tokens_of(bob_user.id).await.unwrap().is_empty());
    // Owners still mint their own, and an admin may list and revoke them.
    let own = bob.create_token("laptop", None).await.unwrap();
    assert_eq!(admin.tokens_of(bob_user.id).await.unwrap().len(), 1);
    admin
        .revoke_token_of(bob_user.id, own.info.id)
        .await
        .unwrap();

    // An admin cannot change an officer's account in any way.
    let sod = Some(ErrorCode::SeparationOfDuties);
    assert_eq!(
        code(admin.reset_password(olga_user.id, "taken-over-1").await),
        sod
    );
    assert_eq!(code(admin.set_active(olga_user.id, false).await), sod);
    assert_eq!(code(admin.set_role(olga_user.id, Role::User).await), sod);
    assert_eq!(code(admin.revoke_all_sessions(olga_user.id).await), sod);
    assert_eq!(code(admin.admin_reset_mfa(olga_user.id).await), sod);
    assert_eq!(code(admin.delete_user(olga_user.id, false).await), sod);
    assert_eq!(code(admin.tokens_of(olga_user.id).await), sod);
    // The officer is untouched and still signed in.
    assert_eq!(olga.me().await.unwrap().role, Role::ComplianceOfficer);
    s.login("olga", "olga-password").await;

    // An officer cannot anonymise system admins.
    assert_eq!(code(olga.anonymise_user(admin_user.id, false).await), sod);
    assert_eq!(code(olga.anonymise_user(ada.id, true).await), sod);
    assert_eq!(admin.me().await.unwrap().username, "admin");

    // The admin route does not skip the self-service checks.
    let e = admin.reset_password(admin_user.id, "new-password-1").await;
    assert_eq!(code(e), Some(ErrorCode::InvalidInput));

    // Plain accounts are still managed: admins reset, officers anonymise.
    admin
        .reset_password(bob_user.id, "bob-new-password")
        .await
        .unwrap();
    let (_, carol) = s.user("carol").await;
    let out = olga.anonymise_user(carol.id, false).await.unwrap();
    assert_eq!(out.user_id, carol.id);
    // Admins still act on each other.
    admin.set_active(ada.id, false).await.unwrap();
}
