//! OpenID Connect sign-in with one or more providers.

mod check;
mod claims;
mod config;
mod flow;

pub use check::ProviderCheck;
pub use claims::ExternalIdentity;
pub use config::{ClaimMapping, OidcProviderConfig};
pub use flow::{
    CallbackParams, Clock, LoginResult, LoginStart, OidcProviders, PendingLogin, ProviderListing,
};
