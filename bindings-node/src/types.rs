//! The TypeScript types of the DSL's options and of specs, in one place.
//!
//! They mirror the core's option structs (`flowspec::json_api::*Options`) and
//! model (`flowspec::CaptureDef`, ...) field for field, so that `tsc
//! --strict` rejects a misspelled option or a value of the wrong type. They
//! are declarations only (`object_from_js = false, object_to_js = false`):
//! at run time options are plain JSON that the core decodes, and a change
//! to an option belongs in the core first, then here.
//!
//! `JsonValue` and `JsonObject` are declared in `dts-header.d.ts`, the
//! header of the generated `index.d.ts`.

#![allow(dead_code)] // declarations for index.d.ts; never constructed

use napi_derive::napi;
use serde_json::Value;

/// The kinds of specs in a catalog.
///
/// ```ts
/// const kinds: Kind[] = ["capture", "collection", "materialization", "test"];
/// ```
#[napi(
    string_enum = "lowercase",
    object_from_js = false,
    object_to_js = false
)]
pub enum Kind {
    /// Captures.
    Capture,
    /// Collections and derivations.
    Collection,
    /// Materializations.
    Materialization,
    /// Tests.
    Test,
}

/// A diagnostic: one problem (or warning) found while loading or
/// validating a catalog.
///
/// `scope` is the file URL of the offending value plus a JSON pointer to it,
/// as Estuary reports it: `flow://catalog#/collections/acmeCo~1x/key/0` for
/// a catalog made in code, `file:///p/flow.yaml#/...` for a loaded one.
///
/// ```ts
/// const warnings: Diagnostic[] = cat.validate();
/// for (const d of warnings) console.warn(`${d.scope}: ${d.message} [${d.code}]`);
/// ```
#[napi(object)]
pub struct Diagnostic {
    /// File URL and JSON pointer of the offending value.
    pub scope: String,
    /// What is wrong, naming the entity and the value.
    pub message: String,
    /// The stable code of this kind of problem, like `key_empty`.
    pub code: String,
    /// `error` (the catalog is invalid) or `warning`.
    #[napi(ts_type = "'error' | 'warning'")]
    pub severity: String,
}

/// Options of `Catalog.write`.
///
/// ```ts
/// cat.write("out/flow.yaml", { layout: "canonical", recipients: ["age1..."] });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct WriteOptions {
    /// `flat` (default): everything in the one file. `canonical`: the
    /// split layout of `flowctl catalog pull-specs`, one directory per name
    /// prefix.
    #[napi(ts_type = "'flat' | 'canonical'")]
    pub layout: Option<String>,
    /// age recipients (`age1...`) of the configs holding secrets. Default:
    /// `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching
    /// the written file.
    pub recipients: Option<Vec<String>>,
    /// Write secrets in plaintext (as `_sops` keys) instead of failing when
    /// there is no recipient. Default `false`.
    pub plaintext_secrets: Option<bool>,
    /// Remove the files of the catalog previously written at the path that
    /// the written catalog no longer uses. Default `false`: they are left,
    /// and named in a `FlowspecWarning`.
    pub prune: Option<bool>,
}

/// Options of `Catalog.toYaml` and `Catalog.toJson`.
///
/// ```ts
/// const yaml = cat.toYaml({ recipients: ["age1..."] });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct RenderOptions {
    /// age recipients (`age1...`) of the configs holding secrets. Default:
    /// `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching
    /// `flow.yaml` in the current directory.
    pub recipients: Option<Vec<String>>,
    /// Render secrets in plaintext (as `_sops` keys) instead of failing
    /// when there is no recipient. Default `false`.
    pub plaintext_secrets: Option<bool>,
}

/// Options of `Catalog.load`.
///
/// ```ts
/// const cat = Catalog.load("flow.yaml", { decrypt: true, keyFile: "keys.txt" });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct LoadOptions {
    /// Decrypt the sops-encrypted configs after loading. Default `false`.
    pub decrypt: Option<bool>,
    /// With `decrypt`: age secret keys, one `AGE-SECRET-KEY-1...` per line
    /// (`#` comments allowed).
    pub identity: Option<String>,
    /// With `decrypt`: a file of age secret keys.
    pub key_file: Option<String>,
    /// The directory file references must stay in. Default: the project
    /// root, as `flowctl generate` finds it (the file's directory, and up
    /// through each parent that also holds a `flow.yaml`).
    pub root: Option<String>,
    /// Refuse to read files outside of the root, rather than warn. Default
    /// `false`.
    pub deny_outside_root: Option<bool>,
}

/// Options of `new Catalog()`.
///
/// ```ts
/// const cat = new Catalog({ baseDir: "out" });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CatalogOptions {
    /// The directory that relative file references of the catalog's specs
    /// (a schema file, a TypeScript module, ...) resolve against: typically
    /// the directory it will be written to. Default: the current directory.
    pub base_dir: Option<String>,
    /// The directory file references must stay in. Default: the base
    /// directory.
    pub root: Option<String>,
    /// Refuse to read files outside of the root, rather than warn. Default
    /// `false`.
    pub deny_outside_root: Option<bool>,
}

/// Options of `Catalog.decryptSecrets`. Without `identity` or `keyFile`,
/// the identities are found as sops finds them: `SOPS_AGE_KEY`,
/// `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`, `~/.config/sops/age/keys.txt`.
///
/// ```ts
/// cat.decryptSecrets({ identity: process.env.FLOW_AGE_KEY });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct DecryptSecretsOptions {
    /// age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    /// allowed).
    pub identity: Option<String>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
}

// ---------------------------------------------------------------------------
// sops: documents and files.

/// Options of `encrypt`, as the flags of `sops --encrypt`. At most one of
/// `encryptedSuffix`, `unencryptedSuffix`, `encryptedRegex` and
/// `unencryptedRegex` (default: every value but those under keys ending in
/// `_unencrypted`). A regex is tested, unanchored, against each key on a
/// value's path.
///
/// ```ts
/// const options: EncryptOptions = { recipients: ["age1..."], encryptedSuffix: "_sops" };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct EncryptOptions {
    /// age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then
    /// the `.sops.yaml` creation rule matching `path`.
    pub recipients: Option<Vec<String>>,
    /// Encrypt only the values under keys with this suffix, like `_sops`.
    pub encrypted_suffix: Option<String>,
    /// Encrypt every value but those under keys with this suffix.
    pub unencrypted_suffix: Option<String>,
    /// Encrypt only the values under keys matching this regex.
    pub encrypted_regex: Option<String>,
    /// Encrypt every value but those under keys matching this regex.
    pub unencrypted_regex: Option<String>,
    /// Compute the MAC over the encrypted values only, so that plaintext
    /// values can be edited. Default `false`.
    pub mac_only_encrypted: Option<bool>,
    /// The file whose `.sops.yaml` creation rule applies (no file is read).
    pub path: Option<String>,
}

/// Options of `encryptFile`: those of `encrypt`, plus the file's format
/// and whether to replace it.
///
/// ```ts
/// const options: EncryptFileOptions = { recipients: ["age1..."], encryptedSuffix: "_sops", inPlace: true };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct EncryptFileOptions {
    /// age recipients (`age1...`). Default: `SOPS_AGE_RECIPIENTS`, then
    /// the `.sops.yaml` creation rule matching the file.
    pub recipients: Option<Vec<String>>,
    /// Encrypt only the values under keys with this suffix, like `_sops`.
    pub encrypted_suffix: Option<String>,
    /// Encrypt every value but those under keys with this suffix.
    pub unencrypted_suffix: Option<String>,
    /// Encrypt only the values under keys matching this regex.
    pub encrypted_regex: Option<String>,
    /// Encrypt every value but those under keys matching this regex.
    pub unencrypted_regex: Option<String>,
    /// Compute the MAC over the encrypted values only. Default `false`.
    pub mac_only_encrypted: Option<bool>,
    /// The file's format. Default: from its extension.
    #[napi(ts_type = "'json' | 'yaml'")]
    pub input_type: Option<String>,
    /// Replace the file with the encrypted text (atomically). Default
    /// `false`.
    pub in_place: Option<bool>,
}

/// Options of `decrypt`. Without `identity` or `keyFile`, the identities
/// are found as sops finds them: `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`,
/// `SOPS_AGE_KEY_CMD`, `~/.config/sops/age/keys.txt`.
///
/// ```ts
/// const options: DecryptOptions = { keyFile: "keys.txt", stripSuffix: true };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct DecryptOptions {
    /// age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    /// allowed).
    pub identity: Option<String>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
    /// Remove the file's `encrypted_suffix` (like `_sops`) from every key,
    /// as Estuary's runtime does. Default `false`.
    pub strip_suffix: Option<bool>,
}

/// Options of `decryptFile`: those of `decrypt`, plus the file's format.
///
/// ```ts
/// const options: DecryptFileOptions = { keyFile: "keys.txt", inputType: "yaml" };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct DecryptFileOptions {
    /// age secret keys, one `AGE-SECRET-KEY-1...` per line (`#` comments
    /// allowed).
    pub identity: Option<String>,
    /// A file of age secret keys.
    pub key_file: Option<String>,
    /// Remove the file's `encrypted_suffix` from every key. Default `false`.
    pub strip_suffix: Option<bool>,
    /// The file's format. Default: from its extension.
    #[napi(ts_type = "'json' | 'yaml'")]
    pub input_type: Option<String>,
}

/// Options of `ageKeygen`.
///
/// ```ts
/// ageKeygen("keys.txt", { overwrite: true });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct AgeKeygenOptions {
    /// Replace an existing file. Default `false`.
    pub overwrite: Option<bool>,
}

// ---------------------------------------------------------------------------
// Values shared by options and specs.

/// A connector image and its configuration.
///
/// ```ts
/// const c: ConnectorConfig = { image: "ghcr.io/estuary/derive-foo:v1", config: {} };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct ConnectorConfig {
    /// Connector image, like `ghcr.io/estuary/source-postgres:v1`.
    pub image: String,
    /// Connector configuration: an object, or the relative URL of a YAML or
    /// JSON file that holds it.
    #[napi(ts_type = "JsonObject | string")]
    pub config: Value,
}

/// A connector run as a local command, for development only.
///
/// ```ts
/// const l: LocalConfig = { command: ["python", "main.py"], config: {} };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct LocalConfig {
    /// Command and arguments.
    pub command: Vec<String>,
    /// Connector configuration, inline or a file URL.
    #[napi(ts_type = "JsonObject | string")]
    pub config: Value,
    /// Environment variables of the command.
    #[napi(ts_type = "Record<string, string>")]
    pub env: Option<Value>,
    /// Speak protobuf rather than JSON to the command.
    pub protobuf: Option<bool>,
}

/// A Dekaf materialization: Estuary's Kafka-compatible endpoint.
///
/// ```ts
/// const d: DekafConfig = { variant: "clickhouse", config: {} };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct DekafConfig {
    /// Dekaf variant, like `clickhouse`.
    pub variant: String,
    /// Dekaf configuration, inline or a file URL.
    #[napi(ts_type = "JsonObject | string")]
    pub config: Value,
}

/// Auto-discovery settings of a capture.
///
/// ```ts
/// cat.capture("acmeCo/src", { image, config, autoDiscover: { addNewBindings: true } });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct AutoDiscover {
    /// Add bindings for newly discovered resources.
    pub add_new_bindings: Option<bool>,
    /// Re-create collections whose discovered schema is incompatible.
    pub evolve_incompatible_collections: Option<bool>,
}

/// How the shards of a task run. Most fields are experimental.
///
/// ```ts
/// const shards: ShardTemplate = { logLevel: "debug" };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct ShardTemplate {
    /// Disable the task.
    pub disable: Option<bool>,
    /// Minimum duration of a task transaction, like `1s`.
    pub min_txn_duration: Option<String>,
    /// Maximum duration of a task transaction, like `5m`.
    pub max_txn_duration: Option<String>,
    /// Number of hot standby replicas.
    pub hot_standbys: Option<u32>,
    /// Size of the ring buffer of sequenced documents.
    pub ring_buffer_size: Option<u32>,
    /// Size of the channel of read documents.
    pub read_channel_size: Option<u32>,
    /// Log level of the task's connector.
    #[napi(ts_type = "'error' | 'warn' | 'info' | 'debug' | 'trace'")]
    pub log_level: Option<String>,
}

/// How a collection's journals are stored.
///
/// ```ts
/// const journals: JournalTemplate = { fragments: { compressionCodec: "ZSTANDARD" } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct JournalTemplate {
    /// Fragment settings.
    pub fragments: FragmentTemplate,
}

/// How journal fragments are written.
///
/// ```ts
/// const fragments: FragmentTemplate = { retention: "720h" };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct FragmentTemplate {
    /// Desired size of a fragment, in MB (32 to 4096).
    pub length: Option<u32>,
    /// Compression of fragments.
    #[napi(ts_type = "'NONE' | 'GZIP' | 'ZSTANDARD' | 'SNAPPY' | 'GZIP_OFFLOAD_DECOMPRESSION'")]
    pub compression_codec: Option<String>,
    /// How long fragments are kept, like `720h`.
    pub retention: Option<String>,
    /// How often fragments are flushed, like `24h`.
    pub flush_interval: Option<String>,
}

/// A projection: a JSON pointer, or `{location, partition}`.
///
/// ```ts
/// const projections: Record<string, Projection> = { region: { location: "/region", partition: true } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct ExtendedProjection {
    /// JSON pointer of the projected location.
    pub location: String,
    /// Whether the field is a logical partition.
    pub partition: Option<bool>,
}

/// Partitions of a collection to read: field values to include and exclude.
///
/// ```ts
/// const partitions: PartitionSelector = { include: { region: ["EU", "US"] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct PartitionSelector {
    /// Values of partition fields to include.
    #[napi(ts_type = "Record<string, JsonValue[]>")]
    pub include: Option<Value>,
    /// Values of partition fields to exclude.
    #[napi(ts_type = "Record<string, JsonValue[]>")]
    pub exclude: Option<Value>,
}

/// A source collection with filters.
///
/// ```ts
/// const source: FullSource = { name: "acmeCo/orders", notBefore: "2024-01-01T00:00:00Z" };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct FullSource {
    /// Collection name.
    pub name: String,
    /// Partitions to read.
    pub partitions: Option<PartitionSelector>,
    /// Read documents published at or after this time (RFC 3339).
    pub not_before: Option<String>,
    /// Read documents published at or before this time (RFC 3339).
    pub not_after: Option<String>,
}

/// Settings of materializing every binding of a capture.
///
/// ```ts
/// cat.materialization("acmeCo/dst", { image, config, source: { capture: "acmeCo/src", deltaUpdates: true } });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct SourceCaptureDef {
    /// The capture.
    pub capture: Option<String>,
    /// How target resources are named.
    #[napi(ts_type = "'noSchema' | 'withSchema' | 'prefixSchema' | 'prefixNonDefaultSchema'")]
    pub target_naming: Option<String>,
    /// Materialize with delta updates.
    pub delta_updates: Option<bool>,
    /// Recommended fields of new bindings (`true`, `false` or a depth).
    #[napi(ts_type = "boolean | number")]
    pub fields_recommended: Option<Value>,
}

/// A binding of an endpoint resource to the collection a capture writes.
///
/// ```ts
/// cat.capture("acmeCo/src", { image, config }).binding({ resource: { stream: "charges" }, target: "acmeCo/charges" });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CaptureBindingOptions {
    /// Endpoint resource to capture: an object, or the relative URL of a
    /// file that holds it.
    #[napi(ts_type = "JsonObject | string")]
    pub resource: Value,
    /// Collection to capture into.
    pub target: String,
    /// Disable this binding.
    pub disable: Option<bool>,
    /// Backfill counter: increment it to capture the resource again.
    pub backfill: Option<u32>,
}

/// Field selection of a materialization binding.
///
/// ```ts
/// const fields: FieldsOptions = { recommended: true, exclude: ["internal_notes"] };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct FieldsOptions {
    /// Fields of the materialized key.
    pub group_by: Option<Vec<String>>,
    /// Fields to include, with their configuration (`include` is an alias).
    #[napi(ts_type = "Record<string, JsonObject>")]
    pub require: Option<Value>,
    /// Alias of `require`: give one or the other, not both.
    #[napi(ts_type = "Record<string, JsonObject>")]
    pub include: Option<Value>,
    /// Fields to exclude.
    pub exclude: Option<Vec<String>>,
    /// Recommended fields: `true` (default), `false`, or a depth.
    #[napi(ts_type = "boolean | number")]
    pub recommended: Option<Value>,
}

/// A test step ingesting documents, in the model's form.
///
/// ```ts
/// const step: TestStep = { ingest: { collection: "acmeCo/orders", documents: [{ id: "1" }] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TestStepIngest {
    /// Description.
    pub description: Option<String>,
    /// Collection to ingest into.
    pub collection: String,
    /// Documents, or the URL of a fixture file.
    #[napi(ts_type = "JsonValue[] | string")]
    pub documents: Value,
}

/// A test step verifying documents, in the model's form.
///
/// ```ts
/// const step: TestStep = { verify: { collection: "acmeCo/totals", documents: [{ id: "1", total: 5 }] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TestStepVerify {
    /// Description.
    pub description: Option<String>,
    /// Collection to verify (a name, or `{name, partitions}`).
    #[napi(ts_type = "string | FullSource")]
    pub collection: Value,
    /// Expected documents, or the URL of a fixture file.
    #[napi(ts_type = "JsonValue[] | string")]
    pub documents: Value,
}

// ---------------------------------------------------------------------------
// Options of the DSL (flowspec::json_api).

/// Options of `Catalog.capture`: an endpoint (`image` and `config`, or
/// `local`) and the rest of the capture.
///
/// ```ts
/// cat.capture("acmeCo/source-postgres", {
///   image: "ghcr.io/estuary/source-postgres:v1",
///   config: { address: "db:5432" },
///   interval: "10m",
/// });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CaptureOptions {
    /// Connector image.
    pub image: Option<String>,
    /// Connector configuration (default `{}`): an object, or the relative
    /// URL of a file that holds it (sops-encrypted, typically).
    #[napi(ts_type = "JsonObject | string")]
    pub config: Option<Value>,
    /// A local command instead of an image.
    pub local: Option<LocalConfig>,
    /// Bindings (or add them with `.binding(...)`).
    pub bindings: Option<Vec<CaptureBindingOptions>>,
    /// Interval between runs of connectors that exit (default `5m`).
    pub interval: Option<String>,
    /// Auto-discovery: `true`, or its settings.
    #[napi(ts_type = "boolean | AutoDiscover")]
    pub auto_discover: Option<Value>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Expected last publication id (16 hex digits).
    pub expect_pub_id: Option<String>,
    /// Delete the capture.
    pub delete: Option<bool>,
    /// Delete and re-create the capture in one publication.
    pub reset: Option<bool>,
    /// Salt for `sha256` redaction (base64).
    pub redact_salt: Option<String>,
}

/// Options of `Catalog.collection`.
///
/// ```ts
/// cat.collection("acmeCo/orders", { schema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] }, key: ["/id"] });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CollectionOptions {
    /// Schema: an object (or `true`), or the relative URL of a schema file
    /// (or give `writeSchema` and `readSchema`).
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub schema: Option<Value>,
    /// Schema of written documents.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub write_schema: Option<Value>,
    /// Schema of read documents.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub read_schema: Option<Value>,
    /// Composite key, as JSON pointers.
    pub key: Vec<String>,
    /// Projections: field name to a JSON pointer or `{location, partition}`.
    #[napi(ts_type = "Record<string, Projection>")]
    pub projections: Option<Value>,
    /// Journal template.
    pub journals: Option<JournalTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the collection.
    pub delete: Option<bool>,
}

/// Options of `Catalog.derivation`: a collection's options, exactly one
/// runtime (`typescript`, `sqlite`, `python`, `connector`, `local`, or the
/// model's `using`) and the rest of the derivation.
///
/// ```ts
/// cat.derivation("acmeCo/customers-with-orders", { schema, key: ["/customer_id"], typescript: "full-outer-join.flow.ts" })
///   .transform({ name: "fromOrders", source: "acmeCo/orders", shuffle: ["/customer_id"] });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct DerivationOptions {
    /// Schema (or give `writeSchema` and `readSchema`).
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub schema: Option<Value>,
    /// Schema of written documents.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub write_schema: Option<Value>,
    /// Schema of read documents.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub read_schema: Option<Value>,
    /// Composite key, as JSON pointers.
    pub key: Vec<String>,
    /// Projections: field name to a JSON pointer or `{location, partition}`.
    #[napi(ts_type = "Record<string, Projection>")]
    pub projections: Option<Value>,
    /// Journal template.
    pub journals: Option<JournalTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the derivation.
    pub delete: Option<bool>,
    /// TypeScript: the module's file URL (or code), or `{module}`.
    #[napi(ts_type = "string | { module: string }")]
    pub typescript: Option<Value>,
    /// SQLite: the migrations (file URLs or SQL), or `{migrations}`.
    #[napi(ts_type = "string[] | { migrations?: string[] }")]
    pub sqlite: Option<Value>,
    /// Python: the module's file URL (or code), or `{module, dependencies}`.
    #[napi(ts_type = "string | { module: string, dependencies?: Record<string, string> }")]
    pub python: Option<Value>,
    /// A derivation connector.
    pub connector: Option<ConnectorConfig>,
    /// A local command.
    pub local: Option<LocalConfig>,
    /// The runtime in the model's form, like `{sqlite: {migrations: []}}`.
    pub using: Option<DeriveUsing>,
    /// Transforms (or add them with `.transform(...)`).
    pub transforms: Option<Vec<TransformOptions>>,
    /// Types of the shuffle key's components, when they cannot be inferred.
    #[napi(ts_type = "Array<'boolean' | 'integer' | 'string'>")]
    pub shuffle_key_types: Option<Value>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Salt for `sha256` redaction (base64).
    pub redact_salt: Option<String>,
}

/// Options of `Derivation.transform`.
///
/// ```ts
/// d.transform({ name: "fromLineItems", source: "acmeCo/line-items", shuffle: ["/id"], lambda: "SELECT $id;" });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TransformOptions {
    /// Transform name, unique within the derivation.
    pub name: String,
    /// Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
    #[napi(ts_type = "string | FullSource")]
    pub source: Value,
    /// Partitions of the source to read.
    pub partitions: Option<PartitionSelector>,
    /// Read documents published at or after this time (RFC 3339).
    pub not_before: Option<String>,
    /// Read documents published at or before this time (RFC 3339).
    pub not_after: Option<String>,
    /// Shuffle: key pointers, `"any"`, `{key}` or `{lambda}`.
    #[napi(ts_type = "string[] | 'any' | { key: string[] } | { lambda: JsonValue }")]
    pub shuffle: Option<Value>,
    /// Lambda: SQL or a file URL (SQLite), or the connector's form.
    #[napi(ts_type = "JsonValue")]
    pub lambda: Option<Value>,
    /// Priority over other transforms (default 0).
    pub priority: Option<u32>,
    /// Delay before a document is read, like `1h`.
    pub read_delay: Option<String>,
    /// Disable the transform.
    pub disable: Option<bool>,
    /// Backfill counter.
    pub backfill: Option<u32>,
}

/// Options of `Catalog.materialization`: an endpoint (`image` and
/// `config`, or `dekaf`, or `local`) and the rest of the materialization.
///
/// ```ts
/// cat.materialization("acmeCo/materialize-snowflake", { image: "ghcr.io/estuary/materialize-snowflake:v1", config: {} })
///   .binding({ resource: { table: "orders" }, source: "acmeCo/orders" });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct MaterializationOptions {
    /// Connector image.
    pub image: Option<String>,
    /// Connector configuration (default `{}`), inline or a file URL.
    #[napi(ts_type = "JsonObject | string")]
    pub config: Option<Value>,
    /// Dekaf instead of an image.
    pub dekaf: Option<DekafConfig>,
    /// A local command instead of an image.
    pub local: Option<LocalConfig>,
    /// Capture whose bindings are materialized: a name or its settings.
    #[napi(ts_type = "string | SourceCaptureDef")]
    pub source_capture: Option<Value>,
    /// Alias of `sourceCapture`: give one or the other, not both.
    #[napi(ts_type = "string | SourceCaptureDef")]
    pub source: Option<Value>,
    /// What to do when a source schema changes incompatibly.
    #[napi(ts_type = "OnIncompatibleSchemaChange")]
    pub on_incompatible_schema_change: Option<String>,
    /// Bindings (or add them with `.binding(...)`).
    pub bindings: Option<Vec<MaterializationBindingOptions>>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the materialization.
    pub delete: Option<bool>,
}

/// Options of `Materialization.binding`.
///
/// ```ts
/// m.binding({ resource: { table: "shipments" }, source: "acmeCo/shipments", fields: { exclude: ["notes"] } });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct MaterializationBindingOptions {
    /// Endpoint resource, like `{table: "orders"}`, or a file URL.
    #[napi(ts_type = "JsonObject | string")]
    pub resource: Value,
    /// Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
    #[napi(ts_type = "string | FullSource")]
    pub source: Value,
    /// Partitions of the source to read.
    pub partitions: Option<PartitionSelector>,
    /// Read documents published at or after this time (RFC 3339).
    pub not_before: Option<String>,
    /// Read documents published at or before this time (RFC 3339).
    pub not_after: Option<String>,
    /// Field selection (`recommended` defaults to `true`).
    pub fields: Option<FieldsOptions>,
    /// Priority over other bindings (default 0).
    pub priority: Option<u32>,
    /// Backfill counter.
    pub backfill: Option<u32>,
    /// Disable the binding.
    pub disable: Option<bool>,
    /// What to do when this binding's source schema changes incompatibly.
    #[napi(ts_type = "OnIncompatibleSchemaChange")]
    pub on_incompatible_schema_change: Option<String>,
}

/// Options of `Catalog.test`.
///
/// ```ts
/// cat.test("acmeCo/tests/totals", { description: "Line items are totalled." });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TestOptions {
    /// Description.
    pub description: Option<String>,
    /// Steps in the model's form (or add them with `.ingest` and `.verify`).
    pub steps: Option<Vec<TestStep>>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the test.
    pub delete: Option<bool>,
}

/// Options of `Test.ingest`.
///
/// ```ts
/// t.ingest({ collection: "acmeCo/line-items", documents: [{ id: "1", price: 499 }] });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct IngestOptions {
    /// Collection to ingest into.
    pub collection: String,
    /// Documents, or the URL of a fixture file.
    #[napi(ts_type = "JsonValue[] | string")]
    pub documents: Value,
    /// Description.
    pub description: Option<String>,
}

/// Options of `Test.verify`.
///
/// ```ts
/// t.verify({ collection: "acmeCo/totals", documents: [{ id: "1", total: "$5.24" }], partitions: { include: { region: ["EU"] } } });
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct VerifyOptions {
    /// Collection to verify: a name, or `{name, partitions}`.
    #[napi(ts_type = "string | FullSource")]
    pub collection: Value,
    /// Expected documents, or the URL of a fixture file.
    #[napi(ts_type = "JsonValue[] | string")]
    pub documents: Value,
    /// Partitions to verify.
    pub partitions: Option<PartitionSelector>,
    /// Description.
    pub description: Option<String>,
}

// ---------------------------------------------------------------------------
// Specs, in the model's form (what `getSpec` returns and `setSpec` takes).

/// The spec type of each kind: `Specs["capture"]` is `CaptureSpec`.
///
/// ```ts
/// const spec: Specs["collection"] | undefined = cat.getSpec("collection", "acmeCo/orders");
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct Specs {
    /// A capture.
    pub capture: CaptureSpec,
    /// A collection or derivation.
    pub collection: CollectionSpec,
    /// A materialization.
    pub materialization: MaterializationSpec,
    /// A test.
    pub test: TestSpec,
}

/// A capture spec, as in `flow.yaml`.
///
/// ```ts
/// const spec: CaptureSpec = { endpoint: { connector: { image: "ghcr.io/estuary/source-hello-world:dev", config: {} } }, bindings: [] };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CaptureSpec {
    /// Auto-discovery settings.
    pub auto_discover: Option<AutoDiscover>,
    /// The endpoint: `{connector: {image, config}}` or `{local: {command, config}}`.
    #[napi(ts_type = "{ connector: ConnectorConfig } | { local: LocalConfig }")]
    pub endpoint: Value,
    /// Bindings.
    pub bindings: Vec<CaptureBindingOptions>,
    /// Interval between runs (default `5m`).
    pub interval: Option<String>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the capture.
    pub delete: Option<bool>,
    /// Delete and re-create the capture.
    pub reset: Option<bool>,
    /// Redaction salt.
    pub redact_salt: Option<String>,
}

/// A collection spec (a derivation when `derive` is set), as in `flow.yaml`.
///
/// ```ts
/// const spec: CollectionSpec = { schema: { type: "object" }, key: ["/id"] };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct CollectionSpec {
    /// Schema.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub schema: Option<Value>,
    /// Schema of written documents.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub write_schema: Option<Value>,
    /// Schema of read documents.
    #[napi(ts_type = "JsonObject | boolean | string")]
    pub read_schema: Option<Value>,
    /// Composite key.
    pub key: Vec<String>,
    /// Projections.
    #[napi(ts_type = "Record<string, Projection>")]
    pub projections: Option<Value>,
    /// Journal template.
    pub journals: Option<JournalTemplate>,
    /// The derivation, for a derived collection.
    pub derive: Option<DerivationSpec>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the collection.
    pub delete: Option<bool>,
}

/// The runtime of a derivation, in the model's form: one of `{connector}`,
/// `{sqlite}`, `{typescript}`, `{python}` or `{local}`.
///
/// ```ts
/// const using: DeriveUsing = { sqlite: { migrations: [] } };
/// ```
#[napi]
pub type DeriveUsing = napi::bindgen_prelude::Either5<
    UsingConnector,
    UsingSqlite,
    UsingTypescript,
    UsingPython,
    UsingLocal,
>;

/// A derivation run by a connector.
///
/// ```ts
/// const using: DeriveUsing = { connector: { image: "ghcr.io/acme/derive:v1", config: {} } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct UsingConnector {
    /// The connector.
    pub connector: ConnectorConfig,
}

/// A SQLite derivation.
///
/// ```ts
/// const using: DeriveUsing = { sqlite: { migrations: ["CREATE TABLE t (id TEXT);"] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct UsingSqlite {
    /// Migrations: SQL, or relative URLs of SQL files.
    #[napi(ts_type = "{ migrations?: string[] }")]
    pub sqlite: Value,
}

/// A TypeScript derivation.
///
/// ```ts
/// const using: DeriveUsing = { typescript: { module: "derive.flow.ts" } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct UsingTypescript {
    /// The module: code, or the relative URL of a file.
    #[napi(ts_type = "{ module: string }")]
    pub typescript: Value,
}

/// A Python derivation.
///
/// ```ts
/// const using: DeriveUsing = { python: { module: "derive.flow.py", dependencies: { requests: ">=2" } } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct UsingPython {
    /// The module and its pip dependencies.
    #[napi(ts_type = "{ module: string, dependencies?: Record<string, string> }")]
    pub python: Value,
}

/// A derivation run as a local command.
///
/// ```ts
/// const using: DeriveUsing = { local: { command: ["./derive"], config: {} } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct UsingLocal {
    /// The command.
    pub local: LocalConfig,
}

/// A derivation spec: the `derive` of a collection.
///
/// ```ts
/// const derive: DerivationSpec = { using: { sqlite: {} }, transforms: [] };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct DerivationSpec {
    /// The runtime.
    pub using: DeriveUsing,
    /// Transforms.
    pub transforms: Vec<TransformSpec>,
    /// Types of the shuffle key's components.
    #[napi(ts_type = "Array<'boolean' | 'integer' | 'string'>")]
    pub shuffle_key_types: Option<Value>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Redaction salt.
    pub redact_salt: Option<String>,
}

/// A transform spec.
///
/// ```ts
/// const t: TransformSpec = { name: "fromOrders", source: "acmeCo/orders", shuffle: { key: ["/id"] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TransformSpec {
    /// Transform name.
    pub name: String,
    /// Source collection.
    #[napi(ts_type = "string | FullSource")]
    pub source: Value,
    /// Shuffle: `"any"`, `{key}` or `{lambda}`.
    #[napi(ts_type = "'any' | { key: string[] } | { lambda: JsonValue }")]
    pub shuffle: Option<Value>,
    /// Priority.
    pub priority: Option<u32>,
    /// Read delay.
    pub read_delay: Option<String>,
    /// Lambda.
    #[napi(ts_type = "JsonValue")]
    pub lambda: Option<Value>,
    /// Disable the transform.
    pub disable: Option<bool>,
    /// Backfill counter.
    pub backfill: Option<u32>,
}

/// A materialization spec, as in `flow.yaml`.
///
/// ```ts
/// const spec: MaterializationSpec = { endpoint: { connector: { image: "ghcr.io/estuary/materialize-postgres:v1", config: {} } }, bindings: [] };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct MaterializationSpec {
    /// Capture whose bindings are materialized.
    #[napi(ts_type = "string | SourceCaptureDef")]
    pub source: Option<Value>,
    /// What to do when a source schema changes incompatibly.
    #[napi(ts_type = "OnIncompatibleSchemaChange")]
    pub on_incompatible_schema_change: Option<String>,
    /// The endpoint: `{connector}`, `{local}` or `{dekaf}`.
    #[napi(
        ts_type = "{ connector: ConnectorConfig } | { local: LocalConfig } | { dekaf: DekafConfig }"
    )]
    pub endpoint: Value,
    /// Bindings.
    pub bindings: Vec<MaterializationBindingSpec>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the materialization.
    pub delete: Option<bool>,
}

/// A materialization binding, in the model's form.
///
/// ```ts
/// const b: MaterializationBindingSpec = { resource: { table: "orders" }, source: "acmeCo/orders" };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct MaterializationBindingSpec {
    /// Endpoint resource.
    #[napi(ts_type = "JsonObject | string")]
    pub resource: Value,
    /// Source collection.
    #[napi(ts_type = "string | FullSource")]
    pub source: Value,
    /// Disable the binding.
    pub disable: Option<bool>,
    /// Priority.
    pub priority: Option<u32>,
    /// Field selection.
    pub fields: Option<FieldsOptions>,
    /// Backfill counter.
    pub backfill: Option<u32>,
    /// What to do when the source schema changes incompatibly.
    #[napi(ts_type = "OnIncompatibleSchemaChange")]
    pub on_incompatible_schema_change: Option<String>,
}

/// A test spec, as in `flow.yaml`.
///
/// ```ts
/// const spec: TestSpec = { description: "Totals", steps: [{ ingest: { collection: "acmeCo/x", documents: [] } }] };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct TestSpec {
    /// Description.
    pub description: Option<String>,
    /// Steps.
    pub steps: Vec<TestStep>,
    /// Expected last publication id.
    pub expect_pub_id: Option<String>,
    /// Delete the test.
    pub delete: Option<bool>,
}

/// A test step: `{ingest}` or `{verify}`.
///
/// ```ts
/// const steps: TestStep[] = [{ ingest: { collection: "acmeCo/x", documents: [{ id: 1 }] } }];
/// ```
#[napi]
pub type TestStep = napi::bindgen_prelude::Either<IngestStep, VerifyStep>;

/// A test step ingesting documents.
///
/// ```ts
/// const step: IngestStep = { ingest: { collection: "acmeCo/x", documents: [{ id: 1 }] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct IngestStep {
    /// What to ingest.
    pub ingest: TestStepIngest,
}

/// A test step verifying documents.
///
/// ```ts
/// const step: VerifyStep = { verify: { collection: "acmeCo/x", documents: [{ id: 1 }] } };
/// ```
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct VerifyStep {
    /// What to verify.
    pub verify: TestStepVerify,
}

/// What to do when a source schema changes incompatibly.
///
/// ```ts
/// const policy: OnIncompatibleSchemaChange = "disableBinding";
/// ```
#[napi(string_enum, object_from_js = false, object_to_js = false)]
pub enum OnIncompatibleSchemaChange {
    /// Fail the publication.
    #[napi(value = "abort")]
    Abort,
    /// Backfill the binding (the default).
    #[napi(value = "backfill")]
    Backfill,
    /// Disable the binding.
    #[napi(value = "disableBinding")]
    DisableBinding,
    /// Disable the whole task.
    #[napi(value = "disableTask")]
    DisableTask,
}

/// A projection: a JSON pointer, or `{location, partition}`.
///
/// ```ts
/// const p: Projection = { location: "/region", partition: true };
/// ```
#[napi]
pub type Projection = napi::bindgen_prelude::Either<String, ExtendedProjection>;
