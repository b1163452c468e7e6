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
    cat.derivation(
        "acmeCo/stock/daily-stats",
        schema="schemas/daily-stat.schema.yaml",
        key=["/security", "/date"],
        projections={"exchange": {"location": "/exchange", "partition": True}},
        typescript="export class Derivation {}\n",
    ).transform(
        "fromTicks",
        source="acmeCo/stock/ticks",
        partitions={"include": {"exchange": ["NYSE", "NASDAQ"]}},
        shuffle=["/security"],
    )
    cat.collection(
        "acmeCo/stock/ticks",
        write_schema="schemas/L1-tick.schema.yaml",
        read_schema="schemas/L1-tick.schema.yaml#/$defs/withRequired",
        key=["/security", "/time"],
        projections={"exchange": {"location": "/exchange", "partition": True}},
    )
    cat.test("acmeCo/stock/test-daily-stats", description="Daily stats by exchange.").ingest(
        "acmeCo/stock/ticks",
        [
            {
                "exchange": "NYSE",
                "security": "ACME",
                "time": "2024-01-02T15:00:00Z",
                "bid": {"price": 10.0, "size": 100},
                "ask": {"price": 10.5, "size": 50},
            },
        ],
    ).verify(
        "acmeCo/stock/daily-stats",
        [{"security": "ACME", "date": "2024-01-02"}],
        partitions={"include": {"exchange": ["NYSE"]}},
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
