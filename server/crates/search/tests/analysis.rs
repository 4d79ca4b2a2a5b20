//! Tokenizer and markdown stripping.

use hearth_search::analysis::{TokenKind, analyze, normalize, strip};

fn texts(input: &str) -> Vec<String> {
    analyze(input).into_iter().map(|t| t.text).collect()
}

#[test]
fn stemming_unifies_inflections() {
    assert_eq!(
        texts("deploying deployed deploys"),
        ["deploy", "deploy", "deploy"]
    );
    assert_eq!(texts("Running tests"), ["run", "test"]);
}

#[test]
fn accents_and_case_fold() {
    assert_eq!(texts("Café CAFE café"), ["cafe", "cafe", "cafe"]);
    assert_eq!(texts("Straße Øresund naïve"), ["strass", "oresund", "naiv"]);
    // Decomposed input (e + combining acute) folds the same way.
    assert_eq!(texts("cafe\u{301}"), ["cafe"]);
    assert_eq!(normalize::fold("ＡＢＣ"), "abc");
}

#[test]
fn cjk_runs_become_unigrams_and_bigrams() {
    let tokens = analyze("東京都 tower");
    let got: Vec<(&str, usize, TokenKind)> = tokens
        .iter()
        .map(|t| (t.text.as_str(), t.position, t.kind))
        .collect();
    use TokenKind::*;
    assert_eq!(
        got,
        vec![
            ("東", 0, CjkChar),
            ("東京", 0, CjkBigram),
            ("京", 1, CjkChar),
            ("京都", 1, CjkBigram),
            ("都", 2, CjkChar),
            ("tower", 3, Word),
        ]
    );
    // Hangul syllables are not decomposed into jamo.
    assert_eq!(texts("한국"), ["한", "한국", "국"]);
}

#[test]
fn code_identifiers_are_whole_and_parts() {
    let got = |s: &str| -> Vec<(String, usize, TokenKind)> {
        analyze(s)
            .into_iter()
            .map(|t| (t.text, t.position, t.kind))
            .collect()
    };
    use TokenKind::*;
    assert_eq!(
        got("call foo_bar now"),
        vec![
            ("call".into(), 0, Word),
            ("foo_bar".into(), 1, CodeWhole),
            ("foo".into(), 1, CodePart),
            ("bar".into(), 2, CodePart),
            ("now".into(), 3, Word),
        ]
    );
    assert_eq!(
        texts("std::io::Read"),
        ["std::io::read", "std", "io", "read"]
    );
    assert_eq!(texts("HTTP_404"), ["http_404", "http", "404"]);
    assert_eq!(texts("ReadTimeout"), ["readtimeout", "read", "timeout"]);
    assert_eq!(texts("HTTPServer"), ["httpserver", "http", "server"]);
    // Sentence punctuation does not glue words together.
    assert_eq!(texts("done. Next: go"), ["done", "next", "go"]);
}

#[test]
fn offsets_point_into_the_source() {
    let text = "Le café ouvre";
    for t in analyze(text) {
        assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
    }
    let cafe = &analyze(text)[1];
    assert_eq!(&text[cafe.offset_from..cafe.offset_to], "café");
}

#[test]
fn markdown_is_stripped_and_features_extracted() {
    let s = strip(
        "# Title\n\n**Bold** and [a link](https://x.org) with `foo_bar` #Release-2 and #oncall.\n\n```rust\nlet x = std::io::stdin();\n```",
    );
    assert!(s.text.contains("Title"));
    assert!(s.text.contains("Bold and a link with foo_bar"));
    assert!(s.text.contains("std::io::stdin()"));
    assert!(!s.text.contains("**") && !s.text.contains("```") && !s.text.contains("https://x.org"));
    assert_eq!(s.hashtags, ["release-2", "oncall"]);
    assert!(s.has_link);
    assert!(strip("see www.example.com").has_link);
    assert!(strip("plain http://x.io/a").has_link);
    assert!(!strip("no links here, just http:// alone").has_link);
    // Hashtags inside code or words are not hashtags.
    assert!(strip("`#notatag` issue#12 &#39;").hashtags.is_empty());
}

#[test]
fn analysis_is_total() {
    for input in [
        "",
        "\u{0}",
        "_",
        "::",
        "a::",
        "_a_",
        "..",
        "\u{301}",
        "🎉🎉",
        "a\u{301}\u{302}b",
        "x_ _y",
    ] {
        let _ = analyze(input);
        let _ = strip(input);
    }
}
