//! Activiteiten (`/activiteiten`): what is on at school, upcoming first, with the family's answer;
//! and one activity with its answer form (`/activiteiten/:id`).
//!
//! The form has one "Opslaan" button rather than saving on every change. A parent on a phone
//! picks an answer, a number and maybe types a note, one-handed: saving on each tap would store
//! (and, once the sync comes, send to school) a "Nee" from a slip of the thumb and every half
//! typed note. One button gives one clear moment, after which the screen says "Bewaard op deze
//! telefoon" only when storage really took it.

use driehoek_core::rsvp::{deadline, is_open, MAX_NOTE_CHARS};
use driehoek_core::{places_left, Activity, ActivityKind, Answer, Rsvp, RsvpError};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::Screen;
use crate::components::disclosure::FirstSendPanel;
use crate::components::kind_icon::{glyph, kind_icon};
use crate::components::language::dutch_label;
use crate::components::text::groepen_list;
use crate::content::use_content;
use crate::records::{Children, Rsvps, SendState, Settings, StoredRsvp};
use driehoek_web::browser;
use driehoek_web::clock::now_local;
use driehoek_web::dates;
use driehoek_web::i18n::{shown_in, use_locale, Lang, Strings};
use driehoek_web::labels::{activity_kind_label, answer_label};
use driehoek_web::state::use_record;

/// The icon of a kind of activity.
fn kind_glyph(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Jaaropening
        | ActivityKind::Schoolfeest
        | ActivityKind::Nieuwjaarsreceptie => glyph::STAR,
        ActivityKind::Informatieavond => glyph::BOOK,
        ActivityKind::InteractieveOuderavond
        | ActivityKind::Klankbordgroep
        | ActivityKind::Ouderraad => glyph::PEOPLE,
        ActivityKind::Koffiemoment | ActivityKind::Inloopmoment => glyph::CUP,
        ActivityKind::Startgesprek | ActivityKind::Rapportgesprek => glyph::CHAT,
        ActivityKind::Huisbezoek => glyph::HOUSE,
        ActivityKind::Beroependag => glyph::BRIEFCASE,
        ActivityKind::Excursie => glyph::BUS,
        ActivityKind::Anders => glyph::CALENDAR,
    }
}

/// Why an answer cannot be kept, in the parent's language (the core's own message is Dutch,
/// for logs and the school).
fn rsvp_error(t: &Strings, lang: Lang, error: &RsvpError) -> String {
    match error {
        RsvpError::WrongActivity | RsvpError::InvalidId => t.rsvp_err_wrong.to_owned(),
        RsvpError::DeadlinePassed { deadline } => t
            .rsvp_err_closed
            .replace("{deadline}", &dates::date_time(lang, *deadline)),
        RsvpError::NoPeople => t.rsvp_err_no_people.to_owned(),
        RsvpError::TooManyPeople { max } => t.rsvp_err_too_many.replace("{max}", &max.to_string()),
        RsvpError::HelpNotWanted => t.rsvp_err_no_help.to_owned(),
        RsvpError::NoteTooLong { max } => t.rsvp_err_note.replace("{max}", &max.to_string()),
        RsvpError::Full { places_left: 0 } => t.rsvp_err_full.to_owned(),
        RsvpError::Full { places_left } => t
            .rsvp_err_places
            .replace("{places}", &places_left.to_string()),
        RsvpError::Cancelled => t.rsvp_err_cancelled.to_owned(),
        RsvpError::NoteUnreadable => t.rsvp_err_unreadable.to_owned(),
    }
}

/// The family's answer in one sentence: "Ja, u komt met 2 personen. U helpt mee."
fn summary(t: &Strings, rsvp: &Rsvp) -> String {
    let people = rsvp.people.to_string();
    let mut text = match (rsvp.answer, rsvp.people) {
        (Answer::Nee, _) => t.activities_summary_no.to_owned(),
        (Answer::Ja, 1) => t.activities_summary_yes_one.to_owned(),
        (Answer::Ja, _) => t.activities_summary_yes.replace("{people}", &people),
        (Answer::Misschien, 1) => t.activities_summary_maybe_one.to_owned(),
        (Answer::Misschien, _) => t.activities_summary_maybe.replace("{people}", &people),
    };
    if rsvp.helps {
        text.push(' ');
        text.push_str(t.activities_summary_helps);
    }
    text
}

/// Where the answer is on its way to school.
fn state_label(t: &Strings, state: SendState) -> &'static str {
    match state {
        SendState::Saved => t.activities_state_saved,
        SendState::Sent => t.activities_state_sent,
        SendState::Failed => t.activities_state_failed,
        SendState::OtherPhone => t.activities_state_other_phone,
    }
}

/// The family's stored answer to `activity_id`, if any.
fn stored_answer(rsvps: &Rsvps, activity_id: &str) -> Option<StoredRsvp> {
    rsvps
        .0
        .iter()
        .find(|r| r.rsvp.activity_id == activity_id)
        .cloned()
}

/// `rsvps` with `rsvp` in place of the earlier answer with its id (or added).
fn with_answer(mut rsvps: Rsvps, rsvp: Rsvp) -> Rsvps {
    let stored = StoredRsvp {
        rsvp,
        state: SendState::Saved,
        child_ids: None,
    };
    match rsvps.0.iter_mut().find(|r| r.rsvp.id == stored.rsvp.id) {
        Some(old) => *old = stored,
        None => rsvps.0.push(stored),
    }
    rsvps
}

/// "vrijdag 27 november, 12:00": a deadline.
fn deadline_text(lang: Lang, activity: &Activity) -> String {
    let at = deadline(activity);
    format!(
        "{}, {}",
        dates::weekday_date(lang, at.date()),
        dates::time(at.time())
    )
}

/// Activiteiten (`/activiteiten`): activities and RSVPs.
#[component]
pub fn Activities() -> impl IntoView {
    // What is on this screen is seen: its count on the navigation goes.
    crate::components::nav::see_news(driehoek_core::overview::Seen::see_activities);
    let locale = use_locale();
    let content = use_content();
    // "Now" once per visit of the screen: an activity that ends while the list is open moves on
    // the next visit, which is soon enough.
    let now = now_local();
    let upcoming = Memo::new(move |_| {
        let mut list: Vec<Activity> = content.with(|c| {
            c.activities
                .iter()
                .filter(|a| a.end >= now)
                .cloned()
                .collect()
        });
        list.sort_by_key(|a| a.start);
        list
    });
    let past = Memo::new(move |_| {
        let mut list: Vec<Activity> = content.with(|c| {
            c.activities
                .iter()
                .filter(|a| a.end < now)
                .cloned()
                .collect()
        });
        // The most recent first: that is the one a parent may look back on.
        list.sort_by_key(|a| std::cmp::Reverse(a.start));
        list
    });

    // Up to twenty activities are drawn at once. Of a longer list the first frame draws the cards
    // that fill a phone's screen, so that the tap answers at once; the rest follows, ten per frame.
    let drawn =
        crate::components::growing::use_growing_limit(20, 5, 10, move || upcoming.with(Vec::len));
    // The past activities (a whole school year, by June) are drawn only once the parent opens
    // them: a tap on Activiteiten does not pay for cards behind a closed disclosure.
    let past_open = RwSignal::new(false);

    view! {
        <Screen title=|t| t.activities_title intro=|t| t.activities_intro/>
        <Show when=move || content.with(|c| c.talks.iter().any(|r| r.last_end().is_some_and(|end| end >= now)))>
            <p class="talks-link notice">
                <A href="/gesprekken">{locale.text(|t| t.talks_link)}</A>
                <span class="talks-link__text">{locale.text(|t| t.talks_link_text)}</span>
            </p>
        </Show>
        <h2>{locale.text(|t| t.activities_upcoming)}</h2>
        <Show when=move || upcoming.with(Vec::is_empty)>
            <p class="muted">{locale.text(|t| t.activities_none_upcoming)}</p>
        </Show>
        <ul class="activity-list" role="list">
            <For each=move || upcoming.with(|list| list.iter().take(drawn.get()).cloned().collect::<Vec<_>>())
                key=|a| a.id.clone() let:activity>
                <li><ActivityCard activity=activity/></li>
            </For>
        </ul>
        <Show when=move || past.with(|p| !p.is_empty())>
            <details class="activity-past" on:toggle=move |ev| {
                past_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open());
            }>
                <summary>{locale.text(|t| t.activities_past)}</summary>
                <ul class="activity-list" role="list">
                    <Show when=move || past_open.get()>
                        <For each=move || past.get() key=|a| a.id.clone() let:activity>
                            <li><ActivityCard activity=activity/></li>
                        </For>
                    </Show>
                </ul>
            </details>
        </Show>
    }
}

/// One activity in the list: title (a link to its page), kind, date and the family's answer.
#[component]
fn ActivityCard(
    /// The activity.
    activity: Activity,
) -> impl IntoView {
    // Fifty cards: each reads the language once (it changes only on Instellingen, and this
    // screen is drawn anew after it); only the family's answer stays reactive.
    let lang = use_locale().0.get_untracked();
    let t = lang.strings();
    let rsvps = use_record::<Rsvps>();
    let id = activity.id.clone();
    let kind = activity.kind;
    let cancelled = activity.cancelled;
    let href = format!("/activiteiten/{id}");
    let title = activity.title.get(lang.code()).to_owned();
    let title_lang = shown_in(&activity.title, lang);
    let when = dates::date_time_range(lang, activity.start, activity.end);
    let answer = move || {
        rsvps.with(|rsvps| {
            stored_answer(rsvps, &id).map(|stored| {
                format!(
                    "{} {}",
                    summary(t, &stored.rsvp),
                    state_label(t, stored.state)
                )
            })
        })
    };

    view! {
        <article class="activity-card">
            <h3 class="activity-card__title" lang=title_lang.code()><A href=href>{title}</A></h3>
            <p class="kind-badge">
                {kind_icon(kind_glyph(kind))}
                <span>{activity_kind_label(t, kind)}</span>
                {dutch_label(title_lang, lang)}
            </p>
            <p class="activity-card__when">{when}</p>
            {cancelled.then(|| view! {
                <p class="activity-card__cancelled">{t.activities_cancelled}</p>
            })}
            {move || answer().map(|text| view! {
                <p class="activity-card__answer">
                    <span class="activity-card__answer-label">
                        {t.activities_your_answer}": "
                    </span>
                    {text}
                </p>
            })}
        </article>
    }
}

/// One activity with its RSVP (`/activiteiten/:id`).
#[component]
pub fn ActivityPage() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let params = use_params_map();
    let activity = Memo::new(move |_| {
        let id = params.with(|p| p.get("id").unwrap_or_default());
        content.with(|c| c.activities.iter().find(|a| a.id == id).cloned())
    });

    view! {
        <p class="back-link">
            <A href="/activiteiten">
                <span aria-hidden="true">"← "</span>
                {locale.text(|t| t.activities_back)}
            </A>
        </p>
        {move || match activity.get() {
            Some(activity) => view! { <ActivityDetail activity=activity/> }.into_any(),
            None => view! {
                <h1>{locale.text(|t| t.activities_not_found_title)}</h1>
                <p>{locale.text(|t| t.activities_not_found)}</p>
            }
            .into_any(),
        }}
    }
}

/// The facts of one activity, the family's answer and the form to give or change it.
#[component]
fn ActivityDetail(
    /// The activity.
    activity: Activity,
) -> impl IntoView {
    let locale = use_locale();
    let rsvps = use_record::<Rsvps>();
    let content = use_content();
    let open = is_open(&activity, now_local());
    let activity = StoredValue::new(activity);
    let (id, kind) = activity.with_value(|a| (a.id.clone(), a.kind));
    let code = move || locale.0.get().code();
    let title = move || activity.with_value(|a| a.title.get(code()).to_owned());
    // Where the school wrote no translation, the Dutch is shown and marked.
    let shown = move |text: fn(&Activity) -> &driehoek_core::Text| {
        activity.with_value(|a| shown_in(text(a), locale.0.get()))
    };
    let stored = {
        let id = id.clone();
        Memo::new(move |_| rsvps.with(|rsvps| stored_answer(rsvps, &id)))
    };
    // Why the school refused the answer (422), if it did: the answer stays in the outbox.
    let sync = crate::sync::sync_context();
    let refusal = move |activity_id: &str| {
        sync.record
            .with(|r| r.refusal_for_activity(activity_id).map(str::to_owned))
    };
    let places = move || {
        activity.with_value(|a| {
            // Without a sync server this phone knows of no other family's answers.
            places_left(a, 0).map(|left| {
                let t = locale.t();
                match left {
                    0 => t.activities_full.to_owned(),
                    1 => t.activities_places_one.to_owned(),
                    n => t.activities_places.replace("{n}", &n.to_string()),
                }
            })
        })
    };
    let groepen = move || {
        activity.with_value(|a| {
            let t = locale.t();
            if a.groepen.is_empty() {
                t.activities_for_everyone.to_owned()
            } else {
                t.activities_for_groepen
                    .replace("{groepen}", &groepen_list(&a.groepen, t.activities_and))
            }
        })
    };
    let to_calendar = move |_| {
        let lang = locale.0.get_untracked();
        let stamp = driehoek_core::tz::local_to_utc(now_local());
        let file = content.with_untracked(|c| {
            activity.with_value(|a| driehoek_core::activity_ics(&c.school, a, lang.code(), stamp))
        });
        if let Some(file) = file {
            browser::download(
                &activity.with_value(|a| format!("{}.ics", a.id)),
                "text/calendar",
                &file,
            );
        }
    };
    let share = move |_| {
        let lang = locale.0.get_untracked();
        let (title, when) = activity.with_value(|a| {
            (
                a.title.get(lang.code()).to_owned(),
                dates::date_time_range(lang, a.start, a.end),
            )
        });
        let url = window().location().href().unwrap_or_default();
        browser::share(&title, &when, &url);
    };
    let answered_yes =
        move || stored.with(|s| s.as_ref().is_some_and(|s| s.rsvp.answer == Answer::Ja));

    view! {
        <article class="activity-detail" aria-labelledby="activity-title">
            <h1 id="activity-title" lang=move || shown(|a| &a.title).code()>{title}</h1>
            <p class="kind-badge">
                {kind_icon(kind_glyph(kind))}
                <span>{move || activity_kind_label(locale.t(), kind)}</span>
                {move || dutch_label(shown(|a| &a.text), locale.0.get())}
            </p>
            <dl class="activity-facts">
                <dt>{locale.text(|t| t.activities_when)}</dt>
                <dd>{move || activity.with_value(|a| dates::date_time_range(locale.0.get(), a.start, a.end))}</dd>
                <dt>{locale.text(|t| t.activities_where)}</dt>
                <dd lang=move || shown(|a| &a.location).code()>
                    {move || activity.with_value(|a| a.location.get(code()).to_owned())}
                </dd>
                <dt>{locale.text(|t| t.activities_for)}</dt>
                <dd>{groepen}</dd>
                {move || places().map(|p| view! {
                    <dt>{locale.text(|t| t.activities_places_label)}</dt>
                    <dd>{p}</dd>
                })}
            </dl>
            <p class="activity-detail__text" lang=move || shown(|a| &a.text).code()>
                {move || activity.with_value(|a| a.text.get(code()).to_owned())}
            </p>
            <section class="rsvp card" aria-labelledby="rsvp-title">
                <h2 id="rsvp-title">{locale.text(|t| t.activities_form_title)}</h2>
                <p class="rsvp__deadline">
                    {move || {
                        let t = locale.t();
                        if activity.with_value(|a| a.cancelled) {
                            t.activities_cancelled_text.to_owned()
                        } else if open {
                            activity.with_value(|a| {
                                t.activities_deadline
                                    .replace("{date}", &deadline_text(locale.0.get(), a))
                            })
                        } else {
                            t.activities_closed.to_owned()
                        }
                    }}
                </p>
                // The family's answer as stored, and where it is: a live region, so that a
                // screen reader hears "Bewaard op deze telefoon" once storage took it.
                <p class="rsvp__state" role="status">
                    {move || {
                        let t = locale.t();
                        match stored.get() {
                            Some(s) => view! {
                                <span>
                                    {format!("{}: {}", t.activities_your_answer, summary(t, &s.rsvp))}
                                </span>
                                " "
                                // On a line of its own, with a mark, so that the parent sees at a
                                // glance where the answer is.
                                <span class="rsvp__send-state">
                                    <span aria-hidden="true">
                                        {if s.state == SendState::Failed { "⚠ " } else { "✓ " }}
                                    </span>
                                    {state_label(t, s.state)}
                                </span>
                                {refusal(&s.rsvp.activity_id).map(|message| view! {
                                    <span class="rsvp__refusal">
                                        {format!("{}{message}", t.sync_refused_prefix)}
                                    </span>
                                })}
                            }
                            .into_any(),
                            None => t.activities_no_answer.into_any(),
                        }
                    }}
                </p>
                {open.then(|| view! { <RsvpForm activity=activity stored=stored/> })}
            </section>
            <div class="activity-detail__actions">
                <Show when=answered_yes>
                    <button type="button" class="button" on:click=to_calendar>
                        {locale.text(|t| t.activities_calendar)}
                    </button>
                </Show>
                {browser::can_share().then(|| view! {
                    <button type="button" class="button" on:click=share>
                        {locale.text(|t| t.activities_share)}
                    </button>
                })}
            </div>
        </article>
    }
}

/// The answer form: ja / nee / misschien, how many people, "ik help mee" and a note, saved with
/// one button.
#[component]
fn RsvpForm(
    /// The activity answered.
    activity: StoredValue<Activity>,
    /// The family's stored answer, which the form starts from.
    stored: Memo<Option<StoredRsvp>>,
) -> impl IntoView {
    let locale = use_locale();
    let settings = use_record::<Settings>();
    let rsvps = use_record::<Rsvps>();
    let children = use_record::<Children>();
    let (activity_id, max, helpers, groepen) = activity.with_value(|a| {
        (
            a.id.clone(),
            a.max_per_family.max(1),
            a.helpers_wanted,
            a.groepen.clone(),
        )
    });
    // The form keeps its own copy: what the parent is changing is not the answer until saved.
    let start = stored.get_untracked().map(|s| s.rsvp);
    let answer = RwSignal::new(start.as_ref().map(|r| r.answer));
    let people = RwSignal::new(start.as_ref().map_or(1, |r| r.people.clamp(1, max)));
    let helps = RwSignal::new(start.as_ref().is_some_and(|r| r.helps));
    let note = RwSignal::new(start.as_ref().map(|r| r.note.clone()).unwrap_or_default());
    let activity_id = StoredValue::new(activity_id);
    // The children the answer is for: as chosen before, else those in the activity's groepen.
    let proposed = children.with_untracked(|c| c.proposed_for(&groepen));
    let chosen_children = RwSignal::new(
        stored
            .get_untracked()
            .and_then(|s| s.child_ids)
            .unwrap_or_else(|| proposed.clone()),
    );
    let error = RwSignal::new(None::<String>);
    let sync = crate::sync::sync_context();
    let coming = move || matches!(answer.get(), Some(Answer::Ja | Answer::Misschien));
    let first_send = RwSignal::new(false);

    let save_now = move || {
        let t = locale.t();
        let Some(chosen) = answer.get_untracked() else {
            error.set(Some(t.activities_choose.to_owned()));
            return;
        };
        // The first answer gets a new id; a changed answer keeps it, so the school replaces the
        // old one instead of counting the family twice.
        let id = stored
            .get_untracked()
            .map(|s| s.rsvp.id)
            .unwrap_or_else(|| browser::new_id("rsvp"));
        let rsvp = Rsvp {
            id,
            activity_id: activity_id.get_value(),
            answer: chosen,
            people: people.get_untracked(),
            helps: helpers && helps.get_untracked(),
            note: note.get_untracked(),
            updated_at: driehoek_web::clock::now_millis(),
        };
        let checked = activity.with_value(|a| rsvp.check(a, now_local(), 0));
        match checked {
            Err(e) => error.set(Some(rsvp_error(t, locale.0.get_untracked(), &e))),
            Ok(rsvp) => {
                let names = settings.with_untracked(|s| {
                    let children: Vec<String> =
                        children.with_untracked(|c| c.0.iter().map(|c| c.name.clone()).collect());
                    crate::sync::family_names(t, &s.parents, &children)
                });
                // Into the outbox first, then the answer itself: shown as saved only when
                // storage took both; otherwise the form keeps what the parent entered, and the
                // storage banner says why.
                let child_ids = chosen_children.get_untracked();
                let for_school = children.with_untracked(|c| c.for_school(&child_ids));
                let queued = sync.outbox.queue_rsvp(names, &rsvp, for_school);
                let mut answers = with_answer(rsvps.get_untracked(), rsvp);
                if let Some(last) = answers
                    .0
                    .iter_mut()
                    .find(|r| activity_id.with_value(|a| &r.rsvp.activity_id == a))
                {
                    last.child_ids = Some(child_ids);
                }
                if queued && rsvps.replace(answers).is_ok() {
                    error.set(None);
                    sync.nudge.run(());
                } else {
                    error.set(Some(t.activities_save_failed.to_owned()));
                }
            }
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Before the first send to a school: first what the school receives.
        if answer.get_untracked().is_some() && sync.outbox.first_send() {
            first_send.set(true);
            return;
        }
        save_now();
    };
    let agreed = Callback::new(move |()| {
        let _ = settings.update(|s| s.school_told = true);
        save_now();
    });
    let child_label = move |t: &Strings, c: &crate::records::Child| {
        t.activities_child
            .replace("{name}", c.name.trim())
            .replace("{groep}", &c.groep.to_string())
    };
    // One child in the activity's groepen: named plainly; otherwise a choice.
    let children_part = move || {
        let all = children.get().0;
        if all.is_empty() {
            return None;
        }
        let t = locale.t();
        let proposed_now: Vec<&crate::records::Child> =
            all.iter().filter(|c| proposed.contains(&c.id)).collect();
        let boxes = {
            let all = all.clone();
            move || {
                all.iter()
                    .map(|c| {
                        let id = c.id.clone();
                        let id2 = c.id.clone();
                        view! {
                            <label class="rsvp__check">
                                <input type="checkbox"
                                    prop:checked=move || chosen_children.with(|ids| ids.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen_children.update(|ids| {
                                            ids.retain(|i| i != &id2);
                                            if on {
                                                ids.push(id2.clone());
                                            }
                                        });
                                    }/>
                                <span>{child_label(locale.t(), c)}</span>
                            </label>
                        }
                    })
                    .collect_view()
            }
        };
        if proposed_now.len() == 1 {
            // One child in the activity's groepen: named plainly, preselected; another child
            // can still be chosen.
            let all_for_text = all.clone();
            let named = move || {
                let t = locale.t();
                let chosen: Vec<String> = chosen_children.with(|ids| {
                    all_for_text
                        .iter()
                        .filter(|c| ids.contains(&c.id))
                        .map(|c| child_label(t, c))
                        .collect()
                });
                if chosen.is_empty() {
                    t.activities_children_legend.to_owned()
                } else {
                    t.activities_children_for
                        .replace("{children}", &chosen.join(", "))
                }
            };
            let more = (all.len() > 1).then(|| {
                view! {
                    <details class="rsvp__children-more">
                        <summary>{locale.text(|t| t.activities_children_change)}</summary>
                        {boxes}
                    </details>
                }
            });
            return Some(
                view! {
                    <div class="rsvp__children">
                        <p class="rsvp__children-for">{named}</p>
                        {more}
                    </div>
                }
                .into_any(),
            );
        }
        Some(
            view! {
                <fieldset class="rsvp__children">
                    <legend>{t.activities_children_legend}</legend>
                    {boxes}
                </fieldset>
            }
            .into_any(),
        )
    };
    let radio = move |value: Answer| {
        view! {
            <label class="rsvp__choice">
                <input type="radio" name="rsvp-answer"
                    prop:checked=move || answer.get() == Some(value)
                    on:change=move |_| answer.set(Some(value))/>
                <span>{move || answer_label(locale.t(), value)}</span>
            </label>
        }
    };

    view! {
        <form class="rsvp__form" on:submit=save novalidate=true
            aria-describedby="rsvp-error">
            <fieldset class="rsvp__answers">
                <legend>{locale.text(|t| t.activities_legend)}</legend>
                {radio(Answer::Ja)}
                {radio(Answer::Nee)}
                {radio(Answer::Misschien)}
            </fieldset>
            {children_part}
            <Show when=coming>
                <div class="rsvp__field">
                    <label for="rsvp-people">{locale.text(|t| t.activities_people)}</label>
                    <select id="rsvp-people"
                        prop:value=move || people.get().to_string()
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse() {
                                people.set(n);
                            }
                        }>
                        {(1..=max).map(|n| view! {
                            <option value=n.to_string() selected=move || people.get() == n>
                                {n.to_string()}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                {helpers.then(|| view! {
                    <label class="rsvp__check">
                        <input type="checkbox" prop:checked=move || helps.get()
                            on:change=move |ev| helps.set(event_target_checked(&ev))/>
                        <span>{locale.text(|t| t.activities_helps)}</span>
                    </label>
                })}
            </Show>
            <div class="rsvp__field">
                <label for="rsvp-note">{locale.text(|t| t.activities_note)}</label>
                <textarea id="rsvp-note" rows="3" maxlength=MAX_NOTE_CHARS.to_string()
                    aria-describedby="rsvp-note-hint"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))>
                </textarea>
                <p id="rsvp-note-hint" class="rsvp__hint">
                    {move || locale.t().activities_note_hint
                        .replace("{max}", &MAX_NOTE_CHARS.to_string())}
                </p>
            </div>
            <p id="rsvp-error" class="rsvp__error" role="alert">
                {move || error.get()}
            </p>
            <FirstSendPanel open=first_send on_yes=agreed id="rsvp"/>
            <button type="submit" class="button button--primary rsvp__save">
                {locale.text(|t| t.activities_save)}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_english_parent_reads_why_an_answer_was_refused_in_english() {
        let en = Lang::En.strings();
        assert_eq!(
            super::rsvp_error(en, Lang::En, &RsvpError::TooManyPeople { max: 2 }),
            "At most 2 people per family can come."
        );
        let deadline = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            super::rsvp_error(
                &driehoek_web::i18n::NL,
                Lang::Nl,
                &RsvpError::DeadlinePassed { deadline }
            ),
            "Aanmelden kon tot vrijdag 20 november, 12:00. U kunt uw antwoord nog wel lezen."
        );
    }

    #[test]
    fn a_cancelled_activity_is_explained_in_the_parents_language() {
        let nl = super::rsvp_error(&driehoek_web::i18n::NL, Lang::Nl, &RsvpError::Cancelled);
        assert!(nl.contains("afgelast"), "{nl}");
        let en = super::rsvp_error(Lang::En.strings(), Lang::En, &RsvpError::Cancelled);
        assert!(en.contains("cancelled"), "{en}");
        assert_eq!(driehoek_web::i18n::NL.activities_cancelled, "Afgelast");
    }

    use super::*;

    fn rsvp(id: &str, answer: Answer, people: u8) -> Rsvp {
        Rsvp {
            id: id.into(),
            activity_id: "a-1".into(),
            answer,
            people,
            helps: false,
            note: String::new(),
            updated_at: 1,
        }
    }

    #[test]
    fn a_changed_answer_replaces_the_old_one_and_is_saved_again() {
        let mut first = with_answer(Rsvps::default(), rsvp("rsvp-1", Answer::Ja, 2));
        first.0[0].state = SendState::Sent;
        let changed = with_answer(first, rsvp("rsvp-1", Answer::Nee, 0));
        assert_eq!(changed.0.len(), 1, "one answer per id");
        assert_eq!(changed.0[0].rsvp.answer, Answer::Nee);
        assert_eq!(
            changed.0[0].state,
            SendState::Saved,
            "a changed answer must be sent again"
        );
    }

    #[test]
    fn the_summary_counts_people_in_plain_dutch() {
        let t = Lang::Nl.strings();
        assert!(summary(t, &rsvp("r", Answer::Ja, 2)).contains('2'));
        assert_eq!(
            summary(t, &rsvp("r", Answer::Ja, 1)),
            t.activities_summary_yes_one
        );
        assert_eq!(
            summary(t, &rsvp("r", Answer::Nee, 0)),
            t.activities_summary_no
        );
    }
}
