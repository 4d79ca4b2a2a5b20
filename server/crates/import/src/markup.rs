//! Slack's message markup to Hearth's: `<@U123>` → `@username`,
//! `<#C123|name>` → `~name`, `<!here>` → `@here`, `<url|label>` →
//! `[label](url)`, and the three HTML entities Slack escapes.

use std::collections::HashMap;

/// What the converter needs to name people and channels.
#[derive(Debug, Default)]
pub struct Names {
    /// Slack user id → Hearth username.
    pub users: HashMap<String, String>,
    /// Slack channel id → Hearth channel name.
    pub channels: HashMap<String, String>,
}

/// Converts one message's text.
pub fn convert(text: &str, names: &Names) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&unescape(&rest[..start]));
        let after = &rest[start + 1..];
        match after.find('>') {
            Some(end) => {
                out.push_str(&reference(&after[..end], names));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&unescape(&rest[start..]));
                rest = "";
            }
        }
    }
    out.push_str(&unescape(rest));
    out
}

fn reference(inner: &str, names: &Names) -> String {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(unescape(l))),
        None => (inner, None),
    };
    if let Some(id) = target.strip_prefix('@') {
        return match names.users.get(id) {
            Some(u) => format!("@{u}"),
            None => format!("@{}", label.unwrap_or_else(|| id.to_string())),
        };
    }
    if let Some(id) = target.strip_prefix('#') {
        let name = names.channels.get(id).cloned().or(label);
        return format!("~{}", name.unwrap_or_else(|| id.to_string()));
    }
    if let Some(special) = target.strip_prefix('!') {
        return match special.split('^').next().unwrap_or("") {
            "here" => "@here".into(),
            "channel" => "@channel".into(),
            "everyone" => "@all".into(),
            _ => label.unwrap_or_default(),
        };
    }
    let url = unescape(target);
    if let Some(mail) = url.strip_prefix("mailto:") {
        return label.unwrap_or_else(|| mail.to_string());
    }
    match label {
        Some(l) if l != url => format!("[{l}]({url})"),
        _ => url,
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut n = Names::default();
        n.users.insert("U1".into(), "ann".into());
        n.channels.insert("C1".into(), "general".into());
        n
    }

    #[test]
    fn references_become_hearth_mentions_and_links() {
        let n = names();
        assert_eq!(
            convert("hi <@U1>, see <#C1|gen>", &n),
            "hi @ann, see ~general"
        );
        assert_eq!(convert("<@U9|zed> <#C9|other>", &n), "@zed ~other");
        assert_eq!(
            convert("<!here> <!channel> <!everyone>", &n),
            "@here @channel @all"
        );
        assert_eq!(
            convert(
                "<https://x.io/a?b=1&amp;c=2|the docs> and <https://y.io>",
                &n
            ),
            "[the docs](https://x.io/a?b=1&c=2) and https://y.io"
        );
        assert_eq!(convert("<mailto:a@b.io|a@b.io>", &n), "a@b.io");
    }

    #[test]
    fn entities_and_stray_brackets_are_plain_text() {
        let n = names();
        assert_eq!(
            convert("a &lt; b &amp;&amp; c &gt; d", &n),
            "a < b && c > d"
        );
        assert_eq!(convert("x <y", &n), "x <y");
        assert_eq!(convert("&amp;lt;", &n), "&lt;");
    }
}
