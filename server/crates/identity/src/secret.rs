//! A secret from the configuration (LDAP bind password, OpenID client
//! secret, metrics bearer token, audit and MFA keys) that cannot be printed
//! by accident.
//!
//! `Debug` and `Display` print `[redacted]`, and so does serialisation,
//! except inside [`Secret::revealing`]: the server reveals secrets only
//! where it writes the configuration back to its own file (or keeps it as
//! JSON to edit). `hearth config check`, logs and error messages see
//! `[redacted]`.
//!
//! Not the `secrecy` crate: the console writes the configuration back to its
//! file through serde, which `secrecy` refuses for strings by design.

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a secret prints and serialises as.
pub const REDACTED: &str = "[redacted]";

thread_local! {
    /// Set only while [`Secret::revealing`] runs its closure on this thread.
    static REVEAL: Cell<bool> = const { Cell::new(false) };
}

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

/// Puts the reveal flag back when the closure ends, even by a panic.
struct Restore(bool);

impl Drop for Restore {
    fn drop(&mut self) {
        REVEAL.with(|r| r.set(self.0));
    }
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Runs `f` (a serialisation) with secrets serialised as their value.
    pub fn revealing<T>(f: impl FnOnce() -> T) -> T {
        let before = REVEAL.with(|r| r.replace(true));
        let _restore = Restore(before);
        f()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if REVEAL.with(Cell::get) {
            s.serialize_str(&self.0)
        } else {
            s.serialize_str(REDACTED)
        }
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Secret {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Secret {
        Secret(s.to_string())
    }
}

impl PartialEq<str> for Secret {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Secret {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed_unless_revealed() {
        let s = Secret::from("hunter2");
        assert_eq!(format!("{s} {s:?}"), "[redacted] [redacted]");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"[redacted]\"");
        let shown = Secret::revealing(|| serde_json::to_string(&s).unwrap());
        assert_eq!(shown, "\"hunter2\"");
        // Only for the closure.
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"[redacted]\"");
        let back: Secret = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(back, "hunter2");
        assert_eq!(back.expose(), "hunter2");
    }
}
