// The DSL: every call and option, and chaining.

import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Catalog, flowspec } from "./helpers.mjs";

const IMAGE = "ghcr.io/estuary/source-postgres:v1";
const SCHEMA = { type: "object", required: ["id"], properties: { id: { type: "string" } } };

describe("capture", () => {
  it("takes image and config and returns a handle", () => {
    const cat = new Catalog();
    const c = cat.capture("acmeCo/src", { image: IMAGE, config: { address: "db:5432" } });
    assert.ok(c instanceof flowspec.Capture);
    assert.equal(c.name, "acmeCo/src");
    assert.deepEqual(cat.getSpec("capture", "acmeCo/src"), {
      endpoint: { connector: { image: IMAGE, config: { address: "db:5432" } } },
      bindings: [],
    });
  });

  it("defaults config to {}", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/src", { image: IMAGE });
    assert.deepEqual(cat.getSpec("capture", "acmeCo/src").endpoint, { connector: { image: IMAGE, config: {} } });
  });

  it("takes a config file URL", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/src", { image: IMAGE, config: "source.config.yaml" });
    assert.equal(cat.getSpec("capture", "acmeCo/src").endpoint.connector.config, "source.config.yaml");
  });

  it("takes every other option", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/src", {
      image: IMAGE,
      config: {},
      bindings: [{ resource: { stream: "a" }, target: "acmeCo/a", disable: true, backfill: 2 }],
      interval: "10m",
      autoDiscover: { addNewBindings: true, evolveIncompatibleCollections: true },
      shards: { disable: true, logLevel: "debug", hotStandbys: 1, maxTxnDuration: "1s" },
      expectPubId: "01:23:45:67:89:AB:CD:EF",
      delete: true,
      reset: true,
      redactSalt: "c2FsdA==",
    });
    assert.deepEqual(cat.getSpec("capture", "acmeCo/src"), {
      autoDiscover: { addNewBindings: true, evolveIncompatibleCollections: true },
      endpoint: { connector: { image: IMAGE, config: {} } },
      bindings: [{ resource: { stream: "a" }, target: "acmeCo/a", disable: true, backfill: 2 }],
      interval: "10m",
      shards: { disable: true, maxTxnDuration: "1s", hotStandbys: 1, logLevel: "debug" },
      expectPubId: "0123456789abcdef",
      delete: true,
      reset: true,
      redactSalt: "c2FsdA==",
    });
  });

  it("takes autoDiscover as a boolean", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/on", { image: IMAGE, autoDiscover: true });
    cat.capture("acmeCo/off", { image: IMAGE, autoDiscover: false });
    assert.deepEqual(cat.getSpec("capture", "acmeCo/on").autoDiscover, {});
    assert.equal(cat.getSpec("capture", "acmeCo/off").autoDiscover, undefined);
  });

  it("takes a local command", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/src", {
      local: { command: ["python", "main.py"], config: { a: 1 }, env: { LOG: "debug" }, protobuf: true },
    });
    assert.deepEqual(cat.getSpec("capture", "acmeCo/src").endpoint, {
      local: { command: ["python", "main.py"], config: { a: 1 }, env: { LOG: "debug" }, protobuf: true },
    });
  });

  it("chains bindings, which keep their order", () => {
    const cat = new Catalog();
    const c = cat.capture("acmeCo/src", { image: IMAGE });
    const same = c
      .binding({ resource: { stream: "b" }, target: "acmeCo/b" })
      .binding({ resource: "resource.yaml", target: "acmeCo/a", disable: true, backfill: 1 });
    assert.equal(same, c);
    assert.deepEqual(c.spec.bindings, [
      { resource: { stream: "b" }, target: "acmeCo/b" },
      { resource: "resource.yaml", target: "acmeCo/a", disable: true, backfill: 1 },
    ]);
  });
});

describe("collection", () => {
  it("takes a schema and a key and returns a handle", () => {
    const cat = new Catalog();
    const c = cat.collection("acmeCo/orders", { schema: SCHEMA, key: ["/id"] });
    assert.ok(c instanceof flowspec.Collection);
    assert.equal(c.name, "acmeCo/orders");
    assert.deepEqual(c.spec, { schema: SCHEMA, key: ["/id"] });
  });

  it("takes every other option", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/orders", {
      writeSchema: SCHEMA,
      readSchema: "orders.read.schema.yaml",
      key: ["/id", "/region"],
      projections: { region: { location: "/region", partition: true }, ident: "/id" },
      journals: { fragments: { length: 512, compressionCodec: "ZSTANDARD", retention: "720h", flushInterval: "24h" } },
      expectPubId: "0123456789abcdef",
      delete: true,
    });
    assert.deepEqual(cat.getSpec("collection", "acmeCo/orders"), {
      writeSchema: SCHEMA,
      readSchema: "orders.read.schema.yaml",
      key: ["/id", "/region"],
      projections: { ident: "/id", region: { location: "/region", partition: true } },
      journals: { fragments: { length: 512, compressionCodec: "ZSTANDARD", retention: "720h", flushInterval: "24h" } },
      expectPubId: "0123456789abcdef",
      delete: true,
    });
  });

  it("takes a boolean schema", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/any", { schema: true, key: ["/id"] });
    assert.equal(cat.getSpec("collection", "acmeCo/any").schema, true);
  });
});

describe("derivation", () => {
  const base = { schema: SCHEMA, key: ["/id"] };
  const using = (options) => {
    const cat = new Catalog();
    cat.derivation("acmeCo/d", { ...base, ...options });
    return cat.getSpec("collection", "acmeCo/d").derive.using;
  };

  it("takes each runtime", () => {
    assert.deepEqual(using({ typescript: "d.flow.ts" }), { typescript: { module: "d.flow.ts" } });
    assert.deepEqual(using({ typescript: { module: "d.flow.ts" } }), { typescript: { module: "d.flow.ts" } });
    assert.deepEqual(using({ sqlite: [] }), { sqlite: { migrations: [] } });
    assert.deepEqual(using({ sqlite: ["CREATE TABLE t (x);", "m.sql"] }), {
      sqlite: { migrations: ["CREATE TABLE t (x);", "m.sql"] },
    });
    assert.deepEqual(using({ sqlite: { migrations: ["m.sql"] } }), { sqlite: { migrations: ["m.sql"] } });
    assert.deepEqual(using({ python: "d.flow.py" }), { python: { module: "d.flow.py" } });
    assert.deepEqual(using({ python: { module: "d.flow.py", dependencies: { requests: ">=2" } } }), {
      python: { module: "d.flow.py", dependencies: { requests: ">=2" } },
    });
    assert.deepEqual(using({ connector: { image: "ghcr.io/acme/derive:v1", config: { a: 1 } } }), {
      connector: { image: "ghcr.io/acme/derive:v1", config: { a: 1 } },
    });
    assert.deepEqual(using({ local: { command: ["./derive"], config: {} } }), {
      local: { command: ["./derive"], config: {} },
    });
    assert.deepEqual(using({ using: { sqlite: { migrations: [] } } }), { sqlite: { migrations: [] } });
  });

  it("returns a handle whose transforms chain", () => {
    const cat = new Catalog();
    const d = cat.derivation("acmeCo/d", { ...base, sqlite: [] });
    assert.ok(d instanceof flowspec.Derivation);
    const same = d
      .transform({ name: "fromA", source: "acmeCo/a", shuffle: ["/id"], lambda: "SELECT 1;" })
      .transform({ name: "fromB", source: "acmeCo/b", shuffle: "any" });
    assert.equal(same, d);
    assert.deepEqual(d.spec.derive.transforms, [
      { name: "fromA", source: "acmeCo/a", shuffle: { key: ["/id"] }, lambda: "SELECT 1;" },
      { name: "fromB", source: "acmeCo/b", shuffle: "any" },
    ]);
  });

  it("takes every transform option", () => {
    const cat = new Catalog();
    cat
      .derivation("acmeCo/d", { ...base, sqlite: [] })
      .transform({
        name: "fromA",
        source: "acmeCo/a",
        partitions: { include: { region: ["EU"] }, exclude: { kind: ["test"] } },
        notBefore: "2024-01-01T00:00:00Z",
        notAfter: "2024-12-31T00:00:00Z",
        shuffle: { lambda: "SELECT $id;" },
        lambda: "SELECT 1;",
        priority: 2,
        readDelay: "1h",
        disable: true,
        backfill: 3,
      })
      .transform({ name: "fromB", source: { name: "acmeCo/b", notBefore: "2024-01-01T00:00:00Z" }, shuffle: { key: ["/x"] } });
    assert.deepEqual(cat.getSpec("collection", "acmeCo/d").derive.transforms, [
      {
        name: "fromA",
        source: {
          name: "acmeCo/a",
          partitions: { include: { region: ["EU"] }, exclude: { kind: ["test"] } },
          notBefore: "2024-01-01T00:00:00Z",
          notAfter: "2024-12-31T00:00:00Z",
        },
        shuffle: { lambda: "SELECT $id;" },
        priority: 2,
        readDelay: "1h",
        lambda: "SELECT 1;",
        disable: true,
        backfill: 3,
      },
      { name: "fromB", source: { name: "acmeCo/b", notBefore: "2024-01-01T00:00:00Z" }, shuffle: { key: ["/x"] } },
    ]);
  });

  it("takes transforms, shuffle key types, shards and a salt as options", () => {
    const cat = new Catalog();
    cat.derivation("acmeCo/d", {
      ...base,
      typescript: "d.flow.ts",
      transforms: [{ name: "fromA", source: "acmeCo/a", shuffle: ["/id"] }],
      shuffleKeyTypes: ["string"],
      shards: { logLevel: "warn" },
      redactSalt: "c2FsdA==",
      projections: { ident: "/id" },
      expectPubId: "0123456789abcdef",
    });
    const spec = cat.getSpec("collection", "acmeCo/d");
    assert.deepEqual(spec.derive, {
      using: { typescript: { module: "d.flow.ts" } },
      transforms: [{ name: "fromA", source: "acmeCo/a", shuffle: { key: ["/id"] } }],
      shuffleKeyTypes: ["string"],
      shards: { logLevel: "warn" },
      redactSalt: "c2FsdA==",
    });
    assert.deepEqual(spec.projections, { ident: "/id" });
    assert.equal(spec.expectPubId, "0123456789abcdef");
  });
});

describe("materialization", () => {
  it("takes image and config, and chains bindings", () => {
    const cat = new Catalog();
    const m = cat.materialization("acmeCo/dst", { image: "ghcr.io/estuary/materialize-postgres:v1", config: { a: 1 } });
    assert.ok(m instanceof flowspec.Materialization);
    const same = m
      .binding({ resource: { table: "a" }, source: "acmeCo/a" })
      .binding({ resource: { table: "b" }, source: "acmeCo/b" });
    assert.equal(same, m);
    assert.deepEqual(m.spec, {
      endpoint: { connector: { image: "ghcr.io/estuary/materialize-postgres:v1", config: { a: 1 } } },
      bindings: [
        { resource: { table: "a" }, source: "acmeCo/a" },
        { resource: { table: "b" }, source: "acmeCo/b" },
      ],
    });
  });

  it("takes dekaf or local endpoints", () => {
    const cat = new Catalog();
    cat.materialization("acmeCo/dekaf", { dekaf: { variant: "clickhouse", config: {} } });
    cat.materialization("acmeCo/local", { local: { command: ["./sink"], config: {} } });
    assert.deepEqual(cat.getSpec("materialization", "acmeCo/dekaf").endpoint, {
      dekaf: { variant: "clickhouse", config: {} },
    });
    assert.deepEqual(cat.getSpec("materialization", "acmeCo/local").endpoint, {
      local: { command: ["./sink"], config: {} },
    });
  });

  it("takes every other option", () => {
    const cat = new Catalog();
    cat.materialization("acmeCo/a", {
      image: "i:v1",
      sourceCapture: "acmeCo/src",
      onIncompatibleSchemaChange: "disableBinding",
      bindings: [{ resource: { table: "x" }, source: "acmeCo/x" }],
      shards: { disable: true },
      expectPubId: "0123456789abcdef",
      delete: true,
    });
    cat.materialization("acmeCo/b", {
      image: "i:v1",
      source: { capture: "acmeCo/src", targetNaming: "withSchema", deltaUpdates: true, fieldsRecommended: 2 },
    });
    assert.deepEqual(cat.getSpec("materialization", "acmeCo/a"), {
      source: "acmeCo/src",
      onIncompatibleSchemaChange: "disableBinding",
      endpoint: { connector: { image: "i:v1", config: {} } },
      bindings: [{ resource: { table: "x" }, source: "acmeCo/x" }],
      shards: { disable: true },
      expectPubId: "0123456789abcdef",
      delete: true,
    });
    assert.deepEqual(cat.getSpec("materialization", "acmeCo/b").source, {
      capture: "acmeCo/src",
      targetNaming: "withSchema",
      deltaUpdates: true,
      fieldsRecommended: 2,
    });
  });

  it("takes every binding option", () => {
    const cat = new Catalog();
    cat
      .materialization("acmeCo/dst", { image: "i:v1" })
      .binding({
        resource: { table: "a" },
        source: "acmeCo/a",
        partitions: { include: { region: ["EU"] } },
        notBefore: "2024-01-01T00:00:00Z",
        notAfter: "2024-02-01T00:00:00Z",
        fields: { groupBy: ["id"], require: { total: { castToString: true } }, exclude: ["notes"], recommended: false },
        priority: 1,
        backfill: 2,
        disable: true,
        onIncompatibleSchemaChange: "abort",
      })
      .binding({ resource: { table: "b" }, source: "acmeCo/b", fields: { include: { x: {} } } })
      .binding({ resource: { table: "c" }, source: "acmeCo/c", fields: { recommended: 1 } });
    assert.deepEqual(cat.getSpec("materialization", "acmeCo/dst").bindings, [
      {
        resource: { table: "a" },
        source: {
          name: "acmeCo/a",
          partitions: { include: { region: ["EU"] } },
          notBefore: "2024-01-01T00:00:00Z",
          notAfter: "2024-02-01T00:00:00Z",
        },
        disable: true,
        priority: 1,
        fields: { groupBy: ["id"], require: { total: { castToString: true } }, exclude: ["notes"], recommended: false },
        backfill: 2,
        onIncompatibleSchemaChange: "abort",
      },
      { resource: { table: "b" }, source: "acmeCo/b", fields: { require: { x: {} }, recommended: true } },
      { resource: { table: "c" }, source: "acmeCo/c", fields: { recommended: 1 } },
    ]);
  });
});

describe("test", () => {
  it("takes no options, and chains steps in order", () => {
    const cat = new Catalog();
    const t = cat.test("acmeCo/tests/t");
    assert.ok(t instanceof flowspec.Test);
    const same = t
      .ingest({ collection: "acmeCo/a", documents: [{ id: 1 }], description: "first" })
      .verify({ collection: "acmeCo/b", documents: "expected.json" })
      .ingest({ collection: "acmeCo/a", documents: "more.json" })
      .verify({ collection: { name: "acmeCo/b" }, documents: [], partitions: { include: { region: ["EU"] } }, description: "last" });
    assert.equal(same, t);
    assert.deepEqual(t.spec, {
      steps: [
        { ingest: { description: "first", collection: "acmeCo/a", documents: [{ id: 1 }] } },
        { verify: { collection: "acmeCo/b", documents: "expected.json" } },
        { ingest: { collection: "acmeCo/a", documents: "more.json" } },
        {
          verify: {
            description: "last",
            collection: { name: "acmeCo/b", partitions: { include: { region: ["EU"] } } },
            documents: [],
          },
        },
      ],
    });
  });

  it("takes every option", () => {
    const cat = new Catalog();
    cat.test("acmeCo/tests/t", {
      description: "A test.",
      steps: [{ ingest: { collection: "acmeCo/a", documents: [] } }],
      expectPubId: "0123456789abcdef",
      delete: true,
    });
    assert.deepEqual(cat.getSpec("test", "acmeCo/tests/t"), {
      description: "A test.",
      steps: [{ ingest: { collection: "acmeCo/a", documents: [] } }],
      expectPubId: "0123456789abcdef",
      delete: true,
    });
  });

  it("adds verify partitions to a collection given as an object", () => {
    const cat = new Catalog();
    cat
      .test("acmeCo/tests/t")
      .verify({ collection: { name: "acmeCo/b", notBefore: "2024-01-01T00:00:00Z" }, documents: [], partitions: { exclude: { r: ["x"] } } });
    assert.deepEqual(cat.getSpec("test", "acmeCo/tests/t").steps[0].verify.collection, {
      name: "acmeCo/b",
      partitions: { exclude: { r: ["x"] } },
      notBefore: "2024-01-01T00:00:00Z",
    });
  });
});

describe("names", () => {
  it("lists each kind, sorted", () => {
    const cat = new Catalog();
    cat.collection("acmeCo/b", { schema: SCHEMA, key: ["/id"] });
    cat.derivation("acmeCo/a", { schema: SCHEMA, key: ["/id"], sqlite: [] });
    cat.capture("acmeCo/c", { image: IMAGE });
    cat.materialization("acmeCo/m", { image: IMAGE });
    cat.test("acmeCo/t");
    assert.deepEqual(cat.names("collection"), ["acmeCo/a", "acmeCo/b"]);
    assert.deepEqual(cat.names("collections"), ["acmeCo/a", "acmeCo/b"]);
    assert.deepEqual(cat.names("capture"), ["acmeCo/c"]);
    assert.deepEqual(cat.names("materialization"), ["acmeCo/m"]);
    assert.deepEqual(cat.names("test"), ["acmeCo/t"]);
    assert.deepEqual(new Catalog().names("capture"), []);
  });
});
