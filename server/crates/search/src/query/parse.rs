//! Parser for the query language users type in the search box.
//!
//! Pure: names stay unresolved; see [`super::resolve`] for turning them into
//! ids. Grammar (whitespace-separated items, each optionally negated by a
//! leading `-`):
//!
//! * `word`, `"exact phrase"`, `prefix*`, `#hashtag`
//! * `from:@user` / `from:user`
//! * `in:~channel` / `in:channel` / `in:@user` (direct messages with user)
//! * `before:YYYY-MM-DD`, `after:YYYY-MM-DD`, `on:YYYY-MM-DD`
//! * `has:file`, `has:link`, `is:thread`
//!
//! A word whose colon does not introduce an operator (URLs, `12:30`,
//! `std::io`, `Note:`) is plain text; `xyz:value` with a letters-only `xyz`
//! that is not an operator is an `unknown_operator` error, since it is almost
//! always a typo of one.

use crate::analysis::markdown::normalize_hashtag;
use crate::analysis::{analyze, normalize};
use crate::error::{Error, Result};

/// A query as typed, split into clauses, names unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Clauses in input order.
    pub clauses: Vec<Clause>,
}

/// One item of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Written with a leading `-`: documents matching it are excluded.
    pub negated: bool,
    /// Character offset (0-based) of the clause in the input.
    pub position: usize,
    /// What the clause asks for.
    pub term: QueryTerm,
}

/// The kinds of clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryTerm {
    /// A bare word (analyzed like message text).
    Word(String),
    /// Text between double quotes: words in this exact order.
    Phrase(String),
    /// `abc*`: any word starting with the folded prefix.
    Prefix(String),
    /// `#tag`, normalized, without `#`.
    Hashtag(String),
    /// `from:` with the user name (without `@`).
    From(String),
    /// `in:` with a channel or direct-message partner.
    In(ChannelName),
    /// `before:` (strictly before that day).
    Before(Day),
    /// `after:` (strictly after that day).
    After(Day),
    /// `on:` (during that day).
    On(Day),
    /// `has:`
    Has(HasKind),
    /// `is:thread`: replies and posts that have replies.
    IsThread,
}

/// Target of `in:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelName {
    /// `in:~name` or `in:name`.
    Channel(String),
    /// `in:@user`: the direct-message channel between the caller and user.
    Direct(String),
}

/// A calendar day, interpreted in the caller's time zone at resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// Year (1..=9999).
    pub year: i16,
    /// Month (1..=12).
    pub month: i8,
    /// Day of month.
    pub day: i8,
}

/// Values of `has:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HasKind {
    /// Has at least one attachment.
    File,
    /// Contains a link.
    Link,
}

/// Bound on clauses per query, so one request cannot fan out into
/// hundreds of term and prefix expansions.
pub const MAX_CLAUSES: usize = 32;

const OPERATORS: &[&str] = &["from", "in", "before", "after", "on", "has", "is"];

/// Prefixes of `scheme:rest` words that are text, not mistyped operators.
const URI_SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "mailto", "tel", "urn", "file", "data", "ssh", "git", "xmpp",
    "magnet", "irc", "ircs", "sip", "ws", "wss",
];

/// Parses a user query. Total: returns an error, never panics.
pub fn parse(input: &str) -> Result<ParsedQuery> {
    let chars: Vec<char> = input.chars().collect();
    let mut clauses = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let position = i;
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        let term = if chars[i] == '"' {
            let close = chars[i + 1..]
                .iter()
                .position(|c| *c == '"')
                .ok_or(Error::UnbalancedQuote { position: i })?;
            let text: String = chars[i + 1..i + 1 + close].iter().collect();
            i += close + 2;
            (!analyze(&text).is_empty()).then_some(QueryTerm::Phrase(text))
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            classify(&word, start)?
        };
        if let Some(term) = term {
            clauses.push(Clause {
                negated,
                position,
                term,
            });
        }
    }
    if clauses.is_empty() {
        return Err(Error::EmptyQuery);
    }
    if clauses.iter().all(|c| c.negated) {
        return Err(Error::OnlyNegations);
    }
    if clauses.len() > MAX_CLAUSES {
        return Err(Error::TooManyClauses { max: MAX_CLAUSES });
    }
    Ok(ParsedQuery { clauses })
}

/// Classifies one bare item; `None` if it holds nothing searchable.
fn classify(word: &str, position: usize) -> Result<Option<QueryTerm>> {
    if let Some(tag) = word.strip_prefix('#').and_then(normalize_hashtag) {
        return Ok(Some(QueryTerm::Hashtag(tag)));
    }
    if let Some((name, value)) = word.split_once(':') {
        let lower = name.to_ascii_lowercase();
        if OPERATORS.contains(&lower.as_str()) {
            return operator(&lower, value, position).map(Some);
        }
        let looks_like_operator = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphabetic())
            && !value.is_empty()
            && !value.starts_with(['/', ':'])
            && !URI_SCHEMES.contains(&lower.as_str());
        if looks_like_operator {
            return Err(Error::UnknownOperator {
                operator: name.to_owned(),
                position,
            });
        }
    }
    if let Some(stem) = word.strip_suffix('*') {
        let stem = stem.trim_end_matches('*');
        let folded = normalize::fold(stem);
        let single_term =
            !folded.is_empty() && folded.chars().all(|c| c.is_alphanumeric() || c == '_');
        if single_term {
            return Ok(Some(QueryTerm::Prefix(folded)));
        }
        return Ok((!analyze(stem).is_empty()).then(|| QueryTerm::Word(stem.to_owned())));
    }
    Ok((!analyze(word).is_empty()).then(|| QueryTerm::Word(word.to_owned())))
}

fn operator(name: &str, value: &str, position: usize) -> Result<QueryTerm> {
    let missing = || Error::MissingValue {
        operator: name.to_owned(),
        position,
    };
    let bad_value = || Error::BadOperatorValue {
        operator: name.to_owned(),
        value: value.to_owned(),
        position,
    };
    if value.is_empty() {
        return Err(missing());
    }
    Ok(match name {
        "from" => {
            let user = value.strip_prefix('@').unwrap_or(value);
            if user.is_empty() {
                return Err(missing());
            }
            QueryTerm::From(user.to_owned())
        }
        "in" => {
            let target = if let Some(user) = value.strip_prefix('@') {
                ChannelName::Direct(user.to_owned())
            } else {
                ChannelName::Channel(value.strip_prefix('~').unwrap_or(value).to_owned())
            };
            match &target {
                ChannelName::Direct(n) | ChannelName::Channel(n) if n.is_empty() => {
                    return Err(missing());
                }
                _ => QueryTerm::In(target),
            }
        }
        "before" | "after" | "on" => {
            let day = parse_day(value).ok_or_else(|| Error::BadDate {
                value: value.to_owned(),
                position,
            })?;
            match name {
                "before" => QueryTerm::Before(day),
                "after" => QueryTerm::After(day),
                _ => QueryTerm::On(day),
            }
        }
        "has" => match value.to_lowercase().as_str() {
            "file" | "files" | "attachment" | "attachments" => QueryTerm::Has(HasKind::File),
            "link" | "links" => QueryTerm::Has(HasKind::Link),
            _ => return Err(bad_value()),
        },
        "is" => match value.to_lowercase().as_str() {
            "thread" | "threads" => QueryTerm::IsThread,
            _ => return Err(bad_value()),
        },
        _ => {
            return Err(Error::UnknownOperator {
                operator: name.to_owned(),
                position,
            });
        }
    })
}

/// Strict `YYYY-MM-DD` (a real calendar day, year 1..=9999).
fn parse_day(value: &str) -> Option<Day> {
    let mut parts = value.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let (year, month, day) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    jiff::civil::Date::new(year, month, day).ok()?;
    (year >= 1).then_some(Day { year, month, day })
}
