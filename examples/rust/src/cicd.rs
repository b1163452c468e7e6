//! The CI/CD pipeline of Estuary's "flowctl in automated contexts" guide:
//! a Stripe capture into two collections, a TypeScript derivation joining
//! orders and customers, a Snowflake materialization, and a test of the
//! line items' totals, derived both in SQLite and in TypeScript.

use flowspec::build::{
    CaptureBuilder, CollectionBuilder, DerivationBuilder, MaterializationBuilder, TestBuilder,
    TransformBuilder,
};
use flowspec::{secret, Catalog, Result};
use serde_json::json;

/// The TypeScript module of the `customers-with-orders` derivation, written
/// next to the catalog as `full-outer-join.flow.ts`.
pub const FULL_OUTER_JOIN_TS: &str = r#"import {
    IDerivation,
    Document,
    SourceFromCustomers,
    SourceFromOrders,
} from "flow/acmeCo/customers-with-orders.ts";

// Joins customers and their orders. Documents of one customer are reduced
// by the collection schema's `merge` annotations, so each lambda publishes
// only what it knows.
export class Derivation extends IDerivation {
    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        const { customer_id, order_id } = read.doc;
        return [{ customer_id, orders: [{ order_id }] }];
    }

    fromCustomers(read: { doc: SourceFromCustomers }): Document[] {
        const { customer_id, name } = read.doc;
        return [{ customer_id, name }];
    }
}
"#;

/// The TypeScript module of the `line-item-totals-ts` derivation, written
/// next to the catalog as `line-item-totals.flow.ts`.
pub const LINE_ITEM_TOTALS_TS: &str = r#"import { IDerivation, Document, SourceFromLineItems } from "flow/acmeCo/line-item-totals-ts.ts";

// Totals each line item with its sales tax, in dollars: the TypeScript
// twin of the SQLite derivation acmeCo/line-item-totals.
export class Derivation extends IDerivation {
    fromLineItems(read: { doc: SourceFromLineItems }): Document[] {
        const { id, item, price, sales_tax } = read.doc;
        return [{ id, item, total: `$${((price + sales_tax) / 100).toFixed(2)}` }];
    }
}
"#;

/// The Snowflake private key of the example: a placeholder in PEM form.
pub const SNOWFLAKE_PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder\n-----END PRIVATE KEY-----\n";

/// The Stripe access token of the example: a placeholder.
pub const STRIPE_ACCESS_TOKEN: &str = "sk_test_placeholder";

/// Builds the CI/CD pipeline catalog.
///
/// ```
/// let catalog = flowspec_examples::cicd::catalog().unwrap();
/// assert_eq!(catalog.captures.len(), 1);
/// assert_eq!(catalog.materializations.len(), 1);
/// ```
pub fn catalog() -> Result<Catalog> {
    let totals_schema = json!({
        "type": "object",
        "required": ["id", "item", "total"],
        "properties": {
            "id": {"type": "string"},
            "item": {"type": "string"},
            "total": {"type": "string", "description": "Price plus tax, in dollars."},
        },
    });
    let totals = [
        json!({"id": "1", "item": "popcorn", "total": "$5.24"}),
        json!({"id": "2", "item": "hot dog", "total": "$6.82"}),
    ];
    let mut catalog = Catalog::default();
    catalog
        .add(
            CaptureBuilder::new("acmeCo/ci-cd/source-stripe-native")
                .connector(
                    "ghcr.io/estuary/source-stripe-native:dev",
                    json!({
                        "credentials": {
                            "credentials_title": "Private App Credentials",
                            "access_token": secret(STRIPE_ACCESS_TOKEN),
                        }
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
        )?
        .add(
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
        )?
        .add(
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
        )?
        .add(
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
        )?
        .add(
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
        )?
        .add(
            CollectionBuilder::new("acmeCo/customers-with-orders")
                .schema(json!({
                    "type": "object",
                    "properties": {
                        "customer_id": {"type": "string"},
                        "name": {"type": "string"},
                        "orders": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"order_id": {"type": "string"}},
                            },
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
        )?
        .add(
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
        )?
        .add(
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
                            "privateKey": secret(SNOWFLAKE_PRIVATE_KEY),
                        },
                    }),
                )
                .binding(json!({"table": "shipments"}), "acmeCo/ci-cd/postgres_shipments"),
        )?
        .add(
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
        )?
        .add(
            CollectionBuilder::new("acmeCo/line-item-totals")
                .schema(totals_schema.clone())
                .key(["/id"])
                .derive(
                    DerivationBuilder::sqlite(Vec::<String>::new()).transform(
                        TransformBuilder::new("fromLineItems", "acmeCo/line-items")
                            .shuffle_key(["/id"])
                            .lambda(
                                "SELECT $id AS id, $item AS item,\n  printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n",
                            ),
                    ),
                ),
        )?
        .add(
            CollectionBuilder::new("acmeCo/line-item-totals-ts")
                .schema(totals_schema.clone())
                .key(["/id"])
                .derive(
                    DerivationBuilder::typescript("line-item-totals.flow.ts").transform(
                        TransformBuilder::new("fromLineItems", "acmeCo/line-items")
                            .shuffle_key(["/id"]),
                    ),
                ),
        )?
        .add(
            TestBuilder::new("acmeCo/tests/example")
                .description("Line items are totalled with their sales tax.")
                .ingest(
                    "acmeCo/line-items",
                    [
                        json!({"id": "1", "item": "popcorn", "price": 499, "sales_tax": 25}),
                        json!({"id": "2", "item": "hot dog", "price": 650, "sales_tax": 32}),
                    ],
                )
                .verify("acmeCo/line-item-totals", totals.clone())
                .verify("acmeCo/line-item-totals-ts", totals),
        )?;
    Ok(catalog)
}
