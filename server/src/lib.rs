//! Driehoek's server. For now it serves the built app (dist/) with the right caching; the sync
//! protocol (../shared/DESIGN.md) is added behind `/api/v1` by its own issue.

pub mod api;
pub mod store;

use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// What every handler may need.
#[derive(Clone)]
pub struct AppState {
    /// The built app (Trunk's dist/ folder).
    pub dist: PathBuf,
    /// The schools' content, RSVPs and acknowledgements.
    pub store: std::sync::Arc<dyn store::Store>,
}

/// The whole server, used by `main` and by the tests.
pub fn app(state: AppState) -> Router {
    let files = ServeDir::new(&state.dist)
        .fallback(get(app_shell).with_state(state.clone()))
        .append_index_html_on_directories(true);
    Router::new()
        .route("/healthz", get(healthz))
        .merge(api::router())
        .with_state(state)
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(CompressionLayer::new())
        // A slow or stuck client cannot hold a request open for ever.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
}

/// `GET /healthz`: the server is up.
async fn healthz() -> &'static str {
    "ok"
}

/// Any address that is not a file is a screen of the app (`/afspraken`, `/activiteiten/…`):
/// answer with the app shell so that deep links work. A missing file (with an extension) is a 404,
/// never the shell, so that a stale asset can't be cached as HTML.
async fn app_shell(State(state): State<AppState>, uri: Uri) -> Response {
    if looks_like_file(uri.path()) {
        return (StatusCode::NOT_FOUND, "Niet gevonden").into_response();
    }
    match tokio::fs::read(state.dist.join("index.html")).await {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "De app is nog niet gebouwd: draai eerst scripts/run.sh.",
        )
            .into_response(),
    }
}

fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Files whose name carries a content hash (Trunk's `name-0123456789abcdef.ext`) never change and
/// are cached for a year; everything else (index.html, sw.js, the manifest, icons, screens) is
/// checked with the server on every use, so that a new version is found.
async fn cache_headers(request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Whether the file name of `path` ends in `-<16 or more hex digits>` before its extension.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    // wasm-bindgen adds `_bg` to the wasm file's name after the hash.
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `dist` holds a built app.
pub fn is_built(dist: &Path) -> bool {
    dist.join("index.html").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised_by_their_name() {
        assert!(is_hashed_asset("/driehoek-0123456789abcdef.js"));
        assert!(is_hashed_asset("/driehoek-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/main-fedcba9876543210.css"));
        assert!(
            !is_hashed_asset("/index.html"),
            "the shell must be revalidated"
        );
        assert!(!is_hashed_asset("/sw.js"), "the worker must be revalidated");
        assert!(!is_hashed_asset("/icons/icon-192.png"));
        assert!(!is_hashed_asset("/maskable-192.png"));
    }

    #[test]
    fn screens_are_not_files() {
        assert!(!looks_like_file("/afspraken"));
        assert!(!looks_like_file("/"));
        assert!(looks_like_file("/driehoek-0123.js"));
    }
}
