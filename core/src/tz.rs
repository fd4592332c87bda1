//! Europe/Amsterdam without a time-zone database.
//!
//! The Netherlands follow the EU rule: summer time (CEST, UTC+02:00) runs from the last Sunday of
//! March, 01:00 UTC, to the last Sunday of October, 01:00 UTC; the rest of the year is CET
//! (UTC+01:00). The rule is applied to every year (it holds since 1996); a school app has no need
//! for older history, and leaving out a tz database keeps the wasm small.
//!
//! Local times that do not exist or exist twice are resolved as RFC 5545 (§3.3.5) prescribes for
//! a `TZID` date-time, so that the app and the calendar apps that read our `.ics` files agree:
//! - in the spring gap (02:00–03:00 local on the last Sunday of March) the offset from *before*
//!   the gap is used (CET): 02:30 is taken as 01:30 UTC, which the clock shows as 03:30;
//! - in the autumn overlap (02:00–03:00 local on the last Sunday of October) the *first*
//!   occurrence is used (CEST): 02:30 is taken as 00:30 UTC.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// The offset of CET (winter time), in minutes east of UTC.
pub const CET_MINUTES: i32 = 60;
/// The offset of CEST (summer time), in minutes east of UTC.
pub const CEST_MINUTES: i32 = 120;

/// The last Sunday of `month` (March or October: both have 31 days) in `year`.
fn last_sunday_of_31_day_month(year: i32, month: u32) -> Option<NaiveDate> {
    let last = NaiveDate::from_ymd_opt(year, month, 31)?;
    last.checked_sub_signed(Duration::days(i64::from(
        last.weekday().num_days_from_sunday(),
    )))
}

/// The last Sundays of March and October of `year`, at `hour`:00.
fn transitions_at(year: i32, hour: u32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let time = NaiveTime::from_hms_opt(hour, 0, 0)?;
    let start = last_sunday_of_31_day_month(year, 3)?.and_time(time);
    let end = last_sunday_of_31_day_month(year, 10)?.and_time(time);
    Some((start, end))
}

/// The UTC offset in minutes (60 or 120) of a local Amsterdam wall-clock time.
///
/// Gap and overlap hours are resolved as described in the module documentation.
pub fn utc_offset_minutes(local: NaiveDateTime) -> i32 {
    // In local time, summer time starts at 03:00 on the March Sunday (the gap 02:00–03:00 gets
    // the winter offset) and ends at 03:00 CEST on the October Sunday (the overlap 02:00–03:00
    // gets the summer offset, its first occurrence). So one half-open interval covers both.
    match transitions_at(local.year(), 3) {
        Some((start, end)) if start <= local && local < end => CEST_MINUTES,
        // Years at the very edge of chrono's range have no transitions: winter time is as good
        // an answer as any there, and it never panics.
        _ => CET_MINUTES,
    }
}

/// The UTC offset in minutes (60 or 120) in Amsterdam at a moment given in UTC. Every UTC moment
/// has exactly one offset.
pub fn utc_offset_minutes_at_utc(utc: NaiveDateTime) -> i32 {
    match transitions_at(utc.year(), 1) {
        Some((start, end)) if start <= utc && utc < end => CEST_MINUTES,
        _ => CET_MINUTES,
    }
}

/// The UTC time of a local Amsterdam wall-clock time. Saturates at chrono's range limits.
pub fn local_to_utc(local: NaiveDateTime) -> NaiveDateTime {
    let offset = Duration::minutes(i64::from(utc_offset_minutes(local)));
    local.checked_sub_signed(offset).unwrap_or(local)
}

/// The local Amsterdam wall-clock time of a UTC time. Saturates at chrono's range limits.
pub fn utc_to_local(utc: NaiveDateTime) -> NaiveDateTime {
    let offset = Duration::minutes(i64::from(utc_offset_minutes_at_utc(utc)));
    utc.checked_add_signed(offset).unwrap_or(utc)
}

/// The local Amsterdam time of a moment given in milliseconds since the Unix epoch (as the
/// browser's `Date.now()` gives it); `None` outside chrono's range.
pub fn local_from_unix_millis(millis: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_millis(millis).map(|utc| utc_to_local(utc.naive_utc()))
}
