//! What `/api/v1` answers when no handler takes a request: `405
//! method_not_allowed` with an `Allow` header when the path exists with other
//! methods, `404 not_found` otherwise.
//!
//! The paths and their methods come from the API description, which lists
//! every route (a test checks it), so there is no second table to keep in step.

use std::sync::OnceLock;

use actix_web::http::header::{ALLOW, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use hearth_api::ErrorCode;
use utoipa::OpenApi;

use crate::error::error_response;

/// One documented path: its segments (`None` for a `{parameter}`) and methods.
struct Route {
    segments: Vec<Option<String>>,
    methods: Vec<&'static str>,
}

fn routes() -> &'static [Route] {
    static ROUTES: OnceLock<Vec<Route>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let doc = crate::openapi::ApiDoc::openapi();
        doc.paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_string()))
                    .collect();
                let ops = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ];
                Route {
                    segments,
                    methods: ops.iter().filter(|(_, on)| *on).map(|(m, _)| *m).collect(),
                }
            })
            .collect()
    })
}

/// The methods the documented routes take at `path`, sorted; empty when
/// no route has this path.
pub fn allowed_methods(path: &str) -> Vec<&'static str> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut out: Vec<&'static str> = routes()
        .iter()
        .filter(|r| {
            r.segments.len() == parts.len()
                && r.segments.iter().zip(&parts).all(|(seg, part)| match seg {
                    Some(lit) => lit == part,
                    None => !part.is_empty(),
                })
        })
        .flat_map(|r| r.methods.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The default service of the API scope.
pub async fn no_route(req: HttpRequest) -> HttpResponse {
    let allowed = allowed_methods(req.path());
    if allowed.is_empty() || allowed.contains(&req.method().as_str()) {
        return crate::telemetry::not_found(req).await;
    }
    let list = allowed.join(", ");
    let mut resp = error_response(
        ErrorCode::MethodNotAllowed,
        format!(
            "{} is not allowed on {}; use {list}",
            req.method(),
            req.path()
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&list) {
        resp.headers_mut().insert(ALLOW, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::allowed_methods;

    #[test]
    fn documented_paths_list_their_methods() {
        assert_eq!(allowed_methods("/api/v1/system/info"), vec!["GET"]);
        let members = allowed_methods("/api/v1/channels/0190/members");
        assert!(members.contains(&"GET") && members.contains(&"POST"));
        assert!(allowed_methods("/api/v1/nope").is_empty());
        assert!(allowed_methods("/api/v1/channels//members").is_empty());
    }
}
