//! The offer of a new version of the app: shown when a new service worker waits, applied only
//! when the parent taps the button, never in the middle of what they are doing.

use leptos::prelude::*;

use crate::i18n::use_locale;

/// A banner "Nieuwe versie beschikbaar" with a button "Vernieuwen".
#[component]
pub fn UpdateBanner(
    /// Whether a new version is waiting.
    #[prop(into)]
    ready: Signal<bool>,
    /// Called when the parent taps "Vernieuwen".
    on_update: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    // The live region exists from the start, so that a screen reader announces its new content.
    view! {
        <div class="update-banner" role="status" aria-live="polite">
            <Show when=move || ready.get()>
                <div class="update-banner__inner">
                    <span>{move || locale.t().update_available}</span>
                    <button class="button button--primary" on:click=move |_| on_update.run(())>
                        {move || locale.t().update_button}
                    </button>
                </div>
            </Show>
        </div>
    }
}
