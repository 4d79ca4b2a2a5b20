//! The OpenAPI document at `/api/v1/openapi.json` describes exactly the routes
//! in `server/src/routes`: the route attributes (`#[get("...")]`, ...) are
//! scanned from the sources, so adding a route without documenting it, or
//! documenting one that does not exist, fails here. Each operation is also
//! checked against its handler's signature (auth, body, query, path params).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::harness::{Backend, TestServer};

/// Every file of `server/src/routes`, as compiled into this test.
const ROUTE_FILES: &[(&str, &str)] = &[
    ("audit.rs", include_str!("../../src/routes/audit.rs")),
    (
        "channel_admin.rs",
        include_str!("../../src/routes/channel_admin.rs"),
    ),
    ("channels.rs", include_str!("../../src/routes/channels.rs")),
    (
        "compliance.rs",
        include_str!("../../src/routes/compliance.rs"),
    ),
    (
        "compliance_jobs.rs",
        include_str!("../../src/routes/compliance_jobs.rs"),
    ),
    ("fallback.rs", include_str!("../../src/routes/fallback.rs")),
    ("files.rs", include_str!("../../src/routes/files.rs")),
    ("import.rs", include_str!("../../src/routes/import.rs")),
    ("mod.rs", include_str!("../../src/routes/mod.rs")),
    (
        "oidc_admin.rs",
        include_str!("../../src/routes/oidc_admin.rs"),
    ),
    (
        "permissions.rs",
        include_str!("../../src/routes/permissions.rs"),
    ),
    ("posts.rs", include_str!("../../src/routes/posts.rs")),
    ("search.rs", include_str!("../../src/routes/search.rs")),
    ("signin.rs", include_str!("../../src/routes/signin.rs")),
    ("system.rs", include_str!("../../src/routes/system.rs")),
    (
        "system_admin.rs",
        include_str!("../../src/routes/system_admin.rs"),
    ),
    (
        "team_admin.rs",
        include_str!("../../src/routes/team_admin.rs"),
    ),
    ("teams.rs", include_str!("../../src/routes/teams.rs")),
    (
        "user_admin.rs",
        include_str!("../../src/routes/user_admin.rs"),
    ),
    ("users.rs", include_str!("../../src/routes/users.rs")),
    ("ws.rs", include_str!("../../src/routes/ws.rs")),
];

const PREFIX: &str = "/api/v1";
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// One route as declared in the source.
#[derive(Debug)]
struct Route {
    file: &'static str,
    method: &'static str,
    /// Full path, with `/api/v1` unless the route is a root route.
    path: String,
    handler: String,
    /// The handler's parameter list, for the auth/body/query checks.
    signature: String,
}

/// Handlers registered outside `/api/v1` by `system::configure_root`.
fn root_handlers(system_rs: &str) -> BTreeSet<String> {
    let start = system_rs
        .find("pub fn configure_root")
        .expect("system.rs has configure_root");
    let body = &system_rs[start..];
    let body = &body[..body.find("\n}").expect("configure_root ends")];
    body.split("service(")
        .skip(1)
        .map(|s| {
            s[..s.find(')').expect("service(...) closes")]
                .trim()
                .to_string()
        })
        .collect()
}

fn scan_routes() -> Vec<Route> {
    let (_, system_rs) = ROUTE_FILES
        .iter()
        .find(|(f, _)| *f == "system.rs")
        .expect("system.rs");
    let roots = root_handlers(system_rs);
    assert!(
        !roots.is_empty(),
        "configure_root registers the root routes"
    );
    let (_, mod_rs) = ROUTE_FILES.iter().find(|(f, _)| *f == "mod.rs").unwrap();
    assert!(
        mod_rs.contains(&format!("web::scope(\"{PREFIX}\")")),
        "the API scope is {PREFIX}"
    );
    let mut routes = Vec::new();
    for (file, src) in ROUTE_FILES {
        let lines: Vec<&str> = src.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim();
            let Some(method) = METHODS
                .into_iter()
                .find(|m| line.starts_with(&format!("#[{m}(\"")))
            else {
                continue;
            };
            let rest = &line[method.len() + 4..];
            let path = &rest[..rest.find('"').expect("route path closes")];
            let fn_line = lines[i + 1..]
                .iter()
                .position(|l| l.contains("async fn "))
                .map(|p| i + 1 + p)
                .unwrap_or_else(|| panic!("{file}: no handler after {line}"));
            let after = lines[fn_line].split("async fn ").nth(1).unwrap();
            let handler = after[..after.find(['(', '<']).unwrap()].to_string();
            let end = lines[fn_line..]
                .iter()
                .position(|l| l.trim_end().ends_with('{'))
                .map(|p| fn_line + p)
                .unwrap_or_else(|| panic!("{file}: {handler} has no body"));
            let signature = lines[fn_line..=end].join("\n");
            let full = if *file == "system.rs" && roots.contains(&handler) {
                path.to_string()
            } else {
                format!("{PREFIX}{path}")
            };
            routes.push(Route {
                file,
                method,
                path: full,
                handler,
                signature,
            });
        }
    }
    routes
}

/// Follows a local `$ref` (`#/components/...`) to its target.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("non-local $ref {r}"));
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("$ref {r} does not resolve"))
        }
        None => v,
    }
}

fn collect_refs(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.insert(r.clone());
            }
            m.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_route() {
    // Every .rs file of routes/ must be scanned, so a new module cannot hide routes.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("routes dir")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs"))
        .collect();
    let scanned: BTreeSet<String> = ROUTE_FILES.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(
        on_disk, scanned,
        "add new route files to ROUTE_FILES in tests/api/openapi.rs"
    );

    let mut s = TestServer::boot(Backend::Sqlite).await;
    let doc = s
        .client()
        .openapi()
        .await
        .expect("openapi.json without auth");
    s.stop().await;

    let version = doc["openapi"].as_str().expect("openapi version string");
    assert!(version.starts_with("3."), "OpenAPI 3.x, got {version}");
    assert!(doc["info"]["title"].is_string());

    // The routes in the source and the operations in the document are the same set.
    let routes = scan_routes();
    assert!(routes.len() > 50, "found only {} routes", routes.len());
    let in_source: BTreeSet<(String, String)> = routes
        .iter()
        .map(|r| (r.method.to_uppercase(), r.path.clone()))
        .collect();
    assert_eq!(in_source.len(), routes.len(), "a route is declared twice");
    let paths = doc["paths"].as_object().expect("paths");
    let mut in_doc = BTreeSet::new();
    for (path, item) in paths {
        for m in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            if item.get(m).is_some() {
                in_doc.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    let undocumented: Vec<_> = in_source.difference(&in_doc).collect();
    let unrouted: Vec<_> = in_doc.difference(&in_source).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "routes without #[utoipa::path] (or not listed in openapi.rs): {undocumented:?}; \
         documented but not routed: {unrouted:?}"
    );

    // Schemas and security schemes.
    let components = &doc["components"];
    for name in [
        "Post",
        "ErrorBody",
        "ErrorCode",
        "User",
        "Channel",
        "ServerFrame",
    ] {
        assert!(
            components["schemas"][name].is_object(),
            "schema {name} is missing"
        );
    }
    let schemes = &components["securitySchemes"];
    assert_eq!(schemes["bearer"]["type"], "http");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session_cookie"]["type"], "apiKey");
    assert_eq!(schemes["session_cookie"]["in"], "cookie");
    assert_eq!(schemes["session_cookie"]["name"], "HEARTH_SESSION");
    assert_eq!(schemes["csrf_token"]["in"], "header");
    assert_eq!(schemes["csrf_token"]["name"], "X-CSRF-Token");

    // Every reference resolves.
    let mut refs = BTreeSet::new();
    collect_refs(&doc, &mut refs);
    for r in &refs {
        resolve(&doc, &serde_json::json!({ "$ref": r }));
    }

    // Each operation matches its handler.
    let mut op_ids: BTreeMap<String, String> = BTreeMap::new();
    for r in &routes {
        let what = format!("{} {} ({}::{})", r.method, r.path, r.file, r.handler);
        let src = ROUTE_FILES.iter().find(|(f, _)| *f == r.file).unwrap().1;
        assert!(
            src.contains(&format!("/// {} {}\n", r.method.to_uppercase(), r.path)),
            "{what}: the handler's doc starts with `/// METHOD /full/path`"
        );
        let op = &doc["paths"][&r.path][r.method];
        let id = op["operationId"].as_str().expect("operationId").to_string();
        if let Some(other) = op_ids.insert(id.clone(), what.clone()) {
            panic!("operationId {id} is used by {other} and {what}");
        }
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{what}: summary"
        );
        let params: Vec<&Value> = op["parameters"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let has_param = |name: &str, place: &str| {
            params.iter().any(|p| {
                p["name"] == name && p["in"] == place && (place != "path" || p["required"] == true)
            })
        };
        for seg in r.path.split('/') {
            if let Some(name) = seg.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                assert!(has_param(name, "path"), "{what}: path parameter {name}");
            }
        }
        if r.signature.contains("web::Query<") {
            assert!(
                params.iter().any(|p| p["in"] == "query"),
                "{what}: query parameters"
            );
        }
        if r.signature.contains("web::Json<") {
            assert!(
                op["requestBody"]["content"]["application/json"]["schema"].is_object(),
                "{what}: JSON request body"
            );
        }
        if r.signature.contains("web::Payload") || r.signature.contains("Multipart") {
            assert!(
                op["requestBody"]["content"].is_object() || r.path.ends_with("/websocket"),
                "{what}: request body"
            );
        }
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            // 302 for the single sign-on redirects, 101 for the WebSocket upgrade.
            responses
                .keys()
                .any(|k| k.starts_with('2') || k == "302" || k == "101"),
            "{what}: a success response"
        );
        for (status, resp) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let resp = resolve(&doc, resp);
                assert_eq!(
                    resp["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{what}: {status} answers ErrorBody"
                );
                assert!(
                    resp["description"].is_string(),
                    "{what}: {status} description"
                );
            }
        }
        // `/metrics` authenticates inside (a scraper token, or an administrator).
        let authed = r.signature.contains(": Auth") || r.path == "/metrics";
        let security = op["security"].as_array();
        if authed {
            let security = security.unwrap_or_else(|| panic!("{what}: security"));
            assert!(responses.contains_key("401"), "{what}: 401");
            assert!(responses.contains_key("403"), "{what}: 403");
            assert!(
                security.iter().any(|s| s.get("bearer").is_some()),
                "{what}: bearer auth"
            );
            let cookie: Vec<_> = security
                .iter()
                .filter(|s| s.get("session_cookie").is_some())
                .collect();
            assert!(!cookie.is_empty(), "{what}: cookie auth");
            if r.method != "get" {
                assert!(
                    cookie.iter().all(|s| s.get("csrf_token").is_some()),
                    "{what}: cookie-authenticated writes need X-CSRF-Token"
                );
            }
        } else {
            assert!(
                security.is_none_or(|s| s.is_empty()),
                "{what}: needs no authentication"
            );
        }
    }
}

/// `hearth openapi` prints the served document, so clients can generate their
/// types from the binary without starting a server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_subcommand_prints_the_served_document() {
    let mut s = TestServer::boot(Backend::Sqlite).await;
    let served = s.client().openapi().await.expect("openapi.json");
    s.stop().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("openapi")
        .output()
        .expect("run hearth openapi");
    assert!(out.status.success(), "hearth openapi: {out:?}");
    let printed: Value = serde_json::from_slice(&out.stdout).expect("hearth openapi prints JSON");
    assert_eq!(printed, served);
}
