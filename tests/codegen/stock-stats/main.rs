//! Builds `flow.yaml` with flowspec.
//!
//! Run it in the catalog's directory: `cargo run -- [OUT]` writes OUT (default
//! flow.yaml); relative file references resolve from that directory.

use flowspec::build::{CollectionBuilder, DerivationBuilder, TestBuilder, TransformBuilder};
use flowspec::Catalog;
use serde_json::json;

/// What the program's functions return.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The catalog.
pub fn catalog() -> Result<Catalog> {
    let mut catalog = Catalog::default();
    catalog.add(
        CollectionBuilder::new("acmeCo/stock/daily-stats")
            .schema(json!("schemas/daily-stat.schema.yaml"))
            .key(["/security", "/date"])
            .partition("exchange", "/exchange")
            .derive(
                DerivationBuilder::typescript("export class Derivation {}\n").transform(
                    TransformBuilder::new("fromTicks", "acmeCo/stock/ticks")
                        .partitions(serde_json::from_value(
                            json!({"include": {"exchange": ["NYSE", "NASDAQ"]}}),
                        )?)
                        .shuffle_key(["/security"]),
                ),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/stock/ticks")
            .write_schema(json!("schemas/L1-tick.schema.yaml"))
            .read_schema(json!("schemas/L1-tick.schema.yaml#/$defs/withRequired"))
            .key(["/security", "/time"])
            .partition("exchange", "/exchange"),
    )?;
    catalog.add(
        TestBuilder::new("acmeCo/stock/test-daily-stats")
            .description("Daily stats by exchange.")
            .ingest("acmeCo/stock/ticks", [json!({"exchange": "NYSE", "security": "ACME", "time": "2024-01-02T15:00:00Z", "bid": {"price": 10.0, "size": 100}, "ask": {"price": 10.5, "size": 50}})])
            .verify_partitions("acmeCo/stock/daily-stats", serde_json::from_value(json!({"include": {"exchange": ["NYSE"]}}))?, [json!({"security": "ACME", "date": "2024-01-02"})]),
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
