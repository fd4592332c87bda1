//! Dates and times as a parent reads them, in the app's six languages: "donderdag 12 maart,
//! 19:30–21:00", "Thursday 12 March, 19:30–21:00", "czwartek 12 marca, 19:30–21:00". A few dozen
//! names, no locale database (see DESIGN.md). Polish and Ukrainian say a day's month in the
//! genitive ("12 marca") and a month on its own in the nominative ("marzec 2026").

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use driehoek_core::When;

use crate::i18n::Lang;

const DAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_NL: [&str; 12] = [
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
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAYS_AR: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const DAYS_TR: [&str; 7] = [
    "Pazartesi",
    "Salı",
    "Çarşamba",
    "Perşembe",
    "Cuma",
    "Cumartesi",
    "Pazar",
];
const MONTHS_TR: [&str; 12] = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
];
const DAYS_PL: [&str; 7] = [
    "poniedziałek",
    "wtorek",
    "środa",
    "czwartek",
    "piątek",
    "sobota",
    "niedziela",
];
const MONTHS_PL: [&str; 12] = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
];
const MONTHS_OF_PL: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const DAYS_UK: [&str; 7] = [
    "понеділок",
    "вівторок",
    "середа",
    "четвер",
    "пʼятниця",
    "субота",
    "неділя",
];
const MONTHS_UK: [&str; 12] = [
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
];
const MONTHS_OF_UK: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];

/// The name of the weekday of `date`.
pub fn weekday(lang: Lang, date: NaiveDate) -> &'static str {
    let i = date.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Nl => DAYS_NL[i],
        Lang::En => DAYS_EN[i],
        Lang::Ar => DAYS_AR[i],
        Lang::Tr => DAYS_TR[i],
        Lang::Pl => DAYS_PL[i],
        Lang::Uk => DAYS_UK[i],
    }
}

/// The name of month `month` (1 to 12).
pub fn month_name(lang: Lang, month: u32) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Nl => MONTHS_NL[i],
        Lang::En => MONTHS_EN[i],
        Lang::Ar => MONTHS_AR[i],
        Lang::Tr => MONTHS_TR[i],
        Lang::Pl => MONTHS_PL[i],
        Lang::Uk => MONTHS_UK[i],
    }
}

/// The name of month `month` after a day number: "12 marca", where a language declines it.
fn month_of(lang: Lang, month: u32) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::Pl => MONTHS_OF_PL[i],
        Lang::Uk => MONTHS_OF_UK[i],
        _ => month_name(lang, month),
    }
}

/// "12 maart" / "12 March".
pub fn day_month(lang: Lang, date: NaiveDate) -> String {
    format!("{} {}", date.day(), month_of(lang, date.month()))
}

/// "3 november 2026" / "3 November 2026".
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    format!("{} {}", day_month(lang, date), date.year())
}

/// "donderdag 12 maart" / "Thursday 12 March".
pub fn weekday_date(lang: Lang, date: NaiveDate) -> String {
    format!("{} {}", weekday(lang, date), day_month(lang, date))
}

/// "maart 2026" / "March 2026".
pub fn month_year(lang: Lang, year: i32, month: u32) -> String {
    format!("{} {year}", month_name(lang, month))
}

/// "19:30".
pub fn time(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "donderdag 12 maart, 19:30".
pub fn date_time(lang: Lang, at: NaiveDateTime) -> String {
    format!("{}, {}", weekday_date(lang, at.date()), time(at.time()))
}

/// "donderdag 12 maart, 19:30–21:00"; a span over days gives both days.
pub fn date_time_range(lang: Lang, start: NaiveDateTime, end: NaiveDateTime) -> String {
    if start.date() == end.date() {
        format!(
            "{}, {}–{}",
            weekday_date(lang, start.date()),
            time(start.time()),
            time(end.time())
        )
    } else {
        format!(
            "{} {} – {} {}",
            weekday_date(lang, start.date()),
            time(start.time()),
            weekday_date(lang, end.date()),
            time(end.time())
        )
    }
}

/// When a bulletin item happens: "vrijdag 27 november", "maandag 21 – vrijdag 25 december",
/// "woensdag 25 november, 08:30–12:00".
pub fn when(lang: Lang, when: &When) -> String {
    let mut text = weekday_date(lang, when.date);
    if let Some(until) = when.until.filter(|until| *until != when.date) {
        text = format!("{text} – {}", weekday_date(lang, until));
    }
    match (when.from_time, when.to_time) {
        (Some(from), Some(to)) => format!("{text}, {}–{}", time(from), time(to)),
        (Some(from), None) => format!("{text}, {}", time(from)),
        _ => text,
    }
}

// Form values: how a date or time input holds a value, written and read in one place.

/// A date as a form field holds it: `2026-12-03`.
pub fn date_value(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// A time as a form field holds it: `19:30`.
pub fn time_value(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// A date and time as a form field holds it: `2026-12-03T19:30`.
pub fn date_time_value(at: NaiveDateTime) -> String {
    format!("{}T{}", date_value(at.date()), time_value(at.time()))
}

/// A month as a form field holds it: `2026-12`.
pub fn month_value(month: driehoek_core::YearMonth) -> String {
    month.to_string()
}

/// Reads `2026-12-03`; `None` for anything else.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Reads `19:30` (seconds, when a browser adds them, are ignored).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let mut parts = text.trim().split(':');
    let hour = parts.next()?.parse().ok()?;
    let minute = parts.next()?.parse().ok()?;
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// Reads `2026-12-03T19:30`.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    Some(parse_date(date)?.and_time(parse_time(time)?))
}

/// Reads `2026-12`.
pub fn parse_month(text: &str) -> Option<driehoek_core::YearMonth> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_evening_reads_as_a_dutch_parent_writes_it() {
        let start = d(2026, 3, 12).and_hms_opt(19, 30, 0).unwrap();
        let end = d(2026, 3, 12).and_hms_opt(21, 0, 0).unwrap();
        assert_eq!(
            date_time_range(Lang::Nl, start, end),
            "donderdag 12 maart, 19:30–21:00"
        );
        assert_eq!(
            date_time_range(Lang::En, start, end),
            "Thursday 12 March, 19:30–21:00"
        );
    }

    #[test]
    fn a_date_with_year_and_a_range_of_days() {
        assert_eq!(long_date(Lang::Nl, d(2026, 11, 3)), "3 november 2026");
        assert_eq!(long_date(Lang::Pl, d(2026, 3, 12)), "12 marca 2026");
        assert_eq!(month_year(Lang::Pl, 2026, 3), "marzec 2026");
        assert_eq!(weekday_date(Lang::Uk, d(2026, 3, 12)), "четвер 12 березня");
        assert_eq!(weekday_date(Lang::Tr, d(2026, 3, 12)), "Perşembe 12 Mart");
        assert_eq!(weekday_date(Lang::Ar, d(2026, 3, 12)), "الخميس 12 مارس");
        let holiday = When {
            date: d(2026, 12, 21),
            until: Some(d(2026, 12, 25)),
            from_time: None,
            to_time: None,
        };
        assert_eq!(
            when(Lang::Nl, &holiday),
            "maandag 21 december – vrijdag 25 december"
        );
        let morning = When {
            date: d(2026, 11, 25),
            until: None,
            from_time: NaiveTime::from_hms_opt(8, 30, 0),
            to_time: NaiveTime::from_hms_opt(12, 0, 0),
        };
        assert_eq!(
            when(Lang::En, &morning),
            "Wednesday 25 November, 08:30–12:00"
        );
    }

    #[test]
    fn form_values_read_back_as_the_same_date_and_time() {
        let at = d(2026, 12, 3).and_hms_opt(19, 30, 0).unwrap();
        assert_eq!(date_time_value(at), "2026-12-03T19:30");
        assert_eq!(parse_date_time("2026-12-03T19:30"), Some(at));
        assert_eq!(parse_date_time("2026-12-03T19:30:00"), Some(at));
        assert_eq!(parse_date(&date_value(at.date())), Some(at.date()));
        assert_eq!(parse_time("7:05").map(time_value), Some("07:05".into()));
        assert_eq!(
            parse_month("2026-12").map(month_value),
            Some("2026-12".into())
        );
    }

    #[test]
    fn impossible_dates_and_times_are_not_read() {
        for text in ["", "2026-02-30", "2026-13-01", "3 december", "2026-12"] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_date_time("2026-12-03"), None);
        assert_eq!(parse_month("2026-13"), None);
    }
}
