#!/usr/bin/env python3
"""Builds `flow.json` with flowspec.

Run it in the catalog's directory: `python flow.py [OUT]` writes OUT (default
flow.yaml); relative file references resolve from that directory.
"""

from __future__ import annotations

import sys

import flowspec as fs


def catalog() -> fs.Catalog:
    """The catalog."""
    cat = fs.Catalog()
    cat.collection(
        "acmeCo/json/items",
        schema={
            "type": "object",
            "properties": {"id": {"type": "string"}, "qty": {"type": "integer"}},
            "required": ["id"],
        },
        key=["/id"],
    )
    cat.materialization(
        "acmeCo/json/sink",
        image="ghcr.io/estuary/materialize-bigquery:v1",
        config={"project_id": "p", "dataset": "d", "region": "US"},
    ).binding(
        {"table": "items", "delta_updates": True},
        source="acmeCo/json/items",
        fields={"exclude": ["qty"], "recommended": True},
    )
    return cat


def main(argv: list[str]) -> int:
    target = argv[1] if len(argv) > 1 else "flow.yaml"
    try:
        for path in catalog().write(target):
            print(f"wrote {path}")
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
