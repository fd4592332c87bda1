//! The SQLite side of Gesprekken: one row per booking id (the kept [`BookingPut`] by core's
//! [`apply`](driehoek_core::sync::apply) rule, and the slot it holds), the slots the school
//! blocked, and the school's own bookings and moves.
//!
//! Who gets a slot is decided inside the writer's transaction by core's [`assign`], over the
//! slots that no other booking holds and the school did not block; the table's
//! `UNIQUE (school, round_id, slot_id)` refuses a second holder even if that decision were wrong.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use driehoek_core::sync::ChildInGroep;
use driehoek_core::talks::{
    assign, Booked, BookingError, BookingPut, BookingPutResponse, KeptBooking, ScheduledTalk, Slot,
};
use rusqlite::{params, Connection, OptionalExtension};

use super::versioned::{write_versioned, Checked, VersionedWrite};
use super::{BookingWrite, Refused, RoundTalks, SchoolBookingWrite, StoreError};

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

/// Applies one version of a booking inside the writer's transaction.
pub(super) fn write_booking(
    conn: &Connection,
    school: &str,
    write: &BookingWrite,
) -> Checked<BookingPutResponse> {
    let job = Job {
        write,
        assigned: RefCell::new(None),
    };
    let (outcome, kept) = match write_versioned(conn, school, &job)? {
        Ok(done) => done,
        Err(refused) => return Ok(Err(refused)),
    };
    // Whatever the outcome: the slot the kept version holds now (the school may have moved it).
    let booked = booked(conn, school, &kept.id)?;
    Ok(Ok(BookingPutResponse {
        outcome,
        kept,
        booked,
    }))
}

/// The slot a booking holds, if any.
fn booked(conn: &Connection, school: &str, booking_id: &str) -> Result<Option<Booked>, StoreError> {
    let row: Option<(Option<String>, bool)> = conn
        .prepare_cached(
            "SELECT slot, by_school FROM bookings WHERE school = ?1 AND booking_id = ?2",
        )?
        .query_row(params![school, booking_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    Ok(match row {
        Some((Some(slot), by_school)) => Some(Booked {
            slot: serde_json::from_str(&slot)?,
            by_school,
        }),
        _ => None,
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

    fn kept(&self, conn: &Connection, school: &str) -> Checked<Option<BookingPut>> {
        let put = &self.write.put;
        let current: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT family_id, booking FROM bookings WHERE school = ?1 AND booking_id = ?2",
            )?
            .query_row(params![school, put.id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        Ok(match current {
            // A booking's id belongs to the family that first sent it.
            Some((family, _)) if family != put.family_id => Err(Refused::BookingIdTaken),
            Some((_, json)) => Ok(Some(serde_json::from_str(&json)?)),
            None => Ok(None),
        })
    }

    fn check(&self, conn: &Connection, school: &str) -> Checked<()> {
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
        let child_booked = conn
            .prepare_cached(
                "SELECT 1 FROM bookings WHERE school = ?1 AND round_id = ?2 AND family_id = ?3
                 AND child_key = ?4 AND slot_id IS NOT NULL AND booking_id <> ?5",
            )?
            .exists(params![
                school,
                put.round_id,
                put.family_id,
                child_key(&put.child),
                put.id
            ])?;
        if child_booked {
            return Ok(Err(Refused::Booking(BookingError::ChildBooked)));
        }
        // The slots the family's other talks of the round hold: the changeover to them is kept.
        let family: Vec<Slot> = {
            let mut stmt = conn.prepare_cached(
                "SELECT slot_id FROM bookings WHERE school = ?1 AND family_id = ?2
                 AND round_id = ?3 AND slot_id IS NOT NULL AND booking_id <> ?4",
            )?;
            let ids = stmt
                .query_map(
                    params![school, put.family_id, put.round_id, put.id],
                    |row| row.get::<_, String>(0),
                )?
                .collect::<Result<Vec<String>, _>>()?;
            ids.iter().filter_map(|id| round.slot(id)).collect()
        };
        let holders = Holders::new(conn, school, &put.round_id, &put.id);
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

    fn store(&self, conn: &Connection, school: &str) -> Result<(), StoreError> {
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
        // One statement: the old slot is given up in the same write that takes the new one.
        conn.prepare_cached(
            "INSERT INTO bookings (school, booking_id, family_id, round_id, child_key, booking,
                                   updated_at, slot_id, slot, by_school)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)
             ON CONFLICT (school, booking_id)
             DO UPDATE SET round_id = ?4, child_key = ?5, booking = ?6, updated_at = ?7,
                           slot_id = ?8, slot = ?9, by_school = 0",
        )?
        .execute(params![
            school,
            put.id,
            put.family_id,
            put.round_id,
            child_key(&put.child),
            serde_json::to_string(put)?,
            put.updated_at,
            slot.as_ref().map(|s| s.id.as_str()),
            slot_json,
        ])?;
        Ok(())
    }
}

/// Which slots of a round are free for one booking: held by no other booking, not blocked. The
/// first few are asked one by one (a booking names at most three); when core wants the
/// alternatives, the round's taken slots are read at once.
struct Holders<'a> {
    conn: &'a Connection,
    school: &'a str,
    round_id: &'a str,
    booking_id: &'a str,
    asked: Cell<usize>,
    taken: RefCell<Option<HashSet<String>>>,
    failed: RefCell<Option<StoreError>>,
}

impl<'a> Holders<'a> {
    fn new(conn: &'a Connection, school: &'a str, round_id: &'a str, booking_id: &'a str) -> Self {
        Holders {
            conn,
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
        self.asked.set(self.asked.get() + 1);
        if self.asked.get() > 4 && self.taken.borrow().is_none() {
            let mut taken = HashSet::new();
            let mut held = self.conn.prepare_cached(
                "SELECT slot_id FROM bookings WHERE school = ?1 AND round_id = ?2
                 AND slot_id IS NOT NULL AND booking_id <> ?3",
            )?;
            for id in held.query_map(params![self.school, self.round_id, self.booking_id], |r| {
                r.get::<_, String>(0)
            })? {
                taken.insert(id?);
            }
            taken.extend(blocked(self.conn, self.school, self.round_id)?);
            *self.taken.borrow_mut() = Some(taken);
        }
        if let Some(taken) = self.taken.borrow().as_ref() {
            return Ok(!taken.contains(slot_id));
        }
        let held = self
            .conn
            .prepare_cached(
                "SELECT 1 FROM bookings WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3
                 AND booking_id <> ?4",
            )?
            .exists(params![
                self.school,
                self.round_id,
                slot_id,
                self.booking_id
            ])?;
        Ok(!held && !is_blocked(self.conn, self.school, self.round_id, slot_id)?)
    }

    fn failure(&self) -> Result<(), StoreError> {
        match self.failed.borrow_mut().take() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }
}

fn is_blocked(
    conn: &Connection,
    school: &str,
    round_id: &str,
    slot_id: &str,
) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM blocked_slots WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3",
        )?
        .exists(params![school, round_id, slot_id])?)
}

fn blocked(conn: &Connection, school: &str, round_id: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slot_id FROM blocked_slots WHERE school = ?1 AND round_id = ?2 ORDER BY slot_id",
    )?;
    let ids = stmt
        .query_map(params![school, round_id], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// The slot ids of a round held by a booking or blocked, sorted.
pub(super) fn taken(
    conn: &Connection,
    school: &str,
    round_id: &str,
) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slot_id FROM bookings WHERE school = ?1 AND round_id = ?2 AND slot_id IS NOT NULL",
    )?;
    let mut ids = stmt
        .query_map(params![school, round_id], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<String>, _>>()?;
    ids.extend(blocked(conn, school, round_id)?);
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
    conn: &Connection,
    school: &str,
    round_id: &str,
) -> Result<RoundTalks, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT slot_id, booking_id, family_id, booking, by_school FROM bookings
         WHERE school = ?1 AND round_id = ?2 AND slot_id IS NOT NULL ORDER BY slot_id",
    )?;
    let rows = stmt.query_map(params![school, round_id], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, bool>(4)?,
        ))
    })?;
    let mut held = Vec::new();
    for row in rows {
        let (slot_id, booking_id, family_id, json, by_school) = row?;
        held.push((slot_id, scheduled(booking_id, family_id, &json, by_school)?));
    }
    Ok(RoundTalks {
        held,
        blocked: blocked(conn, school, round_id)?,
    })
}

/// The talk on a slot, if a booking holds it.
fn talk_on(
    conn: &Connection,
    school: &str,
    round_id: &str,
    slot_id: &str,
) -> Result<Option<ScheduledTalk>, StoreError> {
    let row: Option<(String, String, String, bool)> = conn
        .prepare_cached(
            "SELECT booking_id, family_id, booking, by_school FROM bookings
             WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3",
        )?
        .query_row(params![school, round_id, slot_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    row.map(|(booking_id, family_id, json, by_school)| {
        scheduled(booking_id, family_id, &json, by_school)
    })
    .transpose()
}

/// Blocks or frees a slot; a slot a booking holds cannot be blocked.
pub(super) fn block_slot(
    conn: &Connection,
    school: &str,
    round_id: &str,
    slot_id: &str,
    block: bool,
) -> Checked<Option<ScheduledTalk>> {
    let talk = talk_on(conn, school, round_id, slot_id)?;
    if block {
        if talk.is_some() {
            return Ok(Err(Refused::SlotBooked));
        }
        conn.prepare_cached(
            "INSERT OR IGNORE INTO blocked_slots (school, round_id, slot_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![school, round_id, slot_id])?;
    } else {
        conn.prepare_cached(
            "DELETE FROM blocked_slots WHERE school = ?1 AND round_id = ?2 AND slot_id = ?3",
        )?
        .execute(params![school, round_id, slot_id])?;
    }
    Ok(Ok(talk))
}

/// The school books a slot by hand (a family of its own, `by_school`), or moves a kept booking
/// of the round to a free slot.
pub(super) fn book_by_school(
    conn: &Connection,
    school: &str,
    write: &SchoolBookingWrite,
) -> Checked<ScheduledTalk> {
    let (round_id, slot) = (&write.round_id, &write.slot);
    if is_blocked(conn, school, round_id, &slot.id)? {
        return Ok(Err(Refused::SlotTaken { blocked: true }));
    }
    let holder = talk_on(conn, school, round_id, &slot.id)?;
    let slot_json = serde_json::to_string(slot)?;
    match &write.booking.booking_id {
        Some(booking_id) => {
            if holder.as_ref().is_some_and(|t| &t.booking_id != booking_id) {
                return Ok(Err(Refused::SlotTaken { blocked: false }));
            }
            let row: Option<(String, String, Option<String>)> = conn
                .prepare_cached(
                    "SELECT family_id, booking, slot_id FROM bookings
                     WHERE school = ?1 AND round_id = ?2 AND booking_id = ?3",
                )?
                .query_row(params![school, round_id, booking_id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })
                .optional()?;
            let Some((family_id, json, held)) = row else {
                return Ok(Err(Refused::UnknownBooking));
            };
            if held.is_none() {
                return Ok(Err(Refused::BookingCancelled));
            }
            let talk = scheduled(booking_id.clone(), family_id, &json, true)?;
            if talk.child.groep != slot.groep {
                return Ok(Err(Refused::WrongGroep {
                    slot: slot.groep,
                    child: talk.child.groep,
                }));
            }
            conn.prepare_cached(
                "UPDATE bookings SET slot_id = ?3, slot = ?4, by_school = 1
                 WHERE school = ?1 AND booking_id = ?2",
            )?
            .execute(params![school, booking_id, slot.id, slot_json])?;
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
            conn.prepare_cached(
                "INSERT INTO bookings (school, booking_id, family_id, round_id, child_key, booking,
                                       updated_at, slot_id, slot, by_school)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1)",
            )?
            .execute(params![
                school,
                booking_id,
                family_id,
                round_id,
                child_key(&child),
                serde_json::to_string(&put)?,
                put.updated_at,
                slot.id,
                slot_json,
            ])?;
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
    conn: &Connection,
    school: &str,
    family_id: &str,
) -> Result<Vec<KeptBooking>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT booking, slot, by_school FROM bookings WHERE school = ?1 AND family_id = ?2
         ORDER BY round_id, booking_id",
    )?;
    let rows = stmt.query_map(params![school, family_id], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<String>>(1)?,
            row.get::<_, bool>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kept, slot, by_school) = row?;
        out.push(KeptBooking {
            kept: serde_json::from_str(&kept)?,
            booked: slot
                .map(|s| serde_json::from_str(&s))
                .transpose()?
                .map(|slot| Booked { slot, by_school }),
        });
    }
    Ok(out)
}
