//! Serves the web client (`web/dist`, built by `npm run build`) from the
//! binary: hashed assets with a year-long immutable cache, `index.html` for
//! every other browser path so client-side routes and deep links load.
//! Release builds embed the files; debug builds read them from disk.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use hearth_api::ErrorCode;

use crate::error::error_response;

#[derive(rust_embed::Embed)]
#[folder = "../web/dist"]
#[allow_missing = true]
struct Assets;

/// Whether this binary carries a built web client.
pub fn available() -> bool {
    Assets::get("index.html").is_some()
}

/// The fallback service: web client files, or the JSON 404 for API paths.
pub async fn serve(req: HttpRequest) -> HttpResponse {
    let path = req.path().trim_start_matches('/');
    if path.starts_with("api/") || req.method() != actix_web::http::Method::GET {
        return crate::telemetry::not_found(req).await;
    }
    if let Some(file) = Assets::get(path).filter(|_| !path.is_empty()) {
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        // Vite puts a content hash in every name under assets/.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return HttpResponse::Ok()
            .content_type(mime.essence_str())
            .insert_header((header::CACHE_CONTROL, cache))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(file.data.into_owned());
    }
    match Assets::get("index.html") {
        Some(index) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("X-Frame-Options", "DENY"))
            .body(index.data.into_owned()),
        None => error_response(
            ErrorCode::NotFound,
            "this server was built without the web client: run `npm ci && npm run build` in web/ and rebuild".into(),
        ),
    }
}
