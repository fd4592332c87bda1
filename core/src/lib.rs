//! Driehoek's domain, in pure Rust: used by the app, the server and the demo data alike.
//!
//! Nothing here reads a clock or a time-zone database: "now" and "today" are always passed in,
//! so every rule can be tested natively and gives the same answer on every device.

pub mod absence;
pub mod agreement;
pub mod demo;
pub mod disclosure;
pub mod draft;
pub mod ics;
pub mod iso;
pub mod model;
pub mod overview;
pub mod prompts;
pub mod report;
pub mod rsvp;
#[cfg(feature = "schema")]
pub mod schema;
pub mod sync;
pub mod talks;
pub mod tz;
pub mod validate;

pub use agreement::{diff, AgreementList, Change, ChangeKind};
#[cfg(not(target_arch = "wasm32"))]
pub use demo::demo_content;
pub use ics::{activity_ics, calendar_ics, item_ics, CalendarEntry};
pub use model::*;
pub use prompts::{daily_prompt, is_day_off, prompt_order};
pub use rsvp::{places_left, Answer, Rsvp, RsvpError};
pub use sync::{
    apply, AckPut, AckPutResponse, ChildInGroep, Outbox, Outcome, RsvpPut, RsvpPutResponse,
    Versioned,
};
pub use validate::{validate, FieldError};
