#!/usr/bin/env bash
# Builds the Node binding (debug) and runs its checks and tests:
#   1. npm packages of bindings-node/ (npm ci from package-lock.json);
#   2. the addon, with `napi build` (index.js and index.d.ts are generated
#      and must match the committed ones);
#   3. npm packages of examples/typescript/ (flowspec is linked from bindings-node/);
#   4. tsc --strict on the type test and the examples (which compiles them);
#   5. node --test: the binding's tests, including the examples' goldens.
# Needs Node >= 20.17 with npm, cargo, and Debian's `age` CLI (the secrets
# tests check flowspec's sops files with it; scripts/test.sh installs it).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

npm_install() {
    if [ -f "$1/package-lock.json" ]; then
        (cd "$1" && npm ci --no-audit --no-fund)
    else
        (cd "$1" && npm install --no-audit --no-fund)
    fi
}

echo "== node: npm packages (bindings-node)"
npm_install bindings-node

echo "== node: build the addon (debug)"
(cd bindings-node && npm run --silent build)

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "== node: generated index.js and index.d.ts are committed as built"
    if ! git diff --exit-code -- bindings-node/index.js bindings-node/index.d.ts; then
        echo "error: bindings-node/index.js or index.d.ts differ from the build: commit the generated files" >&2
        exit 1
    fi
fi

echo "== node: npm packages (examples/typescript)"
npm_install examples/typescript

echo "== node: tsc --strict (type test, examples)"
(cd bindings-node && npx tsc -p tsconfig.json)
(cd examples/typescript && npx tsc -p tsconfig.json)

echo "== node: tests"
(cd bindings-node && node --test __test__/)
