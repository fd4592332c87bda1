//! The school's content as the screens see it, and the clock.
//!
//! The content is the school's, as last synced and kept in storage, or else the demo school with
//! its dates moved to this week. "Today" is the date in the Netherlands (Europe/Amsterdam),
//! whatever the phone's own time zone, because that is the school's calendar.

use chrono::{NaiveDate, NaiveDateTime};
use driehoek_core::{demo_content, tz, Content};
use leptos::prelude::*;

use crate::state::AppData;

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

/// The content in use, shared through context.
#[derive(Clone, Copy)]
pub struct SchoolContent(pub Memo<Content>);

impl SchoolContent {
    /// The synced content where there is some, else the demo school for this week.
    pub fn new(data: AppData) -> Self {
        SchoolContent(Memo::new(move |_| {
            data.content
                .with(|cache| cache.0.clone())
                .unwrap_or_else(|| demo_content(today()))
        }))
    }
}

/// The content from context.
pub fn use_content() -> Memo<Content> {
    expect_context::<SchoolContent>().0
}
