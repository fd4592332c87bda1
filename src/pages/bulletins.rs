//! Maandinfo (`/maandinfo`).

use leptos::prelude::*;

use super::Screen;

/// Maandinfo (`/maandinfo`): the monthly bulletins.
#[component]
pub fn Bulletins() -> impl IntoView {
    view! { <Screen title=|t| t.bulletins_title intro=|t| t.bulletins_intro/> }
}

/// One bulletin item (`/maandinfo/:id`), for deep links.
#[component]
pub fn BulletinItemPage() -> impl IntoView {
    view! { <Screen title=|t| t.bulletins_title intro=|t| t.bulletins_intro/> }
}
