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


@pytest.mark.parametrize(("cls", "method"), sorted(CALLS))
def test_every_stub_keyword_is_accepted(cls: str, method: str) -> None:
    node = stub_method(cls, method)
    assert node.args.kwonlyargs, f"{cls}.{method} has no keyword-only options"
    for arg in node.args.kwonlyargs:
        if arg.arg in ("key", "image", "sqlite"):
            continue  # given by the call itself
        CALLS[(cls, method)](fresh(), {arg.arg: None})  # None options are left out


def test_runtime_text_signatures_take_options() -> None:
    assert "**options" in str(inspect.signature(fs.Catalog.capture))
    assert str(inspect.signature(fs.Capture.binding)) == "(self, /, resource, target, **options)"


def test_docstring_examples_of_the_package_and_its_classes_run() -> None:
    """The examples in the docstrings of `flowspec` and of the classes it defines."""
    failures, tried = doctest.testmod(fs, extraglobs={"flowspec": fs}, optionflags=doctest.ELLIPSIS)
    assert tried >= 20
    assert failures == 0
