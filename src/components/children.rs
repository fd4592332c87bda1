//! Adding a child: a first name or nickname and a groep. Used by the welcome and by Instellingen.

use leptos::prelude::*;

use crate::browser::new_id;
use crate::i18n::use_locale;
use crate::records::Child;
use crate::state::{use_storage, AppData};

/// A small form that adds a child to the family and saves at once.
#[component]
pub fn AddChild(
    /// Told what happened ("Anna is toegevoegd."), for a live region.
    #[prop(into)]
    announce: Callback<String>,
) -> impl IntoView {
    let locale = use_locale();
    let data = expect_context::<AppData>();
    let storage = use_storage();
    let (name, set_name) = signal(String::new());
    let (groep, set_groep) = signal(1u8);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let child_name = name.get_untracked().trim().to_owned();
        if child_name.is_empty() {
            return;
        }
        let mut children = data.children.get_untracked();
        children.0.push(Child {
            id: new_id("kind"),
            name: child_name.clone(),
            groep: groep.get_untracked(),
        });
        // Only a saved child is shown as added; a failed save is reported by the storage path.
        if storage.save(&children) {
            data.children.set(children);
            set_name.set(String::new());
            announce.run(locale.t().child_added.replace("{name}", &child_name));
        }
    };

    view! {
        <form class="add-child" on:submit=add>
            <div class="field">
                <label for="child-name">{move || locale.t().child_name}</label>
                <input id="child-name" type="text" autocomplete="off" maxlength="40" required
                    prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
            </div>
            <div class="field field--small">
                <label for="child-groep">{move || locale.t().child_groep}</label>
                <select id="child-groep"
                    on:change=move |ev| set_groep.set(event_target_value(&ev).parse().unwrap_or(1))>
                    {(1..=8u8)
                        .map(|n| view! {
                            <option value=n.to_string() selected=move || groep.get() == n>{n}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{move || locale.t().child_add}</button>
        </form>
    }
}
