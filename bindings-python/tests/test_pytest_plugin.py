"""The pytest plugin, run in a real pytest subprocess: catalog tests from a
flow.yaml (`--flowspec-source`) and from a conftest hook become items that
pass and fail with the step and differences."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FLOW = """
collections:
  acmeCo/sums:
    schema:
      type: object
      reduce: {strategy: merge}
      properties:
        id: {type: string}
        n: {type: integer, reduce: {strategy: sum}}
      required: [id]
    key: [/id]
tests:
  acmeCo/tests/good:
    - ingest: {collection: acmeCo/sums, documents: [{id: a, n: 3}, {id: a, n: 5}]}
    - verify: {collection: acmeCo/sums, documents: [{id: a, n: 8}]}
  acmeCo/tests/bad:
    - ingest: {collection: acmeCo/sums, documents: [{id: a, n: 3}]}
    - verify: {collection: acmeCo/sums, documents: [{id: a, n: 4}]}
"""


def pytest_run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_flowspec_source_makes_an_item_per_catalog_test(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(FLOW)
    done = pytest_run(tmp_path, "--flowspec-source", "flow.yaml")
    out = done.stdout
    assert done.returncode == 1, out
    assert "1 failed, 1 passed" in out
    assert "PASSED flow.yaml::acmeCo/tests/good" in out
    assert "FAILED flow.yaml::acmeCo/tests/bad" in out
    assert "catalog test acmeCo/tests/bad failed at flow.yaml step 1" in out
    assert "/n: expected 4, actual 3" in out

    selected = pytest_run(tmp_path, "--flowspec-source", "flow.yaml", "-k", "good")
    assert selected.returncode == 0, selected.stdout
    assert "1 passed" in selected.stdout


def test_a_conftest_hook_gives_catalogs_built_in_code(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "import flowspec as fs\n"
        "def pytest_flowspec_catalogs(config):\n"
        "    cat = fs.Catalog()\n"
        "    cat.collection('acmeCo/sums', schema={'type': 'object', 'properties': {'id': {'type': 'string'}}, 'required': ['id']}, key=['/id'])\n"
        "    cat.test('acmeCo/tests/ids').ingest('acmeCo/sums', [{'id': 'x'}]).verify('acmeCo/sums', [{'id': 'x'}])\n"
        "    return {'pipeline': cat}\n"
    )
    done = pytest_run(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "PASSED pipeline::acmeCo/tests/ids" in done.stdout
