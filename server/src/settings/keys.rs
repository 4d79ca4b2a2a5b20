//! The configuration as JSON: dotted keys, secrets, which keys need a
//! restart, and which are fixed outside the file.

use serde_json::{Map, Value};

/// What a secret reads as on the wire; sent back, it means "unchanged".
pub const MASK: &str = "********";

/// Object keys whose values are secrets wherever they appear.
const SECRET_NAMES: &[&str] = &[
    "bind_password",
    "client_secret",
    "bearer_token",
    "secret_key",
    "hmac_key",
];

/// Keys (or whole sections) read only at start. Everything else applies at
/// once: sign-up mode, session length, upload limit, idle timeout, lockout,
/// MFA, LDAP directory, group mappings.
pub const RESTART_KEYS: &[&str] = &[
    "server",
    "database",
    "files.dir",
    "files.image_decodes",
    "limits",
    "realtime",
    "search",
    "log",
    "accounts.away_after_secs",
    "ldap.sync_interval_mins",
    "oidc.providers",
    "compliance.schedule_check_secs",
    "mfa.secret_key",
    "audit",
];

/// `key` equals `prefix` or lies inside it.
pub fn within(key: &str, prefix: &str) -> bool {
    key == prefix
        || key
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.'))
}

pub fn needs_restart(key: &str) -> bool {
    RESTART_KEYS.iter().any(|p| within(key, p))
}

/// Two keys overlap when one lies inside the other.
pub fn overlaps(a: &str, b: &str) -> bool {
    within(a, b) || within(b, a)
}

fn is_secret(path: &str, name: &str, value: &Value) -> bool {
    SECRET_NAMES.contains(&name)
        || (path == "database.url" && value.as_str().is_some_and(|u| u.contains('@')))
}

/// Replaces every secret (and a database URL carrying credentials) by [`MASK`].
pub fn mask(value: &mut Value) {
    mask_at(value, "");
}

fn mask_at(value: &mut Value, path: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let p = join(path, k);
                if is_secret(&p, k, v) && !v.is_null() {
                    *v = Value::String(MASK.into());
                } else {
                    mask_at(v, &p);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mask_at(v, path)),
        _ => {}
    }
}

/// Puts back the secrets that `new` sends as [`MASK`], taking them from `old`
/// at the same place (array items are matched by their `id`, else by position).
pub fn unmask(new: &mut Value, old: &Value) {
    match (new, old) {
        (Value::Object(n), Value::Object(o)) => {
            for (k, v) in n.iter_mut() {
                if v.as_str() == Some(MASK) {
                    *v = o.get(k).cloned().unwrap_or(Value::Null);
                } else if let Some(ov) = o.get(k) {
                    unmask(v, ov);
                }
            }
        }
        (Value::Array(n), Value::Array(o)) => {
            for (i, item) in n.iter_mut().enumerate() {
                let by_id = item
                    .get("id")
                    .and_then(|id| o.iter().find(|x| x.get("id") == Some(id)));
                if let Some(ov) = by_id.or_else(|| o.get(i)) {
                    unmask(item, ov);
                }
            }
        }
        (n, _) if n.as_str() == Some(MASK) => *n = Value::Null,
        _ => {}
    }
}

/// Keeps a stored secret from following its endpoint to a new host: when a
/// change moves `ldap.directory.urls` or a provider's `issuer_url` and does
/// not give a new secret with it (`given` holds the change as sent, masks
/// included), the secret in `new` is dropped. Answers the keys to write.
pub fn drop_moved_secrets(old: &Value, new: &mut Value, given: &Value) -> Vec<String> {
    let fresh = |v: Option<&Value>| v.and_then(Value::as_str).is_some_and(|s| s != MASK);
    let mut dropped = Vec::new();
    let urls = "ldap.directory.urls";
    let password = "ldap.directory.bind_password";
    if get(old, urls).is_some()
        && get(old, urls) != get(new, urls)
        && get(new, password)
            .and_then(Value::as_str)
            .is_some_and(|p| !p.is_empty())
        && !fresh(get(given, password))
    {
        set(new, password, Value::String(String::new()));
        dropped.push(password.to_string());
    }
    let old_providers = get(old, "oidc.providers").and_then(Value::as_array);
    let given_providers = get(given, "oidc.providers").and_then(Value::as_array);
    let mut moved = false;
    if let (Some(old_list), Some(Value::Array(list))) = (
        old_providers,
        new.get_mut("oidc").and_then(|o| o.get_mut("providers")),
    ) {
        for p in list.iter_mut() {
            let id = p.get("id").cloned();
            let before = old_list.iter().find(|o| o.get("id") == id.as_ref());
            let given_secret = given_providers
                .and_then(|g| g.iter().find(|x| x.get("id") == id.as_ref()))
                .and_then(|x| x.get("client_secret"));
            let issuer_moved = before.is_some_and(|b| b.get("issuer_url") != p.get("issuer_url"));
            let has_secret = p.get("client_secret").is_some_and(|s| !s.is_null());
            if issuer_moved && has_secret && !fresh(given_secret) {
                if let Some(obj) = p.as_object_mut() {
                    obj.insert("client_secret".into(), Value::Null);
                }
                moved = true;
            }
        }
    }
    if moved {
        dropped.push("oidc.providers".to_string());
    }
    dropped
}

/// The value at a dotted key; `None` when a part is missing.
pub fn get<'a>(root: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(root, |v, part| v.get(part))
}

/// Sets the value at a dotted key, creating objects on the way (a `null`
/// on the way, such as an absent `[ldap.directory]`, becomes an object).
pub fn set(root: &mut Value, key: &str, value: Value) {
    let mut node = root;
    let parts: Vec<&str> = key.split('.').collect();
    for part in &parts[..parts.len() - 1] {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        let Value::Object(map) = node else { return };
        node = map
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    if let (Value::Object(map), Some(last)) = (node, parts.last()) {
        map.insert(last.to_string(), value);
    }
}

/// Merges `patch` into `base`: objects key by key, anything else replaced.
pub fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(k) {
                    Some(bv) if bv.is_object() && v.is_object() => merge(bv, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

/// Every leaf as (dotted key, value); arrays and `null` are leaves.
pub fn flatten(value: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    flatten_into(value, "", &mut out);
    out
}

fn flatten_into(value: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() || path.is_empty() => {
            for (k, v) in map {
                flatten_into(v, &join(path, k), out);
            }
        }
        other => out.push((path.to_string(), other.clone())),
    }
}

/// Dotted keys whose values differ between `a` and `b`, sorted.
pub fn changed_keys(a: &Value, b: &Value) -> Vec<String> {
    let fa = flatten(a);
    let fb = flatten(b);
    let mut keys: Vec<String> = fa
        .iter()
        .filter(|(k, v)| fb.iter().find(|(kb, _)| kb == k).map(|(_, vb)| vb) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(
            fb.iter()
                .filter(|(k, _)| !fa.iter().any(|(ka, _)| ka == k))
                .map(|(k, _)| k.clone()),
        )
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Dotted keys fixed by `HEARTH_*` variables (`_FILE` ones included).
pub fn env_keys() -> Vec<String> {
    let mut keys: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| {
            let name = k.strip_prefix("HEARTH_")?;
            if name == "CONFIG" || name.is_empty() {
                return None;
            }
            let name = name.strip_suffix("_FILE").unwrap_or(name);
            Some(
                name.split("__")
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
                    .join("."),
            )
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_and_restored() {
        let old = json!({
            "ldap": { "directory": { "bind_password": "s3cret", "base_dn": "dc=x" } },
            "oidc": { "providers": [ { "id": "a", "client_secret": "one" }, { "id": "b", "client_secret": "two" } ] },
            "database": { "url": "postgres://u:p@h/db" },
        });
        let mut shown = old.clone();
        mask(&mut shown);
        assert_eq!(shown["ldap"]["directory"]["bind_password"], MASK);
        assert_eq!(shown["oidc"]["providers"][1]["client_secret"], MASK);
        assert_eq!(shown["database"]["url"], MASK);
        assert_eq!(shown["ldap"]["directory"]["base_dn"], "dc=x");
        // Reordered providers keep their own secrets.
        let mut back = json!({ "oidc": { "providers": [ { "id": "b", "client_secret": MASK }, { "id": "a", "client_secret": MASK } ] } });
        unmask(&mut back, &old);
        assert_eq!(back["oidc"]["providers"][0]["client_secret"], "two");
        assert_eq!(back["oidc"]["providers"][1]["client_secret"], "one");
    }

    #[test]
    fn secrets_do_not_follow_a_moved_endpoint() {
        let old = json!({
            "ldap": { "directory": { "urls": ["ldap://a"], "bind_password": "pw" } },
            "oidc": { "providers": [
                { "id": "a", "issuer_url": "https://a", "client_secret": "one" },
                { "id": "b", "issuer_url": "https://b", "client_secret": "two" },
            ] },
        });
        // Same endpoints: nothing dropped.
        let mut same = old.clone();
        assert!(drop_moved_secrets(&old, &mut same, &json!({})).is_empty());
        // Moved without a new secret: dropped (the other provider keeps its own).
        let mut new = old.clone();
        set(&mut new, "ldap.directory.urls", json!(["ldap://evil"]));
        new["oidc"]["providers"][0]["issuer_url"] = json!("https://evil");
        let given = json!({ "oidc": { "providers": [ { "id": "a", "client_secret": MASK } ] } });
        let keys = drop_moved_secrets(&old, &mut new, &given);
        assert_eq!(keys, ["ldap.directory.bind_password", "oidc.providers"]);
        assert_eq!(new["ldap"]["directory"]["bind_password"], "");
        assert!(new["oidc"]["providers"][0]["client_secret"].is_null());
        assert_eq!(new["oidc"]["providers"][1]["client_secret"], "two");
        // Moved together with a new secret: kept.
        let mut new = old.clone();
        set(&mut new, "ldap.directory.urls", json!(["ldap://new"]));
        set(&mut new, "ldap.directory.bind_password", json!("new-pw"));
        let given = json!({ "ldap": { "directory": { "bind_password": "new-pw" } } });
        assert!(drop_moved_secrets(&old, &mut new, &given).is_empty());
        assert_eq!(new["ldap"]["directory"]["bind_password"], "new-pw");
    }

    #[test]
    fn keys_set_merge_and_diff() {
        let mut v = json!({ "ldap": { "directory": null, "enabled": false } });
        set(&mut v, "ldap.directory.base_dn", json!("dc=x"));
        assert_eq!(get(&v, "ldap.directory.base_dn"), Some(&json!("dc=x")));
        let mut w = v.clone();
        merge(&mut w, &json!({ "ldap": { "enabled": true } }));
        assert_eq!(changed_keys(&v, &w), vec!["ldap.enabled".to_string()]);
        assert!(needs_restart("server.listen"));
        assert!(!needs_restart("ldap.directory.urls"));
        assert!(!needs_restart("serverx"));
        assert!(overlaps("ldap.directory", "ldap.directory.bind_password"));
    }
}
