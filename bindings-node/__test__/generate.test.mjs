// `generate` through the binding, and the TypeScript it writes compiled by
// the real `tsc --strict`: the types file, the stub, and a module
// implementing them; a wrong implementation is rejected. Then the module
// runs as a derivation in the catalog's tests.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { Catalog, ROOT, flowspec, tempDir } from "./helpers.mjs";

const TSC = join(ROOT, "bindings-node", "node_modules", ".bin", "tsc");

const FLOW = `
collections:
  acmeCo/orders:
    schema:
      type: object
      properties:
        id: {type: string}
        customer: {type: string, title: Who ordered}
        amount: {type: number}
        tags: {type: array, items: {enum: [new, gift]}}
      required: [id, customer, amount]
    key: [/id]
  acmeCo/totals:
    schema:
      type: object
      reduce: {strategy: merge}
      properties:
        customer: {type: string}
        total: {type: number, reduce: {strategy: sum}}
        orders: {type: integer, reduce: {strategy: sum}}
      required: [customer]
    key: [/customer]
    derive:
      using: {typescript: {module: totals.ts}}
      transforms:
        - {name: from-orders, source: acmeCo/orders, shuffle: {key: [/customer]}}
tests:
  acmeCo/tests/totals:
    - ingest:
        collection: acmeCo/orders
        documents:
          - {id: "1", customer: alice, amount: 1.5}
          - {id: "2", customer: bob, amount: 2}
          - {id: "3", customer: alice, amount: 3, tags: [gift]}
    - verify:
        collection: acmeCo/totals
        documents: [{customer: alice, total: 4.5, orders: 2}, {customer: bob, total: 2, orders: 1}]
`;

const MODULE = `import { IDerivation, Document, SourceFromOrders } from 'flow/acmeCo/totals.ts';

export class Derivation extends IDerivation {
    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        const { customer, amount } = read.doc;
        return [{ customer, total: amount, orders: 1 }];
    }
}
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: "es2022",
    module: "esnext",
    moduleResolution: "bundler",
    allowImportingTsExtensions: true,
    baseUrl: ".",
    paths: { "flow/*": ["./flow_generated/typescript/*"] },
  },
  include: ["*.ts", "flow_generated/**/*.ts"],
};

function tsc(dir) {
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  return spawnSync(TSC, ["-p", dir], { encoding: "utf8" });
}

describe("generate", () => {
  it("writes types and a stub that tsc --strict accepts, and a module that runs", async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "flow.yaml"), FLOW);
    const written = await flowspec.generate({ source: join(dir, "flow.yaml") });
    assert.deepEqual(
      written.map((f) => [f.kind, f.path.slice(f.path.lastIndexOf(dir.split("/").pop()))]),
      [
        ["types", `${dir.split("/").pop()}/flow_generated/typescript/acmeCo/totals.ts`],
        ["stub", `${dir.split("/").pop()}/totals.ts`],
        ["denoJson", `${dir.split("/").pop()}/deno.json`],
      ],
    );
    const stub = readFileSync(join(dir, "totals.ts"), "utf8");
    assert.match(stub, /fromOrders\(_read: \{ doc: SourceFromOrders \}\): Document\[\]/);
    let compiled = tsc(dir);
    assert.equal(compiled.status, 0, compiled.stdout + compiled.stderr);

    // A module implementing the transform compiles and passes the test.
    writeFileSync(join(dir, "totals.ts"), MODULE);
    compiled = tsc(dir);
    assert.equal(compiled.status, 0, compiled.stdout + compiled.stderr);
    const cat = await Catalog.loadAsync(join(dir, "flow.yaml"));
    const results = await cat.runTests();
    assert.equal(results.ok, true, results.report);

    // Generating again keeps the module.
    await cat.generate();
    assert.equal(readFileSync(join(dir, "totals.ts"), "utf8"), MODULE);

    // A wrong implementation is a type error.
    writeFileSync(join(dir, "totals.ts"), MODULE.replace("total: amount", "total: read.doc.customer"));
    compiled = tsc(dir);
    assert.notEqual(compiled.status, 0);
    assert.match(compiled.stdout, /totals\.ts.*Type 'string' is not assignable to type 'number'/s);
  });

  it("needs a source for a catalog made in code", async () => {
    await assert.rejects(new Catalog().generate(), /give `source`/);
  });
});
