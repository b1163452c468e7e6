//! Options with two spellings, like `source` and its older `sourceCapture`:
//! giving both is an error that names them, where serde alone would report
//! a `duplicate field` under one name, or keep the last one.
//!
//! A type with an aliased field derives `Deserialize` with
//! `#[serde(remote = "Self")]`, which makes the derived code an inherent
//! `deserialize` function, and implements the trait with [`deserialize`],
//! which watches the keys of the object before that code sees them.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

/// Implements `Deserialize` (and `Serialize`, with `serialize`) for a type
/// deriving them with `#[serde(remote = "Self")]`: the derived code, after
/// a check that no object has both spellings of one of the pairs.
macro_rules! spellings {
    ($ty:ty, $pairs:expr) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::model::spellings::deserialize(d, $pairs, <$ty>::deserialize)
            }
        }
    };
    ($ty:ty, $pairs:expr, serialize) => {
        $crate::model::spellings::spellings!($ty, $pairs);
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, s)
            }
        }
    };
}
pub(crate) use spellings;

/// Pairs of spellings of one option: the name, then its alias.
pub(crate) type Pairs = &'static [(&'static str, &'static str)];

/// Deserializes with `derived` (the derived code of a type), failing when an
/// object has both spellings of one of `pairs`.
pub(crate) fn deserialize<'de, D, T>(
    d: D,
    pairs: Pairs,
    derived: impl FnOnce(Checked<D>) -> Result<T, D::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    derived(Checked { inner: d, pairs })
}

/// The message of an object with both spellings of one option.
pub(crate) fn both(first: &str, second: &str) -> String {
    format!("`{first}` and `{second}` are two spellings of one option: give only one of them")
}

/// The message of an object with two keys where one of `keys` was expected;
/// `aliases` are the pairs of spellings among them.
pub(crate) fn two_keys(
    what: &str,
    keys: &str,
    aliases: &[(&str, &str)],
    first: &str,
    second: &str,
) -> String {
    if aliases
        .iter()
        .any(|&(a, b)| (a, b) == (first, second) || (b, a) == (first, second))
    {
        both(first, second)
    } else {
        format!("{what} takes exactly one of {keys}, but this object has `{first}` and `{second}`")
    }
}

/// A deserializer whose objects are checked for both spellings of an option.
pub(crate) struct Checked<D> {
    inner: D,
    pairs: Pairs,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(Watch {
            visitor,
            pairs: self.pairs,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let watch = Watch {
            visitor,
            pairs: self.pairs,
        };
        self.inner.deserialize_struct(name, fields, watch)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A visitor whose maps are checked.
struct Watch<V> {
    visitor: V,
    pairs: Pairs,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watch<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Keys {
            map,
            pairs: self.pairs,
            seen: Vec::new(),
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(seq)
    }
}

/// The keys of a map, checked as they are read.
struct Keys<A> {
    map: A,
    pairs: Pairs,
    /// The spellings of pairs seen so far.
    seen: Vec<&'static str>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Keys<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.map.next_key::<String>()? else {
            return Ok(None);
        };
        for &(name, alias) in self.pairs {
            let (this, other) = if key == name {
                (name, alias)
            } else if key == alias {
                (alias, name)
            } else {
                continue;
            };
            if self.seen.contains(&other) {
                return Err(de::Error::custom(both(other, this)));
            }
            self.seen.push(this);
        }
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    #[serde(remote = "Self", deny_unknown_fields, rename_all = "camelCase")]
    struct Options {
        #[serde(default, alias = "sourceCapture")]
        source: Option<String>,
        #[serde(default)]
        other: u32,
    }

    super::spellings!(Options, &[("source", "sourceCapture")]);

    fn decode(v: serde_json::Value) -> Result<Options, String> {
        crate::json::from_value(&v).map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    #[test]
    fn both_spellings_are_an_error_naming_them() {
        assert_eq!(
            decode(json!({"sourceCapture": "a/b", "other": 1})),
            Ok(Options {
                source: Some("a/b".into()),
                other: 1
            })
        );
        assert_eq!(
            decode(json!({"source": "a/b", "other": 1, "sourceCapture": "c/d"})),
            Err(
                ".: `source` and `sourceCapture` are two spellings of one option: give only one \
                 of them"
                    .into()
            )
        );
        // Other errors keep their path and wording.
        assert_eq!(
            decode(json!({"other": "x"})),
            Err("other: invalid type: string \"x\", expected u32".into())
        );
        assert_eq!(
            decode(json!({"nope": 1})),
            Err(
                ".: unknown field `nope`, expected one of `source`, `sourceCapture`, `other`"
                    .into()
            )
        );
        assert_eq!(
            decode(json!(5)),
            Err(".: invalid type: integer `5`, expected struct Options".into())
        );
    }
}
