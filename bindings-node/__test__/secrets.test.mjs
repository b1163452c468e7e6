// Secrets: the `Secret` marker, sops with age (`encrypt`, `decrypt`,
// `encryptFile`, `decryptFile`, `ageKeygen`), and catalogs whose configs
// hold secrets.
//
// What flowspec writes is checked by components other than flowspec:
// - the npm package `sops-age` decrypts every value (it does not check the
//   MAC, and it drops all-digit keys from a value's additional data, so the
//   documents here have no key like "5432");
// - Debian's `age` CLI unwraps each `sops.age[].enc` to the 32-byte data key
//   (scripts/test.sh installs it; without it these tests fail);
// - with that data key, `node:crypto` (AES-256-GCM, SHA-512) recomputes the
//   MAC, which sops-age leaves unchecked.
//
// The identities are made by `ageKeygen` in temporary directories. The
// environment is cleared of `SOPS_*` variables, `HOME` and
// `XDG_CONFIG_HOME` point at an empty directory, and the working directory
// is an empty temporary one, so that no identity, recipient or `.sops.yaml`
// of the machine is used.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createDecipheriv, createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { format, inspect } from "node:util";

import { decryptSops } from "sops-age";
import YAML from "yaml";

import { Catalog, flowspec, throwsCode } from "./helpers.mjs";

const { Secret, ageKeygen, decrypt, decryptFile, decryptFileAsync, encrypt, encryptFile, encryptFileAsync, secret } = flowspec;

// ---------------------------------------------------------------------------
// An isolated environment, and two identities.

const SANDBOX = mkdtempSync(join(tmpdir(), "flowspec-secrets-"));
for (const name of Object.keys(process.env)) {
  if (name.startsWith("SOPS_")) delete process.env[name];
}
process.env.HOME = join(SANDBOX, "home");
process.env.XDG_CONFIG_HOME = join(SANDBOX, "home", ".config");
mkdirSync(process.env.XDG_CONFIG_HOME, { recursive: true });
process.chdir(mkdtempSync(join(SANDBOX, "cwd-")));
after(() => rmSync(SANDBOX, { recursive: true, force: true }));

/** A new identity: its key file, key text, secret key and recipient. */
function identity(name) {
  const keyFile = join(SANDBOX, `${name}.keys.txt`);
  const recipient = ageKeygen(keyFile);
  const text = readFileSync(keyFile, "utf8");
  const secretKey = text.match(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m)?.[0];
  assert.ok(secretKey, `${keyFile} holds no secret key`);
  return { keyFile, text, secretKey, recipient };
}

const ALICE = identity("alice");
const BOB = identity("bob");
const MALLORY = identity("mallory");

/** A fresh directory in the sandbox. */
function freshDir() {
  return mkdtempSync(join(SANDBOX, "t-"));
}

/** Runs `fn` with the environment variables `vars` set, then restores them. */
function withEnv(vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs `fn` in the working directory `dir`, then goes back. */
function inDir(dir, fn) {
  const saved = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(saved);
  }
}

// ---------------------------------------------------------------------------
// Independent checks: the age CLI and node:crypto.

/** Checks that Debian's age CLI is there (the tests need it). */
function requireAgeCli() {
  const probe = spawnSync("age", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    assert.fail(
      "the `age` CLI is missing: install Debian's age package (apt-get install age; scripts/test.sh does it), " +
        `then run the tests again (${probe.error?.message ?? probe.stderr})`,
    );
  }
}

/** The data key in an armored age file, unwrapped by `age -d`. */
function ageDecrypt(armored, keyFile) {
  const run = spawnSync("age", ["-d", "-i", keyFile], { input: armored, env: { PATH: process.env.PATH } });
  assert.equal(run.status, 0, `age -d failed: ${run.stderr}`);
  return run.stdout;
}

/** Checks each `sops.age[]` entry with the identity of its recipient, and
 * returns the data key they all wrap. */
function dataKeyOf(sops, identities) {
  let key;
  for (const entry of sops.age) {
    const who = identities.find((i) => i.recipient === entry.recipient);
    assert.ok(who, `unexpected recipient ${entry.recipient}`);
    const unwrapped = ageDecrypt(entry.enc, who.keyFile);
    assert.equal(unwrapped.length, 32, "an age entry must hold the raw 32-byte data key");
    if (key) assert.ok(unwrapped.equals(key), "every age entry wraps the same data key");
    key = unwrapped;
  }
  assert.ok(key, "no age entry");
  return key;
}

const ENC = /^ENC\[AES256_GCM,data:([^,]+),iv:([^,]+),tag:([^,]+),type:([a-z]+)\]$/;

/** Opens one `ENC[...]` value with node:crypto: its plaintext text and type. */
function openValue(value, key, aad) {
  const m = ENC.exec(value);
  assert.ok(m, `not an encrypted value: ${value}`);
  const [data, iv, tag] = [m[1], m[2], m[3]].map((b) => Buffer.from(b, "base64"));
  assert.equal(iv.length, 32, "sops uses a 32-byte IV");
  const d = createDecipheriv("aes-256-gcm", key, iv);
  d.setAAD(Buffer.from(aad, "utf8"));
  d.setAuthTag(tag);
  return { text: Buffer.concat([d.update(data), d.final()]).toString("utf8"), type: m[4] };
}

/** A plaintext scalar as sops hashes it into the MAC. */
function macBytes(value) {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    // Go's FormatFloat(v, 'f', -1, 64), for the magnitudes used here.
    assert.ok(Number.isInteger(value) || (Math.abs(value) >= 1e-6 && Math.abs(value) < 1e21));
    return String(value);
  }
  return String(value);
}

/** Recomputes the MAC of an encrypted document and compares it with the
 * stored one; returns the paths (keys joined by `.`) of the encrypted
 * values. */
function checkMac(doc, key) {
  const { sops, ...data } = doc;
  const macOnly = sops.mac_only_encrypted === true;
  const hash = createHash("sha512");
  if (macOnly) hash.update(createHash("sha256").update("sops").digest());
  const encrypted = [];
  const walk = (value, keys) => {
    if (value === null) return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, keys));
    if (typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, [...keys, k]);
      return;
    }
    if (typeof value === "string" && value.startsWith("ENC[")) {
      const { text } = openValue(value, key, keys.map((k) => `${k}:`).join(""));
      hash.update(text, "utf8");
      encrypted.push(keys.join("."));
    } else if (!macOnly) {
      hash.update(macBytes(value), "utf8");
    }
  };
  walk(data, []);
  const stored = openValue(sops.mac, key, sops.lastmodified).text;
  assert.equal(stored, hash.digest("hex").toUpperCase(), "the MAC does not match the values");
  return encrypted;
}

// ---------------------------------------------------------------------------
// Interoperability: every rule, every value type, JSON and YAML.

/** A document with every kind of value. No all-digit key (see above). */
const DOC = {
  name: "flowspec",
  unicode: "héllo wörld ✓ 日本語 🎉",
  café: { passwörd: "sécret" },
  count: 42,
  negative: -7,
  zero: 0,
  big: 9007199254740991,
  ratio: 3.25,
  small: -0.5,
  tiny: 0.000123,
  enabled: true,
  disabled: false,
  empty: "",
  nothing: null,
  nested: { deeper: { list: [1, "two", 3.5, false, null, "", { inner: "x" }, ["a", ["b"]]] } },
  password_sops: "hunter2",
  token_sops: { id: 7, scopes: ["read", "write"], blank: "", none: null },
  note_plain: "visible",
  meta_plain: { version: 3, tags: ["x"] },
  publicKey: "ssh-ed25519 AAAAC3Nza",
  publicInfo: { region: "eu", zones: ["a", "b"] },
  items: [{ password_sops: "p1" }, { password_sops: "p2", user: "u" }],
  comment_unencrypted: "left alone",
};

/** The rules, with the keys whose values each one encrypts. */
const RULES = [
  { name: "encryptedSuffix", options: { encryptedSuffix: "_sops" }, encrypts: (k) => k.endsWith("_sops"), any: true },
  { name: "unencryptedSuffix", options: { unencryptedSuffix: "_plain" }, encrypts: (k) => k.endsWith("_plain"), any: false },
  { name: "encryptedRegex", options: { encryptedRegex: "^(password|token|unicode|nested)" }, encrypts: (k) => /^(password|token|unicode|nested)/.test(k), any: true },
  { name: "unencryptedRegex", options: { unencryptedRegex: "^public" }, encrypts: (k) => /^public/.test(k), any: false },
  { name: "none", options: {}, encrypts: (k) => k.endsWith("_unencrypted"), any: false },
];

/** The key paths of the values sops can encrypt: all but `null` and `""`
 * (array indices are not part of a path). */
function valuePaths(value, keys = [], out = []) {
  if (value === null || value === "") return out;
  if (Array.isArray(value)) value.forEach((v) => valuePaths(v, keys, out));
  else if (typeof value === "object") for (const [k, v] of Object.entries(value)) valuePaths(v, [...keys, k], out);
  else out.push(keys);
  return out;
}

/** The paths (keys joined by `.`) of the values of `DOC` a rule encrypts:
 * with an "encrypted" rule those under a matching key, with an
 * "unencrypted" rule those under no matching key. */
function expectedEncrypted(rule) {
  return valuePaths(DOC)
    .filter((keys) => (rule.any ? keys.some(rule.encrypts) : !keys.some(rule.encrypts)))
    .map((keys) => keys.join("."));
}

describe("interoperability", () => {
  before(requireAgeCli);

  for (const rule of RULES) {
    for (const macOnlyEncrypted of [false, true]) {
      for (const type of ["json", "yaml"]) {
        const label = `${rule.name}${macOnlyEncrypted ? " + macOnlyEncrypted" : ""}, ${type}`;
        it(`${label}: sops-age, age and the MAC agree with flowspec`, async () => {
          const dir = freshDir();
          const path = join(dir, `config.${type}`);
          writeFileSync(path, type === "json" ? JSON.stringify(DOC, null, 2) : YAML.stringify(DOC));
          const options = { ...rule.options, recipients: [ALICE.recipient, BOB.recipient], macOnlyEncrypted };
          const text = encryptFile(path, options);
          assert.equal(readFileSync(path, "utf8").includes("ENC["), false, "without inPlace the file is left alone");

          // sops-age decrypts every value, with either identity.
          for (const who of [ALICE, BOB]) {
            const opened = await decryptSops(text, { secretKey: who.secretKey, fileType: type });
            assert.deepEqual(opened, DOC);
          }

          // age unwraps each entry to the same 32 bytes; with them the MAC
          // checks out, and exactly the values of the rule are encrypted.
          const doc = type === "json" ? JSON.parse(text) : YAML.parse(text);
          assert.equal(doc.sops.mac_only_encrypted, macOnlyEncrypted ? true : undefined);
          const encrypted = checkMac(doc, dataKeyOf(doc.sops, [ALICE, BOB]));
          assert.deepEqual(encrypted, expectedEncrypted(rule));
          assert.ok(encrypted.length > 0 && encrypted.length < valuePaths(DOC).length, "the rule leaves some values in plaintext");
          assert.equal(doc.empty, "");
          assert.equal(doc.nothing, null);

          // And flowspec reads it back.
          const encryptedPath = join(dir, `config.enc.${type}`);
          writeFileSync(encryptedPath, text);
          assert.deepEqual(decryptFile(encryptedPath, { keyFile: BOB.keyFile }), DOC);
        });
      }
    }
  }

  it("documents: encrypt and decrypt give back the document, BigInts included", async () => {
    const doc = { ...DOC, huge_sops: 2n ** 60n };
    const sealed = encrypt(doc, { recipients: [ALICE.recipient], encryptedSuffix: "_sops" });
    assert.match(sealed.huge_sops, /type:int\]$/);
    assert.deepEqual(decrypt(sealed, { identity: ALICE.text }), doc);
    checkMac(sealed, dataKeyOf(sealed.sops, [ALICE]));
    const { huge_sops: _, ...rest } = await decryptSops(JSON.stringify(sealed), { secretKey: ALICE.secretKey, fileType: "json" });
    assert.deepEqual(rest, DOC);
  });

  it("decrypt with stripSuffix removes the suffix from every key, as Estuary does", () => {
    const sealed = encrypt({ user: "flow", password_sops: "hunter2", nested_sops: { key_sops: 1 } }, { recipients: [ALICE.recipient], encryptedSuffix: "_sops" });
    assert.deepEqual(decrypt(sealed, { identity: ALICE.text, stripSuffix: true }), { user: "flow", password: "hunter2", nested: { key: 1 } });
  });

  it("encryptFile with inPlace replaces the file with the text it returns", () => {
    const dir = freshDir();
    const path = join(dir, "config.yaml");
    writeFileSync(path, "user: flow\npassword_sops: hunter2\n");
    const text = encryptFile(path, { recipients: [ALICE.recipient], encryptedSuffix: "_sops", inPlace: true });
    assert.equal(readFileSync(path, "utf8"), text);
    assert.match(text, /^user: flow\npassword_sops: ENC\[AES256_GCM,data:/);
    assert.deepEqual(decryptFile(path, { identity: ALICE.text }), { user: "flow", password_sops: "hunter2" });
  });

  it("inputType says the format of a file without a known extension", () => {
    const dir = freshDir();
    const path = join(dir, "config.txt");
    writeFileSync(path, '{"token": "abc"}');
    throwsCode(() => encryptFile(path, { recipients: [ALICE.recipient] }), "sops_unknown_format");
    const text = encryptFile(path, { recipients: [ALICE.recipient], inputType: "json", inPlace: true });
    assert.match(text, /^\{\n\t"token": "ENC\[/);
    assert.deepEqual(decryptFile(path, { identity: ALICE.text, inputType: "json" }), { token: "abc" });
  });
});

// ---------------------------------------------------------------------------
// Tampering and wrong keys.

describe("tampering", () => {
  const PLAIN = { user: "flow", port_number: 6543, password_sops: "hunter2", token_sops: "t0k3n" };
  const sealed = () => encrypt(PLAIN, { recipients: [ALICE.recipient], encryptedSuffix: "_sops" });

  /** Decrypting `doc` fails with `code`, and the message holds no plaintext. */
  function fails(doc, code, identity = ALICE.text) {
    let result;
    const err = throwsCode(() => {
      result = decrypt(doc, { identity });
    }, code);
    assert.equal(result, undefined, "nothing is returned");
    for (const plain of ["hunter2", "t0k3n", ALICE.secretKey, MALLORY.secretKey]) {
      assert.ok(!err.message.includes(plain), err.message);
    }
    return err;
  }

  it("a changed plaintext value fails the MAC", () => {
    const doc = sealed();
    doc.user = "mallory";
    fails(doc, "sops_mac_mismatch");
    const doc2 = sealed();
    doc2.port_number = 6544;
    fails(doc2, "sops_mac_mismatch");
  });

  it("a changed, swapped or moved encrypted value does not decrypt", () => {
    const doc = sealed();
    const m = ENC.exec(doc.password_sops);
    const data = Buffer.from(m[1], "base64");
    data[0] ^= 1;
    doc.password_sops = doc.password_sops.replace(m[1], data.toString("base64"));
    fails(doc, "sops_decrypt_failed");

    const swapped = sealed();
    [swapped.password_sops, swapped.token_sops] = [swapped.token_sops, swapped.password_sops];
    fails(swapped, "sops_decrypt_failed");

    const { password_sops, ...rest } = sealed();
    fails({ ...rest, secret_sops: password_sops }, "sops_decrypt_failed");
  });

  it("a changed MAC or lastmodified fails the MAC", () => {
    const doc = sealed();
    const m = ENC.exec(doc.sops.mac);
    const data = Buffer.from(m[1], "base64");
    data[5] ^= 0x20;
    doc.sops.mac = doc.sops.mac.replace(m[1], data.toString("base64"));
    fails(doc, "sops_mac_mismatch");

    const other = sealed();
    other.sops.mac = sealed().sops.mac;
    fails(other, "sops_mac_mismatch");

    const dated = sealed();
    dated.sops.lastmodified = "2001-01-01T00:00:00Z";
    fails(dated, "sops_mac_mismatch");
  });

  it("reordered values fail the MAC", () => {
    const { user, port_number, ...rest } = sealed();
    fails({ port_number, user, ...rest }, "sops_mac_mismatch");
  });

  it("a wrong identity opens nothing", () => {
    const err = fails(sealed(), "sops_no_matching_identity", MALLORY.text);
    assert.ok(err.message.includes(ALICE.recipient), "the message names the recipients (public keys)");
  });

  it("a tampered file fails in decryptFile too", () => {
    const dir = freshDir();
    const path = join(dir, "config.json");
    writeFileSync(path, JSON.stringify(PLAIN));
    const text = encryptFile(path, { recipients: [ALICE.recipient], encryptedSuffix: "_sops" });
    writeFileSync(path, text.replace('"user": "flow"', '"user": "wolf"'));
    throwsCode(() => decryptFile(path, { keyFile: ALICE.keyFile }), "sops_mac_mismatch");
    writeFileSync(path, text);
    throwsCode(() => decryptFile(path, { keyFile: MALLORY.keyFile }), "sops_no_matching_identity");
    assert.deepEqual(decryptFile(path, { keyFile: ALICE.keyFile }), PLAIN);
  });
});

// ---------------------------------------------------------------------------
// Options and errors of the sops functions.

describe("sops functions", () => {
  it("encrypt needs recipients: options, SOPS_AGE_RECIPIENTS or .sops.yaml", () => {
    throwsCode(() => encrypt({ a: "x" }), "sops_no_recipients");
    const sealed = withEnv({ SOPS_AGE_RECIPIENTS: `${ALICE.recipient}, ${BOB.recipient}` }, () => encrypt({ a: "x" }));
    assert.deepEqual(sealed.sops.age.map((e) => e.recipient), [ALICE.recipient, BOB.recipient]);

    // As sops does, .sops.yaml is searched from the working directory.
    const dir = freshDir();
    writeFileSync(join(dir, ".sops.yaml"), `creation_rules:\n  - path_regex: \\.json$\n    encrypted_suffix: _sops\n    age: ${BOB.recipient}\n`);
    const ruled = inDir(dir, () => encrypt({ a: "x", b_sops: "y" }, { path: "config.json" }));
    throwsCode(() => inDir(dir, () => encrypt({ a: "x" }, { path: "config.yaml" })), "sops_no_recipients");
    assert.equal(ruled.a, "x");
    assert.equal(ruled.sops.encrypted_suffix, "_sops");
    assert.deepEqual(ruled.sops.age.map((e) => e.recipient), [BOB.recipient]);
  });

  it("decrypt finds identities as sops does: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, keys.txt", () => {
    const sealed = encrypt({ a: "x" }, { recipients: [ALICE.recipient] });
    throwsCode(() => decrypt(sealed), "sops_no_identity");
    assert.deepEqual(withEnv({ SOPS_AGE_KEY: ALICE.text }, () => decrypt(sealed)), { a: "x" });
    assert.deepEqual(withEnv({ SOPS_AGE_KEY_FILE: ALICE.keyFile }, () => decrypt(sealed)), { a: "x" });
    // The default key file, which ageKeygen() writes when given no path.
    const recipient = ageKeygen();
    const keys = join(process.env.XDG_CONFIG_HOME, "sops", "age", "keys.txt");
    try {
      assert.equal(statSync(keys).mode & 0o777, 0o600);
      throwsCode(() => ageKeygen(), "sops_identity_file_exists");
      const mine = encrypt({ a: "y" }, { recipients: [recipient] });
      assert.deepEqual(decrypt(mine), { a: "y" });
    } finally {
      rmSync(keys);
    }
  });

  it("ageKeygen keeps an existing file unless asked to overwrite it", () => {
    const path = join(freshDir(), "keys.txt");
    const first = ageKeygen(path);
    assert.match(first, /^age1[0-9a-z]{58}$/);
    throwsCode(() => ageKeygen(path), "sops_identity_file_exists");
    throwsCode(() => ageKeygen(path, { overwrite: false }), "sops_identity_file_exists");
    const second = ageKeygen(path, { overwrite: true });
    assert.notEqual(second, first);
    // age-keygen derives the same recipient from the file.
    const derived = spawnSync("age-keygen", ["-y", path], { encoding: "utf8" });
    assert.equal(derived.status, 0, `age-keygen -y failed: ${derived.stderr}`);
    assert.equal(derived.stdout.trim(), second);
  });

  it("reports bad options with their name", () => {
    throwsCode(() => encrypt({ a: 1 }, { recipients: [ALICE.recipient], encryptedSuffix: "_s", encryptedRegex: "x" }), "sops_multiple_rules");
    throwsCode(() => encrypt({ a: 1 }, { recipient: [ALICE.recipient] }), "invalid_spec", /^encrypt: unknown option `recipient`/);
    throwsCode(() => decrypt({ a: 1 }, { identiy: "x" }), "invalid_spec", /^decrypt: unknown option `identiy`/);
    throwsCode(() => encrypt({ a: 1 }, { recipients: [ALICE.recipient], encryptedRegex: "(" }), "sops_invalid_regex");
    throwsCode(() => encrypt({ a: 1, sops: {} }, { recipients: [ALICE.recipient] }), "sops_reserved_key");
    throwsCode(() => decrypt({ a: 1 }, { identity: ALICE.text }), "sops_missing_metadata");
    throwsCode(() => ageKeygen(join(freshDir(), "k.txt"), { overwrite: "yes" }), "invalid_spec", 'age keygen: overwrite: invalid type: string "yes", expected a boolean');
    throwsCode(() => ageKeygen(join(freshDir(), "k.txt"), { force: true }), "invalid_spec", "age keygen: unknown option `force`, expected `overwrite`");
    throwsCode(() => encryptFile(join(freshDir(), "missing.json"), { recipients: [ALICE.recipient] }), "sops_io");
    throwsCode(() => encrypt(() => 1), "invalid_spec", "encrypt: document: a function is not JSON", TypeError);
  });
});

// ---------------------------------------------------------------------------
// The Secret marker.

describe("Secret", () => {
  it("holds a JSON value that only reveal() gives back", () => {
    for (const value of ["hunter2", "", 5432, 2.5, true, { pem: "k", n: [1, 2] }, ["a"], null]) {
      assert.deepEqual(secret(value).reveal(), value);
      assert.deepEqual(new Secret(value).reveal(), value);
    }
    assert.ok(secret("x") instanceof Secret);
    assert.equal(secret(secret("x")).reveal(), "x");
  });

  it("refuses undefined, and values that are not JSON", () => {
    throwsCode(() => secret(undefined), "invalid_spec", /^secret: the value is undefined/, TypeError);
    throwsCode(() => secret(), "invalid_spec", /^secret: the value is undefined/, TypeError);
    throwsCode(() => new Secret(), "invalid_spec", /^secret: the value is undefined/, TypeError);
    throwsCode(() => secret({ f() {} }), "invalid_spec", "secret: value.f: a function is not JSON", TypeError);
  });

  it("becomes {$secret: value} in a spec, and a Secret again when read back", () => {
    const cat = new Catalog();
    const handle = cat.capture("acmeCo/source", { image: "i:v1", config: { user: "u", password: secret("hunter2") } });
    const config = cat.getSpec("capture", "acmeCo/source").endpoint.connector.config;
    assert.ok(config.password instanceof Secret);
    assert.equal(config.password.reveal(), "hunter2");
    assert.ok(handle.spec.endpoint.connector.config.password instanceof Secret);
    // A plain marker object is a secret too.
    cat.setSpec("capture", "acmeCo/source", { endpoint: { connector: { image: "i:v1", config: { password: { $secret: "p" } } } }, bindings: [] });
    assert.equal(handle.spec.endpoint.connector.config.password.reveal(), "p");
    // Round trip through setSpec keeps it a secret.
    handle.spec = cat.getSpec("capture", "acmeCo/source");
    assert.match(cat.toYaml({ plaintextSecrets: true }), /password_sops: p\n/);
  });
});

// ---------------------------------------------------------------------------
// Catalogs.

const PG_PASSWORD = "pg-pässword-9f8e";
const SNOWFLAKE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANsnowflake\n-----END PRIVATE KEY-----\n";
const SSL_CERT = "cert-body-4c2b";
const API_KEY = "api-key-77aa";
const PLAINTEXTS = [PG_PASSWORD, SNOWFLAKE_KEY.split("\n")[1], SSL_CERT, API_KEY];

const SOURCE = "acmeCo/pipeline/source-postgres";
const SINK = "acmeCo/pipeline/materialize-snowflake";
const ENRICHED = "acmeCo/pipeline/enriched";

function pipeline() {
  const cat = new Catalog();
  cat
    .capture(SOURCE, {
      image: "ghcr.io/estuary/source-postgres:v1",
      config: { address: "db.example.com:5432", user: "flow", password: secret(PG_PASSWORD), ssl_sops: { mode: "verify-full", cert: SSL_CERT } },
    })
    .binding({ resource: { namespace: "public", stream: "orders" }, target: "acmeCo/pipeline/orders" });
  cat.collection("acmeCo/pipeline/orders", { schema: { type: "object", required: ["id"], properties: { id: { type: "string" } } }, key: ["/id"] });
  cat
    .derivation(ENRICHED, {
      schema: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
      key: ["/id"],
      connector: { image: "ghcr.io/acme/derive-enrich:v1", config: { endpoint: "https://api.example.com", apiKey: secret(API_KEY) } },
    })
    .transform({ name: "fromOrders", source: "acmeCo/pipeline/orders", shuffle: ["/id"], lambda: { path: "/enrich" } });
  cat
    .materialization(SINK, {
      image: "ghcr.io/estuary/materialize-snowflake:v1",
      config: { host: "acme.snowflakecomputing.com", credentials: { auth_type: "jwt", user: "flow", privateKey: secret(SNOWFLAKE_KEY) } },
    })
    .binding({ resource: { table: "orders" }, source: "acmeCo/pipeline/orders" });
  return cat;
}

/** The configs of the pipeline, as `flow.yaml` holds them once decrypted. */
const PLAIN_CONFIGS = {
  [SOURCE]: { address: "db.example.com:5432", user: "flow", password_sops: PG_PASSWORD, ssl_sops: { mode: "verify-full", cert: SSL_CERT } },
  [ENRICHED]: { endpoint: "https://api.example.com", apiKey_sops: API_KEY },
  [SINK]: { host: "acme.snowflakecomputing.com", credentials: { auth_type: "jwt", user: "flow", privateKey_sops: SNOWFLAKE_KEY } },
};

/** The config of each spec of the pipeline in `cat`. */
function configs(cat) {
  return {
    [SOURCE]: cat.getSpec("capture", SOURCE).endpoint.connector.config,
    [ENRICHED]: cat.getSpec("collection", ENRICHED).derive.using.connector.config,
    [SINK]: cat.getSpec("materialization", SINK).endpoint.connector.config,
  };
}

function assertNoPlaintext(text, where) {
  for (const plain of PLAINTEXTS) assert.ok(!text.includes(plain), `${where} holds a plaintext secret`);
}

describe("catalogs", () => {
  before(requireAgeCli);

  it("write encrypts every config holding secrets, and nothing else", async () => {
    const dir = freshDir();
    const target = join(dir, "flow.yaml");
    assert.deepEqual(pipeline().write(target, { recipients: [ALICE.recipient] }), [target]);
    const text = readFileSync(target, "utf8");
    assertNoPlaintext(text, target);
    assert.match(text, /password_sops: ENC\[AES256_GCM,data:/);
    assert.match(text, /apiKey_sops: ENC\[AES256_GCM,data:/);
    assert.match(text, /privateKey_sops: ENC\[AES256_GCM,data:/);
    assert.match(text, /mode: ENC\[AES256_GCM,data:/, "everything under a `_sops` key is encrypted");
    assert.match(text, /address: db\.example\.com:5432\n/);

    // Each config is a sops document of its own: sops-age opens the config
    // taken out of the YAML, age unwraps its key, and its MAC checks out.
    const doc = YAML.parse(text);
    const written = {
      [SOURCE]: doc.captures[SOURCE].endpoint.connector.config,
      [ENRICHED]: doc.collections[ENRICHED].derive.using.connector.config,
      [SINK]: doc.materializations[SINK].endpoint.connector.config,
    };
    for (const [name, config] of Object.entries(written)) {
      assert.equal(config.sops.encrypted_suffix, "_sops", name);
      const opened = await decryptSops(JSON.stringify(config), { secretKey: ALICE.secretKey, fileType: "json" });
      assert.deepEqual(opened, PLAIN_CONFIGS[name], name);
      checkMac(config, dataKeyOf(config.sops, [ALICE]));
    }
  });

  it("a written catalog loads and validates with its configs still encrypted", () => {
    const dir = freshDir();
    const target = join(dir, "flow.yaml");
    pipeline().write(target, { recipients: [ALICE.recipient, BOB.recipient] });
    const loaded = Catalog.load(target);
    assert.deepEqual(loaded.validate(), []);
    for (const [name, config] of Object.entries(configs(loaded))) {
      assert.ok(config.sops, name);
      assertNoPlaintext(JSON.stringify(config), name);
    }
    // Written again, encrypted configs pass through: no recipient needed.
    const again = join(dir, "again.yaml");
    loaded.write(again);
    assert.deepEqual(configs(Catalog.load(again)), configs(loaded));
  });

  it("Catalog.load with decrypt gives the plaintext, keeping the `_sops` keys", () => {
    const dir = freshDir();
    const target = join(dir, "flow.yaml");
    pipeline().write(target, { recipients: [ALICE.recipient, BOB.recipient] });
    assert.deepEqual(configs(Catalog.load(target, { decrypt: true, identity: ALICE.text })), PLAIN_CONFIGS);
    assert.deepEqual(configs(Catalog.load(target, { decrypt: true, keyFile: BOB.keyFile })), PLAIN_CONFIGS);
    assert.deepEqual(configs(withEnv({ SOPS_AGE_KEY_FILE: BOB.keyFile }, () => Catalog.load(target, { decrypt: true }))), PLAIN_CONFIGS);

    // Decrypted, the catalog writes its secrets encrypted again.
    const plain = Catalog.load(target, { decrypt: true, identity: BOB.text });
    const rewritten = join(dir, "rewritten.yaml");
    plain.write(rewritten, { recipients: [BOB.recipient] });
    assertNoPlaintext(readFileSync(rewritten, "utf8"), rewritten);
    throwsCode(() => plain.write(join(dir, "none.yaml")), "catalog_secrets");
  });

  it("Catalog.load with a wrong identity throws catalog_secrets with a diagnostic per config", () => {
    const dir = freshDir();
    const target = join(dir, "flow.yaml");
    pipeline().write(target, { recipients: [ALICE.recipient] });
    const err = throwsCode(() => Catalog.load(target, { decrypt: true, identity: MALLORY.text }), "catalog_secrets");
    assert.deepEqual(
      err.diagnostics.map((d) => [d.code, d.severity, d.scope]),
      [
        ["sops_no_matching_identity", "error", `${pathUrl(target)}#/captures/acmeCo~1pipeline~1source-postgres/endpoint/connector/config`],
        ["sops_no_matching_identity", "error", `${pathUrl(target)}#/collections/acmeCo~1pipeline~1enriched/derive/using/connector/config`],
        ["sops_no_matching_identity", "error", `${pathUrl(target)}#/materializations/acmeCo~1pipeline~1materialize-snowflake/endpoint/connector/config`],
      ],
    );
    throwsCode(() => Catalog.load(target, { identity: ALICE.text }), "invalid_spec", /an identity or a key file is used only with decrypt$/);
    throwsCode(() => Catalog.load(target, { decrypt: true, identty: ALICE.text }), "invalid_spec", /unknown option `identty`, did you mean `identity`\? expected one of `decrypt`, `identity`, `keyFile`, `root`, `denyOutsideRoot`$/);
    throwsCode(() => Catalog.load(target, { decrypt: "yes" }), "invalid_spec", /decrypt: invalid type: string "yes", expected a boolean$/);
  });

  it("decryptSecrets decrypts in place, or changes nothing when a config fails", () => {
    const dir = freshDir();
    const target = join(dir, "flow.yaml");
    pipeline().write(target, { recipients: [ALICE.recipient] });

    // Tamper with the materialization's config only.
    const text = readFileSync(target, "utf8").replace("host: acme.snowflakecomputing.com", "host: evil.example.com");
    writeFileSync(target, text);
    const cat = Catalog.load(target);
    const before = configs(cat);
    const err = throwsCode(() => cat.decryptSecrets({ identity: ALICE.text }), "catalog_secrets");
    assert.deepEqual(err.diagnostics.map((d) => d.code), ["sops_mac_mismatch"]);
    assert.match(err.diagnostics[0].scope, /#\/materializations\/acmeCo~1pipeline~1materialize-snowflake\/endpoint\/connector\/config$/);
    assert.deepEqual(configs(cat), before, "nothing was decrypted");

    pipeline().write(target, { recipients: [ALICE.recipient] });
    const good = Catalog.load(target);
    assert.equal(good.decryptSecrets({ keyFile: ALICE.keyFile }), 3);
    assert.deepEqual(configs(good), PLAIN_CONFIGS);
    assert.equal(good.decryptSecrets({ keyFile: ALICE.keyFile }), 0);
    throwsCode(() => good.decryptSecrets({ stripSuffix: true }), "invalid_spec", /^decrypt secrets: unknown option `stripSuffix`, expected `identity` or `keyFile`$/);
  });

  it("writing without recipients throws catalog_secrets and writes nothing", () => {
    const dir = freshDir();
    const target = join(dir, "out", "flow.yaml");
    for (const layout of ["flat", "canonical"]) {
      const err = throwsCode(() => pipeline().write(target, { layout }), "catalog_secrets");
      assert.deepEqual(
        err.diagnostics.map((d) => [d.code, d.scope]),
        [
          ["plaintext_secret", "flow://catalog#/captures/acmeCo~1pipeline~1source-postgres/endpoint/connector/config"],
          ["plaintext_secret", "flow://catalog#/collections/acmeCo~1pipeline~1enriched/derive/using/connector/config"],
          ["plaintext_secret", "flow://catalog#/materializations/acmeCo~1pipeline~1materialize-snowflake/endpoint/connector/config"],
        ],
      );
      assert.match(err.message, /\b3 problems\n/);
      assert.equal(err.message.split("\n").length, 4, "a line per config");
      assert.equal(existsSync(join(dir, "out")), false, "nothing is written");
    }
    throwsCode(() => pipeline().toYaml(), "catalog_secrets");
    throwsCode(() => pipeline().toJson(), "catalog_secrets");
  });

  it("plaintextSecrets: true writes the secrets as plain `_sops` values", () => {
    const dir = freshDir();
    const target = join(dir, "flow.yaml");
    pipeline().write(target, { plaintextSecrets: true });
    const text = readFileSync(target, "utf8");
    assert.match(text, new RegExp(`password_sops: ${PG_PASSWORD}\n`));
    assert.doesNotMatch(text, /^ *sops:$/m);
    assert.deepEqual(configs(Catalog.load(target)), PLAIN_CONFIGS);
    assert.equal(pipeline().toYaml({ plaintextSecrets: true }), text);
    const json = JSON.parse(pipeline().toJson({ plaintextSecrets: true }));
    assert.deepEqual(json.captures[SOURCE].endpoint.connector.config, PLAIN_CONFIGS[SOURCE]);
  });

  it("toYaml and toJson encrypt for the recipients given", async () => {
    const yaml = pipeline().toYaml({ recipients: [BOB.recipient] });
    assertNoPlaintext(yaml, "toYaml");
    const json = pipeline().toJson({ recipients: [BOB.recipient] });
    assertNoPlaintext(json, "toJson");
    const config = JSON.parse(json).materializations[SINK].endpoint.connector.config;
    assert.deepEqual(await decryptSops(JSON.stringify(config), { secretKey: BOB.secretKey, fileType: "json" }), PLAIN_CONFIGS[SINK]);
    throwsCode(() => pipeline().toYaml({ layout: "flat" }), "invalid_spec", /unknown option `layout`/);
  });

  it("the canonical layout's config files are sops files that sops-age opens", async () => {
    const dir = freshDir();
    const files = pipeline().write(join(dir, "flow.yaml"), { layout: "canonical", recipients: [ALICE.recipient] });
    const configFiles = files.filter((f) => f.endsWith(".config.yaml"));
    assert.equal(configFiles.length, 3, files.join(", "));
    for (const file of files) assertNoPlaintext(readFileSync(file, "utf8"), file);
    const opened = {};
    for (const file of configFiles) {
      const text = readFileSync(file, "utf8");
      assert.match(text, /^sops:\n/m);
      const doc = YAML.parse(text);
      checkMac(doc, dataKeyOf(doc.sops, [ALICE]));
      opened[file] = await decryptSops(text, { secretKey: ALICE.secretKey, fileType: "yaml" });
    }
    assert.deepEqual(
      Object.values(opened).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      Object.values(PLAIN_CONFIGS).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    const loaded = Catalog.load(join(dir, "flow.yaml"), { decrypt: true, identity: ALICE.text });
    assert.deepEqual(configs(loaded), PLAIN_CONFIGS);
  });

  it("recipients come from SOPS_AGE_RECIPIENTS, or from .sops.yaml beside the target", () => {
    const dir = freshDir();
    withEnv({ SOPS_AGE_RECIPIENTS: BOB.recipient }, () => pipeline().write(join(dir, "env.yaml")));
    assert.deepEqual(configs(Catalog.load(join(dir, "env.yaml"), { decrypt: true, identity: BOB.text })), PLAIN_CONFIGS);

    writeFileSync(join(dir, ".sops.yaml"), `creation_rules:\n  - age: ${ALICE.recipient}\n`);
    pipeline().write(join(dir, "ruled.yaml"));
    const text = readFileSync(join(dir, "ruled.yaml"), "utf8");
    assertNoPlaintext(text, "ruled.yaml");
    assert.deepEqual(configs(Catalog.load(join(dir, "ruled.yaml"), { decrypt: true, identity: ALICE.text })), PLAIN_CONFIGS);
  });

  it("a misplaced secret is reported with its scope, never its value", () => {
    const cat = new Catalog();
    cat.capture("acmeCo/source", { image: "i:v1", config: { keys: [secret(PG_PASSWORD)] } });
    const err = throwsCode(() => cat.write(join(freshDir(), "flow.yaml"), { recipients: [ALICE.recipient] }), "catalog_secrets");
    assert.deepEqual(err.diagnostics.map((d) => [d.code, d.scope]), [["invalid_secret", "flow://catalog#/captures/acmeCo~1source/endpoint/connector/config"]]);
    assert.match(err.diagnostics[0].message, /\/keys\/0: a secret must be the value of an object property/);
    assert.ok(!err.message.includes(PG_PASSWORD));

    // A secret added to a config that is already encrypted would be written in plaintext.
    const dir = freshDir();
    pipeline().write(join(dir, "flow.yaml"), { recipients: [ALICE.recipient] });
    const loaded = Catalog.load(join(dir, "flow.yaml"));
    const spec = loaded.getSpec("capture", SOURCE);
    spec.endpoint.connector.config.extra = secret(API_KEY);
    loaded.setSpec("capture", SOURCE, spec);
    const err2 = throwsCode(() => loaded.write(join(dir, "again.yaml")), "catalog_secrets");
    assert.deepEqual(err2.diagnostics.map((d) => d.code), ["secret_in_encrypted_config"]);
    assert.match(err2.diagnostics[0].scope, /\/endpoint\/connector\/config\/extra$/);
    assert.ok(!existsSync(join(dir, "again.yaml")));
  });
});

function pathUrl(path) {
  return new URL(`file://${path}`).href;
}

// ---------------------------------------------------------------------------
// No leaks.

/** Every way a value is commonly printed. */
function renderings(value) {
  return [
    inspect(value),
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    inspect(value, { customInspect: false, showHidden: true, depth: Infinity }),
    format("%s %o %O %j", value, value, value, value),
    String(value),
    `${value}`,
    JSON.stringify(value) ?? "",
    JSON.stringify({ nested: [value] }),
    inspect({ nested: [value] }),
  ];
}

describe("no leaks", () => {
  it("a Secret prints as <redacted>", () => {
    const s = secret(PG_PASSWORD);
    assert.equal(inspect(s), "Secret(<redacted>)");
    assert.equal(String(s), "<redacted>");
    assert.equal(`${s}`, "<redacted>");
    assert.equal(inspect({ password: s }), "{ password: Secret(<redacted>) }");
    // Its one own property holds the value sealed under a key of this
    // process: JSON and clones carry that, never the value.
    assert.deepEqual(Reflect.ownKeys(s), ["$secret"]);
    assert.match(s.$secret, /^flowspec-sealed:v1:[A-Za-z0-9_-]+$/);
    assert.match(JSON.stringify({ password: s }), /^\{"password":\{"\$secret":"flowspec-sealed:v1:[A-Za-z0-9_-]+"\}\}$/);
    assert.deepEqual(Object.keys(structuredClone(s)), ["$secret"]);
    for (const text of renderings(s)) assert.ok(!text.includes(PG_PASSWORD), text);
    for (const text of renderings(secret({ pem: SSL_CERT }))) assert.ok(!text.includes(SSL_CERT), text);
  });

  it("survives JSON and structuredClone copies, and a copy from another process fails loudly", (t) => {
    const config = { user: "flow", password: secret(PG_PASSWORD) };
    for (const copy of [JSON.parse(JSON.stringify(config)), structuredClone(config)]) {
      const cat = new Catalog();
      cat.capture("acmeCo/c", { image: "i:v1", config: copy });
      assert.match(cat.toYaml({ plaintextSecrets: true }), new RegExp(`password_sops: ${PG_PASSWORD}\n`));
      const back = cat.getSpec("capture", "acmeCo/c").endpoint.connector.config.password;
      assert.ok(back instanceof flowspec.Secret);
      assert.equal(back.reveal(), PG_PASSWORD);
    }
    // Sealed by another process: an error naming the place, never written.
    const other = { password: { $secret: "flowspec-sealed:v1:c2VhbGVkIGVsc2V3aGVyZSBieSBhbm90aGVyIHByb2Nlc3M" } };
    const cat = new Catalog();
    cat.capture("acmeCo/c", { image: "i:v1", config: other });
    const dir = freshDir();
    const err = throwsCode(() => cat.write(join(dir, "flow.yaml"), { plaintextSecrets: true }), "catalog_secrets");
    assert.equal(err.diagnostics[0].scope, "flow://catalog#/captures/acmeCo~1c/endpoint/connector/config");
    assert.match(err.diagnostics[0].message, /sealed by another process/);
    assert.ok(!existsSync(join(dir, "flow.yaml")));
  });

  it("nor do catalogs, specs, handles and options that hold secrets", () => {
    const cat = pipeline();
    const options = { image: "i:v1", config: { password: secret(API_KEY) } };
    const handle = cat.capture("acmeCo/other", options);
    const values = [
      cat,
      handle,
      options,
      cat.getSpec("capture", SOURCE),
      cat.getSpec("collection", ENRICHED),
      cat.getSpec("materialization", SINK),
      handle.spec,
    ];
    for (const value of values) {
      for (const text of renderings(value)) {
        for (const plain of [PG_PASSWORD, API_KEY, SNOWFLAKE_KEY.split("\n")[1]]) {
          assert.ok(!text.includes(plain), `leaked by: ${text}`);
        }
      }
    }
  });

  it("nor do error messages", () => {
    const dir = freshDir();
    const misplaced = new Catalog();
    misplaced.capture("acmeCo/z", { image: "i", config: { list: [secret(PG_PASSWORD)] } });
    const failing = [
      () => pipeline().write(join(dir, "flow.yaml")),
      () => pipeline().toYaml(),
      () => pipeline().capture("acmeCo/x", { image: "i", config: { password: secret(PG_PASSWORD), f: () => 1 } }),
      () => pipeline().capture("acmeCo/y", { image: "i", config: { password: secret(PG_PASSWORD) }, interval: secret(PG_PASSWORD) }),
      () => misplaced.toYaml({ recipients: [ALICE.recipient] }),
      () => encrypt({ a: PG_PASSWORD }, { recipients: [ALICE.secretKey] }),
      () => encrypt({ a: PG_PASSWORD }, { recipients: ALICE.secretKey }),
      () => pipeline().write(join(dir, "flow.yaml"), { recipients: [ALICE.secretKey] }),
      () => decrypt(encrypt({ a: PG_PASSWORD }, { recipients: [ALICE.recipient] }), { identity: `${ALICE.secretKey}x` }),
      () => decrypt(encrypt({ a: PG_PASSWORD }, { recipients: [ALICE.recipient] }), { identity: MALLORY.text }),
      () => Catalog.load(join(dir, "missing.yaml"), { decrypt: true, identity: ALICE.text }),
    ];
    for (const fn of failing) {
      let err;
      assert.throws(fn, (e) => {
        err = e;
        return true;
      });
      const shown = [err.message, err.stack ?? "", inspect(err), JSON.stringify(err.diagnostics ?? [])].join("\n");
      for (const plain of [PG_PASSWORD, ALICE.secretKey, MALLORY.secretKey, ALICE.secretKey.slice(16)]) {
        assert.ok(!shown.includes(plain), `leaked by ${fn}: ${shown}`);
      }
      assert.equal(typeof err.code, "string");
    }
  });

  it("a key file made by ageKeygen is readable by its owner only", () => {
    assert.equal(statSync(ALICE.keyFile).mode & 0o777, 0o600);
  });
});

describe("Promise-returning file functions", () => {
  it("encrypt and decrypt files as the sync forms do, and reject as they throw", async () => {
    const dir = mkdtempSync(join(SANDBOX, "async-"));
    const path = join(dir, "config.yaml");
    writeFileSync(path, "user: flow\npassword_sops: hunter2\n");
    const text = await encryptFileAsync(path, { recipients: [ALICE.recipient], encryptedSuffix: "_sops", inPlace: true });
    assert.equal(readFileSync(path, "utf8"), text);
    assert.ok(!text.includes("hunter2"));
    assert.deepEqual(await decryptFileAsync(path, { keyFile: ALICE.keyFile }), { user: "flow", password_sops: "hunter2" });
    assert.deepEqual(await decryptFileAsync(path, { keyFile: ALICE.keyFile }), decryptFile(path, { keyFile: ALICE.keyFile }));
    await assert.rejects(decryptFileAsync(path, { keyFile: BOB.keyFile }), (e) => e instanceof flowspec.FlowspecError && e.code === "sops_no_matching_identity");
    const missing = join(dir, "missing.yaml");
    await assert.rejects(decryptFileAsync(missing, { keyFile: ALICE.keyFile }), (e) => {
      assert.equal(e.code, "sops_io");
      assert.equal(e.path, missing);
      assert.equal(e.errno, -2);
      return true;
    });
  });
});
