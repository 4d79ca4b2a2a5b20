//! API integration tests: real servers on SQLite and PostgreSQL, driven
//! through the typed client over HTTP and WebSocket.

mod harness;

mod accounts;
mod audit;
mod bad_input;
mod channel_admin;
mod chat;
mod files;
mod ldap;
mod mfa;
mod oidc;
mod openapi;
mod permissions;
mod realtime;
mod search;
mod system_admin;
mod team_admin;
mod user_admin;
mod webclient;
