//! The edges of the API: CORS for configured origins only, the write rate limit per client,
//! and a clear status (never a 500) for every kind of bad request on every route.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use driehoek_core::Answer;
use driehoek_server::{app_with, parse_origin, Config, WriteRate};

const APP_ORIGIN: &str = "https://app.driehoek.example";

fn with_origins(setup: &Setup, origins: &[&str]) -> axum::Router {
    let config = Config {
        allow_origins: origins.iter().map(|o| parse_origin(o).unwrap()).collect(),
        ..Config::default()
    };
    app_with(setup.state.clone(), &config)
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/schools/demo/rsvps/r-1")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type,x-family-secret",
        )
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn cors_lets_the_configured_origin_in_and_no_other() {
    let setup = setup();
    let app = with_origins(&setup, &[APP_ORIGIN, "https://tweede.example/"]);

    let (status, headers, _) = send(&app, preflight(APP_ORIGIN)).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], APP_ORIGIN);
    let methods = headers[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap();
    assert!(
        methods.contains("PUT") && methods.contains("GET"),
        "{methods}"
    );
    let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in [
        "authorization",
        "content-type",
        "if-match",
        "if-none-match",
        "x-family-secret",
    ] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }

    let mut request = get("/api/v1/schools/demo/content", CODE);
    request
        .headers_mut()
        .insert(header::ORIGIN, APP_ORIGIN.parse().unwrap());
    let (status, headers, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], APP_ORIGIN);
    let exposed = headers[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("etag"),
        "the page reads the ETag: {exposed}"
    );
    assert!(
        exposed.contains("retry-after"),
        "the page reads how long to wait after a 429: {exposed}"
    );

    // "https://tweede.example/" was given with a slash; browsers send origins without one.
    let (_, headers, _) = send(&app, preflight("https://tweede.example")).await;
    assert_eq!(
        headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://tweede.example"
    );

    for stranger in [
        "https://kwaadwillend.example",
        "http://app.driehoek.example",
        "null",
    ] {
        let (_, headers, _) = send(&app, preflight(stranger)).await;
        assert!(
            !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "{stranger}"
        );
        let mut request = get("/api/v1/schools/demo/content", CODE);
        request
            .headers_mut()
            .insert(header::ORIGIN, stranger.parse().unwrap());
        let (_, headers, _) = send(&app, request).await;
        assert!(
            !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
            "{stranger}"
        );
    }

    // Without --allow-origin: same origin only, no CORS headers for anyone.
    let (_, headers, _) = send(&setup.app(), preflight(APP_ORIGIN)).await;
    assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
}

#[test]
fn an_origin_with_a_path_is_refused_at_start() {
    assert!(parse_origin("https://app.school.nl").is_ok());
    assert!(parse_origin("http://localhost:8080").is_ok());
    assert!(parse_origin("https://app.school.nl/ouders").is_err());
    assert!(parse_origin("app.school.nl").is_err());
    assert!(parse_origin("*").is_err());
}

fn limited(setup: &Setup, burst: u32) -> axum::Router {
    let config = Config {
        write_rate: WriteRate {
            burst,
            per_second: 0.5,
        },
        ..Config::default()
    };
    app_with(setup.state.clone(), &config)
}

#[tokio::test]
async fn a_flood_of_writes_from_one_address_is_slowed_down_and_others_are_not() {
    let setup = setup();
    let app = limited(&setup, 3);
    let put = |i: i64| rsvp("fam-1", &setup.activity, 1_000 + i, Answer::Ja, 1);
    for i in 0..3 {
        let (status, _, _) = send(&app, from([10, 0, 0, 1], put_rsvp(&put(i), CODE, SECRET))).await;
        assert_eq!(status, StatusCode::OK, "the burst passes");
    }
    let (status, headers, body) =
        send(&app, from([10, 0, 0, 1], put_rsvp(&put(3), CODE, SECRET))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "one write per 2 s: {retry}");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(message(&body).contains("Probeer het over"), "{body}");

    let (status, _, _) = send(
        &app,
        from(
            [10, 0, 0, 2],
            put_rsvp(
                &rsvp("fam-2", &setup.activity, 1, Answer::Ja, 1),
                CODE,
                "geheim-van-gezin-twee",
            ),
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another address has its own allowance"
    );
    for _ in 0..10 {
        let (status, _, _) = send(
            &app,
            from([10, 0, 0, 1], get("/api/v1/schools/demo/content", CODE)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "reading is never limited");
    }
    assert_eq!(
        setup
            .state
            .store
            .rsvps("demo")
            .unwrap()
            .iter()
            .find(|r| r.family_id == "fam-1")
            .unwrap()
            .rsvp
            .updated_at,
        millis(1_002),
        "the refused write changed nothing"
    );
}

#[tokio::test]
async fn the_limit_uses_the_peer_address_over_real_tcp() {
    let setup = setup();
    let app = limited(&setup, 2);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    let mut statuses = Vec::new();
    for i in 0..3 {
        let body = serde_json::to_string(&rsvp("fam-1", &setup.activity, 1_000 + i, Answer::Ja, 1))
            .unwrap();
        let text = format!(
            "PUT /api/v1/schools/demo/rsvps/r-fam-1-{} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {CODE}\r\nX-Family-Secret: {SECRET}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            setup.activity,
            body.len()
        );
        let answer = raw(addr, &text).await;
        statuses.push(answer[9..12].to_owned());
        if i == 2 {
            assert!(
                answer.to_ascii_lowercase().contains("retry-after: "),
                "{answer}"
            );
        }
    }
    assert_eq!(statuses, ["200", "200", "429"]);
}

async fn raw(addr: SocketAddr, text: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(text.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// One route class: how to call it with a token, on a school, with a body.
struct Route {
    name: &'static str,
    method: Method,
    path: &'static str,
    token: &'static str,
    /// The largest body it takes; `None` for a GET.
    limit: Option<usize>,
}

const ROUTES: &[Route] = &[
    Route {
        name: "content GET",
        method: Method::GET,
        path: "content",
        token: CODE,
        limit: None,
    },
    Route {
        name: "content PUT",
        method: Method::PUT,
        path: "content",
        token: ADMIN,
        limit: Some(2 * 1024 * 1024),
    },
    Route {
        name: "rsvp PUT",
        method: Method::PUT,
        path: "rsvps/r-1",
        token: CODE,
        limit: Some(256 * 1024),
    },
    Route {
        name: "ack PUT",
        method: Method::PUT,
        path: "acknowledgements/a-1",
        token: CODE,
        limit: Some(256 * 1024),
    },
    Route {
        name: "rsvps GET",
        method: Method::GET,
        path: "rsvps",
        token: ADMIN,
        limit: None,
    },
    Route {
        name: "rsvps.csv GET",
        method: Method::GET,
        path: "rsvps.csv",
        token: ADMIN,
        limit: None,
    },
    Route {
        name: "acknowledgements GET",
        method: Method::GET,
        path: "acknowledgements",
        token: ADMIN,
        limit: None,
    },
];

fn call(
    route: &Route,
    school: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(route.method.clone())
        .uri(format!("/api/v1/schools/{school}/{}", route.path))
        .header("x-family-secret", SECRET);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if route.limit.is_some() {
        // `If-Match` is required on the content PUT (428 otherwise); the others ignore it.
        request = request
            .header(header::CONTENT_TYPE, content_type)
            .header(header::IF_MATCH, "*");
    }
    request.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn every_route_answers_bad_requests_with_a_clear_status_never_a_500() {
    let setup = setup();
    for route in ROUTES {
        let app = setup.app();
        let name = route.name;
        let json = "application/json";

        let (status, body) = common::json(
            &app,
            call(
                route,
                "demo",
                Some("verkeerd-token-0000"),
                json,
                b"{}".to_vec(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: wrong token");
        assert_eq!(message(&body), "Geen of een verkeerde code.", "{name}");
        let (status, _) = common::json(&app, call(route, "demo", None, json, b"{}".to_vec())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: no token");
        // The published content is the one thing both may read: the parents, and the school's
        // Beheer screen before it writes.
        let both_read = route.method == Method::GET && route.path == "content";
        let other = if route.token == CODE { ADMIN } else { CODE };
        let (status, _) =
            common::json(&app, call(route, "demo", Some(other), json, b"{}".to_vec())).await;
        if !both_read {
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{name}: the other kind of code"
            );
        }
        let (status, body) = common::json(
            &app,
            call(
                route,
                "bestaat-niet",
                Some(route.token),
                json,
                b"{}".to_vec(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{name}: unknown school");
        assert_eq!(message(&body), "Niet gevonden.", "{name}");

        let Some(limit) = route.limit else { continue };
        let (status, body) = common::json(
            &app,
            call(
                route,
                "demo",
                Some(route.token),
                "text/plain",
                b"{}".to_vec(),
            ),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{name}: text/plain"
        );
        assert!(message(&body).contains("application/json"), "{name}");

        let (status, body) = common::json(
            &app,
            call(
                route,
                "demo",
                Some(route.token),
                json,
                b"{\"family_id\": ".to_vec(),
            ),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: malformed JSON"
        );
        assert!(
            body[0]["message"]
                .as_str()
                .unwrap()
                .starts_with("Geen geldige JSON"),
            "{name}: {body}"
        );

        let (status, body) = common::json(
            &app,
            call(route, "demo", Some(route.token), json, b"[1, 2]".to_vec()),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: JSON of the wrong shape"
        );
        assert!(
            !body[0]["message"].as_str().unwrap().is_empty(),
            "{name}: {body}"
        );

        let (status, body) = common::json(
            &app,
            call(
                route,
                "demo",
                Some(route.token),
                json,
                vec![b' '; limit + 1],
            ),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{name}: too large");
        assert_eq!(
            message(&body),
            "Wat u stuurt is te groot om te bewaren.",
            "{name}"
        );
    }
}

#[tokio::test]
async fn odd_addresses_under_api_are_json_404s_not_the_app() {
    let setup = setup();
    let app = setup.app();
    for path in [
        "/api",
        "/api/v2/schools/demo/content",
        "/api/v1/schools/demo/onbekend",
        "/api/v1/schools/demo/rsvps/r-1/extra",
    ] {
        let (status, headers, _) = send(&app, get(path, CODE)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{path}");
    }
    let (status, _, _) = send(&app, get("/api/v1/schools/%FF%FE/content", CODE)).await;
    assert!(status.is_client_error(), "{status}");
    let wrong_method = Request::builder()
        .method(Method::DELETE)
        .uri("/api/v1/schools/demo/content")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&app, wrong_method).await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
}
