//! What goes to the school, said plainly: every field of every body a phone sends
//! ([`crate::sync::Change`]), with the text that tells the parent about it, and what never
//! leaves the phone.
//!
//! The app's Instellingen and its confirmation before the first send list [`sent`] and
//! [`NEVER_SENT`]; `core/tests/disclosure.rs` serializes a fully filled example of every body
//! and fails when a JSON field has no entry in [`SENT`], so a field added to a body without its
//! text breaks a test.

/// One field of a body that goes to the school, and the text (a locale key) that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentField {
    /// The body's kind, as the outbox tags it (`rsvp`, `ack`).
    pub body: &'static str,
    /// The field's path in the body's JSON: `rsvp.note`, `children[].groep`.
    pub field: &'static str,
    /// The locale key of the text that tells the parent about it.
    pub says: &'static str,
}

const fn sent_field(body: &'static str, field: &'static str, says: &'static str) -> SentField {
    SentField { body, field, says }
}

/// Every field the school receives, per body.
pub const SENT: &[SentField] = &[
    // PUT …/rsvps/{rsvp_id} (sync::RsvpPut)
    sent_field("rsvp", "names", "disclosure_sent_names"),
    sent_field("rsvp", "children[].name", "disclosure_sent_children"),
    sent_field("rsvp", "children[].groep", "disclosure_sent_children"),
    sent_field("rsvp", "rsvp.answer", "disclosure_sent_answer"),
    sent_field("rsvp", "rsvp.people", "disclosure_sent_answer"),
    sent_field("rsvp", "rsvp.helps", "disclosure_sent_answer"),
    sent_field("rsvp", "rsvp.note", "disclosure_sent_note"),
    sent_field("rsvp", "rsvp.activity_id", "disclosure_sent_answer"),
    sent_field("rsvp", "rsvp.id", "disclosure_sent_codes"),
    sent_field("rsvp", "family_id", "disclosure_sent_codes"),
    sent_field("rsvp", "rsvp.updated_at", "disclosure_sent_codes"),
    // PUT …/acknowledgements/{ack_id} (sync::AckPut)
    sent_field("ack", "name", "disclosure_sent_names"),
    sent_field("ack", "children[].name", "disclosure_sent_children"),
    sent_field("ack", "children[].groep", "disclosure_sent_children"),
    sent_field("ack", "agreement_version", "disclosure_sent_agreement"),
    sent_field("ack", "id", "disclosure_sent_codes"),
    sent_field("ack", "family_id", "disclosure_sent_codes"),
    sent_field("ack", "updated_at", "disclosure_sent_codes"),
    // PUT …/absences/{absence_id} (absence::AbsencePut)
    sent_field("absence", "child.name", "disclosure_sent_absence"),
    sent_field("absence", "child.groep", "disclosure_sent_absence"),
    sent_field("absence", "kind", "disclosure_sent_absence"),
    sent_field("absence", "first_day", "disclosure_sent_absence"),
    sent_field("absence", "last_day", "disclosure_sent_absence"),
    sent_field("absence", "note", "disclosure_sent_absence"),
    sent_field("absence", "withdrawn", "disclosure_sent_absence"),
    sent_field("absence", "id", "disclosure_sent_codes"),
    sent_field("absence", "family_id", "disclosure_sent_codes"),
    sent_field("absence", "updated_at", "disclosure_sent_codes"),
    // PUT …/bookings/{booking_id} (talks::BookingPut)
    sent_field("booking", "names", "disclosure_sent_names"),
    sent_field("booking", "child.name", "disclosure_sent_booking"),
    sent_field("booking", "child.groep", "disclosure_sent_booking"),
    sent_field("booking", "round_id", "disclosure_sent_booking"),
    sent_field("booking", "preferences[]", "disclosure_sent_booking"),
    sent_field("booking", "note", "disclosure_sent_booking"),
    sent_field("booking", "children_in_round", "disclosure_sent_booking"),
    sent_field("booking", "cancelled", "disclosure_sent_booking"),
    sent_field("booking", "id", "disclosure_sent_codes"),
    sent_field("booking", "family_id", "disclosure_sent_codes"),
    sent_field("booking", "updated_at", "disclosure_sent_codes"),
    // PUT …/families/{family_id}/profile (sync::FamilyProfile): only once the parent links a
    // second phone, so that the other phone gets the children and names.
    sent_field("profile", "children[].id", "disclosure_sent_profile"),
    sent_field("profile", "children[].name", "disclosure_sent_profile"),
    sent_field("profile", "children[].groep", "disclosure_sent_profile"),
    sent_field("profile", "parents[]", "disclosure_sent_profile"),
    sent_field("profile", "updated_at", "disclosure_sent_codes"),
];

/// What never leaves the phone (locale keys), in the order the app lists them.
pub const NEVER_SENT: &[&str] = &[
    "disclosure_kept_discussed",
    "disclosure_kept_read",
    "disclosure_kept_other_children",
    "disclosure_kept_settings",
];

/// The texts of what the school receives (locale keys), each once, in the order of [`SENT`].
pub fn sent() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for field in SENT {
        if !out.contains(&field.says) {
            out.push(field.says);
        }
    }
    out
}

/// The paths of every value in a body's JSON, as [`SentField::field`] names them: objects
/// by `.`, array items as `[]`.
pub fn json_fields(value: &serde_json::Value) -> Vec<String> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(fields) => {
                for (name, inner) in fields {
                    let path = if path.is_empty() {
                        name.clone()
                    } else {
                        format!("{path}.{name}")
                    };
                    walk(inner, &path, out);
                }
            }
            serde_json::Value::Array(items) => {
                let path = format!("{path}[]");
                for item in items {
                    walk(item, &path, out);
                }
                if items.is_empty() {
                    out.push(path);
                }
            }
            _ => out.push(path.to_owned()),
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out.sort();
    out.dedup();
    out
}
