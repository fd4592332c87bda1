//! The school's draft on this device, and the plain rules around it: what changed against the
//! published version, what a publication sends, which screen an error belongs to, and the form
//! values of dates and times. Pure Rust, tested natively.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use driehoek_core::{Agreement, AgreementList, Content, School, Text};
use serde::{Deserialize, Serialize};

use driehoek_web::storage::{Record, EDITOR_KINDS};

/// Where the Beheer screens log in: the server, the school's id and its admin token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    /// The server's address without a trailing slash.
    pub base: String,
    pub school: String,
    pub token: String,
}

/// What the school wrote and has not published yet, with the version it started from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub base: String,
    pub school: String,
    /// The ETag of the published version the draft started from (`If-Match`); `None` when
    /// nothing was published yet.
    pub etag: Option<String>,
    /// That published version, to show what the draft changes.
    pub published: Option<Content>,
    pub content: Content,
}

/// The school's draft on this device.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeheerRecord {
    #[serde(default)]
    pub draft: Option<Draft>,
}

impl Record for BeheerRecord {
    const KIND: &'static str = EDITOR_KINDS[0];
    const SCHEMA: u32 = 1;
}

/// The Beheer login, kept only when "onthoud op dit apparaat" was ticked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeheerLogin {
    #[serde(default)]
    pub login: Option<Login>,
}

impl Record for BeheerLogin {
    const KIND: &'static str = EDITOR_KINDS[1];
    const SCHEMA: u32 = 1;
}

/// The one field Beheer reads of the parents' settings on this device (the same origin): the
/// school the parents' app is connected to, so that the login starts there. Read, never written:
/// the record is the parents' app's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentsLink {
    #[serde(default)]
    pub sync_url: Option<String>,
}

impl Record for ParentsLink {
    const KIND: &'static str = "settings";
    const SCHEMA: u32 = 1;
}

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
    }
}

/// Whether two agreements say the same, whatever their version number and date.
pub use driehoek_core::agreement::same_text as same_agreement;

/// What a publication sends: the draft, with a new agreement version (dated today) when its text
/// changed, and otherwise the published version number and date (core's numbering, which the
/// server's rule for published versions always accepts).
pub fn prepare(published: Option<&Content>, draft: &Content, today: NaiveDate) -> Content {
    let mut content = draft.clone();
    content.agreement = driehoek_core::agreement::numbered_for_publication(
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
    let bulletin =
        |o: &driehoek_core::Bulletin, n: &driehoek_core::Bulletin, d: &driehoek_core::Bulletin| {
            let head = |b: &driehoek_core::Bulletin| (b.month, b.title.clone());
            let (month, title) = pick(&head(o), &head(n), &head(d));
            driehoek_core::Bulletin {
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
    let items = |c: &Content| -> Vec<driehoek_core::BulletinItem> {
        c.bulletins.iter().flat_map(|b| b.items.clone()).collect()
    };
    // A month's own fields (its items are compared on their own, below).
    let months = |c: &Content| -> Vec<(String, driehoek_core::YearMonth, Text)> {
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

/// Which screen of the editor shows the field at `path` (as the core's validation names it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    School,
    Agreement,
    Bulletin(usize),
    Item(usize, usize),
    Activity(usize),
    Theme(usize),
    /// The general prompts: not edited here, published as they were.
    Prompts,
}

/// The number after `name[` at the start of `path`, and the rest after `]`.
fn index<'a>(path: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(name)?.strip_prefix('[')?;
    let (number, rest) = rest.split_once(']')?;
    Some((number.parse().ok()?, rest))
}

/// The screen a field's error is shown on.
pub fn pane_of(path: &str) -> Option<Pane> {
    if path.starts_with("school") {
        return Some(Pane::School);
    }
    if path.starts_with("agreement") {
        return Some(Pane::Agreement);
    }
    if let Some((b, rest)) = index(path, "bulletins") {
        return Some(match index(rest.trim_start_matches('.'), "items") {
            Some((i, _)) => Pane::Item(b, i),
            None => Pane::Bulletin(b),
        });
    }
    if let Some((a, _)) = index(path, "activities") {
        return Some(Pane::Activity(a));
    }
    if let Some((t, _)) = index(path, "themes") {
        return Some(Pane::Theme(t));
    }
    path.starts_with("prompts").then_some(Pane::Prompts)
}

/// The name of a part of the agreement, as the school's screens show it.
pub fn list_label(list: AgreementList) -> &'static str {
    match list {
        AgreementList::Vision => "Zo werken we samen",
        AgreementList::SchoolPromises => "Wat ouders van school mogen verwachten",
        AgreementList::ParentExpectations => "Wat school van ouders vraagt",
        AgreementList::ChildAgreements => "Afspraken met de kinderen",
    }
}

/// The label of the field at `path`, as the form shows it.
fn field_label(path: &str) -> &'static str {
    let last = path
        .trim_end_matches(".nl")
        .trim_end_matches(".en")
        .rsplit('.')
        .next()
        .unwrap_or_default();
    let last = last.split('[').next().unwrap_or_default();
    match last {
        "title" => "Titel",
        "text" => "Tekst",
        "location" => "Waar",
        "start" => "Begint op",
        "end" => "Eindigt op",
        "rsvp_deadline" => "Aanmelden kan tot",
        "capacity" => "Plaatsen in totaal",
        "max_per_family" => "Personen per gezin",
        "groepen" => "Groepen",
        "month" => "Maand",
        "date" => "Datum",
        "until" | "to" => "Tot en met",
        "from_time" => "Begintijd",
        "to_time" => "Eindtijd",
        "from" => "Van",
        "name" => "Naam",
        "place" => "Plaats",
        "website" => "Website",
        "phone" => "Telefoonnummer",
        "email" => "E-mailadres",
        "vision" => list_label(AgreementList::Vision),
        "school_promises" => list_label(AgreementList::SchoolPromises),
        "parent_expectations" => list_label(AgreementList::ParentExpectations),
        "child_agreements" => list_label(AgreementList::ChildAgreements),
        _ => "Veld",
    }
}

/// Where an error is, in words: "Activiteit «Kerstmarkt», Titel".
pub fn describe(content: &Content, path: &str) -> String {
    let named = |kind: &str, title: Option<&Text>| {
        let title = title.map(|t| t.get("nl")).unwrap_or_default();
        if title.trim().is_empty() {
            format!("{kind} zonder titel")
        } else {
            format!("{kind} «{title}»")
        }
    };
    let place = match pane_of(path) {
        Some(Pane::School) => "Schoolgegevens".to_owned(),
        Some(Pane::Agreement) => "Afspraken".to_owned(),
        Some(Pane::Bulletin(b)) => named("Maand", content.bulletins.get(b).map(|x| &x.title)),
        Some(Pane::Item(b, i)) => named(
            "Bericht",
            content
                .bulletins
                .get(b)
                .and_then(|x| x.items.get(i))
                .map(|x| &x.title),
        ),
        Some(Pane::Activity(a)) => named("Activiteit", content.activities.get(a).map(|x| &x.title)),
        Some(Pane::Theme(t)) => named("Thema", content.themes.get(t).map(|x| &x.title)),
        Some(Pane::Prompts) => "Algemene gespreksvragen".to_owned(),
        None => return field_label(path).to_owned(),
    };
    format!("{place}, {}", field_label(path))
}

/// A date as a form field holds it: `2026-12-03`.
pub fn date_value(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// A time as a form field holds it: `19:30`.
pub fn time_value(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// A date and time as a form field holds it: `2026-12-03T19:30`.
pub fn date_time_value(at: NaiveDateTime) -> String {
    format!("{}T{}", date_value(at.date()), time_value(at.time()))
}

/// A month as a form field holds it: `2026-12`.
pub fn month_value(month: driehoek_core::YearMonth) -> String {
    month.to_string()
}

/// Reads `2026-12-03`; `None` for anything else.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Reads `19:30` (seconds, when a browser adds them, are ignored).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let mut parts = text.trim().split(':');
    let hour = parts.next()?.parse().ok()?;
    let minute = parts.next()?.parse().ok()?;
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// Reads `2026-12-03T19:30`.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    Some(parse_date(date)?.and_time(parse_time(time)?))
}

/// Reads `2026-12`.
pub fn parse_month(text: &str) -> Option<driehoek_core::YearMonth> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use driehoek_core::demo::bundled;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_field_error_points_to_the_screen_that_shows_the_field() {
        assert_eq!(pane_of("school.email"), Some(Pane::School));
        assert_eq!(
            pane_of("agreement.child_agreements[2].text.nl"),
            Some(Pane::Agreement)
        );
        assert_eq!(pane_of("bulletins[1].title.nl"), Some(Pane::Bulletin(1)));
        assert_eq!(
            pane_of("bulletins[1].items[12].when.to_time"),
            Some(Pane::Item(1, 12))
        );
        assert_eq!(
            pane_of("activities[30].rsvp_deadline"),
            Some(Pane::Activity(30))
        );
        assert_eq!(
            pane_of("themes[0].prompts[3].text.en"),
            Some(Pane::Theme(0))
        );
        assert_eq!(pane_of("prompts[4].id"), Some(Pane::Prompts));
        assert_eq!(pane_of("iets anders"), None);
    }

    #[test]
    fn an_error_says_in_words_which_entry_and_field_it_is_about() {
        let mut content = bundled();
        content.activities[2].title = Text::nl("Kerstmarkt");
        assert_eq!(
            describe(&content, "activities[2].title.nl"),
            "Activiteit «Kerstmarkt», Titel"
        );
        content.themes[0].title = Text::nl("");
        assert_eq!(
            describe(&content, "themes[0].prompts[1].text.nl"),
            "Thema zonder titel, Tekst"
        );
        assert_eq!(
            describe(&content, "school.email"),
            "Schoolgegevens, E-mailadres"
        );
    }

    #[test]
    fn a_draft_survives_storage_as_it_was() {
        let record = BeheerRecord {
            draft: Some(Draft {
                base: "http://127.0.0.1:8080".into(),
                school: "wilgenhoek".into(),
                etag: Some("\"abc\"".into()),
                published: None,
                content: blank("wilgenhoek", day(2026, 12, 3)),
            }),
        };
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(serde_json::from_str::<BeheerRecord>(&json).unwrap(), record);
    }
}
