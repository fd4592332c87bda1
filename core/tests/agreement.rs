mod common;

use common::*;
use driehoek_core::agreement::*;
use driehoek_core::model::Text;

#[test]
fn the_same_agreement_has_no_changes() {
    assert_eq!(diff(&agreement(), &agreement(), "nl"), []);
}

#[test]
fn added_removed_and_reworded_items_are_found_by_id() {
    let old = agreement();
    let mut new = agreement();
    new.version = 2;
    new.school_promises[0].text = Text::nl_en("Wij zijn elke dag bereikbaar.", "Daily.");
    new.school_promises
        .push(agreement_item("s-2", "Wij vertellen ook goed nieuws."));
    new.parent_expectations.clear();
    let changes = diff(&old, &new, "nl");
    assert_eq!(
        changes,
        [
            Change {
                list: AgreementList::SchoolPromises,
                id: "s-1".into(),
                kind: ChangeKind::Reworded,
                old_text: Some("Wij zijn bereikbaar.".into()),
                new_text: Some("Wij zijn elke dag bereikbaar.".into()),
            },
            Change {
                list: AgreementList::SchoolPromises,
                id: "s-2".into(),
                kind: ChangeKind::Added,
                old_text: None,
                new_text: Some("Wij vertellen ook goed nieuws.".into()),
            },
            Change {
                list: AgreementList::ParentExpectations,
                id: "p-1".into(),
                kind: ChangeKind::Removed,
                old_text: Some("U leest de maandinfo.".into()),
                new_text: None,
            },
        ]
    );
}

#[test]
fn a_changed_vision_comes_first() {
    let old = agreement();
    let mut new = agreement();
    new.vision = Text::nl("Samen, elke dag.");
    new.child_agreements[0].text = Text::nl("Ik help een ander, ook buiten.");
    let changes = diff(&old, &new, "nl");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].list, AgreementList::Vision);
    assert_eq!(changes[0].id, "vision");
    assert_eq!(changes[0].new_text.as_deref(), Some("Samen, elke dag."));
    assert_eq!(changes[1].list, AgreementList::ChildAgreements);
}

#[test]
fn texts_are_compared_in_the_readers_language() {
    let old = agreement();
    let mut new = agreement();
    new.school_promises[0].text = Text::nl_en("Wij zijn bereikbaar.", "You can always reach us.");
    assert_eq!(diff(&old, &new, "nl"), [], "nothing changed in Dutch");
    let changes = diff(&old, &new, "en");
    assert_eq!(changes.len(), 1);
    assert_eq!(
        changes[0].old_text.as_deref(),
        Some("Wij zijn bereikbaar. (en)")
    );
    assert_eq!(
        changes[0].new_text.as_deref(),
        Some("You can always reach us.")
    );
}

#[test]
fn an_item_moved_to_another_list_is_removed_there_and_added_here() {
    let old = agreement();
    let mut new = agreement();
    let moved = new.school_promises.remove(0);
    new.parent_expectations.push(moved);
    let kinds: Vec<_> = diff(&old, &new, "nl")
        .into_iter()
        .map(|c| (c.list, c.id, c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                AgreementList::SchoolPromises,
                "s-1".to_owned(),
                ChangeKind::Removed
            ),
            (
                AgreementList::ParentExpectations,
                "s-1".to_owned(),
                ChangeKind::Added
            ),
        ]
    );
}

#[test]
fn changes_serialise_in_snake_case() {
    let change = Change {
        list: AgreementList::ParentExpectations,
        id: "p-1".into(),
        kind: ChangeKind::Removed,
        old_text: Some("x".into()),
        new_text: None,
    };
    assert_eq!(
        serde_json::to_string(&change).expect("json"),
        r#"{"list":"parent_expectations","id":"p-1","kind":"removed","old_text":"x","new_text":null}"#
    );
}

#[test]
fn each_list_is_changed_in_its_own_place_and_the_vision_is_no_list() {
    let mut agreement = content().agreement;
    assert!(AgreementList::Vision.items_mut(&mut agreement).is_none());
    for list in AgreementList::LISTS {
        let before = list.items(&agreement).len();
        let mut item = list.items(&agreement)[0].clone();
        item.id = "nieuw".into();
        list.items_mut(&mut agreement).unwrap().push(item);
        assert_eq!(list.items(&agreement).len(), before + 1, "{list:?}");
        assert_eq!(list.items(&agreement)[before].id, "nieuw");
    }
}

#[test]
fn other_words_under_a_published_version_are_refused() {
    // Bug: a changed text under the same version number was published, so that families who
    // acknowledged that number seemed to have agreed to words they never read.
    let published = agreement();
    let mut new = agreement();
    new.school_promises[0].text = Text::nl("Wij zijn soms bereikbaar.");
    let decision = check_publish(Some(&published), &new);
    assert_eq!(
        decision,
        Publish::Refused(PublishRefusal::Changed {
            version: published.version
        }),
        "a published version never changes"
    );
    let Publish::Refused(refusal) = decision else {
        unreachable!()
    };
    assert!(
        refusal.message().contains("nieuwe tekst als versie 2"),
        "the message says what to do: {}",
        refusal.message()
    );
}

#[test]
fn a_new_date_under_a_published_version_is_refused_too() {
    let published = agreement();
    let mut new = agreement();
    new.published = new.published.succ_opt().unwrap();
    assert!(matches!(
        check_publish(Some(&published), &new),
        Publish::Refused(PublishRefusal::Changed { .. })
    ));
}

#[test]
fn the_same_version_again_is_the_same_and_a_higher_one_is_next() {
    let published = agreement();
    assert_eq!(check_publish(Some(&published), &agreement()), Publish::Same);
    assert_eq!(
        check_publish(None, &agreement()),
        Publish::Next,
        "the first"
    );
    let mut next = agreement();
    next.version = published.version + 1;
    next.vision = Text::nl("Samen, elke dag.");
    assert_eq!(check_publish(Some(&published), &next), Publish::Next);
}

#[test]
fn a_lower_version_is_refused_so_the_current_one_never_goes_back() {
    let mut published = agreement();
    published.version = 2;
    let mut old = agreement();
    old.version = 1;
    assert_eq!(
        check_publish(Some(&published), &old),
        Publish::Refused(PublishRefusal::Older { current: 2 })
    );
}

#[test]
fn beheer_numbering_always_passes_the_publish_rule() {
    let published = agreement();
    let today = published.published.succ_opt().unwrap();
    let mut reworded = agreement();
    reworded.version = 1;
    reworded.vision = Text::nl("Anders gezegd.");
    let numbered = numbered_for_publication(Some(&published), &reworded, today);
    assert_eq!(numbered.version, published.version + 1);
    assert_eq!(numbered.published, today);
    assert_eq!(check_publish(Some(&published), &numbered), Publish::Next);
    let mut same = agreement();
    same.version = 7;
    let numbered = numbered_for_publication(Some(&published), &same, today);
    assert_eq!(check_publish(Some(&published), &numbered), Publish::Same);
    let first = numbered_for_publication(None, &agreement(), today);
    assert_eq!(check_publish(None, &first), Publish::Next);
}
