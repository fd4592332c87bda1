//! Every text of the app, through one small typed table per language.
//!
//! The texts live in `locales/<lang>/*.json`; build.rs turns them into a struct of `&'static str`
//! fields, so a text missing in one language does not build, and the wasm carries only the texts
//! themselves, where a general i18n crate would add its machinery. The browser tests read the same
//! files for the texts they expect. Dutch is the first language; then English, Arabic (right to
//! left), Turkish, Polish and Ukrainian.
//!
//! Only the Dutch table is in the wasm (issue 18: the other five were 31 KB of its gzip, for
//! parents who each read one of them). The others are the precached assets `lang/<code>.json`,
//! loaded by [`load`] before the app shows anything in that language: at start, and when a parent
//! chooses it. Native builds (the tests) compile every table in.

use leptos::prelude::*;

/// A language the app speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Nl,
    En,
    Ar,
    Tr,
    Pl,
    Uk,
}

impl Lang {
    /// Every language, in the order offered to the parent.
    pub const ALL: [Lang; 6] = [Lang::Nl, Lang::En, Lang::Ar, Lang::Tr, Lang::Pl, Lang::Uk];

    /// The BCP 47 code, as used for `<html lang>` and in the school's content.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Tr => "tr",
            Lang::Pl => "pl",
            Lang::Uk => "uk",
        }
    }

    /// The language's name in itself, as the language choice shows it to every parent.
    pub fn name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Tr => "Türkçe",
            Lang::Pl => "Polski",
            Lang::Uk => "Українська",
        }
    }

    /// Whether a person checked the translation. The four newer languages were written by the
    /// app's makers and say so in the language choice, until a reader signs them off.
    pub fn checked(self) -> bool {
        matches!(self, Lang::Nl | Lang::En)
    }

    /// The language for a code; `None` for one the app does not speak.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// The first of the browser's languages (`navigator.languages`, most wanted first, such as
    /// `en-GB` or `ar-MA`) that the app speaks, by its main part; `None` when it speaks none.
    pub fn first_known<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        tags.into_iter().find_map(|tag| {
            let main = tag.split(['-', '_']).next().unwrap_or("");
            Lang::from_code(&main.trim().to_ascii_lowercase())
        })
    }

    /// Writing direction, for `<html dir>`: Arabic is written from right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// Where this language is among [`Lang::ALL`].
    fn index(self) -> usize {
        self as usize
    }

    /// This language's "the translation is not checked" note, in itself: the language choice
    /// shows it before the language's table is loaded.
    pub fn unchecked_note(self) -> &'static str {
        UNCHECKED[self.index()]
    }

    /// All texts in this language: Dutch until the language's table is loaded (see [`load`]).
    #[cfg(target_arch = "wasm32")]
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Nl => &NL,
            other => LOADED[other.index()].get().copied().unwrap_or(&NL),
        }
    }

    /// All texts in this language.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
            Lang::Ar => &AR,
            Lang::Tr => &TR,
            Lang::Pl => &PL,
            Lang::Uk => &UK,
        }
    }

    /// Whether this language's texts are at hand (Dutch always is).
    #[cfg(target_arch = "wasm32")]
    pub fn is_loaded(self) -> bool {
        self == Lang::Nl || LOADED[self.index()].get().is_some()
    }

    /// Whether this language's texts are at hand: always, in a native build.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn is_loaded(self) -> bool {
        true
    }
}

/// The tables loaded so far, by [`Lang::index`] (Dutch's place stays empty).
#[cfg(target_arch = "wasm32")]
static LOADED: [std::sync::OnceLock<&'static Strings>; 6] =
    [const { std::sync::OnceLock::new() }; 6];

/// A language's asset, as scripts/lang-assets.mjs writes it.
#[derive(serde::Deserialize)]
struct TableFile {
    /// The `TABLE_ID` of the keys it was written for.
    id: String,
    /// Its texts, in the order of the fields of [`Strings`].
    texts: Vec<String>,
}

/// A table from the text of a language's asset; `None` when it was written for other keys (a
/// build that mixed two versions), so that no text is ever shown in another text's place.
pub fn table_from_json(json: &str) -> Option<&'static Strings> {
    let file: TableFile = serde_json::from_str(json).ok()?;
    if file.id != TABLE_ID || file.texts.len() != TABLE_LEN {
        return None;
    }
    // Loaded once per language and kept for the page's life, like the compiled Dutch table.
    let texts: Vec<&'static str> = file
        .texts
        .into_iter()
        .map(|text| &*Box::leak(text.into_boxed_str()))
        .collect();
    const _: () = assert!(
        std::mem::size_of::<Strings>() == TABLE_LEN * std::mem::size_of::<&str>()
            && std::mem::align_of::<Strings>() == std::mem::align_of::<&str>()
    );
    // SAFETY: `Strings` is `repr(C)` with `TABLE_LEN` fields, all `&'static str` (build.rs), so
    // it has the layout of `[&'static str; TABLE_LEN]` (checked above); `texts` holds exactly
    // that many, each valid for 'static. `&str` is `Copy`: the read copies the references, and
    // the vector may then be dropped as usual (only its buffer is freed, not the texts).
    let table = unsafe { std::ptr::read(texts.as_ptr().cast::<Strings>()) };
    Some(Box::leak(Box::new(table)))
}

/// Makes `lang`'s texts available: at once for Dutch or a table loaded before, else from its
/// asset (precached by the service worker, so also offline). `false` when it could not be
/// loaded; the app then stays in the language it was in.
#[cfg(target_arch = "wasm32")]
pub async fn load(lang: Lang) -> bool {
    if lang.is_loaded() {
        return true;
    }
    let url = format!("/lang/{}.json", lang.code());
    let Ok(reply) = crate::http::http("GET", &url, &[], None).await else {
        return false;
    };
    if reply.status != 200 {
        return false;
    }
    match table_from_json(&reply.body) {
        Some(table) => {
            let _ = LOADED[lang.index()].set(table);
            true
        }
        None => false,
    }
}

/// Makes `lang`'s texts available: a native build has them all.
#[cfg(not(target_arch = "wasm32"))]
pub async fn load(_lang: Lang) -> bool {
    true
}

/// The language a school text is shown in: the parent's where the school wrote it, else Dutch
/// (core's `Text::get` falls back to Dutch). A Dutch text among another language's gets
/// `lang="nl"` and a "(Nederlands)" label, so a screen reader and the read-aloud use a Dutch voice.
pub fn shown_in(text: &driehoek_core::Text, lang: Lang) -> Lang {
    if text.0.contains_key(lang.code()) {
        lang
    } else {
        Lang::Nl
    }
}

// `Strings` and one static per language (`NL`, `EN`, ...), generated by build.rs from locales/<lang>/*.json.
include!(concat!(env!("OUT_DIR"), "/strings.rs"));

/// The parent's language, shared through context.
#[derive(Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

impl Locale {
    /// The texts in the current language (reactive).
    pub fn t(&self) -> &'static Strings {
        self.0.get().strings()
    }

    /// One text in the current language, reactive: `{locale.text(|t| t.talks_cancel)}` in a
    /// view. Every such text is of one type (this closure over a plain function), so the wasm
    /// has one renderer for all of them, where a `move || locale.t().talks_cancel` of its own
    /// each had a renderer of its own.
    pub fn text(
        self,
        pick: fn(&Strings) -> &'static str,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || pick(self.t())
    }
}

/// The locale from context; Dutch when none was provided (as in a component test).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale(RwSignal::new(Lang::Nl)))
}

// Native only: they compare the loaded tables with the ones a native build compiles in, and
// run the build's own script (node) to write the assets.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_language_round_trips_through_its_code() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang), "{lang:?}");
        }
        assert_eq!(Lang::from_code("xx"), None, "unknown codes are refused");
    }

    #[test]
    fn the_phones_first_language_the_app_speaks_is_taken() {
        assert_eq!(Lang::first_known(["en-GB", "nl"]), Some(Lang::En));
        assert_eq!(Lang::first_known(["pl"]), Some(Lang::Pl));
        assert_eq!(Lang::first_known(["ar-MA", "fr"]), Some(Lang::Ar));
        assert_eq!(Lang::first_known(["fr-FR", "UK_ua"]), Some(Lang::Uk));
        assert_eq!(
            Lang::first_known(["fr-FR", "de"]),
            None,
            "then Dutch, by the caller"
        );
        assert_eq!(Lang::first_known([]), None);
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        for lang in Lang::ALL {
            assert_eq!(lang.dir() == "rtl", lang == Lang::Ar, "{lang:?}");
        }
    }

    #[test]
    fn a_school_text_without_the_parents_language_is_shown_in_dutch() {
        let both = driehoek_core::Text::nl_en("Studiedag", "Study day");
        assert_eq!(shown_in(&both, Lang::En), Lang::En);
        assert_eq!(shown_in(&both, Lang::Pl), Lang::Nl);
        assert_eq!(shown_in(&both, Lang::Nl), Lang::Nl);
    }

    /// The language assets exactly as the build writes them (scripts/lang-assets.mjs, run by
    /// the build's precache hook), in a folder of their own.
    fn built_assets() -> std::path::PathBuf {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = std::env::temp_dir().join(format!("driehoek-lang-{}", std::process::id()));
        let status = std::process::Command::new("node")
            .arg(root.join("scripts/lang-assets.mjs"))
            .arg(&dir)
            .status()
            .expect("node runs scripts/lang-assets.mjs (scripts/setup.sh installs node)");
        assert!(status.success(), "scripts/lang-assets.mjs failed");
        dir
    }

    #[test]
    fn each_language_asset_loads_as_its_compiled_table() {
        let dir = built_assets();
        for lang in &Lang::ALL[1..] {
            let path = dir.join("lang").join(format!("{}.json", lang.code()));
            let json = std::fs::read_to_string(&path).expect("the asset was written");
            let table = table_from_json(&json).unwrap_or_else(|| panic!("{lang:?} refused"));
            // Every text in its own field: the asset's order is the struct's.
            assert_eq!(table, lang.strings(), "{lang:?}");
            assert_eq!(table.language_unchecked, lang.unchecked_note(), "{lang:?}");
        }
        assert!(
            !dir.join("lang").join("nl.json").exists(),
            "Dutch is in the wasm"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_table_for_other_keys_is_refused() {
        let texts = vec!["x"; TABLE_LEN];
        let json =
            |id: &str, texts: &[&str]| serde_json::json!({ "id": id, "texts": texts }).to_string();
        assert!(table_from_json(&json(TABLE_ID, &texts)).is_some());
        assert!(
            table_from_json(&json("0000000000000000", &texts)).is_none(),
            "another key list"
        );
        assert!(
            table_from_json(&json(TABLE_ID, &texts[1..])).is_none(),
            "one text short"
        );
        let mut more = texts.clone();
        more.push("y");
        assert!(
            table_from_json(&json(TABLE_ID, &more)).is_none(),
            "one text more"
        );
        assert!(table_from_json("{\"id\":").is_none(), "not JSON");
    }

    #[test]
    fn navigation_labels_differ_between_languages() {
        // A text left in Dutch in the English table is a translation that was forgotten.
        assert_ne!(NL.nav_today, EN.nav_today);
        assert_ne!(NL.nav_settings, EN.nav_settings);
        assert_ne!(NL.update_available, EN.update_available);
        for lang in &Lang::ALL[1..] {
            let t = lang.strings();
            assert_ne!(NL.nav_today, t.nav_today, "{lang:?}");
            assert_ne!(NL.welcome_text, t.welcome_text, "{lang:?}");
            assert_ne!(NL.settings_language, t.settings_language, "{lang:?}");
        }
    }
}
