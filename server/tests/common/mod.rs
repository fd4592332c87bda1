//! What the API tests share: the moment they play at, a school "demo" with the demo content on a
//! real SQLite file (or, when the test command runs the suite again on PostgreSQL, in a schema of
//! its own on a real PostgreSQL server), its codes, and small request helpers.
//!
//! No test reads the real clock for a decision: the server runs on [`Clock::fixed`] at
//! [`moment`], the demo content is dated around that moment, and activities are chosen by what a
//! test needs (open for answers, without a limit) at that moment.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use chrono::NaiveDateTime;
use driehoek_core::sync::{AckPut, RsvpPut};
use driehoek_core::{Activity, Answer, Content, Rsvp};
use driehoek_server::api::{etag_of, hash};
use driehoek_server::store::{PostgresStore, SqliteStore, Store, Value};
use driehoek_server::{app, AppState, Clock};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const CODE: &str = "toegang-0123456789";
pub const ADMIN: &str = "beheer-0123456789";
pub const SECRET: &str = "gezinsgeheim-0123456789";

/// The moment the tests play at, in Europe/Amsterdam wall time: Monday 23 November 2026, 10:00,
/// a school morning in the demo content's own week.
pub fn moment() -> NaiveDateTime {
    at("2026-11-23T10:00")
}

/// A moment written as `2026-11-23T10:00` (Europe/Amsterdam).
pub fn at(text: &str) -> NaiveDateTime {
    driehoek_server::clock::parse_moment(text).expect("a moment in the test")
}

/// The demo content dated around `now` (its week), for the school "demo".
pub fn demo_at(now: NaiveDateTime) -> Content {
    let mut content = driehoek_core::demo_content(now.date());
    content.school.id = "demo".into();
    content
}

/// The first activity (by start) that still takes answers at `now` and also matches `want`.
pub fn open_activity(
    content: &Content,
    now: NaiveDateTime,
    want: impl Fn(&Activity) -> bool,
) -> &Activity {
    let mut open: Vec<&Activity> = content
        .activities
        .iter()
        .filter(|a| driehoek_core::rsvp::is_open(a, now) && want(a))
        .collect();
    open.sort_by_key(|a| a.start);
    open.first()
        .copied()
        .unwrap_or_else(|| panic!("no activity open for answers at {now} that fits the test"))
}

pub struct Setup {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub content: Content,
    /// An activity that takes answers at the test's moment, without a limit on places.
    pub activity: String,
    /// The server's clock, standing at the test's moment until a test moves it.
    pub clock: Clock,
}

/// Creates the school "demo" in `store` with [`CODE`] and [`ADMIN`], and publishes the demo
/// content dated around `now`; returns that content.
pub fn school_demo(store: &dyn Store, now: NaiveDateTime) -> Content {
    store
        .create_school("demo", "De Driehoek", &hash(CODE), &hash(ADMIN))
        .unwrap();
    let content = demo_at(now);
    let json = serde_json::to_string(&content).unwrap();
    store
        .publish("demo", &content, &etag_of(&json), None, now)
        .unwrap();
    content
}

/// Starts the real server binary (`command`: `serve --addr 127.0.0.1:0 …`) with its standard
/// output piped; waits for its first line, "Driehoek draait op http://…/". Returns the process,
/// its address, and the lines it prints after that one.
pub fn spawn_server(
    mut command: std::process::Command,
) -> (
    std::process::Child,
    String,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
) {
    use std::io::BufRead;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .trim_start_matches("Driehoek draait op http://")
        .trim_end_matches('/')
        .to_owned();
    (child, addr, lines)
}

/// The throw-away PostgreSQL server the test command started (`scripts/postgres.sh`), if any:
/// then every test's store is a PostgreSQL one.
pub fn postgres_url() -> Option<String> {
    std::env::var("DRIEHOEK_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The store a test runs on, kept in `dir`: a SQLite file there, or, under the test command's
/// PostgreSQL, a schema of its own in that server (named in a file in `dir`, so that opening
/// `dir` again opens the same data).
pub fn open_store(dir: &std::path::Path) -> Arc<dyn Store> {
    match postgres_url() {
        None => Arc::new(SqliteStore::open(&dir.join("db.sqlite3")).unwrap()),
        Some(base) => Arc::new(PostgresStore::open(&postgres_schema(&base, dir)).unwrap()),
    }
}

/// The address of a schema of its own for the test whose folder is `dir`: made on first use.
pub fn postgres_schema(base: &str, dir: &std::path::Path) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let marker = dir.join("postgres-schema");
    let name = match std::fs::read_to_string(&marker) {
        Ok(name) => name,
        Err(_) => {
            let name = format!(
                "t{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            // On a thread of its own: the blocking client cannot run on the test's runtime.
            let (base, create) = (base.to_owned(), format!("CREATE SCHEMA {name}"));
            std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&base, postgres::NoTls).unwrap();
                client.batch_execute(&create).unwrap();
            })
            .join()
            .unwrap();
            std::fs::write(&marker, &name).unwrap();
            name
        }
    };
    format!("{base}?options=-c%20search_path%3D{name}")
}

/// The school "demo" with the demo content published, at [`moment`].
pub fn setup() -> Setup {
    setup_at(moment())
}

/// The school "demo" with the demo content dated around `now` published, the server's clock
/// standing at `now`.
pub fn setup_at(now: NaiveDateTime) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let content = school_demo(store.as_ref(), now);
    let activity = open_activity(&content, now, |a| a.capacity.is_none())
        .id
        .clone();
    let clock = Clock::fixed(now);
    let state = AppState::new(dir.path().join("dist"), store).with_clock(clock.clone());
    Setup {
        dir,
        state,
        content,
        activity,
        clock,
    }
}

impl Setup {
    pub fn app(&self) -> Router {
        app(self.state.clone())
    }

    /// The rows the store keeps for the school "demo" in `table`, each as column → value, read
    /// through the store's export (the same on SQLite and PostgreSQL).
    pub fn rows(&self, table: &str) -> Vec<std::collections::BTreeMap<String, Value>> {
        let export = self.state.store.export_school("demo").unwrap().unwrap();
        let rows = export
            .tables
            .into_iter()
            .find(|t| t.table == table)
            .unwrap_or_else(|| panic!("no table {table}"));
        rows.rows
            .into_iter()
            .map(|row| rows.columns.iter().cloned().zip(row).collect())
            .collect()
    }
}

/// A text value of a row.
pub fn text(value: &Value) -> &str {
    match value {
        Value::Text(text) => text,
        other => panic!("not text: {other:?}"),
    }
}

/// The phone's `updated_at` for a change made `after` milliseconds past [`moment`]: the server
/// accepts times within a day of its clock, so the tests' versions lie just after the moment.
pub fn millis(after: i64) -> i64 {
    Clock::fixed(moment()).unix_millis() + after
}

/// An RSVP made `at` milliseconds after [`moment`].
pub fn rsvp(family: &str, activity: &str, at: i64, answer: Answer, people: u8) -> RsvpPut {
    RsvpPut {
        family_id: family.into(),
        names: format!("Gezin {family}"),
        rsvp: Rsvp {
            id: format!("r-{family}-{activity}"),
            activity_id: activity.into(),
            answer,
            people,
            helps: false,
            note: String::new(),
            updated_at: millis(at),
        },
        children: Vec::new(),
    }
}

/// An acknowledgement made `at` milliseconds after [`moment`].
pub fn ack(family: &str, version: u32, at: i64) -> AckPut {
    AckPut {
        id: format!("ack-{family}-{version}"),
        family_id: family.into(),
        name: "Sanne de Vries".into(),
        agreement_version: version,
        updated_at: millis(at),
        children: Vec::new(),
    }
}

/// `PUT …/rsvps/{id}` with the access code and a family secret.
pub fn put_rsvp(body: &RsvpPut, code: &str, secret: &str) -> Request<Body> {
    put_json(
        &format!("/api/v1/schools/demo/rsvps/{}", body.rsvp.id),
        code,
        Some(secret),
        serde_json::to_vec(body).unwrap(),
    )
}

/// `PUT …/acknowledgements/{id}` with the access code and a family secret.
pub fn put_ack(body: &AckPut, code: &str, secret: &str) -> Request<Body> {
    put_json(
        &format!("/api/v1/schools/demo/acknowledgements/{}", body.id),
        code,
        Some(secret),
        serde_json::to_vec(body).unwrap(),
    )
}

pub fn put_json(path: &str, token: &str, secret: Option<&str>, body: Vec<u8>) -> Request<Body> {
    let mut request = Request::put(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(secret) = secret {
        request = request.header("x-family-secret", secret);
    }
    request.body(Body::from(body)).unwrap()
}

/// `PUT …/content` with the admin token and `If-Match` (`*`: over whatever is published).
pub fn put_content(content: &Content, if_match: &str) -> Request<Body> {
    let mut request = put_json(
        "/api/v1/schools/demo/content",
        ADMIN,
        None,
        serde_json::to_vec(content).unwrap(),
    );
    request
        .headers_mut()
        .insert(header::IF_MATCH, if_match.parse().unwrap());
    request
}

pub fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// The request as if it came over a connection from `ip`.
pub fn from(ip: [u8; 4], mut request: Request<Body>) -> Request<Body> {
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    request
}

pub async fn send(router: &Router, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

pub async fn json(router: &Router, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let (status, _, body) = send(router, request).await;
    let value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    (status, value)
}

/// The `message` of an error answer.
pub fn message(value: &serde_json::Value) -> String {
    value["message"].as_str().unwrap_or_default().to_owned()
}
