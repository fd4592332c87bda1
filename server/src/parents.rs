//! What a parent's phone does (access code): read the published content, answer an activity
//! (RSVP), acknowledge a version of the agreement, report a child ill or absent, keep the
//! family's profile, and read back what the school keeps of the family (for a second phone of
//! the same family).

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use driehoek_core::absence::{AbsenceError, AbsencePut};
use driehoek_core::sync::{AckPut, FamilyProfile, RsvpPut, MAX_NAMES};
use driehoek_core::talks::{BookingError, BookingFull, BookingPut, TakenSlots, TalkRound};
use driehoek_core::validate::is_valid_id;

use crate::auth::{hash, ParentSchool, ReaderSchool};
use crate::cache::{Published, School};
use crate::error::AppError;
use crate::request::{blocking, invalid, json_body, Body, NO_SUCH_ROUND};
use crate::store::{
    AbsenceWrite, AckWrite, BookingWrite, Conflict, FamilyRead, ProfileWrite, Refused, RsvpWrite,
};
use crate::AppState;

/// The largest RSVP or acknowledgement.
pub const MAX_PUT_BYTES: usize = 256 * 1024;

/// The parents' routes (and the content's GET, which the school's Beheer reads too).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/schools/{school}/content", get(content_get))
        .route(
            "/api/v1/schools/{school}/rsvps/{rsvp_id}",
            put(rsvp_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/acknowledgements/{ack_id}",
            put(acknowledgement_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/families/{family_id}",
            get(family_get),
        )
        .route(
            "/api/v1/schools/{school}/families/{family_id}/profile",
            put(profile_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/absences/{absence_id}",
            put(absence_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/bookings/{booking_id}",
            put(booking_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/talks/{round_id}/taken",
            get(taken_get),
        )
}

/// `GET …/families/{family_id}`: what the school keeps of this family (its RSVPs,
/// acknowledgements and profile), for each phone of the family; only with the family's secret.
async fn family_get(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, family_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let secret_hash = family_secret(&headers)?;
    if !is_valid_id(&family_id) {
        return Err(AppError::NotFound);
    }
    let store = state.store.clone();
    let school_id = school.meta.id.clone();
    match blocking(move || store.family(&school_id, &family_id, &secret_hash)).await? {
        FamilyRead::Found(mut records) => {
            // A slot as the published round makes it now (its times follow the round).
            let rounds: &[TalkRound] = school
                .published
                .as_deref()
                .map(|p| p.content.talks.as_slice())
                .unwrap_or_default();
            for booking in &mut records.bookings {
                let round = rounds.iter().find(|r| r.id == booking.kept.round_id);
                if let (Some(round), Some(booked)) = (round, booking.booked.as_mut()) {
                    if let Some(slot) = round.slot(&booked.slot.id) {
                        booked.slot = slot;
                    }
                }
            }
            Ok(Json(records).into_response())
        }
        FamilyRead::Unknown => Err(AppError::NotFound),
        FamilyRead::OtherFamily => Err(AppError::Forbidden),
    }
}

/// `PUT …/families/{family_id}/profile`: the family's children and parents' names (last writer
/// wins per family), so that a second phone of the family gets them.
async fn profile_put(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, family_id)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let profile: FamilyProfile = json_body(&headers, &body)?;
    let secret_hash = family_secret(&headers)?;
    if !is_valid_id(&family_id) {
        return Err(invalid("family_id", "Ongeldige gezinscode."));
    }
    profile
        .check()
        .map_err(|(field, message)| invalid(&field, &message))?;
    check_updated_at(&state, "updated_at", profile.updated_at)?;
    let write = ProfileWrite {
        family_id,
        profile,
        secret_hash,
    };
    match state.store.put_profile(&school.meta.id, write).await? {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(refused) => Err(refusal(refused)),
    }
}

fn published(school: &School) -> Result<&Published, AppError> {
    school.published.as_deref().ok_or(AppError::NotFound)
}

/// `GET …/content`: the published content, with its ETag; 304 when it matches `If-None-Match`.
async fn content_get(
    ReaderSchool(school): ReaderSchool,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let published = published(&school)?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').map(str::trim).any(|t| {
                t == published.etag || t.strip_prefix("W/") == Some(&published.etag) || t == "*"
            })
        });
    if matches {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [(header::ETAG, published.etag_header.clone())],
        )
            .into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, published.etag_header.clone()),
        ],
        published.json.clone(),
    )
        .into_response())
}

/// The family secret: at least 16 characters (the phone makes 32 random ones).
fn family_secret(headers: &HeaderMap) -> Result<[u8; 32], AppError> {
    headers
        .get("x-family-secret")
        .and_then(|v| v.to_str().ok())
        .filter(|s| s.len() >= 16)
        .map(hash)
        .ok_or(AppError::NoFamilySecret)
}

/// A name or names as the school will see them: at most [`MAX_NAMES`] characters, readable
/// (core's [`free_text`](driehoek_core::validate::free_text): no control characters, not only
/// invisible ones).
fn check_names(field: &str, names: &str, message: &str) -> Result<(), AppError> {
    if names.chars().nth(MAX_NAMES).is_some() {
        return Err(invalid(field, message));
    }
    driehoek_core::validate::free_text(names, false)
        .map_err(|problem| invalid(field, problem.message()))
}

/// The children named: core's [`check_children`](driehoek_core::sync::check_children) (at most
/// 12, readable names, groep 1 to 8), a 422 with the field and a Dutch message otherwise.
fn check_children(children: &[driehoek_core::sync::ChildInGroep]) -> Result<(), AppError> {
    driehoek_core::sync::check_children(children)
        .map_err(|(field, message)| invalid(&field, &message))
}

/// The phone's `updated_at` within core's window around the server's clock.
fn check_updated_at(state: &AppState, field: &str, updated_at: i64) -> Result<(), AppError> {
    driehoek_core::sync::check_updated_at(updated_at, state.clock.unix_millis())
        .map_err(|message| invalid(field, message))
}

/// `PUT …/rsvps/{rsvp_id}`: applies one RSVP version (last writer wins per family and activity).
async fn rsvp_put(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, rsvp_id)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let put: RsvpPut = json_body(&headers, &body)?;
    let secret_hash = family_secret(&headers)?;
    if put.rsvp.id != rsvp_id {
        return Err(invalid(
            "rsvp.id",
            "Hoort gelijk te zijn aan de code in het adres.",
        ));
    }
    if !is_valid_id(&put.family_id) {
        return Err(invalid("family_id", "Ongeldige gezinscode."));
    }
    check_names(
        "names",
        &put.names,
        "Vul de namen in (maximaal 200 tekens).",
    )?;
    check_children(&put.children)?;
    // The answer's own rules hold for every version sent, also one that will not be kept.
    put.rsvp
        .check_form()
        .map_err(|err| invalid("rsvp", &err.message()))?;
    check_updated_at(&state, "rsvp.updated_at", put.rsvp.updated_at)?;
    let activity = published(&school)?
        .content
        .activities
        .iter()
        .find(|a| a.id == put.rsvp.activity_id)
        .ok_or_else(|| invalid("rsvp.activity_id", "Deze activiteit bestaat niet (meer)."))?
        .clone();
    let write = RsvpWrite {
        put,
        secret_hash,
        activity,
        now: state.clock.now_local(),
    };
    // Awaited, not on a blocking thread: the writer thread answers when the write is durable.
    match state.store.put_rsvp(&school.meta.id, write).await? {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(refused) => Err(refusal(refused)),
    }
}

fn refusal(refused: Refused) -> AppError {
    match refused {
        Refused::OtherFamily => AppError::Forbidden,
        Refused::Rsvp(err) => invalid("rsvp", &err.message()),
        Refused::UnknownAgreement => invalid(
            "agreement_version",
            "Deze versie van de afspraken is nooit gepubliceerd.",
        ),
        Refused::RsvpIdTaken => AppError::Conflict(Conflict {
            field: "rsvp.id".into(),
            message: "Deze code van het antwoord hoort bij een ander gezin. Maak een nieuw \
                      antwoord."
                .into(),
        }),
        Refused::Absence(err) => absence_invalid(&err),
        Refused::AbsenceIdTaken => AppError::Conflict(Conflict {
            field: "id".into(),
            message: "Deze code van de melding hoort bij een ander gezin. Maak een nieuwe \
                      melding."
                .into(),
        }),
        Refused::Booking(err) => booking_invalid(&err),
        // A 422, not a 409: the app reads a 409 of a booking as "vol".
        Refused::BookingIdTaken => invalid(
            "id",
            "Deze code van de afspraak hoort bij een ander gezin. Maak een nieuwe afspraak.",
        ),
        Refused::Full(alternatives) => AppError::Full(BookingFull {
            error: if alternatives.is_empty() {
                "Er zijn geen vrije tijden meer voor deze groep. Bel de school voor een afspraak."
                    .into()
            } else {
                "De gekozen tijden zijn al bezet. Kies een van de vrije tijden.".into()
            },
            alternatives,
        }),
        // The school's own refusals; no parent's write gives them.
        Refused::SlotBooked
        | Refused::SlotTaken { .. }
        | Refused::UnknownBooking
        | Refused::BookingCancelled
        | Refused::WrongGroep { .. }
        | Refused::TooClose { .. } => AppError::Internal(format!("{refused:?} for a parent")),
    }
}

/// A 422 for a booking that breaks one of core's rules, on the field it concerns.
fn booking_invalid(err: &BookingError) -> AppError {
    let field = match err {
        BookingError::InvalidId => "id",
        BookingError::UnknownRound | BookingError::NotYetOpen { .. } | BookingError::Closed => {
            "round_id"
        }
        BookingError::Child | BookingError::ChildBooked => "child",
        BookingError::NotForGroep { .. } => "child.groep",
        BookingError::Preferences
        | BookingError::SameSlotTwice
        | BookingError::UnknownSlot
        | BookingError::SlotPassed => "preferences",
        BookingError::Note => "note",
        BookingError::ChildrenInRound => "children_in_round",
    };
    invalid(field, &err.message())
}

/// `PUT …/bookings/{booking_id}`: books a talk for one child, changes or cancels it (last
/// writer wins per booking id); the first preferred slot still free, else 409 "vol" with the
/// nearest free ones.
async fn booking_put(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, booking_id)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let put: BookingPut = json_body(&headers, &body)?;
    let secret_hash = family_secret(&headers)?;
    if put.id != booking_id {
        return Err(invalid(
            "id",
            "Hoort gelijk te zijn aan de code in het adres.",
        ));
    }
    check_names(
        "names",
        &put.names,
        "Vul de namen in (maximaal 200 tekens).",
    )?;
    // The booking's own rules hold for every version sent, also one that will not be kept.
    put.check_form().map_err(|err| booking_invalid(&err))?;
    check_updated_at(&state, "updated_at", put.updated_at)?;
    let round = published(&school)?
        .content
        .talks
        .iter()
        .find(|r| r.id == put.round_id)
        .cloned();
    let write = BookingWrite {
        put,
        secret_hash,
        round,
        now: state.clock.now_local(),
    };
    match state.store.put_booking(&school.meta.id, write).await? {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(refused) => Err(refusal(refused)),
    }
}

/// `GET …/talks/{round_id}/taken`: the slot ids of a round that are booked or blocked; never
/// whose.
async fn taken_get(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, round_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let round = published(&school)?
        .content
        .talks
        .iter()
        .find(|r| r.id == round_id)
        .ok_or(AppError::Missing(NO_SUCH_ROUND))?;
    let (store, id, round_id) = (
        state.store.clone(),
        school.meta.id.clone(),
        round.id.clone(),
    );
    let taken = blocking(move || store.taken(&id, &round_id)).await?;
    Ok(Json(TakenSlots {
        round_id: round.id.clone(),
        taken,
    })
    .into_response())
}

/// A 422 for a report that breaks one of core's rules, on the field it concerns.
fn absence_invalid(err: &AbsenceError) -> AppError {
    let field = match err {
        AbsenceError::InvalidId => "id",
        AbsenceError::ChildName => "child.name",
        AbsenceError::Groep => "child.groep",
        AbsenceError::NoteTooLong | AbsenceError::NoteUnreadable => "note",
        AbsenceError::DaysOutOfOrder | AbsenceError::TooManyDays => "last_day",
        AbsenceError::InThePast
        | AbsenceError::TooFarAhead
        | AbsenceError::TooLateForToday { .. } => "first_day",
    };
    invalid(field, &err.message())
}

/// `PUT …/absences/{absence_id}`: a child reported ill or absent, or such a report withdrawn
/// (last writer wins per family and report).
async fn absence_put(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, absence_id)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let put: AbsencePut = json_body(&headers, &body)?;
    let secret_hash = family_secret(&headers)?;
    if put.id != absence_id {
        return Err(invalid(
            "id",
            "Hoort gelijk te zijn aan de code in het adres.",
        ));
    }
    if !is_valid_id(&put.family_id) {
        return Err(invalid("family_id", "Ongeldige gezinscode."));
    }
    // The report's own rules hold for every version sent, also one that will not be kept.
    put.check_form().map_err(|err| absence_invalid(&err))?;
    check_updated_at(&state, "updated_at", put.updated_at)?;
    let write = AbsenceWrite {
        put,
        secret_hash,
        school: published(&school)?.content.school.clone(),
        now: state.clock.now_local(),
        received_ms: state.clock.unix_millis(),
    };
    match state.store.put_absence(&school.meta.id, write).await? {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(refused) => Err(refusal(refused)),
    }
}

/// `PUT …/acknowledgements/{ack_id}`: "gelezen" for one agreement version by one parent (last
/// writer wins per family, version and parent's name).
async fn acknowledgement_put(
    State(state): State<AppState>,
    ParentSchool(school): ParentSchool,
    Path((_, ack_id)): Path<(String, String)>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Response, AppError> {
    let ack: AckPut = json_body(&headers, &body)?;
    let secret_hash = family_secret(&headers)?;
    if ack.id != ack_id {
        return Err(invalid(
            "id",
            "Hoort gelijk te zijn aan de code in het adres.",
        ));
    }
    if !is_valid_id(&ack.id) {
        return Err(invalid("id", "Ongeldige code."));
    }
    if !is_valid_id(&ack.family_id) {
        return Err(invalid("family_id", "Ongeldige gezinscode."));
    }
    check_names("name", &ack.name, "Vul uw naam in (maximaal 200 tekens).")?;
    check_children(&ack.children)?;
    check_updated_at(&state, "updated_at", ack.updated_at)?;
    match state
        .store
        .put_ack(&school.meta.id, AckWrite { ack, secret_hash })
        .await?
    {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(refused) => Err(refusal(refused)),
    }
}
