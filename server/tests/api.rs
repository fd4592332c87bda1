//! The sync API on a real SQLite file: routing-level tests with `oneshot`, and one over real TCP.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{demo_at, moment, put_rsvp, ADMIN, CODE, SECRET};
use driehoek_core::sync::{Outcome, RsvpPut, RsvpPutResponse};
use driehoek_core::{Answer, Rsvp};
use driehoek_server::api::etag_of;
use driehoek_server::{app, AppState};

/// The demo school at the tests' moment: its folder, the server's state and an activity that
/// takes answers then.
fn setup() -> (tempfile::TempDir, AppState, String) {
    let setup = common::setup();
    (setup.dir, setup.state, setup.activity)
}

fn rsvp_body(activity: &str, at: i64, answer: Answer) -> RsvpPut {
    RsvpPut {
        family_id: "fam-1".into(),
        names: "Sanne en Bram".into(),
        rsvp: Rsvp {
            id: "r-1".into(),
            activity_id: activity.into(),
            answer,
            people: 1,
            helps: false,
            note: String::new(),
            updated_at: common::millis(at),
        },
        children: Vec::new(),
    }
}

async fn send(
    state: &AppState,
    request: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    common::send(&app(state.clone()), request).await
}

#[tokio::test]
async fn content_has_an_etag_and_answers_304() {
    let (_dir, state, _) = setup();
    let get = |code: &str, etag: Option<&str>| {
        let mut r = Request::get("/api/v1/schools/demo/content")
            .header(header::AUTHORIZATION, format!("Bearer {code}"));
        if let Some(etag) = etag {
            r = r.header(header::IF_NONE_MATCH, etag);
        }
        r.body(Body::empty()).unwrap()
    };
    let (status, headers, body) = send(&state, get(CODE, None)).await;
    assert_eq!(status, StatusCode::OK);
    let content: driehoek_core::Content = serde_json::from_slice(&body).unwrap();
    assert_eq!(content.school.id, "demo", "the school's own content");
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    let (status, _, body) = send(&state, get(CODE, Some(&etag))).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (status, _, body) = send(&state, get("fout", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(!String::from_utf8_lossy(&body).contains(CODE));
    let unknown = Request::get("/api/v1/schools/elders/content")
        .header(header::AUTHORIZATION, format!("Bearer {CODE}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&state, unknown).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn rsvp_put_is_idempotent_and_last_writer_wins() {
    let (_dir, state, activity) = setup();
    let newer = rsvp_body(&activity, 2_000, Answer::Ja);
    let (status, _, body) = send(&state, put_rsvp(&newer, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: RsvpPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Stored);
    let (_, _, body) = send(&state, put_rsvp(&newer, CODE, SECRET)).await;
    let answer: RsvpPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        answer.outcome,
        Outcome::Unchanged,
        "the same PUT twice is one row"
    );
    let older = rsvp_body(&activity, 1_000, Answer::Nee);
    let (_, _, body) = send(&state, put_rsvp(&older, CODE, SECRET)).await;
    let answer: RsvpPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::KeptNewer);
    assert_eq!(
        answer.kept, newer.rsvp,
        "an older updated_at never overwrites a newer one"
    );
    assert_eq!(state.store.rsvps("demo").unwrap().len(), 1);
}

#[tokio::test]
async fn rsvp_put_refuses_bad_input_without_a_500() {
    let (_dir, state, activity) = setup();
    let body = rsvp_body(&activity, 1_000, Answer::Ja);
    assert_eq!(
        send(&state, put_rsvp(&body, "fout", SECRET)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&state, put_rsvp(&body, CODE, SECRET)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send(&state, put_rsvp(&body, CODE, "een-ander-geheim-0000"))
            .await
            .0,
        StatusCode::FORBIDDEN,
        "another phone cannot overwrite this family's answers"
    );
    let mut text = put_rsvp(&body, CODE, SECRET);
    text.headers_mut()
        .insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
    assert_eq!(
        send(&state, text).await.0,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let unknown = rsvp_body("bestaat-niet", 3_000, Answer::Ja);
    let (status, _, errors) = send(&state, put_rsvp(&unknown, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<driehoek_core::FieldError> = serde_json::from_slice(&errors).unwrap();
    assert_eq!(errors[0].field, "rsvp.activity_id");
    let garbage = Request::put("/api/v1/schools/demo/rsvps/r-1")
        .header(header::AUTHORIZATION, format!("Bearer {CODE}"))
        .header("x-family-secret", SECRET)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{nope"))
        .unwrap();
    assert_eq!(
        send(&state, garbage).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let huge = Request::put("/api/v1/schools/demo/rsvps/r-1")
        .header(header::AUTHORIZATION, format!("Bearer {CODE}"))
        .header("x-family-secret", SECRET)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(vec![b' '; 300 * 1024]))
        .unwrap();
    assert_eq!(send(&state, huge).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn healthz_and_content_over_real_tcp() {
    let (_dir, state, _) = setup();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(state)).await.unwrap() });
    let raw = |request: String| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    };
    let health = raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into()).await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let content = raw(format!(
        "GET /api/v1/schools/demo/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {CODE}\r\nConnection: close\r\n\r\n"
    ))
    .await;
    assert!(content.starts_with("HTTP/1.1 200"), "{content}");
    assert!(content.to_ascii_lowercase().contains("etag: \""));
}

#[tokio::test]
async fn content_put_validates_and_checks_if_match() {
    let (_dir, state, _) = setup();
    // Something changed since the published version, so that it gets a new ETag.
    let mut content = demo_at(moment());
    content.school.phone = "0162 111 111".into();
    let etag = state
        .store
        .school("demo")
        .unwrap()
        .unwrap()
        .content
        .unwrap()
        .1;
    let publish = |token: &str, if_match: &str, content: &driehoek_core::Content| {
        Request::put("/api/v1/schools/demo/content")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, if_match)
            .body(Body::from(serde_json::to_vec(content).unwrap()))
            .unwrap()
    };
    assert_eq!(
        send(&state, publish(CODE, &etag, &content)).await.0,
        StatusCode::UNAUTHORIZED,
        "the access code cannot publish"
    );
    let mut bad = content.clone();
    bad.activities[0].max_per_family = 0;
    let (status, _, body) = send(&state, publish(ADMIN, &etag, &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors: Vec<driehoek_core::FieldError> = serde_json::from_slice(&body).unwrap();
    assert!(
        errors.iter().any(|e| e.field.starts_with("activities[0]")),
        "{errors:?}"
    );
    // Another text than the one published at the start: another version, so another ETag.
    let mut newer = content.clone();
    newer.school.name = "De Driehoek, vernieuwd".into();
    let (status, headers, _) = send(&state, publish(ADMIN, &etag, &newer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(
        headers[header::ETAG].to_str().unwrap(),
        etag,
        "new content has a new ETag"
    );
    let (status, _, _) = send(&state, publish(ADMIN, &etag, &content)).await;
    assert_eq!(
        status,
        StatusCode::PRECONDITION_FAILED,
        "someone published in between"
    );
}

#[tokio::test]
async fn content_published_by_another_process_is_served_within_milliseconds() {
    let (_dir, state, _) = setup();
    let get = || {
        Request::get("/api/v1/schools/demo/content")
            .header(header::AUTHORIZATION, format!("Bearer {CODE}"))
            .body(Body::empty())
            .unwrap()
    };
    let (_, headers, _) = send(&state, get()).await;
    let before = headers[header::ETAG].to_str().unwrap().to_owned();
    // As `content import` does on a running server: straight into the database, not through
    // this server's handlers.
    let mut content = demo_at(moment());
    content.school.phone = "0162 000 000".into();
    let json = serde_json::to_string(&content).unwrap();
    state
        .store
        .publish("demo", &content, &etag_of(&json), None, moment())
        .unwrap();
    tokio::time::sleep(driehoek_server::cache::PROBE_EVERY).await;
    let (status, headers, body) = send(&state, get()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ETAG].to_str().unwrap(), etag_of(&json));
    assert_ne!(headers[header::ETAG].to_str().unwrap(), before);
    let served: driehoek_core::Content = serde_json::from_slice(&body).unwrap();
    assert_eq!(served.school.phone, "0162 000 000");
}

#[tokio::test]
async fn an_rsvp_with_bad_children_is_refused_in_dutch_and_nothing_is_kept() {
    let (_dir, state, activity) = setup();
    let child = |name: &str, groep| driehoek_core::sync::ChildInGroep {
        name: name.into(),
        groep,
    };
    let cases = [
        (
            vec![child("Noor", 0)],
            "children[0].groep",
            "1 tot en met 8",
        ),
        (
            vec![child("Noor", 7), child("\u{202e}evil", 2)],
            "children[1].name",
            "Naam van het kind",
        ),
        (
            // One more than driehoek_core::sync::MAX_CHILD_NAME (the app's field allows 40).
            vec![child(&"n".repeat(41), 3)],
            "children[0].name",
            "40 tekens",
        ),
        (
            vec![child("Kind", 4); 13],
            "children",
            "hoogstens 12 kinderen",
        ),
    ];
    for (children, field, words) in cases {
        let mut body = rsvp_body(&activity, 1_000, Answer::Ja);
        body.children = children;
        let (status, _, errors) = send(&state, put_rsvp(&body, CODE, SECRET)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let errors: Vec<driehoek_core::FieldError> = serde_json::from_slice(&errors).unwrap();
        assert_eq!(errors[0].field, field);
        assert!(errors[0].message.contains(words), "{}", errors[0].message);
    }
    assert!(state.store.rsvps("demo").unwrap().is_empty());
    // The same answer with good children is kept with them.
    let mut body = rsvp_body(&activity, 1_000, Answer::Ja);
    body.children = vec![child("Noor", 7)];
    assert_eq!(
        send(&state, put_rsvp(&body, CODE, SECRET)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        state.store.rsvps("demo").unwrap()[0].children,
        body.children
    );
}
