//! The Beheer app: its own small shell around the Beheer screens, built as a wasm of its own
//! (`src/bin/beheer.rs`, `beheer.html`), so that a parent's phone never downloads the school's
//! editor.

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use driehoek_web::components::storage_banner::StorageBanner;
use driehoek_web::components::update_banner::UpdateBanner;
use driehoek_web::i18n::{Lang, Locale};
use driehoek_web::state::{AppStorage, Persisted};

use super::absence::AbsentToday;
use super::draft::{BeheerLogin, BeheerRecord};
use super::editors::{
    ActivityForm, ActivityList, AgreementForm, BulletinForm, BulletinList, ItemForm, SchoolForm,
    ThemeForm, ThemeList,
};
use super::follow::Follow;
use super::planning::Planning;
use super::talks::{TalkForm, TalkList};

/// The whole Beheer app, in Dutch.
#[component]
pub fn BeheerApp() -> impl IntoView {
    let storage = AppStorage::new();
    provide_context(storage);
    provide_context(Persisted::<BeheerLogin>::load(storage));
    provide_context(Persisted::<BeheerRecord>::load(storage));
    provide_context(Locale(RwSignal::new(Lang::Nl)));
    // The same worker as the parents' app: after one visit, Beheer and its draft open offline.
    let sw = driehoek_web::sw::use_service_worker();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Naar de inhoud"</a>
            <header class="topbar">
                <span class="topbar__logo" aria-hidden="true">
                    {driehoek_web::components::icons::logo()}
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
                    // Every entry by its id, never by its place in a list: a rebase may reorder
                    // the lists under an open form.
                    <ParentRoute path=path!("/beheer") view=super::Beheer>
                        // The follow-up screens need no draft; the writing screens wait for it.
                        <Route path=path!("aanmeldingen") view=Follow/>
                        <Route path=path!("afwezig") view=AbsentToday/>
                        <Route path=path!("planning") view=Planning/>
                        <ParentRoute path=path!("") view=super::Writing>
                            <Route path=path!("") view=super::Overview/>
                            <Route path=path!("school") view=SchoolForm/>
                            <Route path=path!("maandinfo") view=BulletinList/>
                            <Route path=path!("maandinfo/:id") view=BulletinForm/>
                            <Route path=path!("maandinfo/:id/:item") view=ItemForm/>
                            <Route path=path!("activiteiten") view=ActivityList/>
                            <Route path=path!("activiteiten/:id") view=ActivityForm/>
                            <Route path=path!("themas") view=ThemeList/>
                            <Route path=path!("themas/:id") view=ThemeForm/>
                            <Route path=path!("gesprekken") view=TalkList/>
                            <Route path=path!("gesprekken/:id") view=TalkForm/>
                            <Route path=path!("afspraken") view=AgreementForm/>
                            <Route path=path!("controleren") view=super::Publish/>
                        </ParentRoute>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}
