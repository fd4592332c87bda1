//! The app's side of the sync protocol (shared/DESIGN.md): the school's link, the outbox of RSVPs
//! and acknowledgements, and [`use_sync`], which pulls the school's content and pushes the outbox.
//!
//! The rules that make a change arrive exactly once are in the core crate
//! ([`driehoek_core::sync`]) and are proven there by a simulation; this module only moves them
//! over HTTP. A change enters the outbox (in storage) before the screen says it is saved, and
//! leaves it only when the server has confirmed a version at least as new.
//!
//! A sync runs at start, when the browser says it is online again, when the app becomes visible,
//! on a timer while the app is open, right after the parent saves a change, and on "Nu
//! synchroniseren". `navigator.onLine` is never asked: only an answer from the server counts.
//! After a failure the next automatic try waits longer each time (with jitter, so that a
//! school's parents do not all come back at the same second).

use driehoek_core::sync::{AckPut, AckPutResponse, Change, RsvpPut, RsvpPutResponse};
use driehoek_core::{Content, Rsvp};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{Locale, Strings};
use crate::records::{ContentCache, Refusal, Rsvps, SendState, Settings, SyncProblem, SyncRecord};
use crate::state::{AppData, AppStorage};

/// How long an open app waits between two syncs when all is well.
const REGULAR_MS: u32 = 5 * 60 * 1000;
/// The first wait after a failure; it doubles with each failure after it.
const BACKOFF_FIRST_MS: u32 = 4_000;
/// The longest wait after failures.
const BACKOFF_MAX_MS: u32 = 10 * 60 * 1000;
/// How long one request may take before it counts as no answer.
const REQUEST_TIMEOUT_MS: i32 = 20_000;

/// The link a school gives its parents: `https://server/?school=<id>&code=<access code>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinLink {
    /// The server's address without a trailing slash: `https://server` (or with a path).
    pub base: String,
    /// The school's id.
    pub school: String,
    /// The parents' access code.
    pub code: String,
}

impl JoinLink {
    /// Reads a link as the parent pasted it; `None` when it is not a school's link.
    pub fn parse(text: &str) -> Option<JoinLink> {
        let text = text.trim();
        let (address, query) = text.split_once('?')?;
        let query = query.split('#').next().unwrap_or_default();
        let link = Self::from_query(address, query)?;
        is_valid_sync_url(&link.base).then_some(link)
    }

    /// The link from the server's address and a query string (`school=…&code=…`).
    pub fn from_query(base: &str, query: &str) -> Option<JoinLink> {
        let (mut school, mut code) = (None, None);
        for pair in query.trim_start_matches('?').split('&') {
            match pair.split_once('=') {
                Some(("school", value)) => school = Some(value),
                Some(("code", value)) => code = Some(value),
                _ => {}
            }
        }
        let (school, code) = (school?, code?);
        let code_ok = (8..=200).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !driehoek_core::validate::is_valid_id(school) || !code_ok {
            return None;
        }
        Some(JoinLink {
            base: base.trim_end_matches('/').to_owned(),
            school: school.to_owned(),
            code: code.to_owned(),
        })
    }

    /// The link as the parent would share it again.
    pub fn to_link(&self) -> String {
        format!("{}/?school={}&code={}", self.base, self.school, self.code)
    }

    fn api(&self, rest: &str) -> String {
        format!("{}/api/v1/schools/{}/{rest}", self.base, self.school)
    }
}

/// Whether `address` can be a school's sync address: `https://` with a host, or `http://` on this
/// machine (a school's test server). Anything else would send a family's data in the clear.
pub fn is_valid_sync_url(address: &str) -> bool {
    let host_of = |rest: &str| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        host.split(':').next().unwrap_or_default().to_owned()
    };
    if address.len() > 300 || address.chars().any(char::is_whitespace) {
        return false;
    }
    if let Some(rest) = address.strip_prefix("https://") {
        let host = host_of(rest);
        return !host.is_empty() && host.contains('.') || host == "localhost";
    }
    if let Some(rest) = address.strip_prefix("http://") {
        return matches!(host_of(rest).as_str(), "localhost" | "127.0.0.1");
    }
    false
}

/// The wait before the next automatic try after `failures` failures in a row: doubling from
/// [`BACKOFF_FIRST_MS`] up to [`BACKOFF_MAX_MS`], of which a random half (`random` in 0..1).
pub fn backoff_ms(failures: u32, random: f64) -> u32 {
    let base = BACKOFF_FIRST_MS
        .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
        .min(BACKOFF_MAX_MS);
    let half = base / 2;
    half + (f64::from(half) * random.clamp(0.0, 1.0)) as u32
}

/// What went wrong, in the parent's words.
pub fn problem_text(t: &Strings, problem: SyncProblem) -> &'static str {
    match problem {
        SyncProblem::Offline => t.sync_offline,
        SyncProblem::CodeWrong => t.sync_code_wrong,
        SyncProblem::SchoolUnknown => t.sync_school_unknown,
        SyncProblem::FamilyElsewhere => t.sync_family_elsewhere,
        SyncProblem::Server => t.sync_server,
        SyncProblem::Busy => t.sync_busy,
        SyncProblem::Unavailable => t.sync_unavailable,
        SyncProblem::Storage => t.sync_storage,
    }
}

/// The names the school sees with an RSVP: the parents' names, else "ouders van" the children.
pub fn family_names(t: &Strings, parents: &[String], children: &[String]) -> String {
    if !parents.is_empty() {
        parents.join(", ")
    } else if !children.is_empty() {
        t.sync_parents_of
            .replace("{children}", &children.join(", "))
    } else {
        t.sync_unnamed_family.to_owned()
    }
}

/// The message of a 422 answer (`[{field, message}]` or `{message}`), else `fallback`.
pub fn refusal_message(body: &str, fallback: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let messages: Vec<&str> = match &value {
        serde_json::Value::Array(errors) => errors
            .iter()
            .filter_map(|e| e.get("message")?.as_str())
            .collect(),
        serde_json::Value::Object(_) => value
            .get("message")
            .and_then(|m| m.as_str())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    if messages.is_empty() {
        fallback.to_owned()
    } else {
        messages.join(" ")
    }
}

/// What [`use_sync`] gives the app.
#[derive(Clone, Copy)]
pub struct UseSyncReturn {
    /// A sync is under way.
    pub running: Signal<bool>,
    /// The sync's record: the outbox, the last successful sync, the last problem.
    pub record: Signal<SyncRecord>,
    /// Whether the parent connected a school.
    pub connected: Signal<bool>,
    /// Sync now ("Nu synchroniseren"), whatever the backoff says.
    pub sync_now: Callback<()>,
    /// Sync soon: after the parent saved a change.
    pub nudge: Callback<()>,
}

/// The sync of the app, from context (after [`use_sync`] ran in the app).
pub fn sync_context() -> UseSyncReturn {
    expect_context::<UseSyncReturn>()
}

/// What the engine keeps between runs; not reactive.
#[derive(Default)]
struct Engine {
    /// Another trigger came while a run was under way: run once more afterwards.
    again: bool,
    /// Failed runs in a row.
    failures: u32,
    /// The next automatic run.
    timer: Option<TimeoutHandle>,
}

#[derive(Clone, Copy)]
struct Ctx {
    data: AppData,
    storage: AppStorage,
    locale: Locale,
    running: RwSignal<bool>,
    engine: StoredValue<Engine, LocalStorage>,
}

/// Starts the sync for the app and returns its handles (see the module's documentation).
pub fn use_sync(data: AppData, storage: AppStorage, locale: Locale) -> UseSyncReturn {
    let ctx = Ctx {
        data,
        storage,
        locale,
        running: RwSignal::new(false),
        engine: StoredValue::new_local(Engine::default()),
    };
    let connected = Signal::derive(move || data.settings.with(|s| school_link(s).is_some()));

    trigger(ctx, false);
    let online = window_event_listener(leptos::ev::online, move |_| {
        ctx.engine.update_value(|e| e.failures = 0);
        trigger(ctx, false);
    });
    let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            trigger(ctx, false);
        }
    });
    // The app lives as long as the page; the listeners go with it.
    std::mem::forget((online, visible));

    // A new or changed link: sync with it at once.
    Effect::new(move |previous: Option<Option<String>>| {
        let link = data.settings.with(|s| s.sync_url.clone());
        if previous.is_some_and(|p| p != link) && link.is_some() {
            trigger(ctx, true);
        }
        link
    });

    UseSyncReturn {
        running: ctx.running.into(),
        record: data.sync.into(),
        connected,
        sync_now: Callback::new(move |()| trigger(ctx, true)),
        nudge: Callback::new(move |()| trigger(ctx, false)),
    }
}

/// Runs a sync now, or once more after the one under way.
fn trigger(ctx: Ctx, manual: bool) {
    if ctx.running.get_untracked() {
        ctx.engine.update_value(|e| e.again = true);
        return;
    }
    ctx.engine.update_value(|e| {
        if manual {
            e.failures = 0;
        }
        if let Some(timer) = e.timer.take() {
            timer.clear();
        }
    });
    ctx.running.set(true);
    leptos::task::spawn_local(async move {
        let mut wait = None;
        loop {
            let result = sync_once(ctx).await;
            let again = ctx
                .engine
                .try_update_value(|e| std::mem::take(&mut e.again));
            match result {
                Ok(()) => ctx.engine.update_value(|e| e.failures = 0),
                Err((problem, retry_after)) => {
                    ctx.engine.update_value(|e| e.failures += 1);
                    let failures = ctx.engine.with_value(|e| e.failures);
                    let backoff = backoff_ms(failures, js_sys::Math::random());
                    // The server says how long to wait when it is busy or cannot save now.
                    let at_least =
                        if matches!(problem, SyncProblem::Busy | SyncProblem::Unavailable) {
                            retry_after.unwrap_or(0).saturating_mul(1000)
                        } else {
                            0
                        };
                    wait = Some(backoff.max(at_least));
                    break;
                }
            }
            if again != Some(true) {
                break;
            }
        }
        ctx.running.set(false);
        schedule(ctx, wait.unwrap_or(REGULAR_MS));
    });
}

fn schedule(ctx: Ctx, after_ms: u32) {
    let handle = set_timeout_with_handle(
        move || trigger(ctx, false),
        std::time::Duration::from_millis(u64::from(after_ms)),
    )
    .ok();
    ctx.engine.update_value(|e| e.timer = handle);
}

/// A failed sync: why, and the seconds the server asked to wait (429).
type Failure = (SyncProblem, Option<u32>);

/// One sync: push the outbox, then pull the content. Records the result for the parent.
async fn sync_once(ctx: Ctx) -> Result<(), Failure> {
    let Some(link) = ctx.data.settings.with_untracked(school_link) else {
        return Ok(());
    };
    let result = async {
        let family = ensure_family(ctx)?;
        push(ctx, &link, &family).await?;
        pull(ctx, &link).await
    }
    .await;
    let mut record = ctx.data.sync.get_untracked();
    match result {
        Ok(()) => {
            record.last_ok = Some(crate::content::now_millis());
            record.problem = None;
        }
        Err((problem, _)) => record.problem = Some(problem),
    }
    save_record(ctx, record);
    result
}

fn save_record(ctx: Ctx, record: SyncRecord) -> bool {
    let saved = ctx.storage.save(&record);
    // Shown even when storage refused it: the banner says that saving failed.
    ctx.data.sync.set(record);
    saved
}

/// The connected school's link from the settings; `None` with the demo school.
fn school_link(settings: &Settings) -> Option<JoinLink> {
    settings.sync_url.as_deref().and_then(JoinLink::parse)
}

/// Makes the family's id and secret on this phone if it has none yet; `true` when it made them
/// (the record must then be saved before they are used).
fn give_family(record: &mut SyncRecord) -> bool {
    if !record.family_id.is_empty() && !record.family_secret.is_empty() {
        return false;
    }
    record.family_id = crate::browser::new_id("gezin");
    record.family_secret = crate::browser::new_id("geheim");
    true
}

/// The family's id and secret, made on the first sync and kept.
fn ensure_family(ctx: Ctx) -> Result<(String, String), Failure> {
    let mut record = ctx.data.sync.get_untracked();
    if give_family(&mut record) {
        // Without a kept secret the server would not know this phone next time.
        if !save_record(ctx, record.clone()) {
            return Err((SyncProblem::Storage, None));
        }
    }
    Ok((record.family_id, record.family_secret))
}

/// Sends every change of the outbox; a confirmed change leaves it.
async fn push(ctx: Ctx, link: &JoinLink, family: &(String, String)) -> Result<(), Failure> {
    let pending = ctx
        .data
        .sync
        .with_untracked(|r| r.outbox.pending().to_vec());
    for change in pending {
        let (url, body) = match &change {
            Change::Rsvp(put) => (link.api(&format!("rsvps/{}", put.rsvp.id)), json(put)),
            Change::Ack(ack) => (link.api(&format!("acknowledgements/{}", ack.id)), json(ack)),
        };
        let auth = format!("Bearer {}", link.code);
        let headers = [
            ("authorization", auth.as_str()),
            ("x-family-secret", family.1.as_str()),
            ("content-type", "application/json"),
        ];
        let reply = http("PUT", &url, &headers, Some(&body)).await?;
        match reply.status {
            200..=299 => confirm(ctx, &change, &reply.body)?,
            422 => refuse(ctx, &change, &reply.body),
            status => return Err(reply.failure(status)),
        }
    }
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The server confirmed `change`: the outbox lets it go (unless a newer version waits), and the
/// family's own record shows what the school has.
fn confirm(ctx: Ctx, change: &Change, body: &str) -> Result<(), Failure> {
    let mut record = ctx.data.sync.get_untracked();
    let key = change.key();
    match change {
        Change::Rsvp(put) => {
            let answer: RsvpPutResponse =
                serde_json::from_str(body).map_err(|_| (SyncProblem::Server, None))?;
            record.outbox.confirm_rsvp(&put.family_id, &answer.kept);
            mark_rsvp(ctx, &answer.kept);
        }
        Change::Ack(_) => {
            let answer: AckPutResponse =
                serde_json::from_str(body).map_err(|_| (SyncProblem::Server, None))?;
            record.outbox.confirm_ack(&answer.kept);
        }
    }
    if !record.outbox.entries.iter().any(|e| e.key() == key) {
        record.refused.retain(|r| r.key != key);
    }
    save_record(ctx, record);
    Ok(())
}

/// The school keeps `kept` for this activity: the family's answer is "verstuurd", or, when the
/// school's version is newer (sent from another phone of the family), becomes that version.
fn mark_rsvp(ctx: Ctx, kept: &Rsvp) {
    let mut rsvps: Rsvps = ctx.data.rsvps.get_untracked();
    let Some(mine) = rsvps
        .0
        .iter_mut()
        .find(|r| r.rsvp.activity_id == kept.activity_id)
    else {
        return;
    };
    if mine.rsvp.is_newer(kept) {
        // A newer answer waits in the outbox.
        return;
    }
    mine.rsvp = kept.clone();
    mine.state = SendState::Sent;
    if ctx.storage.save(&rsvps) {
        ctx.data.rsvps.set(rsvps);
    }
}

/// The server refused `change` (422): it stays in the outbox, and the parent sees why.
fn refuse(ctx: Ctx, change: &Change, body: &str) {
    let t = ctx.locale.0.get_untracked().strings();
    let message = refusal_message(body, t.sync_refused);
    let mut record = ctx.data.sync.get_untracked();
    let key = change.key();
    record.refused.retain(|r| r.key != key);
    record.refused.push(Refusal { key, message });
    save_record(ctx, record);
    if let Change::Rsvp(put) = change {
        let mut rsvps = ctx.data.rsvps.get_untracked();
        if let Some(mine) = rsvps.0.iter_mut().find(|r| r.rsvp.id == put.rsvp.id) {
            mine.state = SendState::Failed;
            if ctx.storage.save(&rsvps) {
                ctx.data.rsvps.set(rsvps);
            }
        }
    }
}

/// Fetches the school's content; new content replaces the cache only when it is valid.
async fn pull(ctx: Ctx, link: &JoinLink) -> Result<(), Failure> {
    let etag = ctx.data.sync.with_untracked(|r| {
        (r.school.as_deref() == Some(link.school.as_str()))
            .then(|| r.etag.clone())
            .flatten()
    });
    let auth = format!("Bearer {}", link.code);
    let mut headers = vec![("authorization", auth.as_str())];
    if let Some(etag) = &etag {
        headers.push(("if-none-match", etag.as_str()));
    }
    let reply = http("GET", &link.api("content"), &headers, None).await?;
    match reply.status {
        304 => Ok(()),
        200 => {
            let content: Content =
                serde_json::from_str(&reply.body).map_err(|_| (SyncProblem::Server, None))?;
            if !driehoek_core::validate(&content).is_empty() || content.school.id != link.school {
                return Err((SyncProblem::Server, None));
            }
            let cache = ContentCache(Some(content));
            if !ctx.storage.save(&cache) {
                return Err((SyncProblem::Storage, None));
            }
            ctx.data.content.set(cache);
            let mut record = ctx.data.sync.get_untracked();
            record.school = Some(link.school.clone());
            record.etag = reply.etag;
            save_record(ctx, record);
            Ok(())
        }
        status => Err(reply.failure(status)),
    }
}

/// Queues a change and saves the outbox; `false` when storage refused it (then nothing is
/// queued, and the screen must not say "bewaard"). Without a connected school there is nothing
/// to send and this is `true`.
fn queue(ctx_data: AppData, storage: AppStorage, make: impl FnOnce(&SyncRecord) -> Change) -> bool {
    let connected = ctx_data
        .settings
        .with_untracked(|s| school_link(s).is_some());
    if !connected {
        return true;
    }
    let mut record = ctx_data.sync.get_untracked();
    give_family(&mut record);
    let change = make(&record);
    let key = change.key();
    record.refused.retain(|r| r.key != key);
    record.outbox.push(change);
    if !storage.save(&record) {
        return false;
    }
    ctx_data.sync.set(record);
    true
}

/// Puts an RSVP in the outbox (see [`queue`]).
pub fn queue_rsvp(data: AppData, storage: AppStorage, names: String, rsvp: &Rsvp) -> bool {
    queue(data, storage, |record| {
        Change::Rsvp(RsvpPut {
            family_id: record.family_id.clone(),
            names,
            rsvp: rsvp.clone(),
        })
    })
}

/// Puts an acknowledgement of `version` in the outbox (see [`queue`]).
pub fn queue_ack(data: AppData, storage: AppStorage, name: String, version: u32) -> bool {
    queue(data, storage, |record| {
        Change::Ack(AckPut {
            id: crate::browser::new_id("gelezen"),
            family_id: record.family_id.clone(),
            name,
            agreement_version: version,
            updated_at: crate::content::now_millis(),
        })
    })
}

/// When the app is opened with a school's link (`/?school=…&code=…`), the school is connected,
/// and the code leaves the address bar (and the browser's history).
pub fn accept_join_link(data: AppData, storage: AppStorage) {
    let location = window().location();
    let (Ok(search), Ok(origin), Ok(path)) =
        (location.search(), location.origin(), location.pathname())
    else {
        return;
    };
    let Some(link) = JoinLink::from_query(&origin, &search) else {
        return;
    };
    let mut settings = data.settings.get_untracked();
    settings.sync_url = Some(link.to_link());
    if storage.save(&settings) {
        data.settings.set(settings);
    }
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
}

/// The parent chose "alleen op deze telefoon": the school's content goes, the demo school comes
/// back. The outbox stays: what the parent entered is never thrown away.
pub fn disconnect(data: AppData, storage: AppStorage) {
    let cache = ContentCache(None);
    if storage.save(&cache) {
        data.content.set(cache);
    }
    let mut record = data.sync.get_untracked();
    record.school = None;
    record.etag = None;
    record.problem = None;
    if storage.save(&record) {
        data.sync.set(record);
    }
}

/// An answer from the server.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) etag: Option<String>,
    pub(crate) retry_after: Option<u32>,
    pub(crate) body: String,
}

impl Reply {
    /// The failure an unexpected status means.
    fn failure(&self, status: u16) -> Failure {
        let problem = match status {
            401 => SyncProblem::CodeWrong,
            403 => SyncProblem::FamilyElsewhere,
            404 => SyncProblem::SchoolUnknown,
            429 => SyncProblem::Busy,
            503 => SyncProblem::Unavailable,
            _ => SyncProblem::Server,
        };
        (problem, self.retry_after)
    }
}

/// One request; no answer (offline, a server gone, a timeout) is [`SyncProblem::Offline`].
pub(crate) async fn http(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Reply, Failure> {
    let offline = |_| (SyncProblem::Offline, None);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_address_must_be_https_or_this_machine() {
        assert!(is_valid_sync_url("https://driehoek.wilgenhoek.example.nl"));
        assert!(is_valid_sync_url("https://school.example.nl:8443/pad"));
        assert!(is_valid_sync_url("http://127.0.0.1:8080"));
        assert!(is_valid_sync_url("http://localhost:8080/"));
        assert!(
            !is_valid_sync_url("http://school.example.nl"),
            "no data in the clear"
        );
        assert!(!is_valid_sync_url("https://"), "a host is needed");
        assert!(!is_valid_sync_url("javascript:alert(1)"));
        assert!(!is_valid_sync_url("school.example.nl"));
        assert!(!is_valid_sync_url("https://school example.nl"));
        assert!(
            !is_valid_sync_url("http://127.0.0.1@evil.example.nl"),
            "the host is evil"
        );
    }

    #[test]
    fn a_school_link_is_read_with_its_school_and_code() {
        let link = JoinLink::parse(
            " https://driehoek.school.example.nl/?school=wilg&code=0123456789abcdef ",
        )
        .unwrap();
        assert_eq!(link.base, "https://driehoek.school.example.nl");
        assert_eq!(link.school, "wilg");
        assert_eq!(link.code, "0123456789abcdef");
        assert_eq!(
            link.api("content"),
            "https://driehoek.school.example.nl/api/v1/schools/wilg/content"
        );
        assert_eq!(
            JoinLink::parse(&link.to_link()),
            Some(link),
            "the link survives being saved"
        );
    }

    #[test]
    fn a_link_without_school_or_code_or_safe_address_is_refused() {
        assert!(JoinLink::parse("https://school.example.nl/").is_none());
        assert!(JoinLink::parse("https://school.example.nl/?school=wilg").is_none());
        assert!(
            JoinLink::parse("http://school.example.nl/?school=wilg&code=0123456789").is_none(),
            "a code must not travel in the clear"
        );
        assert!(
            JoinLink::parse("https://school.example.nl/?school=Wilg!&code=0123456789").is_none()
        );
        assert!(JoinLink::parse("https://school.example.nl/?school=wilg&code=<script>").is_none());
        assert!(JoinLink::parse("http://127.0.0.1:8080/?school=demo&code=0123456789").is_some());
    }

    #[test]
    fn the_wait_after_failures_grows_to_a_ceiling_with_jitter() {
        assert_eq!(backoff_ms(1, 0.0), BACKOFF_FIRST_MS / 2);
        assert_eq!(backoff_ms(1, 1.0), BACKOFF_FIRST_MS);
        assert!(backoff_ms(3, 0.5) > backoff_ms(2, 0.5));
        assert_eq!(
            backoff_ms(40, 1.0),
            BACKOFF_MAX_MS,
            "never longer than the ceiling"
        );
        assert!(backoff_ms(40, 0.0) >= BACKOFF_MAX_MS / 2);
    }

    #[test]
    fn the_schools_refusal_is_shown_in_its_own_words() {
        let body = r#"[{"field":"rsvp","message":"De aanmelding is gesloten."}]"#;
        assert_eq!(refusal_message(body, "x"), "De aanmelding is gesloten.");
        assert_eq!(
            refusal_message(r#"{"message":"Te laat."}"#, "x"),
            "Te laat."
        );
        assert_eq!(refusal_message("<html>", "Geweigerd."), "Geweigerd.");
    }

    #[test]
    fn a_school_that_cannot_save_now_is_told_apart_and_waited_for() {
        // The server answers 503 with Retry-After on a full disk or a read-only database: the
        // change stays in the outbox and the parent reads that the school will be tried again.
        let reply = Reply {
            status: 503,
            etag: None,
            retry_after: Some(60),
            body: String::new(),
        };
        assert_eq!(reply.failure(503), (SyncProblem::Unavailable, Some(60)));
        let t = crate::i18n::Lang::Nl.strings();
        assert!(
            problem_text(t, SyncProblem::Unavailable).contains("kan het nu niet bewaren"),
            "{}",
            problem_text(t, SyncProblem::Unavailable)
        );
    }

    #[test]
    fn an_rsvp_carries_the_parents_names_or_else_the_childrens() {
        let t = crate::i18n::Lang::Nl.strings();
        assert_eq!(
            family_names(t, &["Sanne".into(), "Bram".into()], &[]),
            "Sanne, Bram"
        );
        assert!(family_names(t, &[], &["Noor".into()]).contains("Noor"));
        assert!(!family_names(t, &[], &[]).is_empty());
    }
}
