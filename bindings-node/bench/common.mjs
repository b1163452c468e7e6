// What the benchmarks share: the median of timings, and a warning when the
// addon is a debug build (whose timings mean little).

import { statSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The median of `xs`. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Warns on stderr when the built addon looks like a debug build. */
export function warnIfDebugBuild() {
  const addon = require.resolve("../flowspec.linux-x64-gnu.node");
  if (statSync(addon).size > 64 * 1024 * 1024) {
    console.warn("warning: the addon looks like a debug build; run `npm run build:release` first\n");
  }
}
