//! Translates a [`SearchQuery`] into a tantivy query over the schema.

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use uuid::Uuid;

use super::resolve::{FilterKind, Group, SearchQuery, TextMatch};
use crate::document::DocKind;
use crate::schema::{Fields, flag};

/// Text fields searched by text clauses, with their relative weights: the
/// thread root is context, so it counts less than the reply's own words.
fn text_fields(f: &Fields) -> [(Field, f32); 4] {
    [
        (f.message, 1.0),
        (f.file_names, 1.0),
        (f.file_text, 0.6),
        (f.root_text, 0.3),
    ]
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(term(field, text), IndexRecordOption::Basic))
}

/// Escapes regex metacharacters for a literal prefix.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn text_query(f: &Fields, m: &TextMatch) -> Box<dyn Query> {
    let per_field: Vec<(Occur, Box<dyn Query>)> = text_fields(f)
        .into_iter()
        .map(|(field, boost)| {
            let q: Box<dyn Query> = match m {
                TextMatch::Term(t) => {
                    Box::new(TermQuery::new(term(field, t), IndexRecordOption::WithFreqs))
                }
                TextMatch::Phrase(terms) if terms.len() >= 2 => {
                    Box::new(PhraseQuery::new_with_offset(
                        terms.iter().map(|(o, t)| (*o, term(field, t))).collect(),
                    ))
                }
                TextMatch::Phrase(terms) => match terms.first() {
                    Some((_, t)) => {
                        Box::new(TermQuery::new(term(field, t), IndexRecordOption::WithFreqs))
                    }
                    None => Box::new(EmptyQuery),
                },
                TextMatch::Prefix(p) => {
                    match RegexQuery::from_pattern(&format!("{}.*", regex_escape(p)), field) {
                        Ok(q) => Box::new(q),
                        Err(_) => Box::new(EmptyQuery),
                    }
                }
            };
            (
                Occur::Should,
                Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(per_field))
}

fn clause_query(f: &Fields, kind: &FilterKind) -> Box<dyn Query> {
    match kind {
        FilterKind::Text(m) => text_query(f, m),
        FilterKind::Hashtag(h) => filter(term_query(f.hashtags, h)),
        FilterKind::From(u) => filter(term_query(f.user_id, &u.to_string())),
        FilterKind::In(c) => filter(term_query(f.channel_id, &c.to_string())),
        FilterKind::Created {
            start_ms, end_ms, ..
        } => filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(f.created_at, *start_ms)),
            Bound::Excluded(Term::from_field_i64(f.created_at, *end_ms)),
        ))),
        FilterKind::HasFile => filter(term_query(f.flags, flag::FILE)),
        FilterKind::HasLink => filter(term_query(f.flags, flag::LINK)),
        FilterKind::IsThread => filter(Box::new(TermSetQuery::new([
            term(f.flags, flag::REPLY),
            term(f.flags, flag::HAS_REPLIES),
        ]))),
    }
}

/// The membership filter as a query. The scope is always enforced while
/// collecting (see [`crate::scope_filter`]); this term-set lookup has a fixed
/// cost per segment, so it is added only for unselective queries, where it
/// saves scoring and position checks on documents outside the scope.
fn scope_prefilter(f: &Fields, channels: &[Uuid]) -> Box<dyn Query> {
    filter(Box::new(TermSetQuery::new(
        channels
            .iter()
            .map(|id| term(f.channel_id, &id.to_string())),
    )))
}

/// Builds the full query: user clauses, document kind and, optionally, the
/// scope as a pre-filter.
pub(crate) fn build(
    f: &Fields,
    q: &SearchQuery,
    kind: DocKind,
    prefilter: Option<&[Uuid]>,
) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, filter(term_query(f.kind, kind.as_str())))];
    if let Some(channels) = prefilter {
        must.push((Occur::Must, scope_prefilter(f, channels)));
    }
    let mut groups: HashMap<Group, Vec<Box<dyn Query>>> = HashMap::new();
    let mut group_order: Vec<Group> = Vec::new();
    for clause in &q.clauses {
        let query = clause_query(f, &clause.kind);
        if clause.negated {
            must.push((Occur::MustNot, query));
        } else if let Some(g) = clause.group() {
            if !groups.contains_key(&g) {
                group_order.push(g);
            }
            groups.entry(g).or_default().push(query);
        } else {
            must.push((Occur::Must, query));
        }
    }
    for g in group_order {
        let mut members = groups.remove(&g).unwrap_or_default();
        let q = if members.len() == 1 {
            members.remove(0)
        } else {
            Box::new(BooleanQuery::new(
                members.into_iter().map(|m| (Occur::Should, m)).collect(),
            ))
        };
        must.push((Occur::Must, q));
    }
    Box::new(BooleanQuery::new(must))
}

/// Upper estimate of the documents the query's text clauses can match:
/// the smallest document frequency among required terms (`u64::MAX` when
/// there is no required term).
pub(crate) fn candidate_estimate(
    f: &Fields,
    q: &SearchQuery,
    doc_freq: impl Fn(&Term) -> u64,
) -> u64 {
    q.clauses
        .iter()
        .filter(|c| !c.negated)
        .filter_map(|c| match &c.kind {
            FilterKind::Text(TextMatch::Term(t)) => Some(doc_freq(&term(f.message, t))),
            FilterKind::Text(TextMatch::Phrase(terms)) => terms
                .iter()
                .map(|(_, t)| doc_freq(&term(f.message, t)))
                .min(),
            _ => None,
        })
        .min()
        .unwrap_or(u64::MAX)
}
