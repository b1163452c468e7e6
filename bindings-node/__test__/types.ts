// Type test: compiled with `tsc --strict` (npm run typecheck), never run.
// Each `@ts-expect-error` line proves that a wrong call is rejected: tsc
// fails if the line below it compiles.

import {
  ageKeygen,
  Catalog,
  decrypt,
  decryptFile,
  encrypt,
  encryptFile,
  Secret,
  secret,
  type Capture,
  type CaptureDef,
  type CollectionDef,
  type Derivation,
  type Diagnostic,
  FlowspecError,
  codes,
  type CodeGroup,
  type CodeInfo,
  type ErrorCode,
  type JsonObject,
  type JsonValue,
  type Kind,
  type Materialization,
  type Test,
} from "../index.js";

const cat = new Catalog();

// Every DSL call, chained, type-checks.
const capture: Capture = cat
  .capture("acmeCo/src", { image: "ghcr.io/estuary/source-postgres:v1", config: { address: "db:5432" }, interval: "10m" })
  .binding({ resource: { stream: "a" }, target: "acmeCo/a" })
  .binding({ resource: "resource.yaml", target: "acmeCo/b", backfill: 1 });
cat.collection("acmeCo/a", { schema: { type: "object" }, key: ["/id"], projections: { p: "/p", q: { location: "/q", partition: true } } });
const derivation: Derivation = cat
  .derivation("acmeCo/d", { schema: true, key: ["/id"], sqlite: [] })
  .transform({ name: "t", source: "acmeCo/a", shuffle: ["/id"], lambda: "SELECT 1;" })
  .transform({ name: "u", source: { name: "acmeCo/b", notBefore: "2024-01-01T00:00:00Z" }, shuffle: "any" });
cat.derivation("acmeCo/ts", { schema: true, key: ["/id"], typescript: { module: "m.ts" }, shuffleKeyTypes: ["string"] });
cat.derivation("acmeCo/u", { schema: true, key: ["/id"], using: { python: { module: "m.py" } } });
const materialization: Materialization = cat
  .materialization("acmeCo/m", { image: "i:v1", config: {}, onIncompatibleSchemaChange: "disableTask" })
  .binding({ resource: { table: "a" }, source: "acmeCo/a", fields: { recommended: 2, exclude: ["x"] } });
const test: Test = cat
  .test("acmeCo/t", { description: "d" })
  .ingest({ collection: "acmeCo/a", documents: [{ id: 1, tags: ["x"], nested: { ok: null } }] })
  .verify({ collection: "acmeCo/d", documents: "expected.yaml", partitions: { include: { r: ["EU"] } } });
void [capture, derivation, materialization, test];

// Catalog operations.
const warnings: Diagnostic[] = cat.validate();
const severity: "error" | "warning" | undefined = warnings[0]?.severity;
const files: string[] = cat.write("out/flow.yaml", { layout: "canonical" });
const yaml: string = cat.toYaml() + cat.toJson() + String(cat.bundle());
const loaded: Catalog = Catalog.load("flow.yaml");
void [severity, files, yaml, loaded];

// Specs are typed by kind.
const spec: CaptureDef | undefined = cat.getSpec("capture", "acmeCo/src");
if (spec) {
  spec.interval = "1h";
  cat.setSpec("capture", "acmeCo/src", spec).setSpec("collection", "acmeCo/x", { schema: true, key: ["/id"] });
}
const collection: CollectionDef = derivation.spec;
collection.key.push("/other");
derivation.spec = collection;
const kinds: Kind[] = ["capture", "collection", "materialization", "test"];
const removed: boolean = cat.removeSpec(kinds[0] ?? "test", "acmeCo/src");
const names: string[] = cat.names("collection");
void [removed, names];

// JSON values: type aliases and literals are JsonObjects.
type Config = { host: string; port: number; tls: boolean | null; tags: readonly string[] };
const config: Config = { host: "db", port: 5432, tls: null, tags: ["a"] };
cat.capture("acmeCo/typed", { image: "i", config });
const schema = { type: "object", properties: {} } satisfies JsonObject;
cat.collection("acmeCo/typed", { schema, key: ["/id"] });
// Integers of any size are BigInts, both ways.
const offset: JsonValue = 2n ** 64n;
cat.capture("acmeCo/big", { image: "i", config: { offset, ids: [1n, 2, -(10n ** 30n)] } });
const endpoint = cat.getSpec("capture", "acmeCo/big")?.endpoint;
const bigConfig = endpoint && "connector" in endpoint ? endpoint.connector.config : undefined;
const read: JsonValue | undefined = typeof bigConfig === "object" ? bigConfig["offset"] : undefined;
if (typeof read === "bigint") {
  const digits: string = read.toString();
  void digits;
}

// Errors carry a code and, for validation, diagnostics.
try {
  cat.validate();
} catch (e) {
  const err = e as FlowspecError;
  const code: string = err.code;
  const scopes: string[] = (err.diagnostics ?? []).map((d) => d.scope);
  void [code, scopes];
}

// Secrets: in configs, and the sops functions.
const password: Secret = secret("hunter2");
const revealed: JsonValue = password.reveal();
cat.capture("acmeCo/secret", { image: "i", config: { user: "flow", password, nested: { key: new Secret({ pem: "k" }) } } });
const recipient: string = ageKeygen("keys.txt", { overwrite: true }) + ageKeygen();
cat.write("flow.yaml", { layout: "canonical", recipients: [recipient], plaintextSecrets: false });
const rendered: string = cat.toYaml({ recipients: [recipient] }) + cat.toJson({ plaintextSecrets: true });
const decrypted: number = cat.decryptSecrets({ identity: "AGE-SECRET-KEY-1..." }) + cat.decryptSecrets();
const opened: Catalog = Catalog.load("flow.yaml", { decrypt: true, keyFile: "keys.txt" });
const sealed: JsonObject = encrypt({ password_sops: "x", n: 1 }, { recipients: [recipient], encryptedSuffix: "_sops", macOnlyEncrypted: true });
const plain: JsonObject = decrypt(sealed, { identity: "AGE-SECRET-KEY-1...", stripSuffix: true });
const text: string = encryptFile("config.yaml", { recipients: [recipient], unencryptedRegex: "^public", inputType: "yaml", inPlace: true });
const file: JsonObject = decryptFile("config.sops.json", { keyFile: "keys.txt", inputType: "json" });
void [revealed, rendered, decrypted, opened, plain, text, file];

// ---------------------------------------------------------------------------
// Wrong calls.

// @ts-expect-error: misspelled option
cat.capture("acmeCo/x", { imgae: "i" });
// @ts-expect-error: misspelled option of a binding
capture.binding({ resource: {}, targt: "acmeCo/a" });
// @ts-expect-error: config must be JSON, not a function
cat.capture("acmeCo/x", { image: "i", config: { f: () => 1 } });
// @ts-expect-error: config must be an object or a file URL
cat.capture("acmeCo/x", { image: "i", config: 5 });
// @ts-expect-error: image is a string
cat.capture("acmeCo/x", { image: 5 });
// @ts-expect-error: options are required
cat.collection("acmeCo/x");
// @ts-expect-error: key is required
cat.collection("acmeCo/x", { schema: true });
// @ts-expect-error: key is a list of pointers
cat.collection("acmeCo/x", { schema: true, key: "/id" });
// @ts-expect-error: a Date is not JSON
cat.collection("acmeCo/x", { schema: { default: new Date() }, key: ["/id"] });
// @ts-expect-error: the runtime is a module, not a number
cat.derivation("acmeCo/x", { schema: true, key: ["/id"], typescript: 1 });
// @ts-expect-error: unknown shuffle
derivation.transform({ name: "t", source: "acmeCo/a", shuffle: "all" });
// @ts-expect-error: transform needs a source
derivation.transform({ name: "t" });
// @ts-expect-error: unknown incompatible-schema-change policy
cat.materialization("acmeCo/x", { image: "i", onIncompatibleSchemaChange: "ignore" });
// @ts-expect-error: recommended is a boolean or a depth
materialization.binding({ resource: {}, source: "acmeCo/a", fields: { recommended: "yes" } });
// @ts-expect-error: documents are JSON values or a URL
test.ingest({ collection: "acmeCo/a", documents: [Symbol("x")] });
// @ts-expect-error: verify needs documents
test.verify({ collection: "acmeCo/a" });
// @ts-expect-error: unknown layout
cat.write("flow.yaml", { layout: "split" });
// @ts-expect-error: unknown kind
cat.getSpec("captures2", "acmeCo/x");
// @ts-expect-error: a capture spec is not a collection spec
cat.setSpec("collection", "acmeCo/x", { endpoint: { connector: { image: "i", config: {} } }, bindings: [] });
// @ts-expect-error: getSpec may return undefined
cat.getSpec("collection", "acmeCo/a").key;
// @ts-expect-error: a handle's name is read-only
capture.name = "acmeCo/other";
// @ts-expect-error: binding is not a method of a collection handle
cat.collection("acmeCo/y", { schema: true, key: ["/id"] }).binding({});
// @ts-expect-error: a Test has no transform
test.transform({ name: "t", source: "acmeCo/a" });
// @ts-expect-error: a secret's value is JSON, not undefined
secret(undefined);
// @ts-expect-error: recipients are a list
cat.write("flow.yaml", { recipients: "age1..." });
// @ts-expect-error: unknown render option
cat.toYaml({ layout: "flat" });
// @ts-expect-error: misspelled load option
Catalog.load("flow.yaml", { decrpyt: true });
// @ts-expect-error: decryptSecrets has no stripSuffix
cat.decryptSecrets({ stripSuffix: true });
// @ts-expect-error: misspelled encrypt option
encrypt({ a: 1 }, { encryptedSufix: "_sops" });
// @ts-expect-error: a document is an object
encrypt("text", {});
// @ts-expect-error: documents have no inputType
decrypt({ a: 1 }, { inputType: "json" });
// @ts-expect-error: unknown file format
decryptFile("config.toml", { inputType: "toml" });
// @ts-expect-error: overwrite is a boolean
ageKeygen("keys.txt", { overwrite: "yes" });
// @ts-expect-error: reveal gives JSON, not a string
const revealedString: string = password.reveal();
void revealedString;

// Errors: `instanceof FlowspecError` narrows to the error with its typed code.
try {
  new Catalog().capture("bad", { image: "i" });
} catch (err) {
  if (err instanceof FlowspecError) {
    const code: ErrorCode = err.code;
    const diagnostics: Diagnostic[] | undefined = err.diagnostics;
    const path: string | undefined = err.path;
    void [code, diagnostics, path];
    // @ts-expect-error: not a code of the registry
    if (err.code === "invalid_value") void 0;
  }
}
const described: CodeInfo = codes.invalid_name;
const group: CodeGroup = codes.sops_io.group;
void [described, group];
// @ts-expect-error: not a code of the registry
void codes.invalid_value;
