//! JSON values as a catalog holds them: numbers exactly as written, and a
//! limit on how deeply values nest.
//!
//! Configs, resources, schemas, lambdas and test documents are
//! [`serde_json::Value`]s. serde_json is built with its
//! `arbitrary_precision` feature, so a [`Number`] keeps the text it was read
//! or made from: `99999999999999999999` stays that integer and `1e400`
//! stays that number through loading, writing and bundling, as Estuary keeps
//! them as raw JSON. serde_json writes a parsed exponent with its sign
//! (`1e400` reads as `1e+400`); the YAML writer adds a `.` to a float's
//! mantissa (`1.0e+400`), which YAML 1.1 readers need to read it as a float.
//! No digit is ever dropped.
//!
//! Bindings give numbers to their language with [`is_integer`] and
//! [`exact_f64`]: integers of any size as integers, and other numbers as
//! floats when a float holds them exactly.
//!
//! ```
//! let value: serde_json::Value = serde_json::from_str("[99999999999999999999, 0.1, 1e400]").unwrap();
//! assert_eq!(value.to_string(), "[99999999999999999999,0.1,1e+400]");
//! let numbers: Vec<_> = value.as_array().unwrap().iter().map(|v| v.as_number().unwrap()).collect();
//! assert!(flowspec::json::is_integer(numbers[0]));
//! assert_eq!(flowspec::json::exact_f64(numbers[1]), Some(0.1));
//! assert_eq!(flowspec::json::exact_f64(numbers[2]), None);
//! ```

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Number, Value};

/// The deepest a value of a catalog (a config, a resource, a schema, a
/// lambda, a test document, a partition value…) may nest: how many arrays
/// and objects it may hold within each other. A scalar nests 0 levels,
/// `{"a": [1]}` 2.
///
/// The loader reads documents that nest at most 127 levels (serde_json's
/// limit; the YAML reader's is 128), and the deepest place of a catalog
/// document that holds a value is 10 levels down (a partition value of a
/// derivation's transform:
/// `collections/<name>/derive/transforms/<i>/source/partitions/include/<field>/<j>`).
/// 100 levels leave room for both: any value within the limit, written
/// anywhere in a catalog, loads again. The Python and Node builders refuse
/// deeper values (which is also what a value that contains itself looks
/// like), and [`crate::validate::validate`] reports them with the code
/// [`crate::codes::NESTING_TOO_DEEP`].
///
/// ```
/// use serde_json::json;
/// let mut value = json!(1);
/// for _ in 0..flowspec::json::MAX_DEPTH {
///     value = json!([value]);
/// }
/// assert!(!flowspec::json::nests_too_deep(&value));
/// assert!(flowspec::json::nests_too_deep(&json!([value])));
/// ```
pub const MAX_DEPTH: usize = 100;

/// The error of a value that nests deeper than [`MAX_DEPTH`] levels, at
/// `place` (as the caller names it: `config["a"]`, `options.config.a`).
/// The bindings raise it where they convert such a value (or one that
/// contains itself); its code is `nesting_too_deep`, as the loader's.
///
/// ```
/// let err = flowspec::json::nesting_error("config[\"a\"]");
/// assert_eq!(err.code(), "nesting_too_deep");
/// assert_eq!(
///     err.to_string(),
///     "config[\"a\"]: the value nests arrays and objects more than 100 levels deep, \
///      which a catalog cannot hold (does it contain itself?)"
/// );
/// ```
pub fn nesting_error(place: &str) -> crate::Error {
    crate::Error::NestingTooDeep(format!(
        "{place}: the value nests arrays and objects more than {MAX_DEPTH} levels deep, \
         which a catalog cannot hold (does it contain itself?)"
    ))
}

/// Whether `value` nests deeper than [`MAX_DEPTH`] levels. It looks at
/// most `MAX_DEPTH + 1` levels down, so any value, however deep, is
/// checked with little stack.
///
/// ```
/// assert!(!flowspec::json::nests_too_deep(&serde_json::json!({"a": [[1]]})));
/// ```
pub fn nests_too_deep(value: &Value) -> bool {
    fn deeper(value: &Value, levels: usize) -> bool {
        match value {
            Value::Array(items) => levels == 0 || items.iter().any(|v| deeper(v, levels - 1)),
            Value::Object(map) => levels == 0 || map.values().any(|v| deeper(v, levels - 1)),
            _ => false,
        }
    }
    deeper(value, MAX_DEPTH)
}

/// Whether `n` is an integer as written: no fraction and no exponent
/// (`12`, `-99999999999999999999`; not `1.0` or `1e3`).
///
/// ```
/// use serde_json::Number;
/// assert!(flowspec::json::is_integer(&Number::from(7)));
/// assert!(flowspec::json::is_integer(&"123456789012345678901234567890".parse().unwrap()));
/// assert!(!flowspec::json::is_integer(&"1.0".parse().unwrap()));
/// assert!(!flowspec::json::is_integer(&"1e3".parse().unwrap()));
/// ```
pub fn is_integer(n: &Number) -> bool {
    is_integer_text(n.as_str())
}

/// Whether JSON number text is an integer (see [`is_integer`]).
pub(crate) fn is_integer_text(text: &str) -> bool {
    !text.contains(['.', 'e', 'E'])
}

/// The `f64` that is exactly `n`: the float whose shortest decimal form
/// (the one Python's `repr` and JavaScript's `String` give) denotes the
/// same number as `n`'s text. `None` when no float does: `0.1000000000000000001`,
/// `1e400`, or an integer beyond 2^53 whose digits a float would round.
///
/// ```
/// use flowspec::json::exact_f64;
/// let n = |text: &str| text.parse::<serde_json::Number>().unwrap();
/// assert_eq!(exact_f64(&n("1.50")), Some(1.5));
/// assert_eq!(exact_f64(&n("-2.5e-3")), Some(-0.0025));
/// assert_eq!(exact_f64(&n("9007199254740993")), None);
/// assert_eq!(exact_f64(&n("0.1000000000000000001")), None);
/// assert_eq!(exact_f64(&n("1e400")), None);
/// ```
pub fn exact_f64(n: &Number) -> Option<f64> {
    let text = n.as_str();
    let float = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
    let shortest = format!("{float:e}");
    (Decimal::parse(text)? == Decimal::parse(&shortest)?).then_some(float)
}

/// A decimal number's sign, significant digits and exponent, for telling
/// whether two texts denote the same number: `1.50` and `15e-1` are both
/// `(false, "15", -1)`, zero has no digits.
#[derive(PartialEq, Debug)]
struct Decimal {
    negative: bool,
    digits: String,
    exponent: i64,
}

impl Decimal {
    /// Parses `[-]int[.frac][e[+-]exp]`; `None` if the exponent is out of
    /// range (no float is that number then).
    fn parse(text: &str) -> Option<Decimal> {
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all: String = int.chars().chain(frac.chars()).collect();
        let significant = all.trim_start_matches('0');
        let trimmed = significant.trim_end_matches('0');
        // value = 0.<all> × 10^(exponent + int.len()); dropping leading
        // zeros lowers the exponent, dropping trailing ones does not.
        let shift = i64::try_from(int.len()).ok()?;
        let dropped = i64::try_from(all.len() - significant.len()).ok()?;
        let exponent = if trimmed.is_empty() {
            0
        } else {
            exponent.checked_add(shift)?.checked_sub(dropped)?
        };
        Some(Decimal {
            negative,
            digits: trimmed.to_string(),
            exponent,
        })
    }
}

/// The name of the one field of the struct that an `arbitrary_precision`
/// [`Number`] serializes as, and of the one key of the map it deserializes
/// from: the number's text is the value. serde_json keeps the name private;
/// it is part of how the feature works with other formats.
pub(crate) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The map that stands for a number whose text is `text`, for a
/// deserializer to hand to a visitor (serde_json's `Value` and the loader's
/// visitors make it a [`Number`] with that text).
pub(crate) struct NumberAccess<E> {
    text: Option<String>,
    error: std::marker::PhantomData<E>,
}

impl<E> NumberAccess<E> {
    /// The map of the number `text`, which must be JSON number text.
    pub(crate) fn new(text: String) -> Self {
        Self {
            text: Some(text),
            error: std::marker::PhantomData,
        }
    }
}

impl<'de, E: de::Error> MapAccess<'de> for NumberAccess<E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        if self.text.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(NUMBER_TOKEN))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        let text = self.text.take().unwrap_or_default();
        seed.deserialize(de::value::StringDeserializer::new(text))
    }
}

/// Reads the number of a map whose first key, just read, was
/// [`NUMBER_TOKEN`]: its value is the number's text.
pub(crate) fn number_of_map<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Number, A::Error> {
    let text: String = map.next_value()?;
    text.parse::<Number>().map_err(|_| {
        de::Error::custom(format_args!(
            "{text:?} is not a JSON number (under the key `{NUMBER_TOKEN}`)"
        ))
    })
}

/// Deserializes a `u32` field from any number, with serde's messages.
///
/// serde_json's `deserialize_u32` reads an `arbitrary_precision` number by
/// parsing its text, and says only "invalid number" when it is not a
/// `u32`; this says which number, and what was expected.
pub(crate) fn u32_of_number<'de, D: de::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    d.deserialize_any(U32)
}

/// [`u32_of_number`] for an optional field (null is `None`).
pub(crate) fn option_u32_of_number<'de, D: de::Deserializer<'de>>(
    d: D,
) -> Result<Option<u32>, D::Error> {
    struct Field(u32);
    impl<'de> de::Deserialize<'de> for Field {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            u32_of_number(d).map(Field)
        }
    }
    Ok(<Option<Field> as de::Deserialize>::deserialize(d)?.map(|Field(v)| v))
}

/// Visits a `u32` in any form of number.
struct U32;

impl<'de> Visitor<'de> for U32 {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a whole number from 0 to {}", u32::MAX)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<u32, E> {
        let found = format!("integer `{v}`");
        Err(E::invalid_value(de::Unexpected::Other(&found), &self))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<u32, E> {
        let found = format!("integer `{v}`");
        Err(E::invalid_value(de::Unexpected::Other(&found), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
        Err(E::invalid_type(de::Unexpected::Float(v), &self))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u32, A::Error> {
        match map.next_key_seed(KeyText)? {
            Some(key) if key == NUMBER_TOKEN => {}
            _ => return Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
        let number = number_of_map(&mut map)?;
        let text = number.as_str();
        if is_integer_text(text) {
            let found = format!("integer `{text}`");
            Err(de::Error::invalid_value(
                de::Unexpected::Other(&found),
                &self,
            ))
        } else {
            let found = format!("floating point `{text}`");
            Err(de::Error::invalid_type(
                de::Unexpected::Other(&found),
                &self,
            ))
        }
    }
}

/// Deserializes a `T` from `value`, keeping the path of a failure, and
/// naming the number a field does not take as serde does without
/// arbitrary-precision numbers (`integer `5``, `floating point `1.5``),
/// where serde_json, holding numbers as text, says only `number`.
pub(crate) fn from_value<T: de::DeserializeOwned>(
    value: &Value,
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    crate::names::forget_rejected();
    serde_path_to_error::deserialize(value).map_err(|err| {
        let message = err.inner().to_string();
        if !message.contains("invalid type: number,") {
            return err;
        }
        let Some(Value::Number(n)) = value.pointer(&pointer_of(err.path())) else {
            return err;
        };
        let text = n.to_string();
        let named = if is_integer_text(&text) {
            format!("invalid type: integer `{text}`,")
        } else {
            format!("invalid type: floating point `{text}`,")
        };
        let message = message.replacen("invalid type: number,", &named, 1);
        serde_path_to_error::Error::new(err.path().clone(), de::Error::custom(message))
    })
}

/// The name error a failed [`from_value`] stopped at, if it stopped at a
/// name, field or JSON pointer that does not follow its rule.
pub(crate) fn rejected_name(
    err: &serde_path_to_error::Error<serde_json::Error>,
) -> Option<crate::NameError> {
    crate::names::take_rejected(&err.inner().to_string())
}

/// A serde path as a JSON pointer.
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&crate::names::escape_token(key));
            }
            Segment::Enum { variant } => {
                pointer.push('/');
                pointer.push_str(&crate::names::escape_token(variant));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Serializes the JSON `text` into `s` without building a value, numbers
/// included (serde_json hands a number that is not a 64-bit integer to a
/// visitor as a map, which this gives to `s` as the [`Number`] it is).
pub(crate) fn transcode<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    de::Deserializer::deserialize_any(&mut de, Transcode(s)).map_err(ser::Error::custom)
}

/// A visitor that serializes what it visits into its serializer.
struct Transcode<S>(S);

/// Serializes the value a deserializer holds, by transcoding it.
struct Deferred<D>(std::cell::Cell<Option<D>>);

impl<'de, D: de::Deserializer<'de>> Serialize for Deferred<D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self
            .0
            .take()
            .ok_or_else(|| ser::Error::custom("a value is serialized only once"))?;
        d.deserialize_any(Transcode(s)).map_err(ser::Error::custom)
    }
}

fn deferred<D>(d: D) -> Deferred<D> {
    Deferred(std::cell::Cell::new(Some(d)))
}

/// A serializer's error as a deserializer's.
fn s2d<S: ser::Error, D: de::Error>(err: S) -> D {
    D::custom(err)
}

impl<'de, S: Serializer> Visitor<'de> for Transcode<S> {
    type Value = S::Ok;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<S::Ok, E> {
        self.0.serialize_bool(v).map_err(s2d)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<S::Ok, E> {
        self.0.serialize_i64(v).map_err(s2d)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<S::Ok, E> {
        self.0.serialize_u64(v).map_err(s2d)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<S::Ok, E> {
        self.0.serialize_f64(v).map_err(s2d)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Ok, E> {
        self.0.serialize_str(v).map_err(s2d)
    }

    fn visit_unit<E: de::Error>(self) -> Result<S::Ok, E> {
        self.0.serialize_unit().map_err(s2d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<S::Ok, A::Error> {
        let mut out = self.0.serialize_seq(seq.size_hint()).map_err(s2d)?;
        while let Some(()) = seq.next_element_seed(ElementSeed(&mut out))? {}
        out.end().map_err(s2d)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Ok, A::Error> {
        let Some(first) = map.next_key_seed(KeyText)? else {
            return self
                .0
                .serialize_map(Some(0))
                .and_then(|m| m.end())
                .map_err(s2d);
        };
        if first == NUMBER_TOKEN {
            let number = number_of_map(&mut map)?;
            return number.serialize(self.0).map_err(s2d);
        }
        let mut out = self.0.serialize_map(map.size_hint()).map_err(s2d)?;
        out.serialize_key(first.as_ref()).map_err(s2d)?;
        map.next_value_seed(ValueSeed(&mut out))?;
        while let Some(key) = map.next_key_seed(KeyText)? {
            out.serialize_key(key.as_ref()).map_err(s2d)?;
            map.next_value_seed(ValueSeed(&mut out))?;
        }
        out.end().map_err(s2d)
    }
}

/// A map key's text, borrowed from the input when it can be.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned().into())
    }
}

/// Transcodes a sequence's element into the sequence being serialized.
struct ElementSeed<'a, S>(&'a mut S);

impl<'de, S: SerializeSeq> DeserializeSeed<'de> for ElementSeed<'_, S> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.serialize_element(&deferred(d)).map_err(s2d)
    }
}

/// Transcodes a map's value into the map being serialized.
struct ValueSeed<'a, S>(&'a mut S);

impl<'de, S: SerializeMap> DeserializeSeed<'de> for ValueSeed<'_, S> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.0.serialize_value(&deferred(d)).map_err(s2d)
    }
}

#[cfg(test)]
mod tests;
