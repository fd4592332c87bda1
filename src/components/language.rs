//! The language choice, on the welcome's first screen and in Instellingen: every language named in
//! itself, the ones no person checked yet marked so in their own words, and a way to tell the
//! school about a wrong sentence. Also the small "(Nederlands)" label on school texts that the
//! school wrote only in Dutch.

use leptos::prelude::*;

use crate::content::use_content;
use crate::records::Settings;
use driehoek_web::i18n::{use_locale, Lang};
use driehoek_web::state::use_record;

/// The languages as a group of choices; choosing one changes the app at once and keeps the
/// choice in the settings.
#[component]
pub fn LanguageChoice() -> impl IntoView {
    let locale = use_locale();
    let settings = use_record::<Settings>();
    let content = use_content();
    // A language whose texts are still being loaded (only Dutch is in the app itself): its
    // choice shows as made meanwhile; if the texts cannot be had, the choice goes back.
    let pending = RwSignal::new(None::<Lang>);
    let failed = RwSignal::new(false);
    let choose = move |lang: Lang| {
        failed.set(false);
        pending.set(Some(lang));
        leptos::task::spawn_local(async move {
            let loaded = driehoek_web::i18n::load(lang).await;
            // A later choice, made while this one loaded, wins; so does leaving the screen
            // (its signals are gone then: the choice is dropped, as if never made).
            if pending.try_get_untracked() != Some(Some(lang)) {
                return;
            }
            pending.try_set(None);
            if loaded {
                locale.0.set(lang);
                // A failed save is told by the storage banner.
                let _ = settings.update(|s| s.lang = lang.code().to_owned());
            } else {
                failed.try_set(true);
            }
        });
    };
    // Under an unchecked translation: where to report a bad sentence, in that language.
    let report = move || {
        let lang = locale.0.get();
        if lang.checked() {
            return None;
        }
        let t = lang.strings();
        let email = content.with(|c| c.school.email.trim().to_owned());
        Some(if email.is_empty() {
            view! { <p class="language__report">{t.language_report_hint}</p> }.into_any()
        } else {
            let subject = format!("Driehoek: {} ({})", t.language_report_subject, lang.name());
            let href = format!(
                "mailto:{email}?subject={}",
                String::from(js_sys::encode_uri_component(&subject))
            );
            view! {
                <p class="language__report"><a href=href>{t.language_report}</a></p>
            }
            .into_any()
        })
    };

    view! {
        <fieldset class="choice language">
            <legend>{locale.text(|t| t.settings_language_label)}</legend>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    let note = (!lang.checked()).then(|| {
                        view! {
                            <span class="language__note">{lang.unchecked_note()}</span>
                        }
                    });
                    view! {
                        <label class="choice__option language__option">
                            <input type="radio" name="language" value=lang.code()
                                prop:checked=move || pending.get().unwrap_or(locale.0.get()) == lang
                                on:change=move |_| choose(lang)/>
                            <span class="language__text" lang=lang.code()>
                                <span class="language__name">{lang.name()}</span>
                                {note}
                            </span>
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
        <p class="language__failed" role="status">
            {move || failed.get().then(|| locale.t().language_load_failed)}
        </p>
        {report}
    }
}

/// "(Nederlands)" after a school text shown in Dutch to a parent who chose another language;
/// nothing when the text is in the parent's language.
pub fn dutch_label(shown: Lang, parent: Lang) -> Option<impl IntoView> {
    (shown != parent).then(|| {
        view! { <span class="dutch-label" lang="nl">"(" {Lang::Nl.name()} ")"</span> }
    })
}
