//! Writes changed keys into the configuration file with `toml_edit`, so the
//! admin's comments, order and formatting survive a change from the console.

use std::path::Path;

use serde_json::Value as Json;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// Sets (or, for `null`, removes) the dotted `key` in `doc`.
pub fn set_key(doc: &mut DocumentMut, key: &str, value: &Json) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    let Some((last, path)) = parts.split_last() else {
        return Err("empty key".into());
    };
    let mut node = doc.as_table_mut() as &mut dyn toml_edit::TableLike;
    for part in path {
        let entry = node.entry(part).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        });
        if entry.is_none() || !(entry.is_table_like()) {
            let mut t = Table::new();
            t.set_implicit(true);
            *entry = Item::Table(t);
        }
        node = entry
            .as_table_like_mut()
            .ok_or_else(|| format!("`{key}`: `{part}` is not a section"))?;
    }
    if value.is_null() {
        node.remove(last);
        return Ok(());
    }
    let mut item = to_item(value);
    match node.get_mut(last) {
        // Replacing the item, not the key, keeps the comment above the key;
        // a comment after the value stays too.
        Some(old) => {
            if let (Some(old_v), Some(new_v)) = (old.as_value(), item.as_value_mut()) {
                *new_v.decor_mut() = old_v.decor().clone();
            }
            *old = item;
        }
        None => {
            node.insert(last, item);
        }
    }
    Ok(())
}

/// Objects become sections, arrays of objects `[[arrays of tables]]`.
fn to_item(value: &Json) -> Item {
    match value {
        Json::Object(map) => {
            let mut t = Table::new();
            for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                t.insert(k, to_item(v));
            }
            Item::Table(t)
        }
        Json::Array(items) if !items.is_empty() && items.iter().all(Json::is_object) => {
            let mut list = ArrayOfTables::new();
            for item in items {
                if let Item::Table(t) = to_item(item) {
                    list.push(t);
                }
            }
            Item::ArrayOfTables(list)
        }
        other => Item::Value(to_value(other)),
    }
}

fn to_value(value: &Json) -> Value {
    match value {
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(f)) => Value::from(f),
            _ => Value::from(n.to_string()),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => {
            let mut a = Array::new();
            for item in items.iter().filter(|v| !v.is_null()) {
                a.push(to_value(item));
            }
            Value::Array(a)
        }
        Json::Object(map) => {
            let mut t = InlineTable::new();
            for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                t.insert(k, to_value(v));
            }
            Value::InlineTable(t)
        }
        // Filtered out above; an empty string is the closest TOML has.
        Json::Null => Value::from(""),
    }
}

/// Replaces `path` atomically: a crash leaves the old file or the new one.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("hearth.toml")
    ));
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        // Created 0600 (it may hold secrets), whatever the umask.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    // Keep the permissions of the file being replaced, if it had any.
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(&tmp, meta.permissions())?;
    }
    std::fs::rename(&tmp, path)
}

/// The file can be written: it exists and opens for writing, or it does not
/// exist yet and its directory does.
pub fn writable(path: &Path) -> bool {
    if path.exists() {
        std::fs::OpenOptions::new().append(true).open(path).is_ok()
    } else {
        path.parent()
            .map(|d| d.as_os_str().is_empty() || d.is_dir())
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_keep_comments_and_create_sections() {
        let mut doc: DocumentMut =
            "# top comment\n[server]\n# the address\nlisten = \"127.0.0.1:8065\" # local only\n"
                .parse()
                .unwrap();
        set_key(&mut doc, "server.listen", &json!("0.0.0.0:8065")).unwrap();
        set_key(&mut doc, "ldap.directory.urls", &json!(["ldap://a"])).unwrap();
        set_key(&mut doc, "login.lockout_threshold", &json!(5)).unwrap();
        set_key(
            &mut doc,
            "oidc.providers",
            &json!([{ "id": "corp", "claims": { "email": "mail" } }]),
        )
        .unwrap();
        let text = doc.to_string();
        assert!(
            text.contains("# top comment") && text.contains("# the address"),
            "{text}"
        );
        assert!(
            text.contains("listen = \"0.0.0.0:8065\" # local only"),
            "{text}"
        );
        let parsed: toml_edit::DocumentMut = text.parse().unwrap();
        assert_eq!(
            parsed["ldap"]["directory"]["urls"][0].as_str(),
            Some("ldap://a")
        );
        assert_eq!(parsed["login"]["lockout_threshold"].as_integer(), Some(5));
        assert_eq!(
            parsed["oidc"]["providers"][0]["claims"]["email"].as_str(),
            Some("mail")
        );
        set_key(&mut doc, "login.lockout_threshold", &Json::Null).unwrap();
        assert!(!doc.to_string().contains("lockout_threshold"));
    }
}
