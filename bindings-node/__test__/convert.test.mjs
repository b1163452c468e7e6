// JS values to JSON and back: what is JSON, and TypeErrors (code
// invalid_value) that name where a value that is not JSON was.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Catalog, throwsCode } from "./helpers.mjs";

/** The config a capture keeps for `value`. */
function roundTrip(value) {
  const cat = new Catalog();
  cat.capture("acmeCo/src", { image: "i:v1", config: { value } });
  return cat.getSpec("capture", "acmeCo/src").endpoint.connector.config.value;
}

/** Asserts that a config holding `value` at `config.value` is rejected. */
function rejects(value, found) {
  const cat = new Catalog();
  throwsCode(
    () => cat.capture("acmeCo/src", { image: "i:v1", config: { value } }),
    "invalid_value",
    `capture acmeCo/src: options.config.value: ${found}`,
    TypeError,
  );
  assert.deepEqual(cat.names("capture"), [], "nothing is added");
}

describe("JSON values", () => {
  it("round-trip", () => {
    for (const v of [
      null,
      true,
      false,
      0,
      -1,
      42,
      1.5,
      -0.25,
      1e21,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      "",
      "héllo ✓ 𝄞",
      "line\nbreak\u0000nul",
      [],
      [1, "two", [3], { four: 4 }],
      {},
      { nested: { deeper: { deepest: [null] } } },
    ]) {
      assert.deepEqual(roundTrip(v), v);
    }
  });

  it("keep integers integral", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/src", { image: "i:v1", config: { n: 499, f: 4.0, neg: -0 } });
    assert.match(cat.toJson(), /"n":\s*499,\s*"f":\s*4,\s*"neg":\s*0\b/);
  });

  it("take BigInts within 64 bits, and give back BigInts beyond 2^53", () => {
    assert.equal(roundTrip(5n), 5);
    assert.equal(roundTrip(2n ** 60n), 2n ** 60n);
    assert.equal(roundTrip(-(2n ** 63n)), -(2n ** 63n));
    assert.equal(roundTrip(2n ** 64n - 1n), 2n ** 64n - 1n);
  });

  it("keep key order, with integer-like keys first as in JS", () => {
    assert.deepEqual(Object.keys(roundTrip({ b: 1, a: 2, 10: 3, 2: 4 })), ["2", "10", "b", "a"]);
  });

  it("leave out properties set to undefined, and symbol keys", () => {
    assert.deepEqual(roundTrip({ a: undefined, b: 1, [Symbol("s")]: 2 }), { b: 1 });
  });

  it("read own enumerable properties only, through getters", () => {
    const proto = { inherited: 1 };
    const o = Object.create(proto);
    Object.defineProperty(o, "hidden", { value: 2, enumerable: false });
    Object.defineProperty(o, "computed", { get: () => 3, enumerable: true });
    o.own = 4;
    assert.deepEqual(roundTrip(o), { computed: 3, own: 4 });
  });

  it("take class instances by their properties", () => {
    class Point {
      constructor() {
        this.x = 1;
        this.y = 2;
      }
    }
    assert.deepEqual(roundTrip(new Point()), { x: 1, y: 2 });
  });

  it("take long strings and long keys", () => {
    const long = "x".repeat(100_000);
    assert.equal(roundTrip(long), long);
    assert.deepEqual(roundTrip({ [long]: long }), { [long]: long });
  });

  it("take nesting up to 128 levels", () => {
    let v = 1;
    for (let i = 0; i < 126; i++) v = [v];
    assert.deepEqual(roundTrip(v), v);
  });
});

describe("values that are not JSON", () => {
  it("are TypeErrors naming the value and where it was", () => {
    rejects(() => 1, "a function is not JSON");
    rejects(class {}, "a function is not JSON");
    rejects(Symbol("s"), "a symbol is not JSON");
    rejects(NaN, "NaN is not JSON");
    rejects(Infinity, "Infinity is not JSON");
    rejects(-Infinity, "Infinity is not JSON");
    rejects(2n ** 64n, "a BigInt outside the 64-bit range is not JSON");
    rejects(-(2n ** 63n) - 1n, "a BigInt outside the 64-bit range is not JSON");
    rejects(new Date(0), "a Date is not JSON (give a string: date.toISOString())");
    rejects(new Map([[1, 2]]), "a Map is not JSON");
    rejects(new Set([1]), "a Set is not JSON");
    rejects(/x/, "a RegExp is not JSON");
    rejects(Buffer.from("x"), "a typed array or Buffer is not JSON");
    rejects(new Uint8Array(2), "a typed array or Buffer is not JSON");
    rejects(new ArrayBuffer(2), "an ArrayBuffer is not JSON");
    rejects(new DataView(new ArrayBuffer(2)), "a DataView is not JSON");
    rejects(Promise.resolve(1), "a Promise is not JSON");
  });

  it("include undefined in an array, and holes", () => {
    const cat = new Catalog();
    throwsCode(
      () => cat.capture("acmeCo/src", { image: "i:v1", config: { list: [1, undefined] } }),
      "invalid_value",
      "capture acmeCo/src: options.config.list[1]: undefined is not JSON",
      TypeError,
    );
    throwsCode(
      () => cat.capture("acmeCo/src", { image: "i:v1", config: { list: [1, , 3] } }), // eslint-disable-line no-sparse-arrays
      "invalid_value",
      "capture acmeCo/src: options.config.list[1]: undefined is not JSON",
      TypeError,
    );
  });

  it("are found at any depth, with quoted keys where needed", () => {
    const cat = new Catalog();
    throwsCode(
      () =>
        cat.collection("acmeCo/x", {
          schema: { properties: { "a b": { items: [{ ok: 1 }, { "x-y": () => 0 }] } } },
          key: ["/id"],
        }),
      "invalid_value",
      'collection acmeCo/x: options.schema.properties["a b"].items[1]["x-y"]: a function is not JSON',
      TypeError,
    );
  });

  it("include cycles, which show a shortened path", () => {
    const cyclic = { name: "loop" };
    cyclic.self = cyclic;
    const cat = new Catalog();
    const err = throwsCode(
      () => cat.capture("acmeCo/src", { image: "i:v1", config: cyclic }),
      "invalid_value",
      /^capture acmeCo\/src: options\.config(\.self){11}\.\.\.: a value nested more than 128 levels deep is not JSON \(is there a cycle\?\)$/,
      TypeError,
    );
    assert.ok(err.message.length < 300);
  });

  it("are named in every argument that takes JSON", () => {
    const bad = () => 0;
    const cat = new Catalog();
    const c = cat.capture("acmeCo/src", { image: "i:v1" });
    const d = cat.derivation("acmeCo/d", { schema: true, key: ["/id"], sqlite: [] });
    const m = cat.materialization("acmeCo/m", { image: "i:v1" });
    const t = cat.test("acmeCo/t");
    const cases = [
      [() => c.binding({ resource: { bad }, target: "acmeCo/x" }), "capture acmeCo/src binding: options.resource.bad"],
      [() => d.transform({ name: "t", source: "acmeCo/x", lambda: bad }), "derivation acmeCo/d transform: options.lambda"],
      [() => m.binding({ resource: [bad], source: "acmeCo/x" }), "materialization acmeCo/m binding: options.resource[0]"],
      [() => t.ingest({ collection: "acmeCo/x", documents: [{ bad }] }), "test acmeCo/t ingest: options.documents[0].bad"],
      [() => t.verify({ collection: "acmeCo/x", documents: [bad] }), "test acmeCo/t verify: options.documents[0]"],
      [() => cat.test("acmeCo/t2", { description: bad }), "test acmeCo/t2: options.description"],
      [() => cat.setSpec("test", "acmeCo/t", { steps: [bad] }), "test acmeCo/t: spec.steps[0]"],
      [() => (c.spec = { bad }), "capture acmeCo/src: spec.bad"],
      [() => cat.write("x/flow.yaml", { layout: bad }), "write x/flow.yaml: options.layout"],
    ];
    for (const [fn, where] of cases) {
      throwsCode(fn, "invalid_value", `${where}: a function is not JSON`, TypeError);
    }
  });

  it("let an exception thrown by a getter through, unchanged", () => {
    const cat = new Catalog();
    const boom = new RangeError("boom");
    assert.throws(
      () =>
        cat.capture("acmeCo/src", {
          image: "i:v1",
          get config() {
            throw boom;
          },
        }),
      (e) => e === boom,
    );
    assert.deepEqual(cat.names("capture"), []);
  });
});

describe("string arguments", () => {
  it("are TypeErrors (code invalid_value) when not strings", () => {
    const cat = new Catalog();
    const cases = [
      [() => cat.capture(5, { image: "i" }), "capture: name must be a string, not a number"],
      [() => cat.collection(undefined, { key: [] }), "collection: name must be a string, not undefined"],
      [() => cat.derivation(null, { key: [] }), "derivation: name must be a string, not null"],
      [() => cat.materialization({}, { image: "i" }), "materialization: name must be a string, not an object"],
      [() => cat.test(Symbol("t")), "test: name must be a string, not a symbol"],
      [() => cat.getSpec(1, "acmeCo/x"), "getSpec: kind must be a string, not a number"],
      [() => cat.getSpec("capture", 1n), "getSpec: name must be a string, not a BigInt"],
      [() => cat.setSpec("capture", true, {}), "setSpec: name must be a string, not a boolean"],
      [() => cat.removeSpec("capture", () => 0), "removeSpec: name must be a string, not a function"],
      [() => cat.names(), "names: kind must be a string, not undefined"],
      [() => cat.write(7), "write: path must be a string, not a number"],
      [() => Catalog.load(["flow.yaml"]), "Catalog.load: path must be a string, not an object"],
    ];
    for (const [fn, message] of cases) throwsCode(fn, "invalid_value", message, TypeError);
  });
});
