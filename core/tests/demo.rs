//! The built-in demo school: it must parse, be valid on every day of a year, and give a parent
//! something to see and to answer on every one of those days.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use common::*;
use driehoek_core::demo::{bundled, demo_content, shift, shift_days};
use driehoek_core::model::*;
use driehoek_core::rsvp::is_open;
use driehoek_core::validate::{texts, validate};

fn year_of_days() -> impl Iterator<Item = NaiveDate> {
    (0..365).map(|i| date(2026, 11, 23) + Duration::days(i))
}

/// The demo content for every day of the year, made once per week (the shift is per week).
fn demo_by_day() -> Vec<(NaiveDate, Content)> {
    let mut weeks: HashMap<i64, Content> = HashMap::new();
    year_of_days()
        .map(|d| {
            let c = weeks
                .entry(shift_days(d))
                .or_insert_with(|| demo_content(d))
                .clone();
            (d, c)
        })
        .collect()
}

#[test]
fn bundled_demo_files_parse() {
    // `demo_content` relies on this test: the bundled files are parsed with a panic on error.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    let read = |name: &str| {
        std::fs::read_to_string(format!("{dir}/{name}.json"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    serde_json::from_str::<School>(&read("school")).expect("school.json");
    serde_json::from_str::<Agreement>(&read("agreement")).expect("agreement.json");
    serde_json::from_str::<Vec<Bulletin>>(&read("bulletins")).expect("bulletins.json");
    serde_json::from_str::<Vec<Activity>>(&read("activities")).expect("activities.json");
    serde_json::from_str::<Vec<Theme>>(&read("themes")).expect("themes.json");
    serde_json::from_str::<Vec<Prompt>>(&read("prompts")).expect("prompts.json");
    let _ = bundled();
}

#[test]
fn in_the_demo_week_nothing_moves() {
    for d in (23..=29).map(|day| date(2026, 11, day)) {
        assert_eq!(shift_days(d), 0, "{d}");
        assert_eq!(demo_content(d), bundled(), "{d}");
    }
    assert_eq!(
        shift_days(date(2026, 11, 22)),
        -7,
        "the Sunday before is the week before"
    );
    assert_eq!(shift_days(date(2026, 11, 30)), 7);
}

#[test]
fn dates_move_by_whole_weeks_and_keep_their_weekday() {
    let original = bundled();
    for today in [date(2025, 1, 1), date(2027, 6, 15), date(2031, 2, 28)] {
        let moved = demo_content(today);
        let days = shift_days(today);
        assert_eq!(days % 7, 0, "{today}: a whole number of weeks");
        for (a, b) in original.activities.iter().zip(&moved.activities) {
            assert_eq!(b.start - a.start, Duration::days(days), "{}", a.id);
            assert_eq!(b.start.weekday(), a.start.weekday(), "{}", a.id);
            assert_eq!(b.end - a.end, Duration::days(days), "{}", a.id);
            assert_eq!(
                b.rsvp_deadline.map(|t| t - Duration::days(days)),
                a.rsvp_deadline,
                "{}",
                a.id
            );
        }
        for (a, b) in original.themes.iter().zip(&moved.themes) {
            assert_eq!((b.from - a.from).num_days(), days, "{}", a.id);
            assert_eq!((b.to - a.to).num_days(), days, "{}", a.id);
        }
        let when = |c: &Content| -> Vec<When> {
            c.bulletins
                .iter()
                .flat_map(|b| &b.items)
                .filter_map(|i| i.when.clone())
                .collect()
        };
        for (a, b) in when(&original).iter().zip(when(&moved)) {
            assert_eq!((b.date - a.date).num_days(), days);
            assert_eq!(
                b.until.map(|u| (u - a.until.expect("until")).num_days()),
                a.until.map(|_| days)
            );
        }
        assert_eq!(
            (moved.agreement.published - original.agreement.published).num_days(),
            days
        );
    }
}

#[test]
fn a_bulletin_moves_to_the_month_of_its_first_monday() {
    let month = |y, m| YearMonth::new(y, m).expect("month");
    let mut c = content();
    // October 2026 starts on a Thursday; its first Monday is 5 October.
    c.bulletins[0].month = month(2026, 10);
    let moved = |weeks: i64| {
        let mut c = c.clone();
        shift(&mut c, weeks * 7);
        c.bulletins[0].month
    };
    assert_eq!(moved(0), month(2026, 10));
    assert_eq!(
        moved(-1),
        month(2026, 9),
        "5 October - 7 days is 28 September"
    );
    assert_eq!(moved(3), month(2026, 10), "26 October");
    assert_eq!(moved(4), month(2026, 11), "2 November");
    assert_eq!(moved(52), month(2027, 10), "4 October 2027");
}

#[test]
fn shifting_far_beyond_the_calendar_does_not_panic() {
    for today in [NaiveDate::MIN, NaiveDate::MAX] {
        let _ = demo_content(today);
    }
}

#[test]
fn the_demo_is_valid_on_every_day_of_a_year() {
    for (d, c) in demo_by_day() {
        let errors = validate(&c);
        assert!(errors.is_empty(), "on {d}: {errors:#?}");
    }
}

#[test]
fn every_demo_text_has_dutch_and_english() {
    let c = bundled();
    let missing: Vec<String> = texts(&c)
        .into_iter()
        .filter(|(_, t)| {
            ["nl", "en"]
                .iter()
                .any(|l| t.0.get(*l).is_none_or(|s| s.trim().is_empty()))
        })
        .map(|(path, _)| path)
        .collect();
    assert!(missing.is_empty(), "without nl or en: {missing:?}");
}

#[test]
fn the_demo_has_enough_of_everything() {
    let c = bundled();
    let a = &c.agreement;
    assert!(
        a.school_promises.len() >= 10,
        "school_promises: {}",
        a.school_promises.len()
    );
    assert!(
        a.parent_expectations.len() >= 10,
        "parent_expectations: {}",
        a.parent_expectations.len()
    );
    assert!(
        a.child_agreements.len() >= 5,
        "child_agreements: {}",
        a.child_agreements.len()
    );
    let months: BTreeSet<_> = c.bulletins.iter().map(|b| b.month).collect();
    assert!(months.len() >= 3, "bulletin months: {months:?}");
    assert!(
        c.activities.len() >= 10,
        "activities: {}",
        c.activities.len()
    );
    let kinds: BTreeSet<_> = c.activities.iter().map(|a| a.kind).collect();
    assert!(kinds.len() >= 8, "activity kinds: {kinds:?}");
    assert!(c.themes.len() >= 6, "themes: {}", c.themes.len());
    let prompts = c.prompts.len() + c.themes.iter().map(|t| t.prompts.len()).sum::<usize>();
    assert!(
        prompts >= 150,
        "prompts in the bank and the themes: {prompts}"
    );
}

#[test]
fn demo_prompts_cover_every_band_and_category() {
    let c = bundled();
    let mut count: BTreeMap<(Band, Category), usize> = BTreeMap::new();
    for p in c
        .prompts
        .iter()
        .chain(c.themes.iter().flat_map(|t| &t.prompts))
    {
        *count.entry((p.band, p.category)).or_default() += 1;
    }
    let bands = [Band::Groep1_2, Band::Groep3_5, Band::Groep6_8, Band::All];
    let missing: Vec<_> = bands
        .iter()
        .flat_map(|&b| Category::ALL.map(|cat| (b, cat)))
        .filter(|key| !count.contains_key(key))
        .collect();
    assert!(missing.is_empty(), "no prompt for: {missing:?}");
}

#[test]
fn every_day_has_something_to_answer_and_something_coming_up() {
    for (d, c) in demo_by_day() {
        let end_of_day = d.and_hms_opt(23, 59, 59).expect("time");
        assert!(
            c.activities.iter().any(|a| is_open(a, end_of_day)),
            "{d}: no activity open for answers until after today"
        );
        let week: Vec<NaiveDate> = (0..7).map(|i| d + Duration::days(i)).collect();
        let activity_soon = c.activities.iter().any(|a| week.contains(&a.start.date()));
        let item_soon = c
            .bulletins
            .iter()
            .flat_map(|b| &b.items)
            .filter_map(|i| i.when.as_ref())
            .any(|w| week.iter().any(|&day| w.covers(day)));
        assert!(
            activity_soon || item_soon,
            "{d}: nothing on in the coming 7 days"
        );
    }
}

#[test]
fn every_groep_has_a_theme_in_the_demo_week() {
    let c = bundled();
    let monday = date(2026, 11, 23);
    for groep in 1..=8 {
        assert!(
            c.themes
                .iter()
                .any(|t| concerns(&t.groepen, groep) && t.from <= monday && monday <= t.to),
            "groep {groep} has no theme on {monday}"
        );
    }
}

#[test]
fn demo_children_hear_no_prompt_twice_within_two_weeks() {
    let c = bundled();
    for groep in 1..=8u8 {
        let ids: Vec<String> = year_of_days()
            .map(|d| {
                driehoek_core::prompts::daily_prompt(&c, groep, d, "kind", &[], 0)
                    .unwrap_or_else(|| panic!("groep {groep}, {d}: no prompt"))
                    .id
                    .clone()
            })
            .collect();
        for (i, window) in ids.windows(14).enumerate() {
            let distinct: BTreeSet<_> = window.iter().collect();
            assert_eq!(
                distinct.len(),
                14,
                "groep {groep}, from day {i}: {window:?}"
            );
        }
    }
}

#[test]
fn every_demo_file_is_bundled() {
    // The asset (scripts/demo-asset.mjs) takes every file of the folder; the native copy must
    // have the same files, or the server and the app would show different demo schools.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("core/data/demo")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let bundled: BTreeSet<String> = driehoek_core::demo::FILES
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    assert_eq!(
        bundled, on_disk,
        "demo::FILES must list every file of core/data/demo"
    );
}

#[test]
fn the_asset_as_the_build_joins_it_is_the_bundled_demo() {
    // scripts/demo-asset.mjs joins the files into one object with a member per file; the app
    // reads that with `from_asset`, which must give what the server's compiled-in copy gives.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo");
    let mut joined = serde_json::Map::new();
    for entry in std::fs::read_dir(dir).expect("core/data/demo") {
        let path = entry.expect("an entry").path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("readable");
        joined.insert(name, serde_json::from_str(&text).expect("JSON"));
    }
    let asset = serde_json::Value::Object(joined).to_string();
    for today in [date(2026, 11, 25), date(2027, 3, 2), date(2026, 1, 1)] {
        assert_eq!(
            driehoek_core::demo::from_asset(&asset, today).expect("the asset reads"),
            demo_content(today),
            "{today}"
        );
    }
}

#[test]
fn the_placeholder_is_the_demo_school_without_content() {
    let empty = driehoek_core::demo::empty();
    assert_eq!(
        empty.school,
        bundled().school,
        "the top bar shows the demo school at once"
    );
    assert!(empty.activities.is_empty() && empty.bulletins.is_empty() && empty.prompts.is_empty());
}
