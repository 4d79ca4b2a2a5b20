//! External identity for Hearth.
//!
//! - [`totp`]: RFC 6238 second factor with replay protection and recovery codes.
//! - [`ldap`]: LDAP / Active Directory login (search-then-bind), paged directory reads
//!   and step-by-step diagnostics.
//! - [`sync`]: the pure plan that turns a directory snapshot into account changes.
//! - [`oidc`]: OpenID Connect sign-in (authorization code + PKCE) with several providers.
//! - [`provisioning`]: the pure decision of what an external sign-in does to accounts.
//! - [`secret`]: configuration secrets that never print.
//! - [`sealing`]: TOTP secrets encrypted at rest under a key outside the database.
//!
//! Network code is async (tokio) and every network call has a timeout. Errors are one
//! enum, [`IdentityError`], with stable machine codes.

pub mod accounts;
pub mod directory;
pub mod error;
pub mod ldap;
pub mod oidc;
pub mod provisioning;
pub mod sealing;
pub mod secret;
pub mod sync;
pub mod totp;

/// Real slapd and oidc-provider instances for integration tests.
#[cfg(feature = "test-support")]
pub mod test_support;

pub use accounts::{AuthSource, ExistingAccount, Memberships, Names, SystemRole, TeamRole};
pub use directory::{DirectoryGroup, DirectorySnapshot, DirectoryUser, GroupRef, SnapshotIssue};
pub use error::{IdentityError, Result};
pub use secret::Secret;
