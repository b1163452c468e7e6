//! Builds `flow.yaml` with flowspec.
//!
//! Run it in the catalog's directory: `cargo run -- [OUT]` writes OUT (default
//! flow.yaml); relative file references resolve from that directory.

use flowspec::build::{
    CaptureBuilder, CollectionBuilder, DerivationBuilder, MaterializationBuilder, Spec,
    TestBuilder, TransformBuilder,
};
use flowspec::Catalog;
use serde_json::json;

/// What the program's functions return.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The catalog.
pub fn catalog() -> Result<Catalog> {
    let mut catalog = Catalog::default();
    catalog.add(
        CaptureBuilder::new("acmeCo/shapes/source-local")
            .local(serde_json::from_value(json!({
                "command": ["python", "connector.py"],
                "config": {"greeting": "hello"},
                "env": {"LOG": "debug"},
                "protobuf": true,
            }))?)
            .binding(json!({"name": "greetings"}), "acmeCo/shapes/greetings")
            .reset(),
    )?;
    catalog.add(
        CaptureBuilder::new("acmeCo/shapes/source-postgres")
            .connector(
                "ghcr.io/estuary/source-postgres:v1",
                json!({
                    "address": "db.internal:5432",
                    "database": "app",
                    "user": "flow_capture",
                }),
            )
            .auto_discover(true, true)
            .binding(
                json!({"namespace": "public", "stream": "orders"}),
                "acmeCo/shapes/orders",
            )
            .binding_def(serde_json::from_value(json!({
                "resource": {"namespace": "public", "stream": "customers"},
                "target": "acmeCo/shapes/customers",
                "backfill": 2,
            }))?)
            .binding_def(serde_json::from_value(json!({
                "resource": {"namespace": "public", "stream": "audit_log"},
                "target": "acmeCo/shapes/not-captured-yet",
                "disable": true,
            }))?)
            .interval("10m")
            .shards(serde_json::from_value(json!({
                "minTxnDuration": "0s",
                "maxTxnDuration": "1s",
                "hotStandbys": 1,
                "ringBufferSize": 65536,
                "readChannelSize": 4096,
                "logLevel": "debug",
            }))?)
            .expect_pub_id("0123456789abcdef")
            .redact_salt("c2FsdA=="),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/connector-derive")
            .schema(json!({
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
            }))
            .key(["/id"])
            .derive(
                DerivationBuilder::connector(
                    "ghcr.io/estuary/derive-custom:v1",
                    json!({"mode": "fast"}),
                )
                .transform(
                    TransformBuilder::new("fromOrders", "acmeCo/shapes/orders").shuffle_any(),
                )
                .redact_salt("c2FsdA=="),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/customers")
            .write_schema(json!({
                "type": "object",
                "properties": {"customer_id": {"type": "string"}, "name": {"type": "string"}},
                "required": ["customer_id"],
            }))
            .read_schema(json!({
                "allOf": [
                    {"$ref": "flow://write-schema"},
                    {"type": "object", "properties": {"name": {"type": "string"}}},
                ],
            }))
            .key(["/customer_id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/greetings")
            .schema(json!({
                "type": "object",
                "properties": {"count": {"type": "integer"}, "message": {"type": "string"}},
                "required": ["count", "message"],
            }))
            .key(["/count"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/local-derive")
            .schema(json!({
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
            }))
            .key(["/id"])
            .derive(
                DerivationBuilder::local(serde_json::from_value(
                    json!({"command": ["./derive.sh"], "config": {}}),
                )?)
                .transform(
                    TransformBuilder::new("fromOrders", "acmeCo/shapes/orders").shuffle_any(),
                ),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/orders")
            .schema(json!({
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "customer_id": {"type": "string"},
                    "region": {"type": "string", "enum": ["EU", "US"]},
                    "amounts": {"type": "object", "properties": {"total": {"type": "number"}}},
                    "shipped": {"type": "boolean"},
                },
                "required": ["id", "customer_id", "region"],
            }))
            .key(["/id"])
            .projection("order id", "/id")
            .partition("region", "/region")
            .projection("total", "/amounts/total")
            .journals(serde_json::from_value(json!({
                "fragments": {
                    "length": 256,
                    "compressionCodec": "ZSTANDARD",
                    "retention": "720h",
                    "flushInterval": "1h",
                },
            }))?),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/py-derive")
            .schema(json!({
                "type": "object",
                "properties": {"id": {"type": "integer"}},
                "required": ["id"],
            }))
            .key(["/id"])
            .derive(DerivationBuilder::using(serde_json::from_value(json!({"python": {"module": "class Derivation: pass\n", "dependencies": {"pydantic": ">=2"}}}))?).transform(TransformBuilder::new("fromOrders", "acmeCo/shapes/orders").shuffle_any())),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/retired")
            .schema(json!({
                "type": "object",
                "properties": {"id": {"type": "string"}},
                "required": ["id"],
            }))
            .key(["/id"])
            .delete(),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/sql-totals")
            .schema(json!({
                "type": "object",
                "properties": {
                    "customer_id": {"type": "string"},
                    "total": {"type": "number", "reduce": {"strategy": "sum"}},
                },
                "required": ["customer_id"],
                "reduce": {"strategy": "merge"},
            }))
            .key(["/customer_id"])
            .derive(DerivationBuilder::sqlite(["CREATE TABLE seen (id INTEGER PRIMARY KEY);"]).transform(TransformBuilder::new("fromOrders", "acmeCo/shapes/orders").partitions(serde_json::from_value(json!({"include": {"region": ["EU", "US"]}, "exclude": {"region": ["APAC"]}}))?).not_before("2024-01-01T00:00:00Z").not_after("2025-01-01T00:00:00Z").shuffle_key(["/customer_id"]).priority(1).read_delay("1h").lambda("SELECT $customer_id, $amounts$total AS total;").backfill(1)).transform(TransformBuilder::new("fromAnything", "acmeCo/shapes/missing-but-disabled").shuffle_any().disable()).shards(serde_json::from_value(json!({"logLevel": "warn"}))?)),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/shapes/ts-join")
            .schema(json!({
                "type": "object",
                "properties": {
                    "customer_id": {"type": "string"},
                    "orders": {"type": "array", "reduce": {"strategy": "append"}},
                },
                "required": ["customer_id"],
                "reduce": {"strategy": "merge"},
            }))
            .key(["/customer_id"])
            .derive(
                DerivationBuilder::typescript(concat!(
                    "import { IDerivation } from 'flow/acmeCo/shapes/ts-join.ts';\n",
                    "export class Derivation extends IDerivation {}\n",
                ))
                .transform(
                    TransformBuilder::new("fromOrders", "acmeCo/shapes/orders")
                        .shuffle_key(["/customer_id"]),
                )
                .transform(
                    TransformBuilder::new("fromCustomers", "acmeCo/shapes/customers")
                        .shuffle_lambda(
                            "export function shuffle(doc) { return [doc.customer_id]; }",
                        ),
                )
                .shuffle_key_types(serde_json::from_value::<Vec<flowspec::ShuffleType>>(
                    json!(["string"]),
                )?),
            ),
    )?;
    catalog.add(
        MaterializationBuilder::new("acmeCo/shapes/to-dekaf")
            .dekaf("clickhouse", json!({"token": "abc"}))
            .source_capture("acmeCo/shapes/source-postgres")
            .binding(json!({"topic_name": "orders"}), "acmeCo/shapes/orders"),
    )?;
    catalog.add(
        MaterializationBuilder::new("acmeCo/shapes/to-local")
            .connector(
                "ghcr.io/estuary/materialize-webhook:v1",
                json!({"address": "http://localhost:9000"}),
            )
            .binding_def(serde_json::from_value(json!({
                "resource": {"path": "/orders"},
                "source": "acmeCo/shapes/orders",
                "fields": {"require": {"id": {}}, "recommended": true},
            }))?),
    )?;
    catalog.add(Spec::Materialization(
        flowspec::Materialization::new("acmeCo/shapes/to-snowflake")?,
        serde_json::from_value(json!({
            "source": {
                "capture": "acmeCo/shapes/source-postgres",
                "targetNaming": "withSchema",
                "deltaUpdates": true,
                "fieldsRecommended": 2,
            },
            "onIncompatibleSchemaChange": "disableBinding",
            "endpoint": {
                "connector": {
                    "image": "ghcr.io/estuary/materialize-snowflake:v1",
                    "config": {"host": "acme.snowflakecomputing.com"},
                },
            },
            "bindings": [
                {
                    "resource": {"table": "orders"},
                    "source": {
                        "name": "acmeCo/shapes/orders",
                        "partitions": {"include": {"region": ["EU"]}},
                        "notBefore": "2024-01-01T00:00:00Z",
                    },
                    "priority": 3,
                    "fields": {
                        "groupBy": ["customer_id", "id"],
                        "require": {"total": {"castToString": true}},
                        "exclude": ["shipped"],
                        "recommended": 1,
                    },
                    "backfill": 1,
                    "onIncompatibleSchemaChange": "abort",
                },
                {
                    "resource": {"table": "customers"},
                    "source": "acmeCo/shapes/customers",
                    "fields": {"recommended": false},
                },
                {
                    "resource": {"table": "gone"},
                    "source": "acmeCo/shapes/not-materialized",
                    "disable": true,
                },
            ],
            "shards": {"maxTxnDuration": "5m"},
        }))?,
    ))?;
    catalog.add(
        TestBuilder::new("acmeCo/shapes/test-array-form")
            .ingest(
                "acmeCo/shapes/greetings",
                [json!({"count": 1, "message": "hi"})],
            )
            .verify("acmeCo/shapes/greetings", [json!({"count": 1})]),
    )?;
    catalog.add(
        TestBuilder::new("acmeCo/shapes/test-object-form")
            .description("Orders are totalled per customer.")
            .step(serde_json::from_value(json!({
                "ingest": {
                    "description": "Two orders of one customer.",
                    "collection": "acmeCo/shapes/orders",
                    "documents": [
                        {"id": 1, "customer_id": "c1", "region": "EU", "amounts": {"total": 10.5}},
                        {"id": 2, "customer_id": "c1", "region": "US", "amounts": {"total": 2}},
                    ],
                },
            }))?)
            .step(serde_json::from_value(json!({
                "verify": {
                    "description": "One total.",
                    "collection": {"name": "acmeCo/shapes/sql-totals"},
                    "documents": [{"customer_id": "c1", "total": 12.5}],
                },
            }))?)
            .verify_partitions(
                "acmeCo/shapes/orders",
                serde_json::from_value(json!({"include": {"region": ["EU"]}}))?,
                [json!({"id": 1})],
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
