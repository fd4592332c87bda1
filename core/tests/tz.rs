mod common;

use chrono::{Duration, NaiveDateTime};
use common::at;
use driehoek_core::tz::*;

/// The transitions of several years: (year, March Sunday, October Sunday).
const SUNDAYS: [(i32, u32, u32); 6] = [
    (2024, 31, 27),
    (2025, 30, 26),
    (2026, 29, 25),
    (2027, 28, 31),
    (2028, 26, 29),
    (2029, 25, 28),
];

#[test]
fn winter_and_summer_offsets_away_from_the_transitions() {
    assert_eq!(
        utc_offset_minutes(at(2026, 1, 15, 12, 0)),
        60,
        "January is CET"
    );
    assert_eq!(
        utc_offset_minutes(at(2026, 7, 1, 12, 0)),
        120,
        "July is CEST"
    );
    assert_eq!(
        utc_offset_minutes(at(2026, 12, 31, 23, 59)),
        60,
        "New Year's Eve is CET"
    );
}

#[test]
fn summer_time_starts_on_the_last_sunday_of_march_at_one_utc() {
    for (y, march, _) in SUNDAYS {
        let switch = at(y, 3, march, 1, 0);
        assert_eq!(
            utc_offset_minutes_at_utc(switch - Duration::seconds(1)),
            60,
            "{y}: just before"
        );
        assert_eq!(utc_offset_minutes_at_utc(switch), 120, "{y}: at the switch");
        assert_eq!(
            utc_to_local(switch - Duration::minutes(1)),
            at(y, 3, march, 1, 59),
            "{y}"
        );
        assert_eq!(
            utc_to_local(switch),
            at(y, 3, march, 3, 0),
            "{y}: clocks jump to 03:00"
        );
        // The Sunday a week earlier is still winter time all day.
        assert_eq!(
            utc_offset_minutes(at(y, 3, march - 7, 12, 0)),
            60,
            "{y}: a week before"
        );
    }
}

#[test]
fn summer_time_ends_on_the_last_sunday_of_october_at_one_utc() {
    for (y, _, october) in SUNDAYS {
        let switch = at(y, 10, october, 1, 0);
        assert_eq!(
            utc_offset_minutes_at_utc(switch - Duration::seconds(1)),
            120,
            "{y}"
        );
        assert_eq!(utc_offset_minutes_at_utc(switch), 60, "{y}: at the switch");
        assert_eq!(
            utc_to_local(switch - Duration::minutes(1)),
            at(y, 10, october, 2, 59),
            "{y}"
        );
        assert_eq!(
            utc_to_local(switch),
            at(y, 10, october, 2, 0),
            "{y}: clocks go back to 02:00"
        );
        assert_eq!(
            utc_offset_minutes(at(y, 10, october - 7, 12, 0)),
            120,
            "{y}: a week before"
        );
    }
}

#[test]
fn local_time_in_the_spring_gap_uses_the_winter_offset() {
    for (y, march, _) in SUNDAYS {
        let in_gap = at(y, 3, march, 2, 30);
        assert_eq!(
            utc_offset_minutes(in_gap),
            60,
            "{y}: 02:30 does not exist, read as CET"
        );
        assert_eq!(local_to_utc(in_gap), at(y, 3, march, 1, 30), "{y}");
        assert_eq!(
            utc_to_local(local_to_utc(in_gap)),
            at(y, 3, march, 3, 30),
            "{y}: shows as 03:30"
        );
        assert_eq!(
            utc_offset_minutes(at(y, 3, march, 1, 59)),
            60,
            "{y}: before the gap"
        );
        assert_eq!(
            utc_offset_minutes(at(y, 3, march, 3, 0)),
            120,
            "{y}: after the gap"
        );
    }
}

#[test]
fn local_time_in_the_autumn_overlap_is_its_first_occurrence() {
    for (y, _, october) in SUNDAYS {
        let twice = at(y, 10, october, 2, 30);
        assert_eq!(
            utc_offset_minutes(twice),
            120,
            "{y}: 02:30 happens twice, the first is CEST"
        );
        assert_eq!(local_to_utc(twice), at(y, 10, october, 0, 30), "{y}");
        assert_eq!(
            utc_offset_minutes(at(y, 10, october, 3, 0)),
            60,
            "{y}: 03:00 is CET again"
        );
        assert_eq!(
            local_to_utc(at(y, 10, october, 3, 0)),
            at(y, 10, october, 2, 0),
            "{y}"
        );
    }
}

#[test]
fn every_utc_minute_around_the_transitions_round_trips_through_local_time() {
    // Away from the overlap, local → UTC is the inverse of UTC → local.
    for (y, march, october) in SUNDAYS {
        for start in [at(y, 3, march, 0, 0), at(y, 10, october, 0, 0)] {
            for minute in 0..180 {
                let utc = start + Duration::minutes(minute);
                let local = utc_to_local(utc);
                let is_second_pass =
                    utc_offset_minutes_at_utc(utc) == 60 && utc_offset_minutes(local) == 120;
                if !is_second_pass {
                    assert_eq!(local_to_utc(local), utc, "{utc} → {local} → back");
                }
            }
        }
    }
}

#[test]
fn extreme_dates_do_not_panic() {
    for t in [NaiveDateTime::MIN, NaiveDateTime::MAX] {
        let _ = utc_offset_minutes(t);
        let _ = local_to_utc(t);
        let _ = utc_to_local(t);
    }
    assert_eq!(
        local_to_utc(NaiveDateTime::MIN),
        NaiveDateTime::MIN,
        "saturates at the start"
    );
}

#[test]
fn unix_millis_become_local_time() {
    // 2026-11-23T12:00:00Z is 13:00 in Amsterdam (CET).
    let millis = at(2026, 11, 23, 12, 0).and_utc().timestamp_millis();
    assert_eq!(
        local_from_unix_millis(millis),
        Some(at(2026, 11, 23, 13, 0))
    );
    assert_eq!(local_from_unix_millis(i64::MAX), None, "out of range");
}
