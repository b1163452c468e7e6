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
    cat.collection("acmeCo/anchors/first", {
        schema: {
            type: "object",
            properties: { id: { type: "string" }, n: { type: "integer" }, tag: { type: "string" } },
            required: ["id"],
        },
        key: ["/id"],
    });
    cat.collection("acmeCo/anchors/second", {
        schema: {
            type: "object",
            properties: { id: { type: "string" }, n: { type: "integer" }, tag: { type: "string" } },
            required: ["id"],
        },
        key: ["/id"],
    });
    cat.test("acmeCo/anchors/test")
        .ingest({
            collection: "acmeCo/anchors/first",
            documents: [{ id: "a", n: 1 }, { n: 1, id: "b", tag: "merged" }],
        })
        .verify({
            collection: "acmeCo/anchors/first",
            documents: [{ id: "a", n: 1 }, { id: "b", n: 1, tag: "merged" }],
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
