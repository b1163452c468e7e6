"""Shared fixtures of the Python binding's tests (run against the built extension)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import flowspec as fs

REPO = Path(__file__).resolve().parents[2]
"""The repository root."""

GOLDEN = REPO / "tests" / "golden"
EXAMPLES = REPO / "examples" / "python"
CATALOGS = REPO / "tests" / "catalogs"

OBJECT_WITH_ID = {
    "type": "object",
    "properties": {"id": {"type": "string"}},
    "required": ["id"],
}
"""A collection schema with a string key `/id`."""


@pytest.fixture
def no_sops_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The test sees no sops keys or recipients of the machine it runs on."""
    for name in list(os.environ):
        if name.startswith("SOPS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def cat() -> fs.Catalog:
    """An empty catalog."""
    return fs.Catalog()


@pytest.fixture
def pipeline() -> fs.Catalog:
    """A small valid catalog: a capture into a collection, and a materialization of it."""
    cat = fs.Catalog()
    cat.capture(
        "acmeCo/source-hello",
        image="ghcr.io/estuary/source-hello-world:dev",
        config={"password": "hunter2", "rate": 1},
    ).binding({"name": "greetings"}, target="acmeCo/greetings")
    cat.collection("acmeCo/greetings", schema=OBJECT_WITH_ID, key=["/id"])
    cat.materialization(
        "acmeCo/to-postgres",
        image="ghcr.io/estuary/materialize-postgres:dev",
        config={"address": "db:5432", "password": "hunter2"},
    ).binding({"table": "greetings"}, source="acmeCo/greetings")
    return cat
