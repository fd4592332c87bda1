//! The SQLite side of "Ziek of afwezig melden": one row per report, the newest version kept by
//! core's [`apply`] rule, and the reports that cover a day for the school's list.

use chrono::NaiveDate;
use driehoek_core::absence::{AbsencePut, AbsencePutResponse};
use rusqlite::{params, Connection, OptionalExtension};

use super::versioned::{write_versioned, Checked, VersionedWrite};
use super::{AbsenceWrite, Refused, StoreError};

/// Applies one version of a report inside the writer's transaction.
pub(super) fn write_absence(
    conn: &Connection,
    school: &str,
    write: &AbsenceWrite,
) -> Checked<AbsencePutResponse> {
    Ok(write_versioned(conn, school, write)?
        .map(|(outcome, kept)| AbsencePutResponse { outcome, kept }))
}

impl VersionedWrite for AbsenceWrite {
    type Version = AbsencePut;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.put.family_id, &self.secret_hash)
    }

    fn version(&self) -> &AbsencePut {
        &self.put
    }

    fn kept(&self, conn: &Connection, school: &str) -> Checked<Option<AbsencePut>> {
        let current: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT family_id, absence FROM absences WHERE school = ?1 AND absence_id = ?2",
            )?
            .query_row(params![school, self.put.id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        Ok(match current {
            // A report's id belongs to the family that first sent it.
            Some((family, _)) if family != self.put.family_id => Err(Refused::AbsenceIdTaken),
            Some((_, json)) => Ok(Some(serde_json::from_str(&json)?)),
            None => Ok(None),
        })
    }

    fn check(&self, _conn: &Connection, _school: &str) -> Checked<()> {
        Ok(self
            .put
            .check(&self.school, self.now)
            .map_err(Refused::Absence))
    }

    fn store(&self, conn: &Connection, school: &str) -> Result<(), StoreError> {
        let put = &self.put;
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
            self.received_ms,
        ])?;
        Ok(())
    }
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
