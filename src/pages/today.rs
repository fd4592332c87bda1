//! Vandaag (`/`): what is on this week, and today's conversation prompt per child. The first time,
//! a short welcome instead.

use chrono::{Duration, NaiveDate};
use driehoek_core::overview::{this_week, Upcoming};
use driehoek_core::prompts::daily_prompt;
use driehoek_core::{concerns, is_day_off};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::absence::TodayAbsences;
use crate::components::agreement_banner::NewAgreementBanner;
use crate::components::children::{AddChild, SchoolAddress};
use crate::content::use_content;
use crate::records::{Child, Discussed, DiscussedPrompt};
use crate::records::{Children, Settings};
use driehoek_web::browser::{can_speak, speak};
use driehoek_web::clock::today;
use driehoek_web::dates;
use driehoek_web::i18n::use_locale;
use driehoek_web::state::use_record;

/// The screen a line of the week leads to.
fn href(what: &Upcoming) -> String {
    match what {
        Upcoming::Activity(id) => format!("/activiteiten/{id}"),
        Upcoming::Item(id) => format!("/maandinfo/{id}"),
    }
}

/// The ids of the prompts a child discussed before `today`: those go to the back of the order,
/// while one discussed today stays on the card as discussed.
fn discussed_before(discussed: &Discussed, child: &str, today: NaiveDate) -> Vec<String> {
    discussed
        .0
        .iter()
        .filter(|d| d.child_id == child && d.date < today)
        .map(|d| d.prompt_id.clone())
        .collect()
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
    let day_label = move |date: NaiveDate| {
        let t = locale.t();
        if date == day {
            t.today_label.to_owned()
        } else if date == day + Duration::days(1) {
            t.tomorrow_label.to_owned()
        } else {
            dates::weekday_date(locale.0.get(), date)
        }
    };

    view! {
        <h1>{move || locale.t().today_title}</h1>
        <p class="visually-hidden" role="status" aria-live="polite">{said}</p>
        <NewAgreementBanner link=true/>
        <TodayAbsences announce=Callback::new(move |s| set_said.set(s))/>
        <section class="week" aria-labelledby="week-title">
            <h2 id="week-title">{move || locale.t().today_whats_on}</h2>
            <Show when=move || !week.with(Vec::is_empty)
                fallback=move || view! { <p class="muted">{move || locale.t().today_nothing_on}</p> }>
                <ul class="week__list">
                    <For each=move || week.get() key=|u| href(&u.what) let:item>
                        <li>
                            <A href=href(&item.what)>
                                <span class="week__day">{day_label(item.date)}</span>
                                <span class="week__title">{item.title.clone()}</span>
                            </A>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
        <Show when=move || !children.with(|c| c.0.is_empty())
            fallback=move || view! {
                <p class="card">
                    <A href="/instellingen">{move || locale.t().today_no_children}</A>
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
        let before = discussed.with(|d| discussed_before(d, &child_id.get_value(), day));
        content.with(|content| {
            daily_prompt(
                content,
                groep,
                day,
                &child_id.get_value(),
                &before,
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
                .filter(|x| x.child_id == id && x.date < day)
                .map(|x| (x.date, x.prompt_id.clone()))
                .collect()
        });
        done.sort_by(|a, b| b.cmp(a));
        content.with(|content| {
            let text = |pid: &str| {
                content
                    .prompts
                    .iter()
                    .chain(content.themes.iter().flat_map(|t| &t.prompts))
                    .find(|p| p.id == pid)
                    .map(|p| p.text.clone())
            };
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
            <p class="prompt__text" lang=move || lang().code()>
                {move || prompt_text().unwrap_or_else(|| locale.t().prompt_none.to_owned())}
            </p>
            <div class="prompt__actions">
                <Show when=move || !discussed_today()
                    fallback=move || view! {
                        <span class="prompt__done">{move || locale.t().prompt_discussed_done}</span>
                        <button class="button" on:click=undo>{move || locale.t().prompt_undo}</button>
                    }>
                    <button class="button button--primary" on:click=mark.clone()>
                        {move || locale.t().prompt_discussed}
                    </button>
                </Show>
                <button class="button" on:click=move |_| set_skip.update(|s| *s += 1)>
                    {move || locale.t().prompt_other}
                </button>
                <Show when=move || can_speak(lang())>
                    <button class="button" on:click=move |_| {
                        if let Some(text) = prompt_text() {
                            speak(&text, lang());
                        }
                    }>{move || locale.t().prompt_read_aloud}</button>
                </Show>
            </div>
            <details class="prompt__history">
                <summary>{move || locale.t().prompt_history}</summary>
                <Show when=move || !history.with(Vec::is_empty)
                    fallback=move || view! { <p class="muted">{move || locale.t().prompt_history_empty}</p> }>
                    <ul>
                        <For each=move || history.get() key=|(date, id, _)| (*date, id.clone())
                            let:entry>
                            <li>
                                <span class="muted">{dates::weekday_date(lang(), entry.0)}</span>
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
    let (step, set_step) = signal(0u8);
    let (said, set_said) = signal(String::new());
    // Opened with the school's link: the school is chosen and filled in already.
    let joined = settings.with_untracked(|s| s.sync_url.clone());
    let (sync, set_sync) = signal(joined.is_some());
    let (url, set_url) = signal(joined.unwrap_or_default());
    let (url_error, set_url_error) = signal(false);

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
        // A failed save is told by the storage banner; the welcome then stays.
        let _ = settings.update(|s| {
            if link.is_some() {
                s.sync_url = link;
            }
            s.welcomed = true;
        });
    };

    view! {
        <h1>{move || locale.t().welcome_title}</h1>
        <p class="visually-hidden" role="status" aria-live="polite">{said}</p>
        <Show when=move || step.get() == 0>
            <p>{move || locale.t().welcome_text}</p>
            <p class="card">{move || locale.t().welcome_privacy}</p>
            <button class="button button--primary" on:click=move |_| set_step.set(1)>
                {move || locale.t().welcome_start}
            </button>
        </Show>
        <Show when=move || step.get() == 1>
            <h2>{move || locale.t().welcome_children_title}</h2>
            <p>{move || locale.t().welcome_children_text}</p>
            <ul class="child-list">
                <For each=move || children.get().0 key=|c| c.id.clone() let:child>
                    <li>
                        {child.name.clone()} ", "
                        {move || locale.t().groep_n.replace("{n}", &child.groep.to_string())}
                    </li>
                </For>
            </ul>
            <AddChild announce=Callback::new(move |s| set_said.set(s))/>
            <div class="actions">
                <button class="button button--primary" on:click=move |_| set_step.set(2)>
                    {move || {
                        if children.with(|c| c.0.is_empty()) {
                            locale.t().welcome_skip
                        } else {
                            locale.t().welcome_next
                        }
                    }}
                </button>
            </div>
        </Show>
        <Show when=move || step.get() == 2>
            <form on:submit=finish>
                <fieldset class="choice">
                    <legend>{move || locale.t().welcome_school_title}</legend>
                    <label class="choice__option">
                        <input type="radio" name="school" checked=move || !sync.get()
                            on:change=move |_| set_sync.set(false)/>
                        {move || locale.t().welcome_school_demo}
                    </label>
                    <label class="choice__option">
                        <input type="radio" name="school" checked=move || sync.get()
                            on:change=move |_| set_sync.set(true)/>
                        {move || locale.t().welcome_school_sync}
                    </label>
                </fieldset>
                <Show when=move || sync.get()>
                    <SchoolAddress id="school-url" url=url set_url=set_url error=url_error
                        set_error=set_url_error/>
                </Show>
                <button type="submit" class="button button--primary">
                    {move || locale.t().welcome_done}
                </button>
            </form>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_of_the_week_leads_to_its_own_screen() {
        assert_eq!(
            href(&Upcoming::Activity("a-04".into())),
            "/activiteiten/a-04"
        );
        assert_eq!(href(&Upcoming::Item("mi-1".into())), "/maandinfo/mi-1");
    }
}
