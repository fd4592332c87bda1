//! The shell: top bar, the screens behind the router, the bottom navigation, and the offer of a
//! new version.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::join_family::JoinFamily;
use crate::components::nav::BottomNav;
use crate::content::provide_school_content;
use crate::pages::{
    AbsencePage, Activities, ActivityPage, Agreements, BulletinItemPage, Bulletins, NotFound,
    TalkPage, Talks, Today,
};
use crate::records::Settings;
use crate::state::provide_records;
use driehoek_web::components::storage_banner::StorageBanner;
use driehoek_web::components::update_banner::UpdateBanner;
use driehoek_web::i18n::{Lang, Locale};
use driehoek_web::state::{request_persistence, use_record, AppStorage};
use driehoek_web::sw::use_service_worker;

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let storage = AppStorage::new();
    provide_context(storage);
    provide_records(storage);
    // Opened from the school's letter: connect the school before anything is drawn.
    crate::sync::accept_join_link();
    // Opened with the link of another phone of the family: asked before anything changes.
    let family_link = RwSignal::new(crate::sync::accept_family_link());
    provide_school_content();
    request_persistence();

    // The parent's choice; before any (the first run), the phone's own language where the app
    // speaks it, else Dutch. Only a choice is kept in the settings.
    let lang = use_record::<Settings>()
        .with_untracked(|settings| Lang::from_code(&settings.lang))
        .or_else(|| {
            let tags = driehoek_web::browser::preferred_languages();
            Lang::first_known(tags.iter().map(String::as_str))
        })
        .unwrap_or_default();
    let locale = Locale(RwSignal::new(lang));
    provide_context(locale);
    // Only the Dutch texts are in the wasm: another language's are loaded (from the worker's
    // cache, or the network on a first visit) before anything is drawn, so that nothing shows in
    // Dutch first. Should they not load, the app speaks Dutch rather than nothing.
    let loaded = lang.is_loaded();
    let texts_ready = RwSignal::new(loaded);
    if !loaded {
        leptos::task::spawn_local(async move {
            if !driehoek_web::i18n::load(lang).await {
                locale.0.set(Lang::Nl);
            }
            texts_ready.set(true);
        });
    }

    // Keep `<html lang dir>` in step with the parent's language, for screen readers and for
    // Arabic, whose layout the stylesheets mirror through logical properties. Once the app
    // draws, index.html's loading message (or prerendered welcome) has done its work: it goes
    // in the same task as the app's first drawing, so nothing flashes.
    Effect::new(move |_| {
        if !texts_ready.get() {
            return;
        }
        let lang = locale.0.get();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.code());
            let _ = html.set_attribute("dir", lang.dir());
        }
        if let Some(loading) = document().get_element_by_id("laden") {
            loading.remove();
        }
    });

    let content_ready = crate::content::use_content_ready();
    let sw = use_service_worker();
    provide_context(crate::sync::use_sync(locale));

    view! {
        <Show when=move || texts_ready.get()>
        <Router>
            <a class="skip-link" href="#main">{locale.text(|t| t.skip_to_content)}</a>
            <TopBar/>
            <UpdateBanner ready=sw.update_ready on_update=sw.apply_update/>
            <StorageBanner/>
            <crate::components::sync_banner::SyncBanner/>
            <main id="main" class="screen" tabindex="-1">
                <JoinFamily link=family_link/>
                // The screens wait for the content (only the demo school's asset is ever awaited).
                <Show when=move || content_ready.get()>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Today/>
                        <Route path=path!("/afspraken") view=Agreements/>
                        <Route path=path!("/maandinfo") view=Bulletins/>
                        <Route path=path!("/maandinfo/:id") view=BulletinItemPage/>
                        <Route path=path!("/activiteiten") view=Activities/>
                        <Route path=path!("/activiteiten/:id") view=ActivityPage/>
                        <Route path=path!("/instellingen") view=crate::pages::Settings/>
                        <Route path=path!("/afwezig") view=AbsencePage/>
                        <Route path=path!("/gesprekken") view=Talks/>
                        <Route path=path!("/gesprekken/:id") view=TalkPage/>
                    </Routes>
                </Show>
            </main>
            <BottomNav/>
            <FocusOnNavigate/>
        </Router>
        </Show>
    }
}

/// After a navigation, puts the keyboard and screen-reader focus on the new screen, as a page
/// load would; not on the first screen, where the browser starts at the top anyway.
///
/// The focus waits until the new screen has been painted: `focus()` makes the browser lay out
/// the page at once, which would otherwise delay the tap's first frame.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            crate::components::growing::after_next_paint(|| {
                if let Some(main) = document().get_element_by_id("main") {
                    if let Ok(main) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(main) {
                        let _ = main.focus();
                    }
                }
            });
        }
        path
    });
}

/// The bar at the top with the school's name (the demo school until a school is connected).
#[component]
fn TopBar() -> impl IntoView {
    let content = crate::content::use_content();
    let school = move || content.with(|c| c.school.name.clone());
    view! {
        <header class="topbar">
            <span class="topbar__logo" aria-hidden="true">
                {driehoek_web::components::icons::logo()}
            </span>
            <span class="topbar__school">{school}</span>
        </header>
    }
}
