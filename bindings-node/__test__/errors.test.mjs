// Errors of the DSL and of specs: each is an Error with the core's code and
// message. (Load, validation and write errors: catalog.test.mjs; values
// that are not JSON: convert.test.mjs.)

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Catalog, SECRET, throwsCode } from "./helpers.mjs";

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

describe("invalid_value", () => {
  it("names a misspelled option and the spec", () => {
    const cat = new Catalog();
    throwsCode(
      () => cat.capture("acmeCo/c", { imgae: "x" }),
      "invalid_value",
      /^capture acmeCo\/c: unknown option `imgae`, did you mean `image`\? expected one of `image`, `config`/,
    );
    throwsCode(() => cat.collection("acmeCo/x", { schema: {}, kye: ["/id"] }), "invalid_value", /^collection acmeCo\/x: unknown option `kye`/);
    throwsCode(
      () => cat.derivation("acmeCo/d", { schema: {}, key: ["/id"], sqlite: [], transfroms: [] }),
      "invalid_value",
      /^derivation acmeCo\/d: unknown option `transfroms`/,
    );
    throwsCode(() => cat.materialization("acmeCo/m", { image: "i", bindigs: [] }), "invalid_value", /^materialization acmeCo\/m: unknown option `bindigs`/);
    throwsCode(() => cat.test("acmeCo/t", { descripton: "" }), "invalid_value", /^test acmeCo\/t: unknown option `descripton`/);
  });

  it("names a misspelled option of a binding, transform or step", () => {
    const cat = new Catalog();
    const c = cat.capture("acmeCo/c", { image: "i" });
    const d = cat.derivation("acmeCo/d", { schema: true, key: ["/id"], sqlite: [] });
    const m = cat.materialization("acmeCo/m", { image: "i" });
    const t = cat.test("acmeCo/t");
    throwsCode(() => c.binding({ resource: {}, targt: "acmeCo/x" }), "invalid_value", /^capture acmeCo\/c binding 0: unknown option `targt`/);
    throwsCode(() => d.transform({ name: "t", source: "acmeCo/x", shufle: "any" }), "invalid_value", /^derivation acmeCo\/d transform 0: unknown option `shufle`/);
    throwsCode(() => m.binding({ resource: {}, source: "acmeCo/x", feilds: {} }), "invalid_value", /^materialization acmeCo\/m binding 0: unknown option `feilds`/);
    throwsCode(() => t.ingest({ collection: "acmeCo/x", docs: [] }), "invalid_value", /^test acmeCo\/t step 0: unknown option `docs`/);
    throwsCode(() => t.verify({ collection: "acmeCo/x", documents: [], partition: {} }), "invalid_value", /^test acmeCo\/t step 0: unknown option `partition`/);
    // The core suggests the closest option, in nested options too.
    throwsCode(
      () => m.binding({ resource: {}, source: "acmeCo/x", fields: { groupBuy: [] } }),
      "invalid_value",
      "materialization acmeCo/m binding 0: fields: unknown option `groupBuy`, did you mean `groupBy`? expected one of `groupBy`, `include`, `require`, `exclude`, `recommended`",
    );
  });

  it("names an option of the wrong type, with its path", () => {
    const cat = new Catalog();
    throwsCode(
      () => cat.collection("acmeCo/x", { schema: {}, key: ["id"] }),
      "invalid_value",
      /^collection acmeCo\/x: key\[0\]: "id" is not a valid JSON pointer/,
    );
    throwsCode(() => cat.collection("acmeCo/x", { schema: {}, key: "/id" }), "invalid_value", /^collection acmeCo\/x: key: invalid type: string "\/id", expected a sequence/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", interval: "5 min" }), "invalid_value", /^capture acmeCo\/c: interval: "5 min" is not a valid duration/);
    // serde_json (with exact numbers) names a number by its kind only.
    throwsCode(() => cat.capture("acmeCo/c", { image: 5 }), "invalid_value", /^capture acmeCo\/c: image: invalid type: integer `5`, expected a string/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", bindings: [{ resource: {}, target: "acmeCo/x", backfill: -1 }] }), "invalid_value", /^capture acmeCo\/c: bindings\[0\]\.backfill: invalid value: integer `-1`, expected a whole number from 0 to 4294967295/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", bindings: [{ resource: {}, target: "acmeCo/x", backfill: 1.5 }] }), "invalid_value", /^capture acmeCo\/c: bindings\[0\]\.backfill: invalid type: floating point `1\.5`, expected a whole number from 0 to 4294967295/);
    throwsCode(() => cat.capture("acmeCo/c", { image: "x", bindings: [{ resource: {}, target: "acmeCo/x", backfill: 2n ** 64n }] }), "invalid_value", /^capture acmeCo\/c: bindings\[0\]\.backfill: invalid value: integer `18446744073709551616`, expected a whole number from 0 to 4294967295/);
    throwsCode(
      () => cat.materialization("acmeCo/m", { image: "i", bindings: [{ resource: {}, source: "nope" }] }),
      "invalid_value",
      /^materialization acmeCo\/m: bindings\[0\]\.source: nope cannot be used as name for collection/,
    );
  });

  it("is thrown for a missing or doubled endpoint or runtime", () => {
    const cat = new Catalog();
    throwsCode(() => cat.capture("acmeCo/c", {}), "invalid_value", /^capture acmeCo\/c has no endpoint/);
    throwsCode(() => cat.capture("acmeCo/c", undefined), "invalid_value", /^capture acmeCo\/c has no endpoint/);
    throwsCode(() => cat.capture("acmeCo/c", { config: {} }), "invalid_value", "capture acmeCo/c: `config` is given without an `image`");
    throwsCode(
      () => cat.materialization("acmeCo/m", { image: "i", dekaf: { variant: "v", config: {} } }),
      "invalid_value",
      /^materialization acmeCo\/m: give only one endpoint/,
    );
    throwsCode(() => cat.derivation("acmeCo/d", { schema: {}, key: ["/id"] }), "invalid_value", /^derivation acmeCo\/d has no runtime/);
    throwsCode(
      () => cat.derivation("acmeCo/d", { schema: {}, key: ["/id"], sqlite: [], typescript: "m.ts" }),
      "invalid_value",
      /^derivation acmeCo\/d: give only one runtime/,
    );
  });

  it("is thrown for a spec defined twice, keeping the first", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/x", { schema: true, key: ["/id"] });
    throwsCode(() => cat.collection("acmeCo/x", { schema: false, key: ["/id"] }), "invalid_value", "collection acmeCo/x is already defined");
    throwsCode(() => cat.derivation("acmeCo/x", { schema: true, key: ["/id"], sqlite: [] }), "invalid_value", "collection acmeCo/x is already defined");
    cat.capture("acmeCo/c", { image: "i" });
    throwsCode(() => cat.capture("acmeCo/c", { image: "i" }), "invalid_value", "capture acmeCo/c is already defined");
    cat.materialization("acmeCo/m", { image: "i" });
    throwsCode(() => cat.materialization("acmeCo/m", { image: "i" }), "invalid_value", "materialization acmeCo/m is already defined");
    cat.test("acmeCo/t");
    throwsCode(() => cat.test("acmeCo/t"), "invalid_value", "test acmeCo/t is already defined");
    assert.equal(cat.getSpec("collection", "acmeCo/x").schema, true);
  });

  it("is thrown for an unknown kind", () => {
    const cat = new Catalog();
    for (const fn of [() => cat.getSpec("nope", "acmeCo/x"), () => cat.names("nope"), () => cat.removeSpec("nope", "acmeCo/x"), () => cat.setSpec("nope", "acmeCo/x", {})]) {
      throwsCode(fn, "invalid_value", '"nope" is not a kind of spec (capture, collection, materialization or test)');
    }
  });

  it("is thrown for bad write options", () => {
    const cat = new Catalog();
    throwsCode(() => cat.write("x/flow.yaml", { layout: "split" }), "invalid_value", /^write x\/flow\.yaml: layout: unknown variant `split`/);
    throwsCode(() => cat.write("x/flow.yaml", { layuot: "flat" }), "invalid_value", /^write x\/flow\.yaml: unknown option `layuot`/);
  });

  it("never quotes a config, which may hold secrets", () => {
    const cat = new Catalog();
    const fns = [
      () => cat.capture("acmeCo/c", { image: "i", config: { token: SECRET }, imgae: "x" }),
      () => cat.capture("acmeCo/c", { image: "i", config: { token: SECRET }, interval: "soon" }),
      () => cat.materialization("acmeCo/m", { image: "i", config: { token: SECRET }, dekaf: { variant: "v", config: {} } }),
    ];
    for (const fn of fns) {
      const err = throwsCode(fn, "invalid_value");
      assert.ok(!err.message.includes(SECRET), err.message);
      assert.ok(!(err.stack ?? "").includes(SECRET));
    }
  });
});

describe("thrown errors", () => {
  it("are Errors with a stack, a code and no diagnostics outside load and validation", () => {
    const err = throwsCode(() => new Catalog().capture("bad", {}), "invalid_name");
    assert.equal(Object.getPrototypeOf(err), Error.prototype);
    assert.equal(err.name, "Error");
    assert.match(err.stack, /^Error: bad cannot be used as name/);
    assert.equal(err.diagnostics, undefined);
  });
});
