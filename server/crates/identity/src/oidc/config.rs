//! OpenID provider settings as the admin writes them.

use serde::{Deserialize, Serialize};

use crate::error::{IdentityError, Result};

/// One OpenID provider (Keycloak, Entra ID, Google Workspace, Authentik...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProviderConfig {
    /// Short stable id used in URLs and account links, e.g. `corp`.
    pub id: String,
    /// Button label on the login page.
    pub display_name: String,
    /// Issuer URL; discovery reads `<issuer>/.well-known/openid-configuration`.
    pub issuer_url: String,
    pub client_id: String,
    /// Absent for public clients (PKCE only).
    #[serde(default)]
    pub client_secret: Option<crate::Secret>,
    /// Hearth's callback URL registered at the provider.
    pub redirect_url: String,
    /// Requested scopes; `openid` is always sent.
    #[serde(default = "defaults::scopes")]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub claims: ClaimMapping,
    /// When non-empty, only emails in these domains may sign in (case-insensitive).
    #[serde(default)]
    pub allowed_email_domains: Vec<String>,
    /// Attach a first sign-in to an existing account with the same email, but only
    /// when the provider asserts the email is verified.
    #[serde(default)]
    pub link_by_verified_email: bool,
    /// Create accounts on first sign-in (just-in-time provisioning).
    #[serde(default = "defaults::yes")]
    pub allow_jit: bool,
    /// Tolerated clock difference for token expiry and issue time.
    #[serde(default = "defaults::clock_skew_secs")]
    pub clock_skew_secs: u64,
    /// How long a started sign-in may take before the callback is refused.
    #[serde(default = "defaults::login_ttl_secs")]
    pub login_ttl_secs: u64,
    /// How long discovery metadata and keys are reused before being fetched again.
    #[serde(default = "defaults::discovery_ttl_secs")]
    pub discovery_ttl_secs: u64,
    /// Limit for every request to the provider.
    #[serde(default = "defaults::http_timeout_ms")]
    pub http_timeout_ms: u64,
    /// Also read the userinfo endpoint (some providers put groups only there).
    #[serde(default = "defaults::yes")]
    pub fetch_userinfo: bool,
}

/// Which claims feed which profile fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClaimMapping {
    pub email: String,
    pub email_verified: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub username: String,
    /// Claim with group names (array or single string); none when absent.
    pub groups: Option<String>,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        ClaimMapping {
            email: "email".into(),
            email_verified: "email_verified".into(),
            first_name: "given_name".into(),
            last_name: "family_name".into(),
            display_name: "name".into(),
            username: "preferred_username".into(),
            groups: Some("groups".into()),
        }
    }
}

mod defaults {
    pub fn scopes() -> Vec<String> {
        vec!["openid".into(), "email".into(), "profile".into()]
    }
    pub fn yes() -> bool {
        true
    }
    pub fn clock_skew_secs() -> u64 {
        60
    }
    pub fn login_ttl_secs() -> u64 {
        600
    }
    pub fn discovery_ttl_secs() -> u64 {
        3600
    }
    pub fn http_timeout_ms() -> u64 {
        10_000
    }
}

impl OidcProviderConfig {
    /// A config with defaults for everything but the essentials.
    pub fn new(
        id: impl Into<String>,
        issuer_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Option<String>,
        redirect_url: impl Into<String>,
    ) -> Self {
        let id = id.into();
        OidcProviderConfig {
            display_name: id.clone(),
            id,
            issuer_url: issuer_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.map(crate::Secret::from),
            redirect_url: redirect_url.into(),
            scopes: defaults::scopes(),
            claims: ClaimMapping::default(),
            allowed_email_domains: Vec::new(),
            link_by_verified_email: false,
            allow_jit: true,
            clock_skew_secs: defaults::clock_skew_secs(),
            login_ttl_secs: defaults::login_ttl_secs(),
            discovery_ttl_secs: defaults::discovery_ttl_secs(),
            http_timeout_ms: defaults::http_timeout_ms(),
            fetch_userinfo: true,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, detail: String| IdentityError::Config {
            field: format!("oidc.{}.{field}", self.id),
            detail,
        };
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad("id", "use letters, digits, `-` and `_` only".into()));
        }
        for (field, value) in [
            ("issuer_url", &self.issuer_url),
            ("redirect_url", &self.redirect_url),
        ] {
            let u = url::Url::parse(value).map_err(|e| bad(field, format!("`{value}`: {e}")))?;
            if !matches!(u.scheme(), "https" | "http") {
                return Err(bad(field, format!("`{value}` must be an http(s) URL")));
            }
        }
        if self.client_id.is_empty() {
            return Err(bad("client_id", "must not be empty".into()));
        }
        if self.login_ttl_secs == 0 {
            return Err(bad("login_ttl_secs", "must be positive".into()));
        }
        Ok(())
    }
}
