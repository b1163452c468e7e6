#!/usr/bin/env bash
# The flagship example: the CI/CD pipeline of Estuary's "flowctl in automated
# contexts" guide, built with the Python DSL, validated, and written to
# out/cicd (or the directory given). Offline; installs what it needs into a
# repo-local .venv.
set -euo pipefail
exec "$(dirname "$0")/example-python.sh" "$@"
