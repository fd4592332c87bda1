//! "Ziek of afwezig melden": a parent reports a child ill or absent for today or a few school
//! days, before school starts. The body of `PUT …/absences/{absence_id}` ([`AbsencePut`]), its
//! rules (checked by the phone before it queues the report and by the server before it keeps
//! it), the school's time limit for today, and the school's list of today's absences.
//!
//! A report is a record like an RSVP: made on the phone with an id of its own, sent through the
//! outbox, ordered by the phone's `updated_at` and applied with [`crate::sync::apply`] per family
//! and absence id. Withdrawing ("Intrekken") is a newer version of the same record with
//! `withdrawn: true`, so a withdrawal can never be overtaken by the report it withdraws.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::School;
use crate::rsvp::MAX_NOTE_CHARS;
use crate::validate::{free_text, is_valid_id};

/// The most school days (Monday to Friday) one report may cover.
pub const MAX_SCHOOL_DAYS: u32 = 10;
/// How far ahead the first day may lie, in days: further ahead is a typing error (a planned
/// absence goes through the school's leave form, not through this).
pub const MAX_DAYS_AHEAD: i64 = 60;
/// The longest name of a child, in characters (the app's field takes 40).
pub const MAX_CHILD_NAME: usize = 40;

/// Ill or absent for another reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AbsenceKind {
    /// Ill.
    Ziek,
    /// Absent for another reason (a doctor's visit, a funeral).
    Afwezig,
}

/// The child a report is about, as the school should see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AbsenceChild {
    /// First name or roepnaam: readable text (no control or direction characters, not only
    /// invisible ones).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_CHILD_NAME), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub name: String,
    /// The child's groep, 1 to 8.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 8)))]
    pub groep: u8,
}

/// The body of `PUT …/absences/{absence_id}`: one version of one report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AbsencePut {
    /// Made on the phone; equals the path's `absence_id`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// The family, made on the phone.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub family_id: String,
    pub child: AbsenceChild,
    pub kind: AbsenceKind,
    /// The first day away: today or later (for a report that is not withdrawn).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub first_day: NaiveDate,
    /// The last day away: not before `first_day`, at most ten school days (Monday to Friday)
    /// from it.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub last_day: NaiveDate,
    /// A note to the school: empty, or readable text (new lines allowed).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_NOTE_CHARS)))]
    pub note: String,
    /// When the parent reported or withdrew it: milliseconds since the Unix epoch (UTC), set by
    /// the phone; after 2020, and at most a day ahead of the server's clock.
    #[cfg_attr(feature = "schema", schemars(range(min = crate::sync::EARLIEST_UPDATE_MS)))]
    pub updated_at: i64,
    /// The parent withdrew the report ("Intrekken"): the school no longer lists it.
    #[serde(default)]
    pub withdrawn: bool,
}

/// The answer to `PUT …/absences/{absence_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AbsencePutResponse {
    pub outcome: crate::sync::Outcome,
    pub kept: AbsencePut,
}

/// Why a report cannot be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AbsenceError {
    /// The id is not 1 to 64 characters of `a-z`, `0-9` and `-`.
    InvalidId,
    /// The child's name is empty, too long or unreadable.
    ChildName,
    /// The groep is not 1 to 8.
    Groep,
    /// The last day lies before the first.
    DaysOutOfOrder,
    /// More than [`MAX_SCHOOL_DAYS`] school days.
    TooManyDays,
    /// The note is longer than [`MAX_NOTE_CHARS`].
    NoteTooLong,
    /// The note holds control characters (other than a new line) or only invisible ones.
    NoteUnreadable,
    /// The first day lies before today.
    InThePast,
    /// The first day lies more than [`MAX_DAYS_AHEAD`] days ahead.
    TooFarAhead,
    /// A report for today after the school's time limit: the parent must call.
    TooLateForToday {
        /// Until when the school takes reports for today.
        until: NaiveTime,
        /// The number to call (may be empty when the school gave none).
        phone: String,
    },
}

impl AbsenceError {
    /// The reason in plain Dutch (the server's answer).
    pub fn message(&self) -> String {
        match self {
            AbsenceError::InvalidId => "Ongeldige code van de melding.".into(),
            AbsenceError::ChildName => format!(
                "Vul de naam van het kind in (maximaal {MAX_CHILD_NAME} tekens, gewone letters)."
            ),
            AbsenceError::Groep => "Kies een groep van 1 tot en met 8.".into(),
            AbsenceError::DaysOutOfOrder => "De laatste dag ligt vóór de eerste dag.".into(),
            AbsenceError::TooManyDays => format!(
                "Meld hoogstens {MAX_SCHOOL_DAYS} schooldagen tegelijk. Duurt het langer? \
                 Bel de school."
            ),
            AbsenceError::NoteTooLong => {
                format!("De opmerking is te lang: hoogstens {MAX_NOTE_CHARS} tekens.")
            }
            AbsenceError::NoteUnreadable => {
                "In de opmerking staan tekens die niet te lezen zijn. Typ haar opnieuw.".into()
            }
            AbsenceError::InThePast => "Deze dag is al voorbij. Kies vandaag of later.".into(),
            AbsenceError::TooFarAhead => format!(
                "Dat is meer dan {MAX_DAYS_AHEAD} dagen vooruit. Vraag verlof aan bij de school."
            ),
            AbsenceError::TooLateForToday { until, phone } => {
                let until = until.format("%H:%M");
                if phone.is_empty() {
                    format!("Na {until} kunt u een kind voor vandaag niet meer melden in de app. Bel de school.")
                } else {
                    format!(
                        "Na {until} kunt u een kind voor vandaag niet meer melden in de app. \
                         Bel de school: {phone}."
                    )
                }
            }
        }
    }
}

/// The school days (Monday to Friday) from `first` to `last`, both included; 0 when `last` lies
/// before `first`. Counts at most 400 days, so that a made-up range costs nothing.
pub fn school_days(first: NaiveDate, last: NaiveDate) -> u32 {
    let mut count = 0;
    let mut day = first;
    let mut steps = 0;
    while day <= last && steps < 400 {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
        steps += 1;
    }
    count
}

/// Whether the school still takes a report for today at `now` (local school time): always when
/// it set no time limit.
pub fn accepts_today(school: &School, now: NaiveDateTime) -> bool {
    school.absence_until.is_none_or(|until| now.time() < until)
}

/// The number to call when the app cannot take a report: the school's number for urgent cases,
/// else its ordinary number (may be empty).
pub fn urgent_phone(school: &School) -> &str {
    school
        .absence_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(&school.phone)
}

impl AbsencePut {
    /// The rules of the report alone, whatever the moment: checked for every version the server
    /// is sent, also one it will not keep.
    pub fn check_form(&self) -> Result<(), AbsenceError> {
        if !is_valid_id(&self.id) {
            return Err(AbsenceError::InvalidId);
        }
        let name = &self.child.name;
        if name.chars().nth(MAX_CHILD_NAME).is_some() || free_text(name, false).is_err() {
            return Err(AbsenceError::ChildName);
        }
        if !(1..=8).contains(&self.child.groep) {
            return Err(AbsenceError::Groep);
        }
        if self.last_day < self.first_day {
            return Err(AbsenceError::DaysOutOfOrder);
        }
        if school_days(self.first_day, self.last_day) > MAX_SCHOOL_DAYS
            || self.last_day - self.first_day > Duration::days(31)
        {
            return Err(AbsenceError::TooManyDays);
        }
        if self.note.chars().nth(MAX_NOTE_CHARS).is_some() {
            return Err(AbsenceError::NoteTooLong);
        }
        if !self.note.is_empty() && free_text(&self.note, true).is_err() {
            return Err(AbsenceError::NoteUnreadable);
        }
        Ok(())
    }

    /// Every rule for a version that would be kept, at `now` (local school time) with the
    /// school's settings. A withdrawal only removes a report from the school's list, so it is
    /// taken at any time; a report must start today or later, not too far ahead, and a report for
    /// today only before the school's time limit.
    pub fn check(&self, school: &School, now: NaiveDateTime) -> Result<(), AbsenceError> {
        self.check_form()?;
        if self.withdrawn {
            return Ok(());
        }
        let today = now.date();
        if self.first_day < today {
            return Err(AbsenceError::InThePast);
        }
        if self.first_day - today > Duration::days(MAX_DAYS_AHEAD) {
            return Err(AbsenceError::TooFarAhead);
        }
        if self.first_day == today && !accepts_today(school, now) {
            return Err(AbsenceError::TooLateForToday {
                until: school.absence_until.unwrap_or(NaiveTime::MIN),
                phone: urgent_phone(school).to_owned(),
            });
        }
        Ok(())
    }

    /// Whether the report covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.first_day <= day && day <= self.last_day
    }
}

impl crate::sync::Versioned for AbsencePut {
    fn is_newer(&self, other: &Self) -> bool {
        crate::sync::newer_by_time(self, self.updated_at, other, other.updated_at)
    }
}

/// One child away today, as the school's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AbsenceRow {
    /// The report's id.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub child: AbsenceChild,
    pub kind: AbsenceKind,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub first_day: NaiveDate,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub last_day: NaiveDate,
    pub note: String,
    /// When the parent sent it, local school time.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub reported_at: NaiveDateTime,
}

/// The absences of one groep today, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroepAbsences {
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 8)))]
    pub groep: u8,
    pub absences: Vec<AbsenceRow>,
}

/// The body of `GET …/absences`: who is away today, per groep (groep 1 first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AbsenceReport {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub school: String,
    /// Today, in the school's time.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub date: NaiveDate,
    pub groepen: Vec<GroepAbsences>,
}

/// The school's list for `today` from the kept reports: withdrawn ones and those that do not
/// cover today left out; per groep, newest first.
pub fn absence_report(school: &str, today: NaiveDate, kept: Vec<AbsencePut>) -> AbsenceReport {
    let mut rows: Vec<AbsenceRow> = kept
        .into_iter()
        .filter(|a| !a.withdrawn && a.covers(today))
        .map(|a| AbsenceRow {
            reported_at: crate::tz::local_from_unix_millis(a.updated_at).unwrap_or_default(),
            id: a.id,
            child: a.child,
            kind: a.kind,
            first_day: a.first_day,
            last_day: a.last_day,
            note: a.note,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.child
            .groep
            .cmp(&b.child.groep)
            .then(b.reported_at.cmp(&a.reported_at))
            .then(a.id.cmp(&b.id))
    });
    let mut groepen: Vec<GroepAbsences> = Vec::new();
    for row in rows {
        match groepen.last_mut() {
            Some(g) if g.groep == row.child.groep => g.absences.push(row),
            _ => groepen.push(GroepAbsences {
                groep: row.child.groep,
                absences: vec![row],
            }),
        }
    }
    AbsenceReport {
        school: school.to_owned(),
        date: today,
        groepen,
    }
}
