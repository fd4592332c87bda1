//! The family's fields shared by the welcome and Instellingen: adding a child, choosing a groep,
//! and the school's sync address.

use leptos::prelude::*;

use crate::records::{Child, Children};
use driehoek_web::browser::new_id;
use driehoek_web::i18n::use_locale;
use driehoek_web::state::{use_record, Persisted};

/// Adds the child typed in `name` and `groep` to the family and saves at once; on success the
/// name field is emptied and the child's name returned (for the live region). A blank name adds
/// nothing; a failed save is reported by the storage banner and keeps what was typed.
pub fn add_typed_child(
    children: Persisted<Children>,
    name: RwSignal<String>,
    groep: RwSignal<u8>,
) -> Option<String> {
    let child_name = name.get_untracked().trim().to_owned();
    if child_name.is_empty() {
        return None;
    }
    let child = Child {
        id: new_id("kind"),
        name: child_name.clone(),
        groep: groep.get_untracked(),
    };
    children.update(|c| c.0.push(child)).ok()?;
    name.set(String::new());
    Some(child_name)
}

/// A small form that adds a child to the family and saves at once.
#[component]
pub fn AddChild(
    /// Told what happened ("Anna is toegevoegd."), for a live region.
    #[prop(into)]
    announce: Callback<String>,
    /// The name as typed, when the screen around the form wants to add a typed child itself
    /// (the welcome's "Verder" does, so that a typed name is never dropped).
    #[prop(optional)]
    name: Option<RwSignal<String>>,
    /// The groep as chosen, with `name`.
    #[prop(optional)]
    groep: Option<RwSignal<u8>>,
) -> impl IntoView {
    let locale = use_locale();
    let children = use_record::<Children>();
    let name = name.unwrap_or_else(|| RwSignal::new(String::new()));
    let groep = groep.unwrap_or_else(|| RwSignal::new(1u8));

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(added) = add_typed_child(children, name, groep) {
            announce.run(locale.t().child_added.replace("{name}", &added));
        }
    };

    view! {
        <form class="add-child" on:submit=add>
            <div class="field">
                <label for="child-name">{locale.text(|t| t.child_name)}</label>
                <input id="child-name" type="text" autocomplete="off" maxlength="40" required
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <GroepSelect id="child-groep" groep=groep.read_only() set_groep=groep.write_only()/>
            <button type="submit" class="button">{locale.text(|t| t.child_add)}</button>
        </form>
    }
}

/// A labelled choice of groep 1 to 8.
#[component]
pub fn GroepSelect(
    /// The select's id (unique on the screen).
    #[prop(into)]
    id: String,
    /// The chosen groep.
    groep: ReadSignal<u8>,
    /// Changes it.
    set_groep: WriteSignal<u8>,
) -> impl IntoView {
    let locale = use_locale();
    let label_for = id.clone();
    view! {
        <div class="field field--small">
            <label for=label_for>{locale.text(|t| t.child_groep)}</label>
            <select id=id
                on:change=move |ev| set_groep.set(event_target_value(&ev).parse().unwrap_or(1))>
                {(1..=8u8)
                    .map(|n| view! {
                        <option value=n.to_string() selected=move || groep.get() == n>{n}</option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The school's sync address, with the message when it is not an address Driehoek may send to.
#[component]
pub fn SchoolAddress(
    /// The field's id (unique on the screen).
    #[prop(into)]
    id: String,
    /// The address as typed.
    url: ReadSignal<String>,
    /// Changes it.
    set_url: WriteSignal<String>,
    /// Whether the last attempt to save it was refused.
    error: ReadSignal<bool>,
    /// Clears the refusal once the parent types again.
    set_error: WriteSignal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let error_id = format!("{id}-error");
    let (label_for, described_by) = (id.clone(), error_id.clone());
    view! {
        <div class="field">
            <label for=label_for>{locale.text(|t| t.settings_school_url)}</label>
            <input id=id type="url" inputmode="url" autocomplete="url"
                aria-invalid=move || error.get().to_string()
                aria-describedby=described_by
                prop:value=url on:input=move |ev| {
                    set_error.set(false);
                    set_url.set(event_target_value(&ev));
                }/>
            <p id=error_id class="field__error">
                {move || error.get().then(|| locale.t().settings_school_bad_url)}
            </p>
        </div>
    }
}
