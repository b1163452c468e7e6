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
        "acmeCo/shapes/source-local",
        local={
            "command": ["python", "connector.py"],
            "config": {"greeting": "hello"},
            "env": {"LOG": "debug"},
            "protobuf": True,
        },
        reset=True,
    ).binding({"name": "greetings"}, target="acmeCo/shapes/greetings")
    cat.capture(
        "acmeCo/shapes/source-postgres",
        image="ghcr.io/estuary/source-postgres:v1",
        config={"address": "db.internal:5432", "database": "app", "user": "flow_capture"},
        auto_discover={"add_new_bindings": True, "evolve_incompatible_collections": True},
        interval="10m",
        shards={
            "min_txn_duration": "0s",
            "max_txn_duration": "1s",
            "hot_standbys": 1,
            "ring_buffer_size": 65536,
            "read_channel_size": 4096,
            "log_level": "debug",
        },
        expect_pub_id="0123456789abcdef",
        redact_salt="c2FsdA==",
    ).binding({"namespace": "public", "stream": "orders"}, target="acmeCo/shapes/orders").binding(
        {"namespace": "public", "stream": "customers"},
        target="acmeCo/shapes/customers",
        backfill=2,
    ).binding(
        {"namespace": "public", "stream": "audit_log"},
        target="acmeCo/shapes/not-captured-yet",
        disable=True,
    )
    cat.derivation(
        "acmeCo/shapes/connector-derive",
        schema={"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        key=["/id"],
        connector={"image": "ghcr.io/estuary/derive-custom:v1", "config": {"mode": "fast"}},
        redact_salt="c2FsdA==",
    ).transform("fromOrders", source="acmeCo/shapes/orders", shuffle="any")
    cat.collection(
        "acmeCo/shapes/customers",
        write_schema={
            "type": "object",
            "properties": {"customer_id": {"type": "string"}, "name": {"type": "string"}},
            "required": ["customer_id"],
        },
        read_schema={
            "allOf": [
                {"$ref": "flow://write-schema"},
                {"type": "object", "properties": {"name": {"type": "string"}}},
            ],
        },
        key=["/customer_id"],
    )
    cat.collection(
        "acmeCo/shapes/greetings",
        schema={
            "type": "object",
            "properties": {"count": {"type": "integer"}, "message": {"type": "string"}},
            "required": ["count", "message"],
        },
        key=["/count"],
    )
    cat.derivation(
        "acmeCo/shapes/local-derive",
        schema={"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        key=["/id"],
        local={"command": ["./derive.sh"], "config": {}},
    ).transform("fromOrders", source="acmeCo/shapes/orders", shuffle="any")
    cat.collection(
        "acmeCo/shapes/orders",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "customer_id": {"type": "string"},
                "region": {"type": "string", "enum": ["EU", "US"]},
                "amounts": {"type": "object", "properties": {"total": {"type": "number"}}},
                "shipped": {"type": "boolean"},
            },
            "required": ["id", "customer_id", "region"],
        },
        key=["/id"],
        projections={
            "order id": "/id",
            "region": {"location": "/region", "partition": True},
            "total": "/amounts/total",
        },
        journals={
            "fragments": {
                "length": 256,
                "compression_codec": "ZSTANDARD",
                "retention": "720h",
                "flush_interval": "1h",
            },
        },
    )
    cat.derivation(
        "acmeCo/shapes/py-derive",
        schema={"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        key=["/id"],
        python={"module": "class Derivation: pass\n", "dependencies": {"pydantic": ">=2"}},
    ).transform("fromOrders", source="acmeCo/shapes/orders", shuffle="any")
    cat.collection(
        "acmeCo/shapes/retired",
        schema={"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        key=["/id"],
        delete=True,
    )
    cat.derivation(
        "acmeCo/shapes/sql-totals",
        schema={
            "type": "object",
            "properties": {
                "customer_id": {"type": "string"},
                "total": {"type": "number", "reduce": {"strategy": "sum"}},
            },
            "required": ["customer_id"],
            "reduce": {"strategy": "merge"},
        },
        key=["/customer_id"],
        sqlite=["CREATE TABLE seen (id INTEGER PRIMARY KEY);"],
        shards={"log_level": "warn"},
    ).transform(
        "fromOrders",
        source="acmeCo/shapes/orders",
        partitions={"include": {"region": ["EU", "US"]}, "exclude": {"region": ["APAC"]}},
        not_before="2024-01-01T00:00:00Z",
        not_after="2025-01-01T00:00:00Z",
        shuffle=["/customer_id"],
        priority=1,
        read_delay="1h",
        lambda_="SELECT $customer_id, $amounts$total AS total;",
        backfill=1,
    ).transform(
        "fromAnything",
        source="acmeCo/shapes/missing-but-disabled",
        shuffle="any",
        disable=True,
    )
    cat.derivation(
        "acmeCo/shapes/ts-join",
        schema={
            "type": "object",
            "properties": {
                "customer_id": {"type": "string"},
                "orders": {"type": "array", "reduce": {"strategy": "append"}},
            },
            "required": ["customer_id"],
            "reduce": {"strategy": "merge"},
        },
        key=["/customer_id"],
        typescript=(
            "import { IDerivation } from 'flow/acmeCo/shapes/ts-join.ts';\n"
            "export class Derivation extends IDerivation {}\n"
        ),
        shuffle_key_types=["string"],
    ).transform("fromOrders", source="acmeCo/shapes/orders", shuffle=["/customer_id"]).transform(
        "fromCustomers",
        source="acmeCo/shapes/customers",
        shuffle={"lambda": "export function shuffle(doc) { return [doc.customer_id]; }"},
    )
    cat.materialization(
        "acmeCo/shapes/to-dekaf",
        dekaf={"variant": "clickhouse", "config": {"token": "abc"}},
        source_capture="acmeCo/shapes/source-postgres",
    ).binding({"topic_name": "orders"}, source="acmeCo/shapes/orders")
    cat.materialization(
        "acmeCo/shapes/to-local",
        image="ghcr.io/estuary/materialize-webhook:v1",
        config={"address": "http://localhost:9000"},
    ).binding(
        {"path": "/orders"},
        source="acmeCo/shapes/orders",
        fields={"require": {"id": {}}, "recommended": True},
    )
    cat.materialization(
        "acmeCo/shapes/to-snowflake",
        image="ghcr.io/estuary/materialize-snowflake:v1",
        config={"host": "acme.snowflakecomputing.com"},
        source_capture={
            "capture": "acmeCo/shapes/source-postgres",
            "target_naming": "withSchema",
            "delta_updates": True,
            "fields_recommended": 2,
        },
        on_incompatible_schema_change="disableBinding",
        shards={"max_txn_duration": "5m"},
    ).binding(
        {"table": "orders"},
        source="acmeCo/shapes/orders",
        partitions={"include": {"region": ["EU"]}},
        not_before="2024-01-01T00:00:00Z",
        priority=3,
        fields={
            "group_by": ["customer_id", "id"],
            "require": {"total": {"castToString": True}},
            "exclude": ["shipped"],
            "recommended": 1,
        },
        backfill=1,
        on_incompatible_schema_change="abort",
    ).binding(
        {"table": "customers"},
        source="acmeCo/shapes/customers",
        fields={"recommended": False},
    ).binding({"table": "gone"}, source="acmeCo/shapes/not-materialized", disable=True)
    cat.test("acmeCo/shapes/test-array-form").ingest(
        "acmeCo/shapes/greetings",
        [{"count": 1, "message": "hi"}],
    ).verify("acmeCo/shapes/greetings", [{"count": 1}])
    cat.test("acmeCo/shapes/test-object-form", description="Orders are totalled per customer.").ingest(
        "acmeCo/shapes/orders",
        [
            {"id": 1, "customer_id": "c1", "region": "EU", "amounts": {"total": 10.5}},
            {"id": 2, "customer_id": "c1", "region": "US", "amounts": {"total": 2}},
        ],
        description="Two orders of one customer.",
    ).verify(
        {"name": "acmeCo/shapes/sql-totals"},
        [{"customer_id": "c1", "total": 12.5}],
        description="One total.",
    ).verify("acmeCo/shapes/orders", [{"id": 1}], partitions={"include": {"region": ["EU"]}})
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
