//! Option objects of the DSL, as the bindings pass them (JSON, camelCase).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::model::spellings::spellings;
use crate::model::{deserialize_forms, deserialize_names};

use crate::{
    AutoDiscover, CaptureBinding, CaptureDef, CaptureEndpoint, CollectionDef, ConnectorConfig,
    DekafConfig, Derivation, DeriveUsing, Duration, Error, Field, FullSource, Id, JournalTemplate,
    JsonPointer, LocalConfig, MaterializationBinding, MaterializationDef, MaterializationEndpoint,
    MaterializationFields, OnIncompatibleSchemaChange, PartitionSelector, Projection, PythonModule,
    RecommendedDepth, Result, Schema, ShardTemplate, Shuffle, ShuffleType, Source, SourceCapture,
    SqliteMigrations, TestDef, TestDocuments, TestStep, TestStepIngest, TestStepVerify, Timestamp,
    Transform, TransformDef, TypescriptModule,
};

/// Options of a capture: `image` and `config` (or `local`), and the rest
/// of [`CaptureDef`].
///
/// ```
/// let o: flowspec::json_api::CaptureOptions = serde_json::from_value(serde_json::json!({
///     "image": "ghcr.io/estuary/source-postgres:v1", "config": {"address": "db:5432"}, "interval": "10m"
/// })).unwrap();
/// assert_eq!(o.image.as_deref(), Some("ghcr.io/estuary/source-postgres:v1"));
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "capture options: an object {image, config, bindings, …}"
)]
#[schemars(example = serde_json::json!({"image": "ghcr.io/estuary/source-postgres:v1", "config": {"address": "db:5432"}, "interval": "10m"}))]
pub struct CaptureOptions {
    /// Connector image.
    pub image: Option<String>,
    /// Connector configuration (default `{}`): an object, or the relative
    /// URL of a file that holds it (sops-encrypted, typically).
    pub config: Option<Value>,
    /// A local command instead of an image.
    pub local: Option<LocalConfig>,
    /// Bindings (or add them with `binding`).
    #[serde(default)]
    pub bindings: Vec<CaptureBinding>,
    /// Interval between runs of connectors that exit, like `10m` (default
    /// `5m`).
    pub interval: Option<Duration>,
    /// Auto-discovery: `true` for the default settings, or the settings.
    pub auto_discover: Option<AutoDiscoverOption>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Expected last publication id (16 hex digits).
    pub expect_pub_id: Option<Id>,
    /// Delete the capture.
    #[serde(default)]
    pub delete: bool,
    /// Delete and re-create the capture in one publication.
    #[serde(default)]
    pub reset: bool,
    /// Salt for `sha256` redaction (base64).
    pub redact_salt: Option<String>,
}

/// Auto-discovery: on or off, or its settings.
///
/// ```
/// use flowspec::json_api::AutoDiscoverOption;
/// let o: AutoDiscoverOption = serde_json::from_value(serde_json::json!(true)).unwrap();
/// assert!(matches!(o, AutoDiscoverOption::Enabled(true)));
/// ```
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum AutoDiscoverOption {
    /// `true` turns discovery on with default settings; `false` off.
    Enabled(bool),
    /// The settings.
    Settings(AutoDiscover),
}

deserialize_forms!(AutoDiscoverOption,
    "true, false, or an object {addNewBindings, evolveIncompatibleCollections}",
    bool => |v: bool| Ok::<_, String>(AutoDiscoverOption::Enabled(v)),
    map => |m| AutoDiscover::deserialize(m).map(AutoDiscoverOption::Settings));

fn endpoint_parts(
    what: &str,
    image: Option<String>,
    config: Option<Value>,
    others: usize,
) -> Result<Option<ConnectorConfig>> {
    match (image, config) {
        (Some(image), config) if others == 0 => Ok(Some(ConnectorConfig::new(
            image,
            config.unwrap_or_else(|| Value::Object(Default::default())),
        ))),
        (None, None) if others == 1 => Ok(None),
        (None, Some(_)) if others == 0 => Err(Error::invalid_spec(
            what,
            "`config` is given without an `image`",
        )),
        (None, None) if others == 0 => Err(Error::invalid_spec(
            what,
            "no endpoint is given: give `image` (and `config`), or another endpoint",
        )),
        _ => Err(Error::invalid_spec(
            what,
            "give only one endpoint (`image`, or one of the others)",
        )),
    }
}

impl CaptureOptions {
    /// The capture these options describe.
    pub fn into_def(self, what: &str) -> Result<CaptureDef> {
        let connector =
            endpoint_parts(what, self.image, self.config, self.local.is_some() as usize)?;
        let endpoint = match (connector, self.local) {
            (Some(c), _) => CaptureEndpoint::Connector(c),
            (None, Some(l)) => CaptureEndpoint::Local(l),
            (None, None) => unreachable!("endpoint_parts checked"),
        };
        let mut def = CaptureDef::new(endpoint);
        def.bindings = self.bindings;
        if let Some(i) = self.interval {
            def.interval = i;
        }
        def.auto_discover = match self.auto_discover {
            None | Some(AutoDiscoverOption::Enabled(false)) => None,
            Some(AutoDiscoverOption::Enabled(true)) => Some(AutoDiscover::default()),
            Some(AutoDiscoverOption::Settings(s)) => Some(s),
        };
        def.shards = self.shards.unwrap_or_default();
        def.expect_pub_id = self.expect_pub_id;
        def.delete = self.delete;
        def.reset = self.reset;
        def.redact_salt = self.redact_salt;
        Ok(def)
    }
}

/// Options of a collection: the fields of [`CollectionDef`] but `derive`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "collection options: an object {schema, key, …}"
)]
#[schemars(example = serde_json::json!({"schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}, "key": ["/id"]}))]
pub struct CollectionOptions {
    /// Schema of the documents: an object (or `true`), or the relative URL of
    /// a schema file. Or give `writeSchema` and `readSchema`.
    pub schema: Option<Schema>,
    /// Schema of documents as they are written (with `readSchema`).
    pub write_schema: Option<Schema>,
    /// Schema of documents as they are read (with `writeSchema`).
    pub read_schema: Option<Schema>,
    /// Composite key, as JSON pointers.
    pub key: Vec<JsonPointer>,
    /// Projections: field name to a JSON pointer or `{location, partition}`.
    #[serde(default)]
    pub projections: BTreeMap<Field, Projection>,
    /// Journal template.
    pub journals: Option<JournalTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<Id>,
    /// Delete the collection.
    #[serde(default)]
    pub delete: bool,
}

impl CollectionOptions {
    /// The collection these options describe.
    pub fn into_def(self) -> CollectionDef {
        CollectionDef {
            schema: self.schema,
            write_schema: self.write_schema,
            read_schema: self.read_schema,
            key: self.key,
            projections: self.projections,
            journals: self.journals.unwrap_or_default(),
            derive: None,
            expect_pub_id: self.expect_pub_id,
            delete: self.delete,
        }
    }
}

/// Options of a derivation: a collection's options, exactly one runtime
/// (`typescript`, `sqlite`, `python`, `connector`, `local` or the model's
/// `using`), and the rest of [`Derivation`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "derivation options: an object {schema, key, typescript, sqlite, transforms, …}"
)]
#[schemars(example = serde_json::json!({"schema": "totals.schema.yaml", "key": ["/customer_id"], "typescript": "totals.flow.ts"}))]
pub struct DerivationOptions {
    /// Schema of the documents: an object (or `true`), or the relative URL of
    /// a schema file. Or give `writeSchema` and `readSchema`.
    pub schema: Option<Schema>,
    /// Schema of documents as they are written (with `readSchema`).
    pub write_schema: Option<Schema>,
    /// Schema of documents as they are read (with `writeSchema`).
    pub read_schema: Option<Schema>,
    /// Composite key, as JSON pointers.
    pub key: Vec<JsonPointer>,
    /// Projections: field name to a JSON pointer or `{location, partition}`.
    #[serde(default)]
    pub projections: BTreeMap<Field, Projection>,
    /// Journal template.
    pub journals: Option<JournalTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<Id>,
    /// Delete the derivation.
    #[serde(default)]
    pub delete: bool,
    /// TypeScript: the module's file URL (or code), or `{module}`.
    pub typescript: Option<ModuleOption>,
    /// SQLite: the migrations (file URLs or SQL; `[]` for none), or
    /// `{migrations}`.
    pub sqlite: Option<SqliteOption>,
    /// Python: the module's file URL (or code), or `{module, dependencies}`.
    pub python: Option<ModuleOption>,
    /// A derivation connector image and its config.
    pub connector: Option<ConnectorConfig>,
    /// A local command.
    pub local: Option<LocalConfig>,
    /// The runtime in the model's form, like `{sqlite: {migrations: []}}`.
    pub using: Option<DeriveUsing>,
    /// Transforms (or add them with `transform`).
    #[serde(default)]
    pub transforms: Vec<TransformOptions>,
    /// Types of the shuffle key's components, when they cannot be inferred.
    #[serde(default)]
    pub shuffle_key_types: Vec<ShuffleType>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Salt for `sha256` redaction (base64).
    pub redact_salt: Option<String>,
}

/// A module: its code or file URL, or an object.
///
/// ```
/// use flowspec::json_api::ModuleOption;
/// let o: ModuleOption = serde_json::from_value(serde_json::json!("derive.ts")).unwrap();
/// assert!(matches!(o, ModuleOption::Module(_)));
/// ```
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum ModuleOption {
    /// Code or a file URL.
    Module(String),
    /// `{module, dependencies}`.
    Object(PythonModule),
}

deserialize_forms!(ModuleOption,
    "the module's code or file URL, or an object {module, dependencies}",
    str => |v: &str| Ok::<_, String>(ModuleOption::Module(v.to_string())),
    map => |m| PythonModule::deserialize(m).map(ModuleOption::Object));

/// SQLite migrations: a list, or `{migrations}`.
///
/// ```
/// use flowspec::json_api::SqliteOption;
/// let o: SqliteOption = serde_json::from_value(serde_json::json!(["CREATE TABLE t (x);"])).unwrap();
/// assert!(matches!(o, SqliteOption::List(_)));
/// ```
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum SqliteOption {
    /// Migrations: SQL or file URLs.
    List(#[schemars(with = "Vec<String>")] Vec<Value>),
    /// The model's form.
    Object(SqliteMigrations),
}

deserialize_forms!(SqliteOption,
    "a list of migrations (SQL or file URLs), or an object {migrations}",
    seq => |s| Vec::<Value>::deserialize(s).map(SqliteOption::List),
    map => |m| SqliteMigrations::deserialize(m).map(SqliteOption::Object));

impl DerivationOptions {
    /// The derived collection these options describe.
    pub fn into_def(self, what: &str) -> Result<CollectionDef> {
        let mut usings = Vec::new();
        if let Some(t) = self.typescript {
            usings.push(match t {
                ModuleOption::Module(m) => DeriveUsing::Typescript(TypescriptModule {
                    module: Value::String(m),
                }),
                ModuleOption::Object(p) if p.dependencies.is_empty() => {
                    DeriveUsing::Typescript(TypescriptModule { module: p.module })
                }
                ModuleOption::Object(_) => {
                    return Err(Error::invalid_spec(
                        what,
                        "typescript takes a `module` and no `dependencies`",
                    ))
                }
            });
        }
        if let Some(s) = self.sqlite {
            usings.push(DeriveUsing::Sqlite(match s {
                SqliteOption::List(migrations) => SqliteMigrations { migrations },
                SqliteOption::Object(o) => o,
            }));
        }
        if let Some(p) = self.python {
            usings.push(DeriveUsing::Python(match p {
                ModuleOption::Module(m) => PythonModule {
                    module: Value::String(m),
                    dependencies: BTreeMap::new(),
                },
                ModuleOption::Object(o) => o,
            }));
        }
        if let Some(c) = self.connector {
            usings.push(DeriveUsing::Connector(c));
        }
        if let Some(l) = self.local {
            usings.push(DeriveUsing::Local(l));
        }
        if let Some(u) = self.using {
            usings.push(u);
        }
        let using = match usings.len() {
            1 => usings.pop().expect("one"),
            0 => {
                return Err(Error::invalid_spec(
                    what,
                    "no runtime is given: give one of `typescript`, `sqlite`, `python`, `connector` or `local`",
                ))
            }
            _ => {
                return Err(Error::invalid_spec(
                    what,
                    "give only one runtime (`typescript`, `sqlite`, `python`, `connector` or `local`)",
                ))
            }
        };
        let mut derive = Derivation::new(using);
        for (i, t) in self.transforms.into_iter().enumerate() {
            derive
                .transforms
                .push(t.into_def(&format!("{what} transform {i}"))?);
        }
        derive.shuffle_key_types = self.shuffle_key_types;
        derive.shards = self.shards.unwrap_or_default();
        derive.redact_salt = self.redact_salt;
        Ok(CollectionDef {
            schema: self.schema,
            write_schema: self.write_schema,
            read_schema: self.read_schema,
            key: self.key,
            projections: self.projections,
            journals: self.journals.unwrap_or_default(),
            derive: Some(derive),
            expect_pub_id: self.expect_pub_id,
            delete: self.delete,
        })
    }
}

/// Options of a transform: [`TransformDef`], with `source` as a name plus
/// optional `partitions`, `notBefore` and `notAfter`, and `shuffle` as
/// `"any"`, a list of key pointers, `{key}` or `{lambda}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "transform options: an object {name, source, shuffle, …}"
)]
#[schemars(example = serde_json::json!({"name": "fromOrders", "source": "acmeCo/orders", "shuffle": ["/customer_id"]}))]
pub struct TransformOptions {
    /// Transform name, unique within the derivation.
    pub name: Transform,
    /// Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
    pub source: Source,
    /// Partitions of the source to read.
    pub partitions: Option<PartitionSelector>,
    /// Read documents published at or after this time (RFC 3339).
    pub not_before: Option<Timestamp>,
    /// Read documents published at or before this time (RFC 3339).
    pub not_after: Option<Timestamp>,
    /// Shuffle: key pointers like `["/id"]`, `"any"`, `{key}` or `{lambda}`.
    pub shuffle: Option<ShuffleOption>,
    /// Lambda: SQL or a file URL (SQLite), or the connector's form.
    pub lambda: Option<Value>,
    /// Priority over other transforms (default 0).
    #[serde(default, deserialize_with = "crate::json::u32_of_number")]
    pub priority: u32,
    /// Delay before a document is read, like `1h`.
    pub read_delay: Option<Duration>,
    /// Disable the transform.
    #[serde(default)]
    pub disable: bool,
    /// Backfill counter.
    #[serde(default, deserialize_with = "crate::json::u32_of_number")]
    pub backfill: u32,
}

/// A shuffle: `"any"`, key pointers, or the model's form.
///
/// ```
/// use flowspec::json_api::ShuffleOption;
/// let o: ShuffleOption = serde_json::from_value(serde_json::json!(["/customer_id"])).unwrap();
/// assert!(matches!(o, ShuffleOption::Key(_)));
/// let err = serde_json::from_value::<ShuffleOption>(serde_json::json!(5)).unwrap_err();
/// assert_eq!(err.to_string(), "invalid type: integer `5`, expected `any`, a list of JSON pointers, or an object with one of `key` or `lambda`");
/// ```
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum ShuffleOption {
    /// Key pointers.
    Key(Vec<JsonPointer>),
    /// `"any"`, `{key}` or `{lambda}`.
    Shuffle(Shuffle),
}

deserialize_forms!(ShuffleOption,
    "`any`, a list of JSON pointers, or an object with one of `key` or `lambda`",
    str => |v: &str| match v {
        "any" => Ok(ShuffleOption::Shuffle(Shuffle::Any)),
        _ => Err(format!(
            "invalid value: string {v:?}, expected `any`, a list of JSON pointers, or an object \
             with one of `key` or `lambda`"
        )),
    },
    seq => |s| Vec::<JsonPointer>::deserialize(s).map(ShuffleOption::Key),
    map => |m| Shuffle::deserialize(m).map(ShuffleOption::Shuffle));

fn with_filters(
    what: &str,
    source: Source,
    partitions: Option<PartitionSelector>,
    not_before: Option<Timestamp>,
    not_after: Option<Timestamp>,
) -> Result<Source> {
    if partitions.is_none() && not_before.is_none() && not_after.is_none() {
        return Ok(source);
    }
    let mut full = match source {
        Source::Collection(c) => FullSource::new(c),
        Source::Source(_) => {
            return Err(Error::invalid_spec(
                what,
                "give `partitions`, `notBefore` and `notAfter` either in `source` or beside it, not both",
            ))
        }
    };
    full.partitions = partitions;
    full.not_before = not_before;
    full.not_after = not_after;
    Ok(Source::Source(full))
}

impl TransformOptions {
    /// The transform these options describe.
    pub fn into_def(self, what: &str) -> Result<TransformDef> {
        let source = with_filters(
            what,
            self.source,
            self.partitions,
            self.not_before,
            self.not_after,
        )?;
        Ok(TransformDef {
            name: self.name,
            source,
            shuffle: self.shuffle.map(|s| match s {
                ShuffleOption::Key(k) => Shuffle::Key(k),
                ShuffleOption::Shuffle(s) => s,
            }),
            priority: self.priority,
            read_delay: self.read_delay,
            lambda: self.lambda,
            disable: self.disable,
            backfill: self.backfill,
        })
    }
}

/// Options of a materialization: `image` and `config` (or `dekaf` or
/// `local`), and the rest of [`MaterializationDef`].
///
/// ```
/// let err = serde_json::from_value::<flowspec::json_api::MaterializationOptions>(serde_json::json!({
///     "image": "ghcr.io/estuary/materialize-x:v1", "sourceCapture": "acmeCo/c", "source": "acmeCo/c",
/// })).unwrap_err();
/// assert_eq!(err.to_string(), "`sourceCapture` and `source` are two spellings of one option: give only one of them");
/// ```
// `remote = "Self"`: `spellings!` wraps the derived code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "materialization options: an object {image, config, bindings, …}"
)]
#[schemars(example = serde_json::json!({"image": "ghcr.io/estuary/materialize-snowflake:v1", "config": "snowflake.sops.yaml"}))]
pub struct MaterializationOptions {
    /// Connector image.
    pub image: Option<String>,
    /// Connector configuration (default `{}`): an object, or the relative
    /// URL of a file that holds it.
    pub config: Option<Value>,
    /// Dekaf instead of an image.
    pub dekaf: Option<DekafConfig>,
    /// A local command instead of an image.
    pub local: Option<LocalConfig>,
    /// Capture whose bindings are materialized: a name or its settings
    /// (`source` is an older spelling).
    #[serde(alias = "source")]
    pub source_capture: Option<SourceCapture>,
    /// What to do when a source schema changes incompatibly (default
    /// `backfill`).
    pub on_incompatible_schema_change: Option<OnIncompatibleSchemaChange>,
    /// Bindings (or add them with `binding`).
    #[serde(default)]
    pub bindings: Vec<MaterializationBindingOptions>,
    /// Shard template.
    pub shards: Option<ShardTemplate>,
    /// Expected last publication id.
    pub expect_pub_id: Option<Id>,
    /// Delete the materialization.
    #[serde(default)]
    pub delete: bool,
}

spellings!(MaterializationOptions, &[("sourceCapture", "source")]);

impl MaterializationOptions {
    /// The materialization these options describe.
    pub fn into_def(self, what: &str) -> Result<MaterializationDef> {
        let others = self.dekaf.is_some() as usize + self.local.is_some() as usize;
        let connector = endpoint_parts(what, self.image, self.config, others)?;
        let endpoint = match (connector, self.dekaf, self.local) {
            (Some(c), _, _) => MaterializationEndpoint::Connector(c),
            (None, Some(d), _) => MaterializationEndpoint::Dekaf(d),
            (None, None, Some(l)) => MaterializationEndpoint::Local(l),
            (None, None, None) => unreachable!("endpoint_parts checked"),
        };
        let mut def = MaterializationDef::new(endpoint);
        def.source = self.source_capture;
        def.on_incompatible_schema_change = self.on_incompatible_schema_change.unwrap_or_default();
        for (i, b) in self.bindings.into_iter().enumerate() {
            def.bindings
                .push(b.into_def(&format!("{what} binding {i}"))?);
        }
        def.shards = self.shards.unwrap_or_default();
        def.expect_pub_id = self.expect_pub_id;
        def.delete = self.delete;
        Ok(def)
    }
}

/// Options of a materialization binding: [`MaterializationBinding`], with
/// `source` as a name plus optional filters, and `fields` whose
/// `recommended` defaults to `true`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "binding options: an object {resource, source, fields, …}"
)]
#[schemars(example = serde_json::json!({"resource": {"table": "orders"}, "source": "acmeCo/orders", "fields": {"exclude": ["notes"]}}))]
pub struct MaterializationBindingOptions {
    /// Endpoint resource, like `{table: "orders"}`, or a file URL.
    pub resource: Value,
    /// Source collection: a name, or `{name, partitions, notBefore, notAfter}`.
    pub source: Source,
    /// Partitions of the source to read.
    pub partitions: Option<PartitionSelector>,
    /// Read documents published at or after this time (RFC 3339).
    pub not_before: Option<Timestamp>,
    /// Read documents published at or before this time (RFC 3339).
    pub not_after: Option<Timestamp>,
    /// Field selection (`recommended` defaults to `true`).
    pub fields: Option<MaterializationFieldsOptions>,
    /// Priority over other bindings (default 0).
    #[serde(default, deserialize_with = "crate::json::u32_of_number")]
    pub priority: u32,
    /// Backfill counter.
    #[serde(default, deserialize_with = "crate::json::u32_of_number")]
    pub backfill: u32,
    /// Disable the binding.
    #[serde(default)]
    pub disable: bool,
    /// What to do when this binding's source schema changes incompatibly.
    pub on_incompatible_schema_change: Option<OnIncompatibleSchemaChange>,
}

/// Field selection, with `recommended` defaulting to `true` (the model's
/// [`MaterializationFields`] requires it).
///
/// ```
/// let o: flowspec::json_api::MaterializationFieldsOptions = serde_json::from_value(serde_json::json!({"groupBy": ["id"]})).unwrap();
/// assert_eq!(o.group_by[0].as_str(), "id");
/// assert!(o.recommended.is_none());
/// ```
// `remote = "Self"`: `spellings!` wraps the derived code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    remote = "Self",
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a field selection: an object {groupBy, require, exclude, recommended}"
)]
pub struct MaterializationFieldsOptions {
    /// Fields of the materialized key.
    #[serde(default)]
    pub group_by: Vec<Field>,
    /// Fields to include, with their configuration (`include` is an older
    /// spelling).
    #[serde(default, alias = "include")]
    pub require: BTreeMap<Field, Value>,
    /// Fields to exclude.
    #[serde(default)]
    pub exclude: Vec<Field>,
    /// Recommended fields: `true` (default), `false`, or a depth.
    pub recommended: Option<RecommendedDepth>,
}

spellings!(MaterializationFieldsOptions, &[("require", "include")]);

impl MaterializationBindingOptions {
    /// The binding these options describe.
    pub fn into_def(self, what: &str) -> Result<MaterializationBinding> {
        let source = with_filters(
            what,
            self.source,
            self.partitions,
            self.not_before,
            self.not_after,
        )?;
        let mut b = MaterializationBinding::new(self.resource, source);
        if let Some(f) = self.fields {
            b.fields = MaterializationFields {
                group_by: f.group_by,
                require: f.require,
                exclude: f.exclude,
                recommended: f.recommended.unwrap_or(RecommendedDepth::Bool(true)),
            };
        }
        b.priority = self.priority;
        b.backfill = self.backfill;
        b.disable = self.disable;
        b.on_incompatible_schema_change = self.on_incompatible_schema_change;
        Ok(b)
    }
}

/// Options of a test.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "test options: an object {description, steps, …}"
)]
#[schemars(example = serde_json::json!({"description": "Line items are totalled."}))]
pub struct TestOptions {
    /// What the test checks.
    #[serde(default)]
    pub description: String,
    /// Steps in the model's form (or add them with `ingest` and `verify`).
    #[serde(default)]
    pub steps: Vec<TestStep>,
    /// Expected last publication id.
    pub expect_pub_id: Option<Id>,
    /// Delete the test.
    #[serde(default)]
    pub delete: bool,
}

impl TestOptions {
    /// The test these options describe.
    pub fn into_def(self) -> TestDef {
        TestDef {
            description: self.description,
            steps: self.steps,
            expect_pub_id: self.expect_pub_id,
            delete: self.delete,
        }
    }
}

/// Options of an ingest step.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "ingest options: an object {collection, documents, description}"
)]
#[schemars(example = serde_json::json!({"collection": "acmeCo/line-items", "documents": [{"id": "1", "price": 499}]}))]
pub struct IngestOptions {
    /// Collection to ingest into.
    pub collection: crate::Collection,
    /// Documents, or the URL of a fixture file.
    pub documents: TestDocuments,
    /// What the step does.
    #[serde(default)]
    pub description: String,
}

impl IngestOptions {
    /// The step these options describe.
    pub fn into_step(self) -> TestStep {
        TestStep::Ingest(TestStepIngest {
            description: self.description,
            collection: self.collection,
            documents: self.documents,
        })
    }
}

/// Options of a verify step.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "verify options: an object {collection, documents, partitions, description}"
)]
#[schemars(example = serde_json::json!({"collection": "acmeCo/totals", "documents": [{"id": "1", "total": 499}], "partitions": {"include": {"region": ["EU"]}}}))]
pub struct VerifyOptions {
    /// Collection to verify: a name, or `{name, partitions}`.
    pub collection: Source,
    /// Expected documents, or the URL of a fixture file.
    pub documents: TestDocuments,
    /// Partitions to verify.
    pub partitions: Option<PartitionSelector>,
    /// What the step checks.
    #[serde(default)]
    pub description: String,
}

impl VerifyOptions {
    /// The step these options describe.
    pub fn into_step(self) -> TestStep {
        let collection = match (self.collection, self.partitions) {
            (c, None) => c,
            (Source::Collection(c), Some(p)) => {
                let mut full = FullSource::new(c);
                full.partitions = Some(p);
                Source::Source(full)
            }
            (Source::Source(mut full), Some(p)) => {
                full.partitions = Some(p);
                Source::Source(full)
            }
        };
        TestStep::Verify(TestStepVerify {
            description: self.description,
            collection,
            documents: self.documents,
        })
    }
}

/// Options of writing a catalog: `{layout, recipients, plaintextSecrets}`;
/// `flat`, recipients from the environment or `.sops.yaml`, and secrets
/// encrypted by default.
///
/// ```
/// let o: flowspec::json_api::WriteOptions = serde_json::from_value(serde_json::json!({"layout": "canonical", "recipients": ["age1…"]})).unwrap();
/// assert_eq!(o.layout(), flowspec::write::Layout::Canonical);
/// assert_eq!(o.to_write_options().recipients, ["age1…"]);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "write options: an object {layout, recipients, plaintextSecrets}"
)]
#[schemars(example = serde_json::json!({"layout": "canonical", "recipients": ["age1..."]}))]
pub struct WriteOptions {
    /// `flat` (default): everything in the one file. `canonical`: the
    /// split layout of `flowctl catalog pull-specs`, one directory per name
    /// prefix.
    pub layout: Option<LayoutOption>,
    /// age recipients (`age1...`) of the configs holding secrets. Default:
    /// `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching
    /// the written file.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Write secrets in plaintext (as `_sops` keys) instead of failing when
    /// there is no recipient. Default `false`.
    #[serde(default)]
    pub plaintext_secrets: bool,
    /// Remove the files of the catalog previously written at the target
    /// that the written catalog no longer uses. Default `false`: they are
    /// left, and named in a warning.
    #[serde(default)]
    pub prune: bool,
}

/// Options of rendering a catalog as one document ([`super::render`]:
/// `toYaml` / `to_yaml` and `toJson` / `to_json` in the bindings):
/// `{recipients, plaintextSecrets}`.
///
/// ```
/// let o: flowspec::json_api::RenderOptions = serde_json::from_value(serde_json::json!({"plaintextSecrets": true})).unwrap();
/// assert!(o.plaintext_secrets);
/// ```
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "render options: an object {recipients, plaintextSecrets}"
)]
pub struct RenderOptions {
    /// age recipients (`age1...`) of the configs holding secrets. Default:
    /// `SOPS_AGE_RECIPIENTS`, then the `.sops.yaml` creation rule matching
    /// `flow.yaml` in the current directory.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Render secrets in plaintext (as `_sops` keys) instead of failing
    /// when there is no recipient. Default `false`.
    #[serde(default)]
    pub plaintext_secrets: bool,
}

/// A layout, as the bindings name it.
///
/// ```
/// let l: flowspec::json_api::LayoutOption = serde_json::from_value(serde_json::json!("canonical")).unwrap();
/// assert_eq!(l, flowspec::json_api::LayoutOption::Canonical);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LayoutOption {
    /// One file.
    Flat,
    /// flowctl pull-specs' split layout.
    Canonical,
}

deserialize_names!(LayoutOption, "flat" => Flat, "canonical" => Canonical);

impl WriteOptions {
    /// The layout these options ask for.
    pub fn layout(&self) -> crate::write::Layout {
        match self.layout {
            None | Some(LayoutOption::Flat) => crate::write::Layout::Flat,
            Some(LayoutOption::Canonical) => crate::write::Layout::Canonical,
        }
    }

    /// The [`crate::write::WriteOptions`] these options ask for.
    pub fn to_write_options(&self) -> crate::write::WriteOptions {
        crate::write::WriteOptions {
            layout: self.layout(),
            recipients: self.recipients.clone(),
            plaintext_secrets: self.plaintext_secrets,
            prune: self.prune,
            keep_placement: false,
        }
    }
}
