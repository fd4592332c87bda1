//! Gesprekken, the planning: per published round the school's schedule. Per groep how many talks
//! are booked, free and blocked; per groep and day every talk with the child and the parents;
//! the office blocks a slot, books one for a family that phoned, moves a booking, downloads the
//! schedule for Excel and prints one page per groep for the classroom door.

use chrono::NaiveDate;
use driehoek_core::sync::ChildInGroep;
use driehoek_core::talks::{schedule, GroepCount, Schedule, ScheduleRow, SchoolBooking, TalkRound};
use leptos::prelude::*;

use super::api;
use super::download::use_csv_download;
use super::draft::Login;
use super::talks::kind_label;
use driehoek_web::clock::{now_local, today};
use driehoek_web::dates;
use driehoek_web::i18n::Lang;

/// Puts the row the server answered into the schedule of `round`: a booking that moved leaves
/// its old slot (and the list of bookings without a slot), and the counts follow, made by the
/// same rule as the server's ([`schedule`]).
pub fn apply(round: &TalkRound, s: &mut Schedule, row: ScheduleRow) {
    let moved = row.talk.as_ref().map(|t| t.booking_id.clone());
    let mut held = Vec::new();
    let mut blocked = Vec::new();
    for old in std::mem::take(&mut s.rows) {
        let old = if old.slot.id == row.slot.id {
            row.clone()
        } else {
            old
        };
        if old.blocked {
            blocked.push(old.slot.id.clone());
        }
        if let Some(talk) = old.talk {
            if old.slot.id == row.slot.id || moved.as_ref() != Some(&talk.booking_id) {
                held.push((old.slot.id, talk));
            }
        }
    }
    let mut homeless = std::mem::take(&mut s.homeless);
    homeless.retain(|t| moved.as_ref() != Some(&t.booking_id));
    *s = schedule(round, held, &blocked);
    s.homeless.extend(homeless);
}

/// "Groep 7: 1 geboekt · 14 vrij · 1 geblokkeerd".
pub fn count_text(count: &GroepCount) -> String {
    format!(
        "Groep {}: {} geboekt · {} vrij · {} geblokkeerd",
        count.groep, count.booked, count.free, count.blocked
    )
}

/// The slots of `groep` that can be booked: not booked, not blocked.
pub fn free_slots(schedule: &Schedule, groep: u8) -> Vec<ScheduleRow> {
    schedule
        .rows
        .iter()
        .filter(|r| r.slot.groep == groep && r.talk.is_none() && !r.blocked)
        .cloned()
        .collect()
}

/// The rows of one groep, per day, by time.
pub fn days_of(schedule: &Schedule, groep: u8) -> Vec<(NaiveDate, Vec<ScheduleRow>)> {
    let mut rows: Vec<&ScheduleRow> = schedule
        .rows
        .iter()
        .filter(|r| r.slot.groep == groep)
        .collect();
    rows.sort_by_key(|r| r.slot.start);
    let mut days: Vec<(NaiveDate, Vec<ScheduleRow>)> = Vec::new();
    for row in rows {
        let date = row.slot.start.date();
        match days.last_mut() {
            Some((d, list)) if *d == date => list.push(row.clone()),
            _ => days.push((date, vec![row.clone()])),
        }
    }
    days
}

/// "15:00–15:10".
fn time_span(row: &ScheduleRow) -> String {
    format!(
        "{}–{}",
        dates::time(row.slot.start.time()),
        dates::time(row.slot.end.time())
    )
}

/// "dinsdag 8 december, 15:00".
fn moment(row: &ScheduleRow) -> String {
    dates::date_time(Lang::Nl, row.slot.start)
}

/// A change the office asks of the server.
#[derive(Clone)]
enum Change {
    Block { slot: String, blocked: bool },
    Book(SchoolBooking),
}

/// Which small form is open under a row: booking for a family, or moving a booking.
#[derive(Clone, PartialEq)]
enum Open {
    Book(String),
    Move(String),
}

/// What the screen around the schedule gives each part of it.
#[derive(Clone, Copy)]
struct Planner {
    change: Action<Change, Result<String, String>>,
    open: RwSignal<Option<Open>>,
}

impl Planner {
    /// Opens the small form `which` under its row, or closes it when it is open.
    fn toggle(self, which: Open) {
        self.open.update(|o| {
            *o = if o.as_ref() == Some(&which) {
                None
            } else {
                Some(which)
            }
        });
    }

    /// Whether the small form `which` is open.
    fn is_open(self, which: Open) -> impl Fn() -> bool + Copy + Send + Sync {
        let open = self.open;
        let which = StoredValue::new(which);
        move || open.with(|o| which.with_value(|w| o.as_ref() == Some(w)))
    }
}

/// A report the server did not give, with the way to ask again.
fn failed(message: String, retry: impl Fn() + 'static) -> AnyView {
    view! {
        <div class="notice" role="alert">
            <p>{message}</p>
            <button type="button" class="button" on:click=move |_| retry()>"Opnieuw proberen"</button>
        </div>
    }
    .into_any()
}

/// The planning screen: the published rounds, one chosen, and its schedule.
#[component]
pub fn Planning() -> impl IntoView {
    let login = StoredValue::new(expect_context::<Login>());
    let content = LocalResource::new(move || {
        let login = login.get_value();
        async move { api::published(&login).await }
    });
    let body = move || {
        let found = content.get()?;
        Some(match found {
            Err(message) => failed(message, move || content.refetch()),
            Ok(Some((content, _))) if !content.talks.is_empty() => {
                let school = content.school.name.clone();
                view! { <Rounds rounds=content.talks school=school/> }.into_any()
            }
            Ok(_) => view! {
                <p>"Er zijn nog geen gesprekken gepubliceerd. Maak een gespreksronde onder "
                   <a href="/beheer/gesprekken">"Schrijven, Gesprekken met ouders"</a>
                   " en publiceer die. Daarna ziet u hier wie wanneer komt."</p>
            }
            .into_any(),
        })
    };
    view! {
        <h2 class="no-print">"Gesprekken"</h2>
        {move || body().unwrap_or_else(|| view! {
            <p role="status">"De gespreksrondes worden opgehaald…"</p>
        }.into_any())}
    }
}

/// Sends one change of the office; the row the server now keeps, and what happened in words.
async fn send(login: &Login, id: &str, change: Change) -> Result<(ScheduleRow, String), String> {
    Ok(match change {
        Change::Block { slot, blocked } => {
            let row = api::block_slot(login, id, &slot, blocked).await?;
            let what = if blocked {
                "is geblokkeerd"
            } else {
                "is weer vrij"
            };
            let done = format!("{} {what}.", moment(&row));
            (row, done)
        }
        Change::Book(booking) => {
            let moved = booking.booking_id.is_some();
            let row = api::school_booking(login, id, &booking).await?;
            let name = row
                .talk
                .as_ref()
                .map(|t| t.child.name.clone())
                .unwrap_or_default();
            let done = if moved {
                format!("Verplaatst: {name} komt nu op {}.", moment(&row))
            } else {
                format!("Geboekt: {name} komt op {}.", moment(&row))
            };
            (row, done)
        }
    })
}

/// The choice of a round, and the chosen round's schedule.
#[component]
fn Rounds(
    /// The published rounds.
    rounds: Vec<TalkRound>,
    /// The school's name, for the printed pages.
    school: String,
) -> impl IntoView {
    let now = now_local();
    let first = rounds
        .iter()
        .find(|r| r.last_end().is_some_and(|end| end >= now))
        .or(rounds.first())
        .map(|r| r.id.clone())
        .unwrap_or_default();
    let chosen = RwSignal::new(first);
    let choice = (rounds.len() > 1).then(|| {
        let options = rounds
            .iter()
            .map(|r| {
                let id = r.id.clone();
                let selected = {
                    let id = id.clone();
                    move || chosen.with(|c| *c == id)
                };
                let name = format!("{} ({})", r.title.get("nl"), kind_label(r.kind));
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view();
        view! {
            <div class="field no-print">
                <label for="ronde">"Gespreksronde"</label>
                <select id="ronde" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {options}
                </select>
            </div>
        }
    });
    let rounds = StoredValue::new(rounds);
    let school = StoredValue::new(school);
    let shown = move || {
        let id = chosen.get();
        rounds
            .with_value(|all| all.iter().find(|r| r.id == id).cloned())
            .map(|round| view! { <RoundSchedule round=round school=school.get_value()/> })
    };
    view! {
        {choice}
        {shown}
    }
}

/// The schedule of one round, with its actions.
#[component]
fn RoundSchedule(
    /// The round, as published.
    round: TalkRound,
    /// The school's name, for the printed pages.
    school: String,
) -> impl IntoView {
    let login = StoredValue::new(expect_context::<Login>());
    let id = StoredValue::new(round.id.clone());
    let round = StoredValue::new(round);
    let schedule = LocalResource::new(move || {
        let (login, id) = (login.get_value(), id.get_value());
        async move { api::schedule(&login, &id).await }
    });
    let open = RwSignal::new(None::<Open>);
    // One change at a time; its answer is the row the server now keeps, put into the schedule
    // here, so that the counts follow without loading it all again.
    let change = Action::new_local(move |change: &Change| {
        let (login, id, change) = (login.get_value(), id.get_value(), change.clone());
        async move {
            let (row, done) = send(&login, &id, change).await?;
            schedule.update(|s| {
                if let Some(Ok(s)) = s {
                    round.with_value(|r| apply(r, s, row));
                }
            });
            open.set(None);
            Ok::<String, String>(done)
        }
    });
    let planner = Planner { change, open };
    let busy = change.pending();
    let answer = move || {
        if busy.get() {
            return None;
        }
        change.value().get().map(|r| match r {
            Ok(done) => view! { <p class="notice notice--ok" role="status">{done}</p> }.into_any(),
            Err(problem) => view! { <p class="notice" role="alert">{problem}</p> }.into_any(),
        })
    };
    let csv = use_csv_download(move || {
        let (login, id) = (login.get_value(), id.get_value());
        async move {
            let text = api::schedule_csv(&login, &id).await?;
            Ok((
                format!("gesprekken-{id}-{}.csv", dates::date_value(today())),
                text,
            ))
        }
    });
    let print = move |_| {
        let _ = window().print();
    };
    let school = StoredValue::new(school);
    let body = move || {
        let loaded = schedule.get()?;
        Some(match loaded {
            Err(message) => failed(message, move || schedule.refetch()),
            Ok(s) => round.with_value(|r| schedule_view(planner, r, &school.get_value(), &s)),
        })
    };
    let title = round.with_value(|r| r.title.get("nl").to_owned());
    let closes = round.with_value(|r| dates::date_time(Lang::Nl, r.closes));
    view! {
        <h3 class="no-print">{title}</h3>
        <p class="muted no-print">{format!("Inschrijven sluit {closes}.")}</p>
        <div class="actions no-print">
            <button type="button" class="button" on:click=move |_| schedule.refetch()>"Vernieuwen"</button>
            <button type="button" class="button" on:click=move |_| csv.start.run(())
                disabled=move || csv.pending.get()>
                "Downloaden voor Excel"
            </button>
            <button type="button" class="button" on:click=print>"Afdrukken"</button>
        </div>
        <p class="field__error no-print" role="alert">{move || csv.problem.get()}</p>
        <div class="no-print">{answer}</div>
        {move || body().unwrap_or_else(|| view! {
            <p role="status">"De planning wordt opgehaald…"</p>
        }.into_any())}
    }
}

/// The counts, the bookings without a slot, and per groep its days.
fn schedule_view(planner: Planner, round: &TalkRound, school: &str, s: &Schedule) -> AnyView {
    let counts = s
        .groepen
        .iter()
        .map(|c| view! { <li>{count_text(c)}</li> })
        .collect_view();
    let homeless = (!s.homeless.is_empty()).then(|| {
        let rows = s
            .homeless
            .iter()
            .map(|talk| {
                let free = free_slots(s, talk.child.groep);
                view! {
                    <li>
                        <strong>{format!("{} (groep {})", talk.child.name, talk.child.groep)}</strong>
                        {format!(", {}", talk.names)}
                        <MoveForm planner=planner booking=talk.booking_id.clone() free=free/>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="notice no-print" aria-labelledby="zonder-tijd">
                <h3 class="notice__title" id="zonder-tijd">"Gesprekken zonder tijd"</h3>
                <p>"De tijden zijn veranderd nadat deze ouders boekten. Kies voor hen een vrije tijd."</p>
                <ul>{rows}</ul>
            </section>
        }
    });
    let groepen = s
        .groepen
        .iter()
        .map(|count| {
            let place = round
                .groep(count.groep)
                .map(|g| g.place.get("nl").to_owned())
                .filter(|p| !p.is_empty());
            let place = place.unwrap_or_else(|| "bij de ouders thuis".to_owned());
            let days = days_of(s, count.groep)
                .into_iter()
                .map(|(date, rows)| day_table(planner, s, count.groep, date, rows))
                .collect_view();
            view! {
                <section class="planning-groep" aria-labelledby=format!("planning-groep-{}", count.groep)>
                    <p class="print-only planning-print-head">
                        {format!("{school} · {}", round.title.get("nl"))}
                    </p>
                    <h3 id=format!("planning-groep-{}", count.groep)>
                        {format!("Groep {} · {place}", count.groep)}
                    </h3>
                    <p class="muted no-print">{count_text(count)}</p>
                    {days}
                </section>
            }
        })
        .collect_view();
    view! {
        <ul class="planning-counts no-print" aria-label="Per groep">{counts}</ul>
        {homeless}
        {groepen}
    }
    .into_any()
}

/// The talks of one groep on one day, as a table.
fn day_table(
    planner: Planner,
    s: &Schedule,
    groep: u8,
    date: NaiveDate,
    rows: Vec<ScheduleRow>,
) -> impl IntoView {
    let free = free_slots(s, groep);
    let rows = rows
        .into_iter()
        .map(|row| slot_row(planner, row, free.clone()))
        .collect_view();
    let caption = format!("Groep {groep}, {}", dates::weekday_date(Lang::Nl, date));
    view! {
        <table class="planning-table">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Tijd"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col" class="print-hide">"Groep"</th>
                    <th scope="col">"Ouders"</th>
                    <th scope="col" class="print-hide">"Opmerking"</th>
                    <th scope="col" class="no-print">"Wat doen?"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// One slot: free, blocked or booked, with what the office can do with it, and below it the
/// small form the office opened for it.
fn slot_row(planner: Planner, row: ScheduleRow, free: Vec<ScheduleRow>) -> impl IntoView {
    let (kind, names, note) = match &row.talk {
        Some(talk) => (
            view! {
                <strong>{talk.child.name.clone()}</strong>
                {talk.by_school.then(|| view! { " " <span class="planning-badge">"door school"</span> })}
            }
            .into_any(),
            talk.names.clone(),
            talk.note.clone(),
        ),
        None => {
            let state = if row.blocked { "geblokkeerd" } else { "vrij" };
            (
                view! { <span class="planning-state">{state}</span> }.into_any(),
                String::new(),
                String::new(),
            )
        }
    };
    let class = match (&row.talk, row.blocked) {
        (Some(_), _) => "planning-row planning-row--booked",
        (None, true) => "planning-row planning-row--blocked",
        (None, false) => "planning-row planning-row--free",
    };
    let form = {
        let row = row.clone();
        let booking = row.talk.as_ref().map(|t| t.booking_id.clone());
        let moving = planner.is_open(Open::Move(row.slot.id.clone()));
        let booking_for = planner.is_open(Open::Book(row.slot.id.clone()));
        move || {
            let form = if moving() {
                let (booking, free) = (booking.clone()?, free.clone());
                view! { <MoveForm planner=planner booking=booking free=free/> }.into_any()
            } else if booking_for() {
                view! { <BookForm planner=planner row=row.clone()/> }.into_any()
            } else {
                return None;
            };
            Some(view! {
                <tr class="planning-form no-print"><td colspan="6">{form}</td></tr>
            })
        }
    };
    view! {
        <tr class=class>
            <td data-label="Tijd">{time_span(&row)}</td>
            <td data-label="Kind">{kind}</td>
            <td data-label="Groep" class="print-hide">{row.slot.groep}</td>
            <td data-label="Ouders">{names}</td>
            <td data-label="Opmerking" class="print-hide">{note}</td>
            <td class="planning-actions no-print"><SlotActions planner=planner row=row.clone()/></td>
        </tr>
        {form}
    }
}

/// What the office can do with one slot: book or block a free one, free a blocked one, move a
/// booked one.
#[component]
fn SlotActions(
    /// The surrounding schedule.
    planner: Planner,
    /// The slot.
    row: ScheduleRow,
) -> impl IntoView {
    let Planner { change, .. } = planner;
    let busy = change.pending();
    let slot = row.slot.id;
    // A button that opens (or closes again) the small form `open` under the row.
    let opener = move |label: &'static str, open: Open| {
        let expanded = planner.is_open(open.clone());
        view! {
            <button type="button" class="button" aria-expanded=move || expanded().to_string()
                on:click=move |_| planner.toggle(open.clone())>{label}</button>
        }
    };
    let block = move |label: &'static str, slot: String, blocked: bool| {
        view! {
            <button type="button" class="button" disabled=move || busy.get()
                on:click=move |_| { change.dispatch(Change::Block { slot: slot.clone(), blocked }); }>
                {label}
            </button>
        }
    };
    match (row.talk.is_some(), row.blocked) {
        (true, _) => opener("Verplaatsen", Open::Move(slot)).into_any(),
        (false, true) => block("Vrijgeven", slot, false).into_any(),
        (false, false) => view! {
            {opener("Boeken voor een gezin", Open::Book(slot.clone()))}
            {block("Blokkeren", slot, true)}
        }
        .into_any(),
    }
}

/// Books a free slot for a family that phoned or came to the desk.
#[component]
fn BookForm(
    /// The surrounding schedule.
    planner: Planner,
    /// The free slot.
    row: ScheduleRow,
) -> impl IntoView {
    let (child, names, note) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (problem, set_problem) = signal(String::new());
    let busy = planner.change.pending();
    let slot = row.slot.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = child.get_untracked().trim().to_owned();
        if name.is_empty() {
            set_problem.set("Vul de naam van het kind in.".into());
            return;
        }
        set_problem.set(String::new());
        planner.change.dispatch(Change::Book(SchoolBooking {
            booking_id: None,
            child: Some(ChildInGroep {
                name,
                groep: slot.groep,
            }),
            names: names.get_untracked().trim().to_owned(),
            note: note.get_untracked().trim().to_owned(),
            slot_id: slot.id.clone(),
        }));
    };
    let id = |what: &str| format!("{what}-{}", row.slot.id);
    let heading = format!("Boeken voor {}, groep {}", moment(&row), row.slot.groep);
    let input = move |id: String, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type="text" prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <form class="planning-book" on:submit=submit>
            <p class="planning-form__title">{heading}</p>
            {input(id("kind"), "Naam van het kind", child)}
            {input(id("ouders"), "Ouders", names)}
            {input(id("opmerking"), "Opmerking (mag leeg)", note)}
            <p class="field__error" role="alert">{move || problem.get()}</p>
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || busy.get()>"Boeken"</button>
                <button type="button" class="button" on:click=move |_| planner.open.set(None)>"Annuleren"</button>
            </div>
        </form>
    }
}

/// Moves a booking to a free slot of its groep.
#[component]
fn MoveForm(
    /// The surrounding schedule.
    planner: Planner,
    /// The booking to move.
    booking: String,
    /// The free slots of the booking's groep.
    free: Vec<ScheduleRow>,
) -> impl IntoView {
    let first = free.first().map(|r| r.slot.id.clone()).unwrap_or_default();
    let to = RwSignal::new(first);
    let busy = planner.change.pending();
    let id = format!("naar-{booking}");
    let none_free = free.is_empty();
    let options = free
        .iter()
        .map(|r| view! { <option value=r.slot.id.clone()>{moment(r)}</option> })
        .collect_view();
    let submit = {
        let booking = booking.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let slot_id = to.get_untracked();
            if slot_id.is_empty() {
                return;
            }
            planner.change.dispatch(Change::Book(SchoolBooking {
                booking_id: Some(booking.clone()),
                child: None,
                names: String::new(),
                note: String::new(),
                slot_id,
            }));
        }
    };
    view! {
        <form class="planning-move" on:submit=submit>
            {if none_free {
                view! { <p>"Deze groep heeft geen vrije tijd meer. Geef een blok vrij of voeg een tijdvak toe."</p> }.into_any()
            } else {
                view! {
                    <div class="field">
                        <label for=id.clone()>"Naar welke tijd?"</label>
                        <select id=id on:change=move |ev| to.set(event_target_value(&ev))>{options}</select>
                    </div>
                }.into_any()
            }}
            <div class="actions">
                <button type="submit" class="button button--primary" disabled=move || busy.get() || none_free>
                    "Naar deze tijd verplaatsen"
                </button>
                <button type="button" class="button" on:click=move |_| planner.open.set(None)>"Annuleren"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;
    use driehoek_core::talks::{ScheduledTalk, TalkGroep, TalkKind, TalkWindow};
    use driehoek_core::Text;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    /// Groep 7: two talks on Monday 7 December, one on Tuesday.
    fn round() -> TalkRound {
        let window = |from: &str, to: &str| TalkWindow {
            date: at(from).date(),
            from: at(from).time(),
            to: at(to).time(),
        };
        TalkRound {
            id: "r".into(),
            kind: TalkKind::Rapportgesprek,
            title: Text::nl("Rapportgesprekken"),
            text: Text::nl("Over het rapport."),
            groepen: vec![TalkGroep {
                groep: 7,
                windows: vec![
                    window("2026-12-07 15:00", "2026-12-07 15:30"),
                    window("2026-12-08 15:00", "2026-12-08 15:15"),
                ],
                place: Text::nl("Lokaal 7"),
            }],
            slot_minutes: 10,
            changeover_minutes: 5,
            opens: at("2026-11-23 19:00"),
            closes: at("2026-11-30 19:00"),
            siblings_from: None,
        }
    }

    fn noor() -> ScheduledTalk {
        ScheduledTalk {
            booking_id: "b1".into(),
            family_id: "f".into(),
            child: ChildInGroep {
                name: "Noor".into(),
                groep: 7,
            },
            names: "Sanne".into(),
            note: String::new(),
            by_school: true,
        }
    }

    /// The row of the slot at `start`, as the server answers it.
    fn row(s: &Schedule, start: &str) -> ScheduleRow {
        s.rows
            .iter()
            .find(|r| r.slot.start == at(start))
            .cloned()
            .unwrap()
    }

    #[test]
    fn a_moved_booking_leaves_its_old_slot_and_the_counts_follow() {
        let round = round();
        let mut s = schedule(&round, vec![("g7-20261207-1500".into(), noor())], &[]);
        assert_eq!(
            count_text(&s.groepen[0]),
            "Groep 7: 1 geboekt · 2 vrij · 0 geblokkeerd"
        );
        let mut moved = row(&s, "2026-12-07 15:15");
        moved.talk = Some(noor());
        apply(&round, &mut s, moved);
        assert!(
            row(&s, "2026-12-07 15:00").talk.is_none(),
            "the old slot is free again"
        );
        assert!(row(&s, "2026-12-07 15:15").talk.is_some());
        let mut blocked = row(&s, "2026-12-08 15:00");
        blocked.blocked = true;
        apply(&round, &mut s, blocked);
        assert_eq!(
            count_text(&s.groepen[0]),
            "Groep 7: 1 geboekt · 1 vrij · 1 geblokkeerd"
        );
        assert_eq!(free_slots(&s, 7).len(), 1);
    }

    #[test]
    fn a_booking_without_a_slot_leaves_that_list_once_it_is_moved() {
        let round = round();
        let mut s = schedule(&round, vec![("g7-20261207-1700".into(), noor())], &[]);
        assert_eq!(s.homeless.len(), 1, "a slot the round no longer makes");
        let mut moved = row(&s, "2026-12-08 15:00");
        moved.talk = Some(noor());
        apply(&round, &mut s, moved);
        assert!(s.homeless.is_empty());
        assert_eq!(s.groepen[0].booked, 1);
    }

    #[test]
    fn the_rows_of_a_groep_are_grouped_per_day() {
        let days = days_of(&schedule(&round(), Vec::new(), &[]), 7);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].1.len(), 2);
        assert_eq!(time_span(&days[1].1[0]), "15:00–15:10");
    }
}
