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
                if issubclass(runtime, BaseException) and item.target.id in ("entity", "value", "code"):
                    continue  # set on instances (`code` also on classes whose errors have one)
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


def merged(defaults: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The options of a call: `defaults`, overridden by `options`."""
    return defaults | options


# How to call each method with options, and where the spec it made is:
# (call, spec of the entity made or changed). A `None` option is left out.
CALLS: dict[tuple[str, str], tuple[Callable[[fs.Catalog, dict[str, Any]], object], Callable[[fs.Catalog], Any]]] = {
    ("Catalog", "capture"): (
        lambda c, kw: c.capture("acmeCo/x", **merged({"image": "i"}, kw)),
        lambda c: c.captures["acmeCo/x"].spec,
    ),
    ("Catalog", "collection"): (
        lambda c, kw: c.collection("acmeCo/x", **merged({"key": ["/id"]}, kw)),
        lambda c: c.collections["acmeCo/x"].spec,
    ),
    ("Catalog", "derivation"): (
        lambda c, kw: c.derivation("acmeCo/x", **merged({"key": ["/id"], "sqlite": []}, kw)),
        lambda c: c.collections["acmeCo/x"].spec,
    ),
    ("Catalog", "materialization"): (
        lambda c, kw: c.materialization("acmeCo/x", **merged({"image": "i"}, kw)),
        lambda c: c.materializations["acmeCo/x"].spec,
    ),
    ("Catalog", "test"): (
        lambda c, kw: c.test("acmeCo/x", **kw),
        lambda c: c.tests["acmeCo/x"].spec,
    ),
    ("Capture", "binding"): (
        lambda c, kw: c.captures["acmeCo/c"].binding({}, "acmeCo/y", **kw),
        lambda c: c.captures["acmeCo/c"].spec["bindings"][0],
    ),
    ("Derivation", "transform"): (
        lambda c, kw: c.collections["acmeCo/d"].transform("t", "acmeCo/y", **kw),  # type: ignore[attr-defined]
        lambda c: c.collections["acmeCo/d"].spec["derive"]["transforms"][0],
    ),
    ("Materialization", "binding"): (
        lambda c, kw: c.materializations["acmeCo/m"].binding({}, "acmeCo/y", **kw),
        lambda c: c.materializations["acmeCo/m"].spec["bindings"][0],
    ),
    ("Test", "ingest"): (
        lambda c, kw: c.tests["acmeCo/t"].ingest("acmeCo/y", [], **kw),
        lambda c: c.tests["acmeCo/t"].spec["steps"][0]["ingest"],
    ),
    ("Test", "verify"): (
        lambda c, kw: c.tests["acmeCo/t"].verify("acmeCo/y", [], **kw),
        lambda c: c.tests["acmeCo/t"].spec["steps"][0]["verify"],
    ),
}

SHARDS = {"min_txn_duration": "1s", "hot_standbys": 1}
PARTITIONS = {"include": {"region": ["eu"]}}

# The options of a collection, which a derivation takes too.
COLLECTION_OPTIONS: dict[str, tuple[dict[str, Any], tuple[str | int, ...], Any]] = {
    "schema": ({"schema": {"type": "object"}}, ("schema",), {"type": "object"}),
    "write_schema": ({"write_schema": {"type": "object"}}, ("writeSchema",), {"type": "object"}),
    "read_schema": ({"read_schema": {"type": "object"}}, ("readSchema",), {"type": "object"}),
    "key": ({"key": ["/a", "/b"]}, ("key",), ["/a", "/b"]),
    "projections": ({"projections": {"the_id": "/id"}}, ("projections",), {"the_id": "/id"}),
    "journals": (
        {"journals": {"fragments": {"length": 1000}}},
        ("journals",),
        {"fragments": {"length": 1000}},
    ),
    "expect_pub_id": ({"expect_pub_id": "0123456789abcdef"}, ("expectPubId",), "0123456789abcdef"),
    "delete": ({"delete": True}, ("delete",), True),
}

# For each keyword option of each method: the options to call it with (the
# keyword with a real value, and any default of the call it excludes, as
# `None`), and where that value ends up in the spec (a path of keys) with
# what value, in the model's spelling.
OPTIONS: dict[tuple[str, str], dict[str, tuple[dict[str, Any], tuple[str | int, ...], Any]]] = {
    ("Catalog", "capture"): {
        "image": ({"image": "ghcr.io/acme/x:v2"}, ("endpoint", "connector", "image"), "ghcr.io/acme/x:v2"),
        "config": ({"config": {"a": 1}}, ("endpoint", "connector", "config"), {"a": 1}),
        "local": (
            {"local": {"command": ["python", "x.py"], "config": {}}, "image": None},
            ("endpoint", "local"),
            {"command": ["python", "x.py"], "config": {}},
        ),
        "bindings": (
            {"bindings": [{"resource": {"stream": "s"}, "target": "acmeCo/y", "backfill": 2}]},
            ("bindings",),
            [{"resource": {"stream": "s"}, "target": "acmeCo/y", "backfill": 2}],
        ),
        "interval": ({"interval": "10m"}, ("interval",), "10m"),
        "auto_discover": (
            {"auto_discover": {"add_new_bindings": True}},
            ("autoDiscover",),
            {"addNewBindings": True},
        ),
        "shards": ({"shards": SHARDS}, ("shards",), {"minTxnDuration": "1s", "hotStandbys": 1}),
        "expect_pub_id": ({"expect_pub_id": "0123456789abcdef"}, ("expectPubId",), "0123456789abcdef"),
        "delete": ({"delete": True}, ("delete",), True),
        "reset": ({"reset": True}, ("reset",), True),
        "redact_salt": ({"redact_salt": "c2FsdA=="}, ("redactSalt",), "c2FsdA=="),
    },
    ("Catalog", "collection"): COLLECTION_OPTIONS,
    ("Catalog", "derivation"): COLLECTION_OPTIONS | {
        "typescript": (
            {"typescript": "module.ts", "sqlite": None},
            ("derive", "using"),
            {"typescript": {"module": "module.ts"}},
        ),
        "sqlite": (
            {"sqlite": ["CREATE TABLE t (x);"]},
            ("derive", "using"),
            {"sqlite": {"migrations": ["CREATE TABLE t (x);"]}},
        ),
        "python": (
            {"python": {"module": "module.py", "dependencies": {"httpx": "0.28"}}, "sqlite": None},
            ("derive", "using"),
            {"python": {"module": "module.py", "dependencies": {"httpx": "0.28"}}},
        ),
        "connector": (
            {"connector": {"image": "ghcr.io/acme/derive:v1", "config": {"a": 1}}, "sqlite": None},
            ("derive", "using"),
            {"connector": {"image": "ghcr.io/acme/derive:v1", "config": {"a": 1}}},
        ),
        "local": (
            {"local": {"command": ["python", "d.py"], "config": {}}, "sqlite": None},
            ("derive", "using"),
            {"local": {"command": ["python", "d.py"], "config": {}}},
        ),
        "using": (
            {"using": {"typescript": {"module": "using.ts"}}, "sqlite": None},
            ("derive", "using"),
            {"typescript": {"module": "using.ts"}},
        ),
        "transforms": (
            {"transforms": [{"name": "t", "source": "acmeCo/y", "shuffle": "any"}]},
            ("derive", "transforms"),
            [{"name": "t", "source": "acmeCo/y", "shuffle": "any"}],
        ),
        "shuffle_key_types": ({"shuffle_key_types": ["string"]}, ("derive", "shuffleKeyTypes"), ["string"]),
        "shards": ({"shards": SHARDS}, ("derive", "shards"), {"minTxnDuration": "1s", "hotStandbys": 1}),
        "redact_salt": ({"redact_salt": "c2FsdA=="}, ("derive", "redactSalt"), "c2FsdA=="),
    },
    ("Catalog", "materialization"): {
        "image": ({"image": "ghcr.io/acme/m:v2"}, ("endpoint", "connector", "image"), "ghcr.io/acme/m:v2"),
        "config": ({"config": {"a": 1}}, ("endpoint", "connector", "config"), {"a": 1}),
        "dekaf": (
            {"dekaf": {"variant": "tinybird", "config": {}}, "image": None},
            ("endpoint", "dekaf"),
            {"variant": "tinybird", "config": {}},
        ),
        "local": (
            {"local": {"command": ["python", "m.py"], "config": {}}, "image": None},
            ("endpoint", "local"),
            {"command": ["python", "m.py"], "config": {}},
        ),
        "source_capture": ({"source_capture": "acmeCo/c"}, ("source",), "acmeCo/c"),
        "on_incompatible_schema_change": (
            {"on_incompatible_schema_change": "abort"},
            ("onIncompatibleSchemaChange",),
            "abort",
        ),
        "bindings": (
            {"bindings": [{"resource": {"table": "t"}, "source": "acmeCo/y", "priority": 3}]},
            ("bindings", 0, "priority"),
            3,
        ),
        "shards": ({"shards": SHARDS}, ("shards",), {"minTxnDuration": "1s", "hotStandbys": 1}),
        "expect_pub_id": ({"expect_pub_id": "0123456789abcdef"}, ("expectPubId",), "0123456789abcdef"),
        "delete": ({"delete": True}, ("delete",), True),
    },
    ("Catalog", "test"): {
        "description": ({"description": "what it checks"}, ("description",), "what it checks"),
        "steps": (
            {"steps": [{"ingest": {"collection": "acmeCo/y", "documents": [{"id": "1"}]}}]},
            ("steps",),
            [{"ingest": {"collection": "acmeCo/y", "documents": [{"id": "1"}]}}],
        ),
        "expect_pub_id": ({"expect_pub_id": "0123456789abcdef"}, ("expectPubId",), "0123456789abcdef"),
        "delete": ({"delete": True}, ("delete",), True),
    },
    ("Capture", "binding"): {
        "disable": ({"disable": True}, ("disable",), True),
        "backfill": ({"backfill": 2}, ("backfill",), 2),
    },
    ("Derivation", "transform"): {
        "shuffle": ({"shuffle": {"key": ["/id"]}}, ("shuffle",), {"key": ["/id"]}),
        "lambda_": ({"lambda_": "SELECT 1;"}, ("lambda",), "SELECT 1;"),
        "partitions": ({"partitions": PARTITIONS}, ("source", "partitions"), PARTITIONS),
        "not_before": ({"not_before": "2024-01-01T00:00:00Z"}, ("source", "notBefore"), "2024-01-01T00:00:00Z"),
        "not_after": ({"not_after": "2024-01-01T00:00:00Z"}, ("source", "notAfter"), "2024-01-01T00:00:00Z"),
        "priority": ({"priority": 3}, ("priority",), 3),
        "read_delay": ({"read_delay": "1h"}, ("readDelay",), "1h"),
        "disable": ({"disable": True}, ("disable",), True),
        "backfill": ({"backfill": 2}, ("backfill",), 2),
    },
    ("Materialization", "binding"): {
        "partitions": ({"partitions": PARTITIONS}, ("source", "partitions"), PARTITIONS),
        "not_before": ({"not_before": "2024-01-01T00:00:00Z"}, ("source", "notBefore"), "2024-01-01T00:00:00Z"),
        "not_after": ({"not_after": "2024-01-01T00:00:00Z"}, ("source", "notAfter"), "2024-01-01T00:00:00Z"),
        "fields": ({"fields": {"recommended": False}}, ("fields", "recommended"), False),
        "priority": ({"priority": 3}, ("priority",), 3),
        "backfill": ({"backfill": 2}, ("backfill",), 2),
        "disable": ({"disable": True}, ("disable",), True),
        "on_incompatible_schema_change": (
            {"on_incompatible_schema_change": "disableBinding"},
            ("onIncompatibleSchemaChange",),
            "disableBinding",
        ),
    },
    ("Test", "ingest"): {
        "description": ({"description": "a step"}, ("description",), "a step"),
    },
    ("Test", "verify"): {
        "partitions": ({"partitions": PARTITIONS}, ("collection", "partitions"), PARTITIONS),
        "description": ({"description": "a step"}, ("description",), "a step"),
    },
}


def at(spec: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        spec = spec[step]
    return spec


def test_every_method_with_options_is_covered() -> None:
    assert sorted(CALLS) == sorted(OPTIONS)


@pytest.mark.parametrize(("cls", "method"), sorted(CALLS))
def test_every_stub_keyword_is_accepted(cls: str, method: str) -> None:
    """Each keyword of the stub, given a real value, reaches the core: the
    spec made holds it, in the model's spelling, where the model has it."""
    positional, typed_dict = stub_options(cls, method)
    keywords = keys(typed_dict)
    assert sorted(keywords) == sorted(OPTIONS[(cls, method)]), f"{cls}.{method}"
    call, spec = CALLS[(cls, method)]
    for keyword in keywords:
        options, path, expected = OPTIONS[(cls, method)][keyword]
        cat = fresh()
        call(cat, options)
        assert at(spec(cat), path) == expected, f"{cls}.{method}({keyword}=...)"


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
def test_keyword_options_are_the_cores(cls: str, method: str) -> None:
    """The stub's options of a call (its positional parameters and its
    TypedDict) are those the runtime takes, which the core's schema gives:
    the runtime lists them for an unknown option."""
    positional, typed_dict = stub_options(cls, method)
    with pytest.raises(TypeError) as info:
        CALLS[(cls, method)][0](fresh(), {"zzz": 1})
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
