//! The sync protocol v1 (shared/DESIGN.md): `/api/v1/schools/{school}/…`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use driehoek_core::sync::RsvpPut;
use driehoek_core::validate::is_valid_id;
use driehoek_core::FieldError;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::{SchoolRow, Store, StoreError};
use crate::AppState;

/// Every route of the API, in one place: (method, path).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/api/v1/schools/{school}/content"),
    ("PUT", "/api/v1/schools/{school}/content"),
    ("PUT", "/api/v1/schools/{school}/rsvps/{rsvp_id}"),
];

/// The API's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/schools/{school}/content",
            get(content_get)
                .put(content_put)
                .layer(DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .route(
            "/api/v1/schools/{school}/rsvps/{rsvp_id}",
            put(rsvp_put).layer(DefaultBodyLimit::max(256 * 1024)),
        )
}

/// Every failure a handler can answer with.
#[derive(Debug)]
pub enum AppError {
    /// 401: the token or access code is missing or wrong.
    Unauthorized,
    /// 403: the family secret does not match the family's first one.
    Forbidden,
    /// 404: no such school (or nothing published yet).
    NotFound,
    /// 412: `If-Match` names another version than the one published now.
    PreconditionFailed,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: the body is not valid; one message per field.
    Invalid(Vec<FieldError>),
    /// 500: a storage failure; logged, never echoed.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        AppError::Internal(err.0)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, text) = match self {
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "Geen of een verkeerde code."),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Dit gezin hoort bij een andere telefoon.",
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "Niet gevonden."),
            AppError::PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "Intussen is er een nieuwere versie gepubliceerd.",
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Alleen application/json.",
            ),
            AppError::Invalid(errors) => {
                return (StatusCode::UNPROCESSABLE_ENTITY, Json(errors)).into_response()
            }
            AppError::Internal(err) => {
                tracing::error!(error = %err, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis op de server.",
                )
            }
        };
        (status, Json(serde_json::json!({ "message": text }))).into_response()
    }
}

/// SHA-256 of a secret: secrets are long and random, so a slow password hash adds nothing.
pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::from)
}

/// The school, when the request carries its access code.
async fn school_for_parent(
    store: &Arc<dyn Store>,
    school: String,
    headers: &HeaderMap,
) -> Result<SchoolRow, AppError> {
    let store = store.clone();
    let row = blocking(move || store.school(&school))
        .await?
        .ok_or(AppError::NotFound)?;
    let given = bearer(headers).ok_or(AppError::Unauthorized)?;
    if bool::from(hash(given).ct_eq(&row.access_hash[..])) {
        Ok(row)
    } else {
        Err(AppError::Unauthorized)
    }
}

/// `GET …/content`: the published content, with its ETag; 304 when it matches `If-None-Match`.
async fn content_get(
    State(state): State<AppState>,
    Path(school): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let row = school_for_parent(&state.store, school, &headers).await?;
    let (content, etag) = row.content.ok_or(AppError::NotFound)?;
    let etag_value = HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.to_string()))?;
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag_value),
        ],
        content,
    )
        .into_response())
}

/// The ETag of published content: a quoted SHA-256 of its JSON.
pub fn etag_of(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
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
    serde_json::from_slice(body).map_err(|e| {
        AppError::Invalid(vec![FieldError {
            field: String::new(),
            message: format!(
                "Geen geldige JSON (regel {}, kolom {}).",
                e.line(),
                e.column()
            ),
        }])
    })
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// `PUT …/rsvps/{rsvp_id}`: applies one RSVP version (last writer wins per family and activity).
async fn rsvp_put(
    State(state): State<AppState>,
    Path((school, rsvp_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let row = school_for_parent(&state.store, school, &headers).await?;
    let put: RsvpPut = json_body(&headers, &body)?;
    let secret = headers
        .get("x-family-secret")
        .and_then(|v| v.to_str().ok())
        .filter(|s| s.len() >= 16)
        .ok_or(AppError::Unauthorized)?;
    if put.rsvp.id != rsvp_id {
        return Err(invalid(
            "rsvp.id",
            "Hoort gelijk te zijn aan de code in het adres.",
        ));
    }
    if !is_valid_id(&put.family_id) {
        return Err(invalid("family_id", "Ongeldige gezinscode."));
    }
    if put.names.trim().is_empty() || put.names.chars().count() > 200 {
        return Err(invalid("names", "Vul de namen in (maximaal 200 tekens)."));
    }
    let (content, _) = row.content.as_ref().ok_or(AppError::NotFound)?;
    let content: driehoek_core::Content =
        serde_json::from_str(content).map_err(|e| AppError::Internal(e.to_string()))?;
    let activity = content
        .activities
        .iter()
        .find(|a| a.id == put.rsvp.activity_id)
        .ok_or_else(|| invalid("rsvp.activity_id", "Deze activiteit bestaat niet (meer)."))?;
    let now = driehoek_core::tz::utc_to_local(chrono::Utc::now().naive_utc());
    let store = state.store.clone();
    let (school_id, family) = (row.id.clone(), put.family_id.clone());
    let secret_hash = hash(secret);
    let rsvps = blocking(move || {
        if !store.check_family(&school_id, &family, &secret_hash)? {
            return Ok(None);
        }
        store.rsvps(&school_id).map(Some)
    })
    .await?
    .ok_or(AppError::Forbidden)?;
    let taken = driehoek_core::rsvp::places_taken(
        rsvps
            .iter()
            .filter(|r| r.family_id != put.family_id)
            .map(|r| &r.rsvp),
        &activity.id,
        &put.rsvp.id,
    );
    // Checked, but kept as sent: the phone compares the kept version with its own.
    put.rsvp
        .clone()
        .check(activity, now, taken)
        .map_err(|e| invalid("rsvp", &e.message()))?;
    let store = state.store.clone();
    let school_id = row.id.clone();
    let answer = blocking(move || store.put_rsvp(&school_id, &put)).await?;
    Ok(Json(answer).into_response())
}

/// `PUT …/content`: publishes new content (admin token); validated (422), `If-Match` (412).
async fn content_put(
    State(state): State<AppState>,
    Path(school): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let store = state.store.clone();
    let row = blocking(move || store.school(&school))
        .await?
        .ok_or(AppError::NotFound)?;
    let given = bearer(&headers).ok_or(AppError::Unauthorized)?;
    if !bool::from(hash(given).ct_eq(&row.admin_hash[..])) {
        return Err(AppError::Unauthorized);
    }
    let content: driehoek_core::Content = json_body(&headers, &body)?;
    let mut errors = driehoek_core::validate(&content);
    if content.school.id != row.id {
        errors.push(FieldError {
            field: "school.id".into(),
            message: "Hoort gelijk te zijn aan de code van de school in het adres.".into(),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if let Some(wanted) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        let current = row.content.as_ref().map(|(_, etag)| etag.as_str());
        if wanted.trim() != "*" && Some(wanted.trim()) != current {
            return Err(AppError::PreconditionFailed);
        }
    }
    let json = serde_json::to_string(&content).map_err(|e| AppError::Internal(e.to_string()))?;
    let etag = etag_of(&json);
    let store = state.store.clone();
    let (id, tag) = (row.id.clone(), etag.clone());
    blocking(move || store.publish(&id, &content, &tag)).await?;
    let etag = HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        StatusCode::OK,
        [(header::ETAG, etag)],
        Json(serde_json::json!({"published": true})),
    )
        .into_response())
}
