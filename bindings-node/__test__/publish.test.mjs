// Publishing through the binding, against a real local control plane over
// loopback HTTP: publish, prune, pull back, test remotely, expectPubId
// conflicts, and the errors of each call.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { inspect } from "node:util";

import { Catalog, FlowspecError, flowspec, tempDir, throwsCode } from "./helpers.mjs";

const { LocalControlPlane, listSpecs, pullSpecs, secret } = flowspec;

const SCHEMA = { type: "object", properties: { id: { type: "string" } }, required: ["id"] };

function small() {
  const cat = new Catalog();
  cat
    .capture("acmeCo/source-hello", {
      image: "ghcr.io/estuary/source-hello-world:dev",
      config: { rate: 1, token: secret("hunter2") },
    })
    .binding({ resource: { name: "greetings" }, target: "acmeCo/greetings" });
  cat.collection("acmeCo/greetings", { schema: SCHEMA, key: ["/id"] });
  return cat;
}

/** Asserts that `promise` rejects with a FlowspecError of `code`; returns it. */
async function rejectsCode(promise, code) {
  let thrown;
  await assert.rejects(promise, (e) => {
    thrown = e;
    return true;
  });
  assert.ok(thrown instanceof FlowspecError, `${thrown}`);
  assert.equal(thrown.code, code, thrown.message);
  return thrown;
}

describe("LocalControlPlane", () => {
  it("starts, stops, and never shows its token", () => {
    const plane = new LocalControlPlane();
    assert.equal(String(plane), "LocalControlPlane(stopped)");
    throwsCode(() => plane.pgUrl, "local_control_plane_failed", /not running/);
    plane.start();
    try {
      assert.ok(plane.running);
      assert.match(plane.pgUrl, /^http:\/\/127\.0\.0\.1:\d+\/rest\/v1$/);
      assert.ok(!String(plane).includes(plane.flowAuthToken));
      assert.ok(!inspect(plane).includes(plane.flowAuthToken));
      assert.equal(plane.options().pgUrl, plane.pgUrl);
    } finally {
      plane.stop();
    }
    assert.ok(!plane.running);
    plane.stop();
  });

  it("refuses options it does not know", () => {
    assert.throws(() => new LocalControlPlane({ pgPrt: 1 }), /unknown option `pgPrt`.*pgPort/);
    assert.throws(() => new LocalControlPlane({ pgPort: 70000 }), /must be a port number/);
  });
});

describe("publishing", () => {
  let plane;
  before(() => {
    plane = new LocalControlPlane();
    plane.start();
  });
  after(() => plane.stop());

  it("publishes, prunes what is unchanged, lists, and pulls back", async (t) => {
    const cat = small();
    const published = await cat.publish({ controlPlane: plane });
    assert.equal(published.status, "success");
    assert.equal(published.dryRun, false);
    assert.match(published.pubId, /^[0-9a-f]{16}$/);
    assert.deepEqual(published.specs.map((s) => s.catalogName).sort(), ["acmeCo/greetings", "acmeCo/source-hello"]);

    // Again: the collection is pruned; the capture's config is encrypted
    // anew by the control plane's service, so it is published again.
    const again = await cat.publish({ controlPlane: plane.options() });
    assert.equal(again.status, "success");
    assert.deepEqual(again.pruned, ["acmeCo/greetings"]);

    const listed = await listSpecs({ controlPlane: plane, prefixes: ["acmeCo/"] });
    assert.deepEqual(
      listed.map((s) => [s.catalogName, s.catalogType, s.lastPubId]),
      [
        ["acmeCo/greetings", "collection", published.pubId],
        ["acmeCo/source-hello", "capture", again.pubId],
      ],
    );

    const target = join(tempDir(t), "flow.yaml");
    const pulled = await pullSpecs({ controlPlane: plane, prefixes: ["acmeCo"], target, flat: true });
    assert.equal(pulled.written, 2);
    const text = readFileSync(target, "utf8");
    assert.ok(!text.includes("hunter2"), "the secret is never in plaintext");
    const back = Catalog.load(target);
    assert.equal(back.getSpec("collection", "acmeCo/greetings").expectPubId, published.pubId);
    const config = back.getSpec("capture", "acmeCo/source-hello").endpoint.connector.config;
    assert.match(config.token_sops, /^ENC\[AES256_GCM,/);
    // What was pulled is what is live: publishing it publishes nothing.
    const unchanged = await back.publish({ controlPlane: plane, source: target });
    assert.equal(unchanged.status, "nothingToPublish");
    assert.deepEqual(unchanged.pruned, ["acmeCo/greetings", "acmeCo/source-hello"]);
  });

  it("tests remotely without applying anything", async () => {
    const cat = new Catalog();
    cat.collection("acmeCo/tested", { schema: SCHEMA, key: ["/id"] });
    const tested = await cat.testRemote({ controlPlane: plane });
    assert.equal(tested.dryRun, true);
    assert.equal(tested.pubId, null);
    await rejectsCode(listSpecs({ controlPlane: plane, names: ["acmeCo/tested"] }), "live_spec_not_found");
  });

  it("refuses an invalid catalog before sending anything", async () => {
    const cat = new Catalog();
    cat.collection("acmeCo/bad", { schema: { type: "object" }, key: [] });
    const err = await rejectsCode(cat.publish({ controlPlane: plane }), "validation");
    assert.equal(err.diagnostics[0].code, "key_empty");
  });

  it("reports a stale expectPubId as the control plane's failure", async () => {
    const cat = new Catalog();
    cat.collection("acmeCo/greetings", { schema: { ...SCHEMA, title: "changed" }, key: ["/id"], expectPubId: "0000000000000001" });
    const err = await rejectsCode(cat.publish({ controlPlane: plane }), "publication_failed");
    assert.match(err.message, /expectPubIdMismatch/);
  });

  it("rejects bad options and tokens with clear errors", async () => {
    await rejectsCode(small().publish({ controlPlane: { pgUrl: "x" } }), "invalid_spec");
    await assert.rejects(small().publish({ nope: 1 }), /unknown option `nope`/);
    const bad = { pgUrl: "http://127.0.0.1:9/rest/v1", agentUrl: "http://127.0.0.1:9/", configEncryptionUrl: "http://127.0.0.1:9/", authToken: "garbage-token-xyz" };
    const err = await rejectsCode(small().publish({ controlPlane: bad }), "auth_token_invalid");
    assert.ok(!err.message.includes("garbage-token-xyz"));
  });
});

describe("Catalog.plan", () => {
  let plane;
  before(() => {
    plane = new LocalControlPlane();
    plane.start();
  });
  after(() => plane.stop());

  it("shows what a publication would change, secrets by name only", async () => {
    const cat = small();
    let plan = await cat.plan({ controlPlane: plane });
    assert.equal(plan.hasChanges, true);
    assert.deepEqual(
      plan.specs.map((s) => [s.catalogName, s.specType, s.action]),
      [
        ["acmeCo/greetings", "collection", "create"],
        ["acmeCo/source-hello", "capture", "create"],
      ],
    );
    const published = await cat.publish({ controlPlane: plane });
    // A catalog made in code has no files whose expectPubId to update.
    assert.deepEqual(published.updatedFiles, []);
    for (let i = 0; i < 2; i++) {
      plan = await cat.plan({ controlPlane: plane });
      assert.equal(plan.hasChanges, false, plan.report);
      assert.equal(plan.summary, "Plan: 0 to create, 0 to change, 0 to delete, 2 unchanged.");
    }

    const edited = new Catalog();
    edited
      .capture("acmeCo/source-hello", {
        image: "ghcr.io/estuary/source-hello-world:dev",
        config: { rate: 2, token: secret("hunter2"), apiKey: secret("sk_live_1") },
      })
      .binding({ resource: { name: "greetings" }, target: "acmeCo/greetings" });
    edited.collection("acmeCo/greetings", { schema: SCHEMA, key: ["/id"] });
    plan = await edited.plan({ controlPlane: plane });
    assert.deepEqual(plan.specs[1].changes, [
      { ptr: "/endpoint/connector/config/apiKey", kind: "secretAdded" },
      { ptr: "/endpoint/connector/config/rate", kind: "changed", old: 1, new: 2 },
    ]);
    assert.ok(!JSON.stringify(plan).includes("sk_live_1"));
    assert.equal(
      plan.report,
      "~ capture acmeCo/source-hello\n" +
        "    /endpoint/connector/config/apiKey: secret field added\n" +
        "    /endpoint/connector/config/rate: 1 → 2\n\n" +
        "Plan: 0 to create, 1 to change, 0 to delete, 1 unchanged.\n",
    );
  });

  it("refuses options it does not know", async () => {
    await rejectsCode(small().plan({ controlPlane: plane, keepSops: true }), "invalid_spec");
  });
});
