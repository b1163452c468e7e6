"""Secrets: the ``secret()`` marker, catalogs written with sops-encrypted
configs, and ``encrypt`` / ``decrypt`` / ``age_keygen``, through the built
extension."""

from __future__ import annotations

import copy
import json
import pickle
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import flowspec as fs
from conftest import OBJECT_WITH_ID

TOKEN = "sk_live_51HxTopSecretValue"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"


pytestmark = pytest.mark.usefixtures("no_sops_environment")


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.txt"
    fs.age_keygen(path)
    return path


@pytest.fixture
def recipient(key_file: Path) -> str:
    for line in key_file.read_text().splitlines():
        if line.startswith("# public key: "):
            return line.removeprefix("# public key: ")
    raise AssertionError("no public key line")


def pipeline() -> fs.Catalog:
    cat = fs.Catalog()
    cat.capture(
        "acmeCo/source-stripe",
        image="ghcr.io/estuary/source-stripe-native:dev",
        config={"credentials": {"credentials_title": "Private App Credentials", "access_token": fs.secret(TOKEN)}},
    ).binding({"stream": "charges"}, target="acmeCo/charges")
    cat.collection("acmeCo/charges", schema=OBJECT_WITH_ID, key=["/id"])
    cat.materialization(
        "acmeCo/snowflake",
        image="ghcr.io/estuary/materialize-snowflake:dev",
        config={"host": "acme.snowflakecomputing.com", "credentials": {"privateKey_sops": PEM}},
    ).binding({"table": "charges"}, source="acmeCo/charges")
    return cat


def all_text(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.read_text(encoding="utf-8")


# The marker.


def test_a_secret_never_shows_its_value() -> None:
    s = fs.secret(TOKEN)
    assert repr(s) == "Secret('<redacted>')"
    assert str(s) == "Secret('<redacted>')"
    assert f"{s}" == "Secret('<redacted>')"
    assert s.reveal() == TOKEN
    assert s == fs.Secret(TOKEN) and s != fs.secret("other") and s != TOKEN
    assert len({s, fs.secret(TOKEN)}) == 1
    assert fs.secret({"pem": PEM}).reveal() == {"pem": PEM}


def test_configs_with_secrets_copy() -> None:
    config = {"credentials": {"token": fs.secret(TOKEN)}}
    assert copy.deepcopy(config) == config
    assert copy.copy(config["credentials"]["token"]) == fs.secret(TOKEN)
    with pytest.raises(TypeError):
        pickle.dumps(fs.secret(TOKEN))


def test_a_secret_must_be_json() -> None:
    with pytest.raises(TypeError, match=r"secret: a value of type set is not JSON"):
        fs.secret({1, 2})


def test_specs_give_secrets_back_as_secrets() -> None:
    cat = pipeline()
    config = cat.captures["acmeCo/source-stripe"].spec["endpoint"]["connector"]["config"]
    assert config["credentials"]["access_token"] == fs.secret(TOKEN)
    assert TOKEN not in repr(config)
    assert TOKEN not in repr(cat) and TOKEN not in repr(cat.captures["acmeCo/source-stripe"])


# Catalogs.


def test_written_secrets_are_encrypted_and_decrypt_back(tmp_path: Path, recipient: str, key_file: Path) -> None:
    target = tmp_path / "out" / "flow.yaml"
    assert pipeline().write(target, recipients=[recipient]) == [target]
    text = target.read_text(encoding="utf-8")
    assert TOKEN not in text and "MIIEvQ" not in text
    assert "access_token_sops: ENC[AES256_GCM,data:" in text
    assert "privateKey_sops: ENC[AES256_GCM,data:" in text
    assert "credentials_title: Private App Credentials\n" in text

    loaded = fs.Catalog.load(target)
    assert loaded.validate() == []
    config = loaded.captures["acmeCo/source-stripe"].spec["endpoint"]["connector"]["config"]
    assert config["sops"]["encrypted_suffix"] == "_sops"
    assert config["sops"]["age"][0]["recipient"] == recipient

    opened = fs.Catalog.load(target, decrypt=True, key_file=key_file)
    config = opened.captures["acmeCo/source-stripe"].spec["endpoint"]["connector"]["config"]
    assert config == {"credentials": {"credentials_title": "Private App Credentials", "access_token_sops": TOKEN}}
    assert loaded.decrypt_secrets(identity=key_file.read_text()) == 2
    assert loaded == opened


def test_encrypted_configs_pass_through_without_recipients(tmp_path: Path, recipient: str) -> None:
    pipeline().write(tmp_path / "a.yaml", recipients=[recipient])
    loaded = fs.Catalog.load(tmp_path / "a.yaml")
    loaded.write(tmp_path / "b.yaml")
    assert fs.Catalog.load(tmp_path / "b.yaml") == loaded


NO_RECIPIENTS = "cannot seal or open the catalog's secrets: 2 problems\n" + "".join(
    f"  flow://catalog#/{kind}s/acmeCo~1{name}/endpoint/connector/config: {kind} acmeCo/{name}: the config holds "
    "secrets in plaintext and no age recipients are configured: pass recipients, set SOPS_AGE_RECIPIENTS, or add "
    "an `age` creation rule to .sops.yaml (or ask for plaintext secrets explicitly)" + end
    for kind, name, end in [("capture", "source-stripe", "\n"), ("materialization", "snowflake", "")]
)


def test_without_recipients_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out" / "flow.yaml"
    with pytest.raises(fs.SecretsError) as info:
        pipeline().write(target)
    err = info.value
    assert err.code == "catalog_secrets"
    assert [(d.scope, d.code) for d in err.diagnostics] == [
        ("flow://catalog#/captures/acmeCo~1source-stripe/endpoint/connector/config", "plaintext_secret"),
        ("flow://catalog#/materializations/acmeCo~1snowflake/endpoint/connector/config", "plaintext_secret"),
    ]
    assert str(err) == NO_RECIPIENTS
    assert not (tmp_path / "out").exists()
    with pytest.raises(fs.SecretsError) as info:
        pipeline().to_yaml()
    assert str(info.value) == NO_RECIPIENTS


def test_plaintext_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "flow.yaml"
    pipeline().write(target, plaintext_secrets=True)
    text = target.read_text(encoding="utf-8")
    assert f"access_token_sops: {TOKEN}\n" in text
    assert text == pipeline().to_yaml(plaintext_secrets=True)


def test_to_yaml_and_to_json_encrypt(recipient: str, key_file: Path) -> None:
    text = pipeline().to_json(recipients=[recipient])
    assert TOKEN not in text
    config = json.loads(text)["captures"]["acmeCo/source-stripe"]["endpoint"]["connector"]["config"]
    assert fs.decrypt(config, key_file=key_file) == {
        "credentials": {"credentials_title": "Private App Credentials", "access_token_sops": TOKEN}
    }
    doc = yaml.safe_load(pipeline().to_yaml(recipients=[recipient]))
    config = doc["materializations"]["acmeCo/snowflake"]["endpoint"]["connector"]["config"]
    assert fs.decrypt(config, key_file=key_file, strip_suffix=True)["credentials"] == {"privateKey": PEM}


def test_recipients_from_the_environment(tmp_path: Path, recipient: str, key_file: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOPS_AGE_RECIPIENTS", recipient)
    pipeline().write(tmp_path / "flow.yaml")
    monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key_file))
    assert fs.Catalog.load(tmp_path / "flow.yaml").decrypt_secrets() == 2


def test_recipients_from_the_sops_config(tmp_path: Path, recipient: str, key_file: Path) -> None:
    (tmp_path / ".sops.yaml").write_text(f"creation_rules:\n  - path_regex: flow\\.yaml$\n    age: {recipient}\n")
    pipeline().write(tmp_path / "pipelines" / "flow.yaml")
    loaded = fs.Catalog.load(tmp_path / "pipelines" / "flow.yaml")
    config = loaded.captures["acmeCo/source-stripe"].spec["endpoint"]["connector"]["config"]
    assert [entry["recipient"] for entry in config["sops"]["age"]] == [recipient]
    assert loaded.decrypt_secrets(key_file=key_file) == 2
    config = loaded.captures["acmeCo/source-stripe"].spec["endpoint"]["connector"]["config"]
    assert config == {"credentials": {"credentials_title": "Private App Credentials", "access_token_sops": TOKEN}}


def test_canonical_layout_encrypts_the_config_files(tmp_path: Path, recipient: str, key_file: Path) -> None:
    written = pipeline().write(tmp_path / "flow.yaml", layout="canonical", recipients=[recipient])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "acmeCo/flow.yaml", "acmeCo/snowflake.config.yaml", "acmeCo/source-stripe.config.yaml", "flow.yaml"
    ]
    for text in all_text(tmp_path):
        assert TOKEN not in text and "MIIEvQ" not in text
    sealed = yaml.safe_load((tmp_path / "acmeCo" / "snowflake.config.yaml").read_text(encoding="utf-8"))
    assert sealed["host"] == "acme.snowflakecomputing.com"
    assert sealed["credentials"]["privateKey_sops"].startswith("ENC[AES256_GCM,data:")
    assert sealed["sops"]["encrypted_suffix"] == "_sops"
    opened = fs.Catalog.load(tmp_path / "flow.yaml", decrypt=True, key_file=key_file)
    spec = opened.materializations["acmeCo/snowflake"].spec
    assert spec["endpoint"]["connector"]["config"]["credentials"]["privateKey_sops"] == PEM


def test_decrypting_with_the_wrong_key_names_each_config(tmp_path: Path, recipient: str) -> None:
    pipeline().write(tmp_path / "flow.yaml", recipients=[recipient])
    other = tmp_path / "other.txt"
    fs.age_keygen(other)
    with pytest.raises(fs.SecretsError) as info:
        fs.Catalog.load(tmp_path / "flow.yaml", decrypt=True, key_file=other)
    assert [d.code for d in info.value.diagnostics] == ["sops_no_matching_identity"] * 2
    assert "AGE-SECRET-KEY" not in str(info.value)
    with pytest.raises(fs.SecretsError) as info:
        fs.Catalog.load(tmp_path / "flow.yaml", decrypt=True)
    assert [d.code for d in info.value.diagnostics] == ["sops_no_identity"] * 2


def test_a_tampered_config_is_refused(tmp_path: Path, recipient: str, key_file: Path) -> None:
    target = tmp_path / "flow.yaml"
    pipeline().write(target, recipients=[recipient])
    target.write_text(target.read_text().replace("acme.snowflakecomputing.com", "evil.example.com"))
    with pytest.raises(fs.SecretsError) as info:
        fs.Catalog.load(target, decrypt=True, key_file=key_file)
    assert [(d.scope.split("#")[1], d.code) for d in info.value.diagnostics] == [
        ("/materializations/acmeCo~1snowflake/endpoint/connector/config", "sops_mac_mismatch")
    ]


def test_a_misplaced_secret_names_its_place() -> None:
    cat = fs.Catalog()
    cat.capture("acmeCo/source", image="ghcr.io/estuary/source-x:v1", config={"keys": [fs.secret("k")]})
    with pytest.raises(fs.SecretsError) as info:
        cat.to_yaml(plaintext_secrets=True)
    assert info.value.diagnostics[0].code == "invalid_secret"
    assert info.value.diagnostics[0].message == (
        "capture acmeCo/source: /keys/0: a secret must be the value of an object property, not an array item"
    )


def test_load_options_need_decrypt(tmp_path: Path) -> None:
    pipeline().write(tmp_path / "flow.yaml", plaintext_secrets=True)
    with pytest.raises(fs.InvalidSpecError) as info:
        fs.Catalog.load(tmp_path / "flow.yaml", key_file="keys.txt")
    assert str(info.value) == f"load {tmp_path / 'flow.yaml'}: an identity or a key file is used only with decrypt"


# Documents and files.

DOCUMENT: dict[str, Any] = {
    "name": "flow",
    "port": 5432,
    "ratio": 0.25,
    "enabled": True,
    "nothing": None,
    "empty": "",
    "unicode": "añb€ 🔑",
    "nested_sops": {"list": [1, "two", {"deep": False}], "pem": PEM},
    "public_unencrypted": "visible",
}


@pytest.mark.parametrize(
    "rule",
    [
        {},
        {"encrypted_suffix": "_sops"},
        {"unencrypted_suffix": "_unencrypted"},
        {"encrypted_regex": "^(nested_sops|port)$"},
        {"unencrypted_regex": "^name$"},
        {"encrypted_suffix": "_sops", "mac_only_encrypted": True},
    ],
)
def test_documents_round_trip(rule: dict[str, Any], recipient: str, key_file: Path) -> None:
    sealed = fs.encrypt(DOCUMENT, recipients=[recipient], **rule)
    assert list(sealed) == [*DOCUMENT, "sops"]
    assert sealed["nothing"] is None and sealed["empty"] == ""
    assert fs.decrypt(sealed, key_file=key_file) == DOCUMENT


def test_strip_suffix(recipient: str, key_file: Path) -> None:
    sealed = fs.encrypt({"password_sops": "x"}, recipients=[recipient], encrypted_suffix="_sops")
    assert fs.decrypt(sealed, identity=key_file.read_text(), strip_suffix=True) == {"password": "x"}


def test_document_errors(recipient: str, key_file: Path) -> None:
    with pytest.raises(fs.SecretsError) as info:
        fs.encrypt(DOCUMENT)
    assert info.value.code == "sops_no_recipients"
    with pytest.raises(fs.SecretsError) as info:
        fs.encrypt(DOCUMENT, recipients=[recipient], encrypted_suffix="_s", encrypted_regex="x")
    assert info.value.code == "sops_multiple_rules"
    with pytest.raises(fs.SecretsError) as info:
        fs.encrypt(DOCUMENT, recipients=["age1nope"])
    assert info.value.code == "sops_invalid_recipient"
    with pytest.raises(TypeError, match=r"document\[\"when\"\]: a value of type set"):
        fs.encrypt({"when": {1}}, recipients=[recipient])

    sealed = fs.encrypt(DOCUMENT, recipients=[recipient])
    tampered = dict(sealed, port=sealed["name"])
    with pytest.raises(fs.SecretsError) as info:
        fs.decrypt(tampered, key_file=key_file)
    assert info.value.code == "sops_decrypt_failed"
    assert str(info.value) == (
        "value at `port` could not be decrypted: the value, its key path or its type was modified, "
        "or it was encrypted with another data key"
    )
    with pytest.raises(fs.SecretsError) as info:
        fs.decrypt(dict(sealed, sops=dict(sealed["sops"], mac=sealed["name"])), key_file=key_file)
    assert info.value.code == "sops_mac_mismatch"
    assert str(info.value) == (
        "MAC mismatch: sops.mac does not open with the data key: sops.mac or sops.lastmodified was modified"
    )
    with pytest.raises(fs.SecretsError) as info:
        fs.decrypt(DOCUMENT, key_file=key_file)
    assert info.value.code == "sops_missing_metadata"
    assert str(info.value) == "the document has no `sops` metadata object: it is not sops-encrypted"


def test_files(tmp_path: Path, recipient: str, key_file: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("user: flow\npassword: hunter2\n")
    text = fs.encrypt_file(path, recipients=[recipient], encrypted_regex="^password$")
    assert text.startswith("user: flow\npassword: ENC[AES256_GCM,data:")
    assert path.read_text() == "user: flow\npassword: hunter2\n"
    assert fs.encrypt_file(path, recipients=[recipient], in_place=True) != text
    assert "hunter2" not in path.read_text()
    assert fs.decrypt_file(path, key_file=key_file) == {"user": "flow", "password": "hunter2"}

    json_path = tmp_path / "config.data"
    json_path.write_text('{"b": 1, "a": "x"}')
    sealed = fs.encrypt_file(json_path, recipients=[recipient], input_type="json")
    assert json.loads(sealed)["sops"]["age"][0]["recipient"] == recipient
    with pytest.raises(FileNotFoundError) as missing:
        fs.decrypt_file(tmp_path / "missing.yaml", key_file=key_file)
    assert isinstance(missing.value, fs.FileError)
    assert missing.value.code == "sops_io"
    assert missing.value.filename == str(tmp_path / "missing.yaml")
    assert str(missing.value) == f"[Errno 2] No such file or directory: '{tmp_path / 'missing.yaml'}'"


def test_age_keygen(tmp_path: Path) -> None:
    path = tmp_path / "keys.txt"
    recipient = fs.age_keygen(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().splitlines()[1] == f"# public key: {recipient}"
    with pytest.raises(fs.SecretsError) as info:
        fs.age_keygen(path)
    assert info.value.code == "sops_identity_file_exists"
    assert fs.age_keygen(path, overwrite=True) != recipient
    # By default, where sops looks for it.
    default = fs.age_keygen()
    assert (tmp_path / "config" / "sops" / "age" / "keys.txt").read_text().splitlines()[1] == f"# public key: {default}"
