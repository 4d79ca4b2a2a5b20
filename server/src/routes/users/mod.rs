//! Accounts, profiles, sessions, tokens and status.

pub mod admin;
pub mod directory;
pub mod login;
pub mod profile;
pub mod registration;
pub mod sessions;
pub mod status;

use actix_web::web;

/// Registers the routes in an order where fixed paths (`/users/me`,
/// `/users/status/ids`, `/users/by-username/...`) come before `/users/{id}`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(registration::signup)
        .service(registration::create_user)
        .service(login::login)
        .service(login::logout)
        .service(profile::me)
        .service(profile::update_me)
        .service(profile::change_password)
        .service(profile::set_avatar)
        .service(sessions::my_sessions)
        .service(sessions::revoke_session)
        .service(sessions::create_token)
        .service(sessions::my_tokens)
        .service(sessions::revoke_token)
        .service(status::set_my_status)
        .service(status::statuses)
        .service(directory::search)
        .service(directory::by_username)
        .service(directory::get_user)
        .service(profile::avatar)
        .service(admin::set_role)
        .service(admin::set_active)
        .service(admin::revoke_all)
        .service(admin::reset_password)
        .service(status::status);
}
