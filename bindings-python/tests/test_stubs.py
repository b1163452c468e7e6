"""The hand-written stubs (`_flowspec.pyi`) against the extension as built."""

from __future__ import annotations

import ast
import doctest
import inspect
from pathlib import Path
from typing import Any, Callable

import pytest

import flowspec as fs
from flowspec import _flowspec

STUB = Path(fs.__file__).with_name("_flowspec.pyi")
TREE = ast.parse(STUB.read_text(encoding="utf-8"))
CLASSES = {node.name: node for node in TREE.body if isinstance(node, ast.ClassDef)}


def stub_all() -> list[str]:
    for node in TREE.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError("the stub has no __all__")


def test_stub_all_matches_the_module() -> None:
    names = stub_all()
    assert sorted(names) == sorted(n for n in dir(_flowspec) if not n.startswith("_") or n == "__version__")
    assert set(names) <= set(fs.__all__)
    for name in fs.__all__:
        assert hasattr(fs, name), name


def test_stub_classes_exist_with_their_members() -> None:
    for name, node in CLASSES.items():
        runtime = getattr(_flowspec, name)
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                assert hasattr(runtime, item.name), f"{name}.{item.name}"
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                if issubclass(runtime, BaseException) and item.target.id in ("entity", "value"):
                    continue  # set on instances
                assert hasattr(runtime, item.target.id), f"{name}.{item.target.id}"


def test_public_runtime_members_are_in_the_stub() -> None:
    for name, node in CLASSES.items():
        runtime = getattr(_flowspec, name)
        if issubclass(runtime, BaseException):
            continue
        declared = {i.name for i in node.body if isinstance(i, ast.FunctionDef)}
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in CLASSES:
                declared |= {i.name for i in CLASSES[base.id].body if isinstance(i, ast.FunctionDef)}
        public = {m for m in vars(runtime) if not m.startswith("_")}
        assert public <= declared, f"{name}: {sorted(public - declared)} missing from the stub"


def stub_method(cls: str, method: str) -> ast.FunctionDef:
    for item in CLASSES[cls].body:
        if isinstance(item, ast.FunctionDef) and item.name == method:
            return item
    raise AssertionError(f"{cls}.{method} not in the stub")


def fresh() -> fs.Catalog:
    cat = fs.Catalog()
    cat.capture("acmeCo/c", image="i")
    cat.derivation("acmeCo/d", schema={}, key=["/id"], sqlite=[])
    cat.materialization("acmeCo/m", image="i")
    cat.test("acmeCo/t")
    return cat


CALLS: dict[tuple[str, str], Callable[[fs.Catalog, dict[str, Any]], object]] = {
    ("Catalog", "capture"): lambda c, kw: c.capture("acmeCo/x", **({"image": "i"} | kw)),
    ("Catalog", "collection"): lambda c, kw: c.collection("acmeCo/x", **({"key": ["/id"]} | kw)),
    ("Catalog", "derivation"): lambda c, kw: c.derivation("acmeCo/x", **({"key": ["/id"], "sqlite": []} | kw)),
    ("Catalog", "materialization"): lambda c, kw: c.materialization("acmeCo/x", **({"image": "i"} | kw)),
    ("Catalog", "test"): lambda c, kw: c.test("acmeCo/x", **kw),
    ("Capture", "binding"): lambda c, kw: c.captures["acmeCo/c"].binding({}, "acmeCo/y", **kw),
    ("Derivation", "transform"): lambda c, kw: c.collections["acmeCo/d"].transform("t", "acmeCo/y", **kw),  # type: ignore[attr-defined]
    ("Materialization", "binding"): lambda c, kw: c.materializations["acmeCo/m"].binding({}, "acmeCo/y", **kw),
    ("Test", "ingest"): lambda c, kw: c.tests["acmeCo/t"].ingest("acmeCo/y", [], **kw),
    ("Test", "verify"): lambda c, kw: c.tests["acmeCo/t"].verify("acmeCo/y", [], **kw),
}

# A valid value of each keyword option, so that the core decodes it.
VALUES: dict[str, Any] = {
    "image": "i",
    "config": {"a": 1},
    "local": {"command": ["x"], "config": {}},
    "bindings": [],
    "interval": "1m",
    "auto_discover": True,
    "shards": {"log_level": "debug"},
    "expect_pub_id": "0123456789abcdef",
    "delete": True,
    "reset": True,
    "redact_salt": "c2FsdA==",
    "disable": True,
    "backfill": 1,
    "schema": {"type": "object"},
    "write_schema": {"type": "object"},
    "read_schema": {"type": "object"},
    "projections": {"f": "/f"},
    "journals": {"fragments": {"length": 512}},
    "typescript": "m.ts",
    "sqlite": [],
    "python": "m.py",
    "connector": {"image": "i", "config": {}},
    "using": {"sqlite": {"migrations": []}},
    "transforms": [],
    "shuffle_key_types": ["string"],
    "shuffle": "any",
    "lambda_": "SELECT 1;",
    "partitions": {"include": {"r": ["a"]}},
    "not_before": "2024-01-01T00:00:00Z",
    "not_after": "2024-01-02T00:00:00Z",
    "priority": 1,
    "read_delay": "1h",
    "dekaf": {"variant": "v", "config": {}},
    "source_capture": "acmeCo/c",
    "on_incompatible_schema_change": "abort",
    "fields": {"group_by": ["id"]},
    "description": "d",
    "steps": [],
}


def stub_options(cls: str, method: str) -> tuple[list[str], type]:
    """The options a stub method takes by position (a spec's name is not
    one), and the TypedDict its ``**options: Unpack[...]`` names."""
    node = stub_method(cls, method)
    positional = [a.arg for a in node.args.args[1:]]
    if cls == "Catalog":
        positional.remove("name")
    kwarg = node.args.kwarg
    assert kwarg is not None, f"{cls}.{method} takes no keyword options"
    annotation = kwarg.annotation
    assert isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Name), ast.dump(node)
    return positional, getattr(fs._types, annotation.slice.id)


def keys(typed_dict: type) -> list[str]:
    return sorted(typed_dict.__required_keys__ | typed_dict.__optional_keys__)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cls", "method"), sorted(CALLS))
def test_every_keyword_option_reaches_the_core(cls: str, method: str) -> None:
    """Each keyword of the stub's TypedDict, with a real value, is decoded
    by the core: the call succeeds, or fails for a reason other than an
    unknown option (like a second endpoint)."""
    _, typed_dict = stub_options(cls, method)
    for key in keys(typed_dict):
        if key in ("key", "image", "sqlite"):
            continue  # given by the call itself
        assert key in VALUES, f"give a value of {cls}.{method}({key}=...) in VALUES"
        try:
            CALLS[(cls, method)](fresh(), {key: VALUES[key]})
        except fs.InvalidValueError as err:
            assert "unknown option" not in str(err), f"{key}: {err}"


@pytest.mark.parametrize(("cls", "method"), sorted(CALLS))
def test_keyword_options_are_the_cores(cls: str, method: str) -> None:
    """The stub's options of a call (its positional parameters and its
    TypedDict) are those the runtime takes, which the core's schema gives:
    the runtime lists them for an unknown option."""
    positional, typed_dict = stub_options(cls, method)
    with pytest.raises(TypeError) as info:
        CALLS[(cls, method)](fresh(), {"zzz": 1})
    message = str(info.value)
    assert "unknown option `zzz`, expected one of " in message, message
    listed = message.split("expected one of ")[1].strip("`").split("`, `")
    assert sorted(listed) == sorted(positional + keys(typed_dict))


# Calls whose keyword arguments are explicit in the stub, and the core's
# option object (a generated TypedDict) they make.
EXPLICIT: list[tuple[str, str, str]] = [
    ("Catalog", "__init__", "CatalogOptions"),
    ("Catalog", "load", "LoadOptions"),
    ("Catalog", "write", "WriteOptions"),
    ("Catalog", "to_yaml", "RenderOptions"),
    ("Catalog", "to_json", "RenderOptions"),
    ("Catalog", "decrypt_secrets", "DecryptSecretsOptions"),
    ("", "encrypt", "EncryptOptions"),
    ("", "encrypt_file", "EncryptFileOptions"),
    ("", "decrypt", "DecryptOptions"),
    ("", "decrypt_file", "DecryptFileOptions"),
    ("", "age_keygen", "AgeKeygenOptions"),
]


def stub_function(cls: str, name: str) -> ast.FunctionDef:
    if cls:
        return stub_method(cls, name)
    for node in TREE.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    raise AssertionError(f"{name} not in the stub")


@pytest.mark.parametrize(("cls", "name", "options"), EXPLICIT)
def test_explicit_keyword_arguments_are_the_cores(cls: str, name: str, options: str) -> None:
    stub = sorted(a.arg for a in stub_function(cls, name).args.kwonlyargs)
    assert stub == keys(getattr(fs._types, options))
    if name == "__init__":
        runtime: Any = getattr(fs, cls)  # the class has the signature of its constructor
    else:
        runtime = getattr(getattr(fs, cls), name) if cls else getattr(fs, name)
    signature = inspect.signature(runtime)
    assert sorted(p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY) == stub


def test_runtime_text_signatures_take_options() -> None:
    assert "**options" in str(inspect.signature(fs.Catalog.capture))
    assert str(inspect.signature(fs.Capture.binding)) == "(self, /, resource, target, **options)"


def test_docstring_examples_of_the_package_and_its_classes_run() -> None:
    """The examples in the docstrings of `flowspec` and of the classes it defines."""
    failures, tried = doctest.testmod(fs, extraglobs={"flowspec": fs}, optionflags=doctest.ELLIPSIS)
    assert tried >= 20
    assert failures == 0
