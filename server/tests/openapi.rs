//! `server/openapi.yaml` and `docs/API.md` are what `driehoek-server openapi` makes of the route
//! table and the Rust types; the spec describes exactly the routes the router has ([`ROUTES`]),
//! and every route in [`ROUTES`] is really served (not the app shell, not 405).

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use driehoek_server::api::{NO_SUCH_ROUTE, ROUTES};
use driehoek_server::openapi::{self, Examples, OPERATIONS};
use driehoek_server::store::SqliteStore;
use driehoek_server::{app, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// (METHOD, path) of every operation under `paths` of the generated spec.
fn described() -> BTreeSet<(String, String)> {
    let spec = openapi::spec();
    let paths = spec["paths"].as_object().expect("the spec has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            let methods = item.as_object().expect("a path item is a map");
            methods
                .keys()
                .map(|method| (method.to_uppercase(), path.clone()))
        })
        .collect()
}

#[test]
fn openapi_file_is_generated() {
    let committed = include_str!("../openapi.yaml");
    assert!(
        committed == openapi::yaml(),
        "server/openapi.yaml is not what the code makes: run \
         `driehoek-server openapi > server/openapi.yaml`"
    );
}

#[test]
fn api_doc_is_generated() {
    let committed = include_str!("../../docs/API.md");
    assert!(
        committed == openapi::markdown(),
        "docs/API.md is not what the code makes: run \
         `driehoek-server openapi --markdown > docs/API.md`"
    );
}

#[test]
fn openapi_describes_exactly_the_routes() {
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(described(), routes, "the spec and the router disagree");
}

#[test]
fn every_operation_has_its_own_id() {
    let ids: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(ids.len(), OPERATIONS.len(), "two operations share an id");
}

#[test]
fn every_reference_in_the_spec_resolves() {
    let spec = openapi::spec();
    let mut refs = Vec::new();
    collect_refs(&spec, &mut refs);
    assert!(!refs.is_empty(), "the spec refers to its components");
    for reference in refs {
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{reference} is not local"));
        assert!(
            spec.pointer(pointer).is_some(),
            "{reference} points at nothing"
        );
    }
}

fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_examples_are_valid_requests() {
    let ex = Examples::new();
    assert_eq!(
        driehoek_core::validate(&ex.content),
        vec![],
        "the example content must be publishable"
    );
    assert_eq!(
        ex.rsvp.rsvp.activity_id, ex.content.activities[0].id,
        "the example RSVP answers the example's activity"
    );
    assert_eq!(
        ex.ack.agreement_version, ex.content.agreement.version,
        "the example acknowledges the published agreement"
    );
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
            .replace("{ack_id}", "a-1")
            .replace("{absence_id}", "afw-1")
            .replace("{booking_id}", "b-1")
            .replace("{round_id}", "ronde-1")
            .replace("{slot_id}", "g7-20261208-1500");
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
