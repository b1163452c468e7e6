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
    cat.capture(
        "acmeCo/refs/source",
        image="ghcr.io/estuary/source-http-ingest:dev",
        config="source.config.yaml",
    ).binding("resource.json", target="acmeCo/refs/events")
    cat.derivation(
        "acmeCo/refs/counts",
        schema="schemas/defs.yaml#/$defs/count",
        key=["/kind"],
        sqlite=["sql/001-init.sql", "CREATE TABLE inline (x INTEGER);"],
        shuffle_key_types=["string"],
    ).transform(
        "fromEvents",
        source="acmeCo/refs/events",
        shuffle={"lambda": "sql/shuffle.sql"},
        lambda_="sql/count.sql",
    )
    cat.collection("acmeCo/refs/events", schema="schemas/event.schema.yaml", key=["/id"])
    cat.collection(
        "acmeCo/refs/split",
        write_schema="schemas/defs.yaml#/$defs/write",
        read_schema="schemas/defs.yaml#Read",
        key=["/id"],
    )
    cat.derivation(
        "acmeCo/refs/ts",
        schema="schemas/defs.yaml#/$defs/count",
        key=["/kind"],
        typescript="module.ts",
    ).transform("fromEvents", source="acmeCo/refs/events", shuffle=["/kind"])
    cat.materialization(
        "acmeCo/refs/sink",
        image="ghcr.io/estuary/materialize-postgres:v1",
        config="sink.config.json",
    ).binding({"table": "events"}, source="acmeCo/refs/events")
    cat.test("acmeCo/refs/test").ingest("acmeCo/refs/events", "fixtures/events.yaml").verify(
        "acmeCo/refs/events",
        "fixtures/expected.json",
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
