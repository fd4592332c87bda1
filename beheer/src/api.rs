//! The school's requests to its server, with the admin token; every failure becomes a sentence
//! for the school's office.

use driehoek_core::report::{AckReport, RsvpReport};
use driehoek_core::talks::{Schedule, ScheduleRow, SchoolBooking, SlotBlock};
use driehoek_core::{Content, FieldError};

use super::draft::Login;
use driehoek_web::http::{http, Reply};

const OFFLINE: &str = "De server antwoordt niet. Controleer het adres en de internetverbinding. \
                       Wat u schreef, blijft bewaard op dit apparaat.";
const WRONG_TOKEN: &str = "Deze beheercode klopt niet. Kijk of u de hele code goed hebt \
                           overgenomen.";
const UNKNOWN_SCHOOL: &str = "Deze server kent geen school met deze schoolcode.";
const BUSY: &str = "De server is even te druk. Probeer het over een minuut opnieuw.";
const BROKEN: &str = "De server gaf een antwoord dat de app niet kan lezen. Probeer het later \
                      opnieuw.";

fn url(login: &Login, rest: &str) -> String {
    format!("{}/api/v1/schools/{}/{rest}", login.base, login.school)
}

async fn get(login: &Login, rest: &str) -> Result<Reply, String> {
    let auth = format!("Bearer {}", login.token);
    http("GET", &url(login, rest), &[("authorization", &auth)], None)
        .await
        .map_err(|_| OFFLINE.to_owned())
}

/// The sentence for an answer that is not what was asked for.
fn failure(reply: &Reply) -> String {
    match reply.status {
        401 => WRONG_TOKEN.to_owned(),
        404 => UNKNOWN_SCHOOL.to_owned(),
        429 => BUSY.to_owned(),
        _ => BROKEN.to_owned(),
    }
}

/// Checks the token against the server (a request only the school may make).
pub async fn check_login(login: &Login) -> Result<(), String> {
    let reply = get(login, "acknowledgements").await?;
    match reply.status {
        200 => Ok(()),
        _ => Err(failure(&reply)),
    }
}

/// The published content and its ETag; `None` when the school has published nothing yet.
pub async fn published(login: &Login) -> Result<Option<(Content, Option<String>)>, String> {
    let reply = get(login, "content").await?;
    match reply.status {
        200 => serde_json::from_str(&reply.body)
            .map(|content| Some((content, reply.etag)))
            .map_err(|_| BROKEN.to_owned()),
        404 => Ok(None),
        _ => Err(failure(&reply)),
    }
}

/// How a publication went.
pub enum Published {
    /// Published; the new ETag.
    Done(Option<String>),
    /// Someone else published after the draft's version (412).
    Conflict,
    /// The server refused fields (422).
    Invalid(Vec<FieldError>),
    /// The token is no longer valid (401).
    LoggedOut,
    Failed(String),
}

/// Publishes `content` over the version `etag` (`If-Match`).
pub async fn publish(login: &Login, content: &Content, etag: Option<&str>) -> Published {
    let Ok(body) = serde_json::to_string(content) else {
        return Published::Failed(BROKEN.to_owned());
    };
    let auth = format!("Bearer {}", login.token);
    let mut headers = vec![
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    // The server requires `If-Match` (428 without it): the version the draft started from, or
    // `*` for a first publication, over which nothing can be lost.
    headers.push(("if-match", etag.unwrap_or("*")));
    let reply = match http("PUT", &url(login, "content"), &headers, Some(&body)).await {
        Ok(reply) => reply,
        Err(_) => return Published::Failed(OFFLINE.to_owned()),
    };
    match reply.status {
        200 => Published::Done(reply.etag),
        412 => Published::Conflict,
        401 => Published::LoggedOut,
        // A published agreement version never changes; the server says what to do instead.
        409 => Published::Failed(
            serde_json::from_str::<serde_json::Value>(&reply.body)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_owned))
                .unwrap_or_else(|| BROKEN.to_owned()),
        ),
        413 => Published::Failed(
            "De inhoud is te groot voor de server. Haal oude maanden of activiteiten weg.".into(),
        ),
        422 => match serde_json::from_str(&reply.body) {
            Ok(errors) => Published::Invalid(errors),
            Err(_) => Published::Failed(BROKEN.to_owned()),
        },
        _ => Published::Failed(failure(&reply)),
    }
}

/// Who comes to what.
pub async fn rsvps(login: &Login) -> Result<RsvpReport, String> {
    let reply = get(login, "rsvps").await?;
    match reply.status {
        200 => serde_json::from_str(&reply.body).map_err(|_| BROKEN.to_owned()),
        _ => Err(failure(&reply)),
    }
}

/// How many families read each version of the agreement.
pub async fn acknowledgements(login: &Login) -> Result<AckReport, String> {
    let reply = get(login, "acknowledgements").await?;
    match reply.status {
        200 => serde_json::from_str(&reply.body).map_err(|_| BROKEN.to_owned()),
        _ => Err(failure(&reply)),
    }
}

/// The answers as a CSV file.
pub async fn rsvps_csv(login: &Login) -> Result<String, String> {
    let reply = get(login, "rsvps.csv").await?;
    match reply.status {
        200 => Ok(reply.body),
        _ => Err(failure(&reply)),
    }
}

/// Who is reported ill or absent today.
pub async fn absences(login: &Login) -> Result<driehoek_core::absence::AbsenceReport, String> {
    let reply = get(login, "absences").await?;
    match reply.status {
        200 => serde_json::from_str(&reply.body).map_err(|_| BROKEN.to_owned()),
        _ => Err(failure(&reply)),
    }
}

/// The server's own words in a refusal: `{"message": …}` (or `{"error": …}`), or the messages
/// of a list of field errors.
fn server_words(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let one = |v: &serde_json::Value| {
        v["message"]
            .as_str()
            .or_else(|| v["error"].as_str())
            .map(str::to_owned)
    };
    match &value {
        serde_json::Value::Array(list) => {
            let all: Vec<String> = list.iter().filter_map(one).collect();
            (!all.is_empty()).then(|| all.join(" "))
        }
        _ => one(&value),
    }
}

/// The sentence for a refusal of a talk call: the server's own words where it gives them (a
/// booked slot, a blocked one, a wrong groep), else the usual sentence for its status.
fn refusal(reply: &Reply) -> String {
    match reply.status {
        409 | 422 => server_words(&reply.body).unwrap_or_else(|| BROKEN.to_owned()),
        404 => server_words(&reply.body).unwrap_or_else(|| {
            "De server kent deze gespreksronde niet. Is ze gepubliceerd?".into()
        }),
        _ => failure(reply),
    }
}

/// Sends `body` as JSON with `method`; the answer as `T`, or why not.
async fn send<T: serde::de::DeserializeOwned>(
    login: &Login,
    method: &str,
    rest: &str,
    body: &impl serde::Serialize,
) -> Result<T, String> {
    let body = serde_json::to_string(body).map_err(|_| BROKEN.to_owned())?;
    let auth = format!("Bearer {}", login.token);
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    let reply = http(method, &url(login, rest), &headers, Some(&body))
        .await
        .map_err(|_| OFFLINE.to_owned())?;
    match reply.status {
        200 | 201 => serde_json::from_str(&reply.body).map_err(|_| BROKEN.to_owned()),
        _ => Err(refusal(&reply)),
    }
}

/// The schedule of one round of talks: every slot, free, blocked or booked.
pub async fn schedule(login: &Login, round: &str) -> Result<Schedule, String> {
    let reply = get(login, &format!("talks/{round}/schedule")).await?;
    match reply.status {
        200 => serde_json::from_str(&reply.body).map_err(|_| BROKEN.to_owned()),
        _ => Err(refusal(&reply)),
    }
}

/// The schedule of one round as a CSV file for Excel.
pub async fn schedule_csv(login: &Login, round: &str) -> Result<String, String> {
    let reply = get(login, &format!("talks/{round}/schedule.csv")).await?;
    match reply.status {
        200 => Ok(reply.body),
        _ => Err(refusal(&reply)),
    }
}

/// Blocks a slot of a round, or frees it again.
pub async fn block_slot(
    login: &Login,
    round: &str,
    slot: &str,
    blocked: bool,
) -> Result<ScheduleRow, String> {
    let rest = format!("talks/{round}/slots/{slot}");
    send(login, "PUT", &rest, &SlotBlock { blocked }).await
}

/// Books a slot for a family by hand, or moves a booking to another slot.
pub async fn school_booking(
    login: &Login,
    round: &str,
    booking: &SchoolBooking,
) -> Result<ScheduleRow, String> {
    send(login, "POST", &format!("talks/{round}/bookings"), booking).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_gives_the_servers_own_words() {
        let reply = |status, body: &str| Reply {
            status,
            etag: None,
            retry_after: None,
            body: body.to_owned(),
        };
        let booked = r#"{"field":"blocked","message":"Op deze tijd staat een gesprek."}"#;
        assert_eq!(
            refusal(&reply(409, booked)),
            "Op deze tijd staat een gesprek."
        );
        let fields = r#"[{"field":"slot_id","message":"Deze tijd is voor groep 6."}]"#;
        assert_eq!(refusal(&reply(422, fields)), "Deze tijd is voor groep 6.");
        assert_eq!(refusal(&reply(401, "")), WRONG_TOKEN);
        assert!(refusal(&reply(404, "")).contains("gespreksronde"));
    }
}
