//! Collection sources of transforms, materialization bindings and verify steps.

use std::collections::BTreeMap;

use super::{deserialize_forms, Timestamp};
use crate::names::{Collection, Field};

/// # Source
/// A source collection: its name, or `{name, partitions, notBefore, notAfter}`
/// to select partitions and a publish-time window.
///
/// ```
/// use flowspec::{Collection, Source};
/// let s: Source = serde_json::from_str(r#""acmeCo/orders""#).unwrap();
/// assert_eq!(s.collection().as_str(), "acmeCo/orders");
/// let s: Source = serde_json::from_str(r#"{"name": "acmeCo/orders", "notBefore": "2024-01-01T00:00:00Z"}"#).unwrap();
/// assert!(matches!(s, Source::Source(_)));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Source {
    /// A collection name.
    Collection(Collection),
    /// A collection with partition and time filters.
    Source(FullSource),
}

deserialize_forms!(Source, "a collection name or an object {name, partitions, notBefore, notAfter}",
    str => |v: &str| Collection::new(v).map(Source::Collection),
    map => |m| <FullSource as serde::Deserialize>::deserialize(m).map(Source::Source));

impl Source {
    /// The source collection's name.
    pub fn collection(&self) -> &Collection {
        match self {
            Source::Collection(c) => c,
            Source::Source(s) => &s.name,
        }
    }

    /// The full form, when partitions or times are given.
    pub fn full(&self) -> Option<&FullSource> {
        match self {
            Source::Collection(_) => None,
            Source::Source(s) => Some(s),
        }
    }
}

impl From<Collection> for Source {
    fn from(c: Collection) -> Self {
        Source::Collection(c)
    }
}

/// # Source with filters
/// A collection with an optional partition selector and publish-time window.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {name, partitions, notBefore, notAfter}"
)]
#[schemars(example = FullSource::example())]
pub struct FullSource {
    /// # Name of the collection.
    pub name: Collection,
    /// # Partitions to read.
    /// Only documents of matching logical partitions are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitions: Option<PartitionSelector>,
    /// # Read only documents published at or after this time.
    /// Changing it does not re-process documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Timestamp>,
    /// # Read only documents published at or before this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_after: Option<Timestamp>,
}

impl FullSource {
    /// A source of `name` without filters.
    pub fn new(name: Collection) -> Self {
        Self {
            name,
            partitions: None,
            not_before: None,
            not_after: None,
        }
    }

    /// An example value.
    pub fn example() -> Self {
        Self {
            name: Collection::example(),
            partitions: Some(PartitionSelector::example()),
            not_before: None,
            not_after: None,
        }
    }
}

/// # Partition selector
/// Selects logical partitions by their field values. A document is included
/// when, for every field of `include`, its value is one of those listed, and
/// it is excluded when any field of `exclude` matches.
///
/// ```
/// use flowspec::PartitionSelector;
/// let p: PartitionSelector = serde_json::from_str(r#"{"include": {"region": ["EU", "US"]}}"#).unwrap();
/// assert_eq!(p.include.len(), 1);
/// ```
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a partition selector: an object {include, exclude}"
)]
#[schemars(example = PartitionSelector::example())]
pub struct PartitionSelector {
    /// # Partition field values to include.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub include: BTreeMap<Field, Vec<serde_json::Value>>,
    /// # Partition field values to exclude.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exclude: BTreeMap<Field, Vec<serde_json::Value>>,
}

impl PartitionSelector {
    /// An example value.
    pub fn example() -> Self {
        let mut include = BTreeMap::new();
        include.insert(
            Field::new("region").unwrap(),
            vec![serde_json::json!("EU"), serde_json::json!("US")],
        );
        Self {
            include,
            exclude: BTreeMap::new(),
        }
    }
}
