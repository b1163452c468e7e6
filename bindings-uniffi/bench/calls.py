"""The cost of one call of the Python binding, in microseconds: a bare round
trip to the extension (``tests.keys()``, the names of a kind), and a DSL call
with options (``collection``). Median of RUNS runs of CALLS calls each: the
baseline of scripts/bench-uniffi.sh, beside Calls.kt and calls.rb.

Usage: ``python calls.py [CALLS] [RUNS]``
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Callable

import flowspec as fs


def median(runs: int, calls: int, body: Callable[[int], None]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body(calls)
        times.append((time.perf_counter() - start) * 1e6 / calls)
    return statistics.median(times)


def main(argv: list[str]) -> None:
    calls = int(argv[1]) if len(argv) > 1 else 10_000
    runs = int(argv[2]) if len(argv) > 2 else 5
    schema = {"type": "object", "properties": {"id": {"type": "integer"}}}
    cat = fs.Catalog()

    def names(n: int) -> None:
        for _ in range(n):
            cat.tests.keys()

    def adds(n: int) -> None:
        fresh = fs.Catalog()
        for i in range(n):
            fresh.collection(f"acmeCo/t{i}", schema=schema, key=["/id"])

    print(f"names {median(runs, calls, names):.2f}")
    print(f"collection {median(runs, calls, adds):.2f}")


if __name__ == "__main__":
    main(sys.argv)
