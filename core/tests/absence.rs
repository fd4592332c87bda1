//! "Ziek of afwezig melden": the rules a report must follow, the school's time limit for today,
//! a withdrawal as a newer version of the same report, and the school's list of today.

mod common;

use common::{at, date, school, time};
use driehoek_core::absence::{
    absence_report, accepts_today, school_days, urgent_phone, AbsenceChild, AbsenceError,
    AbsenceKind, AbsencePut, MAX_SCHOOL_DAYS,
};
use driehoek_core::sync::{apply, Change, Outbox, Outcome};

/// Monday 23 November 2026.
fn monday() -> chrono::NaiveDate {
    date(2026, 11, 23)
}

fn report(first: chrono::NaiveDate, last: chrono::NaiveDate) -> AbsencePut {
    AbsencePut {
        id: "afw-1".into(),
        family_id: "gezin-1".into(),
        child: AbsenceChild {
            name: "Noor".into(),
            groep: 5,
        },
        kind: AbsenceKind::Ziek,
        first_day: first,
        last_day: last,
        note: "Koorts sinds vannacht.".into(),
        updated_at: 1_795_000_000_000,
        withdrawn: false,
    }
}

fn strict_school() -> driehoek_core::School {
    let mut s = school();
    s.absence_until = Some(time(8, 15));
    s.absence_phone = Some("0123-999999".into());
    s
}

#[test]
fn a_report_for_today_is_taken_until_the_schools_time_and_refused_after_with_the_number() {
    let s = strict_school();
    let r = report(monday(), monday());
    assert_eq!(r.check(&s, at(2026, 11, 23, 7, 30)), Ok(()));
    assert!(accepts_today(&s, at(2026, 11, 23, 8, 14)));
    assert!(!accepts_today(&s, at(2026, 11, 23, 8, 15)));
    let refused = r.check(&s, at(2026, 11, 23, 8, 20)).unwrap_err();
    assert_eq!(
        refused,
        AbsenceError::TooLateForToday {
            until: time(8, 15),
            phone: "0123-999999".into()
        }
    );
    let message = refused.message();
    assert!(
        message.contains("08:15") && message.contains("0123-999999"),
        "{message}"
    );
    // Later days can still be reported after the time.
    let tomorrow = report(date(2026, 11, 24), date(2026, 11, 25));
    assert_eq!(tomorrow.check(&s, at(2026, 11, 23, 11, 0)), Ok(()));
    // A school without a limit takes today's report all day.
    assert_eq!(r.check(&school(), at(2026, 11, 23, 15, 0)), Ok(()));
}

#[test]
fn without_a_number_for_urgent_cases_the_schools_own_number_is_given() {
    let mut s = strict_school();
    assert_eq!(urgent_phone(&s), "0123-999999");
    s.absence_phone = None;
    assert_eq!(urgent_phone(&s), "0123-456789");
    s.absence_phone = Some("  ".into());
    assert_eq!(urgent_phone(&s), "0123-456789");
}

#[test]
fn days_in_order_not_in_the_past_and_at_most_ten_school_days() {
    let s = school();
    let now = at(2026, 11, 23, 7, 0);
    assert_eq!(
        report(date(2026, 11, 25), date(2026, 11, 24)).check(&s, now),
        Err(AbsenceError::DaysOutOfOrder)
    );
    assert_eq!(
        report(date(2026, 11, 20), date(2026, 11, 24)).check(&s, now),
        Err(AbsenceError::InThePast)
    );
    // Monday 23 to Friday 4 December: ten school days, two weekends between.
    assert_eq!(school_days(monday(), date(2026, 12, 4)), MAX_SCHOOL_DAYS);
    assert_eq!(report(monday(), date(2026, 12, 6)).check(&s, now), Ok(()));
    assert_eq!(
        report(monday(), date(2026, 12, 7)).check(&s, now),
        Err(AbsenceError::TooManyDays)
    );
    assert_eq!(
        report(date(2027, 3, 1), date(2027, 3, 1)).check(&s, now),
        Err(AbsenceError::TooFarAhead)
    );
}

#[test]
fn the_child_and_the_note_must_be_readable() {
    let now = at(2026, 11, 23, 7, 0);
    let mut r = report(monday(), monday());
    r.child.name = "\u{200b} ".into();
    assert_eq!(r.check(&school(), now), Err(AbsenceError::ChildName));
    let mut r = report(monday(), monday());
    r.child.groep = 9;
    assert_eq!(r.check(&school(), now), Err(AbsenceError::Groep));
    let mut r = report(monday(), monday());
    r.note = "x".repeat(501);
    assert_eq!(r.check(&school(), now), Err(AbsenceError::NoteTooLong));
    r.note = "Koorts\u{202e}".into();
    assert_eq!(r.check(&school(), now), Err(AbsenceError::NoteUnreadable));
    r.note = "Koorts,\nblijft thuis.".into();
    assert_eq!(r.check(&school(), now), Ok(()), "a note may have new lines");
}

#[test]
fn a_withdrawal_is_a_newer_version_taken_also_after_the_time_limit() {
    let s = strict_school();
    let r = report(monday(), monday());
    let mut withdrawn = r.clone();
    withdrawn.withdrawn = true;
    withdrawn.updated_at += 60_000;
    assert_eq!(withdrawn.check(&s, at(2026, 11, 23, 9, 0)), Ok(()));
    assert_eq!(apply(Some(&r), &withdrawn), Outcome::Stored);
    assert_eq!(
        apply(Some(&withdrawn), &r),
        Outcome::KeptNewer,
        "never undone by a retry"
    );
    assert_eq!(apply(Some(&withdrawn), &withdrawn), Outcome::Unchanged);

    // In the outbox: one entry per report, the newest; a confirmed report leaves the withdrawal.
    let mut outbox = Outbox::default();
    outbox.push(Change::Absence(r.clone()));
    outbox.push(Change::Absence(withdrawn.clone()));
    assert_eq!(outbox.entries, vec![Change::Absence(withdrawn.clone())]);
    outbox.confirm_absence(&r);
    assert_eq!(outbox.entries.len(), 1, "the withdrawal must still be sent");
    outbox.confirm_absence(&withdrawn);
    assert!(outbox.is_empty());
}

#[test]
fn two_reports_of_one_family_are_two_records_and_another_familys_is_a_third() {
    let a = Change::Absence(report(monday(), monday()));
    let mut other = report(monday(), monday());
    other.id = "afw-2".into();
    let b = Change::Absence(other.clone());
    other.family_id = "gezin-2".into();
    let c = Change::Absence(other);
    assert_ne!(a.key(), b.key());
    assert_ne!(b.key(), c.key());
    let mut outbox = Outbox::default();
    for change in [a, b, c] {
        outbox.push(change);
    }
    assert_eq!(outbox.entries.len(), 3);
}

#[test]
fn the_schools_list_shows_today_per_groep_newest_first_without_withdrawn_ones() {
    let mut noor = report(monday(), date(2026, 11, 24));
    noor.updated_at = 1_795_400_000_000;
    let mut sem = report(monday(), monday());
    sem.id = "afw-2".into();
    sem.child = AbsenceChild {
        name: "Sem".into(),
        groep: 5,
    };
    sem.kind = AbsenceKind::Afwezig;
    sem.updated_at = noor.updated_at + 600_000;
    let mut ayla = report(monday(), monday());
    ayla.id = "afw-3".into();
    ayla.child = AbsenceChild {
        name: "Ayla".into(),
        groep: 2,
    };
    let mut gone = report(monday(), monday());
    gone.id = "afw-4".into();
    gone.withdrawn = true;
    let tomorrow_only = report(date(2026, 11, 24), date(2026, 11, 24));
    let list = absence_report(
        "de-linde",
        monday(),
        vec![noor, sem, ayla, gone, {
            let mut t = tomorrow_only;
            t.id = "afw-5".into();
            t
        }],
    );
    let seen: Vec<(u8, Vec<&str>)> = list
        .groepen
        .iter()
        .map(|g| {
            (
                g.groep,
                g.absences.iter().map(|a| a.child.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(seen, vec![(2, vec!["Ayla"]), (5, vec!["Sem", "Noor"])]);
    let sem = &list.groepen[1].absences[0];
    assert_eq!(sem.kind, AbsenceKind::Afwezig);
    // 1 795 400 600 000 ms is Wednesday 21 November 2026... as local time, with its minutes.
    assert_eq!(
        sem.reported_at,
        driehoek_core::tz::local_from_unix_millis(1_795_400_600_000).unwrap()
    );
}

#[test]
fn the_schools_settings_are_checked() {
    let mut content = common::content();
    content.school.absence_until = Some(time(8, 15));
    content.school.absence_phone = Some("0123-999999".into());
    assert!(driehoek_core::validate(&content).is_empty());
    content.school.absence_until = Some(time(14, 0));
    content.school.absence_phone = Some("bel ons".into());
    let fields: Vec<String> = driehoek_core::validate(&content)
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        vec!["school.absence_phone", "school.absence_until"],
        "both refused"
    );
}

#[test]
fn the_settings_are_left_out_of_the_json_when_unset_so_old_content_keeps_its_etag() {
    let json = serde_json::to_string(&school()).unwrap();
    assert!(!json.contains("absence"), "{json}");
    let s: driehoek_core::School = serde_json::from_str(
        r#"{"id":"x","name":"X","place":"","website":"","phone":"","email":"","absence_until":"08:15"}"#,
    )
    .unwrap();
    assert_eq!(
        s.absence_until,
        Some(time(8, 15)),
        "hours and minutes suffice"
    );
}
