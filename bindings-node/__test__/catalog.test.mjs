// Catalog operations: load, validate, bundle, toYaml, toJson, write (flat
// and canonical), and their errors and diagnostics.

import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";

import { CORPUS, Catalog, flowspec, smallCatalog, tempDir, throwsCode } from "./helpers.mjs";

const YAML_HEADER = "# yaml-language-server: $schema=";

describe("load", () => {
  it("reads a catalog with its imports into one catalog", () => {
    const cat = Catalog.load(join(CORPUS, "valid", "imports", "flow.yaml"));
    assert.ok(cat instanceof Catalog);
    const names = Object.fromEntries(["capture", "collection", "materialization", "test"].map((k) => [k, cat.names(k)]));
    assert.deepEqual(names, {
      capture: [],
      collection: ["acmeCo/imports/nested", "acmeCo/imports/root"],
      materialization: [],
      test: ["acmeCo/imports/test"],
    });
  });

  it("reads JSON catalogs", () => {
    const dir = join(CORPUS, "valid", "json-format");
    const cat = Catalog.load(join(dir, "flow.json"));
    assert.deepEqual(cat.names("collection"), ["acmeCo/json/items"]);
    assert.deepEqual(cat.names("materialization"), ["acmeCo/json/sink"]);
  });

  it("inlines file references", (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "flow.yaml"), "collections:\n  acmeCo/x:\n    schema: x.schema.yaml\n    key: [/id]\n");
    writeFileSync(join(dir, "x.schema.yaml"), "type: object\nproperties: {id: {type: string}}\nrequired: [id]\n");
    const schema = Catalog.load(join(dir, "flow.yaml")).getSpec("collection", "acmeCo/x").schema;
    assert.equal(typeof schema, "object");
    assert.match(JSON.stringify(schema), /"properties":\{"id":\{"type":"string"\}\}/);
  });

  it("fails with code io, the path and the errno for a missing file", (t) => {
    const path = join(tempDir(t), "nope.yaml");
    const err = throwsCode(() => Catalog.load(path), "io", `cannot read ${path}: No such file or directory (os error 2)`);
    assert.equal(err.path, path);
    assert.equal(err.errno, -2);
    assert.equal(err.diagnostics, undefined);
  });

  it("fails with code load and diagnostics for a missing referenced file", (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "flow.yaml"), "import: [gone.yaml]\n");
    const err = throwsCode(() => Catalog.load(join(dir, "flow.yaml")), "load", /^failed to load the catalog: 1 problem\n/);
    assert.equal(err.diagnostics.length, 1);
    const [d] = err.diagnostics;
    assert.equal(d.code, "read_failed");
    assert.equal(d.severity, "error");
    assert.equal(d.scope, `${pathToFileURL(join(dir, "flow.yaml")).href}#/import/0`);
    assert.ok(err.message.includes(d.message));
  });

  it("fails with the scope of a syntax error", () => {
    const path = join(CORPUS, "invalid", "malformed-yaml.flow.yaml");
    const err = throwsCode(() => Catalog.load(path), "load");
    assert.equal(err.diagnostics[0].code, "yaml_syntax");
    assert.ok(err.diagnostics[0].scope.startsWith(pathToFileURL(path).href));
  });

  it("fails with a JSON pointer to an unknown field", () => {
    const path = join(CORPUS, "invalid", "unknown-field.flow.yaml");
    const err = throwsCode(() => Catalog.load(path), "load");
    const d = err.diagnostics.find((d) => d.code === "invalid_spec");
    assert.ok(d, JSON.stringify(err.diagnostics));
    assert.equal(d.scope, `${pathToFileURL(path).href}#/collections/acmeCo~1x/projection`);
    assert.match(d.message, /projection/);
  });

  it("reports every problem of a file", () => {
    const source = join(CORPUS, "invalid", "bad-names.flow.yaml");
    const err = throwsCode(() => Catalog.load(source), "load");
    // The diagnostics `flowspec validate` prints for the file (its golden).
    const corpus = pathToFileURL(CORPUS).href;
    const lines = readFileSync(`${source}.expected`, "utf8").split("\n").slice(0, -2);
    const expected = [];
    for (let i = 0; i < lines.length; i += 2) {
      const [, severity, code, message] = lines[i].match(/^(error|warning)\[([a-z_]+)\]: (.*)$/);
      const scope = lines[i + 1].replace(/^  --> /, "").replace("$DIR", corpus);
      expected.push({ scope, code, severity, message: message.replaceAll("$DIR", corpus) });
    }
    assert.equal(expected.length, 2);
    assert.deepEqual(
      err.diagnostics.map(({ scope, code, severity, message }) => ({ scope, code, severity, message })),
      expected,
    );
    for (const d of err.diagnostics) {
      assert.deepEqual(Object.keys(d).sort(), ["code", "message", "scope", "severity"]);
    }
  });
});

describe("validate", () => {
  it("returns no diagnostics for a valid catalog", () => {
    assert.deepEqual(smallCatalog().validate(), []);
  });

  it("returns warnings without throwing", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/x", { schema: { type: "object", properties: { id: { type: "string" } } }, key: ["/id"] });
    assert.deepEqual(cat.validate(), [
      {
        scope: "flow://catalog#/collections/acmeCo~1x/key/0",
        code: "key_not_required",
        severity: "warning",
        message:
          "collection acmeCo/x: keyed location /id is not required to exist by schema " +
          "flow://catalog#/collections/acmeCo~1x/schema, so documents may omit it (list it under `required`)",
      },
    ]);
  });

  it("throws code validation with every problem as a diagnostic", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/x", { schema: { type: "object" }, key: [] });
    cat.capture("acmeCo/src", { image: "i:v1" }).binding({ resource: { stream: "a" }, target: "acmeCo/nope" });
    const err = throwsCode(() => cat.validate(), "validation", /^the catalog is invalid: \d+ problems?\n/);
    const byCode = Object.fromEntries(err.diagnostics.map((d) => [d.code, d]));
    assert.deepEqual(byCode.key_empty, {
      scope: "flow://catalog#/collections/acmeCo~1x/key",
      message: byCode.key_empty.message,
      code: "key_empty",
      severity: "error",
    });
    assert.match(byCode.key_empty.message, /acmeCo\/x/);
    assert.ok(byCode.reference_undefined, JSON.stringify(err.diagnostics));
    assert.equal(byCode.reference_undefined.scope, "flow://catalog#/captures/acmeCo~1src/bindings/0/target");
    assert.match(byCode.reference_undefined.message, /acmeCo\/nope/);
    for (const d of err.diagnostics) assert.ok(err.message.includes(`${d.scope}: ${d.message}`));
  });

  it("suggests the name of a misspelled reference", () => {
    const cat = smallCatalog();
    cat.materialization("acmeCo/dst2", { image: "i:v1" }).binding({ resource: { table: "t" }, source: "acmeCo/greeting" });
    const err = throwsCode(() => cat.validate(), "validation");
    const d = err.diagnostics.find((d) => d.code === "reference_undefined");
    assert.match(d.message, /acmeCo\/greetings/);
  });

  it("gives diagnostics of a loaded catalog the scope of its file", (t) => {
    const dir = tempDir(t);
    const path = join(dir, "flow.yaml");
    writeFileSync(path, "collections:\n  acmeCo/x:\n    schema: {type: object}\n    key: []\n");
    const err = throwsCode(() => Catalog.load(path).validate(), "validation");
    assert.equal(err.diagnostics[0].scope, `${pathToFileURL(path).href}#/collections/acmeCo~1x/key`);
  });
});

describe("toYaml and toJson", () => {
  it("render the whole catalog, deterministically", () => {
    const yaml = smallCatalog().toYaml();
    assert.ok(yaml.startsWith(YAML_HEADER));
    assert.equal(yaml, smallCatalog().toYaml());
    assert.match(yaml, /\ncollections:\n {2}acmeCo\/greetings:\n/);

    const json = JSON.parse(smallCatalog().toJson());
    assert.deepEqual(Object.keys(json.collections), ["acmeCo/greetings", "acmeCo/lengths"]);
    assert.deepEqual(json.collections["acmeCo/greetings"].key, ["/id"]);
  });

  it("do not depend on the order specs were added in", () => {
    const a = new Catalog();
    a.collection("acmeCo/b", { schema: true, key: ["/id"] });
    a.collection("acmeCo/a", { schema: true, key: ["/id"] });
    const b = new Catalog();
    b.collection("acmeCo/a", { schema: true, key: ["/id"] });
    b.collection("acmeCo/b", { schema: true, key: ["/id"] });
    assert.equal(a.toYaml(), b.toYaml());
    assert.equal(a.toJson(), b.toJson());
  });
});

describe("bundle", () => {
  it("returns a new catalog with file references inlined", (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "x.schema.yaml"), "type: object\nproperties: {id: {type: string}}\nrequired: [id]\n");
    // Relative references of the catalog's specs resolve against its baseDir.
    const cat = new Catalog({ baseDir: dir });
    cat.collection("acmeCo/x", { schema: "x.schema.yaml", key: ["/id"] });
    const bundled = cat.bundle();
    assert.ok(bundled instanceof Catalog);
    assert.notEqual(bundled, cat);
    assert.equal(cat.getSpec("collection", "acmeCo/x").schema, "x.schema.yaml");
    // As Estuary receives it: the file, embedded under its absolute URL.
    const url = pathToFileURL(join(dir, "x.schema.yaml")).href;
    assert.deepEqual(bundled.getSpec("collection", "acmeCo/x").schema, {
      $ref: url,
      $defs: { [url]: { $id: url, type: "object", properties: { id: { type: "string" } }, required: ["id"] } },
    });
  });

  it("fails with the scope of a missing file", (t) => {
    const dir = tempDir(t);
    const cat = new Catalog({ baseDir: dir });
    cat.collection("acmeCo/x", { schema: "missing.schema.yaml", key: ["/id"] });
    const err = throwsCode(() => cat.bundle(), "load");
    assert.deepEqual(
      err.diagnostics.map((d) => [d.scope, d.code]),
      [["flow://catalog#/collections/acmeCo~1x/schema", "read_failed"]],
    );
    assert.ok(err.diagnostics[0].message.includes(join(dir, "missing.schema.yaml")), err.diagnostics[0].message);
  });

  it("rejects an unknown option of new Catalog, and a baseDir that is not a string", () => {
    throwsCode(() => new Catalog({ basedir: "x" }), "invalid_spec");
    throwsCode(() => new Catalog({ baseDir: 5 }), "invalid_spec");
  });
});

describe("write", () => {
  it("writes one file, flat by default, that loads back to the same catalog", (t) => {
    const dir = tempDir(t);
    const cat = smallCatalog();
    const target = join(dir, "flow.yaml");
    assert.deepEqual(cat.write(target), [target]);
    assert.equal(readFileSync(target, "utf8"), cat.toYaml());
    assert.equal(Catalog.load(target).toYaml(), cat.toYaml());
    assert.deepEqual(cat.write(target, { layout: "flat" }), [target]);
  });

  it("writes JSON to a .json target", (t) => {
    const dir = tempDir(t);
    const cat = smallCatalog();
    const target = join(dir, "flow.json");
    cat.write(target);
    assert.deepEqual(JSON.parse(readFileSync(target, "utf8")), JSON.parse(cat.toJson()));
  });

  it("writes the canonical split layout, which loads back to the same catalog", (t) => {
    const dir = tempDir(t);
    const cat = smallCatalog();
    const target = join(dir, "flow.yaml");
    const files = cat.write(target, { layout: "canonical" });
    assert.deepEqual(files, ["acmeCo/flow.yaml", "acmeCo/tests/flow.yaml", "flow.yaml"].map((f) => join(dir, f)));
    for (const f of files) assert.ok(existsSync(f), f);
    assert.equal(Catalog.load(target).toJson(), cat.toJson());
  });

  it("fails for a target that is not YAML or JSON", (t) => {
    const target = join(tempDir(t), "flow.txt");
    const err = throwsCode(
      () => smallCatalog().write(target),
      "write",
      `cannot write ${target}: unknown format: the file name must end in .yaml, .yml or .json`,
    );
    assert.equal(err.path, target);
    assert.equal(err.errno, undefined);
  });

  it("fails with code write where it cannot write", (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, "file"), "");
    throwsCode(() => smallCatalog().write(join(dir, "file", "flow.yaml")), "write", /file/);
  });
});

describe("exports", () => {
  it("are the classes of the API", () => {
    for (const name of ["Catalog", "Capture", "Collection", "Derivation", "Materialization", "Test"]) {
      assert.equal(typeof flowspec[name], "function", name);
    }
  });
});

describe("Promise-returning forms", () => {
  /** The rejection of `promise`, checked as throwsCode checks a throw. */
  async function rejectsCode(promise, code, message) {
    let rejected;
    await assert.rejects(promise, (e) => {
      rejected = e;
      return true;
    });
    return throwsCode(() => {
      throw rejected;
    }, code, message);
  }

  it("load, validate and write as the sync forms do", async (t) => {
    const dir = tempDir(t);
    const cat = smallCatalog();
    const target = join(dir, "flow.yaml");
    const pending = cat.writeAsync(target, { layout: "canonical" });
    assert.ok(pending instanceof Promise);
    const files = await pending;
    const again = join(dir, "again");
    const sync = cat.write(join(again, "flow.yaml"), { layout: "canonical" });
    assert.deepEqual(files.map((f) => relative(dir, f)), sync.map((f) => relative(again, f)));
    for (const f of files) assert.equal(readFileSync(f, "utf8"), readFileSync(join(again, relative(dir, f)), "utf8"));
    const loaded = await Catalog.loadAsync(target);
    assert.ok(loaded instanceof Catalog);
    assert.equal(loaded.toJson(), Catalog.load(target).toJson());
    assert.deepEqual(await loaded.validateAsync(), loaded.validate());
  });

  it("reject with the errors the sync forms throw", async (t) => {
    const dir = tempDir(t);
    const missing = join(dir, "nope.yaml");
    const io = await rejectsCode(Catalog.loadAsync(missing), "io", `cannot read ${missing}: No such file or directory (os error 2)`);
    assert.equal(io.path, missing);
    const cat = new Catalog();
    cat.collection("acmeCo/x", { schema: { type: "object" }, key: [] });
    const invalid = await rejectsCode(cat.validateAsync(), "validation");
    const thrown = throwsCode(() => cat.validate(), "validation");
    assert.deepEqual(invalid.diagnostics, thrown.diagnostics);
    assert.equal(invalid.message, thrown.message);
    assert.deepEqual(invalid.diagnostics.map((d) => d.code), ["key_empty"]);
    await rejectsCode(cat.writeAsync(join(dir, "flow.txt")), "write", /unknown format/);
    await rejectsCode(cat.writeAsync(join(dir, "flow.yaml"), { layuot: "flat" }), "invalid_spec", /unknown option `layuot`/);
    // Arguments that are not JSON are refused before the work starts: a
    // TypeError thrown, as by the sync form.
    throwsCode(() => cat.writeAsync(5), "invalid_spec", /path/, TypeError);
    throwsCode(() => cat.write(5), "invalid_spec", /path/, TypeError);
    assert.ok(!existsSync(join(dir, "flow.yaml")));
  });

  it("work on the catalog as it was when called, without blocking the event loop", async (t) => {
    const dir = tempDir(t);
    const cat = new Catalog();
    for (let i = 0; i < 500; i++) {
      cat.collection(`acmeCo/t${i}`, { schema: { type: "object", properties: { id: { type: "integer" } }, required: ["id"] }, key: ["/id"] });
    }
    const target = join(dir, "flow.yaml");
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 0);
    const written = cat.writeAsync(target);
    const validated = cat.validateAsync();
    // Changes after the call are not seen by the work under way.
    cat.removeSpec("collection", "acmeCo/t0");
    await Promise.all([written, validated]);
    clearInterval(ticking);
    assert.ok(ticks > 0, "timers ran while the work was under way");
    assert.equal(Catalog.load(target).names("collection").length, 500);
    assert.equal(cat.names("collection").length, 499);
  });
});
