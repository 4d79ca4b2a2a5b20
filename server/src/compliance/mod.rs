//! Compliance in the server: retention policies and the purge, legal holds,
//! exports and data subject requests, run as persisted jobs over the
//! `hearth-compliance` library. Managed by system admins and compliance
//! officers; content leaves the server only through compliance officers.

pub mod config;
pub mod convert;
pub mod dsr;
pub mod export;
pub mod holds;
pub mod jobs;
pub mod purge;
pub mod records;
pub mod retention;
pub mod schedule;

use std::sync::Arc;

use hearth_core::Result;
use hearth_core::permissions::{Action, Facts, require};

use crate::auth::Auth;

/// Shared state of the job runner.
#[derive(Default)]
pub struct Compliance {
    /// Wakes the runner when a job is queued.
    pub wake: Arc<tokio::sync::Notify>,
}

/// Retention, holds, starting exports, following jobs.
pub fn require_manage(auth: &Auth) -> Result<()> {
    require(&auth.actor, Action::ManageCompliance, &Facts::default())
}

/// Downloads and searches across everyone's content.
pub fn require_content(auth: &Auth) -> Result<()> {
    require(
        &auth.actor,
        Action::ReadComplianceContent,
        &Facts::default(),
    )
}
