//! Configuration of sign-in: session policy, lockout, MFA, LDAP and OpenID
//! Connect. The LDAP and OpenID settings are the identity library's own
//! structs, so every option it knows is available and validated there.

use hearth_identity::ldap::LdapConfig;
use hearth_identity::oidc::OidcProviderConfig;
use hearth_identity::sync::GroupMapping;
use serde::{Deserialize, Serialize};

use crate::config::{Config, ConfigError};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionsConfig {
    /// Browser sessions end after this many minutes without a request; 0 keeps
    /// them until they expire (`accounts.session_days`). Access tokens are exempt.
    pub idle_timeout_mins: u64,
    /// Days a personal access token lasts when its creator names no expiry;
    /// 0 lets such tokens last until revoked.
    pub token_default_days: u32,
    /// Minting an access token needs the caller's password, unless their
    /// session was opened by a sign-in less than this many minutes ago.
    pub token_reauth_mins: u64,
}

impl Default for SessionsConfig {
    fn default() -> Self {
        SessionsConfig {
            idle_timeout_mins: 0,
            token_default_days: 90,
            token_reauth_mins: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginConfig {
    /// Failed attempts for one login before it is locked; 0 turns lockout off.
    pub lockout_threshold: u32,
    /// Seconds a locked login stays locked.
    pub lockout_secs: u64,
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            lockout_threshold: 10,
            lockout_secs: 900,
        }
    }
}

/// Who must use a second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MfaEnforcement {
    /// MFA is optional for everyone.
    None,
    /// System admins must enrol before they get a session.
    Admins,
    /// Everyone signing in with a password (local or LDAP) must enrol.
    All,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MfaConfig {
    pub enforce: MfaEnforcement,
    /// Name authenticator apps show next to the account.
    pub issuer: String,
    /// Seconds a password-accepted login may wait for its second factor.
    pub challenge_ttl_secs: u64,
    /// The key TOTP secrets are encrypted with in the database: 64 hex
    /// digits, best given as `HEARTH_MFA__SECRET_KEY_FILE`. Empty means the
    /// file `<data_dir>/mfa.key`, created (mode 0600) at the first start.
    /// Losing it means every user enrols again; changing it needs a restart.
    pub secret_key: hearth_identity::Secret,
}

impl Default for MfaConfig {
    fn default() -> Self {
        MfaConfig {
            enforce: MfaEnforcement::None,
            issuer: "Hearth".into(),
            challenge_ttl_secs: 300,
            secret_key: hearth_identity::Secret::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LdapSection {
    /// Accept LDAP logins and run directory sync; needs `[ldap.directory]`.
    pub enabled: bool,
    /// Minutes between scheduled syncs; 0 syncs only on demand.
    pub sync_interval_mins: u64,
    /// Create the account on a first successful LDAP login (otherwise only sync creates).
    pub create_on_login: bool,
    /// Server, service account, filters and attributes.
    pub directory: Option<LdapConfig>,
    /// Directory groups → teams, channels (`team/channel`) and system role.
    pub group_mappings: Vec<GroupMapping>,
}

impl Default for LdapSection {
    fn default() -> Self {
        LdapSection {
            enabled: false,
            sync_interval_mins: 60,
            create_on_login: true,
            directory: None,
            group_mappings: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcSection {
    /// The OpenID providers offered on the login page, in this order.
    pub providers: Vec<OidcProviderConfig>,
    /// Groups claim values → teams, channels and system role (all providers).
    pub group_mappings: Vec<GroupMapping>,
}

/// Checks what can be checked without contacting a server.
pub fn validate(c: &Config) -> Result<(), ConfigError> {
    if c.login.lockout_threshold > 0 && c.login.lockout_secs == 0 {
        return Err(ConfigError(
            "login.lockout_secs must be positive when login.lockout_threshold is set".into(),
        ));
    }
    if c.mfa.issuer.trim().is_empty() || c.mfa.issuer.contains(':') {
        return Err(ConfigError(
            "mfa.issuer must be a non-empty name without ':'".into(),
        ));
    }
    if !(30..=3600).contains(&c.mfa.challenge_ttl_secs) {
        return Err(ConfigError(
            "mfa.challenge_ttl_secs must be between 30 and 3600".into(),
        ));
    }
    if c.ldap.enabled && c.ldap.directory.is_none() {
        return Err(ConfigError(
            "ldap.enabled needs an [ldap.directory] section".into(),
        ));
    }
    // A directory is checked even before LDAP is enabled: the console saves
    // it first and tests it, and a mistake should show when it is written.
    if let Some(dir) = &c.ldap.directory {
        dir.validate()
            .map_err(|e| ConfigError(format!("ldap.directory: {e}")))?;
    }
    check_mappings("ldap.group_mappings", &c.ldap.group_mappings)?;
    check_mappings("oidc.group_mappings", &c.oidc.group_mappings)?;
    let mut seen = std::collections::HashSet::new();
    for p in &c.oidc.providers {
        p.validate().map_err(|e| ConfigError(e.to_string()))?;
        if !seen.insert(p.id.clone()) {
            return Err(ConfigError(format!(
                "oidc.providers: id `{}` is used twice",
                p.id
            )));
        }
    }
    Ok(())
}

fn check_mappings(field: &str, mappings: &[GroupMapping]) -> Result<(), ConfigError> {
    for m in mappings {
        if m.group.trim().is_empty() {
            return Err(ConfigError(format!("{field}: `group` must not be empty")));
        }
        if let Some(ch) = m.channels.iter().find(|c| c.split_once('/').is_none()) {
            return Err(ConfigError(format!(
                "{field}: channel `{ch}` must be written `team/channel`"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn load(toml: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let f = dir.path().join("h.toml");
        std::fs::write(&f, toml).map_err(|e| e.to_string())?;
        Config::load(Some(&f)).map_err(|e| e.to_string())
    }

    #[test]
    fn sign_in_sections_load_and_validate() {
        let c = load(
            r#"
[mfa]
enforce = "admins"
[login]
lockout_threshold = 5
lockout_secs = 60
[sessions]
idle_timeout_mins = 30
[ldap]
enabled = true
[ldap.directory]
urls = ["ldaps://dc1.example.com:636"]
base_dn = "dc=example,dc=com"
bind_dn = "cn=svc,dc=example,dc=com"
[ldap.directory.attributes]
stable_id = "objectGUID"
[[ldap.group_mappings]]
group = "cn=eng,dc=example,dc=com"
teams = [{ team = "engineering", role = "admin" }]
channels = ["engineering/releases"]
system_role = "user"
[[oidc.providers]]
id = "corp"
display_name = "Corp"
issuer_url = "https://login.example.com"
client_id = "hearth"
redirect_url = "https://chat.example.com/api/v1/oauth/corp/callback"
"#,
        )
        .unwrap();
        assert_eq!(c.mfa.enforce, super::MfaEnforcement::Admins);
        assert_eq!(c.ldap.group_mappings.len(), 1);
        assert_eq!(c.oidc.providers[0].id, "corp");
        assert_eq!(c.sessions.idle_timeout_mins, 30);
    }

    #[test]
    fn sign_in_mistakes_are_named() {
        let e = load("[ldap]\nenabled = true\n").unwrap_err();
        assert!(e.contains("[ldap.directory]"), "{e}");
        let e = load(
            "[ldap]\nenabled = true\n[ldap.directory]\nurls = [\"http://x\"]\nbase_dn = \"dc=x\"\n",
        )
        .unwrap_err();
        assert!(e.contains("ldap.directory"), "{e}");
        let e = load(
            "[ldap.directory]\nurls = [\"ldap://x\"]\nbase_dn = \"dc=x\"\nbind_pasword = \"x\"\n",
        )
        .unwrap_err();
        assert!(e.contains("bind_pasword"), "{e}");
        let e = load("[[ldap.group_mappings]]\ngroup = \"g\"\nchannels = [\"nochannel\"]\n")
            .unwrap_err();
        assert!(e.contains("team/channel"), "{e}");
        // Group mappings cannot make compliance officers: that role is
        // granted only by the operator through the local socket.
        for section in ["ldap", "oidc"] {
            let e = load(&format!(
                "[[{section}.group_mappings]]\ngroup = \"g\"\nsystem_role = \"compliance_officer\"\n"
            ))
            .unwrap_err();
            assert!(e.contains("compliance_officer"), "{e}");
        }
        let e = load("[mfa]\nenforce = \"sometimes\"\n").unwrap_err();
        assert!(e.contains("enforce"), "{e}");
        let e = load(
            "[[oidc.providers]]\nid = \"a b\"\ndisplay_name = \"x\"\nissuer_url = \"https://i\"\nclient_id = \"c\"\nredirect_url = \"https://r\"\n",
        )
        .unwrap_err();
        assert!(e.contains("oidc"), "{e}");
    }
}
