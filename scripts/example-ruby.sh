#!/usr/bin/env bash
# Runs the Ruby examples: builds the native library and the Ruby binding's
# native layer (as scripts/uniffi-env.sh does), then writes the CI/CD pipeline
# to OUT_DIR/cicd (default out/ruby/cicd) — validated, its test run locally,
# its secrets encrypted and decrypted back, and, unless --no-publish,
# published to a local control plane and pulled back — and the "many tables"
# catalog (25 tables) to OUT_DIR/many-tables.
#
# Usage: scripts/example-ruby.sh [--plaintext-secrets] [--no-publish] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/example-args.sh
source scripts/example-args.sh example-ruby.sh out/ruby "$@"

# shellcheck source=scripts/uniffi-env.sh
source scripts/uniffi-env.sh

echo "== ruby: examples/ruby/cicd.rb"
ruby_run examples/ruby/cicd.rb ${flags[@]+"${flags[@]}"} "$out/cicd"

echo "== ruby: examples/ruby/many_tables.rb"
ruby_run examples/ruby/many_tables.rb 25 "$out/many-tables"
