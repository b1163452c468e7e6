// Catalogs as code: the TypeScript programs `flowspec catalog codegen` wrote
// for the test catalogs and the examples (tests/codegen/, kept up to date by
// `cargo test -p flowspec-codegen-tests`) compile with `tsc --strict` and,
// run with node, write the catalogs they were made from: the same bundle,
// with the secrets read from the environment and encrypted with sops.
//
// JavaScript has one number type, so a number written `10.0` in the source
// is `10` in what the program writes: the bundles are compared as JSON
// values, where the two are the same number.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";

import { Catalog, ROOT, flowspec, tempDir } from "./helpers.mjs";

const CASES = JSON.parse(readFileSync(join(ROOT, "tests", "codegen", "cases.json"), "utf8")).map((c) => [
  c.case,
  c.source,
]);

/** The packages of examples/typescript: typescript, @types/node, flowspec. */
const MODULES = join(ROOT, "examples", "typescript", "node_modules");

function at(value, pointer) {
  for (const step of pointer.split("/").slice(1)) {
    value = value[step.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return value;
}

/** The catalog at `path` bundled, as JSON values. */
function bundle(path, options) {
  return JSON.parse(Catalog.load(path, options).bundle().toJson({ plaintextSecrets: true }));
}

for (const [name, source] of CASES) {
  test(`the TypeScript program of ${name} writes the catalog it was made from`, (t) => {
    const dir = tempDir(t);
    const work = join(dir, "catalog");
    cpSync(dirname(join(ROOT, source)), work, { recursive: true });
    const file = basename(source);
    const target = join(work, file);
    const before = bundle(target);

    cpSync(join(ROOT, "tests", "codegen", name, "flow.ts"), join(work, "flow.ts"));
    writeFileSync(join(work, "package.json"), '{"type": "module"}\n');
    symlinkSync(MODULES, join(work, "node_modules"));
    execFileSync(
      join(MODULES, ".bin", "tsc"),
      ["--strict", "--noUncheckedIndexedAccess", "--target", "es2022", "--module", "nodenext",
        "--moduleResolution", "nodenext", "--types", "node", "flow.ts"],
      { cwd: work, stdio: "pipe" },
    );

    const keyFile = join(dir, "keys.txt");
    const env = { ...process.env, SOPS_AGE_RECIPIENTS: flowspec.ageKeygen(keyFile) };
    const secrets = JSON.parse(readFileSync(join(ROOT, "tests", "codegen", name, "secrets.json"), "utf8"));
    for (const v of secrets) {
      const value = at(before[`${v.kind}s`][v.name], v.pointer);
      env[v.env] = typeof value === "string" && !v.json ? value : JSON.stringify(value);
    }
    const run = spawnSync(process.execPath, ["flow.js", file], { cwd: work, env, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(bundle(target, { decrypt: true, keyFile }), before);
    const text = readFileSync(target, "utf8");
    for (const v of secrets) assert.ok(!text.includes(at(before[`${v.kind}s`][v.name], v.pointer)));
  });
}

test("a TypeScript program without its secrets names the variable and writes nothing", (t) => {
  const dir = tempDir(t);
  cpSync(join(ROOT, "tests", "golden", "cicd"), dir, { recursive: true });
  cpSync(join(ROOT, "tests", "codegen", "cicd", "flow.ts"), join(dir, "flow.ts"));
  writeFileSync(join(dir, "package.json"), '{"type": "module"}\n');
  symlinkSync(MODULES, join(dir, "node_modules"));
  execFileSync(join(MODULES, ".bin", "tsc"), ["--strict", "--target", "es2022", "--module", "nodenext",
    "--moduleResolution", "nodenext", "--types", "node", "flow.ts"], { cwd: dir, stdio: "pipe" });
  const env = { ...process.env };
  delete env.SOURCE_STRIPE_NATIVE_ACCESS_TOKEN;
  const run = spawnSync(process.execPath, ["flow.js"], { cwd: dir, env, encoding: "utf8" });
  assert.equal(run.status, 1);
  assert.equal(
    run.stderr,
    "error: set the environment variable SOURCE_STRIPE_NATIVE_ACCESS_TOKEN: it holds a secret of the catalog\n",
  );
  assert.equal(
    readFileSync(join(dir, "flow.yaml"), "utf8"),
    readFileSync(join(ROOT, "tests", "golden", "cicd", "flow.yaml"), "utf8"),
  );
});
