//! Maandinfo (`/maandinfo`): the school's monthly bulletins, newest month first, with unread
//! marks, a filter on the groepen of the family's children, calendar files and reading aloud;
//! and one item on its own page (`/maandinfo/:id`), for deep links.

use std::collections::BTreeSet;

use driehoek_core::{concerns, Bulletin, BulletinItem, ItemKind, YearMonth};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::Screen;
use crate::browser;
use crate::content::{now_local, use_content};
use crate::dates;
use crate::i18n::{use_locale, Lang, Strings};
use crate::records::{Child, ReadItems};
use crate::state::{use_storage, AppData, AppStorage};

/// The text label of a kind of item; the icon beside it is decoration, this is what it means.
pub fn kind_label(t: &Strings, kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::VrijeDag => t.bulletins_kind_vrije_dag,
        ItemKind::Studiedag => t.bulletins_kind_studiedag,
        ItemKind::Vakantie => t.bulletins_kind_vakantie,
        ItemKind::Uitstapje => t.bulletins_kind_uitstapje,
        ItemKind::Nieuws => t.bulletins_kind_nieuws,
        ItemKind::PositiefNieuws => t.bulletins_kind_positief_nieuws,
        ItemKind::Oproep => t.bulletins_kind_oproep,
        ItemKind::Viering => t.bulletins_kind_viering,
        ItemKind::Herinnering => t.bulletins_kind_herinnering,
    }
}

/// SVG path data for the icons of item kinds and activity kinds, on a 24 × 24 grid, drawn as a
/// 2 px stroke (the same grid and stroke as the navigation's icons).
pub mod glyph {
    /// A sun: a day off.
    pub const SUN: &str = "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z M12 2v2 M12 20v2 M4.9 4.9l1.4 1.4 M17.7 17.7l1.4 1.4 M2 12h2 M20 12h2 M4.9 19.1l1.4-1.4 M17.7 6.3l1.4-1.4";
    /// An open book: a study day, reading, information.
    pub const BOOK: &str =
        "M12 6c-2-1.5-5-2-8-2v14c3 0 6 .5 8 2 2-1.5 5-2 8-2V4c-3 0-6 .5-8 2z M12 6v14";
    /// A suitcase: the holidays.
    pub const SUITCASE: &str = "M4 8h16v11H4z M9 8V5h6v3 M9 8v11 M15 8v11";
    /// A bus: an outing.
    pub const BUS: &str = "M5 4h14v12H5z M5 10h14 M7 16v3 M17 16v3 M8 13h.01 M16 13h.01";
    /// A folded newspaper: news.
    pub const NEWS: &str =
        "M4 5h13v14H6a2 2 0 0 1-2-2z M17 9h3v8a2 2 0 0 1-2 2h-1 M7 9h7 M7 12.5h7 M7 16h4";
    /// A heart: good news.
    pub const HEART: &str = "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z";
    /// A raised hand: a call for help.
    pub const HAND: &str = "M8 12V6a1.5 1.5 0 0 1 3 0v5 M11 10V4.5a1.5 1.5 0 0 1 3 0V11 M14 10.5V6a1.5 1.5 0 0 1 3 0v7c0 4-2.5 7-6 7-2.5 0-4-1.5-5.5-4L4 13a1.5 1.5 0 0 1 2.5-1.5L8 13";
    /// A star: a celebration.
    pub const STAR: &str = "M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z";
    /// A bell: a reminder.
    pub const BELL: &str = "M6 16V11a6 6 0 0 1 12 0v5l2 2H4z M10 20a2 2 0 0 0 4 0";
    /// Two people: a meeting of parents.
    pub const PEOPLE: &str = "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M3 20c0-3.5 2.5-6 6-6s6 2.5 6 6 M16 5a3 3 0 0 1 0 6 M17 14c2.5.5 4 2.8 4 6";
    /// A cup: a coffee morning.
    pub const CUP: &str =
        "M5 9h11v6a4 4 0 0 1-4 4H9a4 4 0 0 1-4-4z M16 10h2a2 2 0 0 1 0 4h-2 M8 3v3 M12 3v3";
    /// A speech bubble: a conversation.
    pub const CHAT: &str = "M4 5h16v11H10l-5 4v-4H4z";
    /// A house: a home visit.
    pub const HOUSE: &str = "M4 11l8-7 8 7 M6 9.5V20h12V9.5 M10 20v-5h4v5";
    /// A briefcase: the careers day.
    pub const BRIEFCASE: &str = "M4 8h16v11H4z M9 8V5h6v3 M4 13h16";
    /// A calendar: any other activity.
    pub const CALENDAR: &str = "M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5";
}

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

/// An icon from [`glyph`], hidden from screen readers: the text label beside it says the same.
pub fn kind_icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="kind-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"
            focusable="false" fill="none" stroke="currentColor" stroke-width="2"
            stroke-linecap="round" stroke-linejoin="round">
            <path d=path/>
        </svg>
    }
}

/// "3, 4 en 5": groepen as a parent reads them.
pub fn groepen_list(groepen: &[u8], and: &str) -> String {
    let mut names: Vec<String> = groepen.iter().map(u8::to_string).collect();
    match names.pop() {
        None => String::new(),
        Some(last) if names.is_empty() => last,
        Some(last) => format!("{} {and} {last}", names.join(", ")),
    }
}

/// The items of one month as shown.
#[derive(Clone, Debug, PartialEq)]
struct Month {
    month: YearMonth,
    items: Vec<BulletinItem>,
}

/// The bulletins newest month first, each with the items that concern one of `children` (every
/// item when `all`, or when there are no children to filter on); months left empty are left out.
fn months_shown(bulletins: &[Bulletin], children: &[Child], all: bool) -> Vec<Month> {
    let mut bulletins: Vec<&Bulletin> = bulletins.iter().collect();
    bulletins.sort_by_key(|b| std::cmp::Reverse(b.month));
    bulletins
        .into_iter()
        .map(|bulletin| Month {
            month: bulletin.month,
            items: bulletin
                .items
                .iter()
                .filter(|item| {
                    all || children.is_empty()
                        || children.iter().any(|c| concerns(&item.groepen, c.groep))
                })
                .cloned()
                .collect(),
        })
        .filter(|month| !month.items.is_empty())
        .collect()
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

/// Marks `ids` as read and saves the marks. A failed save is reported to the parent by
/// [`crate::state::AppStorage::save`]; the marks still change on screen, since a read mark that
/// is lost costs the parent no more than seeing "Nieuw" once more.
fn mark_read(data: AppData, storage: AppStorage, ids: impl IntoIterator<Item = String>) {
    let mut read: ReadItems = data.read.get_untracked();
    let before = read.0.len();
    read.0.extend(ids);
    if read.0.len() == before {
        return;
    }
    storage.save(&read);
    data.read.set(read);
}

/// Maandinfo (`/maandinfo`): the monthly bulletins.
#[component]
pub fn Bulletins() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let data = expect_context::<AppData>();
    // Taken here, in the component: an event handler runs outside the owner that holds the
    // context.
    let storage = use_storage();
    // Only the items for the family's own children at first: that is what most parents want to
    // see; the rest of the school is one tap away.
    let show_all = RwSignal::new(false);
    let has_children = move || data.children.with(|c| !c.0.is_empty());
    let months = Memo::new(move |_| {
        let all = show_all.get();
        content.with(|content| {
            data.children
                .with(|children| months_shown(&content.bulletins, &children.0, all))
        })
    });
    // A year of maandinfo is drawn a month per frame after the first: the tap answers at once.
    let drawn = crate::components::growing::use_growing_limit(1, 1, move || months.with(Vec::len));
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
        data.read
            .with(|read| ids.iter().filter(|id| !read.0.contains(*id)).count())
    };
    let said = RwSignal::new("");
    let all_read = move |_| {
        mark_read(data, storage, shown_ids());
        said.set(locale.t().bulletins_all_read_done);
    };
    let filter_note = move || {
        let t = locale.t();
        if show_all.get() || !has_children() {
            t.bulletins_filter_all.to_owned()
        } else {
            let groepen: BTreeSet<u8> = data
                .children
                .with(|c| c.0.iter().map(|c| c.groep).collect());
            let groepen: Vec<u8> = groepen.into_iter().collect();
            t.bulletins_filter_mine
                .replace("{groepen}", &groepen_list(&groepen, t.bulletins_and))
        }
    };

    view! {
        <Screen title=|t| t.bulletins_title intro=|t| t.bulletins_intro/>
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
                    {move || locale.t().bulletins_all_read}
                </button>
            </div>
        </div>
        <p class="visually-hidden" role="status">{move || said.get()}</p>
        <Show when=move || months.with(|m| m.is_empty())>
            <p class="muted">{move || locale.t().bulletins_empty}</p>
        </Show>
        // Keyed by month; each month takes its items from `months` itself, so that the filter
        // changes the items of a month that stays on screen.
        <For each=move || months.with(|m| {
                m.iter().take(drawn.get()).map(|m| m.month).collect::<Vec<_>>()
            })
            key=|month| *month let:month>
            <MonthSection month=month months=months said=said/>
        </For>
    }
}

/// One month: its name and its items.
#[component]
fn MonthSection(
    /// The month.
    month: YearMonth,
    /// Every month shown, with its items.
    months: Memo<Vec<Month>>,
    /// The live region's text, to tell a screen reader what an action did.
    said: RwSignal<&'static str>,
) -> impl IntoView {
    // The language is read once: it changes only on Instellingen, and this screen is drawn anew
    // when the parent comes back.
    let lang = use_locale().0.get_untracked();
    let heading_id = format!("maand-{month}");
    let name = dates::month_year(lang, month.year, month.month);
    let items = move || {
        months.with(|all| {
            all.iter()
                .find(|m| m.month == month)
                .map(|m| m.items.clone())
                .unwrap_or_default()
        })
    };
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
    let data = expect_context::<AppData>();
    // Taken here, in the component: an event handler runs outside the owner that holds the
    // context.
    let storage = use_storage();
    let content = use_content();
    let id = item.id.clone();
    let heading_id = format!("bericht-{id}");
    let is_unread = {
        let id = id.clone();
        Memo::new(move |_| data.read.with(|read| !read.0.contains(&id)))
    };
    let title = item.title.get(lang.code()).to_owned();
    let href = format!("/maandinfo/{id}");
    let title_view = if heading == 1 {
        view! { <h1 id=heading_id.clone() class="bulletin-item__title">{title}</h1> }.into_any()
    } else {
        view! {
            <h3 id=heading_id.clone() class="bulletin-item__title">
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
    let to_calendar = move |_| {
        let stamp = driehoek_core::tz::local_to_utc(now_local());
        let file = content.with_untracked(|c| {
            item.with_value(|i| driehoek_core::item_ics(&c.school, i, lang.code(), stamp))
        });
        let done = file.is_some_and(|file| {
            browser::download(&item.with_value(ics_name), "text/calendar", &file)
        });
        said.set(if done {
            t.bulletins_calendar_done
        } else {
            t.bulletins_calendar_failed
        });
    };
    let can_speak = browser::can_speak(lang);
    let read_aloud = move |_| {
        browser::speak(&item.with_value(|i| spoken(i, lang)), lang);
    };
    let mark = {
        let id = id.clone();
        move |_| {
            mark_read(data, storage, [id.clone()]);
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
                    <span>{kind_label(t, kind)}</span>
                </span>
                <Show when=move || is_unread.get()>
                    <span class="new-badge">{t.bulletins_new}</span>
                </Show>
            </p>
            {title_view}
            {when.map(|when| view! { <p class="bulletin-item__when">{when}</p> })}
            {groepen.map(|g| view! { <p class="bulletin-item__groepen">{g}</p> })}
            <p class="bulletin-item__text">{text}</p>
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
        </article>
    }
}

/// One bulletin item (`/maandinfo/:id`), for deep links.
#[component]
pub fn BulletinItemPage() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let data = expect_context::<AppData>();
    // Taken here, in the component: an event handler runs outside the owner that holds the
    // context.
    let storage = use_storage();
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
            mark_read(data, storage, [id]);
        }
    });
    let said = RwSignal::new("");

    view! {
        <p class="back-link">
            <A href="/maandinfo">
                <span aria-hidden="true">"← "</span>
                {move || locale.t().bulletins_back}
            </A>
        </p>
        {move || match item.get() {
            Some(item) => view! { <ItemCard item=item said=said heading=1/> }.into_any(),
            None => view! {
                <h1>{move || locale.t().bulletins_not_found_title}</h1>
                <p>{move || locale.t().bulletins_not_found}</p>
            }
            .into_any(),
        }}
        <p class="visually-hidden" role="status">{move || said.get()}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(groep: u8) -> Child {
        Child {
            id: format!("kind-{groep}"),
            name: "Sam".into(),
            groep,
        }
    }

    #[test]
    fn groepen_read_as_a_list() {
        assert_eq!(groepen_list(&[], "en"), "");
        assert_eq!(groepen_list(&[3], "en"), "3");
        assert_eq!(groepen_list(&[3, 4, 5], "en"), "3, 4 en 5");
    }

    #[test]
    fn the_newest_month_comes_first_and_the_filter_keeps_whole_school_items() {
        let content = driehoek_core::demo::bundled();
        let all = months_shown(&content.bulletins, &[], false);
        assert!(
            all.windows(2).all(|w| w[0].month > w[1].month),
            "newest month first"
        );
        let count = |months: &[Month]| months.iter().map(|m| m.items.len()).sum::<usize>();
        let mine = months_shown(&content.bulletins, &[child(2)], false);
        assert!(count(&mine) < count(&all), "a filter leaves items out");
        assert!(mine
            .iter()
            .flat_map(|m| &m.items)
            .all(|i| concerns(&i.groepen, 2)));
        assert_eq!(
            count(&months_shown(&content.bulletins, &[child(2)], true)),
            count(&all),
            "\"Alles tonen\" shows everything"
        );
    }
}
