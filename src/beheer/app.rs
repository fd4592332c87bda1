//! The Beheer app: its own small shell around the Beheer screens, built as a wasm of its own
//! (`src/bin/beheer.rs`, `beheer.html`), so that a parent's phone never downloads the school's
//! editor.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::storage_banner::StorageBanner;
use crate::components::update_banner::UpdateBanner;
use crate::i18n::{Lang, Locale};
use crate::state::{AppData, AppStorage};

/// The whole Beheer app, in Dutch.
#[component]
pub fn BeheerApp() -> impl IntoView {
    let storage = AppStorage::new();
    provide_context(storage);
    // The parents' records on this device: the login starts at the school this app is linked to.
    provide_context(AppData::load(&storage));
    provide_context(Locale(RwSignal::new(Lang::Nl)));
    // The same worker as the parents' app: after one visit, Beheer and its draft open offline.
    let sw = crate::sw::use_service_worker();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Naar de inhoud"</a>
            <header class="topbar">
                <span class="topbar__logo" aria-hidden="true">
                    {crate::components::icons::logo()}
                </span>
                <span class="topbar__school">"Driehoek · Beheer"</span>
            </header>
            <UpdateBanner ready=sw.update_ready on_update=sw.apply_update/>
            <StorageBanner/>
            <main id="main" class="screen screen--beheer" tabindex="-1">
                <Routes fallback=|| view! {
                    <h1>"Niet gevonden"</h1>
                    <p><a href="/beheer">"Naar Beheer"</a></p>
                }>
                    <Route path=path!("/beheer") view=super::Beheer/>
                </Routes>
            </main>
        </Router>
    }
}
