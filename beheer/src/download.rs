//! A file the school downloads from its server (a CSV for Excel): one download at a time, and
//! the problem, if any, for the screen to show.

use std::future::Future;

use leptos::prelude::*;

use driehoek_web::browser::download;

/// What [`use_csv_download`] gives a screen.
#[derive(Clone, Copy)]
pub struct UseCsvDownloadReturn {
    /// Starts the download.
    pub start: Callback<()>,
    /// While the file is being fetched.
    pub pending: Signal<bool>,
    /// Why the last download failed, or empty.
    pub problem: Signal<String>,
}

/// A CSV download: `fetch` gives the file's name and text, or why not.
pub fn use_csv_download<F>(fetch: impl Fn() -> F + 'static) -> UseCsvDownloadReturn
where
    F: Future<Output = Result<(String, String), String>> + 'static,
{
    let action = Action::new_local(move |_: &()| {
        let file = fetch();
        async move {
            let (name, text) = file.await?;
            download(&name, "text/csv;charset=utf-8", &text);
            Ok::<(), String>(())
        }
    });
    let pending = action.pending();
    let problem = Signal::derive(move || {
        // While a new download runs, the last one's problem no longer applies.
        if pending.get() {
            return String::new();
        }
        action
            .value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().err()).cloned())
            .unwrap_or_default()
    });
    UseCsvDownloadReturn {
        start: Callback::new(move |()| {
            action.dispatch(());
        }),
        pending: pending.into(),
        problem,
    }
}
