//! Dates and times as the JSON of the app, the server and the demo school writes them
//! (`2026-11-23`, `19:30:00`, `2026-11-23T19:30:00`), read without chrono's general parser.
//!
//! chrono reads these types through its format machinery (items, `Parsed`, time zones, week
//! dates): about 13 KB of the parents' wasm for three fixed shapes. The readers here accept
//! exactly what chrono's `FromStr` accepts for them, no more and no less (a property test holds
//! them to chrono on any text), and writing stays chrono's own. A field of a serde type uses them
//! with `#[serde(with = "crate::iso")]`, an optional one with
//! `#[serde(default, with = "crate::iso::option")]`.
//!
//! What chrono's `FromStr` takes: a year of one to four digits, or a sign and any number of
//! digits; a month, day, hour, minute and second of one or two digits; white space before each
//! number, before each `-` or `:`, and at the end; a date and time joined by `T`; seconds
//! optional in a time alone and required with a date; a fraction of a second after `.` (digits
//! beyond the ninth ignored); second 60 as a leap second.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A type written as ISO text that [`deserialize`] reads.
pub trait IsoText: Sized + Serialize {
    /// What the text should look like, for the error message.
    const EXPECTING: &'static str;
    /// The value of the whole `text`, or `None`.
    fn from_iso(text: &str) -> Option<Self>;
}

impl IsoText for NaiveDate {
    const EXPECTING: &'static str = "a date YYYY-MM-DD";
    fn from_iso(text: &str) -> Option<Self> {
        let mut scan = Scan(text);
        let date = scan.date()?;
        scan.end()?;
        Some(date)
    }
}

impl IsoText for NaiveTime {
    const EXPECTING: &'static str = "a time HH:MM or HH:MM:SS";
    fn from_iso(text: &str) -> Option<Self> {
        let mut scan = Scan(text);
        let (hour, minute) = scan.hour_minute()?;
        scan.space();
        // Seconds are optional here: without them only white space may follow.
        let (second, nano) = match scan.0 {
            "" => (0, 0),
            _ => scan.second()?,
        };
        scan.end()?;
        time(hour, minute, second, nano)
    }
}

impl IsoText for NaiveDateTime {
    const EXPECTING: &'static str = "a date and time YYYY-MM-DDTHH:MM:SS";
    fn from_iso(text: &str) -> Option<Self> {
        let mut scan = Scan(text);
        let date = scan.date()?;
        scan.space();
        scan.literal('T')?;
        let (hour, minute) = scan.hour_minute()?;
        scan.space();
        let (second, nano) = scan.second()?;
        scan.end()?;
        Some(date.and_time(time(hour, minute, second, nano)?))
    }
}

/// A time of day from its parts as read, second 60 being a leap second (as chrono keeps it).
fn time(hour: u32, minute: u32, second: u32, nano: u32) -> Option<NaiveTime> {
    match second {
        60 => NaiveTime::from_hms_nano_opt(hour, minute, 59, nano + 1_000_000_000),
        _ => NaiveTime::from_hms_nano_opt(hour, minute, second, nano),
    }
}

/// The text not read yet.
struct Scan<'a>(&'a str);

impl Scan<'_> {
    fn space(&mut self) {
        self.0 = self.0.trim_start();
    }

    fn literal(&mut self, c: char) -> Option<()> {
        self.0 = self.0.strip_prefix(c)?;
        Some(())
    }

    /// Nothing but white space is left.
    fn end(&mut self) -> Option<()> {
        self.space();
        self.0.is_empty().then_some(())
    }

    /// One to `max` ASCII digits, as many as there are.
    fn digits(&mut self, max: usize) -> Option<i64> {
        let len = self
            .0
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if len == 0 {
            return None;
        }
        let (digits, rest) = self.0.split_at(len);
        self.0 = rest;
        digits.bytes().try_fold(0i64, |n, d| {
            n.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        })
    }

    /// A number of one or two digits after optional white space, at most `max`.
    fn small(&mut self, max: i64) -> Option<u32> {
        self.space();
        let n = self.digits(2)?;
        u32::try_from(n).ok().filter(|_| n <= max)
    }

    fn date(&mut self) -> Option<NaiveDate> {
        self.space();
        let year = if let Some(rest) = self.0.strip_prefix('-') {
            self.0 = rest;
            -self.digits(usize::MAX)?
        } else if let Some(rest) = self.0.strip_prefix('+') {
            self.0 = rest;
            self.digits(usize::MAX)?
        } else {
            self.digits(4)?
        };
        self.space();
        self.literal('-')?;
        let month = self.small(12)?;
        self.space();
        self.literal('-')?;
        let day = self.small(31)?;
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
    }

    fn hour_minute(&mut self) -> Option<(u32, u32)> {
        let hour = self.small(23)?;
        self.space();
        self.literal(':')?;
        Some((hour, self.small(59)?))
    }

    /// `:SS`, with a fraction after `.`: the second and the nanoseconds.
    fn second(&mut self) -> Option<(u32, u32)> {
        self.literal(':')?;
        let second = self.small(60)?;
        let Some(rest) = self.0.strip_prefix('.') else {
            return Some((second, 0));
        };
        self.0 = rest;
        let before = self.0.len();
        let digits = self.digits(9)?;
        let scale = 10i64.pow(9 - (before - self.0.len()) as u32);
        self.0 = self.0.trim_start_matches(|c: char| c.is_ascii_digit());
        Some((second, u32::try_from(digits * scale).ok()?))
    }
}

/// Writes the value as chrono does (for `#[serde(with = "crate::iso")]`).
pub fn serialize<T: IsoText, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    value.serialize(serializer)
}

/// Reads a date, a time or a date and time from its ISO text.
pub fn deserialize<'de, T: IsoText, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse(&text)
}

fn parse<T: IsoText, E: serde::de::Error>(text: &str) -> Result<T, E> {
    T::from_iso(text)
        .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &T::EXPECTING))
}

/// The same for an optional value (`null` is `None`; with `#[serde(default)]` so that a missing
/// field is `None` too, as without `with`).
pub mod option {
    use super::IsoText;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: IsoText, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, T: IsoText, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| super::parse(&text))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<NaiveDate> {
        NaiveDate::from_iso(text)
    }
    fn time_of(text: &str) -> Option<NaiveTime> {
        NaiveTime::from_iso(text)
    }
    fn date_time(text: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::from_iso(text)
    }

    #[test]
    fn what_the_app_writes_reads_back() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date("2026-11-23"), Some(d));
        assert_eq!(time_of("19:30:00"), NaiveTime::from_hms_opt(19, 30, 0));
        assert_eq!(time_of("19:30"), NaiveTime::from_hms_opt(19, 30, 0));
        assert_eq!(
            date_time("2026-11-23T19:30:05"),
            Some(d.and_hms_opt(19, 30, 5).unwrap())
        );
        assert_eq!(
            date_time("2026-11-23T19:30:05.25"),
            Some(d.and_hms_milli_opt(19, 30, 5, 250).unwrap())
        );
        assert_eq!(date("+12026-01-01"), NaiveDate::from_ymd_opt(12026, 1, 1));
        assert_eq!(date("-0044-03-15"), NaiveDate::from_ymd_opt(-44, 3, 15));
    }

    #[test]
    fn malformed_and_impossible_dates_and_times_are_refused() {
        for bad in [
            "",
            "2026",
            "2026-11",
            "2026-13-01",
            "2026-02-29",
            "2026-11-00",
            "20261-01-01",
            "2026/11/23",
            "2026-11-23x",
            "2026-011-23",
            "x2026-11-23",
        ] {
            assert_eq!(date(bad), None, "date {bad:?}");
        }
        for bad in [
            "",
            "24:00",
            "12:60",
            "12",
            "12:",
            "12:30:",
            "12:30:61",
            "12:30:00.",
            "1230",
        ] {
            assert_eq!(time_of(bad), None, "time {bad:?}");
        }
        for bad in [
            "2026-11-23",
            "2026-11-23T19:30",
            "2026-11-23 19:30:00",
            "2026-11-23t19:30:00",
            "2026-11-23T25:00:00",
            "2026-11-23T19:30:00Z",
        ] {
            assert_eq!(date_time(bad), None, "date and time {bad:?}");
        }
    }

    #[test]
    fn a_field_reads_through_serde_and_writes_as_chrono_does() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Row {
            #[serde(with = "crate::iso")]
            day: NaiveDate,
            #[serde(
                default,
                with = "crate::iso::option",
                skip_serializing_if = "Option::is_none"
            )]
            at: Option<NaiveDateTime>,
        }
        let row: Row = serde_json::from_str(r#"{"day":"2026-11-23"}"#).unwrap();
        assert_eq!(row.at, None, "a missing optional field is None");
        let text = r#"{"day":"2026-11-23","at":"2026-11-23T19:30:00"}"#;
        let row: Row = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&row).unwrap(),
            text,
            "written as read"
        );
        let null: Row = serde_json::from_str(r#"{"day":"2026-11-23","at":null}"#).unwrap();
        assert_eq!(null.at, None);
        let error = serde_json::from_str::<Row>(r#"{"day":"2026-11-31"}"#).unwrap_err();
        assert!(error.to_string().contains("a date YYYY-MM-DD"), "{error}");
    }
}
