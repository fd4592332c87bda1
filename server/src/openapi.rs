//! The contract: `server/openapi.yaml` and `docs/API.md`, both made here and never by hand
//! (`driehoek-server openapi`, `driehoek-server openapi --markdown`).
//!
//! The calls, who may make them and what they answer are the table [`OPERATIONS`]; the bodies'
//! schemas come from the Rust types themselves (schemars), so a field added to a type is in the
//! spec at the next `driehoek-server openapi`. The test `openapi_file_is_generated` fails while
//! the committed files differ from what this module makes.

use std::fmt::Write as _;

use driehoek_core::absence::{
    absence_report, AbsenceChild, AbsenceKind, AbsencePut, AbsencePutResponse, AbsenceReport,
};
use driehoek_core::report::{AckReport, RsvpReport, VersionAcks};
use driehoek_core::sync::{
    AckPut, AckPutResponse, FamilyProfile, FamilyRecords, Outcome, ProfileChild,
    ProfilePutResponse, RsvpPut, RsvpPutResponse,
};
use driehoek_core::talks::{
    schedule, Booked, BookingFull, BookingPut, BookingPutResponse, Schedule, ScheduleRow,
    ScheduledTalk, SchoolBooking, SlotBlock, TakenSlots,
};
use driehoek_core::{Answer as RsvpAnswer, Content, FieldError, Rsvp};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::api::{Message, PublishAnswer, ReadinessAnswer, MAX_CONTENT_BYTES, MAX_PUT_BYTES};
use crate::store::Conflict;

/// Makes the schema of a type (a `$ref` to `components/schemas`).
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The 422 body: one message per field.
fn field_errors(generator: &mut SchemaGenerator) -> Schema {
    let item = generator.subschema_for::<FieldError>();
    schemars::json_schema!({ "type": "array", "items": item })
}

/// Who may make a call, and so which credential it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// Anyone: no credential.
    Anyone,
    /// A parent: the school's access code.
    Parent,
    /// A parent or the school: the access code or the admin token.
    Reader,
    /// The school: its admin token.
    School,
}

impl Who {
    /// In words, for `docs/API.md`.
    pub fn words(self) -> &'static str {
        match self {
            Who::Anyone => "anyone",
            Who::Parent => "a parent, with the school's access code",
            Who::Reader => "a parent (access code) or the school (admin token)",
            Who::School => "the school, with its admin token",
        }
    }

    fn security(self) -> Option<Value> {
        match self {
            Who::Anyone => None,
            Who::Parent => Some(json!([{ "accessCode": [] }])),
            Who::Reader => Some(json!([{ "accessCode": [] }, { "adminToken": [] }])),
            Who::School => Some(json!([{ "adminToken": [] }])),
        }
    }
}

/// A body of a request or an answer.
#[derive(Clone, Copy)]
pub enum Body {
    /// No body.
    Empty,
    /// JSON of this schema.
    Json(SchemaFn),
    /// Text of this media type.
    Text(&'static str),
}

/// A header of an answer: name, JSON type, description.
pub type Header = (&'static str, &'static str, &'static str);

/// One answer an operation may give.
#[derive(Clone, Copy)]
pub struct Answer {
    pub status: u16,
    /// A shared answer is written once under `components/responses` by this name.
    pub shared: Option<&'static str>,
    pub description: &'static str,
    pub body: Body,
    /// Headers the answer always carries.
    pub headers: &'static [Header],
}

impl Answer {
    pub const fn new(status: u16, description: &'static str, body: Body) -> Self {
        Answer {
            status,
            shared: None,
            description,
            body,
            headers: &[],
        }
    }

    const fn with_headers(self, headers: &'static [Header]) -> Self {
        Answer { headers, ..self }
    }

    /// An error answer: its body is [`Message`].
    pub const fn error(status: u16, description: &'static str) -> Self {
        Answer::new(status, description, Body::Json(schema::<Message>))
    }

    /// The same answer, written once under `components/responses` as `name`.
    pub const fn shared_as(self, name: &'static str) -> Self {
        Answer {
            shared: Some(name),
            ..self
        }
    }
}

/// A request header an operation reads (besides `Authorization` and `X-Family-Secret`).
#[derive(Clone, Copy)]
pub struct RequestHeader {
    pub name: &'static str,
    pub required: bool,
    pub description: &'static str,
}

/// What an example shows: a request body (if any) and the answer's body.
pub struct Example {
    pub request: Option<Value>,
    pub answer: Shown,
}

/// An example answer's body.
pub enum Shown {
    Json(Value),
    Text(String),
    Nothing,
}

/// One call of the protocol.
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    /// The `operationId`, also the anchor in `docs/API.md`.
    pub id: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub who: Who,
    /// Whether the call takes the family secret (`X-Family-Secret`).
    pub family_secret: bool,
    pub headers: &'static [RequestHeader],
    pub body: Body,
    /// Its own answers; those that all writes or all calls with a credential share are added
    /// ([`WRITES`], [`SIGNED_IN`]).
    pub answers: &'static [Answer],
    /// One request and its answer, made from real values (see [`Examples`]).
    pub example: fn(&Examples) -> Example,
}

const ETAG: Header = (
    "ETag",
    "string",
    "the version of the published content, quoted",
);
const RETRY_AFTER: Header = ("Retry-After", "integer", "seconds to wait");

/// 401, for every call with a credential.
pub const UNAUTHORIZED: Answer =
    Answer::error(401, "no or a wrong access code or admin token").shared_as("Unauthorized");
/// 404 of a school that does not exist.
pub const NOT_FOUND: Answer = Answer::error(404, "no such school").shared_as("NotFound");
/// 404 of a school that does not exist or has published nothing yet.
pub const NOT_PUBLISHED: Answer =
    Answer::error(404, "no such school, or it has published nothing yet").shared_as("NotPublished");
/// 413.
pub const TOO_LARGE: Answer =
    Answer::error(413, "the body is larger than the call takes").shared_as("TooLarge");
/// 415.
pub const NOT_JSON: Answer =
    Answer::error(415, "the body is not application/json").shared_as("NotJson");
/// 400: the body could not be read at all (a broken connection).
pub const UNREADABLE: Answer =
    Answer::error(400, "the body could not be read").shared_as("Unreadable");
/// 429 of the write limit.
pub const TOO_MANY_WRITES: Answer = Answer::error(
    429,
    "too many writes (or failed logins) from this address; try again after Retry-After \
     seconds; the connection closes",
)
.with_headers(&[RETRY_AFTER])
.shared_as("TooManyWrites");
/// 429 of the failed-login limit.
pub const TOO_MANY_LOGINS: Answer = Answer::error(
    429,
    "too many failed logins from this address; try again after Retry-After seconds; the \
     connection closes",
)
.with_headers(&[RETRY_AFTER])
.shared_as("TooManyLogins");
/// 503 of a write while the database cannot be written (a full disk, a read-only file).
pub const UNAVAILABLE: Answer = Answer::error(
    503,
    "the database cannot be written now (a full disk, a read-only file); nothing was changed; \
     try again after Retry-After seconds",
)
.with_headers(&[RETRY_AFTER])
.shared_as("Unavailable");

/// 401 of a call that also takes the family secret.
const UNAUTHORIZED_FAMILY: Answer = Answer {
    description: "no or a wrong access code, or no family secret",
    ..UNAUTHORIZED
};
/// 403 of a family's write.
const OTHER_FAMILY: Answer = Answer::error(403, "the family id belongs to another secret");
/// 422 of a family's write: the schema's rules and those its description writes out.
const REFUSED: Answer = Answer::new(
    422,
    "not valid: one of the rules above, with a message per field in Dutch",
    Body::Json(field_errors),
);

/// The answers every write (PUT) may give besides its own: they come from the layers in front of
/// the handlers (the write limit).
pub const WRITES: &[Answer] = &[TOO_MANY_WRITES, UNAVAILABLE];

/// The answers every call with a credential may give besides its own (401 each call lists with
/// its own wording): the failed-login limit.
pub const SIGNED_IN: &[Answer] = &[TOO_MANY_LOGINS];

/// Every answer of `op`, by status: its own, then [`WRITES`] for a PUT, then [`SIGNED_IN`] for a
/// call with a credential. A shared answer gives way to one with the same status listed before
/// it (a call's own wording, or a write's 429 over a sign-in's).
pub fn answers(op: &Operation) -> Vec<&'static Answer> {
    let writes: &'static [Answer] = if op.method == "PUT" { WRITES } else { &[] };
    let signed_in: &'static [Answer] = if op.who == Who::Anyone {
        &[]
    } else {
        SIGNED_IN
    };
    let mut out: Vec<&'static Answer> = Vec::new();
    for (i, answer) in op.answers.iter().enumerate() {
        assert!(
            op.answers[..i].iter().all(|a| a.status != answer.status),
            "{} {} lists two answers with status {}",
            op.method,
            op.path,
            answer.status
        );
        out.push(answer);
    }
    for answer in writes.iter().chain(signed_in) {
        if out.iter().all(|a| a.status != answer.status) {
            out.push(answer);
        }
    }
    out.sort_by_key(|a| a.status);
    out
}

const IF_NONE_MATCH: RequestHeader = RequestHeader {
    name: "If-None-Match",
    required: false,
    description: "the ETag the client has; 304 when it is still the published one",
};
const IF_MATCH: RequestHeader = RequestHeader {
    name: "If-Match",
    required: true,
    description: "the ETag the school's editor started from, or * for a first publication; 412 \
                  when another version was published since, 428 without it",
};

/// Every call of the protocol. `server/tests/openapi.rs` checks that these are exactly the
/// routes of [`crate::api::ROUTES`].
pub const OPERATIONS: &[Operation] = &[
    Operation {
        method: "GET",
        path: "/healthz",
        id: "healthz",
        summary: "Liveness",
        description: "The server is up.",
        who: Who::Anyone,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[Answer::new(200, "ok", Body::Text("text/plain"))],
        example: |_| Example {
            request: None,
            answer: Shown::Text("ok".into()),
        },
    },
    Operation {
        method: "GET",
        path: "/readyz",
        id: "readyz",
        summary: "Readiness: can the database be read and written now",
        description: "For a load balancer or a monitor: 200 while the database can be read and \
                      written, 503 (with Retry-After) on a full disk, a read-only file or a \
                      damaged database.",
        who: Who::Anyone,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "ready", Body::Json(schema::<ReadinessAnswer>)),
            Answer::new(503, "not ready", Body::Json(schema::<ReadinessAnswer>))
                .with_headers(&[RETRY_AFTER]),
        ],
        example: |_| Example {
            request: None,
            answer: Shown::Json(json_of(&ReadinessAnswer {
                readable: true,
                writable: true,
                message: "De database is te lezen en te schrijven.".into(),
            })),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/content",
        id: "content_get",
        summary: "The school's whole published content",
        description: "School, agreement, bulletins, activities, themes and prompts in one \
                      document, for the parents' app and for the school's own Beheer screen.",
        who: Who::Reader,
        family_secret: false,
        headers: &[IF_NONE_MATCH],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "the content", Body::Json(schema::<Content>)).with_headers(&[ETAG]),
            Answer::new(304, "unchanged since the ETag given", Body::Empty).with_headers(&[ETAG]),
            UNAUTHORIZED,
            NOT_PUBLISHED,
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&ex.content)),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/content",
        id: "content_put",
        summary: "Publish new content",
        description: "Checked as a whole: every problem is one field error. Rules beyond the \
                      schema: `school.id` equals the path's school; ids are unique among the \
                      bulletins, among the items of all bulletins, among the activities, among \
                      the themes, among the agreement's lines and among all prompts (themes' and \
                      general together); an activity ends after its start and its RSVP deadline \
                      is not after the start; a date range ends on or after its first day; a \
                      `to_time` needs a `from_time` and follows it on a one-day range. The \
                      agreement versions published before are kept.",
        who: Who::School,
        family_secret: false,
        headers: &[IF_MATCH],
        body: Body::Json(schema::<Content>),
        answers: &[
            Answer::new(200, "published", Body::Json(schema::<PublishAnswer>))
                .with_headers(&[ETAG]),
            UNREADABLE,
            UNAUTHORIZED,
            NOT_FOUND,
            Answer::new(
                409,
                "refused to keep what families read and answered: other words under a published \
                 agreement version, a lower version, an answered activity left out without \
                 being cancelled, or an id used before for another activity",
                Body::Json(schema::<Conflict>),
            ),
            Answer::error(412, "If-Match does not name the version published now"),
            Answer::error(428, "no If-Match: say which version the change starts from"),
            TOO_LARGE,
            NOT_JSON,
            Answer::new(
                422,
                "not valid (also JSON that does not parse): one message per field, in Dutch",
                Body::Json(field_errors),
            ),
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.content)),
            answer: Shown::Json(json_of(&PublishAnswer { published: true })),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/rsvps/{rsvp_id}",
        id: "rsvp_put",
        summary: "Create or replace one RSVP",
        description: "Last writer wins per family and activity, by `updated_at`; the answer \
                      says which version the server keeps, so a retry is harmless. Rules \
                      beyond the schema: `rsvp.id` equals the path's `rsvp_id`; the activity is \
                      published; and, for a version that would be kept, answering is still open \
                      (until the deadline, else the start), `people` is at most the activity's \
                      `max_per_family` and fits in the places left, and `helps` only where the \
                      activity wants helpers; each child's `name` is readable text. A family \
                      id belongs to the first secret it came with.",
        who: Who::Parent,
        family_secret: true,
        headers: &[],
        body: Body::Json(schema::<RsvpPut>),
        answers: &[
            Answer::new(
                200,
                "applied; says which version the server keeps",
                Body::Json(schema::<RsvpPutResponse>),
            ),
            UNREADABLE,
            UNAUTHORIZED_FAMILY,
            OTHER_FAMILY,
            NOT_PUBLISHED,
            Answer::new(
                409,
                "this rsvp id is another family's answer",
                Body::Json(schema::<Conflict>),
            ),
            TOO_LARGE,
            NOT_JSON,
            REFUSED,
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.rsvp)),
            answer: Shown::Json(json_of(&RsvpPutResponse {
                outcome: Outcome::Stored,
                kept: ex.rsvp.rsvp.clone(),
            })),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/acknowledgements/{ack_id}",
        id: "ack_put",
        summary: "\"Gelezen\" for one version of the agreement",
        description: "Each parent or carer acknowledges under their own name: last writer wins \
                      per family, agreement version and `name` (exactly as sent). Rules beyond \
                      the schema: `id` equals the path's `ack_id`; `agreement_version` is a \
                      version the school published; each child's `name` is readable text. A \
                      family id belongs to the first secret it came with.",
        who: Who::Parent,
        family_secret: true,
        headers: &[],
        body: Body::Json(schema::<AckPut>),
        answers: &[
            Answer::new(
                200,
                "applied; says which version the server keeps",
                Body::Json(schema::<AckPutResponse>),
            ),
            UNREADABLE,
            UNAUTHORIZED_FAMILY,
            OTHER_FAMILY,
            NOT_FOUND,
            TOO_LARGE,
            NOT_JSON,
            REFUSED,
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.ack)),
            answer: Shown::Json(json_of(&AckPutResponse {
                outcome: Outcome::Stored,
                kept: ex.ack.clone(),
            })),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/families/{family_id}",
        id: "family_get",
        summary: "What the school keeps of one family",
        description: "The family's kept RSVPs (with the names sent), acknowledgements, \
                      bookings of talks (each with the slot it holds now, `by_school` when the \
                      school placed or moved it) and profile (children and parents' names), so \
                      that each phone of the family \
                      shows what the school has, also what another phone of the family sent. \
                      Only with the family's own secret: another secret is 403, also for \
                      another family's id; a family id no phone ever sent anything for is 404.",
        who: Who::Parent,
        family_secret: true,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(
                200,
                "the family's kept records",
                Body::Json(schema::<FamilyRecords>),
            ),
            UNAUTHORIZED_FAMILY,
            Answer::error(403, "the family id belongs to another secret"),
            Answer::error(
                404,
                "no such school, or no phone sent anything for this family yet",
            ),
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&FamilyRecords {
                bookings: vec![driehoek_core::talks::KeptBooking {
                    kept: ex.booking.clone(),
                    booked: Some(ex.booked.clone()),
                }],
                rsvps: vec![ex.rsvp.clone()],
                acknowledgements: vec![ex.ack.clone()],
                profile: Some(ex.profile.clone()),
            })),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/families/{family_id}/profile",
        id: "profile_put",
        summary: "The family's children and parents' names",
        description: "So that a second phone of the family gets them. Last writer wins per \
                      family, by `updated_at`, with the same rule as an RSVP; the answer says \
                      which version the server keeps. Rules beyond the schema: a child's `name` \
                      and each of `parents` is readable text (no control or direction \
                      characters, not only invisible ones). A family id belongs to the first \
                      secret it came with.",
        who: Who::Parent,
        family_secret: true,
        headers: &[],
        body: Body::Json(schema::<FamilyProfile>),
        answers: &[
            Answer::new(
                200,
                "applied; says which version the server keeps",
                Body::Json(schema::<ProfilePutResponse>),
            ),
            UNREADABLE,
            UNAUTHORIZED_FAMILY,
            OTHER_FAMILY,
            NOT_FOUND,
            TOO_LARGE,
            NOT_JSON,
            REFUSED,
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.profile)),
            answer: Shown::Json(json_of(&ProfilePutResponse {
                outcome: Outcome::Stored,
                kept: ex.profile.clone(),
            })),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/rsvps",
        id: "rsvps_get",
        summary: "Who comes to what, with totals per activity",
        description: "Every published activity by start time (also those without answers), \
                      then the activities no longer published that have answers (title and \
                      start null). Within an activity: ja, then misschien, then nee; by names \
                      within each.",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(
                200,
                "the kept RSVPs per activity",
                Body::Json(schema::<RsvpReport>),
            ),
            UNAUTHORIZED,
            NOT_FOUND,
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&ex.report)),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/rsvps.csv",
        id: "rsvps_csv",
        summary: "Who comes to what, as a spreadsheet",
        description: "For Dutch Excel: UTF-8 with a byte-order mark, `;` between cells, CRLF, \
                      every cell quoted; one row per answer, in the order of `GET …/rsvps`. A \
                      cell, or any piece of it between two `;`, that a spreadsheet would run as \
                      a formula (starting with = + - @, tab or CR) gets a leading '. Sent as an \
                      attachment named `rsvps-<school>.csv`.",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "the file", Body::Text("text/csv")),
            UNAUTHORIZED,
            NOT_FOUND,
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Text(crate::school::csv(&ex.report).unwrap_or_else(|err| err)),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/acknowledgements",
        id: "acknowledgements_get",
        summary: "Per version of the agreement, which families read it, and under which names",
        description: "Every agreement version ever published, oldest first; per version the \
                      families that acknowledged it, each with the names of the parents who \
                      did and the family's children with their groep.",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "the counts", Body::Json(schema::<AckReport>)),
            UNAUTHORIZED,
            NOT_FOUND,
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&ex.acks)),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/absences/{absence_id}",
        id: "absence_put",
        summary: "Report a child ill or absent, or withdraw the report",
        description: "Last writer wins per family and report, by `updated_at`; withdrawing is \
                      a newer version with `withdrawn: true`. Rules beyond the schema: `id` \
                      equals the path's `absence_id`; `last_day` is not before `first_day` and \
                      the days hold at most 10 school days (Monday to Friday); the note is \
                      readable text; and, for a version that would be kept and is not \
                      withdrawn, `first_day` is today or later (at most 60 days ahead), and a \
                      report for today comes before the school's `absence_until` (local school \
                      time), else 422 with the number to call. A family id belongs to the \
                      first secret it came with.",
        who: Who::Parent,
        family_secret: true,
        headers: &[],
        body: Body::Json(schema::<AbsencePut>),
        answers: &[
            Answer::new(
                200,
                "applied; says which version the server keeps",
                Body::Json(schema::<AbsencePutResponse>),
            ),
            UNREADABLE,
            UNAUTHORIZED_FAMILY,
            OTHER_FAMILY,
            NOT_PUBLISHED,
            Answer::new(
                409,
                "this report's id is another family's",
                Body::Json(schema::<Conflict>),
            ),
            TOO_LARGE,
            NOT_JSON,
            REFUSED,
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.absence)),
            answer: Shown::Json(json_of(&AbsencePutResponse {
                outcome: Outcome::Stored,
                kept: ex.absence.clone(),
            })),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/absences",
        id: "absences_get",
        summary: "The children reported ill or absent today, per groep",
        description: "Today is the server's day in Europe/Amsterdam. Every kept report that \
                      covers today and is not withdrawn, per groep (groep 1 first), newest \
                      first within a groep.",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "today's absences", Body::Json(schema::<AbsenceReport>)),
            UNAUTHORIZED,
            NOT_FOUND,
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&ex.absences)),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/bookings/{booking_id}",
        id: "booking_put",
        summary: "Book a talk for one child, change it or cancel it",
        description: "Last writer wins per booking id, by `updated_at`, as an RSVP; the answer \
                      says which version the server keeps and the slot it holds now (a retry \
                      of the kept version is `unchanged`, with the slot, also when the school \
                      moved it: then `by_school`). For a version that would be kept: the round \
                      is published and open for the family (`siblings_from` with \
                      `children_in_round` 2 or more), the round is for the child's groep, each \
                      preference is a slot of that groep that has not begun, the child has no \
                      other booking in the round that holds a slot, and then the server gives \
                      the first preference that no other booking holds, the school did not \
                      block and leaves the changeover to the family's other talks of the \
                      round. A change keeps its old slot until the new one is secured; a \
                      cancellation (`cancelled: true`) frees it. Rules beyond the schema: `id` \
                      equals the path's `booking_id`; `names` and the child's `name` are \
                      readable text; an id belongs to the family that first sent it. A family \
                      id belongs to the first secret it came with.",
        who: Who::Parent,
        family_secret: true,
        headers: &[],
        body: Body::Json(schema::<BookingPut>),
        answers: &[
            Answer::new(
                200,
                "applied; the version the server keeps and the slot it holds",
                Body::Json(schema::<BookingPutResponse>),
            ),
            UNREADABLE,
            UNAUTHORIZED_FAMILY,
            OTHER_FAMILY,
            NOT_PUBLISHED,
            Answer::new(
                409,
                "\"vol\": none of the slots asked for is free; up to three free slots of the \
                 child's groep nearest the first preference (none when the groep is full); the \
                 version kept before keeps its slot",
                Body::Json(schema::<BookingFull>),
            ),
            TOO_LARGE,
            NOT_JSON,
            REFUSED,
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.booking)),
            answer: Shown::Json(json_of(&BookingPutResponse {
                outcome: Outcome::Stored,
                kept: ex.booking.clone(),
                booked: Some(ex.booked.clone()),
            })),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/talks/{round_id}/taken",
        id: "taken_get",
        summary: "The slots of a round that can no longer be booked",
        description: "The ids of the round's slots that a booking holds or the school blocked, \
                      sorted; never whose.",
        who: Who::Parent,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "the taken slot ids", Body::Json(schema::<TakenSlots>)),
            UNAUTHORIZED,
            Answer::error(404, "no such school, or no such round published"),
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&TakenSlots {
                round_id: ex.booking.round_id.clone(),
                taken: vec![ex.booked.slot.id.clone()],
            })),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/talks/{round_id}/schedule",
        id: "schedule_get",
        summary: "The schedule of a round: every slot, booked, blocked or free",
        description: "Every slot of the round by start and groep, each with the talk booked on \
                      it (the child, the parents' names, the note, whether the school placed \
                      it); per groep the counts; and the kept bookings whose slot the round no \
                      longer makes (`homeless`: to move).",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "the schedule", Body::Json(schema::<Schedule>)),
            UNAUTHORIZED,
            Answer::error(404, "no such school, or no such round published"),
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Json(json_of(&ex.schedule)),
        },
    },
    Operation {
        method: "GET",
        path: "/api/v1/schools/{school}/talks/{round_id}/schedule.csv",
        id: "schedule_csv",
        summary: "The schedule of a round, as a spreadsheet",
        description: "For Dutch Excel, as `rsvps.csv`: UTF-8 with a byte-order mark, `;` \
                      between cells, CRLF, every cell quoted and guarded against formulas. \
                      Columns datum, tijd, groep, kind, ouders, opmerking, status (vrij, \
                      geblokkeerd, geboekt, geboekt door school); one row per slot in the order \
                      of the schedule, then the talks to move. Sent as an attachment named \
                      `gesprekken-<round>.csv`.",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Empty,
        answers: &[
            Answer::new(200, "the file", Body::Text("text/csv")),
            UNAUTHORIZED,
            Answer::error(404, "no such school, or no such round published"),
        ],
        example: |ex| Example {
            request: None,
            answer: Shown::Text(
                crate::school::schedule_csv(&ex.schedule).unwrap_or_else(|err| err),
            ),
        },
    },
    Operation {
        method: "PUT",
        path: "/api/v1/schools/{school}/talks/{round_id}/slots/{slot_id}",
        id: "slot_put",
        summary: "Block a slot, or free it again",
        description: "A blocked slot is taken for the families (`taken`) and cannot be booked. \
                      A slot a booking holds cannot be blocked: move the booking first (409).",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Json(schema::<SlotBlock>),
        answers: &[
            Answer::new(
                200,
                "the slot as the schedule shows it now",
                Body::Json(schema::<ScheduleRow>),
            ),
            UNREADABLE,
            UNAUTHORIZED,
            Answer::error(404, "no such school, round or slot"),
            Answer::new(
                409,
                "a booking holds the slot: move it first",
                Body::Json(schema::<Conflict>),
            ),
            TOO_LARGE,
            NOT_JSON,
            Answer::new(
                422,
                "not valid (also JSON that does not parse): one message per field, in Dutch",
                Body::Json(field_errors),
            ),
        ],
        example: |ex| Example {
            request: Some(json_of(&SlotBlock { blocked: true })),
            answer: Shown::Json(json_of(&ScheduleRow {
                slot: ex.free_slot.clone(),
                blocked: true,
                talk: None,
            })),
        },
    },
    Operation {
        method: "POST",
        path: "/api/v1/schools/{school}/talks/{round_id}/bookings",
        id: "school_booking_post",
        summary: "The school books a slot by hand, or moves a booking",
        description: "Without `booking_id`: a new booking for a family that phoned (`child`, \
                      `names`, `note`), with a booking id and a family id the server makes. \
                      With `booking_id`: that kept booking of the round moves to the slot; the \
                      family sees it with `by_school` at its next read-back. Either way the \
                      slot is free and not blocked (else 409), of the child's groep, and \
                      `names`, the child's name and the note are readable text (else 422). The \
                      round need not be open: the school books whenever it likes.",
        who: Who::School,
        family_secret: false,
        headers: &[],
        body: Body::Json(schema::<SchoolBooking>),
        answers: &[
            Answer::new(
                200,
                "the slot with its talk",
                Body::Json(schema::<ScheduleRow>),
            ),
            UNREADABLE,
            UNAUTHORIZED,
            Answer::error(404, "no such school, or no such round published"),
            Answer::new(
                409,
                "the slot is booked or blocked",
                Body::Json(schema::<Conflict>),
            ),
            TOO_LARGE,
            NOT_JSON,
            Answer::new(
                422,
                "not valid: an unknown slot or booking, a cancelled booking, a slot of another \
                 groep, no child, unreadable names or note; one message per field, in Dutch",
                Body::Json(field_errors),
            ),
        ],
        example: |ex| Example {
            request: Some(json_of(&ex.school_booking)),
            answer: Shown::Json(json_of(&ScheduleRow {
                slot: ex.free_slot.clone(),
                blocked: false,
                talk: Some(ex.school_talk.clone()),
            })),
        },
    },
];

/// A path parameter: its name, what it means, and its value in the examples.
type PathParameter = (&'static str, &'static str, fn(&Examples) -> &str);

/// The path parameters of the protocol.
const PATH_PARAMETERS: &[PathParameter] = &[
    ("school", "the school's id", |ex| &ex.content.school.id),
    (
        "rsvp_id",
        "the RSVP's id, made on the phone; equals the body's rsvp.id",
        |ex| &ex.rsvp.rsvp.id,
    ),
    (
        "ack_id",
        "the acknowledgement's id, made on the phone; equals the body's id",
        |ex| &ex.ack.id,
    ),
    (
        "family_id",
        "the family's id, made on the phone; the one its RSVPs carry",
        |ex| &ex.rsvp.family_id,
    ),
    (
        "absence_id",
        "the absence report's id, made on the phone; equals the body's id",
        |ex| &ex.absence.id,
    ),
    (
        "booking_id",
        "the booking's id, made on the phone; equals the body's id",
        |ex| &ex.booking.id,
    ),
    (
        "round_id",
        "the id of a round of talks the school published",
        |ex| &ex.booking.round_id,
    ),
    (
        "slot_id",
        "a slot of the round: `g<groep>-<yyyymmdd>-<hhmm>`",
        |ex| &ex.free_slot.id,
    ),
];

/// What the API says about itself, above the calls.
const ABOUT: &str = "A school's published content, its families' RSVPs, acknowledgements, bookings of talks and reports of children ill or absent. \
Parents authenticate with the school's access code (`Authorization: Bearer <code>`); a family \
proves it is the same family with a secret made on the phone (`X-Family-Secret`, at least 16 \
characters), of which the server keeps only a SHA-256 hash. The school authenticates with its \
admin token, the same way. Every error answer is JSON: `{\"message\": …}` in Dutch, or for 422 a \
list of field errors. Writes (PUT) are limited per client address (a burst of 20, then 10 per \
second by default; `serve --write-rate/--write-burst`), and so are failed logins \
(`--login-rate/--login-burst`; behind a reverse proxy `--trusted-proxy <ip>` makes the limits \
use X-Forwarded-For from that proxy only): beyond that 429 with `Retry-After` and \
`Connection: close`. When the database cannot be written (a full disk, a read-only file) every \
write answers 503 with `Retry-After` and changes nothing; `GET /readyz` says so too. A published \
agreement version never changes (409). Every answer carries a Content-Security-Policy, \
`X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`; answers with personal \
data say `Cache-Control: no-store`. Pages \
of other origins may call the API only when the server is started with `--allow-origin <origin>` \
(CORS; the ETag and Retry-After headers are exposed). Any other address under `/api` is a JSON \
404. Times are local school times (Europe/Amsterdam) without an offset; `updated_at` is \
milliseconds since the Unix epoch (UTC), set by the phone, and lies after 2020 and at most a day \
ahead of the server's clock.";

/// The values the examples are made of: the demo school's content (cut to one of each), an
/// RSVP to its first activity and an acknowledgement of its agreement, and the reports the
/// server makes of them.
pub struct Examples {
    pub content: Content,
    pub rsvp: RsvpPut,
    pub ack: AckPut,
    /// The family's children and parents' names.
    pub profile: FamilyProfile,
    pub report: RsvpReport,
    pub acks: AckReport,
    /// A child reported absent on the demo week's first morning, and the school's list the day
    /// after.
    pub absence: AbsencePut,
    pub absences: AbsenceReport,
    /// A booking of Noor's rapportgesprek in the demo round, the slot it got, another slot
    /// still free, a booking the school made by hand on it, and the round's schedule.
    pub booking: BookingPut,
    pub booked: Booked,
    pub free_slot: driehoek_core::talks::Slot,
    pub school_booking: SchoolBooking,
    pub school_talk: ScheduledTalk,
    pub schedule: Schedule,
}

impl Examples {
    /// The examples, the same on every run.
    pub fn new() -> Self {
        let mut content = driehoek_core::demo::bundled();
        // The first activity parents can still answer on the demo week's first morning.
        let (y, m, d) = driehoek_core::demo::DEMO_WEEK;
        let monday = chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(10, 0, 0))
            .unwrap_or_default();
        let open = content
            .activities
            .iter()
            .position(|a| driehoek_core::rsvp::is_open(a, monday))
            .unwrap_or(0);
        content.activities.drain(..open);
        content.bulletins.truncate(1);
        for bulletin in &mut content.bulletins {
            bulletin.items.truncate(1);
        }
        content.activities.truncate(1);
        content.themes.truncate(1);
        for theme in &mut content.themes {
            theme.prompts.truncate(1);
        }
        content.prompts.truncate(1);
        let agreement = &mut content.agreement;
        agreement.school_promises.truncate(1);
        agreement.parent_expectations.truncate(1);
        agreement.child_agreements.truncate(1);
        let activity_id = content
            .activities
            .first()
            .map(|a| a.id.clone())
            .unwrap_or_default();
        // Monday 23 November 2026, 10:00 in Amsterdam: the demo week's first morning.
        let updated_at = driehoek_core::tz::local_to_utc(monday)
            .and_utc()
            .timestamp_millis();
        let rsvp = RsvpPut {
            family_id: "gezin-7f3a9c20".into(),
            names: "Sanne en Joost de Vries".into(),
            rsvp: Rsvp {
                id: "r-7f3a9c20-1".into(),
                activity_id,
                answer: RsvpAnswer::Ja,
                people: 2,
                helps: false,
                note: "We nemen ook oma mee.".into(),
                updated_at,
            },
            children: vec![driehoek_core::sync::ChildInGroep {
                name: "Noor".into(),
                groep: 7,
            }],
        };
        let ack = AckPut {
            id: "a-7f3a9c20-1".into(),
            family_id: rsvp.family_id.clone(),
            name: "Sanne de Vries".into(),
            agreement_version: content.agreement.version,
            updated_at,
            children: vec![
                driehoek_core::sync::ChildInGroep {
                    name: "Noor".into(),
                    groep: 7,
                },
                driehoek_core::sync::ChildInGroep {
                    name: "Sem".into(),
                    groep: 2,
                },
            ],
        };
        let report = driehoek_core::report::rsvp_report(
            &content.school.id,
            &content.activities,
            vec![rsvp.clone()],
        );
        let acks = AckReport {
            school: content.school.id.clone(),
            current_version: Some(content.agreement.version),
            versions: vec![VersionAcks {
                version: content.agreement.version,
                published: content.agreement.published,
                families: 1,
                readers: driehoek_core::report::family_acks(vec![
                    ack.clone(),
                    AckPut {
                        id: "a-7f3a9c20-2".into(),
                        name: "Joost de Vries".into(),
                        ..ack.clone()
                    },
                ]),
            }],
        };
        let profile = FamilyProfile {
            children: vec![ProfileChild {
                id: "kind-7f3a9c20-1".into(),
                name: "Noor".into(),
                groep: 7,
            }],
            parents: vec!["Sanne de Vries".into(), "Joost de Vries".into()],
            updated_at,
        };
        let absence = AbsencePut {
            id: "afw-7f3a9c20-1".into(),
            family_id: rsvp.family_id.clone(),
            child: AbsenceChild {
                name: "Noor".into(),
                groep: 5,
            },
            kind: AbsenceKind::Afwezig,
            // Reported on Monday morning for Tuesday and Wednesday (a report for today would
            // come after the demo school's 08:15).
            first_day: monday.date() + chrono::Duration::days(1),
            last_day: monday.date() + chrono::Duration::days(2),
            note: "Naar het ziekenhuis voor een kleine operatie.".into(),
            updated_at,
            withdrawn: false,
        };
        // The school's list on Tuesday.
        let absences = absence_report(&content.school.id, absence.first_day, vec![absence.clone()]);
        let round = content.talks.first().cloned();
        let slots = round.as_ref().map(|r| r.slots_of(7)).unwrap_or_default();
        let slot = slots.get(2).cloned().unwrap_or_else(|| placeholder_slot(7));
        let free_slot = slots.get(5).cloned().unwrap_or_else(|| placeholder_slot(7));
        let booking = BookingPut {
            id: "gespr-7f3a9c20-1".into(),
            family_id: rsvp.family_id.clone(),
            names: rsvp.names.clone(),
            round_id: round.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
            child: driehoek_core::sync::ChildInGroep {
                name: "Noor".into(),
                groep: 7,
            },
            preferences: slots.iter().skip(2).take(2).map(|s| s.id.clone()).collect(),
            note: "Graag ook over rekenen.".into(),
            children_in_round: 1,
            updated_at,
            cancelled: false,
        };
        let booked = Booked {
            slot: slot.clone(),
            by_school: false,
        };
        let school_booking = SchoolBooking {
            booking_id: None,
            child: Some(driehoek_core::sync::ChildInGroep {
                name: "Daan".into(),
                groep: 7,
            }),
            names: "Fatima el Amrani".into(),
            note: "Belde op maandag.".into(),
            slot_id: free_slot.id.clone(),
        };
        let school_talk = ScheduledTalk {
            booking_id: "school-3c1f0a9e5b7d2468".into(),
            family_id: "school-gezin-8e2d4c6a0f1b3957".into(),
            child: school_booking
                .child
                .clone()
                .unwrap_or(booking.child.clone()),
            names: school_booking.names.clone(),
            note: school_booking.note.clone(),
            by_school: true,
        };
        let talk = ScheduledTalk {
            booking_id: booking.id.clone(),
            family_id: booking.family_id.clone(),
            child: booking.child.clone(),
            names: booking.names.clone(),
            note: booking.note.clone(),
            by_school: false,
        };
        // The schedule of groep 7 only, so that the example stays short.
        let schedule = match &round {
            Some(round) => {
                let mut only_7 = round.clone();
                only_7.groepen.retain(|g| g.groep == 7);
                schedule(
                    &only_7,
                    vec![
                        (slot.id.clone(), talk),
                        (free_slot.id.clone(), school_talk.clone()),
                    ],
                    &slots.get(6).map(|s| vec![s.id.clone()]).unwrap_or_default(),
                )
            }
            None => Schedule {
                round_id: String::new(),
                rows: Vec::new(),
                groepen: Vec::new(),
                homeless: Vec::new(),
            },
        };
        Examples {
            content,
            rsvp,
            ack,
            profile,
            report,
            acks,
            absence,
            absences,
            booking,
            booked,
            free_slot,
            school_booking,
            school_talk,
            schedule,
        }
    }
}

/// A slot for the examples should the demo round ever lose groep 7.
fn placeholder_slot(groep: u8) -> driehoek_core::talks::Slot {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 12, 8)
        .and_then(|d| d.and_hms_opt(15, 0, 0))
        .unwrap_or_default();
    driehoek_core::talks::Slot {
        id: driehoek_core::talks::slot_id(groep, start),
        groep,
        start,
        end: start + chrono::Duration::minutes(10),
    }
}

impl Default for Examples {
    fn default() -> Self {
        Self::new()
    }
}

fn json_of<T: serde::Serialize>(value: &T) -> Value {
    // Plain data of our own types: serialising cannot fail.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The OpenAPI document (3.0.3) as JSON.
pub fn spec() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let examples = Examples::new();
    let mut shared = Map::new();
    let mut paths = Map::new();
    for op in OPERATIONS {
        let operation = operation(op, &examples, &mut generator, &mut shared);
        let item = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(op.method.to_ascii_lowercase(), operation);
        }
    }
    let mut schemas = Value::Object(generator.take_definitions(true));
    tidy(&mut schemas);
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Driehoek sync protocol",
            "version": "1",
            "description": ABOUT,
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "accessCode": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "the school's access code, for parents",
                },
                "adminToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "the school's admin token",
                },
            },
            "parameters": parameters(&examples),
            "responses": shared,
            "schemas": schemas,
        },
    })
}

/// Makes the generated schemas say what a reader of the spec needs: an integer's bounds where
/// only its Rust type (`format: uint32`) said them, and rustdoc's links as plain code.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let bounds = match map.get("format").and_then(Value::as_str) {
                Some("uint8") => Some((json!(0), json!(u8::MAX))),
                Some("uint16") => Some((json!(0), json!(u16::MAX))),
                Some("uint32") => Some((json!(0), json!(u32::MAX))),
                Some("uint64") => Some((json!(0), json!(u64::MAX))),
                Some("int32") => Some((json!(i32::MIN), json!(i32::MAX))),
                Some("int64") => Some((json!(i64::MIN), json!(i64::MAX))),
                _ => None,
            };
            if let Some((min, max)) = bounds {
                map.entry("minimum").or_insert(min);
                map.entry("maximum").or_insert(max);
            }
            if let Some(Value::String(text)) = map.get_mut("description") {
                *text = text.replace("[`", "`").replace("`]", "`");
            }
            map.values_mut().for_each(tidy);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// The shared parameters: one per path parameter, and the family secret.
fn parameters(examples: &Examples) -> Value {
    let mut out = Map::new();
    // The examples of a call's path and body go together: the ids in both are the same.
    for (name, description, example) in PATH_PARAMETERS {
        out.insert(
            parameter_name(name),
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "description": description,
                "schema": { "$ref": "#/components/schemas/Id" },
                "example": example(examples),
            }),
        );
    }
    out.insert(
        "FamilySecret".into(),
        json!({
            "name": "X-Family-Secret",
            "in": "header",
            "required": true,
            "description": "the family's secret, made on the phone (32 random characters); the \
                            server keeps only its hash, and a family id belongs to the first \
                            secret it came with",
            "schema": { "type": "string", "minLength": 16 },
        }),
    );
    Value::Object(out)
}

/// `rsvp_id` → `RsvpId`.
fn parameter_name(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The path parameters of `path`, in order.
fn path_parameters(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

fn operation(
    op: &Operation,
    examples: &Examples,
    generator: &mut SchemaGenerator,
    shared: &mut Map<String, Value>,
) -> Value {
    let example = (op.example)(examples);
    let mut out = Map::new();
    out.insert("operationId".into(), op.id.into());
    out.insert("summary".into(), op.summary.into());
    let description = format!("{} Who: {}.", op.description, op.who.words());
    out.insert("description".into(), description.into());
    if let Some(security) = op.who.security() {
        out.insert("security".into(), security);
    }
    let mut parameters: Vec<Value> = path_parameters(op.path)
        .into_iter()
        .map(|name| json!({ "$ref": format!("#/components/parameters/{}", parameter_name(name)) }))
        .collect();
    if op.family_secret {
        parameters.push(json!({ "$ref": "#/components/parameters/FamilySecret" }));
    }
    for header in op.headers {
        parameters.push(json!({
            "name": header.name,
            "in": "header",
            "required": header.required,
            "description": header.description,
            "schema": { "type": "string" },
        }));
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), parameters.into());
    }
    if let Some(content) = media(op.body, example.request.as_ref(), generator) {
        out.insert(
            "requestBody".into(),
            json!({ "required": true, "content": content }),
        );
    }
    let mut responses = Map::new();
    for answer in answers(op) {
        let key = answer.status.to_string();
        let shown = match (&example.answer, answer.status) {
            (Shown::Json(value), 200) => Some(value),
            _ => None,
        };
        let response = response(answer, shown, generator);
        let value = match answer.shared {
            // A shared answer changed for one call (another description) is written in place.
            Some(name) if shared.get(name).is_none_or(|kept| *kept == response) => {
                shared.insert(name.into(), response);
                json!({ "$ref": format!("#/components/responses/{name}") })
            }
            _ => response,
        };
        responses.insert(key, value);
    }
    out.insert("responses".into(), Value::Object(responses));
    Value::Object(out)
}

fn response(answer: &Answer, example: Option<&Value>, generator: &mut SchemaGenerator) -> Value {
    let mut out = Map::new();
    out.insert("description".into(), answer.description.into());
    if !answer.headers.is_empty() {
        let headers: Map<String, Value> = answer
            .headers
            .iter()
            .map(|(name, kind, description)| {
                let header = json!({
                    "description": description,
                    "required": true,
                    "schema": { "type": kind },
                });
                ((*name).to_owned(), header)
            })
            .collect();
        out.insert("headers".into(), Value::Object(headers));
    }
    if let Some(content) = media(answer.body, example, generator) {
        out.insert("content".into(), content);
    }
    Value::Object(out)
}

/// The `content` of a request body or an answer.
fn media(body: Body, example: Option<&Value>, generator: &mut SchemaGenerator) -> Option<Value> {
    let (kind, schema) = match body {
        Body::Empty => return None,
        Body::Json(schema) => ("application/json", schema(generator).to_value()),
        Body::Text(kind) => (kind, json!({ "type": "string" })),
    };
    let mut media = Map::new();
    media.insert("schema".into(), schema);
    if let Some(example) = example {
        media.insert("example".into(), example.clone());
    }
    Some(json!({ kind: media }))
}

/// The body limit of a call, for `docs/API.md`.
fn body_limit(op: &Operation) -> Option<usize> {
    match (op.method, op.body) {
        (_, Body::Empty) => None,
        (_, _) if op.path.ends_with("/content") => Some(MAX_CONTENT_BYTES),
        _ => Some(MAX_PUT_BYTES),
    }
}

/// `server/openapi.yaml`.
pub fn yaml() -> String {
    let mut out = String::from(
        "# Made by `driehoek-server openapi > server/openapi.yaml` from the server's route table\n\
         # and the Rust types (server/src/openapi.rs): never edit by hand.\n",
    );
    write_yaml(&spec(), 0, Keys::Structure, &mut out);
    out
}

/// The order of the keys that a reader looks for first; any other key follows, by name.
const KEY_ORDER: &[&str] = &[
    "openapi",
    "info",
    "title",
    "version",
    "name",
    "in",
    "operationId",
    "summary",
    "description",
    "security",
    "required",
    "parameters",
    "requestBody",
    "responses",
    "headers",
    "content",
    "type",
    "format",
    "schema",
    "paths",
    "components",
];

/// What the keys of a map are, for their order in the file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// OpenAPI's own words: the ones a reader looks for first come first.
    Structure,
    /// Names (of paths, properties, schemas, answers): by name.
    Names,
    /// An example's data: by name, all the way down.
    Data,
}

impl Keys {
    /// The kind of the keys of the map under `key`.
    fn under(self, key: &str) -> Keys {
        match self {
            Keys::Data => Keys::Data,
            Keys::Names => Keys::Structure,
            Keys::Structure => match key {
                "example" => Keys::Data,
                "paths" | "properties" | "schemas" | "responses" | "parameters"
                | "securitySchemes" | "headers" | "content" => Keys::Names,
                _ => Keys::Structure,
            },
        }
    }
}

fn sorted(map: &Map<String, Value>, keys: Keys) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by_key(|(key, _)| {
        let rank = match keys {
            Keys::Structure => KEY_ORDER
                .iter()
                .position(|k| k == key)
                .unwrap_or(KEY_ORDER.len()),
            Keys::Names | Keys::Data => 0,
        };
        (rank, key.as_str())
    });
    entries
}

/// Writes `value` as block-style YAML at `indent` spaces; strings that YAML could read as
/// something else are double-quoted as JSON strings (which YAML reads the same).
fn write_yaml(value: &Value, indent: usize, keys: Keys, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in sorted(map, keys) {
                let _ = write!(out, "{pad}{}:", scalar_str(key));
                write_nested(value, indent, keys.under(key), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            // The items of a list of parameters are parameters, not names.
            let keys = if keys == Keys::Data {
                Keys::Data
            } else {
                Keys::Structure
            };
            for item in items {
                let _ = write!(out, "{pad}-");
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // The first key on the dash's line, the others under it.
                        let mut first = String::new();
                        write_yaml(item, indent + 2, keys, &mut first);
                        out.push(' ');
                        out.push_str(first.trim_start());
                    }
                    _ => write_nested(item, indent, keys, out),
                }
            }
        }
        _ => {
            let _ = writeln!(out, "{pad}{}", scalar(value));
        }
    }
}

/// The value after `key:` or `-`: on the same line when it is a scalar, else indented below.
fn write_nested(value: &Value, indent: usize, keys: Keys, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_yaml(value, indent + 2, keys, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_yaml(value, indent + 2, keys, out);
        }
        _ => {
            let _ = writeln!(out, " {}", scalar(value));
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(s) => scalar_str(s),
        other => other.to_string(),
    }
}

/// A string as YAML: plain when it can only be read as this string, else double-quoted.
fn scalar_str(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-./{}()".contains(c))
        && !s.ends_with(' ')
        && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"]
            .contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s.to_owned()
    } else {
        Value::String(s.to_owned()).to_string()
    }
}

/// `docs/API.md`: each call, who may make it, an example request and its answer.
pub fn markdown() -> String {
    let examples = Examples::new();
    let mut out = String::new();
    out.push_str(
        "# The sync protocol (v1)\n\n\
         Made by `driehoek-server openapi --markdown > docs/API.md` from the same table as \
         [`server/openapi.yaml`](../server/openapi.yaml), which has every body's schema: never \
         edit by hand.\n\n",
    );
    out.push_str(ABOUT);
    out.push_str("\n\n| call | who | what |\n|---|---|---|\n");
    for op in OPERATIONS {
        let _ = writeln!(
            out,
            "| [`{} {}`](#{}) | {} | {} |",
            op.method,
            op.path,
            op.id,
            op.who.words(),
            op.summary
        );
    }
    for op in OPERATIONS {
        let example = (op.example)(&examples);
        let _ = write!(
            out,
            "\n<a id=\"{}\"></a>\n## `{} {}`\n\n{}. {}\n\n**Who:** {}.",
            op.id,
            op.method,
            op.path,
            op.summary,
            op.description,
            op.who.words()
        );
        if let Some(limit) = body_limit(op) {
            let _ = write!(out, " **Body:** JSON, at most {} KiB.", limit / 1024);
        }
        out.push_str("\n\n**Answers:**\n\n");
        for answer in answers(op) {
            let _ = writeln!(out, "- {}: {}", answer.status, answer.description);
        }
        out.push('\n');
        out.push_str("```http\n");
        out.push_str(&example_request(op, &examples, example.request.as_ref()));
        out.push_str("```\n\n```http\n");
        out.push_str(&example_answer(op, &example.answer));
        out.push_str("```\n");
    }
    out
}

fn example_request(op: &Operation, examples: &Examples, body: Option<&Value>) -> String {
    let path = PATH_PARAMETERS
        .iter()
        .fold(op.path.to_owned(), |path, (name, _, example)| {
            path.replace(&format!("{{{name}}}"), example(examples))
        });
    let mut out = format!("{} {path} HTTP/1.1\n", op.method);
    match op.who {
        Who::Anyone => {}
        Who::Parent | Who::Reader => out.push_str("Authorization: Bearer <toegangscode>\n"),
        Who::School => out.push_str("Authorization: Bearer <beheercode>\n"),
    }
    if op.family_secret {
        out.push_str("X-Family-Secret: <32 willekeurige tekens van de telefoon>\n");
    }
    if let Some(body) = body {
        out.push_str("Content-Type: application/json\n\n");
        out.push_str(&pretty(body));
    }
    out
}

fn example_answer(op: &Operation, shown: &Shown) -> String {
    let etag = op
        .answers
        .iter()
        .any(|a| a.status == 200 && a.headers.contains(&ETAG));
    let mut out = String::from("HTTP/1.1 200 OK\n");
    if etag {
        out.push_str("ETag: \"3f0c…\"\n");
    }
    match shown {
        Shown::Json(value) => {
            out.push_str("Content-Type: application/json\n\n");
            out.push_str(&pretty(value));
        }
        Shown::Text(text) => {
            let kind = op
                .answers
                .iter()
                .find_map(|a| match a.body {
                    Body::Text(kind) if a.status == 200 => Some(kind),
                    _ => None,
                })
                .unwrap_or("text/plain");
            let _ = write!(
                out,
                "Content-Type: {kind}\n\n{}\n",
                text.trim_start_matches('\u{feff}').trim_end()
            );
        }
        Shown::Nothing => {}
    }
    out
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
