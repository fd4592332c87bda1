//! The school's draft in the editor: content for a school that has published nothing yet, what
//! a publication sends, how a colleague's publication is taken in where the draft left things
//! alone (a three-way merge by id), and what the draft changes against what is published. Pure
//! rules with native tests (`core/tests/draft.rs`); Beheer only draws them.

use chrono::NaiveDate;

use crate::model::{Agreement, Content, School, Text};

/// Content for a school that has published nothing yet.
pub fn blank(school: &str, today: NaiveDate) -> Content {
    Content {
        school: School {
            id: school.to_owned(),
            name: String::new(),
            place: String::new(),
            website: String::new(),
            phone: String::new(),
            email: String::new(),
            absence_until: None,
            absence_phone: None,
        },
        agreement: Agreement {
            version: 1,
            published: today,
            vision: Text::nl(""),
            school_promises: Vec::new(),
            parent_expectations: Vec::new(),
            child_agreements: Vec::new(),
        },
        bulletins: Vec::new(),
        activities: Vec::new(),
        themes: Vec::new(),
        prompts: Vec::new(),
        talks: Vec::new(),
    }
}

/// Whether two agreements say the same, whatever their version number and date.
use crate::agreement::same_text as same_agreement;

/// What a publication sends: the draft, with a new agreement version (dated today) when its text
/// changed, and otherwise the published version number and date (core's numbering, which the
/// server's rule for published versions always accepts).
pub fn prepare(published: Option<&Content>, draft: &Content, today: NaiveDate) -> Content {
    let mut content = draft.clone();
    content.agreement = crate::agreement::numbered_for_publication(
        published.map(|c| &c.agreement),
        &draft.agreement,
        today,
    );
    content
}

/// Merges one list by id, three ways: what the draft changed since `old` is kept, what someone
/// else published since `old` (in `new`) is taken where the draft left it alone.
fn merge_list<T: Clone + PartialEq>(
    old: &[T],
    new: &[T],
    draft: &[T],
    id: fn(&T) -> &str,
    both: &dyn Fn(&T, &T, &T) -> T,
) -> Vec<T> {
    let find = |list: &[T], key: &str| list.iter().find(|x| id(x) == key).cloned();
    let mut out = Vec::new();
    for n in new {
        match (find(old, id(n)), find(draft, id(n))) {
            (Some(o), Some(d)) => out.push(both(&o, n, &d)),
            // Removed in the draft; kept when the other publication changed it meanwhile.
            (Some(o), None) if &o == n => {}
            (Some(_), None) => out.push(n.clone()),
            (None, Some(d)) => out.push(d),
            (None, None) => out.push(n.clone()),
        }
    }
    for d in draft {
        if new.iter().any(|n| id(n) == id(d)) {
            continue;
        }
        match find(old, id(d)) {
            // New in the draft.
            None => out.push(d.clone()),
            // Removed by the other publication, but changed in the draft: the draft's work stays.
            Some(o) if &o != d => out.push(d.clone()),
            Some(_) => {}
        }
    }
    out
}

/// The draft's version where it changed something since `old`, else `new`'s.
fn pick<T: Clone + PartialEq>(old: &T, new: &T, draft: &T) -> T {
    if draft == old {
        new.clone()
    } else {
        draft.clone()
    }
}

/// The draft moved onto a newer published version (`new`, published by someone else after
/// `old`): everything the draft changed stays as the draft has it, everything else becomes what
/// was published. Nothing the school wrote in the draft is lost.
pub fn rebase(old: Option<&Content>, new: &Content, draft: &Content) -> Content {
    let empty = blank(&draft.school.id, draft.agreement.published);
    let old = old.unwrap_or(&empty);
    let bulletin = |o: &crate::Bulletin, n: &crate::Bulletin, d: &crate::Bulletin| {
        let head = |b: &crate::Bulletin| (b.month, b.title.clone());
        let (month, title) = pick(&head(o), &head(n), &head(d));
        crate::Bulletin {
            id: d.id.clone(),
            month,
            title,
            items: merge_list(&o.items, &n.items, &d.items, |i| &i.id, &pick),
        }
    };
    let mut agreement = pick(&old.agreement, &new.agreement, &draft.agreement);
    agreement.version = new.agreement.version;
    agreement.published = new.agreement.published;
    Content {
        school: School {
            id: draft.school.id.clone(),
            name: pick(&old.school.name, &new.school.name, &draft.school.name),
            place: pick(&old.school.place, &new.school.place, &draft.school.place),
            website: pick(
                &old.school.website,
                &new.school.website,
                &draft.school.website,
            ),
            phone: pick(&old.school.phone, &new.school.phone, &draft.school.phone),
            email: pick(&old.school.email, &new.school.email, &draft.school.email),
            absence_until: pick(
                &old.school.absence_until,
                &new.school.absence_until,
                &draft.school.absence_until,
            ),
            absence_phone: pick(
                &old.school.absence_phone,
                &new.school.absence_phone,
                &draft.school.absence_phone,
            ),
        },
        agreement,
        bulletins: merge_list(
            &old.bulletins,
            &new.bulletins,
            &draft.bulletins,
            |b| &b.id,
            &bulletin,
        ),
        activities: merge_list(
            &old.activities,
            &new.activities,
            &draft.activities,
            |a| &a.id,
            &pick,
        ),
        themes: merge_list(&old.themes, &new.themes, &draft.themes, |t| &t.id, &pick),
        prompts: merge_list(&old.prompts, &new.prompts, &draft.prompts, |p| &p.id, &pick),
        talks: merge_list(&old.talks, &new.talks, &draft.talks, |r| &r.id, &pick),
    }
}

/// The changes in one part of the content, by title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartChanges {
    pub part: &'static str,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl PartChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares two lists by id.
fn by_id<T: PartialEq>(
    part: &'static str,
    old: &[T],
    new: &[T],
    id: fn(&T) -> &str,
    title: fn(&T) -> String,
) -> PartChanges {
    let mut changes = PartChanges {
        part,
        ..PartChanges::default()
    };
    for item in new {
        match old.iter().find(|o| id(o) == id(item)) {
            None => changes.added.push(title(item)),
            Some(o) if o != item => changes.changed.push(title(item)),
            Some(_) => {}
        }
    }
    for item in old {
        if !new.iter().any(|n| id(n) == id(item)) {
            changes.removed.push(title(item));
        }
    }
    changes
}

/// What the draft changes against the published content (everything is new when nothing was
/// published), per part; parts without changes are left out.
pub fn changes(published: Option<&Content>, draft: &Content) -> Vec<PartChanges> {
    let empty = blank(&draft.school.id, draft.agreement.published);
    let old = published.unwrap_or(&empty);
    let mut parts = Vec::new();
    if old.school != draft.school {
        parts.push(PartChanges {
            part: "Schoolgegevens",
            changed: vec![draft.school.name.clone()],
            ..PartChanges::default()
        });
    }
    let items = |c: &Content| -> Vec<crate::BulletinItem> {
        c.bulletins.iter().flat_map(|b| b.items.clone()).collect()
    };
    // A month's own fields (its items are compared on their own, below).
    let months = |c: &Content| -> Vec<(String, crate::YearMonth, Text)> {
        c.bulletins
            .iter()
            .map(|b| (b.id.clone(), b.month, b.title.clone()))
            .collect()
    };
    parts.push(by_id(
        "Maanden van de maandinfo",
        &months(old),
        &months(draft),
        |m| &m.0,
        |m| m.2.get("nl").to_owned(),
    ));
    parts.push(by_id(
        "Berichten in de maandinfo",
        &items(old),
        &items(draft),
        |i| &i.id,
        |i| i.title.get("nl").to_owned(),
    ));
    parts.push(by_id(
        "Activiteiten",
        &old.activities,
        &draft.activities,
        |a| &a.id,
        |a| a.title.get("nl").to_owned(),
    ));
    parts.push(by_id(
        "Thema's",
        &old.themes,
        &draft.themes,
        |t| &t.id,
        |t| t.title.get("nl").to_owned(),
    ));
    parts.push(by_id(
        "Algemene gespreksvragen",
        &old.prompts,
        &draft.prompts,
        |p| &p.id,
        |p| p.text.get("nl").to_owned(),
    ));
    parts.push(by_id(
        "Gesprekken",
        &old.talks,
        &draft.talks,
        |r| &r.id,
        |r| r.title.get("nl").to_owned(),
    ));
    if published.is_none_or(|old| !same_agreement(&old.agreement, &draft.agreement)) {
        parts.push(PartChanges {
            part: "Afspraken",
            changed: vec!["Een nieuwe versie van de afspraken".to_owned()],
            ..PartChanges::default()
        });
    }
    parts.retain(|p| !p.is_empty());
    parts
}
