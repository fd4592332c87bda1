//! A school carried whole from one store to another (`driehoek-server school export` and
//! `school import`): every row kept for it, table by table, column by column, in a JSON file
//! that either backend reads back.

use super::db::{Arg, Db, Value};
use super::StoreError;

/// The tables of a school, parents before children (the school first), with their columns.
const TABLES: &[(&str, &[&str])] = &[
    (
        "schools",
        &["id", "name", "access_hash", "admin_hash", "content", "etag"],
    ),
    ("families", &["school", "family_id", "secret_hash"]),
    ("agreements", &["school", "version", "agreement"]),
    ("activity_ids", &["school", "activity_id"]),
    (
        "rsvps",
        &[
            "school",
            "family_id",
            "activity_id",
            "names",
            "rsvp",
            "updated_at",
            "rsvp_id",
            "children",
        ],
    ),
    (
        "acknowledgements",
        &[
            "school",
            "family_id",
            "agreement_version",
            "name",
            "ack",
            "updated_at",
            "agreement_sha256",
        ],
    ),
    (
        "family_profiles",
        &["school", "family_id", "profile", "updated_at"],
    ),
    (
        "absences",
        &[
            "school",
            "absence_id",
            "family_id",
            "absence",
            "updated_at",
            "first_day",
            "last_day",
            "withdrawn",
            "received_at",
        ],
    ),
    (
        "bookings",
        &[
            "school",
            "booking_id",
            "family_id",
            "round_id",
            "child_key",
            "booking",
            "updated_at",
            "slot_id",
            "slot",
            "by_school",
        ],
    ),
    ("blocked_slots", &["school", "round_id", "slot_id"]),
];

/// The version of the export's layout.
pub const EXPORT_FORMAT: u32 = 1;

/// Every row kept for one school.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SchoolExport {
    /// [`EXPORT_FORMAT`].
    pub format: u32,
    /// The school's id.
    pub school: String,
    pub tables: Vec<TableRows>,
}

/// The rows of one table, sorted by every column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableRows {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl SchoolExport {
    /// How many rows it carries in all.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// The column that names the school in `table`.
fn school_column(table: &str) -> &'static str {
    if table == "schools" {
        "id"
    } else {
        "school"
    }
}

/// Every row of school `id`; `None` when there is no such school.
pub(super) fn export(db: &mut dyn Db, id: &str) -> Result<Option<SchoolExport>, StoreError> {
    let mut tables = Vec::with_capacity(TABLES.len());
    for (table, columns) in TABLES {
        let list = columns.join(", ");
        let sql = format!(
            "SELECT {list} FROM {table} WHERE {} = ?1 ORDER BY {list}",
            school_column(table)
        );
        let rows: Vec<Vec<Value>> = db
            .query(&sql, &[Arg::Text(id)])?
            .into_iter()
            .map(|row| row.0)
            .collect();
        if *table == "schools" && rows.is_empty() {
            return Ok(None);
        }
        tables.push(TableRows {
            table: (*table).to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
        });
    }
    Ok(Some(SchoolExport {
        format: EXPORT_FORMAT,
        school: id.to_owned(),
        tables,
    }))
}

/// Writes every row of an export into a store that has no school with its id yet: `false`
/// (nothing written) when it has. An export of another layout, or with rows of another school,
/// is refused whole.
pub(super) fn import(db: &mut dyn Db, export: &SchoolExport) -> Result<bool, StoreError> {
    check(export)?;
    db.lock(&[format!("school/{}", export.school)])?;
    if db.exists(
        "SELECT 1 FROM schools WHERE id = ?1",
        &[Arg::Text(&export.school)],
    )? {
        return Ok(false);
    }
    for rows in &export.tables {
        let marks: Vec<String> = (1..=rows.columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            rows.table,
            rows.columns.join(", "),
            marks.join(", ")
        );
        for row in &rows.rows {
            let args: Vec<Arg<'_>> = row.iter().map(Value::as_arg).collect();
            db.execute(&sql, &args)?;
        }
    }
    Ok(true)
}

/// The export has this version's tables and columns, each row as wide as its columns and of
/// the school it names.
fn check(export: &SchoolExport) -> Result<(), StoreError> {
    if export.format != EXPORT_FORMAT {
        return Err(StoreError::new(format!(
            "de export heeft indeling {}, deze server leest indeling {EXPORT_FORMAT}",
            export.format
        )));
    }
    let names: Vec<&str> = export.tables.iter().map(|t| t.table.as_str()).collect();
    let wanted: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
    if names != wanted {
        return Err(StoreError::new(format!(
            "de export heeft de tabellen {names:?}, niet {wanted:?}"
        )));
    }
    for (rows, (table, columns)) in export.tables.iter().zip(TABLES) {
        if rows.columns != *columns {
            return Err(StoreError::new(format!(
                "tabel {table} heeft de kolommen {:?}, niet {columns:?}",
                rows.columns
            )));
        }
        let key = columns
            .iter()
            .position(|c| *c == school_column(table))
            .unwrap_or(0);
        for row in &rows.rows {
            if row.len() != columns.len() {
                return Err(StoreError::new(format!(
                    "een rij van {table} heeft {} waarden, niet {}",
                    row.len(),
                    columns.len()
                )));
            }
            if row[key] != Value::Text(export.school.clone()) {
                return Err(StoreError::new(format!(
                    "een rij van {table} hoort bij een andere school dan {}",
                    export.school
                )));
            }
        }
    }
    Ok(())
}
