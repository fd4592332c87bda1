//! The forms of the editor, one screen per part: the school, a month of the maandinfo and its
//! items, an activity, a theme with its prompts, and the agreement.

use chrono::{Duration, NaiveTime};
use driehoek_core::{
    Activity, ActivityKind, AgreementItem, AgreementList, Band, Bulletin, BulletinItem, Category,
    ChangeKind, Content, ItemKind, Prompt, Text, Theme, When, YearMonth,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::draft::{list_label, place_by_date};
use super::fields::{
    use_editor, CheckInput, GroepenInput, Lens, Moment, MomentInput, MomentValue, NumberInput,
    SelectInput, TextField, TextInput,
};
use super::preview::{activity_preview, item_preview};
use driehoek_web::browser::new_id;
use driehoek_web::clock::today;
use driehoek_web::dates;
use driehoek_web::i18n::Lang;

/// The address of a screen of the editor: `rest` below `/beheer` (`activiteiten/<id>`). Entries
/// are addressed by their id, which a rebase never changes, not by their place in a list.
pub fn href(rest: &str) -> String {
    if rest.is_empty() {
        "/beheer".to_owned()
    } else {
        format!("/beheer/{rest}")
    }
}

/// The form of an entry of one list of the draft, found by the id in its address
/// (`<part>/<id>`); the way back leads to the list.
pub(super) fn entry_form<T: 'static>(
    list: fn(&Content) -> &[T],
    id_of: fn(&T) -> &str,
    form: fn(usize) -> AnyView,
    part: &'static str,
) -> impl IntoView {
    let id = param("id");
    by_id(
        move |c| {
            let id = id();
            list(c).iter().position(|x| id_of(x) == id)
        },
        form,
        move || href(part),
    )
}

/// The parameter `name` of the current address.
fn param(name: &'static str) -> impl Fn() -> String + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get(name).unwrap_or_default())
}

/// The form of an entry the address names by id: `find` gives its place in the draft now. The
/// form is drawn again only when that place changes (a rebase moved the entry), and says so when
/// the entry is gone (removed in another screen or tab).
fn by_id<K: Clone + PartialEq + Send + Sync + 'static>(
    find: impl Fn(&Content) -> Option<K> + Send + Sync + 'static,
    form: impl Fn(K) -> AnyView + Send + Sync + 'static,
    back: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    let editor = use_editor();
    let place = Memo::new(move |_| editor.draft.with(|c| find(c)));
    move || match place.get() {
        Some(k) => form(k),
        None => gone(back()),
    }
}

/// An enum's name in the content's JSON (`vrije_dag`).
pub(super) fn name_of<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An enum from its name in the JSON.
pub(super) fn from_name<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

pub(super) fn options<T: Serialize + Copy>(
    all: &[T],
    label: fn(T) -> &'static str,
) -> Vec<(String, &'static str)> {
    all.iter().map(|k| (name_of(k), label(*k))).collect()
}

fn band_label(band: Band) -> &'static str {
    match band {
        Band::Groep1_2 => "Groep 1 en 2",
        Band::Groep3_5 => "Groep 3, 4 en 5",
        Band::Groep6_8 => "Groep 6, 7 en 8",
        Band::All => "Alle groepen",
    }
}

/// Asks before something is removed from the draft.
pub(super) fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// The way back to the screen above, at the top of a form.
#[component]
pub(super) fn Back(href: String, label: &'static str) -> impl IntoView {
    view! { <p class="beheer-back"><A href=href>{format!("← {label}")}</A></p> }
}

/// Shown where an entry no longer exists (removed in another screen or tab).
pub(super) fn gone(back: String) -> AnyView {
    view! {
        <p>"Dit onderdeel staat niet (meer) in het concept."</p>
        <Back href=back label="Terug"/>
    }
    .into_any()
}

/// One entry of a list screen.
#[derive(Clone, PartialEq)]
pub(super) struct Row {
    href: String,
    title: String,
    detail: String,
}

impl Row {
    pub(super) fn new(href: String, title: &Text, detail: String) -> Self {
        let title = match title.get("nl").trim() {
            "" => "(nog zonder titel)".to_owned(),
            t => t.to_owned(),
        };
        Row {
            href,
            title,
            detail,
        }
    }
}

/// Entries as a list of links.
fn links(rows: Vec<Row>) -> impl IntoView {
    rows.into_iter()
        .map(|row| {
            view! {
                <li>
                    <A href=row.href>
                        <span class="beheer-list__title">{row.title}</span>
                        <span class="muted">{row.detail}</span>
                    </A>
                </li>
            }
        })
        .collect_view()
}

/// The entries of one kind as links, and a button that adds one and opens it (`add` returns the
/// new entry's address).
pub(super) fn list_screen(
    heading: &'static str,
    intro: Option<&'static str>,
    add_label: &'static str,
    rows: impl Fn() -> Vec<Row> + Send + Sync + 'static,
    add: impl Fn() -> String + 'static,
) -> impl IntoView {
    let navigate = use_navigate();
    let rows = Memo::new(move |_| rows());
    let rows = move || links(rows.get());
    view! {
        <Back href=href("") label="Overzicht"/>
        <h2>{heading}</h2>
        {intro.map(|text| view! { <p class="muted">{text}</p> })}
        <div class="actions">
            <button type="button" class="button" on:click=move |_| navigate(&add(), Default::default())>
                {add_label}
            </button>
        </div>
        <ul class="beheer-list">{rows}</ul>
    }
}

// ---- the school ----

fn school<T: Default + 'static>(
    get: fn(&driehoek_core::School) -> T,
    set: fn(&mut driehoek_core::School, T),
) -> Lens<T> {
    Lens::at(|c| Some(&c.school), |c| Some(&mut c.school), get, set)
}

/// The school's details.
#[component]
pub fn SchoolForm() -> impl IntoView {
    let editor = use_editor();
    let id = editor.draft.with_untracked(|c| c.school.id.clone());
    view! {
        <Back href=href("") label="Overzicht"/>
        <h2>"Schoolgegevens"</h2>
        <p class="muted">{format!("Schoolcode: {id} (deze verandert niet)")}</p>
        <TextInput label="Naam van de school" path="school.name".into()
            lens=school(|s| s.name.clone(), |s, v| s.name = v)/>
        <TextInput label="Plaats" path="school.place".into()
            lens=school(|s| s.place.clone(), |s, v| s.place = v)/>
        <TextInput label="Website" path="school.website".into() kind="url"
            hint="Begint met https://"
            lens=school(|s| s.website.clone(), |s, v| s.website = v)/>
        <TextInput label="Telefoonnummer" path="school.phone".into() kind="tel"
            lens=school(|s| s.phone.clone(), |s, v| s.phone = v)/>
        <TextInput label="E-mailadres" path="school.email".into() kind="email"
            lens=school(|s| s.email.clone(), |s, v| s.email = v)/>
        <h3>"Ziek of afwezig melden"</h3>
        <p class="muted">
            "Ouders melden een ziek of afwezig kind in de app. Tot deze tijd kan dat voor vandaag; \
             daarna ziet een ouder het telefoonnummer hieronder. Leeg: de hele dag."
        </p>
        <MomentInput label="Melden voor vandaag kan tot" path="school.absence_until".into()
            moment=Moment::Time hint="Bijvoorbeeld 08:15"
            lens=school(|s| time_of(s.absence_until), |s, v| s.absence_until = time_from(v))/>
        <TextInput label="Nummer om te bellen in dringende gevallen" path="school.absence_phone".into()
            kind="tel" hint="Leeg: het gewone telefoonnummer"
            lens=school(
                |s| s.absence_phone.clone().unwrap_or_default(),
                |s, v| s.absence_phone = Some(v).filter(|p| !p.trim().is_empty()),
            )/>
    }
}

// ---- the maandinfo ----

/// The months of the maandinfo, newest first.
#[component]
pub fn BulletinList() -> impl IntoView {
    let editor = use_editor();
    let rows = move || {
        let mut months: Vec<_> = editor.draft.with(|c| {
            c.bulletins
                .iter()
                .map(|b| {
                    let detail = format!(
                        "{} · {} berichten",
                        dates::month_year(Lang::Nl, b.month.year, b.month.month),
                        b.items.len()
                    );
                    (
                        b.month,
                        Row::new(href(&format!("maandinfo/{}", b.id)), &b.title, detail),
                    )
                })
                .collect()
        });
        months.sort_by_key(|m| std::cmp::Reverse(m.0));
        months.into_iter().map(|(_, row)| row).collect()
    };
    let add = move || {
        let today = today();
        let mut added = String::new();
        editor.edit(|c| {
            let month = c
                .bulletins
                .iter()
                .map(|b| b.month)
                .max()
                .map(|m| YearMonth::of(m.first_day() + Duration::days(31)))
                .unwrap_or_else(|| YearMonth::of(today));
            let mut id = format!("maandinfo-{month}");
            if c.bulletins.iter().any(|b| b.id == id) {
                id = new_id("maandinfo");
            }
            let title = format!(
                "Maandinfo {}",
                dates::month_year(Lang::Nl, month.year, month.month)
            );
            added = id.clone();
            c.bulletins.push(Bulletin {
                id,
                month,
                title: Text::nl(title),
                items: Vec::new(),
            });
        });
        href(&format!("maandinfo/{added}"))
    };
    list_screen("Maandinfo", None, "Nieuwe maand", rows, add)
}

fn month<T: Default + 'static>(
    b: usize,
    get: fn(&Bulletin) -> T,
    set: fn(&mut Bulletin, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.bulletins.get(b),
        move |c| c.bulletins.get_mut(b),
        get,
        set,
    )
}

/// One month of the maandinfo, found by the id in its address (`maandinfo/<id>`).
#[component]
pub fn BulletinForm() -> impl IntoView {
    entry_form(|c| &c.bulletins, |b| &b.id, bulletin_form, "maandinfo")
}

/// One month, at place `b` of the draft: its title and month, and the list of its items.
fn bulletin_form(b: usize) -> AnyView {
    let editor = use_editor();
    let navigate = use_navigate();
    let path = format!("bulletins[{b}]");
    // Redrawn when an item's title or date changes, not when the month's title is typed.
    let items = Memo::new(move |_| {
        editor.draft.with(|c| {
            c.bulletins.get(b).map(|bulletin| {
                bulletin
                    .items
                    .iter()
                    .map(|item| {
                        let when = item
                            .when
                            .as_ref()
                            .map(|w| dates::when(Lang::Nl, w))
                            .unwrap_or_else(|| "zonder datum".to_owned());
                        let to = format!("maandinfo/{}/{}", bulletin.id, item.id);
                        Row::new(href(&to), &item.title, when)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let items = move || items.get().map(links);
    let add = {
        let navigate = navigate.clone();
        move |_| {
            let id = new_id("bericht");
            let mut to = None;
            editor.edit(|c| {
                if let Some(bulletin) = c.bulletins.get_mut(b) {
                    to = Some(format!("maandinfo/{}/{id}", bulletin.id));
                    bulletin.items.push(BulletinItem {
                        id: id.clone(),
                        kind: ItemKind::Nieuws,
                        title: Text::nl(""),
                        text: Text::nl(""),
                        when: None,
                        groepen: Vec::new(),
                    });
                }
            });
            if let Some(to) = to {
                navigate(&href(&to), Default::default());
            }
        }
    };
    let remove = move |_| {
        if confirm("Deze maand met al haar berichten uit het concept halen?") {
            editor.edit(|c| {
                if b < c.bulletins.len() {
                    c.bulletins.remove(b);
                }
            });
            navigate(&href("maandinfo"), Default::default());
        }
    };
    view! {
        <Back href=href("maandinfo") label="Alle maanden"/>
        <h2>"Maand van de maandinfo"</h2>
        <MomentInput label="Maand" path=format!("{path}.month") moment=Moment::Month required=true
            lens=month(b, |m| MomentValue::Month(m.month), |m, v| if let MomentValue::Month(v) = v { m.month = v })/>
        <TextField label="Titel" path=format!("{path}.title")
            lens=month(b, |m| m.title.clone(), |m, v| m.title = v)/>
        <h3>"Berichten"</h3>
        <div class="actions">
            <button type="button" class="button" on:click=add>"Nieuw bericht"</button>
        </div>
        <ul class="beheer-list">{items}</ul>
        <div class="actions beheer-danger">
            <button type="button" class="button button--danger" on:click=remove>"Maand weghalen"</button>
        </div>
    }
    .into_any()
}

fn item<T: Default + 'static>(
    b: usize,
    i: usize,
    get: fn(&BulletinItem) -> T,
    set: fn(&mut BulletinItem, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.bulletins.get(b)?.items.get(i),
        move |c| c.bulletins.get_mut(b)?.items.get_mut(i),
        get,
        set,
    )
}

/// The date of an item: setting it gives the item a date, emptying it takes the date away.
fn when_date(w: &Option<When>) -> MomentValue {
    w.as_ref()
        .map_or(MomentValue::Empty, |w| MomentValue::Date(w.date))
}

fn set_when_date(w: &mut Option<When>, value: MomentValue) {
    match (value, w.as_mut()) {
        (MomentValue::Date(date), Some(when)) => when.date = date,
        (MomentValue::Date(date), None) => {
            *w = Some(When {
                date,
                until: None,
                from_time: None,
                to_time: None,
            })
        }
        _ => *w = None,
    }
}

fn time_of(t: Option<NaiveTime>) -> MomentValue {
    t.map_or(MomentValue::Empty, MomentValue::Time)
}

fn time_from(v: MomentValue) -> Option<NaiveTime> {
    match v {
        MomentValue::Time(t) => Some(t),
        _ => None,
    }
}

/// When the form of an item is left, a new item, or one whose date changed, moves to its place
/// by date among the others (not while the form is open: the school is still typing).
fn place_when_left(editor: super::fields::Editor, month: String, id: String) {
    let date_of = {
        let (month, id) = (month.clone(), id.clone());
        move |c: &Content| {
            c.bulletins
                .iter()
                .find(|b| b.id == month)
                .and_then(|b| b.items.iter().find(|i| i.id == id))
                .and_then(|i| i.when.as_ref().map(|w| w.date))
        }
    };
    let opened = editor.draft.with_untracked(&date_of);
    let new = editor.published.with_untracked(|p| {
        !p.as_ref().is_some_and(|p| {
            p.bulletins
                .iter()
                .any(|b| b.items.iter().any(|i| i.id == id))
        })
    });
    let draft = editor.draft;
    on_cleanup(move || {
        // After the screen's own cleanup, so that the draft changes outside of it.
        set_timeout(
            move || {
                let now = draft.try_with_untracked(&date_of).flatten();
                if now.is_none() || (!new && now == opened) {
                    return;
                }
                let moves = draft.try_with_untracked(|c| {
                    c.bulletins
                        .iter()
                        .find(|b| b.id == month)
                        .is_some_and(|b| place_by_date(&mut b.items.clone(), &id))
                });
                if moves == Some(true) {
                    draft.update(|c| {
                        if let Some(b) = c.bulletins.iter_mut().find(|b| b.id == month) {
                            place_by_date(&mut b.items, &id);
                        }
                    });
                }
            },
            std::time::Duration::ZERO,
        );
    });
}

/// One item of a month, found by the ids in its address (`maandinfo/<month>/<item>`).
#[component]
pub fn ItemForm() -> impl IntoView {
    let (month, id) = (param("id"), param("item"));
    by_id(
        move |c| {
            let (month, id) = (month(), id());
            let b = c.bulletins.iter().position(|b| b.id == month)?;
            let i = c.bulletins[b].items.iter().position(|i| i.id == id)?;
            Some((b, i))
        },
        move |(b, i)| item_form(b, i, month(), id()),
        move || href(&format!("maandinfo/{}", month())),
    )
}

/// The item at place `i` of month `b` (whose id is `month`): every field of the model.
fn item_form(b: usize, i: usize, month: String, id: String) -> AnyView {
    let editor = use_editor();
    place_when_left(editor, month.clone(), id);
    let navigate = use_navigate();
    let back = href(&format!("maandinfo/{month}"));
    let back_after_removal = back.clone();
    let path = format!("bulletins[{b}].items[{i}]");
    let kinds = options(&ItemKind::ALL, |k| {
        driehoek_web::labels::item_kind_label(Lang::Nl.strings(), k)
    });
    let has_date = Memo::new(move |_| {
        editor.draft.with(|c| {
            c.bulletins
                .get(b)
                .and_then(|m| m.items.get(i))
                .is_some_and(|it| it.when.is_some())
        })
    });
    let when_path = format!("{path}.when");
    let remove = move |_| {
        if confirm("Dit bericht uit het concept halen?") {
            editor.edit(|c| {
                if let Some(m) = c.bulletins.get_mut(b) {
                    if i < m.items.len() {
                        m.items.remove(i);
                    }
                }
            });
            navigate(&back_after_removal, Default::default());
        }
    };
    view! {
        <Back href=back.clone() label="Terug naar de maand"/>
        <h2>"Bericht"</h2>
        <SelectInput label="Soort bericht" path=format!("{path}.kind") options=kinds
            lens=item(b, i, |it| name_of(&it.kind), |it, v| if let Some(k) = from_name(&v) { it.kind = k })/>
        <TextField label="Titel" path=format!("{path}.title")
            lens=item(b, i, |it| it.title.clone(), |it, v| it.title = v)/>
        <TextField label="Tekst" path=format!("{path}.text") multiline=true
            lens=item(b, i, |it| it.text.clone(), |it, v| it.text = v)/>
        <MomentInput label="Datum" path=format!("{when_path}.date") moment=Moment::Date
            hint="Laat leeg voor nieuws zonder datum."
            lens=item(b, i, |it| when_date(&it.when), |it, v| set_when_date(&mut it.when, v))/>
        <Show when=move || has_date.get()>
            <MomentInput label="Tot en met (bij meer dagen)" path=format!("{when_path}.until")
                moment=Moment::Date
                lens=item(b, i,
                    |it| it.when.as_ref().and_then(|w| w.until).map_or(MomentValue::Empty, MomentValue::Date),
                    |it, v| if let Some(w) = it.when.as_mut() {
                        w.until = match v { MomentValue::Date(d) => Some(d), _ => None }
                    })/>
            <div class="beheer-row">
                <MomentInput label="Begintijd" path=format!("{when_path}.from_time") moment=Moment::Time
                    lens=item(b, i,
                        |it| time_of(it.when.as_ref().and_then(|w| w.from_time)),
                        |it, v| if let Some(w) = it.when.as_mut() { w.from_time = time_from(v) })/>
                <MomentInput label="Eindtijd" path=format!("{when_path}.to_time") moment=Moment::Time
                    lens=item(b, i,
                        |it| time_of(it.when.as_ref().and_then(|w| w.to_time)),
                        |it, v| if let Some(w) = it.when.as_mut() { w.to_time = time_from(v) })/>
            </div>
        </Show>
        <GroepenInput path=format!("{path}.groepen")
            lens=item(b, i, |it| it.groepen.clone(), |it, v| it.groepen = v)/>
        {item_preview(move || editor.draft.with(|c| c.bulletins.get(b)?.items.get(i).cloned()))}
        <div class="actions beheer-danger">
            <button type="button" class="button button--danger" on:click=remove>"Bericht weghalen"</button>
        </div>
    }
    .into_any()
}

// ---- activities ----

/// The activities, the latest first.
#[component]
pub fn ActivityList() -> impl IntoView {
    let editor = use_editor();
    let rows = move || {
        let mut list: Vec<_> = editor.draft.with(|c| {
            c.activities
                .iter()
                .map(|a| {
                    let detail = dates::date_time(Lang::Nl, a.start);
                    (
                        a.start,
                        Row::new(href(&format!("activiteiten/{}", a.id)), &a.title, detail),
                    )
                })
                .collect()
        });
        list.sort_by_key(|x| std::cmp::Reverse(x.0));
        list.into_iter().map(|(_, row)| row).collect()
    };
    let add = move || {
        let day = today() + Duration::days(14);
        let at = |h, m| day.and_hms_opt(h, m, 0).unwrap_or_default();
        let id = new_id("activiteit");
        editor.edit(|c| {
            c.activities.push(Activity {
                id: id.clone(),
                kind: ActivityKind::Anders,
                title: Text::nl(""),
                text: Text::nl(""),
                start: at(19, 0),
                end: at(20, 30),
                location: Text::nl("Op school"),
                groepen: Vec::new(),
                rsvp_deadline: None,
                capacity: None,
                max_per_family: 2,
                helpers_wanted: false,
                cancelled: false,
            });
        });
        href(&format!("activiteiten/{id}"))
    };
    list_screen("Activiteiten", None, "Nieuwe activiteit", rows, add)
}

fn act<T: Default + 'static>(
    a: usize,
    get: fn(&Activity) -> T,
    set: fn(&mut Activity, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.activities.get(a),
        move |c| c.activities.get_mut(a),
        get,
        set,
    )
}

pub(super) fn date_time_of(v: MomentValue) -> Option<chrono::NaiveDateTime> {
    match v {
        MomentValue::DateTime(at) => Some(at),
        _ => None,
    }
}

/// One activity, found by the id in its address (`activiteiten/<id>`).
#[component]
pub fn ActivityForm() -> impl IntoView {
    entry_form(|c| &c.activities, |a| &a.id, activity_form, "activiteiten")
}

/// The activity at place `a` of the draft: every field of the model.
fn activity_form(a: usize) -> AnyView {
    let editor = use_editor();
    let navigate = use_navigate();
    let path = format!("activities[{a}]");
    let kinds = options(&ActivityKind::ALL, |k| {
        driehoek_web::labels::activity_kind_label(Lang::Nl.strings(), k)
    });
    let remove = move |_| {
        if confirm(
            "Deze activiteit uit het concept halen? Aanmeldingen blijven op de server bewaard.",
        ) {
            editor.edit(|c| {
                if a < c.activities.len() {
                    c.activities.remove(a);
                }
            });
            navigate(&href("activiteiten"), Default::default());
        }
    };
    view! {
        <Back href=href("activiteiten") label="Alle activiteiten"/>
        <h2>"Activiteit"</h2>
        <SelectInput label="Soort activiteit" path=format!("{path}.kind") options=kinds
            lens=act(a, |x| name_of(&x.kind), |x, v| if let Some(k) = from_name(&v) { x.kind = k })/>
        <TextField label="Titel" path=format!("{path}.title")
            lens=act(a, |x| x.title.clone(), |x, v| x.title = v)/>
        <TextField label="Uitleg voor ouders" path=format!("{path}.text") multiline=true
            lens=act(a, |x| x.text.clone(), |x, v| x.text = v)/>
        <TextField label="Waar" path=format!("{path}.location")
            lens=act(a, |x| x.location.clone(), |x, v| x.location = v)/>
        <MomentInput label="Begint op" path=format!("{path}.start") moment=Moment::DateTime required=true
            lens=act(a, |x| MomentValue::DateTime(x.start), |x, v| if let Some(at) = date_time_of(v) { x.start = at })/>
        <MomentInput label="Eindigt op" path=format!("{path}.end") moment=Moment::DateTime required=true
            lens=act(a, |x| MomentValue::DateTime(x.end), |x, v| if let Some(at) = date_time_of(v) { x.end = at })/>
        <MomentInput label="Aanmelden kan tot" path=format!("{path}.rsvp_deadline") moment=Moment::DateTime
            hint="Laat leeg: aanmelden kan tot de activiteit begint."
            lens=act(a, |x| x.rsvp_deadline.map_or(MomentValue::Empty, MomentValue::DateTime),
                |x, v| x.rsvp_deadline = date_time_of(v))/>
        <NumberInput label="Hoeveel plaatsen in totaal" path=format!("{path}.capacity") min=1 max=100_000
            hint="Laat leeg als er geen grens is."
            lens=act(a, |x| x.capacity, |x, v| x.capacity = v)/>
        <NumberInput label="Hoeveel personen per gezin" path=format!("{path}.max_per_family")
            min=1 max=20 required=true
            lens=act(a, |x| Some(u32::from(x.max_per_family)),
                |x, v| if let Some(n) = v.and_then(|n| u8::try_from(n).ok()) { x.max_per_family = n })/>
        <CheckInput label="Ouders kunnen aangeven dat ze willen helpen" path=format!("{path}.helpers_wanted")
            lens=act(a, |x| x.helpers_wanted, |x, v| x.helpers_wanted = v)/>
        <GroepenInput path=format!("{path}.groepen")
            lens=act(a, |x| x.groepen.clone(), |x, v| x.groepen = v)/>
        // An activity parents answered cannot simply be taken away (the server refuses it):
        // called off, it stays in the app as "afgelast" and the answers stay readable.
        <CheckInput label="Afgelast: ouders zien dat het niet doorgaat en kunnen niet meer antwoorden"
            path=format!("{path}.cancelled")
            lens=act(a, |x| x.cancelled, |x, v| x.cancelled = v)/>
        {activity_preview(move || editor.draft.with(|c| c.activities.get(a).cloned()))}
        <div class="actions beheer-danger">
            <button type="button" class="button button--danger" on:click=remove>"Activiteit weghalen"</button>
        </div>
    }
    .into_any()
}

// ---- themes ----

/// The class themes, the latest first.
#[component]
pub fn ThemeList() -> impl IntoView {
    let editor = use_editor();
    let rows = move || {
        let mut list: Vec<_> = editor.draft.with(|c| {
            c.themes
                .iter()
                .map(|t| {
                    let detail = format!(
                        "{} tot en met {}",
                        dates::day_month(Lang::Nl, t.from),
                        dates::long_date(Lang::Nl, t.to)
                    );
                    (
                        t.from,
                        Row::new(href(&format!("themas/{}", t.id)), &t.title, detail),
                    )
                })
                .collect()
        });
        list.sort_by_key(|x| std::cmp::Reverse(x.0));
        list.into_iter().map(|(_, row)| row).collect()
    };
    let add = move || {
        let from = today();
        let id = new_id("thema");
        editor.edit(|c| {
            c.themes.push(Theme {
                id: id.clone(),
                title: Text::nl(""),
                groepen: Vec::new(),
                from,
                to: from + Duration::days(27),
                prompts: Vec::new(),
            });
        });
        href(&format!("themas/{id}"))
    };
    let intro =
        "Bij een thema horen gespreksvragen. Ouders zien ze op Vandaag, zolang het thema loopt.";
    list_screen("Thema's in de klas", Some(intro), "Nieuw thema", rows, add)
}

fn theme<T: Default + 'static>(t: usize, get: fn(&Theme) -> T, set: fn(&mut Theme, T)) -> Lens<T> {
    Lens::at(
        move |c| c.themes.get(t),
        move |c| c.themes.get_mut(t),
        get,
        set,
    )
}

fn prompt<T: Default + 'static>(
    t: usize,
    p: usize,
    get: fn(&Prompt) -> T,
    set: fn(&mut Prompt, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.themes.get(t)?.prompts.get(p),
        move |c| c.themes.get_mut(t)?.prompts.get_mut(p),
        get,
        set,
    )
}

/// One theme, found by the id in its address (`themas/<id>`).
#[component]
pub fn ThemeForm() -> impl IntoView {
    entry_form(|c| &c.themes, |t| &t.id, theme_form, "themas")
}

/// The theme at place `t` of the draft: title, groepen, dates, and its prompts with their age
/// band.
fn theme_form(t: usize) -> AnyView {
    let editor = use_editor();
    let navigate = use_navigate();
    let path = format!("themes[{t}]");
    // Redrawn only when a prompt is added or removed, not on every letter typed.
    let count = Memo::new(move |_| {
        editor
            .draft
            .with(|c| c.themes.get(t).map_or(0, |th| th.prompts.len()))
    });
    let prompts = move || {
        (0..count.get())
            .map(|p| {
                let path = format!("themes[{t}].prompts[{p}]");
                let bands = options(
                    &[Band::All, Band::Groep1_2, Band::Groep3_5, Band::Groep6_8],
                    band_label,
                );
                let remove = move |_| {
                    editor.edit(|c| {
                        if let Some(th) = c.themes.get_mut(t) {
                            if p < th.prompts.len() {
                                th.prompts.remove(p);
                            }
                        }
                    })
                };
                view! {
                    <li class="card beheer-sub">
                        <TextField label=format!("Vraag {}", p + 1) path=format!("{path}.text")
                            lens=prompt(t, p, |x| x.text.clone(), |x, v| x.text = v)/>
                        <SelectInput label="Voor welke leeftijd" path=format!("{path}.band") options=bands
                            lens=prompt(t, p, |x| name_of(&x.band), |x, v| if let Some(b) = from_name(&v) { x.band = b })/>
                        <button type="button" class="button button--danger" on:click=remove>"Vraag weghalen"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let add = move |_| {
        editor.edit(|c| {
            if let Some(th) = c.themes.get_mut(t) {
                th.prompts.push(Prompt {
                    id: new_id("vraag"),
                    text: Text::nl(""),
                    band: Band::All,
                    category: Category::Thema,
                });
            }
        })
    };
    let remove = move |_| {
        if confirm("Dit thema met zijn vragen uit het concept halen?") {
            editor.edit(|c| {
                if t < c.themes.len() {
                    c.themes.remove(t);
                }
            });
            navigate(&href("themas"), Default::default());
        }
    };
    view! {
        <Back href=href("themas") label="Alle thema's"/>
        <h2>"Thema"</h2>
        <TextField label="Naam van het thema" path=format!("{path}.title")
            lens=theme(t, |x| x.title.clone(), |x, v| x.title = v)/>
        <div class="beheer-row">
            <MomentInput label="Van" path=format!("{path}.from") moment=Moment::Date required=true
                lens=theme(t, |x| MomentValue::Date(x.from), |x, v| if let MomentValue::Date(d) = v { x.from = d })/>
            <MomentInput label="Tot en met" path=format!("{path}.to") moment=Moment::Date required=true
                lens=theme(t, |x| MomentValue::Date(x.to), |x, v| if let MomentValue::Date(d) = v { x.to = d })/>
        </div>
        <GroepenInput path=format!("{path}.groepen")
            lens=theme(t, |x| x.groepen.clone(), |x, v| x.groepen = v)/>
        <h3>"Gespreksvragen"</h3>
        <ul class="beheer-subs">{prompts}</ul>
        <div class="actions">
            <button type="button" class="button" on:click=add>"Vraag toevoegen"</button>
        </div>
        <div class="actions beheer-danger">
            <button type="button" class="button button--danger" on:click=remove>"Thema weghalen"</button>
        </div>
    }
    .into_any()
}

// ---- the agreement ----

/// One list of the agreement, each line with its own field.
#[component]
fn AgreementItems(list: AgreementList) -> impl IntoView {
    let editor = use_editor();
    let count = Memo::new(move |_| editor.draft.with(|c| list.items(&c.agreement).len()));
    // The list's name in the content's JSON, as the validation's paths use it.
    let name = name_of(&list);
    let (heading_id, error_path) = (format!("lijst-{name}"), format!("agreement.{name}"));
    let item_path = move |i: usize| format!("agreement.{name}[{i}].text");
    let rows = move || {
        (0..count.get())
            .map(|i| {
                let lens = Lens::at(
                    move |c: &Content| list.items(&c.agreement).get(i),
                    move |c: &mut Content| list.items_mut(&mut c.agreement)?.get_mut(i),
                    |x: &AgreementItem| x.text.clone(),
                    |x, v| x.text = v,
                );
                let remove = move |_| {
                    editor.edit(|c| {
                        if let Some(items) = list.items_mut(&mut c.agreement) {
                            if i < items.len() {
                                items.remove(i);
                            }
                        }
                    })
                };
                view! {
                    <li class="card beheer-sub">
                        <TextField label=format!("Afspraak {}", i + 1)
                            path=item_path(i) lens=lens multiline=true/>
                        <button type="button" class="button button--danger" on:click=remove>"Weghalen"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let add = move |_| {
        editor.edit(|c| {
            if let Some(items) = list.items_mut(&mut c.agreement) {
                items.push(AgreementItem {
                    id: new_id("afspraak"),
                    text: Text::nl(""),
                })
            }
        })
    };
    let list_error = move || editor.messages(std::slice::from_ref(&error_path)).join(" ");
    view! {
        <section aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>{list_label(list)}</h3>
            <p class="field__error">{list_error}</p>
            <ul class="beheer-subs">{rows}</ul>
            <div class="actions">
                <button type="button" class="button" on:click=add>
                    {format!("Toevoegen aan: {}", list_label(list).to_lowercase())}
                </button>
            </div>
        </section>
    }
}

/// The agreement: the vision and the three lists, and what a publication would change.
#[component]
pub fn AgreementForm() -> impl IntoView {
    let editor = use_editor();
    let version = move || {
        editor
            .published
            .with(|p| p.as_ref().map(|c| c.agreement.version))
    };
    view! {
        <Back href=href("") label="Overzicht"/>
        <h2>"Afspraken tussen school en ouders"</h2>
        <p class="muted">{move || match version() {
            Some(v) => format!("Gepubliceerd: versie {v}. Als u de tekst verandert, wordt dit versie {} en vragen we alle ouders de afspraken opnieuw te lezen.", v + 1),
            None => "Nog niet gepubliceerd.".to_owned(),
        }}</p>
        <TextField label=list_label(AgreementList::Vision) path="agreement.vision".into() multiline=true
            lens=Lens::at(|c| Some(&c.agreement), |c| Some(&mut c.agreement), |a| a.vision.clone(), |a, v| a.vision = v)/>
        {AgreementList::LISTS.map(|list| view! { <AgreementItems list=list/> }).collect_view()}
        <AgreementChanges/>
    }
}

/// What parents will see as changed in the agreement, against the published version.
#[component]
pub fn AgreementChanges() -> impl IntoView {
    let editor = use_editor();
    let changes = move || {
        let draft = editor.draft.with(|c| c.agreement.clone());
        editor.published.with(|p| {
            p.as_ref()
                .map(|old| driehoek_core::diff(&old.agreement, &draft, "nl"))
                .unwrap_or_default()
        })
    };
    move || {
        let changes = changes();
        (!changes.is_empty()).then(|| {
            let rows = changes
                .into_iter()
                .map(|change| {
                    let (what, text) = match change.kind {
                        ChangeKind::Added => ("Nieuw", change.new_text),
                        ChangeKind::Removed => ("Weg", change.old_text),
                        ChangeKind::Reworded => ("Anders verwoord", change.new_text),
                    };
                    view! {
                        <li>
                            <strong>{format!("{what} ({}): ", list_label(change.list).to_lowercase())}</strong>
                            {text.unwrap_or_default()}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="card beheer-diff" aria-labelledby="afspraken-wijzigingen">
                    <h3 id="afspraken-wijzigingen">"Wat verandert er voor ouders"</h3>
                    <ul>{rows}</ul>
                </section>
            }
        })
    }
}
