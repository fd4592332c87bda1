//! Calendar files (RFC 5545 `.ics`), made on the phone so that a parent can put a bulletin item
//! or an activity in the phone's own calendar, with a reminder.
//!
//! - Timed events are written in local school time with `TZID=Europe/Amsterdam`, and the file
//!   carries the matching `VTIMEZONE` (the EU rule, as in [`crate::tz`]), so calendar apps need
//!   no time-zone database of their own and show the right time after a change of clocks.
//! - All-day events are `DTSTART;VALUE=DATE` with an exclusive `DTEND` (the day after the last).
//! - Every event has a stable `UID` (`<id>@<school id>.driehoek`): adding it twice updates it.
//! - Lines end in CRLF and are folded at 75 octets, never inside a UTF-8 character.
//!
//! An event with a start time and no end time lasts one hour; an end before its start (invalid
//! content) is treated the same way, so the writer never produces an event that ends before it
//! begins.

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

use crate::model::{Activity, BulletinItem, School};

/// The product identifier written in every file.
pub const PRODID: &str = "-//Driehoek//Driehoek//NL";
/// The time zone of every timed event.
pub const TZID: &str = "Europe/Amsterdam";

/// The definition of [`TZID`]: CET/CEST with the EU rule (summer time from the last Sunday of
/// March, 02:00 local, to the last Sunday of October, 03:00 local).
const VTIMEZONE: &[&str] = &[
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
];

/// Something that can go into a calendar file.
#[derive(Clone, Copy, Debug)]
pub enum CalendarEntry<'a> {
    /// A bulletin item (left out when it has no date).
    Item(&'a BulletinItem),
    /// An activity.
    Activity(&'a Activity),
    /// A booked talk, said in the parent's language by the app.
    Talk(&'a TalkEvent),
}

/// A booked talk, as it goes into the parent's calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TalkEvent {
    /// The booking's id (the calendar updates the event when it is added again after a move).
    pub id: String,
    /// "Rapportgesprek over Noor".
    pub summary: String,
    pub description: String,
    /// "Lokaal 7", or "bij u thuis".
    pub location: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

/// A calendar file with one booked talk, with a reminder an hour ahead; `None` when its dates
/// cannot be written.
pub fn talk_ics(school: &School, talk: &TalkEvent, dtstamp_utc: NaiveDateTime) -> Option<String> {
    single(school, CalendarEntry::Talk(talk), "nl", dtstamp_utc)
}

/// A calendar file with one bulletin item; `None` when the item has no date (or a date no
/// calendar file can hold: years outside 0000–9999).
pub fn item_ics(
    school: &School,
    item: &BulletinItem,
    lang: &str,
    dtstamp_utc: NaiveDateTime,
) -> Option<String> {
    single(school, CalendarEntry::Item(item), lang, dtstamp_utc)
}

/// A calendar file with one activity; `None` when its dates cannot be written (years outside
/// 0000–9999).
pub fn activity_ics(
    school: &School,
    activity: &Activity,
    lang: &str,
    dtstamp_utc: NaiveDateTime,
) -> Option<String> {
    single(school, CalendarEntry::Activity(activity), lang, dtstamp_utc)
}

/// One calendar file with an event for every entry that has a date that can be written (for
/// instance every activity answered "ja", see [`crate::rsvp::attending`]); the others are left
/// out.
pub fn calendar_ics(
    school: &School,
    entries: &[CalendarEntry<'_>],
    lang: &str,
    dtstamp_utc: NaiveDateTime,
) -> String {
    let events: Vec<Event> = entries
        .iter()
        .filter_map(|&entry| Event::of(school, entry, lang))
        .collect();
    let mut out = Output::default();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.line(line);
    }
    if events.iter().any(|e| matches!(e.start, Moment::Local(_))) {
        for line in VTIMEZONE {
            out.line(line);
        }
    }
    for event in &events {
        event.write(&mut out, dtstamp_utc);
    }
    out.line("END:VCALENDAR");
    out.0
}

fn single(
    school: &School,
    entry: CalendarEntry<'_>,
    lang: &str,
    stamp: NaiveDateTime,
) -> Option<String> {
    Event::of(school, entry, lang)?;
    Some(calendar_ics(school, &[entry], lang, stamp))
}

/// A start or end: a whole day, or a local time in [`TZID`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Moment {
    Date(NaiveDate),
    Local(NaiveDateTime),
}

impl Moment {
    fn date(self) -> NaiveDate {
        match self {
            Moment::Date(d) => d,
            Moment::Local(t) => t.date(),
        }
    }

    /// The property, e.g. `DTSTART;VALUE=DATE:20261127`.
    fn property(self, name: &str) -> String {
        match self {
            Moment::Date(d) => format!("{name};VALUE=DATE:{}", ymd(d)),
            Moment::Local(t) => format!("{name};TZID={TZID}:{}", ymd_hms(t)),
        }
    }
}

/// One `VEVENT`, before writing.
struct Event {
    uid: String,
    start: Moment,
    end: Moment,
    summary: String,
    description: String,
    location: String,
}

impl Event {
    fn of(school: &School, entry: CalendarEntry<'_>, lang: &str) -> Option<Event> {
        let (id, title, text, location, start, end) = match entry {
            CalendarEntry::Item(item) => {
                let when = item.when.as_ref()?;
                let last = when.last_day().max(when.date);
                let (start, end) = match when.from_time {
                    Some(from) => {
                        let start = when.date.and_time(from);
                        let end = when.to_time.map(|to| last.and_time(to));
                        (Moment::Local(start), timed_end(start, end)?)
                    }
                    None => (Moment::Date(when.date), Moment::Date(last.succ_opt()?)),
                };
                (&item.id, &item.title, &item.text, "", start, end)
            }
            CalendarEntry::Activity(a) => (
                &a.id,
                &a.title,
                &a.text,
                a.location.get(lang),
                Moment::Local(a.start),
                timed_end(a.start, Some(a.end))?,
            ),
            CalendarEntry::Talk(talk) => {
                let event = Event {
                    uid: format!("{}@{}.driehoek", talk.id, school.id),
                    start: Moment::Local(talk.start),
                    end: timed_end(talk.start, Some(talk.end))?,
                    summary: talk.summary.clone(),
                    description: talk.description.clone(),
                    location: talk.location.clone(),
                };
                let writable = |m: Moment| (0..=9999).contains(&m.date().year());
                return (writable(event.start) && writable(event.end)).then_some(event);
            }
        };
        // RFC 5545 dates have four-digit years.
        let writable = |m: Moment| (0..=9999).contains(&m.date().year());
        if !(writable(start) && writable(end)) {
            return None;
        }
        Some(Event {
            uid: format!("{id}@{}.driehoek", school.id),
            start,
            end,
            summary: title.get(lang).to_owned(),
            description: text.get(lang).to_owned(),
            location: location.to_owned(),
        })
    }

    fn write(&self, out: &mut Output, stamp: NaiveDateTime) {
        out.line("BEGIN:VEVENT");
        out.text("UID", &self.uid);
        out.line(&format!("DTSTAMP:{}Z", ymd_hms(stamp)));
        out.line(&self.start.property("DTSTART"));
        out.line(&self.end.property("DTEND"));
        out.text("SUMMARY", &self.summary);
        if !self.description.is_empty() {
            out.text("DESCRIPTION", &self.description);
        }
        if !self.location.is_empty() {
            out.text("LOCATION", &self.location);
        }
        out.line("BEGIN:VALARM");
        out.line("ACTION:DISPLAY");
        out.text("DESCRIPTION", &self.summary);
        // A day ahead for a whole day, an hour ahead for a time.
        out.line(match self.start {
            Moment::Date(_) => "TRIGGER:-P1D",
            Moment::Local(_) => "TRIGGER:-PT1H",
        });
        out.line("END:VALARM");
        out.line("END:VEVENT");
    }
}

/// The end of a timed event: `end` when it is after `start`, otherwise one hour after the start.
fn timed_end(start: NaiveDateTime, end: Option<NaiveDateTime>) -> Option<Moment> {
    let end = match end {
        Some(end) if end > start => end,
        _ => start.checked_add_signed(Duration::hours(1))?,
    };
    Some(Moment::Local(end))
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn ymd_hms(t: NaiveDateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        ymd(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The file being written.
#[derive(Default)]
struct Output(String);

impl Output {
    /// Appends one content line, folded at 75 octets (continuation lines start with a space,
    /// which counts), never inside a UTF-8 character, ending in CRLF.
    fn line(&mut self, line: &str) {
        let mut octets = 0;
        for ch in line.chars() {
            if octets + ch.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                octets = 1;
            }
            self.0.push(ch);
            octets += ch.len_utf8();
        }
        self.0.push_str("\r\n");
    }

    /// Appends a property with a TEXT value, escaped.
    fn text(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + 1 + value.len());
        let _ = write!(line, "{name}:");
        escape_text_into(&mut line, value);
        self.line(&line);
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash, every
/// line break (`\r\n`, `\n` or `\r`) becomes `\n`, and other control characters, which a TEXT
/// value may not hold, are left out (tabs stay).
fn escape_text_into(out: &mut String, value: &str) {
    let mut chars = value.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(line: &str) -> String {
        let mut out = Output::default();
        out.line(line);
        out.0
    }

    fn escaped(value: &str) -> String {
        let mut out = String::new();
        escape_text_into(&mut out, value);
        out
    }

    #[test]
    fn short_line_is_not_folded() {
        assert_eq!(folded("SUMMARY:Koffie"), "SUMMARY:Koffie\r\n");
    }

    #[test]
    fn line_of_exactly_75_octets_stays_whole() {
        let line = "X".repeat(75);
        assert_eq!(
            folded(&line),
            format!("{line}\r\n"),
            "75 octets fit on one line"
        );
    }

    #[test]
    fn line_of_76_octets_folds_after_75() {
        let line = "X".repeat(76);
        assert_eq!(folded(&line), format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn continuation_lines_hold_74_octets_after_the_space() {
        let line = "X".repeat(75 + 74 + 1);
        let expected = format!("{}\r\n {}\r\n X\r\n", "X".repeat(75), "X".repeat(74));
        assert_eq!(folded(&line), expected);
    }

    #[test]
    fn two_byte_character_at_the_boundary_moves_whole_to_the_next_line() {
        // 74 octets, then "é" (2 octets) would end at octet 76: it goes to the next line.
        let line = format!("{}é", "X".repeat(74));
        assert_eq!(folded(&line), format!("{}\r\n é\r\n", "X".repeat(74)));
    }

    #[test]
    fn four_byte_character_at_the_boundary_moves_whole_to_the_next_line() {
        let line = format!("{}🙂x", "X".repeat(73));
        assert_eq!(folded(&line), format!("{}\r\n 🙂x\r\n", "X".repeat(73)));
    }

    #[test]
    fn escaping_covers_backslash_semicolon_comma_and_newlines() {
        assert_eq!(
            escaped("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng",
            "each special character escaped once"
        );
    }

    #[test]
    fn escaping_drops_control_characters_but_keeps_tabs_and_colons() {
        assert_eq!(escaped("a\u{0}b\u{7f}c\td:e"), "abc\td:e");
    }
}
