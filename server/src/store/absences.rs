//! "Ziek of afwezig melden" in the store: one row per report, the newest version kept by core's
//! [`apply`](driehoek_core::sync::apply) rule, and the reports that cover a day for the school's
//! list.

use chrono::NaiveDate;
use driehoek_core::absence::{AbsencePut, AbsencePutResponse};

use super::db::{args, Db};
use super::versioned::{write_versioned, Checked, VersionedWrite};
use super::{AbsenceWrite, Refused, StoreError};

/// Applies one version of a report inside the write transaction.
pub(super) fn write_absence(
    db: &mut dyn Db,
    school: &str,
    write: &AbsenceWrite,
) -> Checked<AbsencePutResponse> {
    Ok(write_versioned(db, school, write)?
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

    fn locks(&self, school: &str) -> Vec<String> {
        vec![format!("absence/{school}/{}", self.put.id)]
    }

    fn kept(&self, db: &mut dyn Db, school: &str) -> Checked<Option<AbsencePut>> {
        let current = db.row(
            "SELECT family_id, absence FROM absences WHERE school = ?1 AND absence_id = ?2",
            args![school, &self.put.id],
        )?;
        Ok(match current {
            // A report's id belongs to the family that first sent it.
            Some(row) if row.text(0)? != self.put.family_id => Err(Refused::AbsenceIdTaken),
            Some(row) => Ok(Some(row.json(1)?)),
            None => Ok(None),
        })
    }

    fn check(&self, _db: &mut dyn Db, _school: &str) -> Checked<()> {
        Ok(self
            .put
            .check(&self.school, self.now)
            .map_err(Refused::Absence))
    }

    fn store(&self, db: &mut dyn Db, school: &str) -> Result<(), StoreError> {
        let put = &self.put;
        let json = serde_json::to_string(put)?;
        let (first, last) = (put.first_day.to_string(), put.last_day.to_string());
        db.execute(
            "INSERT INTO absences (school, absence_id, family_id, absence, updated_at, first_day,
                                   last_day, withdrawn, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (school, absence_id)
             DO UPDATE SET absence = ?4, updated_at = ?5, first_day = ?6, last_day = ?7,
                           withdrawn = ?8, received_at = ?9",
            args![
                school,
                &put.id,
                &put.family_id,
                &json,
                put.updated_at,
                &first,
                &last,
                put.withdrawn,
                self.received_ms,
            ],
        )?;
        Ok(())
    }
}

/// Every kept report of `school` that covers `day`.
pub(super) fn absences_on(
    db: &mut dyn Db,
    school: &str,
    day: NaiveDate,
) -> Result<Vec<AbsencePut>, StoreError> {
    let day = day.to_string();
    db.query(
        "SELECT absence FROM absences
         WHERE school = ?1 AND last_day >= ?2 AND first_day <= ?2
         ORDER BY updated_at DESC, absence_id",
        args![school, &day],
    )?
    .iter()
    .map(|row| row.json(0))
    .collect()
}
