# Sourced by scripts/python.sh and scripts/example-python.sh: creates the
# repo-local .venv if missing, activates it, installs the pinned dev tools
# and builds the extension into it (`maturin develop`; FLOWSPEC_PY_RELEASE=1
# for a release build).
[ -x .venv/bin/python ] || python3 -m venv .venv
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
unset PYTHONHOME

echo "== python: dev tools (bindings-python/requirements-dev.txt)"
python -m pip install -q --disable-pip-version-check -r bindings-python/requirements-dev.txt

echo "== python: build the extension (maturin develop)"
(
    cd bindings-python
    if [ "${FLOWSPEC_PY_RELEASE:-0}" = 1 ]; then
        maturin develop --locked --release -q
    else
        maturin develop --locked -q
    fi
)
