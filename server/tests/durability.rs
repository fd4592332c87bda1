//! Durability: the real server binary, RSVP writes streamed to it from several clients at once
//! (so that writes are committed in groups), SIGKILL mid-stream, restart on the same database
//! file: every write it had answered with 2xx is there.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use driehoek_server::store::{SqliteStore, Store};

/// The moment this test plays at (Europe/Amsterdam): a Monday morning in the demo's own week.
const MOMENT: &str = "2026-11-23T10:00";
/// [`MOMENT`] as the phone's `updated_at` (milliseconds since the epoch; 09:00 UTC).
const MOMENT_MS: i64 = 1_795_424_400_000;

/// Starts the server; returns it, its address and the demo join link's access code.
fn start(dir: &std::path::Path) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_driehoek-server"))
        // All writers come from 127.0.0.1: let them through, the limit is tested elsewhere.
        .args(["serve", "--addr", "127.0.0.1:0", "--demo"])
        // The demo school dated, and deadlines decided, from the test's moment.
        .args(["--clock", MOMENT])
        .args([
            "--write-rate",
            "100000",
            "--write-burst",
            "100000",
            "--dist",
        ])
        .arg(dir.join("dist"))
        .arg("--db")
        .arg(dir.join("db.sqlite3"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .trim_start_matches("Driehoek draait op http://")
        .trim_end_matches('/')
        .to_owned();
    let link = lines.next().unwrap().unwrap();
    let code = link.rsplit("code=").next().unwrap().to_owned();
    (child, addr, code)
}

fn request(addr: &str, text: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream.write_all(text.as_bytes()).ok()?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).ok()?;
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn every_answered_write_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    std::fs::write(dir.path().join("dist/index.html"), "<html></html>").unwrap();
    let (mut child, addr, code) = start(dir.path());

    let content = request(
        &addr,
        &format!("GET /api/v1/schools/wilgenhoek/content HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\nConnection: close\r\n\r\n"),
    )
    .unwrap();
    let body = content.split_once("\r\n\r\n").unwrap().1;
    let content: driehoek_core::Content = serde_json::from_str(body).unwrap();
    // Open for answers for at least a day after the moment: the server's clock runs on while the
    // test writes.
    let day_later =
        driehoek_server::clock::parse_moment(MOMENT).unwrap() + chrono::Duration::days(1);
    let activity = content
        .activities
        .iter()
        .filter(|a| driehoek_core::rsvp::is_open(a, day_later) && a.capacity.is_none())
        .min_by_key(|a| a.start)
        .expect("an open activity without a limit in the demo");

    let answered = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..8)
        .map(|t| {
            let (answered, addr, code, activity) = (
                answered.clone(),
                addr.clone(),
                code.clone(),
                activity.id.clone(),
            );
            std::thread::spawn(move || {
                for i in 0..10_000 {
                    let family = format!("fam-{t}-{i}");
                    let body = serde_json::json!({
                        "family_id": family,
                        "names": "Sanne",
                        "rsvp": { "id": format!("r-{t}-{i}"), "activity_id": activity, "answer": "nee",
                                  "people": 0, "helps": false, "note": "", "updated_at": MOMENT_MS + i }
                    })
                    .to_string();
                    let text = format!(
                        "PUT /api/v1/schools/wilgenhoek/rsvps/r-{t}-{i} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\nX-Family-Secret: geheim-van-gezin-{t}-{i:08}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    match request(&addr, &text) {
                        Some(answer) if answer.starts_with("HTTP/1.1 200") => {
                            answered.lock().unwrap().push(family)
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for writer in writers {
        writer.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() > 50,
        "the test should have written a good deal: {}",
        answered.len()
    );

    let (mut child, _, _) = start(dir.path());
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    let kept: std::collections::BTreeSet<String> = store
        .rsvps("wilgenhoek")
        .unwrap()
        .into_iter()
        .map(|r| r.family_id)
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    for family in &answered {
        assert!(
            kept.contains(family),
            "{family} was answered 2xx but is lost"
        );
    }
}
