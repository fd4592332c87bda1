//! A database that cannot be written: a full disk, a read-only file, a damaged file. The server
//! says so on `/readyz` and answers writes with 503 and `Retry-After`, never 500.
//!
//! A full disk is made with SQLite's `max_page_count` (`SqliteStore::limit_size`): past it SQLite
//! fails a write with SQLITE_FULL, exactly the error a full disk gives, and a test can set it
//! without root. A read-only file is made with `chattr +i` (root ignores file modes, not the
//! immutable flag) or, when not root, with the file's mode.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use axum::http::{header, StatusCode};
use common::*;
use driehoek_core::Answer;
use driehoek_server::store::SqliteStore;
use driehoek_server::{app_with, AppState, Clock, Config, WriteRate};

/// A database file with the school "demo" and its content, closed.
fn database(dir: &Path) -> PathBuf {
    let path = dir.join("db.sqlite3");
    school_demo(&SqliteStore::open(&path).unwrap(), moment());
    path
}

/// The app on `store`; writes are not rate-limited here (the limit is tested elsewhere).
fn router(dir: &Path, store: SqliteStore) -> axum::Router {
    let state = AppState::new(dir.join("dist"), Arc::new(store)).with_clock(Clock::fixed(moment()));
    let config = Config {
        write_rate: WriteRate {
            burst: 100_000,
            per_second: 100_000.0,
        },
        ..Config::default()
    };
    app_with(state, &config)
}

fn activity() -> String {
    open_activity(&demo_at(moment()), moment(), |a| a.capacity.is_none())
        .id
        .clone()
}

async fn assert_ready(app: &axum::Router, ready: bool) {
    let (status, headers, body) = send(app, get("/readyz", "")).await;
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    if ready {
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["writable"], true);
    } else {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["writable"], false, "{body}");
        assert_eq!(body["readable"], true, "{body}");
        assert!(headers.contains_key(header::RETRY_AFTER));
        assert!(
            message(&body).contains("bewaard"),
            "a Dutch message: {body}"
        );
    }
}

#[tokio::test]
async fn a_full_database_answers_503_with_retry_after_and_readyz_says_so() {
    // Bug: on a full disk every write answered 500 while /healthz said ok.
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let store = SqliteStore::open(&path).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    // Room for a few answers more, then the "disk" is full.
    store.limit_size(size + 16 * 4096).unwrap();
    let app = router(dir.path(), store);
    assert_ready(&app, true).await;
    let activity = activity();
    let mut unavailable = None;
    for i in 0..500 {
        let mut put = rsvp(&format!("gezin-{i}"), &activity, 1_000, Answer::Ja, 1);
        put.rsvp.note = "x".repeat(490);
        let (status, headers, body) = send(
            &app,
            put_rsvp(&put, CODE, &format!("geheim-van-gezin-{i:05}")),
        )
        .await;
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "never a 500");
        if status == StatusCode::SERVICE_UNAVAILABLE {
            unavailable = Some((headers, body));
            break;
        }
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    }
    let (headers, body) = unavailable.expect("the database filled up");
    assert!(headers.contains_key(header::RETRY_AFTER), "{headers:?}");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(message(&body).contains("later opnieuw"), "{body}");
    assert_ready(&app, false).await;
    let (status, _, _) = send(&app, get("/api/v1/schools/demo/content", CODE)).await;
    assert_eq!(status, StatusCode::OK, "reading still works");
}

/// Makes `path` read-only even for root; undone on drop.
struct ReadOnly(PathBuf);

impl ReadOnly {
    fn make(path: &Path) -> Option<ReadOnly> {
        let immutable = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        if !immutable {
            let mut mode = std::fs::metadata(path).unwrap().permissions();
            mode.set_readonly(true);
            std::fs::set_permissions(path, mode).unwrap();
        }
        let guard = ReadOnly(path.to_owned());
        // Root writes to a file whatever its mode: only a real refusal counts.
        let refused = std::fs::OpenOptions::new().append(true).open(path).is_err();
        refused.then_some(guard)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
        if let Ok(meta) = std::fs::metadata(&self.0) {
            let mut mode = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            mode.set_readonly(false);
            let _ = std::fs::set_permissions(&self.0, mode);
        }
    }
}

#[tokio::test]
async fn a_read_only_database_file_answers_503_and_readyz_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let Some(_read_only) = ReadOnly::make(&path) else {
        panic!("cannot make a read-only file here (chattr +i failed and this is root)");
    };
    let store = SqliteStore::open(&path).expect("a read-only file still opens for reading");
    let app = router(dir.path(), store);
    assert_ready(&app, false).await;
    let put = rsvp("gezin-1", &activity(), 1_000, Answer::Ja, 1);
    let (status, headers, body) = send(&app, put_rsvp(&put, CODE, SECRET)).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(headers.contains_key(header::RETRY_AFTER));
    let (status, _, _) = send(&app, get("/api/v1/schools/demo/content", CODE)).await;
    assert_eq!(status, StatusCode::OK, "parents can still read the content");
}

#[test]
fn a_damaged_database_file_is_refused_at_start() {
    // Bug: a file with garbage pages after a good header was served, and every write failed.
    let dir = tempfile::tempdir().unwrap();
    let path = database(dir.path());
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192, "more than the header page");
    for (i, byte) in bytes.iter_mut().enumerate().skip(4096) {
        *byte = (i * 31 % 251) as u8;
    }
    std::fs::write(&path, bytes).unwrap();
    let opened = SqliteStore::open(&path);
    assert!(opened.is_err(), "quick_check finds the damage");
}
