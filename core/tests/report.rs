//! The school's report of who comes to what, made from the kept answers.

use driehoek_core::demo::bundled;
use driehoek_core::report::rsvp_report;
use driehoek_core::sync::RsvpPut;
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
