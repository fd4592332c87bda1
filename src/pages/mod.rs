//! The screens, one per route.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{use_locale, Strings};

/// A screen with its one `h1` and an introduction. Until each screen is built, the introduction
/// says what will be there.
#[component]
fn Screen(
    /// The screen's heading.
    title: fn(&Strings) -> &'static str,
    /// The sentence under the heading.
    intro: fn(&Strings) -> &'static str,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h1>{move || title(locale.t())}</h1>
        <p class="intro">{move || intro(locale.t())}</p>
    }
}

/// Vandaag (`/`): today's conversation prompt per child.
#[component]
pub fn Today() -> impl IntoView {
    view! { <Screen title=|t| t.today_title intro=|t| t.today_intro/> }
}

/// Afspraken (`/afspraken`): the agreement between school and parents.
#[component]
pub fn Agreements() -> impl IntoView {
    view! { <Screen title=|t| t.agreements_title intro=|t| t.agreements_intro/> }
}

/// Maandinfo (`/maandinfo`): the monthly bulletins.
#[component]
pub fn Bulletins() -> impl IntoView {
    view! { <Screen title=|t| t.bulletins_title intro=|t| t.bulletins_intro/> }
}

/// Activiteiten (`/activiteiten`): activities and RSVPs.
#[component]
pub fn Activities() -> impl IntoView {
    view! { <Screen title=|t| t.activities_title intro=|t| t.activities_intro/> }
}

/// Instellingen (`/instellingen`): children, names, language, school, data.
#[component]
pub fn Settings() -> impl IntoView {
    view! { <Screen title=|t| t.settings_title intro=|t| t.settings_intro/> }
}

/// Shown for an address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Screen title=|t| t.not_found_title intro=|t| t.not_found_text/>
        <p><A href="/">{move || locale.t().not_found_link}</A></p>
    }
}
