//! The parent's data in the running app: loaded from storage once at start, shared through
//! context as signals, and saved through one path that tells the parent when saving failed.

use leptos::prelude::*;

use crate::records::{
    Acknowledgements, Children, ContentCache, Discussed, ReadItems, Rsvps, Settings, SyncRecord,
};
use crate::storage::{BrowserStorage, Notice, Record, StorageError, Store};

/// Something about storage the parent must know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Found at start: unreadable, quarantined or newer data.
    Found(Notice),
    /// A write failed; what the parent did is not saved.
    Write(StorageError),
}

/// The store and the problems it met: the one path every save and load goes through.
#[derive(Clone, Copy)]
pub struct AppStorage {
    store: StoredValue<Store<BrowserStorage>, LocalStorage>,
    /// What the parent has not yet dismissed, oldest first.
    pub problems: RwSignal<Vec<Problem>>,
}

impl AppStorage {
    /// The page's storage.
    pub fn new() -> Self {
        AppStorage {
            store: StoredValue::new_local(Store::new(BrowserStorage::new())),
            problems: RwSignal::new(Vec::new()),
        }
    }

    /// Loads a record, reporting what was wrong with it; never fails.
    pub fn load<R: Record>(&self) -> R {
        let loaded = self.store.with_value(|store| store.load::<R>());
        if let Some(notice) = loaded.notice {
            self.report(Problem::Found(notice));
        }
        loaded.value
    }

    /// Saves a record; on failure the parent is told, and `false` is returned so that the screen
    /// can keep what the parent entered.
    pub fn save<R: Record>(&self, value: &R) -> bool {
        match self.store.with_value(|store| store.save(value)) {
            Ok(()) => true,
            Err(error) => {
                self.report(Problem::Write(error));
                false
            }
        }
    }

    /// Runs `f` on the store itself (export, import, erase).
    pub fn with_store<T>(&self, f: impl FnOnce(&Store<BrowserStorage>) -> T) -> T {
        self.store.with_value(f)
    }

    fn report(&self, problem: Problem) {
        self.problems.update(|problems| {
            // One message per problem is enough, however often a save fails.
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        });
    }
}

impl Default for AppStorage {
    fn default() -> Self {
        AppStorage::new()
    }
}

/// Everything the parent entered, and the school's content as last synced.
#[derive(Clone, Copy)]
pub struct AppData {
    pub children: RwSignal<Children>,
    pub settings: RwSignal<Settings>,
    pub rsvps: RwSignal<Rsvps>,
    pub acknowledgements: RwSignal<Acknowledgements>,
    pub discussed: RwSignal<Discussed>,
    pub read: RwSignal<ReadItems>,
    pub content: RwSignal<ContentCache>,
    /// The outbox and how the last sync went.
    pub sync: RwSignal<SyncRecord>,
}

impl AppData {
    /// Loads every record from `storage`.
    pub fn load(storage: &AppStorage) -> Self {
        AppData {
            children: RwSignal::new(storage.load()),
            settings: RwSignal::new(storage.load()),
            rsvps: RwSignal::new(storage.load()),
            acknowledgements: RwSignal::new(storage.load()),
            discussed: RwSignal::new(storage.load()),
            read: RwSignal::new(storage.load()),
            content: RwSignal::new(storage.load()),
            sync: RwSignal::new(storage.load()),
        }
    }
}

/// The storage from context.
pub fn use_storage() -> AppStorage {
    use_context().unwrap_or_default()
}

/// Asks the browser to keep this site's data even when the phone runs low on space. Chrome and
/// Safari grant it without asking the parent; where it is refused, nothing changes.
pub fn request_persistence() {
    let storage = window().navigator().storage();
    if let Ok(promise) = storage.persist() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}
