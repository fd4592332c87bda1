//! The demo school, shown when no school's sync address is set.
//!
//! Its content lives in `core/data/demo/*.json`, one file per field of [`Content`] (the file's name
//! is the field's name), written as if today falls in the week of Monday [`DEMO_WEEK`]
//! (2026-11-23). [`this_week`] moves every date by whole weeks to the week of the real today, so
//! the demo always looks current and every weekday stays the same (an evening on a Tuesday stays on
//! a Tuesday).
//!
//! The parents' app does not carry the content: the build joins the files into one asset,
//! `demo.json` (`scripts/demo-asset.mjs`: an object with a member per file), which the service
//! worker precaches and the app fetches only when no school is connected, and moves with
//! [`this_week`]. Only the school's own details ([`school`], a few hundred bytes) are compiled in,
//! for the top bar before the content has arrived. Native users (the server, the tests) have the
//! whole content compiled in: [`bundled`] and [`demo_content`].

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::model::{Agreement, Content, School, Text, YearMonth};

/// The Monday of the week the demo files are written for.
pub const DEMO_WEEK: (i32, u32, u32) = (2026, 11, 23);

/// Where the parents' app finds the demo content (`demo.json` in the built app).
pub const ASSET: &str = "/demo.json";

fn demo_week() -> NaiveDate {
    let (y, m, d) = DEMO_WEEK;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The demo content as written (the whole asset, or [`bundled`]), with its dates moved to the
/// week of `today`.
pub fn this_week(mut content: Content, today: NaiveDate) -> Content {
    shift(&mut content, shift_days(today));
    content
}

/// The demo school's content read from the asset `demo.json`, with its dates moved to the week
/// of `today`.
pub fn from_asset(json: &str, today: NaiveDate) -> Result<Content, serde_json::Error> {
    serde_json::from_str(json).map(|content| this_week(content, today))
}

/// The demo school's details alone: compiled in and cheap to load, for the app's top bar before
/// any content.
pub fn school() -> School {
    // The file is compiled in and never changes at run time; the test
    // `bundled_demo_files_parse` parses it, so this cannot fail in a build whose tests pass.
    serde_json::from_str(include_str!("../data/demo/school.json"))
        .unwrap_or_else(|_| panic!("demo/school.json is invalid"))
}

/// The demo school with nothing in it yet: what the app shows while the demo content loads (and,
/// for a connected school, until its first content arrives).
pub fn empty() -> Content {
    Content {
        school: school(),
        agreement: Agreement {
            version: 0,
            published: demo_week(),
            vision: Text::default(),
            school_promises: Vec::new(),
            parent_expectations: Vec::new(),
            child_agreements: Vec::new(),
        },
        bulletins: Vec::new(),
        activities: Vec::new(),
        themes: Vec::new(),
        prompts: Vec::new(),
        talks: Vec::new(),
    }
}

/// The files of `core/data/demo/`, each named as its field of [`Content`]; a new file is one line
/// here (the asset takes every file in the folder; the test `every_demo_file_is_bundled` checks
/// that this list has them all).
#[cfg(not(target_arch = "wasm32"))]
pub const FILES: [(&str, &str); 7] = [
    ("school", include_str!("../data/demo/school.json")),
    ("agreement", include_str!("../data/demo/agreement.json")),
    ("bulletins", include_str!("../data/demo/bulletins.json")),
    ("activities", include_str!("../data/demo/activities.json")),
    ("themes", include_str!("../data/demo/themes.json")),
    ("prompts", include_str!("../data/demo/prompts.json")),
    ("talks", include_str!("../data/demo/talks.json")),
];

/// The demo school's content, with its dates moved to the week of `today` (native only: the
/// parents' app fetches it, see the module's text).
#[cfg(not(target_arch = "wasm32"))]
pub fn demo_content(today: NaiveDate) -> Content {
    this_week(bundled(), today)
}

/// The demo content exactly as written in the files (for the week of [`DEMO_WEEK`]), joined as
/// the asset joins them: an object with a member per file.
#[cfg(not(target_arch = "wasm32"))]
pub fn bundled() -> Content {
    let mut joined = serde_json::Map::new();
    for (name, json) in FILES {
        // The files are compiled in and never change at run time; the test
        // `bundled_demo_files_parse` parses every one of them, so this cannot fail in a build
        // whose tests pass.
        let value = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("demo/{name}.json is invalid: {e}"));
        joined.insert(name.to_owned(), value);
    }
    serde_json::from_value(serde_json::Value::Object(joined))
        .unwrap_or_else(|e| panic!("the demo files do not make a school's content: {e}"))
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
