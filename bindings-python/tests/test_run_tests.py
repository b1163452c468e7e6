"""Catalog tests run locally through the binding: reductions, SQLite and
TypeScript derivations, the results and report, filters, snapshots and the
errors of bad input."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

import flowspec as fs

SUMS = {
    "type": "object",
    "reduce": {"strategy": "merge"},
    "properties": {
        "id": {"type": "string"},
        "n": {"type": "integer", "reduce": {"strategy": "sum"}},
    },
    "required": ["id"],
}


def sums(expected_a: int) -> fs.Catalog:
    cat = fs.Catalog()
    cat.collection("acmeCo/sums", schema=SUMS, key=["/id"])
    cat.test("acmeCo/tests/sums").ingest(
        "acmeCo/sums", [{"id": "a", "n": 3}, {"id": "b", "n": 1}, {"id": "a", "n": 5}]
    ).verify("acmeCo/sums", [{"id": "a", "n": expected_a}, {"id": "b", "n": 1}])
    return cat


def test_a_passing_test_reduces_by_key() -> None:
    results = sums(8).run_tests()
    assert results["ok"] is True
    assert (results["passed"], results["failed"]) == (1, 0)
    assert results["summary"] == "Ran 1 tests, 1 passed, 0 failed"
    [test] = results["tests"]
    assert test["test"] == "acmeCo/tests/sums"
    assert test["passed"] is True
    assert "failure" not in test
    assert results["report"] == (
        "Running  1  tests...\n✔️ flow://catalog :: acmeCo/tests/sums\n\nRan 1 tests, 1 passed, 0 failed\n"
    )


def test_a_failing_verify_names_the_step_and_each_difference() -> None:
    results = sums(999).run_tests()
    assert results["ok"] is False
    [test] = results["tests"]
    failure = test["failure"]
    assert failure["step"] == 1
    assert failure["pointer"] == "/tests/acmeCo~1tests~1sums/steps/1"
    [mismatch] = failure["mismatches"]
    assert mismatch["kind"] == "mismatched"
    assert mismatch["index"] == 0
    assert mismatch["differences"] == ["/n: expected 999, actual 8"]
    assert mismatch["actual"] == {"id": "a", "n": 8, "_meta": {"uuid": "flow-uuid"}}
    assert "verify: actual and expected document(s) did not match:" in results["report"]
    assert "❌ flow://catalog failure at step /tests/acmeCo~1tests~1sums/steps/1 :" in results["report"]


def test_tests_filter_snapshot_and_async(tmp_path: Path) -> None:
    cat = sums(8)
    cat.test("acmeCo/tests/other").ingest("acmeCo/sums", [{"id": "z", "n": 1}]).verify(
        "acmeCo/sums", [{"id": "z", "n": 2}]
    )
    results = cat.run_tests(tests=["acmeCo/tests/sums"], snapshot=str(tmp_path))
    assert [t["test"] for t in results["tests"]] == ["acmeCo/tests/sums"]
    snap = json.loads((tmp_path / "acmeCo/tests/sums/verify-1.json").read_text())
    assert snap == [
        {"id": "a", "n": 8, "_meta": {"uuid": "flow-uuid"}},
        {"id": "b", "n": 1, "_meta": {"uuid": "flow-uuid"}},
    ]
    results = asyncio.run(cat.run_tests_async())
    assert results["summary"] == "Ran 2 tests, 1 passed, 1 failed"


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(fs.FlowspecError) as err:
        sums(8).run_tests(tests=["acmeCo/tests/nope"])
    assert err.value.code == "reference_undefined"
    assert "acmeCo/tests/nope" in str(err.value)
    with pytest.raises(TypeError) as type_err:
        sums(8).run_tests(snapshots="x")  # type: ignore[call-arg]
    assert "unknown option `snapshots`, did you mean `snapshot`?" in str(type_err.value)
    cat = fs.Catalog()
    cat.collection("acmeCo/sums", schema=SUMS, key=["/id"])
    cat.test("acmeCo/tests/bad").ingest("acmeCo/sums", [{"id": 5}])
    with pytest.raises(fs.ValidationError) as verr:
        cat.run_tests()
    assert "acmeCo/tests/bad" in str(verr.value)


def test_an_invalid_ingest_fails_the_case_at_its_step() -> None:
    cat = fs.Catalog()
    cat.collection("acmeCo/sums", schema=SUMS, key=["/id"])
    cat.test("acmeCo/tests/overflow").ingest(
        "acmeCo/sums", [{"id": "a", "n": 18446744073709551615}, {"id": "a", "n": 1}]
    )
    results = cat.run_tests()
    failure = results["tests"][0]["failure"]
    assert failure["step"] == 0
    assert "ingest into acmeCo/sums" in failure["message"]
    assert "numeric overflow" in failure["message"]
