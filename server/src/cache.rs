//! The schools in memory: their hashes and their published content, parsed once per publication.
//!
//! A parent's phone asks for the content on every start and every "nu synchroniseren"; almost
//! always the answer is `304`. With this cache such a request reads neither the school's row nor
//! its content. At most every [`PROBE_EVERY`], a request asks the store whether anything changed
//! at all ([`Store::schools_version`], a counter SQLite keeps in shared memory); when something
//! did (an RSVP, most often), the school's small row is compared with the one in memory, and only
//! a changed row is read again in full. So a publication or a new access code takes effect within
//! [`PROBE_EVERY`], also when another process made it (`content import`, `school new-code` on a
//! running server); one made through this server's API takes effect at once. Only schools that
//! exist are kept: the map is as large as the number of schools.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::HeaderValue;
use driehoek_core::Content;

use crate::store::{SchoolMeta, Store, StoreError};

/// The longest a school is served from memory without reading its row again, whatever the
/// store's version says (a safety net for a store whose version misses a change).
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// How often at most the store is asked whether anything changed.
pub const PROBE_EVERY: Duration = Duration::from_millis(10);

/// A school as the handlers need it.
#[derive(Debug)]
pub struct School {
    pub meta: SchoolMeta,
    /// What it published; `None` before its first publication.
    pub published: Option<Arc<Published>>,
}

/// Published content, ready to be sent.
#[derive(Debug)]
pub struct Published {
    /// The JSON as stored (the body of `GET …/content`).
    pub json: Bytes,
    pub etag: String,
    pub etag_header: HeaderValue,
    pub content: Content,
}

#[derive(Clone, Debug)]
struct Entry {
    school: Arc<School>,
    /// The store's version when the school was last compared with it.
    version: u64,
    read_at: Instant,
}

/// The cache of every school asked for.
#[derive(Debug)]
pub struct Schools {
    entries: Mutex<HashMap<String, Entry>>,
    /// When the store's version was last read (µs since `started`), and what it was.
    probed_at: AtomicU64,
    version: AtomicU64,
    started: Instant,
}

impl Default for Schools {
    fn default() -> Self {
        Schools {
            entries: Mutex::default(),
            // Never probed: the first request asks the store.
            probed_at: AtomicU64::new(u64::MAX),
            version: AtomicU64::new(0),
            started: Instant::now(),
        }
    }
}

impl Schools {
    /// The school from memory, when the store confirms that it has not changed; `None` when it
    /// must be [loaded](Schools::load). Cheap enough to call inline in a request: two tiny reads
    /// at most.
    pub fn fresh(&self, store: &dyn Store, id: &str) -> Result<Option<Arc<School>>, StoreError> {
        let Some(entry) = self.entry(id) else {
            return Ok(None);
        };
        if entry.read_at.elapsed() >= FRESH_FOR {
            return Ok(None);
        }
        let version = self.version(store)?;
        if version == entry.version {
            return Ok(Some(entry.school));
        }
        match store.school_meta(id)? {
            Some(meta) if meta == entry.school.meta => {
                self.put(id, entry.school.clone(), version, entry.read_at);
                Ok(Some(entry.school))
            }
            Some(_) => Ok(None),
            None => {
                self.forget(id);
                Ok(None)
            }
        }
    }

    /// The school, read from the store (its content parsed only when it changed); `None` when it
    /// does not exist. Blocks: call it from `spawn_blocking`.
    pub fn load(&self, store: &dyn Store, id: &str) -> Result<Option<Arc<School>>, StoreError> {
        // The version first: a change after this read is seen by the next request.
        let version = store.schools_version()?;
        let Some(row) = store.school(id)? else {
            self.forget(id);
            return Ok(None);
        };
        let etag = row.content.as_ref().map(|(_, etag)| etag.clone());
        let meta = SchoolMeta {
            id: row.id,
            name: row.name,
            access_hash: row.access_hash,
            admin_hash: row.admin_hash,
            etag,
        };
        let cached = self.entry(id).map(|e| e.school);
        let published = match (row.content, cached) {
            // Same publication: keep the parsed content.
            (Some(_), Some(cached)) if cached.meta.etag == meta.etag => cached.published.clone(),
            (Some((json, etag)), _) => {
                let content: Content = serde_json::from_str(&json)?;
                let etag_header =
                    HeaderValue::from_str(&etag).map_err(|e| StoreError::new(e.to_string()))?;
                Some(Arc::new(Published {
                    json: Bytes::from(json),
                    etag,
                    etag_header,
                    content,
                }))
            }
            (None, _) => None,
        };
        let school = Arc::new(School { meta, published });
        self.put(id, school.clone(), version, Instant::now());
        Ok(Some(school))
    }

    /// The store's version, read again when the last read is older than [`PROBE_EVERY`].
    fn version(&self, store: &dyn Store) -> Result<u64, StoreError> {
        let now = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX - 1);
        let probed = self.probed_at.load(Ordering::Acquire);
        let every = u64::try_from(PROBE_EVERY.as_micros()).unwrap_or(u64::MAX);
        if probed != u64::MAX && now.saturating_sub(probed) < every {
            return Ok(self.version.load(Ordering::Acquire));
        }
        let version = store.schools_version()?;
        self.version.store(version, Ordering::Release);
        self.probed_at.store(now, Ordering::Release);
        Ok(version)
    }

    /// Drops the school from memory: the next request reads it from the store.
    pub fn forget(&self, id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(id);
        }
    }

    fn put(&self, id: &str, school: Arc<School>, version: u64, read_at: Instant) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                id.to_owned(),
                Entry {
                    school,
                    version,
                    read_at,
                },
            );
        }
    }

    fn entry(&self, id: &str) -> Option<Entry> {
        self.entries.lock().ok()?.get(id).cloned()
    }
}
