//! Reference checks of a Mattermost import file: every team, channel and
//! user a line names must be defined by an earlier line or exist on the
//! server, so a file that would fail halfway is refused before any write.

use std::collections::HashSet;

use hearth_api::{ChatImportIssue, ImportIssueCode};
use hearth_core::Result;
use hearth_import::mattermost::Item;
use hearth_store::{DbConn, channels, teams, users};

use super::chat;

fn unknown(line: u32, message: String) -> ChatImportIssue {
    ChatImportIssue {
        line: Some(line),
        entry: None,
        code: ImportIssueCode::UnknownReference,
        message,
    }
}

/// Every team, channel and user a line names must be defined by an earlier
/// line or exist on the server.
pub fn check(c: &mut DbConn, items: &[(u32, Item)]) -> Result<Vec<ChatImportIssue>> {
    let mut teams_seen: HashSet<String> = HashSet::new();
    let mut channels_seen: HashSet<(String, String)> = HashSet::new();
    let mut users_seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    let team_ok = |c: &mut DbConn, seen: &HashSet<String>, t: &str| -> Result<bool> {
        Ok(seen.contains(t) || teams::by_name(c, t)?.is_some())
    };
    let channel_ok =
        |c: &mut DbConn, seen: &HashSet<(String, String)>, t: &str, ch: &str| -> Result<bool> {
            if seen.contains(&(t.to_string(), ch.to_string())) {
                return Ok(true);
            }
            Ok(match teams::by_name(c, t)? {
                Some(team) => channels::by_name(c, Some(&team.id), ch)?.is_some(),
                None => false,
            })
        };
    let user_ok = |c: &mut DbConn, seen: &HashSet<String>, u: &str| -> Result<bool> {
        Ok(seen.contains(u) || users::by_username(c, u)?.is_some())
    };
    for (line, item) in items {
        let line = *line;
        let mut people: Vec<&str> = Vec::new();
        match item {
            Item::Team(t) => {
                teams_seen.insert(t.name.to_lowercase());
            }
            Item::Channel(ch) => {
                if !team_ok(c, &teams_seen, &ch.team.to_lowercase())? {
                    out.push(unknown(line, format!("no team '{}'", ch.team)));
                }
                channels_seen.insert((ch.team.to_lowercase(), chat::channel_name(&ch.name)));
            }
            Item::User(u) => {
                users_seen.insert(u.username.to_lowercase());
                for t in &u.teams {
                    let tn = t.name.to_lowercase();
                    if !team_ok(c, &teams_seen, &tn)? {
                        out.push(unknown(line, format!("no team '{}'", t.name)));
                        continue;
                    }
                    for ch in &t.channels {
                        if !channel_ok(c, &channels_seen, &tn, &chat::channel_name(&ch.name))? {
                            out.push(unknown(
                                line,
                                format!("no channel '{}/{}'", t.name, ch.name),
                            ));
                        }
                    }
                }
            }
            Item::Post(p) => {
                let tn = p.team.to_lowercase();
                if !channel_ok(c, &channels_seen, &tn, &chat::channel_name(&p.channel))? {
                    out.push(unknown(
                        line,
                        format!("no channel '{}/{}'", p.team, p.channel),
                    ));
                }
                people.push(&p.user);
                people.extend(p.reactions.iter().map(|r| r.user.as_str()));
                for r in &p.replies {
                    people.push(&r.user);
                    people.extend(r.reactions.iter().map(|x| x.user.as_str()));
                }
            }
            Item::DirectChannel(d) => people.extend(d.members.iter().map(String::as_str)),
            Item::DirectPost(d) => {
                people.extend(d.channel_members.iter().map(String::as_str));
                people.push(&d.user);
                people.extend(d.reactions.iter().map(|r| r.user.as_str()));
                for r in &d.replies {
                    people.push(&r.user);
                }
            }
        }
        let mut reported = HashSet::new();
        for u in people {
            let u = u.to_lowercase();
            if !user_ok(c, &users_seen, &u)? && reported.insert(u.clone()) {
                out.push(unknown(line, format!("no user '{u}'")));
            }
        }
    }
    Ok(out)
}
