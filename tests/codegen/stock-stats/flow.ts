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
    cat.derivation("acmeCo/stock/daily-stats", {
        schema: "schemas/daily-stat.schema.yaml",
        key: ["/security", "/date"],
        projections: { exchange: { location: "/exchange", partition: true } },
        typescript: "export class Derivation {}\n",
    })
        .transform({
            name: "fromTicks",
            source: "acmeCo/stock/ticks",
            partitions: { include: { exchange: ["NYSE", "NASDAQ"] } },
            shuffle: ["/security"],
        });
    cat.collection("acmeCo/stock/ticks", {
        writeSchema: "schemas/L1-tick.schema.yaml",
        readSchema: "schemas/L1-tick.schema.yaml#/$defs/withRequired",
        key: ["/security", "/time"],
        projections: { exchange: { location: "/exchange", partition: true } },
    });
    cat.test("acmeCo/stock/test-daily-stats", { description: "Daily stats by exchange." })
        .ingest({
            collection: "acmeCo/stock/ticks",
            documents: [
                {
                    exchange: "NYSE",
                    security: "ACME",
                    time: "2024-01-02T15:00:00Z",
                    bid: { price: 10.0, size: 100 },
                    ask: { price: 10.5, size: 50 },
                },
            ],
        })
        .verify({
            collection: "acmeCo/stock/daily-stats",
            partitions: { include: { exchange: ["NYSE"] } },
            documents: [{ security: "ACME", date: "2024-01-02" }],
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
