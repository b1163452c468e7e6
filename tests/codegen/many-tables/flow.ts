/**
 * Builds `flow.yaml` with flowspec.
 *
 * Run it in the catalog's directory: `node flow.js [OUT]` writes OUT (default
 * flow.yaml); relative file references resolve from that directory.
 */

import { pathToFileURL } from "node:url";

import { Catalog, FlowspecError, type CaptureBinding, type MaterializationBindingOptions } from "flowspec";

/** The catalog. */
export function catalog(): Catalog {
    const cat = new Catalog();
    {
        const bindings: CaptureBinding[] = [
            {
                resource: { namespace: "public", stream: "table_0000" },
                target: "acmeCo/many-tables/table_0000",
            },
            {
                resource: { namespace: "public", stream: "table_0001" },
                target: "acmeCo/many-tables/table_0001",
            },
            {
                resource: { namespace: "public", stream: "table_0002" },
                target: "acmeCo/many-tables/table_0002",
            },
            {
                resource: { namespace: "public", stream: "table_0003" },
                target: "acmeCo/many-tables/table_0003",
            },
            {
                resource: { namespace: "public", stream: "table_0004" },
                target: "acmeCo/many-tables/table_0004",
            },
            {
                resource: { namespace: "public", stream: "table_0005" },
                target: "acmeCo/many-tables/table_0005",
            },
            {
                resource: { namespace: "public", stream: "table_0006" },
                target: "acmeCo/many-tables/table_0006",
            },
            {
                resource: { namespace: "public", stream: "table_0007" },
                target: "acmeCo/many-tables/table_0007",
            },
            {
                resource: { namespace: "public", stream: "table_0008" },
                target: "acmeCo/many-tables/table_0008",
            },
            {
                resource: { namespace: "public", stream: "table_0009" },
                target: "acmeCo/many-tables/table_0009",
            },
            {
                resource: { namespace: "public", stream: "table_0010" },
                target: "acmeCo/many-tables/table_0010",
            },
            {
                resource: { namespace: "public", stream: "table_0011" },
                target: "acmeCo/many-tables/table_0011",
            },
            {
                resource: { namespace: "public", stream: "table_0012" },
                target: "acmeCo/many-tables/table_0012",
            },
            {
                resource: { namespace: "public", stream: "table_0013" },
                target: "acmeCo/many-tables/table_0013",
            },
            {
                resource: { namespace: "public", stream: "table_0014" },
                target: "acmeCo/many-tables/table_0014",
            },
            {
                resource: { namespace: "public", stream: "table_0015" },
                target: "acmeCo/many-tables/table_0015",
            },
            {
                resource: { namespace: "public", stream: "table_0016" },
                target: "acmeCo/many-tables/table_0016",
            },
            {
                resource: { namespace: "public", stream: "table_0017" },
                target: "acmeCo/many-tables/table_0017",
            },
            {
                resource: { namespace: "public", stream: "table_0018" },
                target: "acmeCo/many-tables/table_0018",
            },
            {
                resource: { namespace: "public", stream: "table_0019" },
                target: "acmeCo/many-tables/table_0019",
            },
            {
                resource: { namespace: "public", stream: "table_0020" },
                target: "acmeCo/many-tables/table_0020",
            },
            {
                resource: { namespace: "public", stream: "table_0021" },
                target: "acmeCo/many-tables/table_0021",
            },
            {
                resource: { namespace: "public", stream: "table_0022" },
                target: "acmeCo/many-tables/table_0022",
            },
            {
                resource: { namespace: "public", stream: "table_0023" },
                target: "acmeCo/many-tables/table_0023",
            },
            {
                resource: { namespace: "public", stream: "table_0024" },
                target: "acmeCo/many-tables/table_0024",
            },
        ];
        const capture = cat.capture("acmeCo/many-tables/source-postgres", {
            image: "ghcr.io/estuary/source-postgres:v1",
            config: {
                address: "postgres.example.com:5432",
                database: "app",
                user: "flow_capture",
                password: "change-me",
            },
        });
        for (const binding of bindings) {
            capture.binding(binding);
        }
    }
    cat.collection("acmeCo/many-tables/table_0000", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0001", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                quantity: { type: ["integer", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0002", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                note: { type: ["string", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0003", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                attributes: {},
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0004", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0005", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                quantity: { type: ["integer", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0006", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                note: { type: ["string", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0007", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                attributes: {},
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0008", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0009", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                quantity: { type: ["integer", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0010", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                note: { type: ["string", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0011", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                attributes: {},
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0012", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0013", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                quantity: { type: ["integer", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0014", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                note: { type: ["string", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0015", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                attributes: {},
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0016", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0017", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                quantity: { type: ["integer", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0018", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                note: { type: ["string", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0019", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                attributes: {},
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0020", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0021", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                quantity: { type: ["integer", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0022", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                note: { type: ["string", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0023", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                attributes: {},
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/many-tables/table_0024", {
        schema: {
            type: "object",
            properties: {
                id: { type: "integer" },
                name: { type: "string" },
                amount: { type: ["number", "null"] },
                created_at: { type: "string", format: "date-time" },
                updated_at: { type: ["string", "null"], format: "date-time" },
                active: { type: ["boolean", "null"] },
            },
            required: ["id", "name", "created_at"],
        },
        key: ["/id"],
    });
    {
        const bindings: MaterializationBindingOptions[] = [
            { resource: { table: "table_0000" }, source: "acmeCo/many-tables/table_0000" },
            { resource: { table: "table_0001" }, source: "acmeCo/many-tables/table_0001" },
            { resource: { table: "table_0002" }, source: "acmeCo/many-tables/table_0002" },
            { resource: { table: "table_0003" }, source: "acmeCo/many-tables/table_0003" },
            { resource: { table: "table_0004" }, source: "acmeCo/many-tables/table_0004" },
            { resource: { table: "table_0005" }, source: "acmeCo/many-tables/table_0005" },
            { resource: { table: "table_0006" }, source: "acmeCo/many-tables/table_0006" },
            { resource: { table: "table_0007" }, source: "acmeCo/many-tables/table_0007" },
            { resource: { table: "table_0008" }, source: "acmeCo/many-tables/table_0008" },
            { resource: { table: "table_0009" }, source: "acmeCo/many-tables/table_0009" },
            { resource: { table: "table_0010" }, source: "acmeCo/many-tables/table_0010" },
            { resource: { table: "table_0011" }, source: "acmeCo/many-tables/table_0011" },
            { resource: { table: "table_0012" }, source: "acmeCo/many-tables/table_0012" },
            { resource: { table: "table_0013" }, source: "acmeCo/many-tables/table_0013" },
            { resource: { table: "table_0014" }, source: "acmeCo/many-tables/table_0014" },
            { resource: { table: "table_0015" }, source: "acmeCo/many-tables/table_0015" },
            { resource: { table: "table_0016" }, source: "acmeCo/many-tables/table_0016" },
            { resource: { table: "table_0017" }, source: "acmeCo/many-tables/table_0017" },
            { resource: { table: "table_0018" }, source: "acmeCo/many-tables/table_0018" },
            { resource: { table: "table_0019" }, source: "acmeCo/many-tables/table_0019" },
            { resource: { table: "table_0020" }, source: "acmeCo/many-tables/table_0020" },
            { resource: { table: "table_0021" }, source: "acmeCo/many-tables/table_0021" },
            { resource: { table: "table_0022" }, source: "acmeCo/many-tables/table_0022" },
            { resource: { table: "table_0023" }, source: "acmeCo/many-tables/table_0023" },
            { resource: { table: "table_0024" }, source: "acmeCo/many-tables/table_0024" },
        ];
        const materialization = cat.materialization("acmeCo/many-tables/materialize-snowflake", {
            image: "ghcr.io/estuary/materialize-snowflake:v1",
            config: {
                host: "orgname-accountname.snowflakecomputing.com",
                database: "analytics",
                schema: "many_tables",
                warehouse: "loading",
            },
        });
        for (const binding of bindings) {
            materialization.binding(binding);
        }
    }
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
