//! Activiteiten (`/activiteiten`).

use leptos::prelude::*;

use super::Screen;

/// Activiteiten (`/activiteiten`): activities and RSVPs.
#[component]
pub fn Activities() -> impl IntoView {
    view! { <Screen title=|t| t.activities_title intro=|t| t.activities_intro/> }
}

/// One activity with its RSVP (`/activiteiten/:id`).
#[component]
pub fn ActivityPage() -> impl IntoView {
    view! { <Screen title=|t| t.activities_title intro=|t| t.activities_intro/> }
}
