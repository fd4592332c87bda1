//! What goes to the school, said plainly: the list in Instellingen and the confirmation before the
//! first send. Both come from [`driehoek_core::disclosure`], the list that a core test holds to the
//! bodies the outbox sends.

use driehoek_core::disclosure::{sent, NEVER_SENT};
use driehoek_web::i18n::{use_locale, Strings};
use leptos::prelude::*;

/// The text of one of core's disclosure keys; `None` for a key without a text (a test fails).
pub fn disclosure_text(t: &Strings, key: &str) -> Option<&'static str> {
    Some(match key {
        "disclosure_sent_names" => t.disclosure_sent_names,
        "disclosure_sent_children" => t.disclosure_sent_children,
        "disclosure_sent_answer" => t.disclosure_sent_answer,
        "disclosure_sent_note" => t.disclosure_sent_note,
        "disclosure_sent_agreement" => t.disclosure_sent_agreement,
        "disclosure_sent_codes" => t.disclosure_sent_codes,
        "disclosure_sent_absence" => t.disclosure_sent_absence,
        "disclosure_sent_profile" => t.disclosure_sent_profile,
        "disclosure_sent_booking" => t.disclosure_sent_booking,
        "disclosure_kept_discussed" => t.disclosure_kept_discussed,
        "disclosure_kept_read" => t.disclosure_kept_read,
        "disclosure_kept_other_children" => t.disclosure_kept_other_children,
        "disclosure_kept_settings" => t.disclosure_kept_settings,
        _ => return None,
    })
}

/// The two lists: what the school receives, what never leaves the phone.
#[component]
pub fn WhatGoesToSchool() -> impl IntoView {
    let locale = use_locale();
    let list = move |keys: Vec<&'static str>| {
        view! {
            <ul class="disclosure__list">
                {move || {
                    let t = locale.t();
                    keys.iter()
                        .filter_map(|k| disclosure_text(t, k))
                        .map(|text| view! { <li>{text}</li> })
                        .collect_view()
                }}
            </ul>
        }
    };
    view! {
        <p>{locale.text(|t| t.disclosure_intro)}</p>
        {list(sent())}
        <p>{locale.text(|t| t.disclosure_kept_title)}</p>
        {list(NEVER_SENT.to_vec())}
    }
}

/// Before the first send to a school: the lists, "Goed, versturen" and "Nog niet". What the parent
/// entered stays in the form either way.
#[component]
pub fn FirstSendPanel(
    /// Whether the panel shows.
    open: RwSignal<bool>,
    /// The parent agreed: send.
    on_yes: Callback<()>,
    /// Prefix of the ids, unique on the screen.
    id: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    let title_id = format!("{id}-first-send");
    view! {
        <Show when=move || open.get()>
            <section class="first-send notice" role="region" aria-labelledby=title_id.clone()>
                <h3 id=title_id.clone()>{locale.text(|t| t.disclosure_first_title)}</h3>
                <p>{locale.text(|t| t.disclosure_first_intro)}</p>
                <WhatGoesToSchool/>
                <div class="first-send__actions">
                    <button type="button" class="button button--primary"
                        on:click=move |_| {
                            open.set(false);
                            on_yes.run(());
                        }>
                        {locale.text(|t| t.disclosure_first_yes)}
                    </button>
                    <button type="button" class="button" on:click=move |_| open.set(false)>
                        {locale.text(|t| t.disclosure_first_no)}
                    </button>
                </div>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driehoek_core::disclosure::SENT;
    use driehoek_web::i18n::Lang;

    #[test]
    fn every_field_that_goes_to_school_has_a_text_in_every_language() {
        for lang in Lang::ALL {
            let t = lang.strings();
            for key in SENT
                .iter()
                .map(|s| s.says)
                .chain(NEVER_SENT.iter().copied())
            {
                let text = disclosure_text(t, key);
                assert!(
                    text.is_some_and(|text| !text.is_empty()),
                    "{key} has no text in {lang:?}"
                );
            }
        }
    }
}
