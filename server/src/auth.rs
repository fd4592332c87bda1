//! Who may do what: the extractors that load the school named in the path and check the code
//! the request carries ([`ParentSchool`], [`ReaderSchool`], [`AdminSchool`]).
//!
//! A wrong or missing code is a 401, which the failed-login limit in [`crate::ratelimit`] counts
//! from the answer's status; an unknown school is a 404.
//!
//! An extractor runs before the handler reads the body, so a request without the right code is
//! refused before its body is read.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::cache::School;
use crate::error::AppError;
use crate::request::blocking;
use crate::AppState;

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

fn token_matches(headers: &HeaderMap, kept: &[u8]) -> bool {
    bearer(headers).is_some_and(|given| bool::from(hash(given).ct_eq(kept)))
}

/// The school (from memory when fresh); 404 when it does not exist.
async fn load(state: &AppState, id: String) -> Result<Arc<School>, AppError> {
    // Inline: at most two tiny reads on a connection that no long read holds.
    if let Some(school) = state.schools.fresh(state.store.as_ref(), &id)? {
        return Ok(school);
    }
    let (store, schools) = (state.store.clone(), state.schools.clone());
    blocking(move || schools.load(store.as_ref(), &id))
        .await?
        .ok_or(AppError::NotFound)
}

/// Whose code opens a route.
#[derive(Clone, Copy)]
enum Access {
    /// The access code only.
    Parent,
    /// The access code or the admin token.
    Reader,
    /// The admin token only.
    Admin,
}

impl Access {
    fn admits(self, school: &School, headers: &HeaderMap) -> bool {
        let meta = &school.meta;
        let kept: &[&[u8]] = match self {
            Access::Parent => &[&meta.access_hash],
            Access::Reader => &[&meta.access_hash, &meta.admin_hash],
            Access::Admin => &[&meta.admin_hash],
        };
        kept.iter().any(|kept| token_matches(headers, kept))
    }
}

/// The school named by the path's `{school}`, when the request carries a code that `access`
/// admits.
async fn school(
    parts: &mut Parts,
    state: &AppState,
    access: Access,
) -> Result<Arc<School>, Response> {
    // By name: the routes with an answer's id have a second parameter.
    let Path(mut params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let id = params
        .remove("school")
        .ok_or_else(|| AppError::Internal("a route without {school}".into()).into_response())?;
    let school = load(state, id).await.map_err(IntoResponse::into_response)?;
    if access.admits(&school, &parts.headers) {
        Ok(school)
    } else {
        Err(AppError::Unauthorized.into_response())
    }
}

/// The school, when the request carries its access code (a parent's phone).
pub struct ParentSchool(pub Arc<School>);

impl FromRequestParts<AppState> for ParentSchool {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        school(parts, state, Access::Parent).await.map(ParentSchool)
    }
}

/// The school, when the request carries its access code or its admin token (the school's own
/// Beheer screen reads what it published before it writes).
pub struct ReaderSchool(pub Arc<School>);

impl FromRequestParts<AppState> for ReaderSchool {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        school(parts, state, Access::Reader).await.map(ReaderSchool)
    }
}

/// The school, when the request carries its admin token (the school's Beheer).
pub struct AdminSchool(pub Arc<School>);

impl FromRequestParts<AppState> for AdminSchool {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        school(parts, state, Access::Admin).await.map(AdminSchool)
    }
}
