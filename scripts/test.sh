#!/usr/bin/env bash
# Builds everything and runs every test: Rust (format, lint, tests), the
# shared sops vectors, the Python binding (scripts/python.sh), the Node
# binding (scripts/node.sh) and the Kotlin and Ruby bindings
# (scripts/uniffi.sh). Needs cargo, python3 with venv/pip, node and npm, a
# JDK, and `../shared` beside the checkout for the third-party sops vectors.
# Installs the rest itself: Debian's age CLI, the repo-local .venv with the
# real sops and PyYAML (scripts/venv.sh), which the Rust tests use too, and
# what the Kotlin and Ruby bindings need (scripts/uniffi-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's age CLI checks the age stanzas of the sops files flowspec writes.
if ! command -v age >/dev/null 2>&1; then
    echo "== installing Debian's age CLI"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq age >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq age >/dev/null
    fi
fi

# shellcheck source=scripts/venv.sh
source scripts/venv.sh

echo "== rust: format, lint, tests"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked

echo "== rust: the third-party sops vectors of ../shared/fixtures/sops"
cargo test -p flowspec --locked --test shared_vectors -- --ignored

./scripts/python.sh
./scripts/node.sh
./scripts/uniffi.sh
