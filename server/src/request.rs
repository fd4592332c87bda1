//! What the handlers of every area share to read a request and reach the store.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use driehoek_core::FieldError;

use crate::error::AppError;
use crate::store::StoreError;

/// The message of a round of talks the school has not published (or no longer): a 404.
pub const NO_SUCH_ROUND: &str = "Deze gespreksronde bestaat niet (meer).";

/// Runs a store call on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(AppError::from)
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

/// A 422 for one field.
pub fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }])
}
