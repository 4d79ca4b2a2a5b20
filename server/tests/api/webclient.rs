//! The embedded web client: index for browser paths, cached hashed assets,
//! JSON errors for the API.

use crate::harness::{Backend, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_the_client_and_keeps_api_errors_json() {
    let s = TestServer::boot(Backend::Sqlite).await;
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{}{path}", s.url)).send();

    let api = get("/api/v1/no-such-route").await.unwrap();
    assert_eq!(api.status(), 404);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    let root = get("/").await.unwrap();
    if !hearth_server::web_client_available() {
        // Built without web/dist: the answer says how to fix it.
        assert_eq!(root.status(), 404);
        let body: serde_json::Value = root.json().await.unwrap();
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("npm run build")
        );
        return;
    }
    assert_eq!(root.status(), 200);
    assert_eq!(root.headers()["cache-control"], "no-cache");
    let html = root.text().await.unwrap();
    assert!(html.contains("<div id=\"root\">"), "{html}");
    // Deep links load the same page; the client routes them.
    let deep = get("/acme/channels/town-square")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(deep, html);
    // Every asset the page references is served with a long immutable cache.
    let assets: Vec<&str> = html
        .split('"')
        .filter(|p| p.starts_with("/assets/"))
        .collect();
    assert!(!assets.is_empty(), "index.html references its assets");
    for a in assets {
        let r = get(a).await.unwrap();
        assert_eq!(r.status(), 200, "{a}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
    }
}
