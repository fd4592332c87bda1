//! The server's storage, behind [`Store`]: SQLite ([`SqliteStore`]) by default, one file;
//! PostgreSQL ([`PostgresStore`]) for a host that runs several servers on one database.
//!
//! Every call blocks (async handlers run them with `tokio::task::spawn_blocking`), except the
//! writes of parents' phones and the school's bookings: they return a [`Written`] at once, which
//! a handler awaits and a command waits for. A write answers only once it is durable.
//!
//! Here: the trait and its types. `sql.rs` holds every rule once, over `db.rs`'s one dialect
//! (with `versioned.rs`, `absences.rs`, `bookings.rs`, `export.rs`); `sqlite.rs` and
//! `postgres.rs` open the transactions. SQLite writes through `writer.rs`'s group commit: one
//! writer thread takes every write waiting into one transaction (each in a savepoint of its
//! own) and commits it with one fsync (`synchronous=FULL`).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use chrono::{NaiveDate, NaiveDateTime};
use driehoek_core::absence::{AbsenceError, AbsencePut, AbsencePutResponse};
use driehoek_core::rsvp::RsvpError;
use driehoek_core::sync::{
    AckPut, AckPutResponse, FamilyProfile, FamilyRecords, ProfilePutResponse, RsvpPut,
    RsvpPutResponse,
};
use driehoek_core::talks::{
    BookingError, BookingPut, BookingPutResponse, ScheduledTalk, SchoolBooking, Slot, TalkRound,
};
use driehoek_core::{Activity, Content};
use rusqlite::Connection;

mod absences;
mod bookings;
pub(crate) mod db;
mod export;
mod postgres;
mod sql;
mod sqlite;
mod versioned;
mod writer;

pub use db::Value;
pub use export::{SchoolExport, TableRows, EXPORT_FORMAT};
pub use postgres::PostgresStore;
pub use sql::agreement_sha256;
pub use sqlite::SqliteStore;

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

/// A family's profile (children, parents' names) to keep.
#[derive(Clone, Debug)]
pub struct ProfileWrite {
    pub family_id: String,
    pub profile: FamilyProfile,
    /// SHA-256 of the family's secret.
    pub secret_hash: [u8; 32],
}

/// What a read of one family's kept records found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FamilyRead {
    /// The family's kept RSVPs, acknowledgements and profile.
    Found(FamilyRecords),
    /// No phone ever sent anything for this family id at this school.
    Unknown,
    /// The family id belongs to another secret.
    OtherFamily,
}

/// A report of a child ill or absent (or its withdrawal) to keep.
#[derive(Clone, Debug)]
pub struct AbsenceWrite {
    pub put: AbsencePut,
    /// SHA-256 of the family's secret.
    pub secret_hash: [u8; 32],
    /// The school as published: its time limit for today and its number for urgent cases.
    pub school: driehoek_core::School,
    /// Local school time now.
    pub now: NaiveDateTime,
    /// Now, in milliseconds since the Unix epoch: when the server received it.
    pub received_ms: i64,
}

/// One version of a family's booking of a talk to keep.
#[derive(Clone, Debug)]
pub struct BookingWrite {
    pub put: BookingPut,
    /// SHA-256 of the family's secret.
    pub secret_hash: [u8; 32],
    /// The round booked, as published now (`None`: the school has no round with this id).
    pub round: Option<TalkRound>,
    /// Local school time now: open or closed, slots passed.
    pub now: NaiveDateTime,
}

/// A booking the school makes by hand (a family that phoned) or a move of a kept booking.
#[derive(Clone, Debug)]
pub struct SchoolBookingWrite {
    pub round_id: String,
    /// What the school asked for (already checked against the round).
    pub booking: SchoolBooking,
    /// The slot to book or move to, as the round makes it.
    pub slot: Slot,
    /// The round's changeover: a moved talk keeps it to the family's other talks of the round.
    pub changeover_minutes: u16,
    /// For a new booking: the booking id and the family id the server made for it.
    pub new_ids: (String, String),
    /// Now, in milliseconds since the Unix epoch: the version of a new booking.
    pub now_ms: i64,
}

/// The bookings of one round as the school sees them: each kept booking that holds a slot (with
/// that slot's id), and the blocked slot ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundTalks {
    pub held: Vec<(String, ScheduledTalk)>,
    pub blocked: Vec<String>,
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
    /// The absence report breaks one of core's rules (days, time limit, note).
    Absence(AbsenceError),
    /// Another family already uses this absence report's id.
    AbsenceIdTaken,
    /// The booking breaks one of core's rules (round, groep, open, slots, note, a child booked
    /// twice).
    Booking(BookingError),
    /// Another family already uses this booking's id.
    BookingIdTaken,
    /// "Vol": none of the slots asked for is free; the nearest free ones (core's
    /// [`assign`](driehoek_core::talks::assign)). The booking kept before keeps its slot.
    Full(Vec<Slot>),
    /// The school cannot block a slot that a booking holds: move the booking first.
    SlotBooked,
    /// The slot the school chose is held by another booking, or blocked.
    SlotTaken { blocked: bool },
    /// The school named a booking this round does not have.
    UnknownBooking,
    /// The school tried to move a booking the family cancelled.
    BookingCancelled,
    /// The school tried to move a booking to a slot of another groep.
    WrongGroep { slot: u8, child: u8 },
    /// The school tried to move a booking to a time that overlaps, or leaves less than the
    /// changeover to, another talk of the same family in the round (the same parents go to
    /// both): the other talk's child and slot.
    TooClose { child: String, slot: Slot },
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
    /// The kept acknowledgements of this version (one per family and parent's name).
    pub acks: Vec<AckPut>,
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
    /// Applies one acknowledgement with [`apply`] per (school, family, agreement version,
    /// parent's name).
    /// Durable when the [`Written`] gives `Ok(Ok(_))`.
    fn put_ack(&self, school: &str, write: AckWrite) -> Written<Result<AckPutResponse, Refused>>;
    /// Applies one version of a family's profile with [`apply`] per (school, family); registers
    /// the family's secret on first use. Durable when the [`Written`] gives `Ok(Ok(_))`.
    fn put_profile(
        &self,
        school: &str,
        write: ProfileWrite,
    ) -> Written<Result<ProfilePutResponse, Refused>>;
    /// One family's kept records, when `secret_hash` is the family's.
    fn family(
        &self,
        school: &str,
        family_id: &str,
        secret_hash: &[u8; 32],
    ) -> Result<FamilyRead, StoreError>;
    /// Applies one absence report version with [`apply`] per (school, family, report id): checks
    /// core's rules when the version would be kept. Durable when the [`Written`] gives
    /// `Ok(Ok(_))`.
    fn put_absence(
        &self,
        school: &str,
        write: AbsenceWrite,
    ) -> Written<Result<AbsencePutResponse, Refused>>;
    /// Every kept absence report of a school that covers `day` (withdrawn ones included).
    fn absences_on(&self, school: &str, day: NaiveDate) -> Result<Vec<AbsencePut>, StoreError>;
    /// Applies one booking version with [`apply`] per (school, booking id): for a version that
    /// will be kept, core's checks against the round at `now`, then core's
    /// [`assign`](driehoek_core::talks::assign) over the slots no other booking holds and the
    /// school did not block, all in one transaction (the old slot stays held until the new one
    /// is secured). Durable when the [`Written`] gives `Ok(Ok(_))`.
    fn put_booking(
        &self,
        school: &str,
        write: BookingWrite,
    ) -> Written<Result<BookingPutResponse, Refused>>;
    /// The slot ids of a round held by a booking or blocked, sorted.
    fn taken(&self, school: &str, round_id: &str) -> Result<Vec<String>, StoreError>;
    /// The kept bookings of a round that hold a slot, and its blocked slots.
    fn round_talks(&self, school: &str, round_id: &str) -> Result<RoundTalks, StoreError>;
    /// Blocks a slot (or frees it again); refused when blocking a slot a booking holds. Gives
    /// the talk on the slot, if any.
    fn block_slot(
        &self,
        school: &str,
        round_id: &str,
        slot_id: &str,
        blocked: bool,
    ) -> Written<Result<Option<ScheduledTalk>, Refused>>;
    /// The school books a slot by hand, or moves a kept booking to a free slot (`by_school`).
    fn book_by_school(
        &self,
        school: &str,
        write: SchoolBookingWrite,
    ) -> Written<Result<ScheduledTalk, Refused>>;
    /// Every kept RSVP of a school, with its family id and names, by activity and family.
    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError>;
    /// Per published agreement version (oldest first), how many families acknowledged it, and
    /// their kept acknowledgements.
    fn acknowledgements(&self, school: &str) -> Result<Vec<AgreementAcks>, StoreError>;
    /// Whether the store can be read and written now; it writes (and removes) a probe.
    fn readiness(&self) -> Readiness;
    /// Every row kept for a school (`school export`); `None` when there is no such school.
    fn export_school(&self, id: &str) -> Result<Option<SchoolExport>, StoreError>;
    /// Writes a school's export into this store, in one transaction (`school import`); `false`
    /// (nothing written) when a school with its id is here already.
    fn import_school(&self, export: &SchoolExport) -> Result<bool, StoreError>;
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

pub(crate) fn stopped() -> StoreError {
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

/// The connection behind `conn`; a poisoned lock (a thread panicked holding it) is an error.
fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>, StoreError> {
    conn.lock()
        .map_err(|_| StoreError::new("database lock poisoned"))
}
