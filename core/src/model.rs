//! The content model: one definition of a school's published content, used by the app, the sync
//! server and the demo school alike.
//!
//! All dates and times are local school times in Europe/Amsterdam, stored without an offset
//! (`2026-11-26T19:30:00`): a school thinks in wall-clock time, and the offset is only needed when a
//! calendar file is written (see [`crate::tz`]).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// A text in one or more languages, keyed by language code. Dutch (`"nl"`) is always present in
/// valid content; other languages are optional and fall back to Dutch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    /// A text in Dutch only.
    pub fn nl(s: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert("nl".to_owned(), s.into());
        Text(map)
    }

    /// A text in Dutch and English.
    pub fn nl_en(nl: impl Into<String>, en: impl Into<String>) -> Self {
        let mut text = Text::nl(nl);
        text.0.insert("en".to_owned(), en.into());
        text
    }

    /// The text in `lang`, falling back to Dutch, then to any language, then to "".
    pub fn get(&self, lang: &str) -> &str {
        self.0
            .get(lang)
            .or_else(|| self.0.get("nl"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Everything a school publishes, in one document (the body of `GET …/content`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Content {
    pub school: School,
    pub agreement: Agreement,
    /// Monthly bulletins ("maandinfo"), in any order.
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_LIST)))]
    pub bulletins: Vec<Bulletin>,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_LIST)))]
    pub activities: Vec<Activity>,
    /// Class themes, each with its own conversation prompts.
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_LIST)))]
    pub themes: Vec<Theme>,
    /// The general bank of conversation prompts, not tied to a theme.
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_LIST)))]
    pub prompts: Vec<Prompt>,
    /// Rounds of talks with parents ("gespreksronden"), each with slots to book per groep.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = 50)))]
    pub talks: Vec<crate::talks::TalkRound>,
}

/// The most rounds of talks a school publishes at once.
pub const MAX_TALK_ROUNDS: usize = 50;

/// The school itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct School {
    /// Short, URL-safe id (`a-z`, `0-9`, `-`), also used in the sync paths.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = crate::validate::MAX_SCHOOL_NAME), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub name: String,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_PLACE)))]
    pub place: String,
    /// Empty, or a web address (`https://` or `http://`).
    #[cfg_attr(
        feature = "schema",
        schemars(length(max = crate::validate::MAX_WEBSITE), extend("anyOf" = [{ "maxLength": 0 }, { "pattern": "^https?://" }]))
    )]
    pub website: String,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_PHONE)))]
    pub phone: String,
    /// Empty, or an address with an `@`.
    #[cfg_attr(
        feature = "schema",
        schemars(length(max = crate::validate::MAX_EMAIL), extend("anyOf" = [{ "maxLength": 0 }, { "pattern": "@" }]))
    )]
    pub email: String,
    /// Until what time (local school time) parents can report a child ill or absent for today in
    /// the app ("Ziek of afwezig melden"); after it, the app shows the number to call. None: all
    /// day.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso::option"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::MorningTime>")
    )]
    pub absence_until: Option<NaiveTime>,
    /// The number parents call in urgent cases (after `absence_until`); None: `phone`. Empty,
    /// or with at least one digit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(length(max = crate::validate::MAX_PHONE), extend("anyOf" = [{ "maxLength": 0 }, { "pattern": "[0-9]" }]))
    )]
    pub absence_phone: Option<String>,
}

/// The agreement between school and parents ("afspraken"), in one published version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Agreement {
    /// Increases by one with every publication that changes the text.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub version: u32,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub published: NaiveDate,
    /// The school's short vision on working together with parents.
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TEXT }>")
    )]
    pub vision: Text,
    /// What parents may expect of the school.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::validate::MAX_LIST)))]
    pub school_promises: Vec<AgreementItem>,
    /// What the school expects of parents.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::validate::MAX_LIST)))]
    pub parent_expectations: Vec<AgreementItem>,
    /// What the children agree to.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::validate::MAX_LIST)))]
    pub child_agreements: Vec<AgreementItem>,
}

/// One line of the agreement. Its id stays the same when the text is reworded, so that a new
/// version can show what was added, removed or reworded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgreementItem {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_AGREEMENT_ITEM }>")
    )]
    pub text: Text,
}

/// A month as `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The month that `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (y, m) = s
            .split_once('-')
            .ok_or_else(|| format!("geen maand: {s}"))?;
        let year = y.parse().map_err(|_| format!("geen jaar: {y}"))?;
        let month = m.parse().map_err(|_| format!("geen maand: {m}"))?;
        YearMonth::new(year, month).ok_or_else(|| format!("geen maand: {s}"))
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The monthly bulletin ("maandinfo").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Bulletin {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub month: YearMonth,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TITLE }>")
    )]
    pub title: Text,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_LIST)))]
    pub items: Vec<BulletinItem>,
}

/// One item of a bulletin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BulletinItem {
    /// Unique within the whole content, so that an item can be linked to and marked as read.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub kind: ItemKind,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TITLE }>")
    )]
    pub title: Text,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TEXT }>")
    )]
    pub text: Text,
    /// When it happens; `None` for news without a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// The groepen (1 to 8) it concerns; empty means the whole school.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Groepen"))]
    pub groepen: Vec<u8>,
}

/// The kind of a bulletin item; each has its own icon and label in the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A day without school for the children.
    VrijeDag,
    /// A study day for the teachers: no school for the children.
    Studiedag,
    /// A school holiday of more than one day.
    Vakantie,
    /// An outing or excursion.
    Uitstapje,
    Nieuws,
    PositiefNieuws,
    /// A call for help from parents ("oproep / hulp gevraagd").
    Oproep,
    /// A celebration or festivity at school.
    Viering,
    /// A reminder: bring something, hand something in.
    Herinnering,
}

impl ItemKind {
    pub const ALL: [ItemKind; 9] = [
        ItemKind::VrijeDag,
        ItemKind::Studiedag,
        ItemKind::Vakantie,
        ItemKind::Uitstapje,
        ItemKind::Nieuws,
        ItemKind::PositiefNieuws,
        ItemKind::Oproep,
        ItemKind::Viering,
        ItemKind::Herinnering,
    ];

    /// Whether the children have no school on the item's dates.
    pub fn is_day_off(self) -> bool {
        matches!(
            self,
            ItemKind::VrijeDag | ItemKind::Studiedag | ItemKind::Vakantie
        )
    }
}

/// A date or a range of dates, with optional start and end times (local time).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct When {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub date: NaiveDate,
    /// The last day of a range of dates (inclusive), on or after `date`; `None` for one day.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Date>"))]
    pub until: Option<NaiveDate>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Time>"))]
    pub from_time: Option<NaiveTime>,
    /// Only with a `from_time`, and after it when the range is one day.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::Time>"))]
    pub to_time: Option<NaiveTime>,
}

impl When {
    /// The last day this covers.
    pub fn last_day(&self) -> NaiveDate {
        self.until.unwrap_or(self.date)
    }

    /// Whether `day` falls within it.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.date <= day && day <= self.last_day()
    }
}

/// An activity that parents are invited to, and may answer (RSVP).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Activity {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    pub kind: ActivityKind,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TITLE }>")
    )]
    pub title: Text,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TEXT }>")
    )]
    pub text: Text,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub start: NaiveDateTime,
    /// After the start.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::DateTime"))]
    #[serde(with = "crate::iso")]
    pub end: NaiveDateTime,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_LOCATION }>")
    )]
    pub location: Text,
    /// The groepen (1 to 8) it is for; empty means the whole school.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Groepen"))]
    pub groepen: Vec<u8>,
    /// Until when parents can answer (the start at the latest); `None` means until the start.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::DateTime>"))]
    pub rsvp_deadline: Option<NaiveDateTime>,
    /// How many people fit in all; `None` when there is no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub capacity: Option<u32>,
    /// How many people one family may bring (1 to 20).
    #[cfg_attr(
        feature = "schema",
        schemars(range(min = *crate::validate::PER_FAMILY.start(), max = *crate::validate::PER_FAMILY.end()))
    )]
    pub max_per_family: u8,
    /// Whether the school asks parents to help ("ik help mee").
    #[serde(default)]
    pub helpers_wanted: bool,
    /// The school called it off ("afgelast"): it stays in the content so that families see it
    /// and their answers stay readable, but it takes no new answers.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cancelled: bool,
}

// Written out only when true, so that content without a cancelled activity reads as before.
fn is_false(value: &bool) -> bool {
    !*value
}

/// The kind of an activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Jaaropening,
    Informatieavond,
    InteractieveOuderavond,
    Koffiemoment,
    Inloopmoment,
    Beroependag,
    Startgesprek,
    Rapportgesprek,
    Huisbezoek,
    Nieuwjaarsreceptie,
    Klankbordgroep,
    Ouderraad,
    Excursie,
    Schoolfeest,
    Anders,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 15] = [
        ActivityKind::Jaaropening,
        ActivityKind::Informatieavond,
        ActivityKind::InteractieveOuderavond,
        ActivityKind::Koffiemoment,
        ActivityKind::Inloopmoment,
        ActivityKind::Beroependag,
        ActivityKind::Startgesprek,
        ActivityKind::Rapportgesprek,
        ActivityKind::Huisbezoek,
        ActivityKind::Nieuwjaarsreceptie,
        ActivityKind::Klankbordgroep,
        ActivityKind::Ouderraad,
        ActivityKind::Excursie,
        ActivityKind::Schoolfeest,
        ActivityKind::Anders,
    ];
}

/// A class theme, active for some groepen between two dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Theme {
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_TITLE }>")
    )]
    pub title: Text,
    /// The groepen (1 to 8) working on it; empty means the whole school.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Groepen"))]
    pub groepen: Vec<u8>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub from: NaiveDate,
    /// The last day of the theme (inclusive), on or after `from`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    #[serde(with = "crate::iso")]
    pub to: NaiveDate,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::validate::MAX_LIST)))]
    pub prompts: Vec<Prompt>,
}

/// A conversation prompt for at home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Prompt {
    /// Unique within the whole content (theme prompts and the general bank together).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema::Text<{ crate::validate::MAX_PROMPT }>")
    )]
    pub text: Text,
    pub band: Band,
    pub category: Category,
}

/// The age band a prompt is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Band {
    /// Groep 1 and 2 (about 4 to 6 years old).
    #[serde(rename = "1-2")]
    Groep1_2,
    /// Groep 3, 4 and 5.
    #[serde(rename = "3-5")]
    Groep3_5,
    /// Groep 6, 7 and 8.
    #[serde(rename = "6-8")]
    Groep6_8,
    /// Fits every groep.
    #[serde(rename = "all")]
    All,
}

impl Band {
    /// The band of a child in `groep` (1 to 8); `None` outside that range.
    pub fn of_groep(groep: u8) -> Option<Band> {
        match groep {
            1..=2 => Some(Band::Groep1_2),
            3..=5 => Some(Band::Groep3_5),
            6..=8 => Some(Band::Groep6_8),
            _ => None,
        }
    }

    /// Whether a prompt of this band fits a child in `groep`.
    pub fn fits(self, groep: u8) -> bool {
        self == Band::All || Band::of_groep(groep) == Some(self)
    }
}

/// What a prompt is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Schooldag,
    Thema,
    GevoelensVriendschap,
    VeiligheidPesten,
    Leren,
    WeekendVakantie,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Schooldag,
        Category::Thema,
        Category::GevoelensVriendschap,
        Category::VeiligheidPesten,
        Category::Leren,
        Category::WeekendVakantie,
    ];
}

/// Whether `groepen` (empty = whole school) includes `groep`.
pub fn concerns(groepen: &[u8], groep: u8) -> bool {
    groepen.is_empty() || groepen.contains(&groep)
}
