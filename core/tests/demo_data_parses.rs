//! The demo school's content (`core/data/demo/*.json`) deserializes into the content model and
//! keeps the promises the app relies on: texts in Dutch and English, unique ids, sensible dates
//! relative to "today" (Monday 2026-11-23, the week the app shifts the demo to), and prompts for
//! every age band and category.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use driehoek_core::model::{
    Activity, ActivityKind, Agreement, Band, Bulletin, Category, ItemKind, Prompt, School, Text,
    Theme,
};

const SCHOOL: &str = include_str!("../data/demo/school.json");
const AGREEMENT: &str = include_str!("../data/demo/agreement.json");
const BULLETINS: &str = include_str!("../data/demo/bulletins.json");
const ACTIVITIES: &str = include_str!("../data/demo/activities.json");
const THEMES: &str = include_str!("../data/demo/themes.json");
const PROMPTS: &str = include_str!("../data/demo/prompts.json");

fn parse<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

fn school() -> School {
    parse("school.json", SCHOOL)
}
fn agreement() -> Agreement {
    parse("agreement.json", AGREEMENT)
}
fn bulletins() -> Vec<Bulletin> {
    parse("bulletins.json", BULLETINS)
}
fn activities() -> Vec<Activity> {
    parse("activities.json", ACTIVITIES)
}
fn themes() -> Vec<Theme> {
    parse("themes.json", THEMES)
}
fn bank() -> Vec<Prompt> {
    parse("prompts.json", PROMPTS)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The Monday of the week that the app presents as "this week".
fn today() -> NaiveDate {
    date(2026, 11, 23)
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Every text has a non-empty Dutch and English version, at most `max` characters each.
fn check_text(what: &str, text: &Text, max: usize) {
    for lang in ["nl", "en"] {
        let s = text
            .0
            .get(lang)
            .unwrap_or_else(|| panic!("{what}: no \"{lang}\" text"));
        assert!(!s.trim().is_empty(), "{what}: empty \"{lang}\" text");
        assert_eq!(
            s.trim(),
            s,
            "{what}: \"{lang}\" text has surrounding whitespace"
        );
        let len = s.chars().count();
        assert!(
            len <= max,
            "{what}: \"{lang}\" text is {len} characters, more than {max}"
        );
        assert!(
            !s.contains("  "),
            "{what}: \"{lang}\" text has a double space"
        );
    }
    for lang in text.0.keys() {
        assert!(
            lang == "nl" || lang == "en",
            "{what}: unexpected language {lang:?}"
        );
    }
    check_timeless(what, text);
}

/// The demo's dates move with the calendar, so no text may name a month, a season, a holiday or
/// the weather; nor may it use the names of the real schools in the source texts.
fn check_timeless(what: &str, text: &Text) {
    const NL: &[&str] = &[
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
        "lente",
        "voorjaar",
        "zomer",
        "herfst",
        "najaar",
        "winter",
        "kerst",
        "kerstmis",
        "sinterklaas",
        "pakjesavond",
        "pasen",
        "pinksteren",
        "carnaval",
        "nieuwjaar",
        "sneeuw",
        "ijzel",
        "hagel",
        "regen",
        "regent",
        "zonnig",
        "hittegolf",
        "kelderswerf",
        "startblok",
    ];
    const EN: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "spring",
        "summer",
        "autumn",
        "winter",
        "christmas",
        "xmas",
        "easter",
        "halloween",
        "snow",
        "rain",
        "sunny",
        "heatwave",
    ];
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    for (lang, banned) in [("nl", NL), ("en", EN)] {
        let Some(s) = text.0.get(lang) else { continue };
        let ws = words(s);
        for w in &ws {
            assert!(
                !banned.contains(&w.as_str()),
                "{what}: \"{lang}\" text mentions {w:?}, which depends on the date: {s}"
            );
        }
        if lang == "nl" {
            assert!(
                !s.to_lowercase().contains("oud en nieuw"),
                "{what}: mentions oud en nieuw"
            );
        }
    }
}

fn check_groepen(what: &str, groepen: &[u8]) {
    let mut seen = BTreeSet::new();
    for &g in groepen {
        assert!(
            (1..=8).contains(&g),
            "{what}: groep {g} is not within 1 to 8"
        );
        assert!(seen.insert(g), "{what}: groep {g} is listed twice");
    }
}

fn check_id(what: &str, id: &str) {
    assert!(
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{what}: id {id:?} is not 1 to 64 characters of a-z, 0-9 and -"
    );
}

/// Counts the sentences of a text, roughly: by their closing punctuation.
fn sentences(s: &str) -> usize {
    s.split(['.', '?', '!'])
        .filter(|part| part.chars().any(char::is_alphabetic))
        .count()
}

#[test]
fn school_is_complete() {
    let school = school();
    check_id("school", &school.id);
    assert_eq!(school.id, "wilgenhoek", "school id");
    for (field, value) in [
        ("name", &school.name),
        ("place", &school.place),
        ("website", &school.website),
        ("phone", &school.phone),
        ("email", &school.email),
    ] {
        assert!(!value.trim().is_empty(), "school: empty {field}");
    }
    assert!(
        school.website.starts_with("https://") && school.website.contains("example.nl"),
        "school: website {} is not on the reserved example.nl domain",
        school.website
    );
    assert!(
        school.email.ends_with("example.nl") && school.email.contains('@'),
        "school: e-mail {} is not on the reserved example.nl domain",
        school.email
    );
    assert!(
        school
            .phone
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' '),
        "school: phone {} has unexpected characters",
        school.phone
    );
}

#[test]
fn agreement_is_complete() {
    let agreement = agreement();
    assert_eq!(agreement.version, 1, "agreement: version");
    assert_eq!(
        agreement.published,
        date(2026, 9, 1),
        "agreement: published"
    );
    check_text("agreement vision", &agreement.vision, 1500);

    let mut ids = HashSet::new();
    for (list, items, min) in [
        ("school_promises", &agreement.school_promises, 12),
        ("parent_expectations", &agreement.parent_expectations, 12),
        ("child_agreements", &agreement.child_agreements, 6),
    ] {
        assert!(
            items.len() >= min,
            "agreement: {list} has {} items, fewer than {min}",
            items.len()
        );
        for item in items {
            let what = format!("agreement {list} {}", item.id);
            check_id(&what, &item.id);
            assert!(ids.insert(item.id.clone()), "{what}: id is used twice");
            check_text(&what, &item.text, 300);
        }
    }

    let mut school_texts = vec![("vision".to_owned(), &agreement.vision)];
    for item in agreement
        .school_promises
        .iter()
        .chain(&agreement.parent_expectations)
    {
        school_texts.push((item.id.clone(), &item.text));
    }
    for (id, text) in school_texts {
        check_formal(&format!("agreement {id}"), text);
    }
}

/// School texts address parents with "u", never with "je", "jij" or "jouw".
fn check_formal(what: &str, text: &Text) {
    let s = text.get("nl");
    for w in s.split(|c: char| !c.is_alphabetic()) {
        assert!(
            !["je", "jij", "jou", "jouw"].contains(&w.to_lowercase().as_str()),
            "{what}: addresses parents informally ({w:?}): {s}"
        );
    }
}

#[test]
fn bulletins_are_complete() {
    let bulletins = bulletins();
    let months: Vec<String> = bulletins.iter().map(|b| b.month.to_string()).collect();
    assert_eq!(
        months,
        ["2026-10", "2026-11", "2026-12", "2027-01"],
        "bulletins: months"
    );

    let mut bulletin_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    let mut kinds: BTreeMap<ItemKind, usize> = BTreeMap::new();
    let mut undated = 0;
    let mut whole_school = 0;
    let mut for_groepen = 0;

    for bulletin in &bulletins {
        let what = format!("bulletin {}", bulletin.id);
        check_id(&what, &bulletin.id);
        assert!(
            bulletin_ids.insert(bulletin.id.clone()),
            "{what}: id is used twice"
        );
        assert_eq!(
            bulletin.id,
            format!("maandinfo-{}", bulletin.month),
            "{what}: id does not match its month"
        );
        check_text(&format!("{what} title"), &bulletin.title, 100);
        assert!(
            (5..=9).contains(&bulletin.items.len()),
            "{what}: has {} items, not 5 to 9",
            bulletin.items.len()
        );

        for item in &bulletin.items {
            let what = format!("bulletin item {}", item.id);
            check_id(&what, &item.id);
            assert!(item_ids.insert(item.id.clone()), "{what}: id is used twice");
            assert!(
                !bulletin_ids.contains(&item.id),
                "{what}: id is also a bulletin id"
            );
            check_text(&format!("{what} title"), &item.title, 100);
            check_text(&format!("{what} text"), &item.text, 1500);
            check_formal(&what, &item.text);
            check_groepen(&what, &item.groepen);
            *kinds.entry(item.kind).or_default() += 1;
            if item.groepen.is_empty() {
                whole_school += 1;
            } else {
                for_groepen += 1;
            }

            let Some(when) = &item.when else {
                undated += 1;
                assert!(!item.kind.is_day_off(), "{what}: a day off needs a date");
                continue;
            };
            if let Some(until) = when.until {
                assert!(
                    until >= when.date,
                    "{what}: until {until} is before {}",
                    when.date
                );
            }
            match (when.from_time, when.to_time) {
                (Some(from), Some(to)) => {
                    assert!(
                        to > from,
                        "{what}: to_time {to} is not after from_time {from}"
                    )
                }
                (None, Some(_)) => panic!("{what}: to_time without from_time"),
                _ => {}
            }
            for day in [when.date, when.last_day()] {
                assert_eq!(
                    (day.year(), day.month()),
                    (bulletin.month.year, bulletin.month.month),
                    "{what}: {day} is not in the bulletin's month {}",
                    bulletin.month
                );
            }
            if item.kind.is_day_off() {
                assert!(
                    is_weekday(when.date) && is_weekday(when.last_day()),
                    "{what}: a day off must start and end on a weekday ({} to {})",
                    when.date,
                    when.last_day()
                );
            }
            if matches!(item.kind, ItemKind::VrijeDag | ItemKind::Studiedag) {
                let mut day = when.date;
                while day <= when.last_day() {
                    assert!(is_weekday(day), "{what}: {day} is not a weekday");
                    day = day.succ_opt().expect("next day");
                }
            }
            if item.kind == ItemKind::Vakantie {
                let days = (when.last_day() - when.date).num_days() + 1;
                assert!(days >= 5, "{what}: a holiday of only {days} days");
            }
        }
    }

    for kind in ItemKind::ALL {
        let n = kinds.get(&kind).copied().unwrap_or(0);
        assert!(
            n >= 2,
            "bulletins: kind {kind:?} is used {n} times, fewer than 2"
        );
    }
    assert!(undated >= 3, "bulletins: only {undated} undated news items");
    assert!(
        whole_school >= 5,
        "bulletins: only {whole_school} items for the whole school"
    );
    assert!(
        for_groepen >= 5,
        "bulletins: only {for_groepen} items for some groepen"
    );

    // This week, and the days off in the coming weeks.
    let all_items: Vec<_> = bulletins.iter().flat_map(|b| &b.items).collect();
    let november = bulletins
        .iter()
        .find(|b| b.month.to_string() == "2026-11")
        .expect("a bulletin for 2026-11");
    let this_week = |d: NaiveDate| today() <= d && d <= date(2026, 11, 27);
    let in_this_week = november
        .items
        .iter()
        .filter(|i| i.when.as_ref().is_some_and(|w| this_week(w.date)))
        .count();
    assert!(
        in_this_week >= 2,
        "bulletin 2026-11: only {in_this_week} dated items in this week"
    );
    for kind in [ItemKind::Studiedag, ItemKind::VrijeDag] {
        assert!(
            all_items.iter().any(|i| i.kind == kind
                && i.when.as_ref().is_some_and(
                    |w| w.date >= today() && w.date <= today() + chrono::Days::new(35)
                )),
            "bulletins: no {kind:?} in the coming five weeks"
        );
    }
    assert!(
        bulletins
            .iter()
            .filter(|b| ["2026-12", "2027-01"].contains(&b.month.to_string().as_str()))
            .flat_map(|b| &b.items)
            .any(|i| i.kind == ItemKind::Vakantie
                && i.when.as_ref().is_some_and(|w| w.until.is_some())),
        "bulletins: no holiday range in 2026-12 or 2027-01"
    );
}

#[test]
fn activities_are_complete() {
    let activities = activities();
    assert!(
        activities.len() >= 14,
        "activities: {} activities, fewer than 14",
        activities.len()
    );
    let mut ids = HashSet::new();
    let mut kinds = BTreeSet::new();
    let now = today().and_hms_opt(0, 0, 0).expect("midnight");
    let mut past = 0;
    let mut this_week = 0;
    let mut deadline_passed = 0;
    let mut upcoming = 0;
    let mut with_capacity = 0;
    let mut with_helpers = 0;

    for activity in &activities {
        let what = format!("activity {}", activity.id);
        check_id(&what, &activity.id);
        assert!(ids.insert(activity.id.clone()), "{what}: id is used twice");
        kinds.insert(activity.kind);
        assert_ne!(
            activity.kind,
            ActivityKind::Nieuwjaarsreceptie,
            "{what}: a new-year reception does not survive moving dates"
        );
        check_text(&format!("{what} title"), &activity.title, 100);
        check_text(&format!("{what} text"), &activity.text, 1500);
        check_formal(&what, &activity.text);
        check_text(&format!("{what} location"), &activity.location, 100);
        let n = sentences(activity.text.get("nl"));
        assert!(
            (2..=5).contains(&n),
            "{what}: text has {n} sentences, not 2 to 5"
        );
        check_groepen(&what, &activity.groepen);

        assert!(
            activity.end > activity.start,
            "{what}: end is not after start"
        );
        assert_eq!(
            activity.end.date(),
            activity.start.date(),
            "{what}: ends on another day"
        );
        assert!(
            is_weekday(activity.start.date()),
            "{what}: {} is not a weekday",
            activity.start.date()
        );
        if let Some(deadline) = activity.rsvp_deadline {
            assert!(
                deadline <= activity.start,
                "{what}: rsvp deadline {deadline} is after the start {}",
                activity.start
            );
        }
        if let Some(capacity) = activity.capacity {
            assert!(capacity >= 1, "{what}: capacity 0");
            assert!(
                u32::from(activity.max_per_family) <= capacity,
                "{what}: one family may bring more than the capacity"
            );
            with_capacity += 1;
        }
        assert!(
            (1..=20).contains(&activity.max_per_family),
            "{what}: max_per_family {} is not 1 to 20",
            activity.max_per_family
        );
        if activity.helpers_wanted {
            with_helpers += 1;
        }

        let start_day = activity.start.date();
        assert!(
            start_day >= date(2026, 9, 1) && start_day <= date(2027, 3, 31),
            "{what}: {start_day} is outside 2026-09-01 to 2027-03-31"
        );
        if activity.end < now {
            past += 1;
        } else if start_day <= date(2026, 11, 27) {
            this_week += 1;
        } else {
            upcoming += 1;
            if activity
                .rsvp_deadline
                .is_some_and(|d: NaiveDateTime| d < now)
            {
                deadline_passed += 1;
            }
        }
    }
    assert!(
        kinds.len() >= 10,
        "activities: {} kinds, fewer than 10",
        kinds.len()
    );
    assert!(past >= 3, "activities: only {past} in the past");
    assert!(
        activities
            .iter()
            .any(|a| [date(2026, 11, 25), date(2026, 11, 26)].contains(&a.start.date())),
        "activities: none on Wednesday or Thursday of this week"
    );
    assert!(this_week >= 1, "activities: none this week");
    assert_eq!(
        deadline_passed, 1,
        "activities: expected exactly one upcoming activity whose deadline has passed"
    );
    assert!(upcoming >= 8, "activities: only {upcoming} upcoming");
    assert!(
        with_capacity >= 3,
        "activities: only {with_capacity} with a capacity"
    );
    assert!(
        with_helpers >= 3,
        "activities: only {with_helpers} asking for helpers"
    );
}

fn band_of(groepen: &[u8]) -> Option<Band> {
    let bands: BTreeSet<Option<Band>> = groepen.iter().map(|&g| Band::of_groep(g)).collect();
    match bands.len() {
        1 => bands.into_iter().next().flatten(),
        _ => None,
    }
}

#[test]
fn themes_are_complete() {
    let themes = themes();
    assert!(
        themes.len() >= 8,
        "themes: {} themes, fewer than 8",
        themes.len()
    );
    let mut ids = HashSet::new();
    for theme in &themes {
        let what = format!("theme {}", theme.id);
        check_id(&what, &theme.id);
        assert!(ids.insert(theme.id.clone()), "{what}: id is used twice");
        check_text(&format!("{what} title"), &theme.title, 100);
        check_groepen(&what, &theme.groepen);
        assert!(!theme.groepen.is_empty(), "{what}: no groepen");
        assert!(theme.to >= theme.from, "{what}: ends before it starts");
        assert!(
            is_weekday(theme.from) && is_weekday(theme.to),
            "{what}: starts or ends in a weekend"
        );
        assert!(
            (6..=10).contains(&theme.prompts.len()),
            "{what}: {} prompts, not 6 to 10",
            theme.prompts.len()
        );
        let band = band_of(&theme.groepen).unwrap_or_else(|| panic!("{what}: groepen span bands"));
        let thema = theme
            .prompts
            .iter()
            .filter(|p| p.category == Category::Thema)
            .count();
        assert!(
            thema * 2 > theme.prompts.len(),
            "{what}: only {thema} prompts of category thema"
        );
        for prompt in &theme.prompts {
            assert_eq!(
                prompt.band, band,
                "{what}: prompt {} has band {:?}, the theme is for {band:?}",
                prompt.id, prompt.band
            );
        }
    }

    // Every groep has an active theme today, and themes before and after it.
    for groep in 1..=8u8 {
        let active: Vec<&str> = themes
            .iter()
            .filter(|t| t.groepen.contains(&groep) && t.from <= today() && today() <= t.to)
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(
            active.len(),
            1,
            "groep {groep}: expected one active theme on {}, found {active:?}",
            today()
        );
        assert!(
            themes
                .iter()
                .any(|t| t.groepen.contains(&groep) && t.to < today()),
            "groep {groep}: no earlier theme"
        );
        assert!(
            themes
                .iter()
                .any(|t| t.groepen.contains(&groep) && t.from > today()),
            "groep {groep}: no later theme"
        );
    }

    // Themes of one groep do not overlap.
    for groep in 1..=8u8 {
        let mut own: Vec<&Theme> = themes
            .iter()
            .filter(|t| t.groepen.contains(&groep))
            .collect();
        own.sort_by_key(|t| t.from);
        for pair in own.windows(2) {
            assert!(
                pair[0].to < pair[1].from,
                "groep {groep}: themes {} and {} overlap",
                pair[0].id,
                pair[1].id
            );
        }
    }
}

#[test]
fn prompts_cover_every_band_and_category() {
    let bank = bank();
    let themes = themes();
    assert!(
        bank.len() >= 130,
        "prompts.json: {} prompts, fewer than 130",
        bank.len()
    );
    let theme_prompts: Vec<&Prompt> = themes.iter().flat_map(|t| &t.prompts).collect();
    let all: Vec<&Prompt> = bank.iter().chain(theme_prompts.iter().copied()).collect();
    assert!(
        all.len() >= 180,
        "prompts: {} in all, fewer than 180",
        all.len()
    );

    let mut ids = HashSet::new();
    let mut texts = HashSet::new();
    for prompt in &all {
        let what = format!("prompt {}", prompt.id);
        check_id(&what, &prompt.id);
        assert!(ids.insert(prompt.id.clone()), "{what}: id is used twice");
        check_text(&what, &prompt.text, 200);
        let nl = prompt.text.get("nl");
        assert!(
            texts.insert(nl.to_lowercase()),
            "{what}: the same question twice: {nl}"
        );
        assert!(
            nl.ends_with('?') || nl.ends_with('!') || nl.ends_with('.'),
            "{what}: does not end like a sentence: {nl}"
        );
        assert!(nl.contains('?'), "{what}: is not a question: {nl}");
        // A prompt is a question the parent asks the child: "je", never "u".
        for w in nl.split(|c: char| !c.is_alphabetic()) {
            assert!(
                w != "u" && w != "uw" && w != "U" && w != "Uw",
                "{what}: addresses the child with \"u\": {nl}"
            );
        }
    }
    for prompt in &bank {
        if prompt.category == Category::WeekendVakantie {
            let nl = prompt.text.get("nl").to_lowercase();
            assert!(
                !nl.contains("vandaag op school") && !nl.contains("in de klas gedaan"),
                "prompt {}: a weekend question about today at school: {nl}",
                prompt.id
            );
        }
    }

    let mut table: BTreeMap<(Band, Category), usize> = BTreeMap::new();
    for prompt in &all {
        *table.entry((prompt.band, prompt.category)).or_default() += 1;
    }
    for band in [Band::Groep1_2, Band::Groep3_5, Band::Groep6_8, Band::All] {
        for category in Category::ALL {
            let n = table.get(&(band, category)).copied().unwrap_or(0);
            assert!(
                n >= 1,
                "prompts: none for band {band:?}, category {category:?}"
            );
            println!("{band:?} × {category:?}: {n}");
        }
    }
    for band in [Band::Groep1_2, Band::Groep3_5, Band::Groep6_8] {
        let n = bank
            .iter()
            .filter(|p| p.band == band && p.category == Category::WeekendVakantie)
            .count();
        assert!(
            n >= 8,
            "prompts.json: only {n} weekend prompts for band {band:?}"
        );
        let bank_thema = bank
            .iter()
            .filter(|p| p.band == band && p.category == Category::Thema)
            .count();
        assert!(
            bank_thema >= 1,
            "prompts.json: no general theme question for band {band:?}"
        );
    }

    // Every child has enough to choose from: its own band plus "all".
    for groep in 1..=8u8 {
        for category in Category::ALL {
            let n = bank
                .iter()
                .filter(|p| p.band.fits(groep) && p.category == category)
                .count();
            assert!(
                n >= 3,
                "groep {groep}: only {n} bank prompts for {category:?}"
            );
        }
    }
}
