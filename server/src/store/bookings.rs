//! Gesprekken in the store: one row per booking id (the kept [`BookingPut`] by core's
//! [`apply`](driehoek_core::sync::apply) rule, and the slot it holds), the slots the school
//! blocked, and the school's own bookings and moves.
//!
//! Who gets a slot is decided inside the write transaction by core's [`assign`], over the
//! slots that no other booking holds and the school did not block; the table's
//! `UNIQUE (school, round_id, slot_id)` refuses a second holder even if that decision were wrong.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use driehoek_core::sync::ChildInGroep;
use driehoek_core::talks::{
    assign, too_close, Booked, BookingError, BookingPut, BookingPutResponse, KeptBooking,
    ScheduledTalk, Slot,
};

use super::db::{args, Db};
use super::versioned::{write_versioned, Checked, VersionedWrite};
use super::{BookingWrite, Refused, RoundTalks, SchoolBookingWrite, StoreError};

/// The lock on the slots of a round.
fn round_lock(school: &str, round_id: &str) -> String {
    format!("round/{school}/{round_id}")
}

/// The key of a child within a family: the trimmed, lowercased name and the groep (core's
/// [`same_child`](driehoek_core::talks::same_child)).
fn child_key(child: &ChildInGroep) -> String {
    format!("{}/{}", child.name.trim().to_lowercase(), child.groep)
}

/// One booking write with the slot that [`VersionedWrite::check`] assigned, for `store`.
struct Job<'a> {
    write: &'a BookingWrite,
    assigned: RefCell<Option<Slot>>,
}

/// Applies one version of a booking inside the write transaction.
pub(super) fn write_booking(
    db: &mut dyn Db,
    school: &str,
    write: &BookingWrite,
) -> Checked<BookingPutResponse> {
    let job = Job {
        write,
        assigned: RefCell::new(None),
    };
    let (outcome, kept) = match write_versioned(db, school, &job)? {
        Ok(done) => done,
        Err(refused) => return Ok(Err(refused)),
    };
    // Whatever the outcome: the slot the kept version holds now (the school may have moved it).
    let booked = booked(db, school, &kept.id)?;
    Ok(Ok(BookingPutResponse {
        outcome,
        kept,
        booked,
    }))
}

/// The slot a booking holds, if any.
fn booked(db: &mut dyn Db, school: &str, booking_id: &str) -> Result<Option<Booked>, StoreError> {
    let Some(row) = db.row(
        "SELECT slot, by_school FROM bookings WHERE school = ?1 AND booking_id = ?2",
        args![school, booking_id],
    )?
    else {
        return Ok(None);
    };
    Ok(match row.opt_text(0)? {
        Some(slot) => Some(Booked {
            slot: serde_json::from_str(&slot)?,
            by_school: row.bool(1)?,
        }),
        None => None,
    })
}

impl VersionedWrite for Job<'_> {
    type Version = BookingPut;

    fn family(&self) -> (&str, &[u8; 32]) {
        (&self.write.put.family_id, &self.write.secret_hash)
    }

    fn version(&self) -> &BookingPut {
        &self.write.put
    }

    fn locks(&self, school: &str) -> Vec<String> {
        // Who holds which slot of the round is decided by one writer at a time.
        let put = &self.write.put;
        vec![
            format!("booking/{school}/{}", put.id),
            round_lock(school, &put.round_id),
        ]
    }

    fn kept(&self, db: &mut dyn Db, school: &str) -> Checked<Option<BookingPut>> {
        let put = &self.write.put;
        let current = db.row(
            "SELECT family_id, booking FROM bookings WHERE school = ?1 AND booking_id = ?2",
            args![school, &put.id],
        )?;
        Ok(match current {
            // A booking's id belongs to the family that first sent it.
            Some(row) if row.text(0)? != put.family_id => Err(Refused::BookingIdTaken),
            Some(row) => Ok(Some(row.json(1)?)),
            None => Ok(None),
        })
    }

    fn check(&self, db: &mut dyn Db, school: &str) -> Checked<()> {
        let (put, now) = (&self.write.put, self.write.now);
        if let Err(err) = put.check(self.write.round.as_ref(), now) {
            return Ok(Err(Refused::Booking(err)));
        }
        let Some(round) = self.write.round.as_ref() else {
            return Ok(Err(Refused::Booking(BookingError::UnknownRound)));
        };
        if put.cancelled {
            return Ok(Ok(()));
        }
        let child = child_key(&put.child);
        let child_booked = db.exists(
            "SELECT 1 FROM bookings WHERE school = ?1 AND round_id = ?2 AND family_id = ?3
             AND child_key = ?4 AND slot_id IS NOT NULL AND booking_id <> ?5",
            args![school, &put.round_id, &put.family_id, &child, &put.id],
        )?;
        if child_booked {
            return Ok(Err(Refused::Booking(BookingError::ChildBooked)));
        }
        // The slots the family's other talks of the round hold: the changeover to them is kept.
        let family: Vec<Slot> = db
            .texts(
                "SELECT slot_id FROM bookings WHERE school = ?1 AND family_id = ?2
                 AND round_id = ?3 AND slot_id IS NOT NULL AND booking_id <> ?4",
                args![school, &put.family_id, &put.round_id, &put.id],
            )?
            .iter()
            .filter_map(|id| round.slot(id))
            .collect();
        let holders = Holders::new(db, school, &put.round_id, &put.id);
        let assigned = assign(round, put, now, &family, |id| holders.free(id));
        holders.failure()?;
        Ok(match assigned {
            Ok(slot) => {
                *self.assigned.borrow_mut() = Some(slot);
                Ok(())
            }
            Err(alternatives) => Err(Refused::Full(alternatives)),
        })
    }

    fn store(&self, db: &mut dyn Db, school: &str) -> Result<(), StoreError> {
        let put = &self.write.put;
        let slot = if put.cancelled {
            None
        } else {
            Some(
                self.assigned
                    .borrow()
                    .clone()
                    .ok_or_else(|| StoreError::new("a booking to keep without a slot"))?,
            )
        };
        let slot_json = slot.as_ref().map(serde_json::to_string).transpose()?;
        let (child, json) = (child_key(&put.child), serde_json::to_string(put)?);
        // One statement: the old slot is given up in the same write that takes the new one.
        db.execute(
            "INSERT INTO bookings (school, booking_id, family_id, round_id, child_key, booking,
                                   updated_at, slot_id, slot, by_school)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)
             ON CONFLICT (school, booking_id)
             DO UPDATE SET round_id = ?4, child_key = ?5, booking = ?6, updated_at = ?7,
                           slot_id = ?8, slot = ?9, by_school = 0",
            args![
                school,
                &put.id,
                &put.family_id,
                &put.round_id,
                &child,
                &json,
                put.updated_at,
                slot.as_ref().map(|s| s.id.as_str()),
                &slot_json,
            ],
        )?;
        Ok(())
    }
}

/// Which slots of a round are free for one booking: held by no other booking, not blocked. The
/// first few are asked one by one (a booking names at most three); when core wants the
/// alternatives, the round's taken slots are read at once.
struct Holders<'a, 'd> {
    db: RefCell<&'a mut (dyn Db + 'd)>,
    school: &'a str,
    round_id: &'a str,
    booking_id: &'a str,
    asked: Cell<usize>,
    taken: RefCell<Option<HashSet<String>>>,
    failed: RefCell<Option<StoreError>>,
}

impl<'a, 'd> Holders<'a, 'd> {
    fn new(
        db: &'a mut (dyn Db + 'd),
        school: &'a str,
        round_id: &'a str,
        booking_id: &'a str,
    ) -> Self {
        Holders {
            db: RefCell::new(db),
            school,
            round_id,
            booking_id,
            asked: Cell::new(0),
            taken: RefCell::new(None),
            failed: RefCell::new(None),
        }
    }

    fn free(&self, slot_id: &str) -> bool {
        match self.is_free(slot_id) {
            Ok(free) => free,
            Err(err) => {
                self.failed.borrow_mut().get_or_insert(err);
                false
            }
        }
    }

    fn is_free(&self, slot_id: &str) -> Result<bool, StoreError> {
        let mut db = self.db.borrow_mut();
        let db: &mut dyn Db = &mut **db;
        self.asked.set(self.asked.get() + 1);
        if self.asked.get() > 4 && self.taken.borrow().is_none() {
            let mut taken: HashSet<String> = db
                .texts(
                    "SELECT slot_id FROM bookings WHERE school = ?1 AND round_id = ?2
                     AND slot_id IS NOT NULL AND booking_id <> ?3",
                    args![self.school, self.round_id, self.booking_id],
                )?
                .into_iter()
                .collect();
            taken.extend(blocked(db, self.school, self.round_id)?);
            *self.taken.borrow_mut() = Some(taken);
        }
        if let Some(taken) = self.taken.borrow().as_ref() {
            return Ok(!taken.contains(slot_id));
        }
        let held = db.exists(
            "SELECT 1 FROM bookings WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3
             AND booking_id <> ?4",
            args![self.school, self.round_id, slot_id, self.booking_id],
        )?;
        Ok(!held && !is_blocked(db, self.school, self.round_id, slot_id)?)
    }

    fn failure(&self) -> Result<(), StoreError> {
        match self.failed.borrow_mut().take() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

fn is_blocked(
    db: &mut dyn Db,
    school: &str,
    round_id: &str,
    slot_id: &str,
) -> Result<bool, StoreError> {
    db.exists(
        "SELECT 1 FROM blocked_slots WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3",
        args![school, round_id, slot_id],
    )
}

fn blocked(db: &mut dyn Db, school: &str, round_id: &str) -> Result<Vec<String>, StoreError> {
    db.texts(
        "SELECT slot_id FROM blocked_slots WHERE school = ?1 AND round_id = ?2 ORDER BY slot_id",
        args![school, round_id],
    )
}

/// The slot ids of a round held by a booking or blocked, sorted.
pub(super) fn taken(
    db: &mut dyn Db,
    school: &str,
    round_id: &str,
) -> Result<Vec<String>, StoreError> {
    let mut ids = db.texts(
        "SELECT slot_id FROM bookings WHERE school = ?1 AND round_id = ?2 AND slot_id IS NOT NULL",
        args![school, round_id],
    )?;
    ids.extend(blocked(db, school, round_id)?);
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// A kept booking as the school's schedule shows it.
fn scheduled(
    booking_id: String,
    family_id: String,
    json: &str,
    by_school: bool,
) -> Result<ScheduledTalk, StoreError> {
    let put: BookingPut = serde_json::from_str(json)?;
    Ok(ScheduledTalk {
        booking_id,
        family_id,
        child: put.child,
        names: put.names,
        note: put.note,
        by_school,
    })
}

/// The bookings of a round that hold a slot, and the blocked slots.
pub(super) fn round_talks(
    db: &mut dyn Db,
    school: &str,
    round_id: &str,
) -> Result<RoundTalks, StoreError> {
    let mut held = Vec::new();
    for row in db.query(
        "SELECT slot_id, booking_id, family_id, booking, by_school FROM bookings
         WHERE school = ?1 AND round_id = ?2 AND slot_id IS NOT NULL ORDER BY slot_id",
        args![school, round_id],
    )? {
        let talk = scheduled(row.text(1)?, row.text(2)?, &row.text(3)?, row.bool(4)?)?;
        held.push((row.text(0)?, talk));
    }
    Ok(RoundTalks {
        held,
        blocked: blocked(db, school, round_id)?,
    })
}

/// The talk on a slot, if a booking holds it.
fn talk_on(
    db: &mut dyn Db,
    school: &str,
    round_id: &str,
    slot_id: &str,
) -> Result<Option<ScheduledTalk>, StoreError> {
    db.row(
        "SELECT booking_id, family_id, booking, by_school FROM bookings
         WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3",
        args![school, round_id, slot_id],
    )?
    .map(|row| scheduled(row.text(0)?, row.text(1)?, &row.text(2)?, row.bool(3)?))
    .transpose()
}

/// Blocks or frees a slot; a slot a booking holds cannot be blocked.
pub(super) fn block_slot(
    db: &mut dyn Db,
    school: &str,
    round_id: &str,
    slot_id: &str,
    block: bool,
) -> Checked<Option<ScheduledTalk>> {
    db.lock(&[round_lock(school, round_id)])?;
    let talk = talk_on(db, school, round_id, slot_id)?;
    if block {
        if talk.is_some() {
            return Ok(Err(Refused::SlotBooked));
        }
        db.execute(
            "INSERT INTO blocked_slots (school, round_id, slot_id) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            args![school, round_id, slot_id],
        )?;
    } else {
        db.execute(
            "DELETE FROM blocked_slots WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3",
            args![school, round_id, slot_id],
        )?;
    }
    Ok(Ok(talk))
}

/// The school books a slot by hand (a family of its own, `by_school`), or moves a kept booking
/// of the round to a free slot.
pub(super) fn book_by_school(
    db: &mut dyn Db,
    school: &str,
    write: &SchoolBookingWrite,
) -> Checked<ScheduledTalk> {
    let (round_id, slot) = (&write.round_id, &write.slot);
    db.lock(&[round_lock(school, round_id)])?;
    if is_blocked(db, school, round_id, &slot.id)? {
        return Ok(Err(Refused::SlotTaken { blocked: true }));
    }
    let holder = talk_on(db, school, round_id, &slot.id)?;
    let slot_json = serde_json::to_string(slot)?;
    match &write.booking.booking_id {
        Some(booking_id) => {
            if holder.as_ref().is_some_and(|t| &t.booking_id != booking_id) {
                return Ok(Err(Refused::SlotTaken { blocked: false }));
            }
            let Some(row) = db.row(
                "SELECT family_id, booking, slot_id FROM bookings
                 WHERE school = ?1 AND round_id = ?2 AND booking_id = ?3",
                args![school, round_id, booking_id],
            )?
            else {
                return Ok(Err(Refused::UnknownBooking));
            };
            if row.opt_text(2)?.is_none() {
                return Ok(Err(Refused::BookingCancelled));
            }
            let talk = scheduled(booking_id.clone(), row.text(0)?, &row.text(1)?, true)?;
            if talk.child.groep != slot.groep {
                return Ok(Err(Refused::WrongGroep {
                    slot: slot.groep,
                    child: talk.child.groep,
                }));
            }
            // The same parents go to the family's other talks of the round: the move keeps the
            // changeover to them, as a booking by the family itself does (core's `assign`).
            let changeover = chrono::Duration::minutes(i64::from(write.changeover_minutes));
            let others = db.query(
                "SELECT booking, slot FROM bookings WHERE school = ?1 AND round_id = ?2
                 AND family_id = ?3 AND booking_id <> ?4 AND slot_id IS NOT NULL",
                args![school, round_id, &talk.family_id, booking_id],
            )?;
            for other in others {
                let (put, held): (BookingPut, Slot) = (other.json(0)?, other.json(1)?);
                if too_close(&held, slot, changeover) {
                    return Ok(Err(Refused::TooClose {
                        child: put.child.name,
                        slot: held,
                    }));
                }
            }
            db.execute(
                "UPDATE bookings SET slot_id = ?3, slot = ?4, by_school = 1
                 WHERE school = ?1 AND booking_id = ?2",
                args![school, booking_id, &slot.id, &slot_json],
            )?;
            Ok(Ok(talk))
        }
        None => {
            if holder.is_some() {
                return Ok(Err(Refused::SlotTaken { blocked: false }));
            }
            let Some(child) = write.booking.child.clone() else {
                return Ok(Err(Refused::Booking(BookingError::Child)));
            };
            let (booking_id, family_id) = write.new_ids.clone();
            let put = BookingPut {
                id: booking_id.clone(),
                family_id: family_id.clone(),
                names: write.booking.names.clone(),
                round_id: round_id.clone(),
                child: child.clone(),
                preferences: vec![slot.id.clone()],
                note: write.booking.note.clone(),
                children_in_round: 1,
                updated_at: write.now_ms,
                cancelled: false,
            };
            let (key, json) = (child_key(&child), serde_json::to_string(&put)?);
            db.execute(
                "INSERT INTO bookings (school, booking_id, family_id, round_id, child_key, booking,
                                       updated_at, slot_id, slot, by_school)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
                args![
                    school,
                    &booking_id,
                    &family_id,
                    round_id,
                    &key,
                    &json,
                    put.updated_at,
                    &slot.id,
                    &slot_json,
                ],
            )?;
            Ok(Ok(ScheduledTalk {
                booking_id,
                family_id,
                child,
                names: put.names,
                note: put.note,
                by_school: true,
            }))
        }
    }
}

/// A family's kept bookings with the slots they hold, by round and booking id.
pub(super) fn family_bookings(
    db: &mut dyn Db,
    school: &str,
    family_id: &str,
) -> Result<Vec<KeptBooking>, StoreError> {
    db.query(
        "SELECT booking, slot, by_school FROM bookings WHERE school = ?1 AND family_id = ?2
         ORDER BY round_id, booking_id",
        args![school, family_id],
    )?
    .iter()
    .map(|row| {
        let booked = match row.opt_text(1)? {
            Some(slot) => Some(Booked {
                slot: serde_json::from_str(&slot)?,
                by_school: row.bool(2)?,
            }),
            None => None,
        };
        Ok(KeptBooking {
            kept: row.json(0)?,
            booked,
        })
    })
    .collect()
}
