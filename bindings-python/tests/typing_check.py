"""Static typing test: mypy --strict and pyright check this file.

Right calls must type-check, and each wrong call must be rejected: every
``# type: ignore[...]`` below is needed, or mypy (``warn_unused_ignores``)
and pyright (``reportUnnecessaryTypeIgnoreComment``) fail. The file also runs
under pytest (``test_typing.py``), so the right calls are checked at runtime.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from typing_extensions import TypedDict

import pydantic

import flowspec as fs


class Order(pydantic.BaseModel):
    id: str
    total: int


@dataclasses.dataclass
class Customer:
    id: str
    name: str


class Shipment(TypedDict):
    id: int


def build() -> fs.Catalog:
    cat = fs.Catalog()

    # Chaining keeps each handle's type.
    capture: fs.Capture = cat.capture(
        "acmeCo/source",
        image="ghcr.io/estuary/source-hello-world:dev",
        config={"greetings": 10},
        interval="10m",
        auto_discover={"add_new_bindings": True},
        shards={"min_txn_duration": "1s", "log_level": "debug"},
    ).binding({"name": "greetings"}, target="acmeCo/orders", backfill=1)
    assert capture.name == "acmeCo/source"

    # The option objects type keyword arguments given as a dict.
    options: fs.CaptureOptions = {"image": "ghcr.io/estuary/source-hello-world:dev", "interval": "10m"}
    cat.capture("acmeCo/source-2", **options)

    shards: fs.ShardTemplate = {"hot_standbys": 1}
    cat.collection("acmeCo/orders", schema=Order, key=["/id"])
    cat.collection("acmeCo/customers", schema=Customer, key=["/id"], journals={"fragments": {"length": 512}})
    cat.collection("acmeCo/shipments", schema=Shipment, key=("/id",), projections={"shipment": "/id"})
    cat.collection("acmeCo/raw", schema='{"type": "object", "properties": {"id": {"type": "string"}}}', key=["/id"])

    derivation: fs.Derivation = cat.derivation(
        "acmeCo/totals",
        schema={"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        key=["/id"],
        sqlite=[],
        shards=shards,
    ).transform("fromOrders", source="acmeCo/orders", shuffle=["/id"], lambda_="SELECT $id AS id;")
    derivation.transform(
        "fromCustomers",
        source={"name": "acmeCo/customers", "not_before": "2024-01-01T00:00:00Z"},
        shuffle={"key": ["/id"]},
    )

    materialization: fs.Materialization = cat.materialization(
        "acmeCo/sink",
        image="ghcr.io/estuary/materialize-postgres:dev",
        config={"address": "db:5432"},
        on_incompatible_schema_change="abort",
    ).binding({"table": "orders"}, source="acmeCo/orders", fields={"group_by": ["id"], "recommended": 1})
    assert materialization.name == "acmeCo/sink"

    test: fs.Test = (
        cat.test("acmeCo/tests/orders", description="Orders pass through.")
        .ingest("acmeCo/orders", [{"id": "1", "total": 2}])
        .verify("acmeCo/totals", [{"id": "1"}], partitions={"include": {"region": ["EU"]}})
    )
    assert test.name == "acmeCo/tests/orders"
    return cat


def read_back(cat: fs.Catalog, out: Path) -> None:
    coll: fs.Collection = cat.collections["acmeCo/orders"]
    spec: dict[str, Any] = coll.spec
    spec["key"] = ["/id", "/total"]
    coll.spec = spec
    names: list[str] = list(cat.collections)
    assert "acmeCo/orders" in names
    maybe: fs.Collection | None = cat.collections.get("acmeCo/missing")
    assert maybe is None
    for name, handle in cat.captures.items():
        assert handle.name == name
    del cat.tests["acmeCo/tests/orders"]
    # The mutable-mapping methods: specs in as dicts or handles, out as dicts.
    copy = fs.Catalog()
    copy.collections.update(cat.collections)
    copy.collections["acmeCo/orders-v2"] = cat.collections["acmeCo/orders"]
    popped: dict[str, Any] = copy.collections.pop("acmeCo/orders-v2")
    gone: dict[str, Any] | None = copy.collections.pop("acmeCo/orders-v2", None)
    assert popped and gone is None
    again: fs.Collection = copy.collections.setdefault("acmeCo/orders-v2", popped)
    assert again.name == "acmeCo/orders-v2"
    copy.collections.clear()

    warnings: list[fs.Diagnostic] = cat.validate()
    for w in warnings:
        scope: str = w.scope
        assert scope
    text: str = cat.to_yaml() + cat.to_json()
    assert text
    written: list[Path] = cat.write(out / "flow.yaml", layout="canonical")
    loaded: fs.Catalog = fs.Catalog.load(written[0])
    assert loaded.bundle() == loaded


def errors() -> None:
    try:
        fs.Catalog().collection("nope", schema={}, key=["/id"])
    except fs.InvalidNameError as err:
        code: str = err.code
        entity: str = err.entity
        assert code and entity
    except fs.ValidationError as err:
        first: fs.Diagnostic = err.diagnostics[0]
        assert first.severity in ("error", "warning")


def secrets(cat: fs.Catalog, key_file: Path) -> None:
    """The secrets API, typed."""
    token: fs.Secret = fs.secret("sk_live_123")
    cat.capture("acmeCo/s", image="i", config={"credentials": {"access_token": token}})
    recipient: str = fs.age_keygen(key_file, overwrite=True)
    written: list[Path] = cat.write("flow.yaml", recipients=[recipient], layout="canonical")
    text: str = cat.to_yaml(plaintext_secrets=True) + cat.to_json(recipients=(recipient,))
    loaded = fs.Catalog.load(written[0], decrypt=True, key_file=key_file)
    count: int = loaded.decrypt_secrets(identity=key_file.read_text())
    sealed: dict[str, Any] = fs.encrypt({"a_sops": 1}, recipients=[recipient], encrypted_suffix="_sops")
    plain: dict[str, Any] = fs.decrypt(sealed, key_file=key_file, strip_suffix=True)
    file_text: str = fs.encrypt_file("c.yaml", recipients=[recipient], input_type="yaml", in_place=True)
    doc: dict[str, Any] = fs.decrypt_file("c.yaml", identity=text)
    assert count >= 0 and plain and file_text and doc and token.reveal()


def rejected(cat: fs.Catalog) -> None:
    """Wrong calls: each line must be an error for the type checkers."""
    cat.capture("acmeCo/x", image=1)  # type: ignore[arg-type]
    cat.collection("acmeCo/x", schema={}, key="/id")  # type: ignore[arg-type]
    cat.collection("acmeCo/x", schema={}, kye=["/id"])  # type: ignore[call-arg]
    cat.collection("acmeCo/x", {}, key=["/id"])  # type: ignore[misc, arg-type]
    cat.write("flow.yaml", layout="split")  # type: ignore[arg-type]
    cat.capture("acmeCo/x", image="i").binding({}, target=3)  # type: ignore[arg-type]
    cat.materialization("acmeCo/x", image="i", shards={"min_txn_durtion": "1s"})  # type: ignore[typeddict-unknown-key]
    cat.materialization("acmeCo/x", image="i", on_incompatible_schema_change="explode")  # type: ignore[arg-type]
    cat.collections["acmeCo/x"].transform("t", source="acmeCo/y")  # type: ignore[attr-defined]
    cat.test("acmeCo/t").ingest("acmeCo/x", 5)  # type: ignore[arg-type]
    cat.derivation("acmeCo/d", key=["/id"], shuffle_key_types=["float"])  # type: ignore[list-item]
    fs.Catalog.load(42)  # type: ignore[arg-type]
    cat.validate().diagnostics  # type: ignore[attr-defined]
    cat.capture("acmeCo/ok", image="i").binding({})  # type: ignore[call-arg]
    bad: fs.CaptureOptions = {"imgae": "i"}  # type: ignore[typeddict-unknown-key]
    fs.encrypt_file("c.yaml", input_type="toml")  # type: ignore[arg-type]
    cat.collections["acmeCo/x"] = cat.captures["acmeCo/s"]  # type: ignore[assignment]
