//! `hearthctl profile …`: named connections kept in the user's
//! configuration directory.

use super::Ctx;
use crate::cli::ProfileCmd;
use crate::exit::Result;
use crate::output::table;
use crate::profiles::{self, Profile, ProfilesFile};

pub fn run(ctx: &Ctx, cmd: ProfileCmd) -> Result<()> {
    let path = profiles::path()?;
    let mut file = ProfilesFile::load(&path)?;
    match cmd {
        ProfileCmd::Add {
            name,
            url,
            token_file,
            default,
        } => {
            // Refuse now rather than at first use.
            profiles::read_token(&token_file)?;
            let token_file = std::path::absolute(&token_file).unwrap_or(token_file);
            file.profiles
                .insert(name.clone(), Profile { url, token_file });
            if default || file.default.is_none() {
                file.default = Some(name.clone());
            }
            file.save(&path)?;
            let body = serde_json::json!({ "added": name, "file": path });
            ctx.out.emit(&body, || {
                format!("profile {name} saved in {}", path.display())
            })
        }
        ProfileCmd::List => {
            let rows: Vec<serde_json::Value> = file
                .profiles
                .iter()
                .map(|(n, p)| {
                    serde_json::json!({
                        "name": n,
                        "url": p.url,
                        "token_file": p.token_file,
                        "default": file.default.as_deref() == Some(n.as_str()),
                    })
                })
                .collect();
            ctx.out.emit(&rows, || {
                table(
                    &["", "name", "url", "token file"],
                    file.profiles.iter().map(|(n, p)| {
                        vec![
                            if file.default.as_deref() == Some(n.as_str()) {
                                "*".into()
                            } else {
                                String::new()
                            },
                            n.clone(),
                            p.url.clone(),
                            p.token_file.display().to_string(),
                        ]
                    }),
                )
            })
        }
        ProfileCmd::Remove { name } => {
            file.get(&name)?;
            file.profiles.remove(&name);
            if file.default.as_deref() == Some(name.as_str()) {
                file.default = None;
            }
            file.save(&path)?;
            let body = serde_json::json!({ "removed": name });
            ctx.out.emit(&body, || format!("profile {name} removed"))
        }
        ProfileCmd::Use { name } => {
            file.get(&name)?;
            file.default = Some(name.clone());
            file.save(&path)?;
            let body = serde_json::json!({ "default": name });
            ctx.out
                .emit(&body, || format!("profile {name} is now the default"))
        }
    }
}
