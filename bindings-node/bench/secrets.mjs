// Benchmark: sops with age on a config of N values (strings, integers,
// floats and booleans, nested a little), encrypted and decrypted with
// flowspec, against the npm package `sops-age` decrypting the same file
// (it has no encryption; it does not check the MAC, which flowspec does).
//
// Usage: npm run bench:secrets [-- N RUNS]   (default 10000 values, 7 runs)
// `npm run bench:secrets` builds the addon in release mode first; running
// this file directly uses whatever addon was built last.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

import { median, warnIfDebugBuild } from "./common.mjs";

import { decryptSops } from "sops-age";

const require = createRequire(import.meta.url);
const { ageKeygen, decrypt, decryptFile, encryptFile } = require("../index.js");

const N = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);

/** A config of `n` values: 100 sections of objects, some values in small
 * arrays and objects. No key is all digits (sops-age leaves such keys out
 * of a value's additional data, so it could not decrypt them). */
function makeConfig(n) {
  const config = {};
  for (let i = 0; i < n; ) {
    const section = (config[`section_${i % 100}`] ??= {});
    const kind = i % 10;
    if (kind === 8 && i + 3 <= n) {
      section[`list_${i}`] = [`item-${i}`, i, i % 3 === 0];
      i += 3;
    } else if (kind === 9 && i + 2 <= n) {
      section[`object_${i}`] = { host: `host-${i}.example.com`, port: 1024 + (i % 50000) };
      i += 2;
    } else {
      const key = `key_${i}`;
      switch (i % 4) {
        case 0:
          section[key] = `value ${i}: pässwörd-${(i * 2654435761) % 4294967296}`;
          break;
        case 1:
          section[key] = i * 7919;
          break;
        case 2:
          section[key] = (i + 0.5) / 8;
          break;
        default:
          section[key] = i % 3 === 0;
      }
      i += 1;
    }
  }
  return config;
}

warnIfDebugBuild();

const dir = mkdtempSync(join(tmpdir(), "flowspec-bench-secrets-"));
try {
  const keyFile = join(dir, "keys.txt");
  const recipient = ageKeygen(keyFile);
  const identity = readFileSync(keyFile, "utf8");
  const secretKey = identity.match(/^AGE-SECRET-KEY-1\S+$/m)[0];

  const config = makeConfig(N);
  const plainPath = join(dir, "config.json");
  const encryptedPath = join(dir, "config.enc.json");
  writeFileSync(plainPath, JSON.stringify(config, null, 2));

  const times = { encrypt: [], decryptFile: [], decrypt: [], sopsAge: [] };
  let text = "";
  // One warm-up run, then alternate so that all see the same machine.
  for (let run = -1; run < RUNS; run++) {
    let t0 = performance.now();
    text = encryptFile(plainPath, { recipients: [recipient] });
    writeFileSync(encryptedPath, text);
    const encryptMs = performance.now() - t0;

    t0 = performance.now();
    const byFile = decryptFile(encryptedPath, { identity });
    const decryptFileMs = performance.now() - t0;

    const document = JSON.parse(text);
    t0 = performance.now();
    const byDocument = decrypt(document, { identity });
    const decryptMs = performance.now() - t0;

    t0 = performance.now();
    const bySopsAge = await decryptSops(readFileSync(encryptedPath, "utf8"), { secretKey, fileType: "json" });
    const sopsAgeMs = performance.now() - t0;

    if (run < 0) {
      assert.deepEqual(byFile, config);
      assert.deepEqual(byDocument, config);
      assert.deepEqual(bySopsAge, config);
      continue;
    }
    times.encrypt.push(encryptMs);
    times.decryptFile.push(decryptFileMs);
    times.decrypt.push(decryptMs);
    times.sopsAge.push(sopsAgeMs);
  }

  const values = (text.match(/ENC\[AES256_GCM/g) ?? []).length - 1; // less the MAC
  console.log(`secrets: ${values} values encrypted (${(text.length / 1024).toFixed(0)} KiB of JSON), ${RUNS} runs, medians in ms`);
  const rows = [
    ["flowspec encryptFile", times.encrypt],
    ["flowspec decryptFile", times.decryptFile],
    ["flowspec decrypt (object)", times.decrypt],
    ["baseline sops-age decryptSops", times.sopsAge],
  ];
  for (const [name, xs] of rows) console.log(`${name.padEnd(32)}${median(xs).toFixed(1).padStart(10)}`);
  const ratio = (flowspec) => (median(times.sopsAge) / median(flowspec)).toFixed(1);
  console.log(`ratio sops-age / flowspec (decrypt a file): ${ratio(times.decryptFile)}`);
  console.log(`ratio sops-age / flowspec (decrypt an object): ${ratio(times.decrypt)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
