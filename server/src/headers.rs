//! The headers every answer carries, and the shape of every error answer.
//!
//! - Security headers on every page and API answer: a Content-Security-Policy that lets the app
//!   load only from this server and talk only to it and the configured sync origins, no framing,
//!   `nosniff`, and no `Referer` (the join link carries the access code in its query).
//! - Caching: personal data (`no-store`), hashed assets (a year), everything else revalidated;
//!   `Vary: Accept-Encoding` on files, which are sent brotli, gzip or plain by the same address.
//! - Every error answer is JSON with a Dutch `message`, also those that axum, tower-http or the
//!   file server make (404, 405, 408, 413, …).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

/// The pages whose inline scripts the policy allows by hash (Trunk writes the wasm loader into
/// each page as an inline module script).
const PAGES: [&str; 2] = ["index.html", "beheer.html"];

/// The Content-Security-Policy, made from the built pages; made again when a page changes on
/// disk (a new build under a running server).
#[derive(Debug)]
pub struct Csp {
    dist: PathBuf,
    connect: String,
    made: Mutex<Option<(Vec<Option<SystemTime>>, HeaderValue)>>,
}

impl Csp {
    /// The policy for the app in `dist`, that may also talk to `sync_origins`.
    pub fn new(dist: &Path, sync_origins: &[HeaderValue]) -> Self {
        let mut connect = String::from("'self'");
        for origin in sync_origins.iter().filter_map(|o| o.to_str().ok()) {
            connect.push(' ');
            connect.push_str(origin);
        }
        Csp {
            dist: dist.to_owned(),
            connect,
            made: Mutex::new(None),
        }
    }

    /// The policy now.
    pub fn header(&self) -> HeaderValue {
        let stamps: Vec<Option<SystemTime>> = PAGES
            .iter()
            .map(|page| {
                std::fs::metadata(self.dist.join(page))
                    .and_then(|m| m.modified())
                    .ok()
            })
            .collect();
        let mut made = self
            .made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((at, value)) = made.as_ref() {
            if *at == stamps {
                return value.clone();
            }
        }
        let hashes: Vec<String> = PAGES
            .iter()
            .filter_map(|page| std::fs::read_to_string(self.dist.join(page)).ok())
            .flat_map(|html| {
                inline_scripts(&html)
                    .into_iter()
                    .map(script_hash)
                    .collect::<Vec<_>>()
            })
            .collect();
        let value = HeaderValue::from_str(&policy(&hashes, &self.connect))
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
        *made = Some((stamps, value.clone()));
        value
    }
}

/// The policy's text. `'wasm-unsafe-eval'` lets the page compile the app's WebAssembly (and
/// nothing else); styles come from files only; images from here and `data:` URLs.
pub fn policy(script_hashes: &[String], connect: &str) -> String {
    let mut scripts = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        scripts.push_str(" '");
        scripts.push_str(hash);
        scripts.push('\'');
    }
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         connect-src {connect}; font-src 'self'; manifest-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of every `<script>` without a `src` in `html`, exactly as between its tags.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script") else {
            break;
        };
        if !tag.contains(" src=") {
            out.push(&body[..close]);
        }
        rest = &body[close..];
    }
    out
}

/// A script's hash as a CSP source: `sha256-<base64>`.
pub fn script_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Middleware: the security headers on every answer.
pub async fn security(State(csp): State<Arc<Csp>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp.header());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // For browsers older than `frame-ancestors`.
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Whether an API answer can carry personal data: everything under `/api/` except the school's
/// published content (the same for every parent, and revalidated by its ETag).
fn is_personal(path: &str) -> bool {
    path.starts_with("/api/") && !path.ends_with("/content")
}

/// Middleware: caching. Personal data is never stored by a browser or proxy (`no-store`: RSVPs,
/// the CSV, acknowledgements, and the answers to PUTs, which echo names and notes); files whose
/// name carries a content hash are cached for a year; everything else is checked with the server
/// on every use, so that a new version is found. Files vary by `Accept-Encoding`.
pub async fn caching(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let immutable = crate::is_hashed_asset(&path);
    let mut response = next.run(request).await;
    let value = if is_personal(&path) {
        "no-store"
    } else if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    let is_file = !(path.starts_with("/api/") || path == "/healthz" || path == "/readyz");
    let varies = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("accept-encoding"));
    if is_file && !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// The Dutch message of an error status that came without one.
pub fn message_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "Het verzoek kon niet gelezen worden.",
        StatusCode::UNAUTHORIZED => "Geen of een verkeerde code.",
        StatusCode::FORBIDDEN => "Dit mag niet.",
        StatusCode::NOT_FOUND => "Niet gevonden.",
        StatusCode::METHOD_NOT_ALLOWED => "Dit adres kan dit verzoek niet aan (verkeerde methode).",
        StatusCode::REQUEST_TIMEOUT => "Het verzoek duurde te lang. Probeer het opnieuw.",
        StatusCode::PAYLOAD_TOO_LARGE => "Wat u stuurt is te groot om te bewaren.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Alleen application/json.",
        StatusCode::TOO_MANY_REQUESTS => "Te veel verzoeken. Probeer het later opnieuw.",
        StatusCode::SERVICE_UNAVAILABLE => {
            "De server kan dit nu niet doen. Probeer het later opnieuw."
        }
        s if s.is_server_error() => "Er ging iets mis op de server.",
        _ => "Dit verzoek kan niet.",
    }
}

/// The longest plain-text error body taken over as the message.
const MAX_TEXT: usize = 1024;

/// Middleware: an error answer that is not JSON becomes `{"message": …}` in Dutch; a short plain
/// text (the server's own Dutch sentences) is kept as the message, anything else is replaced by
/// the status's message. Headers such as `Allow` and `Retry-After` stay.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    let (mut parts, body) = response.into_parts();
    let text = if is_text {
        http_body_util::Limited::new(body, MAX_TEXT)
            .collect()
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_bytes().to_vec()).ok())
            .filter(|t| !t.trim().is_empty())
    } else {
        None
    };
    let message = text.unwrap_or_else(|| message_for(status).to_owned());
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    let json = Json(serde_json::json!({ "message": message.trim() })).into_response();
    let (json_parts, json_body) = json.into_parts();
    parts.headers.extend(json_parts.headers);
    Response::from_parts(parts, Body::new(json_body))
}
