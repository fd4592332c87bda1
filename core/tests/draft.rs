//! The school's draft: what a publication sends, what the draft changes, and a colleague's
//! publication taken in where the draft left things alone.

use chrono::NaiveDate;
use driehoek_core::demo::bundled;
use driehoek_core::draft::{changes, prepare, rebase};
use driehoek_core::Text;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn an_unchanged_draft_has_no_changes_and_keeps_the_agreement_version() {
    let content = bundled();
    assert!(changes(Some(&content), &content).is_empty());
    let sent = prepare(Some(&content), &content, day(2030, 1, 1));
    assert_eq!(sent, content);
}

#[test]
fn a_new_agreement_text_is_published_as_the_next_version_dated_today() {
    let old = bundled();
    let mut draft = old.clone();
    draft.agreement.vision = Text::nl("Samen zorgen we voor een goede schooltijd.");
    let sent = prepare(Some(&old), &draft, day(2030, 1, 1));
    assert_eq!(sent.agreement.version, old.agreement.version + 1);
    assert_eq!(sent.agreement.published, day(2030, 1, 1));
    let parts = changes(Some(&old), &draft);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].part, "Afspraken");
}

#[test]
fn added_changed_and_removed_entries_are_named_by_title() {
    let old = bundled();
    let mut draft = old.clone();
    let removed = draft.activities.remove(0);
    draft.activities[0].location = Text::nl("In de gymzaal");
    let changed = draft.activities[0].title.get("nl").to_owned();
    let mut item = draft.bulletins[0].items[0].clone();
    item.id = "nieuw-bericht".into();
    item.title = Text::nl("Nieuwe fietsenstalling");
    draft.bulletins[0].items.push(item);
    let parts = changes(Some(&old), &draft);
    let names: Vec<_> = parts.iter().map(|p| p.part).collect();
    assert_eq!(names, ["Berichten in de maandinfo", "Activiteiten"]);
    assert_eq!(parts[0].added, ["Nieuwe fietsenstalling"]);
    assert_eq!(parts[1].changed, [changed]);
    assert_eq!(parts[1].removed, [removed.title.get("nl").to_owned()]);
}

#[test]
fn a_first_publication_is_all_new_and_agreement_version_one() {
    let draft = bundled();
    let sent = prepare(None, &draft, day(2030, 1, 1));
    assert_eq!(sent.agreement.published, day(2030, 1, 1));
    assert!(sent.agreement.version >= 1);
    let parts = changes(None, &draft);
    assert!(parts
        .iter()
        .any(|p| p.part == "Activiteiten" && p.added.len() == draft.activities.len()));
    assert!(parts.iter().any(|p| p.part == "Afspraken"));
}

#[test]
fn a_newer_publication_is_taken_in_where_the_draft_left_things_alone() {
    let old = bundled();
    // A colleague published: a new phone number, a changed activity, a new item, one
    // activity removed.
    let mut new = old.clone();
    new.school.phone = "010 123 45 67".into();
    new.activities[1].location = Text::nl("In de aula");
    let mut colleague_item = new.bulletins[0].items[0].clone();
    colleague_item.id = "van-collega".into();
    new.bulletins[0].items.push(colleague_item);
    let dropped = new.activities.remove(3);
    // This draft: another place, another activity changed, an item of its own.
    let mut draft = old.clone();
    draft.school.place = "Wilgendorp".into();
    draft.activities[2].title = Text::nl("Kerstmarkt");
    let mut own_item = draft.bulletins[0].items[0].clone();
    own_item.id = "eigen-bericht".into();
    draft.bulletins[0].items.push(own_item);

    let merged = rebase(Some(&old), &new, &draft);
    assert_eq!(
        merged.school.place, "Wilgendorp",
        "the draft's change stays"
    );
    assert_eq!(
        merged.school.phone, "010 123 45 67",
        "and the colleague's too"
    );
    assert_eq!(
        merged
            .activities
            .iter()
            .find(|a| a.id == old.activities[1].id)
            .unwrap()
            .location,
        Text::nl("In de aula")
    );
    assert_eq!(
        merged
            .activities
            .iter()
            .find(|a| a.id == old.activities[2].id)
            .unwrap()
            .title,
        Text::nl("Kerstmarkt")
    );
    assert!(
        !merged.activities.iter().any(|a| a.id == dropped.id),
        "removed by the colleague"
    );
    let ids: Vec<_> = merged.bulletins[0]
        .items
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert!(
        ids.contains(&"van-collega") && ids.contains(&"eigen-bericht"),
        "{ids:?}"
    );
    assert_eq!(merged.agreement, new.agreement);
}
