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

use driehoek_core::absence::{AbsencePut, AbsencePutResponse};
use driehoek_core::sync::{
    read_back, AckPut, AckPutResponse, Change, ChildInGroep, FamilyProfile, FamilyRecords, Outcome,
    ProfileChild, ProfilePutResponse, ReadBack, RsvpPut, RsvpPutResponse,
};
use driehoek_core::talks::{BookingFull, BookingPut, BookingPutResponse};
use driehoek_core::{Content, Rsvp};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::records::{
    Absences, Acknowledgement, Acknowledgements, Bookings, Child, Children, ContentCache, Refusal,
    Rsvps, SendState, Settings, StoredRsvp, SyncProblem, SyncRecord,
};
use driehoek_web::http::{http, NoAnswer, Reply};
use driehoek_web::i18n::{Locale, Strings};
use driehoek_web::link::{FamilyLink, JoinLink};
use driehoek_web::state::{use_record, Persisted};

/// How long an open app waits between two syncs when all is well.
const REGULAR_MS: u32 = 5 * 60 * 1000;
/// The first wait after a failure; it doubles with each failure after it.
const BACKOFF_FIRST_MS: u32 = 4_000;
/// The longest wait after failures.
const BACKOFF_MAX_MS: u32 = 10 * 60 * 1000;

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
    /// Where a screen puts a change for the school.
    pub outbox: Outbox,
}

/// The outbox, as the screens use it: a change for the school goes in here before the screen
/// says it is saved.
#[derive(Clone, Copy)]
pub struct Outbox {
    settings: Persisted<Settings>,
    record: Persisted<SyncRecord>,
}

impl Outbox {
    /// Queues a change and saves the outbox; `false` when storage refused it (then nothing is
    /// queued, and the screen must not say "bewaard"). Without a connected school there is
    /// nothing to send and this is `true`.
    fn queue(&self, make: impl FnOnce(&SyncRecord) -> Change) -> bool {
        if !self.settings.with_untracked(|s| school_link(s).is_some()) {
            return true;
        }
        self.record
            .update(|record| {
                give_family(record);
                let change = make(record);
                let key = change.key();
                record.refused.retain(|r| r.key != key);
                record.outbox.push(change);
            })
            .is_ok()
    }

    /// Puts an RSVP in the outbox (see [`Outbox::queue`]), with the children it is for.
    pub fn queue_rsvp(&self, names: String, rsvp: &Rsvp, children: Vec<ChildInGroep>) -> bool {
        self.queue(|record| {
            Change::Rsvp(RsvpPut {
                family_id: record.family_id.clone(),
                names,
                rsvp: rsvp.clone(),
                children,
            })
        })
    }

    /// Puts a report of absence (or its withdrawal) in the outbox with the family's id (see
    /// [`Outbox::queue`]); gives the version queued, `None` when storage refused it.
    pub fn queue_absence(&self, report: &AbsencePut) -> Option<AbsencePut> {
        let mut queued = report.clone();
        let ok = self.queue(|record| {
            queued.family_id = record.family_id.clone();
            Change::Absence(queued.clone())
        });
        ok.then_some(queued)
    }

    /// Puts a booking of a talk (a change or cancellation too) in the outbox with the family's
    /// id (see [`Outbox::queue`]); gives the version queued, `None` when storage refused it.
    pub fn queue_booking(&self, booking: &BookingPut) -> Option<BookingPut> {
        let mut queued = booking.clone();
        let ok = self.queue(|record| {
            queued.family_id = record.family_id.clone();
            Change::Booking(queued.clone())
        });
        ok.then_some(queued)
    }

    /// Puts one parent's acknowledgement of `version` in the outbox (see [`Outbox::queue`]),
    /// under their own `name`, with the family's children.
    pub fn queue_ack(&self, name: String, version: u32, children: Vec<ChildInGroep>) -> bool {
        self.queue(|record| {
            Change::Ack(AckPut {
                id: driehoek_web::browser::new_id("gelezen"),
                family_id: record.family_id.clone(),
                name,
                agreement_version: version,
                updated_at: driehoek_web::clock::now_millis(),
                children,
            })
        })
    }

    /// Whether the parent is about to send something to the school without having been told
    /// what the school receives: then the app first shows it, once. (A phone that sent answers
    /// before this question existed is told once too: its parent never was.)
    pub fn first_send(&self) -> bool {
        self.settings
            .with_untracked(|s| school_link(s).is_some() && !s.school_told)
    }
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
    settings: Persisted<Settings>,
    record: Persisted<SyncRecord>,
    rsvps: Persisted<Rsvps>,
    absences: Persisted<Absences>,
    bookings: Persisted<Bookings>,
    cache: Persisted<ContentCache>,
    children: Persisted<Children>,
    acks: Persisted<Acknowledgements>,
    locale: Locale,
    running: RwSignal<bool>,
    engine: StoredValue<Engine, LocalStorage>,
}

/// Starts the sync for the app and returns its handles (see the module's documentation).
pub fn use_sync(locale: Locale) -> UseSyncReturn {
    let settings = use_record::<Settings>();
    let ctx = Ctx {
        settings,
        record: use_record(),
        rsvps: use_record(),
        absences: use_record(),
        bookings: use_record(),
        cache: use_record(),
        children: use_record(),
        acks: use_record(),
        locale,
        running: RwSignal::new(false),
        engine: StoredValue::new_local(Engine::default()),
    };
    let connected = Signal::derive(move || settings.with(|s| school_link(s).is_some()));

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
        let link = settings.with(|s| s.sync_url.clone());
        if previous.is_some_and(|p| p != link) && link.is_some() {
            trigger(ctx, true);
        }
        link
    });

    UseSyncReturn {
        running: ctx.running.into(),
        record: ctx.record.signal(),
        connected,
        sync_now: Callback::new(move |()| trigger(ctx, true)),
        nudge: Callback::new(move |()| trigger(ctx, false)),
        outbox: Outbox {
            settings,
            record: ctx.record,
        },
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

/// One sync: push the outbox (with the family's profile when it changed here), read back what
/// the school keeps of the family (what another phone of the family sent), then pull the
/// content. Records the result for the parent.
async fn sync_once(ctx: Ctx) -> Result<(), Failure> {
    let Some(link) = ctx.settings.with_untracked(school_link) else {
        return Ok(());
    };
    let result = async {
        let family = ensure_family(ctx)?;
        queue_profile(ctx, &family.0)?;
        push(ctx, &link, &family).await?;
        read_family(ctx, &link, &family).await?;
        pull(ctx, &link).await
    }
    .await;
    // How the sync went is shown even when storage refused it: the banner says so.
    let _ = ctx.record.update_shown(|record| match &result {
        Ok(()) => {
            record.last_ok = Some(driehoek_web::clock::now_millis());
            record.problem = None;
        }
        Err((problem, _)) => record.problem = Some(*problem),
    });
    result
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
    record.family_id = driehoek_web::browser::new_id("gezin");
    record.family_secret = driehoek_web::browser::new_id("geheim");
    true
}

/// The family's id and secret, made on the first sync and kept.
fn ensure_family(ctx: Ctx) -> Result<(String, String), Failure> {
    let mut record = ctx.record.get_untracked();
    // Without a kept secret the server would not know this phone next time.
    if give_family(&mut record) && ctx.record.replace(record.clone()).is_err() {
        return Err((SyncProblem::Storage, None));
    }
    Ok((record.family_id, record.family_secret))
}

/// Sends every change of the outbox; a confirmed change leaves it.
async fn push(ctx: Ctx, link: &JoinLink, family: &(String, String)) -> Result<(), Failure> {
    let pending = ctx.record.with_untracked(|r| r.outbox.pending().to_vec());
    for change in pending {
        let (url, body) = match &change {
            Change::Rsvp(put) => (link.api(&format!("rsvps/{}", put.rsvp.id)), json(put)),
            Change::Ack(ack) => (link.api(&format!("acknowledgements/{}", ack.id)), json(ack)),
            Change::Profile { family_id, profile } => (
                link.api(&format!("families/{family_id}/profile")),
                json(profile),
            ),
            Change::Absence(absence) => {
                (link.api(&format!("absences/{}", absence.id)), json(absence))
            }
            Change::Booking(booking) => {
                (link.api(&format!("bookings/{}", booking.id)), json(booking))
            }
        };
        let auth = format!("Bearer {}", link.code);
        let headers = [
            ("authorization", auth.as_str()),
            ("x-family-secret", family.1.as_str()),
            ("content-type", "application/json"),
        ];
        let reply = request("PUT", &url, &headers, Some(&body)).await?;
        match reply.status {
            200..=299 => confirm(ctx, &change, &reply.body)?,
            422 => refuse(ctx, &change, &reply.body),
            // "Vol": none of the times asked for is free; the booking kept before stays.
            409 if matches!(change, Change::Booking(_)) => full(ctx, &change, &reply.body),
            status => return Err(failure(&reply, status)),
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
    let mut record = ctx.record.get_untracked();
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
        Change::Profile { family_id, .. } => {
            let answer: ProfilePutResponse =
                serde_json::from_str(body).map_err(|_| (SyncProblem::Server, None))?;
            record.outbox.confirm_profile(family_id, &answer.kept);
            // Unless a newer change waits, the school's version is this phone's: on
            // `kept_newer` that of the other phone, taken over here.
            if !record.outbox.waits(&key) {
                if answer.outcome == Outcome::KeptNewer {
                    take_profile(ctx, &answer.kept);
                }
                record.profile = Some(answer.kept);
            }
        }
        Change::Absence(_) => {
            let answer: AbsencePutResponse =
                serde_json::from_str(body).map_err(|_| (SyncProblem::Server, None))?;
            record.outbox.confirm_absence(&answer.kept);
            mark_absence(ctx, &answer.kept);
        }
        Change::Booking(_) => {
            let answer: BookingPutResponse =
                serde_json::from_str(body).map_err(|_| (SyncProblem::Server, None))?;
            record.outbox.confirm_booking(&answer.kept);
            crate::talks::mark_booking(ctx.bookings, &answer.kept, answer.booked, false);
        }
    }
    if !record.outbox.entries.iter().any(|e| e.key() == key) {
        record.refused.retain(|r| r.key != key);
    }
    record.known = true;
    let _ = ctx.record.update_shown(|r| *r = record);
    Ok(())
}

/// The school keeps `kept` for this activity: the family's answer is "verstuurd", or, when the
/// school's version is newer (sent from another phone of the family), becomes that version.
fn mark_rsvp(ctx: Ctx, kept: &Rsvp) {
    let known = ctx.rsvps.with_untracked(|rsvps| {
        rsvps
            .0
            .iter()
            .find(|r| r.rsvp.activity_id == kept.activity_id)
            // A newer answer that waits in the outbox stays as it is.
            .is_some_and(|mine| !mine.rsvp.is_newer(kept))
    });
    if !known {
        return;
    }
    let _ = ctx.rsvps.update(|rsvps| {
        if let Some(mine) = rsvps
            .0
            .iter_mut()
            .find(|r| r.rsvp.activity_id == kept.activity_id)
        {
            // `kept_newer`: the school keeps the other phone's version; this phone takes it and
            // says so, never "verstuurd" for a version the school did not keep.
            mine.state = if mine.rsvp == *kept {
                SendState::Sent
            } else {
                SendState::OtherPhone
            };
            mine.rsvp = kept.clone();
        }
    });
}

/// The family's children and parents' names on this phone, as a profile (time 0).
fn local_profile(ctx: Ctx) -> FamilyProfile {
    FamilyProfile {
        children: ctx.children.with_untracked(|children| {
            children
                .0
                .iter()
                .map(|c| ProfileChild {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    groep: c.groep,
                })
                .collect()
        }),
        parents: ctx.settings.with_untracked(|s| s.parents.clone()),
        updated_at: 0,
    }
}

/// Puts the family's profile in the outbox when the children or names on this phone differ
/// from what the school last had (not on a phone that just joined: it first reads the family's),
/// and only when the family shares it ([`SyncRecord::shares_profile`]).
fn queue_profile(ctx: Ctx, family_id: &str) -> Result<(), Failure> {
    let local = local_profile(ctx);
    let (known, queued, joined) = ctx.record.with_untracked(|r| {
        let known = match &r.profile {
            Some(profile) => profile.same_as(&local),
            None => local.children.is_empty() && local.parents.is_empty(),
        };
        let queued = r
            .outbox
            .entries
            .iter()
            .any(|e| matches!(e, Change::Profile { profile, .. } if profile.same_as(&local)));
        (known, queued || !r.shares_profile, r.joined)
    });
    if known || queued || joined {
        return Ok(());
    }
    let change = Change::Profile {
        family_id: family_id.to_owned(),
        profile: FamilyProfile {
            updated_at: driehoek_web::clock::now_millis(),
            ..local
        },
    };
    ctx.record
        .update(|r| r.outbox.push(change))
        .map_err(|_| (SyncProblem::Storage, None))
}

/// Puts `profile`'s children and names on this phone (only what differs is saved).
fn take_profile(ctx: Ctx, profile: &FamilyProfile) {
    let children = Children(
        profile
            .children
            .iter()
            .map(|c| Child {
                id: c.id.clone(),
                name: c.name.clone(),
                groep: c.groep,
            })
            .collect(),
    );
    if ctx.children.with_untracked(|c| *c != children) {
        let _ = ctx.children.replace(children);
    }
    if ctx
        .settings
        .with_untracked(|s| s.parents != profile.parents)
    {
        let _ = ctx.settings.update(|s| s.parents = profile.parents.clone());
    }
}

/// Reads back what the school keeps of the family, and shows it: an answer, acknowledgement or
/// profile another phone of the family sent comes over; a change waiting in the outbox wins
/// (core's [`read_back`]). A family the school does not know yet has nothing to read.
async fn read_family(ctx: Ctx, link: &JoinLink, family: &(String, String)) -> Result<(), Failure> {
    // A phone that never sent anything has nothing to read back (and no 404 to log).
    let sent_before = ctx.record.with_untracked(|r| r.known || r.joined)
        || ctx.rsvps.with_untracked(|r| !r.0.is_empty())
        || ctx.acks.with_untracked(|a| !a.0.is_empty())
        || ctx.bookings.with_untracked(|b| !b.0.is_empty());
    if !sent_before {
        return Ok(());
    }
    let auth = format!("Bearer {}", link.code);
    let headers = [
        ("authorization", auth.as_str()),
        ("x-family-secret", family.1.as_str()),
    ];
    let url = link.api(&format!("families/{}", family.0));
    let reply = request("GET", &url, &headers, None).await?;
    let records: FamilyRecords = match reply.status {
        200 => serde_json::from_str(&reply.body).map_err(|_| (SyncProblem::Server, None))?,
        404 => FamilyRecords::default(),
        status => return Err(failure(&reply, status)),
    };
    let outbox = ctx.record.with_untracked(|r| r.outbox.clone());

    let mut rsvps = ctx.rsvps.get_untracked();
    for put in &records.rsvps {
        let waiting = outbox.waits(&Change::rsvp_key(&family.0, &put.rsvp.activity_id));
        let at = rsvps
            .0
            .iter()
            .position(|r| r.rsvp.activity_id == put.rsvp.activity_id);
        match read_back(at.map(|i| &rsvps.0[i].rsvp), waiting, &put.rsvp) {
            ReadBack::Same => {
                if let Some(mine) = at.map(|i| &mut rsvps.0[i]) {
                    if matches!(mine.state, SendState::Saved | SendState::Failed) {
                        mine.state = SendState::Sent;
                    }
                }
            }
            ReadBack::FromOtherPhone => {
                // The children the other phone chose, as this phone knows them; none known yet
                // (the family's profile comes in the same read-back): the activity's proposal.
                let child_ids: Vec<String> = ctx.children.with_untracked(|children| {
                    children
                        .0
                        .iter()
                        .filter(|c| {
                            put.children
                                .iter()
                                .any(|k| k.name == c.name && k.groep == c.groep)
                        })
                        .map(|c| c.id.clone())
                        .collect()
                });
                let child_ids = (!child_ids.is_empty()).then_some(child_ids);
                let theirs = StoredRsvp {
                    rsvp: put.rsvp.clone(),
                    state: SendState::OtherPhone,
                    child_ids,
                };
                match at {
                    Some(i) => rsvps.0[i] = theirs,
                    None => rsvps.0.push(theirs),
                }
            }
            ReadBack::Waiting | ReadBack::Older => {}
        }
    }
    if ctx.rsvps.with_untracked(|r| *r != rsvps) && ctx.rsvps.replace(rsvps).is_err() {
        return Err((SyncProblem::Storage, None));
    }

    let mut acks = ctx.acks.get_untracked();
    for ack in &records.acknowledgements {
        if acks.0.iter().all(|a| a.version != ack.agreement_version) {
            acks.0.push(Acknowledgement {
                version: ack.agreement_version,
                names: vec![ack.name.clone()],
                date: driehoek_core::tz::local_from_unix_millis(ack.updated_at)
                    .map(|at| at.date())
                    .unwrap_or_else(|| driehoek_web::clock::now_local().date()),
                agreement: None,
            });
        }
    }
    if ctx.acks.with_untracked(|a| *a != acks) && ctx.acks.replace(acks).is_err() {
        return Err((SyncProblem::Storage, None));
    }
    if !crate::talks::read_back_bookings(ctx.bookings, ctx.children, &records.bookings, |id| {
        outbox.waits(&Change::booking_key(&family.0, id))
    }) {
        return Err((SyncProblem::Storage, None));
    }

    let mut record = ctx.record.get_untracked();
    record.known = reply.status == 200;
    let local = local_profile(ctx);
    match records.profile {
        Some(kept) if record.joined => {
            // Just joined: the family's children and names, and what only this phone had.
            take_profile(ctx, &kept.joined_with(&local));
            record.profile = Some(kept);
            record.joined = false;
        }
        None if record.joined => record.joined = false,
        Some(kept) => {
            let waiting = outbox.waits(&Change::profile_key(&family.0));
            // Only over what this phone had from the school, never over a change made here.
            let unchanged_here = record.profile.as_ref().is_none_or(|p| p.same_as(&local));
            if unchanged_here
                && read_back(record.profile.as_ref(), waiting, &kept) == ReadBack::FromOtherPhone
            {
                take_profile(ctx, &kept);
                record.profile = Some(kept);
            }
        }
        None => {}
    }
    if ctx.record.with_untracked(|r| *r != record) {
        let _ = ctx.record.update_shown(|r| {
            r.profile = record.profile;
            r.joined = record.joined;
            r.known = record.known;
        });
    }
    Ok(())
}

/// The school keeps `kept` for this report: "verstuurd", or the school's newer version (a
/// withdrawal from another phone of the family).
fn mark_absence(ctx: Ctx, kept: &AbsencePut) {
    use driehoek_core::sync::Versioned;
    let _ = ctx.absences.update(|absences| {
        if let Some(mine) = absences.0.iter_mut().find(|a| a.report.id == kept.id) {
            // A newer version that waits in the outbox stays as it is.
            if !mine.report.is_newer(kept) {
                mine.report = kept.clone();
                mine.state = SendState::Sent;
            }
        }
    });
}

/// The school answered "vol" to a booking: none of the times asked for is free. The request
/// leaves the outbox (sending it again would not help); the parent sees the free times the school
/// proposed, one tap to take one. A booking the school kept before keeps its slot.
fn full(ctx: Ctx, change: &Change, body: &str) {
    let Change::Booking(put) = change else {
        return;
    };
    let alternatives = serde_json::from_str::<BookingFull>(body)
        .map(|f| f.alternatives)
        .unwrap_or_default();
    let _ = ctx
        .record
        .update_shown(|record| record.outbox.reject(change));
    crate::talks::mark_full(ctx.bookings, put, alternatives);
}

/// The server refused `change` (422): it stays in the outbox, and the parent sees why.
fn refuse(ctx: Ctx, change: &Change, body: &str) {
    let t = ctx.locale.0.get_untracked().strings();
    let message = refusal_message(body, t.sync_refused);
    let key = change.key();
    let _ = ctx.record.update_shown(|record| {
        record.refused.retain(|r| r.key != key);
        record.refused.push(Refusal { key, message });
    });
    if let Change::Rsvp(put) = change {
        let _ = ctx.rsvps.update(|rsvps| {
            if let Some(mine) = rsvps.0.iter_mut().find(|r| r.rsvp.id == put.rsvp.id) {
                mine.state = SendState::Failed;
            }
        });
    }
    if let Change::Booking(put) = change {
        crate::talks::mark_failed(ctx.bookings, put);
    }
    if let Change::Absence(absence) = change {
        let _ = ctx.absences.update(|absences| {
            if let Some(mine) = absences.0.iter_mut().find(|a| a.report == *absence) {
                mine.state = SendState::Failed;
            }
        });
    }
}

/// Fetches the school's content; new content replaces the cache only when it is valid.
async fn pull(ctx: Ctx, link: &JoinLink) -> Result<(), Failure> {
    let etag = ctx.record.with_untracked(|r| {
        (r.school.as_deref() == Some(link.school.as_str()))
            .then(|| r.etag.clone())
            .flatten()
    });
    let auth = format!("Bearer {}", link.code);
    let mut headers = vec![("authorization", auth.as_str())];
    if let Some(etag) = &etag {
        headers.push(("if-none-match", etag.as_str()));
    }
    let reply = request("GET", &link.api("content"), &headers, None).await?;
    match reply.status {
        304 => Ok(()),
        200 => {
            let content: Content =
                serde_json::from_str(&reply.body).map_err(|_| (SyncProblem::Server, None))?;
            if !driehoek_core::validate(&content).is_empty() || content.school.id != link.school {
                return Err((SyncProblem::Server, None));
            }
            if ctx
                .cache
                .replace(ContentCache::new(content, &reply.body))
                .is_err()
            {
                return Err((SyncProblem::Storage, None));
            }
            let _ = ctx.record.update_shown(|record| {
                record.school = Some(link.school.clone());
                record.etag = reply.etag;
            });
            Ok(())
        }
        status => Err(failure(&reply, status)),
    }
}

/// When the app is opened with a school's link (`/?school=…&code=…`), the school is connected,
/// and the code leaves the address bar (and the browser's history).
pub fn accept_join_link() {
    let location = window().location();
    let (Ok(search), Ok(origin), Ok(path)) =
        (location.search(), location.origin(), location.pathname())
    else {
        return;
    };
    let Some(link) = JoinLink::from_query(&origin, &search) else {
        return;
    };
    // A failed save is told by the storage banner; the parent can paste the link again.
    let _ = use_record::<Settings>().update(|s| s.sync_url = Some(link.to_link()));
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
}

/// When the app is opened with the link of another phone of the family
/// (`/#koppel&school=…&gezin=…`), that link, to confirm; the link leaves the address bar (and
/// the browser's history) at once.
pub fn accept_family_link() -> Option<FamilyLink> {
    let location = window().location();
    let (Ok(hash), Ok(origin), Ok(path)) =
        (location.hash(), location.origin(), location.pathname())
    else {
        return None;
    };
    let link = FamilyLink::from_fragment(&origin, &hash)?;
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    Some(link)
}

/// The parent confirmed: this phone joins the family of `link`. The school is connected, the
/// family's id and secret are this phone's from now on, and what waited in the outbox goes to
/// school as the family's. At the next sync the family's children, names and answers come over.
pub fn join_family(link: &FamilyLink) -> bool {
    let settings = use_record::<Settings>();
    let record = use_record::<SyncRecord>();
    let joined = record.update(|r| {
        r.family_id = link.family_id.clone();
        r.family_secret = link.secret.clone();
        r.profile = None;
        r.joined = true;
        r.shares_profile = true;
        r.problem = None;
        // The family's profile is read first; this phone's own is merged into it then.
        r.outbox
            .entries
            .retain(|e| !matches!(e, Change::Profile { .. }));
        for change in &mut r.outbox.entries {
            change.set_family(&link.family_id);
        }
        r.refused.clear();
    });
    joined.is_ok()
        && settings
            .update(|s| {
                s.sync_url = Some(link.school.to_link());
                s.welcomed = true;
            })
            .is_ok()
}

/// The link that joins a second phone to this family, made from the school's link and the
/// family's id and secret (made now if this phone has none yet); `None` without a school, or
/// when storage refuses to keep a new secret.
pub fn family_link() -> Option<FamilyLink> {
    let settings = use_record::<Settings>();
    let record = use_record::<SyncRecord>();
    let cache = use_record::<ContentCache>();
    let school = settings.with_untracked(school_link)?;
    let mut family = record.get_untracked();
    let made = give_family(&mut family);
    // From now on the family's children and names go to the school, for the other phone.
    let shares = !family.shares_profile;
    family.shares_profile = true;
    if (made || shares) && record.replace(family.clone()).is_err() {
        return None;
    }
    Some(FamilyLink {
        school,
        family_id: family.family_id,
        secret: family.family_secret,
        school_name: cache
            .with_untracked(|c| c.0.as_ref().map(|c| c.school.name.clone()))
            .unwrap_or_default(),
        parents: settings.with_untracked(|s| s.parents.join(", ")),
    })
}

/// The parent chose "alleen op deze telefoon": the school's content goes, the demo school comes
/// back. The outbox stays: what the parent entered is never thrown away.
pub fn disconnect(cache: Persisted<ContentCache>, record: Persisted<SyncRecord>) {
    let _ = cache.replace(ContentCache::NONE);
    let _ = record.update(|record| {
        record.school = None;
        record.etag = None;
        record.problem = None;
    });
}

/// The failure an unexpected status of `reply` means.
fn failure(reply: &Reply, status: u16) -> Failure {
    let problem = match status {
        401 => SyncProblem::CodeWrong,
        403 => SyncProblem::FamilyElsewhere,
        404 => SyncProblem::SchoolUnknown,
        429 => SyncProblem::Busy,
        503 => SyncProblem::Unavailable,
        _ => SyncProblem::Server,
    };
    (problem, reply.retry_after)
}

/// One request of the sync; no answer is [`SyncProblem::Offline`].
async fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Reply, Failure> {
    http(method, url, headers, body)
        .await
        .map_err(|NoAnswer| (SyncProblem::Offline, None))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(failure(&reply, 503), (SyncProblem::Unavailable, Some(60)));
        let t = driehoek_web::i18n::Lang::Nl.strings();
        assert!(
            problem_text(t, SyncProblem::Unavailable).contains("kan het nu niet bewaren"),
            "{}",
            problem_text(t, SyncProblem::Unavailable)
        );
    }

    #[test]
    fn an_rsvp_carries_the_parents_names_or_else_the_childrens() {
        let t = driehoek_web::i18n::Lang::Nl.strings();
        assert_eq!(
            family_names(t, &["Sanne".into(), "Bram".into()], &[]),
            "Sanne, Bram"
        );
        assert!(family_names(t, &[], &["Noor".into()]).contains("Noor"));
        assert!(!family_names(t, &[], &[]).is_empty());
    }
}
