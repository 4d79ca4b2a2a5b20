//! Retention purge plans against a simple oracle, and legal hold protection.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers outside `#[test]` functions fail the test by panicking"
)]

mod common;

use std::collections::{BTreeSet, HashMap};

use common::*;
use hearth_compliance::holds::{
    DeleteDisposition, HoldStatus, LegalHold, covers, holds_on_user, on_post_delete,
};
use hearth_compliance::model::*;
use hearth_compliance::retention::*;
use proptest::prelude::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 400 * DAY;
const TEAMS: [&str; 2] = ["t-1", "t-2"];
const CHANNELS: [&str; 4] = ["c-1", "c-2", "c-3", "c-4"];
const USERS: [&str; 4] = ["u-1", "u-2", "u-3", "u-4"];

fn keep() -> impl Strategy<Value = Option<Keep>> {
    prop_oneof![
        Just(None),
        Just(Some(Keep::Forever)),
        (0u32..400).prop_map(|d| Some(Keep::days(d)))
    ]
}

fn periods() -> impl Strategy<Value = Periods> {
    (keep(), keep()).prop_map(|(messages, files)| Periods { messages, files })
}

fn policies() -> impl Strategy<Value = RetentionPolicies> {
    (
        periods(),
        prop::collection::vec(periods(), 2),
        prop::collection::vec(prop::option::of(periods()), 4),
    )
        .prop_map(|(global, teams, channels)| RetentionPolicies {
            global,
            teams: TEAMS.iter().map(|t| t.to_string()).zip(teams).collect(),
            channels: CHANNELS
                .iter()
                .zip(channels)
                .filter_map(|(c, p)| p.map(|p| (c.to_string(), p)))
                .collect(),
        })
}

fn hold() -> impl Strategy<Value = LegalHold> {
    (
        prop::collection::vec(0usize..4, 0..3),
        prop::collection::vec(0usize..4, 0..2),
        any::<bool>(),
        prop::option::of(0i64..400),
        prop::option::of(0i64..400),
        any::<bool>(),
    )
        .prop_map(
            |(custodians, channels, context, start, end, active)| LegalHold {
                id: format!("h-{custodians:?}-{channels:?}"),
                name: "matter".into(),
                description: String::new(),
                custodians: custodians
                    .into_iter()
                    .map(|i| USERS[i].to_string())
                    .collect(),
                channels: channels
                    .into_iter()
                    .map(|i| CHANNELS[i].to_string())
                    .collect(),
                include_channel_context: context,
                start: start.map(|d| d * DAY),
                end: end.map(|d| d * DAY),
                status: if active {
                    HoldStatus::Active
                } else {
                    HoldStatus::Released
                },
            },
        )
}

fn posts() -> impl Strategy<Value = Vec<Post>> {
    prop::collection::vec(
        (
            0usize..4,
            0usize..4,
            0i64..400 * DAY,
            0usize..3,
            any::<bool>(),
        ),
        0..60,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (c, u, at, nfiles, deleted))| {
                let mut p = post(&format!("p-{i}"), CHANNELS[c], USERS[u], at, "m");
                // Channels 1-2 in team 1, 3 in team 2, 4 a direct channel.
                p.team_id = match c {
                    0 | 1 => Some("t-1".into()),
                    2 => Some("t-2".into()),
                    _ => None,
                };
                p.attachments = (0..nfiles)
                    .map(|f| attachment(&format!("f-{i}-{f}"), "a.bin", "x/y", b"abc"))
                    .collect();
                if deleted {
                    p.deleted_at = Some(at + 1);
                }
                p
            })
            .collect()
    })
}

/// The rules, written out the slow and obvious way.
fn oracle(
    pol: &RetentionPolicies,
    holds: &[LegalHold],
    posts: &[Post],
) -> (BTreeSet<String>, BTreeSet<FileRef>) {
    let mut del_posts = BTreeSet::new();
    let mut del_files = BTreeSet::new();
    for p in posts {
        let held = holds.iter().any(|h| {
            h.status == HoldStatus::Active
                && (h.start.is_none() || p.created_at >= h.start.unwrap())
                && (h.end.is_none() || p.created_at <= h.end.unwrap())
                && (h.channels.is_empty() || h.channels.contains(&p.channel_id))
                && (h.custodians.contains(&p.author_id)
                    || (h.include_channel_context && !h.channels.is_empty()))
        });
        if held {
            continue;
        }
        let level = |get: &dyn Fn(&Periods) -> Option<Keep>| -> Keep {
            if let Some(k) = pol.channels.get(&p.channel_id).and_then(get) {
                return k;
            }
            if let Some(k) = p
                .team_id
                .as_ref()
                .and_then(|t| pol.teams.get(t))
                .and_then(get)
            {
                return k;
            }
            get(&pol.global).unwrap_or(Keep::Forever)
        };
        let old = |k: Keep| match k {
            Keep::Forever => false,
            Keep::Millis(ms) => (p.created_at as i128) < (NOW as i128 - ms as i128),
        };
        let msg_old = old(level(&|x: &Periods| x.messages));
        let file_old = old(level(&|x: &Periods| x.files));
        if msg_old {
            del_posts.insert(p.id.clone());
        }
        if msg_old || file_old {
            for a in &p.attachments {
                del_files.insert(FileRef {
                    post_id: p.id.clone(),
                    file_id: a.file_id.clone(),
                });
            }
        }
    }
    (del_posts, del_files)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn purge_plan_matches_oracle_and_spares_held_content(
        pol in policies(),
        holds in prop::collection::vec(hold(), 0..3),
        posts in posts(),
        batch in 1usize..8,
    ) {
        let plan = evaluate(&pol, &holds, NOW, &posts, batch);
        let got_posts: BTreeSet<String> = plan.posts().map(str::to_string).collect();
        let got_files: BTreeSet<FileRef> = plan.files().cloned().collect();
        let (want_posts, want_files) = oracle(&pol, &holds, &posts);
        prop_assert_eq!(&got_posts, &want_posts);
        prop_assert_eq!(&got_files, &want_files);
        // No duplicates, batches bounded unless one post's files alone exceed it.
        prop_assert_eq!(plan.posts().count(), got_posts.len());
        prop_assert_eq!(plan.files().count(), got_files.len());
        for b in &plan.batches {
            prop_assert!(b.posts.len() + b.files.len() <= batch.max(3));
            prop_assert!(!b.posts.is_empty() || !b.files.is_empty());
        }
        // Never anything an active hold covers.
        let by_id: HashMap<&str, &Post> = posts.iter().map(|p| (p.id.as_str(), p)).collect();
        for id in plan.posts().chain(plan.files().map(|f| f.post_id.as_str())) {
            let p = by_id[id];
            prop_assert!(!holds.iter().any(|h| covers(h, p)));
        }
        // The report adds up.
        prop_assert_eq!(plan.report.total_posts as usize, got_posts.len());
        prop_assert_eq!(plan.report.total_files as usize, got_files.len());
        // Deterministic whatever the input order.
        let mut reversed = posts.clone();
        reversed.reverse();
        prop_assert_eq!(evaluate(&pol, &holds, NOW, &reversed, batch), plan);
    }
}

fn policy_days(global: Option<u32>, team: Option<u32>, channel: Option<u32>) -> RetentionPolicies {
    let p = |d: Option<u32>| Periods {
        messages: d.map(Keep::days),
        files: None,
    };
    RetentionPolicies {
        global: p(global),
        teams: [("t-1".to_string(), p(team))].into(),
        channels: [("c-1".to_string(), p(channel))].into(),
    }
}

#[test]
fn most_specific_policy_wins() {
    let old = post("p", "c-1", "u-1", NOW - 20 * DAY, "x");
    let mut other = post("q", "c-2", "u-1", NOW - 20 * DAY, "x");
    other.team_id = Some("t-1".into());
    let plan = evaluate(
        &policy_days(Some(10), Some(30), Some(5)),
        &[],
        NOW,
        [&old, &other],
        10,
    );
    // Channel c-1: 5 days, purged. Channel c-2 falls back to team: 30 days, kept.
    assert_eq!(plan.posts().collect::<Vec<_>>(), ["p"]);
    let plan = evaluate(
        &policy_days(Some(10), None, None),
        &[],
        NOW,
        [&old, &other],
        10,
    );
    assert_eq!(plan.posts().count(), 2);
    let plan = evaluate(&RetentionPolicies::default(), &[], NOW, [&old, &other], 10);
    assert!(plan.batches.is_empty(), "keep forever by default");
}

#[test]
fn files_can_expire_before_messages() {
    let mut p = post("p", "c-9", "u-1", NOW - 20 * DAY, "x");
    p.attachments = vec![attachment("f", "a", "x/y", b"12345")];
    let pol = RetentionPolicies {
        global: Periods {
            messages: Some(Keep::days(365)),
            files: Some(Keep::days(7)),
        },
        ..Default::default()
    };
    let plan = evaluate(&pol, &[], NOW, [&p], 10);
    assert_eq!(plan.posts().count(), 0);
    assert_eq!(
        plan.files().cloned().collect::<Vec<_>>(),
        [FileRef {
            post_id: "p".into(),
            file_id: "f".into()
        }]
    );
    let stats = &plan.report.channels["c-9"];
    assert_eq!(
        (stats.files, stats.file_bytes, stats.oldest),
        (1, 5, Some(NOW - 20 * DAY))
    );
}

fn custodian_hold(custodians: &[&str], channels: &[&str]) -> LegalHold {
    LegalHold {
        id: "h-1".into(),
        name: "Matter".into(),
        description: "pending litigation".into(),
        custodians: custodians.iter().map(|s| s.to_string()).collect(),
        channels: channels.iter().map(|s| s.to_string()).collect(),
        include_channel_context: false,
        start: Some(NOW - 100 * DAY),
        end: Some(NOW - 10 * DAY),
        status: HoldStatus::Active,
    }
}

#[test]
fn hold_coverage_rules() {
    let h = custodian_hold(&["u-1"], &[]);
    let p = post("p", "c-1", "u-1", NOW - 50 * DAY, "x");
    assert!(covers(&h, &p));
    assert!(
        !covers(&h, &post("p", "c-1", "u-2", NOW - 50 * DAY, "x")),
        "not a custodian"
    );
    assert!(
        !covers(&h, &post("p", "c-1", "u-1", NOW - 5 * DAY, "x")),
        "after the range"
    );
    assert!(
        covers(&h, &post("p", "c-1", "u-1", NOW - 10 * DAY, "x")),
        "range end inclusive"
    );
    let in_channel = custodian_hold(&["u-1"], &["c-2"]);
    assert!(!covers(&in_channel, &p), "listed channels restrict");
    assert!(covers(
        &in_channel,
        &post("p", "c-2", "u-1", NOW - 50 * DAY, "x")
    ));
    assert!(!covers(
        &in_channel,
        &post("p", "c-2", "u-2", NOW - 50 * DAY, "x")
    ));
    let mut context = in_channel.clone();
    context.include_channel_context = true;
    assert!(
        covers(&context, &post("p", "c-2", "u-2", NOW - 50 * DAY, "x")),
        "whole conversation"
    );
    let mut released = h.clone();
    released.status = HoldStatus::Released;
    assert!(!covers(&released, &p), "released holds protect nothing");
}

#[test]
fn held_content_survives_retention_user_delete_and_account_deletion() {
    let h = custodian_hold(&["u-1"], &[]);
    let mut held = post("held", "c-1", "u-1", NOW - 50 * DAY, "x");
    held.attachments = vec![attachment("f", "a", "x/y", b"1")];
    let free = post("free", "c-1", "u-2", NOW - 50 * DAY, "x");
    let pol = RetentionPolicies {
        global: Periods {
            messages: Some(Keep::days(1)),
            files: None,
        },
        ..Default::default()
    };
    let plan = evaluate(&pol, std::slice::from_ref(&h), NOW, [&held, &free], 10);
    assert_eq!(plan.posts().collect::<Vec<_>>(), ["free"]);
    assert_eq!(plan.files().count(), 0);
    assert_eq!(plan.report.held_posts, 1);

    assert_eq!(
        on_post_delete(std::slice::from_ref(&h), &held),
        DeleteDisposition::HideAndPreserve {
            holds: vec!["h-1".into()]
        }
    );
    assert_eq!(
        on_post_delete(std::slice::from_ref(&h), &free),
        DeleteDisposition::Delete
    );
    assert_eq!(holds_on_user(std::slice::from_ref(&h), "u-1"), ["h-1"]);

    let mut released = h.clone();
    released.status = HoldStatus::Released;
    let plan = evaluate(&pol, &[released.clone()], NOW, [&held, &free], 10);
    assert_eq!(plan.posts().count(), 2);
    assert_eq!(
        on_post_delete(&[released.clone()], &held),
        DeleteDisposition::Delete
    );
    assert!(holds_on_user(&[released], "u-1").is_empty());
}

#[test]
fn batches_keep_posts_with_their_files() {
    let mut posts = Vec::new();
    for i in 0..10 {
        let mut p = post(&format!("p{i}"), "c-1", "u-1", i, "x");
        p.attachments = (0..2)
            .map(|f| attachment(&format!("f{i}-{f}"), "a", "x/y", b"1"))
            .collect();
        posts.push(p);
    }
    let pol = RetentionPolicies {
        global: Periods {
            messages: Some(Keep::days(1)),
            files: None,
        },
        ..Default::default()
    };
    let plan = evaluate(&pol, &[], NOW, &posts, 6);
    assert_eq!(plan.batches.len(), 5);
    for b in &plan.batches {
        for f in &b.files {
            assert!(b.posts.contains(&f.post_id));
        }
    }
}
