//! Finds `@user`, `@channel`/`@here`/`@all` and `~channel` references in post
//! text, skipping code spans and fenced blocks where they are not mentions.

use std::collections::BTreeSet;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Lowercased usernames after `@`, without the special ones.
    pub usernames: BTreeSet<String>,
    /// `@channel`, `@here` or `@all` appeared.
    pub channel_wide: bool,
    /// Lowercased channel names after `~`.
    pub channels: BTreeSet<String>,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// Parses the references in `text`.
pub fn parse(text: &str) -> Mentions {
    let mut out = Mentions::default();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // Drop inline code spans: text between pairs of backticks.
        let plain: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, s)| s)
            .collect::<Vec<_>>()
            .join(" ");
        scan_line(&plain, &mut out);
    }
    out
}

fn scan_line(line: &str, out: &mut Mentions) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let boundary = i == 0 || !(is_name_char(chars[i - 1]) || chars[i - 1] == '@');
        if (c == '@' || c == '~') && boundary {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && is_name_char(chars[end]) {
                end += 1;
            }
            // A name never ends with '.', '-' or '_' taken from punctuation ("@bob.").
            let mut name: String = chars[start..end].iter().collect();
            while name.ends_with(['.', '-', '_']) {
                name.pop();
            }
            if !name.is_empty() {
                let name = name.to_lowercase();
                if c == '@' {
                    if matches!(name.as_str(), "channel" | "here" | "all") {
                        out.channel_wide = true;
                    } else {
                        out.usernames.insert(name);
                    }
                } else {
                    out.channels.insert(name);
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_users_channels_and_specials() {
        let m = parse("hi @Alice and @bob.smith, see ~town-square. @here please");
        assert_eq!(
            m.usernames.into_iter().collect::<Vec<_>>(),
            vec!["alice", "bob.smith"]
        );
        assert!(m.channel_wide);
        assert_eq!(
            m.channels.into_iter().collect::<Vec<_>>(),
            vec!["town-square"]
        );
    }

    #[test]
    fn ignores_emails_and_code() {
        let m = parse("mail bob@example.com\n`@carol`\n```\n@dave\n```\n@erin");
        assert_eq!(m.usernames.into_iter().collect::<Vec<_>>(), vec!["erin"]);
        assert!(!m.channel_wide);
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_name() {
        let m = parse("thanks @bob. and @carol_!");
        assert_eq!(
            m.usernames.into_iter().collect::<Vec<_>>(),
            vec!["bob", "carol"]
        );
    }
}
