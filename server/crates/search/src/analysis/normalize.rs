//! Per-token normalization: lowercase, accent folding, English stemming.
//!
//! Done inside our own tokenizer (rather than with tantivy filters) so the
//! query side, the index side and the test oracle share one exact function.

use std::cell::RefCell;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

thread_local! {
    static STEMMER: RefCell<Stemmer> = RefCell::new(Stemmer::create(Algorithm::English));
}

/// Lowercases and folds accents so `Café` and `cafe` meet.
///
/// Compatibility decomposition (NFKD) also maps full-width Latin letters and
/// ligatures to plain ones; letters that do not decompose (ß, ø, æ, …) are
/// mapped by hand. Only applied to non-CJK text: NFKD would split Hangul
/// syllables into jamo.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase).nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.push(c),
        }
    }
    out
}

/// English stem of an already folded word (`deploying` → `deploy`).
pub fn stem(folded: &str) -> String {
    // The stemmer only knows Latin script; leave digits-only and other
    // scripts alone to avoid surprising truncations.
    if !folded.chars().any(|c| c.is_ascii_alphabetic()) {
        return folded.to_owned();
    }
    STEMMER.with(|s| s.borrow().stem(folded).into_owned())
}

/// Fold then stem: the form a plain word takes in the index.
pub fn word(text: &str) -> String {
    stem(&fold(text))
}
