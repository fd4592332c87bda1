//! What the school sees with its admin token: who comes to what (JSON and CSV).

mod common;

use axum::http::{header, StatusCode};
use common::*;
use driehoek_core::Answer;
use driehoek_server::school::RsvpReport;

fn child(name: &str, groep: u8) -> driehoek_core::sync::ChildInGroep {
    driehoek_core::sync::ChildInGroep {
        name: name.into(),
        groep,
    }
}

/// Three families answer the open activity; one answers another activity.
async fn answers(setup: &Setup) -> String {
    let app = setup.app();
    let other = open_activity(&setup.content, moment(), |a| a.id != setup.activity).clone();
    let mut ja = rsvp("fam-a", &setup.activity, 1_000, Answer::Ja, 2);
    ja.names = "Sanne en Bram de Vries".into();
    ja.children = vec![child("Noor", 7), child("Sem", 2)];
    ja.rsvp.note = "We nemen taart mee, \"zelfgebakken\".\nTot dan!".into();
    let mut misschien = rsvp("fam-b", &setup.activity, 1_000, Answer::Misschien, 1);
    misschien.names = "=HYPERLINK(\"http://example.com\",\"klik\")".into();
    misschien.rsvp.note = "Jansen;=cmd|' /C calc'!A0".into();
    let mut nee = rsvp("fam-c", &setup.activity, 1_000, Answer::Nee, 0);
    nee.names = "Ahmed, Fatima".into();
    nee.children = vec![child("Yara", 7)];
    nee.rsvp.note = "@iedereen sorry".into();
    let elders = rsvp("fam-a", &other.id, 1_000, Answer::Ja, 1);
    let helper = {
        let activity = setup
            .content
            .activities
            .iter()
            .find(|a| a.id == setup.activity)
            .unwrap();
        activity.helpers_wanted
    };
    if helper {
        ja.rsvp.helps = true;
        misschien.rsvp.helps = true;
    }
    for (put, secret) in [
        (&ja, "geheim-van-gezin-a-000"),
        (&misschien, "geheim-van-gezin-b-000"),
        (&nee, "geheim-van-gezin-c-000"),
        (&elders, "geheim-van-gezin-a-000"),
    ] {
        let (status, _, body) = send(&app, put_rsvp(put, CODE, secret)).await;
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    }
    other.id
}

#[tokio::test]
async fn the_school_sees_every_answer_with_totals_per_activity() {
    let setup = setup();
    let other = answers(&setup).await;
    let (status, _, body) = send(&setup.app(), get("/api/v1/schools/demo/rsvps", ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
    let report: RsvpReport = serde_json::from_slice(&body).unwrap();
    assert_eq!(report.school, "demo");
    assert_eq!(
        report.activities.len(),
        setup.content.activities.len(),
        "every published activity, also those without answers"
    );
    let starts: Vec<_> = report.activities.iter().map(|a| a.start.unwrap()).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "by start time");

    let open = report
        .activities
        .iter()
        .find(|a| a.activity_id == setup.activity)
        .unwrap();
    let helpers_wanted = setup
        .content
        .activities
        .iter()
        .find(|a| a.id == setup.activity)
        .unwrap()
        .helpers_wanted;
    assert_eq!(
        open.title.as_deref(),
        Some(
            setup
                .content
                .activities
                .iter()
                .find(|a| a.id == setup.activity)
                .unwrap()
                .title
                .get("nl")
        )
    );
    assert_eq!(
        (open.totals.ja, open.totals.misschien, open.totals.nee),
        (1, 1, 1)
    );
    assert_eq!(open.totals.people, 2, "only the people of a \"ja\" count");
    assert_eq!(open.totals.helpers, if helpers_wanted { 2 } else { 0 });
    let answers: Vec<_> = open.rsvps.iter().map(|r| r.answer).collect();
    assert_eq!(
        answers,
        [Answer::Ja, Answer::Misschien, Answer::Nee],
        "ja first"
    );
    let first = &open.rsvps[0];
    assert_eq!(first.family_id, "fam-a");
    assert_eq!(first.names, "Sanne en Bram de Vries");
    assert_eq!(first.people, 2);
    assert_eq!(first.updated_at, millis(1_000));
    assert_eq!(first.activity_id, setup.activity);
    assert!(first.note.contains("zelfgebakken"));
    let nee = &open.rsvps[2];
    assert_eq!(
        (nee.people, nee.helps),
        (0, false),
        "a \"nee\" brings nobody"
    );

    let elders = report
        .activities
        .iter()
        .find(|a| a.activity_id == other)
        .unwrap();
    assert_eq!((elders.totals.ja, elders.totals.people), (1, 1));

    // The school calls the other activity off, then removes it: the answers it had stay
    // visible, at the end.
    let mut content = setup.content.clone();
    for activity in &mut content.activities {
        activity.cancelled |= activity.id == other;
    }
    let (status, _, _) = send(&setup.app(), put_content(&content, "*")).await;
    assert_eq!(status, StatusCode::OK, "cancelled first");
    content.activities.retain(|a| a.id != other);
    let (status, _, _) = send(&setup.app(), put_content(&content, "*")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, body) = send(&setup.app(), get("/api/v1/schools/demo/rsvps", ADMIN)).await;
    let report: RsvpReport = serde_json::from_slice(&body).unwrap();
    let last = report.activities.last().unwrap();
    assert_eq!(
        (last.activity_id.as_str(), last.title.as_deref()),
        (other.as_str(), None)
    );
    assert_eq!(last.rsvps.len(), 1);
}

/// A small reader for RFC 4180 CSV with `;` between cells, as Dutch Excel reads it: quoted cells,
/// doubled quotes, line breaks in cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(!quoted, "an open quote at the end");
    assert!(
        cell.is_empty() && row.is_empty(),
        "the last line ends with a line break"
    );
    rows
}

#[tokio::test]
async fn the_csv_opens_in_a_spreadsheet_with_dutch_headers_and_no_formulas() {
    let setup = setup();
    answers(&setup).await;
    let (status, headers, body) =
        send(&setup.app(), get("/api/v1/schools/demo/rsvps.csv", ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"rsvps-demo.csv\""
    );
    let text = String::from_utf8(body).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark, for Excel");
    // Bug: the file was comma-separated, so Dutch Excel (which splits on `;`) showed each row in
    // one column, and an unquoted `Jansen;=cmd|' /C calc'!A0` became a live formula there.
    for line in text
        .split("\r\n")
        .filter(|l| !l.is_empty() && l.starts_with('"'))
    {
        assert!(line.ends_with('"'), "every cell is quoted: {line:?}");
    }
    // However a spreadsheet splits it, even carelessly on every `;` inside quotes, no piece
    // starts a formula.
    for piece in text.split([';', '\n']) {
        let piece = piece.trim_start_matches('"');
        assert!(
            !piece.starts_with(['=', '+', '-', '@', '\t']),
            "a piece Excel could run: {piece:?}"
        );
    }
    let rows = parse_csv(text);
    assert_eq!(
        rows[0],
        [
            "activiteit",
            "datum",
            "gezin",
            "namen",
            "kind",
            "groep",
            "antwoord",
            "personen",
            "helpt",
            "opmerking",
            "bijgewerkt"
        ]
    );
    assert_eq!(rows.len(), 1 + 4, "a header and one row per answer");
    assert!(
        rows.iter().all(|r| r.len() == 11),
        "every row has every column"
    );

    let activity = setup
        .content
        .activities
        .iter()
        .find(|a| a.id == setup.activity)
        .unwrap();
    let title = activity.title.get("nl");
    let by_family = |family: &str| {
        rows.iter()
            .find(|r| r[2] == family && r[0] == title)
            .unwrap()
            .clone()
    };
    let sanne = by_family("fam-a");
    assert_eq!(sanne[3], "Sanne en Bram de Vries");
    assert_eq!(
        (sanne[4].as_str(), sanne[5].as_str()),
        ("Noor, Sem", "7, 2"),
        "the children and their groepen, in the same order"
    );
    assert_eq!(sanne[6], "ja");
    assert_eq!(sanne[7], "2");
    assert_eq!(
        sanne[9], "We nemen taart mee, \"zelfgebakken\".\nTot dan!",
        "quotes, comma and line break survive"
    );
    assert_eq!(sanne[0], title);
    assert_eq!(
        sanne[1],
        activity.start.format("%Y-%m-%d %H:%M").to_string()
    );
    assert_eq!(
        sanne[10].len(),
        "2026-01-01 01:00".len(),
        "bijgewerkt as a local time"
    );

    let formula = by_family("fam-b");
    assert_eq!(
        formula[3], "'=HYPERLINK(\"http://example.com\",\"klik\")",
        "a formula is shown as text, not run"
    );
    assert_eq!(
        formula[9], "Jansen;'=cmd|' /C calc'!A0",
        "the piece after a ; is guarded too"
    );
    let ahmed = by_family("fam-c");
    assert_eq!(ahmed[3], "Ahmed, Fatima");
    assert_eq!((ahmed[4].as_str(), ahmed[5].as_str()), ("Yara", "7"));
    assert_eq!(
        (formula[4].as_str(), formula[5].as_str()),
        ("", ""),
        "an answer without children keeps empty cells"
    );
    assert_eq!(ahmed[7], "0");
    assert_eq!(ahmed[8], "nee");
    assert_eq!(ahmed[9], "'@iedereen sorry");
}

#[tokio::test]
async fn only_the_admin_token_opens_the_lists() {
    let setup = setup();
    answers(&setup).await;
    let app = setup.app();
    for path in ["rsvps", "rsvps.csv", "acknowledgements"] {
        let own = format!("/api/v1/schools/demo/{path}");
        let (status, body) = json(&app, get(&own, CODE)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{path}: a parent's access code"
        );
        assert!(!body.to_string().contains("fam-a"), "{path}: nothing leaks");
        let bare = axum::http::Request::get(&own)
            .body(axum::body::Body::empty())
            .unwrap();
        assert_eq!(
            send(&app, bare).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}: no token"
        );
        let elsewhere = format!("/api/v1/schools/elders/{path}");
        assert_eq!(
            send(&app, get(&elsewhere, ADMIN)).await.0,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(
            send(&app, get(&own, ADMIN)).await.0,
            StatusCode::OK,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_school_reads_its_published_content_with_its_admin_token() {
    let setup = setup();
    let app = setup.app();
    let path = "/api/v1/schools/demo/content";
    let (status, headers, body) = send(&app, get(path, ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::ETAG).is_some(), "an ETag for If-Match");
    let content: driehoek_core::Content = serde_json::from_slice(&body).unwrap();
    assert_eq!(content, setup.content);
    let (status, _, _) = send(&app, get(path, "beheer-verkeerd-000000")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_report_shows_each_familys_children_and_counts_them_per_groep() {
    let setup = setup();
    answers(&setup).await;
    let (status, _, body) = send(&setup.app(), get("/api/v1/schools/demo/rsvps", ADMIN)).await;
    assert_eq!(status, StatusCode::OK);
    let report: RsvpReport = serde_json::from_slice(&body).unwrap();
    let group = report
        .activities
        .iter()
        .find(|a| a.activity_id == setup.activity)
        .unwrap();
    let sanne = group.rsvps.iter().find(|r| r.family_id == "fam-a").unwrap();
    assert_eq!(sanne.children, vec![child("Noor", 7), child("Sem", 2)]);
    let per_groep: Vec<(u8, u32, u32, u32)> = group
        .per_groep
        .iter()
        .map(|g| (g.groep, g.ja, g.misschien, g.nee))
        .collect();
    assert_eq!(
        per_groep,
        vec![(2, 1, 0, 0), (7, 1, 0, 1)],
        "groep 2: Sem comes; groep 7: Noor comes, Yara does not"
    );
}
