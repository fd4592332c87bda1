//! `PUT …/absences/{absence_id}` ("Ziek of afwezig melden") and the school's list of today
//! (`GET …/absences`), against a real SQLite file. The demo school takes reports for today until
//! 08:15 and gives 0123-456780 for urgent cases.

mod common;

use axum::http::StatusCode;
use common::*;
use driehoek_core::absence::{AbsenceChild, AbsenceKind, AbsencePut, AbsencePutResponse};
use driehoek_core::sync::Outcome;
use driehoek_server::Clock;

/// A report of Noor (groep 5) ill for `days` from the day of `now`, made `after` ms past `now`.
fn report(id: &str, family: &str, now: chrono::NaiveDateTime, after: i64) -> AbsencePut {
    AbsencePut {
        id: id.into(),
        family_id: family.into(),
        child: AbsenceChild {
            name: "Noor".into(),
            groep: 5,
        },
        kind: AbsenceKind::Ziek,
        first_day: now.date(),
        last_day: now.date(),
        note: "Koorts sinds vannacht.".into(),
        updated_at: Clock::fixed(now).unix_millis() + after,
        withdrawn: false,
    }
}

fn put_absence(body: &AbsencePut, secret: &str) -> axum::http::Request<axum::body::Body> {
    put_json(
        &format!("/api/v1/schools/demo/absences/{}", body.id),
        CODE,
        Some(secret),
        serde_json::to_vec(body).unwrap(),
    )
}

/// The names on the school's list of today, per groep.
async fn school_list(setup: &Setup) -> Vec<(u64, Vec<String>)> {
    let (status, list) = json(&setup.app(), get("/api/v1/schools/demo/absences", ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["groepen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["groep"].as_u64().unwrap(),
                g["absences"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| format!("{} ({})", a["child"]["name"].as_str().unwrap(), a["kind"]))
                    .collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_report_before_school_is_kept_once_and_the_school_sees_it_per_groep() {
    let now = at("2026-11-23T07:40");
    let setup = setup_at(now);
    let app = setup.app();
    let noor = report("afw-noor", "fam-1", now, 0);

    let (status, _, body) = send(&app, put_absence(&noor, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: AbsencePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Stored);
    assert_eq!(answer.kept, noor);

    let (_, _, body) = send(&app, put_absence(&noor, SECRET)).await;
    let answer: AbsencePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Unchanged, "a retry is harmless");

    let mut sem = report("afw-sem", "fam-2", now, 60_000);
    sem.child = AbsenceChild {
        name: "Sem".into(),
        groep: 3,
    };
    sem.kind = AbsenceKind::Afwezig;
    let (status, _, _) = send(&app, put_absence(&sem, "geheim-van-gezin-twee")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        school_list(&setup).await,
        vec![
            (3, vec!["Sem (\"afwezig\")".to_owned()]),
            (5, vec!["Noor (\"ziek\")".to_owned()])
        ],
        "once each, per groep"
    );
    // Tomorrow the one-day reports are gone from the list.
    setup.clock.set(at("2026-11-24T07:00"));
    assert_eq!(school_list(&setup).await, vec![]);
}

#[tokio::test]
async fn a_withdrawn_report_leaves_the_schools_list_and_an_old_retry_does_not_bring_it_back() {
    let now = at("2026-11-23T07:40");
    let setup = setup_at(now);
    let app = setup.app();
    let noor = report("afw-noor", "fam-1", now, 0);
    send(&app, put_absence(&noor, SECRET)).await;
    assert_eq!(school_list(&setup).await.len(), 1);

    // Withdrawn after the time limit: still taken, it only removes the report.
    setup.clock.set(at("2026-11-23T09:00"));
    let mut withdrawn = noor.clone();
    withdrawn.withdrawn = true;
    withdrawn.updated_at += 80 * 60_000;
    let (status, _, body) = send(&app, put_absence(&withdrawn, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(
        school_list(&setup).await,
        vec![],
        "withdrawn, it disappears"
    );

    let (_, _, body) = send(&app, put_absence(&noor, SECRET)).await;
    let answer: AbsencePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::KeptNewer);
    assert_eq!(answer.kept, withdrawn, "the phone learns of the withdrawal");
    assert_eq!(school_list(&setup).await, vec![]);
}

#[tokio::test]
async fn a_report_for_today_after_the_schools_time_is_refused_with_the_number_to_call() {
    let setup = setup(); // 10:00: after 08:15
    let app = setup.app();
    let today = report("afw-laat", "fam-1", moment(), 0);
    let (status, errors) = json(&app, put_absence(&today, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors[0]["field"], "first_day");
    let text = errors[0]["message"].as_str().unwrap();
    assert!(
        text.contains("08:15") && text.contains("Bel de school: 0123-456780"),
        "{text}"
    );
    assert_eq!(school_list(&setup).await, vec![], "nothing kept");

    // Tomorrow can still be reported.
    let mut tomorrow = report("afw-morgen", "fam-1", moment(), 0);
    tomorrow.first_day = moment().date().succ_opt().unwrap();
    tomorrow.last_day = tomorrow.first_day;
    let (status, body) = json(&app, put_absence(&tomorrow, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// One way to spoil a report.
type Change = Box<dyn Fn(&mut AbsencePut)>;

#[tokio::test]
async fn bad_reports_get_a_dutch_422_and_nothing_is_kept() {
    let now = at("2026-11-23T07:00");
    let setup = setup_at(now);
    let app = setup.app();
    let base = report("afw-1", "fam-1", now, 0);
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "last_day",
            Box::new(|r| r.last_day = r.first_day.pred_opt().unwrap()),
            "vóór de eerste dag",
        ),
        (
            "last_day",
            Box::new(|r| r.last_day = r.first_day + chrono::Duration::days(20)),
            "hoogstens 10 schooldagen",
        ),
        (
            "first_day",
            Box::new(|r| r.first_day = r.first_day.pred_opt().unwrap()),
            "al voorbij",
        ),
        ("note", Box::new(|r| r.note = "x".repeat(501)), "te lang"),
        (
            "note",
            Box::new(|r| r.note = "ziek\u{202e}".into()),
            "niet te lezen",
        ),
        (
            "child.name",
            Box::new(|r| r.child.name = "\u{200b}".into()),
            "naam van het kind",
        ),
        ("child.groep", Box::new(|r| r.child.groep = 0), "groep"),
    ];
    for (field, change, words) in cases {
        let mut bad = base.clone();
        change(&mut bad);
        let (status, errors) = json(&app, put_absence(&bad, SECRET)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {errors}"
        );
        assert_eq!(errors[0]["field"], field, "{errors}");
        let text = errors[0]["message"].as_str().unwrap();
        assert!(text.contains(words), "{field}: {text}");
    }
    // The path's id and the body's must agree; a kind that does not exist is refused by name.
    let (status, errors) = json(
        &app,
        put_json(
            "/api/v1/schools/demo/absences/afw-ander",
            CODE,
            Some(SECRET),
            serde_json::to_vec(&base).unwrap(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors[0]["field"], "id");
    let mut value = serde_json::to_value(&base).unwrap();
    value["kind"] = "spijbelen".into();
    let (status, errors) = json(
        &app,
        put_json(
            "/api/v1/schools/demo/absences/afw-1",
            CODE,
            Some(SECRET),
            serde_json::to_vec(&value).unwrap(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{errors}");
    assert_eq!(errors[0]["field"], "kind");
    assert_eq!(school_list(&setup).await, vec![], "nothing kept");
}

#[tokio::test]
async fn another_familys_report_id_or_a_wrong_secret_is_refused() {
    let now = at("2026-11-23T07:00");
    let setup = setup_at(now);
    let app = setup.app();
    let noor = report("afw-1", "fam-1", now, 0);
    send(&app, put_absence(&noor, SECRET)).await;
    let (status, _) = json(&app, put_absence(&noor, "een-ander-geheim-0123")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the family belongs to its secret"
    );
    let mut other = report("afw-1", "fam-2", now, 1_000);
    other.child.name = "Sem".into();
    let (status, body) = json(&app, put_absence(&other, "geheim-van-gezin-twee")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(message(&body).contains("ander gezin"), "{body}");
    // A parent cannot read the school's list.
    let (status, _) = json(&app, get("/api/v1/schools/demo/absences", CODE)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
