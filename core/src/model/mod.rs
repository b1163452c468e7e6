//! The catalog model: serde + schemars types for every spec kind.
//!
//! The types follow Estuary's `flow.yaml` format field by field: YAML
//! spelling in camelCase, unknown fields rejected, fields at their defaults
//! left out when serializing. Opaque values (`config`, `resource`, lambdas,
//! migrations, schemas, test documents) are raw JSON with key order kept.
//!
//! ```
//! use flowspec::Catalog;
//!
//! let catalog: Catalog = serde_json::from_value(serde_json::json!({
//!     "collections": {
//!         "acmeCo/anvils": {
//!             "schema": {"type": "object", "properties": {"id": {"type": "string"}}},
//!             "key": ["/id"]
//!         }
//!     }
//! })).unwrap();
//! assert_eq!(catalog.collections.len(), 1);
//! ```

mod capture;
mod catalog;
mod collection;
mod connector;
mod derivation;
mod materialization;
mod schema;
mod shards;
mod slots;
mod source;
mod test_def;
mod values;

pub use capture::{AutoDiscover, CaptureBinding, CaptureDef, CaptureEndpoint};
pub use catalog::{Catalog, FileOrigin, Kind, Origins, DEFAULT_BASE};
pub use collection::{
    CollectionDef, CompressionCodec, FragmentTemplate, JournalTemplate, Projection,
};
pub use connector::{ConnectorConfig, DekafConfig, LocalConfig};
pub use derivation::{
    Derivation, DeriveUsing, PythonModule, Shuffle, ShuffleType, SqliteMigrations, TransformDef,
    TypescriptModule,
};
pub use materialization::{
    MaterializationBinding, MaterializationDef, MaterializationEndpoint, MaterializationFields,
    OnIncompatibleSchemaChange, RecommendedDepth, SourceCapture, SourceCaptureDef, TargetNaming,
};
pub use schema::Schema;
pub use shards::{LogLevel, ShardTemplate};
pub use slots::{file_reference, Slot, SlotValue, SlotValueMut, Slots};
pub use source::{FullSource, PartitionSelector, Source};
pub use test_def::{TestDef, TestDocuments, TestStep, TestStepIngest, TestStepVerify};
pub use values::{Duration, Id, Timestamp};

/// Splits a doc comment into a `# Title` line and the description after it.
pub(crate) fn split_doc(doc: &str) -> (Option<String>, String) {
    let doc = doc.trim();
    if let Some(rest) = doc.strip_prefix("# ") {
        let (title, desc) = rest.split_once('\n').unwrap_or((rest, ""));
        let desc = desc
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
        (Some(title.trim().to_string()), desc)
    } else {
        (None, doc.to_string())
    }
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Implements `Deserialize` for a type written either as a string or as a map
/// (or sequence), keeping error paths intact for both forms.
macro_rules! string_or_struct {
    ($ty:ty, $expecting:literal, str => $from_str:expr, map => $from_map:expr) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        #[allow(clippy::redundant_closure_call)]
                        ($from_str)(v).map_err(E::custom)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        m: A,
                    ) -> Result<$ty, A::Error> {
                        #[allow(clippy::redundant_closure_call)]
                        ($from_map)(serde::de::value::MapAccessDeserializer::new(m))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}
pub(crate) use string_or_struct;
