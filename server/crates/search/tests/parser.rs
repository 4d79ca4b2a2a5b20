//! The query parser: structure, error codes and positions, totality.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

use hearth_search::query::{
    ChannelName, Clause, DateOp, Day, FilterKind, HasKind, QueryTerm, Resolver, TextMatch, parse,
    parse_and_resolve,
};
use proptest::prelude::*;
use uuid::Uuid;

fn terms(input: &str) -> Vec<(bool, QueryTerm)> {
    parse(input)
        .unwrap()
        .clauses
        .into_iter()
        .map(|c| (c.negated, c.term))
        .collect()
}

fn code(input: &str) -> (&'static str, Option<usize>) {
    let e = parse(input).unwrap_err();
    (e.code(), e.position())
}

#[test]
fn words_phrases_prefixes_and_negations() {
    use QueryTerm::*;
    assert_eq!(
        terms(r#"deploy "exact phrase" -bug -"not this" pre* #Release-2"#),
        vec![
            (false, Word("deploy".into())),
            (false, Phrase("exact phrase".into())),
            (true, Word("bug".into())),
            (true, Phrase("not this".into())),
            (false, Prefix("pre".into())),
            (false, Hashtag("release-2".into())),
        ]
    );
}

#[test]
fn operators() {
    use QueryTerm::*;
    let day = Day {
        year: 2026,
        month: 3,
        day: 8,
    };
    assert_eq!(
        terms(
            "from:@ann from:bob in:~town-square in:general in:@carl before:2026-03-08 after:2026-03-08 on:2026-03-08 has:file has:link is:thread -FROM:@dave"
        ),
        vec![
            (false, From("ann".into())),
            (false, From("bob".into())),
            (false, In(ChannelName::Channel("town-square".into()))),
            (false, In(ChannelName::Channel("general".into()))),
            (false, In(ChannelName::Direct("carl".into()))),
            (false, Before(day)),
            (false, After(day)),
            (false, On(day)),
            (false, Has(HasKind::File)),
            (false, Has(HasKind::Link)),
            (false, IsThread),
            (true, From("dave".into())),
        ]
    );
}

#[test]
fn colons_that_are_not_operators_are_text() {
    use QueryTerm::*;
    assert_eq!(
        terms("https://example.com/a 12:30 std::io::Read Note: mailto:a@b.c"),
        vec![
            (false, Word("https://example.com/a".into())),
            (false, Word("12:30".into())),
            (false, Word("std::io::Read".into())),
            (false, Word("Note:".into())),
            (false, Word("mailto:a@b.c".into())),
        ]
    );
}

#[test]
fn positions_are_character_offsets() {
    let q = parse("café -from:@x").unwrap();
    assert_eq!(
        q.clauses[1],
        Clause {
            negated: true,
            position: 5,
            term: QueryTerm::From("x".into())
        }
    );
}

#[test]
fn errors_have_codes_and_positions() {
    assert_eq!(code(""), ("empty_query", None));
    assert_eq!(code("   "), ("empty_query", None));
    assert_eq!(code("!!! ---"), ("empty_query", None));
    assert_eq!(code("-bug -from:@a"), ("only_negations", None));
    assert_eq!(code(r#"deploy "server now"#), ("unbalanced_quote", Some(7)));
    assert_eq!(code("deploy frm:@ann"), ("unknown_operator", Some(7)));
    assert_eq!(code("before:2026-02-30"), ("bad_date", Some(0)));
    assert_eq!(code("x on:yesterday"), ("bad_date", Some(2)));
    assert_eq!(code("x after:2026-1-5"), ("bad_date", Some(2)));
    assert_eq!(code("from:"), ("missing_value", Some(0)));
    assert_eq!(code("from:@"), ("missing_value", Some(0)));
    assert_eq!(code("in:~"), ("missing_value", Some(0)));
    assert_eq!(code("has:banana"), ("bad_operator_value", Some(0)));
    assert_eq!(code("is:open"), ("bad_operator_value", Some(0)));
    assert_eq!(code(&"word ".repeat(33)), ("too_many_terms", None));
    assert!(parse(&"word ".repeat(32)).is_ok());
    let e = parse("deploy frm:@ann").unwrap_err();
    assert_eq!(e.to_string(), "unknown operator `frm:` at position 7");
    assert!(e.is_user_error());
}

struct Names;
impl Resolver for Names {
    fn user_id(&self, name: &str) -> Option<Uuid> {
        (name == "ann").then_some(Uuid::from_u128(1))
    }
    fn channel_id(&self, name: &str) -> Option<Uuid> {
        (name == "general").then_some(Uuid::from_u128(2))
    }
    fn direct_channel_id(&self, user_name: &str) -> Option<Uuid> {
        (user_name == "ann").then_some(Uuid::from_u128(3))
    }
}

#[test]
fn resolution_maps_names_and_reports_unknown_ones() {
    let q = parse_and_resolve("from:@ann in:general in:@ann", &Names, "UTC").unwrap();
    let kinds: Vec<_> = q.clauses.iter().map(|c| c.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            FilterKind::From(Uuid::from_u128(1)),
            FilterKind::In(Uuid::from_u128(2)),
            FilterKind::In(Uuid::from_u128(3)),
        ]
    );
    let e = parse_and_resolve("x from:@zed", &Names, "UTC").unwrap_err();
    assert_eq!((e.code(), e.position()), ("unknown_user", Some(2)));
    let e = parse_and_resolve("in:~nowhere", &Names, "UTC").unwrap_err();
    assert_eq!(e.code(), "unknown_channel");
    let e = parse_and_resolve("in:@zed", &Names, "UTC").unwrap_err();
    assert_eq!(e.code(), "unknown_user");
    let e = parse_and_resolve("x", &Names, "Mars/Olympus").unwrap_err();
    assert_eq!(e.code(), "bad_time_zone");
}

#[test]
fn dates_follow_the_callers_time_zone() {
    let range = |q: &str, tz: &str| match &parse_and_resolve(q, &Names, tz).unwrap().clauses[0].kind
    {
        FilterKind::Created {
            op,
            start_ms,
            end_ms,
        } => (*op, *start_ms, *end_ms),
        other => panic!("{other:?}"),
    };
    // 2026-03-08 is the US spring-forward day: 23 hours long in New York.
    let (op, start, end) = range("on:2026-03-08", "America/New_York");
    assert_eq!(op, DateOp::On);
    assert_eq!(start, 1_772_946_000_000); // 2026-03-08T05:00Z
    assert_eq!(end - start, 23 * 3_600_000);
    let (_, start_utc, _) = range("on:2026-03-08", "UTC");
    assert_eq!(start_utc, 1_772_928_000_000);
    let (_, min, before_end) = range("before:2026-03-08", "Asia/Tokyo");
    assert_eq!((min, before_end), (i64::MIN, 1_772_895_600_000)); // 2026-03-07T15:00Z
    let (_, after_start, max) = range("after:2026-03-07", "Asia/Tokyo");
    assert_eq!((after_start, max), (1_772_895_600_000, i64::MAX));
}

#[test]
fn text_becomes_terms_and_phrases() {
    assert_eq!(
        TextMatch::from_text("Deploying"),
        Some(TextMatch::Term("deploy".into()))
    );
    assert_eq!(
        TextMatch::from_text("foo_bar"),
        Some(TextMatch::Term("foo_bar".into()))
    );
    assert_eq!(
        TextMatch::from_text("deploy the server"),
        Some(TextMatch::Phrase(vec![
            (0, "deploy".into()),
            (1, "the".into()),
            (2, "server".into())
        ]))
    );
    assert_eq!(
        TextMatch::from_text("東京"),
        Some(TextMatch::Term("東京".into()))
    );
    assert_eq!(
        TextMatch::from_text("東"),
        Some(TextMatch::Term("東".into()))
    );
    assert_eq!(
        TextMatch::from_text("東京都"),
        Some(TextMatch::Phrase(vec![
            (0, "東京".into()),
            (1, "京都".into())
        ]))
    );
    assert_eq!(TextMatch::from_text("?!"), None);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any input yields a query or a user error; never a panic.
    #[test]
    fn parser_is_total(input in "\\PC{0,40}") {
        if let Err(e) = parse(&input) {
            prop_assert!(e.is_user_error(), "{e:?}");
        }
    }

    #[test]
    fn parser_is_total_on_query_like_input(
        parts in prop::collection::vec(
            prop_oneof![
                Just("-".to_owned()), Just("\"".to_owned()), Just(":".to_owned()), Just("*".to_owned()),
                Just("#".to_owned()), Just("@".to_owned()), Just("~".to_owned()), Just(" ".to_owned()),
                Just("from".to_owned()), Just("in".to_owned()), Just("on".to_owned()), Just("has".to_owned()),
                Just("2026-01-01".to_owned()), Just("東京".to_owned()), Just("é".to_owned()),
                "[a-z0-9_]{1,5}",
            ],
            0..12,
        )
    ) {
        let input = parts.concat();
        match parse(&input) {
            Ok(q) => {
                prop_assert!(!q.clauses.is_empty());
                prop_assert!(q.clauses.iter().any(|c| !c.negated));
                // Resolution is total as well.
                let _ = q.resolve(&Names, "Europe/Paris");
            }
            Err(e) => prop_assert!(e.is_user_error(), "{e:?}"),
        }
    }
}
