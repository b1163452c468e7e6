//! Builds `flow.yaml` with flowspec.
//!
//! Run it in the catalog's directory: `cargo run -- [OUT]` writes OUT (default
//! flow.yaml); relative file references resolve from that directory.

use flowspec::build::{CaptureBuilder, CollectionBuilder, MaterializationBuilder};
use flowspec::Catalog;
use serde_json::json;

/// What the program's functions return.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The catalog.
pub fn catalog() -> Result<Catalog> {
    let mut catalog = Catalog::default();
    {
        let bindings = [
            (
                json!({"namespace": "public", "stream": "table_0000"}),
                "acmeCo/many-tables/table_0000",
            ),
            (
                json!({"namespace": "public", "stream": "table_0001"}),
                "acmeCo/many-tables/table_0001",
            ),
            (
                json!({"namespace": "public", "stream": "table_0002"}),
                "acmeCo/many-tables/table_0002",
            ),
            (
                json!({"namespace": "public", "stream": "table_0003"}),
                "acmeCo/many-tables/table_0003",
            ),
            (
                json!({"namespace": "public", "stream": "table_0004"}),
                "acmeCo/many-tables/table_0004",
            ),
            (
                json!({"namespace": "public", "stream": "table_0005"}),
                "acmeCo/many-tables/table_0005",
            ),
            (
                json!({"namespace": "public", "stream": "table_0006"}),
                "acmeCo/many-tables/table_0006",
            ),
            (
                json!({"namespace": "public", "stream": "table_0007"}),
                "acmeCo/many-tables/table_0007",
            ),
            (
                json!({"namespace": "public", "stream": "table_0008"}),
                "acmeCo/many-tables/table_0008",
            ),
            (
                json!({"namespace": "public", "stream": "table_0009"}),
                "acmeCo/many-tables/table_0009",
            ),
            (
                json!({"namespace": "public", "stream": "table_0010"}),
                "acmeCo/many-tables/table_0010",
            ),
            (
                json!({"namespace": "public", "stream": "table_0011"}),
                "acmeCo/many-tables/table_0011",
            ),
            (
                json!({"namespace": "public", "stream": "table_0012"}),
                "acmeCo/many-tables/table_0012",
            ),
            (
                json!({"namespace": "public", "stream": "table_0013"}),
                "acmeCo/many-tables/table_0013",
            ),
            (
                json!({"namespace": "public", "stream": "table_0014"}),
                "acmeCo/many-tables/table_0014",
            ),
            (
                json!({"namespace": "public", "stream": "table_0015"}),
                "acmeCo/many-tables/table_0015",
            ),
            (
                json!({"namespace": "public", "stream": "table_0016"}),
                "acmeCo/many-tables/table_0016",
            ),
            (
                json!({"namespace": "public", "stream": "table_0017"}),
                "acmeCo/many-tables/table_0017",
            ),
            (
                json!({"namespace": "public", "stream": "table_0018"}),
                "acmeCo/many-tables/table_0018",
            ),
            (
                json!({"namespace": "public", "stream": "table_0019"}),
                "acmeCo/many-tables/table_0019",
            ),
            (
                json!({"namespace": "public", "stream": "table_0020"}),
                "acmeCo/many-tables/table_0020",
            ),
            (
                json!({"namespace": "public", "stream": "table_0021"}),
                "acmeCo/many-tables/table_0021",
            ),
            (
                json!({"namespace": "public", "stream": "table_0022"}),
                "acmeCo/many-tables/table_0022",
            ),
            (
                json!({"namespace": "public", "stream": "table_0023"}),
                "acmeCo/many-tables/table_0023",
            ),
            (
                json!({"namespace": "public", "stream": "table_0024"}),
                "acmeCo/many-tables/table_0024",
            ),
        ];
        let mut builder = CaptureBuilder::new("acmeCo/many-tables/source-postgres").connector(
            "ghcr.io/estuary/source-postgres:v1",
            json!({
                "address": "postgres.example.com:5432",
                "database": "app",
                "user": "flow_capture",
                "password": "change-me",
            }),
        );
        for (resource, collection) in bindings {
            builder = builder.binding(resource, collection);
        }
        catalog.add(builder)?;
    }
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0000")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0001")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "quantity": {"type": ["integer", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0002")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0003")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "attributes": {},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0004")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0005")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "quantity": {"type": ["integer", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0006")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0007")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "attributes": {},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0008")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0009")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "quantity": {"type": ["integer", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0010")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0011")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "attributes": {},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0012")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0013")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "quantity": {"type": ["integer", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0014")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0015")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "attributes": {},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0016")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0017")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "quantity": {"type": ["integer", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0018")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0019")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "attributes": {},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0020")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0021")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "quantity": {"type": ["integer", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0022")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "note": {"type": ["string", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0023")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "attributes": {},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/many-tables/table_0024")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "amount": {"type": ["number", "null"]},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": ["string", "null"], "format": "date-time"},
                    "active": {"type": ["boolean", "null"]},
                },
                "required": ["id", "name", "created_at"],
            }))
            .key(["/id"]),
    )?;
    {
        let bindings = [
            (
                json!({"table": "table_0000"}),
                "acmeCo/many-tables/table_0000",
            ),
            (
                json!({"table": "table_0001"}),
                "acmeCo/many-tables/table_0001",
            ),
            (
                json!({"table": "table_0002"}),
                "acmeCo/many-tables/table_0002",
            ),
            (
                json!({"table": "table_0003"}),
                "acmeCo/many-tables/table_0003",
            ),
            (
                json!({"table": "table_0004"}),
                "acmeCo/many-tables/table_0004",
            ),
            (
                json!({"table": "table_0005"}),
                "acmeCo/many-tables/table_0005",
            ),
            (
                json!({"table": "table_0006"}),
                "acmeCo/many-tables/table_0006",
            ),
            (
                json!({"table": "table_0007"}),
                "acmeCo/many-tables/table_0007",
            ),
            (
                json!({"table": "table_0008"}),
                "acmeCo/many-tables/table_0008",
            ),
            (
                json!({"table": "table_0009"}),
                "acmeCo/many-tables/table_0009",
            ),
            (
                json!({"table": "table_0010"}),
                "acmeCo/many-tables/table_0010",
            ),
            (
                json!({"table": "table_0011"}),
                "acmeCo/many-tables/table_0011",
            ),
            (
                json!({"table": "table_0012"}),
                "acmeCo/many-tables/table_0012",
            ),
            (
                json!({"table": "table_0013"}),
                "acmeCo/many-tables/table_0013",
            ),
            (
                json!({"table": "table_0014"}),
                "acmeCo/many-tables/table_0014",
            ),
            (
                json!({"table": "table_0015"}),
                "acmeCo/many-tables/table_0015",
            ),
            (
                json!({"table": "table_0016"}),
                "acmeCo/many-tables/table_0016",
            ),
            (
                json!({"table": "table_0017"}),
                "acmeCo/many-tables/table_0017",
            ),
            (
                json!({"table": "table_0018"}),
                "acmeCo/many-tables/table_0018",
            ),
            (
                json!({"table": "table_0019"}),
                "acmeCo/many-tables/table_0019",
            ),
            (
                json!({"table": "table_0020"}),
                "acmeCo/many-tables/table_0020",
            ),
            (
                json!({"table": "table_0021"}),
                "acmeCo/many-tables/table_0021",
            ),
            (
                json!({"table": "table_0022"}),
                "acmeCo/many-tables/table_0022",
            ),
            (
                json!({"table": "table_0023"}),
                "acmeCo/many-tables/table_0023",
            ),
            (
                json!({"table": "table_0024"}),
                "acmeCo/many-tables/table_0024",
            ),
        ];
        let mut builder = MaterializationBuilder::new("acmeCo/many-tables/materialize-snowflake")
            .connector(
                "ghcr.io/estuary/materialize-snowflake:v1",
                json!({
                    "host": "orgname-accountname.snowflakecomputing.com",
                    "database": "analytics",
                    "schema": "many_tables",
                    "warehouse": "loading",
                }),
            );
        for (resource, collection) in bindings {
            builder = builder.binding(resource, collection);
        }
        catalog.add(builder)?;
    }
    Ok(catalog)
}

fn main() -> std::process::ExitCode {
    let target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "flow.yaml".to_string());
    let written = catalog().and_then(|c| Ok(c.write(&target, flowspec::write::Layout::Flat)?));
    match written {
        Ok(written) => {
            for path in &written.files {
                println!("wrote {}", path.display());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
