//! `PUT …/acknowledgements/{ack_id}` ("gelezen") and the school's count per agreement version.

mod common;

use axum::http::StatusCode;
use common::*;
use driehoek_core::sync::{AckPutResponse, Outcome};

async fn ack_report(setup: &Setup) -> serde_json::Value {
    let (status, report) = json(
        &setup.app(),
        get("/api/v1/schools/demo/acknowledgements", ADMIN),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    report
}

fn families(report: &serde_json::Value, version: u32) -> u64 {
    report["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["version"] == version)
        .map(|v| v["families"].as_u64().unwrap())
        .unwrap_or_else(|| panic!("version {version} is missing in {report}"))
}

#[tokio::test]
async fn an_acknowledgement_is_kept_once_and_the_school_counts_it() {
    let setup = setup();
    let app = setup.app();
    let version = setup.content.agreement.version;
    let newer = ack("fam-1", version, 2_000);

    let (status, _, body) = send(&app, put_ack(&newer, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: AckPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Stored);

    let (_, _, body) = send(&app, put_ack(&newer, CODE, SECRET)).await;
    let answer: AckPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Unchanged, "a retry is harmless");

    let older = ack("fam-1", version, 1_000);
    let (_, _, body) = send(&app, put_ack(&older, CODE, SECRET)).await;
    let answer: AckPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::KeptNewer);
    assert_eq!(answer.kept, newer, "the server says which version it keeps");

    let report = ack_report(&setup).await;
    assert_eq!(report["current_version"], version);
    assert_eq!(families(&report, version), 1, "one family, however often");

    send(
        &app,
        put_ack(&ack("fam-2", version, 1_000), CODE, "geheim-van-gezin-twee"),
    )
    .await;
    assert_eq!(families(&ack_report(&setup).await, version), 2);
}

#[tokio::test]
async fn an_old_version_stays_acknowledged_after_a_new_publication() {
    let setup = setup();
    let app = setup.app();
    let old = setup.content.agreement.version;
    send(&app, put_ack(&ack("fam-1", old, 1_000), CODE, SECRET)).await;

    let mut content = setup.content.clone();
    content.agreement.version = old + 1;
    let (status, _, body) = send(&app, put_content(&content, "*")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));

    let (status, _, _) = send(
        &app,
        put_ack(&ack("fam-2", old + 1, 2_000), CODE, "geheim-van-gezin-twee"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A phone that was offline during the publication still sends its "gelezen" of the old one.
    let (status, _, _) = send(
        &app,
        put_ack(&ack("fam-3", old, 3_000), CODE, "geheim-van-gezin-drie"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let report = ack_report(&setup).await;
    assert_eq!(report["current_version"], old + 1);
    assert_eq!(families(&report, old), 2);
    assert_eq!(families(&report, old + 1), 1);
}

#[tokio::test]
async fn a_wrong_acknowledgement_is_refused_with_the_field_and_stores_nothing() {
    let setup = setup();
    let app = setup.app();
    let version = setup.content.agreement.version;

    let field_error =
        |value: serde_json::Value| value[0]["field"].as_str().unwrap_or_default().to_owned();

    let (status, errors) = json(&app, put_ack(&ack("fam-1", version + 7, 1), CODE, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(errors.clone()), "agreement_version");
    assert!(errors[0]["message"].as_str().unwrap().contains("afspraken"));

    let mut elsewhere = ack("fam-1", version, 1);
    let mut request = put_ack(&elsewhere, CODE, SECRET);
    *request.uri_mut() = "/api/v1/schools/demo/acknowledgements/een-andere-code"
        .parse()
        .unwrap();
    let (status, errors) = json(&app, request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(errors), "id");

    elsewhere.family_id = "Gezin Met Hoofdletters".into();
    let (status, errors) = json(&app, put_ack(&elsewhere, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(errors), "family_id");

    let mut nameless = ack("fam-1", version, 1);
    nameless.name = "   ".into();
    let (status, errors) = json(&app, put_ack(&nameless, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(errors), "name");

    let (status, errors) = json(
        &app,
        put_json(
            "/api/v1/schools/demo/acknowledgements/a-1",
            CODE,
            Some(SECRET),
            br#"{"id": "a-1", "family_id": "fam-1", "name": "Sanne", "updated_at": 1}"#.to_vec(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(errors.clone()), "agreement_version");
    assert_eq!(errors[0]["message"], "Dit veld ontbreekt.");

    assert_eq!(families(&ack_report(&setup).await, version), 0);
}

#[tokio::test]
async fn another_phone_cannot_acknowledge_for_a_family() {
    let setup = setup();
    let app = setup.app();
    let version = setup.content.agreement.version;
    assert_eq!(
        send(&app, put_ack(&ack("fam-1", version, 1), CODE, SECRET))
            .await
            .0,
        StatusCode::OK
    );
    let (status, answer) = json(
        &app,
        put_ack(&ack("fam-1", version, 2), CODE, "een-ander-geheim-0000"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(message(&answer), "Dit gezin hoort bij een andere telefoon.");
    // The family secret is shared with the RSVPs: the same family, the same phone.
    let rsvp = rsvp("fam-1", &setup.activity, 1, driehoek_core::Answer::Ja, 1);
    assert_eq!(
        send(&app, put_rsvp(&rsvp, CODE, "een-ander-geheim-0000"))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&app, put_rsvp(&rsvp, CODE, SECRET)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn both_parents_read_it_under_their_own_name_and_the_school_sees_both() {
    let setup = setup();
    let app = setup.app();
    let version = setup.content.agreement.version;
    let child = |name: &str, groep| driehoek_core::sync::ChildInGroep {
        name: name.into(),
        groep,
    };
    let mut sanne = ack("fam-1", version, 1_000);
    sanne.children = vec![child("Noor", 7), child("Sem", 2)];
    let mut bram = sanne.clone();
    bram.id = "ack-fam-1-bram".into();
    bram.name = "Bram de Vries".into();
    bram.updated_at = millis(2_000);
    for body in [&sanne, &bram] {
        let (status, _, body) = send(&app, put_ack(body, CODE, SECRET)).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let answer: AckPutResponse = serde_json::from_slice(&body).unwrap();
        assert_eq!(answer.outcome, Outcome::Stored, "each parent's own");
    }
    // Sanne's phone sends hers again: the same version, kept once.
    let (_, _, body) = send(&app, put_ack(&sanne, CODE, SECRET)).await;
    let answer: AckPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Unchanged);

    let report = ack_report(&setup).await;
    assert_eq!(families(&report, version), 1, "one family, two parents");
    let readers = &report["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["version"] == version)
        .unwrap()["readers"];
    assert_eq!(
        readers[0]["names"],
        serde_json::json!(["Sanne de Vries", "Bram de Vries"])
    );
    assert_eq!(
        readers[0]["children"],
        serde_json::json!([{"name": "Noor", "groep": 7}, {"name": "Sem", "groep": 2}])
    );
}

#[tokio::test]
async fn bad_children_are_refused_with_a_dutch_message_and_nothing_is_kept() {
    let setup = setup();
    let app = setup.app();
    let version = setup.content.agreement.version;
    let mut bad = serde_json::to_value(ack("fam-1", version, 1_000)).unwrap();
    bad["children"] = serde_json::json!([{"name": "Noor", "groep": 9}]);
    let (status, errors) = json(
        &app,
        put_json(
            &format!("/api/v1/schools/demo/acknowledgements/ack-fam-1-{version}"),
            CODE,
            Some(SECRET),
            serde_json::to_vec(&bad).unwrap(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors[0]["field"], "children[0].groep");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("groep"),
        "{errors}"
    );
    assert_eq!(families(&ack_report(&setup).await, version), 0);
}
