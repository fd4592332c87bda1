//! "Ziek of afwezig melden", shared by Vandaag and its own screen (`/afwezig`): the form, the
//! family's reports with where each is on its way to school, and "Intrekken".
//!
//! A report goes through the outbox like an RSVP (see [`crate::sync`]): into the outbox first,
//! then into the phone's own list, and only then shown as "Bewaard, wordt verstuurd". The rules
//! are core's ([`driehoek_core::absence`]), the same the server checks.

use chrono::{Duration, NaiveDate};
use driehoek_core::absence::{
    accepts_today, urgent_phone, AbsenceChild, AbsenceError, AbsenceKind, AbsencePut,
    MAX_DAYS_AHEAD, MAX_SCHOOL_DAYS,
};
use driehoek_core::rsvp::MAX_NOTE_CHARS;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::disclosure::FirstSendPanel;
use crate::content::use_content;
use crate::records::{Absences, Children, SendState, Settings, StoredAbsence};
use driehoek_web::browser::new_id;
use driehoek_web::clock::{now_local, now_millis, today};
use driehoek_web::dates;
use driehoek_web::i18n::{use_locale, Lang, Strings};
use driehoek_web::state::use_record;

/// The address of the screen, with the child chosen.
pub fn absence_href(child_id: &str) -> String {
    format!("/afwezig?kind={child_id}")
}

/// Where the report is on its way to school.
fn state_label(t: &Strings, state: SendState) -> &'static str {
    match state {
        SendState::Saved => t.absence_state_saved,
        // A report from the other phone of the family: the school has it.
        SendState::Sent | SendState::OtherPhone => t.absence_state_sent,
        SendState::Failed => t.absence_state_failed,
    }
}

/// Why the phone will not queue a report, in the parent's words.
fn error_text(t: &Strings, err: &AbsenceError) -> String {
    match err {
        AbsenceError::InvalidId | AbsenceError::ChildName | AbsenceError::Groep => {
            t.absence_err_child.to_owned()
        }
        AbsenceError::DaysOutOfOrder => t.absence_err_days_order.to_owned(),
        AbsenceError::TooManyDays => t
            .absence_err_too_many_days
            .replace("{n}", &MAX_SCHOOL_DAYS.to_string()),
        AbsenceError::NoteTooLong => t
            .absence_err_note_long
            .replace("{n}", &MAX_NOTE_CHARS.to_string()),
        AbsenceError::NoteUnreadable => t.absence_err_note_unreadable.to_owned(),
        AbsenceError::InThePast => t.absence_err_past.to_owned(),
        AbsenceError::TooFarAhead => t
            .absence_err_far
            .replace("{n}", &MAX_DAYS_AHEAD.to_string()),
        AbsenceError::TooLateForToday { until, phone } => {
            format!(
                "{} {}",
                t.absence_too_late.replace("{until}", &dates::time(*until)),
                call_text(t, phone)
            )
        }
    }
}

fn call_text(t: &Strings, phone: &str) -> String {
    if phone.is_empty() {
        t.absence_call_no_phone.to_owned()
    } else {
        t.absence_call.replace("{phone}", phone)
    }
}

/// "Noor is ziek op maandag 23 november" or "… van maandag 23 tot en met woensdag 25 november".
fn line(t: &Strings, lang: Lang, report: &AbsencePut) -> String {
    let who = match report.kind {
        AbsenceKind::Ziek => t.absence_line_ziek,
        AbsenceKind::Afwezig => t.absence_line_afwezig,
    }
    .replace("{name}", &report.child.name);
    let days = if report.first_day == report.last_day {
        t.absence_one_day
            .replace("{day}", &dates::weekday_date(lang, report.first_day))
    } else {
        t.absence_days
            .replace("{from}", &dates::weekday_date(lang, report.first_day))
            .replace("{to}", &dates::weekday_date(lang, report.last_day))
    };
    format!("{who} {days}")
}

/// The first day the school still takes a report for at `now`.
fn first_open_day(late: bool, day: NaiveDate) -> NaiveDate {
    if late {
        day + Duration::days(1)
    } else {
        day
    }
}

/// "Bel de school" when the school's time for today has passed; nothing before.
#[component]
pub fn CallTheSchool() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let late = move || content.with(|c| !accepts_today(&c.school, now_local()));
    view! {
        <Show when=late>
            {move || {
                let t = locale.t();
                let (until, phone) = content.with(|c| {
                    (c.school.absence_until, urgent_phone(&c.school).to_owned())
                });
                let until = until.map(dates::time).unwrap_or_default();
                let tel: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
                view! {
                    <div class="notice absence__call" role="note">
                        <p>{t.absence_too_late.replace("{until}", &until)}</p>
                        <p class="absence__phone">
                            {if phone.is_empty() {
                                t.absence_call_no_phone.into_any()
                            } else {
                                view! { <a href=format!("tel:{tel}")>{call_text(t, &phone)}</a> }.into_any()
                            }}
                        </p>
                        <p>{t.absence_later_days}</p>
                    </div>
                }
            }}
        </Show>
    }
}

/// The form: which child, ill or absent, from and to, a note, "Melden".
#[component]
pub fn AbsenceForm(
    /// The child chosen beforehand (from Vandaag's button), if any.
    #[prop(into)]
    child: Option<String>,
    /// Told what happened, for a live region.
    #[prop(into)]
    announce: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let children = use_record::<Children>();
    let absences = use_record::<Absences>();
    let content = use_content();
    let sync = crate::sync::sync_context();
    let day = today();
    let late = content.with_untracked(|c| !accepts_today(&c.school, now_local()));
    let earliest = first_open_day(late, day);
    let only_one = children.with_untracked(|c| (c.0.len() == 1).then(|| c.0[0].id.clone()));
    let chosen = RwSignal::new(child.or(only_one));
    let kind = RwSignal::new(AbsenceKind::Ziek);
    let from = RwSignal::new(dates::date_value(earliest));
    let to = RwSignal::new(dates::date_value(earliest));
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let settings = use_record::<Settings>();
    // Before the first send to a school: first what the school receives.
    let first_send = RwSignal::new(false);
    let save_now = move || {
        let t = locale.t();
        let Some(child) = chosen
            .get_untracked()
            .and_then(|id| children.with_untracked(|c| c.0.iter().find(|c| c.id == id).cloned()))
        else {
            error.set(Some(t.absence_err_choose_child.to_owned()));
            return;
        };
        let (Some(first), Some(last)) = (
            dates::parse_date(&from.get_untracked()),
            dates::parse_date(&to.get_untracked()),
        ) else {
            error.set(Some(t.absence_err_date.to_owned()));
            return;
        };
        let report = AbsencePut {
            id: new_id("afwezig"),
            family_id: String::new(),
            child: AbsenceChild {
                name: child.name.trim().to_owned(),
                groep: child.groep,
            },
            kind: kind.get_untracked(),
            first_day: first,
            last_day: last,
            note: note.get_untracked().trim().to_owned(),
            updated_at: now_millis(),
            withdrawn: false,
        };
        let checked = content.with_untracked(|c| report.check(&c.school, now_local()));
        if let Err(err) = checked {
            error.set(Some(error_text(t, &err)));
            return;
        }
        // Into the outbox first, then the phone's own list: shown as saved only when storage
        // took both; otherwise the form keeps what the parent entered.
        let saved = sync.outbox.queue_absence(&report).is_some_and(|queued| {
            absences
                .update(|a| {
                    a.0.push(StoredAbsence {
                        report: queued,
                        state: SendState::Saved,
                        child_id: child.id.clone(),
                    })
                })
                .is_ok()
        });
        if saved {
            error.set(None);
            note.set(String::new());
            announce.run(t.absence_saved_said.replace("{name}", &child.name));
            sync.nudge.run(());
        } else {
            error.set(Some(t.absence_save_failed.to_owned()));
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sync.outbox.first_send() {
            first_send.set(true);
            return;
        }
        save_now();
    };
    let agreed = Callback::new(move |()| {
        let _ = settings.update(|s| s.school_told = true);
        save_now();
    });

    let kind_radio = move |value: AbsenceKind| {
        view! {
            <label class="rsvp__choice">
                <input type="radio" name="absence-kind"
                    prop:checked=move || kind.get() == value
                    on:change=move |_| kind.set(value)/>
                <span>{move || match value {
                    AbsenceKind::Ziek => locale.t().absence_kind_ziek,
                    AbsenceKind::Afwezig => locale.t().absence_kind_afwezig,
                }}</span>
            </label>
        }
    };
    let min = dates::date_value(earliest);
    let max = dates::date_value(day + Duration::days(MAX_DAYS_AHEAD));
    let (min_to, max_to) = (min.clone(), max.clone());

    view! {
        <Show when=move || !children.with(|c| c.0.is_empty())
            fallback=move || view! {
                <p class="card"><A href="/instellingen">{locale.text(|t| t.absence_no_children)}</A></p>
            }>
            <form class="absence__form" on:submit=save novalidate=true
                aria-describedby="absence-error">
                // Also with one child: the parent sees whom the report is about.
                <fieldset class="rsvp__answers">
                    <legend>{locale.text(|t| t.absence_child)}</legend>
                    <For each=move || children.get().0 key=|c| c.id.clone() let:c>
                        {
                            let id = c.id.clone();
                            let id2 = c.id.clone();
                            view! {
                                <label class="rsvp__choice">
                                    <input type="radio" name="absence-child"
                                        prop:checked=move || chosen.get().as_deref() == Some(id.as_str())
                                        on:change=move |_| chosen.set(Some(id2.clone()))/>
                                    <span>
                                        {c.name.clone()} ", "
                                        {move || locale.t().groep_n.replace("{n}", &c.groep.to_string())}
                                    </span>
                                </label>
                            }
                        }
                    </For>
                </fieldset>
                <fieldset class="rsvp__answers">
                    <legend>{locale.text(|t| t.absence_kind)}</legend>
                    {kind_radio(AbsenceKind::Ziek)}
                    {kind_radio(AbsenceKind::Afwezig)}
                </fieldset>
                <div class="absence__days">
                    <div class="field">
                        <label for="absence-from">{locale.text(|t| t.absence_from)}</label>
                        <input id="absence-from" type="date" min=min.clone() max=max.clone()
                            prop:value=from
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                // A later first day takes the last day along.
                                if let (Some(f), Some(t)) = (
                                    dates::parse_date(&value),
                                    dates::parse_date(&to.get_untracked()),
                                ) {
                                    if t < f {
                                        to.set(value.clone());
                                    }
                                }
                                from.set(value);
                            }/>
                    </div>
                    <div class="field">
                        <label for="absence-to">{locale.text(|t| t.absence_to)}</label>
                        <input id="absence-to" type="date" min=min_to.clone() max=max_to.clone()
                            prop:value=to on:input=move |ev| to.set(event_target_value(&ev))/>
                    </div>
                </div>
                <div class="rsvp__field">
                    <label for="absence-note">{locale.text(|t| t.absence_note)}</label>
                    <textarea id="absence-note" rows="3" maxlength=MAX_NOTE_CHARS.to_string()
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </div>
                <p id="absence-error" class="rsvp__error" role="alert">{move || error.get()}</p>
                <FirstSendPanel open=first_send on_yes=agreed id="absence"/>
                <button type="submit" class="button button--primary rsvp__save">
                    {locale.text(|t| t.absence_send)}
                </button>
            </form>
        </Show>
    }
}

/// The family's reports that are not over yet (withdrawn ones too), newest first, each with where
/// it is on its way to school and "Intrekken".
#[component]
pub fn AbsenceList(
    /// Told what happened, for a live region.
    #[prop(into)]
    announce: Callback<String>,
    /// Whether to say so when there are none.
    #[prop(optional)]
    say_none: bool,
) -> impl IntoView {
    let locale = use_locale();
    let absences = use_record::<Absences>();
    let sync = crate::sync::sync_context();
    let day = today();
    let current = Memo::new(move |_| {
        let mut list: Vec<StoredAbsence> = absences.with(|a| {
            a.0.iter()
                .filter(|s| s.report.last_day >= day)
                .cloned()
                .collect()
        });
        list.sort_by_key(|s| std::cmp::Reverse(s.report.updated_at));
        list
    });
    let withdraw = move |id: String| {
        let t = locale.t();
        let Some(stored) =
            absences.with_untracked(|a| a.0.iter().find(|s| s.report.id == id).cloned())
        else {
            return;
        };
        let mut report = stored.report.clone();
        report.withdrawn = true;
        // Always a newer version than the report it withdraws.
        report.updated_at = now_millis().max(stored.report.updated_at + 1);
        let saved = sync.outbox.queue_absence(&report).is_some_and(|queued| {
            absences
                .update(|a| {
                    if let Some(mine) = a.0.iter_mut().find(|s| s.report.id == id) {
                        mine.report = queued;
                        mine.state = SendState::Saved;
                    }
                })
                .is_ok()
        });
        if saved {
            announce.run(
                t.absence_withdrawn_said
                    .replace("{name}", &report.child.name),
            );
            sync.nudge.run(());
        }
    };

    view! {
        <Show when=move || !current.with(Vec::is_empty)
            fallback=move || say_none.then(|| view! { <p class="muted">{locale.text(|t| t.absence_none)}</p> })>
            <ul class="absence__list">
                <For each=move || current.get()
                    key=|s| (s.report.id.clone(), s.report.updated_at, s.state as u8)
                    let:stored>
                    {
                        let report = stored.report.clone();
                        let id = report.id.clone();
                        let name = report.child.name.clone();
                        let open = !report.withdrawn && report.last_day >= day;
                        let withdrawn = report.withdrawn;
                        let refusal = {
                            let id = id.clone();
                            move || sync.record.with(|r| r.refusal_for_absence(&id).map(str::to_owned))
                        };
                        view! {
                            <li class="absence__item">
                                <p class="absence__line"
                                    class:absence__line--withdrawn=withdrawn>
                                    {move || line(locale.t(), locale.0.get(), &report)}
                                </p>
                                {(!stored.report.note.is_empty()).then(|| view! {
                                    <p class="absence__note">{format!("“{}”", stored.report.note)}</p>
                                })}
                                <p class="absence__state" role="status">
                                    {stored.report.withdrawn.then(|| view! {
                                        <span class="absence__withdrawn">{locale.text(|t| t.absence_withdrawn)}" · "</span>
                                    })}
                                    <span aria-hidden="true">
                                        {if stored.state == SendState::Failed { "⚠ " } else { "✓ " }}
                                    </span>
                                    {move || state_label(locale.t(), stored.state)}
                                    {move || refusal().map(|message| view! {
                                        <span class="rsvp__refusal">
                                            {format!("{}{message}", locale.t().sync_refused_prefix)}
                                        </span>
                                    })}
                                </p>
                                {open.then(|| {
                                    let label = locale.t().absence_withdraw_for.replace("{name}", &name);
                                    let id = id.clone();
                                    view! {
                                        <button type="button" class="button" aria-label=label
                                            on:click=move |_| withdraw(id.clone())>
                                            {locale.text(|t| t.absence_withdraw)}
                                        </button>
                                    }
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}

/// Vandaag's part. Before the school's time for today: a box with a button per child, and the
/// reports that are not over yet. After it, when today can no longer be reported in the app, one
/// line to report tomorrow or later (the form's screen gives the number to call for today), so
/// that the box does not fill the top of Vandaag all day; the open reports stay listed.
#[component]
pub fn TodayAbsences(
    /// Told what happened, for a live region.
    #[prop(into)]
    announce: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let children = use_record::<Children>();
    let content = use_content();
    let late = move || content.with(|c| !accepts_today(&c.school, now_local()));
    // With one child, the form starts with that child chosen.
    let later_href = move || {
        children.with(|c| match c.0.as_slice() {
            [only] => absence_href(&only.id),
            _ => "/afwezig".to_owned(),
        })
    };
    view! {
        <Show when=move || !children.with(|c| c.0.is_empty())>
            <Show when=late
                fallback=move || view! {
                    <section class="absence" aria-labelledby="absence-title">
                        <h2 id="absence-title">{locale.text(|t| t.absence_today_title)}</h2>
                        <div class="actions">
                            <For each=move || children.get().0 key=|c| (c.id.clone(), c.name.clone()) let:child>
                                <A href=absence_href(&child.id) attr:class="button">
                                    {move || locale.t().absence_button_for.replace("{name}", &child.name)}
                                </A>
                            </For>
                        </div>
                        <AbsenceList announce=announce/>
                    </section>
                }>
                <p class="absence-later">
                    <A href=later_href>{locale.text(|t| t.absence_later_link)}</A>
                </p>
                <AbsenceList announce=announce/>
            </Show>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn a_report_after_the_schools_time_tells_the_parent_whom_to_call() {
        let t = Lang::Nl.strings();
        let err = AbsenceError::TooLateForToday {
            until: NaiveTime::from_hms_opt(8, 15, 0).unwrap(),
            phone: "0123-456780".into(),
        };
        assert_eq!(
            error_text(t, &err),
            "Na 08:15 kunt u een kind voor vandaag niet meer melden in de app. \
             Bel de school: 0123-456780"
        );
        let err = AbsenceError::TooLateForToday {
            until: NaiveTime::from_hms_opt(8, 15, 0).unwrap(),
            phone: String::new(),
        };
        assert!(error_text(t, &err).ends_with("Bel de school."));
        assert!(error_text(t, &AbsenceError::TooManyDays).contains("10 schooldagen"));
    }

    #[test]
    fn a_report_reads_as_a_sentence_with_its_days() {
        let t = Lang::Nl.strings();
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut report = AbsencePut {
            id: "afw-1".into(),
            family_id: "gezin-1".into(),
            child: AbsenceChild {
                name: "Noor".into(),
                groep: 5,
            },
            kind: AbsenceKind::Ziek,
            first_day: day,
            last_day: day,
            note: String::new(),
            updated_at: 0,
            withdrawn: false,
        };
        assert_eq!(
            line(t, Lang::Nl, &report),
            "Noor is ziek op maandag 23 november"
        );
        report.kind = AbsenceKind::Afwezig;
        report.last_day = day + Duration::days(2);
        assert_eq!(
            line(t, Lang::Nl, &report),
            "Noor is afwezig van maandag 23 november tot en met woensdag 25 november"
        );
        assert_eq!(first_open_day(true, day), day + Duration::days(1));
        assert_eq!(first_open_day(false, day), day);
    }
}
