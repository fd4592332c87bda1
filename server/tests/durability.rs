//! Durability: the real server binary, RSVP writes streamed to it from several clients at once
//! (so that writes are committed in groups), SIGKILL mid-stream, restart on the same database
//! file: every write it had answered with 2xx is there.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use driehoek_server::store::{SqliteStore, Store};

/// The moment this test plays at (Europe/Amsterdam): a Monday morning in the demo's own week.
const MOMENT: &str = "2026-11-23T10:00";
/// [`MOMENT`] as the phone's `updated_at` (milliseconds since the epoch; 09:00 UTC).
const MOMENT_MS: i64 = 1_795_424_400_000;

/// How many answered writes the writers reach before the server is killed.
const BEFORE_KILL: usize = 200;

/// Lets the writers run until they have [`BEFORE_KILL`] answers (at most 20 s, for a slow
/// database on a busy machine), then kills the server with SIGKILL while they still write: the
/// kill lands mid-stream however fast this machine writes today, where a fixed wait of 700 ms
/// once gave only about 40 (a clean-clone CI run, during its second pass of the server's tests
/// beside a PostgreSQL cluster).
fn kill_mid_stream<T>(child: &mut Child, answered: &Mutex<Vec<T>>) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while answered.lock().unwrap().len() < BEFORE_KILL && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
}

/// Starts the server; returns it, its address and the demo join link's access code.
fn start(dir: &std::path::Path) -> (Child, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_driehoek-server"));
    command
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
        .stderr(Stdio::null());
    let (child, addr, mut lines) = common::spawn_server(command);
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
    kill_mid_stream(&mut child, &answered);
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

/// The bookings of talks the same way: families race for the demo round's slots (each groep
/// from a client of its own; every fourth family keeps its talk, the others cancel it at once,
/// so that slots keep coming free), SIGKILL mid-stream, restart: every booking answered 200 is
/// kept in the version answered (or a newer one sent after), holding the slot it was told.
#[test]
fn every_answered_booking_survives_sigkill() {
    use driehoek_core::talks::{BookingPut, BookingPutResponse};
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
    let round = content
        .talks
        .iter()
        .find(|r| r.id == "rapportgesprekken-winter")
        .expect("the demo round")
        .clone();

    // (family, booking id, the version answered last, the slot it was told).
    type Answered = (String, String, i64, Option<String>);
    let answered: Arc<Mutex<Vec<Answered>>> = Arc::new(Mutex::new(Vec::new()));
    let put = |addr: &str, code: &str, booking: &BookingPut| -> Option<(u16, String)> {
        let body = serde_json::to_string(booking).unwrap();
        let text = format!(
            "PUT /api/v1/schools/wilgenhoek/bookings/{} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {code}\r\nX-Family-Secret: geheim-van-{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            booking.id,
            booking.family_id,
            body.len()
        );
        let answer = request(addr, &text)?;
        let status = answer.get(9..12)?.parse().ok()?;
        Some((status, answer.split_once("\r\n\r\n")?.1.to_owned()))
    };
    let writers: Vec<_> = (1..=8u8)
        .map(|groep| {
            let (answered, addr, code) = (answered.clone(), addr.clone(), code.clone());
            let slots: Vec<String> = round.slots_of(groep).into_iter().map(|s| s.id).collect();
            let round_id = round.id.clone();
            std::thread::spawn(move || {
                for i in 0..100_000usize {
                    let family = format!("fam-{groep}-{i:06}");
                    let mut booking = BookingPut {
                        id: format!("b-{groep}-{i}"),
                        family_id: family.clone(),
                        names: "Sanne".into(),
                        round_id: round_id.clone(),
                        child: driehoek_core::sync::ChildInGroep {
                            name: "Noor".into(),
                            groep,
                        },
                        preferences: (0..3)
                            .map(|k| slots[(i * 7 + k * 5) % slots.len()].clone())
                            .collect(),
                        note: String::new(),
                        children_in_round: 1,
                        updated_at: MOMENT_MS + i as i64,
                        cancelled: false,
                    };
                    booking.preferences.dedup();
                    let Some((status, body)) = put(&addr, &code, &booking) else {
                        break;
                    };
                    if status != 200 {
                        assert_eq!(status, 409, "{body}");
                        continue;
                    }
                    let kept: BookingPutResponse = serde_json::from_str(&body).unwrap();
                    let slot = kept.booked.map(|b| b.slot.id);
                    answered.lock().unwrap().push((
                        family.clone(),
                        booking.id.clone(),
                        booking.updated_at,
                        slot,
                    ));
                    if i % 4 != 0 {
                        booking.cancelled = true;
                        booking.preferences.clear();
                        booking.updated_at += 1;
                        match put(&addr, &code, &booking) {
                            Some((200, _)) => answered.lock().unwrap().push((
                                family,
                                booking.id.clone(),
                                booking.updated_at,
                                None,
                            )),
                            Some((status, body)) => panic!("{status}: {body}"),
                            None => break,
                        }
                    }
                }
            })
        })
        .collect();
    kill_mid_stream(&mut child, &answered);
    for writer in writers {
        writer.join().unwrap();
    }
    let answered = answered.lock().unwrap().clone();
    assert!(
        answered.len() > 50,
        "the test should have booked a good deal: {}",
        answered.len()
    );

    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    let mut held = std::collections::BTreeMap::new();
    for (family, booking_id, version, slot) in &answered {
        let secret = driehoek_server::api::hash(&format!("geheim-van-{family}"));
        let driehoek_server::store::FamilyRead::Found(records) =
            store.family("wilgenhoek", family, &secret).unwrap()
        else {
            panic!("{family} was answered 200 but is lost");
        };
        let kept = records
            .bookings
            .iter()
            .find(|b| &b.kept.id == booking_id)
            .unwrap_or_else(|| panic!("{booking_id} was answered 200 but is lost"));
        assert!(kept.kept.updated_at >= *version, "{booking_id} went back");
        if kept.kept.updated_at == *version {
            let now = kept.booked.as_ref().map(|b| b.slot.id.clone());
            assert_eq!(
                &now, slot,
                "{booking_id} holds another slot than it was told"
            );
        }
        if let Some(b) = &kept.booked {
            held.insert(booking_id.clone(), b.slot.id.clone());
        }
    }
    let distinct: std::collections::BTreeSet<&String> = held.values().collect();
    assert_eq!(distinct.len(), held.len(), "a slot held twice");
}
