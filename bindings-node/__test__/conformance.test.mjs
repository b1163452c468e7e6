// Conformance: the TypeScript examples write exactly the bytes of the
// goldens that the Rust examples write (tests/golden/, made by
// `FLOWSPEC_BLESS=1 cargo test -p flowspec-examples --test golden`).
//
// The examples are run from examples/typescript/dist, which
// `npx tsc -p examples/typescript` makes (scripts/node.sh does it). The
// goldens hold the secrets in plaintext (`--plaintext-secrets`); by default
// cicd.ts encrypts them for a temporary age identity, checked here too.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { Catalog, ROOT, flowspec, tempDir, throwsCode } from "./helpers.mjs";

const DIST = join(ROOT, "examples", "typescript", "dist");
const GOLDEN = join(ROOT, "tests", "golden");

/** Runs an example with no `SOPS_*` variable in its environment. */
function runExample(script, args) {
  const path = join(DIST, script);
  assert.ok(existsSync(path), `${path} is missing: compile the examples (npx tsc -p examples/typescript)`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SOPS_")));
  return execFileSync(process.execPath, [path, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
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
    const stdout = runExample("cicd.js", ["--plaintext-secrets", out]);
    assert.match(stdout, /1 captures, 9 collections, 1 materializations, 1 tests: valid/);
    assertSameBytes(join(out, "flow.yaml"), join(GOLDEN, "cicd", "flow.yaml"));
    const module = readFileSync(join(out, "full-outer-join.flow.ts"), "utf8");
    assert.match(module, /export class Derivation extends IDerivation/);
  });

  it("cicd.ts encrypts its secrets by default, and decrypts them back", (t) => {
    const out = tempDir(t);
    const lines = runExample("cicd.js", [out]).trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, 4), [
      "1 captures, 9 collections, 1 materializations, 1 tests: valid",
      `wrote ${join(out, "flow.yaml")}`,
      `wrote ${join(out, "full-outer-join.flow.ts")}`,
      `wrote ${join(out, "line-item-totals.flow.ts")}`,
    ]);
    assert.match(lines[4], /^secrets: encrypted to age1[0-9a-z]{58} \(a temporary age identity\)$/);
    assert.deepEqual(lines.slice(5), ["secrets: 2 configs decrypt back to the catalog as built"]);

    const text = readFileSync(join(out, "flow.yaml"), "utf8");
    assert.ok(!text.includes("sk_test_placeholder"));
    assert.ok(!text.includes("MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder"));
    assert.equal(text.split("_sops: ENC[AES256_GCM,data:").length - 1, 2);
    // The identity was temporary: another one opens nothing.
    const keyFile = join(out, "other-keys.txt");
    flowspec.ageKeygen(keyFile);
    const err = throwsCode(() => Catalog.load(join(out, "flow.yaml"), { decrypt: true, keyFile }), "catalog_secrets");
    assert.deepEqual(err.diagnostics.map((d) => d.code), ["sops_no_matching_identity", "sops_no_matching_identity"]);
    assert.deepEqual(Catalog.load(join(out, "flow.yaml")).validate(), []);
  });

  it("cicd.ts rejects an unknown option", () => {
    assert.throws(() => runExample("cicd.js", ["--plain"]), (e) => e.status === 2 && /usage: cicd \[--plaintext-secrets\] \[OUT_DIR\]/.test(e.stderr));
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
