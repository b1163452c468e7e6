"""Shared fixtures of the Python binding's tests (run against the built extension)."""

from __future__ import annotations

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
