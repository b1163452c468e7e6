#!/usr/bin/env bash
# Benchmark of catalogs as code: `flowspec catalog codegen` of the
# many-tables catalog with N tables (default 10,000) in Python, TypeScript
# and Rust, and the time to run the generated Python program; each against
# a baseline in the same run: `flowspec bundle` of the same catalog (load
# and write it), and the hand-written examples/python/many_tables.py that
# made it. Median of RUNS runs (default 5). Uses the release CLI
# (cargo build --release -p flowspec-cli) and the .venv's extension.
#
# Usage: scripts/bench-codegen.sh [N] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-5}
ROOT=$PWD
cargo build -q --release --locked -p flowspec-cli
FLOWSPEC=$ROOT/target/release/flowspec
# shellcheck source=/dev/null
source .venv/bin/activate
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python examples/python/many_tables.py "$N" "$WORK/catalog" >/dev/null

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

bundle=$(median "$FLOWSPEC" bundle --source "$WORK/catalog/flow.yaml")
echo "catalog: many-tables N=$N ($(wc -c <"$WORK/catalog/flow.yaml") bytes); median of $RUNS runs"
printf '%-28s %8.3f s\n' "baseline: flowspec bundle" "$bundle"
for lang in python typescript rust; do
    t=$(median "$FLOWSPEC" catalog codegen --source "$WORK/catalog/flow.yaml" --lang "$lang" --out "$WORK/catalog/prog.$lang")
    size=$(wc -c <"$WORK/catalog/prog.$lang")
    printf '%-28s %8.3f s  %5.1fx baseline  (%d bytes)\n' "codegen --lang $lang" "$t" "$(echo "$t / $bundle" | bc -l)" "$size"
done

cp "$WORK/catalog/prog.python" "$WORK/catalog/flow.py"
example=$(median python examples/python/many_tables.py "$N" "$WORK/example")
generated=$(cd "$WORK/catalog" && median python flow.py "$WORK/generated.yaml")
printf '%-28s %8.3f s\n' "baseline: many_tables.py" "$example"
printf '%-28s %8.3f s  %5.1fx baseline\n' "generated flow.py" "$generated" "$(echo "$generated / $example" | bc -l)"
