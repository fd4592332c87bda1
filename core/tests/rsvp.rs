mod common;

use common::*;
use driehoek_core::model::Activity;
use driehoek_core::rsvp::*;

fn answer(answer: Answer, people: u8) -> Rsvp {
    Rsvp {
        id: "7f9c2b1e-5d4a-4c3b-9a8e-1f2d3c4b5a69".into(),
        activity_id: "koffie-1".into(),
        answer,
        people,
        helps: false,
        note: String::new(),
        updated_at: 1_795_000_000_000,
    }
}

fn before_deadline() -> chrono::NaiveDateTime {
    at(2026, 11, 24, 11, 0)
}

fn check(r: Rsvp, a: &Activity, taken: u32) -> Result<Rsvp, RsvpError> {
    r.check(a, before_deadline(), taken)
}

#[test]
fn answers_serialise_in_snake_case() {
    let json = serde_json::to_string(&[Answer::Ja, Answer::Nee, Answer::Misschien]).expect("json");
    assert_eq!(json, r#"["ja","nee","misschien"]"#);
    let r: Rsvp =
        serde_json::from_str(&serde_json::to_string(&answer(Answer::Ja, 2)).expect("json"))
            .expect("round trip");
    assert_eq!(r, answer(Answer::Ja, 2));
}

#[test]
fn a_valid_yes_is_accepted_unchanged() {
    let a = activity("koffie-1");
    let mut r = answer(Answer::Ja, 2);
    r.helps = true;
    r.note = "Wij nemen koekjes mee.".into();
    assert_eq!(check(r.clone(), &a, 0), Ok(r));
}

#[test]
fn no_is_normalised_to_nobody_and_no_help() {
    let a = activity("koffie-1");
    let mut r = answer(Answer::Nee, 2);
    r.helps = true;
    let checked = check(r, &a, 1_000).expect("a no is always possible before the deadline");
    assert_eq!((checked.people, checked.helps), (0, false));
}

#[test]
fn yes_and_maybe_need_at_least_one_person() {
    let a = activity("koffie-1");
    assert_eq!(
        check(answer(Answer::Ja, 0), &a, 0),
        Err(RsvpError::NoPeople)
    );
    assert_eq!(
        check(answer(Answer::Misschien, 0), &a, 0),
        Err(RsvpError::NoPeople)
    );
}

#[test]
fn a_family_brings_at_most_the_maximum() {
    let a = activity("koffie-1");
    assert_eq!(
        check(answer(Answer::Ja, 3), &a, 0),
        Err(RsvpError::TooManyPeople { max: 2 })
    );
    assert!(check(answer(Answer::Misschien, 2), &a, 0).is_ok());
}

#[test]
fn help_is_only_offered_where_it_is_wanted() {
    let mut a = activity("koffie-1");
    a.helpers_wanted = false;
    let mut r = answer(Answer::Ja, 1);
    r.helps = true;
    assert_eq!(check(r, &a, 0), Err(RsvpError::HelpNotWanted));
}

#[test]
fn the_note_holds_500_characters() {
    let a = activity("koffie-1");
    let mut r = answer(Answer::Ja, 1);
    r.note = "é".repeat(500);
    assert!(
        check(r.clone(), &a, 0).is_ok(),
        "500 characters (1000 bytes) fit"
    );
    r.note.push('x');
    assert_eq!(check(r, &a, 0), Err(RsvpError::NoteTooLong { max: 500 }));
}

#[test]
fn deadline_passed_makes_rsvp_read_only() {
    let a = activity("koffie-1");
    let deadline = at(2026, 11, 24, 12, 0);
    assert!(
        is_open(&a, deadline),
        "answering is possible up to the deadline itself"
    );
    let late = deadline + chrono::Duration::minutes(1);
    assert!(!is_open(&a, late));
    assert_eq!(
        answer(Answer::Nee, 0).check(&a, late, 0),
        Err(RsvpError::DeadlinePassed { deadline }),
        "even a no cannot be given after the deadline"
    );
}

#[test]
fn without_a_deadline_answering_closes_at_the_start() {
    let mut a = activity("koffie-1");
    a.rsvp_deadline = None;
    assert_eq!(deadline(&a), a.start);
    assert!(is_open(&a, a.start));
    assert!(!is_open(&a, a.start + chrono::Duration::seconds(1)));
}

#[test]
fn places_left_is_known_only_with_a_capacity() {
    let mut a = activity("koffie-1");
    assert_eq!(places_left(&a, 15), Some(5));
    assert_eq!(places_left(&a, 25), Some(0), "never below zero");
    a.capacity = None;
    assert_eq!(places_left(&a, 1_000), None);
}

#[test]
fn an_answer_beyond_the_places_left_is_refused_except_no() {
    let a = activity("koffie-1");
    assert_eq!(
        check(answer(Answer::Ja, 2), &a, 19),
        Err(RsvpError::Full { places_left: 1 })
    );
    assert_eq!(
        check(answer(Answer::Misschien, 1), &a, 20),
        Err(RsvpError::Full { places_left: 0 })
    );
    assert!(
        check(answer(Answer::Ja, 1), &a, 19).is_ok(),
        "the last place"
    );
    assert!(
        check(answer(Answer::Nee, 0), &a, 20).is_ok(),
        "a no never needs a place"
    );
}

#[test]
fn places_taken_counts_other_families_yes_answers() {
    let mut others = vec![
        answer(Answer::Ja, 2),
        answer(Answer::Misschien, 2),
        answer(Answer::Ja, 1),
    ];
    others[0].id = "a".into();
    others[1].id = "b".into();
    let mut elsewhere = answer(Answer::Ja, 2);
    elsewhere.activity_id = "other".into();
    others.push(elsewhere);
    let families = ["gezin-a", "gezin-b", "mine", "gezin-c"];
    let answers = families.iter().copied().zip(others.iter());
    assert_eq!(
        places_taken(answers, "koffie-1", "mine"),
        2,
        "only gezin-a's yes counts: b said maybe, c answered another activity, and mine is replaced"
    );
}

#[test]
fn families_sending_the_same_answer_id_all_take_places() {
    // Bug: places were counted leaving out every answer with the new answer's id, so 14 made-up
    // families sending one id to an activity for 10 were all let in.
    let same = answer(Answer::Ja, 1);
    let families: Vec<String> = (0..14).map(|i| format!("gezin-{i}")).collect();
    let answers = families.iter().map(|f| (f.as_str(), &same));
    assert_eq!(
        places_taken(answers, "koffie-1", "nieuw"),
        14,
        "every other family's yes counts, whatever its answer's id"
    );
}

#[test]
fn a_cancelled_activity_takes_no_answers_and_says_so() {
    let mut a = activity("koffie-1");
    a.cancelled = true;
    assert_eq!(
        check(answer(Answer::Ja, 1), &a, 0),
        Err(RsvpError::Cancelled),
        "no new yes"
    );
    assert_eq!(
        check(answer(Answer::Nee, 0), &a, 0),
        Err(RsvpError::Cancelled),
        "not even a no: the answer is only to be read"
    );
    assert!(!is_open(&a, before_deadline()), "never open once cancelled");
    assert!(RsvpError::Cancelled.message().contains("afgelast"));
}

#[test]
fn a_note_with_control_characters_or_only_invisible_ones_is_refused() {
    let a = activity("koffie-1");
    let with = |note: &str| {
        let mut r = answer(Answer::Ja, 1);
        r.note = note.into();
        check(r, &a, 0)
    };
    assert!(with("").is_ok(), "no note at all is fine");
    assert!(
        with("Wij komen iets later.\nGroet").is_ok(),
        "a new line is fine in a note"
    );
    assert!(
        with("👨\u{200d}👩\u{200d}👧 komen").is_ok(),
        "emoji joiners are fine"
    );
    for bad in [
        "\u{200b}\u{feff}",
        "  ",
        "a\u{0}b",
        "a\u{1b}[31mb",
        "\u{202e}gnp.exe",
    ] {
        assert_eq!(with(bad), Err(RsvpError::NoteUnreadable), "{bad:?}");
    }
}

#[test]
fn an_answer_for_another_activity_or_with_a_bad_id_is_refused() {
    let a = activity("informatieavond");
    assert_eq!(
        check(answer(Answer::Ja, 1), &a, 0),
        Err(RsvpError::WrongActivity)
    );
    let mut r = answer(Answer::Ja, 1);
    r.id = "../../etc".into();
    assert_eq!(
        check(r, &activity("koffie-1"), 0),
        Err(RsvpError::InvalidId)
    );
}

#[test]
fn errors_explain_themselves_in_dutch() {
    let deadline = at(2026, 11, 24, 12, 0);
    assert_eq!(
        RsvpError::DeadlinePassed { deadline }.to_string(),
        "Aanmelden kon tot 24-11-2026 12:00. U kunt uw antwoord nog wel lezen."
    );
    assert_eq!(
        RsvpError::Full { places_left: 0 }.message(),
        "Deze activiteit is vol."
    );
    assert_eq!(
        RsvpError::Full { places_left: 3 }.message(),
        "Er zijn nog maar 3 plaatsen vrij."
    );
    assert_eq!(
        RsvpError::TooManyPeople { max: 2 }.message(),
        "Per gezin kunnen maximaal 2 personen komen."
    );
}

#[test]
fn the_last_writer_wins() {
    let old = answer(Answer::Ja, 2);
    let mut new = answer(Answer::Nee, 0);
    new.updated_at += 1;
    assert!(new.is_newer(&old));
    assert!(!old.is_newer(&new));
}

#[test]
fn a_tie_is_broken_the_same_way_on_every_device() {
    let a = answer(Answer::Ja, 2);
    let b = answer(Answer::Misschien, 2);
    assert_ne!(
        a.is_newer(&b),
        b.is_newer(&a),
        "exactly one of two different versions wins"
    );
    assert!(
        !a.is_newer(&a.clone()),
        "a version is not newer than itself"
    );
}

#[test]
fn attending_lists_the_activities_with_a_newest_yes() {
    let activities = vec![
        activity("koffie-1"),
        activity("ouderavond"),
        activity("excursie"),
    ];
    let mut changed_mind = answer(Answer::Nee, 0);
    changed_mind.updated_at += 10;
    let mut evening = answer(Answer::Ja, 1);
    evening.id = "r-2".into();
    evening.activity_id = "ouderavond".into();
    let rsvps = [answer(Answer::Ja, 2), changed_mind, evening];
    let ids: Vec<&str> = attending(&activities, &rsvps)
        .iter()
        .map(|a| a.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["ouderavond"],
        "the later no replaces the yes to koffie-1"
    );
}
