mod common;

use chrono::NaiveDateTime;
use common::arb::any_content;
use common::*;
use driehoek_core::model::*;
use driehoek_core::validate::{is_valid_id, validate, FieldError, MAX_LIST};
use proptest::prelude::*;

/// The fields that have an error, in order.
fn fields(content: &Content) -> Vec<String> {
    validate(content).into_iter().map(|e| e.field).collect()
}

fn message_of(content: &Content, field: &str) -> String {
    validate(content)
        .into_iter()
        .find(|e| e.field == field)
        .map(|e| e.message)
        .unwrap_or_else(|| panic!("expected an error on {field}"))
}

#[test]
fn the_fixture_content_is_valid() {
    assert_eq!(validate(&content()), Vec::<FieldError>::new());
}

#[test]
fn ids_are_lowercase_letters_digits_and_dashes_up_to_64() {
    for ok in ["a", "week-47", "0", &"x".repeat(64)] {
        assert!(is_valid_id(ok), "{ok:?} is a valid id");
    }
    for bad in ["", "Hoofd", "a_b", "a b", "ü", &"x".repeat(65), "a/b"] {
        assert!(!is_valid_id(bad), "{bad:?} is not a valid id");
    }
}

#[test]
fn bad_ids_are_reported_with_their_path() {
    let mut c = content();
    c.school.id = "De Linde".into();
    c.activities[0].id = "".into();
    c.bulletins[0].items[1].id = "Item_1".into();
    assert_eq!(
        fields(&c),
        ["school.id", "bulletins[0].items[1].id", "activities[0].id"]
    );
}

#[test]
fn duplicate_activity_ids_point_at_the_first() {
    let mut c = content();
    c.activities.push(activity("koffie-1"));
    assert_eq!(
        validate(&c),
        [FieldError {
            field: "activities[1].id".into(),
            message: "Deze id komt al voor bij activities[0].id.".into(),
        }]
    );
}

#[test]
fn bulletin_item_ids_are_unique_across_bulletins() {
    let mut c = content();
    let december = YearMonth::new(2026, 12).expect("month");
    c.bulletins.push(bulletin(
        "maandinfo-2026-12",
        december,
        vec![item("nieuws-1", ItemKind::Nieuws, None, vec![])],
    ));
    assert_eq!(fields(&c), ["bulletins[1].items[0].id"]);
}

#[test]
fn bulletin_ids_and_theme_ids_are_unique() {
    let mut c = content();
    c.bulletins
        .push(bulletin("maandinfo-2026-11", c.bulletins[0].month, vec![]));
    let t = c.themes[0].clone();
    c.themes.push(Theme {
        prompts: vec![],
        ..t
    });
    assert_eq!(fields(&c), ["bulletins[1].id", "themes[1].id"]);
}

#[test]
fn prompt_ids_are_unique_across_the_bank_and_all_themes() {
    let mut c = content();
    c.prompts
        .push(prompt("water-1", Band::All, Category::Leren));
    assert_eq!(fields(&c), ["prompts[2].id"]);
}

#[test]
fn agreement_item_ids_are_unique_across_the_three_lists() {
    let mut c = content();
    c.agreement
        .child_agreements
        .push(agreement_item("s-1", "Nog eens."));
    assert_eq!(fields(&c), ["agreement.child_agreements[1].id"]);
}

#[test]
fn every_text_needs_dutch() {
    let mut c = content();
    c.activities[0].title = Text(
        [("en".to_owned(), "Coffee".to_owned())]
            .into_iter()
            .collect(),
    );
    assert_eq!(
        message_of(&c, "activities[0].title"),
        "De Nederlandse tekst ontbreekt."
    );
}

#[test]
fn an_empty_translation_is_an_error_on_that_language() {
    let mut c = content();
    c.themes[0].prompts[0].text = Text::nl_en("Wat weet je van water?", "  ");
    assert_eq!(fields(&c), ["themes[0].prompts[0].text.en"]);
}

#[test]
fn lengths_are_counted_in_characters_per_language() {
    let mut c = content();
    // 100 two-byte characters are 200 bytes, but only 100 characters: allowed.
    c.activities[0].title = Text::nl_en("é".repeat(100), "e".repeat(101));
    assert_eq!(
        validate(&c),
        [FieldError {
            field: "activities[0].title.en".into(),
            message: "Te lang: maximaal 100 tekens.".into(),
        }]
    );
}

#[test]
fn length_limits_of_texts() {
    let mut c = content();
    c.agreement.vision = Text::nl("v".repeat(1501));
    c.agreement.school_promises[0].text = Text::nl("s".repeat(301));
    c.bulletins[0].items[0].text = Text::nl("t".repeat(1501));
    c.bulletins[0].title = Text::nl("t".repeat(101));
    c.activities[0].text = Text::nl("a".repeat(1501));
    c.activities[0].location = Text::nl("l".repeat(121));
    c.prompts[0].text = Text::nl("p".repeat(201));
    assert_eq!(
        fields(&c),
        [
            "agreement.vision.nl",
            "agreement.school_promises[0].text.nl",
            "bulletins[0].title.nl",
            "bulletins[0].items[0].text.nl",
            "activities[0].text.nl",
            "activities[0].location.nl",
            "prompts[0].text.nl",
        ]
    );
}

#[test]
fn texts_at_their_limits_are_valid() {
    let mut c = content();
    c.agreement.vision = Text::nl("v".repeat(1500));
    c.agreement.school_promises[0].text = Text::nl("s".repeat(300));
    c.activities[0].title = Text::nl("t".repeat(100));
    c.activities[0].location = Text::nl("l".repeat(120));
    c.prompts[0].text = Text::nl("p".repeat(200));
    assert_eq!(validate(&c), []);
}

#[test]
fn school_fields_have_limits() {
    let mut c = content();
    c.school.name = " ".into();
    c.school.place = "p".repeat(81);
    c.school.phone = "1".repeat(31);
    c.school.email = "geen-adres".into();
    c.school.website = "javascript:alert(1)".into();
    assert_eq!(
        fields(&c),
        [
            "school.name",
            "school.place",
            "school.phone",
            "school.email",
            "school.website"
        ]
    );
    c.school = school();
    c.school.place = String::new();
    c.school.phone = String::new();
    c.school.email = String::new();
    c.school.website = String::new();
    assert_eq!(validate(&c), [], "optional school fields may be empty");
    c.school.name = "n".repeat(81);
    c.school.email = format!("{}@x.nl", "e".repeat(116));
    c.school.website = format!("https://{}", "w".repeat(193));
    assert_eq!(
        fields(&c),
        ["school.name", "school.email", "school.website"]
    );
}

#[test]
fn groepen_are_one_to_eight_without_duplicates() {
    let mut c = content();
    c.bulletins[0].items[0].groepen = vec![0, 3, 9, 3];
    c.activities[0].groepen = vec![1, 2, 8];
    assert_eq!(
        validate(&c),
        [
            FieldError {
                field: "bulletins[0].items[0].groepen[0]".into(),
                message: "Een groep is een getal van 1 tot en met 8.".into(),
            },
            FieldError {
                field: "bulletins[0].items[0].groepen[2]".into(),
                message: "Een groep is een getal van 1 tot en met 8.".into(),
            },
            FieldError {
                field: "bulletins[0].items[0].groepen[3]".into(),
                message: "Groep 3 staat er twee keer in.".into(),
            },
        ]
    );
}

#[test]
fn a_range_of_dates_cannot_end_before_it_starts() {
    let mut c = content();
    c.bulletins[0].items[1].when = Some(When {
        until: Some(date(2026, 11, 29)),
        ..day(date(2026, 11, 30))
    });
    assert_eq!(fields(&c), ["bulletins[0].items[1].when.until"]);
}

#[test]
fn end_time_must_follow_start_time_on_one_day() {
    let mut c = content();
    let when = When {
        from_time: Some(time(14, 0)),
        to_time: Some(time(14, 0)),
        ..day(date(2026, 11, 30))
    };
    c.bulletins[0].items[1].when = Some(when.clone());
    assert_eq!(
        message_of(&c, "bulletins[0].items[1].when.to_time"),
        "De eindtijd moet na de begintijd liggen."
    );
    // Over several days, the end time is on the last day: earlier than the start time is fine.
    c.bulletins[0].items[1].when = Some(When {
        until: Some(date(2026, 12, 1)),
        to_time: Some(time(10, 0)),
        ..when
    });
    assert_eq!(validate(&c), []);
}

#[test]
fn end_time_without_start_time_is_an_error() {
    let mut c = content();
    c.bulletins[0].items[1].when = Some(When {
        to_time: Some(time(14, 0)),
        ..day(date(2026, 11, 30))
    });
    assert_eq!(fields(&c), ["bulletins[0].items[1].when.to_time"]);
}

#[test]
fn activity_must_end_after_it_starts() {
    let mut c = content();
    c.activities[0].end = c.activities[0].start;
    assert_eq!(
        message_of(&c, "activities[0].end"),
        "Het einde moet na de start liggen."
    );
}

#[test]
fn rsvp_deadline_after_the_start_is_an_error() {
    let mut c = content();
    c.activities[0].rsvp_deadline = Some(at(2026, 11, 25, 8, 31));
    assert_eq!(
        message_of(&c, "activities[0].rsvp_deadline"),
        "De sluitingsdatum voor aanmelden moet vóór de start liggen."
    );
    c.activities[0].rsvp_deadline = Some(c.activities[0].start);
    assert_eq!(validate(&c), [], "a deadline at the start is allowed");
}

#[test]
fn capacity_and_family_size_have_bounds() {
    let mut c = content();
    c.activities[0].capacity = Some(0);
    c.activities[0].max_per_family = 0;
    assert_eq!(
        fields(&c),
        ["activities[0].capacity", "activities[0].max_per_family"]
    );
    c.activities[0].capacity = None;
    c.activities[0].max_per_family = 21;
    assert_eq!(fields(&c), ["activities[0].max_per_family"]);
    c.activities[0].max_per_family = 20;
    assert_eq!(validate(&c), []);
}

#[test]
fn theme_cannot_end_before_it_starts() {
    let mut c = content();
    c.themes[0].to = date(2026, 11, 1);
    assert_eq!(fields(&c), ["themes[0].to"]);
}

#[test]
fn agreement_needs_a_version_and_three_non_empty_lists() {
    let mut c = content();
    c.agreement.version = 0;
    c.agreement.parent_expectations.clear();
    assert_eq!(
        fields(&c),
        ["agreement.version", "agreement.parent_expectations"]
    );
}

#[test]
fn prompt_text_cannot_be_empty() {
    let mut c = content();
    c.prompts[0].text = Text::nl("");
    assert_eq!(fields(&c), ["prompts[0].text.nl"]);
    let errors = validate(&c);
    assert_eq!(errors[0].message, "Vul de Nederlandse tekst in.");
}

#[test]
fn dates_far_from_today_are_typing_errors() {
    let mut c = content();
    c.themes[0].from = date(1999, 12, 31);
    c.activities[0].start = NaiveDateTime::MIN;
    c.activities[0].rsvp_deadline = None;
    assert_eq!(fields(&c), ["activities[0].start", "themes[0].from"]);
}

#[test]
fn lists_longer_than_the_maximum_are_reported_and_checked_only_up_to_it() {
    let mut c = content();
    c.prompts = (0..MAX_LIST + 5)
        .map(|i| prompt(&format!("p-{i}"), Band::All, Category::Leren))
        .collect();
    c.prompts[MAX_LIST + 1].id = "Ongeldig".into();
    assert_eq!(
        fields(&c),
        ["prompts"],
        "one error for the size, none for entries past the maximum"
    );
}

#[test]
fn field_errors_serialise_as_field_and_message() {
    let e = FieldError {
        field: "activities[0].end".into(),
        message: "Het einde moet na de start liggen.".into(),
    };
    let json = serde_json::to_string(&e).expect("serialise");
    assert_eq!(
        json,
        r#"{"field":"activities[0].end","message":"Het einde moet na de start liggen."}"#
    );
}

// ---- Validation never panics, whatever the content -------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn validation_never_panics_and_names_fields(content in any_content()) {
        for error in validate(&content) {
            prop_assert!(!error.field.is_empty(), "every error names a field");
            prop_assert!(!error.message.is_empty(), "every error explains itself");
        }
    }
}

#[test]
fn free_text_refuses_control_characters_and_text_that_shows_nothing() {
    use driehoek_core::validate::{free_text, TextProblem};
    assert_eq!(free_text("Sanne de Vries", false), Ok(()));
    assert_eq!(free_text("Zoë & Ali 👩\u{200d}👧", false), Ok(()));
    assert_eq!(
        free_text("regel 1\nregel 2", true),
        Ok(()),
        "a note may have lines"
    );
    assert_eq!(
        free_text("regel 1\nregel 2", false),
        Err(TextProblem::Control)
    );
    assert_eq!(free_text("a\rb", true), Err(TextProblem::Control));
    assert_eq!(free_text("a\tb", false), Err(TextProblem::Control));
    assert_eq!(free_text("\u{202e}evil", false), Err(TextProblem::Control));
    for empty in ["", "   ", "\u{200b}", "\u{feff}\u{ad}\u{2060}", "\u{3000}"] {
        assert_eq!(
            free_text(empty, false),
            Err(TextProblem::Empty),
            "{empty:?}"
        );
    }
}
