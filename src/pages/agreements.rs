//! Afspraken (`/afspraken`): the school's vision and the three lists, the family's
//! acknowledgement, and what changed when the school published a new version.

use driehoek_core::{diff, Agreement, AgreementItem, AgreementList, Change, ChangeKind, Text};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::content::{today, use_content};
use crate::dates;
use crate::i18n::{use_locale, Strings};
use crate::pages::settings::parse_names;
use crate::records::{Acknowledgement, Acknowledgements};
use crate::state::{use_storage, AppData};

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
    let data = expect_context::<AppData>();
    let content = use_content();
    let changes = Memo::new(move |_| {
        let lang = locale.0.get().code();
        data.acknowledgements
            .with(|acks| content.with(|c| changes_since_last(acks, &c.agreement, lang)))
    });
    view! {
        <Show when=move || changes.with(Option::is_some)>
            <div class="notice" role="status">
                <p><strong>{move || locale.t().ack_new_version}</strong></p>
                <Show when=move || link>
                    <A href="/afspraken">{move || locale.t().ack_read_again}</A>
                </Show>
                <Show when=move || !link && changes.with(|c| c.as_ref().is_some_and(|c| !c.is_empty()))>
                    <h2 class="notice__title">{move || locale.t().ack_changes}</h2>
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

/// Afspraken (`/afspraken`).
#[component]
pub fn Agreements() -> impl IntoView {
    let locale = use_locale();
    let content = use_content();
    let agreement = Memo::new(move |_| content.with(|c| c.agreement.clone()));
    let lang = move || locale.0.get().code();
    let list = move |title: fn(&Strings) -> &'static str,
                     items: fn(&Agreement) -> &Vec<AgreementItem>,
                     id: &'static str| {
        view! {
            <section aria-labelledby=id>
                <h2 id=id>{move || title(locale.t())}</h2>
                <ul class="agreement-list">
                    {move || {
                        agreement.with(|a| {
                            items(a)
                                .iter()
                                .map(|item| view! { <li>{item.text.get(lang()).to_owned()}</li> })
                                .collect_view()
                        })
                    }}
                </ul>
            </section>
        }
    };
    let paragraphs = move |text: &Text| {
        text.get(lang())
            .split("\n\n")
            .map(|p| view! { <p>{p.to_owned()}</p> })
            .collect_view()
    };

    view! {
        <h1>{move || locale.t().agreements_title}</h1>
        <p class="muted">
            {move || {
                agreement.with(|a| {
                    locale
                        .t()
                        .agreement_version
                        .replace("{version}", &a.version.to_string())
                        .replace("{date}", &dates::long_date(locale.0.get(), a.published))
                })
            }}
        </p>
        <NewAgreementBanner/>
        <section aria-labelledby="vision">
            <h2 id="vision">{move || locale.t().agreement_vision}</h2>
            {move || agreement.with(|a| paragraphs(&a.vision))}
        </section>
        {list(|t| t.agreement_school, |a| &a.school_promises, "school-promises")}
        {list(|t| t.agreement_parents, |a| &a.parent_expectations, "parent-expectations")}
        {list(|t| t.agreement_children, |a| &a.child_agreements, "child-agreements")}
        <AcknowledgeForm agreement=agreement/>
    }
}

/// "Gelezen?": the parents' names and a tick, stored with the date and the version; afterwards
/// "Gelezen door … op …".
#[component]
fn AcknowledgeForm(
    /// The agreement being read.
    agreement: Memo<Agreement>,
) -> impl IntoView {
    let locale = use_locale();
    let data = expect_context::<AppData>();
    let storage = use_storage();
    let (names, set_names) = signal(data.settings.with_untracked(|s| s.parents.join(", ")));
    let (checked, set_checked) = signal(false);
    let (error, set_error) = signal(None::<fn(&Strings) -> &'static str>);
    let (said, set_said) = signal(String::new());

    let done = Memo::new(move |_| {
        let version = agreement.with(|a| a.version);
        data.acknowledgements
            .with(|acks| acknowledged(acks, version).cloned())
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parents = parse_names(&names.get_untracked());
        if parents.is_empty() {
            set_error.set(Some(|t| t.ack_need_names));
            return;
        }
        if !checked.get_untracked() {
            set_error.set(Some(|t| t.ack_need_check));
            return;
        }
        set_error.set(None);
        let current = agreement.get_untracked();
        // Into the outbox first (with a connected school): "gelezen" only once it is kept.
        if !crate::sync::queue_ack(data, storage, parents.join(", "), current.version) {
            return;
        }
        let mut acks = data.acknowledgements.get_untracked();
        acks.0.push(Acknowledgement {
            version: current.version,
            names: parents.clone(),
            date: today(),
            agreement: Some(current),
        });
        if storage.save(&acks) {
            data.acknowledgements.set(acks);
            set_said.set(locale.t().ack_saved.to_owned());
            crate::sync::sync_context().nudge.run(());
            // The names are the parents' names elsewhere too (RSVPs), unless already set.
            let mut settings = data.settings.get_untracked();
            if settings.parents.is_empty() {
                settings.parents = parents;
                if storage.save(&settings) {
                    data.settings.set(settings);
                }
            }
        }
    };

    view! {
        <section class="card ack" aria-labelledby="ack-title">
            <h2 id="ack-title">{move || locale.t().ack_title}</h2>
            <p role="status" aria-live="polite">{said}</p>
            <Show when=move || done.with(Option::is_some)
                fallback=move || view! {
                    <form on:submit=submit novalidate>
                        <div class="field">
                            <label for="ack-names">{move || locale.t().ack_names}</label>
                            <input id="ack-names" type="text" autocomplete="name"
                                aria-describedby="ack-names-hint ack-error"
                                prop:value=names on:input=move |ev| set_names.set(event_target_value(&ev))/>
                            <p id="ack-names-hint" class="muted">{move || locale.t().ack_names_hint}</p>
                        </div>
                        <label class="check">
                            <input type="checkbox" prop:checked=checked
                                on:change=move |ev| set_checked.set(event_target_checked(&ev))/>
                            {move || locale.t().ack_check}
                        </label>
                        <p id="ack-error" class="field__error">{move || error.get().map(|e| e(locale.t()))}</p>
                        <button type="submit" class="button button--primary">
                            {move || locale.t().ack_submit}
                        </button>
                    </form>
                }>
                <p class="ack__done">
                    {move || {
                        done.get().map(|ack| {
                            locale
                                .t()
                                .ack_done
                                .replace("{names}", &ack.names.join(", "))
                                .replace("{date}", &dates::long_date(locale.0.get(), ack.date))
                        })
                    }}
                </p>
            </Show>
        </section>
    }
}
