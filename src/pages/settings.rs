//! Instellingen (`/instellingen`): children, the parents' names, language, the school's address,
//! and the parent's data: what is kept where, export, import, erase.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::children::{AddChild, GroepSelect, SchoolAddress};
use crate::components::disclosure::WhatGoesToSchool;
use crate::components::language::LanguageChoice;
use crate::components::qr::QrImage;
use crate::components::text::parse_names;
use crate::records::{
    check_import, Acknowledgements, Child, Children, ContentCache, Rsvps, SyncRecord,
};
use crate::sync::{problem_text, sync_context};
use driehoek_web::browser::download;
use driehoek_web::clock::now_local;
use driehoek_web::i18n::{use_locale, Lang};
use driehoek_web::link::JoinLink;
use driehoek_web::state::{use_record, use_storage};
use driehoek_web::storage::{ExportFile, ImportError, StorageError};

/// Instellingen (`/instellingen`).
#[component]
pub fn Settings() -> impl IntoView {
    let locale = use_locale();
    let settings = use_record::<crate::records::Settings>();
    let children = use_record::<Children>();
    let cache = use_record::<ContentCache>();
    let outbox = use_record::<SyncRecord>();
    let storage = use_storage();
    let (said, set_said) = signal(String::new());
    let announce = Callback::new(move |s: String| set_said.set(s));

    let (names, set_names) = signal(settings.with_untracked(|s| s.parents.join(", ")));
    let save_names = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parents = parse_names(&names.get_untracked());
        if settings.update(|s| s.parents = parents).is_ok() {
            set_said.set(locale.t().settings_saved.to_owned());
        }
    };

    let (sync, set_sync) = signal(settings.with_untracked(|s| s.sync_url.is_some()));
    let (url, set_url) = signal(
        settings
            .with_untracked(|s| s.sync_url.clone())
            .unwrap_or_default(),
    );
    let (url_error, set_url_error) = signal(false);
    let save_school = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let was_connected = settings.with_untracked(|s| s.sync_url.is_some());
        let sync_url = if sync.get_untracked() {
            let Some(link) = JoinLink::parse(&url.get_untracked()) else {
                set_url_error.set(true);
                return;
            };
            Some(link.to_link())
        } else {
            None
        };
        let disconnecting = was_connected && sync_url.is_none();
        if settings.update(|s| s.sync_url = sync_url).is_ok() {
            if disconnecting {
                crate::sync::disconnect(cache, outbox);
            }
            set_said.set(locale.t().settings_saved.to_owned());
        }
    };

    let (export_message, set_export_message) = signal(String::new());
    let export = move |_| {
        // Written out by hand: chrono's strftime machinery weighs on the wasm for one line.
        let day = now_local().date();
        let stamp = driehoek_web::dates::date_value(day);
        let name = format!("driehoek-{stamp}.json");
        let t = locale.t();
        let done = storage
            .with_store(|store| store.export(&stamp))
            .is_ok_and(|file| download(&name, "application/json", &file));
        set_export_message.set(if done {
            t.settings_export_done.replace("{file}", &name)
        } else {
            t.settings_export_failed.to_owned()
        });
    };

    let (import_message, set_import_message) = signal(String::new());
    // A file read and shown, waiting for "Terugzetten": its text and what it holds.
    let pending = RwSignal::new(None::<(String, ImportPreview)>);
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        wasm_bindgen_futures::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let t = locale.t();
            set_import_message.set(String::new());
            match ExportFile::read(&text).and_then(|file| file.check(check_import).map(|()| file)) {
                Ok(file) => pending.set(Some((text, ImportPreview::of(&file)))),
                Err(ImportError::Newer) => set_import_message.set(t.settings_import_newer.into()),
                Err(_) => set_import_message.set(t.settings_import_bad.into()),
            }
        });
    };
    let replace = move |_| {
        let Some((text, _)) = pending.get_untracked() else {
            return;
        };
        let t = locale.t();
        match storage.with_store(|store| store.import(&text, check_import)) {
            // Everything on screen comes from storage: start again from what was imported.
            Ok(()) => {
                let _ = window().location().reload();
            }
            Err(error) => {
                pending.set(None);
                set_import_message.set(
                    match error {
                        ImportError::Newer => t.settings_import_newer,
                        ImportError::Write(StorageError::QuotaExceeded) => t.settings_import_full,
                        _ => t.settings_import_bad,
                    }
                    .into(),
                );
            }
        }
    };
    let preview_text = move || {
        let lang = locale.0.get();
        pending.with(|p| p.as_ref().map(|(_, preview)| preview.describe(lang)))
    };

    let (confirm_erase, set_confirm_erase) = signal(false);
    let erase = move |_| {
        driehoek_web::browser::forget_session();
        if storage.with_store(|store| store.erase()).is_ok() {
            let _ = window().location().reload();
        }
    };

    view! {
        <h1>{locale.text(|t| t.settings_title)}</h1>
        <p class="visually-hidden" role="status" aria-live="polite">{said}</p>

        <section class="card" aria-labelledby="children-title">
            <h2 id="children-title">{locale.text(|t| t.settings_children)}</h2>
            <Show when=move || !children.with(|c| c.0.is_empty())
                fallback=move || view! { <p class="muted">{locale.text(|t| t.settings_no_children)}</p> }>
                <ul class="child-list">
                    <For each=move || children.get().0 key=|c| c.id.clone() let:child>
                        <ChildRow child=child announce=announce/>
                    </For>
                </ul>
            </Show>
            <AddChild announce=announce/>
        </section>

        <section class="card" aria-labelledby="parents-title">
            <h2 id="parents-title">{locale.text(|t| t.settings_parents)}</h2>
            <form on:submit=save_names>
                <div class="field">
                    <label for="parent-names">{locale.text(|t| t.settings_parents_label)}</label>
                    <input id="parent-names" type="text" autocomplete="name"
                        prop:value=names on:input=move |ev| set_names.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button">{locale.text(|t| t.settings_save)}</button>
            </form>
        </section>

        <section class="card" aria-labelledby="language-title">
            <h2 id="language-title">{locale.text(|t| t.settings_language)}</h2>
            <LanguageChoice/>
        </section>

        <section class="card" aria-labelledby="school-title">
            <h2 id="school-title">{locale.text(|t| t.settings_school)}</h2>
            <form on:submit=save_school>
                <fieldset class="choice">
                    <legend class="visually-hidden">{locale.text(|t| t.settings_school)}</legend>
                    <label class="choice__option">
                        <input type="radio" name="school" checked=move || !sync.get()
                            on:change=move |_| set_sync.set(false)/>
                        {locale.text(|t| t.settings_school_demo)}
                    </label>
                    <label class="choice__option">
                        <input type="radio" name="school" checked=move || sync.get()
                            on:change=move |_| set_sync.set(true)/>
                        {locale.text(|t| t.settings_school_sync)}
                    </label>
                </fieldset>
                <Show when=move || sync.get()>
                    <SchoolAddress id="settings-url" url=url set_url=set_url error=url_error
                        set_error=set_url_error/>
                </Show>
                <button type="submit" class="button">{locale.text(|t| t.settings_save)}</button>
            </form>
            <SyncStatus/>
        </section>

        <section class="card disclosure" aria-labelledby="disclosure-title">
            <h2 id="disclosure-title">{locale.text(|t| t.disclosure_title)}</h2>
            <Show when=move || settings.with(|s| s.sync_url.is_none())>
                <p class="muted">{locale.text(|t| t.disclosure_not_connected)}</p>
            </Show>
            <WhatGoesToSchool/>
        </section>

        <SecondPhone/>

        <section class="card" aria-labelledby="data-title">
            <h2 id="data-title">{locale.text(|t| t.settings_data)}</h2>
            <p>{locale.text(|t| t.settings_data_text)}</p>
            <div class="actions">
                <button class="button" on:click=export>{locale.text(|t| t.settings_export)}</button>
                <label class="button file-button">
                    {locale.text(|t| t.settings_import)}
                    <input type="file" accept="application/json,.json" class="visually-hidden"
                        on:change=import/>
                </label>
            </div>
            <p role="status" aria-live="polite">{export_message}</p>
            <Show when=move || pending.with(Option::is_some)>
                <div class="import-preview" role="group"
                    aria-label=move || locale.t().settings_import_check_title>
                    <h3>{locale.text(|t| t.settings_import_check_title)}</h3>
                    <ul>
                        {move || preview_text().unwrap_or_default().into_iter()
                            .map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                    <p><strong>{locale.text(|t| t.settings_import_check_warning)}</strong></p>
                    <div class="actions">
                        <button type="button" class="button button--danger" on:click=replace>
                            {locale.text(|t| t.settings_import_replace)}
                        </button>
                        <button type="button" class="button" on:click=move |_| pending.set(None)>
                            {locale.text(|t| t.settings_import_cancel)}
                        </button>
                    </div>
                </div>
            </Show>
            <p role="status" aria-live="polite">{import_message}</p>
            <Show when=move || confirm_erase.get()
                fallback=move || view! {
                    <button class="button button--danger" on:click=move |_| set_confirm_erase.set(true)>
                        {locale.text(|t| t.settings_erase)}
                    </button>
                }>
                <div class="confirm" role="alertdialog" aria-labelledby="erase-question">
                    <p id="erase-question">{locale.text(|t| t.settings_erase_confirm)}</p>
                    <div class="actions">
                        <button class="button button--danger" on:click=erase>
                            {locale.text(|t| t.settings_erase_yes)}
                        </button>
                        <button class="button" on:click=move |_| set_confirm_erase.set(false)>
                            {locale.text(|t| t.settings_erase_no)}
                        </button>
                    </div>
                </div>
            </Show>
        </section>
    }
}

/// One child in the list: the name and groep can be changed, or the child removed.
#[component]
fn ChildRow(
    /// The child.
    child: Child,
    /// Tells the live region what happened.
    announce: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let children = use_record::<Children>();
    let id = StoredValue::new(child.id.clone());
    let (name, set_name) = signal(child.name.clone());
    let (groep, set_groep) = signal(child.groep);
    let saved_name = child.name.clone();

    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new_name = name.get_untracked().trim().to_owned();
        if new_name.is_empty() {
            return;
        }
        let groep = groep.get_untracked();
        let changed = children.update(|children| {
            if let Some(c) = children.0.iter_mut().find(|c| c.id == id.get_value()) {
                c.name = new_name.clone();
                c.groep = groep;
            }
        });
        if changed.is_ok() {
            announce.run(locale.t().settings_changed.replace("{name}", &new_name));
        }
    };
    let remove = move |_| {
        let removed = children.update(|children| children.0.retain(|c| c.id != id.get_value()));
        if removed.is_ok() {
            announce.run(
                locale
                    .t()
                    .settings_removed
                    .replace("{name}", &name.get_untracked()),
            );
        }
    };
    let name_id = format!("name-{}", child.id);
    let groep_id = format!("groep-{}", child.id);
    let label_for_name = name_id.clone();
    let form_label = move || {
        locale
            .t()
            .settings_change_child
            .replace("{name}", &saved_name)
    };

    view! {
        <li>
            <form class="child-row" aria-label=form_label on:submit=change>
                <div class="field">
                    <label for=label_for_name>{locale.text(|t| t.child_name)}</label>
                    <input id=name_id type="text" maxlength="40" required
                        prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
                </div>
                <GroepSelect id=groep_id groep=groep set_groep=set_groep/>
                <div class="actions">
                    <button type="submit" class="button">{locale.text(|t| t.settings_save)}</button>
                    <button type="button" class="button button--danger" on:click=remove>
                        {locale.text(|t| t.settings_remove)}
                    </button>
                </div>
            </form>
        </li>
    }
}

/// "Tweede telefoon koppelen": the link (and its QR code) that joins the other parent's phone
/// to this family, with the warning that whoever has it can answer for the family.
#[component]
fn SecondPhone() -> impl IntoView {
    let locale = use_locale();
    let sync = sync_context();
    let (link, set_link) = signal(None::<String>);
    let (copied, set_copied) = signal(String::new());
    let show = move |_| {
        set_copied.set(String::new());
        match crate::sync::family_link() {
            Some(family) => {
                set_link.set(Some(family.to_link()));
                // From now on the family's children and names go to the school for the other
                // phone: send them now, before the other parent scans the code.
                sync.sync_now.run(());
            }
            None => set_copied.set(locale.t().second_phone_failed.to_owned()),
        }
    };
    let copy = move |_| {
        let Some(text) = link.get_untracked() else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let t = locale.t();
            let done = driehoek_web::browser::copy_text(&text).await;
            set_copied.set(
                if done {
                    t.second_phone_copied
                } else {
                    t.second_phone_copy_failed
                }
                .to_owned(),
            );
        });
    };
    view! {
        <section class="card second-phone" aria-labelledby="second-phone-title">
            <h2 id="second-phone-title">{locale.text(|t| t.second_phone_title)}</h2>
            <p>{locale.text(|t| t.second_phone_text)}</p>
            <Show when=move || sync.connected.get()
                fallback=move || view! { <p class="muted">{locale.text(|t| t.second_phone_no_school)}</p> }>
                <Show when=move || link.with(Option::is_some)
                    fallback=move || view! {
                        <button type="button" class="button" on:click=show>
                            {locale.text(|t| t.second_phone_show)}
                        </button>
                    }>
                    <p class="second-phone__warning">
                        <strong>{locale.text(|t| t.second_phone_warning_title)}</strong>
                        " "
                        {locale.text(|t| t.second_phone_warning)}
                    </p>
                    <p>{locale.text(|t| t.second_phone_how)}</p>
                    {move || link.get().map(|text| view! {
                        <QrImage text=text.clone() label=locale.t().second_phone_qr_label.to_owned()/>
                        <div class="field">
                            <label for="second-phone-link">{locale.t().second_phone_link_label}</label>
                            <textarea id="second-phone-link" class="second-phone__link" readonly rows="5"
                                prop:value=text></textarea>
                        </div>
                    })}
                    <div class="actions">
                        <button type="button" class="button button--primary" on:click=copy>
                            {locale.text(|t| t.second_phone_copy)}
                        </button>
                        <button type="button" class="button" on:click=move |_| set_link.set(None)>
                            {locale.text(|t| t.second_phone_hide)}
                        </button>
                    </div>
                </Show>
                <p role="status" aria-live="polite">{copied}</p>
            </Show>
        </section>
    }
}

/// How the sync with the school goes: the last successful sync, what went wrong, what still
/// waits to be sent, and "Nu synchroniseren". Shown only with a connected school.
#[component]
fn SyncStatus() -> impl IntoView {
    let locale = use_locale();
    let sync = sync_context();
    let last = move || {
        let t = locale.t();
        let lang = locale.0.get();
        match sync.record.with(|r| r.last_ok) {
            None => t.sync_never.to_owned(),
            Some(millis) => {
                let at = driehoek_core::tz::local_from_unix_millis(millis).unwrap_or_default();
                let when = if at.date() == now_local().date() {
                    t.sync_today_at
                        .replace("{time}", &driehoek_web::dates::time(at.time()))
                } else {
                    driehoek_web::dates::date_time(lang, at)
                };
                t.sync_last.replace("{when}", &when)
            }
        }
    };
    // "Alles is naar school gestuurd" only when nothing waits and the last sync went through:
    // beside "De toegangscode klopt niet meer" it would not be true in the parent's eyes.
    let waiting = move || {
        let t = locale.t();
        let (waiting, problem) = sync.record.with(|r| (r.outbox.entries.len(), r.problem));
        match waiting {
            0 if problem.is_some() => String::new(),
            0 => t.sync_all_sent.to_owned(),
            1 => t.sync_waiting_one.to_owned(),
            n => t.sync_waiting.replace("{n}", &n.to_string()),
        }
    };
    view! {
        <Show when=move || sync.connected.get()>
            <section class="sync-status" aria-labelledby="sync-title">
                <h3 id="sync-title">{locale.text(|t| t.sync_title)}</h3>
                <p role="status" aria-live="polite" class="sync-status__state">
                    {move || if sync.running.get() { locale.t().sync_running.to_owned() } else { last() }}
                </p>
                <p role="alert" class="sync-status__problem">
                    {move || sync.record.with(|r| r.problem).map(|p| problem_text(locale.t(), p))}
                </p>
                <p class="muted">{waiting}</p>
                <button type="button" class="button" disabled=move || sync.running.get()
                    on:click=move |_| sync.sync_now.run(())>
                    {locale.text(|t| t.sync_now)}
                </button>
            </section>
        </Show>
    }
}

/// What an export file holds, shown before it replaces what is on the phone.
#[derive(Clone, Debug, PartialEq)]
struct ImportPreview {
    made: Option<chrono::NaiveDate>,
    children: Vec<(String, u8)>,
    answers: usize,
    acknowledgements: usize,
    school: bool,
}

impl ImportPreview {
    fn of(file: &ExportFile) -> ImportPreview {
        ImportPreview {
            made: driehoek_web::dates::parse_date(&file.exported_at),
            children: file
                .record::<Children>()
                .map(|c| c.0.into_iter().map(|c| (c.name, c.groep)).collect())
                .unwrap_or_default(),
            answers: file.record::<Rsvps>().map_or(0, |r| r.0.len()),
            acknowledgements: file.record::<Acknowledgements>().map_or(0, |a| a.0.len()),
            school: file
                .record::<crate::records::Settings>()
                .is_some_and(|s| s.sync_url.is_some()),
        }
    }

    /// The lines a parent reads.
    fn describe(&self, lang: Lang) -> Vec<String> {
        let t = lang.strings();
        let made = match self.made {
            Some(day) => driehoek_web::dates::long_date(lang, day),
            None => t.settings_import_unknown_date.to_owned(),
        };
        let children = if self.children.is_empty() {
            t.settings_import_no_children.to_owned()
        } else {
            self.children
                .iter()
                .map(|(name, groep)| {
                    format!("{name} ({})", t.groep_n.replace("{n}", &groep.to_string()))
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut lines = vec![
            t.settings_import_made.replace("{date}", &made),
            t.settings_import_children.replace("{children}", &children),
            t.settings_import_answers
                .replace("{n}", &self.answers.to_string()),
            t.settings_import_acks
                .replace("{n}", &self.acknowledgements.to_string()),
        ];
        if self.school {
            lines.push(t.settings_import_school.to_owned());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_on_commas_and_trimmed() {
        assert_eq!(parse_names(" Sam , Noor;; "), ["Sam", "Noor"]);
        assert!(parse_names(" , ").is_empty());
    }
}
