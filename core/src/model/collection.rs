//! Collections: schema, key, projections, journals and an optional derivation.

use std::collections::BTreeMap;

use super::{deserialize_forms, deserialize_names, is_false, Derivation, Duration, Id, Schema};
use crate::names::{Field, JsonPointer};

/// # Collection
/// A collection of JSON documents, keyed by `key`, validated by `schema` (or
/// by `writeSchema` on write and `readSchema` on read). With `derive`, it is
/// a derivation.
///
/// ```
/// use flowspec::CollectionDef;
/// let c: CollectionDef = serde_json::from_str(
///     r#"{"schema": {"type": "object"}, "key": ["/id"], "projections": {"region": {"location": "/region", "partition": true}}}"#,
/// ).unwrap();
/// assert_eq!(c.key[0].as_str(), "/id");
/// assert!(c.projections["region"].is_partition());
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a collection: an object {schema, key, …}"
)]
#[schemars(example = CollectionDef::example())]
pub struct CollectionDef {
    /// # Schema of the collection's documents.
    /// Give either `schema`, or both `writeSchema` and `readSchema`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// # Schema of documents as they are written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_schema: Option<Schema>,
    /// # Schema of documents as they are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_schema: Option<Schema>,
    /// # Composite key of the collection, as JSON pointers.
    pub key: Vec<JsonPointer>,
    /// # Projections: named fields of document locations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub projections: BTreeMap<Field, Projection>,
    /// # Journal template.
    #[serde(default, skip_serializing_if = "JournalTemplate::is_default")]
    pub journals: JournalTemplate,
    /// # Derivation that builds this collection from others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derive: Option<Derivation>,
    /// # Expected last publication id, for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_pub_id: Option<Id>,
    /// # Delete this collection.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delete: bool,
}

impl CollectionDef {
    /// A collection with one schema and a key.
    pub fn new(schema: Schema, key: Vec<JsonPointer>) -> Self {
        Self {
            schema: Some(schema),
            write_schema: None,
            read_schema: None,
            key,
            projections: BTreeMap::new(),
            journals: JournalTemplate::default(),
            derive: None,
            expect_pub_id: None,
            delete: false,
        }
    }

    /// An example value.
    pub fn example() -> Self {
        Self::new(Schema::example(), vec![JsonPointer::new("/id").unwrap()])
    }
}

/// # Projection
/// A document location, as a JSON pointer, or `{location, partition}` to make
/// the field a logical partition.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Projection {
    /// A document location.
    Pointer(JsonPointer),
    /// A location that may be a logical partition.
    Extended {
        /// # Location of the projected field.
        location: JsonPointer,
        /// # Whether the field is a logical partition.
        #[serde(default, skip_serializing_if = "is_false")]
        partition: bool,
    },
}

#[derive(serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {location, partition}"
)]
struct ExtendedProjection {
    location: JsonPointer,
    #[serde(default)]
    partition: bool,
}

deserialize_forms!(Projection, "a JSON pointer or an object {location, partition}",
    str => |v: &str| JsonPointer::new(v).map(Projection::Pointer),
    map => |m| <ExtendedProjection as serde::Deserialize>::deserialize(m)
        .map(|e| Projection::Extended { location: e.location, partition: e.partition }));

impl Projection {
    /// The projected location.
    pub fn location(&self) -> &JsonPointer {
        match self {
            Projection::Pointer(p) => p,
            Projection::Extended { location, .. } => location,
        }
    }

    /// Whether this projection is a logical partition.
    pub fn is_partition(&self) -> bool {
        matches!(
            self,
            Projection::Extended {
                partition: true,
                ..
            }
        )
    }
}

/// # Journal template
/// How the collection's journals store fragments.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a journal template: an object {fragments}"
)]
pub struct JournalTemplate {
    /// # Fragment settings.
    pub fragments: FragmentTemplate,
}

impl JournalTemplate {
    /// Whether every field is at its default.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// # Fragment template
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a fragment template: an object {length, compressionCodec, retention, flushInterval}"
)]
pub struct FragmentTemplate {
    /// # Target fragment size, in megabytes (32 to 4096; default 512).
    #[serde(
        default,
        deserialize_with = "crate::json::option_u32_of_number",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(range(min = 32, max = 4096))]
    pub length: Option<u32>,
    /// # Compression codec of fragments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression_codec: Option<CompressionCodec>,
    /// # How long fragments are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Duration>,
    /// # How often a fragment is flushed to storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flush_interval: Option<Duration>,
}

/// # Compression codec
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CompressionCodec {
    /// No compression.
    None,
    /// gzip.
    Gzip,
    /// Zstandard.
    Zstandard,
    /// Snappy.
    Snappy,
    /// gzip, decompressed by the storage service on read.
    GzipOffloadDecompression,
}

deserialize_names!(CompressionCodec,
    "NONE" => None, "GZIP" => Gzip, "ZSTANDARD" => Zstandard, "SNAPPY" => Snappy,
    "GZIP_OFFLOAD_DECOMPRESSION" => GzipOffloadDecompression);
