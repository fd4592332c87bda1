//! The storage rules in a real browser: Debian's Chromium through chromedriver, on its real
//! `localStorage` (scripts/test.sh runs these with wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use driehoek::records::{check_import, Child, Children, ReadItems, Settings};
use driehoek_web::storage::{Backend, BrowserStorage, ImportError, Notice, StorageError, Store};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A store on the page's `localStorage`, emptied of everything the app and these tests wrote.
fn fresh() -> Store<BrowserStorage> {
    let store = Store::new(BrowserStorage::new());
    store.erase().expect("localStorage is there");
    for key in store.backend().keys().unwrap() {
        if key.starts_with("fill.") {
            store.backend().remove(&key).unwrap();
        }
    }
    store
}

fn anna() -> Children {
    Children(vec![Child {
        id: "kind-a".into(),
        name: "Anna".into(),
        groep: 2,
    }])
}

#[wasm_bindgen_test]
fn missing_gives_the_default() {
    let store = fresh();
    let loaded = store.load::<Children>();
    assert_eq!(loaded.value, Children::default());
    assert_eq!(loaded.notice, None);
}

#[wasm_bindgen_test]
fn corrupt_json_is_quarantined_not_lost() {
    let store = fresh();
    store
        .backend()
        .set("driehoek.v1.children", "[{oops")
        .unwrap();
    let loaded = store.load::<Children>();
    assert_eq!(loaded.value, Children::default());
    let Some(Notice::Quarantined { key, .. }) = loaded.notice else {
        panic!("the parent is told: {:?}", loaded.notice);
    };
    assert_eq!(
        store.backend().get(&key).unwrap().as_deref(),
        Some("[{oops")
    );
}

#[wasm_bindgen_test]
fn a_value_of_the_wrong_type_is_quarantined() {
    let store = fresh();
    let wrong = r#"{"schema":1,"data":{"lang":42}}"#;
    store.backend().set("driehoek.v1.settings", wrong).unwrap();
    let loaded = store.load::<Settings>();
    assert_eq!(loaded.value, Settings::default());
    assert!(matches!(loaded.notice, Some(Notice::Quarantined { .. })));
    assert_eq!(
        store
            .backend()
            .get("driehoek.quarantine.settings.1")
            .unwrap()
            .as_deref(),
        Some(wrong)
    );
}

#[wasm_bindgen_test]
fn an_older_schema_is_migrated_and_written_back() {
    let store = fresh();
    store
        .backend()
        .set(
            "driehoek.v1.children",
            r#"{"schema":1,"data":[{"name":"Bram","groep":7}]}"#,
        )
        .unwrap();
    let loaded = store.load::<Children>();
    assert_eq!(loaded.value.0[0].id, "kind-1");
    assert_eq!(loaded.value.0[0].groep, 7);
    let stored = store
        .backend()
        .get("driehoek.v1.children")
        .unwrap()
        .unwrap();
    assert!(stored.contains(r#""schema":2"#), "{stored}");
}

#[wasm_bindgen_test]
fn a_newer_schema_is_left_untouched() {
    let store = fresh();
    let newer = r#"{"schema":7,"data":"from the future"}"#;
    store.backend().set("driehoek.v1.children", newer).unwrap();
    let loaded = store.load::<Children>();
    assert!(matches!(
        loaded.notice,
        Some(Notice::Newer { schema: 7, .. })
    ));
    assert_eq!(
        store.save(&anna()),
        Err(StorageError::NewerVersion { kind: "children" })
    );
    assert_eq!(
        store
            .backend()
            .get("driehoek.v1.children")
            .unwrap()
            .as_deref(),
        Some(newer)
    );
}

#[wasm_bindgen_test]
fn a_full_storage_is_reported_as_quota_exceeded_and_keeps_the_old_value() {
    let store = fresh();
    store.save(&anna()).unwrap();
    // Fill the real storage until Chromium refuses (about 5 MiB per site): big blocks first, then
    // smaller ones, until not even a kilobyte fits.
    let mut refused = None;
    let mut n = 0;
    for size in [512 * 1024, 64 * 1024, 8 * 1024, 1024] {
        let block = "x".repeat(size);
        loop {
            n += 1;
            match store.backend().set(&format!("fill.{n}"), &block) {
                Ok(()) if n < 10_000 => {}
                Ok(()) => panic!("the storage never filled up"),
                Err(err) => {
                    refused = Some(err);
                    break;
                }
            }
        }
    }
    assert_eq!(
        refused,
        Some(StorageError::QuotaExceeded),
        "Chromium's refusal is recognised"
    );
    let many = Children(
        (0..100)
            .map(|i| Child {
                id: format!("kind-{i}"),
                name: "Nog een kind".into(),
                groep: 4,
            })
            .collect(),
    );
    assert_eq!(store.save(&many), Err(StorageError::QuotaExceeded));
    assert_eq!(store.load::<Children>().value, anna(), "nothing lost");
    fresh();
}

#[wasm_bindgen_test]
fn export_erase_import_gives_back_exactly_what_was_there() {
    let store = fresh();
    store.save(&anna()).unwrap();
    store
        .save(&ReadItems(["item-9".to_owned()].into_iter().collect()))
        .unwrap();
    store
        .backend()
        .set("driehoek.quarantine.rsvps.1", "{kapot")
        .unwrap();
    let snapshot = |store: &Store<BrowserStorage>| {
        let mut all: Vec<(String, String)> = store
            .backend()
            .keys()
            .unwrap()
            .into_iter()
            .filter(|k| k.starts_with("driehoek."))
            .map(|k| {
                let v = store.backend().get(&k).unwrap().unwrap();
                (k, v)
            })
            .collect();
        all.sort();
        all
    };
    let before = snapshot(&store);
    let file = store.export("2026-11-23T09:00:00Z").unwrap();
    store.erase().unwrap();
    assert!(snapshot(&store).is_empty());
    store.import(&file, check_import).unwrap();
    assert_eq!(snapshot(&store), before);

    // And a bad file changes nothing.
    let bad = file.replace(r#""groep":2"#, r#""groep":"twee""#);
    assert!(matches!(
        store.import(&bad, check_import),
        Err(ImportError::BadRecord { .. })
    ));
    assert_eq!(snapshot(&store), before);
}
