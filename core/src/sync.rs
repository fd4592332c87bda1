//! The sync protocol's pure logic, shared by the phone and the server: the bodies of the PUT
//! calls and their answers, the phone's [`Outbox`], and the server's apply rule ([`apply`]).
//!
//! Exactly once without an idempotency cache: every change is a whole version of one record,
//! identified by its natural key (family, activity) or (family, agreement version) and ordered by
//! the phone's `updated_at`. Applying a version is idempotent (the same version twice is
//! `Unchanged`) and monotonic (an older version never replaces a newer one), so retries,
//! duplicates and reordering are harmless; the outbox lets an entry go only when the server has
//! confirmed a version at least as new, so nothing is lost. `core/tests/sync_sim.rs` plays this
//! through random schedules of lost, duplicated and reordered messages, restarts and reloads.

use serde::{Deserialize, Serialize};

use crate::absence::AbsencePut;
use crate::rsvp::Rsvp;

/// The longest name or names of parents, in characters.
pub const MAX_NAMES: usize = 200;

/// The body of `PUT …/rsvps/{rsvp_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpPut {
    /// The family, made on the phone (like a UUID: `a-z`, `0-9`, `-`).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub family_id: String,
    /// The parents' names as the school should see them: readable text (no control or
    /// direction characters, not only invisible ones).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_NAMES), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub names: String,
    /// The answer itself; its `id` equals the path's `rsvp_id`.
    pub rsvp: Rsvp,
}

/// The body of `PUT …/acknowledgements/{ack_id}`: "gelezen" for one agreement version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AckPut {
    /// Made on the phone; equals the path's `ack_id`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// The family, made on the phone.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub family_id: String,
    /// The parent who read it: readable text (no control or direction characters, not only
    /// invisible ones).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_NAMES), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub name: String,
    /// The version of the agreement read: one the school published.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub agreement_version: u32,
    /// When the parent acknowledged it: milliseconds since the Unix epoch (UTC), set by the phone;
    /// after 2020, and at most a day ahead of the server's clock.
    #[cfg_attr(feature = "schema", schemars(range(min = EARLIEST_UPDATE_MS)))]
    pub updated_at: i64,
}

/// The earliest `updated_at` a server accepts: 1 January 2020 (UTC), in milliseconds. Driehoek
/// did not exist before; an earlier time is a phone with a broken clock or a made-up request.
pub const EARLIEST_UPDATE_MS: i64 = 1_577_836_800_000;

/// How far ahead of the server's clock an `updated_at` may lie: one day, for phones whose clock
/// runs ahead. Further ahead, one version would win every later change ("last writer wins" by
/// `updated_at`): an `i64::MAX` would lock a family's answer for ever.
pub const MAX_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// Checks a phone's `updated_at` against the server's clock (`now_ms`, milliseconds since the
/// Unix epoch); `Err` with a Dutch message when it lies before 2020 or more than a day ahead.
pub fn check_updated_at(updated_at: i64, now_ms: i64) -> Result<(), &'static str> {
    if updated_at < EARLIEST_UPDATE_MS {
        Err("Deze tijd ligt vóór 2020. Staat de klok van de telefoon goed?")
    } else if updated_at > now_ms.saturating_add(MAX_AHEAD_MS) {
        Err("Deze tijd ligt meer dan een dag in de toekomst. Staat de klok van de telefoon goed?")
    } else {
        Ok(())
    }
}

/// What the server did with a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It was new, or newer than the one kept: it is now the kept version.
    Stored,
    /// Exactly this version was kept already (a retry or a duplicate).
    Unchanged,
    /// The server keeps a newer version (sent later, or from another phone of the family).
    KeptNewer,
}

/// The answer to `PUT …/rsvps/{rsvp_id}`: what was done, and the version the server keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpPutResponse {
    pub outcome: Outcome,
    pub kept: Rsvp,
}

/// The answer to `PUT …/acknowledgements/{ack_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AckPutResponse {
    pub outcome: Outcome,
    pub kept: AckPut,
}

/// A record with a version: the phone's `updated_at`, ties broken the same way everywhere.
pub trait Versioned {
    /// Whether this version should replace `other` (two versions of the same natural key).
    fn is_newer(&self, other: &Self) -> bool;
}

impl Versioned for Rsvp {
    fn is_newer(&self, other: &Self) -> bool {
        Rsvp::is_newer(self, other)
    }
}

impl Versioned for AckPut {
    fn is_newer(&self, other: &Self) -> bool {
        match self.updated_at.cmp(&other.updated_at) {
            std::cmp::Ordering::Equal => {
                let mine = serde_json::to_string(self).unwrap_or_default();
                let theirs = serde_json::to_string(other).unwrap_or_default();
                mine > theirs
            }
            order => order == std::cmp::Ordering::Greater,
        }
    }
}

/// The server's apply rule, per natural key: `current` is the version kept now (if any),
/// `incoming` the one sent. The caller keeps `incoming` only when the outcome is
/// [`Outcome::Stored`]; otherwise `current` stays.
pub fn apply<T: Versioned + PartialEq>(current: Option<&T>, incoming: &T) -> Outcome {
    match current {
        None => Outcome::Stored,
        Some(kept) if kept == incoming => Outcome::Unchanged,
        Some(kept) if incoming.is_newer(kept) => Outcome::Stored,
        Some(_) => Outcome::KeptNewer,
    }
}

/// One unsent change in the phone's outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Rsvp(RsvpPut),
    Ack(AckPut),
    /// A child reported ill or absent, or such a report withdrawn.
    Absence(AbsencePut),
}

impl Change {
    /// The natural key of a family's RSVP to one activity: one answer per family and activity.
    pub fn rsvp_key(family_id: &str, activity_id: &str) -> String {
        format!("rsvp/{family_id}/{activity_id}")
    }

    /// The natural key of a family's report of an absence: one record per family and report id.
    pub fn absence_key(family_id: &str, absence_id: &str) -> String {
        format!("absence/{family_id}/{absence_id}")
    }

    /// The natural key: one outbox entry per key, the newest version.
    pub fn key(&self) -> String {
        match self {
            Change::Rsvp(put) => Change::rsvp_key(&put.family_id, &put.rsvp.activity_id),
            Change::Ack(ack) => format!("ack/{}/{}", ack.family_id, ack.agreement_version),
            Change::Absence(absence) => Change::absence_key(&absence.family_id, &absence.id),
        }
    }

    fn is_newer(&self, other: &Change) -> bool {
        match (self, other) {
            (Change::Rsvp(a), Change::Rsvp(b)) => a.rsvp.is_newer(&b.rsvp),
            (Change::Ack(a), Change::Ack(b)) => Versioned::is_newer(a, b),
            (Change::Absence(a), Change::Absence(b)) => Versioned::is_newer(a, b),
            _ => false,
        }
    }
}

/// The phone's outbox of unsent changes, kept in storage (it survives a reload).
///
/// An entry leaves only when the server confirmed a version at least as new as the entry
/// ([`Outbox::confirm_rsvp`], [`Outbox::confirm_ack`]); a change made while an older version is
/// in flight replaces the entry, and the confirmation of the older version leaves it in place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub entries: Vec<Change>,
}

impl Outbox {
    /// Queues a change, replacing an older version of the same record.
    pub fn push(&mut self, change: Change) {
        let key = change.key();
        match self.entries.iter_mut().find(|e| e.key() == key) {
            Some(entry) => {
                if change.is_newer(entry) {
                    *entry = change;
                }
            }
            None => self.entries.push(change),
        }
    }

    /// What to send now, oldest first.
    pub fn pending(&self) -> &[Change] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The server answered a PUT of an RSVP with `kept`: the entry for that record leaves if it
    /// is not newer than what the server keeps.
    pub fn confirm_rsvp(&mut self, family_id: &str, kept: &Rsvp) {
        self.entries.retain(|e| match e {
            Change::Rsvp(put) => {
                !(put.family_id == family_id
                    && put.rsvp.activity_id == kept.activity_id
                    && !put.rsvp.is_newer(kept))
            }
            Change::Ack(_) | Change::Absence(_) => true,
        });
    }

    /// The server answered a PUT of an acknowledgement with `kept`.
    pub fn confirm_ack(&mut self, kept: &AckPut) {
        self.entries.retain(|e| match e {
            Change::Ack(ack) => {
                !(ack.family_id == kept.family_id
                    && ack.agreement_version == kept.agreement_version
                    && !Versioned::is_newer(ack, kept))
            }
            Change::Rsvp(_) | Change::Absence(_) => true,
        });
    }

    /// The server answered a PUT of an absence report with `kept`.
    pub fn confirm_absence(&mut self, kept: &AbsencePut) {
        self.entries.retain(|e| match e {
            Change::Absence(absence) => {
                !(absence.family_id == kept.family_id
                    && absence.id == kept.id
                    && !Versioned::is_newer(absence, kept))
            }
            Change::Rsvp(_) | Change::Ack(_) => true,
        });
    }

    /// The server refused the change for good (422: deadline passed, activity gone): it leaves
    /// the outbox, and the app shows it as "mislukt".
    pub fn reject(&mut self, change: &Change) {
        self.entries.retain(|e| e != change);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rsvp::Answer;

    fn rsvp(at: i64, answer: Answer) -> Rsvp {
        Rsvp {
            id: "r1".into(),
            activity_id: "a1".into(),
            answer,
            people: 1,
            helps: false,
            note: String::new(),
            updated_at: at,
        }
    }

    #[test]
    fn apply_is_idempotent_and_monotonic() {
        let old = rsvp(1, Answer::Ja);
        let new = rsvp(2, Answer::Nee);
        assert_eq!(apply(None, &old), Outcome::Stored);
        assert_eq!(apply(Some(&old), &old), Outcome::Unchanged);
        assert_eq!(apply(Some(&old), &new), Outcome::Stored);
        assert_eq!(apply(Some(&new), &old), Outcome::KeptNewer);
    }

    #[test]
    fn a_confirmed_older_version_leaves_the_newer_entry() {
        let mut outbox = Outbox::default();
        let put = |r: Rsvp| {
            Change::Rsvp(RsvpPut {
                family_id: "f".into(),
                names: "A".into(),
                rsvp: r,
            })
        };
        outbox.push(put(rsvp(1, Answer::Ja)));
        outbox.push(put(rsvp(2, Answer::Nee)));
        assert_eq!(outbox.entries.len(), 1, "one entry per record");
        outbox.confirm_rsvp("f", &rsvp(1, Answer::Ja));
        assert_eq!(
            outbox.entries.len(),
            1,
            "the newer version must still be sent"
        );
        outbox.confirm_rsvp("f", &rsvp(2, Answer::Nee));
        assert!(outbox.is_empty());
    }
}
