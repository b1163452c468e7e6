//! "Many tables": a Postgres capture of N tables into N collections whose
//! schemas are generated from a table description, and a Snowflake
//! materialization of all of them.
//!
//! The table description stands in for what a script would read from the
//! database's `information_schema`; the Python and TypeScript versions of
//! this example generate exactly the same one, so all three write the same
//! `flow.yaml`.

use flowspec::build::{CaptureBuilder, CollectionBuilder, MaterializationBuilder};
use flowspec::{Catalog, Result};
use serde_json::{json, Map, Value};

/// A column of a table: name, Postgres type, nullable.
pub type Column = (&'static str, &'static str, bool);

/// A table of the source database.
pub struct Table {
    /// Table name.
    pub name: String,
    /// Columns, in order.
    pub columns: Vec<Column>,
}

/// The description of the source database: `n` tables `table_0000`,
/// `table_0001`, ... with five common columns and one that varies.
pub fn describe_tables(n: usize) -> Vec<Table> {
    (0..n)
        .map(|i| {
            let extra: Column = match i % 4 {
                0 => ("active", "boolean", true),
                1 => ("quantity", "integer", true),
                2 => ("note", "text", true),
                _ => ("attributes", "jsonb", true),
            };
            Table {
                name: format!("table_{i:04}"),
                columns: vec![
                    ("id", "bigint", false),
                    ("name", "text", false),
                    ("amount", "numeric", true),
                    ("created_at", "timestamptz", false),
                    ("updated_at", "timestamptz", true),
                    extra,
                ],
            }
        })
        .collect()
}

/// The JSON schema of a Postgres column type.
pub fn column_schema(pg_type: &str, nullable: bool) -> Value {
    let (ty, format) = match pg_type {
        "bigint" | "integer" => ("integer", None),
        "numeric" => ("number", None),
        "text" => ("string", None),
        "boolean" => ("boolean", None),
        "timestamptz" => ("string", Some("date-time")),
        _ => return json!({}), // jsonb: any JSON value
    };
    let mut schema = Map::new();
    schema.insert(
        "type".into(),
        if nullable {
            json!([ty, "null"])
        } else {
            json!(ty)
        },
    );
    if let Some(f) = format {
        schema.insert("format".into(), json!(f));
    }
    Value::Object(schema)
}

/// The collection schema of a table.
pub fn table_schema(table: &Table) -> Value {
    let properties: Map<String, Value> = table
        .columns
        .iter()
        .map(|(name, ty, nullable)| (name.to_string(), column_schema(ty, *nullable)))
        .collect();
    let required: Vec<&str> = table
        .columns
        .iter()
        .filter(|(_, _, nullable)| !nullable)
        .map(|(name, _, _)| *name)
        .collect();
    json!({"type": "object", "properties": properties, "required": required})
}

/// Builds the catalog for `n` tables.
///
/// ```
/// let catalog = flowspec_examples::many_tables::catalog(3).unwrap();
/// assert_eq!(catalog.collections.len(), 3);
/// assert_eq!(catalog.captures["acmeCo/many-tables/source-postgres"].bindings.len(), 3);
/// ```
pub fn catalog(n: usize) -> Result<Catalog> {
    let mut catalog = Catalog::default();
    let mut capture = CaptureBuilder::new("acmeCo/many-tables/source-postgres").connector(
        "ghcr.io/estuary/source-postgres:v1",
        json!({
            "address": "postgres.example.com:5432",
            "database": "app",
            "user": "flow_capture",
            "password": "change-me",
        }),
    );
    let mut materialization =
        MaterializationBuilder::new("acmeCo/many-tables/materialize-snowflake").connector(
            "ghcr.io/estuary/materialize-snowflake:v1",
            json!({
                "host": "orgname-accountname.snowflakecomputing.com",
                "database": "analytics",
                "schema": "many_tables",
                "warehouse": "loading",
            }),
        );
    for table in describe_tables(n) {
        let collection = format!("acmeCo/many-tables/{}", table.name);
        capture = capture.binding(
            json!({"namespace": "public", "stream": table.name}),
            &collection,
        );
        materialization = materialization.binding(json!({"table": table.name}), &collection);
        catalog.add(
            CollectionBuilder::new(collection)
                .schema(table_schema(&table))
                .key(["/id"]),
        )?;
    }
    catalog.add(capture)?.add(materialization)?;
    Ok(catalog)
}
