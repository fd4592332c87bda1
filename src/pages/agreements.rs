//! Afspraken (`/afspraken`).

use leptos::prelude::*;

use super::Screen;

/// Afspraken (`/afspraken`): the agreement between school and parents.
#[component]
pub fn Agreements() -> impl IntoView {
    view! { <Screen title=|t| t.agreements_title intro=|t| t.agreements_intro/> }
}
