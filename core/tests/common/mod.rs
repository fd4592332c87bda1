//! Small hand-made content for the tests: valid as it is, so that each test changes one thing.
#![allow(dead_code)]

pub mod arb;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use driehoek_core::model::*;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).expect("test time")
}

pub fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("test time")
}

pub fn school() -> School {
    School {
        id: "de-linde".into(),
        name: "Basisschool De Linde".into(),
        place: "Ergens".into(),
        website: "https://delinde.example.nl".into(),
        phone: "0123-456789".into(),
        email: "info@delinde.example.nl".into(),
        absence_until: None,
        absence_phone: None,
    }
}

pub fn agreement_item(id: &str, nl: &str) -> AgreementItem {
    AgreementItem {
        id: id.into(),
        text: Text::nl_en(nl, format!("{nl} (en)")),
    }
}

pub fn agreement() -> Agreement {
    Agreement {
        version: 1,
        published: date(2026, 9, 1),
        vision: Text::nl_en(
            "Samen zorgen we voor uw kind.",
            "Together we care for your child.",
        ),
        school_promises: vec![agreement_item("s-1", "Wij zijn bereikbaar.")],
        parent_expectations: vec![agreement_item("p-1", "U leest de maandinfo.")],
        child_agreements: vec![agreement_item("k-1", "Ik help een ander.")],
    }
}

pub fn item(id: &str, kind: ItemKind, when: Option<When>, groepen: Vec<u8>) -> BulletinItem {
    BulletinItem {
        id: id.into(),
        kind,
        title: Text::nl_en(format!("Titel {id}"), format!("Title {id}")),
        text: Text::nl_en("Een korte tekst.", "A short text."),
        when,
        groepen,
    }
}

pub fn day(d: NaiveDate) -> When {
    When {
        date: d,
        until: None,
        from_time: None,
        to_time: None,
    }
}

pub fn bulletin(id: &str, month: YearMonth, items: Vec<BulletinItem>) -> Bulletin {
    Bulletin {
        id: id.into(),
        month,
        title: Text::nl_en("Maandinfo", "Monthly news"),
        items,
    }
}

pub fn activity(id: &str) -> Activity {
    Activity {
        id: id.into(),
        kind: ActivityKind::Koffiemoment,
        title: Text::nl_en("Koffie op school", "Coffee at school"),
        text: Text::nl_en("Drink koffie met ons.", "Have coffee with us."),
        start: at(2026, 11, 25, 8, 30),
        end: at(2026, 11, 25, 9, 30),
        location: Text::nl_en("De aula", "The hall"),
        groepen: vec![],
        rsvp_deadline: Some(at(2026, 11, 24, 12, 0)),
        capacity: Some(20),
        max_per_family: 2,
        helpers_wanted: true,
        cancelled: false,
    }
}

pub fn prompt(id: &str, band: Band, category: Category) -> Prompt {
    Prompt {
        id: id.into(),
        text: Text::nl_en(format!("Vraag {id}?"), format!("Question {id}?")),
        band,
        category,
    }
}

pub fn theme(
    id: &str,
    groepen: Vec<u8>,
    from: NaiveDate,
    to: NaiveDate,
    prompts: Vec<Prompt>,
) -> Theme {
    Theme {
        id: id.into(),
        title: Text::nl_en(format!("Thema {id}"), format!("Theme {id}")),
        groepen,
        from,
        to,
        prompts,
    }
}

/// `n` bank prompts `<prefix>-0..n` of one band and category.
pub fn prompts(prefix: &str, n: usize, band: Band, category: Category) -> Vec<Prompt> {
    (0..n)
        .map(|i| prompt(&format!("{prefix}-{i}"), band, category))
        .collect()
}

/// A small valid content: one bulletin, one activity, one theme, a few prompts.
pub fn content() -> Content {
    let november = YearMonth::new(2026, 11).expect("month");
    Content {
        school: school(),
        agreement: agreement(),
        bulletins: vec![bulletin(
            "maandinfo-2026-11",
            november,
            vec![
                item("nieuws-1", ItemKind::Nieuws, None, vec![]),
                item(
                    "studiedag-1",
                    ItemKind::Studiedag,
                    Some(day(date(2026, 11, 30))),
                    vec![],
                ),
            ],
        )],
        activities: vec![activity("koffie-1")],
        themes: vec![theme(
            "water",
            vec![3, 4, 5],
            date(2026, 11, 2),
            date(2026, 12, 11),
            vec![prompt("water-1", Band::Groep3_5, Category::Thema)],
        )],
        prompts: vec![
            prompt("dag-1", Band::All, Category::Schooldag),
            prompt("weekend-1", Band::All, Category::WeekendVakantie),
        ],
        talks: Vec::new(),
    }
}
