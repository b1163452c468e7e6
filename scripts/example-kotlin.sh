#!/usr/bin/env bash
# Runs the Kotlin examples: builds the native library and the Kotlin binding
# (as scripts/uniffi-env.sh does) and the examples' jars, then writes the
# CI/CD pipeline to OUT_DIR/cicd (default out/kotlin/cicd) — validated, its
# test run locally, its secrets encrypted and decrypted back, and, unless
# --no-publish, published to a local control plane and pulled back — and the
# "many tables" catalog (25 tables) to OUT_DIR/many-tables.
#
# Usage: scripts/example-kotlin.sh [--plaintext-secrets] [--no-publish] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/example-args.sh
source scripts/example-args.sh example-kotlin.sh out/kotlin "$@"

# shellcheck source=scripts/uniffi-env.sh
source scripts/uniffi-env.sh

jars=target/uniffi/examples
mkdir -p "$jars"
# Compiles an example unless its jar is newer than it and the binding.
compile() {
    if [ ! "$1" -nt "$2" ] || [ ! "$1" -nt "$FLOWSPEC_JAR" ]; then
        echo "== kotlin: compile $2"
        kotlin_build "$1" "$2"
    fi
}
compile "$jars/cicd.jar" examples/kotlin/Cicd.kt
compile "$jars/many-tables.jar" examples/kotlin/ManyTables.kt

echo "== kotlin: examples/kotlin/Cicd.kt"
kotlin_run "$jars/cicd.jar" CicdKt ${flags[@]+"${flags[@]}"} "$out/cicd"

echo "== kotlin: examples/kotlin/ManyTables.kt"
kotlin_run "$jars/many-tables.jar" ManyTablesKt 25 "$out/many-tables"
