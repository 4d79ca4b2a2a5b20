//! Input validation shared by every service. Each check returns a message a
//! user can act on.

use crate::error::{Error, Result};

pub const MAX_DISPLAY_NAME: usize = 64;
pub const MAX_PURPOSE: usize = 250;
pub const MAX_HEADER: usize = 1024;
pub const MAX_STATUS_TEXT: usize = 100;
pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 256;
pub const MAX_FILE_NAME_BYTES: usize = 255;
pub const MAX_IDEMPOTENCY_KEY: usize = 128;

/// Usernames: 3–22 characters, lowercase letters, digits, `.`, `-`, `_`,
/// starting with a letter (so `@name` mentions parse unambiguously).
pub fn username(raw: &str) -> Result<String> {
    let name = raw.trim().to_lowercase();
    let len = name.chars().count();
    if !(3..=22).contains(&len) {
        return Err(Error::invalid("username must be 3 to 22 characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(Error::invalid("username must start with a letter"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Err(Error::invalid(
            "username may contain only lowercase letters, digits, '.', '-' and '_'",
        ));
    }
    if matches!(name.as_str(), "all" | "channel" | "here" | "system") {
        return Err(Error::invalid(format!("username '{name}' is reserved")));
    }
    Ok(name)
}

/// E-mail addresses: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email(raw: &str) -> Result<String> {
    let e = raw.trim().to_lowercase();
    let bad = || Error::invalid(format!("'{}' is not a valid e-mail address", raw.trim()));
    if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return Err(bad());
    }
    Ok(e)
}

pub fn password(raw: &str) -> Result<()> {
    let n = raw.chars().count();
    if n < MIN_PASSWORD {
        return Err(Error::invalid(format!(
            "password must be at least {MIN_PASSWORD} characters"
        )));
    }
    if n > MAX_PASSWORD {
        return Err(Error::invalid(format!(
            "password must be at most {MAX_PASSWORD} characters"
        )));
    }
    Ok(())
}

/// URL names of teams and channels: 1–64 of lowercase letters, digits, `-`, `_`.
pub fn slug(what: &str, raw: &str) -> Result<String> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() || s.len() > 64 {
        return Err(Error::invalid(format!(
            "{what} name must be 1 to 64 characters"
        )));
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'))
    {
        return Err(Error::invalid(format!(
            "{what} name may contain only lowercase letters, digits, '-' and '_'"
        )));
    }
    Ok(s)
}

/// Free text with a length limit and no control characters except newlines and tabs.
pub fn text(what: &str, raw: &str, max: usize, allow_empty: bool) -> Result<String> {
    let t = raw.trim();
    if !allow_empty && t.is_empty() {
        return Err(Error::invalid(format!("{what} must not be empty")));
    }
    if t.chars().count() > max {
        return Err(Error::invalid(format!(
            "{what} must be at most {max} characters"
        )));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Error::invalid(format!(
            "{what} contains control characters"
        )));
    }
    Ok(t.to_string())
}

pub fn display_name(raw: &str) -> Result<String> {
    text("display name", raw, MAX_DISPLAY_NAME, false)
}

/// Post text is stored as written (trailing whitespace trimmed), up to the limit.
pub fn post_message(raw: &str, has_files: bool) -> Result<String> {
    let m = raw.trim_end();
    if m.trim().is_empty() && !has_files {
        return Err(Error::invalid("message must not be empty"));
    }
    let n = m.chars().count();
    if n > hearth_api::MAX_POST_CHARS {
        return Err(Error::invalid(format!(
            "message is {n} characters; the limit is {}",
            hearth_api::MAX_POST_CHARS
        )));
    }
    if m.contains('\0') {
        return Err(Error::invalid("message contains a NUL character"));
    }
    Ok(m.to_string())
}

/// Emoji names as in `:thumbsup:`: 1–64 of letters, digits, `_`, `-`, `+`.
pub fn emoji_name(raw: &str) -> Result<String> {
    let e = raw.trim().trim_matches(':').to_lowercase();
    if e.is_empty()
        || e.len() > 64
        || !e
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    {
        return Err(Error::invalid(format!("'{raw}' is not a valid emoji name")));
    }
    Ok(e)
}

/// Uploaded file names are kept for display and download only; a name that
/// could address another path is refused rather than silently rewritten.
pub fn file_name(raw: &str) -> Result<String> {
    let n = raw.trim();
    if n.is_empty() {
        return Err(Error::invalid("file name must not be empty"));
    }
    if n.len() > MAX_FILE_NAME_BYTES {
        return Err(Error::invalid(format!(
            "file name must be at most {MAX_FILE_NAME_BYTES} bytes"
        )));
    }
    if n.contains('/') || n.contains('\\') {
        return Err(Error::invalid("file name must not contain path separators"));
    }
    if n == "." || n == ".." {
        return Err(Error::invalid("file name must not be '.' or '..'"));
    }
    if n.chars().any(|c| c.is_control()) {
        return Err(Error::invalid("file name contains control characters"));
    }
    Ok(n.to_string())
}

/// Time zones are IANA names such as `Europe/Berlin` or `UTC`.
pub fn timezone(raw: &str) -> Result<String> {
    let t = raw.trim();
    if t.is_empty()
        || t.len() > 64
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
    {
        return Err(Error::invalid(format!("'{t}' is not a time zone name")));
    }
    Ok(t.to_string())
}

pub fn idempotency_key(raw: &str) -> Result<String> {
    if raw.is_empty() || raw.len() > MAX_IDEMPOTENCY_KEY || raw.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(format!(
            "idempotency key must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters"
        )));
    }
    Ok(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usernames() {
        assert_eq!(username(" Alice ").unwrap(), "alice");
        assert!(username("al").is_err());
        assert!(username("1alice").is_err());
        assert!(username("al ice").is_err());
        assert!(username("channel").is_err());
        assert!(username("a.b-c_d").is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(email("Bob@Example.COM").unwrap(), "bob@example.com");
        for bad in [
            "bob",
            "@x.org",
            "bob@",
            "bob@x",
            "b ob@x.org",
            "a@b@c.org",
            "a@.x.org",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name("report.pdf").unwrap(), "report.pdf");
        for bad in ["../etc/passwd", "a/b", "a\\b", "..", "", "a\u{0}b"] {
            assert!(file_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn post_limits() {
        let max = "x".repeat(hearth_api::MAX_POST_CHARS);
        assert!(post_message(&max, false).is_ok());
        assert!(post_message(&format!("{max}x"), false).is_err());
        assert!(post_message("   ", false).is_err());
        assert!(post_message("", true).is_ok());
    }

    proptest! {
        #[test]
        fn valid_usernames_are_stable(s in "[a-z][a-z0-9._-]{2,21}") {
            prop_assume!(!["all", "channel", "here", "system"].contains(&s.as_str()));
            let once = username(&s).unwrap();
            prop_assert_eq!(username(&once).unwrap(), once);
        }

        #[test]
        fn slugs_never_contain_separators(s in "\\PC{0,80}") {
            if let Ok(v) = slug("team", &s) {
                prop_assert!(!v.contains('/') && !v.is_empty() && v.len() <= 64);
            }
        }
    }
}
