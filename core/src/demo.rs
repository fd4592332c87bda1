//! The built-in demo school, shown when no school's sync address is set.
//!
//! Its content lives in `core/data/demo/*.json`, written as if today falls in the week of
//! Monday [`DEMO_WEEK`] (2026-11-23). [`demo_content`] moves every date by whole weeks to the week
//! of the real today, so the demo always looks current and every weekday stays the same (an
//! evening on a Tuesday stays on a Tuesday).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::de::DeserializeOwned;

use crate::model::{Content, School, YearMonth};

/// The Monday of the week the demo files are written for.
pub const DEMO_WEEK: (i32, u32, u32) = (2026, 11, 23);

fn demo_week() -> NaiveDate {
    let (y, m, d) = DEMO_WEEK;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The demo school's content, with its dates moved to the week of `today`.
pub fn demo_content(today: NaiveDate) -> Content {
    let mut content = bundled();
    shift(&mut content, shift_days(today));
    content
}

/// The demo school's details alone: cheap to load, for the app's top bar before any content.
pub fn school() -> School {
    parse("school", SCHOOL_JSON)
}

const SCHOOL_JSON: &str = include_str!("../data/demo/school.json");

/// The demo content exactly as written in the files (for the week of [`DEMO_WEEK`]).
pub fn bundled() -> Content {
    Content {
        school: school(),
        agreement: parse("agreement", include_str!("../data/demo/agreement.json")),
        bulletins: parse("bulletins", include_str!("../data/demo/bulletins.json")),
        activities: parse("activities", include_str!("../data/demo/activities.json")),
        themes: parse("themes", include_str!("../data/demo/themes.json")),
        prompts: parse("prompts", include_str!("../data/demo/prompts.json")),
        talks: parse("talks", include_str!("../data/demo/talks.json")),
    }
}

/// Parses one bundled file.
fn parse<T: DeserializeOwned>(name: &str, json: &str) -> T {
    // The files are compiled in and never change at run time; the test
    // `bundled_demo_files_parse` parses every one of them, so this cannot fail in a build whose
    // tests pass.
    serde_json::from_str(json).unwrap_or_else(|e| panic!("demo/{name}.json is invalid: {e}"))
}

/// The number of days (a multiple of 7) from the demo week to the week of `today`.
pub fn shift_days(today: NaiveDate) -> i64 {
    let back = Duration::days(i64::from(today.weekday().num_days_from_monday()));
    // Only the first days of chrono's range have no Monday before them; their week is near enough.
    let monday = today.checked_sub_signed(back).unwrap_or(today);
    (monday - demo_week()).num_days()
}

/// Moves every date in `content` by `days`. A date that would leave chrono's range stays where it
/// is (only reachable with a `today` tens of thousands of years away).
pub fn shift(content: &mut Content, days: i64) {
    let by = Duration::days(days);
    let date = |d: &mut NaiveDate| *d = d.checked_add_signed(by).unwrap_or(*d);
    let date_time = |t: &mut NaiveDateTime| *t = t.checked_add_signed(by).unwrap_or(*t);

    date(&mut content.agreement.published);
    for bulletin in &mut content.bulletins {
        bulletin.month = shift_month(bulletin.month, by);
        for when in bulletin.items.iter_mut().filter_map(|i| i.when.as_mut()) {
            date(&mut when.date);
            if let Some(until) = &mut when.until {
                date(until);
            }
        }
    }
    for activity in &mut content.activities {
        date_time(&mut activity.start);
        date_time(&mut activity.end);
        if let Some(deadline) = &mut activity.rsvp_deadline {
            date_time(deadline);
        }
    }
    for theme in &mut content.themes {
        date(&mut theme.from);
        date(&mut theme.to);
    }
    for round in &mut content.talks {
        date_time(&mut round.opens);
        date_time(&mut round.closes);
        if let Some(early) = &mut round.siblings_from {
            date_time(early);
        }
        for window in round.groepen.iter_mut().flat_map(|g| g.windows.iter_mut()) {
            date(&mut window.date);
        }
    }
}

/// The month of a bulletin after a shift: the month that its first Monday falls in after the
/// shift. (The first Monday on or after the 1st, rather than the 1st itself, because a shift by
/// whole weeks keeps weekdays, and the first school week is what a bulletin is about.)
fn shift_month(month: YearMonth, by: Duration) -> YearMonth {
    let first = month.first_day();
    let to_monday = (7 - i64::from(first.weekday().num_days_from_monday())) % 7;
    first
        .checked_add_signed(Duration::days(to_monday) + by)
        .map_or(month, YearMonth::of)
}
