//! LDAP / Active Directory settings as the admin writes them.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{IdentityError, Result};

/// How the server reaches and reads the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LdapConfig {
    /// Server URLs (`ldap://host:389`, `ldaps://host:636`), tried in order until one answers.
    pub urls: Vec<String>,
    /// Upgrade `ldap://` connections with StartTLS before binding.
    #[serde(default)]
    pub start_tls: bool,
    /// PEM file with the CA certificate(s) to trust; the system roots when absent.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Accept any server certificate. Only for lab setups; never the default.
    #[serde(default)]
    pub insecure_skip_verify: bool,
    /// TCP connect plus TLS handshake limit.
    #[serde(default = "defaults::connect_timeout_ms")]
    pub connect_timeout_ms: u64,
    /// Limit for each bind or search (a paged search counts per page).
    #[serde(default = "defaults::operation_timeout_ms")]
    pub operation_timeout_ms: u64,
    /// Service account DN used for searches (empty for anonymous searches).
    #[serde(default)]
    pub bind_dn: String,
    /// Service account password.
    #[serde(default)]
    pub bind_password: crate::Secret,
    /// Where users are searched (subtree).
    pub base_dn: String,
    /// Which entries are users, e.g. `(objectClass=inetOrgPerson)` or, for Active
    /// Directory, `(&(objectCategory=person)(objectClass=user))`.
    #[serde(default = "defaults::user_filter")]
    pub user_filter: String,
    /// Attribute the user types as login: `uid`, `sAMAccountName`, `userPrincipalName`...
    #[serde(default = "defaults::login_attribute")]
    pub login_attribute: String,
    /// Which attributes feed the Hearth profile.
    #[serde(default)]
    pub attributes: AttributeMap,
    /// Group lookup; no group information when absent.
    #[serde(default)]
    pub groups: Option<GroupConfig>,
    /// Entries per page for simple paged results (RFC 2696). Keep it at or below the
    /// server's size limit (Active Directory: MaxPageSize, 1000 by default).
    #[serde(default = "defaults::page_size")]
    pub page_size: u32,
    /// Maximum number of pooled service-account connections.
    #[serde(default = "defaults::pool_size")]
    pub pool_size: usize,
    /// Filter matching disabled accounts, ANDed with `user_filter`. Active Directory:
    /// `(userAccountControl:1.2.840.113556.1.4.803:=2)`; OpenLDAP with ppolicy:
    /// `(pwdAccountLockedTime=*)`; or a site convention such as `(employeeType=disabled)`.
    /// Disabled users cannot log in and are deactivated by sync.
    #[serde(default)]
    pub disabled_filter: Option<String>,
}

/// Directory attribute names for the profile fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AttributeMap {
    /// Immutable identifier: `entryUUID` (OpenLDAP, 389-DS), `objectGUID` (Active
    /// Directory) or any attribute that never changes for an account. Logins and emails
    /// get renamed; this is what ties a directory entry to a Hearth account.
    pub stable_id: String,
    /// How the stable id value is turned into text.
    pub stable_id_encoding: IdEncoding,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
}

impl Default for AttributeMap {
    fn default() -> Self {
        AttributeMap {
            stable_id: "entryUUID".into(),
            stable_id_encoding: IdEncoding::Auto,
            email: "mail".into(),
            first_name: "givenName".into(),
            last_name: "sn".into(),
            display_name: "cn".into(),
        }
    }
}

/// Text form of the stable id attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IdEncoding {
    /// `objectGUID` and `msDS-ConsistencyGuid` are binary GUIDs; everything else is text.
    #[default]
    Auto,
    /// The value is already text (entryUUID, employeeNumber...).
    Text,
    /// 16-byte Microsoft GUID (mixed endian), rendered as a lower-case UUID string.
    Guid,
    /// Arbitrary binary value, rendered as lower-case hex.
    Hex,
}

/// How group memberships are found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// Where groups are searched (subtree); defaults to the user base DN.
    #[serde(default)]
    pub base_dn: Option<String>,
    /// Which entries are groups.
    #[serde(default = "defaults::group_filter")]
    pub filter: String,
    /// Attribute holding the group's short name.
    #[serde(default = "defaults::group_name_attribute")]
    pub name_attribute: String,
    /// Membership attributes to read; a directory may mix group types.
    #[serde(default = "defaults::member_attributes")]
    pub member_attributes: Vec<MemberAttribute>,
    /// Whether and how groups inside groups grant membership.
    #[serde(default)]
    pub nested: NestedGroups,
}

/// Group membership attribute types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MemberAttribute {
    /// `member`: full DNs (groupOfNames, Active Directory groups).
    Member,
    /// `uniqueMember`: DNs with an optional `#'...'B` suffix (groupOfUniqueNames).
    UniqueMember,
    /// `memberUid`: login names (posixGroup); cannot express nesting.
    MemberUid,
}

impl MemberAttribute {
    pub fn attribute(self) -> &'static str {
        match self {
            MemberAttribute::Member => "member",
            MemberAttribute::UniqueMember => "uniqueMember",
            MemberAttribute::MemberUid => "memberUid",
        }
    }
}

/// Nested group handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NestedGroups {
    /// Only direct memberships count.
    Off,
    /// Follow group-in-group links level by level (any server), with cycle protection.
    #[default]
    Iterative,
    /// Active Directory's LDAP_MATCHING_RULE_IN_CHAIN (1.2.840.113556.1.4.1941): the
    /// server expands the chain in one query on login. Sync still expands in memory.
    InChain,
}

mod defaults {
    pub fn connect_timeout_ms() -> u64 {
        5_000
    }
    pub fn operation_timeout_ms() -> u64 {
        10_000
    }
    pub fn user_filter() -> String {
        "(objectClass=inetOrgPerson)".into()
    }
    pub fn login_attribute() -> String {
        "uid".into()
    }
    pub fn page_size() -> u32 {
        500
    }
    pub fn pool_size() -> usize {
        4
    }
    pub fn group_filter() -> String {
        "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))"
            .into()
    }
    pub fn group_name_attribute() -> String {
        "cn".into()
    }
    pub fn member_attributes() -> Vec<super::MemberAttribute> {
        vec![
            super::MemberAttribute::Member,
            super::MemberAttribute::UniqueMember,
        ]
    }
}

impl LdapConfig {
    /// A config with defaults for everything but the essentials.
    pub fn new(url: impl Into<String>, base_dn: impl Into<String>) -> Self {
        LdapConfig {
            urls: vec![url.into()],
            start_tls: false,
            ca_file: None,
            insecure_skip_verify: false,
            connect_timeout_ms: defaults::connect_timeout_ms(),
            operation_timeout_ms: defaults::operation_timeout_ms(),
            bind_dn: String::new(),
            bind_password: crate::Secret::default(),
            base_dn: base_dn.into(),
            user_filter: defaults::user_filter(),
            login_attribute: defaults::login_attribute(),
            attributes: AttributeMap::default(),
            groups: None,
            page_size: defaults::page_size(),
            pool_size: defaults::pool_size(),
            disabled_filter: None,
        }
    }

    pub(crate) fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }

    pub(crate) fn operation_timeout(&self) -> Duration {
        Duration::from_millis(self.operation_timeout_ms)
    }

    pub(crate) fn group_base(&self) -> Option<&str> {
        self.groups
            .as_ref()
            .map(|g| g.base_dn.as_deref().unwrap_or(&self.base_dn))
    }

    /// Checks what can be checked without a server: URLs, filters, sizes.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, detail: String| IdentityError::Config {
            field: field.into(),
            detail,
        };
        if self.urls.is_empty() {
            return Err(bad("urls", "at least one server URL is required".into()));
        }
        for u in &self.urls {
            let parsed = url::Url::parse(u).map_err(|e| bad("urls", format!("`{u}`: {e}")))?;
            match parsed.scheme() {
                "ldap" => {}
                "ldaps" if self.start_tls => {
                    return Err(bad(
                        "start_tls",
                        format!("`{u}` is already TLS; StartTLS applies to ldap:// only"),
                    ));
                }
                "ldaps" => {}
                s => return Err(bad("urls", format!("`{u}`: unsupported scheme `{s}`"))),
            }
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(bad("urls", format!("`{u}` has no host")));
            }
        }
        if self.base_dn.trim().is_empty() {
            return Err(bad("base_dn", "must not be empty".into()));
        }
        if self.login_attribute.trim().is_empty() {
            return Err(bad("login_attribute", "must not be empty".into()));
        }
        if self.page_size == 0 || self.page_size > i32::MAX as u32 {
            return Err(bad("page_size", "must be between 1 and 2^31-1".into()));
        }
        if self.pool_size == 0 {
            return Err(bad("pool_size", "must be at least 1".into()));
        }
        if self.attributes.stable_id.trim().is_empty() {
            return Err(bad("attributes.stable_id", "must not be empty".into()));
        }
        super::filter::check_syntax(&self.user_filter)?;
        if let Some(f) = &self.disabled_filter {
            super::filter::check_syntax(f)?;
        }
        if let Some(g) = &self.groups {
            super::filter::check_syntax(&g.filter)?;
            if g.member_attributes.is_empty() {
                return Err(bad("groups.member_attributes", "list at least one".into()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_toml_like_json_gets_defaults() {
        let c: LdapConfig = serde_json::from_value(serde_json::json!({
            "urls": ["ldap://dir.example.com"],
            "base_dn": "dc=example,dc=com",
            "groups": {}
        }))
        .unwrap();
        assert_eq!(c.login_attribute, "uid");
        assert_eq!(c.page_size, 500);
        assert_eq!(c.attributes.stable_id, "entryUUID");
        let g = c.groups.as_ref().unwrap();
        assert_eq!(g.nested, NestedGroups::Iterative);
        assert_eq!(
            g.member_attributes,
            vec![MemberAttribute::Member, MemberAttribute::UniqueMember]
        );
        assert_eq!(c.group_base(), Some("dc=example,dc=com"));
        c.validate().unwrap();
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let r: std::result::Result<LdapConfig, _> = serde_json::from_value(serde_json::json!({
            "urls": ["ldap://x"], "base_dn": "dc=x", "bind_passwd": "typo"
        }));
        assert!(r.is_err());
    }

    #[test]
    fn validation_explains_problems() {
        let mut c = LdapConfig::new("ldaps://dir:636", "dc=x");
        c.start_tls = true;
        assert!(
            matches!(c.validate(), Err(IdentityError::Config { field, .. }) if field == "start_tls")
        );
        let mut c = LdapConfig::new("http://dir", "dc=x");
        assert!(c.validate().is_err());
        c.urls = vec!["ldap://dir".into()];
        c.user_filter = "(objectClass=person".into();
        assert_eq!(c.validate().unwrap_err().code(), "ldap.filter_syntax");
    }
}
