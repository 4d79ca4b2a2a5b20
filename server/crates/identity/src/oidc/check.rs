//! Step-by-step diagnosis of a configured provider for administrators: is
//! the discovery document there and for the configured issuer, does the key
//! set load, and does the OpenID Connect library accept both? Each step says
//! what it found, so a failure names the step to fix.

use std::time::Instant;

use serde_json::Value;

use super::flow::{OidcProviders, Provider};
use crate::error::Result;

/// One step's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderCheck {
    /// `discovery`, `issuer`, `jwks` or `metadata`.
    pub check: &'static str,
    pub ok: bool,
    pub detail: String,
    pub elapsed_ms: u64,
}

impl OidcProviders {
    /// Runs the checks in order, stopping at the first failure. An unknown
    /// provider id is an error; a provider that fails is a failed step. On
    /// success the cached metadata is refreshed, as sign-in would do.
    pub async fn check_provider(&self, provider_id: &str) -> Result<Vec<ProviderCheck>> {
        Ok(self.provider(provider_id)?.check().await)
    }
}

fn step(check: &'static str, started: Instant, outcome: Result<String, String>) -> ProviderCheck {
    let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (ok, detail) = match outcome {
        Ok(d) => (true, d),
        Err(d) => (false, d),
    };
    ProviderCheck {
        check,
        ok,
        detail,
        elapsed_ms,
    }
}

fn field<'a>(doc: &'a Value, name: &str) -> &'a str {
    doc.get(name).and_then(Value::as_str).unwrap_or("-")
}

impl Provider {
    async fn get_json(&self, url: &str) -> Result<Value, String> {
        let resp = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| format!("GET {url}: {}", super::flow::error_chain(&e)))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!("GET {url}: HTTP {status}"));
        }
        resp.json::<Value>()
            .await
            .map_err(|e| format!("GET {url}: not JSON: {e}"))
    }

    async fn check(&self) -> Vec<ProviderCheck> {
        let mut steps = Vec::new();
        let issuer = self.config.issuer_url.trim_end_matches('/');
        let url = format!("{issuer}/.well-known/openid-configuration");

        let t = Instant::now();
        let doc = match self.get_json(&url).await {
            Ok(doc) => doc,
            Err(e) => {
                steps.push(step("discovery", t, Err(e)));
                return steps;
            }
        };
        steps.push(step(
            "discovery",
            t,
            Ok(format!(
                "authorization {}, token {}, userinfo {}, end session {}",
                field(&doc, "authorization_endpoint"),
                field(&doc, "token_endpoint"),
                field(&doc, "userinfo_endpoint"),
                field(&doc, "end_session_endpoint"),
            )),
        ));

        let t = Instant::now();
        let named = field(&doc, "issuer").trim_end_matches('/');
        let same = named == issuer;
        steps.push(step(
            "issuer",
            t,
            if same {
                Ok(format!("the document names {named}"))
            } else {
                Err(format!(
                    "the document names issuer {named}, the configuration {issuer}"
                ))
            },
        ));
        if !same {
            return steps;
        }

        let t = Instant::now();
        let jwks = match doc.get("jwks_uri").and_then(Value::as_str) {
            None => Err("the discovery document has no jwks_uri".to_string()),
            Some(uri) => self.get_json(uri).await.and_then(|set| {
                let keys = set
                    .get("keys")
                    .and_then(Value::as_array)
                    .ok_or_else(|| format!("{uri} has no \"keys\" array"))?;
                if keys.is_empty() {
                    return Err(format!("{uri} lists no keys"));
                }
                let names: Vec<String> = keys
                    .iter()
                    .map(|k| {
                        format!(
                            "{} ({} {})",
                            field(k, "kid"),
                            field(k, "kty"),
                            field(k, "alg")
                        )
                    })
                    .collect();
                Ok(format!("{} key(s): {}", keys.len(), names.join(", ")))
            }),
        };
        let failed = jwks.is_err();
        steps.push(step("jwks", t, jwks));
        if failed {
            return steps;
        }

        let t = Instant::now();
        steps.push(step(
            "metadata",
            t,
            self.discover(true)
                .await
                .map(|_| "accepted for sign-in (endpoints, algorithms and keys)".to_string())
                .map_err(|e| e.to_string()),
        ));
        steps
    }
}
