//! Generates the app's text table from `locales/<lang>/*.json` (one file per screen, merged): one
//! `Strings` struct with a field per Dutch key, and one static per language. A key missing from,
//! or extra in, another language, or a key in two files, fails the build with the key's name, so
//! no screen ever shows a missing text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The languages, Dutch first: its keys define the table. A new language is a folder in locales/
/// with every Dutch key (`node scripts/missing-texts.mjs` lists what a language still lacks), a
/// line here, and a variant of `Lang` in src/i18n.rs.
const LANGS: [(&str, &str); 6] = [
    ("nl", "NL"),
    ("en", "EN"),
    ("ar", "AR"),
    ("tr", "TR"),
    ("pl", "PL"),
    ("uk", "UK"),
];

fn main() {
    let mut tables: Vec<(&str, BTreeMap<String, String>)> = Vec::new();
    for (code, name) in LANGS {
        let dir = Path::new("../locales").join(code);
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", dir.display()))
            .map(|entry| entry.expect("a readable folder entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        files.sort();
        let mut table = BTreeMap::new();
        for path in files {
            println!("cargo::rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
            let texts: BTreeMap<String, String> =
                serde_json::from_str(&text).unwrap_or_else(|err| {
                    panic!("{} is not a JSON object of texts: {err}", path.display())
                });
            for (key, value) in texts {
                let place = path.display();
                assert!(
                    !table.contains_key(&key),
                    "locales: `{key}` again in {place}"
                );
                table.insert(key, value);
            }
        }
        tables.push((name, table));
    }

    let keys: Vec<&String> = tables[0].1.keys().collect();
    for (name, table) in &tables[1..] {
        for key in &keys {
            assert!(
                table.contains_key(*key),
                "locales: {name} lacks the text `{key}`"
            );
        }
        for key in table.keys() {
            assert!(
                tables[0].1.contains_key(key),
                "locales: {name} has an unknown text `{key}`"
            );
        }
        // A placeholder the code fills in must be in every language, spelled as in Dutch.
        for (key, dutch) in &tables[0].1 {
            let (mut want, mut have) = (placeholders(dutch), placeholders(&table[key]));
            want.sort();
            have.sort();
            assert_eq!(
                want, have,
                "locales: {name} `{key}` must have the placeholders of the Dutch text"
            );
        }
    }

    let mut out = String::from("/// The texts of the app in one language (generated from locales/).\npub struct Strings {\n");
    for key in &keys {
        writeln!(out, "    pub {key}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    for (name, table) in &tables {
        writeln!(
            out,
            "/// Generated from locales/.\npub static {name}: Strings = Strings {{"
        )
        .unwrap();
        for (key, value) in table {
            writeln!(out, "    {key}: {value:?},").unwrap();
        }
        out.push_str("};\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("strings.rs");
    std::fs::write(dest, out).unwrap();
}

/// The `{name}` placeholders in a text.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        found.push(&rest[start..start + len + 1]);
        rest = &rest[start + len + 1..];
    }
    found
}
