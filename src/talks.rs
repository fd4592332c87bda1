//! The family's bookings of talks on this phone: what the school answered, what another phone of
//! the family booked, and the booking a parent makes. The rules themselves (slots, preferences,
//! back to back) are core's ([`driehoek_core::talks`]); the screen is `pages::talks`.

use driehoek_core::sync::{read_back, ReadBack};
use driehoek_core::talks::{Booked, BookingPut, KeptBooking, Slot};
use driehoek_web::state::Persisted;

use crate::records::{Bookings, Children, SendState, StoredBooking};

/// The reminders of the family's talks tomorrow (or today), one per booking and slot (core's
/// [`driehoek_core::overview::talk_reminder`]).
pub fn reminders(bookings: &Bookings, today: chrono::NaiveDate) -> Vec<String> {
    bookings
        .0
        .iter()
        .filter(|b| !b.put.cancelled)
        .filter_map(|b| {
            let booked = b.booked.as_ref()?;
            driehoek_core::overview::talk_reminder(&b.put.id, &booked.slot, today)
        })
        .collect()
}

/// The school keeps `kept` holding `booked`: the booking is "verstuurd" with its time, unless a
/// newer version waits on this phone.
pub fn mark_booking(
    bookings: Persisted<Bookings>,
    kept: &BookingPut,
    booked: Option<Booked>,
    other: bool,
) {
    use driehoek_core::sync::Versioned;
    let _ = bookings.update(|bookings| {
        if let Some(mine) = bookings.0.iter_mut().find(|b| b.put.id == kept.id) {
            if !mine.put.is_newer(kept) {
                mine.state = if other || mine.put != *kept {
                    SendState::OtherPhone
                } else {
                    SendState::Sent
                };
                mine.put = kept.clone();
                mine.booked = booked;
                mine.full = None;
            }
        }
    });
}

/// The school answered "vol" to `put`: the parent sees the free times it proposed. A slot the
/// booking held before stays.
pub fn mark_full(bookings: Persisted<Bookings>, put: &BookingPut, alternatives: Vec<Slot>) {
    let _ = bookings.update(|bookings| {
        if let Some(mine) = bookings.0.iter_mut().find(|b| b.put == *put) {
            mine.full = Some(alternatives);
            mine.state = SendState::Failed;
        }
    });
}

/// The school refused `put` for good (422): the parent sees why, in the sync's list.
pub fn mark_failed(bookings: Persisted<Bookings>, put: &BookingPut) {
    let _ = bookings.update(|bookings| {
        if let Some(mine) = bookings.0.iter_mut().find(|b| b.put == *put) {
            mine.state = SendState::Failed;
        }
    });
}

/// Takes in the bookings the school keeps for the family (core's [`read_back`]): a booking
/// another phone made comes over, a slot the school moved is shown as moved, a change waiting
/// here (`waiting(booking_id)`) wins. `false` when storage refused the result.
pub fn read_back_bookings(
    bookings: Persisted<Bookings>,
    children: Persisted<Children>,
    kept: &[KeptBooking],
    waiting: impl Fn(&str) -> bool,
) -> bool {
    let mut mine = bookings.get_untracked();
    for theirs in kept {
        let at = mine.0.iter().position(|b| b.put.id == theirs.kept.id);
        match read_back(
            at.map(|i| &mine.0[i].put),
            waiting(&theirs.kept.id),
            &theirs.kept,
        ) {
            ReadBack::Same => {
                if let Some(b) = at.map(|i| &mut mine.0[i]) {
                    // The school may have moved it: its slot is the truth.
                    b.booked = theirs.booked.clone();
                    if matches!(b.state, SendState::Saved | SendState::Failed) && b.full.is_none() {
                        b.state = SendState::Sent;
                    }
                }
            }
            ReadBack::FromOtherPhone => {
                let child_id = children.with_untracked(|c| {
                    c.0.iter()
                        .find(|c| {
                            driehoek_core::talks::same_child(
                                &driehoek_core::sync::ChildInGroep {
                                    name: c.name.clone(),
                                    groep: c.groep,
                                },
                                &theirs.kept.child,
                            )
                        })
                        .map(|c| c.id.clone())
                        .unwrap_or_default()
                });
                let other = StoredBooking {
                    put: theirs.kept.clone(),
                    state: SendState::OtherPhone,
                    booked: theirs.booked.clone(),
                    full: None,
                    child_id,
                };
                match at {
                    Some(i) => mine.0[i] = other,
                    None => mine.0.push(other),
                }
            }
            ReadBack::Waiting | ReadBack::Older => {}
        }
    }
    bookings.with_untracked(|b| *b == mine) || bookings.replace(mine).is_ok()
}
