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
mod json_schema;
mod materialization;
mod schema;
mod shards;
mod slots;
mod source;
pub(crate) mod spellings;
mod test_def;
#[cfg(test)]
mod tests;
mod values;

pub use capture::{AutoDiscover, CaptureBinding, CaptureDef, CaptureEndpoint};
pub use catalog::{Catalog, Edge, FileOrigin, Kind, Origins, UnknownKind, DEFAULT_BASE};
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

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Implements `Deserialize` for a type written in one of several JSON
/// forms. Each `form => function` arm accepts one: `bool`, `u64` and `str`
/// take the value and return `Result<T, impl Display>`; `seq` and `map` take
/// a deserializer of the sequence or map (so errors inside keep their
/// path). Any other value is an error saying what `expecting` is, like
/// `invalid type: integer `5`, expected a capture name or an object …`.
macro_rules! deserialize_forms {
    ($ty:ty, $expecting:expr, $($form:ident => $f:expr),+ $(,)?) => {
        $crate::model::deserialize_any!('de, $ty, |f| f.write_str($expecting), {
            $($crate::model::deserialize_forms!(@visit 'de, $ty, $form, $f);)+
        });
    };
    (@visit $de:lifetime, $ty:ty, bool, $f:expr) => {
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<$ty, E> {
            #[allow(clippy::redundant_closure_call)]
            ($f)(v).map_err($crate::names::FormError::into_de_error)
        }
    };
    (@visit $de:lifetime, $ty:ty, u64, $f:expr) => {
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<$ty, E> {
            #[allow(clippy::redundant_closure_call)]
            ($f)(v).map_err($crate::names::FormError::into_de_error)
        }
    };
    (@visit $de:lifetime, $ty:ty, str, $f:expr) => {
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
            #[allow(clippy::redundant_closure_call)]
            ($f)(v).map_err($crate::names::FormError::into_de_error)
        }
    };
    (@visit $de:lifetime, $ty:ty, seq, $f:expr) => {
        fn visit_seq<A: serde::de::SeqAccess<$de>>(self, s: A) -> Result<$ty, A::Error> {
            #[allow(clippy::redundant_closure_call)]
            ($f)(serde::de::value::SeqAccessDeserializer::new(s))
        }
    };
    (@visit $de:lifetime, $ty:ty, map, $f:expr) => {
        fn visit_map<A: serde::de::MapAccess<$de>>(self, m: A) -> Result<$ty, A::Error> {
            #[allow(clippy::redundant_closure_call)]
            ($f)(serde::de::value::MapAccessDeserializer::new(m))
        }
    };
}
pub(crate) use deserialize_forms;

/// Implements `Deserialize` for an enum written as an object with exactly
/// one of its `key => Variant` properties (`key | alias` for a second
/// spelling), or as the string `unit` for a variant without a value. The
/// errors say which keys are accepted, where serde would say `expected map
/// with a single key`; an unknown key is serde's `unknown variant` error,
/// listing the keys.
macro_rules! deserialize_one_of {
    (
        $ty:ident, $what:literal, $keys:literal,
        $($key:literal $(| $alias:literal)? => $variant:ident),+
        $(; unit $unit:literal => $unit_variant:ident)? $(,)?
    ) => {
        $crate::model::deserialize_any!('de, $ty, |f| {
            $(f.write_str(concat!("`", $unit, "`, or "))?;)?
            f.write_str(concat!($what, ": an object with one of ", $keys))
        }, {
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        $(if v == $unit {
                            return Ok($ty::$unit_variant);
                        })?
                        Err(E::invalid_type(serde::de::Unexpected::Str(v), &self))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut m: A,
                    ) -> Result<$ty, A::Error> {
                        use serde::de::Error as _;
                        let Some(key) = m.next_key::<String>()? else {
                            return Err(A::Error::custom(concat!(
                                $what, " needs one of ", $keys, ", and this object has none"
                            )));
                        };
                        let value = match key.as_str() {
                            $($key $(| $alias)? => $ty::$variant(m.next_value()?),)+
                            $($unit => {
                                return Err(A::Error::custom(concat!(
                                    "`", $unit, "` takes no value: write it as the string `",
                                    $unit, "`"
                                )))
                            })?
                            other => {
                                return Err(A::Error::unknown_variant(
                                    other,
                                    &[$($key, $($alias,)?)+],
                                ))
                            }
                        };
                        if let Some(second) = m.next_key::<String>()? {
                            return Err(A::Error::custom($crate::model::spellings::two_keys(
                                $what,
                                $keys,
                                &[$($(($key, $alias),)?)+],
                                &key,
                                &second,
                            )));
                        }
                        Ok(value)
                    }
        });
    };
}
pub(crate) use deserialize_one_of;

/// Implements `Deserialize` for an enum of unit variants written as their
/// names (`"name" | "alias" => Variant`): any other value is an error
/// listing the names, where serde would say `expected string or map`.
macro_rules! deserialize_names {
    ($ty:ident, $($name:literal $(| $alias:literal)? => $variant:ident),+ $(,)?) => {
        $crate::model::deserialize_any!('de, $ty, |f| {
            let names: &[&str] = &[$($name),+];
            let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            write!(f, "one of {}", names.join(", "))
        }, {
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                match v {
                    $($name $(| $alias)? => Ok($ty::$variant),)+
                    other => Err(E::unknown_variant(other, &[$($name),+])),
                }
            }
        });
    };
}
pub(crate) use deserialize_names;

/// Implements `Deserialize` for `$ty` with a visitor of `deserialize_any`
/// whose `expecting` is the closure's body and whose other methods are
/// given; `$de` is the lifetime they use.
macro_rules! deserialize_any {
    ($de:lifetime, $ty:ty, |$f:ident| $expecting:expr, { $($methods:item)* }) => {
        impl<$de> serde::Deserialize<$de> for $ty {
            fn deserialize<D: serde::Deserializer<$de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<$de> serde::de::Visitor<$de> for V {
                    type Value = $ty;
                    fn expecting(&self, $f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        $expecting
                    }
                    $($methods)*
                }
                d.deserialize_any(V)
            }
        }
    };
}
pub(crate) use deserialize_any;
