//! Vandaag (`/`).

use leptos::prelude::*;

use super::Screen;

/// Vandaag (`/`): today's conversation prompt per child.
#[component]
pub fn Today() -> impl IntoView {
    view! { <Screen title=|t| t.today_title intro=|t| t.today_intro/> }
}
