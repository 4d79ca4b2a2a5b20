//! Search helpers: plain searches for small result sets, simple paged results
//! (RFC 2696) for whole-directory reads, and attribute access on entries.

use std::time::Duration;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::{Ldap, LdapError, Scope, SearchEntry};

use super::config::IdEncoding;
use super::connect::{describe_result, op_error};
use crate::error::{IdentityError, Result};

/// Search whose result set is known to be small (one user, one user's groups).
pub(crate) async fn search(
    ldap: &mut Ldap,
    base: &str,
    scope: Scope,
    filter: &str,
    attrs: &[String],
    timeout: Duration,
) -> Result<Vec<SearchEntry>> {
    let fut = ldap.search(base, scope, filter, attrs.to_vec());
    let res = tokio::time::timeout(timeout, fut)
        .await
        .map_err(|_| timeout_error("search", timeout))?
        .map_err(|e| search_error(e, base, filter))?;
    let (entries, result) = (res.0, res.1);
    match result.rc {
        0 => Ok(entries.into_iter().map(SearchEntry::construct).collect()),
        32 => Err(IdentityError::LdapBaseDnMissing {
            dn: base.to_string(),
        }),
        _ => Err(IdentityError::LdapOperation {
            operation: format!("search under `{base}` with `{filter}`"),
            detail: describe_result(&result),
        }),
    }
}

/// Reads every matching entry page by page, so directories larger than the server's
/// size limit are read completely.
pub(crate) async fn paged_search(
    ldap: &mut Ldap,
    base: &str,
    filter: &str,
    attrs: &[String],
    page_size: u32,
    timeout: Duration,
) -> Result<Vec<SearchEntry>> {
    let page = i32::try_from(page_size).unwrap_or(i32::MAX);
    let adapters: Vec<Box<dyn Adapter<'_, String, Vec<String>>>> = vec![
        Box::new(EntriesOnly::new()),
        Box::new(PagedResults::new(page)),
    ];
    let start = ldap.streaming_search_with(adapters, base, Scope::Subtree, filter, attrs.to_vec());
    let mut stream = tokio::time::timeout(timeout, start)
        .await
        .map_err(|_| timeout_error("paged search", timeout))?
        .map_err(|e| search_error(e, base, filter))?;
    let mut out = Vec::new();
    loop {
        let next = tokio::time::timeout(timeout, stream.next())
            .await
            .map_err(|_| timeout_error("paged search page", timeout))?
            .map_err(|e| search_error(e, base, filter))?;
        match next {
            Some(entry) => out.push(SearchEntry::construct(entry)),
            None => break,
        }
    }
    let result = tokio::time::timeout(timeout, stream.finish())
        .await
        .map_err(|_| timeout_error("paged search end", timeout))?;
    match result.rc {
        0 => Ok(out),
        32 => Err(IdentityError::LdapBaseDnMissing {
            dn: base.to_string(),
        }),
        _ => Err(IdentityError::LdapOperation {
            operation: format!("paged search under `{base}` with `{filter}`"),
            detail: describe_result(&result),
        }),
    }
}

fn timeout_error(operation: &str, after: Duration) -> IdentityError {
    IdentityError::LdapTimeout {
        operation: operation.into(),
        after_ms: after.as_millis() as u64,
    }
}

fn search_error(e: LdapError, base: &str, filter: &str) -> IdentityError {
    match e {
        LdapError::FilterParsing => IdentityError::LdapFilterSyntax {
            filter: filter.to_string(),
        },
        LdapError::LdapResult { result } if result.rc == 32 => IdentityError::LdapBaseDnMissing {
            dn: base.to_string(),
        },
        other => op_error(&format!("search under `{base}`"), other),
    }
}

/// First text value of `name` (attribute names are case-insensitive).
pub(crate) fn text(entry: &SearchEntry, name: &str) -> Option<String> {
    entry
        .attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first().cloned())
        .filter(|v| !v.is_empty())
}

/// All text values of `name`.
pub(crate) fn texts(entry: &SearchEntry, name: &str) -> Vec<String> {
    entry
        .attrs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.iter().cloned())
        .collect()
}

fn raw(entry: &SearchEntry, name: &str) -> Option<Vec<u8>> {
    if let Some(v) = entry
        .bin_attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first())
    {
        return Some(v.clone());
    }
    text(entry, name).map(String::into_bytes)
}

/// The stable id in text form, per the configured encoding.
pub(crate) fn stable_id(entry: &SearchEntry, name: &str, encoding: IdEncoding) -> Option<String> {
    let encoding = match encoding {
        IdEncoding::Auto
            if name.eq_ignore_ascii_case("objectGUID")
                || name.eq_ignore_ascii_case("msDS-ConsistencyGuid") =>
        {
            IdEncoding::Guid
        }
        IdEncoding::Auto => IdEncoding::Text,
        other => other,
    };
    match encoding {
        IdEncoding::Guid => {
            let bytes = raw(entry, name)?;
            let arr: [u8; 16] = bytes.as_slice().try_into().ok()?;
            Some(uuid::Uuid::from_bytes_le(arr).to_string())
        }
        IdEncoding::Hex => raw(entry, name).map(hex::encode),
        _ => text(entry, name).map(|s| s.to_ascii_lowercase()),
    }
}

/// Canonical form for comparing DNs: lower case, no spaces around separators.
/// Used to match group mappings and memberships written in different styles.
pub fn normalise_dn(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len());
    let mut chars = dn.trim().chars().peekable();
    let mut escaped = false;
    while let Some(c) = chars.next() {
        if escaped {
            out.extend(c.to_lowercase());
            escaped = false;
            continue;
        }
        match c {
            '\\' => {
                out.push(c);
                escaped = true;
            }
            ',' | '=' | '+' => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push(c);
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// `uniqueMember` values may carry an optional `#'0101'B` UID suffix (RFC 4517 NameAndOptionalUID).
pub(crate) fn strip_optional_uid(value: &str) -> &str {
    match value.rfind("#'") {
        Some(i) if value.ends_with("'B") => &value[..i],
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn entry(attrs: &[(&str, &str)], bin: &[(&str, Vec<u8>)]) -> SearchEntry {
        let mut a: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in attrs {
            a.entry(k.to_string()).or_default().push(v.to_string());
        }
        SearchEntry {
            dn: "uid=x,dc=example,dc=com".into(),
            attrs: a,
            bin_attrs: bin
                .iter()
                .map(|(k, v)| (k.to_string(), vec![v.clone()]))
                .collect(),
        }
    }

    #[test]
    fn object_guid_is_mixed_endian() {
        // AD shows this GUID as {a1b2c3d4-e5f6-0718-292a-3b4c5d6e7f80}.
        let bytes = vec![
            0xd4, 0xc3, 0xb2, 0xa1, 0xf6, 0xe5, 0x18, 0x07, 0x29, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e,
            0x7f, 0x80,
        ];
        let e = entry(&[], &[("objectGUID", bytes)]);
        assert_eq!(
            stable_id(&e, "objectguid", IdEncoding::Auto).as_deref(),
            Some("a1b2c3d4-e5f6-0718-292a-3b4c5d6e7f80")
        );
        assert_eq!(
            stable_id(&e, "objectGUID", IdEncoding::Hex).as_deref(),
            Some("d4c3b2a1f6e51807292a3b4c5d6e7f80")
        );
    }

    #[test]
    fn entry_uuid_text_and_case_insensitive_names() {
        let e = entry(
            &[
                ("entryUUID", "5F0C1B2A-0000-1000-8000-000000000001"),
                ("mail", "a@x"),
            ],
            &[],
        );
        assert_eq!(
            stable_id(&e, "entryuuid", IdEncoding::Auto).as_deref(),
            Some("5f0c1b2a-0000-1000-8000-000000000001")
        );
        assert_eq!(text(&e, "MAIL").as_deref(), Some("a@x"));
        assert_eq!(text(&e, "cn"), None);
    }

    #[test]
    fn dn_normalisation() {
        assert_eq!(
            normalise_dn("CN=Dev Team, OU=Groups,DC=Example ,DC=com"),
            "cn=dev team,ou=groups,dc=example,dc=com"
        );
        assert_eq!(
            normalise_dn("cn=Smith\\, John,dc=x"),
            "cn=smith\\, john,dc=x"
        );
        assert_eq!(strip_optional_uid("uid=a,dc=x#'0101'B"), "uid=a,dc=x");
        assert_eq!(strip_optional_uid("uid=a#b,dc=x"), "uid=a#b,dc=x");
    }
}
