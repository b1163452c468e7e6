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
        "acmeCo/many-tables/source-postgres",
        image="ghcr.io/estuary/source-postgres:v1",
        config={
            "address": "postgres.example.com:5432",
            "database": "app",
            "user": "flow_capture",
            "password": "change-me",
        },
    ).binding(
        {"namespace": "public", "stream": "table_0000"},
        target="acmeCo/many-tables/table_0000",
    ).binding(
        {"namespace": "public", "stream": "table_0001"},
        target="acmeCo/many-tables/table_0001",
    ).binding(
        {"namespace": "public", "stream": "table_0002"},
        target="acmeCo/many-tables/table_0002",
    ).binding(
        {"namespace": "public", "stream": "table_0003"},
        target="acmeCo/many-tables/table_0003",
    ).binding(
        {"namespace": "public", "stream": "table_0004"},
        target="acmeCo/many-tables/table_0004",
    ).binding(
        {"namespace": "public", "stream": "table_0005"},
        target="acmeCo/many-tables/table_0005",
    ).binding(
        {"namespace": "public", "stream": "table_0006"},
        target="acmeCo/many-tables/table_0006",
    ).binding(
        {"namespace": "public", "stream": "table_0007"},
        target="acmeCo/many-tables/table_0007",
    ).binding(
        {"namespace": "public", "stream": "table_0008"},
        target="acmeCo/many-tables/table_0008",
    ).binding(
        {"namespace": "public", "stream": "table_0009"},
        target="acmeCo/many-tables/table_0009",
    ).binding(
        {"namespace": "public", "stream": "table_0010"},
        target="acmeCo/many-tables/table_0010",
    ).binding(
        {"namespace": "public", "stream": "table_0011"},
        target="acmeCo/many-tables/table_0011",
    ).binding(
        {"namespace": "public", "stream": "table_0012"},
        target="acmeCo/many-tables/table_0012",
    ).binding(
        {"namespace": "public", "stream": "table_0013"},
        target="acmeCo/many-tables/table_0013",
    ).binding(
        {"namespace": "public", "stream": "table_0014"},
        target="acmeCo/many-tables/table_0014",
    ).binding(
        {"namespace": "public", "stream": "table_0015"},
        target="acmeCo/many-tables/table_0015",
    ).binding(
        {"namespace": "public", "stream": "table_0016"},
        target="acmeCo/many-tables/table_0016",
    ).binding(
        {"namespace": "public", "stream": "table_0017"},
        target="acmeCo/many-tables/table_0017",
    ).binding(
        {"namespace": "public", "stream": "table_0018"},
        target="acmeCo/many-tables/table_0018",
    ).binding(
        {"namespace": "public", "stream": "table_0019"},
        target="acmeCo/many-tables/table_0019",
    ).binding(
        {"namespace": "public", "stream": "table_0020"},
        target="acmeCo/many-tables/table_0020",
    ).binding(
        {"namespace": "public", "stream": "table_0021"},
        target="acmeCo/many-tables/table_0021",
    ).binding(
        {"namespace": "public", "stream": "table_0022"},
        target="acmeCo/many-tables/table_0022",
    ).binding(
        {"namespace": "public", "stream": "table_0023"},
        target="acmeCo/many-tables/table_0023",
    ).binding(
        {"namespace": "public", "stream": "table_0024"},
        target="acmeCo/many-tables/table_0024",
    )
    cat.collection(
        "acmeCo/many-tables/table_0000",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0001",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "quantity": {"type": ["integer", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0002",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "note": {"type": ["string", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0003",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "attributes": {},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0004",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0005",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "quantity": {"type": ["integer", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0006",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "note": {"type": ["string", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0007",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "attributes": {},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0008",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0009",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "quantity": {"type": ["integer", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0010",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "note": {"type": ["string", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0011",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "attributes": {},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0012",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0013",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "quantity": {"type": ["integer", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0014",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "note": {"type": ["string", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0015",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "attributes": {},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0016",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0017",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "quantity": {"type": ["integer", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0018",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "note": {"type": ["string", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0019",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "attributes": {},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0020",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0021",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "quantity": {"type": ["integer", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0022",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "note": {"type": ["string", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0023",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "attributes": {},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.collection(
        "acmeCo/many-tables/table_0024",
        schema={
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "amount": {"type": ["number", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "active": {"type": ["boolean", "null"]},
            },
            "required": ["id", "name", "created_at"],
        },
        key=["/id"],
    )
    cat.materialization(
        "acmeCo/many-tables/materialize-snowflake",
        image="ghcr.io/estuary/materialize-snowflake:v1",
        config={
            "host": "orgname-accountname.snowflakecomputing.com",
            "database": "analytics",
            "schema": "many_tables",
            "warehouse": "loading",
        },
    ).binding({"table": "table_0000"}, source="acmeCo/many-tables/table_0000").binding(
        {"table": "table_0001"},
        source="acmeCo/many-tables/table_0001",
    ).binding({"table": "table_0002"}, source="acmeCo/many-tables/table_0002").binding(
        {"table": "table_0003"},
        source="acmeCo/many-tables/table_0003",
    ).binding({"table": "table_0004"}, source="acmeCo/many-tables/table_0004").binding(
        {"table": "table_0005"},
        source="acmeCo/many-tables/table_0005",
    ).binding({"table": "table_0006"}, source="acmeCo/many-tables/table_0006").binding(
        {"table": "table_0007"},
        source="acmeCo/many-tables/table_0007",
    ).binding({"table": "table_0008"}, source="acmeCo/many-tables/table_0008").binding(
        {"table": "table_0009"},
        source="acmeCo/many-tables/table_0009",
    ).binding({"table": "table_0010"}, source="acmeCo/many-tables/table_0010").binding(
        {"table": "table_0011"},
        source="acmeCo/many-tables/table_0011",
    ).binding({"table": "table_0012"}, source="acmeCo/many-tables/table_0012").binding(
        {"table": "table_0013"},
        source="acmeCo/many-tables/table_0013",
    ).binding({"table": "table_0014"}, source="acmeCo/many-tables/table_0014").binding(
        {"table": "table_0015"},
        source="acmeCo/many-tables/table_0015",
    ).binding({"table": "table_0016"}, source="acmeCo/many-tables/table_0016").binding(
        {"table": "table_0017"},
        source="acmeCo/many-tables/table_0017",
    ).binding({"table": "table_0018"}, source="acmeCo/many-tables/table_0018").binding(
        {"table": "table_0019"},
        source="acmeCo/many-tables/table_0019",
    ).binding({"table": "table_0020"}, source="acmeCo/many-tables/table_0020").binding(
        {"table": "table_0021"},
        source="acmeCo/many-tables/table_0021",
    ).binding({"table": "table_0022"}, source="acmeCo/many-tables/table_0022").binding(
        {"table": "table_0023"},
        source="acmeCo/many-tables/table_0023",
    ).binding({"table": "table_0024"}, source="acmeCo/many-tables/table_0024")
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
