//! Search filter construction. User input only ever enters a filter through
//! [`escape`], so a login such as `*` or `a)(uid=*` cannot widen a search.

use crate::error::{IdentityError, Result};

/// Escapes an assertion value per RFC 4515 section 3: `*`, `(`, `)`, `\` and NUL
/// become `\2a`, `\28`, `\29`, `\5c` and `\00`. Non-ASCII UTF-8 passes through, as
/// the RFC allows.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '*' => out.push_str("\\2a"),
            '(' => out.push_str("\\28"),
            ')' => out.push_str("\\29"),
            '\\' => out.push_str("\\5c"),
            '\0' => out.push_str("\\00"),
            c => out.push(c),
        }
    }
    out
}

/// Wraps a configured filter in parentheses when the admin left them out.
pub fn normalise(filter: &str) -> String {
    let f = filter.trim();
    if f.starts_with('(') {
        f.to_string()
    } else {
        format!("({f})")
    }
}

/// `(&<a><b>...)` of already valid filters.
pub fn and(parts: &[&str]) -> String {
    let mut s = String::from("(&");
    for p in parts {
        s.push_str(&normalise(p));
    }
    s.push(')');
    s
}

/// `(attr=value)` with `value` escaped.
pub fn eq(attribute: &str, value: &str) -> String {
    format!("({attribute}={})", escape(value))
}

/// Rejects filters the server would refuse, naming the filter.
pub fn check_syntax(filter: &str) -> Result<()> {
    ldap3::parse_filter(normalise(filter))
        .map(|_| ())
        .map_err(|_| IdentityError::LdapFilterSyntax {
            filter: filter.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4515_examples() {
        assert_eq!(
            escape("Parens R Us (for all your parenthetical needs)"),
            "Parens R Us \\28for all your parenthetical needs\\29"
        );
        assert_eq!(escape("*"), "\\2a");
        assert_eq!(escape("C:\\MyFile"), "C:\\5cMyFile");
        assert_eq!(escape("a\0b"), "a\\00b");
        assert_eq!(escape("Lučić"), "Lučić");
    }

    #[test]
    fn injection_attempts_stay_literal() {
        let f = and(&["(objectClass=inetOrgPerson)", &eq("uid", "x)(uid=*")]);
        assert_eq!(f, "(&(objectClass=inetOrgPerson)(uid=x\\29\\28uid=\\2a))");
        check_syntax(&f).unwrap();
    }

    #[test]
    fn syntax_check() {
        check_syntax("objectClass=person").unwrap();
        check_syntax("(member:1.2.840.113556.1.4.1941:=cn=x,dc=y)").unwrap();
        check_syntax("(userAccountControl:1.2.840.113556.1.4.803:=2)").unwrap();
        assert!(check_syntax("(&(objectClass=person)").is_err());
        assert!(check_syntax("(uid=a)(uid=b)").is_err());
    }
}
