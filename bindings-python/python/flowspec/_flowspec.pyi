"""Type stubs of flowspec's native module.

The keyword arguments of the calls that build specs (``capture``,
``binding``, ``transform``...) are typed by the ``TypedDict``s of
``flowspec._types`` (``**options: Unpack[CaptureOptions]``), which are
generated from the Rust core's option types; the rest is checked against
the extension by the tests.

Options that are dicts (``shards=``, ``fields=``, ``journals=``, a
transform's ``source=``...) take snake_case keys, as keyword arguments do,
or the model's camelCase keys, as a spec's dict has them: a dict copied from
``.spec`` can be given back as it is. One key given in both spellings is an
``InvalidSpecError`` naming both. Configs, resources, schemas and documents
are data: their keys are never changed.

JSON values (configs, resources, schemas, documents...) are dicts (or other
mappings), lists (or other sequences), str, int, float, ``decimal.Decimal``,
bool and None. Numbers are exact: an ``int`` of any size is that integer, a
``float`` the number its ``repr`` shows, a ``Decimal`` the number it holds
(NaN and infinities are not JSON). Read back, an integer is an ``int``, and
any other number a ``float`` when the float's ``repr`` is the same number,
else a ``Decimal`` with every digit (``1e400``, ``0.1000000000000000000001``).

A value nests at most 100 levels of lists and dicts, counted from the
argument as given; a deeper one, or one that contains itself, raises
``InvalidSpecError`` with code ``nesting_too_deep``, naming where.
"""

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Coroutine, Generic, Literal, TypeVar, final, overload

from typing_extensions import Unpack

from flowspec._codes import ErrorCode
from flowspec._types import (
    CaptureOptions,
    CollectionOptions,
    ControlPlaneOptions,
    LiveSpecInfo,
    Plan,
    Publication,
    PulledSpecs,
    TestRunResults,
    GeneratedFile,
    DerivationOptions,
    MaterializationOptions,
    Resource,
    Source,
    TestDocuments,
    TestOptions,
    _CaptureBindingKeywords,
    _IngestOptionsKeywords,
    _MaterializationBindingOptionsKeywords,
    _TransformOptionsKeywords,
    _VerifyOptionsKeywords,
)

__all__ = [
    "__version__",
    "Catalog",
    "Specs",
    "Capture",
    "Collection",
    "Derivation",
    "Materialization",
    "Test",
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
    "LocalControlPlane",
    "pull_specs",
    "pull_specs_async",
    "generate",
    "list_specs",
    "Secret",
    "secret",
    "encrypt",
    "decrypt",
    "encrypt_file",
    "decrypt_file",
    "age_keygen",
]

__version__: str

_H = TypeVar("_H")
_T = TypeVar("_T")

@final
class Catalog:
    """A Flow catalog: captures, collections and derivations, materializations and tests.

    >>> cat = Catalog()
    >>> cat.collection("acmeCo/anvils", schema={"type": "object"}, key=["/id"])
    <Collection acmeCo/anvils: key ['/id']>
    >>> print(cat)
    <Catalog: 0 captures, 1 collection, 0 materializations, 0 tests>

    Threads: a catalog, its handles and its ``Specs`` may be shared between
    threads. Reads (``validate``, ``to_yaml``, ``to_json``, ``write``,
    ``bundle``, ``to_dict``, reading specs) may run in several threads at
    once, and the long ones release the GIL. A change (adding specs,
    bindings, transforms or steps, setting or removing specs,
    ``decrypt_secrets``) needs the catalog to itself: made while another
    thread uses the catalog, it raises ``RuntimeError`` ("the catalog is in
    use by another thread...") rather than wait, and so does a read while
    another thread changes it. Guard a catalog that threads change with a
    ``threading.Lock``, or give each thread its own catalog. Values given as
    options (pydantic models, mappings) are converted before the catalog is
    taken, so their code may use the catalog.
    """

    def __init__(
        self,
        *,
        base_dir: str | os.PathLike[str] | None = None,
        root: str | os.PathLike[str] | None = None,
        deny_outside_root: bool = False,
    ) -> None:
        """An empty catalog.

        >>> cat = Catalog(base_dir="out/cicd")

        Arguments:
            base_dir: The directory that relative file references of its
                specs (a schema file, ``typescript="module.ts"``, ...) resolve
                against: typically the directory it will be written to.
                Default: the current directory. ``validate()`` reads them
                there, and ``write()`` rewrites them to name the same files
                from where the catalog is written.
            root: The directory file references must stay in (default:
                ``base_dir``); ``validate()`` warns about others
                (``reference_outside_root``).
            deny_outside_root: Refuse to read files outside of the root.
        """

    @staticmethod
    def load(
        path: str | os.PathLike[str],
        *,
        decrypt: bool = False,
        identity: str | None = None,
        key_file: str | os.PathLike[str] | None = None,
        root: str | os.PathLike[str] | None = None,
        deny_outside_root: bool = False,
    ) -> Catalog:
        """Loads a catalog, following imports and inlining file references.

        A value read from a file of its own (a schema file, a config file,
        SQL, a module, test documents) is inlined, and remembered: writing
        the catalog refers to the file again while the value is unchanged,
        and writes a changed value back into it. Encrypted configs stay
        encrypted unless ``decrypt=True``.

        >>> cat = Catalog.load("flow.yaml")
        >>> plain = Catalog.load("flow.yaml", decrypt=True, key_file="keys.txt")

        Arguments:
            path: A ``flow.yaml`` / ``flow.json`` file, or ``"-"`` for stdin.
            decrypt: Decrypt the sops-encrypted configs (see ``decrypt_secrets``).
            identity: The text of age secret keys (``AGE-SECRET-KEY-1...``), with ``decrypt``.
            key_file: A file of age secret keys, with ``decrypt``. Without
                ``identity`` or ``key_file``, the keys are found as sops finds
                them (``SOPS_AGE_KEY``, ``SOPS_AGE_KEY_FILE``, ``SOPS_AGE_KEY_CMD``,
                ``~/.config/sops/age/keys.txt``).
            root: The directory file references must stay in. Default: the
                project root, as ``flowctl generate`` finds it (the file's
                directory, and up through each parent that also holds a
                ``flow.yaml``). A file outside of it is read with a warning
                (code ``reference_outside_root``, from ``validate()``).
            deny_outside_root: Refuse to read files outside of the root.

        Returns:
            The catalog.

        Raises:
            LoadError: The source does not parse or is not a valid catalog
                (``diagnostics`` say where; a referenced file that cannot be
                read is one, code ``read_failed``).
            FileError: The source itself cannot be read: an ``OSError``
                (``FileNotFoundError`` for a missing file) with ``errno`` and
                ``filename``.
        """

    def capture(self, name: str, **options: Unpack[CaptureOptions]) -> Capture:
        """Adds a capture: a connector reading from an external system.

        >>> cat.capture("acmeCo/source-postgres", image="ghcr.io/estuary/source-postgres:v1",
        ...             config={"address": "db:5432"}).binding({"stream": "orders"}, target="acmeCo/orders")
        <Capture acmeCo/source-postgres: ghcr.io/estuary/source-postgres:v1, 1 binding>

        Arguments:
            name: The capture's name, like ``acmeCo/source-postgres``.
            image: The connector image.
            config: The connector configuration (default ``{}``), or the relative
                URL of a file holding it.
            local: A local command instead of an image (development only).
            bindings: Bindings, as with ``.binding()``.
            interval: Interval between runs of connectors that exit, like ``"10m"``
                (default ``"5m"``).
            auto_discover: ``True`` for default auto-discovery, or its settings.
            shards: Shard template.
            expect_pub_id: Expected last publication id.
            delete: Delete the capture.
            reset: Delete and re-create the capture.
            redact_salt: Salt for ``sha256`` redaction (base64).

        Returns:
            The capture's handle; its methods chain.

        Raises:
            InvalidNameError: ``name`` is not a valid capture name.
            InvalidSpecError: The capture exists already, or an option is invalid.
            TypeError: An option is not JSON (the message says where).
        """

    def collection(self, name: str, **options: Unpack[CollectionOptions]) -> Collection:
        """Adds a collection.

        >>> cat.collection("acmeCo/orders", schema=Order, key=["/id"])
        <Collection acmeCo/orders: key ['/id']>

        Arguments:
            name: The collection's name, like ``acmeCo/orders``.
            schema: The JSON schema: a dict, a JSON-schema string, a file reference,
                a pydantic model class, or a dataclass / TypedDict (through pydantic;
                on Python < 3.12 a TypedDict must come from ``typing_extensions``,
                not ``typing``, which pydantic refuses there).
            write_schema: The schema documents are validated against when written
                (with ``read_schema``, instead of ``schema``).
            read_schema: The schema documents are validated against when read.
            key: The composite key, as JSON pointers.
            projections: Projections: field name → JSON pointer, or
                ``{"location": ..., "partition": True}``.
            journals: Journal settings.
            expect_pub_id: Expected last publication id.
            delete: Delete the collection.

        Returns:
            The collection's handle.

        Raises:
            InvalidNameError: ``name`` or a key pointer is invalid.
            InvalidSpecError: The collection exists already, or an option is invalid.
            TypeError: An option is not JSON, or ``schema`` is of a type not taken.
            ImportError: ``schema`` is a dataclass or TypedDict and pydantic is not
                installed.
        """

    def derivation(self, name: str, **options: Unpack[DerivationOptions]) -> Derivation:
        """Adds a derivation: a collection derived from others by transforms.

        Give exactly one runtime: ``typescript``, ``sqlite``, ``python``,
        ``connector``, ``local`` or ``using``.

        >>> cat.derivation("acmeCo/totals", schema={"type": "object"}, key=["/id"], sqlite=[]) \\
        ...    .transform("fromItems", source="acmeCo/items", shuffle=["/id"], lambda_="SELECT $id AS id;")
        <Derivation acmeCo/totals: sqlite, 1 transform, key ['/id']>

        Arguments:
            name: The collection's name.
            schema: The JSON schema (the forms of ``collection(schema=)``).
            write_schema: The write schema (with ``read_schema``).
            read_schema: The read schema.
            key: The composite key, as JSON pointers.
            projections: Projections (as for ``collection``).
            journals: Journal settings.
            expect_pub_id: Expected last publication id.
            delete: Delete the derivation.
            typescript: The TypeScript module: its file URL or code.
            sqlite: SQLite migrations: SQL or file URLs (``[]`` for none).
            python: The Python module, or ``{"module": ..., "dependencies": {...}}``.
            connector: A derivation connector image and its config.
            local: A local command.
            using: The runtime in the model's form, like ``{"sqlite": {"migrations": []}}``.
            transforms: Transforms, as with ``.transform()``.
            shuffle_key_types: Types of the shuffle key, when they cannot be inferred.
            shards: Shard template.
            redact_salt: Salt for ``sha256`` redaction (base64).

        Returns:
            The derivation's handle; ``.transform()`` chains.

        Raises:
            InvalidNameError: ``name`` or a pointer is invalid.
            InvalidSpecError: The collection exists already, no or several runtimes
                are given, or an option is invalid.
            TypeError: An option is not JSON, or ``schema`` is of a type not taken.
            ImportError: ``schema`` needs pydantic, which is not installed.
        """

    def materialization(self, name: str, **options: Unpack[MaterializationOptions]) -> Materialization:
        """Adds a materialization: collections written into an external system.

        >>> cat.materialization("acmeCo/to-snowflake", image="ghcr.io/estuary/materialize-snowflake:v1",
        ...                     config={"host": "x.snowflakecomputing.com"}) \\
        ...    .binding({"table": "orders"}, source="acmeCo/orders")
        <Materialization acmeCo/to-snowflake: ghcr.io/estuary/materialize-snowflake:v1, 1 binding>

        Arguments:
            name: The materialization's name.
            image: The connector image.
            config: The connector configuration (default ``{}``), or the relative URL
                of a file holding it.
            dekaf: A Dekaf endpoint instead of an image.
            local: A local command instead of an image (development only).
            source_capture: A capture whose bindings are materialized, by name or with
                settings.
            on_incompatible_schema_change: What to do when a source's schema changes
                incompatibly (default ``"backfill"``).
            bindings: Bindings, as with ``.binding()``.
            shards: Shard template.
            expect_pub_id: Expected last publication id.
            delete: Delete the materialization.

        Returns:
            The materialization's handle; its methods chain.

        Raises:
            InvalidNameError: ``name`` is not a valid materialization name.
            InvalidSpecError: The materialization exists already, or an option is invalid.
            TypeError: An option is not JSON (the message says where).
        """

    def test(self, name: str, **options: Unpack[TestOptions]) -> Test:
        """Adds a test: documents to ingest, and the documents to expect.

        >>> cat.test("acmeCo/tests/orders", description="Orders pass through.") \\
        ...    .ingest("acmeCo/orders", [{"id": "1"}]).verify("acmeCo/orders", [{"id": "1"}])
        <Test acmeCo/tests/orders: 2 steps>

        Arguments:
            name: The test's name.
            description: What the test checks.
            steps: Steps in the model's form (``{"ingest": {...}}`` / ``{"verify": {...}}``).
            expect_pub_id: Expected last publication id.
            delete: Delete the test.

        Returns:
            The test's handle; ``.ingest()`` and ``.verify()`` chain.

        Raises:
            InvalidNameError: ``name`` is not a valid test name.
            InvalidSpecError: The test exists already, or an option is invalid.
        """

    def validate(self) -> list[Diagnostic]:
        """Checks the catalog offline (schemas, keys, references, tests...).

        >>> for warning in cat.validate():
        ...     print(warning)

        Returns:
            The warnings (the catalog is valid).

        Raises:
            ValidationError: The catalog is invalid; ``diagnostics`` list every
                problem (a referenced file that cannot be read is one, code
                ``read_failed``).
        """

    def bundle(self) -> Catalog:
        """A copy of the catalog with every file reference inlined.

        >>> bundled = Catalog.load("flow.yaml").bundle()

        Returns:
            The bundled catalog (what Estuary receives).

        Raises:
            LoadError: A referenced file is invalid or cannot be read.
            SecretsError: ``decrypt=True`` and a config cannot be decrypted
                (``diagnostics`` name each config and the sops error).
        """

    def decrypt_secrets(
        self, *, identity: str | None = None, key_file: str | os.PathLike[str] | None = None
    ) -> int:
        """Decrypts every sops-encrypted config in place, verifying each MAC.

        The ``_sops`` keys are kept, so writing the catalog encrypts them
        again. Either every config is decrypted, or none is.

        >>> cat.decrypt_secrets(key_file="keys.txt")
        2

        Arguments:
            identity: The text of age secret keys (``AGE-SECRET-KEY-1...``).
            key_file: A file of age secret keys. Without either, the keys are
                found as sops finds them.

        Returns:
            How many configs were decrypted.

        Raises:
            SecretsError: No identity opens a config, or a config was tampered
                with (``diagnostics`` say which, with codes like
                ``sops_mac_mismatch``).
        """

    def to_yaml(
        self, *, recipients: Sequence[str] | None = None, plaintext_secrets: bool = False
    ) -> str:
        """The catalog as one YAML document (what ``write`` puts in a ``.yaml`` file).

        Configs holding secrets are encrypted as ``write`` encrypts them.

        >>> text = cat.to_yaml()

        Returns:
            The YAML text.

        Raises:
            SecretsError: A config holds secrets and no recipient is
                configured (code ``catalog_secrets``).
            TypeError: ``recipients`` is not a list of strings.
        """

    def to_json(
        self, *, recipients: Sequence[str] | None = None, plaintext_secrets: bool = False
    ) -> str:
        """The catalog as one JSON document, its secrets encrypted as by ``to_yaml``.

        >>> text = cat.to_json()

        Returns:
            The JSON text.

        Raises:
            SecretsError: A config holds secrets and no recipient is configured.
            TypeError: ``recipients`` is not a list of strings.
        """

    def to_dict(self) -> dict[str, Any]:
        """The catalog as a dict in the model's (camelCase) form.

        >>> cat.to_dict()["collections"]["acmeCo/anvils"]["key"]
        ['/id']

        Returns:
            A new dict; changing it does not change the catalog.
        """

    def publish(
        self,
        *,
        profile: str | None = None,
        control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
        default_data_plane: str | None = None,
        keep_sops: bool = False,
        source: str | None = None,
        identity: str | None = None,
        key_file: str | None = None,
        update_pub_ids: bool = True,
    ) -> Publication:
        """Publishes the catalog to a control plane, as ``flowctl catalog publish
        --auto-approve`` does.

        The catalog is validated, staged in a draft (every endpoint config
        encrypted by the control plane's config-encryption service first, so
        that no secret is sent in plaintext), specs equal to the live ones are
        pruned, and the publication is followed to its end.

        >>> with LocalControlPlane() as plane:
        ...     cat.publish(control_plane=plane)["status"]
        'success'

        Arguments:
            profile: A flowctl profile (else ``FLOWCTL_PROFILE``, else
                ``default``), with ``FLOW_AUTH_TOKEN`` if set.
            control_plane: A ``LocalControlPlane`` (or its ``options()``),
                rather than a profile.
            default_data_plane: The data plane of specs that are not live yet.
            keep_sops: Stage sops-encrypted configs as they are.
            source: The catalog file whose ``.sops.yaml`` rules apply.
            identity: age secret keys that open sops-encrypted configs (which
                the control plane's service then re-encrypts); else
                ``key_file``, else those sops finds.
            key_file: A file of age secret keys, as ``identity``.
            update_pub_ids: For a catalog loaded from files, set the
                ``expectPubId`` of published specs that carry one to the new
                publication id, in place (``updated_files`` lists them), so
                that the next publication of the files is not refused.

        Raises:
            ValidationError: The catalog is invalid; nothing was sent.
            ControlPlaneError: The publication failed (code
                ``publication_failed``, ``diagnostics`` scoped
                ``flow://<type>/<name>#<pointer>``), a config could not be
                encrypted, or the control plane could not be reached.
        """

    def publish_async(
        self,
        *,
        profile: str | None = None,
        control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
        default_data_plane: str | None = None,
        keep_sops: bool = False,
        source: str | None = None,
        identity: str | None = None,
        key_file: str | None = None,
        update_pub_ids: bool = True,
    ) -> Coroutine[Any, Any, Publication]:
        """``publish``, awaitable: it runs on a worker thread.

        >>> await cat.publish_async(control_plane=plane)
        """

    def plan(
        self,
        *,
        profile: str | None = None,
        control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
        source: str | None = None,
        identity: str | None = None,
        key_file: str | None = None,
    ) -> Plan:
        """What publishing the catalog would change, as ``flowspec catalog
        diff`` shows it: every spec as ``create``, ``update``, ``delete`` or
        ``unchanged``, and for an update the JSON pointers that differ, with
        the live (``old``) and the catalog's (``new``) values.

        Secret-aware: sops metadata, ciphertext and re-encryption never count
        as changes; a secret is reported by name only (added, removed, or,
        when the keys given open both sides, changed), never with its value.

        >>> with LocalControlPlane() as plane:
        ...     cat.publish(control_plane=plane)["status"]
        ...     cat.plan(control_plane=plane)["has_changes"]
        'success'
        False

        Arguments:
            profile: A flowctl profile (else ``FLOWCTL_PROFILE``, else
                ``default``), with ``FLOW_AUTH_TOKEN`` if set.
            control_plane: A ``LocalControlPlane`` (or its ``options()``),
                rather than a profile.
            source: The catalog file whose ``.sops.yaml`` rules apply.
            identity: age secret keys that open sops-encrypted configs;
                else ``key_file``, else those sops finds.
            key_file: A file of age secret keys, as ``identity``.

        Raises:
            ValidationError: The catalog is invalid; nothing was sent.
            ControlPlaneError: The control plane could not be reached or
                refused the request.
        """

    def plan_async(
        self,
        *,
        profile: str | None = None,
        control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
        source: str | None = None,
        identity: str | None = None,
        key_file: str | None = None,
    ) -> Coroutine[Any, Any, Plan]:
        """``plan``, awaitable: it runs on a worker thread."""

    def test_remote(
        self,
        *,
        profile: str | None = None,
        control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
        default_data_plane: str | None = None,
        keep_sops: bool = False,
        source: str | None = None,
        identity: str | None = None,
        key_file: str | None = None,
    ) -> Publication:
        """Runs the catalog's tests on the control plane, as ``flowctl catalog
        test`` does: a dry-run publication whose draft is always deleted.

        Raises:
            ControlPlaneError: The tests failed (code ``publication_failed``).
        """

    def test_remote_async(
        self,
        *,
        profile: str | None = None,
        control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
        default_data_plane: str | None = None,
        keep_sops: bool = False,
        source: str | None = None,
        identity: str | None = None,
        key_file: str | None = None,
    ) -> Coroutine[Any, Any, Publication]:
        """``test_remote``, awaitable."""

    def run_tests(
        self,
        *,
        tests: Sequence[str] | None = None,
        snapshot: str | None = None,
        shards: int | None = None,
    ) -> TestRunResults:
        """Runs the catalog's tests locally, with Estuary's semantics:
        reductions, SQLite and TypeScript derivations, verify comparisons.
        A failing test is a result, not an error.

        >>> results = cat.run_tests()
        >>> assert results["ok"], results["report"]

        Raises:
            ValidationError: The catalog is not valid.
        """

    def run_tests_async(
        self,
        *,
        tests: Sequence[str] | None = None,
        snapshot: str | None = None,
        shards: int | None = None,
    ) -> Coroutine[Any, Any, TestRunResults]:
        """``run_tests``, awaitable: it runs on a worker thread."""

    def generate(
        self,
        *,
        source: str | None = None,
        root: str | None = None,
        dry_run: bool = False,
    ) -> list[GeneratedFile]:
        """``flowspec.generate`` for the file this catalog was loaded from
        (or ``source``).

        Raises:
            FlowspecError: The catalog was not loaded from a file and no
                ``source`` is given.
        """

    def write(
        self,
        path: str | os.PathLike[str],
        *,
        layout: Literal["flat", "canonical"] = "flat",
        recipients: Sequence[str] | None = None,
        plaintext_secrets: bool = False,
        prune: bool = False,
    ) -> list[Path]:
        """Writes the catalog, deterministically.

        A file that already holds what it should is left untouched, and a
        config encrypted there before keeps its ciphertext when it decrypts
        (with the keys sops finds) to the same plaintext for the same
        recipients: writing an unchanged catalog changes no file. Values
        loaded from files of their own keep referring to them. Files of the
        catalog written there before that are no longer used are named in a
        ``UserWarning``, or removed with ``prune=True``.

        Every endpoint or derivation-connector config that holds secrets
        (values marked with ``secret()``, or under keys ending in ``_sops``)
        is encrypted with sops (``encrypted_suffix: _sops``) to the age
        recipients; configs already encrypted are written as they are.

        >>> cat.write("out/flow.yaml", recipients=["age1..."])
        [PosixPath('out/flow.yaml')]

        Arguments:
            path: The target file: ``.yaml``, ``.yml`` or ``.json``.
            layout: ``"flat"`` for one file, ``"canonical"`` for flowctl's split
                layout (a ``flow.yaml`` per name prefix).
            recipients: age public keys. Without them, ``SOPS_AGE_RECIPIENTS``
                and then the ``.sops.yaml`` creation rule matching ``path``.
            plaintext_secrets: Write secrets unencrypted, as ``_sops`` values.
            prune: Remove the files of the catalog written there before
                that the catalog no longer uses.

        Returns:
            The files of the written catalog (whether rewritten or not).

        Raises:
            SecretsError: A config holds secrets and no recipient is
                configured (code ``catalog_secrets``; ``diagnostics`` name each
                config); nothing is written.
            WriteError: The catalog cannot be written there: an ``OSError``,
                with the ``errno`` (and of its builtin subclass, like
                ``PermissionError``) when the operating system refused.
            InvalidSpecError: ``layout`` is neither ``"flat"`` nor ``"canonical"``.
            TypeError: ``recipients`` is not a list of strings.
        """

    @property
    def captures(self) -> Specs[Capture]:
        """The captures, by name (a mutable mapping).

        >>> list(cat.captures)
        ['acmeCo/source-postgres']
        """

    @property
    def collections(self) -> Specs[Collection]:
        """The collections and derivations, by name (a mutable mapping).

        >>> "acmeCo/orders" in cat.collections
        True
        """

    @property
    def materializations(self) -> Specs[Materialization]:
        """The materializations, by name (a mutable mapping).

        >>> len(cat.materializations)
        1
        """

    @property
    def tests(self) -> Specs[Test]:
        """The tests, by name (a mutable mapping).

        >>> del cat.tests["acmeCo/tests/orders"]
        """

    def __eq__(self, other: object) -> bool:
        """Whether ``other`` is a catalog with the same specs."""

@final
class Specs(Generic[_H]):
    """The specs of one kind in a catalog, by name: names map to handles.

    >>> spec = cat.collections["acmeCo/orders"].spec
    >>> cat.collections["acmeCo/orders-v2"] = {**spec, "key": ["/id", "/ts"]}
    >>> del cat.collections["acmeCo/orders"]

    ``Specs`` is registered as a ``collections.abc.MutableMapping``
    (``isinstance(cat.collections, MutableMapping)`` is true) and has its
    methods: ``keys``, ``values``, ``items``, ``get``, ``pop``, ``popitem``,
    ``clear``, ``update`` and ``setdefault``. Its values are handles, while
    a spec is set as a dict in the model's (camelCase) form or as the handle
    of a spec of the same kind, maybe of another catalog
    (``other.collections.update(cat.collections)`` copies them); ``pop`` and
    ``popitem`` give the removed spec as such a dict, since its handle would
    point to nothing. Two ``Specs`` are equal only when they are the same
    object.
    """

    def __len__(self) -> int:
        """The number of specs."""

    def __contains__(self, name: object) -> bool:
        """Whether a spec of that name exists."""

    def __getitem__(self, name: str) -> _H:
        """The handle of a spec.

        Raises:
            KeyError: No spec of that name.
        """

    def __setitem__(self, name: str, spec: Mapping[str, Any] | _H) -> None:
        """Replaces (or adds) a spec given in the model's (camelCase) form, or
        copies the spec of a handle of the same kind.

        Raises:
            InvalidNameError: ``name`` is invalid.
            InvalidSpecError: ``spec`` is not a valid spec (the message names the field).
            TypeError: ``spec`` is not JSON, or is the handle of another kind of spec.
        """

    def __delitem__(self, name: str) -> None:
        """Removes a spec.

        Raises:
            KeyError: No spec of that name.
        """

    def __iter__(self) -> Iterator[str]:
        """The names, sorted."""

    def keys(self) -> list[str]:
        """The names, sorted."""

    def values(self) -> list[_H]:
        """The handles, sorted by name."""

    def items(self) -> list[tuple[str, _H]]:
        """``(name, handle)`` pairs, sorted by name."""

    @overload
    def pop(self, name: str) -> dict[str, Any]: ...
    @overload
    def pop(self, name: str, default: _T) -> dict[str, Any] | _T: ...
    def pop(self, name: str, *default: object) -> object:
        """Removes a spec and returns it as a dict in the model's form.

        >>> spec = cat.collections.pop("acmeCo/orders")
        >>> cat.collections["acmeCo/orders-v2"] = spec

        Raises:
            KeyError: No spec of that name, and no ``default``.
        """

    def popitem(self) -> tuple[str, dict[str, Any]]:
        """Removes the first spec (by name); returns its name and the spec as a dict.

        Raises:
            KeyError: There are no specs of this kind.
        """

    def clear(self) -> None:
        """Removes every spec of this kind."""

    def update(
        self,
        other: Specs[_H]
        | Mapping[str, Mapping[str, Any] | _H]
        | Iterable[tuple[str, Mapping[str, Any] | _H]] = ...,
        /,
        **specs: Mapping[str, Any] | _H,
    ) -> None:
        """Sets specs, as ``self[name] = spec`` does, from a mapping (like
        another catalog's ``Specs``) or ``(name, spec)`` pairs.

        >>> other.collections.update(cat.collections)
        """

    def setdefault(self, name: str, spec: Mapping[str, Any] | _H) -> _H:
        """The handle of ``name``, adding ``spec`` first when there is no such spec."""

    @overload
    def get(self, name: str) -> _H | None: ...
    @overload
    def get(self, name: str, default: _T) -> _H | _T: ...
    def get(self, name: str, default: object = None) -> object:
        """The handle of ``name``, or ``default`` when there is no such spec.

        >>> cat.collections.get("acmeCo/missing") is None
        True
        """

@final
class Capture:
    """A capture in a catalog; ``.binding()`` chains.

    >>> cap = cat.captures["acmeCo/source-postgres"]
    >>> cap.binding({"stream": "customers"}, target="acmeCo/customers")
    <Capture acmeCo/source-postgres: ghcr.io/estuary/source-postgres:v1, 2 bindings>
    """

    @property
    def name(self) -> str:
        """The capture's name."""

    @property
    def catalog(self) -> Catalog:
        """The catalog holding the capture."""

    @property
    def spec(self) -> dict[str, Any]:
        """The spec as a dict in the model's (camelCase) form; assign a dict to replace it.

        >>> spec = cap.spec
        >>> spec["interval"] = "10m"
        >>> cap.spec = spec

        Raises:
            KeyError: (reading) The capture was removed from the catalog.
            InvalidSpecError: (assigning) The dict is not a valid capture spec.
        """

    @spec.setter
    def spec(self, spec: Mapping[str, Any]) -> None: ...
    def binding(self, resource: Resource, target: str, **options: Unpack[_CaptureBindingKeywords]) -> Capture:
        """Adds a binding of an endpoint resource to a collection.

        >>> cap.binding({"stream": "charges", "syncMode": "incremental"}, target="acmeCo/charges")

        Arguments:
            resource: The endpoint resource (connector-specific), or the relative URL
                of a file holding it.
            target: The collection to capture into.
            disable: Disable the binding.
            backfill: Backfill counter; increment it to capture the resource again.

        Returns:
            This handle.

        Raises:
            InvalidSpecError: The capture was removed, or an option is invalid.
            InvalidNameError: ``target`` is not a collection name.
            TypeError: ``resource`` is not JSON.
        """

    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class Collection:
    """A collection in a catalog (a derived one is a ``Derivation``).

    >>> coll = cat.collections["acmeCo/orders"]
    >>> coll.spec["key"]
    ['/id']
    """

    @property
    def name(self) -> str:
        """The collection's name."""

    @property
    def catalog(self) -> Catalog:
        """The catalog holding the collection."""

    @property
    def spec(self) -> dict[str, Any]:
        """The spec as a dict in the model's (camelCase) form; assign a dict to replace it.

        >>> spec = coll.spec
        >>> spec["key"] = ["/id", "/ts"]
        >>> coll.spec = spec

        Raises:
            KeyError: (reading) The collection was removed from the catalog.
            InvalidSpecError: (assigning) The dict is not a valid collection spec.
        """

    @spec.setter
    def spec(self, spec: Mapping[str, Any]) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Derivation(Collection):
    """A derivation in a catalog; ``.transform()`` chains.

    >>> d = cat.derivation("acmeCo/totals", schema=Total, key=["/id"], typescript="totals.flow.ts")
    >>> d.transform("fromOrders", source="acmeCo/orders", shuffle=["/customer_id"])
    <Derivation acmeCo/totals: typescript, 1 transform, key ['/id']>
    """

    def transform(self, name: str, source: Source, **options: Unpack[_TransformOptionsKeywords]) -> Derivation:
        """Adds a transform reading a source collection.

        >>> d.transform("fromItems", source="acmeCo/items", shuffle=["/id"],
        ...             lambda_="SELECT $id AS id;")

        Arguments:
            name: The transform's name, unique in the derivation.
            source: The source collection, by name or with filters.
            shuffle: ``"any"``, key pointers like ``["/id"]``, or ``{"lambda": ...}``.
            lambda_: The lambda (``lambda`` in the model): SQL, or a file URL.
            partitions: Partitions of the source to read.
            not_before: Read documents published at or after this time (RFC 3339).
            not_after: Read documents published at or before this time.
            priority: Priority over other transforms.
            read_delay: Delay reading the source, like ``"1h"``.
            disable: Disable the transform.
            backfill: Backfill counter.

        Returns:
            This handle.

        Raises:
            InvalidSpecError: The derivation was removed, or an option is invalid.
            InvalidNameError: A name or pointer is invalid.
            TypeError: An option is not JSON.
        """

@final
class Materialization:
    """A materialization in a catalog; ``.binding()`` chains.

    >>> m = cat.materializations["acmeCo/to-snowflake"]
    >>> m.binding({"table": "customers"}, source="acmeCo/customers")
    <Materialization acmeCo/to-snowflake: ghcr.io/estuary/materialize-snowflake:v1, 2 bindings>
    """

    @property
    def name(self) -> str:
        """The materialization's name."""

    @property
    def catalog(self) -> Catalog:
        """The catalog holding the materialization."""

    @property
    def spec(self) -> dict[str, Any]:
        """The spec as a dict in the model's (camelCase) form; assign a dict to replace it.

        >>> spec = m.spec
        >>> spec["bindings"][0]["disable"] = True
        >>> m.spec = spec

        Raises:
            KeyError: (reading) The materialization was removed from the catalog.
            InvalidSpecError: (assigning) The dict is not a valid materialization spec.
        """

    @spec.setter
    def spec(self, spec: Mapping[str, Any]) -> None: ...
    def binding(
        self, resource: Resource, source: Source, **options: Unpack[_MaterializationBindingOptionsKeywords]
    ) -> Materialization:
        """Adds a binding of a source collection to an endpoint resource.

        >>> m.binding({"table": "orders"}, source="acmeCo/orders",
        ...           fields={"group_by": ["id"], "exclude": ["internal_note"]})

        Arguments:
            resource: The endpoint resource (connector-specific), or the relative URL
                of a file holding it.
            source: The source collection, by name or with filters.
            partitions: Partitions of the source to read.
            not_before: Read documents published at or after this time (RFC 3339).
            not_after: Read documents published at or before this time.
            fields: Field selection (``recommended`` defaults to ``True``).
            priority: Priority over other bindings.
            backfill: Backfill counter.
            disable: Disable the binding.
            on_incompatible_schema_change: This binding's policy for incompatible
                schema changes.

        Returns:
            This handle.

        Raises:
            InvalidSpecError: The materialization was removed, or an option is invalid.
            InvalidNameError: ``source`` or a field is invalid.
            TypeError: ``resource`` or an option is not JSON.
        """

    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Test:
    """A test in a catalog; ``.ingest()`` and ``.verify()`` chain.

    >>> t = cat.test("acmeCo/tests/totals")
    >>> t.ingest("acmeCo/items", [{"id": "1", "price": 2}]).verify("acmeCo/totals", [{"id": "1", "total": 2}])
    <Test acmeCo/tests/totals: 2 steps>
    """

    @property
    def name(self) -> str:
        """The test's name."""

    @property
    def catalog(self) -> Catalog:
        """The catalog holding the test."""

    @property
    def spec(self) -> dict[str, Any]:
        """The spec as a dict in the model's (camelCase) form; assign a dict to replace it.

        >>> t.spec["steps"][0]["ingest"]["collection"]
        'acmeCo/items'

        Raises:
            KeyError: (reading) The test was removed from the catalog.
            InvalidSpecError: (assigning) The dict is not a valid test spec.
        """

    @spec.setter
    def spec(self, spec: Mapping[str, Any]) -> None: ...
    def ingest(self, collection: str, documents: TestDocuments, **options: Unpack[_IngestOptionsKeywords]) -> Test:
        """Adds a step ingesting documents into a collection.

        >>> t.ingest("acmeCo/items", [{"id": "1", "price": 499}])

        Arguments:
            collection: The collection to ingest into.
            documents: The documents, or the relative URL of a fixture file.
            description: What the step does.

        Returns:
            This handle.

        Raises:
            InvalidSpecError: The test was removed, or an option is invalid.
            InvalidNameError: ``collection`` is not a collection name.
            TypeError: A document is not JSON.
        """

    def verify(self, collection: Source, documents: TestDocuments, **options: Unpack[_VerifyOptionsKeywords]) -> Test:
        """Adds a step verifying that a collection holds documents (in key order).

        >>> t.verify("acmeCo/totals", [{"id": "1", "total": "$5.24"}])

        Arguments:
            collection: The collection to verify.
            documents: The expected documents, or the relative URL of a fixture file.
            partitions: Partitions of the collection to verify.
            description: What the step checks.

        Returns:
            This handle.

        Raises:
            InvalidSpecError: The test was removed, or an option is invalid.
            InvalidNameError: ``collection`` is not a collection name.
            TypeError: A document is not JSON.
        """

    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Diagnostic:
    """One problem found while loading or validating a catalog.

    >>> d = err.diagnostics[0]
    >>> d.scope, d.code
    ('flow://catalog#/collections/acmeCo~1x/key', 'key_empty')
    """

    @property
    def scope(self) -> str:
        """The file URL and JSON pointer of the offending value."""

    @property
    def message(self) -> str:
        """What is wrong, naming the entity and the value."""

    @property
    def code(self) -> str:
        """A stable code for the kind of problem, like ``key_empty``."""

    @property
    def severity(self) -> Literal["error", "warning"]:
        """``"error"`` (the catalog is invalid) or ``"warning"``."""

    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class FlowspecError(Exception):
    """The base of every flowspec error.

    >>> try:
    ...     Catalog().collection("nope", schema={}, key=["/id"])
    ... except FlowspecError as err:
    ...     print(err.code)
    invalid_name
    """

    code: ErrorCode
    """The stable code of the kind of error, one of ``flowspec.codes``, as
    the Rust core and the Node binding name it."""
    diagnostics: list[Diagnostic]
    """The problems of a load, validation or catalog-secrets error (empty
    for others)."""

class InvalidNameError(FlowspecError, ValueError):
    """A catalog name, field or JSON pointer does not follow its rule (code
    ``invalid_name``), whether given to a method, in an option or in a
    loaded file's spec."""

    entity: str
    """The kind of name checked, like ``"collection"``."""
    value: str
    """The rejected value."""

class InvalidSpecError(FlowspecError, ValueError):
    """An option or spec is invalid (code ``invalid_spec``); the message names both.

    Also a spec added under a name already defined (code
    ``name_collision``), an operation on a spec that is not defined (code
    ``reference_undefined``), and a value nested more than 100 levels deep
    or that contains itself (code ``nesting_too_deep``, the code the loader
    gives a document nested too deeply).
    """

class FileError(FlowspecError, OSError):
    """A file cannot be read (code ``io``, or ``sops_io`` for a file of a
    secrets operation).

    An ``OSError`` with ``errno``, ``strerror`` and ``filename``, and also
    the builtin subclass of its errno: a missing file is a
    ``FileNotFoundError``, an unreadable one a ``PermissionError``.

    >>> try:
    ...     Catalog.load("no-such/flow.yaml")
    ... except FileNotFoundError as err:
    ...     print(err.code, err.filename.endswith("flow.yaml"))
    io True
    """

class LoadError(FlowspecError, ValueError):
    """A catalog source cannot be loaded (code ``load``); see ``diagnostics``."""

class ValidationError(FlowspecError, ValueError):
    """The catalog is invalid (code ``validation``); ``diagnostics`` list every problem.

    ``str()`` reads "N validation errors" followed by the diagnostics.
    """

class WriteError(FileError):
    """A catalog cannot be written (code ``write``).

    When the operating system refused, it has the ``errno`` and is also the
    builtin ``OSError`` subclass of it (``PermissionError``...);
    ``filename`` is the file or directory. Otherwise (a layout that cannot
    be written, a file where a directory is needed) ``errno`` is ``None``.
    """

class SecretsError(FlowspecError, ValueError):
    """A sops / age operation failed; ``code`` says which (``sops_...``).

    Or the secrets of a catalog's configs could not be sealed or opened
    (code ``catalog_secrets``); ``diagnostics`` say where and why, with codes
    like ``plaintext_secret`` and ``sops_mac_mismatch``. A file that cannot
    be read or written raises ``FileError`` (code ``sops_io``) instead.
    """

def _codes() -> list[tuple[str, str, str]]:
    """The registry of codes, as ``(code, group, description)`` (see ``flowspec.codes``)."""

@final
class Secret:
    """A value to be encrypted when the catalog is written.

    ``repr()`` and ``str()`` never show it. ``copy.copy`` and
    ``copy.deepcopy`` keep it (a copy is the same secret), and ``json.dumps``
    refuses it (a ``TypeError``) rather than write it out. A secret that
    reached JSON another way (through the TypeScript binding, or Rust's
    ``serde_json``) is ``{"$secret": "flowspec-sealed:v1:..."}``: sealed
    under a key of the process that made it, it is a secret again within
    that process, and an error anywhere else.

    >>> token = Secret("sk_live_123")
    >>> token
    Secret('<redacted>')
    """

    def __init__(self, value: JSONValue) -> None: ...
    def reveal(self) -> Any:
        """The secret value itself.

        >>> Secret("sk_live_123").reveal()
        'sk_live_123'
        """

JSONValue = str | int | float | bool | None | Mapping[str, Any] | Sequence[Any]

def secret(value: JSONValue) -> Secret:
    """Marks a config value as secret.

    When the catalog is written, ``access_token: secret("sk_...")`` becomes
    ``access_token_sops: ENC[...]``, encrypted with sops to the age recipients
    (Estuary strips the ``_sops`` suffix before the connector sees it).

    >>> cat.capture("acmeCo/source-stripe", image="ghcr.io/estuary/source-stripe-native:dev",
    ...             config={"credentials": {"access_token": secret("sk_live_123")}})
    """

def encrypt(
    document: Mapping[str, Any],
    *,
    recipients: Sequence[str] | None = None,
    encrypted_suffix: str | None = None,
    unencrypted_suffix: str | None = None,
    encrypted_regex: str | None = None,
    unencrypted_regex: str | None = None,
    mac_only_encrypted: bool = False,
    path: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Encrypts a document in the sops format (as sops >= 3.13 writes it) for age recipients.

    >>> sealed = encrypt({"password_sops": "hunter2"}, recipients=["age1..."], encrypted_suffix="_sops")

    Arguments:
        document: A JSON object; key order is kept (the MAC depends on it).
        recipients: age public keys. Without them, ``SOPS_AGE_RECIPIENTS`` and
            then the ``.sops.yaml`` creation rule matching ``path``.
        encrypted_suffix: Encrypt only values under keys ending with it (at most one rule).
        unencrypted_suffix: Encrypt all but values under keys ending with it.
        encrypted_regex: Encrypt only values under keys matching it.
        unencrypted_regex: Encrypt all but values under keys matching it.
        mac_only_encrypted: Compute the MAC over the encrypted values only.
        path: The file the document is for, to pick the ``.sops.yaml`` rule.

    Returns:
        The encrypted document, with its ``sops`` metadata.

    Raises:
        SecretsError: No recipients, an invalid recipient or rule, or a ``sops`` key.
        TypeError: ``recipients`` is not a list of strings.
    """

def decrypt(
    document: Mapping[str, Any],
    *,
    identity: str | None = None,
    key_file: str | os.PathLike[str] | None = None,
    strip_suffix: bool = False,
) -> dict[str, Any]:
    """Decrypts a sops document, verifying its MAC.

    >>> decrypt(sealed, key_file="keys.txt")
    {'password_sops': 'hunter2'}

    Arguments:
        document: The encrypted document, with its ``sops`` metadata.
        identity: The text of age secret keys (``AGE-SECRET-KEY-1...``).
        key_file: A file of age secret keys. Without either, the keys are
            found as sops finds them.
        strip_suffix: Remove the ``encrypted_suffix`` from every key, as
            Estuary does.

    Raises:
        SecretsError: No identity matches, the MAC or a value was tampered
            with, or the document is malformed; nothing is returned half-decrypted.
    """

def encrypt_file(
    path: str | os.PathLike[str],
    *,
    recipients: Sequence[str] | None = None,
    encrypted_suffix: str | None = None,
    unencrypted_suffix: str | None = None,
    encrypted_regex: str | None = None,
    unencrypted_regex: str | None = None,
    mac_only_encrypted: bool = False,
    input_type: Literal["json", "yaml"] | None = None,
    in_place: bool = False,
) -> str:
    """Encrypts a JSON or YAML file as ``sops --encrypt`` does; returns the encrypted text.

    >>> text = encrypt_file("config.yaml", recipients=["age1..."], in_place=True)

    Arguments:
        path: The file.
        input_type: ``"json"`` or ``"yaml"``; by default from the extension.
        in_place: Also replace the file (atomically).

    Raises:
        SecretsError: As ``encrypt``, or the file cannot be read or parsed.
        TypeError: ``recipients`` is not a list of strings.
    """

def decrypt_file(
    path: str | os.PathLike[str],
    *,
    identity: str | None = None,
    key_file: str | os.PathLike[str] | None = None,
    strip_suffix: bool = False,
    input_type: Literal["json", "yaml"] | None = None,
) -> dict[str, Any]:
    """Decrypts a sops file (JSON or YAML), verifying its MAC; returns the document.

    >>> decrypt_file("config.sops.yaml", key_file="keys.txt")

    Raises:
        SecretsError: As ``decrypt``, or the file cannot be read or parsed.
    """

class ControlPlaneError(FlowspecError):
    """A call to the control plane failed; ``code`` says how.

    ``not_authenticated``, ``control_plane_refused``,
    ``control_plane_unreachable``, ``publication_failed`` (``diagnostics`` are
    the control plane's errors, scoped ``flow://<type>/<name>#<pointer>``),
    ``config_encryption_failed``, ``data_plane_invalid``,
    ``live_spec_not_found``, ``publish_cancelled``, ``profile_invalid``,
    ``auth_token_invalid``...
    """

@final
class LocalControlPlane:
    """A control plane on this machine: Estuary's API over loopback HTTP,
    backed by SQLite, on free ports unless given.

    >>> with LocalControlPlane() as plane:
    ...     cat.publish(control_plane=plane)
    """

    def __init__(
        self,
        *,
        db: str | os.PathLike[str] | None = None,
        pg_port: int = 0,
        agent_port: int = 0,
        encryption_port: int = 0,
    ) -> None: ...
    def start(self) -> None:
        """Starts serving (nothing happens if it already is)."""

    def stop(self) -> None:
        """Stops serving (nothing happens if it is not)."""

    def __enter__(self) -> LocalControlPlane: ...
    def __exit__(self, *args: object) -> bool: ...
    @property
    def running(self) -> bool:
        """Whether it is serving."""

    @property
    def pg_url(self) -> str:
        """Its PostgREST URL."""

    @property
    def agent_url(self) -> str:
        """Its agent API URL."""

    @property
    def config_encryption_url(self) -> str:
        """Its config-encryption service's URL."""

    @property
    def flow_auth_token(self) -> str:
        """A refresh token of its user, as ``FLOW_AUTH_TOKEN`` takes it."""

    def options(self) -> ControlPlaneOptions:
        """Its endpoints and token, as the ``control_plane=`` option."""

def pull_specs(
    *,
    profile: str | None = None,
    control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
    names: Sequence[str] | None = None,
    prefixes: Sequence[str] | None = None,
    kinds: Sequence[Literal["capture", "collection", "materialization", "test"]] | None = None,
    target: str | None = None,
    overwrite: bool = False,
    flat: bool = False,
) -> PulledSpecs:
    """Pulls live specs into local catalog files, as ``flowctl catalog
    pull-specs`` does: new specs in flowctl's canonical layout (or the target
    file with ``flat=True``), specs already local left as they are (or
    replaced in place with ``overwrite=True``), each carrying ``expectPubId``.

    >>> pull_specs(control_plane=plane, prefixes=["acmeCo/"], target="pulled/flow.yaml")["written"]
    4

    Raises:
        ControlPlaneError: A name is not live (``live_spec_not_found``), or
            the control plane could not be reached.
    """

def pull_specs_async(
    *,
    profile: str | None = None,
    control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
    names: Sequence[str] | None = None,
    prefixes: Sequence[str] | None = None,
    kinds: Sequence[Literal["capture", "collection", "materialization", "test"]] | None = None,
    target: str | None = None,
    overwrite: bool = False,
    flat: bool = False,
) -> Coroutine[Any, Any, PulledSpecs]:
    """``pull_specs``, awaitable."""

def generate(
    source: str | os.PathLike[str],
    *,
    root: str | None = None,
    dry_run: bool = False,
) -> list[GeneratedFile]:
    """Writes what ``flowctl generate`` writes, without Docker: the TypeScript
    types of each TypeScript derivation (``flow_generated/typescript/``),
    ``deno.json``, and a stub for each module, migration or lambda whose file
    is missing. Existing modules are never overwritten; nothing is written
    outside the project root.

    >>> [f["kind"] for f in flowspec.generate("flow.yaml")]
    ['types', 'stub', 'denoJson']
    """

def list_specs(
    *,
    profile: str | None = None,
    control_plane: ControlPlaneOptions | LocalControlPlane | None = None,
    names: Sequence[str] | None = None,
    prefixes: Sequence[str] | None = None,
    kinds: Sequence[Literal["capture", "collection", "materialization", "test"]] | None = None,
) -> list[LiveSpecInfo]:
    """Lists live specs, sorted by name."""

def age_keygen(path: str | os.PathLike[str] | None = None, *, overwrite: bool = False) -> str:
    """Writes a new age identity file, readable only by its owner; returns its recipient.

    >>> age_keygen("keys.txt")
    'age1...'

    Arguments:
        path: Where to write it; by default sops' ``keys.txt`` under the user
            config directory.
        overwrite: Replace an existing file.

    Raises:
        SecretsError: The file exists (and not ``overwrite``) or cannot be written.
    """
