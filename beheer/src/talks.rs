//! Gesprekken, the writing side: the school's rounds of talks with parents (a startgesprek, the
//! rapportgesprekken, a huisbezoek), each with per groep its days, time windows and place, and a
//! preview of the talks the windows make, as parents will be able to book them.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use driehoek_core::talks::{TalkGroep, TalkKind, TalkRound, TalkWindow};
use driehoek_core::{Content, Text};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::editors::{
    confirm, date_time_of, entry_form, from_name, href, list_screen, name_of, options, Back, Row,
};
use super::fields::{
    use_editor, Lens, Moment, MomentInput, MomentValue, NumberInput, SelectInput, TextField,
};
use driehoek_web::browser::new_id;
use driehoek_web::clock::today;
use driehoek_web::dates;
use driehoek_web::i18n::Lang;

/// The name of a kind of talk, as the school's screens show it.
pub fn kind_label(kind: TalkKind) -> &'static str {
    match kind {
        TalkKind::Startgesprek => "Startgesprek",
        TalkKind::Rapportgesprek => "Rapportgesprek",
        TalkKind::Kennismakingsgesprek => "Kennismakingsgesprek",
        TalkKind::Huisbezoek => "Huisbezoek",
        TalkKind::Anders => "Anders",
    }
}

/// "1 gesprek", "8 gesprekken".
pub fn talks_count(n: usize) -> String {
    match n {
        1 => "1 gesprek".to_owned(),
        n => format!("{n} gesprekken"),
    }
}

/// `date`, or the Monday after it when it falls in a weekend.
fn school_day(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date + Duration::days(2),
        Weekday::Sun => date + Duration::days(1),
        _ => date,
    }
}

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

/// A new round as most schools start one: rapportgesprekken of ten minutes with five minutes
/// between, booking open from this evening for a week, one groep with one afternoon two weeks
/// ahead.
pub fn new_round(id: String, today: NaiveDate) -> TalkRound {
    TalkRound {
        id,
        kind: TalkKind::Rapportgesprek,
        title: Text::nl("Rapportgesprekken"),
        text: Text::nl(""),
        groepen: vec![TalkGroep {
            groep: 1,
            windows: vec![TalkWindow {
                date: school_day(today + Duration::days(14)),
                from: at(15, 0),
                to: at(17, 0),
            }],
            place: Text::nl(""),
        }],
        slot_minutes: 10,
        changeover_minutes: 5,
        opens: today.and_time(at(19, 0)),
        closes: (today + Duration::days(7)).and_time(at(19, 0)),
        siblings_from: None,
    }
}

/// The next window of a groep: the day after its last one at the same times, or an afternoon
/// two weeks from `today`.
pub fn next_window(windows: &[TalkWindow], today: NaiveDate) -> TalkWindow {
    match windows.iter().max_by_key(|w| (w.date, w.from)) {
        Some(last) => TalkWindow {
            date: school_day(last.date + Duration::days(1)),
            ..last.clone()
        },
        None => TalkWindow {
            date: school_day(today + Duration::days(14)),
            from: at(15, 0),
            to: at(17, 0),
        },
    }
}

/// A groep to add to `round`: the lowest groep not in it yet, with the times of the last groep.
pub fn next_groep(round: &TalkRound, today: NaiveDate) -> Option<TalkGroep> {
    let groep = (1..=8u8).find(|n| round.groep(*n).is_none())?;
    let windows = match round.groepen.last() {
        Some(last) => last.windows.clone(),
        None => vec![next_window(&[], today)],
    };
    Some(TalkGroep {
        groep,
        windows,
        place: Text::nl(""),
    })
}

/// Gives every groep of `round` the time windows of the groep at place `from`.
pub fn copy_times(round: &mut TalkRound, from: usize) {
    let Some(windows) = round.groepen.get(from).map(|g| g.windows.clone()) else {
        return;
    };
    for part in &mut round.groepen {
        part.windows = windows.clone();
    }
}

/// One line of the preview: the talks of one groep on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayOfTalks {
    pub groep: u8,
    pub date: NaiveDate,
    pub starts: Vec<NaiveTime>,
}

impl DayOfTalks {
    /// "Groep 7, dinsdag 8 december: 8 gesprekken: 15:00, 15:15, 15:30"
    pub fn text(&self) -> String {
        let times: Vec<String> = self.starts.iter().map(|t| dates::time(*t)).collect();
        format!(
            "Groep {}, {}: {}: {}",
            self.groep,
            dates::weekday_date(Lang::Nl, self.date),
            talks_count(self.starts.len()),
            times.join(", ")
        )
    }
}

/// The talks `round` makes, per groep (in the round's order) and day.
pub fn days_of_talks(round: &TalkRound) -> Vec<DayOfTalks> {
    let mut days: Vec<DayOfTalks> = Vec::new();
    for part in &round.groepen {
        for slot in round.slots_of(part.groep) {
            let date = slot.start.date();
            match days.last_mut() {
                Some(day) if day.groep == part.groep && day.date == date => {
                    day.starts.push(slot.start.time())
                }
                _ => days.push(DayOfTalks {
                    groep: part.groep,
                    date,
                    starts: vec![slot.start.time()],
                }),
            }
        }
    }
    days
}

// ---- the list ----

/// The rounds of talks, the latest first.
#[component]
pub fn TalkList() -> impl IntoView {
    let editor = use_editor();
    let rows = move || {
        let mut list: Vec<_> = editor.draft.with(|c| {
            c.talks
                .iter()
                .map(|r| {
                    let groepen = match r.groepen.len() {
                        1 => "1 groep".to_owned(),
                        n => format!("{n} groepen"),
                    };
                    let detail = format!(
                        "{} · {groepen} · {}",
                        kind_label(r.kind),
                        talks_count(r.slots().len())
                    );
                    (
                        r.opens,
                        Row::new(href(&format!("gesprekken/{}", r.id)), &r.title, detail),
                    )
                })
                .collect()
        });
        list.sort_by_key(|x| std::cmp::Reverse(x.0));
        list.into_iter().map(|(_, row)| row).collect()
    };
    let add = move || {
        let id = new_id("gesprekken");
        editor.edit(|c| c.talks.push(new_round(id.clone(), today())));
        href(&format!("gesprekken/{id}"))
    };
    let intro = "Een gespreksronde: per groep de dagen en tijden waarop ouders een gesprek met de \
                 leerkracht kunnen boeken. De app maakt er losse gesprekken van.";
    list_screen(
        "Gesprekken met ouders",
        Some(intro),
        "Nieuwe ronde",
        rows,
        add,
    )
}

// ---- one round ----

fn round<T: Default + 'static>(
    r: usize,
    get: fn(&TalkRound) -> T,
    set: fn(&mut TalkRound, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.talks.get(r),
        move |c| c.talks.get_mut(r),
        get,
        set,
    )
}

fn part<T: Default + 'static>(
    r: usize,
    g: usize,
    get: fn(&TalkGroep) -> T,
    set: fn(&mut TalkGroep, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.talks.get(r)?.groepen.get(g),
        move |c| c.talks.get_mut(r)?.groepen.get_mut(g),
        get,
        set,
    )
}

fn window<T: Default + 'static>(
    r: usize,
    g: usize,
    w: usize,
    get: fn(&TalkWindow) -> T,
    set: fn(&mut TalkWindow, T),
) -> Lens<T> {
    Lens::at(
        move |c| c.talks.get(r)?.groepen.get(g)?.windows.get(w),
        move |c| c.talks.get_mut(r)?.groepen.get_mut(g)?.windows.get_mut(w),
        get,
        set,
    )
}

/// A number of minutes of the round (`u16` in the model).
fn minutes(v: Option<u32>) -> Option<u16> {
    v.and_then(|n| u16::try_from(n).ok())
}

/// One round, found by the id in its address (`gesprekken/<id>`).
#[component]
pub fn TalkForm() -> impl IntoView {
    entry_form(|c| &c.talks, |r| &r.id, talk_form, "gesprekken")
}

/// The round at place `r` of the draft: every field of the model, its groepen with their time
/// windows, and the talks they make.
fn talk_form(r: usize) -> AnyView {
    let editor = use_editor();
    let navigate = use_navigate();
    let path = format!("talks[{r}]");
    let kinds = options(&TalkKind::ALL, kind_label);
    let count = Memo::new(move |_| {
        editor
            .draft
            .with(|c| c.talks.get(r).map_or(0, |x| x.groepen.len()))
    });
    let groepen = move || {
        (0..count.get())
            .map(|g| view! { <GroepPart r=r g=g/> })
            .collect_view()
    };
    let add_groep = move |_| {
        editor.edit(|c| {
            if let Some(round) = c.talks.get_mut(r) {
                if let Some(part) = next_groep(round, today()) {
                    round.groepen.push(part);
                }
            }
        })
    };
    let full = Memo::new(move |_| count.get() >= 8);
    let groepen_path = format!("{path}.groepen");
    let groepen_error = move || {
        editor
            .messages(std::slice::from_ref(&groepen_path))
            .join(" ")
    };
    let remove = move |_| {
        if confirm("Deze gespreksronde uit het concept halen?") {
            editor.edit(|c| {
                if r < c.talks.len() {
                    c.talks.remove(r);
                }
            });
            navigate(&href("gesprekken"), Default::default());
        }
    };
    view! {
        <Back href=href("gesprekken") label="Alle rondes"/>
        <h2>"Gespreksronde"</h2>
        <SelectInput label="Soort gesprek" path=format!("{path}.kind") options=kinds
            lens=round(r, |x| name_of(&x.kind), |x, v| if let Some(k) = from_name(&v) { x.kind = k })/>
        <TextField label="Titel" path=format!("{path}.title")
            lens=round(r, |x| x.title.clone(), |x, v| x.title = v)/>
        <TextField label="Uitleg voor ouders" path=format!("{path}.text") multiline=true
            lens=round(r, |x| x.text.clone(), |x, v| x.text = v)/>
        <div class="beheer-row">
            <NumberInput label="Duur van een gesprek (minuten)" path=format!("{path}.slot_minutes")
                min=5 max=60 required=true
                lens=round(r, |x| Some(u32::from(x.slot_minutes)),
                    |x, v| if let Some(n) = minutes(v) { x.slot_minutes = n })/>
            <NumberInput label="Wisseltijd (minuten)" path=format!("{path}.changeover_minutes")
                min=0 max=30 required=true hint="Tijd tussen twee gesprekken"
                lens=round(r, |x| Some(u32::from(x.changeover_minutes)),
                    |x, v| if let Some(n) = minutes(v) { x.changeover_minutes = n })/>
        </div>
        <h3>"Inschrijven"</h3>
        <div class="beheer-row">
            <MomentInput label="Inschrijven open vanaf" path=format!("{path}.opens") moment=Moment::DateTime required=true
                lens=round(r, |x| MomentValue::DateTime(x.opens), |x, v| if let Some(at) = date_time_of(v) { x.opens = at })/>
            <MomentInput label="Inschrijven sluit op" path=format!("{path}.closes") moment=Moment::DateTime required=true
                lens=round(r, |x| MomentValue::DateTime(x.closes), |x, v| if let Some(at) = date_time_of(v) { x.closes = at })/>
        </div>
        <MomentInput label="Gezinnen met meer kinderen mogen eerder inschrijven vanaf"
            path=format!("{path}.siblings_from") moment=Moment::DateTime
            hint="Laat leeg: iedereen schrijft tegelijk in. Zo kunnen broertjes en zusjes hun gesprekken achter elkaar plannen."
            lens=round(r, |x| x.siblings_from.map_or(MomentValue::Empty, MomentValue::DateTime),
                |x, v| x.siblings_from = date_time_of(v))/>
        <h3>"Groepen en tijden"</h3>
        <p class="field__error">{groepen_error}</p>
        <ul class="beheer-subs">{groepen}</ul>
        <div class="actions">
            <button type="button" class="button" on:click=add_groep disabled=move || full.get()>
                "Groep toevoegen"
            </button>
        </div>
        <SlotPreview r=r/>
        <div class="actions beheer-danger">
            <button type="button" class="button button--danger" on:click=remove>"Ronde weghalen"</button>
        </div>
    }
    .into_any()
}

/// One groep of the round at `r`: its number, its place, and its time windows.
#[component]
fn GroepPart(
    /// The round's place in the draft.
    r: usize,
    /// The groep's place in the round.
    g: usize,
) -> impl IntoView {
    let editor = use_editor();
    let path = format!("talks[{r}].groepen[{g}]");
    let find = move |c: &Content| {
        c.talks
            .get(r)
            .and_then(|x| x.groepen.get(g))
            .map(|p| p.groep)
    };
    let number = Memo::new(move |_| editor.draft.with(|c| find(c)).unwrap_or_default());
    let home = Memo::new(move |_| {
        editor.draft.with(|c| {
            c.talks
                .get(r)
                .is_some_and(|x| x.kind == TalkKind::Huisbezoek)
        })
    });
    let windows = Memo::new(move |_| {
        editor.draft.with(|c| {
            c.talks
                .get(r)
                .and_then(|x| x.groepen.get(g))
                .map_or(0, |p| p.windows.len())
        })
    });
    let rows = move || {
        (0..windows.get())
            .map(|w| view! { <WindowRow r=r g=g w=w/> })
            .collect_view()
    };
    let windows_path = format!("{path}.windows");
    let windows_error = move || {
        editor
            .messages(std::slice::from_ref(&windows_path))
            .join(" ")
    };
    let legend = move || format!("Groep {}", number.get());
    view! {
        <li class="card beheer-sub">
            <fieldset class="talk-groep">
                <legend>{legend}</legend>
                <NumberInput label="Groep" path=format!("{path}.groep") min=1 max=8 required=true
                    lens=part(r, g, |x| Some(u32::from(x.groep)),
                        |x, v| if let Some(n) = v.and_then(|n| u8::try_from(n).ok()) { x.groep = n })/>
                <TextField label="Plaats" path=format!("{path}.place")
                    lens=part(r, g, |x| x.place.clone(), |x, v| x.place = v)/>
                <Show when=move || home.get()>
                    <p class="field__hint">"Bij een huisbezoek mag de plaats leeg blijven: ouders lezen dan “bij u thuis”."</p>
                </Show>
                <p class="field__error">{windows_error}</p>
                <ul class="beheer-subs talk-windows">{rows}</ul>
                <GroepButtons r=r g=g number=number/>
            </fieldset>
        </li>
    }
}

/// What the office can do with one groep of a round: add a time window, give every groep its
/// times, take it away.
#[component]
fn GroepButtons(
    /// The round's place in the draft.
    r: usize,
    /// The groep's place in the round.
    g: usize,
    /// The groep's number.
    number: Memo<u8>,
) -> impl IntoView {
    let editor = use_editor();
    let several = Memo::new(move |_| {
        editor
            .draft
            .with(|c| c.talks.get(r).map_or(0, |x| x.groepen.len()) > 1)
    });
    let add = move |_| {
        editor.edit(|c| {
            if let Some(part) = c.talks.get_mut(r).and_then(|x| x.groepen.get_mut(g)) {
                let next = next_window(&part.windows, today());
                part.windows.push(next);
            }
        })
    };
    let copy = move |_| {
        if confirm("De tijden van alle andere groepen vervangen door de tijden van deze groep?") {
            editor.edit(|c| {
                if let Some(round) = c.talks.get_mut(r) {
                    copy_times(round, g);
                }
            })
        }
    };
    let remove = move |_| {
        editor.edit(|c| {
            if let Some(round) = c.talks.get_mut(r) {
                if g < round.groepen.len() {
                    round.groepen.remove(g);
                }
            }
        })
    };
    view! {
        <div class="actions">
            <button type="button" class="button" on:click=add>"Tijdvak toevoegen"</button>
            <Show when=move || several.get()>
                <button type="button" class="button" on:click=copy>"Kopieer tijden naar alle groepen"</button>
            </Show>
            <button type="button" class="button button--danger" on:click=remove>
                {move || format!("Groep {} weghalen", number.get())}
            </button>
        </div>
    }
}

/// One time window of a groep: the day, and from when until when.
#[component]
fn WindowRow(
    /// The round's place in the draft.
    r: usize,
    /// The groep's place in the round.
    g: usize,
    /// The window's place in the groep.
    w: usize,
) -> impl IntoView {
    let editor = use_editor();
    let path = format!("talks[{r}].groepen[{g}].windows[{w}]");
    let remove = move |_| {
        editor.edit(|c| {
            if let Some(part) = c.talks.get_mut(r).and_then(|x| x.groepen.get_mut(g)) {
                if w < part.windows.len() {
                    part.windows.remove(w);
                }
            }
        })
    };
    view! {
        <li class="talk-window">
            <fieldset>
                <legend>{format!("Tijdvak {}", w + 1)}</legend>
                <div class="beheer-row">
                    <MomentInput label="Datum" path=format!("{path}.date") moment=Moment::Date required=true
                        lens=window(r, g, w, |x| MomentValue::Date(x.date), |x, v| if let MomentValue::Date(d) = v { x.date = d })/>
                    <MomentInput label="Van" path=format!("{path}.from") moment=Moment::Time required=true
                        lens=window(r, g, w, |x| MomentValue::Time(x.from), |x, v| if let MomentValue::Time(t) = v { x.from = t })/>
                    <MomentInput label="Tot" path=format!("{path}.to") moment=Moment::Time required=true
                        lens=window(r, g, w, |x| MomentValue::Time(x.to), |x, v| if let MomentValue::Time(t) = v { x.to = t })/>
                </div>
                <button type="button" class="button button--danger" on:click=remove>
                    {format!("Tijdvak {} weghalen", w + 1)}
                </button>
            </fieldset>
        </li>
    }
}

/// The talks the round makes, per groep and day, following every change.
#[component]
fn SlotPreview(
    /// The round's place in the draft.
    r: usize,
) -> impl IntoView {
    let editor = use_editor();
    let days = Memo::new(move |_| {
        editor
            .draft
            .with(|c| c.talks.get(r).map(days_of_talks).unwrap_or_default())
    });
    let total = move || days.with(|d| d.iter().map(|x| x.starts.len()).sum::<usize>());
    let lines = move || {
        days.get()
            .into_iter()
            .map(|day| view! { <li>{day.text()}</li> })
            .collect_view()
    };
    view! {
        <section class="card talk-preview" aria-labelledby="gesprekken-voorbeeld">
            <h3 id="gesprekken-voorbeeld">"Deze gesprekken kunnen ouders boeken"</h3>
            <p role="status" class="talk-preview__total">
                {move || match total() {
                    0 => "Nog geen gesprekken: geef een groep een dag met een begin- en eindtijd.".to_owned(),
                    n => format!("In totaal {}.", talks_count(n)),
                }}
            </p>
            <ul>{lines}</ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_new_round_is_valid_once_it_has_a_text_and_a_place() {
        // Monday 23 November 2026: the talks fall on Monday 7 December, after the booking closes.
        let mut round = new_round("r1".into(), day(2026, 11, 23));
        assert_eq!(round.groepen[0].windows[0].date, day(2026, 12, 7));
        assert_eq!(round.slots().len(), 8, "two hours of 10 + 5 minutes");
        round.text = Text::nl("Over het rapport.");
        round.groepen[0].place = Text::nl("Lokaal 1");
        let mut content = driehoek_core::draft::blank("school", day(2026, 11, 23));
        content.talks.push(round);
        let errors: Vec<_> = driehoek_core::validate(&content)
            .into_iter()
            .filter(|e| e.field.starts_with("talks"))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_window_in_a_weekend_moves_to_the_monday() {
        // Saturday 21 November + 14 days is Saturday 5 December.
        let round = new_round("r1".into(), day(2026, 11, 21));
        assert_eq!(round.groepen[0].windows[0].date, day(2026, 12, 7));
        let next = next_window(&round.groepen[0].windows, day(2026, 11, 21));
        assert_eq!(next.date, day(2026, 12, 8));
        assert_eq!((next.from, next.to), (at(15, 0), at(17, 0)));
    }

    #[test]
    fn the_preview_names_per_groep_and_day_how_many_talks_and_when() {
        let mut round = new_round("r1".into(), day(2026, 11, 23));
        round.groepen[0].groep = 7;
        let second = next_window(&round.groepen[0].windows, day(2026, 11, 23));
        round.groepen[0].windows.push(second);
        let added = next_groep(&round, day(2026, 11, 23)).unwrap();
        assert_eq!(added.groep, 1, "the lowest groep not in the round");
        round.groepen.push(added);
        let days = days_of_talks(&round);
        assert_eq!(days.len(), 4, "two days for each of two groepen");
        assert_eq!(days[0].groep, 7);
        assert_eq!(
            days[0].text(),
            "Groep 7, maandag 7 december: 8 gesprekken: 15:00, 15:15, 15:30, 15:45, 16:00, 16:15, 16:30, 16:45"
        );
        assert_eq!(talks_count(1), "1 gesprek");
    }

    #[test]
    fn copying_times_gives_every_groep_the_same_windows() {
        let mut round = new_round("r1".into(), day(2026, 11, 23));
        let mut other = next_groep(&round, day(2026, 11, 23)).unwrap();
        other.windows[0].from = at(13, 0);
        round.groepen.push(other);
        copy_times(&mut round, 0);
        assert_eq!(round.groepen[1].windows, round.groepen[0].windows);
    }
}
