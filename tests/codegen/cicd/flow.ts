/**
 * Builds `flow.yaml` with flowspec.
 *
 * Run it in the catalog's directory: `node flow.js [OUT]` writes OUT (default
 * flow.yaml); relative file references resolve from that directory.
 *
 * Secrets are read from these environment variables, and encrypted with
 * sops when written (to SOPS_AGE_RECIPIENTS or the .sops.yaml rule):
 * - SOURCE_STRIPE_NATIVE_ACCESS_TOKEN: capture acmeCo/ci-cd/source-stripe-native
 *   at /endpoint/connector/config/credentials/access_token_sops
 * - MATERIALIZE_SNOWFLAKE_PRIVATE_KEY: materialization acmeCo/ci-cd/materialize-snowflake
 *   at /endpoint/connector/config/credentials/privateKey_sops
 */

import { pathToFileURL } from "node:url";

import { Catalog, FlowspecError, secret } from "flowspec";

/** The value of the environment variable `name`, which must be set. */
function env(name: string): string {
    const value = process.env[name];
    if (value === undefined) {
        throw new Error(`set the environment variable ${name}: it holds a secret of the catalog`);
    }
    return value;
}

/** The catalog. */
export function catalog(): Catalog {
    const cat = new Catalog();
    cat.capture("acmeCo/ci-cd/source-stripe-native", {
        image: "ghcr.io/estuary/source-stripe-native:dev",
        config: {
            credentials: {
                credentials_title: "Private App Credentials",
                access_token: secret(env("SOURCE_STRIPE_NATIVE_ACCESS_TOKEN")),
            },
        },
    })
        .binding({
            resource: { stream: "charges", syncMode: "incremental" },
            target: "acmeCo/ci-cd/stripe_charges",
        })
        .binding({
            resource: { stream: "plans", syncMode: "full_refresh" },
            target: "acmeCo/ci-cd/stripe_plans",
        });
    cat.collection("acmeCo/ci-cd/postgres_shipments", {
        schema: {
            type: "object",
            required: ["id"],
            properties: {
                id: { type: "integer" },
                order_id: { type: "string" },
                shipped_at: { type: "string", format: "date-time" },
            },
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/ci-cd/stripe_charges", {
        schema: {
            type: "object",
            required: ["id"],
            properties: {
                id: { type: "string" },
                created: { type: "string" },
                amount: { type: "integer" },
                currency: { type: "string" },
                customer: { type: ["string", "null"] },
            },
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/ci-cd/stripe_plans", {
        schema: {
            type: "object",
            required: ["id"],
            properties: {
                id: { type: "string" },
                active: { type: "boolean" },
                interval: { type: "string" },
                amount: { type: "integer" },
            },
        },
        key: ["/id"],
    });
    cat.derivation("acmeCo/customers-with-orders", {
        schema: {
            type: "object",
            properties: {
                customer_id: { type: "string" },
                name: { type: "string" },
                orders: {
                    type: "array",
                    items: { type: "object", properties: { order_id: { type: "string" } } },
                    reduce: { strategy: "merge", key: ["/order_id"] },
                },
            },
            required: ["customer_id"],
            reduce: { strategy: "merge" },
        },
        key: ["/customer_id"],
        typescript: "full-outer-join.flow.ts",
    })
        .transform({
            name: "fromOrders",
            source: "acmeCo/join-collections/orders",
            shuffle: ["/customer_id"],
        })
        .transform({
            name: "fromCustomers",
            source: "acmeCo/join-collections/customers",
            shuffle: ["/customer_id"],
        });
    cat.collection("acmeCo/join-collections/customers", {
        schema: {
            type: "object",
            required: ["customer_id"],
            properties: {
                customer_id: { type: "string" },
                name: { type: "string" },
                email: { type: "string" },
            },
        },
        key: ["/customer_id"],
    });
    cat.collection("acmeCo/join-collections/orders", {
        schema: {
            type: "object",
            required: ["order_id", "customer_id"],
            properties: {
                order_id: { type: "string" },
                customer_id: { type: "string" },
                total: { type: "integer" },
            },
        },
        key: ["/order_id"],
    });
    cat.derivation("acmeCo/line-item-totals", {
        schema: {
            type: "object",
            required: ["id", "item", "total"],
            properties: {
                id: { type: "string" },
                item: { type: "string" },
                total: { type: "string", description: "Price plus tax, in dollars." },
            },
        },
        key: ["/id"],
        sqlite: [],
    })
        .transform({
            name: "fromLineItems",
            source: "acmeCo/line-items",
            shuffle: ["/id"],
            lambda: "SELECT $id AS id, $item AS item,\n" +
                "  printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n",
        });
    cat.derivation("acmeCo/line-item-totals-ts", {
        schema: {
            type: "object",
            required: ["id", "item", "total"],
            properties: {
                id: { type: "string" },
                item: { type: "string" },
                total: { type: "string", description: "Price plus tax, in dollars." },
            },
        },
        key: ["/id"],
        typescript: "line-item-totals.flow.ts",
    })
        .transform({ name: "fromLineItems", source: "acmeCo/line-items", shuffle: ["/id"] });
    cat.collection("acmeCo/line-items", {
        schema: {
            type: "object",
            required: ["id", "item", "price", "sales_tax"],
            properties: {
                id: { type: "string" },
                item: { type: "string" },
                price: { type: "integer", description: "Price in cents." },
                sales_tax: { type: "integer", description: "Sales tax in cents." },
            },
        },
        key: ["/id"],
    });
    cat.materialization("acmeCo/ci-cd/materialize-snowflake", {
        image: "ghcr.io/estuary/materialize-snowflake:dev",
        config: {
            host: "orgname-accountname.snowflakecomputing.com",
            database: "estuary_db",
            schema: "estuary_schema",
            credentials: {
                auth_type: "jwt",
                user: "estuary_user",
                privateKey: secret(env("MATERIALIZE_SNOWFLAKE_PRIVATE_KEY")),
            },
        },
    })
        .binding({ resource: { table: "shipments" }, source: "acmeCo/ci-cd/postgres_shipments" });
    cat.test("acmeCo/tests/example", {
        description: "Line items are totalled with their sales tax.",
    })
        .ingest({
            collection: "acmeCo/line-items",
            documents: [
                { id: "1", item: "popcorn", price: 499, sales_tax: 25 },
                { id: "2", item: "hot dog", price: 650, sales_tax: 32 },
            ],
        })
        .verify({
            collection: "acmeCo/line-item-totals",
            documents: [
                { id: "1", item: "popcorn", total: "$5.24" },
                { id: "2", item: "hot dog", total: "$6.82" },
            ],
        })
        .verify({
            collection: "acmeCo/line-item-totals-ts",
            documents: [
                { id: "1", item: "popcorn", total: "$5.24" },
                { id: "2", item: "hot dog", total: "$6.82" },
            ],
        });
    return cat;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const target = process.argv[2] ?? "flow.yaml";
    try {
        for (const path of catalog().write(target)) {
            console.log(`wrote ${path}`);
        }
    } catch (err) {
        if (!(err instanceof Error)) throw err;
        const code = err instanceof FlowspecError ? `[${err.code}]` : "";
        console.error(`error${code}: ${err.message}`);
        process.exitCode = 1;
    }
}
