"""Reading, editing and removing specs: `catalog.<kind>[name]`, handles' `.spec`."""

from __future__ import annotations

import pytest

import flowspec as fs
from conftest import OBJECT_WITH_ID


def test_mapping_protocol(pipeline: fs.Catalog) -> None:
    colls = pipeline.collections
    assert len(colls) == 1
    assert "acmeCo/greetings" in colls
    assert "acmeCo/nope" not in colls
    assert 42 not in colls
    assert list(colls) == ["acmeCo/greetings"]
    assert colls.keys() == ["acmeCo/greetings"]
    assert [h.name for h in colls.values()] == ["acmeCo/greetings"]
    assert [(n, h.name) for n, h in colls.items()] == [("acmeCo/greetings", "acmeCo/greetings")]
    assert isinstance(colls["acmeCo/greetings"], fs.Collection)
    assert isinstance(pipeline.captures["acmeCo/source-hello"], fs.Capture)
    assert isinstance(pipeline.materializations["acmeCo/to-postgres"], fs.Materialization)
    assert len(pipeline.tests) == 0


def test_names_iterate_sorted(cat: fs.Catalog) -> None:
    for name in ["acmeCo/c", "acmeCo/a", "acmeCo/b"]:
        cat.collection(name, schema={}, key=["/id"])
    assert list(cat.collections) == ["acmeCo/a", "acmeCo/b", "acmeCo/c"]


def test_iteration_is_a_snapshot(cat: fs.Catalog) -> None:
    for name in ["acmeCo/a", "acmeCo/b"]:
        cat.collection(name, schema={}, key=["/id"])
    for name in cat.collections:
        del cat.collections[name]
    assert len(cat.collections) == 0


def test_get(pipeline: fs.Catalog) -> None:
    greetings = pipeline.collections.get("acmeCo/greetings")
    assert greetings is not None and greetings.name == "acmeCo/greetings"
    assert pipeline.collections.get("acmeCo/nope") is None
    assert pipeline.collections.get("acmeCo/nope", "fallback") == "fallback"


def test_missing_name_is_a_key_error(pipeline: fs.Catalog) -> None:
    with pytest.raises(KeyError, match="collection acmeCo/nope is not in the catalog"):
        pipeline.collections["acmeCo/nope"]
    with pytest.raises(KeyError, match="test acmeCo/nope is not in the catalog"):
        del pipeline.tests["acmeCo/nope"]


def test_delete(pipeline: fs.Catalog) -> None:
    del pipeline.captures["acmeCo/source-hello"]
    assert "acmeCo/source-hello" not in pipeline.captures
    assert len(pipeline.captures) == 0


def test_read_edit_and_write_back_a_spec(pipeline: fs.Catalog) -> None:
    coll = pipeline.collections["acmeCo/greetings"]
    spec = coll.spec
    assert spec == {"schema": OBJECT_WITH_ID, "key": ["/id"]}
    spec["projections"] = {"greeting_id": "/id"}
    coll.spec = spec
    assert pipeline.collections["acmeCo/greetings"].spec["projections"] == {"greeting_id": "/id"}


def test_spec_is_a_copy(pipeline: fs.Catalog) -> None:
    coll = pipeline.collections["acmeCo/greetings"]
    coll.spec["key"].append("/other")
    assert coll.spec["key"] == ["/id"]


def test_set_item_adds_or_replaces(pipeline: fs.Catalog) -> None:
    pipeline.collections["acmeCo/other"] = {"schema": {"type": "object"}, "key": ["/x"]}
    assert pipeline.collections["acmeCo/other"].spec == {"schema": {"type": "object"}, "key": ["/x"]}
    pipeline.tests["acmeCo/tests/t"] = [{"ingest": {"collection": "acmeCo/other", "documents": []}}]
    assert pipeline.tests["acmeCo/tests/t"].spec == {"steps": [{"ingest": {"collection": "acmeCo/other", "documents": []}}]}
    pipeline.captures["acmeCo/source-hello"] = {
        "endpoint": {"connector": {"image": "ghcr.io/estuary/source-hello-world:v2", "config": {}}},
        "bindings": [],
    }
    assert pipeline.captures["acmeCo/source-hello"].spec["endpoint"]["connector"]["image"].endswith(":v2")


def test_set_item_checks_the_spec(pipeline: fs.Catalog) -> None:
    with pytest.raises(fs.InvalidSpecError) as info:
        pipeline.collections["acmeCo/other"] = {"key": "/id"}
    assert str(info.value).startswith("collection acmeCo/other: key: invalid type")
    with pytest.raises(fs.InvalidSpecError, match="collection acmeCo/other: unknown field `kye`"):
        pipeline.collections["acmeCo/other"] = {"schema": {}, "kye": ["/id"]}
    with pytest.raises(fs.InvalidNameError, match="nope"):
        pipeline.collections["nope"] = {"schema": {}, "key": ["/id"]}
    assert "acmeCo/other" not in pipeline.collections


def test_spec_setter_checks_the_spec(pipeline: fs.Catalog) -> None:
    cap = pipeline.captures["acmeCo/source-hello"]
    with pytest.raises(fs.InvalidSpecError, match="capture acmeCo/source-hello: missing field `endpoint`"):
        cap.spec = {"bindings": []}
    with pytest.raises(AttributeError):
        del cap.spec


def test_edit_a_derivation_into_a_collection_and_back(cat: fs.Catalog) -> None:
    d = cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[])
    spec = d.spec
    derive = spec.pop("derive")
    d.spec = spec
    assert type(cat.collections["acmeCo/d"]) is fs.Collection
    cat.collections["acmeCo/d"] = {**spec, "derive": derive}
    assert type(cat.collections["acmeCo/d"]) is fs.Derivation


def test_handles_from_the_mapping_chain(pipeline: fs.Catalog) -> None:
    pipeline.captures["acmeCo/source-hello"].binding({"name": "farewells"}, target="acmeCo/farewells")
    pipeline.materializations["acmeCo/to-postgres"].binding({"table": "farewells"}, source="acmeCo/farewells")
    assert len(pipeline.captures["acmeCo/source-hello"].spec["bindings"]) == 2
    assert len(pipeline.materializations["acmeCo/to-postgres"].spec["bindings"]) == 2


def test_to_dict(pipeline: fs.Catalog) -> None:
    d = pipeline.to_dict()
    assert list(d) == ["captures", "collections", "materializations"]
    assert d["collections"]["acmeCo/greetings"]["key"] == ["/id"]
    d["collections"].clear()
    assert len(pipeline.collections) == 1


def test_specs_are_a_mutable_mapping(pipeline: fs.Catalog) -> None:
    from collections.abc import Mapping, MutableMapping

    for specs in [pipeline.captures, pipeline.collections, pipeline.materializations, pipeline.tests]:
        assert isinstance(specs, MutableMapping)
        assert isinstance(specs, Mapping)
    assert issubclass(fs.Specs, MutableMapping)


def test_pop_gives_the_spec_and_removes_it(pipeline: fs.Catalog) -> None:
    colls = pipeline.collections
    spec = colls["acmeCo/greetings"].spec
    assert colls.pop("acmeCo/greetings") == spec
    assert "acmeCo/greetings" not in colls
    assert colls.pop("acmeCo/greetings", None) is None
    assert colls.pop("acmeCo/greetings", "gone") == "gone"
    with pytest.raises(KeyError, match="collection acmeCo/greetings is not in the catalog"):
        colls.pop("acmeCo/greetings")
    with pytest.raises(TypeError, match="pop expected at most 2 arguments, got 3"):
        colls.pop("acmeCo/greetings", 1, 2)  # type: ignore[call-overload]
    # A popped spec can be put back, under any name.
    colls["acmeCo/greetings-v2"] = spec
    assert colls["acmeCo/greetings-v2"].spec == spec


def test_popitem_takes_the_first_name(cat: fs.Catalog) -> None:
    for name in ["acmeCo/b", "acmeCo/a"]:
        cat.collection(name, schema=OBJECT_WITH_ID, key=["/id"])
    assert cat.collections.popitem() == ("acmeCo/a", {"schema": OBJECT_WITH_ID, "key": ["/id"]})
    assert cat.collections.popitem()[0] == "acmeCo/b"
    with pytest.raises(KeyError, match="popitem\\(\\): there are no collections"):
        cat.collections.popitem()


def test_update_setdefault_and_clear(pipeline: fs.Catalog) -> None:
    other = fs.Catalog()
    # From another catalog's specs (handles), from a dict of spec dicts, from pairs.
    other.collections.update(pipeline.collections)
    other.collections.update({"acmeCo/a": {"schema": OBJECT_WITH_ID, "key": ["/id"]}})
    other.collections.update([("acmeCo/b", {"schema": OBJECT_WITH_ID, "key": ["/id"]})])
    assert list(other.collections) == ["acmeCo/a", "acmeCo/b", "acmeCo/greetings"]
    assert other.collections["acmeCo/greetings"].spec == pipeline.collections["acmeCo/greetings"].spec
    handle = other.collections.setdefault("acmeCo/c", {"schema": OBJECT_WITH_ID, "key": ["/c"]})
    assert handle == other.collections["acmeCo/c"] and handle.spec["key"] == ["/c"]
    # An existing spec is kept.
    assert other.collections.setdefault("acmeCo/c", {"schema": OBJECT_WITH_ID, "key": ["/x"]}).spec["key"] == ["/c"]
    other.collections.clear()
    assert len(other.collections) == 0
    assert len(pipeline.collections) == 1


def test_a_handle_of_another_kind_is_not_a_spec(pipeline: fs.Catalog) -> None:
    with pytest.raises(TypeError, match="^the collection acmeCo/greetings cannot be a capture spec$"):
        pipeline.captures["acmeCo/x"] = pipeline.collections["acmeCo/greetings"]
