//! Mattermost bulk-import files (JSONL): a `version` line, then one object
//! per line of type `team`, `channel`, `user`, `post`, `direct_channel` or
//! `direct_post`, each under the key named by its type. Every line is checked
//! on its own (JSON, shape, required fields) and against the lines before it
//! where the format requires order; problems carry their 1-based line number.
//! References to teams, channels and users the file does not define may exist
//! on the server already: the server checks those.

use serde::Deserialize;
use serde::de::DeserializeOwned;

use hearth_api::{ChatImportIssue, ImportIssueCode};

#[derive(Debug, Clone, Deserialize)]
pub struct Team {
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// `O` open, `I` invite only.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    pub team: String,
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// `O` public, `P` private.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub username: String,
    pub email: String,
    #[serde(default)]
    pub nickname: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    /// Space-separated, e.g. `system_admin system_user`.
    #[serde(default)]
    pub roles: Option<String>,
    #[serde(default)]
    pub teams: Vec<UserTeam>,
}

impl User {
    /// First and last name, else the nickname, else the username.
    pub fn display(&self) -> String {
        let full: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if !full.is_empty() {
            return full.join(" ");
        }
        self.nickname
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| self.username.clone())
    }

    pub fn is_system_admin(&self) -> bool {
        self.roles
            .as_deref()
            .is_some_and(|r| r.split_whitespace().any(|x| x == "system_admin"))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct UserTeam {
    pub name: String,
    #[serde(default)]
    pub channels: Vec<UserChannel>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UserChannel {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Reaction {
    pub user: String,
    pub emoji_name: String,
    #[serde(default)]
    pub create_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Attachment {
    pub path: String,
}

impl Attachment {
    pub fn file_name(&self) -> String {
        self.path
            .rsplit(['/', '\\'])
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("attachment")
            .to_string()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Reply {
    pub user: String,
    pub message: String,
    pub create_at: i64,
    #[serde(default)]
    pub edit_at: Option<i64>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Post {
    pub team: String,
    pub channel: String,
    pub user: String,
    pub message: String,
    pub create_at: i64,
    #[serde(default)]
    pub edit_at: Option<i64>,
    #[serde(default)]
    pub replies: Vec<Reply>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DirectChannel {
    pub members: Vec<String>,
    #[serde(default)]
    pub header: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DirectPost {
    pub channel_members: Vec<String>,
    pub user: String,
    pub message: String,
    pub create_at: i64,
    #[serde(default)]
    pub edit_at: Option<i64>,
    #[serde(default)]
    pub replies: Vec<Reply>,
    #[serde(default)]
    pub reactions: Vec<Reaction>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// One importable line.
#[derive(Debug, Clone)]
pub enum Item {
    Team(Team),
    Channel(Channel),
    User(User),
    Post(Post),
    DirectChannel(DirectChannel),
    DirectPost(DirectPost),
}

/// A parsed file: items with their line numbers, and the problems found.
#[derive(Debug, Default)]
pub struct Parsed {
    pub items: Vec<(u32, Item)>,
    pub issues: Vec<ChatImportIssue>,
    /// Lines of types Hearth does not import (`emoji`, `scheme`, …).
    pub ignored: u32,
}

fn issue(line: u32, message: String) -> ChatImportIssue {
    ChatImportIssue {
        line: Some(line),
        entry: None,
        code: ImportIssueCode::InvalidLine,
        message,
    }
}

/// Parses and checks every line; never stops at the first problem.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut saw_version = false;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(e) => {
                out.issues.push(issue(line, format!("not valid JSON: {e}")));
                continue;
            }
        };
        let kind = value.get("type").and_then(|t| t.as_str()).unwrap_or("");
        if !saw_version {
            saw_version = true;
            let version = value.get("version").and_then(serde_json::Value::as_i64);
            if kind != "version" || version != Some(1) {
                out.issues.push(issue(
                    line,
                    "the first line must be {\"type\":\"version\",\"version\":1}".into(),
                ));
            }
            if kind == "version" {
                continue;
            }
        }
        let item = match kind {
            "team" => body(&value, kind).map(Item::Team),
            "channel" => body(&value, kind).map(Item::Channel),
            "user" => body(&value, kind).map(Item::User),
            "post" => body(&value, kind).map(Item::Post),
            "direct_channel" => body(&value, kind).map(Item::DirectChannel),
            "direct_post" => body(&value, kind).map(Item::DirectPost),
            "version" => Err("only the first line may be a version line".into()),
            "" => Err("the line has no \"type\"".into()),
            _ => {
                out.ignored += 1;
                continue;
            }
        };
        match item.and_then(check) {
            Ok(item) => out.items.push((line, item)),
            Err(msg) => out.issues.push(issue(line, msg)),
        }
    }
    if !saw_version {
        out.issues.push(issue(1, "the file is empty".into()));
    }
    out
}

fn body<T: DeserializeOwned>(value: &serde_json::Value, kind: &str) -> Result<T, String> {
    let inner = value
        .get(kind)
        .ok_or_else(|| format!("a {kind} line needs a \"{kind}\" object"))?;
    T::deserialize(inner).map_err(|e| format!("invalid {kind}: {e}"))
}

/// Field checks serde cannot express.
fn check(item: Item) -> Result<Item, String> {
    let nonempty = |what: &str, v: &str| {
        if v.trim().is_empty() {
            Err(format!("{what} is empty"))
        } else {
            Ok(())
        }
    };
    let time = |v: i64| {
        if v > 0 {
            Ok(())
        } else {
            Err("create_at must be a positive time in milliseconds".to_string())
        }
    };
    match &item {
        Item::Team(t) => nonempty("team name", &t.name)?,
        Item::Channel(c) => {
            nonempty("channel team", &c.team)?;
            nonempty("channel name", &c.name)?;
            if let Some(k) = c.kind.as_deref()
                && !matches!(k, "O" | "P")
            {
                return Err(format!("channel type '{k}' is not O or P"));
            }
        }
        Item::User(u) => {
            nonempty("username", &u.username)?;
            hearth_core::validate::email(&u.email).map_err(|e| e.to_string())?;
        }
        Item::Post(p) => {
            nonempty("post user", &p.user)?;
            time(p.create_at)?;
            for r in &p.replies {
                time(r.create_at)?;
            }
        }
        Item::DirectChannel(d) => {
            if !(2..=8).contains(&d.members.len()) {
                return Err("a direct channel needs 2 to 8 members".into());
            }
        }
        Item::DirectPost(d) => {
            if !(2..=8).contains(&d.channel_members.len()) {
                return Err("a direct post needs 2 to 8 channel members".into());
            }
            time(d.create_at)?;
        }
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_checked_one_by_one_with_their_numbers() {
        let text = r#"{"type":"version","version":1}
{"type":"team","team":{"name":"acme","display_name":"Acme","type":"O"}}

{"type":"channel","channel":{"team":"acme","name":"dev","type":"X"}}
{"type":"user","user":{"username":"ann","email":"not-an-email"}}
{"type":"post","post":{"team":"acme","channel":"dev","user":"ann","message":"hi"}}
this is not json
{"type":"emoji","emoji":{"name":"party","image":"party.png"}}
{"type":"user","user":{"username":"bob","email":"bob@example.com","teams":[{"name":"acme","channels":[{"name":"dev"}]}]}}
"#;
        let p = parse(text);
        let lines: Vec<u32> = p.issues.iter().filter_map(|i| i.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7], "{:?}", p.issues);
        assert!(p.issues[2].message.contains("create_at"));
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[0].0, 2);
        assert_eq!(p.items[1].0, 9);
        assert_eq!(p.ignored, 1);
    }

    #[test]
    fn the_version_line_comes_first() {
        let p = parse("{\"type\":\"team\",\"team\":{\"name\":\"a\"}}\n");
        assert_eq!(p.issues[0].line, Some(1));
        assert!(parse("").issues.len() == 1);
    }

    #[test]
    fn names_for_display_and_roles() {
        let u: User = serde_json::from_str(
            r#"{"username":"ann","email":"a@b.io","first_name":"Ann","roles":"system_admin system_user"}"#,
        )
        .expect("user");
        assert_eq!(u.display(), "Ann");
        assert!(u.is_system_admin());
        let a = Attachment {
            path: "data/files/report.pdf".into(),
        };
        assert_eq!(a.file_name(), "report.pdf");
    }
}
