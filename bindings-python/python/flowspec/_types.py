"""Types of flowspec's structured options, for annotations and type checkers.

Structured options take snake_case keys (``min_txn_duration``,
``group_by``); flowspec turns them into the model's camelCase. Opaque values
(connector configs, resources, schemas, documents, field names) are passed
through untouched.

>>> from flowspec import ShardTemplate
>>> shards: ShardTemplate = {"min_txn_duration": "1s", "log_level": "debug"}
"""

from typing import Any, List, Literal, Mapping, Sequence, Tuple, Type, TypedDict, Union

__all__ = [
    "JSONObject",
    "Config",
    "Resource",
    "SchemaArg",
    "Pointers",
    "Documents",
    "LogLevel",
    "CompressionCodec",
    "OnIncompatibleSchemaChange",
    "TargetNaming",
    "ShuffleType",
    "ShardTemplate",
    "AutoDiscover",
    "LocalConfig",
    "ConnectorConfig",
    "DekafConfig",
    "FragmentTemplate",
    "JournalTemplate",
    "PartitionSelector",
    "SourceOptions",
    "Source",
    "SourceCapture",
    "FieldSelection",
    "ProjectionOptions",
    "Projection",
    "ShuffleKey",
    "ShuffleLambda",
    "Shuffle",
    "TypescriptModule",
    "PythonModule",
    "SqliteMigrations",
    "CaptureBindingOptions",
    "TransformOptions",
    "MaterializationBindingOptions",
]

JSONObject = Mapping[str, Any]
"""A JSON object: a dict (or other mapping) of str keys to JSON values."""

Config = Union[Mapping[str, Any], str]
"""A connector configuration: an object, or the relative URL of a file holding it."""

Resource = Union[Mapping[str, Any], str]
"""An endpoint resource: an object, or the relative URL of a file holding it."""

SchemaArg = Union[Mapping[str, Any], str, bool, Type[Any]]
"""A collection schema: a dict, a JSON-schema string, a file reference (a
string without whitespace), ``True`` / ``False``, a pydantic model class, or a
dataclass / TypedDict (through pydantic). On Python < 3.12, define a TypedDict
with ``typing_extensions.TypedDict``: pydantic refuses ``typing.TypedDict``
there."""

Pointers = Union[List[str], Tuple[str, ...]]
"""JSON pointers, like ``["/id"]`` (a list or tuple: a lone string is not one)."""

Documents = Union[Sequence[Mapping[str, Any]], str]
"""Test documents: a list of objects, or the relative URL of a fixture file."""

LogLevel = Literal["error", "warn", "info", "debug", "trace"]
CompressionCodec = Literal["NONE", "GZIP", "ZSTANDARD", "SNAPPY", "GZIP_OFFLOAD_DECOMPRESSION"]
OnIncompatibleSchemaChange = Literal["abort", "backfill", "disableBinding", "disableTask"]
TargetNaming = Literal["noSchema", "withSchema", "prefixSchema", "prefixNonDefaultSchema"]
ShuffleType = Literal["boolean", "integer", "string"]


class ShardTemplate(TypedDict, total=False):
    """How a task's shards run (``shards=``)."""

    disable: bool
    min_txn_duration: str
    max_txn_duration: str
    hot_standbys: int
    ring_buffer_size: int
    read_channel_size: int
    log_level: LogLevel


class AutoDiscover(TypedDict, total=False):
    """Auto-discovery settings of a capture (``auto_discover=``)."""

    add_new_bindings: bool
    evolve_incompatible_collections: bool


class _LocalRequired(TypedDict):
    command: Sequence[str]
    config: Config


class LocalConfig(_LocalRequired, total=False):
    """A local command as an endpoint (development only; ``local=``)."""

    env: Mapping[str, str]
    protobuf: bool


class ConnectorConfig(TypedDict):
    """A connector image and its configuration (``connector=`` of a derivation)."""

    image: str
    config: Config


class DekafConfig(TypedDict):
    """A Dekaf endpoint (``dekaf=`` of a materialization)."""

    variant: str
    config: Config


class FragmentTemplate(TypedDict, total=False):
    """How journal fragments are written."""

    length: int
    compression_codec: CompressionCodec
    retention: str
    flush_interval: str


class JournalTemplate(TypedDict):
    """A collection's journal settings (``journals=``)."""

    fragments: FragmentTemplate


class PartitionSelector(TypedDict, total=False):
    """Partitions to read: values of partition fields to include or exclude."""

    include: Mapping[str, Sequence[Any]]
    exclude: Mapping[str, Sequence[Any]]


class _SourceRequired(TypedDict):
    name: str


class SourceOptions(_SourceRequired, total=False):
    """A source collection with filters."""

    partitions: PartitionSelector
    not_before: str
    not_after: str


Source = Union[str, SourceOptions]
"""A source collection: its name, or its name with filters."""


class SourceCapture(TypedDict, total=False):
    """The capture whose bindings a materialization follows (``source_capture=``)."""

    capture: str
    target_naming: TargetNaming
    delta_updates: bool
    fields_recommended: Union[bool, int]


class FieldSelection(TypedDict, total=False):
    """Field selection of a materialization binding (``fields=``);
    ``recommended`` defaults to ``True``."""

    group_by: Sequence[str]
    require: Mapping[str, Mapping[str, Any]]
    exclude: Sequence[str]
    recommended: Union[bool, int]


class _ProjectionRequired(TypedDict):
    location: str


class ProjectionOptions(_ProjectionRequired, total=False):
    """A projection to a location, optionally a logical partition."""

    partition: bool


Projection = Union[str, ProjectionOptions]
"""A projection: a JSON pointer, or a location that may be a partition."""


class ShuffleKey(TypedDict):
    """Shuffle on key pointers."""

    key: Pointers


ShuffleLambda = TypedDict("ShuffleLambda", {"lambda": Any})
"""Shuffle on what a lambda computes."""

Shuffle = Union[Literal["any"], Pointers, ShuffleKey, ShuffleLambda]
"""A shuffle: ``"any"``, key pointers, ``{"key": [...]}`` or ``{"lambda": ...}``."""


class TypescriptModule(TypedDict):
    """A TypeScript module: its code or file URL."""

    module: str


class _PythonRequired(TypedDict):
    module: str


class PythonModule(_PythonRequired, total=False):
    """A Python module and its dependencies (package name → version spec)."""

    dependencies: Mapping[str, str]


class SqliteMigrations(TypedDict, total=False):
    """SQLite migrations: SQL or file URLs."""

    migrations: Sequence[str]


class _CaptureBindingRequired(TypedDict):
    resource: Resource
    target: str


class CaptureBindingOptions(_CaptureBindingRequired, total=False):
    """A capture binding (``bindings=`` of a capture)."""

    disable: bool
    backfill: int


_TransformOptional = TypedDict(
    "_TransformOptional",
    {
        "shuffle": Shuffle,
        "lambda": Any,
        "partitions": PartitionSelector,
        "not_before": str,
        "not_after": str,
        "priority": int,
        "read_delay": str,
        "disable": bool,
        "backfill": int,
    },
    total=False,
)


class TransformOptions(_TransformOptional):
    """A transform (``transforms=`` of a derivation)."""

    name: str
    source: Source


class _MaterializationBindingRequired(TypedDict):
    resource: Resource
    source: Source


class MaterializationBindingOptions(_MaterializationBindingRequired, total=False):
    """A materialization binding (``bindings=`` of a materialization)."""

    partitions: PartitionSelector
    not_before: str
    not_after: str
    fields: FieldSelection
    priority: int
    backfill: int
    disable: bool
    on_incompatible_schema_change: OnIncompatibleSchemaChange

