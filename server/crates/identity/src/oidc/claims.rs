//! Turning verified claims into an [`ExternalIdentity`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::config::ClaimMapping;
use crate::accounts::Names;

/// Who signed in, as the provider describes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalIdentity {
    pub provider_id: String,
    /// The provider's stable subject (`sub`); the key for account links.
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub names: Names,
    pub username: Option<String>,
    pub groups: Vec<String>,
}

fn string(claims: &Map<String, Value>, name: &str) -> Option<String> {
    match claims.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Accepts `true` and, since some providers send it that way, `"true"`.
fn boolean(claims: &Map<String, Value>, name: &str) -> bool {
    match claims.get(name) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn strings(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

pub(crate) fn map_identity(
    provider_id: &str,
    subject: &str,
    claims: &Map<String, Value>,
    mapping: &ClaimMapping,
) -> ExternalIdentity {
    ExternalIdentity {
        provider_id: provider_id.to_string(),
        subject: subject.to_string(),
        email: string(claims, &mapping.email),
        email_verified: boolean(claims, &mapping.email_verified),
        names: Names {
            first_name: string(claims, &mapping.first_name),
            last_name: string(claims, &mapping.last_name),
            display_name: string(claims, &mapping.display_name),
        },
        username: string(claims, &mapping.username),
        groups: mapping
            .groups
            .as_deref()
            .map(|g| strings(claims, g))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_standard_and_custom_claims() {
        let claims = json!({
            "sub": "42", "email": "a@example.com", "email_verified": "true",
            "given_name": "Ada", "family_name": "Lovelace", "name": " Ada L ",
            "upn": "ada", "roles": ["x", "", "y"]
        });
        let mapping = ClaimMapping {
            username: "upn".into(),
            groups: Some("roles".into()),
            ..ClaimMapping::default()
        };
        let id = map_identity("corp", "42", claims.as_object().unwrap(), &mapping);
        assert!(id.email_verified);
        assert_eq!(id.names.display_name.as_deref(), Some("Ada L"));
        assert_eq!(id.username.as_deref(), Some("ada"));
        assert_eq!(id.groups, vec!["x", "y"]);
    }

    #[test]
    fn missing_or_odd_claims() {
        let claims = json!({"email": "", "email_verified": 1, "groups": "solo"});
        let id = map_identity(
            "p",
            "s",
            claims.as_object().unwrap(),
            &ClaimMapping::default(),
        );
        assert_eq!(id.email, None);
        assert!(!id.email_verified);
        assert_eq!(id.groups, vec!["solo"]);
        let none = ClaimMapping {
            groups: None,
            ..ClaimMapping::default()
        };
        assert!(
            map_identity("p", "s", claims.as_object().unwrap(), &none)
                .groups
                .is_empty()
        );
    }
}
