//! Builds `flow.yaml` with flowspec.
//!
//! Run it in the catalog's directory: `cargo run -- [OUT]` writes OUT (default
//! flow.yaml); relative file references resolve from that directory.

use flowspec::build::{
    CaptureBuilder, CollectionBuilder, DerivationBuilder, MaterializationBuilder, TestBuilder,
    TransformBuilder,
};
use flowspec::Catalog;
use serde_json::json;

/// What the program's functions return.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The catalog.
pub fn catalog() -> Result<Catalog> {
    let mut catalog = Catalog::default();
    catalog.add(
        CaptureBuilder::new("acmeCo/refs/source")
            .connector(
                "ghcr.io/estuary/source-http-ingest:dev",
                json!("source.config.yaml"),
            )
            .binding(json!("resource.json"), "acmeCo/refs/events"),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/refs/counts")
            .schema(json!("schemas/defs.yaml#/$defs/count"))
            .key(["/kind"])
            .derive(
                DerivationBuilder::sqlite(["sql/001-init.sql", "CREATE TABLE inline (x INTEGER);"])
                    .transform(
                        TransformBuilder::new("fromEvents", "acmeCo/refs/events")
                            .shuffle_lambda("sql/shuffle.sql")
                            .lambda("sql/count.sql"),
                    )
                    .shuffle_key_types(serde_json::from_value::<Vec<flowspec::ShuffleType>>(
                        json!(["string"]),
                    )?),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/refs/events")
            .schema(json!("schemas/event.schema.yaml"))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/refs/split")
            .write_schema(json!("schemas/defs.yaml#/$defs/write"))
            .read_schema(json!("schemas/defs.yaml#Read"))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/refs/ts")
            .schema(json!("schemas/defs.yaml#/$defs/count"))
            .key(["/kind"])
            .derive(DerivationBuilder::typescript("module.ts").transform(
                TransformBuilder::new("fromEvents", "acmeCo/refs/events").shuffle_key(["/kind"]),
            )),
    )?;
    catalog.add(
        MaterializationBuilder::new("acmeCo/refs/sink")
            .connector(
                "ghcr.io/estuary/materialize-postgres:v1",
                json!("sink.config.json"),
            )
            .binding(json!({"table": "events"}), "acmeCo/refs/events"),
    )?;
    catalog.add(
        TestBuilder::new("acmeCo/refs/test")
            .step(serde_json::from_value(json!({
                "ingest": {"collection": "acmeCo/refs/events", "documents": "fixtures/events.yaml"},
            }))?)
            .step(serde_json::from_value(json!({
                "verify": {
                    "collection": "acmeCo/refs/events",
                    "documents": "fixtures/expected.json",
                },
            }))?),
    )?;
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
