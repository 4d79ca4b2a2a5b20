//! Splits plain text into index terms.
//!
//! * Words are folded (lowercase, no accents) and stemmed (English).
//! * Identifiers such as `foo_bar`, `std::io::Read`, `HTTP_404`, `ReadTimeout`
//!   or `v1.2.3` are indexed both whole (one term) and by their parts, the
//!   whole at the position of its first part, so a search for either finds it.
//! * CJK runs become one term per character plus one per overlapping pair of
//!   characters, each pair at the position of its first character. A 1- or
//!   2-character query is then a single term lookup, and a longer one a
//!   phrase of consecutive pairs (exact substring match), without a
//!   dictionary-based segmenter.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use super::cjk::is_cjk;
use super::normalize;

/// Terms longer than this (in bytes) are dropped: they are noise (hashes,
/// base64) that would only bloat the term dictionary.
const MAX_TERM_BYTES: usize = 80;

/// What a term stands for; the query builder picks terms by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A plain word.
    Word,
    /// A whole identifier made of several parts (`foo_bar`).
    CodeWhole,
    /// One part of an identifier (`foo`).
    CodePart,
    /// One CJK character.
    CjkChar,
    /// Two consecutive CJK characters.
    CjkBigram,
}

/// A normalized term with its position and byte range in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// The term as stored in the index.
    pub text: String,
    /// Position used by phrase matching.
    pub position: usize,
    /// What the term stands for.
    pub kind: TokenKind,
    /// Byte offset where the term starts in the source text.
    pub offset_from: usize,
    /// Byte offset just past the term in the source text.
    pub offset_to: usize,
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_cjk(c)
}

/// Splits a run of word characters at camel-case boundaries
/// (`ReadTimeout` → `Read`, `Timeout`; `HTTPServer` → `HTTP`, `Server`).
fn camel_parts(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let prev = chars[i - 1].1;
        let cur = chars[i].1;
        let next_lower = chars.get(i + 1).is_some_and(|(_, c)| c.is_lowercase());
        let boundary = (prev.is_lowercase() && cur.is_uppercase())
            || (prev.is_uppercase() && cur.is_uppercase() && next_lower);
        if boundary {
            parts.push((start, i));
            start = i;
        }
    }
    parts.push((start, chars.len()));
    parts
}

/// Length in chars of an identifier joiner at `i` (`_`, `::`, `.`), or 0.
fn joiner_len(chars: &[(usize, char)], i: usize) -> usize {
    match chars.get(i).map(|(_, c)| *c) {
        Some('_') => chars[i..].iter().take_while(|(_, c)| *c == '_').count(),
        Some(':') if chars.get(i + 1).is_some_and(|(_, c)| *c == ':') => 2,
        Some('.') => 1,
        _ => 0,
    }
}

/// Analyzes plain text into index terms. Pure and total: any input works.
pub fn analyze(text: &str) -> Vec<AnalyzedToken> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let mut out = Vec::new();
    let mut position = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i].1) {
                i += 1;
            }
            for k in start..i {
                let pos = position + (k - start);
                out.push(AnalyzedToken {
                    text: c_str(&chars[k..k + 1]),
                    position: pos,
                    kind: TokenKind::CjkChar,
                    offset_from: byte_at(k),
                    offset_to: byte_at(k + 1),
                });
                if k + 1 < i {
                    out.push(AnalyzedToken {
                        text: c_str(&chars[k..k + 2]),
                        position: pos,
                        kind: TokenKind::CjkBigram,
                        offset_from: byte_at(k),
                        offset_to: byte_at(k + 2),
                    });
                }
            }
            position += i - start;
        } else if is_word_char(c) && !is_combining_mark(c) {
            let start = i;
            let mut parts: Vec<(usize, usize)> = Vec::new();
            loop {
                let seg_start = i;
                while i < chars.len() && is_word_char(chars[i].1) {
                    i += 1;
                }
                for (a, b) in camel_parts(&chars[seg_start..i]) {
                    parts.push((seg_start + a, seg_start + b));
                }
                let j = joiner_len(&chars, i);
                if j > 0 && chars.get(i + j).is_some_and(|(_, c)| is_word_char(*c)) {
                    i += j;
                } else {
                    break;
                }
            }
            if parts.len() == 1 {
                push_term(
                    &mut out,
                    text,
                    byte_at(start),
                    byte_at(i),
                    position,
                    TokenKind::Word,
                );
            } else {
                push_term(
                    &mut out,
                    text,
                    byte_at(start),
                    byte_at(i),
                    position,
                    TokenKind::CodeWhole,
                );
                for (k, (a, b)) in parts.iter().enumerate() {
                    push_term(
                        &mut out,
                        text,
                        byte_at(*a),
                        byte_at(*b),
                        position + k,
                        TokenKind::CodePart,
                    );
                }
            }
            position += parts.len();
        } else {
            i += 1;
        }
    }
    out
}

fn c_str(chars: &[(usize, char)]) -> String {
    chars.iter().map(|(_, c)| *c).collect()
}

fn push_term(
    out: &mut Vec<AnalyzedToken>,
    text: &str,
    from: usize,
    to: usize,
    position: usize,
    kind: TokenKind,
) {
    let term = normalize::word(&text[from..to]);
    if term.is_empty() || term.len() > MAX_TERM_BYTES {
        return;
    }
    out.push(AnalyzedToken {
        text: term,
        position,
        kind,
        offset_from: from,
        offset_to: to,
    });
}

/// The tantivy face of [`analyze`], registered for every text field.
#[derive(Clone, Default)]
pub struct HearthTokenizer;

/// Token stream over a pre-analyzed text.
pub struct HearthTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl Tokenizer for HearthTokenizer {
    type TokenStream<'a> = HearthTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HearthTokenStream {
        let tokens: Vec<Token> = analyze(text)
            .into_iter()
            .map(|t| Token {
                offset_from: t.offset_from,
                offset_to: t.offset_to,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        HearthTokenStream {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

impl TokenStream for HearthTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.current = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// Name under which [`HearthTokenizer`] is registered in each index.
pub const TOKENIZER_NAME: &str = "hearth";
