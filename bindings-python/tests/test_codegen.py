"""Catalogs as code: the Python programs `flowspec catalog codegen` wrote
for the test catalogs and the examples (tests/codegen/, kept up to date by
`cargo test -p flowspec-codegen-tests`) run and write the catalogs they were
made from: the same bundle, with the secrets read from the environment and
encrypted with sops. The examples that only Python has are generated and run
here too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import flowspec as fs
from conftest import EXAMPLES, REPO

CODEGEN = REPO / "tests" / "codegen"

CASES = [(c["case"], c["source"]) for c in json.loads((CODEGEN / "cases.json").read_text())]


def pointer(value: Any, at: str) -> Any:
    for step in at.split("/")[1:]:
        step = step.replace("~1", "/").replace("~0", "~")
        value = value[int(step)] if isinstance(value, list) else value[step]
    return value


def run_program(program: Path, target: Path, secrets: list[dict[str, Any]], tmp: Path) -> Any:
    """Runs `program` in the target's directory with the secrets of the
    catalog at `target` in its environment; returns the bundle before."""
    before = fs.Catalog.load(target).bundle().to_dict()
    keys = tmp / "keys.txt"
    env = {**os.environ, "SOPS_AGE_RECIPIENTS": fs.age_keygen(keys)}
    for var in secrets:
        value = pointer(before[var["kind"] + "s"][var["name"]], var["pointer"])
        env[var["env"]] = value if isinstance(value, str) and not var["json"] else json.dumps(value)
    run = subprocess.run(
        [sys.executable, str(program), target.name],
        cwd=target.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return before


@pytest.mark.parametrize(("case", "source"), CASES, ids=[c for c, _ in CASES])
def test_generated_program_writes_the_catalog_it_was_made_from(case: str, source: str, tmp_path: Path) -> None:
    src = REPO / source
    work = tmp_path / "catalog"
    shutil.copytree(src.parent, work)
    target = work / src.name
    secrets = json.loads((CODEGEN / case / "secrets.json").read_text())
    before = run_program(CODEGEN / case / "flow.py", target, secrets, tmp_path)
    after = fs.Catalog.load(target, decrypt=True, key_file=tmp_path / "keys.txt").bundle().to_dict()
    assert after == before
    text = target.read_text()
    for var in secrets:
        assert pointer(before[var["kind"] + "s"][var["name"]], var["pointer"]) not in text


@pytest.mark.parametrize("example", ["acmebank", "balances", "reductions"])
def test_the_python_examples_round_trip_through_codegen(example: str, tmp_path: Path) -> None:
    out = tmp_path / example
    made = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{example}.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    flowspec = shutil.which("flowspec", path=str(REPO / "target" / "debug"))
    assert flowspec, "the flowspec CLI is built (cargo build)"
    program = out / "flow.py"
    gen = subprocess.run(
        [flowspec, "catalog", "codegen", "--source", str(out / "flow.yaml"), "--lang", "python", "--out", str(program)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert gen.returncode == 0, gen.stderr
    before = run_program(program, out / "flow.yaml", [], tmp_path)
    assert fs.Catalog.load(out / "flow.yaml").bundle().to_dict() == before


def test_a_program_without_its_secrets_names_the_variable_and_writes_nothing(tmp_path: Path) -> None:
    work = tmp_path / "cicd"
    shutil.copytree(REPO / "tests" / "golden" / "cicd", work)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_STRIPE_NATIVE_ACCESS_TOKEN"}
    run = subprocess.run(
        [sys.executable, str(CODEGEN / "cicd" / "flow.py")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr == (
        "set the environment variable SOURCE_STRIPE_NATIVE_ACCESS_TOKEN: it holds a secret of the catalog\n"
    )
    assert (work / "flow.yaml").read_bytes() == (REPO / "tests" / "golden" / "cicd" / "flow.yaml").read_bytes()
