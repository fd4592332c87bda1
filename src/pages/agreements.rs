//! Afspraken (`/afspraken`): the school's vision and the three lists, the family's
//! acknowledgement, and what changed when the school published a new version.

use driehoek_core::{Agreement, AgreementItem, Text};
use leptos::prelude::*;

use crate::components::agreement_banner::NewAgreementBanner;
use crate::components::disclosure::FirstSendPanel;
use crate::components::language::dutch_label;
use crate::components::text::parse_names;
use crate::content::use_content;
use crate::records::{Acknowledgement, Acknowledgements};
use crate::records::{Children, Settings};
use driehoek_web::clock::today;
use driehoek_web::dates;
use driehoek_web::i18n::{shown_in, use_locale, Strings};
use driehoek_web::state::use_record;

/// Afspraken (`/afspraken`).
#[component]
pub fn Agreements() -> impl IntoView {
    // What is on this screen is seen: its count on the navigation goes.
    crate::components::nav::see_news(driehoek_core::overview::Seen::see_agreement);
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
                                .map(|item| {
                                    let shown = shown_in(&item.text, locale.0.get()).code();
                                    view! { <li lang=shown>{item.text.get(lang()).to_owned()}</li> }
                                })
                                .collect_view()
                        })
                    }}
                </ul>
            </section>
        }
    };
    // Where the school wrote no translation, the Dutch is shown, marked once, with `lang="nl"`.
    let paragraphs = move |text: &Text| {
        let shown = shown_in(text, locale.0.get());
        let label = dutch_label(shown, locale.0.get());
        let paragraphs = text
            .get(lang())
            .split("\n\n")
            .map(|p| view! { <p lang=shown.code()>{p.to_owned()}</p> })
            .collect_view();
        (label, paragraphs)
    };

    view! {
        <h1>{locale.text(|t| t.agreements_title)}</h1>
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
            <h2 id="vision">{locale.text(|t| t.agreement_vision)}</h2>
            {move || agreement.with(|a| paragraphs(&a.vision))}
        </section>
        {list(|t| t.agreement_school, |a| &a.school_promises, "school-promises")}
        {list(|t| t.agreement_parents, |a| &a.parent_expectations, "parent-expectations")}
        {list(|t| t.agreement_children, |a| &a.child_agreements, "child-agreements")}
        <AcknowledgeForm agreement=agreement/>
    }
}

/// "Gelezen?": the parents' names, and for each a tick under their own name ("Gelezen door …"),
/// stored with the date and the version, one acknowledgement per parent; afterwards "Gelezen door
/// … op …" for each. Both parents can read it on one phone, each ticking their own name.
#[component]
fn AcknowledgeForm(
    /// The agreement being read.
    agreement: Memo<Agreement>,
) -> impl IntoView {
    let locale = use_locale();
    let settings = use_record::<Settings>();
    let acks = use_record::<Acknowledgements>();
    let children = use_record::<Children>();
    let sync = crate::sync::sync_context();
    let (names, set_names) = signal(settings.with_untracked(|s| s.parents.join(", ")));
    let ticked = RwSignal::new(Vec::<String>::new());
    let (error, set_error) = signal(None::<fn(&Strings) -> &'static str>);
    let (said, set_said) = signal(String::new());
    let first_send = RwSignal::new(false);

    // Every acknowledgement of this version, and the names that read it.
    let done = Memo::new(move |_| {
        let version = agreement.with(|a| a.version);
        acks.with(|acks| {
            acks.0
                .iter()
                .filter(|a| a.version == version)
                .cloned()
                .collect::<Vec<Acknowledgement>>()
        })
    });
    let read_by = move || -> Vec<String> {
        done.with(|done| done.iter().flat_map(|a| a.names.clone()).collect())
    };
    // The names still to tick: the names entered, less those that read this version.
    let waiting = move || -> Vec<String> {
        let read = read_by();
        parse_names(&names.get())
            .into_iter()
            .filter(|n| !read.contains(n))
            .collect()
    };
    // The form stays while a parent has not read it yet (or nobody did).
    let open = move || done.with(Vec::is_empty) || !waiting().is_empty();

    let save_now = move || {
        let parents = parse_names(&names.get_untracked());
        let read = read_by();
        let chosen: Vec<String> = ticked
            .get_untracked()
            .into_iter()
            .filter(|n| parents.contains(n) && !read.contains(n))
            .collect();
        let current = agreement.get_untracked();
        let family = children.with_untracked(|c| c.all_for_school());
        // Into the outbox first (with a connected school), one per parent: "gelezen" only once
        // it is kept.
        for name in &chosen {
            if !sync
                .outbox
                .queue_ack(name.clone(), current.version, family.clone())
            {
                return;
            }
        }
        let ack = Acknowledgement {
            version: current.version,
            names: chosen,
            date: today(),
            agreement: Some(current),
        };
        if acks.update(|acks| acks.0.push(ack)).is_ok() {
            ticked.set(Vec::new());
            set_said.set(locale.t().ack_saved.to_owned());
            sync.nudge.run(());
            // The names are the parents' names elsewhere too (RSVPs), unless already set.
            if settings.with_untracked(|s| s.parents.is_empty()) {
                let _ = settings.update(|s| s.parents = parents);
            }
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parents = parse_names(&names.get_untracked());
        if parents.is_empty() {
            set_error.set(Some(|t| t.ack_need_names));
            return;
        }
        if !ticked.with_untracked(|t| t.iter().any(|n| parents.contains(n))) {
            set_error.set(Some(|t| t.ack_need_check));
            return;
        }
        set_error.set(None);
        if sync.outbox.first_send() {
            first_send.set(true);
            return;
        }
        save_now();
    };
    let agreed = Callback::new(move |()| {
        let _ = settings.update(|s| s.school_told = true);
        save_now();
    });

    view! {
        <section class="card ack" aria-labelledby="ack-title">
            <h2 id="ack-title">{locale.text(|t| t.ack_title)}</h2>
            <p role="status" aria-live="polite">{said}</p>
            {move || {
                done.get()
                    .into_iter()
                    .filter(|ack| !ack.names.is_empty())
                    .map(|ack| view! {
                        <p class="ack__done">
                            {locale
                                .t()
                                .ack_done
                                .replace("{names}", &ack.names.join(", "))
                                .replace("{date}", &dates::long_date(locale.0.get(), ack.date))}
                        </p>
                    })
                    .collect_view()
            }}
            <Show when=open>
                <form on:submit=submit novalidate>
                    <div class="field">
                        <label for="ack-names">{locale.text(|t| t.ack_names)}</label>
                        <input id="ack-names" type="text" autocomplete="name"
                            aria-describedby="ack-names-hint ack-error"
                            prop:value=names on:input=move |ev| set_names.set(event_target_value(&ev))/>
                        <p id="ack-names-hint" class="muted">{locale.text(|t| t.ack_names_hint)}</p>
                    </div>
                    {move || {
                        waiting()
                            .into_iter()
                            .map(|name| {
                                let (on, change) = (name.clone(), name.clone());
                                view! {
                                    <label class="check">
                                        <input type="checkbox"
                                            prop:checked=move || ticked.with(|t| t.contains(&on))
                                            on:change=move |ev| {
                                                let checked = event_target_checked(&ev);
                                                ticked.update(|t| {
                                                    t.retain(|n| n != &change);
                                                    if checked {
                                                        t.push(change.clone());
                                                    }
                                                });
                                            }/>
                                        {locale.t().ack_check_name.replace("{name}", &name)}
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                    <p id="ack-error" class="field__error">{move || error.get().map(|e| e(locale.t()))}</p>
                    <FirstSendPanel open=first_send on_yes=agreed id="ack"/>
                    <button type="submit" class="button button--primary">
                        {locale.text(|t| t.ack_submit)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
