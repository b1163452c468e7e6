//! The benchmark catalog: N collections with 10-property schemas, one
//! capture and one materialization with N bindings each.

use flowspec::build::{CaptureBuilder, CollectionBuilder, MaterializationBuilder};
use flowspec::Catalog;
use serde_json::json;

pub const N: usize = 10_000;

/// The schema of collection `i`.
pub fn schema(i: usize) -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": ["string", "null"], "format": "email"},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "amount": {"type": "number"},
            "active": {"type": "boolean"},
            "region": {"type": "string", "enum": ["EU", "US", "APAC"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string", "description": format!("Column 10 of table {i}.")},
        },
        "required": ["id", "name"],
    })
}

/// Builds the catalog with the builders.
pub fn build(n: usize) -> Catalog {
    let mut catalog = Catalog::default();
    let mut capture = CaptureBuilder::new("acmeCo/bench/source-postgres").connector(
        "ghcr.io/estuary/source-postgres:v1",
        // Already sops-encrypted, as a config loaded from a checked-in catalog is.
        json!({
            "address": "db.internal:5432", "database": "app", "user": "flow_capture",
            "password_sops": "ENC[AES256_GCM,data:3mI7hQ==,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]",
            "sops": {"encrypted_suffix": "_sops", "lastmodified": "2026-01-01T00:00:00Z", "mac": "ENC[...]", "version": "3.13.3"},
        }),
    );
    let mut materialization = MaterializationBuilder::new("acmeCo/bench/materialize-snowflake").connector(
        "ghcr.io/estuary/materialize-snowflake:v1",
        json!({"host": "acme.snowflakecomputing.com", "database": "analytics", "schema": "raw"}),
    );
    for i in 0..n {
        let name = format!("acmeCo/bench/table_{i:05}");
        capture = capture.binding(
            json!({"namespace": "public", "stream": format!("table_{i:05}")}),
            &name,
        );
        materialization = materialization.binding(json!({"table": format!("table_{i:05}")}), &name);
        catalog
            .add(CollectionBuilder::new(name).schema(schema(i)).key(["/id"]))
            .expect("valid collection");
    }
    catalog.add(capture).expect("valid capture");
    catalog.add(materialization).expect("valid materialization");
    catalog
}
