//! Ziek of afwezig melden (`/afwezig`): the form for one child (chosen on Vandaag, `?kind=<id>`)
//! and the family's reports that are not over yet.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::absence::{AbsenceForm, AbsenceList, CallTheSchool};
use driehoek_web::i18n::use_locale;

/// Ziek of afwezig melden (`/afwezig`).
#[component]
pub fn AbsencePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let child = query.with_untracked(|q| q.get("kind"));
    let (said, set_said) = signal(String::new());
    let announce = Callback::new(move |s| set_said.set(s));
    view! {
        <h1>{locale.text(|t| t.absence_title)}</h1>
        <p class="intro">{locale.text(|t| t.absence_intro)}</p>
        <p class="visually-hidden" role="status" aria-live="polite">{said}</p>
        <CallTheSchool/>
        <AbsenceForm child=child announce=announce/>
        <h2>{locale.text(|t| t.absence_yours)}</h2>
        <AbsenceList announce=announce say_none=true/>
    }
}
