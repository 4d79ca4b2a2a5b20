//! Turns a markdown message into the plain text that gets indexed, and
//! collects what the query operators need (hashtags, links).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::normalize;

/// A message reduced to searchable text plus extracted features.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stripped {
    /// Visible text; code spans and blocks are kept verbatim (their
    /// identifiers are split by the tokenizer), markup is dropped.
    pub text: String,
    /// Normalized hashtags without `#`, in order of appearance, deduplicated.
    pub hashtags: Vec<String>,
    /// Whether the message links anywhere (markdown link, autolink or bare URL).
    pub has_link: bool,
}

/// Strips markdown; never fails, whatever the input.
pub fn strip(markdown: &str) -> Stripped {
    if is_plain(markdown) {
        let mut out = Stripped {
            text: markdown.to_owned(),
            ..Stripped::default()
        };
        collect_hashtags(markdown, &mut out.hashtags);
        out.has_link = contains_bare_url(markdown);
        return out;
    }
    strip_markdown(markdown)
}

/// True for one-line text that no markdown construct could change: most
/// chat messages, which then skip the parser.
fn is_plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return true;
    };
    let last = text.chars().next_back().unwrap_or(first);
    first.is_alphabetic()
        && !last.is_whitespace()
        && text.chars().all(|c| {
            c.is_alphanumeric()
                || c == ' '
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '?'
                        | '\''
                        | '"'
                        | '/'
                        | '@'
                        | '%'
                        | '$'
                        | '-'
                        | '+'
                        | '#'
                )
        })
}

fn strip_markdown(markdown: &str) -> Stripped {
    let mut out = Stripped::default();
    let options =
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) => {
                collect_hashtags(&t, &mut out.hashtags);
                out.has_link |= contains_bare_url(&t);
                out.text.push_str(&t);
            }
            Event::Code(t) => {
                out.text.push_str(&t);
            }
            Event::Start(Tag::Link { .. }) => out.has_link = true,
            Event::Start(Tag::CodeBlock(_)) => separate(&mut out.text),
            Event::SoftBreak | Event::HardBreak | Event::Rule => separate(&mut out.text),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => separate(&mut out.text),
            Event::InlineMath(t) | Event::DisplayMath(t) => out.text.push_str(&t),
            _ => {}
        }
    }
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    out
}

fn separate(text: &mut String) {
    if !text.is_empty() && !text.ends_with(char::is_whitespace) {
        text.push('\n');
    }
}

fn contains_bare_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["http://", "https://", "www."].iter().any(|p| {
        lower.match_indices(p).any(|(i, _)| {
            lower[i + p.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
        })
    })
}

/// Extracts `#tag` occurrences: `#` at a word start, a letter, then letters,
/// digits, `-`, `_` or `.` (trailing punctuation trimmed).
pub fn collect_hashtags(text: &str, tags: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '&');
        if chars[i] == '#' && at_word_start && chars.get(i + 1).is_some_and(|c| c.is_alphabetic()) {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && is_tag_char(chars[end]) {
                end += 1;
            }
            let raw: String = chars[start..end].iter().collect();
            if let Some(tag) = normalize_hashtag(&raw)
                && !tags.contains(&tag)
            {
                tags.push(tag);
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.')
}

/// Normalizes a hashtag body (without `#`) the same way for documents and
/// queries; `None` if nothing tag-like remains.
pub fn normalize_hashtag(raw: &str) -> Option<String> {
    let trimmed = raw.trim_end_matches(['-', '_', '.']);
    if !trimmed.chars().next().is_some_and(char::is_alphabetic) || !trimmed.chars().all(is_tag_char)
    {
        return None;
    }
    let tag = normalize::fold(trimmed);
    (!tag.is_empty() && tag.len() <= 100).then_some(tag)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{is_plain, strip_markdown};

    proptest! {
        /// Skipping the parser never changes the result.
        #[test]
        fn plain_fast_path_agrees_with_parser(text in "[a-zA-Zé東][a-zA-Z0-9é東 .,;:?'\"/@%$+#-]{0,40}") {
            if is_plain(&text) {
                let fast = super::strip(&text);
                prop_assert_eq!(fast, strip_markdown(&text));
            }
        }
    }
}
