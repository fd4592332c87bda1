//! The PostgreSQL backend of [`Store`](super::Store), for a host that runs several servers on
//! one database (`--db postgres://…`).
//!
//! Every rule is the one in `sql.rs`; what makes it hold with several servers writing at once:
//! - **each write first takes the locks of what it decides on**, as transaction-level advisory
//!   locks (`pg_advisory_xact_lock` on the hash of each key, all of a write's locks in
//!   ascending order, so that two writes never wait for each other in a circle): its natural key (a family's answer to an activity,
//!   an acknowledgement, a report, a booking id), its family (registered on first use), and
//!   what its check reads that other families write: an activity with a limit on places, a
//!   round's slots, a school's publication. Then it runs at `READ COMMITTED`: every statement
//!   after the lock sees all that the previous holder committed. Writes of other keys go on
//!   side by side;
//! - **the schema's keys say it again**: the natural keys are primary keys (one version per
//!   answer), `UNIQUE (school, round_id, slot_id)` (no slot holds two bookings) and a partial
//!   unique index (one talk per child and round), whatever the code above decides;
//! - a transaction that still collides (a deadlock, 40P01, or a serialization failure, 40001)
//!   is run again, up to [`ATTEMPTS`] times, and one that lost its connection before the commit
//!   once on a new connection; past that the client is told to try again later (503).
//!
//! Why not `SERIALIZABLE`: it was the first version, and correct, but its predicate locks made
//! two answers to one activity conflict whenever the planner read a range or the whole table
//! (a new, small table): two servers took 240 RSVPs a second with 0.5 % given up after 30
//! attempts. The locks say exactly what conflicts.
//!
//! Reads are `REPEATABLE READ, READ ONLY` transactions (one snapshot per call). The migrations
//! are versioned in `driehoek_schema` and run at start under an advisory lock, so that servers
//! starting together run them once. `schools_version` is a counter that a trigger raises on
//! every change to `schools`, by any server: the content caches compare it.

use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, Config, IsolationLevel, NoTls, Statement, Transaction};

use super::db::{numbered_as_dollars, Arg, Db, Row, Value};
use super::sql::Backend;
use super::{StoreError, Written};

/// The migrations, in order; `driehoek_schema.version` says how many have run. The columns are
/// those of the SQLite schema (`sqlite.rs`), in PostgreSQL's types: TEXT with the byte order
/// of SQLite (`COLLATE "C"`), BIGINT for every integer, BYTEA for the hashes.
const MIGRATIONS: &[&str] = &[
    // 1: the whole schema of SQLite's migrations 1 to 7.
    r#"CREATE TABLE schools (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        access_hash BYTEA NOT NULL,
        admin_hash BYTEA NOT NULL,
        content TEXT COLLATE "C",
        etag TEXT COLLATE "C"
     );
     CREATE TABLE families (
        school TEXT COLLATE "C" NOT NULL REFERENCES schools(id),
        family_id TEXT COLLATE "C" NOT NULL,
        secret_hash BYTEA NOT NULL,
        PRIMARY KEY (school, family_id)
     );
     CREATE TABLE rsvps (
        school TEXT COLLATE "C" NOT NULL,
        family_id TEXT COLLATE "C" NOT NULL,
        activity_id TEXT COLLATE "C" NOT NULL,
        names TEXT COLLATE "C" NOT NULL,
        rsvp TEXT COLLATE "C" NOT NULL,
        updated_at BIGINT NOT NULL,
        rsvp_id TEXT COLLATE "C",
        children TEXT COLLATE "C" NOT NULL DEFAULT '[]',
        PRIMARY KEY (school, family_id, activity_id)
     );
     CREATE INDEX rsvps_by_activity ON rsvps (school, activity_id);
     CREATE INDEX rsvps_by_rsvp_id ON rsvps (school, rsvp_id);
     CREATE TABLE agreements (
        school TEXT COLLATE "C" NOT NULL,
        version BIGINT NOT NULL,
        agreement TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (school, version)
     );
     CREATE TABLE acknowledgements (
        school TEXT COLLATE "C" NOT NULL,
        family_id TEXT COLLATE "C" NOT NULL,
        agreement_version BIGINT NOT NULL,
        name TEXT COLLATE "C" NOT NULL,
        ack TEXT COLLATE "C" NOT NULL,
        updated_at BIGINT NOT NULL,
        agreement_sha256 TEXT COLLATE "C",
        PRIMARY KEY (school, family_id, agreement_version, name)
     );
     CREATE INDEX acknowledgements_by_version ON acknowledgements (school, agreement_version);
     CREATE TABLE activity_ids (
        school TEXT COLLATE "C" NOT NULL,
        activity_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (school, activity_id)
     );
     CREATE TABLE probe (id BIGSERIAL PRIMARY KEY, filler BYTEA);
     CREATE TABLE family_profiles (
        school TEXT COLLATE "C" NOT NULL,
        family_id TEXT COLLATE "C" NOT NULL,
        profile TEXT COLLATE "C" NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (school, family_id)
     );
     CREATE TABLE absences (
        school TEXT COLLATE "C" NOT NULL,
        absence_id TEXT COLLATE "C" NOT NULL,
        family_id TEXT COLLATE "C" NOT NULL,
        absence TEXT COLLATE "C" NOT NULL,
        updated_at BIGINT NOT NULL,
        first_day TEXT COLLATE "C" NOT NULL,
        last_day TEXT COLLATE "C" NOT NULL,
        withdrawn BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        PRIMARY KEY (school, absence_id)
     );
     CREATE INDEX absences_by_day ON absences (school, last_day, first_day);
     CREATE TABLE bookings (
        school TEXT COLLATE "C" NOT NULL,
        booking_id TEXT COLLATE "C" NOT NULL,
        family_id TEXT COLLATE "C" NOT NULL,
        round_id TEXT COLLATE "C" NOT NULL,
        child_key TEXT COLLATE "C" NOT NULL,
        booking TEXT COLLATE "C" NOT NULL,
        updated_at BIGINT NOT NULL,
        slot_id TEXT COLLATE "C",
        slot TEXT COLLATE "C",
        by_school BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (school, booking_id),
        UNIQUE (school, round_id, slot_id)
     );
     CREATE UNIQUE INDEX bookings_one_per_child
        ON bookings (school, round_id, family_id, child_key) WHERE slot_id IS NOT NULL;
     CREATE INDEX bookings_by_family ON bookings (school, family_id, round_id);
     CREATE TABLE blocked_slots (
        school TEXT COLLATE "C" NOT NULL,
        round_id TEXT COLLATE "C" NOT NULL,
        slot_id TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (school, round_id, slot_id)
     );
     CREATE TABLE schools_version (n BIGINT NOT NULL);
     INSERT INTO schools_version (n) VALUES (0);
     CREATE FUNCTION driehoek_schools_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE schools_version SET n = n + 1;
            RETURN NULL;
        END
     $$;
     CREATE TRIGGER schools_changed AFTER INSERT OR UPDATE OR DELETE ON schools
        FOR EACH STATEMENT EXECUTE FUNCTION driehoek_schools_changed();"#,
];

/// The key of the advisory lock the migrations run under ("driehoek" in ASCII).
const MIGRATION_LOCK: i64 = 0x6472_6965_686f_656b;

/// Writer threads, each with its own connection: the writes one server runs at once.
const WRITERS: usize = 8;

/// Reader threads, each with its own connection.
const READERS: usize = 8;

/// How often a write that lost a race with another transaction is run.
pub const ATTEMPTS: u32 = 30;

/// PostgreSQL: three pools of threads, each thread with its own connection (opened again when
/// lost): [`WRITERS`] for writes, [`READERS`] for reads, and one for the tiny reads every
/// request makes. Every call runs on these threads, never on the caller's: the blocking client
/// runs a small runtime of its own, which cannot run on an async runtime's thread.
pub struct PostgresStore {
    writes: Workers,
    reads: Workers,
    meta: Workers,
}

/// Threads that take jobs from one queue.
struct Workers {
    jobs: Option<Sender<Job>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Workers {
    fn start(name: &str, count: usize, config: &Config) -> Result<Workers, StoreError> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let mut threads = Vec::with_capacity(count);
        for i in 0..count {
            let (queue, config) = (queue.clone(), config.clone());
            threads.push(
                std::thread::Builder::new()
                    .name(format!("postgres-{name}-{i}"))
                    .spawn(move || run_worker(&config, &queue))
                    .map_err(|e| StoreError::new(e.to_string()))?,
            );
        }
        Ok(Workers {
            jobs: Some(jobs),
            threads,
        })
    }

    /// Queues a job; a failed send drops it (and its reply: the caller then hears "stopped").
    fn submit(&self, job: Job) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(job);
        }
    }

    /// Runs `work` on one of the threads and waits for its outcome.
    fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Conn) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.submit(Box::new(move |conn| {
            let _ = reply.send(conn.and_then(work));
        }));
        answer.recv().unwrap_or_else(|_| Err(super::stopped()))
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        // Closing the queue ends each thread after the jobs under way.
        drop(self.jobs.take());
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// A write waiting for a writer thread: it gets the thread's connection, or why there is none.
type Job = Box<dyn FnOnce(Result<&mut Conn, StoreError>) + Send>;

/// One connection with its prepared statements (by the text as written in `sql.rs`), and how
/// to open it again.
struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
    config: Config,
}

impl From<postgres::Error> for StoreError {
    fn from(err: postgres::Error) -> Self {
        StoreError {
            unavailable: passes(&err),
            message: err.to_string(),
        }
    }
}

/// A failure that trying again later can mend: the connection (class 08, or no SQLSTATE: the
/// socket), too few resources (53: a full disk, too many connections), a server shutting down
/// (57P), a race lost too often (40001, 40P01), a standby that cannot write (25006), a
/// statement or lock that took too long (57014, 55P03).
fn passes(err: &postgres::Error) -> bool {
    match err.code() {
        None => true,
        Some(state) => {
            let code = state.code();
            code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57P")
                || code == "40001"
                || code == "40P01"
                || code == "25006"
                || code == "57014"
                || code == "55P03"
        }
    }
}

/// Why a transaction failed, for whether to run it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    /// It lost a race with another transaction (40001, 40P01): run it again.
    Race,
    /// The connection was lost before the transaction was committed (a database restarted or
    /// failed over, a connection ended by an administrator): nothing of it was kept, so it is
    /// run again on a new connection.
    Connection,
    /// Anything else (a failure at the commit itself may or may not have kept it: never run
    /// again, the client tries later and the apply rule makes that harmless).
    Other,
}

fn failure(err: &postgres::Error) -> Failure {
    match err.code().map(|state| state.code()) {
        Some("40001" | "40P01") => Failure::Race,
        Some(code) if code.starts_with("08") || code.starts_with("57P") => Failure::Connection,
        None if err.is_closed() => Failure::Connection,
        _ => Failure::Other,
    }
}

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Arg::Null => Ok(IsNull::Yes),
            Arg::Int(n) if *ty == Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
            Arg::Int(n) if *ty == Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
            Arg::Int(n) => n.to_sql(ty, out),
            Arg::Text(text) => text.to_sql(ty, out),
            Arg::Bytes(bytes) => bytes.to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [
            Type::INT2,
            Type::INT4,
            Type::INT8,
            Type::TEXT,
            Type::VARCHAR,
            Type::BYTEA,
        ]
        .contains(ty)
    }

    to_sql_checked!();
}

/// A PostgreSQL transaction as a [`Db`]; it remembers why its first statement that failed did.
struct PgTx<'a, 'c> {
    tx: &'a mut Transaction<'c>,
    statements: &'a mut HashMap<String, Statement>,
    failure: Option<Failure>,
}

impl PgTx<'_, '_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self
            .tx
            .prepare(&numbered_as_dollars(sql))
            .map_err(|e| self.failed(e))?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn failed(&mut self, err: postgres::Error) -> StoreError {
        self.failure.get_or_insert(failure(&err));
        err.into()
    }
}

impl Db for PgTx<'_, '_> {
    fn lock(&mut self, keys: &[String]) -> Result<(), StoreError> {
        // Transaction-level advisory locks on the 64-bit hashes of the keys, in ascending order,
        // in one round trip; released at commit or rollback. Two keys with one hash only wait
        // for each other: never wrong.
        let mut hashes: Vec<i64> = keys.iter().map(|key| lock_hash(key)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        if hashes.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = hashes.iter().map(i64::to_string).collect();
        self.query(
            "SELECT count(pg_advisory_xact_lock(h)) FROM (
                SELECT h FROM unnest(string_to_array(?1, ',')::bigint[]) WITH ORDINALITY AS k(h, n)
                ORDER BY n
             ) AS ordered",
            &[Arg::Text(&list.join(","))],
        )
        .map(drop)
    }

    fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, StoreError> {
        let statement = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> =
            args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        let rows = self
            .tx
            .query(&statement, &params)
            .map_err(|e| self.failed(e))?;
        rows.iter().map(row_values).collect()
    }

    fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let statement = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> =
            args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
        self.tx
            .execute(&statement, &params)
            .map_err(|e| self.failed(e))
    }
}

/// The advisory lock of a key: the first 8 bytes of its SHA-256.
fn lock_hash(key: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// A row's columns as [`Value`]s, by the column's type.
fn row_values(row: &postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map(|n| Value::Int(n.into()))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?
                .map(|n| Value::Int(n.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?
                .map(|b| Value::Int(b.into()))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes)
        } else {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl Conn {
    fn open(config: &Config) -> Result<Conn, StoreError> {
        let mut client = config.connect(NoTls)?;
        // A database that hangs (a full disk it cannot say so on, a lock held by a stuck
        // session) must not hold a writer for ever: the write fails, the phone tries later.
        client.batch_execute("SET statement_timeout = '30s'; SET lock_timeout = '10s'")?;
        Ok(Conn {
            client,
            statements: HashMap::new(),
            config: config.clone(),
        })
    }

    /// Runs `work` in one transaction at `level`: committed when `work` succeeds, rolled back
    /// when it fails; on failure, why.
    fn transaction<T>(
        &mut self,
        level: IsolationLevel,
        read_only: bool,
        work: impl FnOnce(&mut dyn Db) -> Result<T, StoreError>,
    ) -> Result<T, (StoreError, Failure)> {
        let Conn {
            client, statements, ..
        } = self;
        let mut tx = client
            .build_transaction()
            .isolation_level(level)
            .read_only(read_only)
            .start()
            .map_err(|e| {
                let why = failure(&e);
                (StoreError::from(e), why)
            })?;
        let mut db = PgTx {
            tx: &mut tx,
            statements,
            failure: None,
        };
        let result = work(&mut db);
        let why = db.failure.unwrap_or(Failure::Other);
        match result {
            Ok(value) => match tx.commit() {
                Ok(()) => Ok(value),
                Err(err) => {
                    // Lost at the commit: it may have been kept, so it is not run again.
                    let why = match failure(&err) {
                        Failure::Race => Failure::Race,
                        _ => Failure::Other,
                    };
                    Err((err.into(), why))
                }
            },
            // Dropping the transaction rolls it back.
            Err(err) => Err((err, why)),
        }
    }

    /// Runs `work` in a transaction, again from the start while it loses races (up to
    /// [`ATTEMPTS`]), and once more on a new connection when the connection was lost before
    /// the commit.
    fn run<T>(
        &mut self,
        level: IsolationLevel,
        read_only: bool,
        work: &dyn Fn(&mut dyn Db) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let (mut attempt, mut reconnected) = (0, false);
        loop {
            attempt += 1;
            match self.transaction(level, read_only, work) {
                Ok(value) => return Ok(value),
                Err((err, Failure::Race)) if attempt < ATTEMPTS => {
                    // A short wait that grows and differs per thread, so that the two
                    // transactions that collided do not collide again.
                    let jitter = u64::from(std::process::id() ^ attempt) % 3;
                    std::thread::sleep(Duration::from_millis(u64::from(attempt) + jitter));
                    tracing::debug!(attempt, error = %err, "lost a race; run again");
                }
                Err((err, Failure::Connection)) if !reconnected => {
                    tracing::warn!(error = %err, "the connection to PostgreSQL was lost; again on a new one");
                    reconnected = true;
                    *self = Conn::open(&self.config)?;
                }
                Err((err, _)) => return Err(err),
            }
        }
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/database`) and runs the
    /// migrations it lacks.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut config: Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::new(format!("not a PostgreSQL address: {e}"))
        })?;
        if config.get_application_name().is_none() {
            config.application_name("driehoek-server");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        // On a thread of its own: the caller may be an async runtime's thread.
        let migrating = config.clone();
        std::thread::spawn(move || migrate(&mut Conn::open(&migrating)?.client))
            .join()
            .map_err(|_| StoreError::new("the migrations panicked"))??;
        Ok(PostgresStore {
            writes: Workers::start("writer", WRITERS, &config)?,
            reads: Workers::start("reader", READERS, &config)?,
            meta: Workers::start("meta", 1, &config)?,
        })
    }
}

/// Runs the migrations the database lacks, under an advisory lock (servers starting together
/// wait for the first).
fn migrate(client: &mut Client) -> Result<(), StoreError> {
    client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])?;
    let result = (|| -> Result<(), StoreError> {
        client.batch_execute(
            "CREATE TABLE IF NOT EXISTS driehoek_schema (version BIGINT NOT NULL);
             INSERT INTO driehoek_schema (version)
                SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM driehoek_schema);",
        )?;
        let done: i64 = client
            .query_one("SELECT version FROM driehoek_schema", &[])?
            .get(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
            let mut tx = client.transaction()?;
            tx.batch_execute(sql)?;
            tx.execute(
                "UPDATE driehoek_schema SET version = $1",
                &[&(i as i64 + 1)],
            )?;
            tx.commit()?;
        }
        Ok(())
    })();
    client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])?;
    result
}

/// A worker thread: takes the next job from the queue and runs it on its own connection, opened
/// again when it was lost.
fn run_worker(config: &Config, queue: &Mutex<Receiver<Job>>) {
    let mut conn: Option<Conn> = None;
    loop {
        let job = match queue.lock() {
            Ok(queue) => match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
            Err(_) => return,
        };
        if conn.as_ref().is_some_and(|c| c.client.is_closed()) {
            conn = None;
        }
        if conn.is_none() {
            match Conn::open(config) {
                Ok(opened) => conn = Some(opened),
                Err(err) => {
                    tracing::warn!(error = %err, "cannot connect to PostgreSQL");
                    job(Err(err));
                    continue;
                }
            }
        }
        if let Some(conn) = conn.as_mut() {
            job(Ok(conn));
        }
    }
}

impl Backend for PostgresStore {
    fn read<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.reads
            .run(move |conn| conn.run(IsolationLevel::RepeatableRead, true, &work))
    }

    fn read_meta<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.meta
            .run(move |conn| conn.run(IsolationLevel::ReadCommitted, true, &work))
    }

    fn write<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Written<T> {
        let (reply, written) = Written::channel();
        self.writes.submit(Box::new(move |conn| {
            let result =
                conn.and_then(|conn| conn.run(IsolationLevel::ReadCommitted, false, &work));
            // The caller may have gone (its request was cancelled): nothing to answer then.
            let _ = reply.send(result);
        }));
        written
    }

    fn schools_version(&self) -> Result<u64, StoreError> {
        self.read_meta(|db| {
            db.row("SELECT n FROM schools_version", &[])?
                .map_or(Ok(0), |row| row.uint(0))
        })
    }
}
