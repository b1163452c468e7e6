"""Every DSL call and option: captures, collections, derivations,
materializations and tests, and their chaining."""

from __future__ import annotations

from typing import Any

import pytest

import flowspec as fs
from conftest import OBJECT_WITH_ID


def capture_spec(cat: fs.Catalog, **options: Any) -> dict[str, Any]:
    cat.capture("acmeCo/source", **options)
    return cat.captures["acmeCo/source"].spec


# Captures.


def test_capture_image_and_config(cat: fs.Catalog) -> None:
    spec = capture_spec(cat, image="ghcr.io/estuary/source-x:v1", config={"b": 1, "a": {"z": 2, "y": 3}})
    assert spec == {
        "endpoint": {"connector": {"image": "ghcr.io/estuary/source-x:v1", "config": {"b": 1, "a": {"z": 2, "y": 3}}}},
        "bindings": [],
    }
    # Opaque values keep their key order.
    assert list(spec["endpoint"]["connector"]["config"]) == ["b", "a"]
    assert list(spec["endpoint"]["connector"]["config"]["a"]) == ["z", "y"]


def test_capture_config_defaults_to_empty_object(cat: fs.Catalog) -> None:
    spec = capture_spec(cat, image="ghcr.io/estuary/source-x:v1")
    assert spec["endpoint"]["connector"]["config"] == {}


def test_capture_config_file_reference(cat: fs.Catalog) -> None:
    spec = capture_spec(cat, image="i", config="source.config.yaml")
    assert spec["endpoint"]["connector"]["config"] == "source.config.yaml"


def test_capture_every_option(cat: fs.Catalog) -> None:
    spec = capture_spec(
        cat,
        image="i",
        config={"snake_key": 1},
        interval="10m",
        auto_discover={"add_new_bindings": True, "evolve_incompatible_collections": True},
        shards={
            "disable": True,
            "min_txn_duration": "1s",
            "max_txn_duration": "1m",
            "hot_standbys": 1,
            "ring_buffer_size": 1024,
            "read_channel_size": 64,
            "log_level": "debug",
        },
        expect_pub_id="00:11:22:33:44:55:66:77",
        delete=True,
        reset=True,
        redact_salt="c2FsdA==",
        bindings=[{"resource": {"stream_name": "x"}, "target": "acmeCo/x", "disable": True, "backfill": 2}],
    )
    assert spec == {
        "autoDiscover": {"addNewBindings": True, "evolveIncompatibleCollections": True},
        "endpoint": {"connector": {"image": "i", "config": {"snake_key": 1}}},
        "bindings": [{"resource": {"stream_name": "x"}, "target": "acmeCo/x", "disable": True, "backfill": 2}],
        "interval": "10m",
        "shards": {
            "disable": True,
            "minTxnDuration": "1s",
            "maxTxnDuration": "1m",
            "hotStandbys": 1,
            "ringBufferSize": 1024,
            "readChannelSize": 64,
            "logLevel": "debug",
        },
        "expectPubId": "0011223344556677",
        "delete": True,
        "reset": True,
        "redactSalt": "c2FsdA==",
    }


@pytest.mark.parametrize(
    ("auto_discover", "expected"),
    [(True, {}), (False, None), ({"add_new_bindings": True}, {"addNewBindings": True})],
)
def test_capture_auto_discover(cat: fs.Catalog, auto_discover: Any, expected: Any) -> None:
    spec = capture_spec(cat, image="i", auto_discover=auto_discover)
    assert spec.get("autoDiscover") == expected


def test_capture_camel_case_keys_are_taken_too(cat: fs.Catalog) -> None:
    spec = capture_spec(cat, image="i", shards={"minTxnDuration": "1s"})
    assert spec["shards"] == {"minTxnDuration": "1s"}


def nested_options(camel: bool) -> fs.Catalog:
    """A catalog whose nested options are all spelled in snake_case, or all
    in the model's camelCase."""

    def k(snake: str) -> str:
        if not camel:
            return snake
        head, *rest = snake.split("_")
        return head + "".join(part.capitalize() for part in rest)

    cat = fs.Catalog()
    cat.capture(
        "acmeCo/c",
        image="i",
        auto_discover={k("add_new_bindings"): True, k("evolve_incompatible_collections"): True},
        shards={k("min_txn_duration"): "1s", k("log_level"): "debug", k("hot_standbys"): 1},
        bindings=[{"resource": {"my_table": "t"}, "target": "acmeCo/x", "backfill": 1}],
    )
    cat.collection(
        "acmeCo/x",
        schema={"type": "object"},
        key=["/id"],
        journals={"fragments": {k("compression_codec"): "ZSTANDARD", k("flush_interval"): "1h"}},
        projections={"my_field": {"location": "/my_field", "partition": True}},
    )
    cat.derivation(
        "acmeCo/d",
        schema={"type": "object"},
        key=["/id"],
        using={"python": {"module": "m.py", "dependencies": {"my_package": "1"}}},
        transforms=[
            {
                "name": "t",
                "source": {"name": "acmeCo/x", k("not_before"): "2024-01-01T00:00:00Z"},
                "shuffle": {"key": ["/id"]},
                k("read_delay"): "1h",
            }
        ],
    )
    cat.materialization(
        "acmeCo/m",
        image="i",
        source_capture={"capture": "acmeCo/c", k("target_naming"): "withSchema", k("delta_updates"): True},
        bindings=[{"resource": {}, "source": "acmeCo/x", "fields": {k("group_by"): ["my_field"], "require": {"my_field": {"a_b": 1}}}}],
    ).binding({}, source={"name": "acmeCo/x", "partitions": {"include": {"my_field": ["a"]}}}, fields={k("group_by"): ["id"]})
    cat.test("acmeCo/t", steps=[{"verify": {"collection": {"name": "acmeCo/x"}, "documents": []}}])
    return cat


def test_nested_options_take_either_casing() -> None:
    snake, camel = nested_options(camel=False), nested_options(camel=True)
    assert snake.to_dict() == camel.to_dict()
    spec = snake.to_dict()
    assert spec["captures"]["acmeCo/c"]["shards"] == {"minTxnDuration": "1s", "hotStandbys": 1, "logLevel": "debug"}
    # Data keys are kept as they are: resources, field names, dependencies.
    assert spec["captures"]["acmeCo/c"]["bindings"][0]["resource"] == {"my_table": "t"}
    assert spec["materializations"]["acmeCo/m"]["bindings"][0]["fields"]["require"] == {"my_field": {"a_b": 1}}
    assert spec["collections"]["acmeCo/d"]["derive"]["using"]["python"]["dependencies"] == {"my_package": "1"}


def test_a_nested_option_copied_from_a_spec_is_taken_as_it_is(cat: fs.Catalog) -> None:
    m = cat.materialization("acmeCo/m", image="i")
    m.binding({}, "acmeCo/x", fields={"group_by": ["id"], "recommended": 2})
    fields = m.spec["bindings"][0]["fields"]
    assert fields == {"groupBy": ["id"], "recommended": 2}
    m.binding({}, "acmeCo/y", fields=fields)
    assert m.spec["bindings"][1]["fields"] == fields


def test_capture_local_keeps_config_and_env_keys(cat: fs.Catalog) -> None:
    spec = capture_spec(
        cat,
        local={"command": ["python", "c.py"], "config": {"api_key": "k"}, "env": {"LOG_LEVEL": "x", "my_var": "y"}, "protobuf": True},
    )
    assert spec["endpoint"] == {
        "local": {"command": ["python", "c.py"], "config": {"api_key": "k"}, "env": {"LOG_LEVEL": "x", "my_var": "y"}, "protobuf": True}
    }


def test_capture_needs_one_endpoint(cat: fs.Catalog) -> None:
    with pytest.raises(fs.InvalidSpecError, match="capture acmeCo/source: no endpoint is given"):
        cat.capture("acmeCo/source")
    with pytest.raises(fs.InvalidSpecError, match="give only one endpoint"):
        cat.capture("acmeCo/source", image="i", local={"command": ["x"], "config": {}})
    with pytest.raises(fs.InvalidSpecError, match="`config` is given without an `image`"):
        cat.capture("acmeCo/source", config={})


def test_capture_binding_chains(cat: fs.Catalog) -> None:
    cap = cat.capture("acmeCo/source", image="i")
    same = cap.binding({"stream": "a"}, target="acmeCo/a").binding({"stream": "b"}, "acmeCo/b", disable=True, backfill=3)
    assert same is cap
    assert cap.spec["bindings"] == [
        {"resource": {"stream": "a"}, "target": "acmeCo/a"},
        {"resource": {"stream": "b"}, "target": "acmeCo/b", "disable": True, "backfill": 3},
    ]


def test_capture_binding_resource_file_reference(cat: fs.Catalog) -> None:
    cap = cat.capture("acmeCo/source", image="i").binding("resource.json", target="acmeCo/a")
    assert cap.spec["bindings"][0]["resource"] == "resource.json"


def test_capture_binding_names_its_index_in_errors(cat: fs.Catalog) -> None:
    cap = cat.capture("acmeCo/source", image="i").binding({}, target="acmeCo/a")
    with pytest.raises(fs.InvalidNameError, match="capture acmeCo/source binding 1: target: nope cannot be used as name") as bad:
        cap.binding({}, target="nope")
    assert (bad.value.entity, bad.value.value) == ("collection", "nope")
    with pytest.raises(fs.InvalidSpecError, match="capture acmeCo/source binding 1: backfill"):
        cap.binding({}, target="acmeCo/b", backfill=-1)


# Collections.


def test_collection_schema_and_key(cat: fs.Catalog) -> None:
    coll = cat.collection("acmeCo/x", schema=OBJECT_WITH_ID, key=["/id"])
    assert coll.name == "acmeCo/x"
    assert coll.spec == {"schema": OBJECT_WITH_ID, "key": ["/id"]}


def test_collection_every_option(cat: fs.Catalog) -> None:
    coll = cat.collection(
        "acmeCo/x",
        write_schema={"type": "object", "x-write": True},
        read_schema="schemas/read.schema.yaml",
        key=("/id", "/ts"),
        projections={"the_id": "/id", "region_code": {"location": "/region", "partition": True}},
        journals={
            "fragments": {"length": 512, "compression_codec": "ZSTANDARD", "retention": "720h", "flush_interval": "1h"}
        },
        expect_pub_id="0011223344556677",
        delete=True,
    )
    assert coll.spec == {
        "writeSchema": {"type": "object", "x-write": True},
        "readSchema": "schemas/read.schema.yaml",
        "key": ["/id", "/ts"],
        "projections": {"region_code": {"location": "/region", "partition": True}, "the_id": "/id"},
        "journals": {"fragments": {"length": 512, "compressionCodec": "ZSTANDARD", "retention": "720h", "flushInterval": "1h"}},
        "expectPubId": "0011223344556677",
        "delete": True,
    }


def test_collection_key_is_required(cat: fs.Catalog) -> None:
    with pytest.raises(fs.InvalidSpecError, match="collection acmeCo/x: missing field `key`"):
        cat.collection("acmeCo/x", schema={})


def test_collection_key_pointer_is_checked(cat: fs.Catalog) -> None:
    with pytest.raises(fs.InvalidNameError, match="collection acmeCo/x: key"):
        cat.collection("acmeCo/x", schema={}, key=["id"])
    with pytest.raises(fs.InvalidSpecError, match="collection acmeCo/x: key: invalid type: string"):
        cat.collection("acmeCo/x", schema={}, key="/id")


def test_none_options_are_left_out(cat: fs.Catalog) -> None:
    coll = cat.collection("acmeCo/x", schema={}, key=["/id"], projections=None, journals=None, expect_pub_id=None)
    assert coll.spec == {"schema": {}, "key": ["/id"]}


# Derivations.


def derivation_spec(cat: fs.Catalog, **runtime: Any) -> dict[str, Any]:
    d = cat.derivation("acmeCo/d", schema=OBJECT_WITH_ID, key=["/id"], **runtime)
    derive: dict[str, Any] = d.spec["derive"]
    return derive


@pytest.mark.parametrize(
    ("runtime", "using"),
    [
        ({"typescript": "d.flow.ts"}, {"typescript": {"module": "d.flow.ts"}}),
        ({"typescript": {"module": "export class X {}"}}, {"typescript": {"module": "export class X {}"}}),
        ({"sqlite": []}, {"sqlite": {"migrations": []}}),
        ({"sqlite": ["CREATE TABLE t (x);", "sql/002.sql"]}, {"sqlite": {"migrations": ["CREATE TABLE t (x);", "sql/002.sql"]}}),
        ({"sqlite": {"migrations": ["m.sql"]}}, {"sqlite": {"migrations": ["m.sql"]}}),
        ({"python": "d.py"}, {"python": {"module": "d.py"}}),
        (
            {"python": {"module": "d.py", "dependencies": {"my_pkg": ">=1", "requests": "2"}}},
            {"python": {"module": "d.py", "dependencies": {"my_pkg": ">=1", "requests": "2"}}},
        ),
        (
            {"connector": {"image": "ghcr.io/x/derive:v1", "config": {"api_key": "k"}}},
            {"connector": {"image": "ghcr.io/x/derive:v1", "config": {"api_key": "k"}}},
        ),
        ({"local": {"command": ["./derive"], "config": {}}}, {"local": {"command": ["./derive"], "config": {}}}),
        ({"using": {"sqlite": {"migrations": []}}}, {"sqlite": {"migrations": []}}),
    ],
)
def test_derivation_runtimes(cat: fs.Catalog, runtime: dict[str, Any], using: dict[str, Any]) -> None:
    assert derivation_spec(cat, **runtime)["using"] == using


def test_derivation_needs_one_runtime(cat: fs.Catalog) -> None:
    with pytest.raises(fs.InvalidSpecError, match="derivation acmeCo/d: no runtime is given"):
        cat.derivation("acmeCo/d", schema={}, key=["/id"])
    with pytest.raises(fs.InvalidSpecError, match="give only one runtime"):
        cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[], typescript="d.ts")


def test_derivation_every_option(cat: fs.Catalog) -> None:
    d = cat.derivation(
        "acmeCo/d",
        schema=OBJECT_WITH_ID,
        key=["/id"],
        sqlite=[],
        transforms=[
            {"name": "fromA", "source": "acmeCo/a", "shuffle": "any", "read_delay": "1h"},
            {
                "name": "fromB",
                "source": {"name": "acmeCo/b", "not_before": "2024-01-01T00:00:00Z"},
                "shuffle": {"lambda": "SELECT 1;"},
                "lambda": "SELECT $id;",
            },
        ],
        shuffle_key_types=["string", "integer"],
        shards={"min_txn_duration": "5s"},
        redact_salt="c2FsdA==",
    )
    assert d.spec["derive"] == {
        "using": {"sqlite": {"migrations": []}},
        "transforms": [
            {"name": "fromA", "source": "acmeCo/a", "shuffle": "any", "readDelay": "1h"},
            {
                "name": "fromB",
                "source": {"name": "acmeCo/b", "notBefore": "2024-01-01T00:00:00Z"},
                "shuffle": {"lambda": "SELECT 1;"},
                "lambda": "SELECT $id;",
            },
        ],
        "shuffleKeyTypes": ["string", "integer"],
        "shards": {"minTxnDuration": "5s"},
        "redactSalt": "c2FsdA==",
    }


def test_transform_every_option(cat: fs.Catalog) -> None:
    d = cat.derivation("acmeCo/d", schema=OBJECT_WITH_ID, key=["/id"], sqlite=[])
    same = d.transform(
        "fromA",
        "acmeCo/a",
        shuffle=["/id"],
        lambda_="SELECT $id AS id;",
        partitions={"include": {"region_code": ["EU"]}, "exclude": {"tier": [1]}},
        not_before="2024-01-01T00:00:00Z",
        not_after="2024-12-31T00:00:00Z",
        priority=2,
        read_delay="30m",
        disable=True,
        backfill=1,
    )
    assert same is d
    assert d.spec["derive"]["transforms"] == [
        {
            "name": "fromA",
            "source": {
                "name": "acmeCo/a",
                "partitions": {"include": {"region_code": ["EU"]}, "exclude": {"tier": [1]}},
                "notBefore": "2024-01-01T00:00:00Z",
                "notAfter": "2024-12-31T00:00:00Z",
            },
            "shuffle": {"key": ["/id"]},
            "priority": 2,
            "readDelay": "30m",
            "lambda": "SELECT $id AS id;",
            "disable": True,
            "backfill": 1,
        }
    ]


@pytest.mark.parametrize(
    ("shuffle", "expected"),
    [
        ("any", "any"),
        (["/a", "/b"], {"key": ["/a", "/b"]}),
        ({"key": ["/a"]}, {"key": ["/a"]}),
        ({"lambda": {"sql": "x"}}, {"lambda": {"sql": "x"}}),
    ],
)
def test_transform_shuffles(cat: fs.Catalog, shuffle: Any, expected: Any) -> None:
    d = cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[]).transform("t", source="acmeCo/a", shuffle=shuffle)
    assert d.spec["derive"]["transforms"][0]["shuffle"] == expected


def test_transform_source_filters_twice_is_an_error(cat: fs.Catalog) -> None:
    d = cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[])
    with pytest.raises(fs.InvalidSpecError, match="derivation acmeCo/d transform 0: give `partitions`"):
        d.transform("t", source={"name": "acmeCo/a"}, not_before="2024-01-01T00:00:00Z")


def test_transform_of_a_collection_that_is_no_longer_derived(cat: fs.Catalog) -> None:
    d = cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[])
    d.spec = {"schema": {}, "key": ["/id"]}
    with pytest.raises(fs.InvalidSpecError, match="collection acmeCo/d: it is not a derivation"):
        d.transform("t", source="acmeCo/a")


def test_derivation_handle_is_a_collection(cat: fs.Catalog) -> None:
    d = cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[])
    assert isinstance(d, fs.Derivation)
    assert isinstance(d, fs.Collection)
    assert isinstance(cat.collections["acmeCo/d"], fs.Derivation)


# Materializations.


def test_materialization_every_option(cat: fs.Catalog) -> None:
    m = cat.materialization(
        "acmeCo/sink",
        image="ghcr.io/estuary/materialize-x:v1",
        config={"api_key": "k"},
        source_capture={"capture": "acmeCo/source", "target_naming": "withSchema", "delta_updates": True, "fields_recommended": 2},
        on_incompatible_schema_change="disableTask",
        shards={"log_level": "info"},
        expect_pub_id="0011223344556677",
        delete=True,
        bindings=[{"resource": {"table_name": "t"}, "source": "acmeCo/a", "fields": {"group_by": ["id"]}}],
    )
    assert m.spec == {
        "source": {"capture": "acmeCo/source", "targetNaming": "withSchema", "deltaUpdates": True, "fieldsRecommended": 2},
        "onIncompatibleSchemaChange": "disableTask",
        "endpoint": {"connector": {"image": "ghcr.io/estuary/materialize-x:v1", "config": {"api_key": "k"}}},
        "bindings": [{"resource": {"table_name": "t"}, "source": "acmeCo/a", "fields": {"groupBy": ["id"], "recommended": True}}],
        "shards": {"logLevel": "info"},
        "expectPubId": "0011223344556677",
        "delete": True,
    }


def test_materialization_source_capture_by_name(cat: fs.Catalog) -> None:
    m = cat.materialization("acmeCo/sink", image="i", source_capture="acmeCo/source")
    assert m.spec["source"] == "acmeCo/source"


def test_materialization_other_endpoints(cat: fs.Catalog) -> None:
    m = cat.materialization("acmeCo/dekaf", dekaf={"variant": "tinybird", "config": {"token_x": 1}})
    assert m.spec["endpoint"] == {"dekaf": {"variant": "tinybird", "config": {"token_x": 1}}}
    m = cat.materialization("acmeCo/local", local={"command": ["./sink"], "config": {}})
    assert m.spec["endpoint"] == {"local": {"command": ["./sink"], "config": {}}}
    with pytest.raises(fs.InvalidSpecError, match="give only one endpoint"):
        cat.materialization("acmeCo/both", image="i", dekaf={"variant": "x", "config": {}})


def test_materialization_binding_every_option(cat: fs.Catalog) -> None:
    m = cat.materialization("acmeCo/sink", image="i")
    same = m.binding(
        {"table": "orders", "delta_updates": True},
        "acmeCo/orders",
        partitions={"include": {"region_code": ["EU"]}},
        not_before="2024-01-01T00:00:00Z",
        not_after="2025-01-01T00:00:00Z",
        fields={
            "group_by": ["order_id"],
            "require": {"customer_id": {"cast_to": "string"}, "total_cents": {}},
            "exclude": ["internal_note"],
            "recommended": False,
        },
        priority=1,
        backfill=2,
        disable=True,
        on_incompatible_schema_change="abort",
    )
    assert same is m
    assert m.spec["bindings"] == [
        {
            "resource": {"table": "orders", "delta_updates": True},
            "source": {
                "name": "acmeCo/orders",
                "partitions": {"include": {"region_code": ["EU"]}},
                "notBefore": "2024-01-01T00:00:00Z",
                "notAfter": "2025-01-01T00:00:00Z",
            },
            "disable": True,
            "priority": 1,
            "fields": {
                "groupBy": ["order_id"],
                "require": {"customer_id": {"cast_to": "string"}, "total_cents": {}},
                "exclude": ["internal_note"],
                "recommended": False,
            },
            "backfill": 2,
            "onIncompatibleSchemaChange": "abort",
        }
    ]


def test_materialization_binding_source_object(cat: fs.Catalog) -> None:
    m = cat.materialization("acmeCo/sink", image="i").binding(
        {"table": "t"}, source={"name": "acmeCo/a", "partitions": {"exclude": {"my_field": [True]}}}
    )
    assert m.spec["bindings"][0]["source"] == {"name": "acmeCo/a", "partitions": {"exclude": {"my_field": [True]}}}


def test_materialization_binding_recommended_defaults_to_true(cat: fs.Catalog) -> None:
    m = cat.materialization("acmeCo/sink", image="i").binding({"table": "t"}, "acmeCo/a", fields={"exclude": ["x"]})
    assert m.spec["bindings"][0]["fields"] == {"exclude": ["x"], "recommended": True}


# Tests.


def test_test_steps_chain(cat: fs.Catalog) -> None:
    t = cat.test("acmeCo/tests/t", description="Totals.")
    same = t.ingest("acmeCo/items", [{"id": "1", "price_cents": 2}], description="Add one.").verify(
        "acmeCo/totals", [{"id": "1"}], partitions={"include": {"region_code": ["EU"]}}, description="Check it."
    )
    assert same is t
    assert t.spec == {
        "description": "Totals.",
        "steps": [
            {"ingest": {"description": "Add one.", "collection": "acmeCo/items", "documents": [{"id": "1", "price_cents": 2}]}},
            {
                "verify": {
                    "description": "Check it.",
                    "collection": {"name": "acmeCo/totals", "partitions": {"include": {"region_code": ["EU"]}}},
                    "documents": [{"id": "1"}],
                }
            },
        ],
    }


def test_test_every_option(cat: fs.Catalog) -> None:
    t = cat.test(
        "acmeCo/tests/t",
        steps=[
            {"ingest": {"collection": "acmeCo/items", "documents": "fixtures/items.json"}},
            {"verify": {"collection": {"name": "acmeCo/totals"}, "documents": [{"id_x": 1}]}},
        ],
        expect_pub_id="0011223344556677",
        delete=True,
    )
    assert t.spec == {
        "steps": [
            {"ingest": {"collection": "acmeCo/items", "documents": "fixtures/items.json"}},
            {"verify": {"collection": {"name": "acmeCo/totals"}, "documents": [{"id_x": 1}]}},
        ],
        "expectPubId": "0011223344556677",
        "delete": True,
    }


def test_test_documents_from_a_fixture_file(cat: fs.Catalog) -> None:
    t = cat.test("acmeCo/tests/t").ingest("acmeCo/items", "fixtures/items.json")
    assert t.spec["steps"][0]["ingest"]["documents"] == "fixtures/items.json"


# Shared behaviour.


@pytest.mark.parametrize(
    ("add", "message"),
    [
        (lambda c: c.capture("acmeCo/x", image="i"), "capture acmeCo/x is already defined"),
        (lambda c: c.collection("acmeCo/x", schema={}, key=["/id"]), "collection acmeCo/x is already defined"),
        (lambda c: c.derivation("acmeCo/x", schema={}, key=["/id"], sqlite=[]), "collection acmeCo/x is already defined"),
        (lambda c: c.materialization("acmeCo/x", image="i"), "materialization acmeCo/x is already defined"),
        (lambda c: c.test("acmeCo/x"), "test acmeCo/x is already defined"),
    ],
)
def test_defining_a_spec_twice_is_an_error(cat: fs.Catalog, add: Any, message: str) -> None:
    add(cat)
    with pytest.raises(fs.InvalidSpecError, match=message):
        add(cat)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda c: c.collection("acmeCo/x", schema={}, kye=["/id"]),
            "Catalog.collection(): unknown option `kye`, did you mean `key`? expected one of `schema`, `write_schema`, "
            "`read_schema`, `key`, `projections`, `journals`, `expect_pub_id`, `delete`",
        ),
        (
            lambda c: c.capture("acmeCo/x", image="i", colour=1),
            "Catalog.capture(): unknown option `colour`, expected one of `image`, `config`, `local`, `bindings`, "
            "`interval`, `auto_discover`, `shards`, `expect_pub_id`, `delete`, `reset`, `redact_salt`",
        ),
        (
            lambda c: c.capture("acmeCo/x", image="i").binding({}, target="acmeCo/y", disabled=True),
            "Capture.binding(): unknown option `disabled`, did you mean `disable`? expected one of `resource`, `target`, "
            "`disable`, `backfill`",
        ),
        (
            lambda c: c.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[]).transform("t", "acmeCo/a", lambda_x=1),
            "Derivation.transform(): unknown option `lambda_x`, did you mean `lambda_`? expected one of `name`, `source`, "
            "`partitions`, `not_before`, `not_after`, `shuffle`, `lambda_`, `priority`, `read_delay`, `disable`, `backfill`",
        ),
        (
            lambda c: c.materialization("acmeCo/m", image="i").binding({}, "acmeCo/a", field={}),
            "Materialization.binding(): unknown option `field`, did you mean `fields`? expected one of `resource`, "
            "`source`, `partitions`, `not_before`, `not_after`, `fields`, `priority`, `backfill`, `disable`, "
            "`on_incompatible_schema_change`",
        ),
        (
            lambda c: c.test("acmeCo/t").verify("acmeCo/a", [], partition={}),
            "Test.verify(): unknown option `partition`, did you mean `partitions`? expected one of `collection`, "
            "`documents`, `partitions`, `description`",
        ),
    ],
)
def test_unknown_keyword_is_a_type_error(cat: fs.Catalog, call: Any, expected: str) -> None:
    with pytest.raises(TypeError) as info:
        call(cat)
    assert str(info.value) == expected


def test_options_are_keyword_only(cat: fs.Catalog) -> None:
    with pytest.raises(TypeError):
        cat.collection("acmeCo/x", {}, ["/id"])  # type: ignore[call-arg]


def test_unknown_nested_option_is_named(cat: fs.Catalog) -> None:
    with pytest.raises(fs.InvalidSpecError) as info:
        cat.capture("acmeCo/x", image="i", shards={"min_txn_durtion": "1s"})
    assert str(info.value) == (
        "capture acmeCo/x: shards: unknown option `minTxnDurtion`, did you mean `minTxnDuration`? expected one of "
        "`disable`, `minTxnDuration`, `maxTxnDuration`, `hotStandbys`, `ringBufferSize`, `readChannelSize`, `logLevel`"
    )


def test_handles_hold_their_catalog(cat: fs.Catalog) -> None:
    coll = cat.collection("acmeCo/x", schema={}, key=["/id"])
    assert coll.catalog is cat
    assert cat.collections["acmeCo/x"] == coll
    assert hash(cat.collections["acmeCo/x"]) == hash(coll)
    assert coll != cat.collection("acmeCo/y", schema={}, key=["/id"])
    assert coll != fs.Catalog().collection("acmeCo/x", schema={}, key=["/id"])


def test_handle_of_a_removed_spec(cat: fs.Catalog) -> None:
    cap = cat.capture("acmeCo/x", image="i")
    del cat.captures["acmeCo/x"]
    with pytest.raises(fs.InvalidSpecError, match="capture acmeCo/x is not defined"):
        cap.binding({}, target="acmeCo/y")
    with pytest.raises(KeyError, match="capture acmeCo/x is not in the catalog"):
        cap.spec  # noqa: B018
