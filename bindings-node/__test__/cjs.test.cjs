// The package loads with require(), by path and by its own name.

const assert = require("node:assert/strict");
const { test } = require("node:test");

test("require() by path and by name give the same module", () => {
  const byPath = require("..");
  const byName = require("flowspec");
  assert.equal(byPath, byName);
  for (const name of ["Catalog", "Capture", "Collection", "Derivation", "Materialization", "Test"]) {
    assert.equal(typeof byName[name], "function", name);
  }
  const cat = new byName.Catalog();
  cat.collection("acmeCo/x", { schema: true, key: ["/id"] });
  assert.deepEqual(cat.names("collection"), ["acmeCo/x"]);
});
