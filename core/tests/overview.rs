//! The week ahead and the maandinfo by month, as a parent's screens list them.

use chrono::NaiveDate;
use driehoek_core::overview::{months_shown, this_week, MonthItems, Upcoming};
use driehoek_core::{concerns, demo_content};

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn week(groepen: &[u8]) -> Vec<Upcoming> {
    this_week(&demo_content(monday()), groepen, monday(), "nl")
        .into_iter()
        .map(|u| u.what)
        .collect()
}

#[test]
fn the_week_shows_what_concerns_the_children_in_date_order() {
    let item = |id: &str| Upcoming::Item(id.to_owned());
    assert_eq!(
        week(&[2, 7]),
        [
            item("mi-2026-11-05"),                 // all week, whole school
            Upcoming::Activity("a-04".to_owned()), // Wednesday, whole school
            item("mi-2026-11-07"),                 // Thursday, groep 1-2
            item("mi-2026-11-08"),                 // Friday off for groep 1-4
        ],
        "the outing of groep 5-6 is not for these children"
    );
}

#[test]
fn without_children_the_week_shows_everything() {
    assert!(week(&[]).contains(&Upcoming::Item("mi-2026-11-06".to_owned())));
}

#[test]
fn the_newest_month_comes_first_and_the_filter_keeps_whole_school_items() {
    let content = driehoek_core::demo::bundled();
    let all = months_shown(&content.bulletins, &[], false);
    assert!(
        all.windows(2).all(|w| w[0].month > w[1].month),
        "newest month first"
    );
    let count = |months: &[MonthItems]| months.iter().map(|m| m.items.len()).sum::<usize>();
    let mine = months_shown(&content.bulletins, &[2], false);
    assert!(count(&mine) < count(&all), "a filter leaves items out");
    assert!(mine
        .iter()
        .flat_map(|m| &m.items)
        .all(|i| concerns(&i.groepen, 2)));
    assert_eq!(
        count(&months_shown(&content.bulletins, &[2], true)),
        count(&all),
        "\"Alles tonen\" shows everything"
    );
}
