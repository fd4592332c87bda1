//! A family's answer to an activity (RSVP), and the rules for giving one.
//!
//! The same rules run on the phone (to explain at once what is wrong) and on the server (to
//! refuse what the phone should not have sent). Times are local school times, like the content.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::model::Activity;
use crate::validate::is_valid_id;

/// The longest note to the school, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Whether the family comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Yes, we come.
    Ja,
    /// No, we don't come.
    Nee,
    /// Maybe. Like a yes it must fit in the places left, but only a yes takes a place (see
    /// [`places_taken`]).
    Misschien,
}

/// One family's answer to one activity; a changed answer replaces the old one with the same id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// "ja" and "misschien" bring somebody: written in the schema as "nee, or at least 1 person".
#[cfg_attr(
    feature = "schema",
    schemars(extend("anyOf" = [
        { "properties": { "answer": { "enum": ["nee"] } } },
        { "properties": { "people": { "minimum": 1 } } },
    ]))
)]
pub struct Rsvp {
    /// Made on the phone (like a UUID), so that sending it twice is harmless.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// The [`Activity::id`] it answers.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub activity_id: String,
    /// Whether the family comes.
    pub answer: Answer,
    /// How many people come (0 only with [`Answer::Nee`]; at most the activity's
    /// `max_per_family`).
    pub people: u8,
    /// "Ik help mee" (only where the activity wants helpers).
    pub helps: bool,
    /// A note to the school: empty, or readable text (no control characters but new lines, no
    /// direction characters, not only invisible ones).
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_NOTE_CHARS)))]
    pub note: String,
    /// When the parent last changed it: milliseconds since the Unix epoch (UTC), set by the phone;
    /// after 2020, and at most a day ahead of the server's clock.
    #[cfg_attr(feature = "schema", schemars(range(min = crate::sync::EARLIEST_UPDATE_MS)))]
    pub updated_at: i64,
}

/// Why an answer cannot be given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RsvpError {
    /// The answer is for another activity than the one it is checked against.
    WrongActivity,
    /// The answer's id is not 1–64 characters of `a-z`, `0-9` and `-`.
    InvalidId,
    /// Answering closed at the deadline; the answer can only be read.
    DeadlinePassed {
        /// Until when answers could be given.
        deadline: NaiveDateTime,
    },
    /// "Ja" or "Misschien" with nobody coming.
    NoPeople,
    /// More people than one family may bring.
    TooManyPeople {
        /// How many one family may bring.
        max: u8,
    },
    /// "Ik help mee" where the school asks for no helpers.
    HelpNotWanted,
    /// The note is longer than [`MAX_NOTE_CHARS`].
    NoteTooLong {
        /// The most characters a note may have.
        max: usize,
    },
    /// Fewer places are left than people in the answer.
    Full {
        /// How many places are still free.
        places_left: u32,
    },
    /// The school called the activity off; answers can only be read.
    Cancelled,
    /// The note holds control characters (other than a new line) or only invisible ones.
    NoteUnreadable,
}

impl RsvpError {
    /// The reason in plain Dutch, for the parent.
    pub fn message(&self) -> String {
        match self {
            RsvpError::WrongActivity => "Dit antwoord hoort bij een andere activiteit.".into(),
            RsvpError::InvalidId => "Dit antwoord heeft een ongeldige code.".into(),
            // Written out by hand: chrono's formatter adds weight to the wasm for one line.
            RsvpError::DeadlinePassed { deadline } => format!(
                "Aanmelden kon tot {}-{}-{} {:02}:{:02}. U kunt uw antwoord nog wel lezen.",
                deadline.day(),
                deadline.month(),
                deadline.year(),
                deadline.hour(),
                deadline.minute()
            ),
            RsvpError::NoPeople => "Met hoeveel personen komt u? Dat is minstens 1.".into(),
            RsvpError::TooManyPeople { max } => {
                format!("Per gezin kunnen maximaal {max} personen komen.")
            }
            RsvpError::HelpNotWanted => "Voor deze activiteit zijn geen hulpouders nodig.".into(),
            RsvpError::NoteTooLong { max } => {
                format!("Uw bericht is te lang: maximaal {max} tekens.")
            }
            RsvpError::Full { places_left: 0 } => "Deze activiteit is vol.".into(),
            RsvpError::Full { places_left } => {
                format!("Er zijn nog maar {places_left} plaatsen vrij.")
            }
            RsvpError::Cancelled => {
                "Deze activiteit is afgelast. U kunt uw antwoord nog wel lezen.".into()
            }
            RsvpError::NoteUnreadable => {
                "Uw bericht bevat tekens die de school niet kan lezen. Typ het opnieuw.".into()
            }
        }
    }
}

impl std::fmt::Display for RsvpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for RsvpError {}

/// Until when parents can answer (inclusive): the deadline, or else the start.
pub fn deadline(activity: &Activity) -> NaiveDateTime {
    activity.rsvp_deadline.unwrap_or(activity.start)
}

/// Whether answers can still be given or changed at local time `now` (never for an activity the
/// school called off).
pub fn is_open(activity: &Activity, now: NaiveDateTime) -> bool {
    !activity.cancelled && now <= deadline(activity)
}

/// `Ok` while answers can be given or changed at `now`; afterwards, or once the school called it
/// off, they are read-only.
pub fn check_open(activity: &Activity, now: NaiveDateTime) -> Result<(), RsvpError> {
    if activity.cancelled {
        Err(RsvpError::Cancelled)
    } else if is_open(activity, now) {
        Ok(())
    } else {
        Err(RsvpError::DeadlinePassed {
            deadline: deadline(activity),
        })
    }
}

/// The places still free when `taken` are taken; `None` when there is no limit.
pub fn places_left(activity: &Activity, taken: u32) -> Option<u32> {
    activity.capacity.map(|c| c.saturating_sub(taken))
}

/// The places taken by "ja" answers to `activity_id`, given as (family id, answer), leaving out
/// the answers of `family` (its own earlier answer, which a new one replaces).
///
/// Counted by family, never by the answer's id: the id is made on a phone, so other families
/// could send the same one, and leaving out "answers with my id" would leave theirs uncounted.
pub fn places_taken<'a>(
    answers: impl IntoIterator<Item = (&'a str, &'a Rsvp)>,
    activity_id: &str,
    family: &str,
) -> u32 {
    answers
        .into_iter()
        .filter(|(f, r)| *f != family && r.activity_id == activity_id && r.answer == Answer::Ja)
        .fold(0, |sum, (_, r)| sum.saturating_add(u32::from(r.people)))
}

impl Rsvp {
    /// The same answer with "nee" meaning nobody comes and nobody helps.
    pub fn normalised(mut self) -> Self {
        if self.answer == Answer::Nee {
            self.people = 0;
            self.helps = false;
        }
        self
    }

    /// Checks this answer to `activity` at local time `now`, with `taken` places already taken
    /// by other answers (see [`places_taken`]); returns it [normalised](Rsvp::normalised).
    pub fn check(
        self,
        activity: &Activity,
        now: NaiveDateTime,
        taken: u32,
    ) -> Result<Rsvp, RsvpError> {
        if self.activity_id != activity.id {
            return Err(RsvpError::WrongActivity);
        }
        self.check_form()?;
        check_open(activity, now)?;
        let rsvp = self.normalised();
        if rsvp.answer != Answer::Nee {
            if rsvp.people > activity.max_per_family {
                return Err(RsvpError::TooManyPeople {
                    max: activity.max_per_family,
                });
            }
            if let Some(left) = places_left(activity, taken) {
                if u32::from(rsvp.people) > left {
                    return Err(RsvpError::Full { places_left: left });
                }
            }
        }
        if rsvp.helps && !activity.helpers_wanted {
            return Err(RsvpError::HelpNotWanted);
        }
        Ok(rsvp)
    }

    /// The rules of the answer alone, whatever the activity or the moment: a valid id, somebody
    /// coming with "ja" or "misschien", a note of at most [`MAX_NOTE_CHARS`]. The server checks
    /// these for every version it is sent, also one it will not keep: a malformed body is
    /// malformed, however old.
    pub fn check_form(&self) -> Result<(), RsvpError> {
        if !is_valid_id(&self.id) {
            return Err(RsvpError::InvalidId);
        }
        if self.answer != Answer::Nee && self.people == 0 {
            return Err(RsvpError::NoPeople);
        }
        if self.note.chars().nth(MAX_NOTE_CHARS).is_some() {
            return Err(RsvpError::NoteTooLong {
                max: MAX_NOTE_CHARS,
            });
        }
        // An empty note is fine; a note must not be empty only after its invisible characters go.
        if !self.note.is_empty() && crate::validate::free_text(&self.note, true).is_err() {
            return Err(RsvpError::NoteUnreadable);
        }
        Ok(())
    }

    /// Whether this version should replace `other` (two versions of the same answer): the later
    /// `updated_at` wins; on a tie, the larger JSON text, so every device and the server keep the
    /// same one.
    pub fn is_newer(&self, other: &Rsvp) -> bool {
        crate::sync::newer_by_time(self, self.updated_at, other, other.updated_at)
    }
}

/// The activities that the family answered "ja" to, in the order of `activities`, taking for each
/// answer id its newest version (for the "all my activities" calendar file).
pub fn attending<'a>(activities: &'a [Activity], rsvps: &[Rsvp]) -> Vec<&'a Activity> {
    let mut newest: BTreeMap<&str, &Rsvp> = BTreeMap::new();
    for rsvp in rsvps {
        let kept = newest.entry(rsvp.id.as_str()).or_insert(rsvp);
        if rsvp.is_newer(kept) {
            *kept = rsvp;
        }
    }
    activities
        .iter()
        .filter(|a| {
            newest
                .values()
                .any(|r| r.activity_id == a.id && r.answer == Answer::Ja)
        })
        .collect()
}
