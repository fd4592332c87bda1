//! A calm banner on every screen when the school cannot be reached for a reason only the parent
//! can fix (a replaced access code, a wrong link, the family known from another phone): said
//! where the parent looks, not only in Instellingen, with the way to fix it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::records::SyncProblem;
use crate::sync::{problem_text, sync_context};
use driehoek_web::i18n::use_locale;

/// Whether a problem needs the parent (a new link from the school); the others pass by
/// themselves and are told only in Instellingen.
pub fn needs_the_parent(problem: SyncProblem) -> bool {
    matches!(
        problem,
        SyncProblem::CodeWrong | SyncProblem::SchoolUnknown | SyncProblem::FamilyElsewhere
    )
}

/// The banner; nothing when all is well. Instellingen shows the problem in its own place.
#[component]
pub fn SyncBanner() -> impl IntoView {
    let locale = use_locale();
    let sync = sync_context();
    let location = use_location();
    let problem = move || {
        sync.record
            .with(|r| r.problem)
            .filter(|p| needs_the_parent(*p) && sync.connected.get())
            .filter(|_| location.pathname.with(|p| p != "/instellingen"))
    };
    let waiting = move || sync.record.with(|r| r.outbox.entries.len());
    view! {
        <Show when=move || problem().is_some()>
            <div class="storage-banner sync-banner" role="status">
                <div class="storage-banner__item">
                    <p>
                        {move || problem().map(|p| problem_text(locale.t(), p))}
                        {move || {
                            let t = locale.t();
                            match waiting() {
                                0 => String::new(),
                                1 => format!(" {}", t.sync_waiting_one),
                                n => format!(" {}", t.sync_waiting.replace("{n}", &n.to_string())),
                            }
                        }}
                    </p>
                    <A href="/instellingen" attr:class="button">
                        {locale.text(|t| t.sync_fix)}
                    </A>
                </div>
            </div>
        </Show>
    }
}
