#!/usr/bin/env bash
# Builds everything and runs every test. Needs: Rust (cargo), and `../shared`
# beside the checkout for the third-party test vectors.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rust: format, lint, tests"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
