//! The kinds of record the app keeps in the browser (see [`driehoek_web::storage`]).
//!
//! What the parent entered (children, settings, RSVPs, acknowledgements, discussed prompts, read
//! marks) is precious; the school's content is a cache that a sync or the demo can replace.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use driehoek_core::sync::Outbox;
use driehoek_core::{Agreement, Content, Rsvp};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use driehoek_web::storage::{check_envelope, check_record, ImportError, Record, EDITOR_KINDS};

/// A child of the family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    /// Made on the phone when the child is added; it seeds the child's prompt order, so that
    /// changing a name does not change the prompts.
    pub id: String,
    /// A first name or nickname.
    pub name: String,
    /// Groep 1 to 8.
    pub groep: u8,
}

/// The family's children.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Children(pub Vec<Child>);

impl Children {
    /// The children as the school sees them (name and groep), for the ids given, in the
    /// family's order.
    pub fn for_school(&self, ids: &[String]) -> Vec<driehoek_core::sync::ChildInGroep> {
        self.0
            .iter()
            // What the school would refuse stays home: a blank name, more than it takes.
            .filter(|c| ids.contains(&c.id) && !c.name.trim().is_empty())
            .map(|c| driehoek_core::sync::ChildInGroep {
                name: c.name.trim().to_owned(),
                groep: c.groep,
            })
            .take(driehoek_core::sync::MAX_CHILDREN)
            .collect()
    }

    /// Every child as the school sees it (an acknowledgement is about all of them).
    pub fn all_for_school(&self) -> Vec<driehoek_core::sync::ChildInGroep> {
        let ids: Vec<String> = self.0.iter().map(|c| c.id.clone()).collect();
        self.for_school(&ids)
    }

    /// The children an activity for `groepen` is about (all of them when it is for everyone).
    pub fn proposed_for(&self, groepen: &[u8]) -> Vec<String> {
        self.0
            .iter()
            .filter(|c| groepen.is_empty() || groepen.contains(&c.groep))
            .map(|c| c.id.clone())
            .collect()
    }
}

impl Record for Children {
    const KIND: &'static str = "children";
    /// Schema 1 had no stable id per child; schema 2 adds it.
    const SCHEMA: u32 = 2;

    fn migrate(from: u32, data: Value) -> Result<Value, String> {
        match (from, data) {
            (1, Value::Array(children)) => Ok(Value::Array(
                children
                    .into_iter()
                    .enumerate()
                    .map(|(i, mut child)| {
                        if let Value::Object(fields) = &mut child {
                            fields
                                .entry("id")
                                .or_insert_with(|| Value::String(format!("kind-{}", i + 1)));
                        }
                        child
                    })
                    .collect(),
            )),
            (1, _) => Err("kinderen: geen lijst".to_owned()),
            (from, _) => Err(format!("kinderen: geen omzetting van schema {from}")),
        }
    }
}

/// The parent's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The app's language code (`nl`, `en`); empty until chosen.
    #[serde(default)]
    pub lang: String,
    /// The names of the parents or carers, for acknowledgements and RSVPs.
    #[serde(default)]
    pub parents: Vec<String>,
    /// The school's sync address; `None` for "alleen op deze telefoon" (the demo school).
    #[serde(default)]
    pub sync_url: Option<String>,
    /// Whether the parent went through the welcome (first run).
    #[serde(default)]
    pub welcomed: bool,
    /// Whether the parent saw, before the first send, what the school receives (and said yes).
    #[serde(default)]
    pub school_told: bool,
}

impl Record for Settings {
    const KIND: &'static str = "settings";
    const SCHEMA: u32 = 1;
}

/// Where an RSVP is on its way to the school.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    /// Kept on this phone, not yet sent.
    #[default]
    Saved,
    /// The school has it.
    Sent,
    /// Sending failed; it will be tried again.
    Failed,
    /// The school has it as another phone of the family sent it: this phone took it over.
    OtherPhone,
}

/// An RSVP with its state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRsvp {
    pub rsvp: Rsvp,
    pub state: SendState,
    /// The ids of the children the answer is for, as the parent chose them; `None` for answers
    /// saved before children were chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_ids: Option<Vec<String>>,
}

/// The family's RSVPs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rsvps(pub Vec<StoredRsvp>);

impl Record for Rsvps {
    const KIND: &'static str = "rsvps";
    const SCHEMA: u32 = 1;
}

/// A child reported ill or absent, as the phone keeps it: the newest version of the report
/// (withdrawn ones too, so that the parent sees "ingetrokken") and where it is on its way to
/// school.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAbsence {
    pub report: driehoek_core::absence::AbsencePut,
    pub state: SendState,
    /// The child's id on this phone (the report carries only name and groep).
    #[serde(default)]
    pub child_id: String,
}

/// The family's reports of absence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Absences(pub Vec<StoredAbsence>);

impl Record for Absences {
    const KIND: &'static str = "absences";
    const SCHEMA: u32 = 1;
}

/// A talk booked for a child, as the phone keeps it: the newest version of the request, where
/// it is on its way to school, and the slot the school gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBooking {
    pub put: driehoek_core::talks::BookingPut,
    /// `Saved`: "aangevraagd", waiting to be sent; `Sent`: the school has it.
    pub state: SendState,
    /// The slot the school keeps for it (also when the school moved it); `None` while asked
    /// for, when full, or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<driehoek_core::talks::Booked>,
    /// The school answered "vol": none of the times asked for was free; these were, then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full: Option<Vec<driehoek_core::talks::Slot>>,
    /// The child's id on this phone (the booking carries only name and groep).
    #[serde(default)]
    pub child_id: String,
}

/// The family's bookings of talks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Bookings(pub Vec<StoredBooking>);

impl Record for Bookings {
    const KIND: &'static str = "bookings";
    const SCHEMA: u32 = 1;
}

/// "Ik heb de afspraken gelezen", for one version of the agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub version: u32,
    pub names: Vec<String>,
    #[serde(with = "driehoek_core::iso")]
    pub date: NaiveDate,
    /// The agreement as it was read, so that a new version can show what changed.
    #[serde(default)]
    pub agreement: Option<Agreement>,
}

/// Every acknowledgement the family gave.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Acknowledgements(pub Vec<Acknowledgement>);

impl Record for Acknowledgements {
    const KIND: &'static str = "acks";
    const SCHEMA: u32 = 1;
}

/// A prompt the family talked about with a child.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscussedPrompt {
    pub child_id: String,
    pub prompt_id: String,
    #[serde(with = "driehoek_core::iso")]
    pub date: NaiveDate,
}

/// The history of discussed prompts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Discussed(pub Vec<DiscussedPrompt>);

impl Record for Discussed {
    const KIND: &'static str = "discussed";
    const SCHEMA: u32 = 1;
}

/// The ids of the bulletin items the parent has read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReadItems(pub BTreeSet<String>);

impl Record for ReadItems {
    const KIND: &'static str = "read";
    const SCHEMA: u32 = 1;
}

/// The school's content as last synced; `None` with the demo school. Stored as the server's own
/// text (`text`), the JSON of `Content` as the server wrote it: the app only ever reads a
/// `Content`, so the wasm carries no serializer for it (about 10 KB).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentCache(pub Option<Content>, Option<std::sync::Arc<str>>);

impl ContentCache {
    /// No school's content (the demo school).
    pub const NONE: ContentCache = ContentCache(None, None);

    /// The content read from `text`, the server's JSON of it, kept as it came.
    pub fn new(content: Content, text: &str) -> ContentCache {
        ContentCache(Some(content), Some(text.trim().into()))
    }
}

impl Serialize for ContentCache {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        let raw = match (&self.0, &self.1) {
            (Some(_), Some(text)) => Some(
                serde_json::value::RawValue::from_string(text.to_string())
                    .map_err(S::Error::custom)?,
            ),
            (Some(_), None) => return Err(S::Error::custom("content without its text")),
            (None, _) => None,
        };
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ContentCache {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let Some(raw) = Option::<Box<serde_json::value::RawValue>>::deserialize(deserializer)?
        else {
            return Ok(ContentCache::NONE);
        };
        let content = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        Ok(ContentCache::new(content, raw.get()))
    }
}

impl Record for ContentCache {
    const KIND: &'static str = "content";
    const SCHEMA: u32 = 1;
}

/// What the parent has seen of the school's news, for the counts on the navigation tabs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeenNews(pub driehoek_core::overview::Seen);

impl Record for SeenNews {
    const KIND: &'static str = "seen";
    const SCHEMA: u32 = 1;
}

/// Why the last sync did not finish; shown in plain words (see `crate::sync`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncProblem {
    /// No answer from the school's server (offline, or the server is down).
    Offline,
    /// The server refused the access code (401): the school gave out a new one.
    CodeWrong,
    /// The server does not know this school (404).
    SchoolUnknown,
    /// Another phone registered this family first (403).
    FamilyElsewhere,
    /// The server sent something the app cannot use (invalid content, a 5xx).
    Server,
    /// Too many requests (429): the server asked to wait.
    Busy,
    /// The school's server cannot save now (503: a full disk, a read-only database); the change
    /// stays in the outbox and is sent again after the server's `Retry-After`.
    Unavailable,
    /// This phone's storage refused to keep what the sync needs.
    Storage,
}

/// A change the server refused for good reasons of its own (422), with its message; the change
/// stays in the outbox until the parent changes it or the server takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The change's natural key ([`driehoek_core::sync::Change::key`]).
    pub key: String,
    /// The server's message (in Dutch, for the parent).
    pub message: String,
}

/// The phone's side of the sync: who the family is to the server, the outbox of changes not yet
/// confirmed, and how the last sync went. The outbox is precious; the rest can be remade.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRecord {
    /// Made on the phone at the first sync; the server knows the family by it.
    #[serde(default)]
    pub family_id: String,
    /// Made on the phone with the id; the server keeps only its hash.
    #[serde(default)]
    pub family_secret: String,
    /// Changes not yet confirmed by the server.
    #[serde(default)]
    pub outbox: Outbox,
    /// The school whose content is cached, and that content's ETag.
    #[serde(default)]
    pub school: Option<String>,
    #[serde(default)]
    pub etag: Option<String>,
    /// When a sync last finished (milliseconds since the epoch).
    #[serde(default)]
    pub last_ok: Option<i64>,
    /// Why the last sync did not finish, if it did not.
    #[serde(default)]
    pub problem: Option<SyncProblem>,
    /// Changes the server refused, with its reasons.
    #[serde(default)]
    pub refused: Vec<Refusal>,
    /// The family's profile (children, parents' names) as the school last had it: a phone sends
    /// its own when it differs, and takes a newer one read back from the school.
    #[serde(default)]
    pub profile: Option<driehoek_core::sync::FamilyProfile>,
    /// This phone has just joined a family (a second phone): at the next read-back it takes the
    /// family's profile, keeping what it had that the family lacks.
    #[serde(default)]
    pub joined: bool,
    /// The school knows this family (it confirmed a change, or a read-back found it): only then
    /// is there anything to read back.
    #[serde(default)]
    pub known: bool,
    /// The family shares its profile (all children and the parents' names) with the school, so
    /// that its other phone gets them: only once the parent asked for the link for a second
    /// phone, or this phone joined a family. Until then the other children never leave the phone.
    #[serde(default)]
    pub shares_profile: bool,
}

impl SyncRecord {
    /// Why the school refused this family's report of absence `absence_id`, if it did.
    pub fn refusal_for_absence(&self, absence_id: &str) -> Option<&str> {
        let key = driehoek_core::sync::Change::absence_key(&self.family_id, absence_id);
        self.refused
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.message.as_str())
    }

    /// Why the school refused this family's answer to `activity_id`, if it did.
    pub fn refusal_for_activity(&self, activity_id: &str) -> Option<&str> {
        let key = driehoek_core::sync::Change::rsvp_key(&self.family_id, activity_id);
        self.refused
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.message.as_str())
    }
}

impl Record for SyncRecord {
    const KIND: &'static str = "sync";
    const SCHEMA: u32 = 1;
}

/// Checks one record of an import file by its kind: every kind the app knows, and no other.
pub fn check_import(kind: &str, raw: &str) -> Result<(), ImportError> {
    match kind {
        Children::KIND => check_record::<Children>(raw),
        Settings::KIND => check_record::<Settings>(raw),
        Rsvps::KIND => check_record::<Rsvps>(raw),
        Acknowledgements::KIND => check_record::<Acknowledgements>(raw),
        Discussed::KIND => check_record::<Discussed>(raw),
        ReadItems::KIND => check_record::<ReadItems>(raw),
        SeenNews::KIND => check_record::<SeenNews>(raw),
        ContentCache::KIND => check_record::<ContentCache>(raw),
        SyncRecord::KIND => check_record::<SyncRecord>(raw),
        Absences::KIND => check_record::<Absences>(raw),
        Bookings::KIND => check_record::<Bookings>(raw),
        // The school's editor on the same device: taken over as it is (see EDITOR_KINDS).
        kind if EDITOR_KINDS.contains(&kind) => check_envelope(kind, raw),
        other => Err(ImportError::UnknownKind(other.to_owned())),
    }
}

#[cfg(test)]
mod tests {

    // Natively only: the demo school is compiled into core there (the wasm fetches it).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_content_cache_stores_the_servers_text_and_reads_what_the_previous_app_stored() {
        use super::ContentCache;
        // The demo school of a fixed week: every kind of item, with dates and times.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let content = driehoek_core::demo_content(day);
        // The previous app stored the content as serde wrote it: the same text as the server's.
        let text = serde_json::to_string(&content).unwrap();
        let stored: ContentCache = serde_json::from_str(&text).expect("the stored content reads");
        assert_eq!(stored.0.as_ref(), Some(&content), "the same content");
        assert_eq!(
            serde_json::to_string(&stored).unwrap(),
            text,
            "written back as it came"
        );
        let fresh = ContentCache::new(content.clone(), &text);
        assert_eq!(fresh, stored, "as read from the server");
        let none: ContentCache = serde_json::from_str("null").unwrap();
        assert_eq!(none, ContentCache::NONE, "no school");
        assert_eq!(serde_json::to_string(&ContentCache::NONE).unwrap(), "null");
        assert!(
            serde_json::from_str::<ContentCache>(r#"{"school":1}"#).is_err(),
            "content of the wrong shape is refused (and quarantined by the store)"
        );
    }

    #[test]
    fn an_activity_for_groep_7_proposes_only_the_child_in_groep_7() {
        let children = Children(vec![
            Child {
                id: "k1".into(),
                name: " Noor ".into(),
                groep: 2,
            },
            Child {
                id: "k2".into(),
                name: "Sem".into(),
                groep: 7,
            },
        ]);
        let proposed = children.proposed_for(&[7, 8]);
        assert_eq!(proposed, ["k2"]);
        let sent = children.for_school(&proposed);
        assert_eq!(sent.len(), 1);
        assert_eq!((sent[0].name.as_str(), sent[0].groep), ("Sem", 7));
        assert_eq!(
            children.proposed_for(&[]).len(),
            2,
            "for everyone: every child"
        );
        assert_eq!(
            children.all_for_school()[0].name,
            "Noor",
            "the name as the school reads it"
        );
    }

    use super::*;
    use driehoek_web::storage::{Loaded, MemoryBackend, Notice, StorageError, Store};

    fn store() -> Store<MemoryBackend> {
        Store::new(MemoryBackend::default())
    }

    fn put(store: &Store<MemoryBackend>, key: &str, raw: &str) {
        driehoek_web::storage::Backend::set(store.backend(), key, raw).unwrap();
    }

    fn raw(store: &Store<MemoryBackend>, key: &str) -> Option<String> {
        driehoek_web::storage::Backend::get(store.backend(), key).unwrap()
    }

    fn anna() -> Children {
        Children(vec![Child {
            id: "kind-a".into(),
            name: "Anna".into(),
            groep: 2,
        }])
    }

    #[test]
    fn a_refusal_is_found_by_the_activity_it_concerns_and_no_other() {
        let record = SyncRecord {
            family_id: "gezin-1".into(),
            refused: vec![
                Refusal {
                    key: "rsvp/gezin-1/a-1".into(),
                    message: "Te laat.".into(),
                },
                Refusal {
                    key: "ack/gezin-1/1".into(),
                    message: "Onbekende versie.".into(),
                },
            ],
            ..SyncRecord::default()
        };
        assert_eq!(record.refusal_for_activity("a-1"), Some("Te laat."));
        assert_eq!(record.refusal_for_activity("a-11"), None, "not by a suffix");
        assert_eq!(
            record.refusal_for_activity("1"),
            None,
            "not the agreement's"
        );
    }

    #[test]
    fn a_missing_record_gives_the_default_without_a_notice() {
        let Loaded { value, notice } = store().load::<Children>();
        assert_eq!(value, Children::default());
        assert_eq!(notice, None);
    }

    #[test]
    fn a_saved_record_loads_back_the_same() {
        let store = store();
        store.save(&anna()).unwrap();
        assert_eq!(store.load::<Children>().value, anna());
        let stored = raw(&store, "driehoek.v1.children").unwrap();
        assert!(
            stored.starts_with(r#"{"schema":2,"data":"#),
            "an envelope: {stored}"
        );
    }

    #[test]
    fn corrupt_json_is_quarantined_and_the_app_starts_with_defaults() {
        let store = store();
        put(&store, "driehoek.v1.children", "{not json");
        let loaded = store.load::<Children>();
        assert_eq!(loaded.value, Children::default());
        let Some(Notice::Quarantined { kind, key }) = loaded.notice else {
            panic!("the parent is told: {:?}", loaded.notice);
        };
        assert_eq!(kind, "children");
        assert_eq!(
            raw(&store, &key).as_deref(),
            Some("{not json"),
            "the raw value is kept"
        );
        assert_eq!(raw(&store, "driehoek.v1.children"), None);
        // Saving new children now does not touch the quarantined value.
        store.save(&anna()).unwrap();
        assert_eq!(raw(&store, &key).as_deref(), Some("{not json"));
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_quarantined_too() {
        let store = store();
        let wrong = r#"{"schema":2,"data":{"name":"Anna"}}"#;
        put(&store, "driehoek.v1.children", wrong);
        let loaded = store.load::<Children>();
        assert!(matches!(loaded.notice, Some(Notice::Quarantined { .. })));
        assert_eq!(
            raw(&store, "driehoek.quarantine.children.1").as_deref(),
            Some(wrong)
        );
    }

    #[test]
    fn two_quarantined_values_of_one_kind_both_stay() {
        let store = store();
        put(&store, "driehoek.v1.read", "first");
        store.load::<ReadItems>();
        put(&store, "driehoek.v1.read", "second");
        store.load::<ReadItems>();
        assert_eq!(
            raw(&store, "driehoek.quarantine.read.1").as_deref(),
            Some("first")
        );
        assert_eq!(
            raw(&store, "driehoek.quarantine.read.2").as_deref(),
            Some("second")
        );
    }

    #[test]
    fn children_of_schema_1_get_an_id_and_are_written_back() {
        let store = store();
        put(
            &store,
            "driehoek.v1.children",
            r#"{"schema":1,"data":[{"name":"Anna","groep":2},{"name":"Bram","groep":7}]}"#,
        );
        let loaded = store.load::<Children>();
        assert_eq!(loaded.notice, None, "a migration is no problem to report");
        let ids: Vec<_> = loaded.value.0.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["kind-1", "kind-2"]);
        assert_eq!(loaded.value.0[1].name, "Bram");
        assert_eq!(loaded.value.0[1].groep, 7);
        let stored = raw(&store, "driehoek.v1.children").unwrap();
        assert!(stored.contains(r#""schema":2"#), "migrated once: {stored}");
    }

    #[test]
    fn a_record_from_a_newer_app_is_left_alone_and_never_overwritten() {
        let store = store();
        let newer = r#"{"schema":9,"data":{"something":"new"}}"#;
        put(&store, "driehoek.v1.children", newer);
        let loaded = store.load::<Children>();
        assert_eq!(loaded.value, Children::default());
        assert_eq!(
            loaded.notice,
            Some(Notice::Newer {
                kind: "children",
                schema: 9
            })
        );
        assert_eq!(
            store.save(&anna()),
            Err(StorageError::NewerVersion { kind: "children" })
        );
        assert_eq!(raw(&store, "driehoek.v1.children").as_deref(), Some(newer));
    }

    #[test]
    fn a_full_storage_refuses_the_write_and_keeps_the_old_value() {
        let store = Store::new(MemoryBackend {
            quota: Some(200),
            ..MemoryBackend::default()
        });
        store.save(&anna()).unwrap();
        let many = Children(
            (0..20)
                .map(|i| Child {
                    id: format!("kind-{i}"),
                    name: "Een lange naam".into(),
                    groep: 3,
                })
                .collect(),
        );
        assert_eq!(store.save(&many), Err(StorageError::QuotaExceeded));
        assert_eq!(store.load::<Children>().value, anna());
    }

    fn filled() -> Store<MemoryBackend> {
        let store = store();
        store.save(&anna()).unwrap();
        store
            .save(&Settings {
                lang: "en".into(),
                parents: vec!["Sam".into()],
                sync_url: None,
                welcomed: true,
                school_told: false,
            })
            .unwrap();
        store
            .save(&ReadItems(["item-1".to_owned()].into_iter().collect()))
            .unwrap();
        put(&store, "driehoek.quarantine.rsvps.1", "{broken");
        store
    }

    fn everything(store: &Store<MemoryBackend>) -> Vec<(String, String)> {
        store
            .backend()
            .map
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    #[test]
    fn export_erase_import_gives_back_exactly_what_was_there() {
        let store = filled();
        let before = everything(&store);
        let file = store.export("2026-11-23T10:00:00Z").unwrap();
        assert!(
            file.contains("{broken"),
            "the export carries quarantined values"
        );
        store.erase().unwrap();
        assert!(everything(&store).is_empty(), "erase removes everything");
        store.import(&file, check_import).unwrap();
        assert_eq!(everything(&store), before);
    }

    #[test]
    fn erase_leaves_keys_of_other_apps_alone() {
        let store = filled();
        put(&store, "other-app", "theirs");
        store.erase().unwrap();
        assert_eq!(everything(&store), [("other-app".into(), "theirs".into())]);
    }

    #[test]
    fn a_bad_import_file_is_refused_whole_and_changes_nothing() {
        let store = filled();
        let before = everything(&store);
        let good = store.export("2026-11-23T10:00:00Z").unwrap();
        let cases = [
            ("not json".to_owned(), "not json"),
            (
                good.replace("driehoek-export", "iets-anders"),
                "other format",
            ),
            (
                good.replace(r#""groep":2"#, r#""groep":"twee""#),
                "a bad record",
            ),
            (
                good.replace(r#""read""#, r#""onbekend""#),
                "an unknown kind",
            ),
            (
                good.replace(r#""schema": 1,"#, r#""schema": 99,"#),
                "a newer export",
            ),
        ];
        for (file, what) in cases {
            assert_ne!(file, good, "the case {what} changes the file");
            assert!(
                store.import(&file, check_import).is_err(),
                "{what} is refused"
            );
            assert_eq!(everything(&store), before, "{what} changes nothing");
        }
    }

    #[test]
    fn an_import_that_fills_the_storage_puts_back_what_was_there() {
        let source = filled();
        let file = source.export("2026-11-23T10:00:00Z").unwrap();
        let target = Store::new(MemoryBackend {
            quota: Some(120),
            ..MemoryBackend::default()
        });
        target.save(&anna()).unwrap();
        let before = everything(&target);
        assert!(matches!(
            target.import(&file, check_import),
            Err(ImportError::Write(StorageError::QuotaExceeded))
        ));
        assert_eq!(everything(&target), before);
    }
}
