// load → edit → write → load from TypeScript: files stay files, unchanged
// files are left alone, references mean the same wherever the catalog is
// written, stale files are named, and secrets outside configs are refused.

import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

import { Catalog, flowspec, tempDir, throwsCode } from "./helpers.mjs";

const SCHEMA = { type: "object", properties: { id: { type: "string" } }, required: ["id"] };
const LONG = "x".repeat(600);

/** Every file under `dir` with its text, by relative path. */
function snapshot(dir) {
  const out = {};
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

function built() {
  const cat = new Catalog();
  cat.collection("acmeCo/anvils/products", { schema: { ...SCHEMA, description: LONG }, key: ["/id"] });
  cat
    .capture("acmeCo/src/pg", { image: "ghcr.io/estuary/source-postgres:v1", config: { notes: LONG } })
    .binding({ resource: { table: "products" }, target: "acmeCo/anvils/products" });
  return cat;
}

describe("round trips", () => {
  it("a canonical tree loaded and written back changes no file", (t) => {
    const dir = tempDir(t);
    const target = join(dir, "flow.yaml");
    built().write(target, { layout: "canonical" });
    const before = snapshot(dir);
    assert.ok("acmeCo/anvils/products.schema.yaml" in before);
    for (let i = 0; i < 3; i++) {
      const loaded = Catalog.load(target);
      assert.equal(loaded.toJson(), built().toJson());
      loaded.write(target, { layout: "canonical" });
      assert.deepEqual(snapshot(dir), before);
    }
    for (const [name, text] of Object.entries(before)) {
      assert.ok(!text.includes("file://") && !text.includes(dir), name);
    }
  });

  it("flat and canonical load to the same catalog", (t) => {
    const dir = tempDir(t);
    built().write(join(dir, "flat", "flow.yaml"));
    built().write(join(dir, "canon", "flow.yaml"), { layout: "canonical" });
    assert.equal(Catalog.load(join(dir, "flat", "flow.yaml")).toYaml(), Catalog.load(join(dir, "canon", "flow.yaml")).toYaml());
  });

  it("resolves a catalog's references against its baseDir, and writes them to mean the same", (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, "project"));
    writeFileSync(join(dir, "project", "module.ts"), "export class Derivation {}\n");
    const cat = new Catalog({ baseDir: join(dir, "project") });
    cat.derivation("acmeCo/derived", { schema: SCHEMA, key: ["/id"], typescript: "module.ts" });
    cat.validate();
    const out = join(dir, "out", "flow.yaml");
    cat.write(out);
    assert.match(readFileSync(out, "utf8"), /module: \.\.\/project\/module\.ts\n/);
    Catalog.load(out).validate();

    const elsewhere = new Catalog({ baseDir: dir });
    elsewhere.derivation("acmeCo/derived", { schema: SCHEMA, key: ["/id"], typescript: "module.ts" });
    const err = throwsCode(() => elsewhere.validate(), "validation");
    assert.deepEqual(
      err.diagnostics.map((d) => [d.code, d.scope]),
      [["read_failed", "flow://catalog#/collections/acmeCo~1derived/derive/using/typescript/module"]],
    );
  });

  it("names the files a write leaves unused, and prunes them on request", async (t) => {
    const dir = tempDir(t);
    const target = join(dir, "flow.yaml");
    const cat = built();
    cat.collection("acmeCo/old/thing", { schema: SCHEMA, key: ["/id"] });
    cat.write(target, { layout: "canonical" });
    cat.removeSpec("collection", "acmeCo/old/thing");

    const warnings = [];
    const listener = (w) => warnings.push(w);
    process.on("warning", listener);
    t.after(() => process.off("warning", listener));
    cat.write(target, { layout: "canonical" });
    // process.emitWarning delivers the warning on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].name, "FlowspecWarning");
    assert.match(warnings[0].message, /1 file of the catalog previously written here is no longer used: .*acmeCo\/old\/flow\.yaml/);
    assert.ok(existsSync(join(dir, "acmeCo", "old", "flow.yaml")));
    cat.write(target, { layout: "canonical", prune: true });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(warnings.length, 1);
    assert.ok(!existsSync(join(dir, "acmeCo", "old")));
  });

  it("writes through a symlinked target", (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real", "catalog.yaml"), "{}\n");
    symlinkSync("real/catalog.yaml", join(dir, "flow.yaml"));
    built().write(join(dir, "flow.yaml"));
    assert.ok(lstatSync(join(dir, "flow.yaml")).isSymbolicLink());
    assert.equal(Catalog.load(join(dir, "real", "catalog.yaml")).toJson(), built().toJson());
  });
});

describe("secrets outside configs", () => {
  for (const [where, build] of [
    ["a binding resource", (cat) => cat.capture("acmeCo/src", { image: "x", config: {} }).binding({ resource: { table: "t", password: flowspec.secret("hunter2") }, target: "acmeCo/t" })],
    ["a schema", (cat) => cat.collection("acmeCo/s", { schema: { ...SCHEMA, default: { k: flowspec.secret("hunter2") } }, key: ["/id"] })],
    ["a test document", (cat) => cat.test("acmeCo/test").ingest({ collection: "acmeCo/t", documents: [{ id: "1", token: flowspec.secret("hunter2") }] })],
  ]) {
    it(`are refused in ${where}, by validation and by writing`, (t) => {
      const cat = new Catalog();
      cat.collection("acmeCo/t", { schema: SCHEMA, key: ["/id"] });
      build(cat);
      const err = throwsCode(() => cat.validate(), "validation");
      const found = err.diagnostics.filter((d) => d.code === "invalid_secret");
      assert.equal(found.length, 1);
      const dir = tempDir(t);
      const written = throwsCode(() => cat.write(join(dir, "flow.yaml"), { plaintextSecrets: true }), "catalog_secrets");
      assert.deepEqual(written.diagnostics.map((d) => d.scope), [found[0].scope]);
      assert.ok(!written.message.includes("hunter2"));
      assert.ok(!existsSync(join(dir, "flow.yaml")));
    });
  }
});
