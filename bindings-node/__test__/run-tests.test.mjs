// Catalog tests run locally through the binding: reductions, derivations,
// the results and report, filters, snapshots and bad input.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { Catalog, FlowspecError, tempDir } from "./helpers.mjs";

const SUMS = {
  type: "object",
  reduce: { strategy: "merge" },
  properties: { id: { type: "string" }, n: { type: "integer", reduce: { strategy: "sum" } } },
  required: ["id"],
};

function sums(expectedA) {
  const cat = new Catalog();
  cat.collection("acmeCo/sums", { schema: SUMS, key: ["/id"] });
  cat
    .test("acmeCo/tests/sums")
    .ingest({ collection: "acmeCo/sums", documents: [{ id: "a", n: 3 }, { id: "b", n: 1 }, { id: "a", n: 5 }] })
    .verify({ collection: "acmeCo/sums", documents: [{ id: "a", n: expectedA }, { id: "b", n: 1 }] });
  return cat;
}

describe("runTests", () => {
  it("passes a test whose documents reduce by key", async () => {
    const results = await sums(8).runTests();
    assert.equal(results.ok, true);
    assert.equal(results.summary, "Ran 1 tests, 1 passed, 0 failed");
    assert.deepEqual(results.tests.map((t) => [t.test, t.passed]), [["acmeCo/tests/sums", true]]);
    assert.equal(
      results.report,
      "Running  1  tests...\n✔️ flow://catalog :: acmeCo/tests/sums\n\nRan 1 tests, 1 passed, 0 failed\n",
    );
  });

  it("reports a failing verify with its step and differences", async () => {
    const results = await sums(999).runTests();
    assert.equal(results.ok, false);
    const { failure } = results.tests[0];
    assert.equal(failure.step, 1);
    assert.equal(failure.pointer, "/tests/acmeCo~1tests~1sums/steps/1");
    assert.deepEqual(failure.mismatches, [
      {
        kind: "mismatched",
        index: 0,
        actual: { id: "a", n: 8, _meta: { uuid: "flow-uuid" } },
        expected: { id: "a", n: 999 },
        differences: ["/n: expected 999, actual 8"],
      },
    ]);
  });

  it("runs a subset and writes snapshots", async (t) => {
    const dir = tempDir(t);
    const cat = sums(8);
    cat
      .test("acmeCo/tests/other")
      .ingest({ collection: "acmeCo/sums", documents: [{ id: "z", n: 1 }] })
      .verify({ collection: "acmeCo/sums", documents: [{ id: "z", n: 2 }] });
    const results = await cat.runTests({ tests: ["acmeCo/tests/sums"], snapshot: dir });
    assert.deepEqual(results.tests.map((t) => t.test), ["acmeCo/tests/sums"]);
    const snap = JSON.parse(readFileSync(join(dir, "acmeCo/tests/sums/verify-1.json"), "utf8"));
    assert.deepEqual(snap.map((d) => d.n), [8, 1]);
    assert.equal((await cat.runTests()).summary, "Ran 2 tests, 1 passed, 1 failed");
  });

  it("rejects unknown tests and options with clear errors", async () => {
    await assert.rejects(sums(8).runTests({ tests: ["acmeCo/tests/nope"] }), (err) => {
      assert.ok(err instanceof FlowspecError);
      assert.equal(err.code, "reference_undefined");
      assert.match(err.message, /acmeCo\/tests\/nope/);
      return true;
    });
    await assert.rejects(sums(8).runTests({ snapshots: "x" }), /unknown option `snapshots`/);
  });
});
