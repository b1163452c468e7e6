"""An independent sops + age decoder that verifies the MAC, written from the
sops format (not from flowspec's code), to check what flowspec encrypts.

It uses pyrage (the Rust age library) to unwrap the data key and
``cryptography``'s AES-GCM with sops' 32-byte IVs, and recomputes the MAC:
SHA-512 over the plaintext of every non-null leaf in document order (only
encrypted leaves, after SHA-256("sops"), with ``mac_only_encrypted``),
uppercase hex, sealed with ``lastmodified`` as additional data.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from typing import Any

import pyrage
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENC = re.compile(r"^ENC\[AES256_GCM,data:([^,]+),iv:([^,]+),tag:([^,]+),type:([a-z]+)\]$")


class Invalid(Exception):
    """The document does not decrypt, or its MAC does not match."""


def data_key(sops: dict[str, Any], identity: str) -> bytes:
    """The data key, unwrapped with the identity (the text of a key file)."""
    secret = next(line for line in identity.splitlines() if line.startswith("AGE-SECRET-KEY-1"))
    ident = pyrage.x25519.Identity.from_str(secret)
    for entry in sops.get("age") or []:
        lines = [line.strip() for line in entry["enc"].strip().splitlines()]
        if lines[0] != "-----BEGIN AGE ENCRYPTED FILE-----" or lines[-1] != "-----END AGE ENCRYPTED FILE-----":
            raise Invalid("bad armor")
        binary = base64.b64decode("".join(lines[1:-1]), validate=True)
        try:
            key: bytes = pyrage.decrypt(binary, [ident])
        except pyrage.DecryptError:
            continue
        if len(key) != 32:
            raise Invalid(f"data key of {len(key)} bytes")
        return key
    raise Invalid("no recipient matches the identity")


def open_leaf(key: bytes, text: str, aad: str) -> tuple[Any, bytes]:
    m = ENC.match(text)
    if not m:
        raise Invalid(f"malformed ENC value at {aad}")
    data, iv, tag = (base64.b64decode(m.group(i), validate=True) for i in (1, 2, 3))
    kind = m.group(4)
    try:
        plain = AESGCM(key).decrypt(iv, data + tag, aad.encode())
    except Exception as err:  # cryptography raises InvalidTag
        raise Invalid(f"cannot decrypt {aad}") from err
    s = plain.decode()
    value: Any
    if kind == "str":
        value = s
    elif kind == "int":
        value = int(s)
    elif kind == "float":
        value = float(s)
    elif kind == "bool":
        value = s == "True"
    else:
        raise Invalid(f"unknown type {kind} at {aad}")
    return value, plain


def plaintext_bytes(value: Any) -> bytes:
    if isinstance(value, bool):
        return b"True" if value else b"False"
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)).encode()
    return str(value).encode()


def decrypt(document: dict[str, Any], identity: str) -> dict[str, Any]:
    """The plaintext of a sops document; raises ``Invalid`` on any mismatch."""
    sops = document["sops"]
    key = data_key(sops, identity)
    mac_only = bool(sops.get("mac_only_encrypted"))
    digest = hashlib.sha512()
    if mac_only:
        digest.update(hashlib.sha256(b"sops").digest())

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, f"{path}{k}:") for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, path) for v in value]
        if value is None:
            return None
        if isinstance(value, str) and value.startswith("ENC["):
            plain, raw = open_leaf(key, value, path)
            digest.update(raw)
            return plain
        if not mac_only:
            digest.update(plaintext_bytes(value))
        return value

    out = {k: walk(v, f"{k}:") for k, v in document.items() if k != "sops"}
    lastmodified = sops["lastmodified"]
    if isinstance(lastmodified, datetime.datetime):  # an unquoted YAML timestamp
        lastmodified = lastmodified.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    mac, _ = open_leaf(key, sops["mac"], lastmodified)
    if mac != digest.hexdigest().upper():
        raise Invalid("MAC mismatch")
    return out
