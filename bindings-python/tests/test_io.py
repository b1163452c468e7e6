"""load, validate, bundle, to_yaml, to_json, to_dict and write (flat and canonical)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

import flowspec as fs
from conftest import CATALOGS, OBJECT_WITH_ID


SCHEMA = f"https://raw.githubusercontent.com/flowspec/flowspec/v{fs.__version__}/flow.schema.json"

PIPELINE_YAML = f"""\
# yaml-language-server: $schema={SCHEMA}
captures:
  acmeCo/source-hello:
    endpoint:
      connector:
        image: ghcr.io/estuary/source-hello-world:dev
        config:
          password: hunter2
          rate: 1
    bindings:
      - resource:
          name: greetings
        target: acmeCo/greetings
collections:
  acmeCo/greetings:
    schema:
      type: object
      properties:
        id:
          type: string
      required:
        - id
    key:
      - /id
materializations:
  acmeCo/to-postgres:
    endpoint:
      connector:
        image: ghcr.io/estuary/materialize-postgres:dev
        config:
          address: db:5432
          password: hunter2
    bindings:
      - resource:
          table: greetings
        source: acmeCo/greetings
"""


def test_to_yaml_and_to_json(pipeline: fs.Catalog) -> None:
    assert pipeline.to_yaml() == PIPELINE_YAML
    doc = json.loads(pipeline.to_json())
    assert doc.pop("$schema") == SCHEMA
    assert doc == pipeline.to_dict()


def test_empty_catalog_serializes(cat: fs.Catalog) -> None:
    assert json.loads(cat.to_json()) == {"$schema": SCHEMA}
    assert cat.to_yaml() == f"# yaml-language-server: $schema={SCHEMA}\n{{}}\n"


def test_write_flat(pipeline: fs.Catalog, tmp_path: Path) -> None:
    target = tmp_path / "out" / "flow.yaml"
    written = pipeline.write(target)
    assert written == [target]
    assert all(isinstance(p, Path) for p in written)
    assert target.read_text(encoding="utf-8") == PIPELINE_YAML
    assert fs.Catalog.load(target) == pipeline


def test_write_takes_a_str_path(pipeline: fs.Catalog, tmp_path: Path) -> None:
    written = pipeline.write(str(tmp_path / "flow.yaml"), layout="flat")
    assert written == [tmp_path / "flow.yaml"]


def test_write_json(pipeline: fs.Catalog, tmp_path: Path) -> None:
    target = tmp_path / "flow.json"
    assert pipeline.write(target) == [target]
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert {k: v for k, v in doc.items() if k != "$schema"} == pipeline.to_dict()
    assert doc["$schema"] == SCHEMA
    # `$schema` is an editor hint: loaded, a JSON catalog is the same as a
    # YAML one, and the same as the catalog written.
    loaded = fs.Catalog.load(target)
    assert loaded.to_dict() == pipeline.to_dict()
    pipeline.write(tmp_path / "flow.yaml")
    assert fs.Catalog.load(tmp_path / "flow.yaml") == loaded


def test_write_is_deterministic(tmp_path: Path) -> None:
    def build(order: list[str]) -> fs.Catalog:
        cat = fs.Catalog()
        for name in order:
            cat.collection(name, schema=OBJECT_WITH_ID, key=["/id"])
        return cat

    a = build(["acmeCo/b", "acmeCo/a", "acmeCo/c"])
    b = build(["acmeCo/c", "acmeCo/b", "acmeCo/a"])
    a.write(tmp_path / "a.yaml")
    b.write(tmp_path / "b.yaml")
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()


def test_write_canonical(pipeline: fs.Catalog, tmp_path: Path) -> None:
    pipeline.collection("otherCo/things", schema=OBJECT_WITH_ID, key=["/id"])
    root = tmp_path / "flow.yaml"
    written = pipeline.write(root, layout="canonical")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "acmeCo/flow.yaml", "flow.yaml", "otherCo/flow.yaml"
    ]
    assert all(p.is_file() for p in written)
    assert fs.Catalog.load(root) == pipeline


def test_write_error(pipeline: fs.Catalog, tmp_path: Path) -> None:
    with pytest.raises(fs.WriteError) as info:
        pipeline.write(tmp_path / "flow.txt")
    assert info.value.code == "write"
    assert str(info.value) == (
        f"cannot write {tmp_path / 'flow.txt'}: unknown format: the file name must end in .yaml, .yml or .json"
    )


def test_write_into_a_file_is_an_error(pipeline: fs.Catalog, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(fs.WriteError) as info:
        pipeline.write(tmp_path / "file" / "flow.yaml")
    assert info.value.code == "write"
    assert str(info.value) == f"cannot write {tmp_path / 'file'}: a directory is needed here, but it is a file"
    # Not a refusal of the operating system: no errno.
    assert isinstance(info.value, OSError) and info.value.errno is None
    assert (tmp_path / "file").read_text() == "x"


def test_load_change_write(pipeline: fs.Catalog, tmp_path: Path) -> None:
    pipeline.write(tmp_path / "flow.yaml")
    cat = fs.Catalog.load(tmp_path / "flow.yaml")
    cat.captures["acmeCo/source-hello"].binding({"name": "farewells"}, target="acmeCo/farewells")
    cat.collection("acmeCo/farewells", schema=OBJECT_WITH_ID, key=["/id"])
    spec = cat.collections["acmeCo/greetings"].spec
    spec["projections"] = {"greeting_id": "/id"}
    cat.collections["acmeCo/greetings"].spec = spec
    del cat.materializations["acmeCo/to-postgres"]
    cat.validate()
    cat.write(tmp_path / "flow.yaml")

    again = fs.Catalog.load(tmp_path / "flow.yaml")
    assert again == cat
    assert list(again.collections) == ["acmeCo/farewells", "acmeCo/greetings"]
    assert len(again.materializations) == 0
    assert again.collections["acmeCo/greetings"].spec["projections"] == {"greeting_id": "/id"}


@pytest.mark.parametrize("source", sorted((CATALOGS / "valid").glob("*/flow.*")), ids=lambda p: p.parent.name)
def test_every_valid_corpus_catalog_loads_to_its_golden(source: Path) -> None:
    """What the catalog loads to, bundled, is its committed golden (which the
    CLI's tests check ``flowspec bundle`` against), the corpus path written ``$DIR``."""
    golden = (source.parent / "bundle.expected.yaml").read_text(encoding="utf-8")
    bundled = fs.Catalog.load(source).bundle().to_yaml(plaintext_secrets=True)
    assert bundled.replace(CATALOGS.resolve().as_uri(), "$DIR") == golden
    assert fs.Catalog.load(str(source)) == fs.Catalog.load(source)


def test_validate_a_valid_catalog(pipeline: fs.Catalog) -> None:
    assert pipeline.validate() == []


def test_validation_error(cat: fs.Catalog) -> None:
    cat.collection("acmeCo/x", schema=OBJECT_WITH_ID, key=[])
    with pytest.raises(fs.ValidationError) as info:
        cat.validate()
    err = info.value
    assert err.code == "validation"
    assert [(d.scope, d.code, d.severity) for d in err.diagnostics] == [
        ("flow://catalog#/collections/acmeCo~1x/key", "key_empty", "error")
    ]
    assert str(err) == (
        "1 validation error\n"
        f"  flow://catalog#/collections/acmeCo~1x/key: {err.diagnostics[0].message} [key_empty]"
    )


def test_several_validation_errors(cat: fs.Catalog) -> None:
    cat.capture("acmeCo/source", image="i").binding({"stream": "a"}, target="acmeCo/missing")
    cat.collection("acmeCo/x", schema=OBJECT_WITH_ID, key=[])
    with pytest.raises(fs.ValidationError) as info:
        cat.validate()
    err = info.value
    assert [(d.scope, d.code, d.severity, d.message) for d in err.diagnostics] == [
        (
            "flow://catalog#/captures/acmeCo~1source/bindings/0/target", "reference_undefined", "error",
            "capture acmeCo/source: collection acmeCo/missing, referenced by this capture binding, is not defined",
        ),
        (
            "flow://catalog#/collections/acmeCo~1x/key", "key_empty", "error",
            "collection acmeCo/x key cannot be empty (https://go.estuary.dev/Zq6zVB)",
        ),
    ]
    assert str(err) == "2 validation errors\n" + "\n".join(
        f"  {d.scope}: {d.message} [{d.code}]" for d in err.diagnostics
    )


def test_validation_warnings_are_returned(cat: fs.Catalog) -> None:
    cat.collection("acmeCo/x", schema={"type": "object", "properties": {"id": {"type": "string"}}}, key=["/id"])
    warnings = cat.validate()
    assert [(w.scope, w.code, w.severity, w.message) for w in warnings] == [
        (
            "flow://catalog#/collections/acmeCo~1x/key/0", "key_not_required", "warning",
            "collection acmeCo/x: keyed location /id is not required to exist by schema flow://catalog#/collections/acmeCo~1x/schema, "
            "so documents may omit it (list it under `required`)",
        )
    ]


def test_validation_scopes_of_a_loaded_catalog(tmp_path: Path) -> None:
    (tmp_path / "flow.yaml").write_text(
        "collections:\n  acmeCo/x:\n    schema: {type: object}\n    key: []\n", encoding="utf-8"
    )
    with pytest.raises(fs.ValidationError) as info:
        fs.Catalog.load(tmp_path / "flow.yaml").validate()
    assert info.value.diagnostics[0].scope == (tmp_path / "flow.yaml").as_uri() + "#/collections/acmeCo~1x/key"


def test_bundle_inlines_file_references(tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "x.schema.yaml").write_text(
        "type: object\nproperties:\n  id: {$ref: defs.yaml#/$defs/id}\nrequired: [id]\n", encoding="utf-8"
    )
    (tmp_path / "schemas" / "defs.yaml").write_text("$defs:\n  id: {type: string}\n", encoding="utf-8")
    (tmp_path / "flow.yaml").write_text(
        "collections:\n  acmeCo/x:\n    schema: schemas/x.schema.yaml\n    key: [/id]\n", encoding="utf-8"
    )
    # Loaded, the schema is the file's as it is written (its reference
    # resolves against the file); nothing absolute.
    cat = fs.Catalog.load(tmp_path / "flow.yaml")
    schema = cat.collections["acmeCo/x"].spec["schema"]
    assert schema["properties"]["id"] == {"$ref": "defs.yaml#/$defs/id"}
    # Bundled, as Estuary receives it, the file it refers to is embedded
    # under its absolute URL.
    bundled = cat.bundle()
    assert isinstance(bundled, fs.Catalog)
    schema = bundled.collections["acmeCo/x"].spec["schema"]
    defs_url = (tmp_path / "schemas" / "defs.yaml").resolve().as_uri()
    assert schema["properties"]["id"] == {"$ref": f"{defs_url}#/$defs/id"}
    assert list(schema["$defs"]) == [defs_url]
    bundled.validate()


def test_bundle_of_an_inline_catalog_is_equal(pipeline: fs.Catalog) -> None:
    assert pipeline.bundle() == pipeline
    assert pipeline.bundle() is not pipeline


def test_catalog_equality(pipeline: fs.Catalog) -> None:
    assert pipeline == pipeline.bundle()
    assert pipeline != fs.Catalog()
    assert pipeline != "catalog"


def test_a_write_the_os_refuses_is_the_os_error_of_its_errno(pipeline: fs.Catalog) -> None:
    # /proc takes no new directories, even from root.
    with pytest.raises(FileNotFoundError) as info:
        pipeline.write("/proc/flowspec-test/flow.yaml")
    err = info.value
    assert isinstance(err, fs.WriteError) and isinstance(err, fs.FileError)
    assert (err.code, err.errno, err.filename) == ("write", errno.ENOENT, "/proc/flowspec-test")
    assert str(err) == "[Errno 2] cannot create the directory: No such file or directory: '/proc/flowspec-test'"
