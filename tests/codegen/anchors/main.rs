//! Builds `flow.yaml` with flowspec.
//!
//! Run it in the catalog's directory: `cargo run -- [OUT]` writes OUT (default
//! flow.yaml); relative file references resolve from that directory.

use flowspec::build::{CollectionBuilder, TestBuilder};
use flowspec::Catalog;
use serde_json::json;

/// What the program's functions return.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The catalog.
pub fn catalog() -> Result<Catalog> {
    let mut catalog = Catalog::default();
    catalog.add(
        CollectionBuilder::new("acmeCo/anchors/first")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "n": {"type": "integer"},
                    "tag": {"type": "string"},
                },
                "required": ["id"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/anchors/second")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "n": {"type": "integer"},
                    "tag": {"type": "string"},
                },
                "required": ["id"],
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        TestBuilder::new("acmeCo/anchors/test")
            .ingest(
                "acmeCo/anchors/first",
                [
                    json!({"id": "a", "n": 1}),
                    json!({"n": 1, "id": "b", "tag": "merged"}),
                ],
            )
            .verify(
                "acmeCo/anchors/first",
                [
                    json!({"id": "a", "n": 1}),
                    json!({"id": "b", "n": 1, "tag": "merged"}),
                ],
            ),
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
