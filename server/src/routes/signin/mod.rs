//! Enterprise sign-in: the MFA login step, MFA settings, single sign-on and
//! LDAP administration. `POST /users/login` itself lives in `users`.

pub mod csrf;
pub mod ldap;
pub mod mfa;
pub mod mfa_login;
pub mod sso;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(mfa_login::login_mfa)
        .service(mfa_login::login_mfa_enrol)
        .service(mfa::mfa_status)
        .service(mfa::mfa_enrol)
        .service(mfa::mfa_activate)
        .service(mfa::mfa_disable)
        .service(mfa::mfa_recovery_codes)
        .service(csrf::csrf)
        .service(mfa::admin_mfa_reset)
        .service(sso::auth_providers)
        .service(sso::oauth_login)
        .service(sso::oauth_callback)
        .service(ldap::ldap_test)
        .service(ldap::ldap_test_user)
        .service(ldap::ldap_sync)
        .service(ldap::ldap_status);
}
