/**
 * Builds `flow.yaml` with flowspec.
 *
 * Run it in the catalog's directory: `node flow.js [OUT]` writes OUT (default
 * flow.yaml); relative file references resolve from that directory.
 */

import { pathToFileURL } from "node:url";

import { Catalog, FlowspecError } from "flowspec";

/** The catalog. */
export function catalog(): Catalog {
    const cat = new Catalog();
    cat.capture("acmeCo/shapes/source-local", {
        local: {
            command: ["python", "connector.py"],
            config: { greeting: "hello" },
            env: { LOG: "debug" },
            protobuf: true,
        },
        reset: true,
    })
        .binding({ resource: { name: "greetings" }, target: "acmeCo/shapes/greetings" });
    cat.capture("acmeCo/shapes/source-postgres", {
        image: "ghcr.io/estuary/source-postgres:v1",
        config: { address: "db.internal:5432", database: "app", user: "flow_capture" },
        autoDiscover: { addNewBindings: true, evolveIncompatibleCollections: true },
        interval: "10m",
        shards: {
            minTxnDuration: "0s",
            maxTxnDuration: "1s",
            hotStandbys: 1,
            ringBufferSize: 65536,
            readChannelSize: 4096,
            logLevel: "debug",
        },
        expectPubId: "0123456789abcdef",
        redactSalt: "c2FsdA==",
    })
        .binding({
            resource: { namespace: "public", stream: "orders" },
            target: "acmeCo/shapes/orders",
        })
        .binding({
            resource: { namespace: "public", stream: "customers" },
            target: "acmeCo/shapes/customers",
            backfill: 2,
        })
        .binding({
            resource: { namespace: "public", stream: "audit_log" },
            target: "acmeCo/shapes/not-captured-yet",
            disable: true,
        });
    cat.derivation("acmeCo/shapes/connector-derive", {
        schema: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
        key: ["/id"],
        connector: { image: "ghcr.io/estuary/derive-custom:v1", config: { mode: "fast" } },
        redactSalt: "c2FsdA==",
    })
        .transform({ name: "fromOrders", source: "acmeCo/shapes/orders", shuffle: "any" });
    cat.collection("acmeCo/shapes/customers", {
        writeSchema: {
            type: "object",
            properties: { customer_id: { type: "string" }, name: { type: "string" } },
            required: ["customer_id"],
        },
        readSchema: {
            allOf: [
                { $ref: "flow://write-schema" },
                { type: "object", properties: { name: { type: "string" } } },
            ],
        },
        key: ["/customer_id"],
    });
    cat.collection("acmeCo/shapes/greetings", {
        schema: {
            type: "object",
            properties: { count: { type: "integer" }, message: { type: "string" } },
            required: ["count", "message"],
        },
        key: ["/count"],
    });
    cat.derivation("acmeCo/shapes/local-derive", {
        schema: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
        key: ["/id"],
        local: { command: ["./derive.sh"], config: {} },
    })
        .transform({ name: "fromOrders", source: "acmeCo/shapes/orders", shuffle: "any" });
    cat.collection("acmeCo/shapes/orders", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                customer_id: { type: "string" },
                region: { type: "string", enum: ["EU", "US"] },
                amounts: { type: "object", properties: { total: { type: "number" } } },
                shipped: { type: "boolean" },
            },
            required: ["id", "customer_id", "region"],
        },
        key: ["/id"],
        projections: {
            "order id": "/id",
            region: { location: "/region", partition: true },
            total: "/amounts/total",
        },
        journals: {
            fragments: {
                length: 256,
                compressionCodec: "ZSTANDARD",
                retention: "720h",
                flushInterval: "1h",
            },
        },
    });
    cat.derivation("acmeCo/shapes/py-derive", {
        schema: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] },
        key: ["/id"],
        python: { module: "class Derivation: pass\n", dependencies: { pydantic: ">=2" } },
    })
        .transform({ name: "fromOrders", source: "acmeCo/shapes/orders", shuffle: "any" });
    cat.collection("acmeCo/shapes/retired", {
        schema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
        key: ["/id"],
        delete: true,
    });
    cat.derivation("acmeCo/shapes/sql-totals", {
        schema: {
            type: "object",
            properties: {
                customer_id: { type: "string" },
                total: { type: "number", reduce: { strategy: "sum" } },
            },
            required: ["customer_id"],
            reduce: { strategy: "merge" },
        },
        key: ["/customer_id"],
        sqlite: ["CREATE TABLE seen (id INTEGER PRIMARY KEY);"],
        shards: { logLevel: "warn" },
    })
        .transform({
            name: "fromOrders",
            source: "acmeCo/shapes/orders",
            partitions: { include: { region: ["EU", "US"] }, exclude: { region: ["APAC"] } },
            notBefore: "2024-01-01T00:00:00Z",
            notAfter: "2025-01-01T00:00:00Z",
            shuffle: ["/customer_id"],
            priority: 1,
            readDelay: "1h",
            lambda: "SELECT $customer_id, $amounts$total AS total;",
            backfill: 1,
        })
        .transform({
            name: "fromAnything",
            source: "acmeCo/shapes/missing-but-disabled",
            shuffle: "any",
            disable: true,
        });
    cat.derivation("acmeCo/shapes/ts-join", {
        schema: {
            type: "object",
            properties: {
                customer_id: { type: "string" },
                orders: { type: "array", reduce: { strategy: "append" } },
            },
            required: ["customer_id"],
            reduce: { strategy: "merge" },
        },
        key: ["/customer_id"],
        typescript: "import { IDerivation } from 'flow/acmeCo/shapes/ts-join.ts';\n" +
            "export class Derivation extends IDerivation {}\n",
        shuffleKeyTypes: ["string"],
    })
        .transform({
            name: "fromOrders",
            source: "acmeCo/shapes/orders",
            shuffle: ["/customer_id"],
        })
        .transform({
            name: "fromCustomers",
            source: "acmeCo/shapes/customers",
            shuffle: { lambda: "export function shuffle(doc) { return [doc.customer_id]; }" },
        });
    cat.materialization("acmeCo/shapes/to-dekaf", {
        dekaf: { variant: "clickhouse", config: { token: "abc" } },
        sourceCapture: "acmeCo/shapes/source-postgres",
    })
        .binding({ resource: { topic_name: "orders" }, source: "acmeCo/shapes/orders" });
    cat.materialization("acmeCo/shapes/to-local", {
        image: "ghcr.io/estuary/materialize-webhook:v1",
        config: { address: "http://localhost:9000" },
    })
        .binding({
            resource: { path: "/orders" },
            source: "acmeCo/shapes/orders",
            fields: { require: { id: {} }, recommended: true },
        });
    cat.materialization("acmeCo/shapes/to-snowflake", {
        image: "ghcr.io/estuary/materialize-snowflake:v1",
        config: { host: "acme.snowflakecomputing.com" },
        sourceCapture: {
            capture: "acmeCo/shapes/source-postgres",
            targetNaming: "withSchema",
            deltaUpdates: true,
            fieldsRecommended: 2,
        },
        onIncompatibleSchemaChange: "disableBinding",
        shards: { maxTxnDuration: "5m" },
    })
        .binding({
            resource: { table: "orders" },
            source: "acmeCo/shapes/orders",
            partitions: { include: { region: ["EU"] } },
            notBefore: "2024-01-01T00:00:00Z",
            priority: 3,
            fields: {
                groupBy: ["customer_id", "id"],
                require: { total: { castToString: true } },
                exclude: ["shipped"],
                recommended: 1,
            },
            backfill: 1,
            onIncompatibleSchemaChange: "abort",
        })
        .binding({
            resource: { table: "customers" },
            source: "acmeCo/shapes/customers",
            fields: { recommended: false },
        })
        .binding({
            resource: { table: "gone" },
            source: "acmeCo/shapes/not-materialized",
            disable: true,
        });
    cat.test("acmeCo/shapes/test-array-form")
        .ingest({
            collection: "acmeCo/shapes/greetings",
            documents: [{ count: 1, message: "hi" }],
        })
        .verify({ collection: "acmeCo/shapes/greetings", documents: [{ count: 1 }] });
    cat.test("acmeCo/shapes/test-object-form", {
        description: "Orders are totalled per customer.",
    })
        .ingest({
            description: "Two orders of one customer.",
            collection: "acmeCo/shapes/orders",
            documents: [
                { id: 1, customer_id: "c1", region: "EU", amounts: { total: 10.5 } },
                { id: 2, customer_id: "c1", region: "US", amounts: { total: 2 } },
            ],
        })
        .verify({
            description: "One total.",
            collection: { name: "acmeCo/shapes/sql-totals" },
            documents: [{ customer_id: "c1", total: 12.5 }],
        })
        .verify({
            collection: "acmeCo/shapes/orders",
            partitions: { include: { region: ["EU"] } },
            documents: [{ id: 1 }],
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
