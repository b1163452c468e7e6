#!/usr/bin/env python3
"""Benchmark: the "many tables" pipeline with flowspec against plain dicts + PyYAML.

flowspec builds the catalog of ``examples/python/many_tables.py`` for N
tables, validates it and writes ``flow.yaml``. The baseline builds the same
catalog as plain dicts (in the model's form) and writes it with PyYAML's
``safe_dump`` (the C ``CSafeDumper`` when PyYAML has it); it does not
validate. Each is run several times in the same process; the medians and
their ratio are reported (target: flowspec, validation included, no slower
than the baseline).

Use a release build of the extension::

    FLOWSPEC_PY_RELEASE=1 source scripts/python-env.sh   # or: maturin develop --release
    python bindings-python/bench/many_tables.py [--tables 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import yaml


def _load_example() -> Any:
    """The example ``examples/python/many_tables.py`` (its table description and catalog)."""
    path = Path(__file__).resolve().parents[2] / "examples" / "python" / "many_tables.py"
    spec = importlib.util.spec_from_file_location("many_tables_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


many_tables = _load_example()

try:
    from yaml import CSafeDumper as Dumper
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]


def flowspec_run(n: int, out: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    cat = many_tables.catalog(n)
    t1 = time.perf_counter()
    cat.validate()
    t2 = time.perf_counter()
    cat.write(out / "flow.yaml")
    t3 = time.perf_counter()
    return {"build": t1 - t0, "validate": t2 - t1, "write": t3 - t2, "total": t3 - t0}


def baseline_catalog(n: int) -> dict[str, Any]:
    """The same catalog as plain dicts, in the model's form."""
    capture_bindings = []
    materialization_bindings = []
    collections: dict[str, Any] = {}
    for table in many_tables.describe_tables(n):
        collection = f"acmeCo/many-tables/{table.name}"
        capture_bindings.append({"resource": {"namespace": "public", "stream": table.name}, "target": collection})
        materialization_bindings.append({"resource": {"table": table.name}, "source": collection})
        collections[collection] = {"schema": many_tables.table_schema(table), "key": ["/id"]}
    return {
        "captures": {
            "acmeCo/many-tables/source-postgres": {
                "endpoint": {
                    "connector": {
                        "image": "ghcr.io/estuary/source-postgres:v1",
                        "config": {
                            "address": "postgres.example.com:5432",
                            "database": "app",
                            "user": "flow_capture",
                            "password": "change-me",
                        },
                    }
                },
                "bindings": capture_bindings,
            }
        },
        "collections": collections,
        "materializations": {
            "acmeCo/many-tables/materialize-snowflake": {
                "endpoint": {
                    "connector": {
                        "image": "ghcr.io/estuary/materialize-snowflake:v1",
                        "config": {
                            "host": "orgname-accountname.snowflakecomputing.com",
                            "database": "analytics",
                            "schema": "many_tables",
                            "warehouse": "loading",
                        },
                    }
                },
                "bindings": materialization_bindings,
            }
        },
    }


def baseline_run(n: int, out: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    doc = baseline_catalog(n)
    t1 = time.perf_counter()
    with open(out / "flow.yaml", "w", encoding="utf-8") as f:
        yaml.dump(doc, f, Dumper=Dumper, sort_keys=False, allow_unicode=True)
    t2 = time.perf_counter()
    return {"build": t1 - t0, "write": t2 - t1, "total": t2 - t0}


def medians(run: Callable[[int, Path], dict[str, float]], n: int, runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            gc.collect()
            for phase, seconds in run(n, Path(tmp)).items():
                samples.setdefault(phase, []).append(seconds)
    return {phase: statistics.median(values) for phase, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000, help="number of tables (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args()
    n, runs = args.tables, args.runs

    # One warm-up of each, so imports and first-call costs are not measured.
    medians(flowspec_run, min(n, 100), 1)
    medians(baseline_run, min(n, 100), 1)

    fs = medians(flowspec_run, n, runs)
    base = medians(baseline_run, n, runs)
    ratio = fs["total"] / base["total"]

    print(f"many tables: N={n}, {runs} runs each, medians in seconds")
    print(
        f"  flowspec  build {fs['build']:.3f}  validate {fs['validate']:.3f}  "
        f"write {fs['write']:.3f}  total {fs['total']:.3f}"
    )
    print(
        f"  baseline  build {base['build']:.3f}  (no validation)  "
        f"write {base['write']:.3f}  total {base['total']:.3f}  [PyYAML {yaml.__version__}, {Dumper.__name__}]"
    )
    print(f"  ratio flowspec/baseline: {ratio:.2f} ({'within' if ratio <= 1 else 'over'} the target of 1.00)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
