// Errors of the DSL and of specs: each is an Error with the core's code and
// message. (Load, validation and write errors: catalog.test.mjs; values
// that are not JSON: convert.test.mjs.)

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { Catalog, FlowspecError, ROOT, SECRET, codes, tempDir, throwsCode } from "./helpers.mjs";

const NAME_RULE = /cannot be used as name for/;

describe("invalid_name", () => {
  it("is thrown for a bad name by every call that takes one", () => {
    const cat = new Catalog();
    const cases = [
      () => cat.capture("bad", { image: "i" }),
      () => cat.collection("acmeCo/", { schema: true, key: ["/id"] }),
      () => cat.derivation("acme Co/x", { schema: true, key: ["/id"], sqlite: [] }),
      () => cat.materialization("/acmeCo/x", { image: "i" }),
      () => cat.test("acmeCo//t"),
      () => cat.setSpec("collection", "nope", { schema: true, key: ["/id"] }),
    ];
    for (const fn of cases) {
      const err = throwsCode(fn, "invalid_name", NAME_RULE);
      assert.equal(err.diagnostics, undefined);
    }
  });

  it("names the value and the rule", () => {
    throwsCode(
      () => new Catalog().capture("bad", { image: "i" }),
      "invalid_name",
      "bad cannot be used as name for capture (it needs at least two `/`-separated parts, a tenant prefix and a name, like acmeCo/bad)",
    );
  });
});

describe("invalid_spec", () => {
  it("names a misspelled option and the spec", () => {
    const cat = new Catalog();
    throwsCode(
      () => cat.capture("acmeCo/c", { imgae: "x" }),
      "invalid_spec",
      /^capture acmeCo\/c: unknown option `imgae`, did you mean `image`\? expected one of `image`, `config`/,
    );
    throwsCode(() => cat.collection("acmeCo/x", { schema: {}, kye: ["/id"] }), "invalid_spec", /^collection acmeCo\/x: unknown option `kye`/);
    throwsCode(
      () => cat.derivation("acmeCo/d", { schema: {}, key: ["/id"], sqlite: [], transfroms: [] }),
      "invalid_spec",
      /^derivation acmeCo\/d: unknown option `transfroms`/,
    );
    throwsCode(() => cat.materialization("acmeCo/m", { image: "i", bindigs: [] }), "invalid_spec", /^materialization acmeCo\/m: unknown option `bindigs`/);
    throwsCode(() => cat.test("acmeCo/t", { descripton: "" }), "invalid_spec", /^test acmeCo\/t: unknown option `descripton`/);
  });

  it("names a misspelled option of a binding, transform or step", () => {
    const cat = new Catalog();
    const c = cat.capture("acmeCo/c", { image: "i" });
    const d = cat.derivation("acmeCo/d", { schema: true, key: ["/id"], sqlite: [] });
    const m = cat.materialization("acmeCo/m", { image: "i" });
    const t = cat.test("acmeCo/t");
    throwsCode(() => c.binding({ resource: {}, targt: "acmeCo/x" }), "invalid_spec", /^capture acmeCo\/c binding 0: unknown option `targt`/);
    throwsCode(() => d.transform({ name: "t", source: "acmeCo/x", shufle: "any" }), "invalid_spec", /^derivation acmeCo\/d transform 0: unknown option `shufle`/);
    throwsCode(() => m.binding({ resource: {}, source: "acmeCo/x", feilds: {} }), "invalid_spec", /^materialization acmeCo\/m binding 0: unknown option `feilds`/);
    throwsCode(() => t.ingest({ collection: "acmeCo/x", docs: [] }), "invalid_spec", /^test acmeCo\/t step 0: unknown option `docs`/);
    throwsCode(() => t.verify({ collection: "acmeCo/x", documents: [], partition: {} }), "invalid_spec", /^test acmeCo\/t step 0: unknown option `partition`/);
    // The core suggests the closest option, in nested options too.
    throwsCode(
      () => m.binding({ resource: {}, source: "acmeCo/x", fields: { groupBuy: [] } }),
      "invalid_spec",
      "materialization acmeCo/m binding 0: fields: unknown option `groupBuy`, did you mean `groupBy`? expected one of `groupBy`, `include`, `require`, `exclude`, `recommended`",
    );
  });

  it("names an option of the wrong type, with its path", () => {
    const cat = new Catalog();
    // A bad pointer or name in an option is a name error, as in a file.
    const pointer = throwsCode(
      () => cat.collection("acmeCo/x", { schema: {}, key: ["id"] }),
      "invalid_name",
      /^collection acmeCo\/x: key\[0\]: "id" is not a valid JSON pointer/,
    );
    assert.ok(pointer instanceof FlowspecError);
    throwsCode(() => cat.collection("acmeCo/x", { schema: {}, key: "/id" }), "invalid_spec", /^collection acmeCo\/x: key: invalid type: string "\/id", expected a sequence/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", interval: "5 min" }), "invalid_spec", /^capture acmeCo\/c: interval: "5 min" is not a valid duration/);
    // serde_json (with exact numbers) names a number by its kind only.
    throwsCode(() => cat.capture("acmeCo/c", { image: 5 }), "invalid_spec", /^capture acmeCo\/c: image: invalid type: integer `5`, expected a string/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", bindings: [{ resource: {}, target: "acmeCo/x", backfill: -1 }] }), "invalid_spec", /^capture acmeCo\/c: bindings\[0\]\.backfill: invalid value: integer `-1`, expected a whole number from 0 to 4294967295/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", bindings: [{ resource: {}, target: "acmeCo/x", backfill: 1.5 }] }), "invalid_spec", /^capture acmeCo\/c: bindings\[0\]\.backfill: invalid type: floating point `1\.5`, expected a whole number from 0 to 4294967295/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", bindings: [{ resource: {}, target: "acmeCo/x", backfill: 2n ** 64n }] }), "invalid_spec", /^capture acmeCo\/c: bindings\[0\]\.backfill: invalid value: integer `18446744073709551616`, expected a whole number from 0 to 4294967295/);
    throwsCode(
      () => cat.materialization("acmeCo/m", { image: "i", bindings: [{ resource: {}, source: "nope" }] }),
      "invalid_name",
      /^materialization acmeCo\/m: bindings\[0\]\.source: nope cannot be used as name for collection/,
    );
  });

  it("is thrown for a missing or doubled endpoint or runtime", () => {
    const cat = new Catalog();
    throwsCode(() => cat.capture("acmeCo/c", {}), "invalid_spec", /^capture acmeCo\/c: no endpoint is given/);
    throwsCode(() => cat.capture("acmeCo/c", undefined), "invalid_spec", /^capture acmeCo\/c: no endpoint is given/);
    throwsCode(() => cat.capture("acmeCo/c", { config: {} }), "invalid_spec", "capture acmeCo/c: `config` is given without an `image`");
    throwsCode(
      () => cat.materialization("acmeCo/m", { image: "i", dekaf: { variant: "v", config: {} } }),
      "invalid_spec",
      /^materialization acmeCo\/m: give only one endpoint/,
    );
    throwsCode(() => cat.derivation("acmeCo/d", { schema: {}, key: ["/id"] }), "invalid_spec", /^derivation acmeCo\/d: no runtime is given/);
    throwsCode(
      () => cat.derivation("acmeCo/d", { schema: {}, key: ["/id"], sqlite: [], typescript: "m.ts" }),
      "invalid_spec",
      /^derivation acmeCo\/d: give only one runtime/,
    );
  });

  it("is name_collision for a spec defined twice, keeping the first", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/x", { schema: true, key: ["/id"] });
    throwsCode(() => cat.collection("acmeCo/x", { schema: false, key: ["/id"] }), "name_collision", "collection acmeCo/x is already defined");
    throwsCode(() => cat.derivation("acmeCo/x", { schema: true, key: ["/id"], sqlite: [] }), "name_collision", "collection acmeCo/x is already defined");
    cat.capture("acmeCo/c", { image: "i" });
    throwsCode(() => cat.capture("acmeCo/c", { image: "i" }), "name_collision", "capture acmeCo/c is already defined");
    cat.materialization("acmeCo/m", { image: "i" });
    throwsCode(() => cat.materialization("acmeCo/m", { image: "i" }), "name_collision", "materialization acmeCo/m is already defined");
    cat.test("acmeCo/t");
    throwsCode(() => cat.test("acmeCo/t"), "name_collision", "test acmeCo/t is already defined");
    assert.equal(cat.getSpec("collection", "acmeCo/x").schema, true);
  });

  it("is thrown for an unknown kind", () => {
    const cat = new Catalog();
    for (const fn of [() => cat.getSpec("nope", "acmeCo/x"), () => cat.names("nope"), () => cat.removeSpec("nope", "acmeCo/x"), () => cat.setSpec("nope", "acmeCo/x", {})]) {
      throwsCode(fn, "invalid_spec", 'kind: "nope" is not a kind of spec (capture, collection, materialization or test)');
    }
  });

  it("is thrown for bad write options", () => {
    const cat = new Catalog();
    throwsCode(() => cat.write("x/flow.yaml", { layout: "split" }), "invalid_spec", /^write x\/flow\.yaml: layout: unknown variant `split`/);
    throwsCode(() => cat.write("x/flow.yaml", { layuot: "flat" }), "invalid_spec", /^write x\/flow\.yaml: unknown option `layuot`/);
  });

  it("never quotes a config, which may hold secrets", () => {
    const cat = new Catalog();
    const fns = [
      () => cat.capture("acmeCo/c", { image: "i", config: { token: SECRET }, imgae: "x" }),
      () => cat.capture("acmeCo/c", { image: "i", config: { token: SECRET }, interval: "soon" }),
      () => cat.materialization("acmeCo/m", { image: "i", config: { token: SECRET }, dekaf: { variant: "v", config: {} } }),
    ];
    for (const fn of fns) {
      const err = throwsCode(fn, "invalid_spec");
      assert.ok(!err.message.includes(SECRET), err.message);
      assert.ok(!(err.stack ?? "").includes(SECRET));
    }
  });
});

describe("thrown errors", () => {
  it("are Errors with a stack, a code and no diagnostics outside load and validation", () => {
    const err = throwsCode(() => new Catalog().capture("bad", {}), "invalid_name");
    assert.equal(Object.getPrototypeOf(err), FlowspecError.prototype);
    assert.ok(err instanceof FlowspecError && err instanceof Error);
    assert.equal(err.name, "FlowspecError");
    assert.match(err.stack, /^FlowspecError: bad cannot be used as name/);
    assert.equal(err.diagnostics, undefined);
    assert.equal(err.path, undefined);
  });
});

describe("codes", () => {
  it("are the core's registry, and the ErrorCode type lists them all", () => {
    const names = Object.keys(codes);
    assert.ok(names.length > 100, `${names.length}`);
    assert.deepEqual(codes.invalid_name, { group: "names", description: codes.invalid_name.description });
    assert.match(codes.invalid_name.description, /^A catalog name/);
    assert.ok(Object.isFrozen(codes) && Object.isFrozen(codes.io));
    // index.d.ts (built from the header, whose union the core generates).
    const dts = readFileSync(join(ROOT, "bindings-node", "index.d.ts"), "utf8");
    const union = dts.match(/export type ErrorCode =\n((?:\s+\| "[a-z0-9_]+"\n)+)/);
    assert.ok(union, "index.d.ts has the ErrorCode union");
    assert.deepEqual([...union[1].matchAll(/"([a-z0-9_]+)"/g)].map((m) => m[1]), names);
    // The CodeGroup union lists the registry's groups, in its order.
    const groups = dts.match(/export type CodeGroup = (.*)\n/);
    assert.ok(groups, "index.d.ts has the CodeGroup union");
    assert.deepEqual(
      [...groups[1].matchAll(/"([a-z]+)"/g)].map((m) => m[1]),
      [...new Set(Object.values(codes).map((c) => c.group))],
    );
  });

  it("are the same for one mistake built or loaded", (t) => {
    const dir = tempDir(t);
    const cases = [
      [(c) => c.collection("nope", { schema: true, key: ["/id"] }), "collections:\n  nope: {schema: true, key: [/id]}\n", "invalid_name"],
      [(c) => c.collection("acmeCo/x", { schema: true, key: ["id"] }), "collections:\n  acmeCo/x: {schema: true, key: [id]}\n", "invalid_name"],
      [(c) => c.capture("acmeCo/c", { image: "i", interval: "5 min" }), "captures:\n  acmeCo/c: {endpoint: {connector: {image: i, config: {}}}, interval: 5 min, bindings: []}\n", "invalid_spec"],
    ];
    for (const [build, yaml, code] of cases) {
      throwsCode(() => build(new Catalog()), code);
      writeFileSync(join(dir, "flow.yaml"), yaml);
      const err = throwsCode(() => Catalog.load(join(dir, "flow.yaml")), "load");
      assert.deepEqual(err.diagnostics.map((d) => d.code), [code]);
    }
  });

  it("of a write the OS refuses carry the path and errno", () => {
    // /proc takes no new directories, even from root.
    const cat = new Catalog();
    cat.collection("acmeCo/x", { schema: true, key: ["/id"] });
    const err = throwsCode(
      () => cat.write("/proc/flowspec-test/flow.yaml"),
      "write",
      "cannot write /proc/flowspec-test: cannot create the directory: No such file or directory (os error 2)",
    );
    assert.equal(err.path, "/proc/flowspec-test");
    assert.equal(err.errno, -2);
  });
});
