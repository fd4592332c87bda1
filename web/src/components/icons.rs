//! Icons drawn for Driehoek as inline SVG: no icon font, no request, and they take the text
//! colour (`currentColor`), so they follow light and dark mode.

use leptos::prelude::*;

/// The icons of the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// A speech bubble: today's conversation.
    Today,
    /// A page with a tick: the agreements.
    Agreements,
    /// A folded newspaper: the monthly bulletin.
    Bulletins,
    /// A calendar: the activities.
    Activities,
    /// Two sliders: the settings.
    Settings,
}

impl Icon {
    /// The SVG path data of the icon, on a 24 × 24 grid, drawn as a 2 px stroke.
    fn path(self) -> &'static str {
        match self {
            Icon::Today => "M4 5h16v11H10l-5 4v-4H4z M8 9.5h8 M8 12.5h5",
            Icon::Agreements => "M6 3h8l4 4v14H6z M14 3v4h4 M9 14l2 2 4-4",
            Icon::Bulletins => {
                "M4 5h13v14H6a2 2 0 0 1-2-2z M17 9h3v8a2 2 0 0 1-2 2h-1 M7 9h7 M7 12.5h7 M7 16h4"
            }
            Icon::Activities => "M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5 M9 15l2 2 4-4",
            Icon::Settings => "M4 7h10 M18 7h2 M4 17h4 M12 17h8 M16 5v4 M10 15v4",
        }
    }
}

/// An icon, hidden from screen readers (the label beside it says what it means).
pub fn icon(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"
            focusable="false" fill="none" stroke="currentColor" stroke-width="2"
            stroke-linecap="round" stroke-linejoin="round">
            <path d=icon.path()/>
        </svg>
    }
}

/// Driehoek's mark: a triangle whose three corners are school, parents and child.
pub fn logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"
            focusable="false">
            <path d="M12 4.5 20 18.5H4z" fill="none" stroke="currentColor" stroke-width="2"
                stroke-linejoin="round"/>
            <circle cx="12" cy="4.5" r="2.6" fill="#f2b134"/>
            <circle cx="20" cy="18.5" r="2.6" fill="#f2b134"/>
            <circle cx="4" cy="18.5" r="2.6" fill="#f2b134"/>
        </svg>
    }
}
