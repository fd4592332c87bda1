//! The SQLite backend of [`Store`]: one file, WAL, `synchronous=FULL`, versioned migrations;
//! its writes go through the group-commit writer ([`super::writer`]).

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{NaiveDate, NaiveDateTime};
use driehoek_core::agreement::{check_publish, Publish};
use driehoek_core::rsvp::places_taken;
use driehoek_core::sync::{
    AckPut, AckPutResponse, FamilyProfile, FamilyRecords, ProfilePutResponse, RsvpPut,
    RsvpPutResponse,
};
use driehoek_core::{Agreement, Content, Rsvp};
use rusqlite::{params, Connection, OptionalExtension};

use super::versioned::{write_versioned, Checked, VersionedWrite};
use super::writer::Writer;
use driehoek_core::absence::{AbsencePut, AbsencePutResponse};
use driehoek_core::talks::{BookingPutResponse, ScheduledTalk};

use super::{
    lock, AbsenceWrite, AckWrite, AgreementAcks, BookingWrite, Conflict, FamilyRead, ProfileWrite,
    Publication, Readiness, Refused, RoundTalks, RsvpWrite, SchoolBookingWrite, SchoolMeta,
    SchoolRow, Store, StoreError, Written,
};

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

    fn read(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        lock(&self.read)
    }

    /// Caps the database at `bytes` (rounded down to whole pages; SQLite's `max_page_count`):
    /// past it, a write fails as on a full disk (SQLITE_FULL), and is answered "try again later".
    /// A quota for one school's file on a shared disk; the tests use it to fill the database as
    /// a full disk would, without root.
    pub fn limit_size(&self, bytes: u64) -> Result<(), StoreError> {
        self.write(move |conn| {
            let page: u64 = conn.query_row("PRAGMA page_size", [], |row| row.get(0))?;
            let pages = (bytes / page.max(1)).max(1);
            conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Runs `work` in the next group's transaction and waits until that is committed.
    fn write<T: Send + 'static>(
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

/// `Ok(true)` when the family is new, `Ok(false)` when its kept secret matches,
/// `Err(OtherFamily)` otherwise. Writes nothing.
pub(super) fn family_is_new(
    conn: &Connection,
    school: &str,
    family_id: &str,
    secret_hash: &[u8; 32],
) -> Result<Result<bool, Refused>, StoreError> {
    let kept: Option<Vec<u8>> = conn
        .prepare_cached("SELECT secret_hash FROM families WHERE school = ?1 AND family_id = ?2")?
        .query_row(params![school, family_id], |row| row.get(0))
        .optional()?;
    Ok(match kept {
        None => Ok(true),
        Some(kept) if bool::from(subtle::ConstantTimeEq::ct_eq(&kept[..], &secret_hash[..])) => {
            Ok(false)
        }
        Some(_) => Err(Refused::OtherFamily),
    })
}

pub(super) fn add_family(
    conn: &Connection,
    school: &str,
    family_id: &str,
    secret_hash: &[u8; 32],
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO families (school, family_id, secret_hash) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![school, family_id, &secret_hash[..]])?;
    Ok(())
}

fn write_rsvp(conn: &Connection, school: &str, write: &RsvpWrite) -> Checked<RsvpPutResponse> {
    Ok(write_versioned(conn, school, write)?
        .map(|(outcome, kept)| RsvpPutResponse { outcome, kept }))
}

impl VersionedWrite for RsvpWrite {
    type Version = Rsvp;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.put.family_id, &self.secret_hash)
    }

    fn version(&self) -> &Rsvp {
        &self.put.rsvp
    }

    fn kept(&self, conn: &Connection, school: &str) -> Checked<Option<Rsvp>> {
        let put = &self.put;
        // An answer's id belongs to the family that first sent it.
        let taken_by_other = conn
            .prepare_cached(
                "SELECT 1 FROM rsvps WHERE school = ?1 AND rsvp_id = ?2 AND family_id <> ?3",
            )?
            .exists(params![school, put.rsvp.id, put.family_id])?;
        if taken_by_other {
            return Ok(Err(Refused::RsvpIdTaken));
        }
        let current: Option<String> = conn
            .prepare_cached(
                "SELECT rsvp FROM rsvps WHERE school = ?1 AND family_id = ?2 AND activity_id = ?3",
            )?
            .query_row(
                params![school, put.family_id, put.rsvp.activity_id],
                |row| row.get(0),
            )
            .optional()?;
        Ok(Ok(current.map(|s| serde_json::from_str(&s)).transpose()?))
    }

    fn check(&self, conn: &Connection, school: &str) -> Checked<()> {
        let put = &self.put;
        // The places are counted here, in the same transaction, so two families cannot both
        // take the last place.
        let taken = if self.activity.capacity.is_some() {
            let mut stmt = conn.prepare_cached(
                "SELECT family_id, rsvp FROM rsvps
                 WHERE school = ?1 AND activity_id = ?2 AND family_id <> ?3",
            )?;
            let others = stmt
                .query_map(
                    params![school, put.rsvp.activity_id, put.family_id],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                )?
                .map(|row| {
                    let (family, json) = row?;
                    Ok((family, serde_json::from_str::<Rsvp>(&json)?))
                })
                .collect::<Result<Vec<(String, Rsvp)>, StoreError>>()?;
            places_taken(
                others.iter().map(|(family, rsvp)| (family.as_str(), rsvp)),
                &self.activity.id,
                &put.family_id,
            )
        } else {
            0
        };
        // Checked, but kept as sent: the phone compares the kept version with its own.
        Ok(put
            .rsvp
            .clone()
            .check(&self.activity, self.now, taken)
            .map(|_| ())
            .map_err(Refused::Rsvp))
    }

    fn store(&self, conn: &Connection, school: &str) -> Result<(), StoreError> {
        let put = &self.put;
        conn.prepare_cached(
            "INSERT INTO rsvps
                (school, family_id, activity_id, names, rsvp, updated_at, rsvp_id, children)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (school, family_id, activity_id)
             DO UPDATE SET names = ?4, rsvp = ?5, updated_at = ?6, rsvp_id = ?7, children = ?8",
        )?
        .execute(params![
            school,
            put.family_id,
            put.rsvp.activity_id,
            put.names,
            serde_json::to_string(&put.rsvp)?,
            put.rsvp.updated_at,
            put.rsvp.id,
            serde_json::to_string(&put.children)?
        ])?;
        Ok(())
    }
}

fn write_ack(conn: &Connection, school: &str, write: &AckWrite) -> Checked<AckPutResponse> {
    Ok(write_versioned(conn, school, write)?
        .map(|(outcome, kept)| AckPutResponse { outcome, kept }))
}

/// The text of a published agreement version, if the school published it.
fn agreement_text(
    conn: &Connection,
    school: &str,
    version: u32,
) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT agreement FROM agreements WHERE school = ?1 AND version = ?2")?
        .query_row(params![school, version], |row| row.get(0))
        .optional()?)
}

impl VersionedWrite for AckWrite {
    type Version = AckPut;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.ack.family_id, &self.secret_hash)
    }

    fn version(&self) -> &AckPut {
        &self.ack
    }

    fn kept(&self, conn: &Connection, school: &str) -> Checked<Option<AckPut>> {
        let ack = &self.ack;
        if agreement_text(conn, school, ack.agreement_version)?.is_none() {
            return Ok(Err(Refused::UnknownAgreement));
        }
        let current: Option<String> = conn
            .prepare_cached(
                "SELECT ack FROM acknowledgements
                 WHERE school = ?1 AND family_id = ?2 AND agreement_version = ?3 AND name = ?4",
            )?
            .query_row(
                params![school, ack.family_id, ack.agreement_version, ack.name],
                |row| row.get(0),
            )
            .optional()?;
        Ok(Ok(current.map(|s| serde_json::from_str(&s)).transpose()?))
    }

    fn store(&self, conn: &Connection, school: &str) -> Result<(), StoreError> {
        let ack = &self.ack;
        // The hash of the text it was given to (read in the same transaction as `kept`).
        let text = agreement_text(conn, school, ack.agreement_version)?.unwrap_or_default();
        conn.prepare_cached(
            "INSERT INTO acknowledgements
                (school, family_id, agreement_version, ack, updated_at, agreement_sha256, name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (school, family_id, agreement_version, name)
             DO UPDATE SET ack = ?4, updated_at = ?5, agreement_sha256 = ?6",
        )?
        .execute(params![
            school,
            ack.family_id,
            ack.agreement_version,
            serde_json::to_string(ack)?,
            ack.updated_at,
            agreement_sha256(&text),
            ack.name
        ])?;
        Ok(())
    }
}

fn write_profile(
    conn: &Connection,
    school: &str,
    write: &ProfileWrite,
) -> Checked<ProfilePutResponse> {
    Ok(write_versioned(conn, school, write)?
        .map(|(outcome, kept)| ProfilePutResponse { outcome, kept }))
}

impl VersionedWrite for ProfileWrite {
    type Version = FamilyProfile;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.family_id, &self.secret_hash)
    }

    fn version(&self) -> &FamilyProfile {
        &self.profile
    }

    fn kept(&self, conn: &Connection, school: &str) -> Checked<Option<FamilyProfile>> {
        let current: Option<String> = conn
            .prepare_cached(
                "SELECT profile FROM family_profiles WHERE school = ?1 AND family_id = ?2",
            )?
            .query_row(params![school, self.family_id], |row| row.get(0))
            .optional()?;
        Ok(Ok(current.map(|s| serde_json::from_str(&s)).transpose()?))
    }

    fn store(&self, conn: &Connection, school: &str) -> Result<(), StoreError> {
        conn.prepare_cached(
            "INSERT INTO family_profiles (school, family_id, profile, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (school, family_id) DO UPDATE SET profile = ?3, updated_at = ?4",
        )?
        .execute(params![
            school,
            self.family_id,
            serde_json::to_string(&self.profile)?,
            self.profile.updated_at
        ])?;
        Ok(())
    }
}

fn read_family(
    conn: &Connection,
    school: &str,
    family_id: &str,
    secret_hash: &[u8; 32],
) -> Result<FamilyRead, StoreError> {
    match family_is_new(conn, school, family_id, secret_hash)? {
        Ok(true) => return Ok(FamilyRead::Unknown),
        Ok(false) => {}
        Err(_) => return Ok(FamilyRead::OtherFamily),
    }
    let mut records = FamilyRecords::default();
    let mut stmt = conn.prepare_cached(
        "SELECT names, rsvp, children FROM rsvps WHERE school = ?1 AND family_id = ?2
         ORDER BY activity_id",
    )?;
    let rows = stmt.query_map(params![school, family_id], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (names, rsvp, children) = row?;
        records.rsvps.push(RsvpPut {
            family_id: family_id.to_owned(),
            names,
            children: serde_json::from_str(&children)?,
            rsvp: serde_json::from_str(&rsvp)?,
        });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT ack FROM acknowledgements WHERE school = ?1 AND family_id = ?2
         ORDER BY agreement_version",
    )?;
    let rows = stmt.query_map(params![school, family_id], |row| row.get::<_, String>(0))?;
    for row in rows {
        records.acknowledgements.push(serde_json::from_str(&row?)?);
    }
    let profile: Option<String> = conn
        .prepare_cached("SELECT profile FROM family_profiles WHERE school = ?1 AND family_id = ?2")?
        .query_row(params![school, family_id], |row| row.get(0))
        .optional()?;
    records.profile = profile.map(|s| serde_json::from_str(&s)).transpose()?;
    records.bookings = super::bookings::family_bookings(conn, school, family_id)?;
    Ok(FamilyRead::Found(records))
}

impl Store for SqliteStore {
    fn create_school(
        &self,
        id: &str,
        name: &str,
        access_hash: &[u8; 32],
        admin_hash: &[u8; 32],
    ) -> Result<(), StoreError> {
        let (id, name, access_hash, admin_hash) =
            (id.to_owned(), name.to_owned(), *access_hash, *admin_hash);
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO schools (id, name, access_hash, admin_hash) VALUES (?1, ?2, ?3, ?4)",
                params![id, name, &access_hash[..], &admin_hash[..]],
            )?;
            Ok(())
        })
    }

    fn school(&self, id: &str) -> Result<Option<SchoolRow>, StoreError> {
        Ok(self
            .read()?
            .prepare_cached(
                "SELECT id, name, access_hash, admin_hash, content, etag FROM schools WHERE id = ?1",
            )?
            .query_row(params![id], |row| {
                let content: Option<String> = row.get(4)?;
                let etag: Option<String> = row.get(5)?;
                Ok(SchoolRow {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    access_hash: row.get(2)?,
                    admin_hash: row.get(3)?,
                    content: content.zip(etag),
                })
            })
            .optional()?)
    }

    fn school_meta(&self, id: &str) -> Result<Option<SchoolMeta>, StoreError> {
        Ok(lock(&self.meta)?
            .prepare_cached(
                "SELECT id, name, access_hash, admin_hash, etag FROM schools WHERE id = ?1",
            )?
            .query_row(params![id], |row| {
                Ok(SchoolMeta {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    access_hash: row.get(2)?,
                    admin_hash: row.get(3)?,
                    etag: row.get(4)?,
                })
            })
            .optional()?)
    }

    fn schools_version(&self) -> Result<u64, StoreError> {
        // Changes whenever another connection (the writer, another process) commits.
        Ok(lock(&self.meta)?
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?)
    }

    fn set_hashes(
        &self,
        id: &str,
        access_hash: Option<&[u8; 32]>,
        admin_hash: Option<&[u8; 32]>,
    ) -> Result<bool, StoreError> {
        let (id, access, admin) = (id.to_owned(), access_hash.copied(), admin_hash.copied());
        self.write(move |conn| {
            let exists = conn
                .prepare_cached("SELECT 1 FROM schools WHERE id = ?1")?
                .exists(params![id])?;
            if !exists {
                return Ok(false);
            }
            if let Some(hash) = access {
                conn.execute(
                    "UPDATE schools SET access_hash = ?2 WHERE id = ?1",
                    params![id, &hash[..]],
                )?;
            }
            if let Some(hash) = admin {
                conn.execute(
                    "UPDATE schools SET admin_hash = ?2 WHERE id = ?1",
                    params![id, &hash[..]],
                )?;
            }
            Ok(true)
        })
    }

    fn publish(
        &self,
        id: &str,
        content: &Content,
        etag: &str,
        if_match: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<Publication, StoreError> {
        let json = serde_json::to_string(content)?;
        let content = content.clone();
        let (id, etag) = (id.to_owned(), etag.to_owned());
        let if_match = if_match.map(str::to_owned);
        self.write(move |conn| {
            let current: Option<(Option<String>, Option<String>)> = conn
                .query_row(
                    "SELECT etag, content FROM schools WHERE id = ?1",
                    params![id],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let (current_etag, current_json) = current.unwrap_or_default();
            if let Some(wanted) = if_match {
                if current_etag.as_deref() != Some(wanted.as_str()) {
                    return Ok(Publication::Stale);
                }
            }
            if let Some(conflict) = agreement_conflict(conn, &id, &content)? {
                return Ok(Publication::Refused(conflict));
            }
            let current: Option<Content> = current_json
                .map(|json| serde_json::from_str(&json))
                .transpose()?;
            if let Some(conflict) = activity_conflict(conn, &id, current.as_ref(), &content, now)? {
                return Ok(Publication::Refused(conflict));
            }
            conn.execute(
                "UPDATE schools SET content = ?2, etag = ?3 WHERE id = ?1",
                params![id, json, etag],
            )?;
            // Kept as published: never replaced (the rule above refused other words).
            conn.execute(
                "INSERT OR IGNORE INTO agreements (school, version, agreement) VALUES (?1, ?2, ?3)",
                params![
                    id,
                    content.agreement.version,
                    serde_json::to_string(&content.agreement)?
                ],
            )?;
            let mut used = conn.prepare_cached(
                "INSERT OR IGNORE INTO activity_ids (school, activity_id) VALUES (?1, ?2)",
            )?;
            for activity in &content.activities {
                used.execute(params![id, activity.id])?;
            }
            Ok(Publication::Published)
        })
    }

    fn put_rsvp(
        &self,
        school: &str,
        write: RsvpWrite,
    ) -> Written<Result<RsvpPutResponse, Refused>> {
        let school = school.to_owned();
        self.writer
            .submit(move |conn| write_rsvp(conn, &school, &write))
    }

    fn put_ack(&self, school: &str, write: AckWrite) -> Written<Result<AckPutResponse, Refused>> {
        let school = school.to_owned();
        self.writer
            .submit(move |conn| write_ack(conn, &school, &write))
    }

    fn put_profile(
        &self,
        school: &str,
        write: ProfileWrite,
    ) -> Written<Result<ProfilePutResponse, Refused>> {
        let school = school.to_owned();
        self.writer
            .submit(move |conn| write_profile(conn, &school, &write))
    }

    fn family(
        &self,
        school: &str,
        family_id: &str,
        secret_hash: &[u8; 32],
    ) -> Result<FamilyRead, StoreError> {
        let conn = self.read()?;
        read_family(&conn, school, family_id, secret_hash)
    }

    fn put_absence(
        &self,
        school: &str,
        write: AbsenceWrite,
    ) -> Written<Result<AbsencePutResponse, Refused>> {
        let school = school.to_owned();
        self.writer
            .submit(move |conn| super::absences::write_absence(conn, &school, &write))
    }

    fn put_booking(
        &self,
        school: &str,
        write: BookingWrite,
    ) -> Written<Result<BookingPutResponse, Refused>> {
        let school = school.to_owned();
        self.writer
            .submit(move |conn| super::bookings::write_booking(conn, &school, &write))
    }

    fn taken(&self, school: &str, round_id: &str) -> Result<Vec<String>, StoreError> {
        super::bookings::taken(&*self.read()?, school, round_id)
    }

    fn round_talks(&self, school: &str, round_id: &str) -> Result<RoundTalks, StoreError> {
        super::bookings::round_talks(&*self.read()?, school, round_id)
    }

    fn block_slot(
        &self,
        school: &str,
        round_id: &str,
        slot_id: &str,
        blocked: bool,
    ) -> Written<Result<Option<ScheduledTalk>, Refused>> {
        let (school, round_id, slot_id) =
            (school.to_owned(), round_id.to_owned(), slot_id.to_owned());
        self.writer.submit(move |conn| {
            super::bookings::block_slot(conn, &school, &round_id, &slot_id, blocked)
        })
    }

    fn book_by_school(
        &self,
        school: &str,
        write: SchoolBookingWrite,
    ) -> Written<Result<ScheduledTalk, Refused>> {
        let school = school.to_owned();
        self.writer
            .submit(move |conn| super::bookings::book_by_school(conn, &school, &write))
    }

    fn absences_on(&self, school: &str, day: NaiveDate) -> Result<Vec<AbsencePut>, StoreError> {
        super::absences::absences_on(&*self.read()?, school, day)
    }

    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT family_id, names, rsvp, children FROM rsvps WHERE school = ?1
             ORDER BY activity_id, family_id",
        )?;
        let rows = stmt.query_map(params![school], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (family_id, names, rsvp, children) = row?;
            out.push(RsvpPut {
                family_id,
                names,
                rsvp: serde_json::from_str(&rsvp)?,
                children: serde_json::from_str(&children)?,
            });
        }
        Ok(out)
    }

    fn acknowledgements(&self, school: &str) -> Result<Vec<AgreementAcks>, StoreError> {
        #[derive(serde::Deserialize)]
        struct Published {
            published: NaiveDate,
        }
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT a.version, a.agreement,
                    (SELECT COUNT(DISTINCT k.family_id) FROM acknowledgements k
                     WHERE k.school = a.school AND k.agreement_version = a.version)
             FROM agreements a WHERE a.school = ?1 ORDER BY a.version",
        )?;
        let rows = stmt.query_map(params![school], |row| {
            Ok((
                row.get::<_, u32>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, u64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (version, agreement, families) = row?;
            let Published { published } = serde_json::from_str(&agreement)?;
            out.push(AgreementAcks {
                version,
                published,
                families,
                acks: Vec::new(),
            });
        }
        drop(stmt);
        let mut stmt = conn.prepare_cached(
            "SELECT agreement_version, ack FROM acknowledgements WHERE school = ?1
             ORDER BY agreement_version, family_id, updated_at",
        )?;
        let rows = stmt.query_map(params![school], |row| {
            Ok((row.get::<_, u32>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (version, ack) = row?;
            if let Some(v) = out.iter_mut().find(|v| v.version == version) {
                v.acks.push(serde_json::from_str(&ack)?);
            }
        }
        Ok(out)
    }

    fn readiness(&self) -> Readiness {
        let readable = self
            .read()
            .and_then(|conn| {
                Ok(conn.query_row("SELECT count(*) FROM schools", [], |row| {
                    row.get::<_, i64>(0)
                })?)
            })
            .inspect_err(|err| tracing::warn!(error = %err, "readiness: cannot read"))
            .is_ok();
        // A row larger than a page needs fresh pages, as a new answer does: on a full disk (or a
        // database at its size limit) that fails where rewriting an existing row would not.
        let writable = self
            .write(|conn| {
                conn.execute("INSERT INTO probe (filler) VALUES (zeroblob(16384))", [])?;
                conn.execute("DELETE FROM probe", [])?;
                Ok(())
            })
            .inspect_err(|err| tracing::warn!(error = %err, "readiness: cannot write"))
            .is_ok();
        Readiness { readable, writable }
    }
}

/// The hex SHA-256 of an agreement version's text as stored (its JSON in `agreements`): what an
/// acknowledgement of that version was given to.
pub fn agreement_sha256(stored_json: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(stored_json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Core's rule for published agreements, against the highest version ever published.
fn agreement_conflict(
    conn: &Connection,
    school: &str,
    content: &Content,
) -> Result<Option<Conflict>, StoreError> {
    let highest: Option<String> = conn
        .prepare_cached(
            "SELECT agreement FROM agreements WHERE school = ?1 ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![school], |row| row.get(0))
        .optional()?;
    let highest: Option<Agreement> = highest.map(|j| serde_json::from_str(&j)).transpose()?;
    Ok(match check_publish(highest.as_ref(), &content.agreement) {
        Publish::Same | Publish::Next => None,
        Publish::Refused(refusal) => Some(Conflict {
            field: "agreement.version".into(),
            message: refusal.message(),
        }),
    })
}

/// An activity families answered may not disappear before it has ended, unless the school
/// published it as cancelled first (then families saw "afgelast"); and an id used before may
/// not come back for another activity (its old answers would attach to it).
fn activity_conflict(
    conn: &Connection,
    school: &str,
    current: Option<&Content>,
    new: &Content,
    now: NaiveDateTime,
) -> Result<Option<Conflict>, StoreError> {
    let kept: std::collections::HashSet<&str> =
        new.activities.iter().map(|a| a.id.as_str()).collect();
    let mut answered =
        conn.prepare_cached("SELECT 1 FROM rsvps WHERE school = ?1 AND activity_id = ?2 LIMIT 1")?;
    for gone in current
        .map(|c| c.activities.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|a| !kept.contains(a.id.as_str()) && !a.cancelled && a.end > now)
    {
        if answered.exists(params![school, gone.id])? {
            return Ok(Some(Conflict {
                field: "activities".into(),
                message: format!(
                    "Ouders hebben al geantwoord op \"{}\" ({}). Haal die activiteit niet \
                     weg, maar zet haar op afgelast: dan zien de ouders dat.",
                    gone.title.get("nl"),
                    gone.id
                ),
            }));
        }
    }
    let was: std::collections::HashSet<&str> = current
        .map(|c| c.activities.iter().map(|a| a.id.as_str()).collect())
        .unwrap_or_default();
    let mut used =
        conn.prepare_cached("SELECT 1 FROM activity_ids WHERE school = ?1 AND activity_id = ?2")?;
    for (i, activity) in new.activities.iter().enumerate() {
        if !was.contains(activity.id.as_str()) && used.exists(params![school, activity.id])? {
            return Ok(Some(Conflict {
                field: format!("activities[{i}].id"),
                message: format!(
                    "De id \"{}\" is al eens gebruikt voor een activiteit die niet meer \
                     gepubliceerd is. Geef deze activiteit een nieuwe id.",
                    activity.id
                ),
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

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
