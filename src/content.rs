//! The school's content as the screens see it: the school's, as last synced and kept in storage,
//! or else the demo school with its dates moved to this week (the app's clock is
//! [`driehoek_web::clock`]).
//!
//! The demo school's content is not in the wasm: it is the asset `demo.json`, precached by the
//! service worker, and fetched only while no school is connected (see `driehoek_core::demo`).

use driehoek_core::{demo, Content};
use driehoek_web::clock::today;
use driehoek_web::http::http;
use driehoek_web::state::use_record;
use leptos::prelude::*;

use crate::records::{ContentCache, Settings};

/// The content in use, shared through context, and whether it is there yet.
#[derive(Clone, Copy)]
pub struct SchoolContent {
    content: Memo<Content>,
    ready: Memo<bool>,
}

/// Provides the content in use: the synced content where there is some, else the demo school
/// for this week (empty but for its name while the asset loads, or when it cannot be read).
pub fn provide_school_content() {
    let cache = use_record::<ContentCache>();
    let settings = use_record::<Settings>();
    // Only a parent without a school sees the demo: a connected school's parent never fetches
    // it. (A parent who has not finished the welcome fetches it too: every screen but the
    // welcome shows content, and the navigation reaches them before the welcome is done.)
    let wants_demo = Memo::new(move |_| {
        settings.with(|s| s.sync_url.is_none()) && cache.with(|c| c.0.is_none())
    });
    let demo = LocalResource::new(move || {
        let wanted = wants_demo.get();
        async move {
            if wanted {
                load_demo().await
            } else {
                None
            }
        }
    });
    let content = Memo::new(move |_| {
        cache
            .with(|cache| cache.0.clone())
            .unwrap_or_else(|| demo.get().flatten().unwrap_or_else(demo::empty))
    });
    // The demo school's asset comes from the service worker's cache in a few milliseconds; until
    // then the screens wait, rather than flash "no question today" and other empty states. The
    // welcome does not wait: it shows no content, and a first visit may not have the worker yet.
    // (A resource keeps its last value while it loads again, so a later fetch, after leaving a
    // school, does not take the screens away.)
    let ready = Memo::new(move |_| {
        !wants_demo.get() || !settings.with(|s| s.welcomed) || demo.with(|d| d.is_some())
    });
    provide_context(SchoolContent { content, ready });
}

/// The demo school's content for this week, from the asset; `None` (logged) when it cannot be
/// had: the app then shows the demo school without content rather than failing.
async fn load_demo() -> Option<Content> {
    let reply = match http("GET", demo::ASSET, &[], None).await {
        Ok(reply) if reply.status == 200 => reply,
        _ => {
            leptos::logging::warn!("the demo school's content could not be fetched");
            return None;
        }
    };
    match demo::from_asset(&reply.body, today()) {
        Ok(content) => Some(content),
        Err(_) => {
            leptos::logging::warn!("the demo school's content could not be read");
            None
        }
    }
}

/// The content from context.
pub fn use_content() -> Memo<Content> {
    expect_context::<SchoolContent>().content
}

/// Whether the content in use is there: `false` only while the demo school's asset loads.
pub fn use_content_ready() -> Memo<bool> {
    expect_context::<SchoolContent>().ready
}
