"""Every error class: its place in the hierarchy, its code, its message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import flowspec as fs
from conftest import CATALOGS


@pytest.mark.parametrize(
    ("cls", "code", "bases"),
    [
        (fs.InvalidNameError, "invalid_name", (ValueError,)),
        (fs.InvalidValueError, "invalid_value", (ValueError,)),
        (fs.FileError, "io", (OSError,)),
        (fs.LoadError, "load", (ValueError,)),
        (fs.ValidationError, "validation", (ValueError,)),
        (fs.WriteError, "write", ()),
        (fs.SecretsError, "sops", ()),
    ],
)
def test_hierarchy_and_class_codes(cls: type[fs.FlowspecError], code: str, bases: tuple[type, ...]) -> None:
    assert issubclass(cls, fs.FlowspecError)
    assert issubclass(fs.FlowspecError, Exception)
    for base in bases:
        assert issubclass(cls, base)
    assert cls.code == code
    assert cls.__module__ == "flowspec"
    assert cls.__doc__


def test_errors_made_by_hand_have_defaults() -> None:
    err = fs.ValidationError("custom")
    assert err.code == "validation"
    assert err.diagnostics == []
    assert str(err) == "custom"


def test_invalid_name() -> None:
    with pytest.raises(fs.InvalidNameError) as info:
        fs.Catalog().collection("nope", schema={}, key=["/id"])
    err = info.value
    assert err.code == "invalid_name"
    assert err.entity == "collection"
    assert err.value == "nope"
    assert err.diagnostics == []
    assert str(err) == (
        "nope cannot be used as name for collection (it needs at least two `/`-separated parts, "
        "a tenant prefix and a name, like acmeCo/nope)"
    )


@pytest.mark.parametrize(
    ("make", "entity"),
    [
        (lambda c: c.capture("acmeCo/bad name", image="i"), "capture"),
        (lambda c: c.materialization("acmeCo/x/", image="i"), "materialization"),
        (lambda c: c.test("acmeCo"), "test"),
    ],
)
def test_invalid_names_of_each_kind(make: object, entity: str) -> None:
    with pytest.raises(fs.InvalidNameError) as info:
        make(fs.Catalog())  # type: ignore[operator]
    assert info.value.entity == entity


def test_invalid_value() -> None:
    with pytest.raises(fs.InvalidValueError) as info:
        fs.Catalog().capture("acmeCo/x", image="i", interval="often")
    err = info.value
    assert err.code == "invalid_value"
    assert str(err) == (
        'capture acmeCo/x: interval: "often" is not a valid duration (expected a number and a unit, '
        "like `30s`, `5m`, `48h` or `1d`)"
    )
    assert isinstance(err, ValueError)


def test_invalid_layout_is_an_invalid_value(tmp_path: Path) -> None:
    with pytest.raises(fs.InvalidValueError, match='layout must be "flat" or "canonical", not "split"'):
        fs.Catalog().write(tmp_path / "flow.yaml", layout="split")  # type: ignore[arg-type]


def test_load_error_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(fs.LoadError) as info:
        fs.Catalog.load(tmp_path / "nope.flow.yaml")
    err = info.value
    assert err.code == "load"
    url = (tmp_path / "nope.flow.yaml").as_uri()
    assert [(d.scope, d.code, d.severity) for d in err.diagnostics] == [(url, "read_failed", "error")]
    assert str(err) == (
        f"failed to load the catalog: 1 problem\n  {url}: failed to read {url}: No such file or directory (os error 2)"
    )


def golden_diagnostics(path: Path) -> list[tuple[str, str, str, str]]:
    """The (scope, code, severity, message) of each problem the committed
    golden of a broken corpus catalog lists (what ``flowspec validate`` prints)."""
    lines = path.with_name(path.name + ".expected").read_text(encoding="utf-8").splitlines()[:-1]
    corpus = CATALOGS.resolve().as_uri()
    found: list[tuple[str, str, str, str]] = []
    for head, arrow in zip(lines[::2], lines[1::2]):
        match = re.fullmatch(r"(error|warning)\[([a-z_]+)\]: (.*)", head)
        assert match is not None and arrow.startswith("  --> "), (head, arrow)
        scope = arrow.removeprefix("  --> ").replace("$DIR", corpus)
        found.append((scope, match[2], match[1], match[3].replace("$DIR", corpus)))
    return found


@pytest.mark.parametrize(
    "file", ["malformed-yaml.flow.yaml", "malformed-json.flow.json", "unknown-field.flow.yaml", "missing-file.flow.yaml"]
)
def test_load_errors_carry_diagnostics_with_scopes(file: str) -> None:
    """A catalog that does not load: the same problems the CLI's golden lists."""
    path = CATALOGS / "invalid" / file
    with pytest.raises(fs.LoadError) as info:
        fs.Catalog.load(path)
    expected = golden_diagnostics(path)
    assert [(d.scope, d.code, d.severity, d.message) for d in info.value.diagnostics] == expected
    problems = "1 problem" if len(expected) == 1 else f"{len(expected)} problems"
    assert str(info.value) == f"failed to load the catalog: {problems}\n" + "\n".join(
        f"  {scope}: {message}" for scope, _, _, message in expected
    )


def test_diagnostic_value_semantics() -> None:
    with pytest.raises(fs.LoadError) as one:
        fs.Catalog.load(CATALOGS / "invalid" / "malformed-yaml.flow.yaml")
    with pytest.raises(fs.LoadError) as two:
        fs.Catalog.load(CATALOGS / "invalid" / "malformed-yaml.flow.yaml")
    a, b = one.value.diagnostics[0], two.value.diagnostics[0]
    assert a == b and hash(a) == hash(b)
    assert repr(a) == (
        f'Diagnostic(scope="{a.scope}", message="{a.message}", code="yaml_syntax", severity="error")'
    )
    assert str(a) == f"{a.scope}: {a.message} [yaml_syntax]"
    with pytest.raises(AttributeError):
        a.code = "x"  # type: ignore[misc]
