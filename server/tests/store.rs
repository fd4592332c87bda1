//! The store on a real SQLite file in a temporary folder (or on the test command's PostgreSQL).

mod common;

use std::sync::Arc;

use driehoek_core::sync::{AckPut, Outcome, RsvpPut};
use driehoek_core::{Activity, Answer, Content, Rsvp};
use driehoek_server::store::{AckWrite, Publication, Refused, RsvpWrite, Store};

const SECRET: [u8; 32] = [7; 32];

/// The moment these tests play at: Monday 23 November 2026, 10:00 in Amsterdam.
fn now() -> chrono::NaiveDateTime {
    driehoek_server::clock::parse_moment("2026-11-23T10:00").unwrap()
}

/// The demo content dated around [`now`], for the school "s".
fn demo() -> Content {
    let mut content = driehoek_core::demo_content(now().date());
    content.school.id = "s".into();
    content
}

/// An activity of the demo that takes answers at [`now`], with `capacity`.
fn activity(capacity: Option<u32>) -> Activity {
    let mut activity = demo()
        .activities
        .into_iter()
        .filter(|a| driehoek_core::rsvp::is_open(a, now()))
        .min_by_key(|a| a.start)
        .expect("an activity open for answers in the demo");
    activity.capacity = capacity;
    activity.rsvp_deadline = None;
    activity.max_per_family = 4;
    activity
}

fn put(family: &str, at: i64, answer: Answer, people: u8) -> RsvpPut {
    RsvpPut {
        family_id: family.into(),
        names: "Sanne en Bram".into(),
        rsvp: Rsvp {
            id: format!("r-{family}"),
            activity_id: activity(None).id,
            answer,
            people,
            helps: false,
            note: String::new(),
            updated_at: at,
        },
        // Kept beside the answer and read back with it.
        children: vec![driehoek_core::sync::ChildInGroep {
            name: "Noor".into(),
            groep: 7,
        }],
    }
}

/// A store on a file in `dir` with the school "s".
fn open(dir: &std::path::Path) -> Arc<dyn Store> {
    let store = common::open_store(dir);
    if store.school_meta("s").unwrap().is_none() {
        store
            .create_school("s", "School", &[1; 32], &[2; 32])
            .unwrap();
    }
    store
}

fn write(put: RsvpPut, capacity: Option<u32>) -> RsvpWrite {
    RsvpWrite {
        put,
        secret_hash: SECRET,
        activity: activity(capacity),
        now: now(),
    }
}

#[test]
fn the_same_put_twice_gives_one_row_and_older_never_overwrites_newer() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let first = store
        .put_rsvp("s", write(put("fam-1", 2, Answer::Ja, 2), None))
        .wait()
        .unwrap()
        .unwrap();
    assert_eq!(first.outcome, Outcome::Stored);
    let again = store
        .put_rsvp("s", write(put("fam-1", 2, Answer::Ja, 2), None))
        .wait()
        .unwrap()
        .unwrap();
    assert_eq!(again.outcome, Outcome::Unchanged, "a retry changes nothing");
    let older = store
        .put_rsvp("s", write(put("fam-1", 1, Answer::Nee, 0), None))
        .wait()
        .unwrap()
        .unwrap();
    assert_eq!(older.outcome, Outcome::KeptNewer);
    assert_eq!(
        older.kept.updated_at, 2,
        "the response names the kept version"
    );
    assert_eq!(
        store.rsvps("s").unwrap().len(),
        1,
        "one row per family and activity"
    );
}

#[test]
fn writes_survive_reopening_and_migrations_run_once() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store
            .put_rsvp("s", write(put("fam-1", 5, Answer::Misschien, 1), None))
            .wait()
            .unwrap()
            .unwrap();
    }
    let store = open(dir.path());
    let rows = store.rsvps("s").unwrap();
    assert_eq!(rows, vec![put("fam-1", 5, Answer::Misschien, 1)]);
}

#[test]
fn another_secret_cannot_write_for_a_family_and_refusals_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut closed = write(put("fam-1", 1, Answer::Ja, 1), None);
    closed.now = closed.activity.start + chrono::Duration::hours(1);
    assert!(matches!(
        store.put_rsvp("s", closed).wait().unwrap(),
        Err(Refused::Rsvp(
            driehoek_core::RsvpError::DeadlinePassed { .. }
        ))
    ));
    assert!(store.rsvps("s").unwrap().is_empty());
    // The refused answer did not claim the family id: another phone may still use it.
    let mut other = write(put("fam-1", 2, Answer::Ja, 1), None);
    other.secret_hash = [9; 32];
    store.put_rsvp("s", other).wait().unwrap().unwrap();
    assert_eq!(
        store
            .put_rsvp("s", write(put("fam-1", 3, Answer::Nee, 0), None))
            .wait()
            .unwrap(),
        Err(Refused::OtherFamily)
    );
    assert_eq!(store.rsvps("s").unwrap()[0].rsvp.updated_at, 2);
}

#[test]
fn concurrent_writes_cannot_take_more_places_than_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    // 5 places; 8 families of 2 at the same moment: exactly 2 fit.
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut w = write(put(&format!("fam-{i}"), 1, Answer::Ja, 2), Some(5));
                w.secret_hash = [i; 32];
                store.put_rsvp("s", w).wait().unwrap()
            })
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let kept = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(kept, 2, "{results:?}");
    assert!(results.iter().all(|r| match r {
        Ok(_) => true,
        Err(Refused::Rsvp(e)) => e.message().contains("plaats") || e.message().contains("vol"),
        Err(_) => false,
    }));
    let people: u32 = store
        .rsvps("s")
        .unwrap()
        .iter()
        .map(|r| u32::from(r.rsvp.people))
        .sum();
    assert_eq!(people, 4);
}

#[test]
fn acknowledgements_need_a_published_version_and_are_counted_per_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let content = demo();
    let version = content.agreement.version;
    store.publish("s", &content, "\"v1\"", None, now()).unwrap();
    let ack = |family: &str, v: u32, at: i64| AckWrite {
        ack: AckPut {
            id: format!("ack-{family}-{v}"),
            family_id: family.into(),
            name: "Sanne".into(),
            agreement_version: v,
            updated_at: at,
            children: Vec::new(),
        },
        secret_hash: SECRET,
    };
    assert_eq!(
        store
            .put_ack("s", ack("fam-1", version + 1, 1))
            .wait()
            .unwrap(),
        Err(Refused::UnknownAgreement)
    );
    let first = store
        .put_ack("s", ack("fam-1", version, 1))
        .wait()
        .unwrap()
        .unwrap();
    assert_eq!(first.outcome, Outcome::Stored);
    let again = store
        .put_ack("s", ack("fam-1", version, 1))
        .wait()
        .unwrap()
        .unwrap();
    assert_eq!(again.outcome, Outcome::Unchanged);
    store
        .put_ack("s", ack("fam-2", version, 1))
        .wait()
        .unwrap()
        .unwrap();
    let counts = store.acknowledgements("s").unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].version, counts[0].families), (version, 2));
}

#[test]
fn publish_with_if_match_checks_the_etag_in_the_same_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let content = demo();
    let publish = |etag: &str, if_match: Option<&str>| {
        store.publish("s", &content, etag, if_match, now()).unwrap()
    };
    assert_eq!(
        publish("\"a\"", Some("\"x\"")),
        Publication::Stale,
        "nothing published yet"
    );
    assert_eq!(publish("\"a\"", None), Publication::Published);
    assert_eq!(publish("\"b\"", Some("\"a\"")), Publication::Published);
    assert_eq!(publish("\"c\"", Some("\"a\"")), Publication::Stale);
    assert_eq!(
        store.school_meta("s").unwrap().unwrap().etag.as_deref(),
        Some("\"b\"")
    );
}
