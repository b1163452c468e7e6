// Benchmark: the "many tables" catalog (examples/typescript/src/many-tables.ts)
// with N tables, built, validated and written with flowspec, against a
// baseline that builds the same catalog as plain objects and writes it with
// the `yaml` package (no validation).
//
// Usage: npm run bench [-- N RUNS]   (default 10000 tables, 7 runs)
// `npm run bench` builds the addon in release mode first; running this file
// directly uses whatever addon was built last.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

import { median, warnIfDebugBuild } from "./common.mjs";

import YAML from "yaml";

const require = createRequire(import.meta.url);
const { Catalog } = require("../index.js");

const N = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);

// ---------------------------------------------------------------------------
// The catalog, as in the examples.

const EXTRAS = [
  ["active", "boolean", true],
  ["quantity", "integer", true],
  ["note", "text", true],
  ["attributes", "jsonb", true],
];
const JSON_TYPES = {
  bigint: ["integer"],
  integer: ["integer"],
  numeric: ["number"],
  text: ["string"],
  boolean: ["boolean"],
  timestamptz: ["string", "date-time"],
};

function describeTables(n) {
  const tables = [];
  for (let i = 0; i < n; i++) {
    tables.push({
      name: `table_${String(i).padStart(4, "0")}`,
      columns: [
        ["id", "bigint", false],
        ["name", "text", false],
        ["amount", "numeric", true],
        ["created_at", "timestamptz", false],
        ["updated_at", "timestamptz", true],
        EXTRAS[i % 4],
      ],
    });
  }
  return tables;
}

function columnSchema(pgType, nullable) {
  const mapped = JSON_TYPES[pgType];
  if (mapped === undefined) return {};
  const [type, format] = mapped;
  const schema = { type: nullable ? [type, "null"] : type };
  if (format !== undefined) schema.format = format;
  return schema;
}

function tableSchema(table) {
  const properties = {};
  for (const [name, type, nullable] of table.columns) properties[name] = columnSchema(type, nullable);
  const required = table.columns.filter(([, , nullable]) => !nullable).map(([name]) => name);
  return { type: "object", properties, required };
}

const CAPTURE = "acmeCo/many-tables/source-postgres";
const CAPTURE_ENDPOINT = {
  image: "ghcr.io/estuary/source-postgres:v1",
  config: { address: "postgres.example.com:5432", database: "app", user: "flow_capture", password: "change-me" },
};
const MATERIALIZATION = "acmeCo/many-tables/materialize-snowflake";
const MATERIALIZATION_ENDPOINT = {
  image: "ghcr.io/estuary/materialize-snowflake:v1",
  config: {
    host: "orgname-accountname.snowflakecomputing.com",
    database: "analytics",
    schema: "many_tables",
    warehouse: "loading",
  },
};

// ---------------------------------------------------------------------------
// The two contenders; each returns its phase times in ms.

function withFlowspec(tables, out) {
  const t0 = performance.now();
  const cat = new Catalog();
  const capture = cat.capture(CAPTURE, CAPTURE_ENDPOINT);
  const materialization = cat.materialization(MATERIALIZATION, MATERIALIZATION_ENDPOINT);
  for (const table of tables) {
    const collection = `acmeCo/many-tables/${table.name}`;
    capture.binding({ resource: { namespace: "public", stream: table.name }, target: collection });
    materialization.binding({ resource: { table: table.name }, source: collection });
    cat.collection(collection, { schema: tableSchema(table), key: ["/id"] });
  }
  const t1 = performance.now();
  cat.validate();
  const t2 = performance.now();
  cat.write(join(out, "flow.yaml"));
  const t3 = performance.now();
  return { build: t1 - t0, validate: t2 - t1, write: t3 - t2, total: t3 - t0 };
}

function withYaml(tables, out) {
  const t0 = performance.now();
  const collections = {};
  const captureBindings = [];
  const materializationBindings = [];
  for (const table of tables) {
    const collection = `acmeCo/many-tables/${table.name}`;
    captureBindings.push({ resource: { namespace: "public", stream: table.name }, target: collection });
    materializationBindings.push({ resource: { table: table.name }, source: collection });
    collections[collection] = { schema: tableSchema(table), key: ["/id"] };
  }
  const catalog = {
    captures: { [CAPTURE]: { endpoint: { connector: CAPTURE_ENDPOINT }, bindings: captureBindings } },
    collections,
    materializations: {
      [MATERIALIZATION]: { endpoint: { connector: MATERIALIZATION_ENDPOINT }, bindings: materializationBindings },
    },
  };
  const t1 = performance.now();
  const text = YAML.stringify(catalog);
  writeFileSync(join(out, "flow.yaml"), text);
  const t2 = performance.now();
  return { build: t1 - t0, validate: 0, write: t2 - t1, total: t2 - t0 };
}

// ---------------------------------------------------------------------------

warnIfDebugBuild();

const dir = mkdtempSync(join(tmpdir(), "flowspec-bench-"));
try {
  const tables = describeTables(N);
  const results = { flowspec: [], yaml: [] };
  // One warm-up run of each, then alternate so both see the same machine.
  withFlowspec(tables, dir);
  withYaml(tables, dir);
  for (let i = 0; i < RUNS; i++) {
    results.flowspec.push(withFlowspec(tables, dir));
    results.yaml.push(withYaml(tables, dir));
  }
  const med = (name, phase) => median(results[name].map((r) => r[phase]));
  console.log(`many tables: N = ${N}, ${RUNS} runs, medians in ms`);
  console.log("                     build  validate     write     total");
  for (const name of ["flowspec", "yaml"]) {
    const row = ["build", "validate", "write", "total"].map((p) => med(name, p).toFixed(1).padStart(9));
    console.log(`${name === "yaml" ? "baseline (yaml)" : "flowspec"}`.padEnd(17) + row.join(" "));
  }
  const ratio = med("flowspec", "total") / med("yaml", "total");
  console.log(`ratio flowspec / baseline (total): ${ratio.toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
