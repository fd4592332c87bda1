//! "Afwezig vandaag": the children reported ill or absent for today, per groep, newest first,
//! with the time each report was sent; withdrawn reports are not listed.

use driehoek_core::absence::{AbsenceKind, AbsenceReport, AbsenceRow};
use leptos::prelude::*;

use super::api;
use super::draft::Login;
use driehoek_web::dates;
use driehoek_web::i18n::Lang;

/// One child on the list.
fn row(a: AbsenceRow) -> impl IntoView {
    let kind = match a.kind {
        AbsenceKind::Ziek => "ziek",
        AbsenceKind::Afwezig => "afwezig",
    };
    let days = if a.first_day == a.last_day {
        String::new()
    } else {
        format!(
            ", {} tot en met {}",
            dates::weekday_date(Lang::Nl, a.first_day),
            dates::weekday_date(Lang::Nl, a.last_day)
        )
    };
    let note = (!a.note.is_empty())
        .then(|| view! { <p class="beheer-note">{format!("“{}”", a.note)}</p> });
    view! {
        <li>
            <strong>{a.child.name}</strong>
            <span>{format!(": {kind}{days}")}</span>
            <span class="muted">
                {format!(" · gemeld om {}", dates::time(a.reported_at.time()))}
            </span>
            {note}
        </li>
    }
}

/// The list, or why it could not be fetched.
fn list(report: Result<AbsenceReport, String>) -> AnyView {
    let report = match report {
        Ok(report) => report,
        Err(message) => {
            return view! { <div class="notice" role="alert"><p>{message}</p></div> }.into_any()
        }
    };
    let day = dates::weekday_date(Lang::Nl, report.date);
    if report.groepen.is_empty() {
        return view! { <p>{format!("Voor {day} is niemand ziek of afwezig gemeld.")}</p> }
            .into_any();
    }
    let total: usize = report.groepen.iter().map(|g| g.absences.len()).sum();
    let groepen = report
        .groepen
        .into_iter()
        .map(|g| {
            let count = g.absences.len();
            view! {
                <section class="card beheer-rsvp">
                    <h3>{format!("Groep {} ({count})", g.groep)}</h3>
                    <ul class="beheer-answers">{g.absences.into_iter().map(row).collect_view()}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <p class="beheer-totals">
            {format!(
                "{day}: {total} {} gemeld",
                if total == 1 { "kind" } else { "kinderen" }
            )}
        </p>
        {groepen}
    }
    .into_any()
}

/// The screen "Afwezig vandaag".
#[component]
pub fn AbsentToday() -> impl IntoView {
    let login = StoredValue::new(expect_context::<Login>());
    let report = LocalResource::new(move || {
        let login = login.get_value();
        async move { api::absences(&login).await }
    });
    view! {
        <div class="actions">
            <button type="button" class="button" on:click=move |_| report.refetch()>"Vernieuwen"</button>
        </div>
        <h2>"Afwezig vandaag"</h2>
        <Suspense fallback=|| view! { <p role="status">"De meldingen worden opgehaald…"</p> }>
            {move || Suspend::new(async move { list(report.await) })}
        </Suspense>
    }
}
