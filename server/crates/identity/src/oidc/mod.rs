//! OpenID Connect sign-in with one or more providers.

mod claims;
mod config;
mod flow;

pub use claims::ExternalIdentity;
pub use config::{ClaimMapping, OidcProviderConfig};
pub use flow::{
    CallbackParams, Clock, LoginResult, LoginStart, OidcProviders, PendingLogin, ProviderListing,
};
