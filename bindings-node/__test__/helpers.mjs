// Shared helpers of the tests: the addon, paths, and error assertions.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The built addon, through the package's own entry point. */
export const flowspec = require("../index.js");
export const { Catalog, FlowspecError, codes } = flowspec;

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The catalogs of the shared test corpus. */
export const CORPUS = join(ROOT, "tests", "catalogs");

/** A fresh temporary directory, removed after the test. */
export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), "flowspec-node-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Asserts that `fn` throws a flowspec error with `code` (and, when given,
 * a message matching `message`, of class `type`). Returns the error.
 */
export function throwsCode(fn, code, message, type = flowspec.FlowspecError) {
  let thrown;
  assert.throws(fn, (e) => {
    thrown = e;
    return true;
  });
  assert.ok(thrown instanceof type, `expected a ${type.name}, got ${thrown?.constructor?.name}: ${thrown}`);
  assert.equal(thrown.code, code, `code of: ${thrown.message}`);
  assert.ok(Object.hasOwn(flowspec.codes, code), `${code} is a code of the registry`);
  if (message instanceof RegExp) assert.match(thrown.message, message);
  else if (message !== undefined) assert.equal(thrown.message, message);
  return thrown;
}

/** A capture's options with a secret in the config. */
export const SECRET = "s3cr3t-do-not-print";

/** A small valid catalog: a capture, two collections, a SQLite derivation,
 * a materialization and a test. */
export function smallCatalog() {
  const cat = new Catalog();
  cat
    .capture("acmeCo/src", { image: "ghcr.io/estuary/source-hello-world:dev", config: { token: SECRET } })
    .binding({ resource: { stream: "greetings" }, target: "acmeCo/greetings" });
  cat.collection("acmeCo/greetings", {
    schema: {
      type: "object",
      required: ["id"],
      properties: { id: { type: "integer" }, message: { type: "string" } },
    },
    key: ["/id"],
  });
  cat
    .derivation("acmeCo/lengths", {
      schema: {
        type: "object",
        required: ["id"],
        properties: { id: { type: "integer" }, length: { type: "integer" } },
      },
      key: ["/id"],
      sqlite: [],
    })
    .transform({
      name: "fromGreetings",
      source: "acmeCo/greetings",
      shuffle: ["/id"],
      lambda: "SELECT $id AS id, length($message) AS length;",
    });
  cat
    .materialization("acmeCo/dst", { image: "ghcr.io/estuary/materialize-postgres:dev", config: { password: SECRET } })
    .binding({ resource: { table: "greetings" }, source: "acmeCo/greetings" });
  cat
    .test("acmeCo/tests/lengths")
    .ingest({ collection: "acmeCo/greetings", documents: [{ id: 1, message: "hi" }] })
    .verify({ collection: "acmeCo/lengths", documents: [{ id: 1, length: 2 }] });
  return cat;
}
