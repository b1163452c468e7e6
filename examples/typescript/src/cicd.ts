// The CI/CD pipeline of Estuary's "flowctl in automated contexts" guide: a
// Stripe capture into two collections, a TypeScript derivation joining
// orders and customers, a Snowflake materialization, and a test of a SQLite
// derivation that totals line items.
//
// The same catalog as examples/rust/src/cicd.rs: it writes the same
// flow.yaml, byte for byte.
//
// Usage: npm run cicd -- [--plaintext-secrets] [OUT_DIR]   (default out/cicd)
//
// Writes the Stripe token and the Snowflake private key encrypted with sops
// to a new age identity made in a temporary directory, then loads what was
// written, validates it, and decrypts it back with that identity.
// `--plaintext-secrets` writes the secrets as plain `_sops` values instead
// (what tests/golden/cicd/flow.yaml holds).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { ageKeygen, Catalog, FlowspecError, secret } from "flowspec";

/** The TypeScript module of the `customers-with-orders` derivation. */
export const FULL_OUTER_JOIN_TS = `import {
    IDerivation,
    Document,
    SourceFromCustomers,
    SourceFromOrders,
} from "flow/acmeCo/customers-with-orders.ts";

// Joins customers and their orders. Documents of one customer are reduced
// by the collection schema's \`merge\` annotations, so each lambda publishes
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
`;

/** The TypeScript module of the `line-item-totals-ts` derivation. */
export const LINE_ITEM_TOTALS_TS = `import { IDerivation, Document, SourceFromLineItems } from "flow/acmeCo/line-item-totals-ts.ts";

// Totals each line item with its sales tax, in dollars: the TypeScript
// twin of the SQLite derivation acmeCo/line-item-totals.
export class Derivation extends IDerivation {
    fromLineItems(read: { doc: SourceFromLineItems }): Document[] {
        const { id, item, price, sales_tax } = read.doc;
        return [{ id, item, total: \`$\${((price + sales_tax) / 100).toFixed(2)}\` }];
    }
}
`;

/** The Snowflake private key of the example: a placeholder in PEM form. */
export const SNOWFLAKE_PRIVATE_KEY =
  "-----BEGIN PRIVATE KEY-----\nMIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder\n-----END PRIVATE KEY-----\n";

/** The Stripe access token of the example: a placeholder. */
export const STRIPE_ACCESS_TOKEN = "sk_test_placeholder";

/** Builds the CI/CD pipeline catalog, to live in `baseDir` (where its
 * TypeScript module is; default: the current directory). */
export function catalog(baseDir?: string): Catalog {
  const cat = new Catalog({ baseDir });

  cat
    .capture("acmeCo/ci-cd/source-stripe-native", {
      image: "ghcr.io/estuary/source-stripe-native:dev",
      config: {
        credentials: {
          credentials_title: "Private App Credentials",
          access_token: secret(STRIPE_ACCESS_TOKEN),
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

  cat
    .derivation("acmeCo/customers-with-orders", {
      schema: {
        type: "object",
        properties: {
          customer_id: { type: "string" },
          name: { type: "string" },
          orders: {
            type: "array",
            items: {
              type: "object",
              properties: { order_id: { type: "string" } },
            },
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

  cat
    .materialization("acmeCo/ci-cd/materialize-snowflake", {
      image: "ghcr.io/estuary/materialize-snowflake:dev",
      config: {
        host: "orgname-accountname.snowflakecomputing.com",
        database: "estuary_db",
        schema: "estuary_schema",
        credentials: {
          auth_type: "jwt",
          user: "estuary_user",
          privateKey: secret(SNOWFLAKE_PRIVATE_KEY),
        },
      },
    })
    .binding({ resource: { table: "shipments" }, source: "acmeCo/ci-cd/postgres_shipments" });

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

  const totalsSchema = {
    type: "object",
    required: ["id", "item", "total"],
    properties: {
      id: { type: "string" },
      item: { type: "string" },
      total: { type: "string", description: "Price plus tax, in dollars." },
    },
  };
  const totals = [
    { id: "1", item: "popcorn", total: "$5.24" },
    { id: "2", item: "hot dog", total: "$6.82" },
  ];
  cat
    .derivation("acmeCo/line-item-totals", {
      schema: totalsSchema,
      key: ["/id"],
      sqlite: [],
    })
    .transform({
      name: "fromLineItems",
      source: "acmeCo/line-items",
      shuffle: ["/id"],
      lambda:
        "SELECT $id AS id, $item AS item,\n  printf('$%.2f', ($price + $sales_tax) / 100.0) AS total;\n",
    });

  cat
    .derivation("acmeCo/line-item-totals-ts", {
      schema: totalsSchema,
      key: ["/id"],
      typescript: "line-item-totals.flow.ts",
    })
    .transform({ name: "fromLineItems", source: "acmeCo/line-items", shuffle: ["/id"] });

  cat
    .test("acmeCo/tests/example", {
      description: "Line items are totalled with their sales tax.",
    })
    .ingest({
      collection: "acmeCo/line-items",
      documents: [
        { id: "1", item: "popcorn", price: 499, sales_tax: 25 },
        { id: "2", item: "hot dog", price: 650, sales_tax: 32 },
      ],
    })
    .verify({ collection: "acmeCo/line-item-totals", documents: totals })
    .verify({ collection: "acmeCo/line-item-totals-ts", documents: totals });

  return cat;
}

/** The value at `path` (object keys) in `value`, if there is one. */
function at(value: unknown, ...path: string[]): unknown {
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Builds the pipeline, validates it, writes it to `out` with its secrets
 * encrypted for a temporary age identity (or in plaintext), and checks that
 * what was written loads back, validates, and decrypts to the secrets as
 * built. */
export function run(out: string, plaintextSecrets = false): void {
  // The catalog lives in `out`, beside its derivation's TypeScript module:
  // its relative references resolve there.
  mkdirSync(out, { recursive: true });
  const module = join(out, "full-outer-join.flow.ts");
  writeFileSync(module, FULL_OUTER_JOIN_TS);
  const totalsModule = join(out, "line-item-totals.flow.ts");
  writeFileSync(totalsModule, LINE_ITEM_TOTALS_TS);
  const cat = catalog(out);
  for (const warning of cat.validate()) {
    console.error(`${warning.scope}: warning: ${warning.message}`);
  }
  console.log(
    `${cat.names("capture").length} captures, ${cat.names("collection").length} collections, ` +
      `${cat.names("materialization").length} materializations, ${cat.names("test").length} tests: valid`,
  );

  const target = join(out, "flow.yaml");

  // A new age identity, only for this run.
  const keys = mkdtempSync(join(tmpdir(), "flowspec-cicd-"));
  try {
    const keyFile = join(keys, "keys.txt");
    const recipient = plaintextSecrets ? undefined : ageKeygen(keyFile);
    const written = cat.write(
      target,
      recipient ? { layout: "flat", recipients: [recipient] } : { layout: "flat", plaintextSecrets: true },
    );
    for (const path of written) console.log(`wrote ${path}`);
    console.log(`wrote ${module}`);
    console.log(`wrote ${totalsModule}`);

    Catalog.load(target).validate();
    if (!recipient) return;
    console.log(`secrets: encrypted to ${recipient} (a temporary age identity)`);
    const decrypted = Catalog.load(target, { decrypt: true, keyFile });
    const stripe = decrypted.getSpec("capture", "acmeCo/ci-cd/source-stripe-native");
    const snowflake = decrypted.getSpec("materialization", "acmeCo/ci-cd/materialize-snowflake");
    const secrets = [
      at(stripe, "endpoint", "connector", "config", "credentials", "access_token_sops"),
      at(snowflake, "endpoint", "connector", "config", "credentials", "privateKey_sops"),
    ];
    if (secrets[0] !== STRIPE_ACCESS_TOKEN || secrets[1] !== SNOWFLAKE_PRIVATE_KEY) {
      throw new FlowspecError("the decrypted secrets differ from the ones built", "internal");
    }
    console.log(`secrets: ${secrets.length} configs decrypt back to the catalog as built`);
  } finally {
    rmSync(keys, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const plaintextSecrets = args.includes("--plaintext-secrets");
  const rest = args.filter((a) => a !== "--plaintext-secrets");
  if (rest.length > 1 || rest.some((a) => a.startsWith("-"))) {
    console.error("usage: cicd [--plaintext-secrets] [OUT_DIR]");
    process.exitCode = 2;
  } else {
    try {
      run(rest[0] ?? "out/cicd", plaintextSecrets);
    } catch (err) {
      if (!(err instanceof FlowspecError)) throw err;
      console.error(`error[${err.code}]: ${err.message}`);
      process.exitCode = 1;
    }
  }
}
