#!/usr/bin/env python3
"""Builds `flow.yaml` with flowspec.

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
        "acmeCo/anchors/first",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "n": {"type": "integer"},
                "tag": {"type": "string"},
            },
            "required": ["id"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/anchors/second",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "n": {"type": "integer"},
                "tag": {"type": "string"},
            },
            "required": ["id"],
        },
        key=["/id"],
    )
    cat.test("acmeCo/anchors/test").ingest(
        "acmeCo/anchors/first",
        [{"id": "a", "n": 1}, {"n": 1, "id": "b", "tag": "merged"}],
    ).verify("acmeCo/anchors/first", [{"id": "a", "n": 1}, {"id": "b", "n": 1, "tag": "merged"}])
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
