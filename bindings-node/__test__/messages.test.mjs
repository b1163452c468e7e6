// What a wrong option is told: what is accepted and where, never the
// internals of the core's decoding ("untagged enum", "map with a single
// key", "expected struct ..."); and an option under both of its names.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Catalog, throwsCode } from "./helpers.mjs";

const SCHEMA = { type: "object", required: ["id"], properties: { id: { type: "string" } } };

describe("two names of one option", () => {
  it("are an error naming both, in options and in specs", () => {
    const cat = new Catalog();
    throwsCode(
      () => cat.materialization("acmeCo/m", { image: "i", sourceCapture: "acmeCo/c", source: "acmeCo/c" }),
      "invalid_spec",
      "materialization acmeCo/m: `sourceCapture` and `source` are two spellings of one option: give only one of them",
    );
    const m = cat.materialization("acmeCo/m", { image: "i" });
    throwsCode(
      () => m.binding({ resource: {}, source: "acmeCo/x", fields: { recommended: true, require: {}, include: {} } }),
      "invalid_spec",
      "materialization acmeCo/m binding 0: fields: `require` and `include` are two spellings of one option: give only one of them",
    );
    const endpoint = { connector: { image: "i", config: {} } };
    throwsCode(
      () => cat.setSpec("materialization", "acmeCo/m2", { endpoint, bindings: [], source: "acmeCo/c", sourceCapture: "acmeCo/c" }),
      "invalid_spec",
      "materialization acmeCo/m2: `source` and `sourceCapture` are two spellings of one option: give only one of them",
    );
    throwsCode(
      () => cat.setSpec("materialization", "acmeCo/m2", { endpoint: { ...endpoint, flowSink: endpoint.connector }, bindings: [] }),
      "invalid_spec",
      "materialization acmeCo/m2: endpoint: `connector` and `flowSink` are two spellings of one option: give only one of them",
    );
    // Either name alone is taken.
    cat.materialization("acmeCo/m3", { image: "i", source: "acmeCo/c" });
    assert.equal(cat.getSpec("materialization", "acmeCo/m3").source, "acmeCo/c");
    assert.deepEqual(cat.names("materialization"), ["acmeCo/m", "acmeCo/m3"]);
  });
});

describe("wrong values", () => {
  it("are told what is accepted", () => {
    const cat = new Catalog();
    const d = cat.derivation("acmeCo/d", { schema: SCHEMA, key: ["/id"], sqlite: [] });
    const cases = [
      [
        () => d.transform({ name: "t", source: "acmeCo/x", shuffle: { key: ["/id"], lambda: "SELECT 1" } }),
        "derivation acmeCo/d transform 0: shuffle: shuffle takes exactly one of `key` or `lambda`, but this object has `key` and `lambda`",
      ],
      [
        () => d.transform({ name: "t", source: "acmeCo/x", shuffle: "anything" }),
        'derivation acmeCo/d transform 0: shuffle: invalid value: string "anything", expected `any`, a list of JSON pointers, or an object with one of `key` or `lambda`',
      ],
      [
        () => cat.derivation("acmeCo/e", { schema: SCHEMA, key: ["/id"], using: { sqlite: {}, typescript: { module: "e.ts" } } }),
        "derivation acmeCo/e: using: runtime takes exactly one of `connector`, `sqlite`, `typescript`, `python` or `local`, but this object has `sqlite` and `typescript`",
      ],
      [
        () => cat.derivation("acmeCo/e", { schema: SCHEMA, key: ["/id"], sqlite: "CREATE TABLE t (x);" }),
        'derivation acmeCo/e: sqlite: invalid type: string "CREATE TABLE t (x);", expected a list of migrations (SQL or file URLs), or an object {migrations}',
      ],
      [
        () => cat.capture("acmeCo/c", { image: "i", autoDiscover: "yes" }),
        'capture acmeCo/c: autoDiscover: invalid type: string "yes", expected true, false, or an object {addNewBindings, evolveIncompatibleCollections}',
      ],
      [
        () => cat.capture("acmeCo/c", { image: "i", shards: { logLevel: 3 } }),
        "capture acmeCo/c: shards.logLevel: invalid type: integer `3`, expected one of `error`, `warn`, `info`, `debug`, `trace`",
      ],
      [
        () => cat.capture("acmeCo/c", { image: "i", shards: { ringBufferSize: -1 } }),
        "capture acmeCo/c: shards.ringBufferSize: invalid value: integer `-1`, expected a whole number from 0 to 4294967295",
      ],
      [
        () => cat.capture("acmeCo/c", 5),
        "capture acmeCo/c: invalid type: integer `5`, expected capture options: an object {image, config, bindings, …}",
      ],
      [
        () => cat.materialization("acmeCo/m", { image: "i", bindings: [{ resource: {}, source: "acmeCo/x", fields: { recommended: "all" } }] }),
        'materialization acmeCo/m: bindings[0].fields.recommended: invalid type: string "all", expected true, false, or a depth (a whole number from 0)',
      ],
      [
        () => cat.test("acmeCo/t", { steps: [{}] }),
        "test acmeCo/t: steps[0]: test step needs one of `ingest` or `verify`, and this object has none",
      ],
    ];
    for (const [fn, message] of cases) throwsCode(fn, "invalid_spec", message);
  });
});

describe("re-entering the catalog", () => {
  it("from a getter of an option object works, before the catalog is changed", () => {
    const cat = new Catalog();
    const options = {
      image: "ghcr.io/estuary/source-hello-world:dev",
      get config() {
        // Getters may run more than once: these calls give the same result each time.
        cat.setSpec("collection", "acmeCo/from-getter", { schema: SCHEMA, key: ["/id"] });
        assert.deepEqual(cat.validate(), []);
        return { rate: 1 };
      },
    };
    cat.capture("acmeCo/c", options);
    assert.deepEqual(cat.names("collection"), ["acmeCo/from-getter"]);
    assert.deepEqual(cat.getSpec("capture", "acmeCo/c").endpoint.connector.config, { rate: 1 });
  });
});
