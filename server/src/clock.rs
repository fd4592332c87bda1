//! The one place the server reads the time for a decision.
//!
//! Every deadline, "still open" and capacity decision, and the demo school's dates, ask the
//! [`Clock`] in the server's state. In production it is the system clock; a test states the moment
//! it plays at with [`Clock::fixed`] (and moves it with [`Clock::set`]), and the browser tests
//! start the server with `serve --clock <moment>`, a clock that starts at that moment and then
//! runs on at the real pace, as the browser's clock does under Playwright. Nothing reads a clock
//! from the environment: a production server only ever runs on the system clock unless its
//! command line says otherwise.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};

/// Where "now" comes from; cheap to clone, shared by every handler.
#[derive(Clone)]
pub struct Clock(Source);

#[derive(Clone)]
enum Source {
    /// The operating system's clock.
    System,
    /// A moment a test states; it moves only when the test says so.
    Fixed(Arc<Mutex<NaiveDateTime>>),
    /// Starts at a stated moment (UTC) and runs on at the real pace from `since`.
    Running {
        start: NaiveDateTime,
        since: Instant,
    },
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Source::System => f.write_str("Clock::system"),
            Source::Fixed(_) | Source::Running { .. } => write!(f, "Clock({})", self.now_utc()),
        }
    }
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(Source::System)
    }

    /// A clock standing still at `local`, a Europe/Amsterdam wall-clock time (as a test states
    /// its moment: "Monday 23 November 2026, 10:00").
    pub fn fixed(local: NaiveDateTime) -> Self {
        let utc = driehoek_core::tz::local_to_utc(local);
        Clock(Source::Fixed(Arc::new(Mutex::new(utc))))
    }

    /// A clock that starts at `local` (Europe/Amsterdam) now and runs on at the real pace.
    pub fn starting_at(local: NaiveDateTime) -> Self {
        Clock(Source::Running {
            start: driehoek_core::tz::local_to_utc(local),
            since: Instant::now(),
        })
    }

    /// Moves a [`Clock::fixed`] clock (and every copy of it) to `local` (Europe/Amsterdam). Has
    /// no effect on the system clock or a running one.
    pub fn set(&self, local: NaiveDateTime) {
        if let Source::Fixed(moment) = &self.0 {
            *moment.lock().unwrap_or_else(PoisonError::into_inner) =
                driehoek_core::tz::local_to_utc(local);
        }
    }

    /// Now, in UTC.
    pub fn now_utc(&self) -> NaiveDateTime {
        match &self.0 {
            Source::System => chrono::Utc::now().naive_utc(),
            Source::Fixed(moment) => *moment.lock().unwrap_or_else(PoisonError::into_inner),
            Source::Running { start, since } => chrono::Duration::from_std(since.elapsed())
                .ok()
                .and_then(|passed| start.checked_add_signed(passed))
                .unwrap_or(*start),
        }
    }

    /// Now, as the school's wall clock in Europe/Amsterdam shows it: the time every content
    /// date is written in.
    pub fn now_local(&self) -> NaiveDateTime {
        driehoek_core::tz::utc_to_local(self.now_utc())
    }

    /// Today's date in Europe/Amsterdam.
    pub fn today(&self) -> NaiveDate {
        self.now_local().date()
    }

    /// Milliseconds since the Unix epoch, the unit of the phone's `updated_at`.
    pub fn unix_millis(&self) -> i64 {
        self.now_utc().and_utc().timestamp_millis()
    }
}

/// Reads a moment as a test states it on the command line: `2026-11-23T10:00`,
/// `2026-11-23 10:00` or with seconds, Europe/Amsterdam wall-clock time.
pub fn parse_moment(text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .ok_or_else(|| format!("{text:?} is geen moment: schrijf het als 2026-11-23T10:00"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        parse_moment(text).unwrap()
    }

    #[test]
    fn a_fixed_clock_stands_still_until_it_is_set() {
        let clock = Clock::fixed(at("2026-11-23T10:00"));
        let copy = clock.clone();
        assert_eq!(clock.now_local(), at("2026-11-23T10:00"));
        assert_eq!(clock.now_utc(), at("2026-11-23T09:00"), "CET is UTC+1");
        clock.set(at("2026-07-01T23:30"));
        assert_eq!(copy.now_local(), at("2026-07-01T23:30"), "copies share it");
        assert_eq!(copy.now_utc(), at("2026-07-01T21:30"), "CEST is UTC+2");
    }

    #[test]
    fn the_school_day_follows_amsterdam_not_utc() {
        // 31 December 23:30 UTC is already New Year's Day at school.
        let clock = Clock::fixed(at("2027-01-01T00:30"));
        assert_eq!(clock.now_utc(), at("2026-12-31T23:30"));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    }

    #[test]
    fn a_running_clock_starts_at_its_moment() {
        let clock = Clock::starting_at(at("2026-11-23T10:00"));
        let now = clock.now_local();
        assert!(
            now >= at("2026-11-23T10:00") && now < at("2026-11-23T10:01"),
            "{now}"
        );
    }

    #[test]
    fn a_moment_with_words_is_refused_with_a_message() {
        assert!(parse_moment("morgen")
            .unwrap_err()
            .contains("2026-11-23T10:00"));
        assert_eq!(at("2026-11-23 10:00:30"), at("2026-11-23T10:00:30"));
    }
}
