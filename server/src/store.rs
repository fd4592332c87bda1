//! The server's storage, behind [`Store`] so that a PostgreSQL backend can follow; SQLite
//! ([`SqliteStore`]) by default: one file, WAL, `synchronous=FULL`, versioned migrations.
//!
//! Every call blocks: async handlers run them with `tokio::task::spawn_blocking`.

use std::path::Path;
use std::sync::Mutex;

use driehoek_core::sync::{apply, Outcome, RsvpPut, RsvpPutResponse};
use driehoek_core::{Content, Rsvp};
use rusqlite::{params, Connection, OptionalExtension};

/// A storage failure; its text is logged, never sent to a client.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        StoreError(err.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError(err.to_string())
    }
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
    /// The school, if it exists.
    fn school(&self, id: &str) -> Result<Option<SchoolRow>, StoreError>;
    /// Publishes content (already validated) with its ETag; keeps every agreement version.
    fn publish(&self, id: &str, content: &Content, etag: &str) -> Result<(), StoreError>;
    /// Registers the family's secret hash on first use; `false` when it differs from the kept one.
    fn check_family(
        &self,
        school: &str,
        family_id: &str,
        secret_hash: &[u8; 32],
    ) -> Result<bool, StoreError>;
    /// Applies one RSVP version with core's rule ([`apply`]) per (school, family, activity) and
    /// returns what was done and the kept version. Durable when it returns.
    fn put_rsvp(&self, school: &str, put: &RsvpPut) -> Result<RsvpPutResponse, StoreError>;
    /// Every kept RSVP of a school, with its family id and names.
    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError>;
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
];

/// SQLite: one connection behind a mutex (SQLite writes one at a time anyway).
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the database file and runs the migrations it lacks.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::init(Connection::open(path)?)
    }

    /// A database in memory, for serving the app without a school.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
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
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| StoreError("database lock poisoned".into()))
    }
}

impl Store for SqliteStore {
    fn create_school(
        &self,
        id: &str,
        name: &str,
        access_hash: &[u8; 32],
        admin_hash: &[u8; 32],
    ) -> Result<(), StoreError> {
        self.lock()?.execute(
            "INSERT INTO schools (id, name, access_hash, admin_hash) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, &access_hash[..], &admin_hash[..]],
        )?;
        Ok(())
    }

    fn school(&self, id: &str) -> Result<Option<SchoolRow>, StoreError> {
        Ok(self
            .lock()?
            .query_row(
                "SELECT id, name, access_hash, admin_hash, content, etag FROM schools WHERE id = ?1",
                params![id],
                |row| {
                    let content: Option<String> = row.get(4)?;
                    let etag: Option<String> = row.get(5)?;
                    Ok(SchoolRow {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        access_hash: row.get(2)?,
                        admin_hash: row.get(3)?,
                        content: content.zip(etag),
                    })
                },
            )
            .optional()?)
    }

    fn publish(&self, id: &str, content: &Content, etag: &str) -> Result<(), StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE schools SET content = ?2, etag = ?3 WHERE id = ?1",
            params![id, serde_json::to_string(content)?, etag],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO agreements (school, version, agreement) VALUES (?1, ?2, ?3)",
            params![
                id,
                content.agreement.version,
                serde_json::to_string(&content.agreement)?
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn check_family(
        &self,
        school: &str,
        family_id: &str,
        secret_hash: &[u8; 32],
    ) -> Result<bool, StoreError> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT OR IGNORE INTO families (school, family_id, secret_hash) VALUES (?1, ?2, ?3)",
            params![school, family_id, &secret_hash[..]],
        )?;
        let kept: Vec<u8> = conn.query_row(
            "SELECT secret_hash FROM families WHERE school = ?1 AND family_id = ?2",
            params![school, family_id],
            |row| row.get(0),
        )?;
        Ok(subtle::ConstantTimeEq::ct_eq(&kept[..], &secret_hash[..]).into())
    }

    fn put_rsvp(&self, school: &str, put: &RsvpPut) -> Result<RsvpPutResponse, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: Option<String> = tx
            .query_row(
                "SELECT rsvp FROM rsvps WHERE school = ?1 AND family_id = ?2 AND activity_id = ?3",
                params![school, put.family_id, put.rsvp.activity_id],
                |row| row.get(0),
            )
            .optional()?;
        let current: Option<Rsvp> = current.map(|s| serde_json::from_str(&s)).transpose()?;
        // The one apply rule, from core (the simulation proves it exactly-once).
        let outcome = apply(current.as_ref(), &put.rsvp);
        let kept = if outcome == Outcome::Stored {
            tx.execute(
                "INSERT INTO rsvps (school, family_id, activity_id, names, rsvp, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (school, family_id, activity_id)
                 DO UPDATE SET names = ?4, rsvp = ?5, updated_at = ?6",
                params![
                    school,
                    put.family_id,
                    put.rsvp.activity_id,
                    put.names,
                    serde_json::to_string(&put.rsvp)?,
                    put.rsvp.updated_at
                ],
            )?;
            put.rsvp.clone()
        } else {
            current.unwrap_or_else(|| put.rsvp.clone())
        };
        tx.commit()?;
        Ok(RsvpPutResponse { outcome, kept })
    }

    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
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
}
