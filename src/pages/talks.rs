//! Gesprekken (`/gesprekken`): the talks the school plans with parents, and per child the talk
//! the family booked; one round with its times (`/gesprekken/:id`).
//!
//! Online the parent taps a free time; offline (or to have more chances) up to three, in order
//! of preference: the school gives the first one still free. A request waits in the outbox as
//! "aangevraagd" until the school answers; an old time stays the family's until a new one is
//! secured. The rules are core's ([`driehoek_core::talks`]).

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDateTime};
use driehoek_core::talks::{
    back_to_back, Booked, BookingError, BookingPut, Slot, TakenSlots, TalkKind, TalkRound,
    MAX_NOTE, MAX_PREFERENCES,
};
use driehoek_core::Content;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::Screen;
use crate::components::disclosure::FirstSendPanel;
use crate::content::use_content;
use crate::records::{Bookings, Child, Children, SendState, Settings, StoredBooking};
use driehoek_web::clock::now_local;
use driehoek_web::dates;
use driehoek_web::i18n::{use_locale, Lang, Strings};
use driehoek_web::link::JoinLink;
use driehoek_web::state::use_record;

/// The name of a kind of talk.
pub fn kind_label(t: &Strings, kind: TalkKind) -> &'static str {
    match kind {
        TalkKind::Startgesprek => t.talks_kind_startgesprek,
        TalkKind::Rapportgesprek => t.talks_kind_rapportgesprek,
        TalkKind::Kennismakingsgesprek => t.talks_kind_kennismakingsgesprek,
        TalkKind::Huisbezoek => t.talks_kind_huisbezoek,
        TalkKind::Anders => t.talks_kind_anders,
    }
}

/// Where the talk of `groep` is: the school's place, or "bij u thuis" for a home visit.
fn place(t: &Strings, lang: Lang, round: &TalkRound, groep: u8) -> String {
    let given = round
        .groep(groep)
        .map(|g| g.place.get(lang.code()).to_owned())
        .unwrap_or_default();
    if given.is_empty() && round.kind == TalkKind::Huisbezoek {
        t.talks_at_home.to_owned()
    } else {
        given
    }
}

/// The family's children the round is for.
fn children_in(round: &TalkRound, children: &Children) -> Vec<Child> {
    children
        .0
        .iter()
        .filter(|c| round.groep(c.groep).is_some() && !c.name.trim().is_empty())
        .cloned()
        .collect()
}

/// The family's booking for `child` in `round`, if any (a cancelled one too).
fn booking_of(bookings: &Bookings, round: &str, child: &Child) -> Option<StoredBooking> {
    bookings
        .0
        .iter()
        .find(|b| {
            b.put.round_id == round
                && (b.child_id == child.id
                    || (b.child_id.is_empty()
                        && driehoek_core::talks::same_child(&b.put.child, &for_school(child))))
        })
        .cloned()
}

fn for_school(child: &Child) -> driehoek_core::sync::ChildInGroep {
    driehoek_core::sync::ChildInGroep {
        name: child.name.trim().to_owned(),
        groep: child.groep,
    }
}

/// A booking's state in plain words.
fn state_text(t: &Strings, stored: &StoredBooking) -> &'static str {
    if stored.put.cancelled {
        return t.talks_cancelled;
    }
    match (stored.state, &stored.booked) {
        (SendState::Saved, Some(_)) if !stored.put.preferences.is_empty() => {
            if stored
                .booked
                .as_ref()
                .is_some_and(|b| stored.put.preferences.first() == Some(&b.slot.id))
            {
                t.talks_state_saved
            } else {
                t.talks_state_asked_change
            }
        }
        (SendState::Saved, _) => t.talks_state_asked,
        (
            _,
            Some(Booked {
                by_school: true, ..
            }),
        ) => t.talks_state_moved,
        (SendState::OtherPhone, _) => t.talks_state_other_phone,
        (SendState::Failed, _) => t.talks_state_failed,
        (SendState::Sent, _) => t.talks_state_sent,
    }
}

/// Why the phone cannot ask for this (before anything is sent), in the parent's language.
fn booking_error(t: &Strings, lang: Lang, error: &BookingError, phone: &str) -> String {
    match error {
        BookingError::NotYetOpen { opens } => t
            .talks_opens
            .replace("{when}", &dates::date_time(lang, *opens)),
        BookingError::Closed => t.talks_closed.replace("{phone}", phone),
        BookingError::SlotPassed => t.talks_error_passed.to_owned(),
        BookingError::Preferences => t.talks_choose_first.to_owned(),
        BookingError::Note => t.talks_error_note.replace("{max}", &MAX_NOTE.to_string()),
        other => t.talks_error_other.replace("{reason}", &other.message()),
    }
}

/// The school's number for what can no longer be done in the app.
fn school_phone(content: &Content) -> String {
    content
        .school
        .absence_phone
        .clone()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| content.school.phone.clone())
}

/// Gesprekken: the rounds the school published, with per child of the family its booking.
#[component]
pub fn Talks() -> impl IntoView {
    // The reminders of talks tomorrow are seen here: their count on the navigation goes.
    crate::components::nav::see_talks();
    let locale = use_locale();
    let content = use_content();
    let children = use_record::<Children>();
    let bookings = use_record::<Bookings>();
    let now = now_local();
    let rounds = Memo::new(move |_| {
        let mut list: Vec<TalkRound> = content.with(|c| {
            c.talks
                .iter()
                .filter(|r| r.last_end().is_some_and(|end| end >= now))
                .cloned()
                .collect()
        });
        list.sort_by_key(|r| r.first_talk());
        list
    });
    view! {
        <Screen title=|t| t.talks_title intro=|t| t.talks_intro/>
        <Show when=move || children.with(|c| c.0.is_empty())>
            <p class="notice">
                {locale.text(|t| t.talks_no_children)}" "
                <A href="/instellingen">{locale.text(|t| t.talks_to_settings)}</A>
            </p>
        </Show>
        <Show when=move || rounds.with(Vec::is_empty)>
            <p class="muted">{locale.text(|t| t.talks_none)}</p>
        </Show>
        <ul class="talk-list" role="list">
            <For each=move || rounds.get() key=|r| r.id.clone() let:round>
                <li>{
                    let t = locale.t();
                    let lang = locale.0.get_untracked();
                    let href = format!("/gesprekken/{}", round.id);
                    let title = round.title.get(lang.code()).to_owned();
                    let mine = children.with(|c| children_in(&round, c));
                    let lines: Vec<String> = bookings.with(|b| {
                        mine.iter()
                            .map(|child| {
                                let name = child.name.trim().to_owned();
                                match booking_of(b, &round.id, child) {
                                    Some(s) if !s.put.cancelled => match &s.booked {
                                        Some(booked) => format!(
                                            "{name}: {}",
                                            dates::date_time_range(lang, booked.slot.start, booked.slot.end)
                                        ),
                                        None => format!("{name}: {}", state_text(t, &s)),
                                    },
                                    _ => format!("{name}: {}", t.talks_not_booked),
                                }
                            })
                            .collect()
                    });
                    let closes = t.talks_closes.replace("{when}", &dates::date_time(lang, round.closes));
                    view! {
                        <article class="talk-card">
                            <h2 class="talk-card__title"><A href=href>{title}</A></h2>
                            <p class="kind-badge">{kind_label(t, round.kind)}</p>
                            <p class="talk-card__when">{closes}</p>
                            <ul class="talk-card__children">
                                {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                            </ul>
                        </article>
                    }
                }</li>
            </For>
        </ul>
    }
}

/// One round (`/gesprekken/:id`): per child of the family its talk, and the times to choose.
#[component]
pub fn TalkPage() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let params = use_params_map();
    let round = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        content.with(|c| c.talks.iter().find(|r| r.id == id).cloned())
    });
    move || match round.get() {
        None => view! {
            <Screen title=|t| t.talks_title intro=|t| t.talks_unknown/>
            <p><A href="/gesprekken">{locale.text(|t| t.talks_back)}</A></p>
        }
        .into_any(),
        Some(round) => view! { <Round round=round/> }.into_any(),
    }
}

/// The slots a family can no longer book, as the school said when the page opened; `None`
/// offline (or with the demo school: nobody else books there).
fn use_taken(round_id: String) -> LocalResource<Option<BTreeSet<String>>> {
    let settings = use_record::<Settings>();
    LocalResource::new(move || {
        let link = settings.with_untracked(|s| s.sync_url.as_deref().and_then(JoinLink::parse));
        let round_id = round_id.clone();
        async move {
            let link = link?;
            let auth = format!("Bearer {}", link.code);
            let reply = driehoek_web::http::http(
                "GET",
                &link.api(&format!("talks/{round_id}/taken")),
                &[("authorization", auth.as_str())],
                None,
            )
            .await
            .ok()?;
            (reply.status == 200)
                .then(|| serde_json::from_str::<TakenSlots>(&reply.body).ok())
                .flatten()
                .map(|t| t.taken.into_iter().collect())
        }
    })
}

#[component]
fn Round(round: TalkRound) -> impl IntoView {
    crate::components::nav::see_talks();
    let locale = use_locale();
    let content = use_content();
    let children = use_record::<Children>();
    let sync = crate::sync::sync_context();
    let round = StoredValue::new(round);
    let round_id = round.with_value(|r| r.id.clone());
    let taken = use_taken(round_id.clone());
    let taken_now = Signal::derive(move || taken.get().flatten());
    let mine = Memo::new(move |_| children.with(|c| round.with_value(|r| children_in(r, c))));
    let now = now_local();
    let several = move || mine.with(Vec::len) >= 2;
    let open = move || round.with_value(|r| r.is_open(now, several()));
    let phone = move || content.with(school_phone);

    let lang = move || locale.0.get();
    let t = move || locale.t();
    let title = move || round.with_value(|r| r.title.get(lang().code()).to_owned());
    let text = move || round.with_value(|r| r.text.get(lang().code()).to_owned());
    let when_open = move || {
        let t = t();
        round.with_value(|r| {
            if open() {
                t.talks_closes
                    .replace("{when}", &dates::date_time(lang(), r.closes))
            } else if now < r.opens {
                let early = r.siblings_from.filter(|_| several());
                match early {
                    Some(early) if now < early => t
                        .talks_opens_early
                        .replace("{when}", &dates::date_time(lang(), early)),
                    _ => t
                        .talks_opens
                        .replace("{when}", &dates::date_time(lang(), r.opens)),
                }
            } else {
                t.talks_closed.replace("{phone}", &phone())
            }
        })
    };
    let early_note = move || {
        round.with_value(|r| {
            r.siblings_from.filter(|_| !several()).map(|early| {
                t().talks_siblings_early
                    .replace("{when}", &dates::date_time(lang(), early))
            })
        })
    };

    view! {
        <p class="back-link">
            <A href="/gesprekken">
                <span aria-hidden="true">"← "</span>
                {locale.text(|t| t.talks_back)}
            </A>
        </p>
        <h1>{title}</h1>
        <p class="kind-badge">{move || round.with_value(|r| kind_label(t(), r.kind))}</p>
        <p class="intro">{text}</p>
        <p class="talk__open" role="status">{when_open}</p>
        {early_note().map(|n| view! { <p class="muted">{n}</p> })}
        <Show when=move || mine.with(Vec::is_empty)>
            <p class="notice">
                {locale.text(|t| t.talks_not_for_children)}" "
                <A href="/instellingen">{locale.text(|t| t.talks_to_settings)}</A>
            </p>
        </Show>
        <Show when=move || open() && several()>
            <Siblings round=round children=mine taken=taken_now now=now/>
        </Show>
        <For each=move || mine.get() key=|c| (c.id.clone(), c.groep) let:child>
            <ChildTalk round=round child=child taken=taken_now now=now open=Signal::derive(open)
                phone=Signal::derive(phone)/>
        </For>
        {move || (sync.connected.get() && taken.get().is_some_and(|t| t.is_none())).then(|| view! {
            <p class="muted">{locale.text(|t| t.talks_offline_hint)}</p>
        })}
        <p class="muted">{locale.text(|t| t.talks_first_come)}</p>
    }
}

/// Puts one version of a booking on the phone and in the outbox; `Err` with the message when the
/// phone cannot (a rule of the round, or storage).
fn request(
    round: &TalkRound,
    child: &Child,
    preferences: Vec<String>,
    note: String,
    cancel: bool,
    now: NaiveDateTime,
) -> Result<(), String> {
    let locale = use_locale();
    let t = locale.t();
    let lang = locale.0.get_untracked();
    let bookings = use_record::<Bookings>();
    let children = use_record::<Children>();
    let settings = use_record::<Settings>();
    let content = use_content();
    let sync = crate::sync::sync_context();
    let kept = bookings.with_untracked(|b| booking_of(b, &round.id, child));
    let names = settings.with_untracked(|s| {
        let all: Vec<String> =
            children.with_untracked(|c| c.0.iter().map(|c| c.name.clone()).collect());
        crate::sync::family_names(t, &s.parents, &all)
    });
    let in_round = children.with_untracked(|c| children_in(round, c).len());
    let put = BookingPut {
        id: kept
            .as_ref()
            .map(|k| k.put.id.clone())
            .unwrap_or_else(|| driehoek_web::browser::new_id("gesprek")),
        family_id: String::new(),
        names,
        round_id: round.id.clone(),
        child: for_school(child),
        preferences: if cancel { Vec::new() } else { preferences },
        note,
        children_in_round: u8::try_from(in_round).unwrap_or(u8::MAX),
        updated_at: driehoek_web::clock::now_millis(),
        cancelled: cancel,
    };
    let phone = content.with_untracked(school_phone);
    // The family's id is given when the booking goes into the outbox; the rules of the round do
    // not depend on it.
    let checked = BookingPut {
        family_id: "gezin".into(),
        ..put.clone()
    };
    checked
        .check(Some(round), now)
        .map_err(|e| booking_error(t, lang, &e, &phone))?;
    let Some(queued) = sync.outbox.queue_booking(&put) else {
        return Err(t.talks_save_failed.to_owned());
    };
    // With the demo school nobody else books: the first choice is the family's at once.
    let connected = sync.connected.get_untracked();
    let demo_slot = (!connected && !cancel)
        .then(|| queued.preferences.first().and_then(|id| round.slot(id)))
        .flatten()
        .map(|slot| Booked {
            slot,
            by_school: false,
        });
    let held = kept.as_ref().and_then(|k| k.booked.clone());
    let stored = StoredBooking {
        booked: if cancel {
            None
        } else if connected {
            held
        } else {
            demo_slot
        },
        put: queued,
        state: SendState::Saved,
        full: None,
        child_id: child.id.clone(),
    };
    bookings
        .update(|b| {
            b.0.retain(|x| x.put.id != stored.put.id);
            b.0.push(stored);
        })
        .map_err(|_| t.talks_save_failed.to_owned())?;
    sync.nudge.run(());
    Ok(())
}

/// Brothers and sisters: times back to back, one tap to ask for all of them.
#[component]
fn Siblings(
    round: StoredValue<TalkRound>,
    children: Memo<Vec<Child>>,
    taken: Signal<Option<BTreeSet<String>>>,
    now: NaiveDateTime,
) -> impl IntoView {
    let locale = use_locale();
    let bookings = use_record::<Bookings>();
    let error = RwSignal::new(None::<String>);
    // Only while none of the children has a talk: then it would no longer be "achter elkaar".
    let none_booked = move || {
        bookings.with(|b| {
            children.with(|kids| {
                round.with_value(|r| {
                    kids.iter()
                        .all(|c| booking_of(b, &r.id, c).is_none_or(|s| s.put.cancelled))
                })
            })
        })
    };
    let proposal = Memo::new(move |_| {
        let taken = taken.get().unwrap_or_default();
        let kids: Vec<driehoek_core::sync::ChildInGroep> =
            children.with(|c| c.iter().map(for_school).collect());
        round.with_value(|r| back_to_back(r, &kids, now, |s| !taken.contains(&s.id)))
    });
    let sync = crate::sync::sync_context();
    let settings = use_record::<Settings>();
    let first_send = RwSignal::new(false);
    let ask_now = move || {
        let Some(series) = proposal.get_untracked() else {
            return;
        };
        let kids = children.get_untracked();
        for (child, slot) in series {
            let Some(kid) = kids.iter().find(|k| for_school(k) == child) else {
                continue;
            };
            let result = round
                .with_value(|r| request(r, kid, vec![slot.id.clone()], String::new(), false, now));
            if let Err(message) = result {
                error.set(Some(message));
                return;
            }
        }
        error.set(None);
    };
    // Before the first send to a school: first what the school receives.
    let ask = move |_| {
        if sync.outbox.first_send() {
            first_send.set(true);
        } else {
            ask_now();
        }
    };
    let agreed = Callback::new(move |()| {
        let _ = settings.update(|s| s.school_told = true);
        ask_now();
    });
    view! {
        <Show when=none_booked>
            <section class="talk-siblings notice" aria-labelledby="talk-siblings-title">
                <h2 id="talk-siblings-title">{locale.text(|t| t.talks_siblings_title)}</h2>
                {move || match proposal.get() {
                    None => view! { <p>{locale.text(|t| t.talks_siblings_none)}</p> }.into_any(),
                    Some(series) => {
                        let lang = locale.0.get_untracked();
                        let minutes = round.with_value(|r| r.changeover_minutes);
                        view! {
                            <p>{locale.t().talks_siblings_text.replace("{minutes}", &minutes.to_string())}</p>
                            <ul class="talk-siblings__list">
                                {series.into_iter().map(|(child, slot)| view! {
                                    <li>{format!("{}: {}", child.name, dates::date_time_range(lang, slot.start, slot.end))}</li>
                                }).collect_view()}
                            </ul>
                            <button type="button" class="button button--primary" on:click=ask>
                                {locale.t().talks_siblings_take}
                            </button>
                        }
                        .into_any()
                    }
                }}
                <p class="rsvp__error" role="alert">{move || error.get()}</p>
                <FirstSendPanel open=first_send on_yes=agreed id="talk-siblings"/>
            </section>
        </Show>
    }
}

/// One child: its talk (or none yet), and the times to choose from.
#[component]
fn ChildTalk(
    round: StoredValue<TalkRound>,
    child: Child,
    taken: Signal<Option<BTreeSet<String>>>,
    now: NaiveDateTime,
    open: Signal<bool>,
    phone: Signal<String>,
) -> impl IntoView {
    let locale = use_locale();
    let bookings = use_record::<Bookings>();
    let settings = use_record::<Settings>();
    let sync = crate::sync::sync_context();
    let school = use_content().with_untracked(|c| c.school.clone());
    let school = StoredValue::new(school);
    let confirming = RwSignal::new(false);
    let child = StoredValue::new(child);
    let stored = Memo::new(move |_| {
        bookings.with(|b| round.with_value(|r| child.with_value(|c| booking_of(b, &r.id, c))))
    });
    // A talk the family has or has asked for; after "vol" without an earlier time, the family
    // has nothing to change or cancel: the free times and the picker show instead.
    let active = move || {
        stored.with(|s| {
            s.as_ref().is_some_and(|s| {
                !s.put.cancelled && (s.booked.is_some() || s.state != SendState::Failed)
            })
        })
    };
    let choosing = RwSignal::new(false);
    let chosen = RwSignal::new(Vec::<String>::new());
    let note = RwSignal::new(
        stored
            .get_untracked()
            .map(|s| s.put.note)
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<String>);
    let first_send = RwSignal::new(false);
    let pending = RwSignal::new(None::<(Vec<String>, bool)>);
    let (name, groep) = child.with_value(|c| (c.name.trim().to_owned(), c.groep));
    let heading_id = format!("talk-{}", child.with_value(|c| c.id.clone()));
    let note_id = StoredValue::new(format!("{heading_id}-note"));
    let confirm_id = StoredValue::new(format!("{heading_id}-confirm"));

    let send = move |preferences: Vec<String>, cancel: bool| {
        let result = round.with_value(|r| {
            child.with_value(|c| request(r, c, preferences, note.get_untracked(), cancel, now))
        });
        match result {
            Ok(()) => {
                error.set(None);
                choosing.set(false);
                chosen.set(Vec::new());
            }
            Err(message) => error.set(Some(message)),
        }
    };
    // Before the first send to a school: first what the school receives.
    let submit = move |preferences: Vec<String>, cancel: bool| {
        if sync.outbox.first_send() {
            pending.set(Some((preferences, cancel)));
            first_send.set(true);
        } else {
            send(preferences, cancel);
        }
    };
    let agreed = Callback::new(move |()| {
        let _ = settings.update(|s| s.school_told = true);
        if let Some((preferences, cancel)) = pending.get_untracked() {
            send(preferences, cancel);
        }
    });

    let status = move || {
        let t = locale.t();
        let lang = locale.0.get();
        stored.get().map(|s| {
            let booked = s
                .booked
                .as_ref()
                .filter(|_| !s.put.cancelled)
                .map(|b| {
                    let place = round.with_value(|r| place(t, lang, r, b.slot.groep));
                    let when = dates::date_time_range(lang, b.slot.start, b.slot.end);
                    (t.talks_booked.replace("{when}", &when), place)
                });
            let full = s.full.clone();
            view! {
                {booked.map(|(when, place)| view! {
                    <p class="talk__booked">{when}</p>
                    {(!place.is_empty()).then(|| view! {
                        <p class="talk__place">{locale.t().talks_where.replace("{place}", &place)}</p>
                    })}
                })}
                {s.full.is_none().then(|| view! { <p class="talk__state">{state_text(t, &s)}</p> })}
                {full.map(|alternatives| {
                    if alternatives.is_empty() {
                        view! {
                            <p class="talk__full" role="alert">
                                {t.talks_full_none.replace("{phone}", &phone.get_untracked())}
                            </p>
                        }
                        .into_any()
                    } else {
                        view! {
                            <div class="talk__full" role="alert">
                                <p>{t.talks_full}</p>
                                <ul class="talk__alternatives" role="list">
                                    {alternatives.into_iter().map(|slot: Slot| {
                                        let label = t.talks_take.replace(
                                            "{when}",
                                            &dates::date_time_range(lang, slot.start, slot.end),
                                        );
                                        let id = slot.id.clone();
                                        view! {
                                            <li><button type="button" class="button"
                                                on:click=move |_| submit(vec![id.clone()], false)>
                                                {label}
                                            </button></li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </div>
                        }
                        .into_any()
                    }
                })}
            }
        })
    };

    let calendar = move |_| {
        let t = locale.t();
        let lang = locale.0.get_untracked();
        let Some(s) = stored.get_untracked() else {
            return;
        };
        let Some(booked) = s.booked else {
            return;
        };
        let event = round.with_value(|r| driehoek_core::ics::TalkEvent {
            id: s.put.id.clone(),
            summary: t
                .talks_calendar_title
                .replace("{kind}", kind_label(t, r.kind))
                .replace("{name}", &s.put.child.name),
            description: r.title.get(lang.code()).to_owned(),
            location: place(t, lang, r, booked.slot.groep),
            start: booked.slot.start,
            end: booked.slot.end,
        });
        let stamp = driehoek_core::tz::local_to_utc(now_local());
        if let Some(ics) =
            school.with_value(|school| driehoek_core::ics::talk_ics(school, &event, stamp))
        {
            driehoek_web::browser::download(&format!("{}.ics", s.put.id), "text/calendar", &ics);
        }
    };

    let picker = move || {
        let t = locale.t();
        let lang = locale.0.get();
        let slots = round.with_value(|r| r.slots_of(groep));
        let known = taken.get();
        let mut days: Vec<(chrono::NaiveDate, Vec<Slot>)> = Vec::new();
        for slot in slots.into_iter().filter(|s| s.start > now) {
            match days.last_mut() {
                Some((day, list)) if *day == slot.start.date() => list.push(slot),
                _ => days.push((slot.start.date(), vec![slot])),
            }
        }
        let held = stored.with_untracked(|s| {
            s.as_ref()
                .and_then(|s| s.booked.as_ref())
                .map(|b| b.slot.id.clone())
        });
        view! {
            <p class="talk__hint">
                {if known.is_some() || !sync.connected.get_untracked() { t.talks_choose_hint } else { t.talks_offline_hint }}
            </p>
            {days.into_iter().map(|(day, list)| view! {
                <h3 class="talk__day">{dates::weekday_date(lang, day)}</h3>
                <ul class="talk__slots" role="list">
                    {list.into_iter().map(|slot| {
                        let id = slot.id.clone();
                        let busy = known.as_ref().is_some_and(|k| k.contains(&id))
                            && held.as_deref() != Some(id.as_str());
                        let time = dates::time(slot.start.time());
                        let id_click = id.clone();
                        let id_rank = StoredValue::new(id.clone());
                        let rank = move || chosen.with(|c| id_rank.with_value(|me| c.iter().position(|x| x == me)));
                        view! {
                            <li>
                                <button type="button" class="talk__slot"
                                    disabled=busy
                                    aria-pressed=move || if rank().is_some() { "true" } else { "false" }
                                    on:click=move |_| chosen.update(|c| {
                                        if let Some(at) = c.iter().position(|x| *x == id_click) {
                                            c.remove(at);
                                        } else if c.len() < MAX_PREFERENCES {
                                            c.push(id_click.clone());
                                        }
                                    })>
                                    <span class="talk__slot-time">{time}</span>
                                    {busy.then(|| view! { <span class="talk__slot-note">{t.talks_taken}</span> })}
                                    {move || rank().map(|i| view! {
                                        <span class="talk__slot-note">
                                            {locale.t().talks_choice_n.replace("{n}", &(i + 1).to_string())}
                                        </span>
                                    })}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }).collect_view()}
            <div class="rsvp__field">
                <label for=note_id.get_value()>{t.talks_note}</label>
                <textarea id=note_id.get_value() rows="2"
                    maxlength=MAX_NOTE.to_string()
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))>
                </textarea>
            </div>
            <button type="button" class="button button--primary"
                on:click=move |_| {
                    let preferences = chosen.get_untracked();
                    if preferences.is_empty() {
                        error.set(Some(locale.t().talks_choose_first.to_owned()));
                    } else {
                        submit(preferences, false);
                    }
                }>
                {move || {
                    let n = chosen.with(Vec::len);
                    if n > 1 {
                        locale.t().talks_request_n.replace("{n}", &n.to_string())
                    } else {
                        locale.t().talks_request.to_owned()
                    }
                }}
            </button>
        }
    };

    view! {
        <section class="talk" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>
                {move || locale.t().talks_child.replace("{name}", &name).replace("{groep}", &groep.to_string())}
            </h2>
            {status}
            <Show when=move || open.get() && active() && !choosing.get()>
                <div class="talk__actions">
                    <Show when=move || stored.with(|s| s.as_ref().is_some_and(|s| s.booked.is_some()))>
                        <button type="button" class="button" on:click=calendar>
                            {locale.text(|t| t.talks_calendar)}
                        </button>
                    </Show>
                    <button type="button" class="button" on:click=move |_| choosing.set(true)>
                        {locale.text(|t| t.talks_change)}
                    </button>
                    <button type="button" class="button" on:click=move |_| confirming.set(true)>
                        {locale.text(|t| t.talks_cancel)}
                    </button>
                </div>
            </Show>
            <Show when=move || confirming.get() && open.get() && active()>
                <div class="talk__confirm notice" role="group" aria-labelledby=confirm_id.get_value()>
                    <p id=confirm_id.get_value()>{locale.text(|t| t.talks_cancel_confirm)}</p>
                    <button type="button" class="button button--primary"
                        on:click=move |_| {
                            confirming.set(false);
                            submit(Vec::new(), true);
                        }>
                        {locale.text(|t| t.talks_cancel_yes)}
                    </button>
                    <button type="button" class="button" on:click=move |_| confirming.set(false)>
                        {locale.text(|t| t.talks_cancel_no)}
                    </button>
                </div>
            </Show>
            <Show when=move || !open.get() && active() && stored.with(|s| s.as_ref().is_some_and(|s| s.booked.is_some()))>
                <button type="button" class="button" on:click=calendar>
                    {locale.text(|t| t.talks_calendar)}
                </button>
            </Show>
            <Show when=move || open.get() && (!active() || choosing.get())>
                {picker}
            </Show>
            <p class="rsvp__error" role="alert">{move || error.get()}</p>
            <FirstSendPanel open=first_send on_yes=agreed id="talk"/>
        </section>
    }
}

/// The family's booked talks in the coming week, for Vandaag: "Morgen 15:40: Rapportgesprek over
/// Noor, Lokaal 7".
#[component]
pub fn UpcomingTalks() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let bookings = use_record::<Bookings>();
    let now = now_local();
    let lines = Memo::new(move |_| {
        let t = locale.t();
        let lang = locale.0.get();
        let today = now.date();
        let mut talks: Vec<(NaiveDateTime, String, String)> = bookings.with(|b| {
            content.with(|c| {
                b.0.iter()
                    .filter(|s| !s.put.cancelled)
                    .filter_map(|s| {
                        let booked = s.booked.as_ref()?;
                        let round = c.talks.iter().find(|r| r.id == s.put.round_id)?;
                        let start = booked.slot.start;
                        if start < now || start.date() > today + Duration::days(7) {
                            return None;
                        }
                        let day = if start.date() == today {
                            t.talks_today.to_owned()
                        } else if start.date() == today + Duration::days(1) {
                            t.talks_tomorrow.to_owned()
                        } else {
                            dates::weekday_date(lang, start.date())
                        };
                        let where_ = place(t, lang, round, booked.slot.groep);
                        let mut line = t
                            .talks_upcoming
                            .replace("{day}", &day)
                            .replace("{time}", &dates::time(start.time()))
                            .replace("{kind}", kind_label(t, round.kind))
                            .replace("{name}", &s.put.child.name);
                        if !where_.is_empty() {
                            line = format!("{line}, {where_}");
                        }
                        Some((start, line, format!("/gesprekken/{}", round.id)))
                    })
                    .collect()
            })
        });
        talks.sort();
        talks
    });
    view! {
        <Show when=move || lines.with(|l| !l.is_empty())>
            <section class="talks-upcoming" aria-labelledby="talks-upcoming-title">
                <h2 id="talks-upcoming-title">{locale.text(|t| t.talks_upcoming_title)}</h2>
                <ul role="list">
                    <For each=move || lines.get() key=|l| l.1.clone() let:line>
                        <li><A href=line.2>{line.1}</A></li>
                    </For>
                </ul>
            </section>
        </Show>
    }
}
