//! Gesprekken: the talks a school plans with parents (the startgesprek, the rapportgesprekken,
//! the kennismakingsgesprek for a new child, the huisbezoek), and the parents' bookings.
//!
//! A school publishes a [`TalkRound`] as part of its content: per groep the days and time windows,
//! the length of a talk and the changeover between two talks. The [`Slot`]s are derived from the
//! windows, the same way on every device. A parent books one talk per child
//! ([`BookingPut`]): online one free slot, offline (or by choice) up to [`MAX_PREFERENCES`] in
//! order of preference; the server gives the first that is still free ([`assign`]) or answers
//! "vol" with the nearest free ones. Bookings follow the same exactly-once rules as RSVPs: an id
//! made on the phone, a version by `updated_at`.

use std::ops::RangeInclusive;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::model::Text;
use crate::sync::{newer_by_time, ChildInGroep, Outcome, Versioned};
use crate::validate::{free_text, is_valid_id};

/// The length of one talk, in minutes.
pub const SLOT_MINUTES: RangeInclusive<u16> = 5..=60;
/// The longest changeover between two talks, in minutes.
pub const MAX_CHANGEOVER: u16 = 30;
/// The most slots one round may make, over all its groepen (a week of evenings for eight
/// groepen is some 400).
pub const MAX_SLOTS: usize = 1000;
/// The most time windows one groep of a round may have.
pub const MAX_WINDOWS: usize = 40;
/// How many slots a parent may name, in order of preference.
pub const MAX_PREFERENCES: usize = 3;
/// How many free slots a "vol" answer proposes.
pub const ALTERNATIVES: usize = 3;
/// The longest note to the teacher with a booking.
pub const MAX_NOTE: usize = 300;
/// The longest wait between two talks of brothers and sisters that still counts as back to back.
pub const MAX_SIBLING_WAIT: i64 = 30;

/// The kind of talk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TalkKind {
    /// At the start of the school year: the parents tell the teacher about their child.
    Startgesprek,
    /// About the report, twice a year.
    Rapportgesprek,
    /// For a child new at school.
    Kennismakingsgesprek,
    /// The teacher visits the family at home.
    Huisbezoek,
    Anders,
}

impl TalkKind {
    pub const ALL: [TalkKind; 5] = [
        TalkKind::Startgesprek,
        TalkKind::Rapportgesprek,
        TalkKind::Kennismakingsgesprek,
        TalkKind::Huisbezoek,
        TalkKind::Anders,
    ];

    /// The name in the protocol (`"rapportgesprek"`).
    pub fn as_str(self) -> &'static str {
        match self {
            TalkKind::Startgesprek => "startgesprek",
            TalkKind::Rapportgesprek => "rapportgesprek",
            TalkKind::Kennismakingsgesprek => "kennismakingsgesprek",
            TalkKind::Huisbezoek => "huisbezoek",
            TalkKind::Anders => "anders",
        }
    }
}

/// One stretch of time on one day in which a teacher holds talks, one after the other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TalkWindow {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub date: NaiveDate,
    /// The start of the first talk.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Time"))]
    #[serde(with = "crate::iso")]
    pub from: NaiveTime,
    /// The end of the last talk at the latest: after `from`, on the same day.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Time"))]
    #[serde(with = "crate::iso")]
    pub to: NaiveTime,
}

/// The talks of one groep in a round: when, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TalkGroep {
    /// Groep 1 to 8; each groep at most once per round.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 8)))]
    pub groep: u8,
    /// The days and time windows, in any order; windows of one groep do not overlap.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = MAX_WINDOWS)))]
    pub windows: Vec<TalkWindow>,
    /// Where ("Lokaal 7"); may be left out for a huisbezoek (at the family's home).
    #[serde(default, skip_serializing_if = "is_empty_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::Text<{ crate::validate::MAX_LOCATION }>>")
    )]
    pub place: Text,
}

fn is_empty_text(text: &Text) -> bool {
    text.0.is_empty()
}

/// A round of talks ("gespreksronde"), published by the school as part of its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TalkRound {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub kind: TalkKind,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TITLE }>")
    )]
    pub title: Text,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TEXT }>")
    )]
    pub text: Text,
    /// Per groep the days, the time windows and the place; at least one groep.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 8)))]
    pub groepen: Vec<TalkGroep>,
    /// The length of one talk, 5 to 60 minutes.
    #[cfg_attr(feature = "schema", schemars(range(min = 5, max = 60)))]
    pub slot_minutes: u16,
    /// The time between two talks (to write a note, to walk to the next home), 0 to 30 minutes.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 30)))]
    pub changeover_minutes: u16,
    /// From when parents can book.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub opens: NaiveDateTime,
    /// Until when parents can book or change a booking: after `opens`, before the first talk.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub closes: NaiveDateTime,
    /// Families with children in two or more of the round's groepen may book from this moment,
    /// before `opens`, so that they can put their talks back to back. `None`: everyone at
    /// `opens`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::DateTime>"))]
    pub siblings_from: Option<NaiveDateTime>,
}

/// One talk that can be booked: a teacher's time for one child of one groep.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Slot {
    /// `g<groep>-<yyyymmdd>-<hhmm>`: the same for as long as the slot exists (a window that
    /// grows keeps the ids of its slots).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 8)))]
    pub groep: u8,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub start: NaiveDateTime,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub end: NaiveDateTime,
}

/// The id of the slot of `groep` that starts at `start`.
pub fn slot_id(groep: u8, start: NaiveDateTime) -> String {
    format!(
        "g{groep}-{:04}{:02}{:02}-{:02}{:02}",
        start.year(),
        start.month(),
        start.day(),
        start.hour(),
        start.minute()
    )
}

impl TalkRound {
    /// The time from the start of one talk to the start of the next in a window.
    pub fn step(&self) -> Duration {
        Duration::minutes(i64::from(self.slot_minutes) + i64::from(self.changeover_minutes))
    }

    /// The changeover as a duration.
    pub fn changeover(&self) -> Duration {
        Duration::minutes(i64::from(self.changeover_minutes))
    }

    /// The part of the round for `groep`, if the round is for it.
    pub fn groep(&self, groep: u8) -> Option<&TalkGroep> {
        self.groepen.iter().find(|g| g.groep == groep)
    }

    /// The slots of `groep`, by start. Each window is filled from its start: a talk, the
    /// changeover, the next talk, as long as a whole talk fits before the window's end. At most
    /// [`MAX_SLOTS`].
    pub fn slots_of(&self, groep: u8) -> Vec<Slot> {
        let mut slots = Vec::new();
        let Some(part) = self.groep(groep) else {
            return slots;
        };
        let length = Duration::minutes(i64::from(self.slot_minutes));
        if length <= Duration::zero() {
            return slots;
        }
        for window in &part.windows {
            let mut start = window.date.and_time(window.from);
            let end = window.date.and_time(window.to);
            while start + length <= end && slots.len() < MAX_SLOTS {
                slots.push(Slot {
                    id: slot_id(groep, start),
                    groep,
                    start,
                    end: start + length,
                });
                start += self.step();
            }
        }
        slots.sort();
        slots.dedup_by(|a, b| a.id == b.id);
        slots
    }

    /// Every slot of the round, by start and then groep.
    pub fn slots(&self) -> Vec<Slot> {
        let mut all: Vec<Slot> = self
            .groepen
            .iter()
            .flat_map(|g| self.slots_of(g.groep))
            .take(MAX_SLOTS)
            .collect();
        all.sort_by_key(|s| (s.start, s.groep));
        all
    }

    /// The slot with this id, if the round makes it.
    pub fn slot(&self, id: &str) -> Option<Slot> {
        let groep = id
            .strip_prefix('g')?
            .split('-')
            .next()?
            .parse::<u8>()
            .ok()?;
        self.slots_of(groep).into_iter().find(|s| s.id == id)
    }

    /// Whether a family can book (or change or cancel a booking) at `now`; `several` when it
    /// has children in two or more of the round's groepen.
    pub fn is_open(&self, now: NaiveDateTime, several: bool) -> bool {
        let opens = match self.siblings_from {
            Some(early) if several => early.min(self.opens),
            _ => self.opens,
        };
        opens <= now && now < self.closes
    }

    /// The first talk of the round, if it makes any.
    pub fn first_talk(&self) -> Option<NaiveDateTime> {
        self.slots().first().map(|s| s.start)
    }

    /// The last talk's end, if the round makes any.
    pub fn last_end(&self) -> Option<NaiveDateTime> {
        self.slots().iter().map(|s| s.end).max()
    }

    /// How many of `children` the round is for (the count that opens the early booking).
    pub fn children_in_round(&self, children: &[ChildInGroep]) -> usize {
        children
            .iter()
            .filter(|c| self.groep(c.groep).is_some())
            .count()
    }
}

/// Whether two talks leave less than `changeover` between them (or overlap): a parent cannot be
/// at both.
pub fn too_close(a: &Slot, b: &Slot, changeover: Duration) -> bool {
    a.start < b.end + changeover && b.start < a.end + changeover
}

/// The body of `PUT …/bookings/{booking_id}`: one version of a family's booking of a talk for one
/// child.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BookingPut {
    /// Made on the phone; equals the path's `booking_id`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// The family, made on the phone.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub family_id: String,
    /// The parents' names as the school should see them: readable text.
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = crate::sync::MAX_NAMES), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub names: String,
    /// The round, one the school published.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub round_id: String,
    /// The child the talk is about; the round must be for its groep. One booking per child and
    /// round.
    pub child: ChildInGroep,
    /// Slot ids of the child's groep in order of preference, 1 to 3, each once; the server gives
    /// the first still free. Empty only when `cancelled`.
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<crate::schema::Id>", length(max = MAX_PREFERENCES))
    )]
    pub preferences: Vec<String>,
    /// A note to the teacher: empty, or readable text (new lines allowed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_NOTE)))]
    pub note: String,
    /// How many of the family's children the round is for (2 or more opens the early booking of
    /// `siblings_from`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(max = 12)))]
    pub children_in_round: u8,
    /// When the parent booked, changed or cancelled: milliseconds since the Unix epoch (UTC), set
    /// by the phone; after 2020, and at most a day ahead of the server's clock.
    #[cfg_attr(feature = "schema", schemars(range(min = crate::sync::EARLIEST_UPDATE_MS)))]
    pub updated_at: i64,
    /// The parent cancelled the talk: the slot is free again.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cancelled: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Versioned for BookingPut {
    fn is_newer(&self, other: &Self) -> bool {
        newer_by_time(self, self.updated_at, other, other.updated_at)
    }
}

/// The slot a booking holds, as the school keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Booked {
    pub slot: Slot,
    /// The school placed or moved the booking (a family that phoned, a teacher who is ill).
    #[serde(default, skip_serializing_if = "is_false")]
    pub by_school: bool,
}

/// The answer to `PUT …/bookings/{booking_id}`, and one booking of a family's read-back: the
/// version kept and the slot it holds (`None` when cancelled).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BookingPutResponse {
    pub outcome: Outcome,
    pub kept: BookingPut,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Booked>,
}

/// The slots of a round that a family can no longer book (`GET …/talks/{round_id}/taken`, with
/// the access code): booked by another family or blocked by the school. Ids only, never whose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TakenSlots {
    pub round_id: String,
    pub taken: Vec<String>,
}

/// One booking of a family as the school keeps it (`GET …/families/{id}`): the version kept and
/// the slot it holds (`None` when cancelled).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeptBooking {
    pub kept: BookingPut,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Booked>,
}

/// The body of a 409 "vol": none of the slots asked for is free; the nearest free slots of the
/// child's groep (none when the groep is full). The booking kept before (if any) still holds its
/// slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BookingFull {
    /// What happened, in the parent's language.
    pub error: String,
    #[cfg_attr(feature = "schema", schemars(length(max = ALTERNATIVES)))]
    pub alternatives: Vec<Slot>,
}

/// Why a booking cannot be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BookingError {
    /// The id is not 1 to 64 characters of `a-z`, `0-9` and `-`.
    InvalidId,
    /// The school has no round with this id.
    UnknownRound,
    /// The child's name is empty, too long or unreadable, or the groep is not 1 to 8.
    Child,
    /// The round is not for the child's groep.
    NotForGroep { groep: u8 },
    /// No slot named (and not a cancellation), or more than [`MAX_PREFERENCES`].
    Preferences,
    /// A slot named twice.
    SameSlotTwice,
    /// A slot the round does not make for the child's groep.
    UnknownSlot,
    /// A slot that has begun already.
    SlotPassed,
    /// Booking opens later.
    NotYetOpen { opens: NaiveDateTime },
    /// Booking has closed: changes go by phone.
    Closed,
    /// The note is too long or unreadable.
    Note,
    /// The family booked this child already in this round (under another booking id).
    ChildBooked,
    /// More children in the round than a family may name ([`crate::sync::MAX_CHILDREN`]).
    ChildrenInRound,
}

impl BookingError {
    /// The reason in plain Dutch (the server answers in the parent's language where it has one).
    pub fn message(&self) -> String {
        match self {
            BookingError::InvalidId => "Ongeldige code van de afspraak.".into(),
            BookingError::UnknownRound => "Deze gespreksronde bestaat niet (meer).".into(),
            BookingError::Child => format!(
                "Vul de naam van het kind in (maximaal {} tekens) en een groep van 1 tot en met 8.",
                crate::sync::MAX_CHILD_NAME
            ),
            BookingError::NotForGroep { groep } => {
                format!("Deze gesprekken zijn niet voor groep {groep}.")
            }
            BookingError::Preferences => {
                format!(
                    "Kies 1 tot {MAX_PREFERENCES} tijden, in de volgorde die u het liefst hebt."
                )
            }
            BookingError::SameSlotTwice => "U heeft dezelfde tijd twee keer gekozen.".into(),
            BookingError::UnknownSlot => "Deze tijd bestaat niet voor deze groep.".into(),
            BookingError::SlotPassed => "Deze tijd is al voorbij.".into(),
            BookingError::NotYetOpen { opens } => format!(
                "U kunt pas inschrijven vanaf {} om {}.",
                opens.format("%d-%m-%Y"),
                opens.format("%H:%M")
            ),
            BookingError::Closed => {
                "Inschrijven is gesloten. Bel de school als u iets wilt veranderen.".into()
            }
            BookingError::Note => format!(
                "De opmerking mag hoogstens {MAX_NOTE} tekens lang zijn, met gewone letters."
            ),
            BookingError::ChildBooked => {
                "Voor dit kind is in deze ronde al een gesprek gepland.".into()
            }
            BookingError::ChildrenInRound => format!(
                "Een gezin heeft hoogstens {} kinderen in een ronde.",
                crate::sync::MAX_CHILDREN
            ),
        }
    }
}

impl BookingPut {
    /// The checks that need no round: ids, the child, the preferences' shape, the note.
    pub fn check_form(&self) -> Result<(), BookingError> {
        if !is_valid_id(&self.id) || !is_valid_id(&self.family_id) {
            return Err(BookingError::InvalidId);
        }
        if !is_valid_id(&self.round_id) {
            return Err(BookingError::UnknownRound);
        }
        if crate::sync::check_children(std::slice::from_ref(&self.child)).is_err() {
            return Err(BookingError::Child);
        }
        if usize::from(self.children_in_round) > crate::sync::MAX_CHILDREN {
            return Err(BookingError::ChildrenInRound);
        }
        if self.preferences.len() > MAX_PREFERENCES
            || (self.preferences.is_empty() && !self.cancelled)
        {
            return Err(BookingError::Preferences);
        }
        for (i, id) in self.preferences.iter().enumerate() {
            if !is_valid_id(id) {
                return Err(BookingError::UnknownSlot);
            }
            if self.preferences[..i].contains(id) {
                return Err(BookingError::SameSlotTwice);
            }
        }
        if self.note.chars().nth(MAX_NOTE).is_some()
            || (!self.note.is_empty() && free_text(&self.note, true).is_err())
        {
            return Err(BookingError::Note);
        }
        Ok(())
    }

    /// Every check against the published `round` (if the school has one with this id) at `now`
    /// (local school time).
    pub fn check(&self, round: Option<&TalkRound>, now: NaiveDateTime) -> Result<(), BookingError> {
        self.check_form()?;
        let round = round
            .filter(|r| r.id == self.round_id)
            .ok_or(BookingError::UnknownRound)?;
        if round.groep(self.child.groep).is_none() {
            return Err(BookingError::NotForGroep {
                groep: self.child.groep,
            });
        }
        if !round.is_open(now, self.children_in_round >= 2) {
            return Err(if now < round.opens {
                BookingError::NotYetOpen {
                    opens: match round.siblings_from {
                        Some(early) if self.children_in_round >= 2 => early.min(round.opens),
                        _ => round.opens,
                    },
                }
            } else {
                BookingError::Closed
            });
        }
        let slots = round.slots_of(self.child.groep);
        for id in &self.preferences {
            let slot = slots
                .iter()
                .find(|s| &s.id == id)
                .ok_or(BookingError::UnknownSlot)?;
            if slot.start <= now {
                return Err(BookingError::SlotPassed);
            }
        }
        Ok(())
    }

    /// Whether `other` is a booking for the same child (by name, case and spaces aside, and
    /// groep): a family books one talk per child and round.
    pub fn same_child(&self, other: &BookingPut) -> bool {
        self.round_id == other.round_id && same_child(&self.child, &other.child)
    }
}

/// Whether two children are the same child of a family: the same groep and the same name, case
/// and surrounding spaces aside.
pub fn same_child(a: &ChildInGroep, b: &ChildInGroep) -> bool {
    a.groep == b.groep && a.name.trim().to_lowercase() == b.name.trim().to_lowercase()
}

/// The server's choice for a booking (already [`BookingPut::check`]ed): the first preferred slot
/// that is `free` (held by no other booking, not blocked; the booking's own slot counts as free)
/// and leaves the changeover to the family's other talks (`family`, the slots its other bookings
/// in the round hold). `Err` holds the nearest free slots instead (see [`alternatives`]).
pub fn assign(
    round: &TalkRound,
    put: &BookingPut,
    now: NaiveDateTime,
    family: &[Slot],
    free: impl Fn(&str) -> bool,
) -> Result<Slot, Vec<Slot>> {
    let slots = round.slots_of(put.child.groep);
    let fits = |slot: &Slot| {
        slot.start > now
            && free(&slot.id)
            && !family
                .iter()
                .any(|f| too_close(f, slot, round.changeover()))
    };
    for id in &put.preferences {
        if let Some(slot) = slots.iter().find(|s| &s.id == id) {
            if fits(slot) {
                return Ok(slot.clone());
            }
        }
    }
    let wanted = put
        .preferences
        .first()
        .and_then(|id| slots.iter().find(|s| &s.id == id))
        .map_or(now, |s| s.start);
    Err(alternatives(&slots, wanted, fits))
}

/// Up to [`ALTERNATIVES`] slots from `slots` that `fits`, nearest in time to `wanted` first (at
/// equal distance the earlier one).
pub fn alternatives(
    slots: &[Slot],
    wanted: NaiveDateTime,
    fits: impl Fn(&Slot) -> bool,
) -> Vec<Slot> {
    let mut free: Vec<&Slot> = slots.iter().filter(|s| fits(s)).collect();
    free.sort_by_key(|s| ((s.start - wanted).num_minutes().abs(), s.start));
    free.into_iter().take(ALTERNATIVES).cloned().collect()
}

/// Times for brothers and sisters back to back: for each of `children` (in the round's groepen)
/// a slot that `fits` (free, and after now), all on one day, each next talk starting after the
/// previous one's end plus the changeover and at most [`MAX_SIBLING_WAIT`] minutes later. The
/// earliest such series from `from` on; the children in the order that ends it soonest. `None`
/// when no series exists.
pub fn back_to_back(
    round: &TalkRound,
    children: &[ChildInGroep],
    from: NaiveDateTime,
    fits: impl Fn(&Slot) -> bool,
) -> Option<Vec<(ChildInGroep, Slot)>> {
    let children: Vec<&ChildInGroep> = children
        .iter()
        .filter(|c| round.groep(c.groep).is_some())
        .collect();
    if children.is_empty() {
        return None;
    }
    let free: Vec<Vec<Slot>> = children
        .iter()
        .map(|c| {
            round
                .slots_of(c.groep)
                .into_iter()
                .filter(|s| s.start >= from && fits(s))
                .collect()
        })
        .collect();
    let orders = orders(children.len());
    let mut best: Option<Vec<(usize, Slot)>> = None;
    for order in &orders {
        for first in &free[order[0]] {
            let Some(series) = series_from(round, &free, order, first) else {
                continue;
            };
            let better = match &best {
                None => true,
                Some(b) => {
                    let key = |s: &Vec<(usize, Slot)>| (s[0].1.start, s.last().map(|(_, x)| x.end));
                    key(&series) < key(b)
                }
            };
            if better {
                best = Some(series);
            }
            // Later starts in this order only end later.
            break;
        }
    }
    best.map(|series| {
        series
            .into_iter()
            .map(|(i, slot)| (children[i].clone(), slot))
            .collect()
    })
}

/// The orders in which to try the children: every order for up to four, else as given.
fn orders(n: usize) -> Vec<Vec<usize>> {
    if n > 4 {
        return vec![(0..n).collect()];
    }
    let mut all: Vec<Vec<usize>> = vec![vec![]];
    for _ in 0..n {
        let mut longer = Vec::new();
        for prefix in &all {
            for i in (0..n).filter(|i| !prefix.contains(i)) {
                let mut next = prefix.clone();
                next.push(i);
                longer.push(next);
            }
        }
        all = longer;
    }
    all
}

/// The series that starts with `first` for `order[0]` and takes, for each next child, the
/// earliest free slot that keeps the changeover and waits at most [`MAX_SIBLING_WAIT`].
fn series_from(
    round: &TalkRound,
    free: &[Vec<Slot>],
    order: &[usize],
    first: &Slot,
) -> Option<Vec<(usize, Slot)>> {
    let mut series = vec![(order[0], first.clone())];
    for &child in &order[1..] {
        let previous = &series.last()?.1;
        let earliest = previous.end + round.changeover();
        let latest = earliest + Duration::minutes(MAX_SIBLING_WAIT);
        let next = free[child].iter().find(|s| {
            s.start >= earliest
                && s.start <= latest
                && s.start.date() == first.start.date()
                && !series
                    .iter()
                    .any(|(_, taken)| too_close(taken, s, round.changeover()))
        })?;
        series.push((child, next.clone()));
    }
    Some(series)
}

/// A booking as the school's schedule shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScheduledTalk {
    pub booking_id: String,
    pub family_id: String,
    pub child: ChildInGroep,
    /// The parents' names.
    pub names: String,
    #[serde(default)]
    pub note: String,
    /// Placed or moved by the school.
    #[serde(default)]
    pub by_school: bool,
}

/// One slot of the school's schedule: free, blocked, or booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ScheduleRow {
    pub slot: Slot,
    /// The school took the slot out (the teacher has another appointment).
    #[serde(default)]
    pub blocked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub talk: Option<ScheduledTalk>,
}

/// How many slots of one groep are booked, blocked and free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroepCount {
    pub groep: u8,
    pub booked: u32,
    pub blocked: u32,
    pub free: u32,
}

/// The schedule of one round (`GET …/talks/{round_id}/schedule`, with the admin token): every slot by start and groep,
/// and the counts per groep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Schedule {
    pub round_id: String,
    pub rows: Vec<ScheduleRow>,
    pub groepen: Vec<GroepCount>,
    /// Kept bookings whose slot the round no longer makes (the school shortened a window): the
    /// school must move them.
    #[serde(default)]
    pub homeless: Vec<ScheduledTalk>,
}

/// The schedule of `round` from the kept bookings (`held`: each talk with the slot id it holds)
/// and the blocked slot ids.
pub fn schedule(
    round: &TalkRound,
    held: Vec<(String, ScheduledTalk)>,
    blocked: &[String],
) -> Schedule {
    let mut rows: Vec<ScheduleRow> = round
        .slots()
        .into_iter()
        .map(|slot| ScheduleRow {
            blocked: blocked.contains(&slot.id),
            slot,
            talk: None,
        })
        .collect();
    let mut homeless = Vec::new();
    for (slot_id, talk) in held {
        match rows.iter_mut().find(|r| r.slot.id == slot_id) {
            Some(row) if row.talk.is_none() => row.talk = Some(talk),
            _ => homeless.push(talk),
        }
    }
    let groepen = round
        .groepen
        .iter()
        .map(|g| {
            let mine = rows.iter().filter(|r| r.slot.groep == g.groep);
            let mut count = GroepCount {
                groep: g.groep,
                ..GroepCount::default()
            };
            for row in mine {
                if row.talk.is_some() {
                    count.booked += 1;
                } else if row.blocked {
                    count.blocked += 1;
                } else {
                    count.free += 1;
                }
            }
            count
        })
        .collect();
    Schedule {
        round_id: round.id.clone(),
        rows,
        groepen,
        homeless,
    }
}

/// The body of `PUT …/talks/{round_id}/slots/{slot_id}` (admin token): the school blocks a slot or frees
/// it again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SlotBlock {
    pub blocked: bool,
}

/// The body of `POST …/talks/{round_id}/bookings` (admin token): the school books a slot for a family
/// that phoned, or (with `booking_id`) moves a kept booking to another slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SchoolBooking {
    /// A kept booking to move; `None` books a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Id>"))]
    pub booking_id: Option<String>,
    /// The child (for a new booking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<ChildInGroep>,
    /// The parents' names (for a new booking).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::sync::MAX_NAMES)))]
    pub names: String,
    /// A note (for a new booking).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_NOTE)))]
    pub note: String,
    /// The slot to book or move to: free and not blocked.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub slot_id: String,
}

/// Checks the rounds of a school's content; `errors` gets `(field, message)` pairs with paths
/// such as `talks[0].groepen[1].windows[2].to`.
pub(crate) fn check_round(path: &str, round: &TalkRound, err: &mut dyn FnMut(String, String)) {
    let mut e = |field: &str, message: String| err(format!("{path}.{field}"), message);
    if round.groepen.is_empty() {
        e("groepen", "Kies minstens één groep.".into());
    }
    if !SLOT_MINUTES.contains(&round.slot_minutes) {
        e(
            "slot_minutes",
            format!(
                "Een gesprek duurt {} tot en met {} minuten.",
                SLOT_MINUTES.start(),
                SLOT_MINUTES.end()
            ),
        );
    }
    if round.changeover_minutes > MAX_CHANGEOVER {
        e(
            "changeover_minutes",
            format!("De wisseltijd is hoogstens {MAX_CHANGEOVER} minuten."),
        );
    }
    if round.closes <= round.opens {
        e("closes", "Inschrijven moet sluiten na het openen.".into());
    }
    if let Some(early) = round.siblings_from {
        if early >= round.opens {
            e(
                "siblings_from",
                "Gezinnen met meer kinderen mogen eerder inschrijven: kies een moment vóór het openen."
                    .into(),
            );
        }
    }
    let mut seen = [false; 9];
    for (g, part) in round.groepen.iter().take(8).enumerate() {
        let gpath = format!("groepen[{g}]");
        match seen.get_mut(usize::from(part.groep)) {
            Some(s) if part.groep >= 1 && !*s => *s = true,
            Some(_) if part.groep >= 1 => e(
                &format!("{gpath}.groep"),
                format!("Groep {} staat er twee keer in.", part.groep),
            ),
            _ => e(
                &format!("{gpath}.groep"),
                "Een groep is een getal van 1 tot en met 8.".into(),
            ),
        }
        if part.windows.is_empty() {
            e(
                &format!("{gpath}.windows"),
                "Geef minstens één dag met een begin- en eindtijd.".into(),
            );
        }
        if part.windows.len() > MAX_WINDOWS {
            e(
                &format!("{gpath}.windows"),
                format!("Hoogstens {MAX_WINDOWS} tijdvakken per groep."),
            );
        }
        for (w, window) in part.windows.iter().take(MAX_WINDOWS).enumerate() {
            let wpath = format!("{gpath}.windows[{w}]");
            if !crate::validate::YEARS.contains(&window.date.year()) {
                e(&format!("{wpath}.date"), "Deze datum klopt niet.".into());
            }
            let length = Duration::minutes(i64::from(round.slot_minutes));
            if window.to <= window.from {
                e(
                    &format!("{wpath}.to"),
                    "De eindtijd moet na de begintijd liggen.".into(),
                );
            } else if window.date.and_time(window.from) + length > window.date.and_time(window.to) {
                e(
                    &format!("{wpath}.to"),
                    "In dit tijdvak past geen heel gesprek.".into(),
                );
            }
            let starts = window.date.and_time(window.from);
            if starts <= round.closes {
                e(
                    &format!("{wpath}.date"),
                    "De gesprekken beginnen na het sluiten van de inschrijving.".into(),
                );
            }
            // Two windows of one groep on one day leave the changeover between them, so that the
            // last talk of one and the first of the next do not run into each other.
            let gap = round.changeover();
            let at = |w: &TalkWindow, t: NaiveTime| w.date.and_time(t);
            let too_near = part.windows[..w].iter().any(|other| {
                other.date == window.date
                    && at(other, other.from) < at(window, window.to) + gap
                    && at(window, window.from) < at(other, other.to) + gap
            });
            if too_near {
                e(
                    &format!("{wpath}.from"),
                    format!(
                        "Dit tijdvak valt samen met een ander tijdvak van deze groep, of ligt er minder dan de wisseltijd ({} minuten) van af.",
                        round.changeover_minutes
                    ),
                );
            }
        }
    }
    let total: usize = round
        .groepen
        .iter()
        .take(8)
        .map(|g| round.slots_of(g.groep).len())
        .sum();
    if total >= MAX_SLOTS {
        e(
            "groepen",
            format!("Deze ronde maakt te veel gesprekken: hoogstens {MAX_SLOTS}."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn round() -> TalkRound {
        let window = |d: &str, from: &str, to: &str| TalkWindow {
            date: NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap(),
            from: NaiveTime::parse_from_str(from, "%H:%M").unwrap(),
            to: NaiveTime::parse_from_str(to, "%H:%M").unwrap(),
        };
        TalkRound {
            id: "rapport-1".into(),
            kind: TalkKind::Rapportgesprek,
            title: Text::nl("Rapportgesprekken"),
            text: Text::nl("Over het rapport."),
            groepen: vec![
                TalkGroep {
                    groep: 2,
                    windows: vec![window("2027-02-09", "15:00", "16:00")],
                    place: Text::nl("Lokaal 2"),
                },
                TalkGroep {
                    groep: 7,
                    windows: vec![window("2027-02-09", "15:00", "17:00")],
                    place: Text::nl("Lokaal 7"),
                },
            ],
            slot_minutes: 10,
            changeover_minutes: 5,
            opens: at("2027-02-01 19:00"),
            closes: at("2027-02-07 23:59"),
            siblings_from: Some(at("2027-01-31 19:00")),
        }
    }

    fn child(name: &str, groep: u8) -> ChildInGroep {
        ChildInGroep {
            name: name.into(),
            groep,
        }
    }

    #[test]
    fn a_window_is_filled_with_talks_and_changeovers() {
        let slots = round().slots_of(2);
        let starts: Vec<String> = slots
            .iter()
            .map(|s| s.start.format("%H:%M").to_string())
            .collect();
        assert_eq!(starts, ["15:00", "15:15", "15:30", "15:45"]);
        assert_eq!(slots[0].id, "g2-20270209-1500");
        assert_eq!(slots[3].end, at("2027-02-09 15:55"));
    }

    #[test]
    fn siblings_get_talks_back_to_back_with_the_changeover() {
        let r = round();
        let kids = [child("Noor", 7), child("Daan", 2)];
        let series = back_to_back(&r, &kids, at("2027-02-01 19:00"), |_| true).unwrap();
        assert_eq!(series.len(), 2);
        let (a, b) = (&series[0].1, &series[1].1);
        assert!(b.start >= a.end + r.changeover(), "{a:?} {b:?}");
        assert_eq!(a.start, at("2027-02-09 15:00"));
        assert_eq!(b.start, at("2027-02-09 15:15"));
    }

    #[test]
    fn the_first_free_preference_is_given_else_the_nearest_free_slots() {
        let r = round();
        let put = BookingPut {
            id: "b1".into(),
            family_id: "f1".into(),
            names: "Sanne".into(),
            round_id: r.id.clone(),
            child: child("Noor", 7),
            preferences: vec!["g7-20270209-1530".into(), "g7-20270209-1545".into()],
            note: String::new(),
            children_in_round: 1,
            updated_at: 1_800_000_000_000,
            cancelled: false,
        };
        let now = at("2027-02-02 10:00");
        assert_eq!(put.check(Some(&r), now), Ok(()));
        let taken = ["g7-20270209-1530"];
        let got = assign(&r, &put, now, &[], |id| !taken.contains(&id)).unwrap();
        assert_eq!(got.id, "g7-20270209-1545");
        let taken = ["g7-20270209-1530", "g7-20270209-1545"];
        let alternatives = assign(&r, &put, now, &[], |id| !taken.contains(&id)).unwrap_err();
        let ids: Vec<&str> = alternatives.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["g7-20270209-1515", "g7-20270209-1500", "g7-20270209-1600"]
        );
    }

    #[test]
    fn booking_opens_early_only_for_families_with_several_children_in_the_round() {
        let r = round();
        let early = at("2027-02-01 08:00");
        assert!(!r.is_open(early, false));
        assert!(r.is_open(early, true));
        assert!(!r.is_open(at("2027-02-08 00:00"), true));
    }
}
