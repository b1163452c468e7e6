"""repr() of the catalog and its handles: short, useful, and never a config value."""

from __future__ import annotations

import flowspec as fs

SECRET = "s3cr3t-t0ken"


def catalog_with_secrets() -> fs.Catalog:
    cat = fs.Catalog()
    cat.capture(
        "acmeCo/source",
        image="ghcr.io/estuary/source-stripe-native:dev",
        config={"credentials": {"access_token": SECRET}},
    ).binding({"stream": SECRET}, target="acmeCo/charges").binding({"stream": "b"}, target="acmeCo/plans")
    cat.collection("acmeCo/charges", schema={"default": SECRET}, key=["/id", "/ts"])
    cat.derivation("acmeCo/totals", schema={}, key=["/id"], typescript="totals.flow.ts").transform(
        "fromCharges", source="acmeCo/charges", shuffle=["/id"]
    )
    cat.derivation("acmeCo/sums", schema={}, key=["/id"], connector={"image": "ghcr.io/x/derive:v1", "config": {"k": SECRET}})
    cat.materialization(
        "acmeCo/sink", image="ghcr.io/estuary/materialize-snowflake:dev", config={"privateKey": SECRET}
    ).binding({"table": SECRET}, source="acmeCo/charges")
    cat.materialization("acmeCo/dekaf", dekaf={"variant": "tinybird", "config": {"token": SECRET}})
    cat.capture("acmeCo/local", local={"command": ["./run", SECRET], "config": {"k": SECRET}, "env": {"K": SECRET}})
    cat.test("acmeCo/tests/t").ingest("acmeCo/charges", [{"id": SECRET}])
    return cat


def test_reprs() -> None:
    cat = catalog_with_secrets()
    assert repr(cat) == "<Catalog: 2 captures, 3 collections (2 derivations), 2 materializations, 1 test>"
    assert repr(fs.Catalog()) == "<Catalog: 0 captures, 0 collections, 0 materializations, 0 tests>"
    assert repr(cat.captures["acmeCo/source"]) == "<Capture acmeCo/source: ghcr.io/estuary/source-stripe-native:dev, 2 bindings>"
    assert repr(cat.captures["acmeCo/local"]) == "<Capture acmeCo/local: local command, 0 bindings>"
    assert repr(cat.collections["acmeCo/charges"]) == "<Collection acmeCo/charges: key ['/id', '/ts']>"
    assert repr(cat.collections["acmeCo/totals"]) == "<Derivation acmeCo/totals: typescript, 1 transform, key ['/id']>"
    assert repr(cat.collections["acmeCo/sums"]) == "<Derivation acmeCo/sums: ghcr.io/x/derive:v1, 0 transforms, key ['/id']>"
    assert repr(cat.materializations["acmeCo/sink"]) == "<Materialization acmeCo/sink: ghcr.io/estuary/materialize-snowflake:dev, 1 binding>"
    assert repr(cat.materializations["acmeCo/dekaf"]) == "<Materialization acmeCo/dekaf: dekaf tinybird, 0 bindings>"
    assert repr(cat.tests["acmeCo/tests/t"]) == "<Test acmeCo/tests/t: 1 step>"
    assert repr(cat.collections) == "<Specs collections: 3>"


def test_no_repr_or_str_prints_a_config_value() -> None:
    cat = catalog_with_secrets()
    shown = [repr(cat), str(cat), repr(cat.captures), repr(cat.materializations)]
    for specs in (cat.captures, cat.collections, cat.materializations, cat.tests):
        for name, handle in specs.items():
            shown += [repr(handle), str(handle), name]
    for text in shown:
        assert SECRET not in text, text


def test_repr_of_a_removed_spec() -> None:
    cat = fs.Catalog()
    coll = cat.collection("acmeCo/x", schema={}, key=["/id"])
    del cat.collections["acmeCo/x"]
    assert repr(coll) == "<Collection acmeCo/x (not in the catalog)>"
