//! What the school sees of the parents' answers: the shapes of the server's reports, read by the
//! sync server (which makes them) and by the app's Beheer screens (which show them).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::model::Activity;
use crate::rsvp::Answer;
use crate::sync::{AckPut, ChildInGroep, RsvpPut};

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
    // chrono's reader here (not `crate::iso`): only Beheer reads this, and `with` would need a
    // `default` that changes the published API description.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::DateTime>"))]
    pub start: Option<NaiveDateTime>,
    /// How many people fit in all; `None` when there is no limit.
    pub capacity: Option<u32>,
    pub totals: Totals,
    /// Per groep (ascending), the children the answers name: so that the school sees which
    /// classes come. Answers without children (from older phones) are not in it.
    #[serde(default)]
    pub per_groep: Vec<GroepTotals>,
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

/// How many children of one groep the answers to an activity name, per answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroepTotals {
    /// Groep 1 to 8.
    pub groep: u8,
    /// Children named with a "ja".
    pub ja: u32,
    pub misschien: u32,
    pub nee: u32,
}

/// One family's kept answer, as the school sees it ("nee" means nobody comes and nobody helps).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpRow {
    pub activity_id: String,
    pub family_id: String,
    pub names: String,
    /// The children the answer is for, with their groep, as the parent chose them.
    #[serde(default)]
    pub children: Vec<ChildInGroep>,
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
    #[serde(with = "crate::iso")]
    pub published: NaiveDate,
    pub families: u64,
    /// Per family (by names), the parents or carers who read this version, each under their own
    /// name, and the family's children.
    #[serde(default)]
    pub readers: Vec<FamilyAcks>,
}

/// One family's acknowledgements of one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FamilyAcks {
    pub family_id: String,
    /// The names under which it was read, in the order they read it.
    pub names: Vec<String>,
    /// The family's children with their groep, as the last acknowledgement named them.
    pub children: Vec<ChildInGroep>,
}

/// The families that read one version, from its kept acknowledgements: one entry per family
/// (sorted by their first name, case-insensitively), the names in the order they read it.
pub fn family_acks(mut acks: Vec<AckPut>) -> Vec<FamilyAcks> {
    acks.sort_by(|a, b| {
        (&a.family_id, a.updated_at, &a.name).cmp(&(&b.family_id, b.updated_at, &b.name))
    });
    let mut out: Vec<FamilyAcks> = Vec::new();
    for ack in acks {
        match out.last_mut() {
            Some(family) if family.family_id == ack.family_id => {
                if !family.names.contains(&ack.name) {
                    family.names.push(ack.name);
                }
                if !ack.children.is_empty() {
                    family.children = ack.children;
                }
            }
            _ => out.push(FamilyAcks {
                family_id: ack.family_id,
                names: vec![ack.name],
                children: ack.children,
            }),
        }
    }
    out.sort_by(|a, b| {
        (a.names.first().map(|n| n.to_lowercase()), &a.family_id)
            .cmp(&(b.names.first().map(|n| n.to_lowercase()), &b.family_id))
    });
    out
}

fn answer_order(answer: Answer) -> u8 {
    match answer {
        Answer::Ja => 0,
        Answer::Misschien => 1,
        Answer::Nee => 2,
    }
}

/// The school's report of the kept RSVPs: grouped by activity in the order of `activities` (by
/// start, then id), answers to activities no longer published after them, each group sorted ("ja",
/// "misschien", "nee"; by names) and counted.
pub fn rsvp_report(school: &str, activities: &[Activity], rsvps: Vec<RsvpPut>) -> RsvpReport {
    let mut by_activity: BTreeMap<String, Vec<RsvpRow>> = BTreeMap::new();
    for RsvpPut {
        family_id,
        names,
        rsvp,
        children,
    } in rsvps
    {
        let rsvp = rsvp.normalised();
        by_activity
            .entry(rsvp.activity_id.clone())
            .or_default()
            .push(RsvpRow {
                activity_id: rsvp.activity_id,
                family_id,
                names,
                children,
                answer: rsvp.answer,
                people: rsvp.people,
                helps: rsvp.helps,
                note: rsvp.note,
                updated_at: rsvp.updated_at,
            });
    }
    let mut published: Vec<&Activity> = activities.iter().collect();
    published.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    let mut out: Vec<ActivityRsvps> = published
        .into_iter()
        .map(|a| {
            let rows = by_activity.remove(&a.id).unwrap_or_default();
            group(
                a.id.clone(),
                Some(a.title.get("nl").to_owned()),
                Some(a.start),
                a.capacity,
                rows,
            )
        })
        .collect();
    // Answers to activities the school has since removed: still the school's to see.
    out.extend(
        by_activity
            .into_iter()
            .map(|(id, rows)| group(id, None, None, None, rows)),
    );
    RsvpReport {
        school: school.to_owned(),
        activities: out,
    }
}

fn group(
    activity_id: String,
    title: Option<String>,
    start: Option<NaiveDateTime>,
    capacity: Option<u32>,
    mut rsvps: Vec<RsvpRow>,
) -> ActivityRsvps {
    rsvps.sort_by(|a, b| {
        (answer_order(a.answer), a.names.to_lowercase(), &a.family_id).cmp(&(
            answer_order(b.answer),
            b.names.to_lowercase(),
            &b.family_id,
        ))
    });
    let mut totals = Totals::default();
    let mut per_groep: BTreeMap<u8, GroepTotals> = BTreeMap::new();
    for r in &rsvps {
        for child in &r.children {
            let count = per_groep.entry(child.groep).or_insert(GroepTotals {
                groep: child.groep,
                ..GroepTotals::default()
            });
            match r.answer {
                Answer::Ja => count.ja += 1,
                Answer::Misschien => count.misschien += 1,
                Answer::Nee => count.nee += 1,
            }
        }
        match r.answer {
            Answer::Ja => {
                totals.ja += 1;
                totals.people = totals.people.saturating_add(u32::from(r.people));
            }
            Answer::Nee => totals.nee += 1,
            Answer::Misschien => totals.misschien += 1,
        }
        if r.helps && r.answer != Answer::Nee {
            totals.helpers += 1;
        }
    }
    ActivityRsvps {
        activity_id,
        title,
        start,
        capacity,
        totals,
        per_groep: per_groep.into_values().collect(),
        rsvps,
    }
}
