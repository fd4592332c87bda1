//! One HTTP request to a school's server, as both apps make it: no browser cache, a timeout, and
//! the answer's status, ETag, `Retry-After` and body.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long one request may take before it counts as no answer.
const REQUEST_TIMEOUT_MS: i32 = 20_000;

/// An answer from the server.
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub retry_after: Option<u32>,
    pub body: String,
}

/// No answer from the server: offline, a server gone, or a timeout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoAnswer;

/// One request; [`NoAnswer`] when no answer came.
pub async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Reply, NoAnswer> {
    let offline = |_| NoAnswer;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    // The app's own ETag decides; the browser's HTTP cache must not answer for the server.
    init.set_cache(web_sys::RequestCache::NoStore);
    let list = web_sys::Headers::new().map_err(offline)?;
    for (name, value) in headers {
        list.set(name, value).map_err(offline)?;
    }
    init.set_headers(&list);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let abort = web_sys::AbortController::new().ok();
    if let Some(abort) = &abort {
        init.set_signal(Some(&abort.signal()));
    }
    let timer = abort.map(|abort| {
        set_timeout_with_handle(
            move || abort.abort(),
            std::time::Duration::from_millis(REQUEST_TIMEOUT_MS as u64),
        )
    });
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(offline)?;
    let result = async {
        let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request))
            .await?
            .dyn_into()?;
        let text = JsFuture::from(response.text()?).await?;
        Ok::<_, JsValue>((response, text.as_string().unwrap_or_default()))
    }
    .await;
    if let Some(Ok(timer)) = timer {
        timer.clear();
    }
    let (response, body) = result.map_err(offline)?;
    let header = |name: &str| response.headers().get(name).ok().flatten();
    Ok(Reply {
        status: response.status(),
        etag: header("etag"),
        retry_after: header("retry-after").and_then(|v| v.trim().parse().ok()),
        body,
    })
}
