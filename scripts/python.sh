#!/usr/bin/env bash
# The Python binding's checks: builds flowspec into the repo-local .venv
# (created if missing, with the pinned tools of
# bindings-python/requirements-dev.txt), then runs pytest, mypy --strict and
# pyright on the examples, the typing test and the generated programs of
# tests/codegen/. Exits non-zero on any failure.
#
# Usage: scripts/python.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# shellcheck source=scripts/python-env.sh
source scripts/python-env.sh

echo "== python: pytest"
python -m pytest -q bindings-python/tests "$@"

echo "== python: mypy --strict"
mypy --strict --config-file bindings-python/pyproject.toml \
    examples/python bindings-python/tests/typing_check.py \
    bindings-python/python/flowspec/pytest_plugin.py

echo "== python: mypy --strict on the generated programs (tests/codegen/, one at a time: each is flow.py)"
for program in tests/codegen/*/flow.py; do
    mypy --strict --config-file bindings-python/pyproject.toml "$program"
done

echo "== python: pyright"
pyright --pythonpath "$ROOT/.venv/bin/python" -p bindings-python/pyproject.toml \
    examples/python bindings-python/tests/typing_check.py \
    bindings-python/python/flowspec/pytest_plugin.py tests/codegen/*/flow.py
