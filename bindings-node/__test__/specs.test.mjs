// Reading, editing and removing specs: getSpec/setSpec/removeSpec and the
// handles' `spec` and `remove()`.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Catalog, smallCatalog, throwsCode } from "./helpers.mjs";

describe("getSpec", () => {
  it("returns each kind's spec in the model's form", () => {
    const cat = smallCatalog();
    assert.equal(cat.getSpec("capture", "acmeCo/src").endpoint.connector.image, "ghcr.io/estuary/source-hello-world:dev");
    assert.deepEqual(cat.getSpec("collection", "acmeCo/greetings").key, ["/id"]);
    assert.deepEqual(cat.getSpec("collection", "acmeCo/lengths").derive.using, { sqlite: { migrations: [] } });
    assert.equal(cat.getSpec("materialization", "acmeCo/dst").bindings.length, 1);
    assert.equal(cat.getSpec("test", "acmeCo/tests/lengths").steps.length, 2);
  });

  it("accepts plural kinds", () => {
    const cat = smallCatalog();
    assert.deepEqual(cat.getSpec("collections", "acmeCo/greetings"), cat.getSpec("collection", "acmeCo/greetings"));
  });

  it("returns undefined for a missing spec, or one of another kind", () => {
    const cat = smallCatalog();
    assert.equal(cat.getSpec("collection", "acmeCo/nope"), undefined);
    assert.equal(cat.getSpec("capture", "acmeCo/greetings"), undefined);
  });

  it("returns a copy", () => {
    const cat = smallCatalog();
    const spec = cat.getSpec("collection", "acmeCo/greetings");
    spec.key.push("/other");
    assert.deepEqual(cat.getSpec("collection", "acmeCo/greetings").key, ["/id"]);
  });

  it("keeps the key order of opaque values", () => {
    const cat = new Catalog();
    const config = { zeta: 1, alpha: { y: 2, b: 3 }, mid: [3, 2, 1] };
    cat.capture("acmeCo/src", { image: "i:v1", config });
    const got = cat.getSpec("capture", "acmeCo/src").endpoint.connector.config;
    assert.deepEqual(Object.keys(got), ["zeta", "alpha", "mid"]);
    assert.deepEqual(Object.keys(got.alpha), ["y", "b"]);
  });
});

describe("setSpec", () => {
  it("replaces a spec with an edited copy, and chains", () => {
    const cat = smallCatalog();
    const spec = cat.getSpec("capture", "acmeCo/src");
    spec.interval = "10m";
    spec.bindings.push({ resource: { stream: "more" }, target: "acmeCo/more" });
    assert.equal(cat.setSpec("capture", "acmeCo/src", spec), cat);
    assert.deepEqual(cat.getSpec("capture", "acmeCo/src"), spec);
  });

  it("adds a spec that did not exist", () => {
    const cat = new Catalog();
    cat
      .setSpec("collection", "acmeCo/x", { schema: { type: "object" }, key: ["/id"] })
      .setSpec("test", "acmeCo/tests/x", { steps: [] });
    assert.deepEqual(cat.names("collection"), ["acmeCo/x"]);
    assert.deepEqual(cat.getSpec("test", "acmeCo/tests/x"), { steps: [] });
  });

  it("takes every kind in the model's form", () => {
    const cat = new Catalog();
    const specs = {
      capture: { endpoint: { local: { command: ["x"], config: {} } }, bindings: [], interval: "1h" },
      collection: { schema: true, key: ["/id"], derive: { using: { sqlite: {} }, transforms: [] } },
      materialization: { endpoint: { dekaf: { variant: "v", config: {} } }, bindings: [] },
      test: { description: "d", steps: [{ verify: { collection: "acmeCo/x", documents: [] } }] },
    };
    for (const [kind, spec] of Object.entries(specs)) cat.setSpec(kind, `acmeCo/${kind}`, spec);
    assert.deepEqual(cat.getSpec("capture", "acmeCo/capture"), specs.capture);
    assert.deepEqual(cat.getSpec("collection", "acmeCo/collection"), {
      schema: true,
      key: ["/id"],
      derive: { using: { sqlite: { migrations: [] } }, transforms: [] },
    });
    assert.deepEqual(cat.getSpec("materialization", "acmeCo/materialization"), specs.materialization);
    assert.deepEqual(cat.getSpec("test", "acmeCo/test"), specs.test);
  });

  it("rejects a spec that does not decode, naming the field, and changes nothing", () => {
    const cat = smallCatalog();
    const before = cat.getSpec("collection", "acmeCo/greetings");
    throwsCode(
      () => cat.setSpec("collection", "acmeCo/greetings", { key: "/id" }),
      "invalid_spec",
      /^collection acmeCo\/greetings: key: invalid type/,
    );
    throwsCode(
      () => cat.setSpec("capture", "acmeCo/src", { endpoint: { connector: { image: "i", config: {} } }, bindings: [], intervall: "5m" }),
      "invalid_spec",
      /^capture acmeCo\/src: unknown field `intervall`/,
    );
    assert.deepEqual(cat.getSpec("collection", "acmeCo/greetings"), before);
  });
});

describe("removeSpec", () => {
  it("removes a spec and says whether it was there", () => {
    const cat = smallCatalog();
    assert.equal(cat.removeSpec("materialization", "acmeCo/dst"), true);
    assert.equal(cat.removeSpec("materialization", "acmeCo/dst"), false);
    assert.equal(cat.removeSpec("capture", "acmeCo/greetings"), false);
    assert.deepEqual(cat.names("materialization"), []);
  });
});

describe("handles", () => {
  it("read and replace their spec through `spec`", () => {
    const cat = new Catalog();
    const c = cat.collection("acmeCo/x", { schema: { type: "object" }, key: ["/id"] });
    assert.deepEqual(c.spec, { schema: { type: "object" }, key: ["/id"] });
    c.spec = { ...c.spec, key: ["/a", "/b"] };
    assert.deepEqual(cat.getSpec("collection", "acmeCo/x").key, ["/a", "/b"]);
  });

  it("see changes made through the catalog", () => {
    const cat = new Catalog();
    const t = cat.test("acmeCo/t");
    cat.setSpec("test", "acmeCo/t", { description: "changed", steps: [] });
    assert.equal(t.spec.description, "changed");
  });

  it("of every kind have `name`, `spec` and `remove()`", () => {
    const cat = smallCatalog();
    const handles = [
      [cat.capture("acmeCo/c2", { image: "i:v1" }), "capture"],
      [cat.collection("acmeCo/x2", { schema: true, key: ["/id"] }), "collection"],
      [cat.derivation("acmeCo/d2", { schema: true, key: ["/id"], sqlite: [] }), "collection"],
      [cat.materialization("acmeCo/m2", { image: "i:v1" }), "materialization"],
      [cat.test("acmeCo/t2"), "test"],
    ];
    for (const [h, kind] of handles) {
      assert.deepEqual(h.spec, cat.getSpec(kind, h.name));
      assert.equal(h.remove(), true);
      assert.equal(h.remove(), false);
      assert.equal(cat.getSpec(kind, h.name), undefined);
    }
  });

  it("fail with reference_undefined once their spec is removed", () => {
    const cat = smallCatalog();
    const c = cat.capture("acmeCo/gone", { image: "i:v1" });
    cat.removeSpec("capture", "acmeCo/gone");
    throwsCode(() => c.spec, "reference_undefined", "capture acmeCo/gone is not defined");
    throwsCode(
      () => c.binding({ resource: {}, target: "acmeCo/x" }),
      "reference_undefined",
      "capture acmeCo/gone is not defined",
    );
    c.spec = { endpoint: { connector: { image: "i:v2", config: {} } }, bindings: [] };
    assert.equal(cat.getSpec("capture", "acmeCo/gone").endpoint.connector.image, "i:v2");
  });

  it("of a derivation fail to add a transform once it is a plain collection", () => {
    const cat = new Catalog();
    const d = cat.derivation("acmeCo/d", { schema: true, key: ["/id"], sqlite: [] });
    cat.setSpec("collection", "acmeCo/d", { schema: true, key: ["/id"] });
    throwsCode(
      () => d.transform({ name: "t", source: "acmeCo/a" }),
      "invalid_spec",
      /^collection acmeCo\/d: it is not a derivation/,
    );
  });

  it("cannot be constructed directly", () => {
    const cat = smallCatalog();
    const Capture = cat.capture("acmeCo/c3", { image: "i:v1" }).constructor;
    assert.throws(() => new Capture());
  });
});
