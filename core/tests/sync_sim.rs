//! A deterministic simulation of one phone and the server through random schedules: requests
//! lost, responses lost, requests delivered twice and out of order, the server restarted, the app
//! reloaded, the parent changing an answer while an older version is in flight, weeks offline.
//! Over 10 000 seeds: nothing is lost, nothing is applied twice, and the server ends with the
//! parent's last choice. Absences ride along: reported, withdrawn (a newer version of the same
//! report), and each arrives exactly once. Bookings of talks get a simulation of their own:
//! three families, four slots, the server a small model of core's apply and assign; nothing is
//! lost, nothing applied twice, and no slot ever holds two families.

use std::collections::BTreeMap;

use driehoek_core::absence::{AbsenceChild, AbsenceKind, AbsencePut};
use driehoek_core::sync::{apply, AckPut, Change, ChildInGroep, Outbox, Outcome, RsvpPut};
use driehoek_core::talks::{assign, BookingPut, TalkGroep, TalkKind, TalkRound, TalkWindow};
use driehoek_core::{Answer, Rsvp, Text};

/// SplitMix64: small, fast and good enough to pick schedules.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FAMILY: &str = "fam-1";

/// The server: the kept version per natural key, and how often each version was stored.
#[derive(Default)]
struct Server {
    kept: BTreeMap<String, Change>,
    stored: BTreeMap<(String, String), u32>,
}

impl Server {
    /// Applies one PUT with core's rule and answers with the kept version.
    fn put(&mut self, change: &Change) -> Change {
        let key = change.key();
        let outcome = match (self.kept.get(&key), change) {
            (None, _) => Outcome::Stored,
            (Some(Change::Rsvp(cur)), Change::Rsvp(new)) => apply(Some(&cur.rsvp), &new.rsvp),
            (Some(Change::Ack(cur)), Change::Ack(new)) => apply(Some(cur), new),
            (Some(Change::Profile { profile: cur, .. }), Change::Profile { profile: new, .. }) => {
                apply(Some(cur), new)
            }
            (Some(Change::Absence(cur)), Change::Absence(new)) => apply(Some(cur), new),
            (Some(Change::Booking(cur)), Change::Booking(new)) => apply(Some(cur), new),
            _ => unreachable!("a key names one kind"),
        };
        if outcome == Outcome::Stored {
            self.kept.insert(key.clone(), change.clone());
            let version = serde_json::to_string(change).unwrap();
            *self.stored.entry((key.clone(), version)).or_default() += 1;
        }
        self.kept[&key].clone()
    }
}

fn confirm(outbox: &mut Outbox, kept: &Change) {
    match kept {
        Change::Rsvp(put) => outbox.confirm_rsvp(&put.family_id, &put.rsvp),
        Change::Ack(ack) => outbox.confirm_ack(ack),
        Change::Profile { family_id, profile } => outbox.confirm_profile(family_id, profile),
        Change::Absence(absence) => outbox.confirm_absence(absence),
        Change::Booking(booking) => outbox.confirm_booking(booking),
    }
}

/// Plays one schedule; gives how many absence reports and withdrawals the server ended with.
fn run(seed: u64) -> (usize, usize) {
    let mut rng = Rng(seed);
    let mut clock: i64 = 1_790_000_000_000;
    // What the parent chose last, per key: the truth the server must end with.
    let mut last: BTreeMap<String, Change> = BTreeMap::new();
    let mut outbox = Outbox::default(); // "storage": survives reloads
    let mut server = Server::default(); // its database: survives restarts
    let mut requests: Vec<Change> = Vec::new();
    let mut responses: Vec<Change> = Vec::new();

    // The reports made so far (the phone's own list): a withdrawal is a newer version of one.
    let mut reports: Vec<AbsencePut> = Vec::new();
    let steps = 20 + rng.below(60);
    for _ in 0..steps {
        match rng.below(14) {
            0 | 1 => {
                // The parent answers or changes an answer (maybe while an older one is in flight).
                clock += 1 + rng.below(5_000) as i64;
                let activity = rng.below(3);
                let answer = [Answer::Ja, Answer::Nee, Answer::Misschien][rng.below(3)];
                let change = Change::Rsvp(RsvpPut {
                    family_id: FAMILY.into(),
                    names: "Sanne en Bram".into(),
                    rsvp: Rsvp {
                        id: format!("r-{activity}"),
                        activity_id: format!("a-{activity}"),
                        answer,
                        people: 1 + rng.below(3) as u8,
                        helps: false,
                        note: String::new(),
                        updated_at: clock,
                    },
                    // The parent may change which children come.
                    children: [vec![("Noor", 7)], vec![("Noor", 7), ("Sem", 2)]][rng.below(2)]
                        .iter()
                        .map(|(name, groep)| ChildInGroep {
                            name: (*name).into(),
                            groep: *groep,
                        })
                        .collect(),
                });
                last.insert(change.key(), change.clone());
                outbox.push(change);
            }
            2 => {
                clock += 1 + rng.below(5_000) as i64;
                let version = 1 + rng.below(2) as u32;
                // Each parent under their own name, on this phone; "Sanne en Bram" is an
                // acknowledgement of both from an outbox kept before names were separate.
                let name = ["Sanne", "Bram", "Sanne en Bram"][rng.below(3)];
                let change = Change::Ack(AckPut {
                    id: format!("ack-{version}-{name}"),
                    family_id: FAMILY.into(),
                    name: name.into(),
                    agreement_version: version,
                    updated_at: clock,
                    children: vec![ChildInGroep {
                        name: "Noor".into(),
                        groep: 7,
                    }],
                });
                last.insert(change.key(), change.clone());
                outbox.push(change);
            }
            12 => {
                // The parent reports a child ill or absent.
                clock += 1 + rng.below(5_000) as i64;
                let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
                    + chrono::Duration::days(rng.below(5) as i64);
                let report = AbsencePut {
                    id: format!("afw-{}", reports.len()),
                    family_id: FAMILY.into(),
                    child: AbsenceChild {
                        name: ["Noor", "Sem"][rng.below(2)].into(),
                        groep: 1 + rng.below(8) as u8,
                    },
                    kind: [AbsenceKind::Ziek, AbsenceKind::Afwezig][rng.below(2)],
                    first_day: day,
                    last_day: day + chrono::Duration::days(rng.below(3) as i64),
                    note: String::new(),
                    updated_at: clock,
                    withdrawn: false,
                };
                reports.push(report.clone());
                let change = Change::Absence(report);
                last.insert(change.key(), change.clone());
                outbox.push(change);
            }
            13 if !reports.is_empty() => {
                // The parent withdraws a report ("Intrekken"), maybe while it is in flight.
                clock += 1 + rng.below(5_000) as i64;
                let i = rng.below(reports.len());
                let mut withdrawn = reports[i].clone();
                withdrawn.withdrawn = true;
                withdrawn.updated_at = clock;
                reports[i] = withdrawn.clone();
                let change = Change::Absence(withdrawn);
                last.insert(change.key(), change.clone());
                outbox.push(change);
            }
            3 | 4 => requests.extend(outbox.pending().iter().cloned()),
            5 | 6 if !requests.is_empty() => {
                // Delivered, in any order; the response may be lost.
                let request = requests.remove(rng.below(requests.len()));
                let kept = server.put(&request);
                if rng.below(4) != 0 {
                    responses.push(kept);
                }
            }
            7 if !requests.is_empty() => {
                // Delivered twice.
                let request = requests[rng.below(requests.len())].clone();
                responses.push(server.put(&request));
            }
            8 if !requests.is_empty() => {
                requests.remove(rng.below(requests.len())); // lost
            }
            9 if !responses.is_empty() => {
                let response = responses.remove(rng.below(responses.len()));
                confirm(&mut outbox, &response);
            }
            10 => {
                // Server restarted or app reloaded: whatever was in flight is gone.
                if rng.below(2) == 0 {
                    requests.clear();
                }
                responses.clear();
            }
            11 => {
                // Offline for weeks.
                clock += 21 * 24 * 3_600_000;
                requests.clear();
                responses.clear();
            }
            _ => {}
        }
    }

    // Back online for good: what was already in flight arrives late, then the outbox drains.
    let mut rounds = 0;
    while !outbox.is_empty() || !requests.is_empty() || !responses.is_empty() {
        rounds += 1;
        assert!(rounds < 100, "seed {seed}: the outbox does not drain");
        for response in std::mem::take(&mut responses) {
            confirm(&mut outbox, &response);
        }
        for request in std::mem::take(&mut requests) {
            responses.push(server.put(&request));
        }
        requests.extend(outbox.pending().iter().cloned());
    }

    assert_eq!(
        server.kept, last,
        "seed {seed}: the server must end with the parent's last choice, nothing lost"
    );
    // Every parent who read a version is kept under their own name, each once.
    for version in 1..=2u32 {
        let read: Vec<&str> = last
            .values()
            .filter_map(|c| match c {
                Change::Ack(a) if a.agreement_version == version => Some(a.name.as_str()),
                _ => None,
            })
            .collect();
        let kept: Vec<&str> = server
            .kept
            .values()
            .filter_map(|c| match c {
                Change::Ack(a) if a.agreement_version == version => Some(a.name.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(kept, read, "seed {seed}: version {version}");
    }
    for ((key, _), count) in &server.stored {
        assert_eq!(
            *count, 1,
            "seed {seed}: a version of {key} was applied twice"
        );
    }
    let absences: Vec<&AbsencePut> = server
        .kept
        .values()
        .filter_map(|c| match c {
            Change::Absence(a) => Some(a),
            _ => None,
        })
        .collect();
    (
        absences.len(),
        absences.iter().filter(|a| a.withdrawn).count(),
    )
}

#[test]
fn exactly_once_over_ten_thousand_schedules() {
    let (mut reports, mut withdrawn) = (0, 0);
    for seed in 0..10_000 {
        let (r, w) = run(seed);
        reports += r;
        withdrawn += w;
    }
    // The schedules do exercise absences, and their withdrawals.
    assert!(reports > 5_000, "{reports} absence reports kept");
    assert!(withdrawn > 1_000, "{withdrawn} withdrawals kept");
}

// ---- Bookings of talks: several families, few slots ----

/// A round for groep 7 with four slots (15:00, 15:15, 15:30, 15:45 on 8 December 2026), open
/// from November to the week before.
fn small_round() -> TalkRound {
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    TalkRound {
        id: "rapport".into(),
        kind: TalkKind::Rapportgesprek,
        title: Text::nl("Rapportgesprekken"),
        text: Text::nl("Over het rapport."),
        groepen: vec![TalkGroep {
            groep: 7,
            windows: vec![TalkWindow {
                date: chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
                from: chrono::NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
                to: chrono::NaiveTime::from_hms_opt(15, 55, 0).unwrap(),
            }],
            place: Text::nl("Lokaal 7"),
        }],
        slot_minutes: 10,
        changeover_minutes: 5,
        opens: at("2026-11-01 19:00"),
        closes: at("2026-12-01 12:00"),
        siblings_from: None,
    }
}

/// The server's answer to a booking: kept (with the version the server keeps), or "vol".
#[derive(Clone, Debug)]
enum BookingAnswer {
    Kept(BookingPut),
    Full(BookingPut),
}

/// A small model of the server's bookings: core's apply per booking id, then core's check and
/// assign over the slots no other booking holds, in one step (as one transaction).
#[derive(Default)]
struct BookingServer {
    kept: BTreeMap<String, (BookingPut, Option<String>)>,
    stored: BTreeMap<(String, String), u32>,
}

impl BookingServer {
    fn put(
        &mut self,
        round: &TalkRound,
        now: chrono::NaiveDateTime,
        put: &BookingPut,
    ) -> BookingAnswer {
        let current = self.kept.get(&put.id).map(|(kept, _)| kept);
        if apply(current, put) != Outcome::Stored {
            return BookingAnswer::Kept(current.cloned().unwrap_or_else(|| put.clone()));
        }
        put.check(Some(round), now)
            .expect("the simulation sends valid bookings");
        let slot = if put.cancelled {
            None
        } else {
            let held: Vec<&String> = self
                .kept
                .iter()
                .filter(|(id, _)| **id != put.id)
                .filter_map(|(_, (_, slot))| slot.as_ref())
                .collect();
            match assign(round, put, now, &[], |id| !held.iter().any(|h| *h == id)) {
                Ok(slot) => Some(slot.id),
                Err(_) => return BookingAnswer::Full(put.clone()),
            }
        };
        self.kept.insert(put.id.clone(), (put.clone(), slot));
        let version = serde_json::to_string(put).unwrap();
        *self.stored.entry((put.id.clone(), version)).or_default() += 1;
        let held: Vec<&String> = self.kept.values().filter_map(|(_, s)| s.as_ref()).collect();
        let distinct: std::collections::BTreeSet<&&String> = held.iter().collect();
        assert_eq!(distinct.len(), held.len(), "a slot held by two families");
        BookingAnswer::Kept(put.clone())
    }
}

/// Plays one schedule of three families booking, changing and cancelling talks for four slots;
/// gives how many ended with a slot and how many "vol" answers the phones saw.
fn run_bookings(seed: u64) -> (usize, usize) {
    let round = small_round();
    let slots: Vec<String> = round.slots_of(7).into_iter().map(|s| s.id).collect();
    let now = chrono::NaiveDateTime::parse_from_str("2026-11-23 10:00", "%Y-%m-%d %H:%M").unwrap();
    let mut rng = Rng(seed ^ 0xB00C);
    let mut clock: i64 = 1_790_000_000_000;
    let families = ["fam-a", "fam-b", "fam-c"];
    let mut outboxes: Vec<Outbox> = vec![Outbox::default(); families.len()];
    let mut last: BTreeMap<String, BookingPut> = BTreeMap::new();
    // Versions the phone was told are "vol" (the request then leaves its outbox).
    let mut refused: Vec<BookingPut> = Vec::new();
    let mut server = BookingServer::default();
    let mut requests: Vec<(usize, BookingPut)> = Vec::new();
    let mut responses: Vec<(usize, BookingAnswer)> = Vec::new();
    let deliver = |f: usize,
                   answer: BookingAnswer,
                   outboxes: &mut Vec<Outbox>,
                   refused: &mut Vec<BookingPut>| {
        match answer {
            BookingAnswer::Kept(kept) => outboxes[f].confirm_booking(&kept),
            BookingAnswer::Full(put) => {
                outboxes[f].reject(&Change::Booking(put.clone()));
                refused.push(put);
            }
        }
    };
    let steps = 20 + rng.below(60);
    for _ in 0..steps {
        match rng.below(10) {
            0 | 1 => {
                // A parent books, changes (maybe while an older version is in flight) or cancels.
                clock += 1 + rng.below(5_000) as i64;
                let f = rng.below(families.len());
                let cancelled = rng.below(5) == 0;
                let mut preferences: Vec<String> = Vec::new();
                if !cancelled {
                    for _ in 0..1 + rng.below(3) {
                        let slot = &slots[rng.below(slots.len())];
                        if !preferences.contains(slot) {
                            preferences.push(slot.clone());
                        }
                    }
                }
                let put = BookingPut {
                    id: format!("b-{}", families[f]),
                    family_id: families[f].into(),
                    names: "Ouders".into(),
                    round_id: round.id.clone(),
                    child: ChildInGroep {
                        name: ["Noor", "Sem", "Mila"][f].into(),
                        groep: 7,
                    },
                    preferences,
                    note: String::new(),
                    children_in_round: 1,
                    updated_at: clock,
                    cancelled,
                };
                last.insert(put.id.clone(), put.clone());
                outboxes[f].push(Change::Booking(put));
            }
            2 | 3 => {
                let f = rng.below(families.len());
                for change in outboxes[f].pending() {
                    if let Change::Booking(put) = change {
                        requests.push((f, put.clone()));
                    }
                }
            }
            4 | 5 if !requests.is_empty() => {
                // Delivered, in any order; the response may be lost.
                let (f, request) = requests.remove(rng.below(requests.len()));
                let answer = server.put(&round, now, &request);
                if rng.below(4) != 0 {
                    responses.push((f, answer));
                }
            }
            6 if !requests.is_empty() => {
                // Delivered twice.
                let (f, request) = requests[rng.below(requests.len())].clone();
                responses.push((f, server.put(&round, now, &request)));
            }
            7 if !requests.is_empty() => {
                requests.remove(rng.below(requests.len())); // lost
            }
            8 if !responses.is_empty() => {
                let (f, answer) = responses.remove(rng.below(responses.len()));
                deliver(f, answer, &mut outboxes, &mut refused);
            }
            9 => {
                // Server restarted or an app reloaded: whatever was in flight is gone.
                if rng.below(2) == 0 {
                    requests.clear();
                }
                responses.clear();
            }
            _ => {}
        }
    }
    let mut rounds = 0;
    while outboxes.iter().any(|o| !o.is_empty()) || !requests.is_empty() || !responses.is_empty() {
        rounds += 1;
        assert!(rounds < 100, "seed {seed}: the outboxes do not drain");
        for (f, answer) in std::mem::take(&mut responses) {
            deliver(f, answer, &mut outboxes, &mut refused);
        }
        for (f, request) in std::mem::take(&mut requests) {
            responses.push((f, server.put(&round, now, &request)));
        }
        for (f, outbox) in outboxes.iter().enumerate() {
            for change in outbox.pending() {
                if let Change::Booking(put) = change {
                    requests.push((f, put.clone()));
                }
            }
        }
    }
    // Nothing lost: each parent's last version is kept, or the phone was told it was "vol".
    for (id, version) in &last {
        let kept = server.kept.get(id).map(|(k, _)| k);
        assert!(
            kept == Some(version) || refused.contains(version),
            "seed {seed}: {id}'s last version is lost"
        );
    }
    for ((key, _), count) in &server.stored {
        assert_eq!(
            *count, 1,
            "seed {seed}: a version of {key} was applied twice"
        );
    }
    let held = server.kept.values().filter(|(_, s)| s.is_some()).count();
    (held, refused.len())
}

#[test]
fn bookings_exactly_once_and_never_two_families_on_one_slot_over_ten_thousand_schedules() {
    let (mut held, mut full) = (0, 0);
    for seed in 0..10_000 {
        let (h, f) = run_bookings(seed);
        held += h;
        full += f;
    }
    // The schedules do exercise bookings that hold slots, and "vol".
    assert!(held > 5_000, "{held} slots held at the ends");
    assert!(full > 1_000, "{full} vol answers");
}
