//! The data of a running app: loaded from storage once at start, shared through context as
//! signals ([`Persisted`], one per kind of record), and saved through one path that tells the
//! user when saving failed.

use leptos::prelude::*;

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

    /// Saves a record; a failure is also told to the parent (the storage banner), so a caller
    /// only decides what to keep on the screen.
    pub fn save<R: Record>(&self, value: &R) -> Result<(), StorageError> {
        self.store
            .with_value(|store| store.save(value))
            .inspect_err(|error| self.report(Problem::Write(error.clone())))
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

/// One kind of record, kept in storage and shared as a signal: the one way the app keeps what
/// the parent entered. Provided once per kind at start ([`provide_records`]); a screen takes the
/// kinds it needs with [`use_record`].
pub struct Persisted<R: Record + Send + Sync + 'static> {
    value: RwSignal<R>,
    storage: AppStorage,
}

impl<R: Record + Send + Sync + 'static> Clone for Persisted<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Record + Send + Sync + 'static> Copy for Persisted<R> {}

impl<R: Record + Clone + Send + Sync + 'static> Persisted<R> {
    /// Loads the record from `storage` (never fails: see [`crate::storage`]).
    pub fn load(storage: AppStorage) -> Self {
        Persisted {
            value: RwSignal::new(storage.load()),
            storage,
        }
    }

    /// The record, tracked.
    pub fn get(&self) -> R {
        self.value.get()
    }

    /// The record, untracked (in an event handler).
    pub fn get_untracked(&self) -> R {
        self.value.get_untracked()
    }

    /// Reads the record without cloning it, tracked.
    pub fn with<T>(&self, f: impl FnOnce(&R) -> T) -> T {
        self.value.with(f)
    }

    /// Reads the record without cloning it and without tracking (in an event handler).
    pub fn with_untracked<T>(&self, f: impl FnOnce(&R) -> T) -> T {
        self.value.with_untracked(f)
    }

    /// Changes the record: saves the changed copy first and only then shows it, so the screen
    /// never shows what storage does not hold. A failed save is told to the parent through the
    /// storage banner and returned, and the screen keeps what it had.
    pub fn update(&self, f: impl FnOnce(&mut R)) -> Result<(), StorageError> {
        let mut next = self.value.get_untracked();
        f(&mut next);
        self.replace(next)
    }

    /// Replaces the record, saved first as [`Persisted::update`] does.
    pub fn replace(&self, next: R) -> Result<(), StorageError> {
        self.storage.save(&next)?;
        self.value.set(next);
        Ok(())
    }

    /// Like [`Persisted::update`], but the change is shown even when it could not be saved. Only
    /// for what is not precious: a report (how the last sync went), which the parent should see,
    /// or a read mark, whose loss costs no more than seeing "Nieuw" again. The banner says that
    /// saving failed.
    pub fn update_shown(&self, f: impl FnOnce(&mut R)) -> Result<(), StorageError> {
        let mut next = self.value.get_untracked();
        f(&mut next);
        let saved = self.storage.save(&next);
        self.value.set(next);
        saved
    }

    /// The record as a read-only signal, for a component's prop.
    pub fn signal(&self) -> Signal<R> {
        self.value.into()
    }
}

/// One kind of record from context. Panics when it was never provided: a screen outside the app
/// that provides it is a programming error, never to be hidden behind an empty default.
pub fn use_record<R: Record + Clone + Send + Sync + 'static>() -> Persisted<R> {
    expect_context()
}

/// The storage from context (for export, import and erase, which work on every record at once).
pub fn use_storage() -> AppStorage {
    expect_context()
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
