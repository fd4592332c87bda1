//! Small bridges to what the browser offers a parent: reading aloud, sharing, downloading a file,
//! and ids made on the phone. Each one degrades quietly where the browser lacks it.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, SpeechSynthesisUtterance, Url};

use crate::i18n::Lang;

/// A new id made on this phone (`<prefix>-<32 hex digits>`), from the browser's random source.
pub fn new_id(prefix: &str) -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto (very old browsers): ids only need to be unique on this phone.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}-{hex}")
}

/// The browser's speech synthesis, where there is one with a voice for `lang`.
fn synthesis_voice(
    lang: Lang,
) -> Option<(web_sys::SpeechSynthesis, web_sys::SpeechSynthesisVoice)> {
    let window = web_sys::window()?;
    let has = js_sys::Reflect::has(&window, &"speechSynthesis".into()).unwrap_or(false);
    if !has {
        return None;
    }
    let synthesis = window.speech_synthesis().ok()?;
    let voice = synthesis
        .get_voices()
        .iter()
        .filter_map(|v| v.dyn_into::<web_sys::SpeechSynthesisVoice>().ok())
        .find(|v| v.lang().to_ascii_lowercase().starts_with(lang.code()))?;
    Some((synthesis, voice))
}

thread_local! {
    /// The last answer of [`can_speak`]: the language, the answer, and when (ms since the epoch).
    static CAN_SPEAK: std::cell::Cell<Option<(Lang, bool, f64)>> = const { std::cell::Cell::new(None) };
}

/// Whether the browser can read aloud in `lang` (a "Voorlezen" button is shown only then). A
/// list of a hundred cards asks a hundred times in one go: the browser's list of voices is read
/// at most once a second.
pub fn can_speak(lang: Lang) -> bool {
    let now = js_sys::Date::now();
    if let Some((kept, answer, at)) = CAN_SPEAK.get() {
        if kept == lang && now - at < 1000.0 {
            return answer;
        }
    }
    let answer = synthesis_voice(lang).is_some();
    CAN_SPEAK.set(Some((lang, answer, now)));
    answer
}

/// Reads `text` aloud in `lang`, stopping whatever was being read.
pub fn speak(text: &str, lang: Lang) {
    let Some((synthesis, voice)) = synthesis_voice(lang) else {
        return;
    };
    let Ok(utterance) = SpeechSynthesisUtterance::new_with_text(text) else {
        return;
    };
    utterance.set_voice(Some(&voice));
    utterance.set_lang(voice.lang().as_str());
    synthesis.cancel();
    synthesis.speak(&utterance);
}

/// Offers `contents` as a file download named `name` (an .ics for the calendar, an export).
/// Returns false where the browser refused.
pub fn download(name: &str, mime: &str, contents: &str) -> bool {
    let parts = js_sys::Array::of1(&contents.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let clicked = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
        .map(|a| {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        })
        .is_some();
    let _ = Url::revoke_object_url(&url);
    clicked
}

/// Shares a title, text and address through the phone's share sheet (Web Share API). Returns
/// false where the browser has none, so the screen can hide its "Delen" button.
pub fn can_share() -> bool {
    web_sys::window()
        .map(|w| js_sys::Reflect::has(&w.navigator(), &"share".into()).unwrap_or(false))
        .unwrap_or(false)
}

/// Opens the share sheet; a cancelled share is no error.
pub fn share(title: &str, text: &str, url: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let data = web_sys::ShareData::new();
    data.set_title(title);
    data.set_text(text);
    data.set_url(url);
    let promise = window.navigator().share_with_data(&data);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// Copies `text` to the clipboard (`navigator.clipboard.writeText`); `false` where the browser
/// refuses or has no clipboard, so that the screen can say to copy the text by hand.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let call = || -> Option<js_sys::Promise> {
        let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok()?;
        let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).ok()?;
        let write: js_sys::Function = wasm_bindgen::JsCast::dyn_into(write).ok()?;
        let promise = write.call1(&clipboard, &text.into()).ok()?;
        wasm_bindgen::JsCast::dyn_into(promise).ok()
    };
    match call() {
        Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        None => false,
    }
}

/// Forgets what this tab keeps for the session (the school's Beheer login, when it was not to be
/// remembered): every sessionStorage key of Driehoek. Part of "alles wissen".
pub fn forget_session() {
    let Some(session) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) else {
        return;
    };
    let keys: Vec<String> = (0..session.length().unwrap_or(0))
        .filter_map(|i| session.key(i).ok().flatten())
        .filter(|key| key.starts_with(crate::storage::PREFIX))
        .collect();
    for key in keys {
        let _ = session.remove_item(&key);
    }
}

/// The phone's languages, most wanted first (`navigator.languages`, else `navigator.language`).
pub fn preferred_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    if tags.is_empty() {
        tags.extend(navigator.language());
    }
    tags
}
