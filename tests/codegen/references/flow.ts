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
    cat.capture("acmeCo/refs/source", {
        image: "ghcr.io/estuary/source-http-ingest:dev",
        config: "source.config.yaml",
    })
        .binding({ resource: "resource.json", target: "acmeCo/refs/events" });
    cat.derivation("acmeCo/refs/counts", {
        schema: "schemas/defs.yaml#/$defs/count",
        key: ["/kind"],
        sqlite: ["sql/001-init.sql", "CREATE TABLE inline (x INTEGER);"],
        shuffleKeyTypes: ["string"],
    })
        .transform({
            name: "fromEvents",
            source: "acmeCo/refs/events",
            shuffle: { lambda: "sql/shuffle.sql" },
            lambda: "sql/count.sql",
        });
    cat.collection("acmeCo/refs/events", { schema: "schemas/event.schema.yaml", key: ["/id"] });
    cat.collection("acmeCo/refs/split", {
        writeSchema: "schemas/defs.yaml#/$defs/write",
        readSchema: "schemas/defs.yaml#Read",
        key: ["/id"],
    });
    cat.derivation("acmeCo/refs/ts", {
        schema: "schemas/defs.yaml#/$defs/count",
        key: ["/kind"],
        typescript: "module.ts",
    })
        .transform({ name: "fromEvents", source: "acmeCo/refs/events", shuffle: ["/kind"] });
    cat.materialization("acmeCo/refs/sink", {
        image: "ghcr.io/estuary/materialize-postgres:v1",
        config: "sink.config.json",
    })
        .binding({ resource: { table: "events" }, source: "acmeCo/refs/events" });
    cat.test("acmeCo/refs/test")
        .ingest({ collection: "acmeCo/refs/events", documents: "fixtures/events.yaml" })
        .verify({ collection: "acmeCo/refs/events", documents: "fixtures/expected.json" });
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
