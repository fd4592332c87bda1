//! The school's report of who comes to what, made from the kept answers.

use driehoek_core::demo::bundled;
use driehoek_core::report::{family_acks, rsvp_report, GroepTotals};
use driehoek_core::sync::{AckPut, ChildInGroep, RsvpPut};
use driehoek_core::{Answer, Rsvp};

fn put(
    family: &str,
    names: &str,
    activity: &str,
    answer: Answer,
    people: u8,
    helps: bool,
) -> RsvpPut {
    RsvpPut {
        family_id: family.into(),
        names: names.into(),
        rsvp: Rsvp {
            id: format!("r-{family}"),
            activity_id: activity.into(),
            answer,
            people,
            helps,
            note: String::new(),
            updated_at: 1_800_000_000_000,
        },
        children: Vec::new(),
    }
}

#[test]
fn every_activity_is_listed_by_start_with_its_answers_sorted_and_counted() {
    let content = bundled();
    let first = content
        .activities
        .iter()
        .min_by_key(|a| (a.start, &a.id))
        .unwrap();
    let answers = vec![
        put("f-3", "Yara", &first.id, Answer::Nee, 3, true),
        put("f-2", "bram", &first.id, Answer::Misschien, 1, true),
        put("f-1", "Anna", &first.id, Answer::Ja, 2, true),
        put("f-4", "Cas", &first.id, Answer::Ja, 3, false),
        put("f-5", "Oud", "weggehaald", Answer::Ja, 1, false),
    ];
    let report = rsvp_report("wilgenhoek", &content.activities, answers);
    assert_eq!(
        report.activities.len(),
        content.activities.len() + 1,
        "every published activity, and the answers to one no longer published"
    );
    let starts: Vec<_> = report.activities.iter().filter_map(|a| a.start).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "by start");
    let group = &report.activities[0];
    assert_eq!(group.activity_id, first.id);
    let order: Vec<&str> = group.rsvps.iter().map(|r| r.names.as_str()).collect();
    assert_eq!(
        order,
        ["Anna", "Cas", "bram", "Yara"],
        "ja, misschien, nee; by name"
    );
    assert_eq!(
        (group.totals.ja, group.totals.misschien, group.totals.nee),
        (2, 1, 1)
    );
    assert_eq!(group.totals.people, 5, "people count only with ja");
    assert_eq!(group.totals.helpers, 2, "a nee never helps");
    assert_eq!(group.rsvps[3].people, 0, "nee means nobody comes");
    let gone = report.activities.last().unwrap();
    assert_eq!(
        (gone.activity_id.as_str(), gone.title.as_deref()),
        ("weggehaald", None)
    );
}

fn child(name: &str, groep: u8) -> ChildInGroep {
    ChildInGroep {
        name: name.into(),
        groep,
    }
}

#[test]
fn each_answer_shows_its_children_and_the_activity_counts_them_per_groep() {
    let content = bundled();
    let first = &content.activities[0].id;
    let mut a = put("f-1", "Fatima", first, Answer::Ja, 2, false);
    a.children = vec![child("Sem", 7)];
    let mut b = put("f-2", "Bram", first, Answer::Misschien, 1, false);
    b.children = vec![child("Lot", 7), child("Mees", 2)];
    let mut c = put("f-3", "Cas", first, Answer::Nee, 0, false);
    c.children = vec![child("Ties", 2)];
    let old = put("f-4", "Oud", first, Answer::Ja, 1, false);
    let report = rsvp_report("wilgenhoek", &content.activities, vec![a, b, c, old]);
    let group = report
        .activities
        .iter()
        .find(|g| &g.activity_id == first)
        .unwrap();
    let fatima = group.rsvps.iter().find(|r| r.names == "Fatima").unwrap();
    assert_eq!(fatima.children, vec![child("Sem", 7)]);
    assert_eq!(
        group.per_groep,
        vec![
            GroepTotals {
                groep: 2,
                ja: 0,
                misschien: 1,
                nee: 1
            },
            GroepTotals {
                groep: 7,
                ja: 1,
                misschien: 1,
                nee: 0
            },
        ],
        "by groep, each child counted with its family's answer"
    );
}

#[test]
fn the_acknowledgement_overview_lists_each_family_with_every_parent_who_read_it() {
    let ack = |family: &str, name: &str, at: i64| AckPut {
        id: format!("g-{family}-{name}"),
        family_id: family.into(),
        name: name.into(),
        agreement_version: 1,
        updated_at: at,
        children: vec![child("Sem", 7)],
    };
    let families = family_acks(vec![
        ack("f-2", "Karim", 3),
        ack("f-1", "Yara", 1),
        ack("f-2", "Fatima", 2),
    ]);
    assert_eq!(families.len(), 2, "one entry per family");
    assert_eq!(
        families[0].names,
        ["Fatima", "Karim"],
        "in the order they read it"
    );
    assert_eq!(families[0].children, vec![child("Sem", 7)]);
    assert_eq!(families[1].names, ["Yara"]);
}
