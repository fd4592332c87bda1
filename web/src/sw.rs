//! The service worker, from the app's side: register it, notice when a new version waits, and
//! switch to it only when the parent asks (`use_service_worker`).
//!
//! The worker itself is `public/sw.js`; its precache list and version are written at build time by
//! `scripts/precache.mjs`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// How often an open app asks the server whether there is a new version.
const UPDATE_CHECK_MS: i32 = 60 * 60 * 1000;

/// What [`use_service_worker`] gives the app.
pub struct UseServiceWorkerReturn {
    /// A new version is installed and waits for the parent's tap.
    pub update_ready: ReadSignal<bool>,
    /// Switch to the waiting version; the page reloads once it has taken over.
    pub apply_update: Callback<()>,
}

/// Registers `/sw.js` and follows its updates. Where the browser has no service workers (an
/// insecure origin, an old browser), the app works on without one and never offers an update.
pub fn use_service_worker() -> UseServiceWorkerReturn {
    let (update_ready, set_update_ready) = signal(false);
    // Only a switch the parent asked for reloads the page: the first install also changes the
    // controller (the worker claims the page), and must not reload what the parent is doing.
    let (requested, set_requested) = signal(false);
    let apply_update = Callback::new(move |_: ()| {
        if let Some(container) = container() {
            set_requested.set(true);
            spawn_local(activate_waiting(container));
        }
    });

    if let Some(container) = container() {
        let on_waiting = move || set_update_ready.set(true);
        let on_switched = move || {
            if requested.get_untracked() {
                let _ = window().location().reload();
            }
        };
        spawn_local(register(container, on_waiting, on_switched));
    }

    UseServiceWorkerReturn {
        update_ready,
        apply_update,
    }
}

/// `navigator.serviceWorker`, where the browser has it.
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    let has =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    has.then(|| navigator.service_worker())
}

async fn register(
    container: ServiceWorkerContainer,
    on_waiting: impl Fn() + Clone + 'static,
    on_switched: impl Fn() + 'static,
) {
    let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else {
        // No worker (private mode, storage off): the app still runs, only not offline.
        return;
    };
    // A browser (or an in-app browser's shim) that answers the registration with nothing is a
    // browser without a worker too.
    if !registration.is_object() {
        return;
    }
    let registration: ServiceWorkerRegistration = registration.unchecked_into();

    // A first install is no update: only a worker that waits while another controls this page is.
    let has_controller = {
        let container = container.clone();
        move || container.controller().is_some()
    };
    if registration.waiting().is_some() && has_controller() {
        on_waiting();
    }

    let on_update_found = {
        let registration = registration.clone();
        Closure::<dyn Fn()>::new(move || {
            if let Some(installing) = registration.installing() {
                watch_installing(installing, has_controller.clone(), on_waiting.clone());
            }
        })
    };
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    // The listener lives as long as the page.
    on_update_found.forget();

    // Once the new worker has taken over, load the page again from its cache.
    let on_controller_change = Closure::<dyn Fn()>::new(on_switched);
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();

    // A phone keeps an app open for days: look for a new version now and then, and when the
    // parent comes back to it.
    let check = Closure::<dyn Fn()>::new(move || {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            if let Ok(promise) = registration.update() {
                // A failed check (offline) is normal; the next one will try again.
                spawn_local(async move {
                    let _ = JsFuture::from(promise).await;
                });
            }
        }
    });
    let _ = window().set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        UPDATE_CHECK_MS,
    );
    let _ = document()
        .add_event_listener_with_callback("visibilitychange", check.as_ref().unchecked_ref());
    check.forget();
}

fn watch_installing(
    worker: ServiceWorker,
    has_controller: impl Fn() -> bool + 'static,
    on_waiting: impl Fn() + 'static,
) {
    let watched = worker.clone();
    let on_state_change = Closure::<dyn Fn()>::new(move || {
        if watched.state() == ServiceWorkerState::Installed && has_controller() {
            on_waiting();
        }
    });
    worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
    on_state_change.forget();
}

async fn activate_waiting(container: ServiceWorkerContainer) {
    let Ok(registration) = JsFuture::from(container.get_registration()).await else {
        return;
    };
    let Some(registration) = registration.dyn_into::<ServiceWorkerRegistration>().ok() else {
        return;
    };
    if let Some(waiting) = registration.waiting() {
        // The worker answers by calling skipWaiting(); `controllerchange` then reloads the page.
        let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
    }
}
