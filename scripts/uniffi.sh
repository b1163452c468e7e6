#!/usr/bin/env bash
# Builds the Kotlin and Ruby bindings (scripts/uniffi-env.sh, which installs
# what they need) and runs their checks and tests:
#   1. Kotlin: the JUnit 4 tests of bindings-uniffi/kotlin/tests;
#   2. Ruby: the minitest tests of bindings-uniffi/ruby/test, and the gem builds;
#   3. both languages' examples (scripts/example-kotlin.sh and
#      scripts/example-ruby.sh) with --plaintext-secrets, whose files must be
#      byte-identical to tests/golden/ as every language's are; then the CI/CD
#      example again as a user runs it: secrets encrypted, published to a local
#      control plane and pulled back.
# Needs cargo, a JDK, Node's npm and Debian's apt (for ruby, ruby-ffi,
# libjna-java and junit4 when missing). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/uniffi-env.sh
source scripts/uniffi-env.sh

work=target/uniffi/check
rm -rf "$work"
mkdir -p "$work"

echo "== kotlin: tests (JUnit 4)"
kotlin_build "$work/tests.jar" bindings-uniffi/kotlin/tests/*.kt
kotlin_run "$work/tests.jar" org.junit.runner.JUnitCore FlowspecTest

echo "== ruby: tests (minitest)"
ruby_run -Ibindings-uniffi/ruby/test -e \
    'Dir["bindings-uniffi/ruby/test/test_*.rb"].sort.each { |f| require File.expand_path(f) }'

echo "== ruby: the gem builds"
(cd bindings-uniffi/ruby && gem build -q flowspec.gemspec -o "../../$work/flowspec.gem" >/dev/null)

for lang in kotlin ruby; do
    echo "== $lang: examples, against tests/golden"
    out=$work/$lang
    "./scripts/example-$lang.sh" --plaintext-secrets --no-publish "$out" >/dev/null
    for file in cicd/flow.yaml cicd/full-outer-join.flow.ts cicd/line-item-totals.flow.ts many-tables/flow.yaml; do
        cmp "tests/golden/$file" "$out/$file"
    done
    echo "$lang examples: byte-identical to tests/golden"
    echo "== $lang: the CI/CD example, encrypted and published"
    "./scripts/example-$lang.sh" "$out-published"
done
