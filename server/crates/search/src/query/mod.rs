//! The query language: parsing, name resolution, translation to tantivy.

pub(crate) mod build;
pub mod parse;
pub mod resolve;

pub use crate::scope_filter::Scope;
pub use parse::{ChannelName, Clause, Day, HasKind, MAX_CLAUSES, ParsedQuery, QueryTerm, parse};
pub use resolve::{
    DateOp, Filter, FilterKind, Group, Resolver, SearchQuery, TextMatch, parse_and_resolve,
};
