//! Builds `flow.yaml` with flowspec.
//!
//! Run it in the catalog's directory: `cargo run -- [OUT]` writes OUT (default
//! flow.yaml); relative file references resolve from that directory.
//!
//! Secrets are read from these environment variables, and encrypted with
//! sops when written (to SOPS_AGE_RECIPIENTS or the .sops.yaml rule):
//! - SOURCE_STRIPE_NATIVE_ACCESS_TOKEN: capture acmeCo/ci-cd/source-stripe-native
//!   at /endpoint/connector/config/credentials/access_token_sops
//! - MATERIALIZE_SNOWFLAKE_PRIVATE_KEY: materialization acmeCo/ci-cd/materialize-snowflake
//!   at /endpoint/connector/config/credentials/privateKey_sops

use flowspec::build::{
    CaptureBuilder, CollectionBuilder, DerivationBuilder, MaterializationBuilder, TestBuilder,
    TransformBuilder,
};
use flowspec::{secret, Catalog};
use serde_json::json;

/// What the program's functions return.
type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The value of the environment variable `name`, which must be set.
fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| {
        format!("set the environment variable {name}: it holds a secret of the catalog").into()
    })
}

/// The catalog.
pub fn catalog() -> Result<Catalog> {
    let mut catalog = Catalog::default();
    catalog.add(
        CaptureBuilder::new("acmeCo/ci-cd/source-stripe-native")
            .connector(
                "ghcr.io/estuary/source-stripe-native:dev",
                json!({
                    "credentials": {
                        "credentials_title": "Private App Credentials",
                        "access_token": secret(env("SOURCE_STRIPE_NATIVE_ACCESS_TOKEN")?),
                    },
                }),
            )
            .binding(
                json!({"stream": "charges", "syncMode": "incremental"}),
                "acmeCo/ci-cd/stripe_charges",
            )
            .binding(
                json!({"stream": "plans", "syncMode": "full_refresh"}),
                "acmeCo/ci-cd/stripe_plans",
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/ci-cd/postgres_shipments")
            .schema(json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "order_id": {"type": "string"},
                    "shipped_at": {"type": "string", "format": "date-time"},
                },
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/ci-cd/stripe_charges")
            .schema(json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "created": {"type": "string"},
                    "amount": {"type": "integer"},
                    "currency": {"type": "string"},
                    "customer": {"type": ["string", "null"]},
                },
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/ci-cd/stripe_plans")
            .schema(json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "active": {"type": "boolean"},
                    "interval": {"type": "string"},
                    "amount": {"type": "integer"},
                },
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/customers-with-orders")
            .schema(json!({
                "type": "object",
                "properties": {
                    "customer_id": {"type": "string"},
                    "name": {"type": "string"},
                    "orders": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"order_id": {"type": "string"}}},
                        "reduce": {"strategy": "merge", "key": ["/order_id"]},
                    },
                },
                "required": ["customer_id"],
                "reduce": {"strategy": "merge"},
            }))
            .key(["/customer_id"])
            .derive(
                DerivationBuilder::typescript("full-outer-join.flow.ts")
                    .transform(
                        TransformBuilder::new("fromOrders", "acmeCo/join-collections/orders")
                            .shuffle_key(["/customer_id"]),
                    )
                    .transform(
                        TransformBuilder::new("fromCustomers", "acmeCo/join-collections/customers")
                            .shuffle_key(["/customer_id"]),
                    ),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/join-collections/customers")
            .schema(json!({
                "type": "object",
                "required": ["customer_id"],
                "properties": {
                    "customer_id": {"type": "string"},
                    "name": {"type": "string"},
                    "email": {"type": "string"},
                },
            }))
            .key(["/customer_id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/join-collections/orders")
            .schema(json!({
                "type": "object",
                "required": ["order_id", "customer_id"],
                "properties": {
                    "order_id": {"type": "string"},
                    "customer_id": {"type": "string"},
                    "total": {"type": "integer"},
                },
            }))
            .key(["/order_id"]),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/line-item-totals")
            .schema(json!({
                "type": "object",
                "required": ["id", "item", "total"],
                "properties": {
                    "id": {"type": "string"},
                    "item": {"type": "string"},
                    "total": {"type": "string", "description": "Price plus tax, in dollars."},
                },
            }))
            .key(["/id"])
            .derive(
                DerivationBuilder::sqlite([] as [&str; 0]).transform(
                    TransformBuilder::new("fromLineItems", "acmeCo/line-items")
                        .shuffle_key(["/id"])
                        .lambda(concat!(
                            "SELECT $id AS id, $item AS item,\n",
                            "  printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n",
                        )),
                ),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/line-item-totals-ts")
            .schema(json!({
                "type": "object",
                "required": ["id", "item", "total"],
                "properties": {
                    "id": {"type": "string"},
                    "item": {"type": "string"},
                    "total": {"type": "string", "description": "Price plus tax, in dollars."},
                },
            }))
            .key(["/id"])
            .derive(
                DerivationBuilder::typescript("line-item-totals.flow.ts").transform(
                    TransformBuilder::new("fromLineItems", "acmeCo/line-items")
                        .shuffle_key(["/id"]),
                ),
            ),
    )?;
    catalog.add(
        CollectionBuilder::new("acmeCo/line-items")
            .schema(json!({
                "type": "object",
                "required": ["id", "item", "price", "sales_tax"],
                "properties": {
                    "id": {"type": "string"},
                    "item": {"type": "string"},
                    "price": {"type": "integer", "description": "Price in cents."},
                    "sales_tax": {"type": "integer", "description": "Sales tax in cents."},
                },
            }))
            .key(["/id"]),
    )?;
    catalog.add(
        MaterializationBuilder::new("acmeCo/ci-cd/materialize-snowflake")
            .connector(
                "ghcr.io/estuary/materialize-snowflake:dev",
                json!({
                    "host": "orgname-accountname.snowflakecomputing.com",
                    "database": "estuary_db",
                    "schema": "estuary_schema",
                    "credentials": {
                        "auth_type": "jwt",
                        "user": "estuary_user",
                        "privateKey": secret(env("MATERIALIZE_SNOWFLAKE_PRIVATE_KEY")?),
                    },
                }),
            )
            .binding(
                json!({"table": "shipments"}),
                "acmeCo/ci-cd/postgres_shipments",
            ),
    )?;
    catalog.add(
        TestBuilder::new("acmeCo/tests/example")
            .description("Line items are totalled with their sales tax.")
            .ingest(
                "acmeCo/line-items",
                [
                    json!({"id": "1", "item": "popcorn", "price": 499, "sales_tax": 25}),
                    json!({"id": "2", "item": "hot dog", "price": 650, "sales_tax": 32}),
                ],
            )
            .verify(
                "acmeCo/line-item-totals",
                [
                    json!({"id": "1", "item": "popcorn", "total": "$5.24"}),
                    json!({"id": "2", "item": "hot dog", "total": "$6.82"}),
                ],
            )
            .verify(
                "acmeCo/line-item-totals-ts",
                [
                    json!({"id": "1", "item": "popcorn", "total": "$5.24"}),
                    json!({"id": "2", "item": "hot dog", "total": "$6.82"}),
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
