//! 10,000 generated bodies against every route: wrong types, huge numbers, unicode edge cases,
//! deep nesting, extra fields, broken UTF-8. Whatever comes in, the answer is never a 500.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use driehoek_core::Answer;
use driehoek_server::store::{SqliteStore, Store};
use driehoek_server::{app_with, AppState, Clock, Config, WriteRate};
use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, TestRunner};
use serde_json::Value;
use tower::ServiceExt;

/// Texts that have broken parsers and checks before.
fn edge_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9-]{1,80}",
        Just(String::new()),
        Just("\u{0}".into()),
        Just("\u{202e}gnp.exe".into()),
        Just("\u{200b}\u{feff}\u{2060}".into()),
        Just("👩\u{200d}👩\u{200d}👧\u{200d}👦".into()),
        Just("e\u{301}\u{301}\u{301}".into()),
        Just("=cmd|' /C calc'!A0;@SUM(1)".into()),
        Just("a".repeat(5_000)),
        Just("\r\n\t\u{1b}[2J".into()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        edge_text().prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((edge_text(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Every path to a value inside `value` (object keys and array indexes).
fn paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                at.push(key.clone());
                paths(inner, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate().take(4) {
                at.push(i.to_string());
                paths(inner, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn slot<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, key| match v {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

/// A body made from `valid`: one value replaced, an extra field, a huge number, deep nesting,
/// broken UTF-8, or anything at all.
fn body(valid: Value) -> impl Strategy<Value = Vec<u8>> {
    let mut all = Vec::new();
    paths(&valid, &mut Vec::new(), &mut all);
    let count = all.len();
    let (one, two, three) = (valid.clone(), valid.clone(), all.clone());
    prop_oneof![
        3 => (0..count, value()).prop_map(move |(i, new)| {
            let mut body = one.clone();
            if let Some(slot) = slot(&mut body, &all[i]) {
                *slot = new;
            }
            serde_json::to_vec(&body).unwrap()
        }),
        2 => (0..count, edge_text(), value()).prop_map(move |(i, key, new)| {
            let mut body = two.clone();
            if let Some(Value::Object(map)) = slot(&mut body, &three[i]) {
                map.insert(key, new);
            }
            serde_json::to_vec(&body).unwrap()
        }),
        1 => (
            prop_oneof![
                Just("1e999999".to_owned()),
                Just("-1e-999999".to_owned()),
                Just("9".repeat(400)),
                Just("-9223372036854775809".to_owned()),
                Just("18446744073709551616".to_owned()),
                Just("4294967296".to_owned()),
                Just("256".to_owned()),
                Just("-1".to_owned()),
                Just("0.5".to_owned()),
            ],
            any::<prop::sample::Index>()
        )
            .prop_map(move |(number, which)| {
                // A number written as text in place of one of the body's numbers.
                let text = serde_json::to_string(&valid).unwrap();
                let spots: Vec<usize> = text
                    .match_indices(':')
                    .filter(|(i, _)| text[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
                    .map(|(i, _)| i + 1)
                    .collect();
                if spots.is_empty() {
                    return text.into_bytes();
                }
                let at = spots[which.index(spots.len())];
                let end = at + text[at..].find([',', '}', ']']).unwrap_or(0);
                format!("{}{number}{}", &text[..at], &text[end..]).into_bytes()
            }),
        1 => (1usize..5_000, any::<bool>()).prop_map(|(depth, arrays)| {
            if arrays {
                format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
            } else {
                format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes()
            }
        }),
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => Just(br#"{"family_id":"\ud800","names":"\udfff"}"#.to_vec()),
        1 => value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
}

struct Route {
    method: Method,
    path: &'static str,
    token: &'static str,
    valid: Value,
}

#[test]
fn ten_thousand_hostile_bodies_never_get_a_500() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // In memory: the bodies are the point, not the disk (no fsync per stored answer); on the
    // test command's PostgreSQL, a schema of its own there.
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = match postgres_url() {
        Some(_) => open_store(dir.path()),
        None => Arc::new(SqliteStore::in_memory().unwrap()),
    };
    let content = school_demo(store.as_ref(), moment());
    let activity = open_activity(&content, moment(), |a| a.capacity.is_none())
        .id
        .clone();
    let state = AppState::new(std::env::temp_dir().join("driehoek-no-dist"), store)
        .with_clock(Clock::fixed(moment()));
    let config = Config {
        write_rate: WriteRate {
            burst: 1_000_000,
            per_second: 1_000_000.0,
        },
        ..Config::default()
    };
    let app = app_with(state, &config);

    let mut answer = rsvp("fam-1", &activity, 1_000, Answer::Ja, 1);
    answer.rsvp.id = "r-1".into();
    let mut read = ack("fam-1", content.agreement.version, 1_000);
    read.id = "a-1".into();
    // A booking of the demo round's first talk of groep 7 (the round is open at the moment).
    let round = content
        .talks
        .iter()
        .find(|r| r.id == "rapportgesprekken-winter")
        .unwrap();
    let booking = driehoek_core::talks::BookingPut {
        id: "b-1".into(),
        family_id: "fam-1".into(),
        names: "Sanne".into(),
        round_id: round.id.clone(),
        child: driehoek_core::sync::ChildInGroep {
            name: "Noor".into(),
            groep: 7,
        },
        preferences: vec![round.slots_of(7)[0].id.clone()],
        note: String::new(),
        children_in_round: 1,
        updated_at: millis(1_000),
        cancelled: false,
    };
    let get = |path| Route {
        method: Method::GET,
        path,
        token: ADMIN,
        valid: Value::Null,
    };
    let routes = vec![
        Route {
            method: Method::PUT,
            path: "/api/v1/schools/demo/content",
            token: ADMIN,
            valid: serde_json::to_value(&content).unwrap(),
        },
        Route {
            method: Method::PUT,
            path: "/api/v1/schools/demo/rsvps/r-1",
            token: CODE,
            valid: serde_json::to_value(&answer).unwrap(),
        },
        Route {
            method: Method::PUT,
            path: "/api/v1/schools/demo/acknowledgements/a-1",
            token: CODE,
            valid: serde_json::to_value(&read).unwrap(),
        },
        get("/api/v1/schools/demo/content"),
        get("/api/v1/schools/demo/rsvps"),
        get("/api/v1/schools/demo/rsvps.csv"),
        get("/api/v1/schools/demo/acknowledgements"),
        get("/healthz"),
        get("/readyz"),
        Route {
            method: Method::PUT,
            path: "/api/v1/schools/demo/bookings/b-1",
            token: CODE,
            valid: serde_json::to_value(&booking).unwrap(),
        },
        Route {
            method: Method::PUT,
            path: "/api/v1/schools/demo/talks/rapportgesprekken-winter/slots/g7-20261208-1515",
            token: ADMIN,
            valid: serde_json::json!({ "blocked": true }),
        },
        Route {
            method: Method::POST,
            path: "/api/v1/schools/demo/talks/rapportgesprekken-winter/bookings",
            token: ADMIN,
            valid: serde_json::json!({
                "child": { "name": "Daan", "groep": 7 },
                "names": "Fatima",
                "note": "Belde",
                "slot_id": "g7-20261208-1530",
            }),
        },
        get("/api/v1/schools/demo/talks/rapportgesprekken-winter/schedule"),
        get("/api/v1/schools/demo/talks/rapportgesprekken-winter/schedule.csv"),
    ];
    let weights = [2, 5, 5, 1, 1, 1, 1, 1, 1, 5, 2, 3, 1, 1];
    let strategy = prop::strategy::Union::new_weighted(
        routes
            .iter()
            .enumerate()
            .zip(weights)
            .map(|((i, route), weight)| {
                (
                    weight,
                    body(route.valid.clone()).prop_map(move |b| (i, b)).boxed(),
                )
            })
            .collect(),
    );
    let mut runner = TestRunner::new(Cases {
        cases: 10_000,
        failure_persistence: None,
        ..Cases::default()
    });
    runner
        .run(&strategy, |(i, bytes)| {
            let route = &routes[i];
            let request = Request::builder()
                .method(route.method.clone())
                .uri(route.path)
                .header(header::AUTHORIZATION, format!("Bearer {}", route.token))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::IF_MATCH, "*")
                .header("x-family-secret", SECRET)
                .body(Body::from(bytes.clone()))
                .unwrap();
            let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
            prop_assert_ne!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{} {} with {:?}",
                route.method,
                route.path,
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
            );
            Ok(())
        })
        .unwrap();
}
