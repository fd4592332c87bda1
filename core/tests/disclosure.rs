//! The text that says what goes to school matches the bodies that are sent: a fully filled
//! example of every body the outbox sends is serialized, and every JSON field must have its
//! entry (and text) in `disclosure::SENT`; a field added to a body without a text fails here.

use driehoek_core::absence::{AbsenceChild, AbsenceKind, AbsencePut};
use driehoek_core::disclosure::{json_fields, sent, SENT};
use driehoek_core::sync::{AckPut, Change, ChildInGroep, FamilyProfile, ProfileChild, RsvpPut};
use driehoek_core::{Answer, Rsvp};

fn children() -> Vec<ChildInGroep> {
    vec![ChildInGroep {
        name: "Noor".into(),
        groep: 7,
    }]
}

/// One fully filled example of every kind of change (every optional field set, every list
/// filled).
fn examples() -> Vec<Change> {
    vec![
        Change::Rsvp(RsvpPut {
            family_id: "gezin-1".into(),
            names: "Fatima, Karim".into(),
            rsvp: Rsvp {
                id: "rsvp-1".into(),
                activity_id: "ouderavond".into(),
                answer: Answer::Ja,
                people: 2,
                helps: true,
                note: "We nemen koekjes mee".into(),
                updated_at: 1_790_000_000_000,
            },
            children: children(),
        }),
        Change::Ack(AckPut {
            id: "gelezen-1".into(),
            family_id: "gezin-1".into(),
            name: "Fatima".into(),
            agreement_version: 2,
            updated_at: 1_790_000_000_000,
            children: children(),
        }),
        Change::Absence(AbsencePut {
            id: "afwezig-1".into(),
            family_id: "gezin-1".into(),
            child: AbsenceChild {
                name: "Noor".into(),
                groep: 7,
            },
            kind: AbsenceKind::Ziek,
            first_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            last_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            note: "Koorts".into(),
            updated_at: 1_790_000_000_000,
            withdrawn: true,
        }),
        Change::Booking(driehoek_core::talks::BookingPut {
            id: "gesprek-1".into(),
            family_id: "gezin-1".into(),
            names: "Fatima, Karim".into(),
            round_id: "rapport-winter".into(),
            child: ChildInGroep {
                name: "Noor".into(),
                groep: 7,
            },
            preferences: vec!["g7-20261208-1500".into(), "g7-20261208-1515".into()],
            note: "Graag over rekenen".into(),
            children_in_round: 2,
            updated_at: 1_790_000_000_000,
            cancelled: true,
        }),
        Change::Profile {
            family_id: "gezin-1".into(),
            profile: FamilyProfile {
                children: vec![ProfileChild {
                    id: "kind-1".into(),
                    name: "Noor".into(),
                    groep: 7,
                }],
                parents: vec!["Fatima".into()],
                updated_at: 1_790_000_000_000,
            },
        },
    ]
}

/// The body's kind and JSON, as the outbox sends it. No wildcard: a new kind of change must be
/// added here (and to `examples`).
fn body(change: &Change) -> (&'static str, serde_json::Value) {
    match change {
        Change::Rsvp(put) => ("rsvp", serde_json::to_value(put).unwrap()),
        Change::Ack(ack) => ("ack", serde_json::to_value(ack).unwrap()),
        Change::Absence(absence) => ("absence", serde_json::to_value(absence).unwrap()),
        Change::Booking(booking) => ("booking", serde_json::to_value(booking).unwrap()),
        // The family's id is in the path; the body is the profile.
        Change::Profile { profile, .. } => ("profile", serde_json::to_value(profile).unwrap()),
    }
}

#[test]
fn every_field_sent_to_the_school_is_said_in_plain_words() {
    let mut kinds = Vec::new();
    for change in examples() {
        let (kind, json) = body(&change);
        kinds.push(kind);
        let fields = json_fields(&json);
        for field in &fields {
            assert!(
                SENT.iter().any(|s| s.body == kind && s.field == field),
                "`{kind}` sends `{field}` to the school, but disclosure::SENT does not say so"
            );
        }
        // And the list names nothing that is not sent.
        for listed in SENT.iter().filter(|s| s.body == kind) {
            assert!(
                fields.iter().any(|f| f == listed.field),
                "disclosure::SENT names `{}` of `{kind}`, which is not sent",
                listed.field
            );
        }
    }
    for listed in SENT {
        assert!(
            kinds.contains(&listed.body),
            "no example of `{}`",
            listed.body
        );
    }
}

#[test]
fn the_list_names_children_with_their_groep_and_the_answers() {
    let texts = sent();
    for key in [
        "disclosure_sent_names",
        "disclosure_sent_children",
        "disclosure_sent_answer",
        "disclosure_sent_note",
    ] {
        assert!(texts.contains(&key), "{key} missing from {texts:?}");
    }
    assert_eq!(
        texts.len(),
        texts
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        "each text once"
    );
}

#[test]
fn an_added_field_is_caught() {
    let mut json = body(&examples()[0]).1;
    json["phone_number"] = serde_json::json!("06 12345678");
    let fields = json_fields(&json);
    assert!(fields.iter().any(|f| f == "phone_number"));
    assert!(!SENT
        .iter()
        .any(|s| s.body == "rsvp" && s.field == "phone_number"));
}
