#!/usr/bin/env python3
""""Many tables": a Postgres capture of N tables into N collections whose
schemas are generated from a table description, and a Snowflake
materialization of all of them.

The table description stands in for what a script would read from the
database's ``information_schema``; the Rust and TypeScript versions of this
example generate exactly the same one, so all three write the same
``flow.yaml``.

Usage: ``python examples/python/many_tables.py [N] [OUT_DIR]`` (default 25
tables into ``out/many-tables``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Tuple

import flowspec as fs

Column = Tuple[str, str, bool]
"""A column of a table: name, Postgres type, nullable."""


@dataclass
class Table:
    """A table of the source database."""

    name: str
    columns: list[Column]


def describe_tables(n: int) -> list[Table]:
    """The description of the source database: ``n`` tables ``table_0000``,
    ``table_0001``, ... with five common columns and one that varies.

    >>> [t.name for t in describe_tables(2)]
    ['table_0000', 'table_0001']
    """
    extras: list[Column] = [
        ("active", "boolean", True),
        ("quantity", "integer", True),
        ("note", "text", True),
        ("attributes", "jsonb", True),
    ]
    return [
        Table(
            name=f"table_{i:04}",
            columns=[
                ("id", "bigint", False),
                ("name", "text", False),
                ("amount", "numeric", True),
                ("created_at", "timestamptz", False),
                ("updated_at", "timestamptz", True),
                extras[i % 4],
            ],
        )
        for i in range(n)
    ]


_TYPES: dict[str, tuple[str, str | None]] = {
    "bigint": ("integer", None),
    "integer": ("integer", None),
    "numeric": ("number", None),
    "text": ("string", None),
    "boolean": ("boolean", None),
    "timestamptz": ("string", "date-time"),
}


def column_schema(pg_type: str, nullable: bool) -> dict[str, Any]:
    """The JSON schema of a Postgres column type (``jsonb``: any JSON value).

    >>> column_schema("timestamptz", True)
    {'type': ['string', 'null'], 'format': 'date-time'}
    """
    if pg_type not in _TYPES:
        return {}
    ty, fmt = _TYPES[pg_type]
    schema: dict[str, Any] = {"type": [ty, "null"] if nullable else ty}
    if fmt is not None:
        schema["format"] = fmt
    return schema


def table_schema(table: Table) -> dict[str, Any]:
    """The collection schema of a table."""
    return {
        "type": "object",
        "properties": {name: column_schema(ty, nullable) for name, ty, nullable in table.columns},
        "required": [name for name, _, nullable in table.columns if not nullable],
    }


def catalog(n: int) -> fs.Catalog:
    """Builds the catalog for ``n`` tables.

    >>> cat = catalog(3)
    >>> len(cat.collections), len(cat.captures["acmeCo/many-tables/source-postgres"].spec["bindings"])
    (3, 3)
    """
    cat = fs.Catalog()
    capture = cat.capture(
        "acmeCo/many-tables/source-postgres",
        image="ghcr.io/estuary/source-postgres:v1",
        config={
            "address": "postgres.example.com:5432",
            "database": "app",
            "user": "flow_capture",
            "password": "change-me",
        },
    )
    materialization = cat.materialization(
        "acmeCo/many-tables/materialize-snowflake",
        image="ghcr.io/estuary/materialize-snowflake:v1",
        config={
            "host": "orgname-accountname.snowflakecomputing.com",
            "database": "analytics",
            "schema": "many_tables",
            "warehouse": "loading",
        },
    )
    for table in describe_tables(n):
        collection = f"acmeCo/many-tables/{table.name}"
        capture.binding({"namespace": "public", "stream": table.name}, target=collection)
        materialization.binding({"table": table.name}, source=collection)
        cat.collection(collection, schema=table_schema(table), key=["/id"])
    return cat


def main(argv: list[str]) -> int:
    try:
        n = int(argv[1]) if len(argv) > 1 else 25
        if n < 0:
            raise ValueError("N must not be negative")
    except ValueError as err:
        print(f"error: N must be a number of tables: {err}", file=sys.stderr)
        return 2
    out = Path(argv[2]) if len(argv) > 2 else Path("out/many-tables")
    try:
        cat = catalog(n)
        cat.validate()
        written = cat.write(out / "flow.yaml", layout="flat")
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    print(f"{n} tables: valid")
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
