//! Proptest strategies for arbitrary (mostly invalid) content: weird strings, extreme dates.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use driehoek_core::model::*;
use proptest::prelude::*;

pub fn weird_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9-]{0,70}",
        Just(String::new()),
        Just("é".repeat(1501)),
        Just("\u{0}\u{202e}\r\n\t;,\\".to_owned()),
    ]
}

pub fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (2000i32..2200, 1u32..=366)
            .prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).unwrap_or(NaiveDate::MIN)),
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        any::<i32>()
            .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MAX)),
    ]
}

pub fn any_time() -> impl Strategy<Value = NaiveTime> {
    (0u32..86_400, 0u32..2_000_000_000).prop_map(|(s, n)| {
        NaiveTime::from_num_seconds_from_midnight_opt(s, n).unwrap_or(NaiveTime::MIN)
    })
}

pub fn any_date_time() -> impl Strategy<Value = NaiveDateTime> {
    (any_date(), any_time()).prop_map(|(d, t)| d.and_time(t))
}

pub fn any_text() -> impl Strategy<Value = Text> {
    prop::collection::btree_map(
        prop_oneof![Just("nl".to_owned()), Just("en".to_owned()), weird_string()],
        weird_string(),
        0..3,
    )
    .prop_map(Text)
}

pub fn any_groepen() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..4)
}

pub fn any_id() -> impl Strategy<Value = String> {
    prop_oneof![Just("a".to_owned()), Just("b".to_owned()), weird_string()]
}

pub fn any_when() -> impl Strategy<Value = When> {
    (
        any_date(),
        prop::option::of(any_date()),
        prop::option::of(any_time()),
        prop::option::of(any_time()),
    )
        .prop_map(|(date, until, from_time, to_time)| When {
            date,
            until,
            from_time,
            to_time,
        })
}

pub fn any_prompt() -> impl Strategy<Value = Prompt> {
    (
        any_id(),
        any_text(),
        prop::sample::select(vec![
            Band::Groep1_2,
            Band::Groep3_5,
            Band::Groep6_8,
            Band::All,
        ]),
        prop::sample::select(Category::ALL.to_vec()),
    )
        .prop_map(|(id, text, band, category)| Prompt {
            id,
            text,
            band,
            category,
        })
}

pub fn any_item() -> impl Strategy<Value = BulletinItem> {
    (
        any_id(),
        prop::sample::select(ItemKind::ALL.to_vec()),
        any_text(),
        any_text(),
        prop::option::of(any_when()),
        any_groepen(),
    )
        .prop_map(|(id, kind, title, text, when, groepen)| BulletinItem {
            id,
            kind,
            title,
            text,
            when,
            groepen,
        })
}

pub fn any_activity() -> impl Strategy<Value = Activity> {
    (
        (
            any_id(),
            prop::sample::select(ActivityKind::ALL.to_vec()),
            any_text(),
            any_text(),
        ),
        (any_date_time(), any_date_time(), any_text(), any_groepen()),
        (
            prop::option::of(any_date_time()),
            prop::option::of(any::<u32>()),
            any::<u8>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (id, kind, title, text),
                (start, end, location, groepen),
                (rsvp_deadline, capacity, max_per_family, helpers_wanted),
            )| {
                Activity {
                    id,
                    kind,
                    title,
                    text,
                    start,
                    end,
                    location,
                    groepen,
                    rsvp_deadline,
                    capacity,
                    max_per_family,
                    helpers_wanted,
                    cancelled: false,
                }
            },
        )
}

pub fn any_agreement_items() -> impl Strategy<Value = Vec<AgreementItem>> {
    prop::collection::vec(
        (any_id(), any_text()).prop_map(|(id, text)| AgreementItem { id, text }),
        0..3,
    )
}

prop_compose! {
    pub fn any_content()(
        school in (any_id(), weird_string(), weird_string(), weird_string(), weird_string(), weird_string()),
        agreement in (any::<u32>(), any_date(), any_text(), any_agreement_items(), any_agreement_items(), any_agreement_items()),
        bulletins in prop::collection::vec(
            (any_id(), any::<i32>(), 1u32..=12, any_text(), prop::collection::vec(any_item(), 0..3)),
            0..3,
        ),
        activities in prop::collection::vec(any_activity(), 0..3),
        themes in prop::collection::vec(
            (any_id(), any_text(), any_groepen(), any_date(), any_date(), prop::collection::vec(any_prompt(), 0..3)),
            0..3,
        ),
        prompts in prop::collection::vec(any_prompt(), 0..4),
    ) -> Content {
        let (id, name, place, website, phone, email) = school;
        let (version, published, vision, school_promises, parent_expectations, child_agreements) = agreement;
        Content {
            school: School { id, name, place, website, phone, email, absence_until: None, absence_phone: None },
            agreement: Agreement { version, published, vision, school_promises, parent_expectations, child_agreements },
            bulletins: bulletins
                .into_iter()
                .map(|(id, year, month, title, items)| Bulletin {
                    id,
                    month: YearMonth { year, month },
                    title,
                    items,
                })
                .collect(),
            activities,
            themes: themes
                .into_iter()
                .map(|(id, title, groepen, from, to, prompts)| Theme { id, title, groepen, from, to, prompts })
                .collect(),
            prompts,
            talks: Vec::new(),
        }
    }
}
