//! The week ahead and the maandinfo by month, as a parent's screens list them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use driehoek_core::model::{Bulletin, YearMonth};
use driehoek_core::overview::{
    agenda, months_shown, next_day_off, this_week, MonthItems, Upcoming,
};
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
fn the_current_month_comes_first_then_later_months_then_earlier_ones() {
    let content = driehoek_core::demo::bundled();
    let all = months_shown(&content.bulletins, &[], false, monday());
    let order: Vec<String> = all.iter().map(|m| m.month.to_string()).collect();
    assert_eq!(order, ["2026-11", "2026-12", "2027-01", "2026-10"]);
    let count = |months: &[MonthItems]| months.iter().map(|m| m.items.len()).sum::<usize>();
    let mine = months_shown(&content.bulletins, &[2], false, monday());
    assert!(count(&mine) < count(&all), "a filter leaves items out");
    assert!(mine
        .iter()
        .flat_map(|m| &m.items)
        .all(|i| concerns(&i.groepen, 2)));
    assert_eq!(
        count(&months_shown(&content.bulletins, &[2], true, monday())),
        count(&all),
        "\"Alles tonen\" shows everything"
    );
}

#[test]
fn an_item_is_filed_under_the_month_of_its_date_in_date_order() {
    let mut bulletins: Vec<Bulletin> = driehoek_core::demo::bundled().bulletins;
    // The November bulletin announces a studiedag on 7 December.
    let november = bulletins
        .iter_mut()
        .find(|b| b.month.to_string() == "2026-11")
        .unwrap();
    let mut studiedag = november.items.last().unwrap().clone();
    studiedag.id = "studiedag-7-december".into();
    studiedag.when.as_mut().unwrap().date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    november.items.push(studiedag);
    let months = months_shown(&bulletins, &[], false, monday());
    let month_of = |id: &str| {
        months
            .iter()
            .find(|m| m.items.iter().any(|i| i.id == id))
            .map(|m| m.month)
    };
    assert_eq!(month_of("studiedag-7-december"), YearMonth::new(2026, 12));
    let december = months
        .iter()
        .find(|m| m.month == YearMonth::new(2026, 12).unwrap())
        .unwrap();
    let dates: Vec<NaiveDate> = december
        .items
        .iter()
        .filter_map(|i| Some(i.when.as_ref()?.date))
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "dated items in date order: {dates:?}"
    );
    let first_news = december
        .items
        .iter()
        .position(|i| i.when.is_none())
        .unwrap();
    assert!(
        december.items[first_news..]
            .iter()
            .all(|i| i.when.is_none()),
        "news without a date after the dated items"
    );
}

#[test]
fn on_a_friday_next_mondays_lines_belong_to_next_week() {
    let friday = monday() + Duration::days(4);
    assert_eq!(friday.weekday(), Weekday::Fri);
    let lines = this_week(&demo_content(monday()), &[2, 7], friday, "nl");
    assert!(
        lines.iter().any(|l| !l.next_week),
        "friday itself is this week"
    );
    for line in &lines {
        assert_eq!(
            line.next_week,
            line.date.weekday() != Weekday::Fri && line.date > friday,
            "{line:?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.next_week && l.date == monday() + Duration::days(7)),
        "the studiedag of next Monday is listed under next week"
    );
}

#[test]
fn the_agenda_lists_everything_dated_from_today_by_week() {
    let content = demo_content(monday());
    let weeks = agenda(&content, &[2, 7], monday(), "nl");
    assert!(
        weeks.len() >= 6,
        "weeks until the end of January: {}",
        weeks.len()
    );
    assert!(weeks.windows(2).all(|w| w[0].monday < w[1].monday));
    for week in &weeks {
        assert_eq!(week.monday.weekday(), Weekday::Mon);
        assert!(week.days.iter().all(|d| d.date >= monday()
            && d.date >= week.monday
            && d.date < week.monday + Duration::days(7)));
        assert!(week.days.windows(2).all(|w| w[0].date <= w[1].date));
    }
    let all: Vec<&Upcoming> = weeks
        .iter()
        .flat_map(|w| w.days.iter().map(|d| &d.what))
        .collect();
    // Dated news is on the agenda too, and activities; an item for other groepen is not.
    assert!(all.contains(&&Upcoming::Item("mi-2026-12-02".into())));
    assert!(all.iter().any(|w| matches!(w, Upcoming::Activity(_))));
    assert!(
        !all.contains(&&Upcoming::Item("mi-2026-11-06".into())),
        "groep 5-6 only"
    );
    assert!(
        !all.contains(&&Upcoming::Item("mi-2026-10-03".into())),
        "the past is left out"
    );
}

#[test]
fn the_next_day_off_depends_on_the_groep() {
    let content = demo_content(monday());
    let day =
        |groepen: &[u8]| next_day_off(&content, groepen, monday()).map(|(d, i)| (d, i.id.clone()));
    assert_eq!(
        day(&[2]),
        Some((
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            "mi-2026-11-08".into()
        ))
    );
    assert_eq!(
        day(&[7]),
        Some((
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            "mi-2026-11-09".into()
        ))
    );
}

#[test]
fn news_counts_what_came_or_changed_since_the_parent_last_looked() {
    use driehoek_core::overview::{news_counts, NewsCounts, Seen};
    let mut content = demo_content(monday());
    let mut seen = Seen::baseline(&content, "demo");
    assert_eq!(news_counts(&content, &[2, 7], &seen), NewsCounts::default());

    // The school adds an item for groep 7 and one for groep 5, changes an activity's time and
    // publishes a new agreement.
    let mut item = content.bulletins[0].items[0].clone();
    item.id = "nieuw-7".into();
    item.groepen = vec![7];
    content.bulletins[0].items.push(item.clone());
    item.id = "nieuw-5".into();
    item.groepen = vec![5];
    content.bulletins[0].items.push(item);
    let activity = content
        .activities
        .iter_mut()
        .find(|a| a.groepen.is_empty())
        .unwrap();
    activity.start += Duration::hours(1);
    content.agreement.version += 1;
    assert_eq!(
        news_counts(&content, &[2, 7], &seen),
        NewsCounts {
            bulletins: 1,
            activities: 1,
            agreement: 1
        },
        "the item for groep 5 is not this family's"
    );
    assert_eq!(
        news_counts(&content, &[], &seen).bulletins,
        2,
        "no children: everything"
    );

    // Seen, each count goes back to nought, one tab at a time.
    assert!(seen.see_bulletins(&content));
    assert!(
        !seen.see_bulletins(&content),
        "nothing changes the second time"
    );
    assert_eq!(news_counts(&content, &[2, 7], &seen).bulletins, 0);
    assert_eq!(news_counts(&content, &[2, 7], &seen).activities, 1);
    assert!(seen.see_activities(&content));
    assert!(seen.see_agreement(&content));
    assert_eq!(news_counts(&content, &[2, 7], &seen), NewsCounts::default());
}
