//! What the app keeps in the browser, and how it never loses it.
//!
//! Each kind of record lives under its own key, `driehoek.v1.<kind>`, in an envelope
//! `{ "schema": N, "data": … }`:
//! - missing → the default;
//! - older schema → migrated forward step by step (each step has a test), then written back;
//! - corrupt or of the wrong shape → the raw value is kept under `driehoek.quarantine.<kind>.<n>`,
//!   the app starts with the default and tells the parent; the export includes the quarantined
//!   value;
//! - written by a newer app (a higher schema) → left alone: the app shows the default and refuses
//!   to write that kind, so that an older tab never overwrites a newer one's data;
//! - a failed write (quota, private mode, storage switched off) comes back as a [`StorageError`],
//!   which the app shows to the parent through one path (`crate::app`).
//!
//! The logic is written against [`Backend`], so that it runs natively in tests (on a map with a
//! quota) and in the browser on `localStorage` ([`BrowserStorage`]).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

/// Every key of the app starts with this; erase removes exactly these.
pub const PREFIX: &str = "driehoek.";
const RECORD_PREFIX: &str = "driehoek.v1.";
const QUARANTINE_PREFIX: &str = "driehoek.quarantine.";
/// The format name and version of an export file.
pub const EXPORT_FORMAT: &str = "driehoek-export";
pub const EXPORT_SCHEMA: u32 = 1;

/// Why reading or writing storage failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// The browser gives no storage (private mode, or storage switched off).
    Unavailable,
    /// The storage is full.
    QuotaExceeded,
    /// The stored value was written by a newer version of the app; it is left alone.
    NewerVersion { kind: &'static str },
    /// Any other refusal by the browser.
    Other(String),
}

/// A key-value store: `localStorage` in the browser, a map in tests.
pub trait Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError>;
    fn remove(&self, key: &str) -> Result<(), StorageError>;
    /// Every key in the store.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

/// A kind of record the app keeps.
pub trait Record: Serialize + DeserializeOwned + Default {
    /// The name in the key, `driehoek.v1.<KIND>`.
    const KIND: &'static str;
    /// The schema this version of the app writes.
    const SCHEMA: u32;
    /// Moves `data` from schema `from` to `from + 1`. Only records whose schema has changed
    /// override this.
    fn migrate(from: u32, data: Value) -> Result<Value, String> {
        let _ = data;
        Err(format!("geen omzetting van schema {from}"))
    }
}

/// The stored form of every record, as read: `data` stays unparsed text until the schema is
/// known. Reading and writing go straight between text and the record's type, never through
/// `serde_json::Value`, so each record type has one serializer and one deserializer in the wasm
/// (a `Value` detour doubles them; see shared/PERFORMANCE.md).
#[derive(Deserialize)]
struct Envelope<'a> {
    schema: u32,
    #[serde(borrow)]
    data: &'a RawValue,
}

/// Something the parent should know about what was found in storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The stored value could not be read; it is kept under `key` and the default is used.
    Quarantined { kind: &'static str, key: String },
    /// The stored value is from a newer version of the app; it is left alone.
    Newer { kind: &'static str, schema: u32 },
    /// Storage could not be read at all.
    Unreadable {
        kind: &'static str,
        error: StorageError,
    },
}

/// A record as loaded, with what the parent should be told about it.
pub struct Loaded<T> {
    pub value: T,
    pub notice: Option<Notice>,
}

/// The app's storage: records in envelopes on a [`Backend`].
pub struct Store<B: Backend> {
    backend: B,
    /// Kinds whose stored value is from a newer app: never written by this one.
    locked: RefCell<BTreeSet<&'static str>>,
}

impl<B: Backend> Store<B> {
    pub fn new(backend: B) -> Self {
        Store {
            backend,
            locked: RefCell::default(),
        }
    }

    /// The store underneath.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The key of a kind of record.
    pub fn key(kind: &str) -> String {
        format!("{RECORD_PREFIX}{kind}")
    }

    /// Loads a record: never fails and never panics, whatever is stored (see the module docs).
    pub fn load<R: Record>(&self) -> Loaded<R> {
        // Only the typed parse and the migrated record's write are per record type; reading,
        // the envelope and the notices are one function for all (`load_raw`), so that each kind
        // of record adds little code to the wasm.
        let mut value = None;
        let found = self.load_raw(R::KIND, R::SCHEMA, R::migrate, &mut |text| {
            value = Some(serde_json::from_str::<R>(text).map_err(|e| e.to_string())?);
            Ok(())
        });
        let migrated = matches!(found, Ok(Found::Migrated));
        let value = value.unwrap_or_default();
        if migrated {
            // Written back so that the migration runs once; if the write fails, the same
            // migration simply runs again next time.
            let _ = self.save(&value);
        }
        Loaded {
            value,
            notice: found.err(),
        }
    }

    /// Reads the stored record of `kind` through `read` (which keeps the value), or says what
    /// the parent should be told.
    fn load_raw(
        &self,
        kind: &'static str,
        schema: u32,
        migrate: Migrate,
        read: &mut dyn FnMut(&str) -> Result<(), String>,
    ) -> Result<Found, Notice> {
        let raw = match self.backend.get(&Self::key(kind)) {
            Ok(Some(raw)) => raw,
            Ok(None) => return Ok(Found::Nothing),
            Err(error) => return Err(Notice::Unreadable { kind, error }),
        };
        let read = match stage(&raw, schema, migrate) {
            Ok(Staged::Newer(schema)) => {
                self.locked.borrow_mut().insert(kind);
                return Err(Notice::Newer { kind, schema });
            }
            Ok(Staged::Current(text)) => read(text).map(|()| Found::Current),
            Ok(Staged::Migrated(text)) => read(&text).map(|()| Found::Migrated),
            Err(reason) => Err(reason),
        };
        read.map_err(|_| Notice::Quarantined {
            kind,
            key: self.quarantine(kind, &raw),
        })
    }

    /// Writes a record. Refused for a kind whose stored value is from a newer app.
    pub fn save<R: Record>(&self, value: &R) -> Result<(), StorageError> {
        self.check_writable(R::KIND)?;
        let data = serde_json::to_string(value).map_err(|e| StorageError::Other(e.to_string()))?;
        self.save_raw(R::KIND, R::SCHEMA, &data)
    }

    fn check_writable(&self, kind: &'static str) -> Result<(), StorageError> {
        match self.locked.borrow().contains(kind) {
            true => Err(StorageError::NewerVersion { kind }),
            false => Ok(()),
        }
    }

    /// Writes a record's JSON `data` in its envelope (the same text as serde_json writes for
    /// `EnvelopeOut`).
    fn save_raw(&self, kind: &str, schema: u32, data: &str) -> Result<(), StorageError> {
        let text = format!("{{\"schema\":{schema},\"data\":{data}}}");
        self.backend.set(&Self::key(kind), &text)
    }

    /// Keeps an unreadable value under a quarantine key of its own and returns that key. When
    /// even that write fails (a full storage), the value stays where it was: it is still not
    /// lost, and the next start tries again.
    fn quarantine(&self, kind: &str, raw: &str) -> String {
        let taken: BTreeSet<String> = self
            .backend
            .keys()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let key = (1..)
            .map(|n| format!("{QUARANTINE_PREFIX}{kind}.{n}"))
            .find(|key| !taken.contains(key))
            .unwrap_or_default();
        match self.backend.set(&key, raw) {
            Ok(()) => {
                let _ = self.backend.remove(&Self::key(kind));
                key
            }
            Err(_) => Self::key(kind),
        }
    }

    /// Everything the app keeps, as one JSON document (records and quarantined values).
    pub fn export(&self, exported_at: &str) -> Result<String, StorageError> {
        let mut records = BTreeMap::new();
        let mut quarantine = BTreeMap::new();
        for key in self.backend.keys()? {
            let Some(raw) = self.backend.get(&key)? else {
                continue;
            };
            let record = key
                .strip_prefix(RECORD_PREFIX)
                .and_then(|kind| Some((kind, RawValue::from_string(raw.clone()).ok()?)));
            match record {
                // The record's exact text, so that an import writes back exactly this.
                Some((kind, json)) => {
                    records.insert(kind.to_owned(), json);
                }
                // Quarantined values, and a record that is not even JSON (its quarantine failed
                // because the storage was full), go as plain text under their own key.
                None => {
                    quarantine.insert(key, raw);
                }
            }
        }
        let file = Export {
            format: EXPORT_FORMAT.to_owned(),
            schema: EXPORT_SCHEMA,
            exported_at: exported_at.to_owned(),
            records,
            quarantine,
        };
        serde_json::to_string_pretty(&file).map_err(|e| StorageError::Other(e.to_string()))
    }

    /// Removes everything the app keeps.
    pub fn erase(&self) -> Result<(), StorageError> {
        for key in self.backend.keys()? {
            if key.starts_with(PREFIX) {
                self.backend.remove(&key)?;
            }
        }
        self.locked.borrow_mut().clear();
        Ok(())
    }

    /// Replaces everything the app keeps with an export file. The file is checked whole first
    /// (`check`, with every record kind the app knows); a bad file changes nothing. When a write
    /// fails halfway, what was there before is put back.
    pub fn import(
        &self,
        json: &str,
        check: impl Fn(&str, &str) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let file = ExportFile::read(json)?;
        let mut writes = Vec::new();
        for (kind, envelope) in &file.records {
            let raw = envelope.get().to_owned();
            check(kind, &raw)?;
            writes.push((Self::key(kind), raw));
        }
        for (key, raw) in &file.quarantine {
            if !key.starts_with(PREFIX) {
                return Err(ImportError::NotAnExport);
            }
            writes.push((key.clone(), raw.clone()));
        }

        let before: Vec<(String, String)> = self
            .backend
            .keys()
            .map_err(ImportError::Write)?
            .into_iter()
            .filter(|key| key.starts_with(PREFIX))
            .filter_map(|key| Some((key.clone(), self.backend.get(&key).ok()??)))
            .collect();
        let result = self.erase().and_then(|()| {
            writes
                .iter()
                .try_for_each(|(key, raw)| self.backend.set(key, raw))
        });
        if let Err(error) = result {
            let _ = self.erase();
            for (key, raw) in &before {
                let _ = self.backend.set(key, raw);
            }
            return Err(ImportError::Write(error));
        }
        Ok(())
    }
}

/// The kinds of record the school's editor keeps in this origin's storage (its draft and a
/// remembered login), when a school uses it on the same device. Both apps share one storage, so
/// an export holds them too; the parents' app takes them over on import as they are
/// ([`check_envelope`]) without knowing their shape, and the editor checks them when it loads
/// them. The editor's records take their kind from here, so the two cannot drift apart.
pub const EDITOR_KINDS: [&str; 2] = ["beheer", "beheer-login"];

/// An export file opened to be shown before it is imported: when it was made, and its records.
pub struct ExportFile {
    /// The day it was made (`YYYY-MM-DD`, as the app wrote it).
    pub exported_at: String,
    records: BTreeMap<String, Box<RawValue>>,
    quarantine: BTreeMap<String, String>,
}

impl ExportFile {
    /// Reads an export file, refusing one that is not an export or comes from a newer app
    /// ([`Store::import`] reads through it too).
    pub fn read(json: &str) -> Result<ExportFile, ImportError> {
        let file: Export = serde_json::from_str(json).map_err(|_| ImportError::NotAnExport)?;
        if file.format != EXPORT_FORMAT {
            return Err(ImportError::NotAnExport);
        }
        if file.schema > EXPORT_SCHEMA {
            return Err(ImportError::Newer);
        }
        Ok(ExportFile {
            exported_at: file.exported_at,
            records: file.records,
            quarantine: file.quarantine,
        })
    }

    /// Checks every record of the file as [`Store::import`] will (`check`, with every record
    /// kind the app knows), so that a bad file is refused before it is shown.
    pub fn check(
        &self,
        check: impl Fn(&str, &str) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        self.records
            .iter()
            .try_for_each(|(kind, envelope)| check(kind, envelope.get()))
    }

    /// The file's record of kind `R` (migrated forward where older); `None` when the file has
    /// none, or one this app cannot read.
    pub fn record<R: Record>(&self) -> Option<R> {
        match decode::<R>(self.records.get(R::KIND)?.get()) {
            Ok(Decoded::Current(value) | Decoded::Migrated(value)) => Some(value),
            _ => None,
        }
    }
}

/// Checks that a record of another app of this origin is at least a readable envelope, so that
/// an import can take it over for the app that keeps it.
pub fn check_envelope(kind: &str, raw: &str) -> Result<(), ImportError> {
    serde_json::from_str::<Envelope>(raw)
        .map(|_| ())
        .map_err(|_| ImportError::BadRecord {
            kind: kind.to_owned(),
            reason: "geen geldige envelop".to_owned(),
        })
}

/// Checks that `raw` is a readable envelope of record `R`, as an import does for every record.
pub fn check_record<R: Record>(raw: &str) -> Result<(), ImportError> {
    match decode::<R>(raw) {
        Ok(Decoded::Current(_) | Decoded::Migrated(_)) => Ok(()),
        Ok(Decoded::Newer) => Err(ImportError::Newer),
        Err(reason) => Err(ImportError::BadRecord {
            kind: R::KIND.to_owned(),
            reason,
        }),
    }
}

/// A record's migration step ([`Record::migrate`]).
type Migrate = fn(u32, Value) -> Result<Value, String>;

/// What [`Store::load_raw`] found.
enum Found {
    Nothing,
    Current,
    Migrated,
}

/// An envelope as found, before its data is read as the record's type.
enum Staged<'a> {
    /// The data, in this app's schema.
    Current(&'a str),
    /// The data migrated forward from an older schema.
    Migrated(String),
    /// Written by a newer app, with this schema.
    Newer(u32),
}

/// Reads an envelope, migrating its data forward where it is older (one function for every
/// record type; only the typed parse that follows is per type).
fn stage(raw: &str, schema: u32, migrate: Migrate) -> Result<Staged<'_>, String> {
    let envelope: Envelope = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    let from = envelope.schema;
    if from > schema {
        return Ok(Staged::Newer(from));
    }
    if from == schema {
        return Ok(Staged::Current(envelope.data.get()));
    }
    // Migrations work on the generic JSON tree; this path runs once per old record.
    let mut data: Value = serde_json::from_str(envelope.data.get()).map_err(|e| e.to_string())?;
    for step in from..schema {
        data = migrate(step, data)?;
    }
    Ok(Staged::Migrated(data.to_string()))
}

enum Decoded<R> {
    Current(R),
    Migrated(R),
    Newer,
}

/// Reads an envelope, migrating it forward where it is older.
fn decode<R: Record>(raw: &str) -> Result<Decoded<R>, String> {
    let read = |text: &str| serde_json::from_str(text).map_err(|e| e.to_string());
    Ok(match stage(raw, R::SCHEMA, R::migrate)? {
        Staged::Newer(_) => Decoded::Newer,
        Staged::Current(text) => Decoded::Current(read(text)?),
        Staged::Migrated(text) => Decoded::Migrated(read(&text)?),
    })
}

/// An export file.
#[derive(Serialize, Deserialize)]
struct Export {
    format: String,
    schema: u32,
    exported_at: String,
    /// Envelope per record kind, as stored.
    records: BTreeMap<String, Box<RawValue>>,
    /// Raw values that could not be read, by key.
    #[serde(default)]
    quarantine: BTreeMap<String, String>,
}

/// Why an import was refused; nothing was changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// Not a Driehoek export file.
    NotAnExport,
    /// Made by a newer version of the app.
    Newer,
    /// A record kind no app of this origin keeps.
    UnknownKind(String),
    /// A record that cannot be read.
    BadRecord { kind: String, reason: String },
    /// Writing failed; what was there before has been put back.
    Write(StorageError),
}

/// The page's `localStorage`, through gloo-storage's [`LocalStorage`](gloo_storage::LocalStorage).
///
/// gloo reads and writes JSON; our envelopes are JSON text, so a value goes through it verbatim
/// as a [`RawValue`]. Two cases go to the raw storage underneath: a stored value that is not JSON
/// at all (read only to be quarantined), and a quarantined value written back as it was found.
/// gloo takes the storage for granted and throws where the browser has none (a private window,
/// storage switched off), so whether there is one is asked once, first, and every call then
/// fails with [`StorageError::Unavailable`] instead.
pub struct BrowserStorage {
    available: bool,
}

impl BrowserStorage {
    /// The page's `localStorage`, or the lack of it.
    pub fn new() -> Self {
        let available = web_sys::window().is_some_and(|w| matches!(w.local_storage(), Ok(Some(_))));
        BrowserStorage { available }
    }

    fn check(&self) -> Result<(), StorageError> {
        if self.available {
            Ok(())
        } else {
            Err(StorageError::Unavailable)
        }
    }
}

impl Default for BrowserStorage {
    fn default() -> Self {
        BrowserStorage::new()
    }
}

/// The [`StorageError`] for the name of what the browser threw.
fn error_named(name: &str) -> StorageError {
    match name {
        // Chromium and Safari say QuotaExceededError; old Firefox said NS_ERROR_DOM_QUOTA_REACHED.
        "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED" => StorageError::QuotaExceeded,
        "SecurityError" => StorageError::Unavailable,
        other => StorageError::Other(other.to_owned()),
    }
}

/// Turns what gloo reports into a [`StorageError`].
fn gloo_error(err: gloo_storage::errors::StorageError) -> StorageError {
    use gloo_storage::errors::StorageError as Gloo;
    match err {
        Gloo::JsError(e) => error_named(&e.name),
        Gloo::SerdeError(_) | Gloo::KeyNotFound(_) => StorageError::Other("onbekend".to_owned()),
    }
}

/// Turns what the raw storage threw into a [`StorageError`].
fn js_error(err: wasm_bindgen::JsValue) -> StorageError {
    use wasm_bindgen::JsCast;
    err.dyn_ref::<js_sys::Error>()
        .map_or(StorageError::Other("onbekend".to_owned()), |e| {
            error_named(&String::from(e.name()))
        })
}

impl Backend for BrowserStorage {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        use gloo_storage::errors::StorageError as Gloo;
        use gloo_storage::{LocalStorage, Storage};
        self.check()?;
        match LocalStorage::get::<Box<RawValue>>(key) {
            Ok(raw) => Ok(Some(raw.get().to_owned())),
            Err(Gloo::KeyNotFound(_)) => Ok(None),
            // Not JSON: the text itself, so that it can be kept aside as it was.
            Err(Gloo::SerdeError(_)) => Ok(LocalStorage::raw().get_item(key).ok().flatten()),
            Err(err) => Err(gloo_error(err)),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        use gloo_storage::{LocalStorage, Storage};
        self.check()?;
        match RawValue::from_string(value.to_owned()) {
            Ok(json) => LocalStorage::set(key, json).map_err(gloo_error),
            // A quarantined value that is not JSON is written back as the text it was.
            Err(_) => LocalStorage::raw().set_item(key, value).map_err(js_error),
        }
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        use gloo_storage::{LocalStorage, Storage};
        self.check()?;
        LocalStorage::delete(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        use gloo_storage::{LocalStorage, Storage};
        self.check()?;
        let raw = LocalStorage::raw();
        Ok((0..LocalStorage::length())
            .filter_map(|i| raw.key(i).ok().flatten())
            .collect())
    }
}

/// A map in memory with an optional quota in bytes: the stand-in for `localStorage` in native
/// tests (the browser tests use the real one).
#[derive(Default)]
pub struct MemoryBackend {
    pub map: RefCell<BTreeMap<String, String>>,
    pub quota: Option<usize>,
}

impl Backend for MemoryBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.map.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        let mut map = self.map.borrow_mut();
        if let Some(quota) = self.quota {
            let others: usize = map
                .iter()
                .filter(|(k, _)| k.as_str() != key)
                .map(|(k, v)| k.len() + v.len())
                .sum();
            if others + key.len() + value.len() > quota {
                return Err(StorageError::QuotaExceeded);
            }
        }
        map.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        Ok(self.map.borrow().keys().cloned().collect())
    }
}
