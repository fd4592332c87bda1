//! What changed between two versions of the agreement, so that the app can show a parent what is
//! new before asking for "gelezen" again.
//!
//! Items are matched by id: an item whose id stays but whose text changes is *reworded*. Texts
//! are compared in the reader's language, because that is what the reader sees: a change to the
//! English text only is no change to a Dutch reader.
//!
//! Also the rule that keeps a published version as it was read ([`check_publish`]): families
//! acknowledge a version number, so the words under that number may never change afterwards.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Agreement, AgreementItem};

/// A part of the agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementList {
    /// The school's vision (one text, not a list; its id in a [`Change`] is `"vision"`).
    Vision,
    /// What parents may expect of the school.
    SchoolPromises,
    /// What the school expects of parents.
    ParentExpectations,
    /// What the children agree to.
    ChildAgreements,
}

impl AgreementList {
    /// The three lists of items, in the order the app shows them.
    pub const LISTS: [AgreementList; 3] = [
        AgreementList::SchoolPromises,
        AgreementList::ParentExpectations,
        AgreementList::ChildAgreements,
    ];

    /// The items of this list in `agreement` (none for [`AgreementList::Vision`]).
    pub fn items(self, agreement: &Agreement) -> &[AgreementItem] {
        match self {
            AgreementList::Vision => &[],
            AgreementList::SchoolPromises => &agreement.school_promises,
            AgreementList::ParentExpectations => &agreement.parent_expectations,
            AgreementList::ChildAgreements => &agreement.child_agreements,
        }
    }

    /// The items of this list in `agreement`, to change them; `None` for
    /// [`AgreementList::Vision`], which is one text.
    pub fn items_mut(self, agreement: &mut Agreement) -> Option<&mut Vec<AgreementItem>> {
        match self {
            AgreementList::Vision => None,
            AgreementList::SchoolPromises => Some(&mut agreement.school_promises),
            AgreementList::ParentExpectations => Some(&mut agreement.parent_expectations),
            AgreementList::ChildAgreements => Some(&mut agreement.child_agreements),
        }
    }
}

/// How one item changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// New in this version.
    Added,
    /// No longer in this version.
    Removed,
    /// The same item (id) with another text.
    Reworded,
}

/// One change between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The part of the agreement it is in.
    pub list: AgreementList,
    /// The item's id (`"vision"` for the vision).
    pub id: String,
    /// What happened to it.
    pub kind: ChangeKind,
    /// The text before, in the reader's language; `None` when added.
    pub old_text: Option<String>,
    /// The text after, in the reader's language; `None` when removed.
    pub new_text: Option<String>,
}

/// The changes from `old` to `new`, in language `lang`: the vision first, then per list (in the
/// app's order) the added and reworded items in their new order, then the removed ones in their
/// old order. An item moved to another list shows as removed from one and added to the other.
pub fn diff(old: &Agreement, new: &Agreement, lang: &str) -> Vec<Change> {
    let mut changes = Vec::new();
    let (old_vision, new_vision) = (old.vision.get(lang), new.vision.get(lang));
    if old_vision != new_vision {
        changes.push(Change {
            list: AgreementList::Vision,
            id: "vision".to_owned(),
            kind: ChangeKind::Reworded,
            old_text: Some(old_vision.to_owned()),
            new_text: Some(new_vision.to_owned()),
        });
    }
    for list in AgreementList::LISTS {
        let (before, after) = (list.items(old), list.items(new));
        // Maps by id keep the comparison linear, however long the lists.
        let texts = |items: &'_ [AgreementItem]| -> HashMap<String, String> {
            items
                .iter()
                .map(|i| (i.id.clone(), i.text.get(lang).to_owned()))
                .collect()
        };
        let (was, is) = (texts(before), texts(after));
        for item in after {
            let text = item.text.get(lang);
            match was.get(&item.id).cloned() {
                None => changes.push(Change {
                    list,
                    id: item.id.clone(),
                    kind: ChangeKind::Added,
                    old_text: None,
                    new_text: Some(text.to_owned()),
                }),
                Some(old_text) if old_text != text => changes.push(Change {
                    list,
                    id: item.id.clone(),
                    kind: ChangeKind::Reworded,
                    old_text: Some(old_text),
                    new_text: Some(text.to_owned()),
                }),
                Some(_) => {}
            }
        }
        for item in before {
            if !is.contains_key(&item.id) {
                changes.push(Change {
                    list,
                    id: item.id.clone(),
                    kind: ChangeKind::Removed,
                    old_text: Some(item.text.get(lang).to_owned()),
                    new_text: None,
                });
            }
        }
    }
    changes
}

/// Whether two agreements say the same, whatever their version number and date.
pub fn same_text(a: &Agreement, b: &Agreement) -> bool {
    a.vision == b.vision
        && a.school_promises == b.school_promises
        && a.parent_expectations == b.parent_expectations
        && a.child_agreements == b.child_agreements
}

/// What publishing an agreement means, given the version published now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Publish {
    /// Exactly the version published now (same number, same text and date): nothing changes.
    Same,
    /// A new version: the first one, or a higher number than the one published now.
    Next,
    /// Not allowed: the version published now stays.
    Refused(PublishRefusal),
}

/// Why an agreement may not be published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishRefusal {
    /// Other words (or another date) under a version number already published: families who
    /// acknowledged that number would seem to have agreed to words they never read.
    Changed {
        /// The version number used again.
        version: u32,
    },
    /// A lower number than the one published now: the current version would go backwards.
    Older {
        /// The version published now.
        current: u32,
    },
}

impl PublishRefusal {
    /// The reason in plain Dutch, for the school.
    pub fn message(&self) -> String {
        match self {
            PublishRefusal::Changed { version } => format!(
                "Versie {version} van de afspraken is al gepubliceerd en ouders hebben die \
                 misschien al gelezen. Een gepubliceerde versie verandert niet meer: publiceer \
                 de nieuwe tekst als versie {}.",
                version.saturating_add(1)
            ),
            PublishRefusal::Older { current } => format!(
                "Nu is versie {current} van de afspraken gepubliceerd. Een lager versienummer \
                 kan niet: publiceer de tekst als versie {}.",
                current.saturating_add(1)
            ),
        }
    }
}

/// The one rule for publishing an agreement: `published` is the version published now (`None`
/// before the first publication), `new` the one offered. The same version again is [`Publish::Same`];
/// a higher number is [`Publish::Next`]; other words under the current number, or a lower number,
/// are refused. The server checks every publication with it (the API and `content import`), and
/// Beheer numbers its drafts with [`numbered_for_publication`], which always passes it.
pub fn check_publish(published: Option<&Agreement>, new: &Agreement) -> Publish {
    let Some(current) = published else {
        return Publish::Next;
    };
    match new.version.cmp(&current.version) {
        std::cmp::Ordering::Greater => Publish::Next,
        std::cmp::Ordering::Less => Publish::Refused(PublishRefusal::Older {
            current: current.version,
        }),
        std::cmp::Ordering::Equal if new == current => Publish::Same,
        std::cmp::Ordering::Equal => Publish::Refused(PublishRefusal::Changed {
            version: current.version,
        }),
    }
}

/// The draft's agreement numbered for publication over `published`: the published number and date
/// when the text is the same, otherwise the next number dated `today` (version 1 or the draft's
/// own number, dated `today`, when nothing was published yet).
pub fn numbered_for_publication(
    published: Option<&Agreement>,
    draft: &Agreement,
    today: NaiveDate,
) -> Agreement {
    let mut agreement = draft.clone();
    match published {
        Some(old) if same_text(old, draft) => {
            agreement.version = old.version;
            agreement.published = old.published;
        }
        Some(old) => {
            agreement.version = old.version.saturating_add(1);
            agreement.published = today;
        }
        None => {
            agreement.version = agreement.version.max(1);
            agreement.published = today;
        }
    }
    agreement
}
