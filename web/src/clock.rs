//! The apps' one clock. "Today" is the date in the Netherlands (Europe/Amsterdam), whatever the
//! device's own time zone, because that is the school's calendar.

use chrono::{NaiveDate, NaiveDateTime};
use driehoek_core::tz;

/// Now, in milliseconds since the Unix epoch: the app's one clock. Every "now" of the app (today,
/// deadlines, the `updated_at` of what goes to school) comes from here, so that a test that sets
/// the browser's clock sets all of them.
pub fn now_millis() -> i64 {
    // `Date.now()` is milliseconds since the epoch (UTC); f64 holds them exactly for millennia.
    js_sys::Date::now() as i64
}

/// The local date-time in the Netherlands now.
pub fn now_local() -> NaiveDateTime {
    tz::local_from_unix_millis(now_millis()).unwrap_or_default()
}

/// Today's date in the Netherlands.
pub fn today() -> NaiveDate {
    now_local().date()
}
