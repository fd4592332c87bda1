//! The ISO readers of `driehoek_core::iso` against chrono's own `FromStr`: the same answer for
//! any text, and every value chrono writes reads back as itself.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use driehoek_core::iso::IsoText;
use proptest::prelude::*;

/// Text near the shapes read: digits, the separators, signs, white space and a few others.
fn near_iso() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9 :T.+\\-]{0,24}",
        // A written value with one character changed, dropped or added.
        (any::<i64>(), 0usize..32, "[0-9 :T.+\\-xZ\u{a0}]?", any::<bool>()).prop_map(
            |(seed, at, put, drop)| {
                let base = NaiveDateTime::default()
                    + chrono::TimeDelta::seconds(seed % 40_000_000_000);
                let mut text = base.to_string().replace(' ', "T");
                let at = at.min(text.len());
                if drop && at < text.len() {
                    text.remove(at);
                }
                text.insert_str(at, &put);
                text
            }
        ),
        "[ \t]{0,2}[+\\-]?[0-9]{1,6}[ ]?-[ ]?[0-9]{1,3}[ ]?-[ ]?[0-9]{1,3}[ \t]{0,2}",
        "[ ]?[0-9]{1,3}[ ]?:[ ]?[0-9]{1,3}([ ]?:[ ]?[0-9]{1,3}(\\.[0-9]{0,12})?)?[ \n]{0,2}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[ ]?[Tt ][ ]?[0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,11})?)?[ ]?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn a_date_reads_as_chrono_reads_it(text in near_iso()) {
        prop_assert_eq!(NaiveDate::from_iso(&text), text.parse::<NaiveDate>().ok(), "{:?}", text);
    }

    #[test]
    fn a_time_reads_as_chrono_reads_it(text in near_iso()) {
        prop_assert_eq!(NaiveTime::from_iso(&text), text.parse::<NaiveTime>().ok(), "{:?}", text);
    }

    #[test]
    fn a_date_and_time_reads_as_chrono_reads_it(text in near_iso()) {
        prop_assert_eq!(
            NaiveDateTime::from_iso(&text),
            text.parse::<NaiveDateTime>().ok(),
            "{:?}",
            text
        );
    }

    #[test]
    fn any_text_reads_as_chrono_reads_it(text in any::<String>()) {
        prop_assert_eq!(NaiveDate::from_iso(&text), text.parse::<NaiveDate>().ok());
        prop_assert_eq!(NaiveTime::from_iso(&text), text.parse::<NaiveTime>().ok());
        prop_assert_eq!(NaiveDateTime::from_iso(&text), text.parse::<NaiveDateTime>().ok());
    }

    #[test]
    fn what_chrono_writes_reads_back(days in -3_000_000i32..3_000_000, secs in 0u32..86_400, nano in 0u32..2_000_000_000) {
        let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
        // A leap second (nanoseconds from 1e9) only in the last second of a minute.
        let nano = if secs % 60 == 59 { nano } else { nano % 1_000_000_000 };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nano).unwrap();
        let at = date.and_time(time);
        prop_assert_eq!(NaiveDate::from_iso(&written(&date)), Some(date));
        prop_assert_eq!(NaiveTime::from_iso(&written(&time)), Some(time));
        prop_assert_eq!(NaiveDateTime::from_iso(&written(&at)), Some(at));
    }
}

/// The text chrono's serializer writes (the JSON string without its quotes).
fn written<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        other => panic!("not a string: {other:?}"),
    }
}
