//! Maandinfo (`/maandinfo`): the school's monthly bulletins, the current month first and each
//! item under the month of its date, with unread marks, a filter on the groepen of the family's
//! children, calendar files and reading aloud; an "Agenda" of everything dated from today on, by
//! week, with the next day off on top; and one item on its own page (`/maandinfo/:id`), for deep
//! links.

use std::collections::BTreeSet;

use driehoek_core::overview::{agenda, months_shown, next_day_off, MonthItems};
use driehoek_core::{BulletinItem, ItemKind, YearMonth};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::Screen;
use crate::components::kind_icon::{glyph, kind_icon};
use crate::components::language::dutch_label;
use crate::components::text::groepen_list;
use crate::components::upcoming::{day_label, upcoming_href};
use crate::content::use_content;
use crate::records::{Children, ReadItems};
use driehoek_web::browser;
use driehoek_web::clock::{now_local, today};
use driehoek_web::dates;
use driehoek_web::i18n::{shown_in, use_locale, Lang};
use driehoek_web::labels::item_kind_label;
use driehoek_web::state::{use_record, Persisted};

/// The icon of a kind of item.
fn kind_glyph(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::VrijeDag => glyph::SUN,
        ItemKind::Studiedag => glyph::BOOK,
        ItemKind::Vakantie => glyph::SUITCASE,
        ItemKind::Uitstapje => glyph::BUS,
        ItemKind::Nieuws => glyph::NEWS,
        ItemKind::PositiefNieuws => glyph::HEART,
        ItemKind::Oproep => glyph::HAND,
        ItemKind::Viering => glyph::STAR,
        ItemKind::Herinnering => glyph::BELL,
    }
}

/// The file name of an item's calendar file.
fn ics_name(item: &BulletinItem) -> String {
    format!("{}.ics", item.id)
}

/// What is read aloud for an item: title, date and text.
fn spoken(item: &BulletinItem, lang: Lang) -> String {
    let code = lang.code();
    match &item.when {
        Some(when) => format!(
            "{}. {}. {}",
            item.title.get(code),
            dates::when(lang, when),
            item.text.get(code)
        ),
        None => format!("{}. {}", item.title.get(code), item.text.get(code)),
    }
}

/// Marks `ids` as read and saves the marks. A failed save is told to the parent by the storage
/// banner; the marks still change on screen, since a read mark that is lost costs the parent no
/// more than seeing "Nieuw" once more.
fn mark_read(read: Persisted<ReadItems>, ids: impl IntoIterator<Item = String>) {
    let ids: Vec<String> = ids.into_iter().collect();
    if read.with_untracked(|read| ids.iter().all(|id| read.0.contains(id))) {
        return;
    }
    let _ = read.update_shown(|read| read.0.extend(ids));
}

/// Maandinfo (`/maandinfo`): the monthly bulletins.
#[component]
pub fn Bulletins() -> impl IntoView {
    // What is on this screen is seen: its count on the navigation goes.
    crate::components::nav::see_news(driehoek_core::overview::Seen::see_bulletins);
    let locale = use_locale();
    let content = use_content();
    let children = use_record::<Children>();
    let read = use_record::<ReadItems>();
    // Only the items for the family's own children at first: that is what most parents want to
    // see; the rest of the school is one tap away.
    let show_all = RwSignal::new(false);
    // "Per maand" (false) or "Agenda" (true).
    let as_agenda = RwSignal::new(false);
    let day = today();
    let has_children = move || children.with(|c| !c.0.is_empty());
    let months = Memo::new(move |_| {
        let all = show_all.get();
        content.with(|content| {
            children.with(|children| {
                let groepen: Vec<u8> = children.0.iter().map(|c| c.groep).collect();
                months_shown(&content.bulletins, &groepen, all, day)
            })
        })
    });
    // The groepen the agenda is for: none (everything) when the parent asked for all.
    let agenda_groepen = Signal::derive(move || {
        if show_all.get() {
            Vec::new()
        } else {
            children.with(|c| c.0.iter().map(|c| c.groep).collect::<Vec<u8>>())
        }
    });
    // A year of maandinfo is drawn in steps of items: the first frame has the few cards that fill
    // a phone's screen, so that the tap answers at once; the rest follows frame by frame. A few
    // months' worth is drawn at once.
    let drawn = crate::components::growing::use_growing_limit(
        AT_ONCE_ITEMS,
        FIRST_ITEMS,
        STEP_ITEMS,
        move || months.with(|m| m.iter().map(|m| m.items.len()).sum()),
    );
    // The ids on screen, for "Alles gelezen".
    let shown_ids = move || -> Vec<String> {
        months.with(|months| {
            months
                .iter()
                .flat_map(|m| m.items.iter().map(|i| i.id.clone()))
                .collect()
        })
    };
    let unread = move || {
        let ids = shown_ids();
        read.with(|read| ids.iter().filter(|id| !read.0.contains(*id)).count())
    };
    let said = RwSignal::new("");
    let all_read = move |_| {
        mark_read(read, shown_ids());
        said.set(locale.t().bulletins_all_read_done);
    };
    let filter_note = move || {
        let t = locale.t();
        if show_all.get() || !has_children() {
            t.bulletins_filter_all.to_owned()
        } else {
            let groepen: BTreeSet<u8> = children.with(|c| c.0.iter().map(|c| c.groep).collect());
            let groepen: Vec<u8> = groepen.into_iter().collect();
            t.bulletins_filter_mine
                .replace("{groepen}", &groepen_list(&groepen, t.bulletins_and))
        }
    };

    view! {
        <Screen title=|t| t.bulletins_title intro=|t| t.bulletins_intro/>
        <div class="view-switch" role="group" aria-label=move || locale.t().bulletins_view_label>
            <button type="button" class="button view-switch__option"
                aria-pressed=move || (!as_agenda.get()).to_string()
                on:click=move |_| as_agenda.set(false)>
                {locale.text(|t| t.bulletins_by_month)}
            </button>
            <button type="button" class="button view-switch__option"
                aria-pressed=move || as_agenda.get().to_string()
                on:click=move |_| as_agenda.set(true)>
                {locale.text(|t| t.bulletins_agenda)}
            </button>
        </div>
        <div class="bulletins-tools">
            <p class="bulletins-tools__note">{filter_note}</p>
            <div class="bulletins-tools__buttons">
                <Show when=has_children>
                    <button type="button" class="button"
                        on:click=move |_| show_all.update(|all| *all = !*all)>
                        {move || {
                            let t = locale.t();
                            if show_all.get() { t.bulletins_show_mine } else { t.bulletins_show_all }
                        }}
                    </button>
                </Show>
                <button type="button" class="button" disabled=move || unread() == 0
                    on:click=all_read>
                    {locale.text(|t| t.bulletins_all_read)}
                </button>
            </div>
        </div>
        <p class="visually-hidden" role="status">{move || said.get()}</p>
        <Show when=move || as_agenda.get() fallback=move || view! {
            <Show when=move || months.with(|m| m.is_empty())>
                <p class="muted">{locale.text(|t| t.bulletins_empty)}</p>
            </Show>
            // Keyed by month; each month takes its items from `months` itself, so that the
            // filter changes the items of a month that stays on screen.
            <For each=move || months.with(|m| months_drawn(m, drawn.get()))
                key=|month| *month let:month>
                <MonthSection month=month months=months drawn=drawn said=said/>
            </For>
        }>
            <Agenda groepen=agenda_groepen day=day/>
        </Show>
    }
}

/// The agenda: the next day off, then every dated item and activity from today on, by week.
#[component]
fn Agenda(
    /// The groepen it is for; empty for the whole school.
    groepen: Signal<Vec<u8>>,
    /// Today.
    day: chrono::NaiveDate,
) -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let weeks = Memo::new(move |_| {
        let groepen = groepen.get();
        content.with(|c| agenda(c, &groepen, day, locale.0.get().code()))
    });
    let day_off = Memo::new(move |_| {
        let groepen = groepen.get();
        content.with(|c| {
            next_day_off(c, &groepen, day)
                .map(|(date, item)| (date, item.id.clone(), item.title.clone()))
        })
    });
    let this_monday = driehoek_core::overview::monday_of(day);
    let week_name = move |monday: chrono::NaiveDate| {
        let lang = locale.0.get();
        let t = lang.strings();
        if monday == this_monday {
            t.today_this_week.to_owned()
        } else if monday == this_monday + chrono::Duration::days(7) {
            t.today_next_week.to_owned()
        } else {
            t.bulletins_week_of
                .replace("{date}", &dates::day_month(lang, monday))
        }
    };
    view! {
        {move || day_off.get().map(|(date, id, title)| {
            let lang = locale.0.get();
            view! {
                <p class="card agenda__day-off">
                    <span class="agenda__day-off-label">{lang.strings().bulletins_next_day_off}</span>
                    " "
                    <A href=format!("/maandinfo/{id}")>
                        {day_label(lang, day, date)} ": " {title.get(lang.code()).to_owned()}
                    </A>
                </p>
            }
        })}
        <Show when=move || weeks.with(Vec::is_empty)>
            <p class="muted">{locale.text(|t| t.bulletins_agenda_empty)}</p>
        </Show>
        <For each=move || weeks.get() key=|w| (w.monday, w.days.len()) let:week>
            <section class="agenda-week" aria-label=week_name(week.monday)>
                <h2 class="agenda-week__title">{week_name(week.monday)}</h2>
                <ul class="week__list">
                    {week.days.into_iter().map(|line| view! {
                        <li>
                            <A href=upcoming_href(&line.what)>
                                <span class="week__day">{day_label(locale.0.get(), day, line.date)}</span>
                                <span class="week__title">{line.title.clone()}</span>
                            </A>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </For>
    }
}

/// Up to this many bulletin items, Maandinfo draws them all in its first frame.
const AT_ONCE_ITEMS: usize = 40;
/// How many items the first frame of a longer Maandinfo draws: what a phone's screen shows.
const FIRST_ITEMS: usize = 3;
/// How many more items each later frame draws.
const STEP_ITEMS: usize = 10;

/// The months of which at least one item is among the first `drawn`.
fn months_drawn(months: &[MonthItems], drawn: usize) -> Vec<YearMonth> {
    let mut before = 0;
    months
        .iter()
        .take_while(|m| {
            let some = before < drawn;
            before += m.items.len();
            some
        })
        .map(|m| m.month)
        .collect()
}

/// The items of `month` among the first `drawn` items of all months.
fn items_drawn(months: &[MonthItems], month: YearMonth, drawn: usize) -> Vec<BulletinItem> {
    let mut before = 0;
    for m in months {
        if m.month == month {
            let room = drawn.saturating_sub(before);
            return m.items.iter().take(room).cloned().collect();
        }
        before += m.items.len();
    }
    Vec::new()
}

/// One month: its name and its items.
#[component]
fn MonthSection(
    /// The month.
    month: YearMonth,
    /// Every month shown, with its items.
    months: Memo<Vec<MonthItems>>,
    /// How many items of all months are drawn so far.
    drawn: Memo<usize>,
    /// The live region's text, to tell a screen reader what an action did.
    said: RwSignal<&'static str>,
) -> impl IntoView {
    // The language is read once: it changes only on Instellingen, and this screen is drawn anew
    // when the parent comes back.
    let lang = use_locale().0.get_untracked();
    let heading_id = format!("maand-{month}");
    let name = dates::month_year(lang, month.year, month.month);
    let items = move || months.with(|all| items_drawn(all, month, drawn.get()));
    let labelled = heading_id.clone();
    view! {
        <section class="bulletin-month" aria-labelledby=labelled>
            <h2 id=heading_id>{name}</h2>
            <ul class="bulletin-list" role="list">
                <For each=items key=|item| item.id.clone() let:item>
                    <li><ItemCard item=item said=said heading=3/></li>
                </For>
            </ul>
        </section>
    }
}

/// One bulletin item: kind, date, text, unread mark and what a parent can do with it.
#[component]
fn ItemCard(
    /// The item.
    item: BulletinItem,
    /// The live region's text, to tell a screen reader what an action did.
    said: RwSignal<&'static str>,
    /// The level of the item's heading: 3 in the list, 1 on its own page.
    heading: u8,
) -> impl IntoView {
    // A list of a year of items draws many cards: each reads the language once (it changes only
    // on Instellingen, and this screen is drawn anew after it) and keeps one reactive value of
    // its own, whether it is read.
    let lang = use_locale().0.get_untracked();
    let t = lang.strings();
    let read = use_record::<ReadItems>();
    let content = use_content();
    let id = item.id.clone();
    let heading_id = format!("bericht-{id}");
    let is_unread = {
        let id = id.clone();
        Memo::new(move |_| read.with(|read| !read.0.contains(&id)))
    };
    let title = item.title.get(lang.code()).to_owned();
    // Where the school wrote no translation, the Dutch is shown, marked, and read in Dutch.
    let title_lang = shown_in(&item.title, lang).code();
    let text_lang = shown_in(&item.text, lang);
    let href = format!("/maandinfo/{id}");
    let title_view = if heading == 1 {
        view! { <h1 id=heading_id.clone() class="bulletin-item__title" lang=title_lang>{title}</h1> }
            .into_any()
    } else {
        view! {
            <h3 id=heading_id.clone() class="bulletin-item__title" lang=title_lang>
                <A href=href>{title}</A>
            </h3>
        }
        .into_any()
    };
    let kind = item.kind;
    let when = item.when.as_ref().map(|when| dates::when(lang, when));
    let groepen = (!item.groepen.is_empty()).then(|| {
        t.bulletins_for_groepen
            .replace("{groepen}", &groepen_list(&item.groepen, t.bulletins_and))
    });
    let text = item.text.get(lang.code()).to_owned();
    let dated = item.when.is_some();
    let item = StoredValue::new(item);
    // "Zet in agenda" says on the card itself what happened: the status line above the list
    // may be far out of view.
    let calendar_said = RwSignal::new("");
    let to_calendar = move |_| {
        let stamp = driehoek_core::tz::local_to_utc(now_local());
        let file = content.with_untracked(|c| {
            item.with_value(|i| driehoek_core::item_ics(&c.school, i, lang.code(), stamp))
        });
        let done = file.is_some_and(|file| {
            browser::download(&item.with_value(ics_name), "text/calendar", &file)
        });
        let message = if done {
            t.bulletins_calendar_done
        } else {
            t.bulletins_calendar_failed
        };
        calendar_said.set(message);
        said.set(message);
    };
    let can_speak = browser::can_speak(text_lang);
    let read_aloud = move |_| {
        browser::speak(&item.with_value(|i| spoken(i, text_lang)), text_lang);
    };
    let mark = {
        let id = id.clone();
        move |_| {
            mark_read(read, [id.clone()]);
            said.set(t.bulletins_read_done);
        }
    };
    let (labelled, id_mark, id_cal, id_speak) = (
        heading_id.clone(),
        heading_id.clone(),
        heading_id.clone(),
        heading_id.clone(),
    );

    view! {
        <article class="bulletin-item" class:bulletin-item--unread=is_unread
            aria-labelledby=labelled>
            <p class="bulletin-item__meta">
                <span class="kind-badge">
                    {kind_icon(kind_glyph(kind))}
                    <span>{item_kind_label(t, kind)}</span>
                </span>
                <Show when=move || is_unread.get()>
                    <span class="new-badge">{t.bulletins_new}</span>
                </Show>
                {dutch_label(text_lang, lang)}
            </p>
            {title_view}
            {when.map(|when| view! { <p class="bulletin-item__when">{when}</p> })}
            {groepen.map(|g| view! { <p class="bulletin-item__groepen">{g}</p> })}
            <p class="bulletin-item__text" lang=text_lang.code()>{text}</p>
            <div class="bulletin-item__actions">
                <Show when=move || is_unread.get()>
                    <button type="button" class="button" aria-describedby=id_mark.clone()
                        on:click=mark.clone()>
                        {t.bulletins_mark_read}
                    </button>
                </Show>
                {dated.then(|| view! {
                    <button type="button" class="button" aria-describedby=id_cal
                        on:click=to_calendar>
                        {t.bulletins_calendar}
                    </button>
                })}
                {can_speak.then(|| view! {
                    <button type="button" class="button" aria-describedby=id_speak
                        on:click=read_aloud>
                        {t.bulletins_read_aloud}
                    </button>
                })}
            </div>
            <Show when=move || !calendar_said.get().is_empty()>
                <p class="bulletin-item__said">{move || calendar_said.get()}</p>
            </Show>
        </article>
    }
}

/// One bulletin item (`/maandinfo/:id`), for deep links.
#[component]
pub fn BulletinItemPage() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let read = use_record::<ReadItems>();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let item = Memo::new(move |_| {
        let id = id();
        content.with(|c| {
            c.bulletins
                .iter()
                .flat_map(|b| b.items.iter())
                .find(|i| i.id == id)
                .cloned()
        })
    });
    // Opening an item is reading it: the read mark goes to storage, the outside world, as soon
    // as the item is on screen (also when the parent arrives through a shared link).
    Effect::new(move |_| {
        if let Some(id) = item.with(|i| i.as_ref().map(|i| i.id.clone())) {
            mark_read(read, [id]);
        }
    });
    let said = RwSignal::new("");

    view! {
        <p class="back-link">
            <A href="/maandinfo">
                <span aria-hidden="true">"← "</span>
                {locale.text(|t| t.bulletins_back)}
            </A>
        </p>
        {move || match item.get() {
            Some(item) => view! { <ItemCard item=item said=said heading=1/> }.into_any(),
            None => view! {
                <h1>{locale.text(|t| t.bulletins_not_found_title)}</h1>
                <p>{locale.text(|t| t.bulletins_not_found)}</p>
            }
            .into_any(),
        }}
        <p class="visually-hidden" role="status">{move || said.get()}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: u32, items: usize) -> MonthItems {
        MonthItems {
            month: YearMonth {
                year: 2026,
                month: m,
            },
            items: (0..items)
                .map(|i| BulletinItem {
                    id: format!("m{m}-{i}"),
                    kind: ItemKind::Nieuws,
                    title: driehoek_core::Text::nl("titel"),
                    text: driehoek_core::Text::nl("tekst"),
                    when: None,
                    groepen: Vec::new(),
                })
                .collect(),
        }
    }

    fn ids(items: &[BulletinItem]) -> Vec<&str> {
        items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn the_first_frame_draws_only_the_first_items_of_the_first_month() {
        let months = [month(11, 15), month(12, 15), month(1, 4)];
        assert_eq!(months_drawn(&months, 3), vec![months[0].month]);
        assert_eq!(
            ids(&items_drawn(&months, months[0].month, 3)),
            ["m11-0", "m11-1", "m11-2"]
        );
        assert!(items_drawn(&months, months[1].month, 3).is_empty());
    }

    #[test]
    fn a_step_that_crosses_a_month_fills_the_first_and_starts_the_next() {
        let months = [month(11, 15), month(12, 15), month(1, 4)];
        assert_eq!(
            months_drawn(&months, 17),
            vec![months[0].month, months[1].month]
        );
        assert_eq!(items_drawn(&months, months[0].month, 17).len(), 15);
        assert_eq!(
            ids(&items_drawn(&months, months[1].month, 17)),
            ["m12-0", "m12-1"]
        );
        // Exactly at a month's end the next month is not begun (no empty heading).
        assert_eq!(months_drawn(&months, 15), vec![months[0].month]);
    }

    #[test]
    fn everything_is_drawn_once_the_limit_passes_the_total() {
        let months = [month(11, 15), month(12, 0), month(1, 4)];
        assert_eq!(months_drawn(&months, usize::MAX).len(), 3);
        assert_eq!(items_drawn(&months, months[2].month, usize::MAX).len(), 4);
    }
}
