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

    // The wasm carries the Dutch table only; the other languages are the assets
    // `lang/<code>.json` (written by scripts/lang-assets.mjs: the texts in the order of the
    // fields below, and the `TABLE_ID` of their keys), loaded when a parent chooses one. Native
    // builds (the tests) keep every table compiled in, to compare the assets with.
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    println!("cargo::rerun-if-env-changed=CARGO_CFG_TARGET_ARCH");
    let mut out = String::from(
        "/// The texts of the app in one language (generated from locales/). `repr(C)` with one \
         type of field: laid out as an array of its texts, which is how a loaded table is made.\n\
         #[repr(C)]\n#[cfg_attr(not(target_arch = \"wasm32\"), derive(Debug, PartialEq))]\n\
         pub struct Strings {\n",
    );
    for key in &keys {
        writeln!(out, "    pub {key}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    writeln!(
        out,
        "/// How many texts a table has.\npub const TABLE_LEN: usize = {};\n\
         /// Which keys, in which order, a loaded table must be made for (FNV-1a of the keys, \
         each followed by a newline).\npub const TABLE_ID: &str = \"{:016x}\";",
        keys.len(),
        table_id(&keys)
    )
    .unwrap();
    for (name, table) in &tables {
        if wasm && *name != "NL" {
            continue;
        }
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
    // The language choice names every language's "not checked" note in that language, before
    // any table but Dutch is loaded.
    out.push_str("/// `language_unchecked` of each language, in the order of `LANGS`.\npub static UNCHECKED: [&str; 6] = [\n");
    for (_, table) in &tables {
        writeln!(out, "    {:?},", table["language_unchecked"]).unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("strings.rs");
    std::fs::write(dest, out).unwrap();
}

/// FNV-1a (64 bits) of the keys, each followed by a newline: scripts/lang-assets.mjs computes the
/// same, so that a table built from other keys is refused rather than shown shifted.
fn table_id(keys: &[&String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for key in keys {
        for byte in key.bytes().chain(std::iter::once(b'\n')) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
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
