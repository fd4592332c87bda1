//! Several servers on one PostgreSQL (issue 20), with the real server binary over real HTTP on
//! 127.0.0.1 against the throw-away PostgreSQL 15 that the test command starts
//! (`scripts/postgres.sh`): two servers racing for the same places and slots, one of them
//! killed under load, and a school carried from SQLite to PostgreSQL and back.
//!
//! They need that PostgreSQL, so a plain `cargo test` lists them as ignored; `scripts/test.sh`
//! runs them (`--include-ignored`) with `DRIEHOEK_TEST_POSTGRES` set, and there a missing
//! server fails them.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use driehoek_core::sync::{ChildInGroep, FamilyProfile, ProfileChild, RsvpPut};
use driehoek_core::talks::BookingPut;
use driehoek_core::{Answer, Content};
use driehoek_server::api::etag_of;
use driehoek_server::store::{PostgresStore, SchoolExport, SqliteStore, Store};
use driehoek_server::{app, AppState, Clock};

/// The moment the servers' clocks start at (Europe/Amsterdam), as in `common::moment`.
const MOMENT: &str = "2026-11-23T10:00";

/// The demo round open for bookings at [`MOMENT`].
const ROUND: &str = "rapportgesprekken-winter";

fn postgres() -> String {
    postgres_url().expect("DRIEHOEK_TEST_POSTGRES is not set: scripts/test.sh starts PostgreSQL")
}

/// A schema of its own on the test command's PostgreSQL with the school "demo" (the demo
/// content dated around the moment, changed by `change`) published; its address.
fn school_on_postgres(
    dir: &std::path::Path,
    change: impl FnOnce(&mut Content),
) -> (String, Content) {
    let url = postgres_schema(&postgres(), dir);
    let store = PostgresStore::open(&url).unwrap();
    let mut content = school_demo(&store, moment());
    change(&mut content);
    let json = serde_json::to_string(&content).unwrap();
    store
        .publish("demo", &content, &etag_of(&json), None, moment())
        .unwrap();
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(dir.join("dist/index.html"), "<html></html>").unwrap();
    (url, content)
}

/// Server processes; killed when dropped.
struct Servers(Vec<(Child, String)>);

impl Servers {
    /// `count` servers on the database at `url`, each on a port of its own.
    fn start(dir: &std::path::Path, url: &str, count: usize) -> Servers {
        Servers((0..count).map(|_| start(dir, url)).collect())
    }

    fn addr(&self, i: usize) -> String {
        self.0[i % self.0.len()].1.clone()
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for (child, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn start(dir: &std::path::Path, url: &str) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_driehoek-server"));
    command
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--clock",
            MOMENT,
            "--db",
            url,
        ])
        // All writers come from 127.0.0.1: let them through, the limit is tested elsewhere.
        .args([
            "--write-rate",
            "100000",
            "--write-burst",
            "100000",
            "--dist",
        ])
        .arg(dir.join("dist"))
        .stderr(Stdio::null());
    let (child, addr, _) = spawn_server(command);
    (child, addr)
}

/// One PUT over a connection of its own, with one more header (`name`, `value`): the status,
/// or `None` when the server did not answer.
fn put(addr: &str, path: &str, token: &str, extra: (&str, &str), body: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let (name, value) = extra;
    let text = format!(
        "PUT {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n{name}: {value}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).ok()?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).ok()?;
    let out = String::from_utf8_lossy(&out);
    out.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// One GET over a connection of its own: the status and the whole answer (headers and body).
fn get_from(addr: &str, path: &str, token: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let text = format!(
        "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(text.as_bytes()).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    (out[9..12].parse().unwrap(), out)
}

/// The value of a header in an answer (names compared without case).
fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    answer.split("\r\n\r\n").next()?.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn secret(family: &str) -> String {
    format!("geheim-van-{family}-0123456789")
}

fn send_rsvp(addr: &str, body: &RsvpPut) -> Option<u16> {
    put(
        addr,
        &format!("/api/v1/schools/demo/rsvps/{}", body.rsvp.id),
        CODE,
        ("X-Family-Secret", &secret(&body.family_id)),
        &serde_json::to_string(body).unwrap(),
    )
}

fn booking(family: &str, groep: u8, preferences: &[String]) -> BookingPut {
    BookingPut {
        id: format!("b-{family}"),
        family_id: family.into(),
        names: format!("Ouders van {family}"),
        round_id: ROUND.into(),
        child: ChildInGroep {
            name: format!("Kind {family}"),
            groep,
        },
        preferences: preferences.to_vec(),
        note: String::new(),
        children_in_round: 1,
        updated_at: millis(1),
        cancelled: false,
    }
}

fn send_booking(addr: &str, body: &BookingPut) -> Option<u16> {
    put(
        addr,
        &format!("/api/v1/schools/demo/bookings/{}", body.id),
        CODE,
        ("X-Family-Secret", &secret(&body.family_id)),
        &serde_json::to_string(body).unwrap(),
    )
}

/// Holds `LOCK TABLE table IN SHARE MODE` on the database at `url` while `work` runs, for
/// `hold`: every write to that table waits, while reads go on. So the writes of a race have
/// all made their checks before the first of them is written: what is not guarded by a lock
/// of its own goes wrong every time, not only when the timing happens to be bad.
fn with_table_held<T>(url: &str, table: &str, hold: Duration, work: impl FnOnce() -> T) -> T {
    let (held, release) = (Arc::new(Barrier::new(2)), hold);
    let holder = {
        let (url, table, held) = (url.to_owned(), table.to_owned(), held.clone());
        std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            let mut tx = client.transaction().unwrap();
            tx.batch_execute(&format!("LOCK TABLE {table} IN SHARE MODE"))
                .unwrap();
            held.wait();
            std::thread::sleep(release);
            tx.commit().unwrap();
        })
    };
    held.wait();
    let out = work();
    holder.join().unwrap();
    out
}

/// Runs `work(i)` for `0..count` on `threads` threads at once (each takes the next `i`).
fn race(threads: usize, count: usize, work: impl Fn(usize) + Send + Sync + 'static) {
    let (work, next) = (Arc::new(work), Arc::new(AtomicUsize::new(0)));
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (work, next, start) = (work.clone(), next.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    work(i);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

/// The same writes through two servers at once: every place and every slot goes to one family
/// only (never over the capacity, never a slot twice), the same version sent to both servers
/// is kept once, and every write answered 200 is in the database.
#[test]
#[ignore = "needs the test command's PostgreSQL (scripts/test.sh runs it)"]
fn two_servers_on_one_database_never_overbook_and_keep_each_write_once() {
    let dir = tempfile::tempdir().unwrap();
    // One activity with room for 12 people; 200 families each want one place.
    let mut limited = String::new();
    let (url, content) = school_on_postgres(dir.path(), |content| {
        let activity = content
            .activities
            .iter_mut()
            .filter(|a| driehoek_core::rsvp::is_open(a, moment() + chrono::Duration::days(1)))
            .min_by_key(|a| a.start)
            .expect("an activity open for answers in the demo");
        activity.capacity = Some(12);
        activity.max_per_family = 4;
        activity.rsvp_deadline = None;
        limited = activity.id.clone();
    });
    let servers = Arc::new(Servers::start(dir.path(), &url, 2));

    // 1. The last places: 60 families, half through each server, 16 at a time, while the
    // answers table is held for a moment (each counts the places before any is written).
    let answers = Arc::new(Mutex::new(BTreeMap::new()));
    {
        let (servers, answers, limited) = (servers.clone(), answers.clone(), limited.clone());
        with_table_held(&url, "rsvps", Duration::from_millis(500), move || {
            race(16, 60, move |i| {
                let family = format!("plaats-{i}");
                let body = rsvp(&family, &limited, 10, Answer::Ja, 1);
                let status = send_rsvp(&servers.addr(i), &body);
                answers.lock().unwrap().insert(family, status);
            })
        });
    }
    let answers = answers.lock().unwrap().clone();
    assert!(
        answers.values().all(Option::is_some),
        "every write is answered: {answers:?}"
    );
    let placed: BTreeSet<&String> = answers
        .iter()
        .filter(|(_, s)| **s == Some(200))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(
        placed.len(),
        12,
        "exactly the 12 places are given: {answers:?}"
    );
    assert!(
        answers
            .values()
            .all(|s| matches!(s, Some(200) | Some(409) | Some(422))),
        "the others are told it is full: {answers:?}"
    );
    let store = PostgresStore::open(&url).unwrap();
    let kept: BTreeSet<String> = store
        .rsvps("demo")
        .unwrap()
        .into_iter()
        .filter(|r| r.rsvp.activity_id == limited && r.rsvp.answer == Answer::Ja)
        .map(|r| r.family_id)
        .collect();
    assert_eq!(
        kept,
        placed.into_iter().cloned().collect(),
        "the database keeps exactly the families told yes"
    );

    // 2. The same version through both servers at the same instant: kept once, both told 200.
    let open = open_activity(&content, moment(), |a| a.capacity.is_none())
        .id
        .clone();
    for i in 0..20 {
        let body = rsvp(&format!("twee-{i}"), &open, 20, Answer::Misschien, 2);
        let both = Arc::new(Barrier::new(2));
        let statuses: Vec<Option<u16>> = (0..2)
            .map(|s| {
                let (addr, body, both) = (servers.addr(s), body.clone(), both.clone());
                std::thread::spawn(move || {
                    both.wait();
                    send_rsvp(&addr, &body)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        assert_eq!(
            statuses,
            [Some(200), Some(200)],
            "a retry is answered like the first"
        );
    }
    let twice: Vec<RsvpPut> = store
        .rsvps("demo")
        .unwrap()
        .into_iter()
        .filter(|r| r.family_id.starts_with("twee-"))
        .collect();
    assert_eq!(twice.len(), 20, "one row per family, not two");
    assert!(twice
        .iter()
        .all(|r| r.rsvp.people == 2 && r.rsvp.updated_at == millis(20)));

    // 3. Forty families of groep 4 race for the same three slots through both servers.
    let round = content
        .talks
        .iter()
        .find(|r| r.id == ROUND)
        .expect("the demo round")
        .clone();
    let wanted: Vec<String> = round
        .slots_of(4)
        .into_iter()
        .take(3)
        .map(|s| s.id)
        .collect();
    let booked = Arc::new(Mutex::new(Vec::new()));
    {
        let (servers, booked, wanted) = (servers.clone(), booked.clone(), wanted.clone());
        with_table_held(&url, "bookings", Duration::from_millis(500), move || {
            race(8, 40, move |i| {
                let body = booking(&format!("boek-{i}"), 4, &wanted);
                let status = send_booking(&servers.addr(i), &body);
                booked.lock().unwrap().push((body.family_id, status));
            })
        });
    }
    let booked = booked.lock().unwrap().clone();
    let got: Vec<&String> = booked
        .iter()
        .filter(|(_, s)| *s == Some(200))
        .map(|(f, _)| f)
        .collect();
    assert_eq!(got.len(), 3, "three slots, three families: {booked:?}");
    assert!(
        booked
            .iter()
            .all(|(_, s)| matches!(s, Some(200) | Some(409))),
        "the others hear 'vol': {booked:?}"
    );
    let talks = store.round_talks("demo", ROUND).unwrap();
    let holders: BTreeMap<String, String> = talks
        .held
        .into_iter()
        .map(|(slot, talk)| (slot, talk.family_id))
        .collect();
    assert_eq!(
        holders.keys().cloned().collect::<Vec<_>>(),
        wanted,
        "each wanted slot is held once"
    );
    assert_eq!(
        holders.values().collect::<BTreeSet<_>>(),
        got.into_iter().collect::<BTreeSet<_>>(),
        "by the families told 200"
    );
}

/// Two offices publish the next agreement version with other words at the same instant,
/// through two servers: one is published, the other refused, and the words kept under that
/// version are the ones families read.
#[test]
#[ignore = "needs the test command's PostgreSQL (scripts/test.sh runs it)"]
fn two_publications_of_one_agreement_version_at_once_keep_one_text() {
    let dir = tempfile::tempdir().unwrap();
    let (url, content) = school_on_postgres(dir.path(), |_| {});
    let servers = Servers::start(dir.path(), &url, 2);
    let store = PostgresStore::open(&url).unwrap();
    for round in 1..=3u32 {
        let version = content.agreement.version + round;
        let both = Arc::new(Barrier::new(2));
        // The agreements table held for a moment: both have read the highest version before
        // either writes the next.
        let answers: Vec<(String, Option<u16>)> =
            with_table_held(&url, "agreements", Duration::from_millis(400), || {
                (0..2)
                    .map(|s| {
                        let mut next = content.clone();
                        next.agreement.version = version;
                        let words = format!("Versie {version}, geschreven op kantoor {s}.");
                        next.agreement.school_promises[0].text =
                            driehoek_core::model::Text::nl(&words);
                        let (addr, both) = (servers.addr(s), both.clone());
                        std::thread::spawn(move || {
                            let body = serde_json::to_string(&next).unwrap();
                            both.wait();
                            let status = put(
                                &addr,
                                "/api/v1/schools/demo/content",
                                ADMIN,
                                ("If-Match", "*"),
                                &body,
                            );
                            (words, status)
                        })
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect()
            });
        let won: Vec<&String> = answers
            .iter()
            .filter(|a| a.1 == Some(200))
            .map(|a| &a.0)
            .collect();
        assert_eq!(won.len(), 1, "one of the two is published: {answers:?}");
        assert!(
            answers.iter().any(|a| a.1 == Some(409)),
            "the other is refused: {answers:?}"
        );
        let kept = store.acknowledgements("demo").unwrap();
        assert!(kept.iter().any(|v| v.version == version));
        let served: Content =
            serde_json::from_str(&store.school("demo").unwrap().unwrap().content.unwrap().0)
                .unwrap();
        assert_eq!(served.agreement.version, version);
        assert_eq!(&served.agreement.school_promises[0].text.get("nl"), won[0]);
        let export = store.export_school("demo").unwrap().unwrap();
        let agreements = &export
            .tables
            .iter()
            .find(|t| t.table == "agreements")
            .unwrap()
            .rows;
        let stored = agreements
            .iter()
            .find(|row| row[1] == driehoek_server::store::Value::Int(version.into()))
            .expect("the version is kept");
        let stored: driehoek_core::Agreement = match &stored[2] {
            driehoek_server::store::Value::Text(json) => serde_json::from_str(json).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            &stored.school_promises[0].text.get("nl"),
            won[0],
            "the words kept under version {version} are the published ones"
        );
    }
}

/// What one server changes, its neighbour serves at once: nothing in a server's memory makes
/// it answer otherwise. A publication through server A is the content server B gives (the
/// ETag checked against the database's version), and a new access code made on the command
/// line shuts the old one out of both.
#[test]
#[ignore = "needs the test command's PostgreSQL (scripts/test.sh runs it)"]
fn a_change_through_one_server_is_served_by_the_other_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (url, content) = school_on_postgres(dir.path(), |_| {});
    let servers = Servers::start(dir.path(), &url, 2);
    let path = "/api/v1/schools/demo/content";
    // Both have read (and cached) the content.
    let (status, first) = get_from(&servers.addr(1), path, CODE);
    assert_eq!(status, 200);
    let old_etag = header(&first, "etag").unwrap().to_owned();

    let mut next = content.clone();
    next.school.phone = "0301234567".into();
    let status = put(
        &servers.addr(0),
        path,
        ADMIN,
        ("If-Match", "*"),
        &serde_json::to_string(&next).unwrap(),
    );
    assert_eq!(status, Some(200), "published through server A");
    let (status, answer) = get_from(&servers.addr(1), path, CODE);
    assert_eq!(status, 200);
    let served: Content = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(
        served.school.phone, "0301234567",
        "server B serves it at once"
    );
    assert_ne!(header(&answer, "etag").unwrap(), old_etag);

    let out = Command::new(env!("CARGO_BIN_EXE_driehoek-server"))
        .args(["school", "new-code", "demo", "--db", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new_code = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("toegangscode (ouders): ").map(str::to_owned))
        .expect("the new code is printed");
    for i in 0..2 {
        assert_eq!(
            get_from(&servers.addr(i), path, CODE).0,
            401,
            "the old code is refused"
        );
        assert_eq!(
            get_from(&servers.addr(i), path, &new_code).0,
            200,
            "the new one works"
        );
    }
}

/// The database ends every connection of a server (as a restart or a failover does): the next
/// writes and reads are answered as if nothing happened (each is run again on a new
/// connection), and every write answered is kept.
#[test]
#[ignore = "needs the test command's PostgreSQL (scripts/test.sh runs it)"]
fn connections_ended_by_the_database_are_opened_again_without_a_failed_request() {
    let dir = tempfile::tempdir().unwrap();
    let (url, content) = school_on_postgres(dir.path(), |_| {});
    let name = format!("herstart-{}", std::process::id());
    let url = format!("{url}&application_name={name}");
    let servers = Servers::start(dir.path(), &url, 1);
    let activity = open_activity(&content, moment(), |a| a.capacity.is_none())
        .id
        .clone();
    let write = |i: usize| {
        send_rsvp(
            &servers.addr(0),
            &rsvp(&format!("herstart-{i}"), &activity, 1, Answer::Ja, 1),
        )
    };
    for i in 0..16 {
        assert_eq!(write(i), Some(200));
    }
    assert_eq!(
        get_from(&servers.addr(0), "/api/v1/schools/demo/content", CODE).0,
        200
    );

    let mut admin = postgres::Client::connect(&postgres(), postgres::NoTls).unwrap();
    let ended: i64 = admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
            &[&name],
        )
        .unwrap()
        .get(0);
    assert!(ended >= 2, "the server's connections were ended: {ended}");
    // Until they are gone.
    for _ in 0..100 {
        let left: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                &[&name],
            )
            .unwrap()
            .get(0);
        if left == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }

    assert_eq!(
        get_from(&servers.addr(0), "/api/v1/schools/demo/content", CODE).0,
        200
    );
    for i in 16..48 {
        assert_eq!(
            write(i),
            Some(200),
            "write {i} after the connections were ended"
        );
    }
    let store = PostgresStore::open(&url).unwrap();
    let kept = store
        .rsvps("demo")
        .unwrap()
        .into_iter()
        .filter(|r| r.family_id.starts_with("herstart-"))
        .count();
    assert_eq!(kept, 48);
}

/// Two servers under load, one SIGKILLed: every write answered 200 by either is in the
/// database, and the other server goes on answering.
#[test]
#[ignore = "needs the test command's PostgreSQL (scripts/test.sh runs it)"]
fn a_killed_server_loses_no_answered_write_and_its_neighbour_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let (url, content) = school_on_postgres(dir.path(), |_| {});
    let activity = open_activity(&content, moment() + chrono::Duration::days(1), |a| {
        a.capacity.is_none()
    })
    .id
    .clone();
    let mut servers = Servers::start(dir.path(), &url, 2);
    let (doomed, survivor) = (servers.addr(0), servers.addr(1));
    let killed = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(Mutex::new(Vec::new()));
    let (by_doomed, after_kill) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let writers: Vec<_> = (0..8)
        .map(|t| {
            let doomed_thread = t % 2 == 0;
            let addr = if doomed_thread {
                doomed.clone()
            } else {
                survivor.clone()
            };
            let (killed, answered, by_doomed, after_kill, activity) = (
                killed.clone(),
                answered.clone(),
                by_doomed.clone(),
                after_kill.clone(),
                activity.clone(),
            );
            std::thread::spawn(move || {
                for i in 0..100_000 {
                    let family = format!("fam-{t}-{i}");
                    let body = rsvp(&family, &activity, i, Answer::Nee, 0);
                    let was_killed = killed.load(Ordering::SeqCst);
                    match send_rsvp(&addr, &body) {
                        Some(200) => {
                            answered.lock().unwrap().push(family);
                            if doomed_thread {
                                by_doomed.fetch_add(1, Ordering::SeqCst);
                            }
                            // Sent after the kill: only the survivor can have answered it.
                            if was_killed && after_kill.fetch_add(1, Ordering::SeqCst) >= 200 {
                                break;
                            }
                        }
                        _ if killed.load(Ordering::SeqCst) => break,
                        other => panic!("a write failed before the kill: {other:?}"),
                    }
                }
            })
        })
        .collect();
    // Kill the first server once it has answered a good deal, in the middle of the stream.
    for _ in 0..600 {
        if by_doomed.load(Ordering::SeqCst) >= 150 {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let (mut child, _) = servers.0.remove(0);
    killed.store(true, Ordering::SeqCst);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    for writer in writers {
        writer.join().unwrap();
    }
    assert!(
        by_doomed.load(Ordering::SeqCst) >= 150,
        "the killed server had answered writes: {}",
        by_doomed.load(Ordering::SeqCst)
    );
    assert!(
        after_kill.load(Ordering::SeqCst) > 200,
        "the other server went on answering after the kill"
    );
    let answered = answered.lock().unwrap().clone();
    let store = PostgresStore::open(&url).unwrap();
    let kept: BTreeSet<String> = store
        .rsvps("demo")
        .unwrap()
        .into_iter()
        .map(|r| r.family_id)
        .collect();
    let lost: Vec<&String> = answered.iter().filter(|f| !kept.contains(*f)).collect();
    assert!(lost.is_empty(), "answered 200 but lost: {lost:?}");
}

/// `school export` / `school import`: a school with families, answers, acknowledgements, a
/// profile, a report, bookings and a blocked slot goes from a SQLite file to PostgreSQL and back
/// to a new SQLite file; the three exports are equal row for row, the moved school answers a
/// family as before, and importing it twice is refused without a change.
#[tokio::test]
#[ignore = "needs the test command's PostgreSQL (scripts/test.sh runs it)"]
async fn a_school_moves_from_sqlite_to_postgresql_and_back_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("school.sqlite3");
    {
        let store = Arc::new(SqliteStore::open(&sqlite).unwrap());
        let content = school_demo(store.as_ref(), moment());
        let state = AppState::new(dir.path().join("dist"), store.clone())
            .with_clock(Clock::fixed(moment()));
        let app = app(state);
        let activity = open_activity(&content, moment(), |a| a.capacity.is_none())
            .id
            .clone();
        let round = content.talks.iter().find(|r| r.id == ROUND).unwrap();
        let slots: Vec<String> = round.slots_of(7).into_iter().map(|s| s.id).collect();
        for (i, family) in ["noor", "sem", "ayla"].iter().enumerate() {
            let s = secret(family);
            let ok = |status: StatusCode, what: &str| assert_eq!(status, StatusCode::OK, "{what}");
            let (status, _, _) = send(
                &app,
                put_rsvp(&rsvp(family, &activity, 1, Answer::Ja, 2), CODE, &s),
            )
            .await;
            ok(status, "rsvp");
            let (status, _, _) = send(
                &app,
                put_ack(&ack(family, content.agreement.version, 2), CODE, &s),
            )
            .await;
            ok(status, "ack");
            let profile = FamilyProfile {
                children: vec![ProfileChild {
                    id: format!("kind-{family}"),
                    name: family.to_string(),
                    groep: 7,
                }],
                parents: vec!["Sanne".into(), "Bram".into()],
                updated_at: millis(3),
            };
            let (status, _, _) = send(
                &app,
                put_json(
                    &format!("/api/v1/schools/demo/families/{family}/profile"),
                    CODE,
                    Some(&s),
                    serde_json::to_vec(&profile).unwrap(),
                ),
            )
            .await;
            ok(status, "profile");
            let body = booking(family, 7, &[slots[i].clone()]);
            let (status, _, _) = send(
                &app,
                put_json(
                    &format!("/api/v1/schools/demo/bookings/{}", body.id),
                    CODE,
                    Some(&s),
                    serde_json::to_vec(&body).unwrap(),
                ),
            )
            .await;
            ok(status, "booking");
        }
        let report = serde_json::json!({
            "id": "ziek-noor", "family_id": "noor", "child": { "name": "Noor", "groep": 7 },
            "kind": "ziek", "first_day": "2026-11-24", "last_day": "2026-11-24",
            "note": "Koorts.", "updated_at": millis(4), "withdrawn": false
        });
        let (status, _, body) = send(
            &app,
            put_json(
                "/api/v1/schools/demo/absences/ziek-noor",
                CODE,
                Some(&secret("noor")),
                report.to_string().into_bytes(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let (status, _, _) = send(
            &app,
            put_json(
                &format!("/api/v1/schools/demo/talks/{ROUND}/slots/{}", slots[10]),
                ADMIN,
                None,
                br#"{"blocked":true}"#.to_vec(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "block a slot");
    }

    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_driehoek-server"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    std::fs::create_dir(dir.path().join("pg")).unwrap();
    let pg = postgres_schema(&postgres(), &dir.path().join("pg"));
    let back = path("back.sqlite3");

    let (ok, said) = cli(&[
        "school",
        "export",
        "demo",
        "--db",
        &path("school.sqlite3"),
        "--out",
        &path("a.json"),
    ]);
    assert!(ok, "{said}");
    let (ok, said) = cli(&["school", "import", &path("a.json"), "--db", &pg]);
    assert!(ok, "{said}");
    assert!(said.contains("rijen ingelezen"), "{said}");
    let (ok, said) = cli(&[
        "school",
        "export",
        "demo",
        "--db",
        &pg,
        "--out",
        &path("b.json"),
    ]);
    assert!(ok, "{said}");
    let (ok, said) = cli(&["school", "import", &path("b.json"), "--db", &back]);
    assert!(ok, "{said}");
    let (ok, said) = cli(&[
        "school",
        "export",
        "demo",
        "--db",
        &back,
        "--out",
        &path("c.json"),
    ]);
    assert!(ok, "{said}");

    let read = |name: &str| -> SchoolExport {
        serde_json::from_slice(&std::fs::read(dir.path().join(name)).unwrap()).unwrap()
    };
    let (a, b, c) = (read("a.json"), read("b.json"), read("c.json"));
    for table in &a.tables {
        assert!(
            !table.rows.is_empty(),
            "the school has rows in {}",
            table.table
        );
    }
    assert_eq!(a, b, "SQLite and PostgreSQL keep the same rows");
    assert_eq!(a, c, "and back on SQLite too");

    // The moved school answers a family as it did.
    let from_sqlite = SqliteStore::open(&sqlite).unwrap();
    let on_postgres = PostgresStore::open(&pg).unwrap();
    let hash = driehoek_server::api::hash(&secret("noor"));
    assert_eq!(
        on_postgres.family("demo", "noor", &hash).unwrap(),
        from_sqlite.family("demo", "noor", &hash).unwrap()
    );
    let taken = on_postgres.taken("demo", ROUND).unwrap();
    assert_eq!(
        taken.len(),
        4,
        "three bookings and a blocked slot: {taken:?}"
    );

    // A second import changes nothing.
    let (ok, said) = cli(&["school", "import", &path("a.json"), "--db", &pg]);
    assert!(!ok && said.contains("bestaat al"), "{said}");
    assert_eq!(on_postgres.export_school("demo").unwrap().unwrap(), a);

    // An export of another school's rows, or cut short, is refused whole.
    let mut wrong = a.clone();
    wrong.school = "andere".into();
    std::fs::write(
        dir.path().join("wrong.json"),
        serde_json::to_vec(&wrong).unwrap(),
    )
    .unwrap();
    let (ok, said) = cli(&["school", "import", &path("wrong.json"), "--db", &back]);
    assert!(!ok && said.contains("andere school"), "{said}");
    assert!(from_sqlite.export_school("andere").unwrap().is_none());
}
