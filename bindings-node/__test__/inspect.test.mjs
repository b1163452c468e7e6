// What inspecting a catalog or a handle shows: names and counts, never a
// spec's contents (configs may hold secrets).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { format, inspect } from "node:util";

import { SECRET, smallCatalog } from "./helpers.mjs";

function handles(cat) {
  return {
    Capture: cat.capture("acmeCo/c2", { image: "i:v1", config: { token: SECRET } }),
    Collection: cat.collection("acmeCo/x2", { schema: { default: SECRET }, key: ["/id"] }),
    Derivation: cat.derivation("acmeCo/d2", { schema: true, key: ["/id"], connector: { image: "i", config: { token: SECRET } } }),
    Materialization: cat.materialization("acmeCo/m2", { image: "i:v1", config: { password: SECRET } }),
    Test: cat.test("acmeCo/t2").ingest({ collection: "acmeCo/x2", documents: [{ secret: SECRET }] }),
  };
}

/** Every way a value is commonly printed. */
function renderings(value) {
  return [
    inspect(value),
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    inspect(value, { customInspect: false, showHidden: true }),
    format("%s %o %O %j", value, value, value, value),
    String(value),
    `${value}`,
    JSON.stringify(value) ?? "",
    inspect({ nested: [value] }),
  ];
}

describe("inspecting", () => {
  it("a catalog shows the number of specs of each kind", () => {
    const cat = smallCatalog();
    assert.equal(inspect(cat), "Catalog { captures: 1, collections: 2, materializations: 1, tests: 1 }");
    assert.equal(String(cat), "Catalog(1 capture, 2 collections, 1 materialization, 1 test)");
  });

  it("a handle shows its class and name", () => {
    const cat = smallCatalog();
    for (const [cls, h] of Object.entries(handles(cat))) {
      assert.equal(inspect(h), `${cls} { name: '${h.name}' }`);
    }
    assert.equal(String(cat.capture("acmeCo/c3", { image: "i" })), "capture acmeCo/c3");
    assert.equal(String(cat.derivation("acmeCo/d3", { schema: true, key: ["/id"], sqlite: [] })), "derivation acmeCo/d3");
  });

  it("never prints a config or any other spec content", () => {
    const cat = smallCatalog();
    const all = [cat, ...Object.values(handles(cat))];
    for (const value of all) {
      for (const text of renderings(value)) {
        assert.ok(!text.includes(SECRET), `leaked by: ${text}`);
      }
    }
  });

  it("shows no own properties that could hold a spec", () => {
    const cat = smallCatalog();
    for (const value of [cat, ...Object.values(handles(cat))]) {
      assert.deepEqual(Reflect.ownKeys(value), []);
    }
  });
});
