// JS values to JSON and back: what is JSON, and TypeErrors (code
// invalid_spec) that name where a value that is not JSON was.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { Catalog, FlowspecError, flowspec, tempDir, throwsCode } from "./helpers.mjs";

/** `levels` arrays and objects within each other around `leaf`, an object outermost. */
function nest(levels, leaf = 1) {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = (levels - i) % 2 ? { k: v } : [v];
  return v;
}

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
    "invalid_spec",
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

  it("take BigInts of any size, and give back BigInts beyond the safe integers", () => {
    assert.equal(roundTrip(5n), 5);
    assert.equal(roundTrip(2n ** 53n - 1n), Number.MAX_SAFE_INTEGER);
    assert.equal(roundTrip(-(2n ** 53n) + 1n), Number.MIN_SAFE_INTEGER);
    for (const big of [
      2n ** 53n,
      -(2n ** 53n),
      2n ** 60n,
      -(2n ** 63n),
      2n ** 64n - 1n,
      2n ** 64n,
      -(2n ** 63n) - 1n,
      2n ** 200n,
      -(10n ** 40n) + 7n,
      10n ** 5000n,
    ]) {
      assert.equal(roundTrip(big), big);
    }
  });

  it("write every digit of a BigInt", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/src", { image: "i:v1", config: { big: 2n ** 70n, neg: -(2n ** 70n), list: [10n ** 30n] } });
    assert.match(cat.toJson(), /"big": 1180591620717411303424,\s*"neg": -1180591620717411303424,\s*"list": \[\s*1000000000000000000000000000000\s*\]/);
    assert.match(cat.toYaml(), /big: 1180591620717411303424\n\s*neg: -1180591620717411303424\n\s*list:\n\s*- 1000000000000000000000000000000\n/);
  });

  it("read numbers of a file exactly: integers as numbers or BigInts, others as numbers", (t) => {
    const dir = tempDir(t);
    const path = join(dir, "flow.yaml");
    writeFileSync(
      path,
      "captures:\n  acmeCo/src:\n    endpoint:\n      connector:\n        image: i:v1\n" +
        "        config: {big: 99999999999999999999, neg: -123456789012345678901234567890, safe: 9007199254740991," +
        " unsafe: 9007199254740992, half: 0.5, trailing: 1.50, float: 7.0, huge: 1e400, precise: 0.1000000000000000000001}\n" +
        "    bindings: []\n",
    );
    const cat = Catalog.load(path);
    const config = cat.getSpec("capture", "acmeCo/src").endpoint.connector.config;
    assert.deepEqual(config, {
      big: 99999999999999999999n,
      neg: -123456789012345678901234567890n,
      safe: 9007199254740991,
      unsafe: 9007199254740992n,
      half: 0.5,
      trailing: 1.5,
      float: 7,
      huge: Infinity,
      precise: 0.1,
    });
    // The catalog itself keeps every digit.
    const json = cat.toJson();
    for (const text of ['"big": 99999999999999999999', '"huge": 1e+400', '"precise": 0.1000000000000000000001', '"trailing": 1.50']) {
      assert.ok(json.includes(text), text);
    }
    // Integers given back stay exact.
    cat.capture("acmeCo/copy", { image: "i:v1", config: { big: config.big, neg: config.neg, unsafe: config.unsafe } });
    assert.match(cat.toJson(), /"big": 99999999999999999999,\s*"neg": -123456789012345678901234567890,\s*"unsafe": 9007199254740992/);
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

  it("take nesting up to the core's 100 levels, the options object aside", () => {
    for (const v of [nest(100), nest(100, 2n ** 64n), nest(100, "\ufffd")]) {
      const cat = new Catalog();
      cat.capture("acmeCo/src", { image: "i:v1", config: v });
      assert.deepEqual(cat.getSpec("capture", "acmeCo/src").endpoint.connector.config, v);
    }
    const cat = new Catalog();
    cat.setSpec("capture", "acmeCo/src", { endpoint: { connector: { image: "i:v1", config: nest(97) } }, bindings: [] });
    assert.deepEqual(cat.getSpec("capture", "acmeCo/src").endpoint.connector.config, nest(97));
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
    rejects("a\ud800b", "a string with a lone surrogate (\\ud800 at index 1) is not JSON");
    rejects("\udc00 𝄞", "a string with a lone surrogate (\\udc00 at index 0) is not JSON");
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
      "invalid_spec",
      "capture acmeCo/src: options.config.list[1]: undefined is not JSON",
      TypeError,
    );
    throwsCode(
      () => cat.capture("acmeCo/src", { image: "i:v1", config: { list: [1, , 3] } }), // eslint-disable-line no-sparse-arrays
      "invalid_spec",
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
      "invalid_spec",
      'collection acmeCo/x: options.schema.properties["a b"].items[1]["x-y"]: a function is not JSON',
      TypeError,
    );
  });

  it("include lone surrogates in keys and names, where the walker finds them", () => {
    const cat = new Catalog();
    throwsCode(
      () => cat.capture("acmeCo/src", { image: "i:v1", config: { nested: { "k\udbff": 1 } } }),
      "invalid_spec",
      "capture acmeCo/src: options.config.nested: a property name with a lone surrogate (\\udbff at index 1) is not JSON",
      TypeError,
    );
    throwsCode(
      () => cat.capture("acmeCo/src\ud800", { image: "i:v1" }),
      "invalid_spec",
      "capture: name: a string with a lone surrogate (\\ud800 at index 10) is not valid text",
      TypeError,
    );
    // A real U+FFFD, and surrogate pairs, are text.
    assert.equal(roundTrip("\ufffd 𝄞 \ud834\udd1e"), "\ufffd 𝄞 𝄞");
    assert.deepEqual(roundTrip({ "\ufffd": "\ufffd" }), { "\ufffd": "\ufffd" });
    assert.deepEqual(cat.names("capture"), []);
  });
});

describe("values nested too deeply", () => {
  const TOO_DEEP = "the value nests arrays and objects more than 100 levels deep, which a catalog cannot hold (does it contain itself?)";

  /** Asserts that `fn` throws the core's nesting error, at `where`. */
  function tooDeep(fn, where) {
    const err = throwsCode(fn, "nesting_too_deep", `${where}: ${TOO_DEEP}`);
    assert.equal(err.constructor, FlowspecError, "not a TypeError or RangeError");
    assert.equal(err.diagnostics, undefined);
  }

  it("are the core's nesting_too_deep error, naming where, for cycles too", () => {
    const cyclic = { name: "loop" };
    cyclic.self = cyclic;
    const cat = new Catalog();
    tooDeep(() => cat.capture("acmeCo/src", { image: "i:v1", config: cyclic }), `capture acmeCo/src: options.config${".self".repeat(11)}...`);
    const list = [];
    list.push(list);
    tooDeep(() => cat.capture("acmeCo/src", { image: "i:v1", config: { list } }), `capture acmeCo/src: options.config.list${"[0]".repeat(10)}...`);
    assert.deepEqual(cat.names("capture"), []);
  });

  it("are refused one level past the limit, in every argument", () => {
    const deep = nest(101);
    // The first 12 steps of the path.
    const path = `${".k[0]".repeat(6)}...`;
    const below = `${".k[0]".repeat(5)}.k...`;
    const cat = new Catalog();
    const t = cat.test("acmeCo/t");
    tooDeep(() => cat.capture("acmeCo/src", { image: "i:v1", config: deep }), `capture acmeCo/src: options.config${below}`);
    tooDeep(() => cat.capture("acmeCo/src", { image: "i:v1", config: nest(101, 2n ** 64n) }), `capture acmeCo/src: options.config${below}`);
    tooDeep(() => cat.collection("acmeCo/x", { schema: deep, key: ["/id"] }), `collection acmeCo/x: options.schema${below}`);
    tooDeep(() => t.ingest({ collection: "acmeCo/x", documents: [nest(100)] }), `test acmeCo/t ingest: options.documents[0]${".k[0]".repeat(5)}...`);
    tooDeep(
      () => cat.setSpec("capture", "acmeCo/src", { endpoint: { connector: { image: "i", config: nest(98) } } }),
      `capture acmeCo/src: spec.endpoint.connector.config${".k[0]".repeat(4)}.k...`,
    );
    tooDeep(() => flowspec.secret(deep), `secret: value${path}`);
    tooDeep(() => flowspec.encrypt(deep, { recipients: [] }), `encrypt: document${path}`);
  });
});

describe("JSON values, after an error", () => {
  it("leave nothing behind", () => {
    const cat = new Catalog();
    assert.throws(() => cat.capture("acmeCo/src", { image: "i:v1", config: nest(101) }));
    assert.deepEqual(cat.names("capture"), []);
    cat.capture("acmeCo/src", { image: "i:v1", config: nest(100) });
    assert.deepEqual(cat.names("capture"), ["acmeCo/src"]);
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
      throwsCode(fn, "invalid_spec", `${where}: a function is not JSON`, TypeError);
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
  it("are TypeErrors (code invalid_spec) when not strings", () => {
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
    for (const [fn, message] of cases) throwsCode(fn, "invalid_spec", message, TypeError);
  });
});
