"""Conformance: each Python example writes byte-for-byte the golden `flow.yaml`
that the Rust examples write (tests/golden/)."""

from __future__ import annotations

import doctest
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import flowspec as fs
from conftest import EXAMPLES, GOLDEN, REPO


def run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def golden(name: str) -> bytes:
    path = GOLDEN / name / "flow.yaml"
    assert path.exists(), f"missing {path}: run `FLOWSPEC_BLESS=1 cargo test -p flowspec-examples --test golden`"
    return path.read_bytes()


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_cicd_matches_the_golden_file(tmp_path: Path) -> None:
    out = tmp_path / "cicd"
    result = run("cicd.py", "--plaintext-secrets", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "flow.yaml").read_bytes() == golden("cicd")
    assert result.stdout.splitlines() == [
        "1 captures, 9 collections, 1 materializations, 1 tests: valid",
        "Running  1  tests...",
        "✔️ flow://catalog :: acmeCo/tests/example",
        "",
        "Ran 1 tests, 1 passed, 0 failed",
        f"wrote {out / 'flow.yaml'}",
        f"wrote {out / 'full-outer-join.flow.ts'}",
        f"wrote {out / 'line-item-totals.flow.ts'}",
    ]


def test_cicd_encrypts_its_secrets_and_decrypts_them_back(tmp_path: Path) -> None:
    out = tmp_path / "cicd"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOPS_")}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "cicd.py"), str(out)],
        cwd=tmp_path, capture_output=True, text=True, check=False, env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:8] == [
        "1 captures, 9 collections, 1 materializations, 1 tests: valid",
        "Running  1  tests...",
        "✔️ flow://catalog :: acmeCo/tests/example",
        "",
        "Ran 1 tests, 1 passed, 0 failed",
        f"wrote {out / 'flow.yaml'}",
        f"wrote {out / 'full-outer-join.flow.ts'}",
        f"wrote {out / 'line-item-totals.flow.ts'}",
    ]
    assert re.fullmatch(r"secrets: encrypted to age1[0-9a-z]{58} \(a temporary age identity\)", lines[8])
    assert re.fullmatch(
        r"published 12 specs to a local control plane \(http://127\.0\.0\.1:\d+/rest/v1\) as publication [0-9a-f]{16}",
        lines[9],
    ), lines[9]
    assert lines[10:] == [
        f"pulled 12 specs back into {tmp_path / 'cicd-pulled'}",
        "pulled catalog matches the published one (2 secrets encrypted by the control plane)",
        "secrets: 2 configs decrypt back to the catalog as built",
    ]
    pulled = (tmp_path / "cicd-pulled").rglob("*")
    assert not any(cicd_secret_in(p) for p in pulled if p.is_file())

    text = (out / "flow.yaml").read_text(encoding="utf-8")
    cicd = load_example("cicd")
    assert cicd.STRIPE_ACCESS_TOKEN not in text
    assert "MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7placeholder" not in text
    assert text.count("_sops: ENC[AES256_GCM,data:") == 2
    # The identity was temporary: another one cannot decrypt the file.
    with pytest.raises(fs.SecretsError):
        fs.Catalog.load(out / "flow.yaml", decrypt=True, identity=fs_identity(tmp_path))
    fs.Catalog.load(out / "flow.yaml").validate()


def cicd_secret_in(path: Path) -> bool:
    """Whether a file holds one of the example's secrets in plaintext."""
    cicd = load_example("cicd")
    text = path.read_text(encoding="utf-8")
    return cicd.STRIPE_ACCESS_TOKEN in text or cicd.SNOWFLAKE_PRIVATE_KEY.splitlines()[1] in text


def fs_identity(tmp_path: Path) -> str:
    """An identity that is not the example's."""
    path = tmp_path / "other-keys.txt"
    fs.age_keygen(path)
    return path.read_text(encoding="utf-8")


def test_cicd_typescript_module_is_the_rust_examples(tmp_path: Path) -> None:
    rust = (REPO / "examples" / "rust" / "src" / "cicd.rs").read_text(encoding="utf-8")
    out = tmp_path / "cicd"
    assert run("cicd.py", "--plaintext-secrets", str(out), cwd=tmp_path).returncode == 0
    for name, file in (("FULL_OUTER_JOIN_TS", "full-outer-join.flow.ts"), ("LINE_ITEM_TOTALS_TS", "line-item-totals.flow.ts")):
        match = re.search(name + r': &str = r#"(.*?)"#;', rust, re.S)
        assert match is not None
        assert (out / file).read_text(encoding="utf-8") == match.group(1)


def test_cicd_writes_to_out_cicd_by_default(tmp_path: Path) -> None:
    result = run("cicd.py", "--plaintext-secrets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "cicd" / "flow.yaml").read_bytes() == golden("cicd")


def test_many_tables_matches_the_golden_file(tmp_path: Path) -> None:
    out = tmp_path / "many"
    result = run("many_tables.py", "25", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "flow.yaml").read_bytes() == golden("many-tables")
    assert result.stdout.splitlines() == ["25 tables: valid", f"wrote {out / 'flow.yaml'}"]


def test_many_tables_defaults_to_25_tables_in_out(tmp_path: Path) -> None:
    result = run("many_tables.py", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "many-tables" / "flow.yaml").read_bytes() == golden("many-tables")


@pytest.mark.parametrize("n", ["many", "-1"])
def test_many_tables_rejects_a_bad_n(tmp_path: Path, n: str) -> None:
    result = run("many_tables.py", n, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: N must be a number of tables")


def test_many_tables_description_and_types() -> None:
    many_tables = load_example("many_tables")
    tables = many_tables.describe_tables(4)
    assert [t.name for t in tables] == ["table_0000", "table_0001", "table_0002", "table_0003"]
    assert [t.columns[-1] for t in tables] == [
        ("active", "boolean", True),
        ("quantity", "integer", True),
        ("note", "text", True),
        ("attributes", "jsonb", True),
    ]
    assert many_tables.column_schema("bigint", False) == {"type": "integer"}
    assert many_tables.column_schema("numeric", True) == {"type": ["number", "null"]}
    assert many_tables.column_schema("timestamptz", False) == {"type": "string", "format": "date-time"}
    assert many_tables.column_schema("jsonb", True) == {}
    assert many_tables.table_schema(tables[0])["required"] == ["id", "name", "created_at"]


def test_many_tables_scales(tmp_path: Path) -> None:
    many_tables = load_example("many_tables")
    cat: fs.Catalog = many_tables.catalog(300)
    cat.validate()
    assert len(cat.collections) == 300
    assert fs.Catalog.load(cat.write(tmp_path / "flow.yaml")[0]) == cat


@pytest.mark.parametrize("name", ["cicd", "many_tables"])
def test_example_docstrings(name: str) -> None:
    module = load_example(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0
