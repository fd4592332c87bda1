//! The server's storage, behind [`Store`] so that a PostgreSQL backend can follow; SQLite
//! ([`SqliteStore`]) by default: one file, WAL, `synchronous=FULL`, versioned migrations.
//!
//! Every call blocks (async handlers run them with `tokio::task::spawn_blocking`), except the
//! writes of parents' phones ([`Store::put_rsvp`], [`Store::put_ack`]): they return a
//! [`Written`] at once, which a handler awaits and a command waits for.
//!
//! Writes go through one writer thread that commits them in groups ("group commit"): while one
//! transaction is being made durable (an fsync of a few milliseconds), the writes that arrive
//! queue up, and the next transaction takes all of them. Each write still returns only after the
//! transaction holding it has been committed with `synchronous=FULL`, so an answered write
//! survives a power cut; a write that fails is rolled back to its own savepoint and does not
//! disturb the others in its group.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use chrono::{NaiveDate, NaiveDateTime};
use driehoek_core::agreement::{check_publish, Publish};
use driehoek_core::rsvp::{places_taken, RsvpError};
use driehoek_core::sync::{apply, AckPut, AckPutResponse, Outcome, RsvpPut, RsvpPutResponse};
use driehoek_core::{Activity, Agreement, Content, Rsvp};
use rusqlite::{params, Connection, OptionalExtension};

/// A storage failure; its text is logged, never sent to a client.
#[derive(Clone, Debug)]
pub struct StoreError {
    /// What went wrong, for the log.
    pub message: String,
    /// The storage cannot take writes for now (a full disk, a read-only file, a busy or
    /// unreachable database): a client should try again later (503), nothing is wrong with its
    /// request.
    pub unavailable: bool,
}

impl StoreError {
    /// A failure that trying again will not mend.
    pub fn new(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
            unavailable: false,
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        // SQLITE_FULL is what a full disk gives (and a database at its `max_page_count`);
        // SQLITE_READONLY a file or file system that cannot be written; an I/O error, a busy or
        // locked database and a file that cannot be opened pass too, or are mended by a person.
        let unavailable = matches!(
            err.sqlite_error_code(),
            Some(
                ErrorCode::DiskFull
                    | ErrorCode::ReadOnly
                    | ErrorCode::SystemIoFailure
                    | ErrorCode::CannotOpen
                    | ErrorCode::DatabaseBusy
                    | ErrorCode::DatabaseLocked
            )
        );
        StoreError {
            message: err.to_string(),
            unavailable,
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::new(err.to_string())
    }
}

/// An RSVP to keep, with what the write must check inside its transaction.
#[derive(Clone, Debug)]
pub struct RsvpWrite {
    pub put: RsvpPut,
    /// SHA-256 of the family's secret.
    pub secret_hash: [u8; 32],
    /// The activity answered (from the published content), for core's rules.
    pub activity: Activity,
    /// Local school time now, for the deadline.
    pub now: NaiveDateTime,
}

/// An acknowledgement to keep.
#[derive(Clone, Debug)]
pub struct AckWrite {
    pub ack: AckPut,
    /// SHA-256 of the family's secret.
    pub secret_hash: [u8; 32],
}

/// Why a write was refused; nothing of it was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The family id was first used with another secret.
    OtherFamily,
    /// The RSVP breaks one of core's rules (deadline, places, people).
    Rsvp(RsvpError),
    /// No agreement with this version was ever published.
    UnknownAgreement,
    /// Another family already uses this answer's id (ids are made on the phone).
    RsvpIdTaken,
}

/// What became of a publication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Publication {
    /// Published.
    Published,
    /// `If-Match` named another ETag than the one published now; nothing changed.
    Stale,
    /// Refused by a rule that keeps what families read and answered; nothing changed.
    Refused(Conflict),
}

/// Why a publication was refused: the field, and a Dutch message for the school.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Conflict {
    /// The field that would change what families read or answered.
    pub field: String,
    /// What to do instead, in Dutch.
    pub message: String,
}

/// Whether the store can be used now (`GET /readyz`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readiness {
    /// A read of the database succeeded.
    pub readable: bool,
    /// A write that needs a fresh page (as a new answer does) was committed.
    pub writable: bool,
}

/// How many families acknowledged one agreement version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreementAcks {
    pub version: u32,
    pub published: NaiveDate,
    pub families: u64,
}

/// What the sync endpoint needs from its storage.
pub trait Store: Send + Sync + 'static {
    /// Creates a school with the SHA-256 hashes of its access code and admin token.
    fn create_school(
        &self,
        id: &str,
        name: &str,
        access_hash: &[u8; 32],
        admin_hash: &[u8; 32],
    ) -> Result<(), StoreError>;
    /// The school with its published content, if it exists.
    fn school(&self, id: &str) -> Result<Option<SchoolRow>, StoreError>;
    /// The school without its content (cheap, never waits for a long read), if it exists.
    fn school_meta(&self, id: &str) -> Result<Option<SchoolMeta>, StoreError>;
    /// A number that changes whenever a school may have changed, by this process or another
    /// (`content import`, `school new-code` on a running server); cheap, never waits for a long
    /// read. Memory caches compare it to know when to look again.
    fn schools_version(&self) -> Result<u64, StoreError>;
    /// Replaces the school's access code hash and/or admin token hash; `false` when there is no
    /// such school. The old code stops working at once.
    fn set_hashes(
        &self,
        id: &str,
        access_hash: Option<&[u8; 32]>,
        admin_hash: Option<&[u8; 32]>,
    ) -> Result<bool, StoreError>;
    /// Publishes content (already validated) with its ETag, checked in one transaction: with
    /// `if_match`, only over that ETag; the agreement by core's
    /// [`check_publish`](driehoek_core::agreement::check_publish) against the highest version
    /// ever published (every version's text is kept); no activity that families answered and
    /// that has not ended by `now` (local time) disappears unless it was published as cancelled;
    /// no activity id used before comes back for another activity.
    fn publish(
        &self,
        id: &str,
        content: &Content,
        etag: &str,
        if_match: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<Publication, StoreError>;
    /// Applies one RSVP version with core's rule ([`apply`]) per (school, family, activity):
    /// registers the family's secret on first use, and checks core's RSVP rules when the version
    /// would be kept. Durable when the [`Written`] gives `Ok(Ok(_))`.
    fn put_rsvp(&self, school: &str, write: RsvpWrite)
        -> Written<Result<RsvpPutResponse, Refused>>;
    /// Applies one acknowledgement with [`apply`] per (school, family, agreement version).
    /// Durable when the [`Written`] gives `Ok(Ok(_))`.
    fn put_ack(&self, school: &str, write: AckWrite) -> Written<Result<AckPutResponse, Refused>>;
    /// Every kept RSVP of a school, with its family id and names, by activity and family.
    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError>;
    /// Per published agreement version (oldest first), how many families acknowledged it.
    fn acknowledgements(&self, school: &str) -> Result<Vec<AgreementAcks>, StoreError>;
    /// Whether the store can be read and written now; it writes (and removes) a probe.
    fn readiness(&self) -> Readiness;
}

/// A write under way: `.await` it in async code, [`Written::wait`] elsewhere. It gives the
/// outcome once the write is durable (or has failed); dropping it does not undo the write.
#[must_use = "the outcome is known only when the write is awaited"]
pub struct Written<T>(tokio::sync::oneshot::Receiver<Result<T, StoreError>>);

impl<T> Written<T> {
    /// A write with a known outcome (a backend that writes synchronously, or a failure).
    pub fn done(result: Result<T, StoreError>) -> Self {
        let (reply, written) = Self::channel();
        let _ = reply.send(result);
        written
    }

    fn channel() -> (tokio::sync::oneshot::Sender<Result<T, StoreError>>, Self) {
        let (reply, answer) = tokio::sync::oneshot::channel();
        (reply, Written(answer))
    }

    /// Blocks the thread until the write is durable (or has failed).
    pub fn wait(mut self) -> Result<T, StoreError> {
        struct Unpark(std::thread::Thread);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            match Pin::new(&mut self.0).poll(&mut cx) {
                Poll::Ready(answer) => return answer.unwrap_or_else(|_| Err(stopped())),
                Poll::Pending => std::thread::park(),
            }
        }
    }
}

impl<T> Future for Written<T> {
    type Output = Result<T, StoreError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|answer| answer.unwrap_or_else(|_| Err(stopped())))
    }
}

fn stopped() -> StoreError {
    StoreError {
        message: "the database writer has stopped".into(),
        unavailable: true,
    }
}

/// A school as stored.
#[derive(Clone, Debug)]
pub struct SchoolRow {
    pub id: String,
    pub name: String,
    pub access_hash: Vec<u8>,
    pub admin_hash: Vec<u8>,
    /// The published content (JSON) and its ETag; `None` before the first publication.
    pub content: Option<(String, String)>,
}

/// A school without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolMeta {
    pub id: String,
    pub name: String,
    pub access_hash: Vec<u8>,
    pub admin_hash: Vec<u8>,
    /// The ETag of the published content; `None` before the first publication.
    pub etag: Option<String>,
}

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
];

/// The most writes one transaction takes.
const MAX_GROUP: usize = 512;

/// SQLite: a writer thread with its own connection, one connection for reads, and one for the
/// tiny reads that requests make inline ([`Store::schools_version`], [`Store::school_meta`]), so
/// that those never wait behind a long read. For a database in memory, all three are one.
pub struct SqliteStore {
    read: Arc<Mutex<Connection>>,
    meta: Arc<Mutex<Connection>>,
    jobs: Option<Sender<Box<dyn Job>>>,
    writer: Option<std::thread::JoinHandle<()>>,
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
        // Not bounded: every write waiting is a request waiting for its answer, and a connection
        // has one request under way at a time, so the connections bound the queue.
        let (jobs, queue) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run_writer(&write, &queue))
            .map_err(|e| StoreError::new(e.to_string()))?;
        Ok(SqliteStore {
            read,
            meta,
            jobs: Some(jobs),
            writer: Some(writer),
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

    /// Queues `work` for the next group's transaction; the [`Written`] gives its outcome once
    /// that is committed.
    fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Written<T> {
        let (reply, written) = Written::channel();
        let job: Box<dyn Job> = Box::new(Queued {
            work: Some(work),
            result: None,
            reply,
        });
        match &self.jobs {
            // A failed send drops the job and its reply: the Written then says "stopped".
            Some(jobs) => {
                let _ = jobs.send(job);
            }
            None => drop(job),
        }
        written
    }

    /// Runs `work` in the next group's transaction and waits until that is committed.
    fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.submit(work).wait()
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Closing the queue ends the writer after the writes under way; then the file is closed.
        drop(self.jobs.take());
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
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

fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, StoreError> {
    conn.lock()
        .map_err(|_| StoreError::new("database lock poisoned"))
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

/// One write waiting for its group.
trait Job: Send {
    /// Does the work inside the group's transaction (in a savepoint of its own).
    fn run(&mut self, conn: &Connection);
    /// Answers the caller once the group's transaction is committed (or has failed).
    fn finish(self: Box<Self>, committed: Result<(), StoreError>);
}

struct Queued<T, F> {
    work: Option<F>,
    result: Option<Result<T, StoreError>>,
    reply: tokio::sync::oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> Job for Queued<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, StoreError> + Send,
{
    fn run(&mut self, conn: &Connection) {
        if let Some(work) = self.work.take() {
            self.result = Some(in_savepoint(conn, work));
        }
    }

    fn finish(self: Box<Self>, committed: Result<(), StoreError>) {
        let answer = match (committed, self.result) {
            (Err(err), _) => Err(err),
            (Ok(()), Some(result)) => result,
            (Ok(()), None) => Err(StoreError::new("the write was not run")),
        };
        // The caller may have gone (its request was cancelled): nothing to answer then.
        let _ = self.reply.send(answer);
    }
}

fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    match work(conn) {
        Ok(value) => {
            conn.prepare_cached("RELEASE job")?.execute([])?;
            Ok(value)
        }
        Err(err) => {
            let _ = conn.execute_batch("ROLLBACK TO job; RELEASE job");
            Err(err)
        }
    }
}

/// The writer thread: takes every write waiting (up to [`MAX_GROUP`]), runs them in one
/// transaction, commits (one fsync for the group), then answers each.
fn run_writer(conn: &Mutex<Connection>, queue: &Receiver<Box<dyn Job>>) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let committed = match lock(conn) {
            Ok(conn) => commit_group(&conn, &mut group),
            Err(err) => Err(err),
        };
        for job in group {
            job.finish(committed.clone());
        }
    }
}

fn commit_group(conn: &Connection, group: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    for job in group.iter_mut() {
        job.run(conn);
    }
    // On some errors (SQLITE_FULL, an I/O error) SQLite rolls the whole transaction back by
    // itself: then nothing of the group was stored, whatever each job's own result said.
    if conn.is_autocommit() {
        return Err(StoreError {
            message: "SQLite rolled the transaction back (a full disk or an I/O error)".into(),
            unavailable: true,
        });
    }
    if let Err(err) = conn.execute_batch("COMMIT") {
        let _ = conn.execute_batch("ROLLBACK");
        return Err(err.into());
    }
    Ok(())
}

/// `Ok(true)` when the family is new, `Ok(false)` when its kept secret matches,
/// `Err(OtherFamily)` otherwise. Writes nothing.
fn family_is_new(
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

fn add_family(
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

fn write_rsvp(
    conn: &Connection,
    school: &str,
    write: &RsvpWrite,
) -> Result<Result<RsvpPutResponse, Refused>, StoreError> {
    let put = &write.put;
    let new_family = match family_is_new(conn, school, &put.family_id, &write.secret_hash)? {
        Ok(new) => new,
        Err(refused) => return Ok(Err(refused)),
    };
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
    let current: Option<Rsvp> = current.map(|s| serde_json::from_str(&s)).transpose()?;
    // The one apply rule, from core (the simulation proves it exactly-once).
    let outcome = apply(current.as_ref(), &put.rsvp);
    if outcome != Outcome::Stored {
        // A retry, or an older version: answered with what is kept, whatever the date now.
        let kept = current.unwrap_or_else(|| put.rsvp.clone());
        return Ok(Ok(RsvpPutResponse { outcome, kept }));
    }
    // Only a version that will be kept must follow the rules; the places are counted here, in
    // the same transaction, so two families cannot both take the last place.
    let taken = if write.activity.capacity.is_some() {
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
            &write.activity.id,
            &put.family_id,
        )
    } else {
        0
    };
    // Checked, but kept as sent: the phone compares the kept version with its own.
    if let Err(err) = put.rsvp.clone().check(&write.activity, write.now, taken) {
        return Ok(Err(Refused::Rsvp(err)));
    }
    if new_family {
        add_family(conn, school, &put.family_id, &write.secret_hash)?;
    }
    conn.prepare_cached(
        "INSERT INTO rsvps (school, family_id, activity_id, names, rsvp, updated_at, rsvp_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (school, family_id, activity_id)
         DO UPDATE SET names = ?4, rsvp = ?5, updated_at = ?6, rsvp_id = ?7",
    )?
    .execute(params![
        school,
        put.family_id,
        put.rsvp.activity_id,
        put.names,
        serde_json::to_string(&put.rsvp)?,
        put.rsvp.updated_at,
        put.rsvp.id
    ])?;
    Ok(Ok(RsvpPutResponse {
        outcome,
        kept: put.rsvp.clone(),
    }))
}

fn write_ack(
    conn: &Connection,
    school: &str,
    write: &AckWrite,
) -> Result<Result<AckPutResponse, Refused>, StoreError> {
    let ack = &write.ack;
    let new_family = match family_is_new(conn, school, &ack.family_id, &write.secret_hash)? {
        Ok(new) => new,
        Err(refused) => return Ok(Err(refused)),
    };
    let text: Option<String> = conn
        .prepare_cached("SELECT agreement FROM agreements WHERE school = ?1 AND version = ?2")?
        .query_row(params![school, ack.agreement_version], |row| row.get(0))
        .optional()?;
    let Some(text) = text else {
        return Ok(Err(Refused::UnknownAgreement));
    };
    let current: Option<String> = conn
        .prepare_cached(
            "SELECT ack FROM acknowledgements
             WHERE school = ?1 AND family_id = ?2 AND agreement_version = ?3",
        )?
        .query_row(
            params![school, ack.family_id, ack.agreement_version],
            |row| row.get(0),
        )
        .optional()?;
    let current: Option<AckPut> = current.map(|s| serde_json::from_str(&s)).transpose()?;
    let outcome = apply(current.as_ref(), ack);
    if outcome != Outcome::Stored {
        let kept = current.unwrap_or_else(|| ack.clone());
        return Ok(Ok(AckPutResponse { outcome, kept }));
    }
    if new_family {
        add_family(conn, school, &ack.family_id, &write.secret_hash)?;
    }
    conn.prepare_cached(
        "INSERT INTO acknowledgements
            (school, family_id, agreement_version, ack, updated_at, agreement_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (school, family_id, agreement_version)
         DO UPDATE SET ack = ?4, updated_at = ?5, agreement_sha256 = ?6",
    )?
    .execute(params![
        school,
        ack.family_id,
        ack.agreement_version,
        serde_json::to_string(ack)?,
        ack.updated_at,
        agreement_sha256(&text)
    ])?;
    Ok(Ok(AckPutResponse {
        outcome,
        kept: ack.clone(),
    }))
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
        self.submit(move |conn| write_rsvp(conn, &school, &write))
    }

    fn put_ack(&self, school: &str, write: AckWrite) -> Written<Result<AckPutResponse, Refused>> {
        let school = school.to_owned();
        self.submit(move |conn| write_ack(conn, &school, &write))
    }

    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT family_id, names, rsvp FROM rsvps WHERE school = ?1
             ORDER BY activity_id, family_id",
        )?;
        let rows = stmt.query_map(params![school], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (family_id, names, rsvp) = row?;
            out.push(RsvpPut {
                family_id,
                names,
                rsvp: serde_json::from_str(&rsvp)?,
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
                    (SELECT COUNT(*) FROM acknowledgements k
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
            });
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
