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
        (fs.InvalidSpecError, "invalid_spec", (ValueError,)),
        (fs.FileError, "io", (OSError,)),
        (fs.LoadError, "load", (ValueError,)),
        (fs.ValidationError, "validation", (ValueError,)),
        (fs.WriteError, "write", (fs.FileError, OSError)),
        (fs.SecretsError, None, (ValueError,)),
    ],
)
def test_hierarchy_and_class_codes(cls: type[fs.FlowspecError], code: str | None, bases: tuple[type, ...]) -> None:
    assert issubclass(cls, fs.FlowspecError)
    assert issubclass(fs.FlowspecError, Exception)
    for base in bases:
        assert issubclass(cls, base)
    # A class whose errors have one code has it at class level, for errors
    # made by hand; every code is one of the registry's.
    assert getattr(cls, "code", None) == code
    assert code is None or code in fs.codes
    assert cls.__module__ == "flowspec"
    assert cls.__doc__


def test_codes_are_the_registry_of_the_core() -> None:
    import typing

    assert list(typing.get_args(fs.ErrorCode)) == list(fs.codes)
    assert len(fs.codes) > 100
    info = fs.codes["invalid_name"]
    assert info == fs.CodeInfo("invalid_name", "names", info.description)
    assert info.description.startswith("A catalog name")
    assert {c.group for c in fs.codes.values()} == set(typing.get_args(fs.CodeGroup))
    with pytest.raises(TypeError):
        fs.codes["nope"] = info  # type: ignore[index]


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


def test_invalid_spec() -> None:
    with pytest.raises(fs.InvalidSpecError) as info:
        fs.Catalog().capture("acmeCo/x", image="i", interval="often")
    err = info.value
    assert err.code == "invalid_spec"
    assert str(err) == (
        'capture acmeCo/x: interval: "often" is not a valid duration (expected a number and a unit, '
        "like `30s`, `5m`, `48h` or `1d`)"
    )
    assert isinstance(err, ValueError)


def test_invalid_layout_is_an_invalid_spec(tmp_path: Path) -> None:
    with pytest.raises(fs.InvalidSpecError) as info:
        fs.Catalog().write(tmp_path / "flow.yaml", layout="split")  # type: ignore[arg-type]
    assert str(info.value) == f"write {tmp_path / 'flow.yaml'}: layout: unknown variant `split`, expected `flat` or `canonical`"
    assert not (tmp_path / "flow.yaml").exists()


def test_a_missing_source_is_a_file_not_found_error(tmp_path: Path) -> None:
    import errno

    missing = tmp_path / "nope.flow.yaml"
    with pytest.raises(FileNotFoundError) as info:
        fs.Catalog.load(missing)
    err = info.value
    assert isinstance(err, fs.FileError) and isinstance(err, fs.FlowspecError)
    assert type(err).__name__ == "FileNotFoundError"
    assert type(err) is fs.FileError.FileNotFoundError  # type: ignore[attr-defined]
    assert err.code == "io"
    assert (err.errno, err.strerror, err.filename) == (errno.ENOENT, "No such file or directory", str(missing))
    assert str(err) == f"[Errno 2] No such file or directory: '{missing}'"
    assert err.diagnostics == []
    # A directory is not a catalog file either.
    with pytest.raises(IsADirectoryError) as dir_info:
        fs.Catalog.load(tmp_path)
    assert dir_info.value.code == "io"


def test_a_missing_referenced_file_is_a_load_error(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text("import: [gone.yaml]\n")
    with pytest.raises(fs.LoadError) as info:
        fs.Catalog.load(tmp_path / "flow.yaml")
    err = info.value
    assert err.code == "load"
    url = (tmp_path / "gone.yaml").as_uri()
    scope = (tmp_path / "flow.yaml").as_uri() + "#/import/0"
    assert [(d.scope, d.code, d.severity) for d in err.diagnostics] == [(scope, "read_failed", "error")]
    assert str(err) == (
        f"failed to load the catalog: 1 problem\n  {scope}: failed to read {url}: No such file or directory (os error 2)"
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


@pytest.mark.parametrize(
    ("build", "yaml", "code"),
    [
        (
            lambda c: c.collection("nope", schema={"type": "object"}, key=["/id"]),
            "collections:\n  nope: {schema: {type: object}, key: [/id]}\n",
            "invalid_name",
        ),
        (
            lambda c: c.collection("acmeCo/x", schema={"type": "object"}, key=["id"]),
            "collections:\n  acmeCo/x: {schema: {type: object}, key: [id]}\n",
            "invalid_name",
        ),
        (
            lambda c: c.capture("acmeCo/c", image="i", interval="5 min"),
            "captures:\n  acmeCo/c: {endpoint: {connector: {image: i, config: {}}}, interval: 5 min, bindings: []}\n",
            "invalid_spec",
        ),
    ],
)
def test_one_mistake_has_one_code_built_or_loaded(tmp_path: Path, build: object, yaml: str, code: str) -> None:
    with pytest.raises(fs.FlowspecError) as built:
        build(fs.Catalog())  # type: ignore[operator]
    (tmp_path / "flow.yaml").write_text(yaml)
    with pytest.raises(fs.LoadError) as loaded:
        fs.Catalog.load(tmp_path / "flow.yaml")
    assert built.value.code == code
    assert [d.code for d in loaded.value.diagnostics] == [code]
