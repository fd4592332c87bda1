//! The screens, one per route.

use leptos::prelude::*;
use leptos_router::components::A;

use driehoek_web::i18n::{use_locale, Strings};

pub mod absence;
pub mod activities;
pub mod agreements;
pub mod bulletins;
pub mod settings;
pub mod talks;
pub mod today;

pub use absence::AbsencePage;
pub use activities::{Activities, ActivityPage};
pub use agreements::Agreements;
pub use bulletins::{BulletinItemPage, Bulletins};
pub use settings::Settings;
pub use talks::{TalkPage, Talks};
pub use today::Today;

/// A screen with its one `h1` and an introduction. Until each screen is built, the introduction
/// says what will be there.
#[component]
pub fn Screen(
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

/// Shown for an address the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Screen title=|t| t.not_found_title intro=|t| t.not_found_text/>
        <p><A href="/">{locale.text(|t| t.not_found_link)}</A></p>
    }
}
