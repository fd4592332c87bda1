//! Tells the parent about storage: data that could not be read, data from a newer app, a browser
//! that keeps nothing, a save that failed. Each message stays until the parent dismisses it.

use leptos::prelude::*;

use crate::i18n::{use_locale, Strings};
use crate::state::{use_storage, Problem};
use crate::storage::{Notice, StorageError};

/// The parent's word for a kind of record. Only the school's content is replaceable and named so;
/// every other kind, known here or not, is named as something the parent or the school entered.
pub fn kind_name(t: &Strings, kind: &str) -> &'static str {
    match kind {
        "children" => t.kind_children,
        "settings" => t.kind_settings,
        "rsvps" => t.kind_rsvps,
        "acks" => t.kind_acks,
        "discussed" => t.kind_discussed,
        "read" => t.kind_read,
        "content" => t.kind_content,
        "sync" => t.kind_sync,
        _ => t.kind_other,
    }
}

/// The message for a problem, in the parent's language.
pub fn message(t: &Strings, problem: &Problem) -> String {
    let error = |error: &StorageError| match error {
        StorageError::Unavailable => t.storage_unavailable.to_owned(),
        StorageError::QuotaExceeded => t.storage_full.to_owned(),
        StorageError::NewerVersion { kind } => {
            t.storage_newer.replace("{kind}", kind_name(t, kind))
        }
        StorageError::Other(_) => t.storage_failed.to_owned(),
    };
    match problem {
        Problem::Found(Notice::Quarantined { kind, .. }) => {
            t.storage_quarantined.replace("{kind}", kind_name(t, kind))
        }
        Problem::Found(Notice::Newer { kind, .. }) => {
            t.storage_newer.replace("{kind}", kind_name(t, kind))
        }
        Problem::Found(Notice::Unreadable { error: e, .. }) | Problem::Write(e) => error(e),
    }
}

/// The list of storage problems, as an alert at the top of every screen.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let locale = use_locale();
    let storage = use_storage();
    // The alert region is always there, so that a new message is announced by screen readers.
    view! {
        <div class="storage-banner" role="alert">
            <For
                each=move || storage.problems.get().into_iter().enumerate()
                key=|(_, problem)| format!("{problem:?}")
                let:entry
            >
                {
                    let (_, problem) = entry;
                    let text = {
                        let problem = problem.clone();
                        move || message(locale.t(), &problem)
                    };
                    let dismiss = move |_| {
                        storage.problems.update(|all| all.retain(|p| *p != problem));
                    };
                    view! {
                        <div class="storage-banner__item">
                            <p>{text}</p>
                            <button class="button" on:click=dismiss>
                                {move || locale.t().storage_dismiss}
                            </button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    // Regression: the outbox ("sync", answers the parent entered that have not reached the school)
    // had no case here, so a quarantined outbox was announced as "informatie van school", i.e. as
    // something the next sync would simply replace.
    #[test]
    fn a_quarantined_outbox_is_named_as_the_parents_answers_not_as_school_information() {
        for lang in Lang::ALL {
            let t = lang.strings();
            let problem = Problem::Found(Notice::Quarantined {
                kind: "sync",
                key: "driehoek.quarantine.sync.1".into(),
            });
            let text = message(t, &problem);
            assert!(text.contains(t.kind_sync), "{text}");
            assert!(!text.contains(t.kind_content), "{text}");
        }
    }

    #[test]
    fn only_the_content_is_named_as_the_schools_information() {
        let t = Lang::Nl.strings();
        for kind in [
            "children",
            "settings",
            "rsvps",
            "acks",
            "discussed",
            "read",
            "sync",
            "x",
        ] {
            assert_ne!(kind_name(t, kind), t.kind_content, "{kind}");
        }
        assert_eq!(kind_name(t, "content"), t.kind_content);
    }
}
