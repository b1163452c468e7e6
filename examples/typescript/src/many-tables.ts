// "Many tables": a Postgres capture of N tables into N collections whose
// schemas are generated from a table description, and a Snowflake
// materialization of all of them.
//
// The table description stands in for what a script would read from the
// database's information_schema. The same catalog as
// examples/rust/src/many_tables.rs: it writes the same flow.yaml, byte for
// byte.
//
// Usage: npm run many-tables -- [N] [OUT_DIR]   (default 25 tables into out/many-tables)

import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { Catalog, FlowspecError, type JsonObject } from "flowspec";

/** A column of a table: name, Postgres type, nullable. */
export type Column = readonly [name: string, pgType: string, nullable: boolean];

/** A table of the source database. */
export interface Table {
  name: string;
  columns: Column[];
}

/** The description of the source database: `n` tables `table_0000`,
 * `table_0001`, ... with five common columns and one that varies. */
export function describeTables(n: number): Table[] {
  const tables: Table[] = [];
  for (let i = 0; i < n; i++) {
    const extras: Column[] = [
      ["active", "boolean", true],
      ["quantity", "integer", true],
      ["note", "text", true],
      ["attributes", "jsonb", true],
    ];
    const extra = extras[i % 4] as Column;
    tables.push({
      name: `table_${String(i).padStart(4, "0")}`,
      columns: [
        ["id", "bigint", false],
        ["name", "text", false],
        ["amount", "numeric", true],
        ["created_at", "timestamptz", false],
        ["updated_at", "timestamptz", true],
        extra,
      ],
    });
  }
  return tables;
}

const JSON_TYPES: Record<string, [type: string, format?: string]> = {
  bigint: ["integer"],
  integer: ["integer"],
  numeric: ["number"],
  text: ["string"],
  boolean: ["boolean"],
  timestamptz: ["string", "date-time"],
};

/** The JSON schema of a Postgres column type. */
export function columnSchema(pgType: string, nullable: boolean): JsonObject {
  const mapped = JSON_TYPES[pgType];
  if (mapped === undefined) return {}; // jsonb: any JSON value
  const [type, format] = mapped;
  const schema: JsonObject = { type: nullable ? [type, "null"] : type };
  if (format !== undefined) schema.format = format;
  return schema;
}

/** The collection schema of a table. */
export function tableSchema(table: Table): JsonObject {
  const properties: JsonObject = {};
  for (const [name, type, nullable] of table.columns) properties[name] = columnSchema(type, nullable);
  const required = table.columns.filter(([, , nullable]) => !nullable).map(([name]) => name);
  return { type: "object", properties, required };
}

/** Builds the catalog for `n` tables. */
export function catalog(n: number): Catalog {
  const cat = new Catalog();
  const capture = cat.capture("acmeCo/many-tables/source-postgres", {
    image: "ghcr.io/estuary/source-postgres:v1",
    config: {
      address: "postgres.example.com:5432",
      database: "app",
      user: "flow_capture",
      password: "change-me",
    },
  });
  const materialization = cat.materialization("acmeCo/many-tables/materialize-snowflake", {
    image: "ghcr.io/estuary/materialize-snowflake:v1",
    config: {
      host: "orgname-accountname.snowflakecomputing.com",
      database: "analytics",
      schema: "many_tables",
      warehouse: "loading",
    },
  });
  for (const table of describeTables(n)) {
    const collection = `acmeCo/many-tables/${table.name}`;
    capture.binding({ resource: { namespace: "public", stream: table.name }, target: collection });
    materialization.binding({ resource: { table: table.name }, source: collection });
    cat.collection(collection, { schema: tableSchema(table), key: ["/id"] });
  }
  return cat;
}

/** Builds, validates and writes the catalog for `n` tables. */
export function run(n: number, out: string): void {
  const cat = catalog(n);
  cat.validate();
  const written = cat.write(join(out, "flow.yaml"));
  console.log(`${n} tables: valid`);
  for (const path of written) console.log(`wrote ${path}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  const n = arg === undefined ? 25 : Number(arg);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`error: N must be a number of tables: ${arg}`);
    process.exitCode = 2;
  } else {
    try {
      run(n, process.argv[3] ?? "out/many-tables");
    } catch (err) {
      if (!(err instanceof FlowspecError)) throw err;
      console.error(`error[${err.code}]: ${err.message}`);
      process.exitCode = 1;
    }
  }
}
