//! The SQLite side of "Ziek of afwezig melden": one row per report, the newest version kept by
//! core's [`apply`] rule, and the reports that cover a day for the school's list.

use chrono::NaiveDate;
use driehoek_core::absence::{AbsencePut, AbsencePutResponse};
use driehoek_core::sync::{apply, Outcome};
use rusqlite::{params, Connection, OptionalExtension};

use super::sqlite::{add_family, family_is_new};
use super::{AbsenceWrite, Refused, StoreError};

/// Applies one version of a report inside the writer's transaction.
pub(super) fn write_absence(
    conn: &Connection,
    school: &str,
    write: &AbsenceWrite,
) -> Result<Result<AbsencePutResponse, Refused>, StoreError> {
    let put = &write.put;
    let new_family = match family_is_new(conn, school, &put.family_id, &write.secret_hash)? {
        Ok(new) => new,
        Err(refused) => return Ok(Err(refused)),
    };
    let current: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT family_id, absence FROM absences WHERE school = ?1 AND absence_id = ?2",
        )?
        .query_row(params![school, put.id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let current: Option<AbsencePut> = match current {
        // A report's id belongs to the family that first sent it.
        Some((family, _)) if family != put.family_id => return Ok(Err(Refused::AbsenceIdTaken)),
        Some((_, json)) => Some(serde_json::from_str(&json)?),
        None => None,
    };
    // The one apply rule, from core (the simulation proves it exactly-once).
    let outcome = apply(current.as_ref(), put);
    if outcome != Outcome::Stored {
        // A retry, or an older version: answered with what is kept, whatever the time now.
        let kept = current.unwrap_or_else(|| put.clone());
        return Ok(Ok(AbsencePutResponse { outcome, kept }));
    }
    if let Err(err) = put.check(&write.school, write.now) {
        return Ok(Err(Refused::Absence(err)));
    }
    if new_family {
        add_family(conn, school, &put.family_id, &write.secret_hash)?;
    }
    conn.prepare_cached(
        "INSERT INTO absences (school, absence_id, family_id, absence, updated_at, first_day,
                               last_day, withdrawn, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (school, absence_id)
         DO UPDATE SET absence = ?4, updated_at = ?5, first_day = ?6, last_day = ?7,
                       withdrawn = ?8, received_at = ?9",
    )?
    .execute(params![
        school,
        put.id,
        put.family_id,
        serde_json::to_string(put)?,
        put.updated_at,
        put.first_day.to_string(),
        put.last_day.to_string(),
        put.withdrawn,
        write.received_ms,
    ])?;
    Ok(Ok(AbsencePutResponse {
        outcome,
        kept: put.clone(),
    }))
}

/// Every kept report of `school` that covers `day`.
pub(super) fn absences_on(
    conn: &Connection,
    school: &str,
    day: NaiveDate,
) -> Result<Vec<AbsencePut>, StoreError> {
    let day = day.to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT absence FROM absences
         WHERE school = ?1 AND last_day >= ?2 AND first_day <= ?2
         ORDER BY updated_at DESC, absence_id",
    )?;
    let rows = stmt.query_map(params![school, day], |row| row.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        out.push(serde_json::from_str(&row?)?);
    }
    Ok(out)
}
