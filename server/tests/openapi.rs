//! `server/openapi.yaml` describes exactly the routes the router has ([`ROUTES`]), and every
//! route in [`ROUTES`] is really served (not the app shell, not 405).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use driehoek_server::api::{NO_SUCH_ROUTE, ROUTES};
use driehoek_server::store::SqliteStore;
use driehoek_server::{app, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// (METHOD, path) pairs under `paths:` of the OpenAPI file (a small reader for its layout).
fn described() -> BTreeSet<(String, String)> {
    let text = include_str!("../openapi.yaml");
    let mut out = BTreeSet::new();
    let (mut in_paths, mut path) = (false, String::new());
    for line in text.lines() {
        if line == "paths:" {
            in_paths = true;
        } else if !line.starts_with(' ') && !line.is_empty() {
            in_paths = false;
        } else if in_paths && line.starts_with("  /") {
            path = line.trim().trim_end_matches(':').to_owned();
        } else if in_paths && line.starts_with("    ") && !line.starts_with("     ") {
            let method = line.trim().trim_end_matches(':');
            if ["get", "put", "post", "delete", "patch"].contains(&method) {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn openapi_describes_exactly_the_routes() {
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(described(), routes);
}

#[tokio::test]
async fn every_listed_route_is_served() {
    let state = AppState::new(
        std::env::temp_dir().join("driehoek-no-dist"),
        Arc::new(SqliteStore::in_memory().unwrap()),
    );
    for (method, path) in ROUTES {
        let uri = path
            .replace("{school}", "nope")
            .replace("{rsvp_id}", "r-1")
            .replace("{ack_id}", "a-1");
        let request = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let response = app(state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            !String::from_utf8_lossy(&body).contains(NO_SUCH_ROUTE),
            "{method} {path} is not routed"
        );
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND,
            "{method} {path}: {status}"
        );
        assert_ne!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{method} {path} fell to the app shell"
        );
    }
}
