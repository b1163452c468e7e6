// Conformance: the TypeScript examples write exactly the bytes of the
// goldens that the Rust examples write (tests/golden/, made by
// `FLOWSPEC_BLESS=1 cargo test -p flowspec-examples --test golden`).
//
// The examples are run from examples/typescript/dist, which
// `npx tsc -p examples/typescript` makes (scripts/node.sh does it).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { ROOT, tempDir } from "./helpers.mjs";

const DIST = join(ROOT, "examples", "typescript", "dist");
const GOLDEN = join(ROOT, "tests", "golden");

function runExample(script, args) {
  const path = join(DIST, script);
  assert.ok(existsSync(path), `${path} is missing: compile the examples (npx tsc -p examples/typescript)`);
  return execFileSync(process.execPath, [path, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function assertSameBytes(got, want) {
  assert.ok(existsSync(want), `${want} is missing: run FLOWSPEC_BLESS=1 cargo test -p flowspec-examples --test golden`);
  const [a, b] = [readFileSync(got), readFileSync(want)];
  if (!a.equals(b)) {
    // Show the first differing line.
    const [la, lb] = [a.toString().split("\n"), b.toString().split("\n")];
    const i = la.findIndex((line, n) => line !== lb[n]);
    assert.fail(`${got} differs from ${want} at line ${i + 1}:\n  got:  ${la[i]}\n  want: ${lb[i]}`);
  }
}

describe("examples", () => {
  it("cicd.ts writes the golden flow.yaml and its TypeScript module", (t) => {
    const out = tempDir(t);
    const stdout = runExample("cicd.js", [out]);
    assert.match(stdout, /1 captures, 8 collections, 1 materializations, 1 tests: valid/);
    assertSameBytes(join(out, "flow.yaml"), join(GOLDEN, "cicd", "flow.yaml"));
    const module = readFileSync(join(out, "full-outer-join.flow.ts"), "utf8");
    assert.match(module, /export class Derivation extends IDerivation/);
  });

  it("many-tables.ts writes the golden flow.yaml for 25 tables", (t) => {
    const out = tempDir(t);
    const stdout = runExample("many-tables.js", ["25", out]);
    assert.match(stdout, /25 tables: valid/);
    assertSameBytes(join(out, "flow.yaml"), join(GOLDEN, "many-tables", "flow.yaml"));
  });

  it("many-tables.ts rejects a bad N", () => {
    assert.throws(() => runExample("many-tables.js", ["lots"]), (e) => e.status === 2 && /N must be a number/.test(e.stderr));
  });
});
