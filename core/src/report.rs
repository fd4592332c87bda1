//! What the school sees of the parents' answers: the shapes of the server's reports, read by the
//! sync server (which makes them) and by the app's Beheer screens (which show them).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::rsvp::Answer;

/// The body of `GET …/rsvps`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpReport {
    pub school: String,
    /// The published activities by start time, then answers to activities no longer published.
    pub activities: Vec<ActivityRsvps>,
}

/// The answers to one activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ActivityRsvps {
    pub activity_id: String,
    /// The title in Dutch; `None` when the activity is no longer in the published content.
    pub title: Option<String>,
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::DateTime>"))]
    pub start: Option<NaiveDateTime>,
    /// How many people fit in all; `None` when there is no limit.
    pub capacity: Option<u32>,
    pub totals: Totals,
    /// "ja" first, then "misschien", then "nee"; by names within each.
    pub rsvps: Vec<RsvpRow>,
}

/// The counts of one activity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Totals {
    /// Families that answered "ja".
    pub ja: u32,
    pub nee: u32,
    pub misschien: u32,
    /// People coming: the sum of `people` over the "ja" answers.
    pub people: u32,
    /// Families that offered to help ("ik help mee") with a "ja" or "misschien".
    pub helpers: u32,
}

/// One family's kept answer, as the school sees it ("nee" means nobody comes and nobody helps).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpRow {
    pub activity_id: String,
    pub family_id: String,
    pub names: String,
    pub answer: Answer,
    pub people: u8,
    pub helps: bool,
    pub note: String,
    /// When the parent last changed it: milliseconds since the Unix epoch (UTC).
    pub updated_at: i64,
}

/// The body of `GET …/acknowledgements`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AckReport {
    pub school: String,
    /// The version published now; `None` before the first publication.
    pub current_version: Option<u32>,
    /// Every version ever published, oldest first.
    pub versions: Vec<VersionAcks>,
}

/// How many families acknowledged one version of the agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VersionAcks {
    pub version: u32,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Date"))]
    pub published: NaiveDate,
    pub families: u64,
}
