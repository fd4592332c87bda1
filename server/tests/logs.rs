//! No access code, admin token or family secret ever reaches the server's log, even at the most
//! verbose level, whether it came in a header or in the query string of an address.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use driehoek_server::api::{etag_of, hash};
use driehoek_server::store::{SqliteStore, Store};

const CODE: &str = "toegangscode-geheim-7f3a9c1e";
const ADMIN: &str = "beheertoken-geheim-52be0d44";
const SECRET: &str = "gezinsgeheim-geheim-a1b2c3d4e5";
const WRONG: &str = "verkeerde-code-geheim-99e1f0";
/// The test's moment (2026-11-23T10:00 in Amsterdam) as the phone's `updated_at`.
const MOMENT_MS: i64 = 1_795_424_400_000;

fn request(addr: &str, text: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(text.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(addr: &str, path: &str, headers: &str) -> String {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"),
    )
}

fn put(addr: &str, path: &str, headers: &str, body: &str) -> String {
    request(
        addr,
        &format!(
            "PUT {path} HTTP/1.1\r\nHost: x\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

#[test]
fn no_code_token_or_family_secret_appears_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
    let db = dir.path().join("db.sqlite3");
    // The moment the test plays at (Europe/Amsterdam), for the content's dates and the server's
    // clock alike.
    let moment = "2026-11-23T10:00";
    let day_later =
        driehoek_server::clock::parse_moment(moment).unwrap() + chrono::Duration::days(1);
    let mut content = driehoek_core::demo_content(day_later.date() - chrono::Duration::days(1));
    content.school.id = "demo".into();
    let activity = content
        .activities
        .iter()
        .filter(|a| driehoek_core::rsvp::is_open(a, day_later) && a.capacity.is_none())
        .min_by_key(|a| a.start)
        .unwrap()
        .id
        .clone();
    {
        let store = SqliteStore::open(&db).unwrap();
        store
            .create_school("demo", "De Driehoek", &hash(CODE), &hash(ADMIN))
            .unwrap();
        let json = serde_json::to_string(&content).unwrap();
        store
            .publish("demo", &content, &etag_of(&json), None, day_later)
            .unwrap();
    }

    let log = dir.path().join("server.log");
    let file = std::fs::File::create(&log).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_driehoek-server"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--allow-origin",
            "https://app.example",
            "--clock",
            moment,
        ])
        .arg("--db")
        .arg(&db)
        .arg("--dist")
        .arg(&dist)
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(file.try_clone().unwrap())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).unwrap();
    let addr = first
        .trim_start_matches("Driehoek draait op http://")
        .trim_end_matches('/')
        .to_owned();

    let bearer = |token: &str| format!("Authorization: Bearer {token}\r\n");
    let family = |secret: &str| format!("X-Family-Secret: {secret}\r\n");
    // The join link of a school letter, with the code in the query string.
    assert!(get(&addr, &format!("/?school=demo&code={CODE}"), "").starts_with("HTTP/1.1 200"));
    assert!(get(
        &addr,
        &format!("/api/v1/schools/demo/content?code={CODE}"),
        &bearer(CODE)
    )
    .starts_with("HTTP/1.1 200"));
    assert!(get(&addr, "/api/v1/schools/demo/content", &bearer(WRONG)).starts_with("HTTP/1.1 401"));
    assert!(get(
        &addr,
        &format!("/api/v1/schools/demo/rsvps.csv?token={ADMIN}"),
        &bearer(ADMIN)
    )
    .starts_with("HTTP/1.1 200"));
    assert!(get(
        &addr,
        "/api/v1/schools/demo/rsvps",
        &format!("Origin: https://app.example\r\n{}", bearer(ADMIN))
    )
    .starts_with("HTTP/1.1 200"));
    let body = serde_json::json!({
        "family_id": "fam-1", "names": "Sanne",
        "rsvp": { "id": "r-1", "activity_id": activity, "answer": "ja", "people": 1,
                  "helps": false, "note": "", "updated_at": MOMENT_MS }
    })
    .to_string();
    let headers = format!("{}{}", bearer(CODE), family(SECRET));
    assert!(
        put(&addr, "/api/v1/schools/demo/rsvps/r-1", &headers, &body).starts_with("HTTP/1.1 200")
    );
    let other = format!("{}{}", bearer(CODE), family(WRONG));
    assert!(put(&addr, "/api/v1/schools/demo/rsvps/r-1", &other, &body).starts_with("HTTP/1.1 403"));
    assert!(put(
        &addr,
        &format!("/api/v1/schools/demo/rsvps/r-1?secret={SECRET}"),
        &headers,
        "{kapot"
    )
    .starts_with("HTTP/1.1 422"));
    let ack = serde_json::json!({
        "id": "a-1", "family_id": "fam-1", "name": "Sanne",
        "agreement_version": content.agreement.version, "updated_at": MOMENT_MS
    })
    .to_string();
    assert!(put(
        &addr,
        "/api/v1/schools/demo/acknowledgements/a-1",
        &headers,
        &ack
    )
    .starts_with("HTTP/1.1 200"));
    assert!(
        get(&addr, &format!("/api/nergens?code={CODE}"), &bearer(ADMIN))
            .starts_with("HTTP/1.1 404")
    );

    // Let the last log lines be written, then stop the server.
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let output = format!(
        "{first}\n{rest}\n{}",
        std::fs::read_to_string(&log).unwrap()
    );

    assert!(
        output.contains("/api/v1/schools/demo/rsvps/r-1") && output.contains("status=403"),
        "the requests are logged (else this test proves nothing):\n{output}"
    );
    for secret in [CODE, ADMIN, SECRET, WRONG] {
        assert!(
            !output.contains(secret),
            "{secret} is in the log:\n{output}"
        );
    }
}
