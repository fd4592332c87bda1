//! The SQLite backend of [`Store`](super::Store): one file, WAL, `synchronous=FULL`, versioned migrations;
//! its writes go through the group-commit writer ([`super::writer`]).

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

use super::db::{Arg, Db, Row, Value};
use super::sql::Backend;
use super::writer::Writer;
use super::{lock, StoreError, Written};

/// The migrations, in order; `PRAGMA user_version` says how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: schools, their content, families and RSVPs.
    "CREATE TABLE schools (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        access_hash BLOB NOT NULL,
        admin_hash BLOB NOT NULL,
        content TEXT,
        etag TEXT
     );
     CREATE TABLE families (
        school TEXT NOT NULL REFERENCES schools(id),
        family_id TEXT NOT NULL,
        secret_hash BLOB NOT NULL,
        PRIMARY KEY (school, family_id)
     );
     CREATE TABLE rsvps (
        school TEXT NOT NULL,
        family_id TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        names TEXT NOT NULL,
        rsvp TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (school, family_id, activity_id)
     );
     CREATE TABLE agreements (
        school TEXT NOT NULL,
        version INTEGER NOT NULL,
        agreement TEXT NOT NULL,
        PRIMARY KEY (school, version)
     );
     CREATE TABLE acknowledgements (
        school TEXT NOT NULL,
        family_id TEXT NOT NULL,
        agreement_version INTEGER NOT NULL,
        ack TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (school, family_id, agreement_version)
     );",
    // 2: the places taken of one activity, and the counts per agreement version, without a scan.
    "CREATE INDEX rsvps_by_activity ON rsvps (school, activity_id);
     CREATE INDEX acknowledgements_by_version ON acknowledgements (school, agreement_version);",
    // 3: the answer's id beside its JSON (one family per id), the hash of the agreement text each
    // acknowledgement was given to, every activity id ever published, and a table for the write
    // probe of the readiness check.
    "ALTER TABLE rsvps ADD COLUMN rsvp_id TEXT;
     UPDATE rsvps SET rsvp_id = json_extract(rsvp, '$.id');
     CREATE INDEX rsvps_by_rsvp_id ON rsvps (school, rsvp_id);
     ALTER TABLE acknowledgements ADD COLUMN agreement_sha256 TEXT;
     CREATE TABLE activity_ids (
        school TEXT NOT NULL,
        activity_id TEXT NOT NULL,
        PRIMARY KEY (school, activity_id)
     );
     INSERT OR IGNORE INTO activity_ids (school, activity_id)
        SELECT s.id, json_extract(a.value, '$.id')
        FROM schools s, json_each(s.content, '$.activities') a
        WHERE s.content IS NOT NULL;
     INSERT OR IGNORE INTO activity_ids (school, activity_id)
        SELECT DISTINCT school, activity_id FROM rsvps;
     CREATE TABLE probe (id INTEGER PRIMARY KEY, filler BLOB);",
    // 4: the children an RSVP is for (JSON, `[{name, groep}]`), and one acknowledgement per
    // parent: the natural key becomes (school, family, version, name). Kept acknowledgements keep
    // the name they were sent with (one for the family's names together).
    "ALTER TABLE rsvps ADD COLUMN children TEXT NOT NULL DEFAULT '[]';
     CREATE TABLE acknowledgements_per_name (
        school TEXT NOT NULL,
        family_id TEXT NOT NULL,
        agreement_version INTEGER NOT NULL,
        name TEXT NOT NULL,
        ack TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        agreement_sha256 TEXT,
        PRIMARY KEY (school, family_id, agreement_version, name)
     );
     INSERT INTO acknowledgements_per_name
        (school, family_id, agreement_version, name, ack, updated_at, agreement_sha256)
        SELECT school, family_id, agreement_version, json_extract(ack, '$.name'), ack,
               updated_at, agreement_sha256
        FROM acknowledgements;
     DROP TABLE acknowledgements;
     ALTER TABLE acknowledgements_per_name RENAME TO acknowledgements;
     CREATE INDEX acknowledgements_by_version ON acknowledgements (school, agreement_version);",
    // 5: a family's profile (children, parents' names), so that a second phone of the family
    // gets them; one version per family, last writer wins.
    "CREATE TABLE family_profiles (
        school TEXT NOT NULL,
        family_id TEXT NOT NULL,
        profile TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (school, family_id)
     );",
    // 6: children reported ill or absent ("Ziek of afwezig melden"): one row per report (its id
    // belongs to one family), the newest version kept; the days beside the JSON for the school's
    // list of today.
    "CREATE TABLE absences (
        school TEXT NOT NULL,
        absence_id TEXT NOT NULL,
        family_id TEXT NOT NULL,
        absence TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        first_day TEXT NOT NULL,
        last_day TEXT NOT NULL,
        withdrawn INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (school, absence_id)
     );
     CREATE INDEX absences_by_day ON absences (school, last_day, first_day);",
    // 7: Gesprekken. One row per booking id (it belongs to one family): the kept version, the
    // child it is for (lowercased trimmed name and groep), and the slot it holds (NULL when
    // cancelled) with that slot as assigned (JSON). UNIQUE (school, round_id, slot_id): no slot
    // ever holds two bookings, whatever the code above it does (SQLite lets many NULLs, the
    // cancelled ones, through). The partial index: one booking that holds a slot per child of a
    // family and round. The slots the school blocked beside it.
    "CREATE TABLE bookings (
        school TEXT NOT NULL,
        booking_id TEXT NOT NULL,
        family_id TEXT NOT NULL,
        round_id TEXT NOT NULL,
        child_key TEXT NOT NULL,
        booking TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        slot_id TEXT,
        slot TEXT,
        by_school INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (school, booking_id),
        UNIQUE (school, round_id, slot_id)
     );
     CREATE UNIQUE INDEX bookings_one_per_child
        ON bookings (school, round_id, family_id, child_key) WHERE slot_id IS NOT NULL;
     CREATE INDEX bookings_by_family ON bookings (school, family_id, round_id);
     CREATE TABLE blocked_slots (
        school TEXT NOT NULL,
        round_id TEXT NOT NULL,
        slot_id TEXT NOT NULL,
        PRIMARY KEY (school, round_id, slot_id)
     );",
];

/// SQLite: a writer thread with its own connection, one connection for reads, and one for the
/// tiny reads that requests make inline ([`Store::schools_version`], [`Store::school_meta`]), so
/// that those never wait behind a long read. For a database in memory, all three are one.
pub struct SqliteStore {
    read: Arc<Mutex<Connection>>,
    meta: Arc<Mutex<Connection>>,
    writer: Writer,
    /// Dropping it stops the checkpointer (see [`run_checkpointer`]).
    checkpoints: Option<Sender<()>>,
    checkpointer: Option<std::thread::JoinHandle<()>>,
}

impl SqliteStore {
    /// Opens (or creates) the database file and runs the migrations it lacks.
    ///
    /// A damaged file (`PRAGMA quick_check` finds a fault) is refused: serving from it would
    /// lose answers. A file that cannot be written opens (parents can still read the content);
    /// [`Store::readiness`] then says so and every write answers "try again later".
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let write = init(Connection::open(path)?)?;
        let check: String = write.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if check != "ok" {
            return Err(StoreError::new(format!(
                "the database file is damaged (quick_check: {check})"
            )));
        }
        // The checkpointer copies the WAL into the database file beside the writer; the writer
        // does it itself only when the WAL grows far beyond that (the checkpointer is stuck).
        write.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        let reader = || -> Result<_, StoreError> {
            let conn = Connection::open(path)?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.pragma_update(None, "query_only", "ON")?;
            Ok(conn)
        };
        let checkpoint = Connection::open(path)?;
        checkpoint.busy_timeout(std::time::Duration::from_secs(5))?;
        // A checkpoint syncs the WAL before it copies and the database file after: only then may
        // the WAL be started over.
        checkpoint.pragma_update(None, "synchronous", "FULL")?;
        let mut store = Self::start(
            Arc::new(Mutex::new(write)),
            Arc::new(Mutex::new(reader()?)),
            Arc::new(Mutex::new(reader()?)),
        )?;
        let (checkpoints, stop) = mpsc::channel();
        store.checkpointer = Some(
            std::thread::Builder::new()
                .name("sqlite-checkpoint".into())
                .spawn(move || run_checkpointer(&checkpoint, &stop))
                .map_err(|e| StoreError::new(e.to_string()))?,
        );
        store.checkpoints = Some(checkpoints);
        Ok(store)
    }

    /// A database in memory, for serving the app without a school.
    pub fn in_memory() -> Result<Self, StoreError> {
        let conn = Arc::new(Mutex::new(init(Connection::open_in_memory()?)?));
        Self::start(conn.clone(), conn.clone(), conn)
    }

    fn start(
        write: Arc<Mutex<Connection>>,
        read: Arc<Mutex<Connection>>,
        meta: Arc<Mutex<Connection>>,
    ) -> Result<Self, StoreError> {
        let writer = Writer::start(write)?;
        Ok(SqliteStore {
            read,
            meta,
            writer,
            checkpoints: None,
            checkpointer: None,
        })
    }

    fn read_conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        lock(&self.read)
    }

    /// Caps the database at `bytes` (rounded down to whole pages; SQLite's `max_page_count`):
    /// past it, a write fails as on a full disk (SQLITE_FULL), and is answered "try again later".
    /// A quota for one school's file on a shared disk; the tests use it to fill the database as
    /// a full disk would, without root.
    pub fn limit_size(&self, bytes: u64) -> Result<(), StoreError> {
        self.write_conn(move |conn| {
            let page: u64 = conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
            let pages = (bytes / page.max(1)).max(1);
            conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Runs `work` in the next group's transaction and waits until that is committed.
    fn write_conn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.writer.submit(work).wait()
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Closing the queue ends the writer after the writes under way; then the file is closed.
        self.writer.stop();
        drop(self.checkpoints.take());
        if let Some(checkpointer) = self.checkpointer.take() {
            let _ = checkpointer.join();
        }
    }
}

/// How often the checkpointer copies the WAL into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// The checkpointer thread: every [`CHECKPOINT_EVERY`] when something was written, a passive
/// checkpoint (it never blocks the writer). Checkpoints used to run inside the writer's commit
/// every 1,000 pages, so that now and then a group of writes waited for the copy and its fsync
/// of the database file as well: the slowest answers. Durability does not depend on it: a
/// committed write is in the WAL, synced.
fn run_checkpointer(conn: &Connection, stop: &Receiver<()>) {
    let mut seen: Option<u64> = None;
    while let Err(mpsc::RecvTimeoutError::Timeout) = stop.recv_timeout(CHECKPOINT_EVERY) {
        let version: Option<u64> = conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .ok();
        if version.is_some() && version == seen {
            continue;
        }
        seen = version;
        if let Err(err) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %err, "checkpoint failed");
        }
    }
}

fn init(mut conn: Connection) -> Result<Connection, StoreError> {
    // WAL: readers don't block the writer; FULL: an answered write survives a power cut.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let done: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(conn)
}

/// A SQLite connection (inside a transaction the caller began) as a [`Db`].
struct Lite<'c>(&'c Connection);

impl ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Arg::Null => ValueRef::Null,
            Arg::Int(n) => ValueRef::Integer(n),
            Arg::Text(text) => ValueRef::Text(text.as_bytes()),
            Arg::Bytes(bytes) => ValueRef::Blob(bytes),
        }))
    }
}

impl Db for Lite<'_> {
    fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Text(text) => Value::Text(
                        std::str::from_utf8(text)
                            .map_err(|e| StoreError::new(e.to_string()))?
                            .to_owned(),
                    ),
                    ValueRef::Blob(bytes) => Value::Bytes(bytes.to_vec()),
                    ValueRef::Real(_) => return Err(StoreError::new("a REAL column")),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let changed = self
            .0
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(args))?;
        Ok(changed as u64)
    }
}

/// Runs `work` in a read transaction on `conn` (one snapshot for all its statements).
fn in_read<T>(
    conn: &Connection,
    work: impl FnOnce(&mut dyn Db) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    let result = work(&mut Lite(conn));
    let _ = conn
        .prepare_cached("COMMIT")
        .and_then(|mut s| s.execute([]));
    result
}

impl Backend for SqliteStore {
    fn read<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        in_read(&*self.read_conn()?, work)
    }

    fn read_meta<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        work(&mut Lite(&*lock(&self.meta)?))
    }

    fn write<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Written<T> {
        self.writer.submit(move |conn| work(&mut Lite(conn)))
    }

    fn schools_version(&self) -> Result<u64, StoreError> {
        // Changes whenever another connection (the writer, another process) commits.
        Ok(lock(&self.meta)?
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    /// Migration 4 keeps every acknowledgement kept before, under the name it was sent with, and
    /// every RSVP (without children).
    #[test]
    fn acknowledgements_kept_before_one_per_parent_survive_the_migration() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..3] {
            conn.execute_batch(sql).unwrap();
        }
        let old = r#"{"id":"g1","family_id":"f","name":"Sanne, Bram","agreement_version":1,"updated_at":1790000000000}"#;
        conn.execute(
            "INSERT INTO acknowledgements (school, family_id, agreement_version, ack, updated_at)
             VALUES ('s', 'f', 1, ?1, 1790000000000)",
            params![old],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO rsvps (school, family_id, activity_id, names, rsvp, updated_at)
             VALUES ('s', 'f', 'a', 'Sanne', '{}', 1)",
            [],
        )
        .unwrap();
        conn.execute_batch(MIGRATIONS[3]).unwrap();
        let (name, ack): (String, String) = conn
            .query_row(
                "SELECT name, ack FROM acknowledgements WHERE school = 's' AND family_id = 'f'",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((name.as_str(), ack.as_str()), ("Sanne, Bram", old));
        let children: String = conn
            .query_row("SELECT children FROM rsvps", [], |row| row.get(0))
            .unwrap();
        assert_eq!(children, "[]");
        // A second parent of the same family and version is a row of its own.
        conn.execute(
            "INSERT INTO acknowledgements (school, family_id, agreement_version, name, ack, updated_at)
             VALUES ('s', 'f', 1, 'Bram', '{}', 1)",
            [],
        )
        .unwrap();
    }

    /// The schema itself refuses a second holder of a slot and a second talk for one child of a
    /// family in a round, whatever the code above it decides; cancelled bookings (no slot) do
    /// not count.
    #[test]
    fn the_schema_refuses_two_bookings_on_one_slot_and_two_talks_for_one_child() {
        let conn = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        let book = |id: &str, family: &str, child: &str, slot: Option<&str>| {
            conn.execute(
                "INSERT INTO bookings (school, booking_id, family_id, round_id, child_key, booking,
                                       updated_at, slot_id)
                 VALUES ('s', ?1, ?2, 'r', ?3, '{}', 1, ?4)",
                params![id, family, child, slot],
            )
        };
        book("b1", "f1", "noor/7", Some("g7-20261208-1500")).unwrap();
        let twice = book("b2", "f2", "sem/7", Some("g7-20261208-1500"));
        assert!(twice.is_err(), "a slot holds one booking");
        let again = book("b3", "f1", "noor/7", Some("g7-20261208-1515"));
        assert!(again.is_err(), "one talk per child of a family and round");
        // Cancelled bookings hold no slot: as many as there are.
        book("b4", "f1", "noor/7", None).unwrap();
        book("b5", "f2", "sem/7", None).unwrap();
        book("b6", "f2", "sem/7", Some("g7-20261208-1515")).unwrap();
    }
}
