// The option and spec types of index.d.ts are generated from the core's
// JSON schema: each interface has exactly the options the core decodes,
// as the core lists them when it meets an unknown one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { ageKeygen, Catalog, decrypt, decryptFile, encrypt, encryptFile } from "../index.js";

const DTS = readFileSync(new URL("../index.d.ts", import.meta.url), "utf8");

/** The property names of `export interface name { ... }` in index.d.ts. */
function properties(name) {
  const body = DTS.match(new RegExp(`^export interface ${name} \\{\\n([\\s\\S]*?)^\\}`, "m"));
  assert.ok(body, `index.d.ts declares interface ${name}`);
  return [...body[1].matchAll(/^ {2}(\w+)\??: /gm)].map((m) => m[1]);
}

/** The names the core expected, from the error of an unknown option `~`. */
function expected(call) {
  let message;
  assert.throws(call, (e) => {
    message = e.message;
    return e.code === "invalid_spec";
  });
  assert.match(message, /unknown (option|field) `~`, expected /);
  return [...message.split(/expected /)[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

function fixture() {
  const cat = new Catalog();
  const capture = cat.capture("acmeCo/c", { image: "i" });
  const derivation = cat.derivation("acmeCo/d", { schema: true, key: ["/id"], sqlite: [] });
  const materialization = cat.materialization("acmeCo/m", { image: "i" });
  const test = cat.test("acmeCo/t");
  return { cat, capture, derivation, materialization, test };
}

describe("generated types", () => {
  const bad = { "~": 1 };
  const { cat, capture, derivation, materialization, test } = fixture();
  const cases = [
    ["CatalogOptions", () => new Catalog(bad)],
    ["LoadOptions", () => Catalog.load("flow.yaml", bad)],
    ["WriteOptions", () => cat.write("x/flow.yaml", bad)],
    ["RenderOptions", () => cat.toYaml(bad)],
    ["DecryptSecretsOptions", () => cat.decryptSecrets(bad)],
    ["CaptureOptions", () => cat.capture("acmeCo/c2", bad)],
    ["CaptureBinding", () => capture.binding(bad)],
    ["CollectionOptions", () => cat.collection("acmeCo/x", bad)],
    ["DerivationOptions", () => cat.derivation("acmeCo/d2", bad)],
    ["TransformOptions", () => derivation.transform(bad)],
    // `source` is the older spelling of `sourceCapture`.
    ["MaterializationOptions", () => cat.materialization("acmeCo/m2", bad), ["source"]],
    ["MaterializationBindingOptions", () => materialization.binding(bad)],
    ["TestOptions", () => cat.test("acmeCo/t2", bad)],
    ["IngestOptions", () => test.ingest(bad)],
    ["VerifyOptions", () => test.verify(bad)],
    ["EncryptOptions", () => encrypt({}, bad)],
    ["EncryptFileOptions", () => encryptFile("x.yaml", bad)],
    ["DecryptOptions", () => decrypt({}, bad)],
    ["DecryptFileOptions", () => decryptFile("x.yaml", bad)],
    ["AgeKeygenOptions", () => ageKeygen("k.txt", bad)],
    ["CaptureDef", () => cat.setSpec("capture", "acmeCo/c", bad)],
    ["CollectionDef", () => cat.setSpec("collection", "acmeCo/x", bad)],
    // and the model's `source` was `sourceCapture`.
    ["MaterializationDef", () => cat.setSpec("materialization", "acmeCo/m", bad), ["sourceCapture"]],
    ["TestDef", () => cat.setSpec("test", "acmeCo/t", bad)],
  ];
  for (const [name, call, aliases = []] of cases) {
    it(`${name} has the options the core decodes`, () => {
      const core = expected(call).filter((n) => !aliases.includes(n));
      assert.deepEqual(properties(name), core);
    });
  }

  it("the methods take the generated types", () => {
    for (const signature of [
      "capture(name: string, options: CaptureOptions): Capture",
      "binding(options: CaptureBinding): this",
      "binding(options: MaterializationBindingOptions): this",
      "transform(options: TransformOptions): this",
      "get spec(): CaptureDef",
      "write(path: string, options?: WriteOptions)",
      "toYaml(options?: RenderOptions): string",
    ]) {
      assert.ok(DTS.includes(signature), signature);
    }
    assert.match(DTS, /^export interface Specs \{\n {2}capture: CaptureDef\n {2}collection: CollectionDef\n {2}materialization: MaterializationDef\n {2}test: TestDef\n\}/m);
  });
});
