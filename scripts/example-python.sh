#!/usr/bin/env bash
# Runs the flagship Python example: builds flowspec into the repo-local .venv
# (as scripts/python.sh does), then writes the CI/CD pipeline to out/cicd
# (or the directory given) and validates it.
#
# Usage: scripts/example-python.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/python-env.sh
source scripts/python-env.sh

echo "== python: examples/python/cicd.py"
python examples/python/cicd.py "$@"
