mod common;

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use common::arb::{any_content, any_date};
use common::*;
use driehoek_core::model::*;
use driehoek_core::prompts::{daily_prompt, fnv1a, is_day_off, prompt_on_card, prompt_order};
use proptest::prelude::*;

/// A bank with `school` school-day prompts and `off` weekend prompts, all for every groep, and
/// nothing else.
fn bank(school: usize, off: usize) -> Content {
    let mut c = content();
    c.themes.clear();
    c.bulletins.clear();
    c.prompts = prompts("dag", school, Band::All, Category::Schooldag);
    c.prompts
        .extend(prompts("vrij", off, Band::All, Category::WeekendVakantie));
    c
}

fn today(c: &Content, groep: u8, d: NaiveDate, seed: &str) -> String {
    daily_prompt(c, groep, d, seed, &[], 0)
        .map(|p| p.id.clone())
        .unwrap_or_else(|| panic!("a prompt on {d}"))
}

fn days(from: NaiveDate, n: i64) -> impl Iterator<Item = NaiveDate> {
    (0..n).map(move |i| from + Duration::days(i))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

const MONDAY: (i32, u32, u32) = (2026, 11, 23);

fn monday() -> NaiveDate {
    date(MONDAY.0, MONDAY.1, MONDAY.2)
}

#[test]
fn the_same_inputs_give_the_same_prompt_whatever_the_content_order() {
    let c = bank(20, 5);
    let mut reversed = c.clone();
    reversed.prompts.reverse();
    for d in days(monday(), 30) {
        assert_eq!(today(&c, 4, d, "kind-a"), today(&c, 4, d, "kind-a"), "{d}");
        assert_eq!(
            today(&c, 4, d, "kind-a"),
            today(&reversed, 4, d, "kind-a"),
            "{d}: the order of the content does not matter"
        );
    }
}

#[test]
fn the_hash_is_pinned_because_changing_it_changes_every_childs_prompt() {
    assert_eq!(
        fnv1a(&[]),
        0xcbf2_9ce4_8422_2325,
        "no input gives the FNV offset basis"
    );
    assert_eq!(fnv1a(&["a"]), 0x089b_c907_b544_c769, "pinned value");
    assert_ne!(
        fnv1a(&["ab", "c"]),
        fnv1a(&["a", "bc"]),
        "parts are separated"
    );
}

#[test]
fn only_prompts_of_the_childs_band_are_chosen() {
    let mut c = bank(0, 0);
    c.prompts = prompts("klein", 5, Band::Groep1_2, Category::Schooldag);
    c.prompts
        .extend(prompts("midden", 5, Band::Groep3_5, Category::Leren));
    c.prompts
        .extend(prompts("groot", 5, Band::Groep6_8, Category::Schooldag));
    c.prompts
        .extend(prompts("alle", 2, Band::All, Category::Schooldag));
    for groep in 1..=8u8 {
        let band = Band::of_groep(groep).expect("band");
        let order = prompt_order(&c, groep, monday(), "kind");
        assert_eq!(order.len(), 7, "groep {groep}: its own 5 and the 2 for all");
        assert!(
            order.iter().all(|p| p.band.fits(groep)),
            "groep {groep} gets {band:?}"
        );
    }
    let outside: Vec<_> = prompt_order(&c, 0, monday(), "kind")
        .iter()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(
        outside.len(),
        2,
        "a groep outside 1-8 gets only prompts for all: {outside:?}"
    );
}

#[test]
fn consecutive_school_days_walk_through_the_whole_bank() {
    let c = bank(12, 4);
    let school_days: Vec<_> = days(monday(), 60)
        .filter(|d| !is_weekend(*d))
        .take(12)
        .collect();
    let seen: HashSet<_> = school_days
        .iter()
        .map(|&d| today(&c, 5, d, "kind"))
        .collect();
    assert_eq!(
        seen.len(),
        12,
        "12 school days show all 12 school-day prompts once"
    );
}

#[test]
fn no_prompt_repeats_within_fourteen_days_when_fourteen_fit() {
    let c = bank(14, 14);
    for seed in ["anna", "bram", "0f3a9c"] {
        for start in days(date(2026, 8, 1), 400) {
            let ids: Vec<_> = days(start, 14).map(|d| today(&c, 6, d, seed)).collect();
            let distinct: HashSet<_> = ids.iter().collect();
            assert_eq!(distinct.len(), 14, "{seed}, from {start}: {ids:?}");
        }
    }
}

#[test]
fn no_prompt_repeats_within_fourteen_days_across_a_holiday() {
    let mut c = bank(14, 14);
    let holiday = When {
        until: Some(date(2026, 12, 25)),
        ..day(date(2026, 12, 21))
    };
    let december = YearMonth::new(2026, 12).expect("month");
    c.bulletins = vec![bulletin(
        "dec",
        december,
        vec![item("kerst", ItemKind::Vakantie, Some(holiday), vec![])],
    )];
    for start in days(date(2026, 12, 1), 40) {
        let ids: Vec<_> = days(start, 14).map(|d| today(&c, 2, d, "kind")).collect();
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            14,
            "from {start}: {ids:?}"
        );
    }
}

#[test]
fn different_children_walk_in_different_orders() {
    let c = bank(20, 0);
    let order = |seed| -> Vec<String> {
        prompt_order(&c, 3, monday(), seed)
            .iter()
            .map(|p| p.id.clone())
            .collect()
    };
    assert_ne!(
        order("anna"),
        order("bram"),
        "two children rarely share an order of 20"
    );
}

#[test]
fn weekends_choose_weekend_prompts() {
    let c = bank(10, 6);
    for d in days(monday(), 28) {
        let p = daily_prompt(&c, 7, d, "kind", &[], 0).expect("prompt");
        let weekend = p.category == Category::WeekendVakantie;
        assert_eq!(
            weekend,
            is_weekend(d),
            "{d} ({:?}) got {}",
            d.weekday(),
            p.id
        );
    }
}

#[test]
fn a_day_off_for_the_groep_chooses_weekend_prompts() {
    let mut c = bank(10, 6);
    let wednesday = date(2026, 11, 25);
    c.bulletins = vec![bulletin(
        "nov",
        YearMonth::of(wednesday),
        vec![item(
            "vrij",
            ItemKind::VrijeDag,
            Some(day(wednesday)),
            vec![1, 2],
        )],
    )];
    let category = |groep| {
        daily_prompt(&c, groep, wednesday, "kind", &[], 0)
            .expect("p")
            .category
    };
    assert_eq!(category(1), Category::WeekendVakantie, "groep 1 is free");
    assert_ne!(category(3), Category::WeekendVakantie, "groep 3 has school");
}

#[test]
fn is_day_off_knows_weekends_and_day_off_items_for_the_groep() {
    let mut c = content();
    let (thursday, friday) = (date(2026, 11, 26), date(2026, 11, 27));
    c.bulletins[0].items = vec![
        item("studie", ItemKind::Studiedag, Some(day(friday)), vec![3, 4]),
        item("uitje", ItemKind::Uitstapje, Some(day(thursday)), vec![]),
        item(
            "herfst",
            ItemKind::Vakantie,
            Some(When {
                until: Some(date(2026, 10, 23)),
                ..day(date(2026, 10, 19))
            }),
            vec![],
        ),
    ];
    assert!(is_day_off(&c, 3, friday), "studiedag for groep 3");
    assert!(!is_day_off(&c, 5, friday), "not for groep 5");
    assert!(!is_day_off(&c, 3, thursday), "an outing is a school day");
    assert!(is_day_off(&c, 8, date(2026, 11, 28)), "Saturday");
    assert!(is_day_off(&c, 8, date(2026, 11, 29)), "Sunday");
    assert!(is_day_off(&c, 8, date(2026, 10, 21)), "within the holiday");
    assert!(!is_day_off(&c, 8, date(2026, 10, 26)), "after the holiday");
}

/// A groep-4 theme of 8 prompts from Monday 2026-11-16, and a bank of 20 school-day prompts.
fn with_theme() -> Content {
    let mut c = bank(20, 6);
    c.themes = vec![theme(
        "vroeger",
        vec![4],
        date(2026, 11, 16),
        date(2026, 12, 18),
        prompts("vroeger", 8, Band::Groep3_5, Category::Thema),
    )];
    c
}

#[test]
fn an_active_themes_prompts_come_first() {
    let c = with_theme();
    let order = prompt_order(&c, 4, date(2026, 11, 16), "kind");
    assert!(
        order[0].id.starts_with("vroeger"),
        "the theme's first day opens with the theme"
    );
    assert_eq!(order.len(), 28, "every fitting prompt is in the order once");
    // Every other school day of the theme is a theme day, so the theme is never far away.
    let school_days: Vec<_> = days(date(2026, 11, 16), 33)
        .filter(|d| !is_weekend(*d))
        .collect();
    for pair in school_days.chunks(2) {
        assert!(
            pair.iter()
                .any(|&d| today(&c, 4, d, "kind").starts_with("vroeger")),
            "a theme prompt on {pair:?}"
        );
    }
}

#[test]
fn a_theme_for_other_groepen_or_other_dates_is_ignored() {
    let c = with_theme();
    for d in days(date(2026, 11, 16), 33) {
        assert!(
            !today(&c, 5, d, "kind").starts_with("vroeger"),
            "groep 5 on {d}"
        );
    }
    for d in days(date(2026, 12, 19), 30).chain(days(date(2026, 10, 1), 46)) {
        assert!(
            !today(&c, 4, d, "kind").starts_with("vroeger"),
            "outside the theme, {d}"
        );
    }
}

#[test]
fn during_a_theme_no_prompt_repeats_within_fourteen_days() {
    let c = with_theme();
    for start in days(date(2026, 11, 1), 50) {
        let ids: Vec<_> = days(start, 14).map(|d| today(&c, 4, d, "kind")).collect();
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            14,
            "from {start}: {ids:?}"
        );
    }
}

#[test]
fn the_bank_walk_pauses_on_theme_days_and_goes_on_where_it_stopped() {
    let mut c = with_theme();
    // A second theme right after the first, and a third overlapping it.
    c.themes.push(theme(
        "verkeer",
        vec![4],
        date(2026, 12, 19),
        date(2027, 1, 29),
        prompts("verkeer", 3, Band::All, Category::Thema),
    ));
    c.themes.push(theme(
        "feest",
        vec![],
        date(2027, 1, 11),
        date(2027, 1, 15),
        prompts("feest", 12, Band::All, Category::Thema),
    ));
    let bank_ids: Vec<String> = days(date(2026, 9, 1), 240)
        .filter(|d| !is_weekend(*d))
        .map(|d| today(&c, 4, d, "kind"))
        .filter(|id| id.starts_with("dag"))
        .collect();
    assert!(bank_ids.len() > 100, "enough bank days: {}", bank_ids.len());
    for (i, window) in bank_ids.windows(20).enumerate() {
        let distinct: HashSet<_> = window.iter().collect();
        assert_eq!(distinct.len(), 20, "bank days {i}..{}: {window:?}", i + 20);
    }
}

#[test]
fn discussed_prompts_are_passed_over() {
    let c = bank(5, 0);
    let d = monday();
    let order: Vec<String> = prompt_order(&c, 4, d, "kind")
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let discussed = vec![order[0].clone(), order[1].clone()];
    let p = daily_prompt(&c, 4, d, "kind", &discussed, 0).expect("prompt");
    assert_eq!(p.id, order[2], "the first prompt not discussed yet");
}

#[test]
fn when_everything_was_discussed_the_walk_goes_on_as_usual() {
    let c = bank(5, 0);
    let d = monday();
    let all: Vec<String> = c.prompts.iter().map(|p| p.id.clone()).collect();
    assert_eq!(
        daily_prompt(&c, 4, d, "kind", &all, 0).map(|p| &p.id),
        prompt_order(&c, 4, d, "kind").first().map(|p| &p.id)
    );
}

#[test]
fn andere_vraag_gives_the_next_in_the_days_order_and_wraps() {
    let c = bank(5, 0);
    let d = monday();
    let order: Vec<String> = prompt_order(&c, 4, d, "kind")
        .iter()
        .map(|p| p.id.clone())
        .collect();
    for skip in 0..12 {
        let p = daily_prompt(&c, 4, d, "kind", &[], skip).expect("prompt");
        assert_eq!(p.id, order[skip % 5], "skip {skip}");
    }
    let discussed = vec![order[1].clone()];
    let walked: Vec<_> = (0..5)
        .map(|skip| {
            daily_prompt(&c, 4, d, "kind", &discussed, skip)
                .expect("p")
                .id
                .clone()
        })
        .collect();
    assert_eq!(
        walked,
        [0, 2, 3, 4, 1].map(|i| order[i].clone()),
        "a discussed prompt comes last"
    );
}

#[test]
fn without_weekend_prompts_a_weekend_still_gets_a_prompt() {
    let c = bank(6, 0);
    assert!(daily_prompt(&c, 4, date(2026, 11, 28), "kind", &[], 0).is_some());
    let only_weekend = bank(0, 3);
    assert!(
        daily_prompt(&only_weekend, 4, monday(), "kind", &[], 0).is_some(),
        "a school day without school-day prompts uses a weekend prompt"
    );
}

#[test]
fn no_fitting_prompt_gives_none() {
    let mut c = bank(0, 0);
    c.prompts = prompts("klein", 3, Band::Groep1_2, Category::Schooldag);
    assert_eq!(daily_prompt(&c, 7, monday(), "kind", &[], 0), None);
    assert_eq!(daily_prompt(&bank(0, 0), 1, monday(), "kind", &[], 3), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn prompt_choice_never_panics(
        content in any_content(),
        groep in any::<u8>(),
        date in any_date(),
        seed in ".{0,20}",
        skip in any::<usize>(),
    ) {
        let discussed: Vec<String> = content.prompts.iter().take(1).map(|p| p.id.clone()).collect();
        let order = prompt_order(&content, groep, date, &seed);
        let chosen = daily_prompt(&content, groep, date, &seed, &discussed, skip);
        prop_assert_eq!(chosen.is_some(), !order.is_empty());
        let _ = is_day_off(&content, groep, date);
    }
}

#[test]
fn a_prompt_chosen_and_discussed_today_stays_on_the_card_all_day() {
    let c = bank(5, 0);
    let d = monday();
    let order: Vec<String> = prompt_order(&c, 4, d, "kind")
        .iter()
        .map(|p| p.id.clone())
        .collect();
    // The parent tapped "Andere vraag" twice and marked the third prompt as discussed; after a
    // reload nothing is skipped, and the card still shows that prompt.
    let chosen = vec![order[2].clone()];
    let on_card = |skip| {
        prompt_on_card(&c, 4, d, "kind", &[], &chosen, skip)
            .expect("prompt")
            .id
            .clone()
    };
    assert_eq!(on_card(0), order[2]);
    // "Andere vraag" still moves on from the day's order.
    assert_eq!(on_card(1), order[1]);
    // Without anything discussed today, the day's own prompt.
    assert_eq!(
        prompt_on_card(&c, 4, d, "kind", &[], &[], 0).map(|p| &p.id),
        Some(&order[0])
    );
    // A prompt the school took away is not kept on the card.
    let gone = vec!["weg".to_owned()];
    assert_eq!(
        prompt_on_card(&c, 4, d, "kind", &[], &gone, 0).map(|p| &p.id),
        Some(&order[0])
    );
}
