"""The forms `schema=` takes."""

from __future__ import annotations

import builtins
import dataclasses
import sys
from typing import Any, Optional

from typing_extensions import TypedDict

import pydantic
import pytest

import flowspec as fs


def schema_of(value: Any, **options: Any) -> Any:
    cat = fs.Catalog()
    cat.collection("acmeCo/x", schema=value, key=["/id"], **options)
    return cat.collections["acmeCo/x"].spec["schema"]


class Order(pydantic.BaseModel):
    id: str
    total: int
    note: Optional[str] = None


@dataclasses.dataclass
class Customer:
    id: str
    name: str


class Shipment(TypedDict):
    id: int
    carrier: str


def test_dict() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    assert schema_of(schema) == schema


def test_json_string() -> None:
    assert schema_of(' {"type": "object", "required": ["id"]}') == {"type": "object", "required": ["id"]}


def test_invalid_json_string() -> None:
    with pytest.raises(fs.InvalidSpecError, match="schema: the string is not valid JSON"):
        schema_of('{"type": ')


def test_file_reference() -> None:
    assert schema_of("schemas/orders.schema.yaml#/$defs/order") == "schemas/orders.schema.yaml#/$defs/order"


@pytest.mark.parametrize("text", ["not a schema", "", "[1, 2]"])
def test_string_neither_json_object_nor_reference(text: str) -> None:
    with pytest.raises(fs.InvalidSpecError, match="neither a JSON object nor a file reference"):
        schema_of(text)


def test_bool() -> None:
    assert schema_of(True) is True


def test_pydantic_model() -> None:
    assert schema_of(Order) == Order.model_json_schema()
    assert schema_of(Order)["required"] == ["id", "total"]


def test_pydantic_model_instance_is_rejected_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"got a value of type Order \(pass the model class, not an instance\)"):
        schema_of(Order(id="1", total=2))


def test_dataclass() -> None:
    assert schema_of(Customer) == pydantic.TypeAdapter(Customer).json_schema()


def test_typed_dict() -> None:
    schema = schema_of(Shipment)
    assert schema == pydantic.TypeAdapter(Shipment).json_schema()
    assert schema["properties"]["carrier"] == {"title": "Carrier", "type": "string"}


def test_typed_dict_from_typing_needs_python_3_12() -> None:
    import typing

    class Parcel(typing.TypedDict):
        id: int

    if sys.version_info >= (3, 12):
        assert schema_of(Parcel)["properties"]["id"] == {"title": "Id", "type": "integer"}
    else:
        # pydantic reads only typing_extensions.TypedDict before Python 3.12.
        with pytest.raises(pydantic.PydanticUserError) as info:
            schema_of(Parcel)
        assert info.value.code == "typed-dict-version"
        assert str(info.value).startswith(
            "Please use `typing_extensions.TypedDict` instead of `typing.TypedDict` on Python < 3.12."
        )


def test_write_and_read_schemas_take_the_same_forms() -> None:
    cat = fs.Catalog()
    cat.collection("acmeCo/x", write_schema=Order, read_schema='{"type": "object"}', key=["/id"])
    spec = cat.collections["acmeCo/x"].spec
    assert spec["writeSchema"] == Order.model_json_schema()
    assert spec["readSchema"] == {"type": "object"}
    cat.derivation("acmeCo/d", schema=Customer, key=["/id"], sqlite=[])
    assert cat.collections["acmeCo/d"].spec["schema"]["title"] == "Customer"


@pytest.mark.parametrize("value", [42, ["type", "object"], int])
def test_other_types_are_rejected(value: Any) -> None:
    with pytest.raises(TypeError, match="schema= takes a dict|neither a pydantic model"):
        schema_of(value)


def test_without_pydantic_a_dataclass_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pydantic", None)
    with pytest.raises(ImportError) as info:
        schema_of(Customer)
    assert str(info.value) == (
        "schema=: the JSON schema of dataclass Customer is made by pydantic, which is not installed; "
        "install it (`pip install pydantic`), or pass the schema as a dict"
    )
    with pytest.raises(ImportError, match="TypedDict Shipment is made by pydantic, which is not installed"):
        schema_of(Shipment)


def test_without_pydantic_dicts_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pydantic(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pydantic" or name.startswith("pydantic."):
            raise ImportError("No module named 'pydantic'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pydantic)
    monkeypatch.delitem(sys.modules, "pydantic")
    assert schema_of({"type": "object"}) == {"type": "object"}
    with pytest.raises(ImportError, match="pip install pydantic"):
        schema_of(Customer)
