//! The school's draft on this device, and the plain rules around it: what changed against the
//! published version, what a publication sends, which screen an error belongs to, and the form
//! values of dates and times. Pure Rust, tested natively.

use driehoek_core::{AgreementList, BulletinItem, Content, Text};
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

// The draft's rules (a blank school, what a publication sends, taking a colleague's publication
// in, what the draft changes) are the core's: `driehoek_core::draft`.
pub use driehoek_core::agreement::same_text as same_agreement;
pub use driehoek_core::draft::{blank, changes, prepare, rebase, PartChanges};
// Form values are written and read in one place for both apps: `driehoek_web::dates`.
pub use driehoek_web::dates::{
    date_time_value, date_value, month_value, parse_date, parse_date_time, parse_month, parse_time,
    time_value,
};

/// Moves the item `id` to its place by date: before the first other item with a later date,
/// else just after the last dated one (news without a date keeps its place around it). An item
/// without a date stays where it is. Says whether it moved.
pub fn place_by_date(items: &mut Vec<BulletinItem>, id: &str) -> bool {
    let Some(from) = items.iter().position(|i| i.id == id) else {
        return false;
    };
    let Some(date) = items[from].when.as_ref().map(|w| w.date) else {
        return false;
    };
    let item = items.remove(from);
    let later = items
        .iter()
        .position(|i| i.when.as_ref().is_some_and(|w| w.date > date));
    let to = later.unwrap_or_else(|| {
        items
            .iter()
            .rposition(|i| i.when.is_some())
            .map_or(from.min(items.len()), |last| last + 1)
    });
    items.insert(to, item);
    to != from
}

/// Places every item the published version does not have yet by its date.
pub fn place_new_items(published: Option<&Content>, draft: &mut Content) {
    for bulletin in &mut draft.bulletins {
        let known = |id: &str| {
            published.is_some_and(|p| {
                p.bulletins
                    .iter()
                    .any(|b| b.items.iter().any(|i| i.id == id))
            })
        };
        let new: Vec<String> = bulletin
            .items
            .iter()
            .filter(|i| !known(&i.id))
            .map(|i| i.id.clone())
            .collect();
        for id in new {
            place_by_date(&mut bulletin.items, &id);
        }
    }
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
    /// A round of talks ("Gesprekken").
    Talk(usize),
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
    if let Some((r, _)) = index(path, "talks") {
        return Some(Pane::Talk(r));
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
        "kind" => "Soort",
        "slot_minutes" => "Duur van een gesprek",
        "changeover_minutes" => "Wisseltijd",
        "opens" => "Inschrijven open vanaf",
        "closes" => "Inschrijven sluit op",
        "siblings_from" => "Gezinnen met meer kinderen eerder",
        "groep" => "Groep",
        "windows" => "Tijden",
        "until" | "to" => "Tot en met",
        "from_time" => "Begintijd",
        "to_time" => "Eindtijd",
        "from" => "Van",
        "name" => "Naam",
        "place" => "Plaats",
        "website" => "Website",
        "phone" => "Telefoonnummer",
        "email" => "E-mailadres",
        "absence_until" => "Melden voor vandaag kan tot",
        "absence_phone" => "Nummer om te bellen in dringende gevallen",
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
        Some(Pane::Talk(r)) => named("Gesprekken", content.talks.get(r).map(|x| &x.title)),
        Some(Pane::Prompts) => "Algemene gespreksvragen".to_owned(),
        None => return field_label(path).to_owned(),
    };
    format!("{place}, {}", field_label(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    // The demo content is compiled in only natively (the wasm fetches its asset).
    #[cfg(not(target_arch = "wasm32"))]
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
        assert_eq!(
            pane_of("talks[1].groepen[0].windows[2].to"),
            Some(Pane::Talk(1))
        );
        assert_eq!(pane_of("iets anders"), None);
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
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

    fn dated(id: &str, date: Option<NaiveDate>) -> BulletinItem {
        BulletinItem {
            id: id.into(),
            kind: driehoek_core::ItemKind::Nieuws,
            title: Text::nl(id),
            text: Text::nl(id),
            when: date.map(|date| driehoek_core::When {
                date,
                until: None,
                from_time: None,
                to_time: None,
            }),
            groepen: Vec::new(),
        }
    }

    fn ids(items: &[BulletinItem]) -> Vec<&str> {
        items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn a_new_item_takes_its_place_by_date_not_the_end() {
        let mut items = vec![
            dated("a", Some(day(2026, 12, 1))),
            dated("nieuws", None),
            dated("b", Some(day(2026, 12, 10))),
            dated("c", Some(day(2026, 12, 5))),
        ];
        assert!(place_by_date(&mut items, "c"));
        assert_eq!(ids(&items), ["a", "nieuws", "c", "b"]);
        // The latest goes after the last dated item, before news without a date after it.
        let mut items = vec![
            dated("a", Some(day(2026, 12, 1))),
            dated("nieuws", None),
            dated("d", Some(day(2026, 12, 20))),
        ];
        items.swap(1, 2);
        assert_eq!(ids(&items), ["a", "d", "nieuws"]);
        assert!(!place_by_date(&mut items, "d"));
        // Without a date, an item stays where it is; an unknown id changes nothing.
        assert!(!place_by_date(&mut items, "nieuws"));
        assert!(!place_by_date(&mut items, "weg"));
        assert_eq!(ids(&items), ["a", "d", "nieuws"]);
    }

    #[test]
    fn before_publishing_only_new_items_move() {
        let mut content = blank("wilgenhoek", day(2026, 12, 3));
        content.bulletins.push(driehoek_core::Bulletin {
            id: "maandinfo-2026-12".into(),
            month: driehoek_core::YearMonth::of(day(2026, 12, 1)),
            title: Text::nl("Maandinfo december"),
            items: vec![
                dated("b", Some(day(2026, 12, 10))),
                dated("a", Some(day(2026, 12, 1))),
            ],
        });
        let published = content.clone();
        content.bulletins[0]
            .items
            .push(dated("nieuw", Some(day(2026, 12, 4))));
        place_new_items(Some(&published), &mut content);
        // The published order stays as the school had it; the new item goes before the 10th.
        assert_eq!(ids(&content.bulletins[0].items), ["nieuw", "b", "a"]);
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
