//! JSON Schemas of the protocol's building blocks (feature `schema`, which only the server turns
//! on): the shapes that serde alone cannot tell, with the rules [`crate::validate`] and the server
//! enforce, so that the OpenAPI file (`driehoek-server openapi`) says what a valid request is.
//!
//! The types here are never built: they only stand in for a field in `#[schemars(with = …)]`, and
//! each becomes one named schema under `components/schemas` that the fields refer to.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::validate::{MAX_ID, MAX_LIST, YEARS};

/// A year within [`YEARS`] (2000 to 2199), as a regular expression.
const YEAR: &str = "(20[0-9]{2}|21[0-9]{2})";
/// Month and day of a day that every year has (no 29 February).
const MONTH_DAY: &str =
    "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)";
/// 29 February of the leap years within [`YEARS`] (2100 is none).
const LEAP_DAY: &str = "(20([02468][048]|[13579][26])|21([02468][48]|[13579][26]|[2468]0))-02-29";
/// A time of day as chrono reads and writes it: seconds always, a fraction when there is one.
const TIME: &str = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?";

// A pattern that admits only real days means a schema-valid date always parses: a format such as
// `date` would allow years the content rules refuse, and `date-time` requires an offset that
// school times (wall time in Amsterdam) do not have.
fn date_pattern() -> String {
    format!("({YEAR}-{MONTH_DAY}|{LEAP_DAY})")
}

/// The pattern of an id: 1 to [`MAX_ID`] characters of `a-z`, `0-9` and `-`.
pub fn id_pattern() -> String {
    format!("^[a-z0-9-]{{1,{MAX_ID}}}$")
}

/// A pattern that a string matches when it is more than white space (Rust's `trim`): a JSON
/// Schema pattern has ECMA-262's `\s`, which leaves out U+0085 (that Rust trims) and takes in
/// U+FEFF (that Rust keeps).
pub const NOT_BLANK: &str = "[^\\s\\u0085]|\\uFEFF";

/// Implements [`JsonSchema`] for a marker type: a named schema that fields refer to.
macro_rules! named_schema {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $schema:expr) => {
        $(#[$doc])*
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

named_schema!(
    /// An id made by the school or the phone.
    Id,
    "Id",
    json_schema!({
        "type": "string",
        "description": "1 to 64 characters of a-z, 0-9 and -",
        "minLength": 1,
        "maxLength": MAX_ID,
        "pattern": id_pattern(),
    })
);

named_schema!(
    /// A day in the school's calendar.
    Date,
    "Date",
    json_schema!({
        "type": "string",
        "description": format!(
            "a day, YYYY-MM-DD, in the years {} to {}",
            YEARS.start(),
            YEARS.end()
        ),
        "pattern": format!("^{}$", date_pattern()),
    })
);

named_schema!(
    /// A local school time (Europe/Amsterdam wall time, no offset).
    DateTime,
    "DateTime",
    json_schema!({
        "type": "string",
        "description": "local school time (Europe/Amsterdam, no offset), YYYY-MM-DDTHH:MM:SS",
        "pattern": format!("^{}T{TIME}$", date_pattern()),
    })
);

named_schema!(
    /// A time of day (local school time).
    Time,
    "Time",
    json_schema!({
        "type": "string",
        "description": "local school time of day, HH:MM:SS",
        "pattern": format!("^{TIME}$"),
    })
);

named_schema!(
    /// A time in the morning on whole minutes: until when a school takes reports of a child ill
    /// or absent for today.
    MorningTime,
    "MorningTime",
    json_schema!({
        "type": "string",
        "description": "local school time of day on whole minutes, 05:00:00 to 12:59:00",
        "pattern": "^(0[5-9]|1[0-2]):[0-5][0-9]:00$",
    })
);

named_schema!(
    /// The groepen something is for.
    Groepen,
    "Groepen",
    json_schema!({
        "type": "array",
        "description": "the groepen (1 to 8), each at most once; empty means the whole school",
        "items": { "type": "integer", "minimum": 1, "maximum": 8 },
        "maxItems": 8,
        "uniqueItems": true,
    })
);

/// A [`crate::Text`] whose every language is at most `MAX` characters.
pub struct Text<const MAX: usize>;

impl<const MAX: usize> JsonSchema for Text<MAX> {
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("Text{MAX}"))
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "description": format!(
                "a text per language code; Dutch (nl) is required, the others fall back to it; \
                 each 1 to {MAX} characters and not only spaces"
            ),
            "required": ["nl"],
            "maxProperties": MAX_LIST,
            "additionalProperties": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX,
                "pattern": NOT_BLANK,
            },
        })
    }
}

impl JsonSchema for crate::model::YearMonth {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("YearMonth")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "a month, YYYY-MM",
            "pattern": format!("^{YEAR}-(0[1-9]|1[0-2])$"),
        })
    }
}
