//! What the school does (admin token): publish its content (`PUT …/content`), and see who comes
//! to what (`GET …/rsvps`, `…/rsvps.csv`) and how many families read each version of the
//! agreement (`GET …/acknowledgements`).

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDateTime;
pub use driehoek_core::report::{
    rsvp_report, AckReport, ActivityRsvps, RsvpReport, RsvpRow, Totals, VersionAcks,
};
use driehoek_core::talks::{
    schedule, Schedule, ScheduleRow, SchoolBooking, Slot, SlotBlock, TalkRound, MAX_NOTE,
};
use driehoek_core::{Answer, FieldError};
use sha2::{Digest, Sha256};

use crate::auth::AdminSchool;
use crate::cache::School;
use crate::error::AppError;
use crate::request::{blocking, invalid, json_body, Body, NO_SUCH_ROUND};
use crate::store::{Conflict, Publication, Refused, SchoolBookingWrite};
use crate::AppState;

/// The largest content a school may publish.
pub const MAX_CONTENT_BYTES: usize = 2 * 1024 * 1024;

/// The school's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/schools/{school}/content",
            put(content_put).layer(DefaultBodyLimit::max(MAX_CONTENT_BYTES)),
        )
        .route("/api/v1/schools/{school}/rsvps", get(rsvps_get))
        .route("/api/v1/schools/{school}/rsvps.csv", get(rsvps_csv_get))
        .route(
            "/api/v1/schools/{school}/acknowledgements",
            get(acknowledgements_get),
        )
        .route("/api/v1/schools/{school}/absences", get(absences_get))
        .route(
            "/api/v1/schools/{school}/talks/{round_id}/schedule",
            get(schedule_get),
        )
        .route(
            "/api/v1/schools/{school}/talks/{round_id}/schedule.csv",
            get(schedule_csv_get),
        )
        .route(
            "/api/v1/schools/{school}/talks/{round_id}/slots/{slot_id}",
            put(slot_put).layer(DefaultBodyLimit::max(MAX_TALK_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/talks/{round_id}/bookings",
            post(school_booking_post).layer(DefaultBodyLimit::max(MAX_TALK_BYTES)),
        )
}

/// The largest body of the school's talk calls (a slot blocked, a booking by hand).
pub const MAX_TALK_BYTES: usize = 64 * 1024;

/// The message of a slot the round does not make.
const NO_SUCH_SLOT: &str = "Deze tijd bestaat niet in deze gespreksronde.";

/// The published round `round_id`, else 404.
fn round_of<'a>(school: &'a School, round_id: &str) -> Result<&'a TalkRound, AppError> {
    school
        .published
        .as_deref()
        .ok_or(AppError::NotFound)?
        .content
        .talks
        .iter()
        .find(|r| r.id == round_id)
        .ok_or(AppError::Missing(NO_SUCH_ROUND))
}

/// The schedule of a round: every slot, booked, blocked or free.
async fn load_schedule(
    state: &AppState,
    school: &School,
    round_id: &str,
) -> Result<Schedule, AppError> {
    let round = round_of(school, round_id)?;
    let (store, id, rid) = (
        state.store.clone(),
        school.meta.id.clone(),
        round.id.clone(),
    );
    let talks = blocking(move || store.round_talks(&id, &rid)).await?;
    Ok(schedule(round, talks.held, &talks.blocked))
}

/// `GET …/talks/{round_id}/schedule`: every slot of the round by start and groep, with the talk
/// booked on it, and the counts per groep.
async fn schedule_get(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
    Path((_, round_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    Ok(Json(load_schedule(&state, &school, &round_id).await?).into_response())
}

/// `GET …/talks/{round_id}/schedule.csv`: the same as a spreadsheet for Dutch Excel.
async fn schedule_csv_get(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
    Path((_, round_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let schedule = load_schedule(&state, &school, &round_id).await?;
    csv_download("gesprekken", &schedule.round_id, schedule_csv(&schedule))
}

/// A CSV file as a download named `<prefix>-<id>.csv` (the id kept to `a-z`, `0-9` and `-`).
fn csv_download(
    prefix: &str,
    id: &str,
    body: Result<String, String>,
) -> Result<Response, AppError> {
    let file: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{prefix}-{file}.csv\""))
            .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body.map_err(AppError::Internal)?,
    )
        .into_response())
}

/// The schedule as a CSV file for Dutch Excel, made as [`csv`] makes the RSVPs': one row per
/// slot (datum, tijd, groep, kind, ouders, opmerking, status), then the talks whose slot the
/// round no longer makes.
pub fn schedule_csv(schedule: &Schedule) -> Result<String, String> {
    let mut writer = excel_writer();
    let mut row = |cells: &[&str]| {
        writer
            .write_record(cells.iter().map(|cell| cell_text(cell)))
            .map_err(|e| e.to_string())
    };
    row(&[
        "datum",
        "tijd",
        "groep",
        "kind",
        "ouders",
        "opmerking",
        "status",
    ])?;
    for r in &schedule.rows {
        let date = r.slot.start.format("%Y-%m-%d").to_string();
        let time = r.slot.start.format("%H:%M").to_string();
        let groep = r.slot.groep.to_string();
        match &r.talk {
            Some(talk) => row(&[
                &date,
                &time,
                &groep,
                &talk.child.name,
                &talk.names,
                &talk.note,
                if talk.by_school {
                    "geboekt door school"
                } else {
                    "geboekt"
                },
            ])?,
            None => row(&[
                &date,
                &time,
                &groep,
                "",
                "",
                "",
                if r.blocked { "geblokkeerd" } else { "vrij" },
            ])?,
        }
    }
    for talk in &schedule.homeless {
        row(&[
            "",
            "",
            &talk.child.groep.to_string(),
            &talk.child.name,
            &talk.names,
            &talk.note,
            "verplaatsen: deze tijd bestaat niet meer",
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// `PUT …/talks/{round_id}/slots/{slot_id}`: the school blocks a slot (the teacher has another
/// appointment) or frees it again; a booked slot cannot be blocked (409).
async fn slot_put(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
    Path((_, round_id, slot_id)): Path<(String, String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let block: SlotBlock = json_body(&headers, &body)?;
    let round = round_of(&school, &round_id)?;
    let slot = round
        .slot(&slot_id)
        .ok_or(AppError::Missing(NO_SUCH_SLOT))?;
    let answer = state
        .store
        .block_slot(&school.meta.id, &round.id, &slot.id, block.blocked)
        .await?;
    match answer {
        Ok(talk) => Ok(Json(ScheduleRow {
            slot,
            blocked: block.blocked,
            talk,
        })
        .into_response()),
        Err(refused) => Err(talk_refusal(refused)),
    }
}

/// The school's refusals of a talk call, in Dutch.
fn talk_refusal(refused: Refused) -> AppError {
    match refused {
        Refused::SlotBooked => AppError::Conflict(Conflict {
            field: "blocked".into(),
            message: "Op deze tijd staat een gesprek. Verplaats dat gesprek eerst; daarna kunt u \
                      de tijd blokkeren."
                .into(),
        }),
        Refused::SlotTaken { blocked: true } => AppError::Conflict(Conflict {
            field: "slot_id".into(),
            message: "Deze tijd is geblokkeerd. Geef hem eerst weer vrij, of kies een andere tijd."
                .into(),
        }),
        Refused::SlotTaken { blocked: false } => AppError::Conflict(Conflict {
            field: "slot_id".into(),
            message: "Op deze tijd staat al een gesprek. Kies een vrije tijd.".into(),
        }),
        Refused::UnknownBooking => invalid(
            "booking_id",
            "Deze afspraak bestaat niet in deze gespreksronde.",
        ),
        Refused::BookingCancelled => invalid(
            "booking_id",
            "Deze afspraak is afgezegd; maak een nieuwe afspraak voor het kind.",
        ),
        Refused::WrongGroep { slot, child } => invalid(
            "slot_id",
            &format!("Deze tijd is voor groep {slot}; het kind zit in groep {child}."),
        ),
        Refused::TooClose { child, slot } => AppError::Conflict(Conflict {
            field: "slot_id".into(),
            message: format!(
                "Dit gezin heeft om {} al een gesprek over {child}. De ouders hebben tussen twee \
                 gesprekken de wisseltijd nodig: kies een andere tijd.",
                slot.start.format("%H:%M")
            ),
        }),
        Refused::Booking(err) => invalid("child", &err.message()),
        other => AppError::Internal(format!("{other:?} for the school")),
    }
}

/// `POST …/talks/{round_id}/bookings`: the school books a free slot for a family that phoned
/// (a booking and a family id of the server's own), or moves a kept booking (`booking_id`) to a
/// free slot; the family sees the slot with `by_school` at its next read-back.
async fn school_booking_post(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
    Path((_, round_id)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let booking: SchoolBooking = json_body(&headers, &body)?;
    let round = round_of(&school, &round_id)?;
    let slot = round
        .slot(&booking.slot_id)
        .ok_or_else(|| invalid("slot_id", NO_SUCH_SLOT))?;
    check_school_booking(round, &booking, &slot)?;
    let write = SchoolBookingWrite {
        round_id: round.id.clone(),
        booking,
        slot: slot.clone(),
        changeover_minutes: round.changeover_minutes,
        new_ids: new_ids(&school.meta.id, state.clock.unix_millis()),
        now_ms: state.clock.unix_millis(),
    };
    match state.store.book_by_school(&school.meta.id, write).await? {
        Ok(talk) => Ok(Json(ScheduleRow {
            slot,
            blocked: false,
            talk: Some(talk),
        })
        .into_response()),
        Err(refused) => Err(talk_refusal(refused)),
    }
}

/// What a booking by the school must be before the store sees it: for a move a valid booking
/// id; for a new booking a child of a groep of the round and of the slot, the parents' names;
/// a readable note.
fn check_school_booking(
    round: &TalkRound,
    booking: &SchoolBooking,
    slot: &Slot,
) -> Result<(), AppError> {
    use driehoek_core::validate::{free_text, is_valid_id};
    if booking.note.chars().nth(MAX_NOTE).is_some()
        || (!booking.note.is_empty() && free_text(&booking.note, true).is_err())
    {
        return Err(invalid(
            "note",
            &driehoek_core::talks::BookingError::Note.message(),
        ));
    }
    if let Some(id) = &booking.booking_id {
        if !is_valid_id(id) {
            return Err(invalid("booking_id", "Ongeldige code van de afspraak."));
        }
        return Ok(());
    }
    let Some(child) = &booking.child else {
        return Err(invalid(
            "child",
            "Kies het kind (naam en groep) voor een nieuwe afspraak, of een afspraak om te \
             verplaatsen.",
        ));
    };
    driehoek_core::sync::check_children(std::slice::from_ref(child))
        .map_err(|(_, message)| invalid("child", &message))?;
    if round.groep(child.groep).is_none() {
        return Err(invalid(
            "child.groep",
            &driehoek_core::talks::BookingError::NotForGroep { groep: child.groep }.message(),
        ));
    }
    if slot.groep != child.groep {
        return Err(invalid(
            "slot_id",
            &format!(
                "Deze tijd is voor groep {}; het kind zit in groep {}.",
                slot.groep, child.groep
            ),
        ));
    }
    if booking
        .names
        .chars()
        .nth(driehoek_core::sync::MAX_NAMES)
        .is_some()
        || free_text(&booking.names, false).is_err()
    {
        return Err(invalid(
            "names",
            "Vul de namen van de ouders in (maximaal 200 tekens).",
        ));
    }
    Ok(())
}

/// A booking id and a family id for a booking the school makes by hand: random (a fresh hasher
/// key each time) and never made on a phone (`school-…`).
fn new_ids(school: &str, now_ms: i64) -> (String, String) {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static MADE: AtomicU64 = AtomicU64::new(0);
    let made = MADE.fetch_add(1, Ordering::Relaxed);
    let id = || std::collections::hash_map::RandomState::new().hash_one((school, now_ms, made));
    (
        format!("school-{:016x}", id()),
        format!("school-gezin-{:016x}", id()),
    )
}

/// `GET …/absences`: the children reported ill or absent for today (the server's day), per
/// groep, newest first; withdrawn reports left out.
async fn absences_get(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
) -> Result<Response, AppError> {
    let today = state.clock.now_local().date();
    let (store, id) = (state.store.clone(), school.meta.id.clone());
    let kept = blocking(move || store.absences_on(&id, today)).await?;
    Ok(Json(driehoek_core::absence::absence_report(
        &school.meta.id,
        today,
        kept,
    ))
    .into_response())
}

/// The body of a `PUT …/content` that published.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct PublishAnswer {
    /// Always true: the content is published now (its ETag is in the header).
    pub published: bool,
}

/// `PUT …/content`: publishes new content (admin token): `If-Match` required (428) and checked
/// (412), validated (422), and refused (409) when it would change a published agreement version
/// or drop an activity families answered.
async fn content_put(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    // Required: without it, two people in Beheer would overwrite each other unseen.
    let if_match = headers
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?
        .to_str()
        .map(|s| s.trim().to_owned())
        .map_err(|_| AppError::PreconditionFailed)?;
    // `*`: the client knowingly publishes over whatever is there (a first publication).
    let if_match = Some(if_match).filter(|v| v != "*");
    let content: driehoek_core::Content = json_body(&headers, &body)?;
    let mut errors = driehoek_core::validate(&content);
    if content.school.id != school.meta.id {
        errors.push(FieldError {
            field: "school.id".into(),
            message: "Hoort gelijk te zijn aan de code van de school in het adres.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let json = serde_json::to_string(&content).map_err(|e| AppError::Internal(e.to_string()))?;
    let etag = etag_of(&json);
    let (store, id, tag) = (state.store.clone(), school.meta.id.clone(), etag.clone());
    let now = state.clock.now_local();
    let outcome =
        blocking(move || store.publish(&id, &content, &tag, if_match.as_deref(), now)).await?;
    state.schools.forget(&school.meta.id);
    match outcome {
        Publication::Published => Ok((
            StatusCode::OK,
            [(header::ETAG, etag)],
            Json(PublishAnswer { published: true }),
        )
            .into_response()),
        Publication::Stale => Err(AppError::PreconditionFailed),
        Publication::Refused(conflict) => Err(AppError::Conflict(conflict)),
    }
}

/// The ETag of published content: a quoted SHA-256 of its JSON.
pub fn etag_of(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

async fn load_report(state: &AppState, school: &School) -> Result<RsvpReport, AppError> {
    let (store, id) = (state.store.clone(), school.meta.id.clone());
    let rsvps = blocking(move || store.rsvps(&id)).await?;
    let activities = school
        .published
        .as_ref()
        .map(|p| p.content.activities.as_slice())
        .unwrap_or_default();
    Ok(rsvp_report(&school.meta.id, activities, rsvps))
}

/// `GET …/rsvps`: every kept RSVP per activity, with totals.
async fn rsvps_get(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
) -> Result<Response, AppError> {
    Ok(Json(load_report(&state, &school).await?).into_response())
}

/// `GET …/rsvps.csv`: the same as a spreadsheet, one row per answer; the answer's children in
/// `kind` and their groepen in `groep`, in the same order.
async fn rsvps_csv_get(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
) -> Result<Response, AppError> {
    let report = load_report(&state, &school).await?;
    csv_download("rsvps", &report.school, csv(&report))
}

/// The CSV file for Dutch Excel: a byte-order mark (so that Excel reads UTF-8), `;` between
/// cells (Excel in Dutch splits on `;`, not `,`), every cell quoted, CRLF lines, a Dutch header
/// row, and every cell guarded against formulas ([`cell_text`]).
pub fn csv(report: &RsvpReport) -> Result<String, String> {
    let mut writer = excel_writer();
    let mut row = |cells: &[&str]| {
        writer
            .write_record(cells.iter().map(|cell| cell_text(cell)))
            .map_err(|e| e.to_string())
    };
    row(&[
        "activiteit",
        "datum",
        "gezin",
        "namen",
        "kind",
        "groep",
        "antwoord",
        "personen",
        "helpt",
        "opmerking",
        "bijgewerkt",
    ])?;
    for activity in &report.activities {
        let title = activity
            .title
            .clone()
            .unwrap_or_else(|| format!("{} (niet meer gepubliceerd)", activity.activity_id));
        let date = activity.start.map(local).unwrap_or_default();
        for r in &activity.rsvps {
            let answer = match r.answer {
                Answer::Ja => "ja",
                Answer::Nee => "nee",
                Answer::Misschien => "misschien",
            };
            let updated = driehoek_core::tz::local_from_unix_millis(r.updated_at)
                .map(local)
                .unwrap_or_default();
            let kinds: Vec<&str> = r.children.iter().map(|c| c.name.as_str()).collect();
            let groepen: Vec<String> = r.children.iter().map(|c| c.groep.to_string()).collect();
            row(&[
                &title,
                &date,
                &r.family_id,
                &r.names,
                &kinds.join(", "),
                &groepen.join(", "),
                answer,
                &r.people.to_string(),
                if r.helps { "ja" } else { "nee" },
                &r.note,
                &updated,
            ])?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A CSV writer for Dutch Excel: a byte-order mark first, `;`, every cell quoted, CRLF.
fn excel_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()))
}

/// A local time as a spreadsheet reads it: `2026-11-26 19:30`.
fn local(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// One CSV cell's text (the `csv` crate quotes it): a text that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, or a tab or carriage return first) gets a leading `'`; and so
/// does every piece after a `;`, because a spreadsheet that splits on `;` regardless of the
/// quotes (a careless import) would make a cell of that piece.
pub fn cell_text(cell: &str) -> String {
    cell.split(';')
        .map(|piece| {
            if piece.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{piece}")
            } else {
                piece.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// `GET …/acknowledgements`: per agreement version, how many families acknowledged it.
async fn acknowledgements_get(
    State(state): State<AppState>,
    AdminSchool(school): AdminSchool,
) -> Result<Response, AppError> {
    let (store, id) = (state.store.clone(), school.meta.id.clone());
    let versions = blocking(move || store.acknowledgements(&id)).await?;
    Ok(Json(AckReport {
        school: school.meta.id.clone(),
        current_version: school
            .published
            .as_ref()
            .map(|p| p.content.agreement.version),
        versions: versions
            .into_iter()
            .map(|v| VersionAcks {
                version: v.version,
                published: v.published,
                families: v.families,
                readers: driehoek_core::report::family_acks(v.acks),
            })
            .collect(),
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_in_every_piece_excel_could_make_a_cell_of() {
        assert_eq!(cell_text("Sanne"), "Sanne");
        assert_eq!(cell_text("a, b"), "a, b");
        assert_eq!(cell_text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell_text("+31 6"), "'+31 6");
        assert_eq!(cell_text("-1"), "'-1");
        assert_eq!(cell_text("@cmd"), "'@cmd");
        assert_eq!(cell_text("\tx"), "'\tx");
        assert_eq!(
            cell_text("Jansen;=cmd|' /C calc'!A0"),
            "Jansen;'=cmd|' /C calc'!A0",
            "the piece after a ; is a cell of its own in Dutch Excel"
        );
        assert_eq!(cell_text("a;b;@c"), "a;b;'@c");
    }
}
