//! `content import` and `content export`, run as the real binary on a real database file.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use driehoek_core::Content;
use driehoek_server::api::hash;
use driehoek_server::store::{SqliteStore, Store};

fn server(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_driehoek-server"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A database with the school "oosterhout" and nothing published.
fn school(dir: &Path) -> String {
    let db = dir.join("db.sqlite3");
    let out = server(&[
        "school",
        "create",
        "oosterhout",
        "De Oosterhout",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    db.to_str().unwrap().to_owned()
}

fn demo(school: &str) -> Content {
    // Dated around Monday 23 November 2026: nothing here depends on today.
    let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut content = driehoek_core::demo_content(monday);
    content.school.id = school.into();
    content
}

fn etag(db: &str) -> Option<String> {
    SqliteStore::open(Path::new(db))
        .unwrap()
        .school_meta("oosterhout")
        .unwrap()
        .unwrap()
        .etag
}

#[test]
fn content_goes_in_with_import_and_comes_back_with_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path());
    let file = dir.path().join("inhoud.json");
    let content = demo("oosterhout");
    std::fs::write(&file, serde_json::to_string_pretty(&content).unwrap()).unwrap();

    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Gepubliceerd"),
        "{}",
        text(&out.stdout)
    );
    let published = etag(&db).expect("an ETag after the import");

    let exported = dir.path().join("export.json");
    let out = server(&[
        "content",
        "export",
        "--school",
        "oosterhout",
        "--db",
        &db,
        "--out",
        exported.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let back: Content = serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(back, content, "what comes out is what went in");

    let out = server(&["content", "export", "--school", "oosterhout", "--db", &db]);
    assert!(out.status.success());
    let to_stdout: Content = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(to_stdout, content, "without --out, to standard output");

    // Importing the unchanged export again keeps the ETag: no phone downloads anything.
    let out = server(&[
        "content",
        "import",
        exported.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db,
    ]);
    assert!(out.status.success());
    assert_eq!(etag(&db), Some(published.clone()));

    // A change gives a new ETag, so the phones fetch it.
    let mut changed = content.clone();
    changed.school.phone = "0162 123 456".into();
    std::fs::write(&file, serde_json::to_string(&changed).unwrap()).unwrap();
    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db,
    ]);
    assert!(out.status.success());
    assert_ne!(etag(&db), Some(published));

    // The same content through the API gives the same ETag as through the command line.
    let store = SqliteStore::open(Path::new(&db)).unwrap();
    let row = store.school("oosterhout").unwrap().unwrap();
    let (json, tag) = row.content.unwrap();
    assert_eq!(tag, driehoek_server::api::etag_of(&json));
}

#[test]
fn an_invalid_file_is_not_published_and_every_problem_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path());
    let file = dir.path().join("inhoud.json");
    let good = demo("oosterhout");
    std::fs::write(&file, serde_json::to_string(&good).unwrap()).unwrap();
    assert!(server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db
    ])
    .status
    .success());
    let before = etag(&db);

    let mut bad = good.clone();
    bad.activities[0].max_per_family = 0;
    bad.school.id = "elders".into();
    std::fs::write(&file, serde_json::to_string(&bad).unwrap()).unwrap();
    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let expected = driehoek_core::validate(&bad);
    assert!(!expected.is_empty());
    for error in &expected {
        assert!(
            stderr.contains(&format!("{}: {}", error.field, error.message)),
            "{error:?} in {stderr}"
        );
    }
    assert!(
        stderr.contains("school.id: "),
        "the school in the file is another: {stderr}"
    );
    assert!(stderr.contains("Niet gepubliceerd"), "{stderr}");
    assert_eq!(etag(&db), before, "the published content is untouched");

    std::fs::write(&file, "{\"school\": {\"id\": \"oosterhout\",").unwrap();
    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("Geen geldige JSON (regel 1"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(&file, "{\"school\": {\"id\": \"oosterhout\"}}").unwrap();
    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "oosterhout",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("school.name: Dit veld ontbreekt."),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(etag(&db), before);
}

#[test]
fn import_and_export_say_so_when_the_school_or_database_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inhoud.json");
    std::fs::write(&file, serde_json::to_string(&demo("nergens")).unwrap()).unwrap();
    let missing_db = dir.path().join("geen.sqlite3");
    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "nergens",
        "--db",
        missing_db.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("bestaat niet"),
        "{}",
        text(&out.stderr)
    );
    assert!(!missing_db.exists(), "no empty database is left behind");

    let db = school(dir.path());
    let out = server(&[
        "content",
        "import",
        file.to_str().unwrap(),
        "--school",
        "nergens",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("school create"),
        "{}",
        text(&out.stderr)
    );

    let out = server(&["content", "export", "--school", "oosterhout", "--db", &db]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("nog niets gepubliceerd"),
        "{}",
        text(&out.stderr)
    );

    // The hashes of a school made by `school create` are those of the codes it printed.
    let out = server(&["school", "create", "tweede", "Tweede", "--db", &db]);
    let printed = text(&out.stdout);
    let code = printed
        .lines()
        .find_map(|l| l.strip_prefix("toegangscode (ouders): "))
        .unwrap();
    let meta = SqliteStore::open(Path::new(&db))
        .unwrap()
        .school_meta("tweede")
        .unwrap()
        .unwrap();
    assert_eq!(meta.access_hash, hash(code.trim()).to_vec());
}

/// `serve` on `db`; the server, its address and the lines it printed after the address.
fn serve(dir: &Path, db: &str, demo: bool) -> (std::process::Child, String, Vec<String>) {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_driehoek-server"));
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--db", db, "--dist"])
        .arg(&dist)
        .stderr(std::process::Stdio::null());
    if demo {
        command.arg("--demo");
    }
    let (child, addr, mut lines) = common::spawn_server(command);
    let more = if demo {
        vec![
            lines.next().unwrap().unwrap(),
            lines.next().unwrap().unwrap(),
        ]
    } else {
        Vec::new()
    };
    (child, addr, more)
}

/// The status of a GET with a bearer token.
fn status(addr: &str, path: &str, token: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer[9..12].parse().unwrap()
}

fn printed(out: &Output, label: &str) -> String {
    text(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} in {}", text(&out.stdout)))
        .trim()
        .to_owned()
}

/// Runs `school <command> oosterhout` (`new-code` or `new-admin-token`) beside the server at
/// `addr`, and checks that at once the new code opens `path` and the `old` one no longer does;
/// returns the new code.
fn replace_code(db: &str, addr: &str, command: &str, path: &str, old: &str) -> String {
    let out = server(&["school", command, "oosterhout", "--db", db]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let label = if command == "new-code" {
        "toegangscode (ouders):"
    } else {
        "beheercode (school):"
    };
    let new = printed(&out, label);
    assert_ne!(new, old);
    assert_eq!(
        status(addr, path, old),
        401,
        "{command}: the old code stops working at once"
    );
    assert_eq!(status(addr, path, &new), 200, "{command}");
    new
}

#[test]
fn a_new_access_code_and_new_content_take_effect_at_once_on_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite3");
    let db = db.to_str().unwrap();
    let out = server(&[
        "school",
        "create",
        "oosterhout",
        "De Oosterhout",
        "--db",
        db,
    ]);
    let old = printed(&out, "toegangscode (ouders):");
    let file = dir.path().join("inhoud.json");
    std::fs::write(&file, serde_json::to_string(&demo("oosterhout")).unwrap()).unwrap();
    let import = |file: &Path| {
        server(&[
            "content",
            "import",
            file.to_str().unwrap(),
            "--school",
            "oosterhout",
            "--db",
            db,
        ])
    };
    assert!(import(&file).status.success());
    let (mut child, addr, _) = serve(dir.path(), db, false);
    let content = "/api/v1/schools/oosterhout/content";
    assert_eq!(status(&addr, content, &old), 200);

    let new = replace_code(db, &addr, "new-code", content, &old);

    let mut changed = demo("oosterhout");
    changed.school.phone = "0162 999 999".into();
    std::fs::write(&file, serde_json::to_string(&changed).unwrap()).unwrap();
    assert!(import(&file).status.success());
    let fetched = {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        write!(stream, "GET {content} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {new}\r\nConnection: close\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    assert!(
        fetched.contains("0162 999 999"),
        "the imported content is served at once"
    );

    let out = server(&["school", "new-code", "bestaat-niet", "--db", db]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("bestaat niet"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_demo_school_keeps_its_link_and_admin_token_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let db = db.to_str().unwrap();
    let (mut child, addr, lines) = serve(dir.path(), db, true);
    let link = lines[0].strip_prefix("Demoschool: ").unwrap().to_owned();
    let admin = lines[1]
        .strip_prefix("Demoschool beheercode (school): ")
        .unwrap()
        .to_owned();
    let code = link.rsplit("code=").next().unwrap().to_owned();
    assert_eq!(
        status(&addr, "/api/v1/schools/wilgenhoek/rsvps", &admin),
        200
    );
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, addr, lines) = serve(dir.path(), db, true);
    assert!(
        lines[0].ends_with(&format!("code={code}")),
        "the same link: {}",
        lines[0]
    );
    assert!(lines[1].ends_with(&admin), "the same admin token");
    assert_eq!(
        status(&addr, "/api/v1/schools/wilgenhoek/content", &code),
        200
    );
    child.kill().unwrap();
    child.wait().unwrap();

    // After `school new-code` the kept code is useless: the next start makes and prints a new one.
    assert!(server(&["school", "new-code", "wilgenhoek", "--db", db])
        .status
        .success());
    let (mut child, addr, lines) = serve(dir.path(), db, true);
    let fresh = lines[0].rsplit("code=").next().unwrap().to_owned();
    assert_ne!(fresh, code);
    assert_eq!(
        status(&addr, "/api/v1/schools/wilgenhoek/content", &fresh),
        200
    );
    assert!(lines[1].ends_with(&admin), "the admin token did not change");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn the_server_keeps_serving_when_its_output_is_closed() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html></html>").unwrap();
    // A pipe whose reader is gone, as when a launcher read the address and went away: every
    // line the server prints meets a broken pipe.
    let mut gone = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let pipe = gone.stdin.take().unwrap();
    gone.wait().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_driehoek-server"))
        .args(["serve", "--addr", &addr, "--demo", "--dist"])
        .arg(&dist)
        .arg("--db")
        .arg(dir.path().join("demo.sqlite3"))
        .stdout(Stdio::from(pipe))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let up = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::net::TcpStream::connect(&addr).is_ok()
    });
    assert!(up, "the server never listened");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(status(&addr, "/healthz", "-"), 200);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the server is still running"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_new_admin_token_replaces_the_old_one_at_once_on_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite3");
    let db = db.to_str().unwrap();
    let out = server(&[
        "school",
        "create",
        "oosterhout",
        "De Oosterhout",
        "--db",
        db,
    ]);
    let old = printed(&out, "beheercode (school):");
    let code = printed(&out, "toegangscode (ouders):");
    let (mut child, addr, _) = serve(dir.path(), db, false);
    let report = "/api/v1/schools/oosterhout/acknowledgements";
    assert_eq!(status(&addr, report, &old), 200);

    replace_code(db, &addr, "new-admin-token", report, &old);
    assert_eq!(
        status(&addr, report, &code),
        401,
        "the parents' code is not an admin token"
    );
    let out = server(&["school", "new-admin-token", "bestaat-niet", "--db", db]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("bestaat niet"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn creating_a_school_that_exists_says_so_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path());
    let out = server(&["school", "create", "oosterhout", "Nog een", "--db", &db]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("bestaat al"), "{err}");
    assert!(!err.contains("UNIQUE"), "no database words: {err}");
}

#[test]
fn import_refuses_other_words_under_a_published_agreement_version() {
    // Bug: `content import` replaced a published agreement version's text (INSERT OR REPLACE).
    let dir = tempfile::tempdir().unwrap();
    let db = school(dir.path());
    let file = dir.path().join("inhoud.json");
    let import = || {
        server(&[
            "content",
            "import",
            file.to_str().unwrap(),
            "--school",
            "oosterhout",
            "--db",
            &db,
        ])
    };
    let content = demo("oosterhout");
    std::fs::write(&file, serde_json::to_string(&content).unwrap()).unwrap();
    assert!(import().status.success());
    let mut reworded = content.clone();
    reworded.agreement.vision = driehoek_core::Text::nl("Iets heel anders.");
    std::fs::write(&file, serde_json::to_string(&reworded).unwrap()).unwrap();
    let out = import();
    assert!(!out.status.success(), "refused");
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("versie {}", content.agreement.version + 1)),
        "says to publish a new version: {err}"
    );
    reworded.agreement.version += 1;
    std::fs::write(&file, serde_json::to_string(&reworded).unwrap()).unwrap();
    assert!(import().status.success(), "as the next version it goes in");
}
