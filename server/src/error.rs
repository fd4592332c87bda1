//! The one error of the API's handlers: each failure, its status code and its Dutch message.
//! Internal failures are logged and never echoed to the client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use driehoek_core::FieldError;

use crate::store::{Conflict, StoreError};

/// The body of every error answer but 422: what went wrong, in Dutch.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Message {
    /// What went wrong, in Dutch, for the person who made the request.
    pub message: String,
}

/// Every failure a handler can answer with.
#[derive(Debug)]
pub enum AppError {
    /// 400: the request could not be read.
    BadRequest,
    /// 401: the token or access code is missing or wrong.
    Unauthorized,
    /// 401: the family secret (`X-Family-Secret`) is missing or too short.
    NoFamilySecret,
    /// 403: the family secret does not match the family's first one.
    Forbidden,
    /// 404: no such school (or nothing published yet).
    NotFound,
    /// 404: no such thing under the school (a round, a slot); the message says which.
    Missing(&'static str),
    /// 409: "vol", none of the slots a booking asked for is free; the nearest free ones.
    Full(driehoek_core::talks::BookingFull),
    /// 409: the publication would change what families read or answered (see
    /// [`Store::publish`](crate::store::Store::publish)).
    Conflict(Conflict),
    /// 412: `If-Match` names another version than the one published now.
    PreconditionFailed,
    /// 428: a publication without `If-Match`.
    PreconditionRequired,
    /// 413: the body is larger than the route allows.
    TooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: the body is not valid; one message per field.
    Invalid(Vec<FieldError>),
    /// 503 with `Retry-After`: the storage cannot write now (a full disk, a read-only file);
    /// logged, and the client tries again later.
    Unavailable(String),
    /// 500: a storage failure; logged, never echoed.
    Internal(String),
}

/// How long a client waits before it tries a write again when the storage is unavailable.
pub const UNAVAILABLE_RETRY_SECONDS: u32 = 60;

/// The message of a 503: the school's server cannot keep the change now.
pub const UNAVAILABLE: &str =
    "De school kan dit nu niet bewaren. Uw wijziging is niet verloren: probeer het later opnieuw.";

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        if err.unavailable {
            AppError::Unavailable(err.message)
        } else {
            AppError::Internal(err.message)
        }
    }
}

/// A 503 in JSON with `Retry-After`.
pub fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(
            header::RETRY_AFTER,
            HeaderValue::from(UNAVAILABLE_RETRY_SECONDS),
        )],
        Json(serde_json::json!({ "message": UNAVAILABLE })),
    )
        .into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, text) = match self {
            AppError::BadRequest => (
                StatusCode::BAD_REQUEST,
                "Het verzoek kon niet gelezen worden.",
            ),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "Geen of een verkeerde code."),
            AppError::NoFamilySecret => (
                StatusCode::UNAUTHORIZED,
                "De geheime code van het gezin ontbreekt (X-Family-Secret, minstens 16 tekens).",
            ),
            AppError::Conflict(conflict) => {
                return (StatusCode::CONFLICT, Json(conflict)).into_response()
            }
            AppError::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "Stuur If-Match mee: de ETag van de versie waarop u verder schreef (of * voor de \
                 eerste publicatie).",
            ),
            AppError::Unavailable(err) => {
                tracing::warn!(error = %err, "storage unavailable");
                return unavailable();
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Dit gezin hoort bij een andere telefoon.",
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "Niet gevonden."),
            AppError::Missing(text) => (StatusCode::NOT_FOUND, text),
            AppError::Full(full) => return (StatusCode::CONFLICT, Json(full)).into_response(),
            AppError::PreconditionFailed => (
                StatusCode::PRECONDITION_FAILED,
                "Intussen is er een nieuwere versie gepubliceerd.",
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Wat u stuurt is te groot om te bewaren.",
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
        let message = Message {
            message: text.into(),
        };
        (status, Json(message)).into_response()
    }
}
