"""What flowspec encrypts, decrypted by an independent implementation of the
sops format that verifies the MAC (tests/sops_reference.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import flowspec as fs
import sops_reference
from conftest import REPO
from test_secrets import DOCUMENT, PEM, TOKEN, pipeline

RULES: list[dict[str, Any]] = [
    {},
    {"encrypted_suffix": "_sops"},
    {"unencrypted_suffix": "_unencrypted"},
    {"encrypted_regex": "^(nested_sops|port|ratio|enabled)$"},
    {"unencrypted_regex": "^name$"},
    {"encrypted_suffix": "_sops", "mac_only_encrypted": True},
    {"mac_only_encrypted": True},
]


FIXTURES = REPO.parent / "shared" / "fixtures" / "sops"
VECTORS = [
    ("estuary-unseal/under-suffix.json", "estuary-unseal/under-suffix.expected.json"),
    ("estuary-unseal/hyphen-suffix.json", "estuary-unseal/hyphen-suffix.expected.json"),
    ("sops-3.13.3/unicode.enc.yaml", "sops-3.13.3/unicode.expected.json"),
    *[(f"rops/age_{name}.yaml", f"rops/age_{name}_plaintext.yaml")
      for name in ("example", "encrypted_suffix", "unencrypted_suffix", "encrypted_regex",
                   "unencrypted_regex", "mac_only_encrypted")],
]


@pytest.mark.parametrize(("encrypted", "expected"), VECTORS)
def test_the_reference_decoder_opens_files_real_sops_wrote(encrypted: str, expected: str) -> None:
    """The decoder that checks flowspec's output is itself right about sops."""
    key = (FIXTURES / encrypted).parent.joinpath("keys.txt").read_text()
    document, want = (
        json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
        for name, text in ((n, (FIXTURES / n).read_text(encoding="utf-8")) for n in (encrypted, expected))
    )
    assert sops_reference.decrypt(document, key) == want


@pytest.fixture
def identity(tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "keys.txt"
    recipient = fs.age_keygen(path)
    return recipient, path.read_text()


@pytest.mark.parametrize("rule", RULES)
def test_documents_decrypt_independently(rule: dict[str, Any], identity: tuple[str, str]) -> None:
    recipient, key = identity
    sealed = fs.encrypt(DOCUMENT, recipients=[recipient], **rule)
    assert sops_reference.decrypt(sealed, key) == DOCUMENT


@pytest.mark.parametrize("rule", RULES[:3])
def test_yaml_files_decrypt_independently(rule: dict[str, Any], identity: tuple[str, str], tmp_path: Path) -> None:
    recipient, key = identity
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(DOCUMENT, sort_keys=False, allow_unicode=True), encoding="utf-8")
    text = fs.encrypt_file(path, recipients=[recipient], **rule)
    assert sops_reference.decrypt(yaml.safe_load(text), key) == DOCUMENT


def test_catalog_configs_decrypt_independently(identity: tuple[str, str], tmp_path: Path) -> None:
    recipient, key = identity
    pipeline().write(tmp_path / "flow.yaml", recipients=[recipient])
    doc = yaml.safe_load((tmp_path / "flow.yaml").read_text(encoding="utf-8"))
    capture = doc["captures"]["acmeCo/source-stripe"]["endpoint"]["connector"]["config"]
    materialization = doc["materializations"]["acmeCo/snowflake"]["endpoint"]["connector"]["config"]
    assert sops_reference.decrypt(capture, key) == {
        "credentials": {"credentials_title": "Private App Credentials", "access_token_sops": TOKEN}
    }
    assert sops_reference.decrypt(materialization, key)["credentials"] == {"privateKey_sops": PEM}


def test_the_reference_decoder_catches_tampering(identity: tuple[str, str], tmp_path: Path) -> None:
    recipient, key = identity
    sealed = fs.encrypt(DOCUMENT, recipients=[recipient], encrypted_suffix="_sops")
    with pytest.raises(sops_reference.Invalid, match="MAC mismatch"):
        sops_reference.decrypt(dict(sealed, name="someone else"), key)
    fs.age_keygen(tmp_path / "other.txt")
    with pytest.raises(sops_reference.Invalid, match="no recipient"):
        sops_reference.decrypt(sealed, (tmp_path / "other.txt").read_text())
