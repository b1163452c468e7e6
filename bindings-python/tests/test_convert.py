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
        ({"x": math.nan}, 'config["x"]: nan is not JSON (JSON has no NaN or infinity)'),
        ({"x": [math.inf]}, 'config["x"][0]: inf is not JSON (JSON has no NaN or infinity)'),
        ({"x": decimal.Decimal("NaN")}, "config[\"x\"]: Decimal('NaN') is not JSON (JSON has no NaN or infinity)"),
        ({"x": [decimal.Decimal("-Infinity")]}, "config[\"x\"][0]: Decimal('-Infinity') is not JSON (JSON has no NaN or infinity)"),
        ({"x": decimal.Decimal("sNaN")}, "config[\"x\"]: Decimal('sNaN') is not JSON (JSON has no NaN or infinity)"),
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


TOO_DEEP = "the value nests arrays and objects more than 100 levels deep, which a catalog cannot hold (does it contain itself?)"


def test_a_cycle_is_too_deep() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    with pytest.raises(fs.InvalidSpecError) as info:
        fs.Catalog().capture("acmeCo/x", image="i", config=loop)
    assert str(info.value) == 'config' + '["self"]' * 12 + f"...: {TOO_DEEP}"
    assert info.value.code == "nesting_too_deep"
    assert isinstance(info.value, ValueError)


def nest(levels: int) -> Any:
    value: Any = 1
    for i in range(levels):
        value = [value] if i % 2 else {"k": value}
    return value


def test_nesting_up_to_the_core_limit_converts_and_loads_again(tmp_path: Any) -> None:
    cat = fs.Catalog()
    cat.capture("acmeCo/x", image="i", config=nest(100))
    assert cat.captures["acmeCo/x"].spec["endpoint"]["connector"]["config"] == nest(100)
    cat.collection("acmeCo/y", schema={"type": "object"}, key=["/id"])
    cat.test("acmeCo/tests/t").ingest("acmeCo/y", [nest(99)])
    for name in ["flow.yaml", "flow.json"]:
        cat.write(str(tmp_path / name))
        back = fs.Catalog.load(str(tmp_path / name))
        assert back.captures["acmeCo/x"].spec["endpoint"]["connector"]["config"] == nest(100)


@pytest.mark.parametrize(
    ("call", "place"),
    [
        (lambda cat: cat.capture("acmeCo/x", image="i", config=nest(101)), "config" + '["k"][0]' * 6),
        (lambda cat: cat.capture("acmeCo/x", image="i", config={"a": [nest(100)]}), 'config["a"][0]' + '[0]["k"]' * 5),
        (lambda cat: cat.collection("acmeCo/y", schema=nest(101), key=["/id"]), "schema" + '["k"][0]' * 6),
        (lambda cat: cat.test("acmeCo/tests/t").ingest("acmeCo/y", [nest(100)]), "documents[0]" + '[0]["k"]' * 5 + "[0]"),
    ],
)
def test_deeper_values_are_refused_naming_where(call: Any, place: str) -> None:
    cat = fs.Catalog()
    with pytest.raises(fs.InvalidSpecError) as info:
        call(cat)
    assert str(info.value) == f"{place}...: {TOO_DEEP}"
    assert info.value.code == "nesting_too_deep"
    assert info.value.diagnostics == []


def test_nothing_is_added_when_conversion_fails() -> None:
    cat = fs.Catalog()
    with pytest.raises(TypeError):
        cat.capture("acmeCo/x", image="i", config={"x": {1, 2}})
    assert "acmeCo/x" not in cat.captures


# Numbers are exact: ints of any size, floats as their repr, Decimals digit
# for digit; back, a number that is not an integer is a float only when the
# float is exactly it.


@pytest.mark.parametrize(
    "value",
    [
        2**64,
        -(2**63) - 1,
        2**200,
        -(10**40) + 7,
        10**5000,  # past the 4300 digits str(int) takes by default
    ],
    ids=["2**64", "-(2**63)-1", "2**200", "-(10**40)+7", "10**5000"],
)
def test_ints_of_any_size_are_exact(value: int) -> None:
    got = roundtrip(value)
    assert got == value
    assert type(got) is int


def test_big_ints_are_written_with_every_digit() -> None:
    cat = fs.Catalog()
    cat.capture("acmeCo/x", image="i", config={"big": 2**70, "neg": -(2**70)})
    assert '"big": 1180591620717411303424' in cat.to_json()
    assert "big: 1180591620717411303424\n" in cat.to_yaml()
    assert "neg: -1180591620717411303424\n" in cat.to_yaml()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (decimal.Decimal("1.50"), 1.5),
        (decimal.Decimal("0.1"), 0.1),
        (decimal.Decimal("-2.5E-3"), -0.0025),
        (decimal.Decimal("5"), 5),
        (decimal.Decimal("-0"), 0),
        (decimal.Decimal("0.1000000000000000000001"), decimal.Decimal("0.1000000000000000000001")),
        (decimal.Decimal("1E+400"), decimal.Decimal("1E+400")),
        (decimal.Decimal("-1e-400"), decimal.Decimal("-1E-400")),
        (decimal.Decimal("123456789012345678901234567890.5"), decimal.Decimal("123456789012345678901234567890.5")),
    ],
)
def test_decimals_are_exact(value: decimal.Decimal, expected: Any) -> None:
    got = roundtrip(value)
    assert got == expected
    assert type(got) is type(expected)
    if isinstance(expected, decimal.Decimal):
        assert str(got) == str(expected)


def test_decimals_are_written_with_every_digit() -> None:
    cat = fs.Catalog()
    config = {"a": decimal.Decimal("0.1000000000000000000001"), "b": decimal.Decimal("1E+400"), "c": decimal.Decimal("2.50")}
    cat.capture("acmeCo/x", image="i", config=config)
    assert '"a": 0.1000000000000000000001' in cat.to_json()
    assert '"b": 1e+400' in cat.to_json()
    assert '"c": 2.50' in cat.to_json()
    yaml = cat.to_yaml()
    assert "a: 0.1000000000000000000001\n" in yaml
    assert "b: 1.0e+400\n" in yaml
    assert "c: 2.50\n" in yaml


def test_floats_convert_as_their_repr() -> None:
    for value in [0.1, 1e21, 5e-324, 1.7976931348623157e308, -0.0, 3.0]:
        got = roundtrip(value)
        assert type(got) is float
        assert repr(got) == repr(value)


def test_loaded_numbers_come_back_exactly(tmp_path: Any) -> None:
    (tmp_path / "flow.yaml").write_text(
        "captures:\n"
        "  acmeCo/x:\n"
        "    endpoint:\n"
        "      connector:\n"
        "        image: i\n"
        "        config: {big: 99999999999999999999, huge: 1e400, precise: 0.1000000000000000000001,"
        " half: 0.5, trailing: 1.50, int: 7, float: 7.0, neg: -123456789012345678901234567890}\n"
        "    bindings: []\n"
    )
    cat = fs.Catalog.load(str(tmp_path / "flow.yaml"))
    config = cat.captures["acmeCo/x"].spec["endpoint"]["connector"]["config"]
    assert config == {
        "big": 99999999999999999999,
        "huge": decimal.Decimal("1e+400"),
        "precise": decimal.Decimal("0.1000000000000000000001"),
        "half": 0.5,
        "trailing": 1.5,
        "int": 7,
        "float": 7.0,
        "neg": -123456789012345678901234567890,
    }
    assert [type(v) for v in config.values()] == [int, decimal.Decimal, decimal.Decimal, float, float, int, float, int]
    # Written back, the digits are the same.
    cat.capture("acmeCo/y", image="i", config=config)
    assert cat.captures["acmeCo/y"].spec["endpoint"]["connector"]["config"] == config
    text = cat.to_json()
    for number in ["99999999999999999999", "1e+400", "0.1000000000000000000001", "-123456789012345678901234567890"]:
        assert text.count(number) == 2
