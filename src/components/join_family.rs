//! The question on a phone opened with the link of another phone of the family: "Deze telefoon
//! koppelen aan het gezin van …?". Only on "Ja" does the phone join the family.

use leptos::prelude::*;

use crate::sync::{join_family, sync_context};
use driehoek_web::i18n::use_locale;
use driehoek_web::link::FamilyLink;

/// Asks to confirm `link` while it is `Some`; a "Ja" joins the family and syncs at once.
#[component]
pub fn JoinFamily(
    /// The link the app was opened with, until the parent answered.
    link: RwSignal<Option<FamilyLink>>,
) -> impl IntoView {
    let locale = use_locale();
    let sync = sync_context();
    let (said, set_said) = signal(String::new());
    let question = move || {
        let t = locale.t();
        link.with(|l| match l {
            Some(l) if !l.parents.is_empty() => t.join_question.replace("{names}", &l.parents),
            _ => t.join_question_unnamed.to_owned(),
        })
    };
    let school = move || {
        link.with(|l| {
            l.as_ref().map(|l| {
                let name = if l.school_name.is_empty() {
                    l.school.base.clone()
                } else {
                    l.school_name.clone()
                };
                locale.t().join_school.replace("{school}", &name)
            })
        })
    };
    let yes = move |_| {
        let Some(chosen) = link.get_untracked() else {
            return;
        };
        // A failed save is told by the storage banner; the question then stays.
        if join_family(&chosen) {
            link.set(None);
            set_said.set(locale.t().join_done.to_owned());
            sync.sync_now.run(());
        }
    };
    let no = move |_| {
        link.set(None);
        set_said.set(locale.t().join_cancelled.to_owned());
    };
    view! {
        <p class="join-family__said" role="status" aria-live="polite">{said}</p>
        <Show when=move || link.with(Option::is_some)>
            <section class="card join-family" role="alertdialog" aria-labelledby="join-question"
                aria-describedby="join-text">
                <h2 id="join-question">{question}</h2>
                <p>{school}</p>
                <div id="join-text">
                    <p>{locale.text(|t| t.join_text)}</p>
                    <p>{locale.text(|t| t.join_warning)}</p>
                </div>
                <div class="actions">
                    <button type="button" class="button button--primary" on:click=yes>
                        {locale.text(|t| t.join_yes)}
                    </button>
                    <button type="button" class="button" on:click=no>
                        {locale.text(|t| t.join_no)}
                    </button>
                </div>
            </section>
        </Show>
    }
}
