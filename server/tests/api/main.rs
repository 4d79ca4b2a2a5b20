//! API integration tests: real servers on SQLite and PostgreSQL, driven
//! through the typed client over HTTP and WebSocket.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod harness;

use hearth_testkit::both_backends;

mod accounts;
mod audit;
mod bad_input;
mod channel_admin;
mod chat;
mod compliance;
mod compliance_exports;
mod files;
mod hardening_audit_key;
mod hardening_compliance;
mod hardening_extract;
mod hardening_limits;
mod hardening_officer;
mod hardening_rights;
mod hardening_signin;
mod import_mattermost;
mod import_slack;
mod import_users;
mod ldap;
mod lifecycle;
mod mfa;
mod oidc;
mod openapi;
mod permissions;
mod realtime;
mod retention_props;
mod search;
mod system_admin;
mod team_admin;
mod user_admin;
mod webclient;
