//! Gesprekken on the server: `PUT …/bookings/{id}` (book, retry, change, cancel, "vol"), the
//! taken slots, the school's schedule, blocking and booking by hand; against a real SQLite file,
//! the races over real HTTP on 127.0.0.1. The server's clock stands at the tests' moment
//! (Monday 23 November 2026, 10:00), when the demo round `rapportgesprekken-winter` is open.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use chrono::NaiveTime;
use common::*;
use driehoek_core::sync::{ChildInGroep, FamilyRecords, Outcome};
use driehoek_core::talks::{
    BookingFull, BookingPut, BookingPutResponse, Schedule, ScheduleRow, TakenSlots, TalkRound,
};
use driehoek_server::serve::{serve, Limits};
use driehoek_server::{app_with, Config, WriteRate};

const ROUND: &str = "rapportgesprekken-winter";

/// A booking for `child` in `round`, made `after` ms past the moment.
fn booking(
    id: &str,
    family: &str,
    round: &str,
    child: (&str, u8),
    preferences: &[&str],
    after: i64,
) -> BookingPut {
    BookingPut {
        id: id.into(),
        family_id: family.into(),
        names: format!("Ouders van {}", child.0),
        round_id: round.into(),
        child: ChildInGroep {
            name: child.0.into(),
            groep: child.1,
        },
        preferences: preferences.iter().map(|p| (*p).to_owned()).collect(),
        note: String::new(),
        children_in_round: 1,
        updated_at: millis(after),
        cancelled: false,
    }
}

/// The family's secret (each family its own).
fn secret(family: &str) -> String {
    format!("geheim-van-{family}-0123456789")
}

fn put_booking(body: &BookingPut) -> axum::http::Request<axum::body::Body> {
    put_json(
        &format!("/api/v1/schools/demo/bookings/{}", body.id),
        CODE,
        Some(&secret(&body.family_id)),
        serde_json::to_vec(body).unwrap(),
    )
}

fn round_of(setup: &Setup, id: &str) -> TalkRound {
    setup
        .content
        .talks
        .iter()
        .find(|r| r.id == id)
        .cloned()
        .expect("the round in the demo")
}

/// The slot ids of `groep` in the round.
fn slot_ids(round: &TalkRound, groep: u8) -> Vec<String> {
    round.slots_of(groep).into_iter().map(|s| s.id).collect()
}

/// Publishes, beside the demo's rounds, a round `id` for groep 5 only with `slots` slots (one
/// window on the demo round's first day).
fn publish_round(setup: &Setup, id: &str, slots: u32) -> TalkRound {
    let mut round = round_of(setup, ROUND);
    round.id = id.into();
    round.groepen.retain(|g| g.groep == 5);
    let window = &mut round.groepen[0].windows;
    window.truncate(1);
    let step = u32::from(round.slot_minutes + round.changeover_minutes);
    let from = NaiveTime::from_hms_opt(13, 0, 0).unwrap();
    window[0].from = from;
    window[0].to = from
        + chrono::Duration::minutes(i64::from(
            (slots - 1) * step + u32::from(round.slot_minutes),
        ));
    assert_eq!(round.slots().len(), slots as usize);
    let mut content = setup.content.clone();
    content.talks.push(round.clone());
    assert_eq!(driehoek_core::validate(&content), vec![]);
    let json = serde_json::to_string(&content).unwrap();
    let published = setup
        .state
        .store
        .publish(
            "demo",
            &content,
            &driehoek_server::api::etag_of(&json),
            None,
            moment(),
        )
        .unwrap();
    assert_eq!(published, driehoek_server::store::Publication::Published);
    round
}

async fn schedule(setup: &Setup, round: &str) -> Schedule {
    let (status, body) = json(
        &setup.app(),
        get(
            &format!("/api/v1/schools/demo/talks/{round}/schedule"),
            ADMIN,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

/// The slot each booking id holds, from the school's schedule.
fn held(schedule: &Schedule) -> BTreeMap<String, String> {
    schedule
        .rows
        .iter()
        .filter_map(|r| {
            r.talk
                .as_ref()
                .map(|t| (t.booking_id.clone(), r.slot.id.clone()))
        })
        .collect()
}

#[tokio::test]
async fn a_booking_is_kept_retried_changed_and_cancelled_and_read_back() {
    let setup = setup();
    let app = setup.app();
    let round = round_of(&setup, ROUND);
    let slots = slot_ids(&round, 7);
    let noor = booking("b-noor", "fam-1", ROUND, ("Noor", 7), &[&slots[2]], 0);

    let (status, _, body) = send(&app, put_booking(&noor)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Stored);
    assert_eq!(answer.kept, noor);
    let booked = answer.booked.expect("a slot");
    assert_eq!(booked.slot.id, slots[2]);
    assert!(!booked.by_school);

    let (status, _, body) = send(&app, put_booking(&noor)).await;
    assert_eq!(status, StatusCode::OK);
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Unchanged, "a retry is harmless");
    assert_eq!(
        answer.booked.unwrap().slot.id,
        slots[2],
        "with the slot it holds"
    );

    // Another family sees the slot taken, by id only.
    let (status, taken) = json(
        &app,
        get(&format!("/api/v1/schools/demo/talks/{ROUND}/taken"), CODE),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!taken.to_string().contains("Noor"), "never names: {taken}");
    let taken: TakenSlots = serde_json::from_value(taken).unwrap();
    assert_eq!(taken.taken, vec![slots[2].clone()]);

    // A change to another slot: the old one is free, the new one held.
    let mut changed = noor.clone();
    changed.preferences = vec![slots[5].clone()];
    changed.updated_at += 1_000;
    let (status, _, body) = send(&app, put_booking(&changed)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.booked.unwrap().slot.id, slots[5]);
    let now = held(&schedule(&setup, ROUND).await);
    assert_eq!(now, BTreeMap::from([("b-noor".into(), slots[5].clone())]));

    // An older version arriving late changes nothing.
    let (_, _, body) = send(&app, put_booking(&noor)).await;
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::KeptNewer);
    assert_eq!(answer.kept, changed);

    // The family reads it back.
    let (status, records) = json(
        &app,
        axum::http::Request::get("/api/v1/schools/demo/families/fam-1")
            .header("authorization", format!("Bearer {CODE}"))
            .header("x-family-secret", secret("fam-1"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{records}");
    let records: FamilyRecords = serde_json::from_value(records).unwrap();
    assert_eq!(records.bookings.len(), 1);
    assert_eq!(records.bookings[0].kept, changed);
    assert_eq!(
        records.bookings[0].booked.as_ref().unwrap().slot.id,
        slots[5]
    );

    // A cancellation frees the slot.
    let mut cancelled = changed.clone();
    cancelled.cancelled = true;
    cancelled.preferences.clear();
    cancelled.updated_at += 1_000;
    let (status, _, body) = send(&app, put_booking(&cancelled)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.booked, None);
    assert!(held(&schedule(&setup, ROUND).await).is_empty());
    let (_, taken) = json(
        &app,
        get(&format!("/api/v1/schools/demo/talks/{ROUND}/taken"), CODE),
    )
    .await;
    assert_eq!(taken["taken"], serde_json::json!([]));

    // After cancelling, the child may be booked again under a new id.
    let again = booking("b-noor-2", "fam-1", ROUND, ("Noor", 7), &[&slots[2]], 5_000);
    let (status, _, _) = send(&app, put_booking(&again)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_taken_slot_gives_the_next_preference_and_else_vol_with_alternatives() {
    let setup = setup();
    let app = setup.app();
    let round = round_of(&setup, ROUND);
    let slots = slot_ids(&round, 7);
    let first = booking("b-1", "fam-1", ROUND, ("Noor", 7), &[&slots[3]], 0);
    assert_eq!(send(&app, put_booking(&first)).await.0, StatusCode::OK);

    let second = booking(
        "b-2",
        "fam-2",
        ROUND,
        ("Daan", 7),
        &[&slots[3], &slots[4]],
        10,
    );
    let (_, _, body) = send(&app, put_booking(&second)).await;
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        answer.booked.unwrap().slot.id,
        slots[4],
        "the next preference"
    );

    let third = booking(
        "b-3",
        "fam-3",
        ROUND,
        ("Mila", 7),
        &[&slots[3], &slots[4]],
        20,
    );
    let (status, _, body) = send(&app, put_booking(&third)).await;
    assert_eq!(status, StatusCode::CONFLICT, "vol");
    let full: BookingFull = serde_json::from_slice(&body).unwrap();
    assert!(!full.error.is_empty());
    let ids: Vec<&str> = full.alternatives.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [&slots[2], &slots[1], &slots[5]],
        "the nearest free ones, at equal distance the earlier"
    );

    // A refused change keeps the slot held before.
    let mut moved = second.clone();
    moved.preferences = vec![slots[3].clone()];
    moved.updated_at += 1;
    let (status, _, _) = send(&app, put_booking(&moved)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(held(&schedule(&setup, ROUND).await)["b-2"], slots[4]);
}

#[tokio::test]
async fn bad_bookings_get_a_dutch_4xx_never_a_500() {
    let setup = setup();
    let app = setup.app();
    let round = round_of(&setup, ROUND);
    let slots = slot_ids(&round, 7);
    let good = booking("b-1", "fam-1", ROUND, ("Noor", 7), &[&slots[0]], 0);
    assert_eq!(send(&app, put_booking(&good)).await.0, StatusCode::OK);

    let field_message = |body: &[u8]| -> String {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        v[0]["message"].as_str().unwrap_or_default().to_owned()
    };
    let cases: Vec<(&str, BookingPut, &str)> = vec![
        (
            "unknown round",
            booking("b-x1", "fam-2", "geen-ronde", ("Sem", 7), &[&slots[1]], 0),
            "bestaat niet",
        ),
        (
            "unknown slot",
            booking("b-x2", "fam-2", ROUND, ("Sem", 7), &["g7-20261208-0300"], 0),
            "bestaat niet voor deze groep",
        ),
        (
            "a slot of another groep",
            booking(
                "b-x3",
                "fam-2",
                ROUND,
                ("Sem", 7),
                &[&slot_ids(&round, 2)[0]],
                0,
            ),
            "bestaat niet voor deze groep",
        ),
        (
            "the same slot twice",
            booking(
                "b-x4",
                "fam-2",
                ROUND,
                ("Sem", 7),
                &[&slots[1], &slots[1]],
                0,
            ),
            "twee keer",
        ),
        (
            "no slot",
            booking("b-x5", "fam-2", ROUND, ("Sem", 7), &[], 0),
            "Kies 1 tot 3",
        ),
        (
            "the child booked already under another id",
            booking("b-x6", "fam-1", ROUND, (" noor ", 7), &[&slots[1]], 0),
            "al een gesprek",
        ),
    ];
    for (what, body, words) in cases {
        let (status, _, answer) = send(&app, put_booking(&body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let message = field_message(&answer);
        assert!(message.contains(words), "{what}: {message}");
    }
    // Not for this groep: the round has no groep 9, and huisbezoek is for groepen 1 and 2 only.
    let huis = round_of(&setup, "huisbezoek-kleuters");
    let body = booking(
        "b-x7",
        "fam-2",
        &huis.id,
        ("Sem", 7),
        &[&slot_ids(&huis, 1)[0]],
        0,
    );
    let (status, _, answer) = send(&app, put_booking(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_message(&answer).contains("niet voor groep 7"));

    // Closed: the same booking after the round closed.
    setup.clock.set(at("2026-12-05T10:00"));
    let mut late = booking("b-x8", "fam-2", ROUND, ("Sem", 7), &[&slots[1]], 0);
    late.updated_at = driehoek_server::Clock::fixed(at("2026-12-05T10:00")).unix_millis();
    let (status, _, answer) = send(&app, put_booking(&late)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_message(&answer).contains("gesloten"),
        "{}",
        field_message(&answer)
    );
    setup.clock.set(moment());

    // Another family's booking id; a path that does not match the body.
    let mut stolen = good.clone();
    stolen.family_id = "fam-9".into();
    stolen.updated_at += 5;
    let (status, _, _) = send(&app, put_booking(&stolen)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let request = put_json(
        "/api/v1/schools/demo/bookings/b-anders",
        CODE,
        Some(&secret("fam-1")),
        serde_json::to_vec(&good).unwrap(),
    );
    assert_eq!(
        send(&app, request).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Unknown school, unknown round for `taken`.
    let request = put_json(
        "/api/v1/schools/nergens/bookings/b-1",
        CODE,
        Some(&secret("fam-1")),
        serde_json::to_vec(&good).unwrap(),
    );
    assert_eq!(send(&app, request).await.0, StatusCode::NOT_FOUND);
    let (status, body) = json(&app, get("/api/v1/schools/demo/talks/geen/taken", CODE)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&body).contains("gespreksronde"), "{body}");
}

#[tokio::test]
async fn the_school_blocks_books_by_hand_moves_and_exports_the_schedule() {
    let setup = setup();
    let app = setup.app();
    let round = round_of(&setup, ROUND);
    let slots = slot_ids(&round, 7);
    let noor = booking("b-noor", "fam-1", ROUND, ("Noor", 7), &[&slots[0]], 0);
    assert_eq!(send(&app, put_booking(&noor)).await.0, StatusCode::OK);
    let slot_put = |slot: &str, blocked: bool| {
        put_json(
            &format!("/api/v1/schools/demo/talks/{ROUND}/slots/{slot}"),
            ADMIN,
            None,
            serde_json::to_vec(&serde_json::json!({ "blocked": blocked })).unwrap(),
        )
    };
    let post = |body: serde_json::Value| {
        let mut request = put_json(
            &format!("/api/v1/schools/demo/talks/{ROUND}/bookings"),
            ADMIN,
            None,
            serde_json::to_vec(&body).unwrap(),
        );
        *request.method_mut() = axum::http::Method::POST;
        request
    };

    // Block a free slot; a booked one is refused.
    let (status, body) = json(&app, slot_put(&slots[1], true)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let row: ScheduleRow = serde_json::from_value(body).unwrap();
    assert!(row.blocked);
    let (status, body) = json(&app, slot_put(&slots[0], true)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&body).contains("Verplaats"), "{body}");
    let (status, _) = json(&app, slot_put("g7-20261208-0300", true)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A family cannot book the blocked slot, and sees it taken.
    let sem = booking("b-sem", "fam-2", ROUND, ("Sem", 7), &[&slots[1]], 0);
    assert_eq!(send(&app, put_booking(&sem)).await.0, StatusCode::CONFLICT);
    let (_, taken) = json(
        &app,
        get(&format!("/api/v1/schools/demo/talks/{ROUND}/taken"), CODE),
    )
    .await;
    assert_eq!(taken["taken"], serde_json::json!([slots[0], slots[1]]));

    // Book by hand for a family that phoned; a name that Excel would run is guarded.
    let (status, body) = json(
        &app,
        post(serde_json::json!({
            "child": { "name": "=Daan", "groep": 7 },
            "names": "Fatima;-Amrani",
            "note": "Belde op maandag",
            "slot_id": slots[2],
        })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let row: ScheduleRow = serde_json::from_value(body).unwrap();
    let talk = row.talk.unwrap();
    assert!(talk.by_school && talk.booking_id.starts_with("school-"));
    for (body, want, what) in [
        (
            serde_json::json!({ "child": { "name": "Ali", "groep": 7 }, "names": "X", "slot_id": slots[2] }),
            StatusCode::CONFLICT,
            "a booked slot",
        ),
        (
            serde_json::json!({ "child": { "name": "Ali", "groep": 7 }, "names": "X", "slot_id": slots[1] }),
            StatusCode::CONFLICT,
            "a blocked slot",
        ),
        (
            serde_json::json!({ "child": { "name": "Ali", "groep": 2 }, "names": "X", "slot_id": slots[3] }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "a slot of another groep",
        ),
        (
            serde_json::json!({ "names": "X", "slot_id": slots[3] }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no child",
        ),
        (
            serde_json::json!({ "child": { "name": "Ali", "groep": 7 }, "names": "X", "slot_id": "g7-bestaat-niet" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "an unknown slot",
        ),
        (
            serde_json::json!({ "booking_id": "b-geen", "slot_id": slots[3] }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "an unknown booking",
        ),
    ] {
        let (status, answer) = json(&app, post(body)).await;
        assert_eq!(status, want, "{what}: {answer}");
    }

    // Move Noor's booking: the family sees the new slot, placed by the school.
    let (status, body) = json(
        &app,
        post(serde_json::json!({ "booking_id": "b-noor", "slot_id": slots[4] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, _, body) = send(&app, put_booking(&noor)).await;
    let answer: BookingPutResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer.outcome, Outcome::Unchanged);
    let booked = answer.booked.unwrap();
    assert_eq!(
        (booked.slot.id.as_str(), booked.by_school),
        (slots[4].as_str(), true)
    );
    let (_, records) = json(
        &app,
        axum::http::Request::get("/api/v1/schools/demo/families/fam-1")
            .header("authorization", format!("Bearer {CODE}"))
            .header("x-family-secret", secret("fam-1"))
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(records["bookings"][0]["booked"]["by_school"], true);
    assert_eq!(
        records["bookings"][0]["booked"]["slot"]["id"],
        slots[4].as_str()
    );

    // The schedule: counts per groep and the rows.
    let plan = schedule(&setup, ROUND).await;
    let g7 = plan.groepen.iter().find(|g| g.groep == 7).unwrap();
    assert_eq!((g7.booked, g7.blocked, g7.free), (2, 1, 13));
    assert_eq!(held(&plan).len(), 2);

    // The CSV for Dutch Excel.
    let (status, headers, body) = send(
        &app,
        get(
            &format!("/api/v1/schools/demo/talks/{ROUND}/schedule.csv"),
            ADMIN,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "\"datum\";\"tijd\";\"groep\";\"kind\";\"ouders\";\"opmerking\";\"status\""
    );
    assert_eq!(lines.len(), 1 + round.slots().len());
    let daan = lines.iter().find(|l| l.contains("Daan")).unwrap();
    assert!(daan.contains("\"'=Daan\""), "a formula is guarded: {daan}");
    assert!(
        daan.contains("\"Fatima;'-Amrani\""),
        "each piece is guarded: {daan}"
    );
    assert!(daan.ends_with("\"geboekt door school\""), "{daan}");
    assert!(lines.iter().any(|l| l.ends_with("\"geblokkeerd\"")));
    assert!(lines.iter().any(|l| l.ends_with("\"vrij\"")));

    // Unknown round, and no admin token.
    let (status, _) = json(&app, get("/api/v1/schools/demo/talks/geen/schedule", ADMIN)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = json(
        &app,
        get(
            &format!("/api/v1/schools/demo/talks/{ROUND}/schedule"),
            CODE,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Freed again, the slot can be booked.
    let (status, _) = json(&app, slot_put(&slots[1], false)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(send(&app, put_booking(&sem)).await.0, StatusCode::OK);
}

// ---- Over real HTTP ----

/// The setup's app on a free port of 127.0.0.1, without write limits (every writer comes from
/// this machine); served on a runtime of its own for as long as the test runs.
fn start(setup: &Setup) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let open = WriteRate {
        burst: 1_000_000,
        per_second: 1_000_000.0,
    };
    let config = Config {
        write_rate: open,
        login_rate: open,
        ..Config::default()
    };
    let app = app_with(setup.state.clone(), &config);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let limits = Limits {
                max_connections: 500,
                max_per_address: 500,
                ..Limits::default()
            };
            serve(listener, app, limits, std::future::pending()).await
        })
    });
    addr
}

/// One request over its own connection: the status and the body.
fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    secret: Option<&str>,
    body: &str,
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let token = if secret.is_some() || path.ends_with("/taken") {
        CODE
    } else {
        ADMIN
    };
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(secret) = secret {
        text.push_str(&format!("X-Family-Secret: {secret}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes()).unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn put_over_http(addr: SocketAddr, put: &BookingPut) -> (u16, String) {
    call(
        addr,
        "PUT",
        &format!("/api/v1/schools/demo/bookings/{}", put.id),
        Some(&secret(&put.family_id)),
        &serde_json::to_string(put).unwrap(),
    )
}

/// SplitMix64, for the families' choices.
fn pick(seed: u64, n: usize) -> usize {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) % n as u64) as usize
}

/// Books for one family until it has a slot or none is left: its three preferences first, then
/// (as a parent taps one) the first alternative of each "vol". The slot it got, if any; and
/// whether each "vol" proposed only slots it had not asked for.
fn book_until_done(addr: SocketAddr, mut put: BookingPut) -> Option<String> {
    loop {
        let (status, body) = put_over_http(addr, &put);
        match status {
            200 => {
                let answer: BookingPutResponse = serde_json::from_str(&body).unwrap();
                return Some(
                    answer
                        .booked
                        .expect("a booking answered 200 holds a slot")
                        .slot
                        .id,
                );
            }
            409 => {
                let full: BookingFull = serde_json::from_str(&body).unwrap();
                for slot in &full.alternatives {
                    assert!(
                        !put.preferences.contains(&slot.id),
                        "an alternative is not a slot just refused"
                    );
                }
                let next = full.alternatives.first()?;
                put.preferences = vec![next.id.clone()];
                put.updated_at += 1;
            }
            other => panic!("{other}: {body}"),
        }
    }
}

#[test]
fn sixty_families_race_for_twenty_slots_and_each_slot_holds_one() {
    let setup = setup();
    let round = publish_round(&setup, "race", 20);
    let slots = slot_ids(&round, 5);
    let addr = start(&setup);
    let got = Arc::new(Mutex::new(BTreeMap::new()));
    let threads: Vec<_> = (0..60u64)
        .map(|f| {
            let (slots, got) = (slots.clone(), got.clone());
            std::thread::spawn(move || {
                let mut prefs: Vec<&str> = Vec::new();
                let mut k = 0;
                while prefs.len() < 3 {
                    let s = &slots[pick(f * 31 + k, slots.len())];
                    if !prefs.contains(&s.as_str()) {
                        prefs.push(s);
                    }
                    k += 1;
                }
                let family = format!("fam-{f}");
                let put = booking(&format!("b-{f}"), &family, "race", ("Kind", 5), &prefs, 0);
                let slot = book_until_done(addr, put);
                got.lock().unwrap().insert(family, slot);
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let got = got.lock().unwrap().clone();
    let booked: Vec<&String> = got.values().flatten().collect();
    assert_eq!(booked.len(), 20, "exactly twenty families got a slot");
    let distinct: BTreeSet<&String> = booked.iter().copied().collect();
    assert_eq!(distinct.len(), 20, "no slot was given twice");
    assert_eq!(got.values().filter(|s| s.is_none()).count(), 40);
    // The school's schedule agrees with what the families were told.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let plan = runtime.block_on(schedule(&setup, "race"));
    let held = held(&plan);
    for (family, slot) in &got {
        let id = format!("b-{}", family.trim_start_matches("fam-"));
        assert_eq!(held.get(&id), slot.as_ref(), "{family}");
    }
    // A late family gets "vol" with nothing to propose.
    let late = booking("b-late", "fam-late", "race", ("Kind", 5), &[&slots[0]], 0);
    let (status, body) = put_over_http(addr, &late);
    assert_eq!(status, 409);
    let full: BookingFull = serde_json::from_str(&body).unwrap();
    assert!(full.alternatives.is_empty(), "{body}");
}

#[test]
fn changes_under_load_never_leave_a_family_with_two_slots_or_none() {
    let setup = setup();
    let round = publish_round(&setup, "wissel", 40);
    let slots = slot_ids(&round, 5);
    let addr = start(&setup);
    // Ten families hold a slot each before the load starts.
    for f in 0..10u64 {
        let put = booking(
            &format!("b-c{f}"),
            &format!("fam-c{f}"),
            "wissel",
            ("Kind", 5),
            &[&slots[f as usize]],
            0,
        );
        assert_eq!(put_over_http(addr, &put).0, 200);
    }
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A watcher reads the school's schedule all the while: each changer holds exactly one slot.
    let watcher = {
        let (stop, state) = (stop.clone(), setup.state.clone());
        std::thread::spawn(move || {
            let mut looks = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let talks = state.store.round_talks("demo", "wissel").unwrap();
                for f in 0..10 {
                    let id = format!("b-c{f}");
                    let n = talks
                        .held
                        .iter()
                        .filter(|(_, t)| t.booking_id == id)
                        .count();
                    assert_eq!(n, 1, "{id} holds {n} slots");
                }
                let slots: BTreeSet<&String> = talks.held.iter().map(|(s, _)| s).collect();
                assert_eq!(slots.len(), talks.held.len(), "a slot held twice");
                looks += 1;
            }
            looks
        })
    };
    let changers: Vec<_> = (0..10u64)
        .map(|f| {
            let slots = slots.clone();
            std::thread::spawn(move || {
                let mut put = booking(
                    &format!("b-c{f}"),
                    &format!("fam-c{f}"),
                    "wissel",
                    ("Kind", 5),
                    &[&slots[f as usize]],
                    0,
                );
                let mut moved = 0;
                for i in 0..15u64 {
                    put.preferences = (0..3)
                        .map(|k| slots[pick(f * 1000 + i * 10 + k, slots.len())].clone())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    put.updated_at += 1;
                    let (status, _) = put_over_http(addr, &put);
                    assert!(status == 200 || status == 409, "{status}");
                    moved += usize::from(status == 200);
                }
                moved
            })
        })
        .collect();
    let bookers: Vec<_> = (0..30u64)
        .map(|f| {
            let slots = slots.clone();
            std::thread::spawn(move || {
                let first = &slots[pick(f + 7_000, slots.len())];
                let put = booking(
                    &format!("b-n{f}"),
                    &format!("fam-n{f}"),
                    "wissel",
                    ("Kind", 5),
                    &[first],
                    0,
                );
                book_until_done(addr, put)
            })
        })
        .collect();
    let moved: usize = changers.into_iter().map(|t| t.join().unwrap()).sum();
    let newcomers: Vec<Option<String>> = bookers.into_iter().map(|t| t.join().unwrap()).collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let looks = watcher.join().unwrap();
    assert!(
        moved > 0 && looks > 0,
        "the test changed ({moved}) and looked ({looks})"
    );
    let talks = setup.state.store.round_talks("demo", "wissel").unwrap();
    assert_eq!(
        talks.held.len(),
        10 + newcomers.iter().flatten().count(),
        "every family answered 200 holds one slot"
    );
    assert_eq!(
        talks.held.len(),
        40,
        "the forty slots are all taken in the end"
    );
}

#[tokio::test]
async fn a_move_by_the_school_keeps_the_changeover_to_the_familys_other_talk() {
    let setup = setup();
    let app = setup.app();
    let round = round_of(&setup, ROUND);
    let changeover = chrono::Duration::minutes(i64::from(round.changeover_minutes));
    // Two teachers at the same time: a slot of groep 7 that starts with one of groep 5.
    let (five, seven) = round
        .slots_of(5)
        .into_iter()
        .find_map(|a| {
            round
                .slots_of(7)
                .into_iter()
                .find(|b| b.start == a.start)
                .map(|b| (a, b))
        })
        .expect("the demo round has groep 5 and 7 at the same time");
    // And a slot of groep 7 well away from it, where the family books first.
    let away = round
        .slots_of(7)
        .into_iter()
        .find(|b| b.start >= five.end + changeover + chrono::Duration::hours(1))
        .expect("a later slot of groep 7");
    let lisa = booking("b-lisa", "fam-9", ROUND, ("Lisa", 5), &[&five.id], 0);
    let tim = booking("b-tim", "fam-9", ROUND, ("Tim", 7), &[&away.id], 1);
    for put in [&lisa, &tim] {
        let (status, _, body) = send(&app, put_booking(put)).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    }
    let post = |slot: &str| {
        let mut request = put_json(
            &format!("/api/v1/schools/demo/talks/{ROUND}/bookings"),
            ADMIN,
            None,
            serde_json::to_vec(&serde_json::json!({ "booking_id": "b-tim", "slot_id": slot }))
                .unwrap(),
        );
        *request.method_mut() = axum::http::Method::POST;
        request
    };

    // The same parents cannot be with both teachers at once: refused, saying why, and Tim keeps
    // his slot.
    let (status, body) = json(&app, post(&seven.id)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let said = message(&body);
    assert!(said.contains("Lisa"), "{said}");
    assert!(
        said.contains(&five.start.format("%H:%M").to_string()),
        "{said}"
    );
    assert_eq!(
        held(&schedule(&setup, ROUND).await).get("b-tim"),
        Some(&away.id)
    );

    // A slot of groep 7 that leaves the changeover after Lisa's talk is fine.
    let after = round
        .slots_of(7)
        .into_iter()
        .find(|b| b.start >= five.end + changeover)
        .expect("a slot after Lisa's talk");
    assert!(after.start < away.start, "a move, not the same slot");
    let (status, body) = json(&app, post(&after.id)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        held(&schedule(&setup, ROUND).await).get("b-tim"),
        Some(&after.id)
    );
}
