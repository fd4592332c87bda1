//! The parents' app's records, loaded once at start and provided as [`Persisted`] contexts.

use driehoek_web::state::{AppStorage, Persisted};
use leptos::prelude::*;

use crate::records::{
    Absences, Acknowledgements, Bookings, Children, ContentCache, Discussed, ReadItems, Rsvps,
    SeenNews, Settings, SyncRecord,
};

/// Loads every record kind of the parents' app from `storage` and provides each as a
/// [`Persisted`] context.
pub fn provide_records(storage: AppStorage) {
    provide_context(Persisted::<Children>::load(storage));
    provide_context(Persisted::<Settings>::load(storage));
    provide_context(Persisted::<Rsvps>::load(storage));
    provide_context(Persisted::<Acknowledgements>::load(storage));
    provide_context(Persisted::<Discussed>::load(storage));
    provide_context(Persisted::<ReadItems>::load(storage));
    provide_context(Persisted::<SeenNews>::load(storage));
    provide_context(Persisted::<ContentCache>::load(storage));
    provide_context(Persisted::<SyncRecord>::load(storage));
    provide_context(Persisted::<Absences>::load(storage));
    provide_context(Persisted::<Bookings>::load(storage));
}
