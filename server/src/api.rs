//! The sync protocol v1 (shared/DESIGN.md): `/api/v1/schools/{school}/…`.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, put};
use axum::{Json, Router};
use driehoek_core::sync::{AckPut, RsvpPut, MAX_NAMES};
use driehoek_core::validate::is_valid_id;
use driehoek_core::FieldError;
use sha2::{Digest, Sha256};

pub use crate::auth::hash;
use crate::auth::{AdminSchool, ParentSchool, ReaderSchool};
use crate::cache::{Published, School};
pub use crate::error::{unavailable, AppError, Message, UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS};
pub use crate::request::blocking;
use crate::store::{AckWrite, Conflict, Publication, Refused, RsvpWrite};
use crate::{admin, AppState};

/// Every route of the API, in one place: (method, path).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/api/v1/schools/{school}/content"),
    ("PUT", "/api/v1/schools/{school}/content"),
    ("PUT", "/api/v1/schools/{school}/rsvps/{rsvp_id}"),
    ("PUT", "/api/v1/schools/{school}/acknowledgements/{ack_id}"),
    ("GET", "/api/v1/schools/{school}/rsvps"),
    ("GET", "/api/v1/schools/{school}/rsvps.csv"),
    ("GET", "/api/v1/schools/{school}/acknowledgements"),
];

/// The largest content a school may publish.
pub const MAX_CONTENT_BYTES: usize = 2 * 1024 * 1024;
/// The largest RSVP or acknowledgement.
pub const MAX_PUT_BYTES: usize = 256 * 1024;

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/schools/{school}/content",
            get(content_get)
                .put(content_put)
                .layer(DefaultBodyLimit::max(MAX_CONTENT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/rsvps/{rsvp_id}",
            put(rsvp_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route(
            "/api/v1/schools/{school}/acknowledgements/{ack_id}",
            put(ack_put).layer(DefaultBodyLimit::max(MAX_PUT_BYTES)),
        )
        .route("/api/v1/schools/{school}/rsvps", get(admin::rsvps_json))
        .route("/api/v1/schools/{school}/rsvps.csv", get(admin::rsvps_csv))
        .route(
            "/api/v1/schools/{school}/acknowledgements",
            get(admin::acknowledgements),
        )
        // Any other address under /api is a 404 in JSON, never the app's HTML shell.
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
}

/// The message of an address that is no route of the API (a school that does not exist is
/// "Niet gevonden.").
pub const NO_SUCH_ROUTE: &str = "Dit adres bestaat niet.";

async fn api_not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({ "message": NO_SUCH_ROUTE })),
    )
        .into_response()
}

/// The body of a `PUT …/content` that published.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct PublishAnswer {
    /// Always true: the content is published now (its ETag is in the header).
    pub published: bool,
}

/// The body of `GET /readyz`: whether the database can be read and written now.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct ReadinessAnswer {
    /// A read of the database succeeded.
    pub readable: bool,
    /// A write that needs a fresh page (as a new answer does) was committed.
    pub writable: bool,
    /// The same in Dutch, for the person who looks.
    pub message: String,
}

/// The raw body of a request; a body over the route's limit is a 413 with a message in JSON.
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Bytes::from_request(request, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::TooLarge)
            }
            Err(_) => Err(AppError::BadRequest),
        }
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

/// The ETag of published content: a quoted SHA-256 of its JSON.
pub fn etag_of(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Parses a JSON body: 415 when it is not JSON, 422 with the field and a Dutch message when it
/// cannot be read as `T`.
pub fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, AppError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(AppError::UnsupportedMediaType);
    }
    parse_json(body).map_err(AppError::Invalid)
}

/// Reads `T` from JSON; on failure one [`FieldError`] that says where and what, in Dutch.
pub fn parse_json<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, Vec<FieldError>> {
    let mut de = serde_json::Deserializer::from_slice(json);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let path = if path == "." { String::new() } else { path };
        vec![json_error(path, &err.into_inner())]
    })?;
    // Nothing may follow the value but white space.
    de.end()
        .map_err(|err| vec![json_error(String::new(), &err)])?;
    Ok(value)
}

fn json_error(path: String, err: &serde_json::Error) -> FieldError {
    if err.classify() != serde_json::error::Category::Data {
        return FieldError {
            field: path,
            message: format!(
                "Geen geldige JSON (regel {}, kolom {}).",
                err.line(),
                err.column()
            ),
        };
    }
    let text = err.to_string();
    let missing = text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match missing {
        Some(name) => FieldError {
            field: if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}.{name}")
            },
            message: "Dit veld ontbreekt.".into(),
        },
        None => FieldError {
            field: path,
            message: "Deze waarde klopt niet: een verkeerd soort waarde, of een keuze die niet \
                      bestaat."
                .into(),
        },
    }
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
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
    }
}

/// `PUT …/acknowledgements/{ack_id}`: "gelezen" for one agreement version (last writer wins per
/// family and version).
async fn ack_put(
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
