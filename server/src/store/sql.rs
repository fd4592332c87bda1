//! Every rule of the store, written once over a [`Db`] transaction: a backend
//! ([`Backend`]: SQLite or PostgreSQL) only opens transactions, and every [`Store`] call is the
//! same here for both.

use chrono::{NaiveDate, NaiveDateTime};
use driehoek_core::absence::{AbsencePut, AbsencePutResponse};
use driehoek_core::agreement::{check_publish, Publish};
use driehoek_core::rsvp::places_taken;
use driehoek_core::sync::{
    AckPut, AckPutResponse, FamilyProfile, FamilyRecords, ProfilePutResponse, RsvpPut,
    RsvpPutResponse,
};
use driehoek_core::talks::{BookingPutResponse, ScheduledTalk};
use driehoek_core::{Agreement, Content, Rsvp};

use super::db::{args, Arg, Db, Row};
use super::versioned::{write_versioned, Checked, VersionedWrite};
use super::{
    AbsenceWrite, AckWrite, AgreementAcks, BookingWrite, Conflict, FamilyRead, ProfileWrite,
    Publication, Readiness, Refused, RoundTalks, RsvpWrite, SchoolBookingWrite, SchoolMeta,
    SchoolRow, Store, StoreError, Written,
};

/// What a backend gives: transactions to read in and to write in.
pub(crate) trait Backend: Send + Sync + 'static {
    /// Runs `work` in a transaction that reads. It may run on another thread (PostgreSQL's
    /// blocking client cannot run on an async runtime's threads), hence `Send + 'static`, and
    /// more than once (again on a new connection when the first was lost).
    fn read<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError>;

    /// Runs `work` in a read that never waits behind a long one (a school's metadata on every
    /// request).
    fn read_meta<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.read(work)
    }

    /// Runs `work` in a transaction that writes; the outcome once it is durable. `work` may run
    /// more than once (a transaction that lost a race with another server is run again), so it
    /// must not have effects of its own outside the transaction.
    fn write<T: Send + 'static>(
        &self,
        work: impl Fn(&mut dyn Db) -> Result<T, StoreError> + Send + 'static,
    ) -> Written<T>;

    /// See [`Store::schools_version`].
    fn schools_version(&self) -> Result<u64, StoreError>;
}

impl<B: Backend> Store for B {
    fn create_school(
        &self,
        id: &str,
        name: &str,
        access_hash: &[u8; 32],
        admin_hash: &[u8; 32],
    ) -> Result<(), StoreError> {
        let (id, name, access_hash, admin_hash) =
            (id.to_owned(), name.to_owned(), *access_hash, *admin_hash);
        self.write(move |db| {
            db.lock(&[format!("school/{id}")])?;
            db.execute(
                "INSERT INTO schools (id, name, access_hash, admin_hash) VALUES (?1, ?2, ?3, ?4)",
                args![&id, &name, &access_hash, &admin_hash],
            )?;
            Ok(())
        })
        .wait()
    }

    fn school(&self, id: &str) -> Result<Option<SchoolRow>, StoreError> {
        let id = id.to_owned();
        self.read(move |db| {
            db.row(
                "SELECT id, name, access_hash, admin_hash, content, etag FROM schools WHERE id = ?1",
                args![&id],
            )?
            .map(|row| {
                Ok(SchoolRow {
                    id: row.text(0)?,
                    name: row.text(1)?,
                    access_hash: row.bytes(2)?,
                    admin_hash: row.bytes(3)?,
                    content: row.opt_text(4)?.zip(row.opt_text(5)?),
                })
            })
            .transpose()
        })
    }

    fn school_meta(&self, id: &str) -> Result<Option<SchoolMeta>, StoreError> {
        let id = id.to_owned();
        self.read_meta(move |db| {
            db.row(
                "SELECT id, name, access_hash, admin_hash, etag FROM schools WHERE id = ?1",
                args![&id],
            )?
            .map(|row| {
                Ok(SchoolMeta {
                    id: row.text(0)?,
                    name: row.text(1)?,
                    access_hash: row.bytes(2)?,
                    admin_hash: row.bytes(3)?,
                    etag: row.opt_text(4)?,
                })
            })
            .transpose()
        })
    }

    fn schools_version(&self) -> Result<u64, StoreError> {
        Backend::schools_version(self)
    }

    fn set_hashes(
        &self,
        id: &str,
        access_hash: Option<&[u8; 32]>,
        admin_hash: Option<&[u8; 32]>,
    ) -> Result<bool, StoreError> {
        let (id, access, admin) = (id.to_owned(), access_hash.copied(), admin_hash.copied());
        self.write(move |db| {
            db.lock(&[format!("school/{id}")])?;
            if !db.exists("SELECT 1 FROM schools WHERE id = ?1", args![&id])? {
                return Ok(false);
            }
            if let Some(hash) = &access {
                db.execute(
                    "UPDATE schools SET access_hash = ?2 WHERE id = ?1",
                    args![&id, hash],
                )?;
            }
            if let Some(hash) = &admin {
                db.execute(
                    "UPDATE schools SET admin_hash = ?2 WHERE id = ?1",
                    args![&id, hash],
                )?;
            }
            Ok(true)
        })
        .wait()
    }

    fn publish(
        &self,
        id: &str,
        content: &Content,
        etag: &str,
        if_match: Option<&str>,
        now: NaiveDateTime,
    ) -> Result<Publication, StoreError> {
        let json = serde_json::to_string(content)?;
        let content = content.clone();
        let (id, etag) = (id.to_owned(), etag.to_owned());
        let if_match = if_match.map(str::to_owned);
        self.write(move |db| publish(db, &id, &content, &json, &etag, if_match.as_deref(), now))
            .wait()
    }

    fn put_rsvp(
        &self,
        school: &str,
        write: RsvpWrite,
    ) -> Written<Result<RsvpPutResponse, Refused>> {
        let school = school.to_owned();
        self.write(move |db| {
            Ok(write_versioned(db, &school, &write)?
                .map(|(outcome, kept)| RsvpPutResponse { outcome, kept }))
        })
    }

    fn put_ack(&self, school: &str, write: AckWrite) -> Written<Result<AckPutResponse, Refused>> {
        let school = school.to_owned();
        self.write(move |db| {
            Ok(write_versioned(db, &school, &write)?
                .map(|(outcome, kept)| AckPutResponse { outcome, kept }))
        })
    }

    fn put_profile(
        &self,
        school: &str,
        write: ProfileWrite,
    ) -> Written<Result<ProfilePutResponse, Refused>> {
        let school = school.to_owned();
        self.write(move |db| {
            Ok(write_versioned(db, &school, &write)?
                .map(|(outcome, kept)| ProfilePutResponse { outcome, kept }))
        })
    }

    fn family(
        &self,
        school: &str,
        family_id: &str,
        secret_hash: &[u8; 32],
    ) -> Result<FamilyRead, StoreError> {
        let (school, family_id, secret_hash) =
            (school.to_owned(), family_id.to_owned(), *secret_hash);
        self.read(move |db| read_family(db, &school, &family_id, &secret_hash))
    }

    fn put_absence(
        &self,
        school: &str,
        write: AbsenceWrite,
    ) -> Written<Result<AbsencePutResponse, Refused>> {
        let school = school.to_owned();
        self.write(move |db| super::absences::write_absence(db, &school, &write))
    }

    fn absences_on(&self, school: &str, day: NaiveDate) -> Result<Vec<AbsencePut>, StoreError> {
        let school = school.to_owned();
        self.read(move |db| super::absences::absences_on(db, &school, day))
    }

    fn put_booking(
        &self,
        school: &str,
        write: BookingWrite,
    ) -> Written<Result<BookingPutResponse, Refused>> {
        let school = school.to_owned();
        self.write(move |db| super::bookings::write_booking(db, &school, &write))
    }

    fn taken(&self, school: &str, round_id: &str) -> Result<Vec<String>, StoreError> {
        let (school, round_id) = (school.to_owned(), round_id.to_owned());
        self.read(move |db| super::bookings::taken(db, &school, &round_id))
    }

    fn round_talks(&self, school: &str, round_id: &str) -> Result<RoundTalks, StoreError> {
        let (school, round_id) = (school.to_owned(), round_id.to_owned());
        self.read(move |db| super::bookings::round_talks(db, &school, &round_id))
    }

    fn block_slot(
        &self,
        school: &str,
        round_id: &str,
        slot_id: &str,
        blocked: bool,
    ) -> Written<Result<Option<ScheduledTalk>, Refused>> {
        let (school, round_id, slot_id) =
            (school.to_owned(), round_id.to_owned(), slot_id.to_owned());
        self.write(move |db| super::bookings::block_slot(db, &school, &round_id, &slot_id, blocked))
    }

    fn book_by_school(
        &self,
        school: &str,
        write: SchoolBookingWrite,
    ) -> Written<Result<ScheduledTalk, Refused>> {
        let school = school.to_owned();
        self.write(move |db| super::bookings::book_by_school(db, &school, &write))
    }

    fn rsvps(&self, school: &str) -> Result<Vec<RsvpPut>, StoreError> {
        let school = school.to_owned();
        self.read(move |db| {
            db.query(
                "SELECT family_id, names, rsvp, children FROM rsvps WHERE school = ?1
                 ORDER BY activity_id, family_id",
                args![&school],
            )?
            .iter()
            .map(|row| {
                Ok(RsvpPut {
                    family_id: row.text(0)?,
                    names: row.text(1)?,
                    rsvp: row.json(2)?,
                    children: row.json(3)?,
                })
            })
            .collect()
        })
    }

    fn acknowledgements(&self, school: &str) -> Result<Vec<AgreementAcks>, StoreError> {
        let school = school.to_owned();
        self.read(move |db| acknowledgements(db, &school))
    }

    fn readiness(&self) -> Readiness {
        let readable = self
            .read(|db| db.query("SELECT count(*) FROM schools", &[]).map(drop))
            .inspect_err(|err| tracing::warn!(error = %err, "readiness: cannot read"))
            .is_ok();
        // A row larger than a page needs fresh pages, as a new answer does: on a full disk (or a
        // database at its size limit) that fails where rewriting an existing row would not.
        let writable = self
            .write(|db| {
                db.execute(
                    "INSERT INTO probe (filler) VALUES (?1)",
                    &[Arg::Bytes(&[0; 16384])],
                )?;
                db.execute("DELETE FROM probe", &[])?;
                Ok(())
            })
            .wait()
            .inspect_err(|err| tracing::warn!(error = %err, "readiness: cannot write"))
            .is_ok();
        Readiness { readable, writable }
    }

    fn export_school(&self, id: &str) -> Result<Option<super::SchoolExport>, StoreError> {
        let id = id.to_owned();
        self.read(move |db| super::export::export(db, &id))
    }

    fn import_school(&self, export: &super::SchoolExport) -> Result<bool, StoreError> {
        let export = export.clone();
        self.write(move |db| super::export::import(db, &export))
            .wait()
    }
}

/// `Ok(true)` when the family is new, `Ok(false)` when its kept secret matches,
/// `Err(OtherFamily)` otherwise. Writes nothing.
pub(super) fn family_is_new(
    db: &mut dyn Db,
    school: &str,
    family_id: &str,
    secret_hash: &[u8; 32],
) -> Checked<bool> {
    let kept = db.row(
        "SELECT secret_hash FROM families WHERE school = ?1 AND family_id = ?2",
        args![school, family_id],
    )?;
    Ok(match kept {
        None => Ok(true),
        Some(row) => {
            let kept = row.bytes(0)?;
            if bool::from(subtle::ConstantTimeEq::ct_eq(&kept[..], &secret_hash[..])) {
                Ok(false)
            } else {
                Err(Refused::OtherFamily)
            }
        }
    })
}

pub(super) fn add_family(
    db: &mut dyn Db,
    school: &str,
    family_id: &str,
    secret_hash: &[u8; 32],
) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO families (school, family_id, secret_hash) VALUES (?1, ?2, ?3)",
        args![school, family_id, secret_hash],
    )?;
    Ok(())
}

/// The version kept in the first column of the row, if any.
fn kept_json<T: serde::de::DeserializeOwned>(row: Option<Row>) -> Result<Option<T>, StoreError> {
    row.map(|row| row.json(0)).transpose()
}

impl VersionedWrite for RsvpWrite {
    type Version = Rsvp;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.put.family_id, &self.secret_hash)
    }

    fn version(&self) -> &Rsvp {
        &self.put.rsvp
    }

    fn locks(&self, school: &str) -> Vec<String> {
        let rsvp = &self.put.rsvp;
        let mut locks = vec![
            format!("rsvp/{school}/{}/{}", self.put.family_id, rsvp.activity_id),
            format!("rsvp-id/{school}/{}", rsvp.id),
        ];
        // The places left are counted from every family's answer: one writer per activity.
        if self.activity.capacity.is_some() {
            locks.push(format!("activity/{school}/{}", rsvp.activity_id));
        }
        locks
    }

    fn kept(&self, db: &mut dyn Db, school: &str) -> Checked<Option<Rsvp>> {
        let put = &self.put;
        // An answer's id belongs to the family that first sent it.
        let taken_by_other = db.exists(
            "SELECT 1 FROM rsvps WHERE school = ?1 AND rsvp_id = ?2 AND family_id <> ?3",
            args![school, &put.rsvp.id, &put.family_id],
        )?;
        if taken_by_other {
            return Ok(Err(Refused::RsvpIdTaken));
        }
        let current = db.row(
            "SELECT rsvp FROM rsvps WHERE school = ?1 AND family_id = ?2 AND activity_id = ?3",
            args![school, &put.family_id, &put.rsvp.activity_id],
        )?;
        Ok(Ok(kept_json(current)?))
    }

    fn check(&self, db: &mut dyn Db, school: &str) -> Checked<()> {
        let put = &self.put;
        // The places are counted here, in the same transaction, so two families cannot both
        // take the last place.
        let taken = if self.activity.capacity.is_some() {
            let others = db
                .query(
                    "SELECT family_id, rsvp FROM rsvps
                     WHERE school = ?1 AND activity_id = ?2 AND family_id <> ?3",
                    args![school, &put.rsvp.activity_id, &put.family_id],
                )?
                .iter()
                .map(|row| Ok((row.text(0)?, row.json::<Rsvp>(1)?)))
                .collect::<Result<Vec<(String, Rsvp)>, StoreError>>()?;
            places_taken(
                others.iter().map(|(family, rsvp)| (family.as_str(), rsvp)),
                &self.activity.id,
                &put.family_id,
            )
        } else {
            0
        };
        // Checked, but kept as sent: the phone compares the kept version with its own.
        Ok(put
            .rsvp
            .clone()
            .check(&self.activity, self.now, taken)
            .map(|_| ())
            .map_err(Refused::Rsvp))
    }

    fn store(&self, db: &mut dyn Db, school: &str) -> Result<(), StoreError> {
        let put = &self.put;
        let (rsvp, children) = (
            serde_json::to_string(&put.rsvp)?,
            serde_json::to_string(&put.children)?,
        );
        db.execute(
            "INSERT INTO rsvps
                (school, family_id, activity_id, names, rsvp, updated_at, rsvp_id, children)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (school, family_id, activity_id)
             DO UPDATE SET names = ?4, rsvp = ?5, updated_at = ?6, rsvp_id = ?7, children = ?8",
            args![
                school,
                &put.family_id,
                &put.rsvp.activity_id,
                &put.names,
                &rsvp,
                put.rsvp.updated_at,
                &put.rsvp.id,
                &children
            ],
        )?;
        Ok(())
    }
}

/// The text of a published agreement version, if the school published it.
fn agreement_text(
    db: &mut dyn Db,
    school: &str,
    version: u32,
) -> Result<Option<String>, StoreError> {
    db.row(
        "SELECT agreement FROM agreements WHERE school = ?1 AND version = ?2",
        args![school, version],
    )?
    .map(|row| row.text(0))
    .transpose()
}

impl VersionedWrite for AckWrite {
    type Version = AckPut;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.ack.family_id, &self.secret_hash)
    }

    fn version(&self) -> &AckPut {
        &self.ack
    }

    fn locks(&self, school: &str) -> Vec<String> {
        let ack = &self.ack;
        vec![format!(
            "ack/{school}/{}/{}/{}",
            ack.family_id, ack.agreement_version, ack.name
        )]
    }

    fn kept(&self, db: &mut dyn Db, school: &str) -> Checked<Option<AckPut>> {
        let ack = &self.ack;
        if agreement_text(db, school, ack.agreement_version)?.is_none() {
            return Ok(Err(Refused::UnknownAgreement));
        }
        let current = db.row(
            "SELECT ack FROM acknowledgements
             WHERE school = ?1 AND family_id = ?2 AND agreement_version = ?3 AND name = ?4",
            args![school, &ack.family_id, ack.agreement_version, &ack.name],
        )?;
        Ok(Ok(kept_json(current)?))
    }

    fn store(&self, db: &mut dyn Db, school: &str) -> Result<(), StoreError> {
        let ack = &self.ack;
        // The hash of the text it was given to (read in the same transaction as `kept`).
        let text = agreement_text(db, school, ack.agreement_version)?.unwrap_or_default();
        let (json, sha) = (serde_json::to_string(ack)?, agreement_sha256(&text));
        db.execute(
            "INSERT INTO acknowledgements
                (school, family_id, agreement_version, ack, updated_at, agreement_sha256, name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (school, family_id, agreement_version, name)
             DO UPDATE SET ack = ?4, updated_at = ?5, agreement_sha256 = ?6",
            args![
                school,
                &ack.family_id,
                ack.agreement_version,
                &json,
                ack.updated_at,
                &sha,
                &ack.name
            ],
        )?;
        Ok(())
    }
}

impl VersionedWrite for ProfileWrite {
    type Version = FamilyProfile;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.family_id, &self.secret_hash)
    }

    fn version(&self) -> &FamilyProfile {
        &self.profile
    }

    fn locks(&self, _school: &str) -> Vec<String> {
        // The family's own lock is its key.
        Vec::new()
    }

    fn kept(&self, db: &mut dyn Db, school: &str) -> Checked<Option<FamilyProfile>> {
        let current = db.row(
            "SELECT profile FROM family_profiles WHERE school = ?1 AND family_id = ?2",
            args![school, &self.family_id],
        )?;
        Ok(Ok(kept_json(current)?))
    }

    fn store(&self, db: &mut dyn Db, school: &str) -> Result<(), StoreError> {
        let json = serde_json::to_string(&self.profile)?;
        db.execute(
            "INSERT INTO family_profiles (school, family_id, profile, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (school, family_id) DO UPDATE SET profile = ?3, updated_at = ?4",
            args![school, &self.family_id, &json, self.profile.updated_at],
        )?;
        Ok(())
    }
}

fn read_family(
    db: &mut dyn Db,
    school: &str,
    family_id: &str,
    secret_hash: &[u8; 32],
) -> Result<FamilyRead, StoreError> {
    match family_is_new(db, school, family_id, secret_hash)? {
        Ok(true) => return Ok(FamilyRead::Unknown),
        Ok(false) => {}
        Err(_) => return Ok(FamilyRead::OtherFamily),
    }
    let mut records = FamilyRecords::default();
    for row in db.query(
        "SELECT names, rsvp, children FROM rsvps WHERE school = ?1 AND family_id = ?2
         ORDER BY activity_id",
        args![school, family_id],
    )? {
        records.rsvps.push(RsvpPut {
            family_id: family_id.to_owned(),
            names: row.text(0)?,
            rsvp: row.json(1)?,
            children: row.json(2)?,
        });
    }
    for row in db.query(
        "SELECT ack FROM acknowledgements WHERE school = ?1 AND family_id = ?2
         ORDER BY agreement_version, name",
        args![school, family_id],
    )? {
        records.acknowledgements.push(row.json(0)?);
    }
    records.profile = kept_json(db.row(
        "SELECT profile FROM family_profiles WHERE school = ?1 AND family_id = ?2",
        args![school, family_id],
    )?)?;
    records.bookings = super::bookings::family_bookings(db, school, family_id)?;
    Ok(FamilyRead::Found(records))
}

/// [`Store::publish`] inside the write transaction.
fn publish(
    db: &mut dyn Db,
    id: &str,
    content: &Content,
    json: &str,
    etag: &str,
    if_match: Option<&str>,
    now: NaiveDateTime,
) -> Result<Publication, StoreError> {
    // One publication of a school at a time: the ETag, the agreement versions and the activity
    // ids are checked against what the last one left.
    db.lock(&[format!("school/{id}")])?;
    let current = db.row("SELECT etag, content FROM schools WHERE id = ?1", args![id])?;
    let (current_etag, current_json) = match current {
        Some(row) => (row.opt_text(0)?, row.opt_text(1)?),
        None => (None, None),
    };
    if let Some(wanted) = if_match {
        if current_etag.as_deref() != Some(wanted) {
            return Ok(Publication::Stale);
        }
    }
    if let Some(conflict) = agreement_conflict(db, id, content)? {
        return Ok(Publication::Refused(conflict));
    }
    let current: Option<Content> = current_json
        .map(|json| serde_json::from_str(&json))
        .transpose()?;
    if let Some(conflict) = activity_conflict(db, id, current.as_ref(), content, now)? {
        return Ok(Publication::Refused(conflict));
    }
    db.execute(
        "UPDATE schools SET content = ?2, etag = ?3 WHERE id = ?1",
        args![id, json, etag],
    )?;
    // Kept as published: never replaced (the rule above refused other words).
    let agreement = serde_json::to_string(&content.agreement)?;
    db.execute(
        "INSERT INTO agreements (school, version, agreement) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
        args![id, content.agreement.version, &agreement],
    )?;
    for activity in &content.activities {
        db.execute(
            "INSERT INTO activity_ids (school, activity_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![id, &activity.id],
        )?;
    }
    Ok(Publication::Published)
}

fn acknowledgements(db: &mut dyn Db, school: &str) -> Result<Vec<AgreementAcks>, StoreError> {
    #[derive(serde::Deserialize)]
    struct Published {
        published: NaiveDate,
    }
    let mut out = Vec::new();
    for row in db.query(
        "SELECT a.version, a.agreement,
                (SELECT COUNT(DISTINCT k.family_id) FROM acknowledgements k
                 WHERE k.school = a.school AND k.agreement_version = a.version)
         FROM agreements a WHERE a.school = ?1 ORDER BY a.version",
        args![school],
    )? {
        let Published { published } = row.json(1)?;
        out.push(AgreementAcks {
            version: row.uint(0)?,
            published,
            families: row.uint(2)?,
            acks: Vec::new(),
        });
    }
    for row in db.query(
        "SELECT agreement_version, ack FROM acknowledgements WHERE school = ?1
         ORDER BY agreement_version, family_id, updated_at, name",
        args![school],
    )? {
        let version: u32 = row.uint(0)?;
        if let Some(v) = out.iter_mut().find(|v| v.version == version) {
            v.acks.push(row.json(1)?);
        }
    }
    Ok(out)
}

/// The hex SHA-256 of an agreement version's text as stored (its JSON in `agreements`): what an
/// acknowledgement of that version was given to.
pub fn agreement_sha256(stored_json: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(stored_json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Core's rule for published agreements, against the highest version ever published.
fn agreement_conflict(
    db: &mut dyn Db,
    school: &str,
    content: &Content,
) -> Result<Option<Conflict>, StoreError> {
    let highest: Option<Agreement> = kept_json(db.row(
        "SELECT agreement FROM agreements WHERE school = ?1 ORDER BY version DESC LIMIT 1",
        args![school],
    )?)?;
    Ok(match check_publish(highest.as_ref(), &content.agreement) {
        Publish::Same | Publish::Next => None,
        Publish::Refused(refusal) => Some(Conflict {
            field: "agreement.version".into(),
            message: refusal.message(),
        }),
    })
}

/// An activity families answered may not disappear before it has ended, unless the school
/// published it as cancelled first (then families saw "afgelast"); and an id used before may
/// not come back for another activity (its old answers would attach to it).
fn activity_conflict(
    db: &mut dyn Db,
    school: &str,
    current: Option<&Content>,
    new: &Content,
    now: NaiveDateTime,
) -> Result<Option<Conflict>, StoreError> {
    let kept: std::collections::HashSet<&str> =
        new.activities.iter().map(|a| a.id.as_str()).collect();
    for gone in current
        .map(|c| c.activities.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|a| !kept.contains(a.id.as_str()) && !a.cancelled && a.end > now)
    {
        if db.exists(
            "SELECT 1 FROM rsvps WHERE school = ?1 AND activity_id = ?2 LIMIT 1",
            args![school, &gone.id],
        )? {
            return Ok(Some(Conflict {
                field: "activities".into(),
                message: format!(
                    "Ouders hebben al geantwoord op \"{}\" ({}). Haal die activiteit niet \
                     weg, maar zet haar op afgelast: dan zien de ouders dat.",
                    gone.title.get("nl"),
                    gone.id
                ),
            }));
        }
    }
    let was: std::collections::HashSet<&str> = current
        .map(|c| c.activities.iter().map(|a| a.id.as_str()).collect())
        .unwrap_or_default();
    for (i, activity) in new.activities.iter().enumerate() {
        if !was.contains(activity.id.as_str())
            && db.exists(
                "SELECT 1 FROM activity_ids WHERE school = ?1 AND activity_id = ?2",
                args![school, &activity.id],
            )?
        {
            return Ok(Some(Conflict {
                field: format!("activities[{i}].id"),
                message: format!(
                    "De id \"{}\" is al eens gebruikt voor een activiteit die niet meer \
                     gepubliceerd is. Geef deze activiteit een nieuwe id.",
                    activity.id
                ),
            }));
        }
    }
    Ok(None)
}
