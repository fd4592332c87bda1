//! `GET …/families/{family_id}` (what the school keeps of one family, read back by each of its
//! phones) and `PUT …/families/{family_id}/profile` (the children and parents' names a second
//! phone gets), against real SQLite.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use driehoek_core::sync::{
    FamilyProfile, FamilyRecords, Outcome, ProfileChild, ProfilePutResponse,
};
use driehoek_core::Answer;

fn get_family(family: &str, code: &str, secret: Option<&str>) -> Request<Body> {
    let mut request = Request::get(format!("/api/v1/schools/demo/families/{family}"))
        .header(header::AUTHORIZATION, format!("Bearer {code}"));
    if let Some(secret) = secret {
        request = request.header("x-family-secret", secret);
    }
    request.body(Body::empty()).unwrap()
}

fn put_profile(family: &str, profile: &FamilyProfile, secret: &str) -> Request<Body> {
    put_json(
        &format!("/api/v1/schools/demo/families/{family}/profile"),
        CODE,
        Some(secret),
        serde_json::to_vec(profile).unwrap(),
    )
}

fn profile(at: i64, parents: &[&str]) -> FamilyProfile {
    FamilyProfile {
        children: vec![ProfileChild {
            id: "kind-noor".into(),
            name: "Noor".into(),
            groep: 7,
        }],
        parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        updated_at: millis(at),
    }
}

#[tokio::test]
async fn a_family_reads_back_what_the_school_keeps_of_it_and_nothing_of_another() {
    let setup = setup();
    let app = setup.app();
    let version = setup.content.agreement.version;
    // Phone A of family 1 answers and acknowledges; family 2 answers too.
    let mine = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 2);
    let (status, _, body) = send(&app, put_rsvp(&mine, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    send(&app, put_ack(&ack("fam-1", version, 1_000), CODE, SECRET)).await;
    let theirs = rsvp("fam-2", &setup.activity, 1_000, Answer::Nee, 0);
    send(&app, put_rsvp(&theirs, CODE, "geheim-van-gezin-twee")).await;

    // Phone B of family 1 (same id and secret) reads what the school keeps.
    let (status, _, body) = send(&app, get_family("fam-1", CODE, Some(SECRET))).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let records: FamilyRecords = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        records.rsvps,
        vec![mine.clone()],
        "only this family's answer"
    );
    assert_eq!(records.acknowledgements.len(), 1);
    assert_eq!(records.acknowledgements[0].agreement_version, version);
    assert_eq!(records.profile, None, "no phone sent a profile yet");

    // A newer answer from phone B is what both phones read back next.
    let newer = rsvp("fam-1", &setup.activity, 2_000, Answer::Nee, 0);
    send(&app, put_rsvp(&newer, CODE, SECRET)).await;
    let (_, _, body) = send(&app, get_family("fam-1", CODE, Some(SECRET))).await;
    let records: FamilyRecords = serde_json::from_slice(&body).unwrap();
    assert_eq!(records.rsvps[0].rsvp.answer, Answer::Nee);
}

#[tokio::test]
async fn a_wrong_secret_another_familys_id_or_an_unknown_family_is_refused() {
    let setup = setup();
    let app = setup.app();
    send(
        &app,
        put_rsvp(
            &rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1),
            CODE,
            SECRET,
        ),
    )
    .await;
    send(
        &app,
        put_rsvp(
            &rsvp("fam-2", &setup.activity, 1_000, Answer::Ja, 1),
            CODE,
            "geheim-van-gezin-twee",
        ),
    )
    .await;

    let (status, value) = json(
        &app,
        get_family("fam-1", CODE, Some("een-ander-geheim-0123")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a wrong secret: {value}");
    assert!(value.get("rsvps").is_none(), "nothing of the family leaks");

    // Family 2's own secret does not open family 1.
    let (status, value) = json(
        &app,
        get_family("fam-1", CODE, Some("geheim-van-gezin-twee")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another family: {value}");

    let (status, value) = json(&app, get_family("fam-onbekend", CODE, Some(SECRET))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{value}");
    assert!(!message(&value).is_empty(), "a message in Dutch");

    let (status, _) = json(&app, get_family("fam-1", CODE, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no secret");
    let (status, _) = json(&app, get_family("fam-1", "verkeerde-code-00", Some(SECRET))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a wrong access code");
}

#[tokio::test]
async fn the_profile_is_kept_by_its_version_and_read_back_by_the_second_phone() {
    let setup = setup();
    let app = setup.app();
    let first = profile(1_000, &["Sanne"]);
    let (status, _, body) = send(&app, put_profile("fam-1", &first, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: ProfilePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Stored);

    let (_, _, body) = send(&app, put_profile("fam-1", &first, SECRET)).await;
    let answer: ProfilePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Unchanged, "a retry is harmless");

    let newer = profile(3_000, &["Sanne", "Bram"]);
    let (_, _, body) = send(&app, put_profile("fam-1", &newer, SECRET)).await;
    let answer: ProfilePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Stored);

    // A version made earlier on the other phone arrives late: the newer one stays.
    let late = profile(2_000, &["Sanne"]);
    let (_, _, body) = send(&app, put_profile("fam-1", &late, SECRET)).await;
    let answer: ProfilePutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::KeptNewer);
    assert_eq!(answer.kept, newer, "the server says which version it keeps");

    // The profile alone makes the family known: the second phone reads it.
    let (status, _, body) = send(&app, get_family("fam-1", CODE, Some(SECRET))).await;
    assert_eq!(status, StatusCode::OK);
    let records: FamilyRecords = serde_json::from_slice(&body).unwrap();
    assert_eq!(records.profile, Some(newer));

    // Another secret cannot overwrite it.
    let (status, _, _) = send(
        &app,
        put_profile(
            "fam-1",
            &profile(4_000, &["Iemand anders"]),
            "geheim-van-gezin-twee",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_profile_with_a_bad_groep_or_unreadable_name_gets_a_dutch_message() {
    let setup = setup();
    let app = setup.app();
    let mut bad = profile(1_000, &["Sanne"]);
    bad.children[0].groep = 9;
    let (status, value) = json(&app, put_profile("fam-1", &bad, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(value[0]["field"], "children[0].groep", "{value}");
    assert!(value[0]["message"].as_str().unwrap().contains("groep"));

    let mut bad = profile(1_000, &["Sanne\u{202e}"]);
    bad.children[0].groep = 7;
    let (status, value) = json(&app, put_profile("fam-1", &bad, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{value}");
    assert_eq!(value[0]["field"], "parents[0]");

    let mut far = profile(0, &["Sanne"]);
    far.updated_at = millis(3 * 24 * 60 * 60 * 1000);
    let (status, value) = json(&app, put_profile("fam-1", &far, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{value}");
    assert_eq!(value[0]["field"], "updated_at");

    // Nothing refused was kept: the family is still unknown.
    let (status, _) = json(&app, get_family("fam-1", CODE, Some(SECRET))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
