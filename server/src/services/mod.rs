//! Domain services: each public function checks permissions, validates input
//! and performs one transaction that writes rows, change-log entries and
//! audit entries together.

pub mod accounts;
pub mod audit;
pub mod audit_log;
pub mod channel_admin;
pub mod channels;
pub mod files;
pub mod import;
pub mod posts;
pub mod realtime;
pub mod sessions;
pub mod system;
pub mod team_admin;
pub mod teams;
pub mod threads;
