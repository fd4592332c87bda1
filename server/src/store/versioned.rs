//! The one shape of every write a phone makes (an RSVP, an acknowledgement, an absence report,
//! the family's profile): the family proves its secret, the kept version is read, core's apply
//! rule decides, only a version that will be kept must follow the record's rules, and then it is
//! stored, all inside the write transaction. Each record says only what differs
//! ([`VersionedWrite`]); [`write_versioned`] is the order, the same for all. First of all it takes
//! the write's locks (on PostgreSQL, where several servers write at once; see `postgres.rs`).

use super::db::Db;
use super::sql::{add_family, family_is_new};
use super::{Refused, StoreError};
use driehoek_core::sync::{apply, Outcome, Versioned};

/// A refusal or a result, inside a store result (a database error is the outer one).
pub(super) type Checked<T> = Result<Result<T, Refused>, StoreError>;

/// One kind of record a phone writes, as a version of its natural key.
pub(super) trait VersionedWrite {
    /// The version the phone sent, compared with the kept one by [`apply`].
    type Version: Versioned + PartialEq + Clone;

    /// The family that sends it, and the SHA-256 of its secret.
    fn family(&self) -> (&str, &[u8; 32]);

    /// The version sent.
    fn version(&self) -> &Self::Version;

    /// The locks this write needs besides its family's: its natural key, and what its check
    /// reads that other families write (an activity's places, a round's slots).
    fn locks(&self, school: &str) -> Vec<String>;

    /// The version kept for the same natural key, if any; a refusal when the key itself is not
    /// this family's to write (an id another family owns, an agreement never published).
    fn kept(&self, db: &mut dyn Db, school: &str) -> Checked<Option<Self::Version>>;

    /// The record's own rules, checked only for a version that will be kept (a retry of an
    /// old version is answered whatever the date or capacity now).
    fn check(&self, _db: &mut dyn Db, _school: &str) -> Checked<()> {
        Ok(Ok(()))
    }

    /// Stores the version as the kept one.
    fn store(&self, db: &mut dyn Db, school: &str) -> Result<(), StoreError>;
}

/// Applies one version: what was done, and the version the server keeps now.
pub(super) fn write_versioned<W: VersionedWrite>(
    db: &mut dyn Db,
    school: &str,
    write: &W,
) -> Checked<(Outcome, W::Version)> {
    let (family_id, secret_hash) = write.family();
    let mut locks = write.locks(school);
    locks.push(format!("family/{school}/{family_id}"));
    db.lock(&locks)?;
    let new_family = match family_is_new(db, school, family_id, secret_hash)? {
        Ok(new) => new,
        Err(refused) => return Ok(Err(refused)),
    };
    let current = match write.kept(db, school)? {
        Ok(current) => current,
        Err(refused) => return Ok(Err(refused)),
    };
    // The one apply rule, from core (the simulation proves it exactly-once).
    let outcome = apply(current.as_ref(), write.version());
    if outcome != Outcome::Stored {
        // A retry, or an older version: answered with what is kept.
        let kept = current.unwrap_or_else(|| write.version().clone());
        return Ok(Ok((outcome, kept)));
    }
    if let Err(refused) = write.check(db, school)? {
        return Ok(Err(refused));
    }
    if new_family {
        add_family(db, school, family_id, secret_hash)?;
    }
    write.store(db, school)?;
    Ok(Ok((outcome, write.version().clone())))
}
