"""load → edit → write → load, as a user does it from Python: files stay
files, nothing absolute is written, unchanged files are left alone, secrets
are never written in plaintext, references mean the same wherever the
catalog is written."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
import yaml

import flowspec as fs

SCHEMA = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
LONG = "x" * 600


@pytest.fixture(autouse=True)
def no_sops_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test sees no sops keys or recipients of the machine it runs on."""
    for name in list(os.environ):
        if name.startswith("SOPS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def built() -> fs.Catalog:
    cat = fs.Catalog()
    cat.collection(
        "acmeCo/anvils/products",
        schema={**SCHEMA, "description": LONG},
        key=["/id"],
    )
    cat.capture(
        "acmeCo/src/pg",
        image="ghcr.io/estuary/source-postgres:v1",
        config={"address": "db:5432", "notes": LONG},
    ).binding({"table": "products"}, target="acmeCo/anvils/products")
    return cat


def test_a_canonical_tree_loaded_and_written_back_changes_no_file(tmp_path: Path) -> None:
    target = tmp_path / "flow.yaml"
    built().write(target, layout="canonical")
    before = snapshot(tmp_path)
    assert "acmeCo/anvils/products.schema.yaml" in before
    for _ in range(3):
        loaded = fs.Catalog.load(target)
        assert loaded == built()
        loaded.write(target, layout="canonical")
        assert snapshot(tmp_path) == before
    for name, data in before.items():
        assert b"file://" not in data, name
        assert str(tmp_path).encode() not in data, name


def test_flat_and_canonical_load_to_the_same_catalog(tmp_path: Path) -> None:
    built().write(tmp_path / "flat" / "flow.yaml")
    built().write(tmp_path / "canon" / "flow.yaml", layout="canonical")
    flat = fs.Catalog.load(tmp_path / "flat" / "flow.yaml")
    canonical = fs.Catalog.load(tmp_path / "canon" / "flow.yaml")
    assert flat == canonical == built()
    assert flat.to_yaml() == canonical.to_yaml()


def test_a_hand_written_schema_file_stays_a_file(tmp_path: Path) -> None:
    (tmp_path / "anvil.schema.yaml").write_text(
        "# An anvil.\ntype: object\nproperties:\n  id: {type: string}\nrequired: [id]\n", encoding="utf-8"
    )
    target = tmp_path / "flow.yaml"
    target.write_text(
        "collections:\n  acmeCo/anvils:\n    schema: anvil.schema.yaml  # kept\n    key: [/id]\n", encoding="utf-8"
    )
    before = snapshot(tmp_path)
    cat = fs.Catalog.load(target)
    assert cat.collections["acmeCo/anvils"].spec["schema"] == SCHEMA
    cat.write(target)
    assert snapshot(tmp_path) == before

    # Edited, the schema goes back into its file; flow.yaml still refers to it.
    spec = cat.collections["acmeCo/anvils"].spec
    spec["schema"]["properties"]["color"] = {"type": "string"}
    cat.collections["acmeCo/anvils"] = spec
    cat.write(target)
    assert target.read_bytes() == before["flow.yaml"]
    written = yaml.safe_load((tmp_path / "anvil.schema.yaml").read_text(encoding="utf-8"))
    assert written["properties"]["color"] == {"type": "string"}
    assert fs.Catalog.load(target) == cat


def test_a_catalog_made_in_code_means_the_same_once_written(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "module.ts").write_text("export class Derivation {}\n", encoding="utf-8")
    cat = fs.Catalog(base_dir=project)
    cat.derivation("acmeCo/derived", schema=SCHEMA, key=["/id"], typescript="module.ts")
    cat.validate()

    out = tmp_path / "out" / "flow.yaml"
    cat.write(out)
    text = out.read_text(encoding="utf-8")
    assert "module: ../project/module.ts\n" in text
    loaded = fs.Catalog.load(out)
    loaded.validate()
    assert loaded.bundle() == cat.bundle()

    # A reference to a file that is not there fails validation, at its place.
    missing = fs.Catalog(base_dir=tmp_path)
    missing.derivation("acmeCo/derived", schema=SCHEMA, key=["/id"], typescript="module.ts")
    with pytest.raises(fs.ValidationError) as info:
        missing.validate()
    [problem] = info.value.diagnostics
    assert problem.code == "read_failed"
    assert problem.scope == "flow://catalog#/collections/acmeCo~1derived/derive/using/typescript/module"


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("resource", {"binding": {"table": "t", "password": fs.secret("hunter2")}}),
        ("schema", {"schema": {**SCHEMA, "default": {"k": fs.secret("hunter2")}}}),
        ("document", {"document": {"id": "1", "token": fs.secret("hunter2")}}),
        ("migration", {"migration": fs.secret("hunter2")}),
    ],
)
def test_a_secret_outside_a_config_is_refused(tmp_path: Path, where: str, value: dict[str, object]) -> None:
    cat = fs.Catalog()
    capture = cat.capture("acmeCo/src", image="ghcr.io/estuary/source-x:v1", config={})
    cat.collection("acmeCo/t", schema=value.get("schema", SCHEMA), key=["/id"])
    if "binding" in value:
        capture.binding(value["binding"], target="acmeCo/t")
    if "document" in value:
        cat.test("acmeCo/test").ingest("acmeCo/t", [value["document"]])
    if "migration" in value:
        cat.derivation("acmeCo/d", schema=SCHEMA, key=["/id"], sqlite=[value["migration"]])
    with pytest.raises(fs.ValidationError) as info:
        cat.validate()
    found = [d for d in info.value.diagnostics if d.code == "invalid_secret"]
    assert len(found) == 1, info.value.diagnostics
    with pytest.raises(fs.SecretsError) as written:
        cat.write(tmp_path / "flow.yaml", plaintext_secrets=True)
    assert [d.scope for d in written.value.diagnostics] == [found[0].scope]
    assert "hunter2" not in str(written.value)
    assert not (tmp_path / "flow.yaml").exists()


def test_references_outside_the_root_warn_or_are_refused(tmp_path: Path) -> None:
    (tmp_path / "keys.json").write_text('{"key": "AGE-SECRET-KEY-1NOTREALLY"}', encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "flow.yaml").write_text(
        "captures:\n  acmeCo/src:\n    endpoint: {connector: {image: x, config: ../keys.json}}\n    bindings: []\n",
        encoding="utf-8",
    )
    cat = fs.Catalog.load(project / "flow.yaml")
    [warning] = cat.validate()
    assert warning.code == "reference_outside_root"
    assert warning.severity == "warning"
    with pytest.raises(fs.LoadError) as info:
        fs.Catalog.load(project / "flow.yaml", deny_outside_root=True)
    assert info.value.diagnostics[0].code == "reference_outside_root"
    assert fs.Catalog.load(project / "flow.yaml", root=tmp_path).validate() == []


def test_stale_files_are_named_then_pruned(tmp_path: Path) -> None:
    target = tmp_path / "flow.yaml"
    cat = built()
    cat.collection("acmeCo/old/thing", schema=SCHEMA, key=["/id"])
    cat.write(target, layout="canonical")
    del cat.collections["acmeCo/old/thing"]
    with pytest.warns(UserWarning, match=r"1 file of the catalog previously written here is no longer used: .*acmeCo/old/flow\.yaml"):
        cat.write(target, layout="canonical")
    assert (tmp_path / "acmeCo" / "old" / "flow.yaml").exists()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cat.write(target, layout="canonical", prune=True)
    assert not (tmp_path / "acmeCo" / "old").exists()


def test_writes_go_through_symlinks(tmp_path: Path, recipient_and_key: tuple[str, Path]) -> None:
    recipient, key_file = recipient_and_key
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "catalog.yaml").write_text("{}\n", encoding="utf-8")
    link = tmp_path / "flow.yaml"
    link.symlink_to("real/catalog.yaml")
    built().write(link)
    assert link.is_symlink()
    assert fs.Catalog.load(tmp_path / "real" / "catalog.yaml") == built()

    config = tmp_path / "real" / "config.yaml"
    config.write_text("password: hunter2\n", encoding="utf-8")
    config_link = tmp_path / "config.yaml"
    config_link.symlink_to("real/config.yaml")
    fs.encrypt_file(config_link, recipients=[recipient], in_place=True)
    assert config_link.is_symlink()
    assert "hunter2" not in config.read_text(encoding="utf-8")
    assert fs.decrypt_file(config, key_file=key_file) == {"password": "hunter2"}
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["catalog.yaml", "config.yaml"]


@pytest.fixture
def recipient_and_key(tmp_path: Path) -> tuple[str, Path]:
    key_file = tmp_path / "keys" / "keys.txt"
    key_file.parent.mkdir()
    return fs.age_keygen(key_file), key_file


def test_the_same_secrets_written_again_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recipient_and_key: tuple[str, Path]
) -> None:
    recipient, key_file = recipient_and_key
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))

    def secrets_catalog() -> fs.Catalog:
        cat = fs.Catalog()
        cat.capture(
            "acmeCo/src", image="ghcr.io/estuary/source-x:v1", config={"token": fs.secret("sk_live_123")}
        )
        return cat

    target = tmp_path / "out" / "flow.yaml"
    secrets_catalog().write(target, recipients=[recipient])
    first = target.read_bytes()
    assert b"sk_live_123" not in first
    secrets_catalog().write(target, recipients=[recipient])
    assert target.read_bytes() == first


def test_strip_suffix_refuses_to_lose_a_key(recipient_and_key: tuple[str, Path]) -> None:
    recipient, key_file = recipient_and_key
    sealed = fs.encrypt({"password": "a", "password_sops": "b"}, recipients=[recipient], encrypted_suffix="_sops")
    with pytest.raises(fs.SecretsError) as info:
        fs.decrypt(sealed, key_file=key_file, strip_suffix=True)
    assert info.value.code == "sops_suffix_collision"
    assert "`password` and `password_sops`" in str(info.value)
    assert fs.decrypt(sealed, key_file=key_file) == {"password": "a", "password_sops": "b"}


def test_encrypting_a_document_with_a_secret_encrypts_it(recipient_and_key: tuple[str, Path]) -> None:
    recipient, key_file = recipient_and_key
    sealed = fs.encrypt({"user": "flow", "password": fs.secret("hunter2")}, recipients=[recipient],
                        encrypted_suffix="_sops")
    assert sealed["user"] == "flow"
    assert sealed["password_sops"].startswith("ENC[AES256_GCM,data:")
    assert "hunter2" not in str(sealed)
    assert fs.decrypt(sealed, key_file=key_file, strip_suffix=True) == {"user": "flow", "password": "hunter2"}
    with pytest.raises(fs.SecretsError) as info:
        fs.encrypt({"password": fs.secret("hunter2")}, recipients=[recipient], encrypted_regex="^token$")
    assert info.value.code == "sops_unsupported_value"
    assert "hunter2" not in str(info.value)


def test_a_secret_survives_copies_or_fails_loudly(tmp_path: Path) -> None:
    import copy
    import json

    config = {"user": "flow", "password": fs.secret("hunter2")}
    with pytest.raises(TypeError, match="Secret"):
        json.dumps(config)
    cat = fs.Catalog()
    cat.capture("acmeCo/src", image="ghcr.io/estuary/source-x:v1", config=copy.deepcopy(config))
    spec = cat.captures["acmeCo/src"].spec
    back = spec["endpoint"]["connector"]["config"]["password"]
    assert isinstance(back, fs.Secret) and back.reveal() == "hunter2"
    # A copy of the spec goes back in as the same secret.
    cat.captures["acmeCo/src"] = copy.deepcopy(spec)
    assert "password_sops: hunter2\n" in cat.to_yaml(plaintext_secrets=True)

    # A marker sealed by another process cannot be opened: an error at its
    # place, and nothing written.
    other = fs.Catalog()
    other.capture(
        "acmeCo/src",
        image="ghcr.io/estuary/source-x:v1",
        config={"password": {"$secret": "flowspec-sealed:v1:c2VhbGVkIGVsc2V3aGVyZSBieSBhbm90aGVy"}},
    )
    with pytest.raises(fs.SecretsError) as info:
        other.write(tmp_path / "flow.yaml", plaintext_secrets=True)
    [problem] = info.value.diagnostics
    assert problem.scope == "flow://catalog#/captures/acmeCo~1src/endpoint/connector/config"
    assert "sealed by another process" in problem.message
    assert not (tmp_path / "flow.yaml").exists()
