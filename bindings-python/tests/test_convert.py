"""Python values → JSON: what converts, and where a value that is not JSON is."""

from __future__ import annotations

import collections
import datetime
import decimal
import enum
import math
import types
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import flowspec as fs


def roundtrip(value: Any) -> Any:
    cat = fs.Catalog()
    cat.capture("acmeCo/x", image="i", config={"v": value})
    return cat.captures["acmeCo/x"].spec["endpoint"]["connector"]["config"]["v"]


class Color(str, enum.Enum):
    RED = "red"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (False, False),
        (0, 0),
        (-(2**63), -(2**63)),
        (2**64 - 1, 2**64 - 1),
        (1.5, 1.5),
        (-0.0, -0.0),
        ("", ""),
        ("héllo wörld ✓ 🚀", "héllo wörld ✓ 🚀"),
        ([1, "a", None], [1, "a", None]),
        ((1, 2), [1, 2]),
        ({"b": 1, "a": 2}, {"b": 1, "a": 2}),
        (collections.OrderedDict([("z", 1), ("y", 2)]), {"z": 1, "y": 2}),
        (Color.RED, "red"),
        ({"deep": [[{"x": [1]}]]}, {"deep": [[{"x": [1]}]]}),
    ],
)
def test_json_values_roundtrip(value: Any, expected: Any) -> None:
    got = roundtrip(value)
    assert got == expected
    assert type(got) is type(expected)


class Config(Mapping[str, Any]):
    """A mapping that is not a dict."""

    def __init__(self, **items: Any) -> None:
        self._items = items

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class Broken(Config):
    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("cannot list the items")


def test_other_mappings_and_sequences_convert() -> None:
    assert roundtrip(types.MappingProxyType({"b": 1, "a": [2]})) == {"b": 1, "a": [2]}
    assert roundtrip(Config(z=1, y=Config(x=2))) == {"z": 1, "y": {"x": 2}}
    assert roundtrip(collections.deque([1, 2])) == [1, 2]
    assert roundtrip(range(3)) == [0, 1, 2]
    assert roundtrip(collections.UserList(["a"])) == ["a"]


def test_a_mapping_that_raises_raises_its_error() -> None:
    with pytest.raises(RuntimeError, match="cannot list the items"):
        roundtrip(Broken(a=1))


def test_mapping_as_config_and_schema() -> None:
    cat = fs.Catalog()
    cat.capture("acmeCo/x", image="i", config=types.MappingProxyType({"api_key": "k"}))
    cat.collection("acmeCo/y", schema=Config(type="object"), key=["/id"])
    cat.collections["acmeCo/z"] = Config(schema={}, key=["/id"])
    assert cat.captures["acmeCo/x"].spec["endpoint"]["connector"]["config"] == {"api_key": "k"}
    assert cat.collections["acmeCo/y"].spec["schema"] == {"type": "object"}
    assert cat.collections["acmeCo/z"].spec == {"schema": {}, "key": ["/id"]}


def test_key_order_is_kept() -> None:
    keys = [f"k{i}" for i in range(50, 0, -1)]
    assert list(roundtrip({k: 1 for k in keys})) == keys


def test_bool_stays_bool_and_int_stays_int() -> None:
    assert roundtrip([True, 1, 1.0]) == [True, 1, 1.0]
    assert [type(v) for v in roundtrip([True, 1, 1.0])] == [bool, int, float]


class Custom:
    pass


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"credentials": {"when": datetime.datetime(2024, 1, 1)}},
            'config["credentials"]["when"]: a value of type datetime.datetime is not JSON (format it as a string, e.g. with .isoformat())',
        ),
        ({"tags": {"a", "b"}}, 'config["tags"]: a value of type set is not JSON (use a list)'),
        ({"x": [1, 2, Custom()]}, 'config["x"][2]: a value of type test_convert.Custom is not JSON'),
        ({"x": b"bytes"}, 'config["x"]: a value of type bytes is not JSON (decode it to a str)'),
        ({"x": decimal.Decimal("1.5")}, 'config["x"]: a value of type decimal.Decimal is not JSON (convert it to int, float or str)'),
        ({"x": math.nan}, 'config["x"]: nan is not JSON (JSON has no NaN or infinity)'),
        ({"x": [math.inf]}, 'config["x"][0]: inf is not JSON (JSON has no NaN or infinity)'),
        ({"x": 2**64}, 'config["x"]: 18446744073709551616 is out of the range of JSON numbers (64-bit integers)'),
        ({1: "a"}, "config: the key 1 (int) is not a string; JSON object keys are strings"),
        ({"a\"b": {None: 1}}, 'config["a\\"b"]: the key None (NoneType) is not a string'),
    ],
)
def test_not_json_is_a_type_error_naming_where(config: Any, message: str) -> None:
    with pytest.raises(TypeError) as info:
        fs.Catalog().capture("acmeCo/x", image="i", config=config)
    assert str(info.value).startswith(message)


def test_not_json_in_each_kind_of_argument() -> None:
    cat = fs.Catalog()
    cap = cat.capture("acmeCo/x", image="i")
    with pytest.raises(TypeError, match=r"^resource\[\"when\"\]: a value of type datetime.date "):
        cap.binding({"when": datetime.date(2024, 1, 1)}, target="acmeCo/y")
    with pytest.raises(TypeError, match=r"^schema\[\"default\"\]: a value of type set "):
        cat.collection("acmeCo/y", schema={"default": set()}, key=["/id"])
    with pytest.raises(TypeError, match=r"^documents\[1\]\[\"at\"\]: a value of type datetime.datetime "):
        cat.test("acmeCo/t").ingest("acmeCo/y", [{}, {"at": datetime.datetime.now()}])
    with pytest.raises(TypeError, match=r"^shards\[\"min_txn_duration\"\]: a value of type datetime.timedelta "):
        cat.capture("acmeCo/z", image="i", shards={"min_txn_duration": datetime.timedelta(seconds=1)})
    with pytest.raises(TypeError, match=r"^fields\[\"require\"\]\[\"my_field\"\]: a value of type object "):
        cat.materialization("acmeCo/m", image="i").binding({}, "acmeCo/y", fields={"require": {"my_field": object()}})
    with pytest.raises(TypeError, match=r"^spec\[\"key\"\]\[0\]: a value of type bytes "):
        cat.collections["acmeCo/y"] = {"schema": {}, "key": [b"/id"]}


def test_a_cycle_is_a_value_error() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match=r"nested more than 256 levels deep \(does it contain itself\?\)"):
        fs.Catalog().capture("acmeCo/x", image="i", config=loop)


def test_deep_but_finite_nesting_converts() -> None:
    value: Any = 1
    for _ in range(200):
        value = [value]
    assert roundtrip(value) == value


def test_nothing_is_added_when_conversion_fails() -> None:
    cat = fs.Catalog()
    with pytest.raises(TypeError):
        cat.capture("acmeCo/x", image="i", config={"x": {1, 2}})
    assert "acmeCo/x" not in cat.captures
