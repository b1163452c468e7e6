"""Estuary Flow catalogs as code.

Build captures, collections, derivations, materializations and tests in
Python, validate them offline, and write ``flow.yaml`` exactly as the Rust
core and the other bindings write it.

>>> import flowspec as fs
>>> cat = fs.Catalog()
>>> cat.capture("acmeCo/source-hello", image="ghcr.io/estuary/source-hello-world:dev", config={}) \\
...    .binding({"name": "greetings"}, target="acmeCo/greetings")
<Capture acmeCo/source-hello: ghcr.io/estuary/source-hello-world:dev, 1 binding>
>>> cat.collection("acmeCo/greetings", key=["/id"],
...                schema={"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]})
<Collection acmeCo/greetings: key ['/id']>
>>> cat.validate()
[]
"""

from collections.abc import MutableMapping as _MutableMapping

from flowspec._flowspec import (
    Capture,
    Catalog,
    Collection,
    ControlPlaneError,
    Derivation,
    Diagnostic,
    FileError,
    FlowspecError,
    InvalidNameError,
    InvalidSpecError,
    LoadError,
    LocalControlPlane,
    Materialization,
    Secret,
    SecretsError,
    Specs,
    Test,
    ValidationError,
    WriteError,
    __version__,
    age_keygen,
    decrypt,
    decrypt_file,
    encrypt,
    encrypt_file,
    generate,
    list_specs,
    pull_specs,
    pull_specs_async,
    secret,
)
from flowspec._codes import CodeGroup, CodeInfo, ErrorCode, codes
from flowspec import _types
from flowspec._types import *  # noqa: F403  (the types of options, generated from the core)

# `Specs` has the methods of a mutable mapping (its values are handles; a
# spec dict or a handle may be assigned), so it is registered as one.
_MutableMapping.register(Specs)

__all__ = [
    "__version__",
    # The catalog and its handles.
    "Catalog",
    "Specs",
    "Capture",
    "Collection",
    "Derivation",
    "Materialization",
    "Test",
    # Errors.
    "codes",
    "CodeInfo",
    "CodeGroup",
    "ErrorCode",
    "Diagnostic",
    "FlowspecError",
    "InvalidNameError",
    "InvalidSpecError",
    "FileError",
    "LoadError",
    "ValidationError",
    "WriteError",
    "SecretsError",
    "ControlPlaneError",
    # Publishing.
    "LocalControlPlane",
    "pull_specs",
    "pull_specs_async",
    "generate",
    "list_specs",
    # Secrets (sops with age).
    "Secret",
    "secret",
    "encrypt",
    "decrypt",
    "encrypt_file",
    "decrypt_file",
    "age_keygen",
    # The types of options (flowspec._types): JsonObject, Schema, and the
    # option objects and structured values of the core, like CaptureOptions
    # and ShardTemplate.
]
__all__ += _types.__all__
