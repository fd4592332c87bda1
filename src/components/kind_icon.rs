//! The small icons beside the kinds of items and activities.

use leptos::prelude::*;

/// SVG path data for the icons of item kinds and activity kinds, on a 24 × 24 grid, drawn as a
/// 2 px stroke (the same grid and stroke as the navigation's icons).
pub mod glyph {
    /// A sun: a day off.
    pub const SUN: &str = "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z M12 2v2 M12 20v2 M4.9 4.9l1.4 1.4 M17.7 17.7l1.4 1.4 M2 12h2 M20 12h2 M4.9 19.1l1.4-1.4 M17.7 6.3l1.4-1.4";
    /// An open book: a study day, reading, information.
    pub const BOOK: &str =
        "M12 6c-2-1.5-5-2-8-2v14c3 0 6 .5 8 2 2-1.5 5-2 8-2V4c-3 0-6 .5-8 2z M12 6v14";
    /// A suitcase: the holidays.
    pub const SUITCASE: &str = "M4 8h16v11H4z M9 8V5h6v3 M9 8v11 M15 8v11";
    /// A bus: an outing.
    pub const BUS: &str = "M5 4h14v12H5z M5 10h14 M7 16v3 M17 16v3 M8 13h.01 M16 13h.01";
    /// A folded newspaper: news.
    pub const NEWS: &str =
        "M4 5h13v14H6a2 2 0 0 1-2-2z M17 9h3v8a2 2 0 0 1-2 2h-1 M7 9h7 M7 12.5h7 M7 16h4";
    /// A heart: good news.
    pub const HEART: &str = "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z";
    /// A raised hand: a call for help.
    pub const HAND: &str = "M8 12V6a1.5 1.5 0 0 1 3 0v5 M11 10V4.5a1.5 1.5 0 0 1 3 0V11 M14 10.5V6a1.5 1.5 0 0 1 3 0v7c0 4-2.5 7-6 7-2.5 0-4-1.5-5.5-4L4 13a1.5 1.5 0 0 1 2.5-1.5L8 13";
    /// A star: a celebration.
    pub const STAR: &str = "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z";
    /// A bell: a reminder.
    pub const BELL: &str = "M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 20a2 2 0 0 0 4 0";
    /// Two people: a meeting of parents.
    pub const PEOPLE: &str = "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M3 20c0-3.5 2.5-6 6-6s6 2.5 6 6 M16 5a3 3 0 0 1 0 6 M17 14c2.5.5 4 2.8 4 6";
    /// A cup: a coffee morning.
    pub const CUP: &str =
        "M5 9h11v6a4 4 0 0 1-4 4H9a4 4 0 0 1-4-4z M16 10h2a2 2 0 0 1 0 4h-2 M8 3v3 M12 3v3";
    /// A speech bubble: a conversation.
    pub const CHAT: &str = "M4 5h16v11H10l-5 4v-4H4z";
    /// A house: a home visit.
    pub const HOUSE: &str = "M4 11l8-7 8 7 M6 9.5V20h12V9.5 M10 20v-5h4v5";
    /// A briefcase: the careers day.
    pub const BRIEFCASE: &str = "M4 8h16v11H4z M9 8V5h6v3 M4 13h16";
    /// A calendar: any other activity.
    pub const CALENDAR: &str = "M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5";
}

/// An icon from [`glyph`], hidden from screen readers: the text label beside it says the same.
pub fn kind_icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="kind-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"
            focusable="false" fill="none" stroke="currentColor" stroke-width="2"
            stroke-linecap="round" stroke-linejoin="round">
            <path d=path/>
        </svg>
    }
}
