//! The SQLite store on a real file in a temporary folder.

use driehoek_core::sync::{Outcome, RsvpPut};
use driehoek_core::{Answer, Rsvp};
use driehoek_server::store::{SqliteStore, Store};

fn put(at: i64, answer: Answer) -> RsvpPut {
    RsvpPut {
        family_id: "fam-1".into(),
        names: "Sanne en Bram".into(),
        rsvp: Rsvp {
            id: "r-1".into(),
            activity_id: "a-1".into(),
            answer,
            people: 2,
            helps: false,
            note: String::new(),
            updated_at: at,
        },
    }
}

#[test]
fn the_same_put_twice_gives_one_row_and_older_never_overwrites_newer() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("db.sqlite3")).unwrap();
    assert_eq!(
        store.put_rsvp("s", &put(2, Answer::Ja)).unwrap().outcome,
        Outcome::Stored
    );
    let again = store.put_rsvp("s", &put(2, Answer::Ja)).unwrap();
    assert_eq!(again.outcome, Outcome::Unchanged, "a retry changes nothing");
    let older = store.put_rsvp("s", &put(1, Answer::Nee)).unwrap();
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
    let path = dir.path().join("db.sqlite3");
    {
        let store = SqliteStore::open(&path).unwrap();
        store.put_rsvp("s", &put(5, Answer::Misschien)).unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    let rows = store.rsvps("s").unwrap();
    assert_eq!(rows, vec![put(5, Answer::Misschien)]);
}
