// The package loads with import, with named and default imports.

import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

import flowspec, { Catalog, Capture, FlowspecError, codes } from "flowspec";
import * as byPath from "../index.js";

test("import gives named exports and the CommonJS module as default", () => {
  const require = createRequire(import.meta.url);
  assert.equal(flowspec, require("flowspec"));
  assert.equal(Catalog, flowspec.Catalog);
  assert.equal(byPath.Catalog, Catalog);
  const cat = new Catalog();
  assert.ok(cat.capture("acmeCo/c", { image: "i" }) instanceof Capture);
  assert.equal(FlowspecError, flowspec.FlowspecError);
  assert.equal(codes, flowspec.codes);
  assert.throws(() => cat.capture("bad", { image: "i" }), FlowspecError);
});
