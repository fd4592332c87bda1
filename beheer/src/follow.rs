//! Following up: per activity who comes (counts, names, notes), a CSV file of every answer, and
//! per version of the agreement which families read it, each parent under their own name.

use driehoek_core::report::{AckReport, ActivityRsvps, GroepTotals, RsvpReport};
use driehoek_core::sync::ChildInGroep;
use driehoek_core::Answer;
use leptos::prelude::*;

use super::api;
use super::download::use_csv_download;
use super::draft::Login;
use driehoek_web::clock::today;
use driehoek_web::dates;
use driehoek_web::i18n::Lang;
use driehoek_web::labels::answer_label;

fn families(n: impl std::fmt::Display, one: bool) -> String {
    if one {
        format!("{n} gezin")
    } else {
        format!("{n} gezinnen")
    }
}

/// How many people come: "1 persoon komt", "3 personen komen".
fn coming(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 persoon komt".to_owned(),
        n => format!("{n} personen komen"),
    }
}

/// How many help: "1 helpt mee", "2 helpen mee".
fn helping(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 helpt mee".to_owned(),
        n => format!("{n} helpen mee"),
    }
}

/// The children of an answer: "Noor (groep 7), Sem (groep 2)".
pub fn children_text(children: &[ChildInGroep]) -> String {
    children
        .iter()
        .map(|c| format!("{} (groep {})", c.name, c.groep))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The counts per groep: "groep 7: 2 ja, 1 misschien".
pub fn groep_text(g: &GroepTotals) -> String {
    let mut parts = Vec::new();
    for (n, word) in [(g.ja, "ja"), (g.misschien, "misschien"), (g.nee, "nee")] {
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    format!("groep {}: {}", g.groep, parts.join(", "))
}

/// The answers to one activity.
fn activity_card(activity: ActivityRsvps) -> impl IntoView {
    let t = activity.totals;
    let per_groep = activity.per_groep.clone();
    let groepen_id = format!("groepen-{}", activity.activity_id);
    let title = activity
        .title
        .unwrap_or_else(|| format!("{} (niet meer gepubliceerd)", activity.activity_id));
    let when = activity
        .start
        .map(|s| dates::date_time(Lang::Nl, s))
        .unwrap_or_default();
    let places = activity
        .capacity
        .map(|c| format!(" van de {c} plaatsen"))
        .unwrap_or_default();
    let rows = activity
        .rsvps
        .into_iter()
        .map(|r| {
            let mut detail = answer_label(Lang::Nl.strings(), r.answer).to_owned();
            if r.answer != Answer::Nee {
                detail.push_str(&format!(
                    ", {} {}",
                    r.people,
                    if r.people == 1 { "persoon" } else { "personen" }
                ));
            }
            if r.helps {
                detail.push_str(", helpt mee");
            }
            let note = (!r.note.is_empty())
                .then(|| view! { <p class="beheer-note">{format!("“{}”", r.note)}</p> });
            let children = (!r.children.is_empty()).then(|| {
                view! { <p class="beheer-children">{format!("Voor {}", children_text(&r.children))}</p> }
            });
            view! {
                <li>
                    <strong>{r.names}</strong>
                    <span>{format!(": {detail}")}</span>
                    {children}
                    {note}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card beheer-rsvp">
            <h3>{title}</h3>
            <p class="muted">{when}</p>
            <p class="beheer-totals">
                {format!(
                    "Ja: {} · Misschien: {} · Nee: {} · {}{places} · {}",
                    t.ja, t.misschien, t.nee, coming(t.people), helping(t.helpers)
                )}
            </p>
            {(!per_groep.is_empty()).then(|| view! {
                <p class="beheer-groepen__label" id=groepen_id.clone()>"Kinderen per groep"</p>
                <ul class="beheer-groepen" aria-labelledby=groepen_id.clone()>
                    {per_groep.iter().map(|g| view! { <li>{groep_text(g)}</li> }).collect_view()}
                </ul>
            })}
            <ul class="beheer-answers">{rows}</ul>
        </section>
    }
}

/// Per version of the agreement, how many families read it.
fn acks_view(report: Result<AckReport, String>) -> AnyView {
    let report = match report {
        Ok(report) => report,
        Err(message) => return failed(message),
    };
    if report.versions.is_empty() {
        return view! { <p>"Er zijn nog geen afspraken gepubliceerd."</p> }.into_any();
    }
    let rows = report
        .versions
        .into_iter()
        .rev()
        .map(|v| {
            let now = if report.current_version == Some(v.version) {
                " (nu geldig)"
            } else {
                ""
            };
            let readers = (!v.readers.is_empty()).then(|| {
                let items = v
                    .readers
                    .iter()
                    .map(|f| {
                        let children = if f.children.is_empty() {
                            String::new()
                        } else {
                            format!(" (voor {})", children_text(&f.children))
                        };
                        view! {
                            <li>
                                <strong>{f.names.join(" en ")}</strong>
                                {children}
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="beheer-readers">{items}</ul> }
            });
            view! {
                <li>
                    {format!(
                        "Versie {}{now}, {}: gelezen door {}",
                        v.version,
                        dates::long_date(Lang::Nl, v.published),
                        families(v.families, v.families == 1)
                    )}
                    {readers}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="beheer-acks">{rows}</ul> }.into_any()
}

/// A report the server did not give.
fn failed(message: String) -> AnyView {
    view! { <div class="notice" role="alert"><p>{message}</p></div> }.into_any()
}

/// Who comes to what: what is still to come first, what is over folded away.
fn rsvps_view(report: Result<RsvpReport, String>) -> AnyView {
    let report = match report {
        Ok(report) => report,
        Err(message) => return failed(message),
    };
    if report.activities.is_empty() {
        return view! { <p>"Er zijn nog geen activiteiten met aanmeldingen."</p> }.into_any();
    }
    let now = driehoek_web::clock::now_local();
    let (past, coming): (Vec<_>, Vec<_>) = report
        .activities
        .into_iter()
        .partition(|a| a.start.is_some_and(|s| s < now));
    let past = (!past.is_empty()).then(|| {
        let count = past.len();
        view! {
            <details class="beheer-past">
                <summary>{format!("Voorbij ({count})")}</summary>
                {past.into_iter().map(activity_card).collect_view()}
            </details>
        }
    });
    view! {
        {coming.into_iter().map(activity_card).collect_view()}
        {past}
    }
    .into_any()
}

/// The follow-up screen.
#[component]
pub fn Follow() -> impl IntoView {
    let login = StoredValue::new(expect_context::<Login>());
    // Each report loads when the screen opens and again on "Vernieuwen"; a <Suspense> shows its
    // status line while it loads.
    let rsvps = LocalResource::new(move || {
        let login = login.get_value();
        async move { api::rsvps(&login).await }
    });
    let acks = LocalResource::new(move || {
        let login = login.get_value();
        async move { api::acknowledgements(&login).await }
    });
    let load = move || {
        rsvps.refetch();
        acks.refetch();
    };
    let csv = use_csv_download(move || {
        let login = login.get_value();
        async move {
            let text = api::rsvps_csv(&login).await?;
            let name = format!(
                "aanmeldingen-{}-{}.csv",
                login.school,
                dates::date_value(today())
            );
            Ok((name, text))
        }
    });
    view! {
        <div class="actions">
            <button type="button" class="button" on:click=move |_| load()>"Vernieuwen"</button>
            <button type="button" class="button" on:click=move |_| csv.start.run(())
                disabled=move || csv.pending.get()>
                "Download als CSV (Excel)"
            </button>
        </div>
        <p class="field__error" role="alert">{move || csv.problem.get()}</p>
        <h2>"Afspraken gelezen"</h2>
        <Suspense fallback=|| view! { <p role="status">"Wordt opgehaald…"</p> }>
            {move || Suspend::new(async move { acks_view(acks.await) })}
        </Suspense>
        <h2>"Aanmeldingen per activiteit"</h2>
        <Suspense fallback=|| view! { <p role="status">"De aanmeldingen worden opgehaald…"</p> }>
            {move || Suspend::new(async move { rsvps_view(rsvps.await) })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_person_comes_and_two_people_come() {
        assert_eq!(coming(1u32), "1 persoon komt");
        assert_eq!(coming(0u32), "0 personen komen");
        assert_eq!(coming(2u32), "2 personen komen");
        assert_eq!(helping(1u32), "1 helpt mee");
        assert_eq!(helping(3u32), "3 helpen mee");
    }
}
