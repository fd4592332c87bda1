//! Issue 13 ("Trust"), through the app's router: published agreements never change under their
//! number, places are counted per family, activities with answers do not vanish, hostile text
//! and times are refused, every answer carries the security and caching headers, every error is
//! JSON in Dutch, and failed logins are limited.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use driehoek_core::model::Text;
use driehoek_core::Answer;
use driehoek_server::store::Value;
use driehoek_server::{app_with, Config, WriteRate};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn a_published_agreement_cannot_be_reworded_under_its_version() {
    // Bug: a changed text under the same version number was answered 200 (the store replaced
    // the version), so families who acknowledged it seemed to have agreed to other words.
    let setup = setup();
    let app = setup.app();
    let v1 = setup.content.agreement.clone();
    let mut reworded = setup.content.clone();
    reworded.agreement.school_promises[0].text = Text::nl("Wij zijn soms bereikbaar.");
    let (status, body) = json(&app, put_content(&reworded, "*")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["field"], "agreement.version");
    assert!(
        message(&body).contains(&format!("als versie {}", v1.version + 1)),
        "the message says to publish a new version: {body}"
    );
    let (_, served) = json(&app, get("/api/v1/schools/demo/content", CODE)).await;
    assert_eq!(
        served["agreement"]["school_promises"][0]["text"]["nl"],
        v1.school_promises[0].text.get("nl"),
        "the published words stay"
    );

    let mut v2 = reworded.clone();
    v2.agreement.version = v1.version + 1;
    let (status, body) = json(&app, put_content(&v2, "*")).await;
    assert_eq!(status, StatusCode::OK, "the next version is fine: {body}");
    let (status, body) = json(&app, put_content(&setup.content, "*")).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the current version never goes back: {body}"
    );

    // Sorted by version (the export sorts by every column, the version first after the school).
    let kept: Vec<(Value, String)> = setup
        .rows("agreements")
        .iter()
        .map(|row| (row["version"].clone(), text(&row["agreement"]).to_owned()))
        .collect();
    assert_eq!(
        kept.iter().map(|k| k.0.clone()).collect::<Vec<_>>(),
        [
            Value::Int(v1.version.into()),
            Value::Int(v2.agreement.version.into())
        ]
    );
    assert_eq!(kept.len(), 2, "every published version is kept");
    assert_eq!(
        kept[0].1,
        serde_json::to_string(&v1).unwrap(),
        "v1 as it was"
    );
    assert_eq!(
        kept[1].1,
        serde_json::to_string(&v2.agreement).unwrap(),
        "v2 as published"
    );
}

#[tokio::test]
async fn each_acknowledgement_keeps_the_hash_of_the_text_read() {
    let setup = setup();
    let version = setup.content.agreement.version;
    let (status, _) = json(
        &setup.app(),
        put_ack(&ack("fam-1", version, 1_000), CODE, SECRET),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let agreements = setup.rows("agreements");
    let text = agreements
        .iter()
        .find(|row| row["version"] == Value::Int(version.into()))
        .map(|row| common::text(&row["agreement"]).to_owned())
        .expect("the version is kept");
    let acks = setup.rows("acknowledgements");
    let kept = acks
        .iter()
        .find(|row| row["family_id"] == Value::Text("fam-1".into()))
        .map(|row| common::text(&row["agreement_sha256"]).to_owned())
        .expect("the acknowledgement is kept");
    let expected: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        kept, expected,
        "the SHA-256 of the version's text as stored when it was published"
    );
}

/// The setup's open activity with room for `capacity` people, published.
async fn with_capacity(setup: &Setup, capacity: u32) -> axum::Router {
    let app = setup.app();
    let mut content = setup.content.clone();
    for activity in &mut content.activities {
        if activity.id == setup.activity {
            activity.capacity = Some(capacity);
        }
    }
    let (status, body) = json(&app, put_content(&content, "*")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app
}

#[tokio::test]
async fn families_reusing_one_rsvp_id_cannot_take_the_places_of_others() {
    // Bug: places were counted leaving out every answer with the new answer's id, so 14 made-up
    // families sending the same rsvp.id to an activity for 10 were all let in, and an honest
    // family afterwards heard "vol".
    let setup = setup();
    let app = with_capacity(&setup, 10).await;
    let mut accepted = 0;
    for i in 0..14 {
        let mut put = rsvp(&format!("nep-{i}"), &setup.activity, 1_000, Answer::Ja, 1);
        put.rsvp.id = "zelfde-id".into();
        let (status, body) = json(
            &app,
            put_rsvp(&put, CODE, &format!("geheim-van-nep-gezin-{i:03}")),
        )
        .await;
        if status == StatusCode::OK {
            accepted += 1;
        } else {
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert_eq!(body["field"], "rsvp.id");
        }
    }
    assert_eq!(accepted, 1, "an answer's id belongs to one family");
    let honest = rsvp("eerlijk", &setup.activity, 2_000, Answer::Ja, 2);
    let (status, body) = json(&app, put_rsvp(&honest, CODE, "geheim-van-eerlijk-gezin")).await;
    assert_eq!(status, StatusCode::OK, "places are left: {body}");
}

#[tokio::test]
async fn places_are_counted_per_family() {
    let setup = setup();
    let app = with_capacity(&setup, 3).await;
    for i in 0..3 {
        let put = rsvp(&format!("gezin-{i}"), &setup.activity, 1_000, Answer::Ja, 1);
        let (status, _) = json(
            &app,
            put_rsvp(&put, CODE, &format!("geheim-van-gezin-{i:04}")),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let late = rsvp("laat", &setup.activity, 1_000, Answer::Ja, 1);
    let (status, body) = json(&app, put_rsvp(&late, CODE, "geheim-van-laat-gezin")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body[0]["message"].as_str().unwrap().contains("vol"),
        "{body}"
    );
    let again = rsvp("gezin-0", &setup.activity, 2_000, Answer::Ja, 1);
    let (status, _) = json(&app, put_rsvp(&again, CODE, "geheim-van-gezin-0000")).await;
    assert_eq!(status, StatusCode::OK, "a family may change its own answer");
}

#[tokio::test]
async fn content_put_without_if_match_is_428() {
    let setup = setup();
    let request = put_json(
        "/api/v1/schools/demo/content",
        ADMIN,
        None,
        serde_json::to_vec(&setup.content).unwrap(),
    );
    let (status, body) = json(&setup.app(), request).await;
    assert_eq!(status, StatusCode::PRECONDITION_REQUIRED);
    assert!(message(&body).contains("If-Match"), "{body}");
}

#[tokio::test]
async fn an_answered_activity_cannot_disappear_unless_cancelled_first() {
    let setup = setup();
    let app = setup.app();
    let answer = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1);
    assert_eq!(
        json(&app, put_rsvp(&answer, CODE, SECRET)).await.0,
        StatusCode::OK
    );

    let mut without = setup.content.clone();
    without.activities.retain(|a| a.id != setup.activity);
    let (status, body) = json(&app, put_content(&without, "*")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        message(&body).contains("afgelast"),
        "says what to do: {body}"
    );

    let mut cancelled = setup.content.clone();
    for activity in &mut cancelled.activities {
        activity.cancelled |= activity.id == setup.activity;
    }
    let (status, body) = json(&app, put_content(&cancelled, "*")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, served) = json(&app, get("/api/v1/schools/demo/content", CODE)).await;
    let shown = served["activities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == setup.activity.as_str())
        .unwrap()
        .clone();
    assert_eq!(shown["cancelled"], true, "families see it is called off");

    let change = rsvp("fam-1", &setup.activity, 2_000, Answer::Nee, 0);
    let (status, body) = json(&app, put_rsvp(&change, CODE, SECRET)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no new answers: {body}"
    );
    assert!(
        body[0]["message"].as_str().unwrap().contains("afgelast"),
        "{body}"
    );
    let (_, report) = json(&app, get("/api/v1/schools/demo/rsvps", ADMIN)).await;
    assert!(
        report["activities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["activity_id"] == setup.activity.as_str() && a["totals"]["ja"] == 1),
        "the answers stay readable: {report}"
    );
    let (status, body) = json(&app, put_content(&without, "*")).await;
    assert_eq!(status, StatusCode::OK, "once cancelled it may go: {body}");
}

#[tokio::test]
async fn an_activity_id_once_used_never_returns_for_another_activity() {
    let setup = setup();
    let app = setup.app();
    let removed = setup.content.activities[0].id.clone();
    let mut without = setup.content.clone();
    without.activities.retain(|a| a.id != removed);
    assert_eq!(
        json(&app, put_content(&without, "*")).await.0,
        StatusCode::OK
    );
    let mut reused = without.clone();
    let mut other = setup.content.activities[0].clone();
    other.title = Text::nl("Iets heel anders");
    reused.activities.push(other);
    let (status, body) = json(&app, put_content(&reused, "*")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(message(&body).contains(&removed), "{body}");
}

#[tokio::test]
async fn names_and_notes_that_show_nothing_or_hide_control_characters_are_refused() {
    let setup = setup();
    let app = setup.app();
    for names in [
        "\u{200b}\u{feff}",
        "  \u{2060} ",
        "Sanne\u{0}",
        "Bram\u{1b}[2J",
        "\u{202e}evil",
    ] {
        let mut put = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1);
        put.names = names.into();
        let (status, body) = json(&app, put_rsvp(&put, CODE, SECRET)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{names:?}: {body}"
        );
        assert_eq!(body[0]["field"], "names", "{names:?}");
    }
    let mut put = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1);
    put.rsvp.note = "\u{200b}".into();
    let (status, _) = json(&app, put_rsvp(&put, CODE, SECRET)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an invisible note"
    );
    let mut ack = ack("fam-1", setup.content.agreement.version, 1_000);
    ack.name = "\u{ad}".into();
    let (status, body) = json(&app, put_ack(&ack, CODE, SECRET)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body[0]["field"], "name");
}

#[tokio::test]
async fn an_updated_at_beyond_a_day_ahead_or_before_2020_is_refused() {
    // Bug: `updated_at: i64::MAX` was kept, and no later change could ever replace it ("last
    // writer wins" by updated_at), locking the family's answer for ever.
    let setup = setup();
    let app = setup.app();
    let day = 24 * 60 * 60 * 1000;
    for at in [i64::MAX, millis(day + 1), 0, 1_000, i64::MIN] {
        let mut put = rsvp("fam-1", &setup.activity, 0, Answer::Ja, 1);
        put.rsvp.updated_at = at;
        let (status, body) = json(&app, put_rsvp(&put, CODE, SECRET)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{at}: {body}");
        assert_eq!(body[0]["field"], "rsvp.updated_at");
        let mut ack = ack("fam-1", setup.content.agreement.version, 0);
        ack.updated_at = at;
        let (status, _) = json(&app, put_ack(&ack, CODE, SECRET)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "ack at {at}");
    }
    let ahead = rsvp("fam-1", &setup.activity, day - 1, Answer::Ja, 1);
    let (status, _) = json(&app, put_rsvp(&ahead, CODE, SECRET)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a phone's clock may run up to a day ahead"
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let setup = setup();
    std::fs::create_dir_all(setup.state.dist.clone()).unwrap();
    let loader = "import init from '/driehoek-0123456789abcdef.js';\nawait init();\n";
    std::fs::write(
        setup.state.dist.join("index.html"),
        format!("<html><head><script type=\"module\">{loader}</script></head></html>"),
    )
    .unwrap();
    let config = Config {
        allow_origins: vec![driehoek_server::parse_origin("https://sync.school.example").unwrap()],
        ..Config::default()
    };
    let app = app_with(setup.state.clone(), &config);
    for (path, token) in [
        ("/", ""),
        ("/activiteiten", ""),
        ("/api/v1/schools/demo/content", CODE),
        ("/api/v1/schools/demo/rsvps", ADMIN),
        ("/api/v1/schools/demo/rsvps", "verkeerd"),
        ("/bestaat-niet.js", ""),
        ("/healthz", ""),
    ] {
        let (_, headers, _) = send(&app, get(path, token)).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            csp.contains("connect-src 'self' https://sync.school.example;"),
            "{path}: the app may talk to the configured sync origin: {csp}"
        );
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        let hash = driehoek_server::headers::script_hash(loader);
        assert!(
            csp.contains(&format!("'{hash}'")),
            "{path}: Trunk's inline loader is allowed by its hash: {csp}"
        );
        assert!(!csp.contains("'unsafe-inline'"), "{path}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn personal_data_is_never_stored_by_a_browser_or_proxy() {
    let setup = setup();
    let app = setup.app();
    let put = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1);
    let (_, headers, _) = send(&app, put_rsvp(&put, CODE, SECRET)).await;
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "no-store",
        "the PUT echoes names"
    );
    for path in [
        "/api/v1/schools/demo/rsvps",
        "/api/v1/schools/demo/rsvps.csv",
        "/api/v1/schools/demo/acknowledgements",
    ] {
        let (status, headers, _) = send(&app, get(path, ADMIN)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CACHE_CONTROL], "no-store", "{path}");
    }
    let (_, headers, _) = send(&app, get("/api/v1/schools/demo/content", CODE)).await;
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "no-cache",
        "the published content is the same for everyone and revalidated by its ETag"
    );
}

#[tokio::test]
async fn precompressed_files_vary_by_accept_encoding() {
    let setup = setup();
    let dist = setup.state.dist.clone();
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .unwrap();
    std::fs::write(dist.join("sw.js.br"), b"brotli").unwrap();
    for encoding in ["br", "identity"] {
        let request = Request::get("/sw.js")
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let (status, headers, _) = send(&setup.app(), request).await;
        assert_eq!(status, StatusCode::OK);
        let vary: Vec<_> = headers.get_all(header::VARY).iter().collect();
        assert!(
            vary.iter().any(|v| v
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")),
            "{encoding}: {vary:?}"
        );
    }
}

#[tokio::test]
async fn every_error_is_json_with_a_dutch_message() {
    let setup = setup();
    let app = setup.app();
    let checks = [
        (
            Method::POST,
            "/api/v1/schools/demo/content",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (Method::DELETE, "/healthz", StatusCode::METHOD_NOT_ALLOWED),
        (Method::GET, "/bestaat-niet.js", StatusCode::NOT_FOUND),
        (Method::GET, "/api/v1/nergens", StatusCode::NOT_FOUND),
    ];
    for (method, path, expected) in checks {
        let request = Request::builder()
            .method(method.clone())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let (status, headers, body) = send(&app, request).await;
        assert_eq!(status, expected, "{method} {path}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method} {path}"
        );
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(!message(&body).is_empty(), "{method} {path}: {body}");
    }
    let mut put = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1);
    put.names = "Sanne".into();
    let mut request = put_rsvp(&put, CODE, SECRET);
    request.headers_mut().remove("x-family-secret");
    let (status, body) = json(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        message(&body).contains("geheime code van het gezin"),
        "a missing family secret says so, not \"verkeerde code\": {body}"
    );
}

#[tokio::test]
async fn failed_logins_are_limited_per_address() {
    let setup = setup();
    let config = Config {
        login_rate: WriteRate {
            burst: 3,
            per_second: 0.01,
        },
        ..Config::default()
    };
    let app = app_with(setup.state.clone(), &config);
    let path = "/api/v1/schools/demo/content";
    for _ in 0..3 {
        let (status, _, _) = send(&app, from([10, 0, 0, 9], get(path, "geraden-0000"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, headers, body) = send(&app, from([10, 0, 0, 9], get(path, CODE))).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "after too many guesses even the right code waits"
    );
    assert!(headers.contains_key(header::RETRY_AFTER));
    assert_eq!(
        headers[header::CONNECTION],
        "close",
        "the connection says it closes"
    );
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(message(&body).contains("verkeerde code"), "{body}");
    let (status, _, _) = send(&app, from([10, 0, 0, 10], get(path, CODE))).await;
    assert_eq!(status, StatusCode::OK, "another address is not held up");
}

#[tokio::test]
async fn forwarded_for_counts_only_from_the_trusted_proxy() {
    let setup = setup();
    let config = Config {
        login_rate: WriteRate {
            burst: 1,
            per_second: 0.01,
        },
        trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
        ..Config::default()
    };
    let app = app_with(setup.state.clone(), &config);
    let path = "/api/v1/schools/demo/content";
    let via = |peer: [u8; 4], forwarded: &str, token: &str| {
        let mut request = from(peer, get(path, token));
        request
            .headers_mut()
            .insert("x-forwarded-for", forwarded.parse().unwrap());
        request
    };
    // Through the proxy: each client has its own count.
    let (status, _, _) = send(&app, via([10, 0, 0, 1], "203.0.113.5", "fout-00000")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = send(&app, via([10, 0, 0, 1], "203.0.113.5", CODE)).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "203.0.113.5 used its guess"
    );
    let (status, _, _) = send(&app, via([10, 0, 0, 1], "6.6.6.6, 203.0.113.6", CODE)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the address the proxy added counts, not the one the client wrote before it"
    );
    // Not through the proxy: the header is ignored, the peer counts.
    let (status, _, _) = send(&app, via([10, 0, 0, 7], "203.0.113.8", "fout-00000")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = send(&app, via([10, 0, 0, 7], "203.0.113.9", CODE)).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a client cannot pick another address with the header"
    );
}

#[tokio::test]
async fn a_refused_write_says_the_connection_closes() {
    // Bug: a 429 left the request's body unread without saying `Connection: close`, so the
    // client's next request on that connection was lost.
    let setup = setup();
    let config = Config {
        write_rate: WriteRate {
            burst: 1,
            per_second: 0.01,
        },
        ..Config::default()
    };
    let app = app_with(setup.state.clone(), &config);
    let put = rsvp("fam-1", &setup.activity, 1_000, Answer::Ja, 1);
    let (status, _, _) = send(&app, from([10, 0, 0, 3], put_rsvp(&put, CODE, SECRET))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, _) = send(&app, from([10, 0, 0, 3], put_rsvp(&put, CODE, SECRET))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers[header::CONNECTION], "close");
}
