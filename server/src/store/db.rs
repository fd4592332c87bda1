//! The one SQL dialect both backends speak, so that every rule is written once: statements
//! with numbered parameters (`?1`, `?2`; PostgreSQL's connection turns them into `$1`, `$2`),
//! `INSERT … ON CONFLICT`, and three column types (text, 64-bit integer, bytes). A
//! [`Db`] is one open transaction; the rules in `sql.rs`, `versioned.rs`, `absences.rs` and
//! `bookings.rs` take one, whatever the backend behind it.

use super::StoreError;

/// A parameter of a statement.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(text)
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(text: Option<&'a str>) -> Self {
        text.map_or(Arg::Null, Arg::Text)
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(text: &'a Option<String>) -> Self {
        text.as_deref().into()
    }
}

impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Arg::Bytes(bytes)
    }
}

impl<'a> From<&'a [u8; 32]> for Arg<'a> {
    fn from(bytes: &'a [u8; 32]) -> Self {
        Arg::Bytes(bytes)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Int(n.into())
    }
}

impl From<bool> for Arg<'_> {
    fn from(b: bool) -> Self {
        Arg::Int(b.into())
    }
}

/// The parameters of a statement: `args![school, family_id, 1i64]`.
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::store::db::Arg::from($arg)),*]
    };
}
pub(crate) use args;

/// A value read from a column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    /// Bytes, written as `{"hex": "…"}` in a school's export.
    Bytes(#[serde(with = "hex")] Vec<u8>),
}

impl Value {
    pub(crate) fn as_arg(&self) -> Arg<'_> {
        match self {
            Value::Null => Arg::Null,
            Value::Int(n) => Arg::Int(*n),
            Value::Text(text) => Arg::Text(text),
            Value::Bytes(bytes) => Arg::Bytes(bytes),
        }
    }
}

/// Bytes as `{"hex": "…"}` in JSON (an untagged string would read back as text).
mod hex {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Hex {
        hex: String,
    }

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        let hex = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Hex { hex }.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let Hex { hex } = Hex::deserialize(d)?;
        if hex.len() % 2 != 0 || !hex.is_ascii() {
            return Err(serde::de::Error::custom("hex of odd length"));
        }
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// One row read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    fn value(&self, i: usize) -> Result<&Value, StoreError> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::new(format!("no column {i} in the row")))
    }

    fn wrong(&self, i: usize, wanted: &str) -> StoreError {
        StoreError::new(format!("column {i} is not {wanted}: {:?}", self.0.get(i)))
    }

    pub(crate) fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| self.wrong(i, "text"))
    }

    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.value(i)? {
            Value::Text(text) => Ok(Some(text.clone())),
            Value::Null => Ok(None),
            _ => Err(self.wrong(i, "text")),
        }
    }

    pub(crate) fn int(&self, i: usize) -> Result<i64, StoreError> {
        match self.value(i)? {
            Value::Int(n) => Ok(*n),
            _ => Err(self.wrong(i, "an integer")),
        }
    }

    pub(crate) fn uint<T: TryFrom<i64>>(&self, i: usize) -> Result<T, StoreError> {
        T::try_from(self.int(i)?).map_err(|_| self.wrong(i, "in range"))
    }

    pub(crate) fn bool(&self, i: usize) -> Result<bool, StoreError> {
        Ok(self.int(i)? != 0)
    }

    pub(crate) fn bytes(&self, i: usize) -> Result<Vec<u8>, StoreError> {
        match self.value(i)? {
            Value::Bytes(bytes) => Ok(bytes.clone()),
            _ => Err(self.wrong(i, "bytes")),
        }
    }

    /// A column of JSON text, parsed.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, i: usize) -> Result<T, StoreError> {
        Ok(serde_json::from_str(&self.text(i)?)?)
    }
}

/// One open transaction of either backend.
pub(crate) trait Db {
    /// Runs a statement that gives rows.
    fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<Row>, StoreError>;
    /// Runs a statement that changes rows; how many it changed.
    fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, StoreError>;

    /// Holds the locks named `keys` until the transaction ends; a writer that names one of them
    /// waits. A write names every lock it needs at once, before it reads; the backend takes
    /// them in one order of its own, the same for every write, so that two writes never wait
    /// for each other in a circle. SQLite has one writer at a time: there it does nothing.
    fn lock(&mut self, _keys: &[String]) -> Result<(), StoreError> {
        Ok(())
    }
}

impl dyn Db + '_ {
    /// The first row, if any.
    pub(crate) fn row(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, args)?.into_iter().next())
    }

    /// Whether the statement gives a row.
    pub(crate) fn exists(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<bool, StoreError> {
        Ok(!self.query(sql, args)?.is_empty())
    }

    /// The first column of every row, as text.
    pub(crate) fn texts(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<Vec<String>, StoreError> {
        self.query(sql, args)?.iter().map(|r| r.text(0)).collect()
    }
}

/// `?1` … `?99` as PostgreSQL's `$1` … `$99` (the statements here have no `?` elsewhere).
pub(crate) fn numbered_as_dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_dollars() {
        assert_eq!(
            numbered_as_dollars("SELECT a FROM t WHERE b = ?1 AND c = ?12 OR ? "),
            "SELECT a FROM t WHERE b = $1 AND c = $12 OR ? "
        );
    }

    #[test]
    fn values_round_trip_through_json_with_bytes_as_hex() {
        let row = vec![
            Value::Null,
            Value::Int(-7),
            Value::Text("{\"hex\":1}".into()),
            Value::Bytes(vec![0, 255, 16]),
        ];
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, r#"[null,-7,"{\"hex\":1}",{"hex":"00ff10"}]"#);
        let back: Vec<Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, row);
    }
}
