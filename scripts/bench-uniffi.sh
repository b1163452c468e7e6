#!/usr/bin/env bash
# Benchmark of the Kotlin and Ruby bindings: the many-tables example with N
# tables (default 10,000) built and written from Kotlin and from Ruby,
# against the Python binding (examples/python/many_tables.py) in the same
# run: the whole program (start, build, validate, write), median of RUNS
# runs (default 5); then the cost of one call in each language, measured in
# process (bindings-uniffi/bench/): a bare round trip to the native library,
# and a DSL call with options (`collection`). Release builds of every binding.
#
# Usage: scripts/bench-uniffi.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}

export FLOWSPEC_PY_RELEASE=1 FLOWSPEC_UNIFFI_RELEASE=1
# shellcheck source=scripts/python-env.sh
source scripts/python-env.sh >/dev/null
# shellcheck source=scripts/uniffi-env.sh
source scripts/uniffi-env.sh >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
kotlin_build "$WORK/many-tables.jar" examples/kotlin/ManyTables.kt
kotlin_build "$WORK/calls.jar" bindings-uniffi/bench/Calls.kt

# Median wall time (seconds) of RUNS runs of a command.
median() {
    local times=()
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        end=$(date +%s.%N)
        times+=("$(echo "$end - $start" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

run_python() { python examples/python/many_tables.py "$1" "$WORK/python"; }
run_kotlin() { kotlin_run "$WORK/many-tables.jar" ManyTablesKt "$1" "$WORK/kotlin"; }
run_ruby() { ruby_run examples/ruby/many_tables.rb "$1" "$WORK/ruby"; }

for lang in python kotlin ruby; do
    "run_$lang" "$N" >/dev/null
done
cmp "$WORK/python/flow.yaml" "$WORK/kotlin/flow.yaml"
cmp "$WORK/python/flow.yaml" "$WORK/ruby/flow.yaml"

echo "many-tables N=$N ($(wc -c <"$WORK/python/flow.yaml") bytes, the same from each language); median of $RUNS runs"
printf '%-10s %10s %12s\n' language "N=$N" "vs python"
declare -A took
for lang in python kotlin ruby; do
    took[$lang]=$(median "run_$lang" "$N")
    printf '%-10s %9.3fs %11.2fx\n' "$lang" "${took[$lang]}" "$(echo "${took[$lang]} / ${took[python]}" | bc -l)"
done

echo "one call, in microseconds (median of $RUNS runs of $N calls)"
printf '%-10s %12s %12s\n' language "round trip" "collection"
for lang in python kotlin ruby; do
    case $lang in
        python) out=$(python bindings-uniffi/bench/calls.py "$N" "$RUNS") ;;
        kotlin) out=$(kotlin_run "$WORK/calls.jar" CallsKt "$N" "$RUNS") ;;
        ruby) out=$(ruby_run bindings-uniffi/bench/calls.rb "$N" "$RUNS") ;;
    esac
    printf '%-10s %12s %12s\n' "$lang" "$(awk '$1 == "names" {print $2}' <<<"$out")" \
        "$(awk '$1 == "collection" {print $2}' <<<"$out")"
done
