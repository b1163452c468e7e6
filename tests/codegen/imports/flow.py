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
        "acmeCo/imports/nested",
        schema={"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        key=["/id"],
    )
    cat.collection(
        "acmeCo/imports/root",
        schema={"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        key=["/id"],
    )
    cat.test("acmeCo/imports/test").ingest("acmeCo/imports/nested", [{"id": "a"}]).verify(
        "acmeCo/imports/nested",
        [{"id": "a"}],
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
