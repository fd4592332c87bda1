//! Driehoek's server: serves the built app (dist/) with the right caching, and the sync protocol
//! (../shared/DESIGN.md) behind `/api/v1`.

pub mod api;
pub mod auth;
pub mod cache;
pub mod clock;
pub mod error;
pub mod headers;
pub mod openapi;
pub mod parents;
pub mod ratelimit;
pub mod request;
pub mod school;
pub mod schools;
pub mod serve;
pub mod store;

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub use clock::Clock;
pub use ratelimit::WriteRate;

/// What every handler may need.
#[derive(Clone)]
pub struct AppState {
    /// The built app (Trunk's dist/ folder).
    pub dist: PathBuf,
    /// The schools' content, RSVPs and acknowledgements.
    pub store: Arc<dyn store::Store>,
    /// The schools in memory (see [`cache`]).
    pub(crate) schools: Arc<cache::Schools>,
    /// "Now", for every decision that depends on it (see [`clock`]).
    pub clock: Clock,
}

impl AppState {
    pub fn new(dist: impl Into<PathBuf>, store: Arc<dyn store::Store>) -> Self {
        AppState {
            dist: dist.into(),
            store,
            schools: Arc::default(),
            clock: Clock::system(),
        }
    }

    /// The same state on another clock (a test's fixed moment, `serve --clock`).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

/// How the server is set up beyond its state (`serve`'s options).
#[derive(Clone, Debug)]
pub struct Config {
    /// Origins that may call the API from a page of their own (CORS); empty: only the app that
    /// this server serves itself (same origin).
    pub allow_origins: Vec<HeaderValue>,
    /// How fast one client may write (PUT).
    pub write_rate: WriteRate,
    /// How many failed logins (401) one client may have, at once and in the long run.
    pub login_rate: WriteRate,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); from any other
    /// peer the header is ignored, so that a client cannot pick its own address for the limits.
    pub trusted_proxies: Vec<IpAddr>,
    /// The longest a request may take, its body included (408 after).
    pub request_timeout: Duration,
}

/// The default limit on failed logins: ten at once, then one more every ten seconds.
pub const LOGIN_RATE: WriteRate = WriteRate {
    burst: 10,
    per_second: 0.1,
};

impl Default for Config {
    /// Same origin only, the default write rate and login limit, no proxy.
    fn default() -> Self {
        Config {
            allow_origins: Vec::new(),
            write_rate: WriteRate::default(),
            login_rate: LOGIN_RATE,
            trusted_proxies: Vec::new(),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// The whole server with the default [`Config`], used by the tests.
pub fn app(state: AppState) -> Router {
    app_with(state, &Config::default())
}

/// The whole server. Serve it with `into_make_service_with_connect_info::<SocketAddr>()` so that
/// writes are limited per client address.
pub fn app_with(state: AppState, config: &Config) -> Router {
    // The build writes brotli and gzip copies (scripts/precache.mjs); sent where accepted.
    let files = ServeDir::new(&state.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(get(app_shell).with_state(state.clone()))
        .append_index_html_on_directories(true);
    let limits = Arc::new(ratelimit::Limits {
        writes: ratelimit::RateLimiter::new(config.write_rate),
        logins: ratelimit::RateLimiter::new(config.login_rate),
    });
    // One router per area; the limits count every request under /api, also a 404.
    let api = Router::new()
        .merge(parents::router())
        .merge(school::router())
        .merge(api::router())
        .route_layer(middleware::from_fn_with_state(limits, ratelimit::limit));
    let csp = Arc::new(headers::Csp::new(&state.dist, &config.allow_origins));
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(api)
        .with_state(state)
        .fallback_service(files)
        .layer(middleware::from_fn(headers::caching))
        .layer(CompressionLayer::new())
        // A slow or stuck client cannot hold a request open for ever.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(middleware::from_fn(headers::json_errors))
        .layer(middleware::from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            ratelimit::client_address,
        ));
    if !config.allow_origins.is_empty() {
        router = router.layer(cors(&config.allow_origins));
    }
    router = router.layer(middleware::from_fn_with_state(csp, headers::security));
    // Logged: method, path (never the query string: the join link carries the access code in
    // it), status and time. Never a header: they carry the codes and the family secret.
    router.layer(
        TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            tracing::debug_span!(
                "request",
                method = %request.method(),
                path = %request.uri().path(),
            )
        }),
    )
}

/// CORS for the configured origins: the methods and headers of the sync protocol; the ETag and
/// `Retry-After` readable by the page (neither is readable across origins otherwise).
fn cors(origins: &[HeaderValue]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::PUT, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            HeaderName::from_static("x-family-secret"),
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// Checks an origin for `--allow-origin`: `scheme://host[:port]`, as a browser sends it in
/// `Origin` (no path, no trailing slash: those would never match).
pub fn parse_origin(text: &str) -> Result<HeaderValue, String> {
    let origin = text.trim().trim_end_matches('/');
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| format!("{text:?} is geen origin: begin met https:// of http://"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err(format!(
            "{text:?} is geen origin: alleen schema, naam en poort, zoals https://app.school.nl"
        ));
    }
    HeaderValue::from_str(&origin.to_ascii_lowercase())
        .map_err(|_| format!("{text:?} is geen origin"))
}

/// `GET /healthz`: the server is up (liveness; see [`readyz`] for the database).
async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: whether the database can be read and written now: 200, or 503 with
/// `Retry-After` and a Dutch message (a full disk, a read-only file, a damaged database).
async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let ready = tokio::task::spawn_blocking(move || store.readiness())
        .await
        .unwrap_or(store::Readiness {
            readable: false,
            writable: false,
        });
    let message = match (ready.readable, ready.writable) {
        (true, true) => "De database is te lezen en te schrijven.",
        (true, false) => {
            "De database is te lezen, maar er kan nu niets bewaard worden (is de schijf vol, of \
             het bestand alleen-lezen?)."
        }
        (false, _) => "De database is nu niet te lezen.",
    };
    let body = axum::Json(api::ReadinessAnswer {
        readable: ready.readable,
        writable: ready.writable,
        message: message.to_owned(),
    });
    if ready.readable && ready.writable {
        return body.into_response();
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(
            header::RETRY_AFTER,
            HeaderValue::from(api::UNAVAILABLE_RETRY_SECONDS),
        )],
        body,
    )
        .into_response()
}

/// Any address that is not a file is a screen of the app (`/afspraken`, `/activiteiten/…`):
/// answer with the app shell so that deep links work. A missing file (with an extension) is a 404,
/// never the shell, so that a stale asset can't be cached as HTML.
async fn app_shell(State(state): State<AppState>, uri: Uri) -> Response {
    if looks_like_file(uri.path()) {
        return (StatusCode::NOT_FOUND, "Niet gevonden").into_response();
    }
    // The school's Beheer app is a page of its own; every other screen is the parents' app.
    let page = if uri.path() == "/beheer" || uri.path().starts_with("/beheer/") {
        "beheer.html"
    } else {
        "index.html"
    };
    match tokio::fs::read(state.dist.join(page)).await {
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
