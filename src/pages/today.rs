//! Vandaag (`/`): what is on this week, and today's conversation prompt per child. The first time,
//! a short welcome instead.

use chrono::NaiveDate;
use driehoek_core::overview::this_week;
use driehoek_core::prompts::{find_prompt, prompt_on_card};
use driehoek_core::{concerns, is_day_off};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::absence::TodayAbsences;
use crate::components::agreement_banner::NewAgreementBanner;
use crate::components::children::{add_typed_child, AddChild, SchoolAddress};
use crate::components::language::{dutch_label, LanguageChoice};
use crate::components::upcoming::{day_label, upcoming_href};
use crate::content::use_content;
use crate::records::{Child, Discussed, DiscussedPrompt};
use crate::records::{Children, ContentCache, Settings};
use driehoek_web::browser::{can_speak, speak};
use driehoek_web::clock::today;
use driehoek_web::dates;
use driehoek_web::i18n::use_locale;
use driehoek_web::state::use_record;

/// The ids of the prompts a child discussed before `today` (those go to the back of the order),
/// and those discussed today, oldest first (the last one stays on the card all day).
fn discussed_split(
    discussed: &Discussed,
    child: &str,
    today: NaiveDate,
) -> (Vec<String>, Vec<String>) {
    let mine = discussed.0.iter().filter(|d| d.child_id == child);
    (
        mine.clone()
            .filter(|d| d.date < today)
            .map(|d| d.prompt_id.clone())
            .collect(),
        mine.filter(|d| d.date == today)
            .map(|d| d.prompt_id.clone())
            .collect(),
    )
}

/// Vandaag (`/`).
#[component]
pub fn Today() -> impl IntoView {
    let settings = use_record::<Settings>();
    let welcomed = move || settings.with(|s| s.welcomed);
    view! {
        <Show when=welcomed fallback=|| view! { <Welcome/> }>
            <TodayScreen/>
        </Show>
    }
}

/// The screen itself, once the parent has been welcomed.
#[component]
fn TodayScreen() -> impl IntoView {
    let locale = use_locale();
    let children = use_record::<Children>();
    let content = use_content();
    let day = today();
    let (said, set_said) = signal(String::new());

    let week = Memo::new(move |_| {
        let groepen: Vec<u8> = children.with(|c| c.0.iter().map(|c| c.groep).collect());
        content.with(|content| this_week(content, &groepen, day, locale.0.get().code()))
    });
    let day_label = move |date: NaiveDate| day_label(locale.0.get(), day, date);

    view! {
        <h1>{locale.text(|t| t.today_title)}</h1>
        <p class="visually-hidden" role="status" aria-live="polite">{said}</p>
        <NewAgreementBanner link=true/>
        <TodayAbsences announce=Callback::new(move |s| set_said.set(s))/>
        <crate::pages::talks::UpcomingTalks/>
        <section class="week" aria-labelledby="week-title">
            <h2 id="week-title">{locale.text(|t| t.today_whats_on)}</h2>
            <Show when=move || !week.with(Vec::is_empty)
                fallback=move || view! { <p class="muted">{locale.text(|t| t.today_nothing_on)}</p> }>
                // This calendar week, then the next: on a Friday, Monday is "volgende week".
                {move || {
                    [false, true]
                        .into_iter()
                        .filter(|next| week.with(|w| w.iter().any(|u| u.next_week == *next)))
                        .map(|next| {
                            let t = locale.t();
                            let label = if next { t.today_next_week } else { t.today_this_week };
                            let lines = week.with(|w| {
                                w.iter().filter(|u| u.next_week == next).cloned().collect::<Vec<_>>()
                            });
                            view! {
                                <h3 class="week__part">{label}</h3>
                                <ul class="week__list">
                                    {lines
                                        .into_iter()
                                        .map(|item| view! {
                                            <li>
                                                <A href=upcoming_href(&item.what)>
                                                    <span class="week__day">{day_label(item.date)}</span>
                                                    <span class="week__title" dir="auto">{item.title.clone()}</span>
                                                </A>
                                            </li>
                                        })
                                        .collect_view()}
                                </ul>
                            }
                        })
                        .collect_view()
                }}
            </Show>
        </section>
        <Show when=move || !children.with(|c| c.0.is_empty())
            fallback=move || view! {
                <p class="card">
                    <A href="/instellingen">{locale.text(|t| t.today_no_children)}</A>
                </p>
            }>
            <For each=move || children.get().0 key=|c| (c.id.clone(), c.groep, c.name.clone())
                let:child>
                <PromptCard child=child day=day announce=Callback::new(move |s| set_said.set(s))/>
            </For>
        </Show>
    }
}

/// One child's prompt for today, with "Andere vraag", "Besproken" (and undo), "Voorlezen" and the
/// history of what was discussed before.
#[component]
fn PromptCard(
    /// The child.
    child: Child,
    /// Today.
    day: NaiveDate,
    /// Tells the live region what happened.
    announce: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let discussed = use_record::<Discussed>();
    let content = use_content();
    // "Andere vraag" steps through the day's order; a new day starts at the top again.
    let (skip, set_skip) = signal(0usize);
    let child_id = StoredValue::new(child.id.clone());
    let groep = child.groep;

    let prompt = Memo::new(move |_| {
        let (before, today) = discussed.with(|d| discussed_split(d, &child_id.get_value(), day));
        content.with(|content| {
            prompt_on_card(
                content,
                groep,
                day,
                &child_id.get_value(),
                &before,
                &today,
                skip.get(),
            )
            .map(|p| (p.id.clone(), p.text.clone()))
        })
    });
    let theme = Memo::new(move |_| {
        content.with(|content| {
            content
                .themes
                .iter()
                .find(|t| concerns(&t.groepen, groep) && t.from <= day && day <= t.to)
                .map(|t| t.title.clone())
        })
    });
    let day_off = Memo::new(move |_| content.with(|content| is_day_off(content, groep, day)));
    let discussed_today = move || {
        prompt.with(|p| {
            p.as_ref().is_some_and(|(id, _)| {
                discussed.with(|d| {
                    d.0.iter().any(|x| {
                        x.child_id == child_id.get_value() && &x.prompt_id == id && x.date == day
                    })
                })
            })
        })
    };
    let lang = move || locale.0.get();
    let prompt_text =
        move || prompt.with(|p| p.as_ref().map(|(_, t)| t.get(lang().code()).to_owned()));
    // The language the question is shown in: Dutch where the school gave no translation.
    let prompt_lang = move || {
        prompt.with(|p| {
            p.as_ref()
                .map_or(lang(), |(_, t)| driehoek_web::i18n::shown_in(t, lang()))
        })
    };

    let save_discussed =
        move |change: &dyn Fn(&mut Discussed)| discussed.update(|d| change(d)).is_ok();
    let name = child.name.clone();
    let mark = {
        let name = name.clone();
        move |_| {
            let Some((prompt_id, _)) = prompt.get_untracked() else {
                return;
            };
            let entry = DiscussedPrompt {
                child_id: child_id.get_value(),
                prompt_id,
                date: day,
            };
            if save_discussed(&|d: &mut Discussed| d.0.push(entry.clone())) {
                announce.run(locale.t().prompt_discussed_said.replace("{name}", &name));
            }
        }
    };
    let undo = move |_| {
        let Some((prompt_id, _)) = prompt.get_untracked() else {
            return;
        };
        let id = child_id.get_value();
        save_discussed(&|d: &mut Discussed| {
            d.0.retain(|x| !(x.child_id == id && x.prompt_id == prompt_id && x.date == day))
        });
    };
    let history = Memo::new(move |_| {
        let id = child_id.get_value();
        let mut done: Vec<(NaiveDate, String)> = discussed.with(|d| {
            d.0.iter()
                .filter(|x| x.child_id == id && x.date <= day)
                .map(|x| (x.date, x.prompt_id.clone()))
                .collect()
        });
        done.sort_by(|a, b| b.cmp(a));
        content.with(|content| {
            let text = |pid: &str| find_prompt(content, pid).map(|p| p.text.clone());
            done.into_iter()
                .filter_map(|(date, pid)| Some((date, pid.clone(), text(&pid)?)))
                .collect::<Vec<_>>()
        })
    });
    let heading_id = format!("prompt-{}", child.id);
    let labelled_by = heading_id.clone();
    let title = {
        let name = name.clone();
        move || locale.t().prompt_for.replace("{name}", &name)
    };

    view! {
        <article class="card prompt" aria-labelledby=labelled_by>
            <h2 id=heading_id class="prompt__child">
                {title}
                <span class="prompt__groep">
                    {move || locale.t().groep_n.replace("{n}", &groep.to_string())}
                </span>
            </h2>
            <p class="prompt__context">
                {move || {
                    if day_off.get() {
                        Some(locale.t().prompt_weekend.to_owned())
                    } else {
                        theme.get().map(|t| locale.t().prompt_theme.replace("{theme}", t.get(lang().code())))
                    }
                }}
            </p>
            <p class="prompt__text" lang=move || prompt_lang().code()>
                {move || prompt_text().unwrap_or_else(|| locale.t().prompt_none.to_owned())}
                " "
                {move || dutch_label(prompt_lang(), lang())}
            </p>
            <div class="prompt__actions">
                <Show when=move || !discussed_today()
                    fallback=move || view! {
                        <span class="prompt__done">{locale.text(|t| t.prompt_discussed_done)}</span>
                        <button class="button" on:click=undo>{locale.text(|t| t.prompt_undo)}</button>
                    }>
                    <button class="button button--primary" on:click=mark.clone()>
                        {locale.text(|t| t.prompt_discussed)}
                    </button>
                </Show>
                <button class="button" on:click=move |_| set_skip.update(|s| *s += 1)>
                    {locale.text(|t| t.prompt_other)}
                </button>
                <Show when=move || can_speak(prompt_lang())>
                    <button class="button" on:click=move |_| {
                        if let Some(text) = prompt_text() {
                            speak(&text, prompt_lang());
                        }
                    }>{locale.text(|t| t.prompt_read_aloud)}</button>
                </Show>
            </div>
            <details class="prompt__history">
                <summary>{locale.text(|t| t.prompt_history)}</summary>
                <Show when=move || !history.with(Vec::is_empty)
                    fallback=move || view! { <p class="muted">{locale.text(|t| t.prompt_history_empty)}</p> }>
                    <ul>
                        <For each=move || history.get() key=|(date, id, _)| (*date, id.clone())
                            let:entry>
                            <li>
                                <span class="muted">
                                    {if entry.0 == day {
                                        locale.t().today_label.to_owned()
                                    } else {
                                        dates::weekday_date(lang(), entry.0)
                                    }}
                                </span>
                                " "
                                {entry.2.get(lang().code()).to_owned()}
                            </li>
                        </For>
                    </ul>
                </Show>
            </details>
        </article>
    }
}

/// The first run: what Driehoek is, the children, and the school.
#[component]
fn Welcome() -> impl IntoView {
    let locale = use_locale();
    let settings = use_record::<Settings>();
    let children = use_record::<Children>();
    let cache = use_record::<ContentCache>();
    let (step, set_step) = signal(0u8);
    let (said, set_said) = signal(String::new());
    // Opened with the school's link: the school is connected already, so the school step is
    // left out.
    let joined = settings.with_untracked(|s| s.sync_url.clone());
    let by_link = joined.is_some();
    let (sync, set_sync) = signal(by_link);
    let (url, set_url) = signal(joined.unwrap_or_default());
    let (url_error, set_url_error) = signal(false);
    // The child being typed: "Verder" adds it, so that a typed name is never dropped.
    let typed_name = RwSignal::new(String::new());
    let typed_groep = RwSignal::new(1u8);
    // The school's name, once its content arrived (the sync starts when the link is opened).
    let school_name = move || cache.with(|c| c.0.as_ref().map(|c| c.school.name.clone()));
    let connected = move || {
        let t = locale.t();
        match school_name() {
            Some(name) => t.welcome_connected.replace("{school}", &name),
            None => t.welcome_connected_pending.to_owned(),
        }
    };

    // A failed save is told by the storage banner; the welcome then stays.
    let welcomed = move |link: Option<String>| {
        let _ = settings.update(|s| {
            if link.is_some() {
                s.sync_url = link;
            }
            s.welcomed = true;
        });
    };
    let next = move |_| {
        if !typed_name.with_untracked(|n| n.trim().is_empty()) {
            let Some(added) = add_typed_child(children, typed_name, typed_groep) else {
                return;
            };
            set_said.set(locale.t().child_added.replace("{name}", &added));
        }
        if by_link {
            welcomed(None);
        } else {
            set_step.set(2);
        }
    };
    let finish = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let link = if sync.get_untracked() {
            let Some(link) = driehoek_web::link::JoinLink::parse(&url.get_untracked()) else {
                set_url_error.set(true);
                return;
            };
            Some(link.to_link())
        } else {
            None
        };
        welcomed(link);
    };

    view! {
        <h1>{locale.text(|t| t.welcome_title)}</h1>
        <p class="visually-hidden" role="status" aria-live="polite">{said}</p>
        <Show when=move || by_link>
            <p class="card welcome__connected" role="status">{connected}</p>
        </Show>
        <Show when=move || step.get() == 0>
            <p>{locale.text(|t| t.welcome_text)}</p>
            <LanguageChoice/>
            <p class="card">{locale.text(|t| t.welcome_privacy)}</p>
            <button class="button button--primary" on:click=move |_| set_step.set(1)>
                {locale.text(|t| t.welcome_start)}
            </button>
        </Show>
        <Show when=move || step.get() == 1>
            <h2>{locale.text(|t| t.welcome_children_title)}</h2>
            <p>{locale.text(|t| t.welcome_children_text)}</p>
            <ul class="child-list">
                <For each=move || children.get().0 key=|c| c.id.clone() let:child>
                    <li>
                        {child.name.clone()} ", "
                        {move || locale.t().groep_n.replace("{n}", &child.groep.to_string())}
                    </li>
                </For>
            </ul>
            <AddChild announce=Callback::new(move |s| set_said.set(s)) name=typed_name
                groep=typed_groep/>
            <div class="actions">
                <button class="button button--primary" on:click=next>
                    {locale.text(|t| t.welcome_next)}
                </button>
            </div>
        </Show>
        <Show when=move || step.get() == 2>
            <form on:submit=finish>
                <fieldset class="choice">
                    <legend>{locale.text(|t| t.welcome_school_title)}</legend>
                    <label class="choice__option">
                        <input type="radio" name="school" checked=move || !sync.get()
                            on:change=move |_| set_sync.set(false)/>
                        {locale.text(|t| t.welcome_school_demo)}
                    </label>
                    <label class="choice__option">
                        <input type="radio" name="school" checked=move || sync.get()
                            on:change=move |_| set_sync.set(true)/>
                        {locale.text(|t| t.welcome_school_sync)}
                    </label>
                </fieldset>
                <Show when=move || sync.get()>
                    <SchoolAddress id="school-url" url=url set_url=set_url error=url_error
                        set_error=set_url_error/>
                </Show>
                <button type="submit" class="button button--primary">
                    {locale.text(|t| t.welcome_done)}
                </button>
            </form>
        </Show>
    }
}
