#!/usr/bin/env python3
"""Estuary's reduction strategies, one collection and one test each.

The catalog of Estuary's ``examples/reduction-types`` (append, first and
last write wins, merge of objects and arrays, merge by key, minimize and
maximize with and without a key, sum, a resettable counter, and sets as
objects and as arrays), and ``jsonSchemaMerge``, which Estuary uses to merge
inferred schemas, built with the Python DSL. Each test ingests
documents and verifies the fully reduced result; ``run_tests`` runs them
locally, with Estuary's semantics.

Usage: ``python examples/python/reductions.py [OUT_DIR]`` — runs the tests,
prints the report, and writes ``OUT_DIR/flow.yaml`` (default
``out/reductions``). Exits 1 if a test fails.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import flowspec as fs

PREFIX = "example/reductions"


def keyed(value: dict[str, Any], **root: Any) -> dict[str, Any]:
    """An object schema keyed by a string ``key``, with ``value`` as given."""
    return {
        "type": "object",
        "properties": {"key": {"type": "string"}, "value": value},
        "required": ["key"],
        **root,
    }


MERGE = {"reduce": {"strategy": "merge"}}


def case(
    cat: fs.Catalog,
    name: str,
    schema: dict[str, Any],
    steps: list[tuple[list[Any], Any]],
) -> None:
    """A collection and its test: each step ingests ``value``s and verifies
    the reduced ``value``."""
    collection = f"{PREFIX}/{name}"
    cat.collection(collection, schema=schema, key=["/key"])
    test = cat.test(f"{PREFIX}/test/{name}")
    for ingested, expected in steps:
        test.ingest(collection, [{"key": "key", "value": v} for v in ingested])
        test.verify(collection, [{"key": "key", "value": expected}])


def catalog() -> fs.Catalog:
    """The reduction-types catalog.

    >>> len(catalog().tests)
    12
    """
    cat = fs.Catalog()
    case(
        cat,
        "append",
        keyed({"type": "array", "reduce": {"strategy": "append"}}, **MERGE),
        [([[1, 2], [3, None, "abc"]], [1, 2, 3, None, "abc"])],
    )
    cat.collection(
        f"{PREFIX}/fww-lww",
        schema={
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "key": {"type": "string"},
                "fww": {"reduce": {"strategy": "firstWriteWins"}},
                "lww": {"reduce": {"strategy": "lastWriteWins"}},
            },
            "required": ["key"],
        },
        key=["/key"],
    )
    cat.test(f"{PREFIX}/test/fww-lww").ingest(
        f"{PREFIX}/fww-lww",
        [{"key": "key", "fww": "one", "lww": "one"}, {"key": "key", "fww": "two", "lww": "two"}],
    ).verify(f"{PREFIX}/fww-lww", [{"key": "key", "fww": "one", "lww": "two"}])
    summed = {"type": "number", "reduce": {"strategy": "sum"}}
    case(
        cat,
        "merge",
        keyed(
            {
                "type": ["array", "object"],
                "reduce": {"strategy": "merge"},
                "items": summed,
                "additionalProperties": summed,
            },
            **MERGE,
        ),
        [
            ([[1, 1], [2, 2, 2]], [3, 3, 2]),
        ],
    )
    case(
        cat,
        "merge-objects",
        keyed(
            {"type": "object", "reduce": {"strategy": "merge"}, "additionalProperties": summed},
            **MERGE,
        ),
        [([{"a": 1, "b": 1}, {"a": 1, "c": 1}], {"a": 2, "b": 1, "c": 1})],
    )
    case(
        cat,
        "merge-key",
        keyed(
            {
                "type": "array",
                "reduce": {"strategy": "merge", "key": ["/k"]},
                "items": {
                    "type": "object",
                    "properties": {"k": {"type": "string"}},
                    "required": ["k"],
                    "reduce": {"strategy": "firstWriteWins"},
                },
            },
            **MERGE,
        ),
        [
            (
                [[{"k": "a", "v": 1}, {"k": "b", "v": 1}], [{"k": "a", "v": 2}, {"k": "c", "v": 2}]],
                [{"k": "a", "v": 1}, {"k": "b", "v": 1}, {"k": "c", "v": 2}],
            )
        ],
    )
    cat.collection(
        f"{PREFIX}/min-max",
        schema={
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "key": {"type": "string"},
                "min": {"reduce": {"strategy": "minimize"}},
                "max": {"reduce": {"strategy": "maximize"}},
            },
            "required": ["key"],
        },
        key=["/key"],
    )
    cat.test(f"{PREFIX}/test/min-max").ingest(
        f"{PREFIX}/min-max",
        [{"key": "key", "min": 32, "max": "abc"}, {"key": "key", "min": 42, "max": "def"}],
    ).verify(f"{PREFIX}/min-max", [{"key": "key", "min": 32, "max": "def"}])
    tuple_ = {
        "type": "array",
        "items": [{"type": "string"}, {"type": "number", "reduce": {"strategy": "sum"}}],
    }
    cat.collection(
        f"{PREFIX}/min-max-key",
        schema={
            "type": "object",
            "reduce": {"strategy": "merge"},
            "properties": {
                "key": {"type": "string"},
                "min": {**tuple_, "reduce": {"strategy": "minimize", "key": ["/0"]}},
                "max": {**tuple_, "reduce": {"strategy": "maximize", "key": ["/0"]}},
            },
            "required": ["key"],
        },
        key=["/key"],
    )
    pairs = [["a", 1], ["c", 2], ["b", 3], ["a", 4]]
    cat.test(f"{PREFIX}/test/min-max-key").ingest(
        f"{PREFIX}/min-max-key", [{"key": "key", "min": p, "max": p} for p in pairs]
    ).verify(f"{PREFIX}/min-max-key", [{"key": "key", "min": ["a", 5], "max": ["c", 2]}])
    case(
        cat,
        "sum",
        keyed({"type": "number", "reduce": {"strategy": "sum"}}, **MERGE),
        [([5, -1.2], 3.8)],
    )
    cat.collection(
        f"{PREFIX}/sum-reset",
        schema={
            "type": "object",
            "properties": {"key": {"type": "string"}, "value": {"type": "number"}},
            "required": ["key"],
            # A tagged union over `action`: a reset replaces the document; a
            # sum adds to `value` and keeps the earlier `action`, so that a
            # reset stays associative.
            "oneOf": [
                {"properties": {"action": {"const": "reset"}}, "reduce": {"strategy": "lastWriteWins"}},
                {
                    "properties": {
                        "action": {"const": "sum", "reduce": {"strategy": "firstWriteWins"}},
                        "value": {"reduce": {"strategy": "sum"}},
                    },
                    "reduce": {"strategy": "merge"},
                },
            ],
        },
        key=["/key"],
    )
    cat.test(f"{PREFIX}/test/sum-reset").ingest(
        f"{PREFIX}/sum-reset",
        [{"key": "key", "action": "sum", "value": 5}, {"key": "key", "action": "sum", "value": -1.2}],
    ).verify(f"{PREFIX}/sum-reset", [{"key": "key", "value": 3.8}]).ingest(
        f"{PREFIX}/sum-reset",
        [{"key": "key", "action": "reset", "value": 0}, {"key": "key", "action": "sum", "value": 1.3}],
    ).verify(f"{PREFIX}/sum-reset", [{"key": "key", "value": 1.3}])
    counted = {"type": "number", "reduce": {"strategy": "sum"}}
    case(
        cat,
        "set",
        keyed(
            {
                "type": "object",
                "reduce": {"strategy": "set"},
                # `add`, `remove` and `intersect`: maps of counts. The set
                # strategy reduces them itself, by key; their own annotation
                # is required (every parent of an annotated location has
                # one) but not used.
                "additionalProperties": {
                    "type": "object",
                    "reduce": {"strategy": "lastWriteWins"},
                    "additionalProperties": counted,
                },
            },
            **MERGE,
        ),
        [
            (
                [{"add": {"a": 1, "b": 1, "c": 1}}, {"remove": {"b": 0}}, {"add": {"a": 1, "d": 1}}],
                {"add": {"a": 2, "c": 1, "d": 1}},
            ),
            ([{"intersect": {"a": 0, "d": 0}}, {"add": {"a": 1, "e": 1}}], {"add": {"a": 3, "d": 1, "e": 1}}),
        ],
    )
    case(
        cat,
        "set-array",
        keyed(
            {
                "type": "object",
                "reduce": {"strategy": "set", "key": ["/0"]},
                "additionalProperties": {
                    "type": "array",
                    "reduce": {"strategy": "lastWriteWins"},
                    "items": {
                        "type": "array",
                        "items": [{"type": "string"}, counted],
                        "reduce": {"strategy": "merge"},
                    },
                },
            },
            **MERGE,
        ),
        [
            (
                [{"add": [["a", 1], ["b", 1], ["c", 1]]}, {"remove": [["b", 0]]}, {"add": [["a", 1], ["d", 1]]}],
                {"add": [["a", 2], ["c", 1], ["d", 1]]},
            ),
            ([{"intersect": [["a", 0], ["d", 0]]}, {"add": [["a", 1], ["e", 1]]}], {"add": [["a", 3], ["d", 1], ["e", 1]]}),
        ],
    )
    # Each value is a JSON schema; the reduced value is the schema of their
    # union: what both sides say, with the looser bounds.
    case(
        cat,
        "json-schema-merge",
        keyed({"type": "object", "reduce": {"strategy": "jsonSchemaMerge"}}, **MERGE),
        [
            (
                [
                    {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}}, "required": ["id"]},
                    {
                        "type": "object",
                        "properties": {"id": {"type": "integer", "minimum": 0}, "name": {"type": "string"}},
                        "required": ["id", "name"],
                    },
                ],
                {
                    "$schema": "https://json-schema.org/draft/2019-09/schema",
                    "type": "object",
                    "properties": {"id": {"type": "integer", "minimum": 0}},
                    "required": ["id"],
                },
            ),
            (
                [{"type": "object", "properties": {"id": {"type": "string", "maxLength": 36}}}],
                {
                    "$schema": "https://json-schema.org/draft/2019-09/schema",
                    "type": "object",
                    "properties": {"id": {"type": ["integer", "string"], "minimum": 0, "maxLength": 36}},
                },
            ),
        ],
    )
    return cat


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("out/reductions")
    cat = catalog()
    try:
        results = cat.run_tests()
        print(results["report"], end="")
        cat.write(out / "flow.yaml")
        print(f"wrote {out / 'flow.yaml'}")
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
