//! Gesprekken: the slots a round makes and the times proposed for brothers and sisters, over
//! generated rounds. Slots never overlap within a groep, lie inside their windows, and keep their
//! ids when a window grows at its end; a back-to-back proposal never overlaps and keeps the
//! changeover; the server's assignment gives a preference only when it is free.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use driehoek_core::sync::ChildInGroep;
use driehoek_core::talks::{
    assign, back_to_back, too_close, BookingPut, Slot, TalkGroep, TalkKind, TalkRound, TalkWindow,
    MAX_SIBLING_WAIT,
};
use driehoek_core::Text;
use proptest::prelude::*;

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 2, 8).unwrap() + Duration::days(i64::from(offset))
}

fn minutes(m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap()
}

/// A window on one of five days, starting between 08:00 and 18:00 on a 5-minute grid, 10 minutes
/// to 4 hours long.
fn any_window() -> impl Strategy<Value = TalkWindow> {
    (0u32..5, 96u32..216, 2u32..48).prop_map(|(d, start, length)| TalkWindow {
        date: day(d),
        from: minutes(start * 5),
        to: minutes((start + length) * 5),
    })
}

/// Windows of one groep that stand at least the changeover apart (as validation requires): the
/// others are dropped.
fn apart(windows: Vec<TalkWindow>, changeover: u16) -> Vec<TalkWindow> {
    let gap = Duration::minutes(i64::from(changeover));
    let mut kept: Vec<TalkWindow> = Vec::new();
    for w in windows {
        let close = |k: &TalkWindow| {
            k.date == w.date
                && k.date.and_time(k.from) < w.date.and_time(w.to) + gap
                && w.date.and_time(w.from) < k.date.and_time(k.to) + gap
        };
        if !kept.iter().any(close) {
            kept.push(w);
        }
    }
    kept
}

fn any_round() -> impl Strategy<Value = TalkRound> {
    (
        prop::collection::btree_set(1u8..=8, 1..4),
        prop::collection::vec(prop::collection::vec(any_window(), 1..4), 4),
        5u16..=60,
        0u16..=30,
    )
        .prop_map(
            |(groepen, windows, slot_minutes, changeover_minutes)| TalkRound {
                id: "ronde".into(),
                kind: TalkKind::Rapportgesprek,
                title: Text::nl("Rapportgesprekken"),
                text: Text::nl("Over het rapport."),
                groepen: groepen
                    .into_iter()
                    .zip(windows)
                    .map(|(groep, windows)| TalkGroep {
                        groep,
                        windows: apart(windows, changeover_minutes),
                        place: Text::nl(format!("Lokaal {groep}")),
                    })
                    .collect(),
                slot_minutes,
                changeover_minutes,
                opens: day(0).and_hms_opt(0, 0, 0).unwrap() - Duration::days(14),
                closes: day(0).and_hms_opt(0, 0, 0).unwrap() - Duration::days(1),
                siblings_from: None,
            },
        )
}

fn inside(slot: &Slot, window: &TalkWindow) -> bool {
    slot.start >= window.date.and_time(window.from) && slot.end <= window.date.and_time(window.to)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn slots_lie_inside_their_windows_and_never_overlap(round in any_round()) {
        for part in &round.groepen {
            let slots = round.slots_of(part.groep);
            for (i, slot) in slots.iter().enumerate() {
                prop_assert_eq!(slot.end - slot.start, Duration::minutes(i64::from(round.slot_minutes)));
                prop_assert!(part.windows.iter().any(|w| inside(slot, w)), "{:?} outside", slot);
                let found = round.slot(&slot.id);
                prop_assert_eq!(found.as_ref(), Some(slot));
                for other in &slots[i + 1..] {
                    prop_assert!(
                        !too_close(slot, other, round.changeover()),
                        "{:?} and {:?} leave less than the changeover", slot, other
                    );
                }
            }
            let mut ids: Vec<&str> = slots.iter().map(|s| s.id.as_str()).collect();
            ids.dedup();
            prop_assert_eq!(ids.len(), slots.len(), "ids are unique");
        }
    }

    #[test]
    fn a_window_that_grows_at_its_end_keeps_every_slot_and_its_id(
        round in any_round(),
        more in 1u32..24,
    ) {
        let mut grown = round.clone();
        let changeover = grown.changeover_minutes;
        for part in &mut grown.groepen {
            for w in &mut part.windows {
                let end = (w.to - NaiveTime::MIN).num_minutes() as u32 + more * 5;
                // Within the day, and not into the next window of the same day.
                w.to = minutes(end.min(23 * 60 + 55));
            }
            part.windows = apart(part.windows.clone(), changeover);
        }
        for part in &round.groepen {
            let after = grown.slots_of(part.groep);
            // Windows that still stand apart after growing keep their slots.
            for slot in round.slots_of(part.groep) {
                // The slot's own window (by its day and start) still stands after growing.
                let own = part.windows.iter().find(|w| inside(&slot, w));
                let window_kept = own.is_some_and(|own| {
                    grown.groep(part.groep).is_some_and(|g| {
                        g.windows.iter().any(|w| w.date == own.date && w.from == own.from)
                    })
                });
                if window_kept {
                    prop_assert!(after.contains(&slot), "{:?} lost after growing", slot);
                }
            }
        }
    }

    #[test]
    fn brothers_and_sisters_get_times_that_never_overlap_and_keep_the_changeover(
        round in any_round(),
        taken_mask in prop::collection::vec(any::<bool>(), 64),
    ) {
        let children: Vec<ChildInGroep> = round
            .groepen
            .iter()
            .enumerate()
            .map(|(i, g)| ChildInGroep { name: format!("Kind {i}"), groep: g.groep })
            .collect();
        let all = round.slots();
        let taken: Vec<String> = all
            .iter()
            .zip(taken_mask.iter().cycle())
            .filter(|(_, t)| **t)
            .map(|(s, _)| s.id.clone())
            .collect();
        let from: NaiveDateTime = round.closes;
        if let Some(series) = back_to_back(&round, &children, from, |s| !taken.contains(&s.id)) {
            prop_assert_eq!(series.len(), children.len());
            for (i, (child, slot)) in series.iter().enumerate() {
                prop_assert_eq!(child.groep, slot.groep, "a child's own groep");
                prop_assert!(!taken.contains(&slot.id), "a free slot");
                prop_assert_eq!(slot.start.date(), series[0].1.start.date(), "one day");
                for (_, other) in &series[i + 1..] {
                    prop_assert!(!too_close(slot, other, round.changeover()), "{:?} {:?}", slot, other);
                }
            }
            let mut sorted: Vec<&Slot> = series.iter().map(|(_, s)| s).collect();
            sorted.sort();
            sorted.sort_by_key(|s| s.start);
            for pair in sorted.windows(2) {
                let wait = pair[1].start - pair[0].end;
                prop_assert!(wait >= round.changeover(), "changeover kept");
                prop_assert!(
                    wait <= round.changeover() + Duration::minutes(MAX_SIBLING_WAIT),
                    "back to back, not hours apart"
                );
            }
        }
    }

    #[test]
    fn the_server_gives_a_preference_only_when_it_is_free_and_else_free_alternatives(
        round in any_round(),
        taken_mask in prop::collection::vec(any::<bool>(), 64),
        picks in prop::collection::vec(0usize..64, 1..=3),
    ) {
        let part = &round.groepen[0];
        let slots = round.slots_of(part.groep);
        prop_assume!(!slots.is_empty());
        let taken: Vec<String> = slots
            .iter()
            .zip(taken_mask.iter().cycle())
            .filter(|(_, t)| **t)
            .map(|(s, _)| s.id.clone())
            .collect();
        let mut preferences: Vec<String> = picks.iter().map(|i| slots[i % slots.len()].id.clone()).collect();
        preferences.dedup();
        let put = BookingPut {
            id: "gesprek-1".into(),
            family_id: "gezin-1".into(),
            names: "Sanne".into(),
            round_id: round.id.clone(),
            child: ChildInGroep { name: "Noor".into(), groep: part.groep },
            preferences: preferences.clone(),
            note: String::new(),
            children_in_round: 1,
            updated_at: 1_800_000_000_000,
            cancelled: false,
        };
        let now = round.closes - Duration::days(3);
        match assign(&round, &put, now, &[], |id| !taken.iter().any(|t| t == id)) {
            Ok(slot) => {
                prop_assert!(!taken.contains(&slot.id));
                // The first free one in the parent's order.
                let first_free = preferences.iter().find(|p| !taken.contains(p));
                prop_assert_eq!(Some(&slot.id), first_free);
            }
            Err(alternatives) => {
                prop_assert!(preferences.iter().all(|p| taken.contains(p)));
                prop_assert!(alternatives.len() <= 3);
                for a in &alternatives {
                    prop_assert!(!taken.contains(&a.id));
                    prop_assert_eq!(a.groep, part.groep);
                }
                let free = slots.iter().filter(|s| !taken.contains(&s.id)).count();
                prop_assert_eq!(alternatives.len(), free.min(3), "as many as are free, up to 3");
            }
        }
    }
}

#[test]
fn the_demo_rounds_are_valid_and_make_their_slots() {
    let content = driehoek_core::demo::bundled();
    assert_eq!(driehoek_core::validate(&content), vec![]);
    let rapport = content
        .talks
        .iter()
        .find(|r| r.kind == TalkKind::Rapportgesprek)
        .expect("a rapportgesprek round");
    assert_eq!(rapport.slots().len(), 8 * 16, "8 groepen, 16 talks each");
    let visit = content
        .talks
        .iter()
        .find(|r| r.kind == TalkKind::Huisbezoek)
        .expect("a huisbezoek round");
    assert!(
        visit.groepen.iter().all(|g| g.place.0.is_empty()),
        "at home"
    );
    assert_eq!(
        visit.slots().len(),
        2 * 2 * 4,
        "2 groepen, 2 afternoons of 4 visits"
    );
}

#[test]
fn a_talk_is_news_on_the_day_before_and_on_its_day_only() {
    let slot = Slot {
        id: "g7-20261208-1515".into(),
        groep: 7,
        start: NaiveDate::from_ymd_opt(2026, 12, 8)
            .unwrap()
            .and_hms_opt(15, 15, 0)
            .unwrap(),
        end: NaiveDate::from_ymd_opt(2026, 12, 8)
            .unwrap()
            .and_hms_opt(15, 25, 0)
            .unwrap(),
    };
    let reminder = |y, m, d| {
        driehoek_core::overview::talk_reminder(
            "gesprek-1",
            &slot,
            NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        )
    };
    assert_eq!(reminder(2026, 12, 6), None);
    assert_eq!(
        reminder(2026, 12, 7).as_deref(),
        Some("gesprek-1@g7-20261208-1515")
    );
    assert_eq!(
        reminder(2026, 12, 8).as_deref(),
        Some("gesprek-1@g7-20261208-1515")
    );
    assert_eq!(reminder(2026, 12, 9), None);
    let mut seen = driehoek_core::overview::Seen::default();
    let r = vec![reminder(2026, 12, 7).unwrap()];
    assert!(seen.see_talks(&r));
    assert!(!seen.see_talks(&r), "seen once");
}
