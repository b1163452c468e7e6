/**
 * Builds `flow.json` with flowspec.
 *
 * Run it in the catalog's directory: `node flow.js [OUT]` writes OUT (default
 * flow.yaml); relative file references resolve from that directory.
 */

import { pathToFileURL } from "node:url";

import { Catalog, FlowspecError } from "flowspec";

/** The catalog. */
export function catalog(): Catalog {
    const cat = new Catalog();
    cat.collection("acmeCo/json/items", {
        schema: {
            type: "object",
            properties: { id: { type: "string" }, qty: { type: "integer" } },
            required: ["id"],
        },
        key: ["/id"],
    });
    cat.materialization("acmeCo/json/sink", {
        image: "ghcr.io/estuary/materialize-bigquery:v1",
        config: { project_id: "p", dataset: "d", region: "US" },
    })
        .binding({
            resource: { table: "items", delta_updates: true },
            source: "acmeCo/json/items",
            fields: { exclude: ["qty"], recommended: true },
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
