"""Types of flowspec's options, for annotations and type checkers.

They are generated from the Rust core's types, so that they have the names
and fields the core has (and the TypeScript binding has): an option object
such as ``CaptureOptions`` types the keyword arguments of a call
(``Catalog.capture(name, **options)``), and a structured value such as
``ShardTemplate`` types one option.

Keys are snake_case (``min_txn_duration``, ``group_by``), as keyword
arguments are: flowspec turns them into the model's camelCase. The model's
own camelCase spelling (``minTxnDuration``, as a spec's dict has it) is
accepted too, at run time, in every structured option: a dict copied from a
``.spec`` can be passed back as it is. Giving one key in both spellings is
an error that names both. Opaque values (connector configs, resources,
schemas, documents, field names) are passed through untouched.

>>> from flowspec import ShardTemplate
>>> shards: ShardTemplate = {"min_txn_duration": "1s", "log_level": "debug"}
"""

from typing import Any, List, Literal, Mapping, Sequence, Tuple, Type, TypedDict, Union

__all__ = ["JsonObject", "Schema"]

JsonObject = Mapping[str, Any]
"""A JSON object: a dict (or other mapping) of str keys to JSON values."""

Schema = Union[Mapping[str, Any], str, bool, Type[Any]]
"""A collection schema: a dict, a JSON-schema string, a file reference (a
string without whitespace), ``True`` / ``False``, a pydantic model class, or a
dataclass / TypedDict (through pydantic). On Python < 3.12, define a TypedDict
with ``typing_extensions.TypedDict``: pydantic refuses ``typing.TypedDict``
there."""

__all__ += ["Publication", "PublishedSpec", "LogLine", "LiveSpecInfo", "PulledSpecs", "Plan", "SpecPlan", "PlanChange"]


class PublishedSpec(TypedDict):
    """A spec of a publication: its name, and its type (``None`` for a deletion)."""

    catalog_name: str
    spec_type: Union[str, None]


class LogLine(TypedDict):
    """A line of a publication's logs."""

    logged_at: str
    stream: str
    log_line: str


class Publication(TypedDict):
    """What ``Catalog.publish`` / ``Catalog.test_remote`` did.

    ``status`` is ``"success"``, or ``"nothingToPublish"`` when every spec
    equals the live one; ``pub_id`` is the publication id the specs now carry
    (``None`` for a dry run); ``updated_files`` are the source files whose
    ``expectPubId`` values were set to it.
    """

    status: str
    dry_run: bool
    draft_id: Union[str, None]
    publication_id: Union[str, None]
    pub_id: Union[str, None]
    specs: List[PublishedSpec]
    pruned: List[str]
    logs: List[LogLine]
    updated_files: List[str]


class PlanChange(TypedDict, total=False):
    """A location that differs: ``old`` is the live value, ``new`` the
    catalog's. A secret (``secret*`` kinds) never carries values, nor does a
    config of a connector the control plane does not know."""

    ptr: str
    kind: Literal["added", "removed", "changed", "secretAdded", "secretRemoved", "secretChanged"]
    old: Any
    new: Any


class SpecPlan(TypedDict):
    """What a publication would do to one spec, and the locations that differ."""

    catalog_name: str
    spec_type: Literal["capture", "collection", "materialization", "test"]
    action: Literal["create", "update", "delete", "unchanged"]
    changes: List[PlanChange]


class Plan(TypedDict):
    """What publishing a catalog would change (``Catalog.plan``): every spec of
    the catalog in name order, ``has_changes``, ``summary`` (``Plan: N to
    create, …``) and ``report`` (what ``flowspec catalog diff`` prints)."""

    specs: List[SpecPlan]
    has_changes: bool
    summary: str
    report: str


class LiveSpecInfo(TypedDict):
    """A live spec, as ``list_specs`` and ``pull_specs`` report it."""

    catalog_name: str
    catalog_type: str
    last_pub_id: str
    updated_at: str
    data_plane_id: Union[str, None]
    is_disabled: bool


class PulledSpecs(TypedDict):
    """What ``pull_specs`` did: the specs pulled, how many were written, and the files."""

    written: int
    specs: List[LiveSpecInfo]
    files: List[str]


__all__ += ["TestRunResults", "TestRunResult", "TestFailure", "TestMismatch", "GeneratedFile"]


class GeneratedFile(TypedDict):
    """A file ``generate`` wrote: its path, and ``kind``: ``"types"``,
    ``"denoJson"`` or ``"stub"``."""

    path: str
    kind: Literal["types", "denoJson", "stub"]


class _TestMismatchRequired(TypedDict):
    kind: Literal["mismatched", "missing", "unexpected"]
    index: int


class TestMismatch(_TestMismatchRequired, total=False):
    """A difference of a verify step, at an index of the key-ordered documents:
    ``mismatched`` (``actual``, ``expected`` and each ``differences`` line),
    ``missing`` (``expected``) or ``unexpected`` (``actual``)."""

    actual: Any
    expected: Any
    differences: List[str]


class _TestFailureRequired(TypedDict):
    step: int
    scope: str
    pointer: str
    message: str


class TestFailure(_TestFailureRequired, total=False):
    """Why a test failed: the step's index, scope and JSON pointer, and what happened."""

    mismatches: List[TestMismatch]


class _TestRunResultRequired(TypedDict):
    test: str
    scope: str
    path: str
    passed: bool


class TestRunResult(_TestRunResultRequired, total=False):
    """The result of one catalog test; ``failure`` when it failed."""

    failure: TestFailure


class TestRunResults(TypedDict):
    """What ``Catalog.run_tests`` found: ``ok`` when every test passed, the counts,
    ``summary`` (``Ran N tests, P passed, F failed``), ``report`` (what
    ``flowspec catalog test`` prints) and a result per test."""

    ok: bool
    passed: int
    failed: int
    summary: str
    report: str
    tests: List[TestRunResult]


# BEGIN GENERATED types, from the core's JSON schema (flowspec::json_api::schema).
# Do not edit: change the core's types, then run `FLOWSPEC_BLESS=1 cargo test -p flowspec --lib json_api::surface`.


class AgeKeygenOptions(TypedDict, total=False):
    """Options of the bindings' `age_keygen` / `ageKeygen` (see `age_keygen`)."""

    # Replace an existing file. Default `false`.
    overwrite: bool


class AutoDiscover(TypedDict, total=False):
    """Auto-discovery

    What to do when the connector discovers new or changed resources.
    """

    # Add bindings for newly discovered resources.
    add_new_bindings: bool
    # Re-create collections whose discovered schema is incompatible.
    evolve_incompatible_collections: bool


AutoDiscoverOption = Union[bool, AutoDiscover]
"""Auto-discovery: on or off, or its settings."""


Resource = Union[JsonObject, str]
"""Endpoint resource

An object (connector-specific), or the relative URL of a file that holds it.
"""


class _CaptureBindingRequired(TypedDict):
    # Endpoint resource to capture.
    #
    # An object, or the relative URL of a file that holds it.
    resource: Resource
    # Collection to capture into.
    target: str


class CaptureBinding(_CaptureBindingRequired, total=False):
    """Capture binding

    Binds an endpoint resource to a target collection.
    """

    # Disable this binding.
    #
    # A disabled binding records a discovered resource that is not captured.
    disable: bool
    # Backfill counter.
    #
    # Increment it to capture the resource again from the start.
    backfill: int


Config = Union[JsonObject, str]
"""Connector configuration

An object, or the relative URL of a YAML or JSON file that holds it.
"""


class _LocalConfigRequired(TypedDict):
    # Command and arguments.
    #
    # A bare name is found on `$PATH`; a path with `/` is relative to the catalog file.
    command: Union[List[str], Tuple[str, ...]]
    # Connector configuration, inline or a file URL.
    config: Config


class LocalConfig(_LocalConfigRequired, total=False):
    """Local command

    A connector run as a local command, for development only.
    """

    # Environment variables of the command.
    env: Mapping[str, str]
    # Speak protobuf rather than JSON to the command.
    protobuf: bool


LogLevel = Literal["error", "warn", "info", "debug", "trace"]
"""Log level"""


class ShardTemplate(TypedDict, total=False):
    """Shard template

    How the shards of a task run. Most fields are experimental; leave them
    out unless you know you need them.
    """

    # Disable the task.
    #
    # A disabled task does not run and is not validated by its connector.
    disable: bool
    # Minimum duration of a task transaction (default 0).
    min_txn_duration: str
    # Maximum duration of a task transaction.
    #
    # The default is 5m for materializations and 1s for captures and derivations.
    max_txn_duration: str
    # Number of hot standby replicas.
    hot_standbys: int
    # Size of the ring buffer of sequenced documents (default 65536).
    ring_buffer_size: int
    # Size of the channel of read documents (default 4096).
    read_channel_size: int
    # Log level of the task's connector (default info).
    log_level: LogLevel


class CaptureOptions(TypedDict, total=False):
    """Options of a capture: `image` and `config` (or `local`), and the rest
    of `CaptureDef`.
    """

    # Connector image.
    image: str
    # Connector configuration (default `{}`): an object, or the relative
    # URL of a file that holds it (sops-encrypted, typically).
    config: Config
    # A local command instead of an image.
    local: LocalConfig
    # Bindings (or add them with `binding`).
    bindings: Sequence[CaptureBinding]
    # Interval between runs of connectors that exit, like `10m` (default
    # `5m`).
    interval: str
    # Auto-discovery: `true` for the default settings, or the settings.
    auto_discover: AutoDiscoverOption
    # Shard template.
    shards: ShardTemplate
    # Expected last publication id (16 hex digits).
    expect_pub_id: str
    # Delete the capture.
    delete: bool
    # Delete and re-create the capture in one publication.
    reset: bool
    # Salt for `sha256` redaction (base64).
    redact_salt: str


class CatalogOptions(TypedDict, total=False):
    """Options of `new_catalog`: where relative file references resolve
    (`baseDir`), and the `root` they must stay in.
    """

    # The directory that relative file references of the catalog's specs
    # (a schema file, a TypeScript module, ...) resolve against: typically
    # the directory it will be written to. Default: the current directory.
    base_dir: str
    # The directory file references must stay in. Default: the base
    # directory.
    root: str
    # Refuse to read files outside of the root, rather than warn. Default
    # `false`.
    deny_outside_root: bool


CompressionCodec = Literal["NONE", "GZIP", "ZSTANDARD", "SNAPPY", "GZIP_OFFLOAD_DECOMPRESSION"]
"""Compression codec"""


class FragmentTemplate(TypedDict, total=False):
    """Fragment template"""

    # Target fragment size, in megabytes (32 to 4096; default 512).
    length: int
    # Compression codec of fragments.
    compression_codec: CompressionCodec
    # How long fragments are kept.
    retention: str
    # How often a fragment is flushed to storage.
    flush_interval: str


class JournalTemplate(TypedDict):
    """Journal template

    How the collection's journals store fragments.
    """

    # Fragment settings.
    fragments: FragmentTemplate


class _ProjectionLocationRequired(TypedDict):
    # Location of the projected field.
    location: str


class _ProjectionLocation(_ProjectionLocationRequired, total=False):
    """A location that may be a logical partition."""

    # Whether the field is a logical partition.
    partition: bool


Projection = Union[str, _ProjectionLocation]
"""Projection

A document location, as a JSON pointer, or `{location, partition}` to make
the field a logical partition.
"""


class _CollectionOptionsRequired(TypedDict):
    # Composite key, as JSON pointers.
    key: Union[List[str], Tuple[str, ...]]


class CollectionOptions(_CollectionOptionsRequired, total=False):
    """Options of a collection: the fields of `CollectionDef` but `derive`."""

    # Schema of the documents: an object (or `true`), or the relative URL of
    # a schema file. Or give `writeSchema` and `readSchema`.
    schema: Schema
    # Schema of documents as they are written (with `readSchema`).
    write_schema: Schema
    # Schema of documents as they are read (with `writeSchema`).
    read_schema: Schema
    # Projections: field name to a JSON pointer or `{location, partition}`.
    projections: Mapping[str, Projection]
    # Journal template.
    journals: JournalTemplate
    # Expected last publication id.
    expect_pub_id: str
    # Delete the collection.
    delete: bool


class ConnectorConfig(TypedDict):
    """Connector

    A connector image and its configuration.
    """

    # Connector image, like `ghcr.io/estuary/source-postgres:v1`.
    image: str
    # Connector configuration.
    #
    # An object, or the relative URL of a YAML or JSON file that holds it.
    config: Config


class _ControlPlaneOptionsRequired(TypedDict):
    # PostgREST's URL (`…/rest/v1`).
    pg_url: str
    # The agent API's URL.
    agent_url: str
    # The config-encryption service's URL.
    config_encryption_url: str
    # A base64 refresh token or a JWT access token.
    auth_token: str


class ControlPlaneOptions(_ControlPlaneOptionsRequired, total=False):
    """A control plane by its endpoints and a token: what a local control
    plane started from code gives (`LocalControlPlane.options()`).
    """

    # PostgREST's public key (default: the local one).
    pg_public_token: str


Format = Literal["json", "yaml"]
"""Format

A file format: `json` or `yaml`.
"""


class DecryptFileOptions(TypedDict, total=False):
    """Options of `decrypt_file`: those of `DecryptOptions`, plus the
    file's format (`inputType`, else from its extension).
    """

    # age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    # allowed).
    identity: str
    # A file of age secret keys.
    key_file: str
    # Remove the file's `encrypted_suffix` from every key. Default `false`.
    strip_suffix: bool
    # The file's format. Default: from its extension.
    input_type: Format


class DecryptOptions(TypedDict, total=False):
    """Options of `decrypt` (a document): `identity` (the text of age secret
    keys) or `keyFile`, else the identities found as sops finds them
    (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`,
    `~/.config/sops/age/keys.txt`); `stripSuffix` removes Estuary's `_sops`
    suffix from keys.
    """

    # age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    # allowed).
    identity: str
    # A file of age secret keys.
    key_file: str
    # Remove the file's `encrypted_suffix` (like `_sops`) from every key,
    # as Estuary's runtime does. Default `false`.
    strip_suffix: bool


class DecryptSecretsOptions(TypedDict, total=False):
    """Options of `decrypt_secrets`: the identities to use, as for
    `DecryptOptions`. A catalog keeps its `_sops` keys, so that writing it
    encrypts them again: there is no `stripSuffix`.
    """

    # age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    # allowed).
    identity: str
    # A file of age secret keys.
    key_file: str


class DekafConfig(TypedDict):
    """Dekaf

    A Dekaf materialization: Estuary's Kafka-compatible endpoint.
    """

    # Dekaf variant, like `clickhouse`.
    variant: str
    # Dekaf configuration, inline or a file URL.
    config: Config


class _PythonModuleRequired(TypedDict):
    # Python module: inline code or a relative file URL.
    module: str


class PythonModule(_PythonModuleRequired, total=False):
    """Python runtime"""

    # Python package dependencies and their version specifiers.
    dependencies: Mapping[str, str]


class SqliteMigrations(TypedDict, total=False):
    """SQLite runtime"""

    # Migrations, applied in order: inline SQL or relative file URLs.
    migrations: Union[List[str], Tuple[str, ...]]


class TypescriptModule(TypedDict):
    """TypeScript runtime"""

    # TypeScript module: inline code or a relative file URL.
    module: str


class _DeriveUsingConnector(TypedDict):
    """A derivation connector image."""

    connector: ConnectorConfig


class _DeriveUsingSqlite(TypedDict):
    """SQLite: migrations, and a SQL lambda per transform."""

    sqlite: SqliteMigrations


class _DeriveUsingTypescript(TypedDict):
    """TypeScript: a module exporting a `Derivation` class."""

    typescript: TypescriptModule


class _DeriveUsingPython(TypedDict):
    """Python: a module exporting a `Derivation` class."""

    python: PythonModule


class _DeriveUsingLocal(TypedDict):
    """A local command (development only)."""

    local: LocalConfig


DeriveUsing = Union[_DeriveUsingConnector, _DeriveUsingSqlite, _DeriveUsingTypescript, _DeriveUsingPython, _DeriveUsingLocal]
"""Derivation runtime"""


ModuleOption = Union[str, PythonModule]
"""A module: its code or file URL, or an object."""


ShuffleType = Literal["boolean", "integer", "string"]
"""Shuffle key type"""


SqliteOption = Union[List[str], Tuple[str, ...], SqliteMigrations]
"""SQLite migrations: a list, or `{migrations}`."""


class PartitionSelector(TypedDict, total=False):
    """Partition selector

    Selects logical partitions by their field values. A document is included
    when, for every field of `include`, its value is one of those listed, and
    it is excluded when any field of `exclude` matches.
    """

    # Partition field values to include.
    include: Mapping[str, Sequence[Any]]
    # Partition field values to exclude.
    exclude: Mapping[str, Sequence[Any]]


class _ShuffleKey(TypedDict):
    """Shuffle by these document locations."""

    key: Union[List[str], Tuple[str, ...]]


_ShuffleLambda = TypedDict(
    "_ShuffleLambda",
    {
        "lambda": Any,
    },
)
"""Shuffle by a key computed by a lambda: inline code or a file URL."""


Shuffle = Union[Literal["any"], _ShuffleKey, _ShuffleLambda]
"""Shuffle

`any` to process documents on any shard, `{key: [pointers]}` to shuffle by
extracted keys, or `{lambda: ...}` to shuffle by a computed key.
"""


ShuffleOption = Union[List[str], Tuple[str, ...], Shuffle]
"""A shuffle: `"any"`, key pointers, or the model's form."""


class _FullSourceRequired(TypedDict):
    # Name of the collection.
    name: str


class FullSource(_FullSourceRequired, total=False):
    """Source with filters

    A collection with an optional partition selector and publish-time window.
    """

    # Partitions to read.
    #
    # Only documents of matching logical partitions are read.
    partitions: PartitionSelector
    # Read only documents published at or after this time.
    #
    # Changing it does not re-process documents.
    not_before: str
    # Read only documents published at or before this time.
    not_after: str


Source = Union[str, FullSource]
"""Source

A source collection: its name, or `{name, partitions, notBefore, notAfter}`
to select partitions and a publish-time window.
"""


_TransformOptionsOptional = TypedDict(
    "_TransformOptionsOptional",
    {
        "partitions": PartitionSelector,
        "not_before": str,
        "not_after": str,
        "shuffle": ShuffleOption,
        "lambda": Any,
        "priority": int,
        "read_delay": str,
        "disable": bool,
        "backfill": int,
    },
    total=False,
)


class TransformOptions(_TransformOptionsOptional):
    """Options of a transform: `TransformDef`, with `source` as a name plus
    optional `partitions`, `notBefore` and `notAfter`, and `shuffle` as
    `"any"`, a list of key pointers, `{key}` or `{lambda}`.
    """

    # Transform name, unique within the derivation.
    name: str
    # Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
    source: Source


class _DerivationOptionsRequired(TypedDict):
    # Composite key, as JSON pointers.
    key: Union[List[str], Tuple[str, ...]]


class DerivationOptions(_DerivationOptionsRequired, total=False):
    """Options of a derivation: a collection's options, exactly one runtime
    (`typescript`, `sqlite`, `python`, `connector`, `local` or the model's
    `using`), and the rest of `Derivation`.
    """

    # Schema of the documents: an object (or `true`), or the relative URL of
    # a schema file. Or give `writeSchema` and `readSchema`.
    schema: Schema
    # Schema of documents as they are written (with `readSchema`).
    write_schema: Schema
    # Schema of documents as they are read (with `writeSchema`).
    read_schema: Schema
    # Projections: field name to a JSON pointer or `{location, partition}`.
    projections: Mapping[str, Projection]
    # Journal template.
    journals: JournalTemplate
    # Expected last publication id.
    expect_pub_id: str
    # Delete the derivation.
    delete: bool
    # TypeScript: the module's file URL (or code), or `{module}`.
    typescript: ModuleOption
    # SQLite: the migrations (file URLs or SQL; `[]` for none), or
    # `{migrations}`.
    sqlite: SqliteOption
    # Python: the module's file URL (or code), or `{module, dependencies}`.
    python: ModuleOption
    # A derivation connector image and its config.
    connector: ConnectorConfig
    # A local command.
    local: LocalConfig
    # The runtime in the model's form, like `{sqlite: {migrations: []}}`.
    using: DeriveUsing
    # Transforms (or add them with `transform`).
    transforms: Sequence[TransformOptions]
    # Types of the shuffle key's components, when they cannot be inferred.
    shuffle_key_types: Sequence[ShuffleType]
    # Shard template.
    shards: ShardTemplate
    # Salt for `sha256` redaction (base64).
    redact_salt: str


class EncryptFileOptions(TypedDict, total=False):
    """Options of `encrypt_file`: those of `EncryptOptions` but `path`,
    plus the file's format (`inputType`, else from its extension) and
    `inPlace`.
    """

    # age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then the
    # `.sops.yaml` creation rule matching the file.
    recipients: Union[List[str], Tuple[str, ...]]
    # Encrypt only the values under keys with this suffix, like `_sops`.
    encrypted_suffix: str
    # Encrypt every value but those under keys with this suffix.
    unencrypted_suffix: str
    # Encrypt only the values under keys matching this regex.
    encrypted_regex: str
    # Encrypt every value but those under keys matching this regex.
    unencrypted_regex: str
    # Compute the MAC over the encrypted values only. Default `false`.
    mac_only_encrypted: bool
    # The file's format. Default: from its extension.
    input_type: Format
    # Replace the file with the encrypted text (atomically). Default
    # `false`.
    in_place: bool


class EncryptOptions(TypedDict, total=False):
    """Options of `encrypt` (a document), as sops' flags: `recipients` (age
    public keys), at most one rule, `macOnlyEncrypted`, and the `path` whose
    `.sops.yaml` creation rule applies.

    Without recipients, `SOPS_AGE_RECIPIENTS` and then the `.sops.yaml`
    creation rule matching `path` are used.
    """

    # age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then the
    # `.sops.yaml` creation rule matching `path`.
    recipients: Union[List[str], Tuple[str, ...]]
    # Encrypt only the values under keys with this suffix, like `_sops`.
    encrypted_suffix: str
    # Encrypt every value but those under keys with this suffix.
    unencrypted_suffix: str
    # Encrypt only the values under keys matching this regex.
    encrypted_regex: str
    # Encrypt every value but those under keys matching this regex.
    unencrypted_regex: str
    # Compute the MAC over the encrypted values only, so that plaintext
    # values can be edited. Default `false`.
    mac_only_encrypted: bool
    # The file whose `.sops.yaml` creation rule applies (no file is read).
    path: str


class GenerateOptions(TypedDict, total=False):
    """Options of `generate`."""

    # The catalog file (default: the file the catalog was loaded from).
    source: str
    # The project root (default: the source's directory, up through each
    # parent that also holds a `flow.yaml`).
    root: str
    # Say what would be written, and write nothing.
    dry_run: bool


TestDocuments = Union[str, Sequence[Any]]
"""Test documents

An array of documents, or the relative URL of a JSON or YAML file holding one.
"""


class _IngestOptionsRequired(TypedDict):
    # Collection to ingest into.
    collection: str
    # Documents, or the URL of a fixture file.
    documents: TestDocuments


class IngestOptions(_IngestOptionsRequired, total=False):
    """Options of an ingest step."""

    # What the step does.
    description: str


LayoutOption = Literal["flat", "canonical"]
"""A layout, as the bindings name it."""


class LoadOptions(TypedDict, total=False):
    """Options of `load`: `decrypt` (decrypt the encrypted configs after
    loading), with the `identity` (text of age secret keys) or `keyFile` to
    use, else the identities sops would find; the `root` directory file
    references must stay in, and `denyOutsideRoot` to refuse those that do
    not (see `LoadOptions`).
    """

    # Decrypt the sops-encrypted configs after loading. Default `false`.
    decrypt: bool
    # With `decrypt`: age secret keys, one `AGE-SECRET-KEY-1...` per line
    # (`#` comments allowed).
    identity: str
    # With `decrypt`: a file of age secret keys.
    key_file: str
    # The directory file references must stay in. Default: the project
    # root, as `flowctl generate` finds it (the file's directory, and up
    # through each parent that also holds a `flow.yaml`).
    root: str
    # Refuse to read files outside of the root, rather than warn. Default
    # `false`.
    deny_outside_root: bool


RecommendedDepth = Union[bool, int]
"""Recommended fields

`true`, `false`, or a depth.
"""


class MaterializationFieldsOptions(TypedDict, total=False):
    """Field selection, with `recommended` defaulting to `true` (the model's
    `MaterializationFields` requires it).
    """

    # Fields of the materialized key.
    group_by: Union[List[str], Tuple[str, ...]]
    # Fields to include, with their configuration (`include` is an older
    # spelling).
    require: Mapping[str, Any]
    # Fields to exclude.
    exclude: Union[List[str], Tuple[str, ...]]
    # Recommended fields: `true` (default), `false`, or a depth.
    recommended: RecommendedDepth


OnIncompatibleSchemaChange = Literal["abort", "backfill", "disableBinding", "disableTask"]
"""Incompatible schema change policy"""


class _MaterializationBindingOptionsRequired(TypedDict):
    # Endpoint resource, like `{table: "orders"}`, or a file URL.
    resource: Resource
    # Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
    source: Source


class MaterializationBindingOptions(_MaterializationBindingOptionsRequired, total=False):
    """Options of a materialization binding: `MaterializationBinding`, with
    `source` as a name plus optional filters, and `fields` whose
    `recommended` defaults to `true`.
    """

    # Partitions of the source to read.
    partitions: PartitionSelector
    # Read documents published at or after this time (RFC 3339).
    not_before: str
    # Read documents published at or before this time (RFC 3339).
    not_after: str
    # Field selection (`recommended` defaults to `true`).
    fields: MaterializationFieldsOptions
    # Priority over other bindings (default 0).
    priority: int
    # Backfill counter.
    backfill: int
    # Disable the binding.
    disable: bool
    # What to do when this binding's source schema changes incompatibly.
    on_incompatible_schema_change: OnIncompatibleSchemaChange


TargetNaming = Literal["noSchema", "withSchema", "prefixSchema", "prefixNonDefaultSchema"]
"""Target naming"""


class SourceCaptureDef(TypedDict, total=False):
    """Source capture settings"""

    # Capture whose bindings are materialized.
    capture: str
    # How target resources are named.
    target_naming: TargetNaming
    # Materialize new bindings with delta updates.
    delta_updates: bool
    # Recommended fields of new bindings.
    fields_recommended: RecommendedDepth


SourceCapture = Union[str, SourceCaptureDef]
"""Source capture

A capture name, or settings of how its bindings are materialized.
"""


class MaterializationOptions(TypedDict, total=False):
    """Options of a materialization: `image` and `config` (or `dekaf` or
    `local`), and the rest of `MaterializationDef`.
    """

    # Connector image.
    image: str
    # Connector configuration (default `{}`): an object, or the relative
    # URL of a file that holds it.
    config: Config
    # Dekaf instead of an image.
    dekaf: DekafConfig
    # A local command instead of an image.
    local: LocalConfig
    # Capture whose bindings are materialized: a name or its settings
    # (`source` is an older spelling).
    source_capture: SourceCapture
    # What to do when a source schema changes incompatibly (default
    # `backfill`).
    on_incompatible_schema_change: OnIncompatibleSchemaChange
    # Bindings (or add them with `binding`).
    bindings: Sequence[MaterializationBindingOptions]
    # Shard template.
    shards: ShardTemplate
    # Expected last publication id.
    expect_pub_id: str
    # Delete the materialization.
    delete: bool


class PlanOptions(TypedDict, total=False):
    """Options of `plan`."""

    # A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
    profile: str
    # A control plane by endpoints and token, rather than a profile.
    control_plane: ControlPlaneOptions
    # The catalog file whose `.sops.yaml` rules apply (default: the
    # current directory's `flow.yaml`).
    source: str
    # age secret keys that open sops-encrypted configs, on either side
    # (else `keyFile`, else those sops finds).
    identity: str
    # A file of age secret keys, as `identity`.
    key_file: str


class PublishOptions(TypedDict, total=False):
    """Options of `publish` and `test_remote`."""

    # A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
    profile: str
    # A control plane by endpoints and token, rather than a profile.
    control_plane: ControlPlaneOptions
    # The data plane of specs that are not live yet.
    default_data_plane: str
    # Stage sops-encrypted configs as they are rather than re-encrypting
    # them through the control plane's service.
    keep_sops: bool
    # The catalog file whose `.sops.yaml` rules apply (default: the
    # current directory's `flow.yaml`).
    source: str
    # age secret keys that open sops-encrypted configs (else `keyFile`,
    # else those sops finds), which are then re-encrypted by the control
    # plane's service.
    identity: str
    # A file of age secret keys, as `identity`.
    key_file: str
    # After a publication of a catalog loaded from files, set
    # `expectPubId` in them to the new publication id, where published
    # specs carry one (default true).
    update_pub_ids: bool


class PullSpecsOptions(TypedDict, total=False):
    """Options of `pull_specs` and `list`."""

    # A flowctl profile (else `FLOWCTL_PROFILE`, else `default`).
    profile: str
    # A control plane by endpoints and token, rather than a profile.
    control_plane: ControlPlaneOptions
    # Exact catalog names.
    names: Union[List[str], Tuple[str, ...]]
    # Name prefixes.
    prefixes: Union[List[str], Tuple[str, ...]]
    # Kinds to include (`capture`, `collection`, `materialization`,
    # `test`); none: all.
    kinds: Union[List[str], Tuple[str, ...]]
    # The catalog file to pull into (default `flow.yaml`); not used by
    # `list`.
    target: str
    # Replace specs already in the local files, in place.
    overwrite: bool
    # Write new specs into the target file rather than a `flow.yaml` per
    # prefix.
    flat: bool


class RenderOptions(TypedDict, total=False):
    """Options of rendering a catalog as one document (`render`:
    `toYaml` / `to_yaml` and `toJson` / `to_json` in the bindings):
    `{recipients, plaintextSecrets}`.
    """

    # age recipients (`age1...`) of the configs holding secrets. Default:
    # `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching
    # `flow.yaml` in the current directory.
    recipients: Union[List[str], Tuple[str, ...]]
    # Render secrets in plaintext (as `_sops` keys) instead of failing
    # when there is no recipient. Default `false`.
    plaintext_secrets: bool


class RunTestsOptions(TypedDict, total=False):
    """Options of `run_tests`."""

    # Run only the tests of these names; all tests when empty.
    tests: Union[List[str], Tuple[str, ...]]
    # A directory to write the actual documents of each verify step to,
    # as `<snapshot>/<test>/verify-<step>.json`.
    snapshot: str
    # How many shards each TypeScript derivation runs on (default 3).
    shards: int


class _TestStepIngestRequired(TypedDict):
    # Collection to ingest into.
    collection: str
    # Documents to ingest, in one transaction.
    documents: TestDocuments


class TestStepIngest(_TestStepIngestRequired, total=False):
    """Ingest step"""

    # Description of the step.
    description: str


class _TestStepVerifyRequired(TypedDict):
    # Collection to verify: a name, or `{name, partitions}`.
    collection: Source
    # Expected documents, fully reduced, in key order.
    #
    # They match as subsets of the actual documents.
    documents: TestDocuments


class TestStepVerify(_TestStepVerifyRequired, total=False):
    """Verify step"""

    # Description of the step.
    description: str


class _TestStepIngest(TypedDict):
    """Ingest documents."""

    ingest: TestStepIngest


class _TestStepVerify(TypedDict):
    """Verify documents."""

    verify: TestStepVerify


TestStep = Union[_TestStepIngest, _TestStepVerify]
"""Test step

`ingest` documents into a collection, or `verify` a collection's documents.
"""


class TestOptions(TypedDict, total=False):
    """Options of a test."""

    # What the test checks.
    description: str
    # Steps in the model's form (or add them with `ingest` and `verify`).
    steps: Sequence[TestStep]
    # Expected last publication id.
    expect_pub_id: str
    # Delete the test.
    delete: bool


class _VerifyOptionsRequired(TypedDict):
    # Collection to verify: a name, or `{name, partitions}`.
    collection: Source
    # Expected documents, or the URL of a fixture file.
    documents: TestDocuments


class VerifyOptions(_VerifyOptionsRequired, total=False):
    """Options of a verify step."""

    # Partitions to verify.
    partitions: PartitionSelector
    # What the step checks.
    description: str


class WriteOptions(TypedDict, total=False):
    """Options of writing a catalog: `{layout, recipients, plaintextSecrets}`;
    `flat`, recipients from the environment or `.sops.yaml`, and secrets
    encrypted by default.
    """

    # `flat` (default): everything in the one file. `canonical`: the
    # split layout of `flowctl catalog pull-specs`, one directory per name
    # prefix.
    layout: LayoutOption
    # age recipients (`age1...`) of the configs holding secrets. Default:
    # `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching
    # the written file.
    recipients: Union[List[str], Tuple[str, ...]]
    # Write secrets in plaintext (as `_sops` keys) instead of failing when
    # there is no recipient. Default `false`.
    plaintext_secrets: bool
    # Remove the files of the catalog previously written at the target
    # that the written catalog no longer uses. Default `false`: they are
    # left, and named in a warning.
    prune: bool


class _CaptureBindingKeywords(TypedDict, total=False):
    """The keyword arguments of the call taking `CaptureBinding`, after `resource` and `target`."""

    # Disable this binding.
    #
    # A disabled binding records a discovered resource that is not captured.
    disable: bool
    # Backfill counter.
    #
    # Increment it to capture the resource again from the start.
    backfill: int


class _TransformOptionsKeywords(TypedDict, total=False):
    """The keyword arguments of the call taking `TransformOptions`, after `name` and `source`."""

    # Partitions of the source to read.
    partitions: PartitionSelector
    # Read documents published at or after this time (RFC 3339).
    not_before: str
    # Read documents published at or before this time (RFC 3339).
    not_after: str
    # Shuffle: key pointers like `["/id"]`, `"any"`, `{key}` or `{lambda}`.
    shuffle: ShuffleOption
    # Lambda: SQL or a file URL (SQLite), or the connector's form.
    lambda_: Any
    # Priority over other transforms (default 0).
    priority: int
    # Delay before a document is read, like `1h`.
    read_delay: str
    # Disable the transform.
    disable: bool
    # Backfill counter.
    backfill: int


class _MaterializationBindingOptionsKeywords(TypedDict, total=False):
    """The keyword arguments of the call taking `MaterializationBindingOptions`, after `resource` and `source`."""

    # Partitions of the source to read.
    partitions: PartitionSelector
    # Read documents published at or after this time (RFC 3339).
    not_before: str
    # Read documents published at or before this time (RFC 3339).
    not_after: str
    # Field selection (`recommended` defaults to `true`).
    fields: MaterializationFieldsOptions
    # Priority over other bindings (default 0).
    priority: int
    # Backfill counter.
    backfill: int
    # Disable the binding.
    disable: bool
    # What to do when this binding's source schema changes incompatibly.
    on_incompatible_schema_change: OnIncompatibleSchemaChange


class _IngestOptionsKeywords(TypedDict, total=False):
    """The keyword arguments of the call taking `IngestOptions`, after `collection` and `documents`."""

    # What the step does.
    description: str


class _VerifyOptionsKeywords(TypedDict, total=False):
    """The keyword arguments of the call taking `VerifyOptions`, after `collection` and `documents`."""

    # Partitions to verify.
    partitions: PartitionSelector
    # What the step checks.
    description: str


__all__ += [
    "AgeKeygenOptions",
    "AutoDiscover",
    "AutoDiscoverOption",
    "CaptureBinding",
    "CaptureOptions",
    "CatalogOptions",
    "CollectionOptions",
    "CompressionCodec",
    "Config",
    "ConnectorConfig",
    "ControlPlaneOptions",
    "DecryptFileOptions",
    "DecryptOptions",
    "DecryptSecretsOptions",
    "DekafConfig",
    "DerivationOptions",
    "DeriveUsing",
    "EncryptFileOptions",
    "EncryptOptions",
    "Format",
    "FragmentTemplate",
    "FullSource",
    "GenerateOptions",
    "IngestOptions",
    "JournalTemplate",
    "LayoutOption",
    "LoadOptions",
    "LocalConfig",
    "LogLevel",
    "MaterializationBindingOptions",
    "MaterializationFieldsOptions",
    "MaterializationOptions",
    "ModuleOption",
    "OnIncompatibleSchemaChange",
    "PartitionSelector",
    "PlanOptions",
    "Projection",
    "PublishOptions",
    "PullSpecsOptions",
    "PythonModule",
    "RecommendedDepth",
    "RenderOptions",
    "Resource",
    "RunTestsOptions",
    "ShardTemplate",
    "Shuffle",
    "ShuffleOption",
    "ShuffleType",
    "Source",
    "SourceCapture",
    "SourceCaptureDef",
    "SqliteMigrations",
    "SqliteOption",
    "TargetNaming",
    "TestDocuments",
    "TestOptions",
    "TestStep",
    "TestStepIngest",
    "TestStepVerify",
    "TransformOptions",
    "TypescriptModule",
    "VerifyOptions",
    "WriteOptions",
]
# END GENERATED types
