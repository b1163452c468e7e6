//! Rows returned by lambda statements, as published documents.
//!
//! A statement with exactly one column whose name starts with `json` (in
//! any case), as `SELECT JSON($flow_document)` or `SELECT json_object(…)`
//! have, publishes that column's value as the document. Any other
//! statement publishes an object with one property per column: the field
//! of the parameter when the column is an unaliased parameter (`SELECT $id`
//! gives `id`), else the column's name.

use base64::Engine;
use rusqlite::types::ValueRef;
use serde_json::{Map, Number, Value};

/// How a statement's rows become documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Output {
    /// The only column is the document.
    Json,
    /// An object of these property names, one per column.
    Columns(Vec<String>),
}

impl Output {
    /// The output of a statement whose columns have these names, where
    /// `field_of` gives the field of a column named like a bound
    /// parameter.
    pub fn new(columns: &[&str], field_of: impl Fn(&str) -> Option<String>) -> Output {
        if columns.len() == 1 && columns[0].to_ascii_lowercase().starts_with("json") {
            return Output::Json;
        }
        Output::Columns(
            columns
                .iter()
                .map(|c| field_of(c).unwrap_or_else(|| c.to_string()))
                .collect(),
        )
    }

    /// The document of one row.
    pub fn document(&self, row: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
        match self {
            Output::Json => Ok(value(row.get_ref(0)?)),
            Output::Columns(names) => {
                let mut doc = Map::with_capacity(names.len());
                for (i, name) in names.iter().enumerate() {
                    doc.insert(name.clone(), value(row.get_ref(i)?));
                }
                Ok(Value::Object(doc))
            }
        }
    }
}

/// A SQLite value as JSON: numbers as numbers (a non-finite REAL as its
/// text), TEXT as a string unless it is a JSON array or object, a BLOB as
/// base64, and NULL as null.
pub(crate) fn value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Number(Number::from(i)),
        ValueRef::Real(f) => match Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => Value::String(f.to_string()),
        },
        ValueRef::Text(t) => {
            if matches!(
                (t.first(), t.last()),
                (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
            ) {
                if let Ok(v) = serde_json::from_slice(t) {
                    return v;
                }
            }
            Value::String(String::from_utf8_lossy(t).into_owned())
        }
        ValueRef::Blob(b) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
    }
}
