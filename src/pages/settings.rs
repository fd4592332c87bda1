//! Instellingen (`/instellingen`).

use leptos::prelude::*;

use super::Screen;

/// Instellingen (`/instellingen`): children, names, language, school, data.
#[component]
pub fn Settings() -> impl IntoView {
    view! { <Screen title=|t| t.settings_title intro=|t| t.settings_intro/> }
}
