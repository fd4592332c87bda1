//! The sync protocol v1 (shared/DESIGN.md): `/api/v1/schools/{school}/…`. Its handlers live in
//! two areas, [`crate::parents`] (access code) and [`crate::school`] (admin token), merged in
//! [`crate::app_with`]; this module keeps the one route table, the 404 of any other address under
//! `/api`, and the names the tests and the CLI use.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};

pub use crate::auth::hash;
pub use crate::error::{unavailable, AppError, Message, UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS};
pub use crate::parents::MAX_PUT_BYTES;
pub use crate::request::{blocking, json_body, parse_json, Body};
pub use crate::school::{etag_of, PublishAnswer, MAX_CONTENT_BYTES};
use crate::AppState;

/// Every route of the API, in one place: (method, path).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/api/v1/schools/{school}/content"),
    ("PUT", "/api/v1/schools/{school}/content"),
    ("PUT", "/api/v1/schools/{school}/rsvps/{rsvp_id}"),
    ("PUT", "/api/v1/schools/{school}/acknowledgements/{ack_id}"),
    ("GET", "/api/v1/schools/{school}/families/{family_id}"),
    (
        "PUT",
        "/api/v1/schools/{school}/families/{family_id}/profile",
    ),
    ("GET", "/api/v1/schools/{school}/rsvps"),
    ("GET", "/api/v1/schools/{school}/rsvps.csv"),
    ("GET", "/api/v1/schools/{school}/acknowledgements"),
    ("PUT", "/api/v1/schools/{school}/absences/{absence_id}"),
    ("GET", "/api/v1/schools/{school}/absences"),
    ("PUT", "/api/v1/schools/{school}/bookings/{booking_id}"),
    ("GET", "/api/v1/schools/{school}/talks/{round_id}/taken"),
    ("GET", "/api/v1/schools/{school}/talks/{round_id}/schedule"),
    (
        "GET",
        "/api/v1/schools/{school}/talks/{round_id}/schedule.csv",
    ),
    (
        "PUT",
        "/api/v1/schools/{school}/talks/{round_id}/slots/{slot_id}",
    ),
    ("POST", "/api/v1/schools/{school}/talks/{round_id}/bookings"),
];

/// Any other address under /api: a 404 in JSON, never the app's HTML shell.
pub fn router() -> Router<AppState> {
    Router::new()
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
