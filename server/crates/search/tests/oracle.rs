//! Search results equal a brute-force scan of the corpus, for every operator
//! and combinations, and never leave the caller's scope.

#![expect(
    clippy::unwrap_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::collections::HashSet;

use common::{Corpus, Oracle, search_ids, small_index};
use hearth_search::Scope;
use hearth_search::query::parse_and_resolve;
use proptest::prelude::*;
use uuid::Uuid;

const TZ: &str = "Europe/Berlin";

const QUERIES: &[&str] = &[
    "deploy",
    "deploying",
    "deployed server",
    "cafe",
    "CAFÉ",
    "deploy server",
    "\"deploy server\"",
    "\"merge branch test\"",
    "-bug deploy",
    "depl*",
    "coff*",
    "from:@user1",
    "from:user1 from:@user2",
    "from:user1 from:@user2 rocket",
    "in:~chan1",
    "in:chan1 in:chan2 rocket",
    "in:@user0",
    "in:@user0 in:~chan3",
    "before:2026-01-20",
    "after:2026-02-10",
    "on:2026-01-15",
    "on:2026-01-15 on:2026-01-16",
    "after:2026-01-10 before:2026-01-20 lunch",
    "has:file",
    "has:link",
    "has:file has:link",
    "is:thread",
    "is:thread deploy",
    "#release-2",
    "#oncall deploy",
    "#design",
    "foo_bar",
    "foo",
    "io",
    "std::io::Read",
    "HTTP_404",
    "404",
    "timeout",
    "ReadTimeout",
    "東京",
    "京都",
    "東",
    "会議",
    "東京都",
    "quarterly",
    "report",
    "-from:@user1 deploy",
    "deploy -has:link",
    "-in:chan1 server",
    "-\"deploy server\" server",
    "-depl* server",
    "from:@user1 in:chan2 after:2026-01-10 test",
    "-on:2026-01-15 has:file",
    "-is:thread -has:file coffee",
    "-#oncall deploy",
    "example.com",
    "docs",
];

fn check(
    corpus: &Corpus,
    index: &hearth_search::SearchIndex,
    oracle: &Oracle,
    text: &str,
    scope: &Scope,
) {
    let query = parse_and_resolve(text, corpus, TZ).unwrap_or_else(|e| panic!("{text}: {e}"));
    let expected = oracle.ids(&query, scope);
    let (total, ids) = search_ids(index, &query, scope);
    let got: HashSet<Uuid> = ids.iter().copied().collect();
    assert_eq!(got.len(), ids.len(), "{text}: duplicate hits");
    assert_eq!(total, expected.len(), "{text}: total");
    assert_eq!(got, expected, "{text}: hit set");
}

#[test]
fn every_operator_matches_brute_force() {
    let corpus = Corpus::generate(7, 3000);
    let (_dir, index) = small_index();
    corpus.index_into(&index);
    let oracle = Oracle::new(&corpus.posts);
    let scopes = [
        Scope::All,
        Scope::Channels(corpus.channels.iter().step_by(2).map(|c| c.1).collect()),
    ];
    let mut nonempty = 0;
    for text in QUERIES {
        for scope in &scopes {
            check(&corpus, &index, &oracle, text, scope);
        }
        let q = parse_and_resolve(text, &corpus, TZ).unwrap();
        if !oracle.ids(&q, &Scope::All).is_empty() {
            nonempty += 1;
        }
    }
    // The corpus must exercise the operators, not just agree on empty sets.
    assert!(
        nonempty >= QUERIES.len() - 2,
        "only {nonempty} queries had hits"
    );
}

fn piece() -> impl Strategy<Value = String> {
    let word = prop::sample::select(common::VOCAB).prop_map(str::to_owned);
    let op = prop::sample::select(
        &[
            "from:@user0",
            "from:user3",
            "in:~chan0",
            "in:chan5",
            "in:@user1",
            "has:file",
            "has:link",
            "is:thread",
            "#oncall",
            "before:2026-02-01",
            "after:2026-01-20",
            "on:2026-01-05",
            "foo_bar",
            "東京",
        ][..],
    )
    .prop_map(str::to_owned);
    let phrase = (
        prop::sample::select(common::VOCAB),
        prop::sample::select(common::VOCAB),
    )
        .prop_map(|(a, b)| format!("\"{a} {b}\""));
    let prefix = prop::sample::select(common::VOCAB).prop_map(|w| format!("{}*", &w[..3]));
    (
        prop_oneof![3 => word, 3 => op, 1 => phrase, 1 => prefix],
        any::<bool>(),
    )
        .prop_map(|(p, neg)| if neg { format!("-{p}") } else { p })
}

#[test]
fn random_queries_stay_in_scope_and_match_oracle() {
    let corpus = Corpus::generate(11, 2000);
    let (_dir, index) = small_index();
    corpus.index_into(&index);
    let oracle = Oracle::new(&corpus.posts);
    let channels: Vec<Uuid> = corpus.channels.iter().map(|c| c.1).collect();
    let config = ProptestConfig {
        cases: 96,
        ..ProptestConfig::default()
    };
    proptest!(config, |(pieces in prop::collection::vec(piece(), 1..5),
                        mask in prop::collection::vec(any::<bool>(), channels.len()))| {
        let text = pieces.join(" ");
        let Ok(query) = parse_and_resolve(&text, &corpus, TZ) else {
            // Only all-negated combinations are rejected.
            prop_assume!(false);
            unreachable!()
        };
        let scope_ids: Vec<Uuid> =
            channels.iter().zip(&mask).filter(|(_, m)| **m).map(|(c, _)| *c).collect();
        let scope = Scope::Channels(scope_ids.clone());
        let (total, ids) = search_ids(&index, &query, &scope);
        let in_scope: HashSet<Uuid> = corpus
            .posts
            .iter()
            .filter(|p| scope_ids.contains(&p.channel_id))
            .map(|p| p.id)
            .collect();
        for id in &ids {
            prop_assert!(in_scope.contains(id), "{}: hit outside scope", text);
        }
        let expected = oracle.ids(&query, &scope);
        prop_assert_eq!(total, expected.len());
        prop_assert_eq!(ids.into_iter().collect::<HashSet<_>>(), expected);
    });
}
