//! The notice that a new version of the agreement asks to be read, on Vandaag and Afspraken.

use driehoek_core::{diff, Agreement, AgreementList, Change, ChangeKind};
use driehoek_web::i18n::{use_locale, Strings};
use driehoek_web::state::use_record;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::content::use_content;
use crate::records::{Acknowledgement, Acknowledgements};

/// The family's acknowledgement of exactly this version, if any.
pub fn acknowledged(acks: &Acknowledgements, version: u32) -> Option<&Acknowledgement> {
    acks.0.iter().rev().find(|a| a.version == version)
}

/// When the family acknowledged an older version but not the current one: what changed since.
pub fn changes_since_last(
    acks: &Acknowledgements,
    current: &Agreement,
    lang: &str,
) -> Option<Vec<Change>> {
    if acknowledged(acks, current.version).is_some() {
        return None;
    }
    let last = acks
        .0
        .iter()
        .filter(|a| a.version < current.version)
        .max_by_key(|a| a.version)?;
    Some(match &last.agreement {
        Some(old) => diff(old, current, lang),
        // An acknowledgement without the text read: the changes are unknown, but it is new.
        None => Vec::new(),
    })
}

/// The banner on Vandaag and Afspraken when a new version asks to be read again.
#[component]
pub fn NewAgreementBanner(
    /// Whether to link to Afspraken (on Vandaag) rather than show the changes (on Afspraken).
    #[prop(optional)]
    link: bool,
) -> impl IntoView {
    let locale = use_locale();
    let acks = use_record::<Acknowledgements>();
    let content = use_content();
    let changes = Memo::new(move |_| {
        let lang = locale.0.get().code();
        acks.with(|acks| content.with(|c| changes_since_last(acks, &c.agreement, lang)))
    });
    view! {
        <Show when=move || changes.with(Option::is_some)>
            <div class="notice" role="status">
                <p><strong>{locale.text(|t| t.ack_new_version)}</strong></p>
                <Show when=move || link>
                    <A href="/afspraken">{locale.text(|t| t.ack_read_again)}</A>
                </Show>
                <Show when=move || !link && changes.with(|c| c.as_ref().is_some_and(|c| !c.is_empty()))>
                    <h2 class="notice__title">{locale.text(|t| t.ack_changes)}</h2>
                    <ul class="changes">
                        {move || {
                            changes
                                .get()
                                .unwrap_or_default()
                                .into_iter()
                                .map(|change| view! { <li>{describe(locale.t(), &change)}</li> })
                                .collect_view()
                        }}
                    </ul>
                </Show>
            </div>
        </Show>
    }
}

/// One change in words: its kind first (not colour alone), then the text.
fn describe(t: &Strings, change: &Change) -> String {
    if change.list == AgreementList::Vision {
        return t.change_vision.to_owned();
    }
    let kind = match change.kind {
        ChangeKind::Added => t.change_added,
        ChangeKind::Removed => t.change_removed,
        ChangeKind::Reworded => t.change_reworded,
    };
    let text = change
        .new_text
        .as_deref()
        .or(change.old_text.as_deref())
        .unwrap_or_default();
    format!("{kind}: {text}")
}
