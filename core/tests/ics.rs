mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use driehoek_core::ics::{activity_ics, calendar_ics, item_ics, CalendarEntry};
use driehoek_core::model::*;
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike};
use proptest::prelude::*;

fn stamp() -> NaiveDateTime {
    at(2026, 11, 23, 9, 15)
}

/// The lines of a file, checking on the way that every line ends in CRLF and fits 75 octets.
fn lines(ics: &str) -> Vec<&str> {
    assert!(ics.ends_with("\r\n"), "the file ends with CRLF");
    let lines: Vec<&str> = ics[..ics.len() - 2].split("\r\n").collect();
    for line in &lines {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    lines
}

/// The events of a file, as an independent parser reads them.
struct Parsed {
    uid: String,
    summary: String,
    description: Option<String>,
    location: Option<String>,
    start: DatePerhapsTime,
    end: DatePerhapsTime,
}

fn parse(ics: &str) -> Vec<Parsed> {
    let calendar: icalendar::Calendar = ics.parse().unwrap_or_else(|e| panic!("{e}\n{ics}"));
    calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(Parsed {
                uid: e.get_uid().expect("uid").to_owned(),
                summary: e.get_summary().expect("summary").to_owned(),
                description: e.get_description().map(str::to_owned),
                location: e.get_location().map(str::to_owned),
                start: e.get_start().expect("start"),
                end: e.get_end().expect("end"),
            }),
            _ => None,
        })
        .collect()
}

fn amsterdam(t: NaiveDateTime) -> DatePerhapsTime {
    DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
        date_time: t,
        tzid: "Europe/Amsterdam".into(),
    })
}

fn all_day_item() -> BulletinItem {
    let mut it = item(
        "studiedag-1",
        ItemKind::Studiedag,
        Some(day(date(2026, 11, 30))),
        vec![],
    );
    it.title = Text::nl_en("Studiedag", "Study day");
    it.text = Text::nl_en("Alle kinderen zijn vrij.", "All children are free.");
    it
}

#[test]
fn all_day_item_is_written_exactly() {
    let ics = item_ics(&school(), &all_day_item(), "nl", stamp()).expect("dated");
    let expected = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Driehoek//Driehoek//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        "UID:studiedag-1@de-linde.driehoek",
        "DTSTAMP:20261123T091500Z",
        "DTSTART;VALUE=DATE:20261130",
        "DTEND;VALUE=DATE:20261201",
        "SUMMARY:Studiedag",
        "DESCRIPTION:Alle kinderen zijn vrij.",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Studiedag",
        "TRIGGER:-P1D",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    assert_eq!(ics, expected);
}

#[test]
fn timed_activity_is_written_exactly_with_its_time_zone() {
    let mut a = activity("koffie-1");
    a.title = Text::nl_en("Koffie, thee; en taart", "Coffee");
    a.text = Text::nl("Welkom!\nNeem uw buurman mee.");
    let ics = activity_ics(&school(), &a, "nl", stamp()).expect("writable");
    let expected = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Driehoek//Driehoek//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Amsterdam",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:koffie-1@de-linde.driehoek",
        "DTSTAMP:20261123T091500Z",
        "DTSTART;TZID=Europe/Amsterdam:20261125T083000",
        "DTEND;TZID=Europe/Amsterdam:20261125T093000",
        "SUMMARY:Koffie\\, thee\\; en taart",
        "DESCRIPTION:Welkom!\\nNeem uw buurman mee.",
        "LOCATION:De aula",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Koffie\\, thee\\; en taart",
        "TRIGGER:-PT1H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    .join("\r\n");
    assert_eq!(ics, expected);
}

#[test]
fn the_vtimezone_agrees_with_the_tz_module() {
    use driehoek_core::tz::utc_offset_minutes;
    // The VTIMEZONE says: CEST from the last Sunday of March 02:00 local until the last Sunday
    // of October 03:00 local. The tz module must say the same for every year.
    for year in 2000..2100 {
        let last_sunday = |month: u32| {
            let last = NaiveDate::from_ymd_opt(year, month, 31).expect("31st");
            (0..7)
                .map(|i| last - chrono::Duration::days(i))
                .find(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Sun)
                .expect("a Sunday")
        };
        let (march, october) = (last_sunday(3), last_sunday(10));
        let t = |d: NaiveDate, h, m| d.and_hms_opt(h, m, 0).expect("time");
        assert_eq!(utc_offset_minutes(t(march, 1, 59)), 60, "{year}");
        assert_eq!(utc_offset_minutes(t(march, 3, 0)), 120, "{year}");
        assert_eq!(utc_offset_minutes(t(october, 2, 59)), 120, "{year}");
        assert_eq!(utc_offset_minutes(t(october, 3, 0)), 60, "{year}");
    }
}

#[test]
fn item_without_a_date_has_no_calendar_file() {
    let it = item("nieuws-1", ItemKind::Nieuws, None, vec![]);
    assert_eq!(item_ics(&school(), &it, "nl", stamp()), None);
}

#[test]
fn dates_a_calendar_cannot_hold_give_no_file() {
    let mut it = all_day_item();
    it.when = Some(day(NaiveDate::MAX));
    assert_eq!(
        item_ics(&school(), &it, "nl", stamp()),
        None,
        "no day after the last"
    );
    it.when = Some(day(date(10_000, 1, 1)));
    assert_eq!(
        item_ics(&school(), &it, "nl", stamp()),
        None,
        "five-digit year"
    );
    let mut a = activity("a");
    a.start = NaiveDateTime::MIN;
    assert_eq!(activity_ics(&school(), &a, "nl", stamp()), None);
}

#[test]
fn a_range_of_days_ends_the_day_after_its_last_day() {
    let mut it = all_day_item();
    it.when = Some(When {
        until: Some(date(2026, 12, 31)),
        ..day(date(2026, 12, 21))
    });
    let ics = item_ics(&school(), &it, "nl", stamp()).expect("dated");
    let lines = lines(&ics);
    assert!(lines.contains(&"DTSTART;VALUE=DATE:20261221"), "{lines:?}");
    assert!(
        lines.contains(&"DTEND;VALUE=DATE:20270101"),
        "exclusive end: {lines:?}"
    );
    assert!(
        !lines.contains(&"BEGIN:VTIMEZONE"),
        "no time zone for all-day events"
    );
}

#[test]
fn a_start_time_without_end_time_lasts_an_hour() {
    let mut it = all_day_item();
    it.when = Some(When {
        from_time: Some(time(23, 30)),
        ..day(date(2026, 11, 30))
    });
    let ics = item_ics(&school(), &it, "nl", stamp()).expect("dated");
    let events = parse(&ics);
    assert_eq!(events[0].start, amsterdam(at(2026, 11, 30, 23, 30)));
    assert_eq!(
        events[0].end,
        amsterdam(at(2026, 12, 1, 0, 30)),
        "into the next day"
    );
    assert!(lines(&ics).contains(&"TRIGGER:-PT1H"));
}

#[test]
fn a_timed_range_runs_from_the_first_day_to_the_last() {
    let mut it = all_day_item();
    it.when = Some(When {
        date: date(2026, 11, 30),
        until: Some(date(2026, 12, 2)),
        from_time: Some(time(9, 0)),
        to_time: Some(time(8, 0)),
    });
    let events = parse(&item_ics(&school(), &it, "nl", stamp()).expect("dated"));
    assert_eq!(events[0].start, amsterdam(at(2026, 11, 30, 9, 0)));
    assert_eq!(events[0].end, amsterdam(at(2026, 12, 2, 8, 0)));
}

#[test]
fn an_end_before_the_start_becomes_an_hour() {
    let mut a = activity("a");
    a.end = a.start - chrono::Duration::hours(2);
    let events = parse(&activity_ics(&school(), &a, "nl", stamp()).expect("writable"));
    assert_eq!(
        events[0].end,
        amsterdam(a.start + chrono::Duration::hours(1))
    );
}

#[test]
fn the_language_chooses_the_texts_and_falls_back_to_dutch() {
    let mut a = activity("a");
    a.text = Text::nl("Alleen Nederlands.");
    let events = parse(&activity_ics(&school(), &a, "en", stamp()).expect("writable"));
    assert_eq!(events[0].summary, "Coffee at school");
    assert_eq!(events[0].description.as_deref(), Some("Alleen Nederlands."));
    assert_eq!(events[0].location.as_deref(), Some("The hall"));
}

#[test]
fn a_calendar_of_many_events_parses_back_to_the_same_events() {
    let mut a1 = activity("koffie-1");
    a1.title = Text::nl("Koffie: met \"alle\" ouders, ook opa's; welkom \\ iedereen");
    let mut a2 = activity("ouderavond");
    a2.start = at(2027, 3, 28, 2, 30); // in the spring gap: still written as local time
    a2.end = at(2027, 3, 28, 4, 0);
    a2.location = Text::nl("Lokaal 3, eerste verdieping; achteringang");
    let undated = item("nieuws-1", ItemKind::Nieuws, None, vec![]);
    let it = all_day_item();
    let entries = [
        CalendarEntry::Activity(&a1),
        CalendarEntry::Item(&undated),
        CalendarEntry::Item(&it),
        CalendarEntry::Activity(&a2),
    ];
    let ics = calendar_ics(&school(), &entries, "nl", stamp());
    lines(&ics);
    let events = parse(&ics);
    assert_eq!(events.len(), 3, "the undated item is left out");
    assert_eq!(events[0].uid, "koffie-1@de-linde.driehoek");
    assert_eq!(events[0].summary, a1.title.get("nl"));
    assert_eq!(events[0].start, amsterdam(a1.start));
    assert_eq!(events[0].end, amsterdam(a1.end));
    assert_eq!(events[1].uid, "studiedag-1@de-linde.driehoek");
    assert_eq!(events[1].start, DatePerhapsTime::Date(date(2026, 11, 30)));
    assert_eq!(events[1].end, DatePerhapsTime::Date(date(2026, 12, 1)));
    assert_eq!(events[2].start, amsterdam(a2.start));
    assert_eq!(events[2].location.as_deref(), Some(a2.location.get("nl")));
    assert_eq!(
        ics.matches("BEGIN:VTIMEZONE").count(),
        1,
        "one time zone for all"
    );
}

#[test]
fn long_dutch_text_is_folded_and_unfolds_to_the_original() {
    let mut a = activity("a");
    let long = "Wij nodigen u van harte uit voor een gezellige middag met ‘koffie’ en \
                zelfgebakken taart 🍰 in de aula; neem gerust de broertjes en zusjes mee. \
                Café-sfeer gegarandeerd, één keer per jaar!";
    a.text = Text::nl(long);
    let ics = activity_ics(&school(), &a, "nl", stamp()).expect("writable");
    assert!(lines(&ics).iter().any(|l| l.starts_with(' ')), "folded");
    assert_eq!(parse(&ics)[0].description.as_deref(), Some(long));
}

/// Strings of printable characters, including multi-byte ones and the characters that need
/// escaping; leading and trailing spaces are left out, as some parsers trim them.
fn printable() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 éëïüñ€‘’“”🍰🙂中文;,:\\\\\"\n]{1,300}".prop_map(|s| {
        let trimmed = s.trim().to_owned();
        if trimmed.is_empty() {
            "x".to_owned()
        } else {
            trimmed
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_writer_never_panics_and_keeps_lines_short(title in any::<String>(), text in any::<String>(), id in any::<String>()) {
        let mut a = activity("a");
        a.id = id;
        a.title = Text::nl(title);
        a.text = Text::nl(text);
        let ics = activity_ics(&school(), &a, "nl", stamp()).expect("writable");
        lines(&ics);
    }

    #[test]
    fn every_file_parses_back_to_the_same_event(title in printable(), text in printable(), place in printable()) {
        let mut a = activity("a");
        a.title = Text::nl(title.clone());
        a.text = Text::nl(text.clone());
        a.location = Text::nl(place.clone());
        let ics = activity_ics(&school(), &a, "nl", stamp()).expect("writable");
        lines(&ics);
        let events = parse(&ics);
        prop_assert_eq!(events.len(), 1);
        prop_assert_eq!(&events[0].summary, &title);
        prop_assert_eq!(events[0].description.as_deref(), Some(text.as_str()));
        prop_assert_eq!(events[0].location.as_deref(), Some(place.as_str()));
        prop_assert_eq!(&events[0].uid, "a@de-linde.driehoek");
        prop_assert_eq!(&events[0].start, &amsterdam(a.start));
        prop_assert_eq!(&events[0].end, &amsterdam(a.end));
    }
}

#[test]
fn a_booked_talk_reads_back_at_its_time_with_a_reminder_an_hour_ahead() {
    let talk = driehoek_core::ics::TalkEvent {
        id: "gesprek-1".into(),
        summary: "Rapportgesprek over Noor".into(),
        description: "Rapportgesprekken december".into(),
        location: "Lokaal 7".into(),
        start: NaiveDate::from_ymd_opt(2026, 12, 8)
            .unwrap()
            .and_hms_opt(15, 15, 0)
            .unwrap(),
        end: NaiveDate::from_ymd_opt(2026, 12, 8)
            .unwrap()
            .and_hms_opt(15, 25, 0)
            .unwrap(),
    };
    let ics = driehoek_core::ics::talk_ics(&school(), &talk, stamp()).expect("writable");
    let events = parse(&ics);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].uid, "gesprek-1@de-linde.driehoek");
    assert_eq!(events[0].summary, "Rapportgesprek over Noor");
    assert_eq!(events[0].location.as_deref(), Some("Lokaal 7"));
    assert_eq!(events[0].start, amsterdam(talk.start));
    assert_eq!(events[0].end, amsterdam(talk.end));
    assert!(ics.contains("BEGIN:VTIMEZONE"), "{ics}");
    assert!(ics.contains("TRIGGER:-PT1H"), "{ics}");
}
