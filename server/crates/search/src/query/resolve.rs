//! Turns a parsed query into a [`SearchQuery`]: names become ids through a
//! caller-supplied [`Resolver`], days become UTC millisecond ranges in the
//! caller's time zone, and text becomes analyzed index terms.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::parse::{ChannelName, Day, HasKind, ParsedQuery, QueryTerm};
use crate::analysis::{AnalyzedToken, TokenKind, analyze};
use crate::error::{Error, Result};

/// Maps names typed by the user to ids. Implemented by the server on top of
/// its database; returning `None` yields `unknown_user` / `unknown_channel`.
pub trait Resolver {
    /// User id for a user name (without `@`).
    fn user_id(&self, name: &str) -> Option<Uuid>;
    /// Channel id for a channel name (without `~`).
    fn channel_id(&self, name: &str) -> Option<Uuid>;
    /// Id of the direct-message channel between the caller and `user_name`.
    fn direct_channel_id(&self, user_name: &str) -> Option<Uuid>;
}

/// A fully resolved query: ids and index terms only, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// Clauses. Positive clauses of the same [`Filter::group`] are OR-ed,
    /// different groups and text clauses AND-ed; negated clauses exclude.
    pub clauses: Vec<Filter>,
}

/// One resolved clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Exclude documents that match.
    pub negated: bool,
    /// What to match.
    pub kind: FilterKind,
}

/// What a resolved clause matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterKind {
    /// Text in any text field (message, thread root, file names, file text).
    Text(TextMatch),
    /// A hashtag (normalized, without `#`).
    Hashtag(String),
    /// Author / uploader.
    From(Uuid),
    /// Channel.
    In(Uuid),
    /// Creation time in `[start_ms, end_ms)`, from a date operator.
    Created {
        /// Which operator produced it (for grouping).
        op: DateOp,
        /// Inclusive lower bound, ms since epoch.
        start_ms: i64,
        /// Exclusive upper bound, ms since epoch.
        end_ms: i64,
    },
    /// `has:file`
    HasFile,
    /// `has:link`
    HasLink,
    /// `is:thread`
    IsThread,
}

/// Date operator kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOp {
    /// `before:`
    Before,
    /// `after:`
    After,
    /// `on:`
    On,
}

/// Operator families: several positive clauses of one family are OR-ed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// `from:`
    From,
    /// `in:`
    In,
    /// `before:` / `after:` / `on:` (each its own family).
    Date(DateOp),
    /// `has:`
    Has,
    /// `is:`
    Is,
}

impl Filter {
    /// The family used for OR-ing, `None` for text and hashtags (always AND-ed).
    pub fn group(&self) -> Option<Group> {
        match self.kind {
            FilterKind::Text(_) | FilterKind::Hashtag(_) => None,
            FilterKind::From(_) => Some(Group::From),
            FilterKind::In(_) => Some(Group::In),
            FilterKind::Created { op, .. } => Some(Group::Date(op)),
            FilterKind::HasFile | FilterKind::HasLink => Some(Group::Has),
            FilterKind::IsThread => Some(Group::Is),
        }
    }
}

/// Analyzed text to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextMatch {
    /// One index term.
    Term(String),
    /// Terms at relative positions (offset, term), at least two.
    Phrase(Vec<(usize, String)>),
    /// Any term starting with this (folded, unstemmed) prefix.
    Prefix(String),
}

impl TextMatch {
    /// Analyzes free text into a term or phrase; `None` if nothing is left.
    ///
    /// Identifiers are matched whole, CJK runs by consecutive character
    /// pairs (single characters only for runs of one).
    pub fn from_text(text: &str) -> Option<TextMatch> {
        let tokens = analyze(text);
        let mut terms: Vec<(usize, String)> = tokens
            .iter()
            .filter(|t| keep_for_query(t, &tokens))
            .map(|t| (t.position, t.text.clone()))
            .collect();
        let base = terms.first()?.0;
        for t in &mut terms {
            t.0 -= base;
        }
        if terms.len() == 1 {
            terms.pop().map(|(_, t)| TextMatch::Term(t))
        } else {
            Some(TextMatch::Phrase(terms))
        }
    }
}

fn keep_for_query(t: &AnalyzedToken, all: &[AnalyzedToken]) -> bool {
    match t.kind {
        TokenKind::Word | TokenKind::CodeWhole | TokenKind::CjkBigram => true,
        TokenKind::CodePart => false,
        TokenKind::CjkChar => !all.iter().any(|o| {
            o.kind == TokenKind::CjkBigram
                && o.offset_from <= t.offset_from
                && t.offset_to <= o.offset_to
        }),
    }
}

impl ParsedQuery {
    /// Resolves names and dates. `time_zone` is an IANA name such as
    /// `Europe/Paris`; days are midnight-to-midnight in that zone.
    pub fn resolve(&self, resolver: &dyn Resolver, time_zone: &str) -> Result<SearchQuery> {
        let tz = TimeZone::get(time_zone).map_err(|_| Error::BadTimeZone(time_zone.to_owned()))?;
        let mut clauses = Vec::with_capacity(self.clauses.len());
        for clause in &self.clauses {
            let position = clause.position;
            let kind = match &clause.term {
                QueryTerm::Word(w) | QueryTerm::Phrase(w) => match TextMatch::from_text(w) {
                    Some(m) => FilterKind::Text(m),
                    None => continue,
                },
                QueryTerm::Prefix(p) => FilterKind::Text(TextMatch::Prefix(p.clone())),
                QueryTerm::Hashtag(h) => FilterKind::Hashtag(h.clone()),
                QueryTerm::From(name) => {
                    FilterKind::From(resolver.user_id(name).ok_or_else(|| Error::UnknownUser {
                        name: name.clone(),
                        position,
                    })?)
                }
                QueryTerm::In(ChannelName::Channel(name)) => {
                    FilterKind::In(resolver.channel_id(name).ok_or_else(|| {
                        Error::UnknownChannel {
                            name: name.clone(),
                            position,
                        }
                    })?)
                }
                QueryTerm::In(ChannelName::Direct(name)) => {
                    FilterKind::In(resolver.direct_channel_id(name).ok_or_else(|| {
                        Error::UnknownUser {
                            name: name.clone(),
                            position,
                        }
                    })?)
                }
                QueryTerm::Before(d) => date_range(DateOp::Before, *d, &tz),
                QueryTerm::After(d) => date_range(DateOp::After, *d, &tz),
                QueryTerm::On(d) => date_range(DateOp::On, *d, &tz),
                QueryTerm::Has(HasKind::File) => FilterKind::HasFile,
                QueryTerm::Has(HasKind::Link) => FilterKind::HasLink,
                QueryTerm::IsThread => FilterKind::IsThread,
            };
            clauses.push(Filter {
                negated: clause.negated,
                kind,
            });
        }
        if clauses.is_empty() {
            return Err(Error::EmptyQuery);
        }
        if clauses.iter().all(|c| c.negated) {
            return Err(Error::OnlyNegations);
        }
        Ok(SearchQuery { clauses })
    }
}

/// Milliseconds of the first instant of `day` in `tz` (handles DST gaps).
fn day_start_ms(day: Date, tz: &TimeZone) -> i64 {
    day.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or_else(|_| if day.year() <= 1 { i64::MIN } else { i64::MAX })
}

fn date_range(op: DateOp, day: Day, tz: &TimeZone) -> FilterKind {
    // The parser only produces valid days; fall back to an empty range otherwise.
    let Ok(date) = Date::new(day.year, day.month, day.day) else {
        return FilterKind::Created {
            op,
            start_ms: 0,
            end_ms: 0,
        };
    };
    let start = day_start_ms(date, tz);
    let next = date.tomorrow().map_or(i64::MAX, |d| day_start_ms(d, tz));
    let (start_ms, end_ms) = match op {
        DateOp::Before => (i64::MIN, start),
        DateOp::After => (next, i64::MAX),
        DateOp::On => (start, next),
    };
    FilterKind::Created {
        op,
        start_ms,
        end_ms,
    }
}

/// Parses and resolves in one step: what a search request handler calls.
pub fn parse_and_resolve(
    input: &str,
    resolver: &dyn Resolver,
    time_zone: &str,
) -> Result<SearchQuery> {
    super::parse::parse(input)?.resolve(resolver, time_zone)
}
