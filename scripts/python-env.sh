# Sourced by scripts/python.sh and scripts/example-python.sh: the repo-local
# .venv with the pinned tools (scripts/venv.sh), and the extension built
# into it (`maturin develop`; FLOWSPEC_PY_RELEASE=1 for a release build).

# shellcheck source=scripts/venv.sh
source scripts/venv.sh

echo "== python: build the extension (maturin develop)"
(
    cd bindings-python
    if [ "${FLOWSPEC_PY_RELEASE:-0}" = 1 ]; then
        maturin develop --locked --release -q
    else
        maturin develop --locked -q
    fi
)
