//! The sync protocol's pure logic, shared by the phone and the server: the bodies of the PUT
//! calls and their answers, the phone's [`Outbox`], and the server's apply rule ([`apply`]).
//!
//! Exactly once without an idempotency cache: every change is a whole version of one record,
//! identified by its natural key (family, activity) or (family, agreement version, parent's name) and ordered by
//! the phone's `updated_at`. Applying a version is idempotent (the same version twice is
//! `Unchanged`) and monotonic (an older version never replaces a newer one), so retries,
//! duplicates and reordering are harmless; the outbox lets an entry go only when the server has
//! confirmed a version at least as new, so nothing is lost. `core/tests/sync_sim.rs` plays this
//! through random schedules of lost, duplicated and reordered messages, restarts and reloads.

use serde::{Deserialize, Serialize};

use crate::absence::AbsencePut;
use crate::rsvp::Rsvp;

/// The longest name or names of parents, in characters.
pub const MAX_NAMES: usize = 200;

/// The most children one answer or a family's profile may name.
pub const MAX_CHILDREN: usize = 12;
/// The longest child's name (a first name or roepnaam), in characters: as long as the app's
/// field allows.
pub const MAX_CHILD_NAME: usize = 40;

/// A child an answer concerns, as the school sees it: the name the parent entered (a first name
/// or roepnaam) and the groep. Only the children an answer is about are sent, never the others.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChildInGroep {
    /// A first name or roepnaam: readable text (no control or direction characters, not only
    /// invisible ones).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_CHILD_NAME), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub name: String,
    /// Groep 1 to 8.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 8)))]
    pub groep: u8,
}

/// Checks the children of an RSVP or acknowledgement: at most [`MAX_CHILDREN`], each with a
/// readable name of at most [`MAX_CHILD_NAME`] characters and a groep from 1 to 8. `Err` names
/// the field (`children[2].groep`) and says what is wrong, in Dutch.
pub fn check_children(children: &[ChildInGroep]) -> Result<(), (String, String)> {
    if children.len() > MAX_CHILDREN {
        return Err((
            "children".into(),
            format!("Noem hoogstens {MAX_CHILDREN} kinderen."),
        ));
    }
    for (i, child) in children.iter().enumerate() {
        if child.name.chars().nth(MAX_CHILD_NAME).is_some() {
            return Err((
                format!("children[{i}].name"),
                format!("De naam van een kind mag hoogstens {MAX_CHILD_NAME} tekens lang zijn."),
            ));
        }
        if let Err(problem) = crate::validate::free_text(&child.name, false) {
            return Err((
                format!("children[{i}].name"),
                format!("Naam van het kind: {}", problem.message()),
            ));
        }
        if !(1..=8).contains(&child.groep) {
            return Err((
                format!("children[{i}].groep"),
                "De groep van een kind is een getal van 1 tot en met 8.".into(),
            ));
        }
    }
    Ok(())
}

/// The body of `PUT …/rsvps/{rsvp_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpPut {
    /// The family, made on the phone (like a UUID: `a-z`, `0-9`, `-`).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub family_id: String,
    /// The parents' names as the school should see them: readable text (no control or
    /// direction characters, not only invisible ones).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_NAMES), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub names: String,
    /// The answer itself; its `id` equals the path's `rsvp_id`.
    pub rsvp: Rsvp,
    /// The children the answer is for (those in the activity's groepen, as the parent chose);
    /// empty from phones that did not send any yet. At most [`MAX_CHILDREN`].
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_CHILDREN)))]
    pub children: Vec<ChildInGroep>,
}

/// The body of `PUT …/acknowledgements/{ack_id}`: "gelezen" for one agreement version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AckPut {
    /// Made on the phone; equals the path's `ack_id`.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// The family, made on the phone.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub family_id: String,
    /// The parent who read it: readable text (no control or direction characters, not only
    /// invisible ones).
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_NAMES), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub name: String,
    /// The version of the agreement read: one the school published.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub agreement_version: u32,
    /// When the parent acknowledged it: milliseconds since the Unix epoch (UTC), set by the phone;
    /// after 2020, and at most a day ahead of the server's clock.
    #[cfg_attr(feature = "schema", schemars(range(min = EARLIEST_UPDATE_MS)))]
    pub updated_at: i64,
    /// The family's children (the agreement is about all of them); absent from phones that did
    /// not send any yet. At most [`MAX_CHILDREN`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_CHILDREN)))]
    pub children: Vec<ChildInGroep>,
}

/// The earliest `updated_at` a server accepts: 1 January 2020 (UTC), in milliseconds. Driehoek
/// did not exist before; an earlier time is a phone with a broken clock or a made-up request.
pub const EARLIEST_UPDATE_MS: i64 = 1_577_836_800_000;

/// How far ahead of the server's clock an `updated_at` may lie: one day, for phones whose clock
/// runs ahead. Further ahead, one version would win every later change ("last writer wins" by
/// `updated_at`): an `i64::MAX` would lock a family's answer for ever.
pub const MAX_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

/// Checks a phone's `updated_at` against the server's clock (`now_ms`, milliseconds since the
/// Unix epoch); `Err` with a Dutch message when it lies before 2020 or more than a day ahead.
pub fn check_updated_at(updated_at: i64, now_ms: i64) -> Result<(), &'static str> {
    if updated_at < EARLIEST_UPDATE_MS {
        Err("Deze tijd ligt vóór 2020. Staat de klok van de telefoon goed?")
    } else if updated_at > now_ms.saturating_add(MAX_AHEAD_MS) {
        Err("Deze tijd ligt meer dan een dag in de toekomst. Staat de klok van de telefoon goed?")
    } else {
        Ok(())
    }
}

/// What the server did with a version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It was new, or newer than the one kept: it is now the kept version.
    Stored,
    /// Exactly this version was kept already (a retry or a duplicate).
    Unchanged,
    /// The server keeps a newer version (sent later, or from another phone of the family).
    KeptNewer,
}

/// The answer to `PUT …/rsvps/{rsvp_id}`: what was done, and the version the server keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RsvpPutResponse {
    pub outcome: Outcome,
    pub kept: Rsvp,
}

/// The answer to `PUT …/acknowledgements/{ack_id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AckPutResponse {
    pub outcome: Outcome,
    pub kept: AckPut,
}

/// A record with a version: the phone's `updated_at`, ties broken the same way everywhere.
pub trait Versioned {
    /// Whether this version should replace `other` (two versions of the same natural key).
    fn is_newer(&self, other: &Self) -> bool;
}

/// The rule for every record versioned by the phone's `updated_at`: the later time wins; at the
/// same millisecond the larger JSON, so that the phone and the server pick the same version.
/// (Serialising plain strings and numbers cannot fail.)
pub fn newer_by_time<T: Serialize>(mine: &T, mine_at: i64, theirs: &T, theirs_at: i64) -> bool {
    match mine_at.cmp(&theirs_at) {
        std::cmp::Ordering::Equal => {
            serde_json::to_string(mine).unwrap_or_default()
                > serde_json::to_string(theirs).unwrap_or_default()
        }
        order => order == std::cmp::Ordering::Greater,
    }
}

impl Versioned for Rsvp {
    fn is_newer(&self, other: &Self) -> bool {
        Rsvp::is_newer(self, other)
    }
}

impl Versioned for AckPut {
    fn is_newer(&self, other: &Self) -> bool {
        newer_by_time(self, self.updated_at, other, other.updated_at)
    }
}

/// The server's apply rule, per natural key: `current` is the version kept now (if any),
/// `incoming` the one sent. The caller keeps `incoming` only when the outcome is
/// [`Outcome::Stored`]; otherwise `current` stays.
pub fn apply<T: Versioned + PartialEq>(current: Option<&T>, incoming: &T) -> Outcome {
    match current {
        None => Outcome::Stored,
        Some(kept) if kept == incoming => Outcome::Unchanged,
        Some(kept) if incoming.is_newer(kept) => Outcome::Stored,
        Some(_) => Outcome::KeptNewer,
    }
}

/// The most parents' names a family profile holds.
pub const MAX_PARENTS: usize = 8;

/// A child as the family's phones share it: the phone's own id, a first name or roepnaam, groep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProfileChild {
    /// Made on the phone that added the child.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Id"))]
    pub id: String,
    /// A first name or roepnaam: readable text.
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1, max = MAX_CHILD_NAME), regex(pattern = crate::schema::NOT_BLANK))
    )]
    pub name: String,
    /// Groep 1 to 8.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 8)))]
    pub groep: u8,
}

/// The body of `PUT …/families/{family_id}/profile`: the family's children and parents' names,
/// so that a second phone of the family gets them. Last writer wins by `updated_at`, with the
/// same rule ([`apply`]) as an RSVP.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FamilyProfile {
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_CHILDREN)))]
    pub children: Vec<ProfileChild>,
    /// The parents' or carers' names, each readable text of at most 200 characters.
    #[cfg_attr(
        feature = "schema",
        schemars(
            length(max = MAX_PARENTS),
            inner(length(min = 1, max = MAX_NAMES), regex(pattern = crate::schema::NOT_BLANK))
        )
    )]
    pub parents: Vec<String>,
    /// When a phone changed it: milliseconds since the Unix epoch (UTC), set by the phone.
    #[cfg_attr(feature = "schema", schemars(range(min = EARLIEST_UPDATE_MS)))]
    pub updated_at: i64,
}

impl FamilyProfile {
    /// The rules beyond the types: `Err((field, Dutch message))` for the first one broken.
    pub fn check(&self) -> Result<(), (String, String)> {
        let bad = |field: String, message: &str| Err((field, message.to_owned()));
        if self.children.len() > MAX_CHILDREN {
            return bad("children".into(), "Te veel kinderen (maximaal 20).");
        }
        if self.parents.len() > MAX_PARENTS {
            return bad("parents".into(), "Te veel namen (maximaal 8).");
        }
        for (i, child) in self.children.iter().enumerate() {
            if !crate::validate::is_valid_id(&child.id) {
                return bad(format!("children[{i}].id"), "Ongeldige code van een kind.");
            }
            if child.name.chars().count() > MAX_CHILD_NAME {
                return bad(
                    format!("children[{i}].name"),
                    "Deze naam is te lang (maximaal 40 tekens).",
                );
            }
            if let Err(problem) = crate::validate::free_text(&child.name, false) {
                return bad(format!("children[{i}].name"), problem.message());
            }
            if !(1..=8).contains(&child.groep) {
                return bad(format!("children[{i}].groep"), "Kies groep 1 tot en met 8.");
            }
        }
        for (i, name) in self.parents.iter().enumerate() {
            if name.chars().count() > MAX_NAMES {
                return bad(
                    format!("parents[{i}]"),
                    "Deze naam is te lang (maximaal 200 tekens).",
                );
            }
            if let Err(problem) = crate::validate::free_text(name, false) {
                return bad(format!("parents[{i}]"), problem.message());
            }
        }
        Ok(())
    }

    /// What a phone that just joined the family keeps: the family's profile (`self`, as the
    /// school keeps it), with the children and names this phone had and the family lacks (by
    /// name, whatever the case), so that nothing entered on it is lost.
    pub fn joined_with(&self, mine: &FamilyProfile) -> FamilyProfile {
        let mut joined = self.clone();
        for child in &mine.children {
            if !joined
                .children
                .iter()
                .any(|c| c.name.to_lowercase() == child.name.to_lowercase())
            {
                joined.children.push(child.clone());
            }
        }
        for name in &mine.parents {
            if !joined
                .parents
                .iter()
                .any(|p| p.to_lowercase() == name.to_lowercase())
            {
                joined.parents.push(name.clone());
            }
        }
        joined
    }

    /// The same children and names, whatever the time: whether a phone's own list differs.
    pub fn same_as(&self, other: &FamilyProfile) -> bool {
        self.children == other.children && self.parents == other.parents
    }
}

impl Versioned for FamilyProfile {
    fn is_newer(&self, other: &Self) -> bool {
        newer_by_time(self, self.updated_at, other, other.updated_at)
    }
}

/// The answer to `PUT …/families/{family_id}/profile`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProfilePutResponse {
    pub outcome: Outcome,
    pub kept: FamilyProfile,
}

/// The answer to `GET …/families/{family_id}`: what the school keeps of one family, so that
/// each phone of the family shows what the school has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FamilyRecords {
    /// The kept RSVPs, with the names they were sent with, by activity.
    pub rsvps: Vec<RsvpPut>,
    /// The kept acknowledgements, by agreement version.
    pub acknowledgements: Vec<AckPut>,
    /// The children and parents' names, once a phone sent them.
    #[serde(default)]
    pub profile: Option<FamilyProfile>,
    /// The kept bookings of talks, each with the slot it holds (also when the school moved it).
    #[serde(default)]
    pub bookings: Vec<crate::talks::KeptBooking>,
}

/// What a phone does with the school's kept version of one of its family's records, read back
/// at a sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadBack {
    /// A change of this record waits in the outbox: it wins until the school confirms it; what
    /// was read back is left alone.
    Waiting,
    /// The phone has exactly what the school keeps: it is sent.
    Same,
    /// The school keeps a newer version (or the phone had none): another phone of the family
    /// changed it; the phone takes it and says so.
    FromOtherPhone,
    /// The phone's own version is newer and not in the outbox (a refused change): it stays.
    Older,
}

/// The merge rule of a read-back: `local` is the phone's version, `waiting` whether a change of
/// the record is in the outbox, `kept` the school's version.
pub fn read_back<T: Versioned + PartialEq>(local: Option<&T>, waiting: bool, kept: &T) -> ReadBack {
    if waiting {
        return ReadBack::Waiting;
    }
    match local {
        None => ReadBack::FromOtherPhone,
        Some(mine) if mine == kept => ReadBack::Same,
        Some(mine) if kept.is_newer(mine) => ReadBack::FromOtherPhone,
        Some(_) => ReadBack::Older,
    }
}

/// One unsent change in the phone's outbox, stored as its body's fields with the variant's name
/// in `kind` (`{"kind":"rsvp","family_id":…}`). `Deserialize` is written out below.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Rsvp(RsvpPut),
    Ack(AckPut),
    /// The family's children and parents' names.
    Profile {
        family_id: String,
        profile: FamilyProfile,
    },
    /// A child reported ill or absent, or such a report withdrawn.
    Absence(AbsencePut),
    /// A talk booked for a child, changed or cancelled.
    Booking(crate::talks::BookingPut),
}

// A derived `Deserialize` for an internally tagged enum first buffers the whole object in
// serde's private `Content` tree, so that every body gets a second deserializer (from that tree)
// in the wasm, beside the one that reads it from JSON text; that was about 15 KB of the parents'
// wasm. Our serializer always writes `kind` first, so the visitor reads it first and hands the
// rest of the same map to the body's own deserializer. An object with `kind` later (written by
// hand, or by a tool that sorts keys) is still read: through `serde_json::Value` (which the app
// already carries for its migrations) back to text with `kind` first.
impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ChangeVisitor)
    }
}

/// The names `kind` takes, in the order of the variants.
const CHANGE_KINDS: &[&str] = &["rsvp", "ack", "profile", "absence", "booking"];

/// The fields of [`Change::Profile`] beside its `kind`.
#[derive(Deserialize)]
struct ProfileBody {
    family_id: String,
    profile: FamilyProfile,
}

struct ChangeVisitor;

impl ChangeVisitor {
    /// The change of `kind` whose fields (without `kind`) `body` reads.
    fn body<'de, D: serde::Deserializer<'de>>(kind: &str, body: D) -> Result<Change, D::Error> {
        Ok(match kind {
            "rsvp" => Change::Rsvp(RsvpPut::deserialize(body)?),
            "ack" => Change::Ack(AckPut::deserialize(body)?),
            "profile" => {
                let ProfileBody { family_id, profile } = ProfileBody::deserialize(body)?;
                Change::Profile { family_id, profile }
            }
            "absence" => Change::Absence(AbsencePut::deserialize(body)?),
            "booking" => Change::Booking(crate::talks::BookingPut::deserialize(body)?),
            other => return Err(serde::de::Error::unknown_variant(other, CHANGE_KINDS)),
        })
    }
}

impl<'de> serde::de::Visitor<'de> for ChangeVisitor {
    type Value = Change;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a change with its kind")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Change, A::Error> {
        use serde::de::Error;
        use serde_json::Value;
        let Some(first) = map.next_key::<String>()? else {
            return Err(A::Error::missing_field("kind"));
        };
        if first == "kind" {
            let kind: String = map.next_value()?;
            return Self::body(&kind, serde::de::value::MapAccessDeserializer::new(map));
        }
        let mut fields = serde_json::Map::new();
        fields.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            fields.insert(key, value);
        }
        let kind = match fields.remove("kind") {
            Some(Value::String(kind)) => kind,
            Some(_) => return Err(A::Error::custom("kind: not a string")),
            None => return Err(A::Error::missing_field("kind")),
        };
        // The same object again as text with `kind` first, read by the path above: no second
        // reader of the bodies in the wasm.
        let rest = Value::Object(fields).to_string();
        let mut text = format!("{{\"kind\":{}", Value::String(kind));
        if rest.len() > 2 {
            text.push(',');
        }
        text.push_str(&rest[1..]);
        serde_json::from_str(&text).map_err(A::Error::custom)
    }
}

impl Change {
    /// The natural key of a family's RSVP to one activity: one answer per family and activity.
    pub fn rsvp_key(family_id: &str, activity_id: &str) -> String {
        format!("rsvp/{family_id}/{activity_id}")
    }

    /// The natural key of an acknowledgement: each parent or carer reads the agreement under
    /// their own name, so one per family, version and name (exactly as sent).
    pub fn ack_key(family_id: &str, version: u32, name: &str) -> String {
        format!("ack/{family_id}/{version}/{name}")
    }

    /// The change made for another family: a phone that joins a family sends what waited in its
    /// outbox as that family's.
    pub fn set_family(&mut self, family_id: &str) {
        match self {
            Change::Rsvp(put) => put.family_id = family_id.to_owned(),
            Change::Ack(ack) => ack.family_id = family_id.to_owned(),
            Change::Profile { family_id: id, .. } => *id = family_id.to_owned(),
            Change::Absence(absence) => absence.family_id = family_id.to_owned(),
            Change::Booking(booking) => booking.family_id = family_id.to_owned(),
        }
    }

    /// The natural key of a family's profile.
    pub fn profile_key(family_id: &str) -> String {
        format!("profile/{family_id}")
    }

    /// The natural key of a family's report of an absence: one record per family and report id.
    pub fn absence_key(family_id: &str, absence_id: &str) -> String {
        format!("absence/{family_id}/{absence_id}")
    }

    /// The natural key of a family's booking of a talk: one record per family and booking id.
    pub fn booking_key(family_id: &str, booking_id: &str) -> String {
        format!("booking/{family_id}/{booking_id}")
    }

    /// The natural key: one outbox entry per key, the newest version.
    pub fn key(&self) -> String {
        match self {
            Change::Rsvp(put) => Change::rsvp_key(&put.family_id, &put.rsvp.activity_id),
            Change::Ack(ack) => Change::ack_key(&ack.family_id, ack.agreement_version, &ack.name),
            Change::Profile { family_id, .. } => Change::profile_key(family_id),
            Change::Absence(absence) => Change::absence_key(&absence.family_id, &absence.id),
            Change::Booking(booking) => Change::booking_key(&booking.family_id, &booking.id),
        }
    }

    fn is_newer(&self, other: &Change) -> bool {
        match (self, other) {
            (Change::Rsvp(a), Change::Rsvp(b)) => a.rsvp.is_newer(&b.rsvp),
            (Change::Ack(a), Change::Ack(b)) => Versioned::is_newer(a, b),
            (Change::Profile { profile: a, .. }, Change::Profile { profile: b, .. }) => {
                a.is_newer(b)
            }
            (Change::Absence(a), Change::Absence(b)) => Versioned::is_newer(a, b),
            (Change::Booking(a), Change::Booking(b)) => Versioned::is_newer(a, b),
            _ => false,
        }
    }
}

/// The phone's outbox of unsent changes, kept in storage (it survives a reload).
///
/// An entry leaves only when the server confirmed a version at least as new as the entry
/// ([`Outbox::confirm_rsvp`], [`Outbox::confirm_ack`]); a change made while an older version is
/// in flight replaces the entry, and the confirmation of the older version leaves it in place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub entries: Vec<Change>,
}

impl Outbox {
    /// Queues a change, replacing an older version of the same record.
    pub fn push(&mut self, change: Change) {
        let key = change.key();
        match self.entries.iter_mut().find(|e| e.key() == key) {
            Some(entry) => {
                if change.is_newer(entry) {
                    *entry = change;
                }
            }
            None => self.entries.push(change),
        }
    }

    /// What to send now, oldest first.
    pub fn pending(&self) -> &[Change] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The server answered a PUT of an RSVP with `kept`: the entry for that record leaves if it
    /// is not newer than what the server keeps.
    pub fn confirm_rsvp(&mut self, family_id: &str, kept: &Rsvp) {
        self.entries.retain(|e| match e {
            Change::Rsvp(put) => {
                !(put.family_id == family_id
                    && put.rsvp.activity_id == kept.activity_id
                    && !put.rsvp.is_newer(kept))
            }
            _ => true,
        });
    }

    /// The server answered a PUT of an acknowledgement with `kept`.
    pub fn confirm_ack(&mut self, kept: &AckPut) {
        self.entries.retain(|e| match e {
            Change::Ack(ack) => {
                !(ack.family_id == kept.family_id
                    && ack.agreement_version == kept.agreement_version
                    && ack.name == kept.name
                    && !Versioned::is_newer(ack, kept))
            }
            _ => true,
        });
    }

    /// The server answered a PUT of an absence report with `kept`.
    pub fn confirm_absence(&mut self, kept: &AbsencePut) {
        self.entries.retain(|e| match e {
            Change::Absence(absence) => {
                !(absence.family_id == kept.family_id
                    && absence.id == kept.id
                    && !Versioned::is_newer(absence, kept))
            }
            _ => true,
        });
    }

    /// The server answered a PUT of a booking with `kept` (or refused it as "vol" while keeping
    /// `kept`).
    pub fn confirm_booking(&mut self, kept: &crate::talks::BookingPut) {
        self.entries.retain(|e| match e {
            Change::Booking(booking) => {
                !(booking.family_id == kept.family_id
                    && booking.id == kept.id
                    && !Versioned::is_newer(booking, kept))
            }
            _ => true,
        });
    }

    /// The server answered a PUT of the family's profile with `kept`.
    pub fn confirm_profile(&mut self, family_id: &str, kept: &FamilyProfile) {
        self.entries.retain(|e| match e {
            Change::Profile {
                family_id: id,
                profile,
            } => id != family_id || profile.is_newer(kept),
            _ => true,
        });
    }

    /// Whether a change with this natural key waits to be sent.
    pub fn waits(&self, key: &str) -> bool {
        self.entries.iter().any(|e| e.key() == key)
    }

    /// The server refused the change for good (422: deadline passed, activity gone): it leaves
    /// the outbox, and the app shows it as "mislukt".
    pub fn reject(&mut self, change: &Change) {
        self.entries.retain(|e| e != change);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rsvp::Answer;

    fn rsvp(at: i64, answer: Answer) -> Rsvp {
        Rsvp {
            id: "r1".into(),
            activity_id: "a1".into(),
            answer,
            people: 1,
            helps: false,
            note: String::new(),
            updated_at: at,
        }
    }

    #[test]
    fn apply_is_idempotent_and_monotonic() {
        let old = rsvp(1, Answer::Ja);
        let new = rsvp(2, Answer::Nee);
        assert_eq!(apply(None, &old), Outcome::Stored);
        assert_eq!(apply(Some(&old), &old), Outcome::Unchanged);
        assert_eq!(apply(Some(&old), &new), Outcome::Stored);
        assert_eq!(apply(Some(&new), &old), Outcome::KeptNewer);
    }

    #[test]
    fn a_read_back_never_overwrites_a_change_that_waits_in_the_outbox() {
        let mine = rsvp(3, Answer::Nee);
        let kept = rsvp(2, Answer::Ja);
        let newer_kept = rsvp(4, Answer::Misschien);
        // The outbox wins, even over a newer version from the other phone, until confirmed.
        assert_eq!(read_back(Some(&mine), true, &newer_kept), ReadBack::Waiting);
        assert_eq!(read_back(None, true, &kept), ReadBack::Waiting);
        // Without a waiting change, the school's newer version comes over.
        assert_eq!(
            read_back(Some(&kept), false, &newer_kept),
            ReadBack::FromOtherPhone
        );
        assert_eq!(read_back(None, false, &kept), ReadBack::FromOtherPhone);
        assert_eq!(read_back(Some(&kept), false, &kept), ReadBack::Same);
        // An own newer version that is no longer queued (refused) is not thrown away.
        assert_eq!(read_back(Some(&mine), false, &kept), ReadBack::Older);
    }

    #[test]
    fn the_outbox_says_which_records_wait_and_lets_a_profile_go_when_confirmed() {
        let profile = |at: i64, parents: &[&str]| FamilyProfile {
            children: vec![ProfileChild {
                id: "kind-1".into(),
                name: "Noor".into(),
                groep: 7,
            }],
            parents: parents.iter().map(|p| (*p).to_owned()).collect(),
            updated_at: at,
        };
        let mut outbox = Outbox::default();
        let key = Change::profile_key("f");
        assert!(!outbox.waits(&key));
        outbox.push(Change::Profile {
            family_id: "f".into(),
            profile: profile(2, &["Sanne"]),
        });
        assert!(outbox.waits(&key));
        outbox.confirm_profile("f", &profile(1, &["Bram"]));
        assert!(
            outbox.waits(&key),
            "an older kept version leaves it waiting"
        );
        outbox.confirm_profile("f", &profile(3, &["Bram"]));
        assert!(!outbox.waits(&key), "a newer kept version lets it go");
        assert_eq!(
            apply(Some(&profile(3, &["Bram"])), &profile(2, &["Sanne"])),
            Outcome::KeptNewer
        );
    }

    #[test]
    fn a_joining_phone_keeps_the_family_and_adds_only_what_the_family_lacks() {
        let child = |id: &str, name: &str, groep: u8| ProfileChild {
            id: id.into(),
            name: name.into(),
            groep,
        };
        let family = FamilyProfile {
            children: vec![child("kind-a", "Noor", 7)],
            parents: vec!["Sanne".into()],
            updated_at: 5,
        };
        let mine = FamilyProfile {
            children: vec![child("kind-b", "noor", 6), child("kind-c", "Sem", 2)],
            parents: vec!["sanne".into(), "Bram".into()],
            updated_at: 0,
        };
        let joined = family.joined_with(&mine);
        let names: Vec<_> = joined.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Noor", "Sem"], "Noor once, as the family has her");
        assert_eq!(joined.children[0].groep, 7);
        assert_eq!(joined.parents, ["Sanne", "Bram"]);
        assert!(
            !joined.same_as(&family),
            "the joined phone sends what it added"
        );
        assert!(family
            .joined_with(&FamilyProfile::default())
            .same_as(&family));
    }

    #[test]
    fn a_profile_with_a_bad_child_or_name_is_refused_with_the_field() {
        let mut profile = FamilyProfile {
            children: vec![ProfileChild {
                id: "kind-1".into(),
                name: "Noor".into(),
                groep: 7,
            }],
            parents: vec!["Sanne".into()],
            updated_at: EARLIEST_UPDATE_MS,
        };
        assert_eq!(profile.check(), Ok(()));
        profile.children[0].groep = 9;
        assert_eq!(profile.check().unwrap_err().0, "children[0].groep");
        profile.children[0].groep = 8;
        profile.parents.push(" \u{200b} ".into());
        assert_eq!(profile.check().unwrap_err().0, "parents[1]");
    }

    #[test]
    fn a_confirmed_older_version_leaves_the_newer_entry() {
        let mut outbox = Outbox::default();
        let put = |r: Rsvp| {
            Change::Rsvp(RsvpPut {
                family_id: "f".into(),
                names: "A".into(),
                rsvp: r,
                children: Vec::new(),
            })
        };
        outbox.push(put(rsvp(1, Answer::Ja)));
        outbox.push(put(rsvp(2, Answer::Nee)));
        assert_eq!(outbox.entries.len(), 1, "one entry per record");
        outbox.confirm_rsvp("f", &rsvp(1, Answer::Ja));
        assert_eq!(
            outbox.entries.len(),
            1,
            "the newer version must still be sent"
        );
        outbox.confirm_rsvp("f", &rsvp(2, Answer::Nee));
        assert!(outbox.is_empty());
    }

    fn ack(name: &str, at: i64) -> AckPut {
        AckPut {
            id: format!("gelezen-{name}"),
            family_id: "f".into(),
            name: name.into(),
            agreement_version: 1,
            updated_at: at,
            children: Vec::new(),
        }
    }

    #[test]
    fn each_parent_acknowledges_under_their_own_name() {
        let mut outbox = Outbox::default();
        outbox.push(Change::Ack(ack("Fatima", 1)));
        outbox.push(Change::Ack(ack("Karim", 2)));
        assert_eq!(outbox.entries.len(), 2, "two parents, two acknowledgements");
        outbox.confirm_ack(&ack("Karim", 2));
        assert_eq!(outbox.entries, vec![Change::Ack(ack("Fatima", 1))]);
    }

    #[test]
    fn an_old_outbox_entry_without_children_still_reads() {
        let old = r#"{"entries":[{"kind":"ack","id":"g1","family_id":"f","name":"A, B","agreement_version":2,"updated_at":1600000000000}]}"#;
        let outbox: Outbox = serde_json::from_str(old).unwrap();
        assert_eq!(outbox.entries[0].key(), "ack/f/2/A, B");
    }

    #[test]
    fn children_are_checked_with_dutch_messages() {
        let child = |name: &str, groep| ChildInGroep {
            name: name.into(),
            groep,
        };
        assert!(check_children(&[child("Noor", 2), child("Sem", 7)]).is_ok());
        let (field, message) = check_children(&[child("Noor", 9)]).unwrap_err();
        assert_eq!(field, "children[0].groep");
        assert!(message.contains("1 tot en met 8"), "{message}");
        let (field, _) = check_children(&[child("Noor", 2), child(" \u{200b}", 3)]).unwrap_err();
        assert_eq!(field, "children[1].name");
        let (field, _) = check_children(&[child(&"a".repeat(61), 3)]).unwrap_err();
        assert_eq!(field, "children[0].name");
        let many: Vec<_> = (0..13).map(|_| child("Kind", 1)).collect();
        assert_eq!(check_children(&many).unwrap_err().0, "children");
    }

    /// The derived reader that `Change` had before its `Deserialize` was written out: what it
    /// read, the new one must read the same.
    #[derive(Deserialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum DerivedChange {
        Rsvp(RsvpPut),
        Ack(AckPut),
        Profile {
            family_id: String,
            profile: FamilyProfile,
        },
        Absence(AbsencePut),
        Booking(crate::talks::BookingPut),
    }

    impl From<DerivedChange> for Change {
        fn from(change: DerivedChange) -> Change {
            match change {
                DerivedChange::Rsvp(put) => Change::Rsvp(put),
                DerivedChange::Ack(ack) => Change::Ack(ack),
                DerivedChange::Profile { family_id, profile } => {
                    Change::Profile { family_id, profile }
                }
                DerivedChange::Absence(absence) => Change::Absence(absence),
                DerivedChange::Booking(booking) => Change::Booking(booking),
            }
        }
    }

    /// One change of every kind, with every optional field set.
    fn every_change() -> Vec<Change> {
        let child = ChildInGroep {
            name: "Noor \"Nono\" \u{e9}".into(),
            groep: 3,
        };
        vec![
            Change::Rsvp(RsvpPut {
                family_id: "f".into(),
                names: "Fatima, Karim".into(),
                rsvp: rsvp(1_700_000_000_000, Answer::Misschien),
                children: vec![child.clone()],
            }),
            Change::Ack(AckPut {
                children: vec![child.clone()],
                ..ack("Fatima", 1_700_000_000_001)
            }),
            Change::Profile {
                family_id: "f".into(),
                profile: FamilyProfile {
                    children: vec![ProfileChild {
                        id: "kind-1".into(),
                        name: "Sem".into(),
                        groep: 7,
                    }],
                    parents: vec!["Fatima".into(), "Karim".into()],
                    updated_at: 1_700_000_000_002,
                },
            },
            Change::Absence(AbsencePut {
                id: "a1".into(),
                family_id: "f".into(),
                child: crate::absence::AbsenceChild {
                    name: "Sem".into(),
                    groep: 7,
                },
                kind: crate::absence::AbsenceKind::Ziek,
                first_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
                last_day: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                note: "Koorts\nmorgen terug".into(),
                updated_at: 1_700_000_000_003,
                withdrawn: true,
            }),
            Change::Booking(crate::talks::BookingPut {
                id: "b1".into(),
                family_id: "f".into(),
                names: "Fatima".into(),
                round_id: "r1".into(),
                child,
                preferences: vec!["g3-20261208-1500".into(), "g3-20261210-1900".into()],
                note: "Graag na vieren".into(),
                children_in_round: 2,
                updated_at: 1_700_000_000_004,
                cancelled: true,
            }),
        ]
    }

    #[test]
    fn every_change_reads_back_as_written_and_as_the_derived_reader_read_it() {
        for change in every_change() {
            let text = serde_json::to_string(&change).unwrap();
            assert!(text.starts_with(r#"{"kind":""#), "kind first: {text}");
            let read: Change = serde_json::from_str(&text).unwrap();
            assert_eq!(read, change, "round trip of {text}");
            let derived = serde_json::from_str::<DerivedChange>(&text);
            if let Change::Absence(_) = change {
                // The bug the written-out reader fixes: an absence's body has a field `kind` of
                // its own, so its JSON holds `kind` twice, and the derived reader refused it
                // ("duplicate field"): an outbox with an unsent report was quarantined at the
                // next start.
                let error = derived.err().map(|e| e.to_string()).unwrap_or_default();
                assert!(error.contains("duplicate field"), "{error}");
                continue;
            }
            assert_eq!(
                Change::from(derived.unwrap()),
                change,
                "the derived reader of {text}"
            );
        }
    }

    #[test]
    fn a_change_with_its_kind_not_first_still_reads() {
        // serde_json's map sorts the keys, so `kind` lands among the body's fields or last.
        // (Not an absence: its `kind` twice would become one key in a map.)
        for change in every_change() {
            if let Change::Absence(_) = change {
                continue;
            }
            let sorted = serde_json::to_value(&change).unwrap().to_string();
            let read: Change = serde_json::from_str(&sorted).unwrap();
            assert_eq!(read, change, "read from {sorted}");
        }
        let last = r#"{"id":"g1","family_id":"f","name":"A","agreement_version":2,"updated_at":1600000000000,"kind":"ack"}"#;
        let read: Change = serde_json::from_str(last).unwrap();
        assert_eq!(read.key(), "ack/f/2/A", "kind as the last field");
    }

    #[test]
    fn an_outbox_stored_by_the_previous_app_reads_the_same() {
        // Written by the app before `Deserialize` for `Change` was written out (derived,
        // internally tagged), one entry of each kind, fields in the order it wrote them.
        let stored = r#"{"entries":[
            {"kind":"rsvp","family_id":"f","names":"Fatima","rsvp":{"id":"r1","activity_id":"a1","answer":"ja","people":2,"helps":false,"note":"","updated_at":1700000000000},"children":[{"name":"Noor","groep":3}]},
            {"kind":"ack","id":"g1","family_id":"f","name":"Fatima","agreement_version":2,"updated_at":1700000000001},
            {"kind":"profile","family_id":"f","profile":{"children":[{"id":"kind-1","name":"Noor","groep":3}],"parents":["Fatima"],"updated_at":1700000000002}},
            {"kind":"booking","id":"b1","family_id":"f","names":"Fatima","round_id":"r1","child":{"name":"Noor","groep":3},"preferences":["g3-20261208-1500"],"children_in_round":1,"updated_at":1700000000004}
        ]}"#;
        let outbox: Outbox = serde_json::from_str(stored).unwrap();
        let keys: Vec<String> = outbox.entries.iter().map(Change::key).collect();
        assert_eq!(
            keys,
            ["rsvp/f/a1", "ack/f/2/Fatima", "profile/f", "booking/f/b1"],
            "every entry read, in order"
        );
        let derived: Vec<Change> = serde_json::from_str::<serde_json::Value>(stored).unwrap()
            ["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                serde_json::from_value::<DerivedChange>(e.clone())
                    .unwrap()
                    .into()
            })
            .collect();
        assert_eq!(
            outbox.entries, derived,
            "the same as the derived reader read it"
        );
        let again: Outbox = serde_json::from_str(&serde_json::to_string(&outbox).unwrap()).unwrap();
        assert_eq!(again, outbox, "written and read again");
    }

    #[test]
    fn an_unsent_absence_in_a_stored_outbox_reads() {
        // Regression: the previous app wrote an absence with `kind` twice (the change's and the
        // report's) and its derived reader refused that, so that the whole sync record, outbox
        // and all, was quarantined at the next start while a report waited to be sent.
        let stored = r#"{"entries":[{"kind":"absence","id":"a1","family_id":"f","child":{"name":"Sem","groep":7},"kind":"ziek","first_day":"2026-11-23","last_day":"2026-11-24","note":"","updated_at":1700000000003,"withdrawn":false}]}"#;
        let outbox: Outbox = serde_json::from_str(stored).expect("the outbox reads");
        let Change::Absence(absence) = &outbox.entries[0] else {
            panic!("an absence: {:?}", outbox.entries[0]);
        };
        assert_eq!(
            absence.kind,
            crate::absence::AbsenceKind::Ziek,
            "the report's own kind"
        );
        assert_eq!(outbox.entries[0].key(), "absence/f/a1");
        assert_eq!(
            serde_json::to_string(&outbox).unwrap(),
            stored,
            "written back the same"
        );
    }

    #[test]
    fn a_change_of_an_unknown_kind_or_without_one_is_refused() {
        for bad in [
            r#"{"kind":"party","family_id":"f"}"#,
            r#"{"family_id":"f","kind":"party"}"#,
            r#"{"family_id":"f"}"#,
            r#"{}"#,
            r#"{"kind":3,"family_id":"f"}"#,
            r#"{"family_id":"f","kind":3}"#,
            r#"{"kind":"ack","id":"g1"}"#,
            r#"["ack"]"#,
        ] {
            assert!(
                serde_json::from_str::<Change>(bad).is_err(),
                "refused: {bad}"
            );
            assert!(
                serde_json::from_str::<DerivedChange>(bad).is_err(),
                "derived refused too: {bad}"
            );
        }
    }
}
