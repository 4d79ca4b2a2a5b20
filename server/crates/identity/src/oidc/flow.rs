//! Discovery, authorization-code flow with PKCE, ID token validation and logout.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenVerifier};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, JsonWebKeySet, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl,
    ProviderMetadataWithLogout, RedirectUrl, RequestTokenError, Scope, SignatureVerificationError,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::RwLock;

use super::claims::{ExternalIdentity, map_identity};
use super::config::OidcProviderConfig;
use crate::error::{IdentityError, Result};

/// Source of "now"; replaceable so expiry handling can be exercised deterministically.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the login page lists: never the secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderListing {
    pub id: String,
    pub display_name: String,
}

/// State of a started sign-in that the server keeps until the callback (server-side
/// row, or an encrypted and signed cookie: it holds the PKCE verifier). Use it once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLogin {
    pub provider_id: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Unix seconds.
    pub created_at: u64,
    /// Unix seconds after which the callback is refused.
    pub expires_at: u64,
    /// Where to send the user after sign-in (validated by the server, not here).
    pub return_to: Option<String>,
}

/// Redirect target plus the state to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginStart {
    pub authorization_url: String,
    pub pending: PendingLogin,
}

/// Query parameters of the callback request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl CallbackParams {
    /// Parses the query string of the callback URL (without the leading `?`).
    pub fn from_query(query: &str) -> Self {
        let mut p = CallbackParams::default();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            let v = Some(v.into_owned());
            match k.as_ref() {
                "code" => p.code = v,
                "state" => p.state = v,
                "error" => p.error = v,
                "error_description" => p.error_description = v,
                _ => {}
            }
        }
        p
    }
}

/// A completed sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResult {
    pub identity: ExternalIdentity,
    /// Raw ID token, kept for [`OidcProviders::logout_url`]'s `id_token_hint`.
    pub id_token: String,
    pub return_to: Option<String>,
}

struct Discovered {
    metadata: ProviderMetadataWithLogout,
    fetched: Instant,
}

pub(super) struct Provider {
    pub(super) config: OidcProviderConfig,
    pub(super) http: reqwest::Client,
    cache: RwLock<Option<Discovered>>,
}

/// All configured providers. Cheap to share behind an `Arc`; discovery results are
/// cached per provider and refreshed after `discovery_ttl_secs`.
pub struct OidcProviders {
    providers: HashMap<String, Arc<Provider>>,
    order: Vec<String>,
    clock: Clock,
}

impl std::fmt::Debug for OidcProviders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProviders")
            .field("providers", &self.order)
            .finish()
    }
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl OidcProviders {
    pub fn new(configs: Vec<OidcProviderConfig>) -> Result<Self> {
        let mut providers = HashMap::new();
        let mut order = Vec::new();
        for config in configs {
            config.validate()?;
            if providers.contains_key(&config.id) {
                return Err(IdentityError::Config {
                    field: "oidc".into(),
                    detail: format!("provider id `{}` is used twice", config.id),
                });
            }
            // No redirects: following them from server-side calls invites SSRF.
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_millis(config.http_timeout_ms))
                .connect_timeout(Duration::from_millis(config.http_timeout_ms))
                .build()
                .map_err(|e| IdentityError::Config {
                    field: format!("oidc.{}", config.id),
                    detail: format!("HTTP client: {e}"),
                })?;
            order.push(config.id.clone());
            providers.insert(
                config.id.clone(),
                Arc::new(Provider {
                    config,
                    http,
                    cache: RwLock::new(None),
                }),
            );
        }
        Ok(OidcProviders {
            providers,
            order,
            clock: Arc::new(SystemTime::now),
        })
    }

    /// Replaces the clock (tests, or a server with its own time source).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Providers for the login page, in configuration order.
    pub fn listing(&self) -> Vec<ProviderListing> {
        self.order
            .iter()
            .filter_map(|id| self.providers.get(id))
            .map(|p| ProviderListing {
                id: p.config.id.clone(),
                display_name: p.config.display_name.clone(),
            })
            .collect()
    }

    pub fn config(&self, provider_id: &str) -> Option<&OidcProviderConfig> {
        self.providers.get(provider_id).map(|p| &p.config)
    }

    pub(super) fn provider(&self, id: &str) -> Result<&Arc<Provider>> {
        self.providers
            .get(id)
            .ok_or_else(|| IdentityError::OidcUnknownProvider(id.to_string()))
    }

    /// Fetches discovery metadata and keys now, replacing the cache.
    pub async fn refresh_discovery(&self, provider_id: &str) -> Result<()> {
        self.provider(provider_id)?.discover(true).await.map(|_| ())
    }

    /// Starts a sign-in: returns the URL to redirect the browser to and the state to keep.
    pub async fn start_login(
        &self,
        provider_id: &str,
        return_to: Option<String>,
    ) -> Result<LoginStart> {
        let p = self.provider(provider_id)?;
        let client = p.client(&p.discover(false).await?)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for s in p.config.scopes.iter().filter(|s| s.as_str() != "openid") {
            req = req.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = req.set_pkce_challenge(challenge).url();
        let now = unix((self.clock)());
        Ok(LoginStart {
            authorization_url: url.to_string(),
            pending: PendingLogin {
                provider_id: provider_id.to_string(),
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                created_at: now,
                expires_at: now + p.config.login_ttl_secs,
                return_to,
            },
        })
    }

    /// Finishes a sign-in from the callback: checks state and expiry, exchanges the code
    /// (with the PKCE verifier), validates the ID token and maps the claims.
    pub async fn complete_login(
        &self,
        pending: &PendingLogin,
        callback: &CallbackParams,
    ) -> Result<LoginResult> {
        let p = self.provider(&pending.provider_id)?;
        if unix((self.clock)()) > pending.expires_at {
            return Err(IdentityError::OidcLoginExpired);
        }
        let state_ok = callback
            .state
            .as_deref()
            .is_some_and(|s| constant_time_eq(s, &pending.state));
        if !state_ok {
            return Err(IdentityError::OidcStateMismatch);
        }
        if let Some(error) = &callback.error {
            return Err(IdentityError::OidcProviderError {
                error: error.clone(),
                description: callback.error_description.clone().unwrap_or_default(),
            });
        }
        let code = callback
            .code
            .clone()
            .ok_or_else(|| IdentityError::OidcTokenExchange("callback carries no code".into()))?;

        let metadata = p.discover(false).await?;
        let client = p.client(&metadata)?;
        let request = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| IdentityError::OidcTokenExchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()));
        let tokens = request.request_async(&p.http).await.map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => IdentityError::OidcTokenExchange(format!(
                "{}{}",
                r.error().as_ref(),
                r.error_description()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            )),
            RequestTokenError::Request(e) => IdentityError::Http(e.to_string()),
            other => IdentityError::OidcTokenExchange(other.to_string()),
        })?;
        let id_token = tokens
            .id_token()
            .ok_or(IdentityError::OidcIdTokenMissing)?
            .clone();
        let nonce = Nonce::new(pending.nonce.clone());
        let mut claims = self.verify(p, &id_token, Some(&nonce)).await?;

        // at_hash binds the access token to this ID token when present. It is read from
        // the claims verified above, so the skew and key handling there apply here too.
        let metadata = p.discover(false).await?;
        if let Some(expected) = claims.get("at_hash").and_then(Value::as_str) {
            let client = p.client(&metadata)?;
            let verifier = client.id_token_verifier();
            let alg = id_token
                .signing_alg()
                .map_err(|e| IdentityError::OidcSignature(e.to_string()))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|e| IdentityError::OidcSignature(e.to_string()))?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key)
                .map_err(|e| IdentityError::OidcIdToken(e.to_string()))?;
            if actual != AccessTokenHash::new(expected.to_string()) {
                return Err(IdentityError::OidcIdToken(
                    "at_hash does not match the access token".into(),
                ));
            }
        }

        let subject = claims
            .get("sub")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| IdentityError::OidcClaimMissing("sub".into()))?;
        if p.config.fetch_userinfo
            && let Some(endpoint) = metadata.userinfo_endpoint()
        {
            let info = p
                .userinfo(endpoint.url().as_str(), tokens.access_token().secret())
                .await?;
            if info.get("sub").and_then(Value::as_str) != Some(subject.as_str()) {
                return Err(IdentityError::OidcUserInfo(
                    "userinfo subject differs from the ID token".into(),
                ));
            }
            // The ID token wins; userinfo only fills gaps.
            for (k, v) in info {
                claims.entry(k).or_insert(v);
            }
        }
        Ok(LoginResult {
            identity: map_identity(&p.config.id, &subject, &claims, &p.config.claims),
            id_token: id_token.to_string(),
            return_to: pending.return_to.clone(),
        })
    }

    /// Validates a raw ID token for `provider_id` (signature, issuer, audience, expiry
    /// and, when given, nonce) and maps its claims. Useful for tokens received by other
    /// means than [`Self::complete_login`], e.g. a stored `id_token_hint`.
    pub async fn verify_id_token(
        &self,
        provider_id: &str,
        id_token: &str,
        nonce: Option<&str>,
    ) -> Result<ExternalIdentity> {
        let p = self.provider(provider_id)?;
        let token = CoreIdToken::from_str(id_token)
            .map_err(|e| IdentityError::OidcIdToken(format!("not a JWT: {e}")))?;
        let nonce = nonce.map(|n| Nonce::new(n.to_string()));
        let claims = self.verify(p, &token, nonce.as_ref()).await?;
        let subject = claims
            .get("sub")
            .and_then(Value::as_str)
            .ok_or_else(|| IdentityError::OidcClaimMissing("sub".into()))?;
        Ok(map_identity(
            &p.config.id,
            subject,
            &claims,
            &p.config.claims,
        ))
    }

    /// Verifies the token, refetching the provider's keys once when the token is signed
    /// with a key id the cached set does not contain (the provider rotated its keys).
    async fn verify(
        &self,
        p: &Provider,
        token: &CoreIdToken,
        nonce: Option<&Nonce>,
    ) -> Result<Map<String, Value>> {
        let metadata = p.discover(false).await?;
        match self.verify_with(p, &metadata, token, nonce) {
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                tracing::info!(
                    provider = p.config.id,
                    "ID token signed with an unknown key; refetching keys"
                );
                let metadata = p.refresh_keys().await?;
                self.verify_with(p, &metadata, token, nonce)
                    .map_err(claims_error)?;
            }
            other => other.map_err(claims_error)?,
        }
        payload(token)
    }

    fn verify_with(
        &self,
        p: &Provider,
        metadata: &ProviderMetadataWithLogout,
        token: &CoreIdToken,
        nonce: Option<&Nonce>,
    ) -> std::result::Result<(), ClaimsVerificationError> {
        let client = p
            .client(metadata)
            .map_err(|e| ClaimsVerificationError::Other(e.to_string()))?;
        let skew = chrono::Duration::seconds(
            i64::try_from(p.config.clock_skew_secs).unwrap_or(i64::MAX / 2),
        );
        let clock = self.clock.clone();
        let clock2 = self.clock.clone();
        let verifier: CoreIdTokenVerifier = client
            .id_token_verifier()
            // Expiry is checked against "now - skew", so a token stays valid `skew` past exp.
            .set_time_fn(move || chrono::DateTime::<chrono::Utc>::from(clock()) - skew)
            .set_issue_time_verifier_fn(move |iat| {
                let now = chrono::DateTime::<chrono::Utc>::from(clock2());
                if iat > now + skew {
                    Err(format!("issued in the future ({iat}, now {now})"))
                } else {
                    Ok(())
                }
            });
        match nonce {
            Some(n) => token.claims(&verifier, n).map(|_| ()),
            None => token
                .claims(&verifier, |_: Option<&Nonce>| Ok(()))
                .map(|_| ()),
        }
    }

    /// RP-initiated logout URL, or `None` when the provider does not offer one.
    pub async fn logout_url(
        &self,
        provider_id: &str,
        id_token_hint: Option<&str>,
        post_logout_redirect_uri: Option<&str>,
        state: Option<&str>,
    ) -> Result<Option<String>> {
        let p = self.provider(provider_id)?;
        let metadata = p.discover(false).await?;
        let Some(endpoint) = metadata.additional_metadata().end_session_endpoint.clone() else {
            return Ok(None);
        };
        let mut req = openidconnect::LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(p.config.client_id.clone()));
        if let Some(hint) = id_token_hint {
            let token = CoreIdToken::from_str(hint)
                .map_err(|e| IdentityError::OidcIdToken(format!("id_token_hint: {e}")))?;
            req = req.set_id_token_hint(&token);
        }
        if let Some(uri) = post_logout_redirect_uri {
            let uri =
                PostLogoutRedirectUrl::new(uri.to_string()).map_err(|e| IdentityError::Config {
                    field: "post_logout_redirect_uri".into(),
                    detail: e.to_string(),
                })?;
            req = req.set_post_logout_redirect_uri(uri);
        }
        if let Some(s) = state {
            req = req.set_state(CsrfToken::new(s.to_string()));
        }
        Ok(Some(req.http_get_url().to_string()))
    }
}

/// Claims of a token whose signature was already verified.
fn payload(token: &CoreIdToken) -> Result<Map<String, Value>> {
    let jwt = token.to_string();
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| IdentityError::OidcIdToken("malformed JWT".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| IdentityError::OidcIdToken(format!("payload: {e}")))?;
    serde_json::from_slice(&bytes).map_err(|e| IdentityError::OidcIdToken(format!("payload: {e}")))
}

fn claims_error(e: ClaimsVerificationError) -> IdentityError {
    match e {
        ClaimsVerificationError::Expired(s) => IdentityError::OidcExpired(s),
        ClaimsVerificationError::InvalidAudience(s) => IdentityError::OidcAudience(s),
        ClaimsVerificationError::InvalidIssuer(s) => IdentityError::OidcIssuer(s),
        ClaimsVerificationError::InvalidNonce(s) => IdentityError::OidcNonce(s),
        ClaimsVerificationError::SignatureVerification(s) => {
            IdentityError::OidcSignature(s.to_string())
        }
        other => IdentityError::OidcIdToken(other.to_string()),
    }
}

impl Provider {
    fn client(&self, metadata: &ProviderMetadataWithLogout) -> Result<Client> {
        let redirect = RedirectUrl::new(self.config.redirect_url.clone()).map_err(|e| {
            IdentityError::Config {
                field: format!("oidc.{}.redirect_url", self.config.id),
                detail: e.to_string(),
            }
        })?;
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.config.client_id.clone()),
            self.config
                .client_secret
                .as_ref()
                .map(|s| ClientSecret::new(s.expose().to_string())),
        )
        .set_redirect_uri(redirect))
    }

    fn discovery_error(&self, detail: String) -> IdentityError {
        IdentityError::OidcDiscovery {
            issuer: self.config.issuer_url.clone(),
            detail,
        }
    }

    /// Cached metadata, fetched when missing, stale or `force`d. A failed refresh keeps
    /// serving the stale copy so a provider hiccup does not block sign-ins.
    pub(super) async fn discover(&self, force: bool) -> Result<ProviderMetadataWithLogout> {
        let ttl = Duration::from_secs(self.config.discovery_ttl_secs);
        if !force
            && let Some(d) = self.cache.read().await.as_ref()
            && d.fetched.elapsed() < ttl
        {
            return Ok(d.metadata.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer_url.clone())
            .map_err(|e| self.discovery_error(e.to_string()))?;
        match ProviderMetadataWithLogout::discover_async(issuer, &self.http).await {
            Ok(metadata) => {
                *self.cache.write().await = Some(Discovered {
                    metadata: metadata.clone(),
                    fetched: Instant::now(),
                });
                Ok(metadata)
            }
            Err(e) => {
                let detail = error_chain(&e);
                if !force && let Some(d) = self.cache.read().await.as_ref() {
                    tracing::warn!(
                        provider = self.config.id,
                        error = detail,
                        "discovery refresh failed; using cached metadata"
                    );
                    return Ok(d.metadata.clone());
                }
                Err(self.discovery_error(detail))
            }
        }
    }

    /// Refetches only the key set (after a rotation), keeping the rest of the metadata.
    async fn refresh_keys(&self) -> Result<ProviderMetadataWithLogout> {
        let mut metadata = self.discover(false).await?;
        let jwks = JsonWebKeySet::fetch_async(metadata.jwks_uri(), &self.http)
            .await
            .map_err(|e| self.discovery_error(format!("JWKS: {}", error_chain(&e))))?;
        metadata = metadata.set_jwks(jwks);
        *self.cache.write().await = Some(Discovered {
            metadata: metadata.clone(),
            fetched: Instant::now(),
        });
        Ok(metadata)
    }

    async fn userinfo(&self, url: &str, access_token: &str) -> Result<Map<String, Value>> {
        let resp = self
            .http
            .get(url)
            .bearer_auth(access_token)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| IdentityError::OidcUserInfo(e.to_string()))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(IdentityError::OidcUserInfo(format!("HTTP {status}")));
        }
        resp.json::<Map<String, Value>>()
            .await
            .map_err(|e| IdentityError::OidcUserInfo(format!("not a JSON object: {e}")))
    }
}

pub(super) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
