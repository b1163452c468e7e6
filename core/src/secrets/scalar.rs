//! Leaf values as sops sees them: their `type:` tag, the bytes that are encrypted and
//! hashed into the MAC, and Go's number formatting (sops is written in Go, so every
//! number it hashes or prints goes through `strconv`).

use serde_json::{Number, Value};

/// The `type:` of an `ENC[...]` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LeafType {
    Str,
    Int,
    Float,
    Bool,
    /// YAML timestamps (sops ≥ 3.10); decrypted to their RFC 3339 text.
    Time,
    /// Encrypted YAML comments; never part of the data or the MAC.
    Comment,
    /// Legacy raw bytes.
    Bytes,
}

impl LeafType {
    pub(crate) fn parse(tag: &str) -> Option<Self> {
        Some(match tag {
            "str" => LeafType::Str,
            "int" => LeafType::Int,
            "float" => LeafType::Float,
            "bool" => LeafType::Bool,
            "time" => LeafType::Time,
            "comment" => LeafType::Comment,
            "bytes" => LeafType::Bytes,
            _ => return None,
        })
    }

    pub(crate) fn tag(self) -> &'static str {
        match self {
            LeafType::Str => "str",
            LeafType::Int => "int",
            LeafType::Float => "float",
            LeafType::Bool => "bool",
            LeafType::Time => "time",
            LeafType::Comment => "comment",
            LeafType::Bytes => "bytes",
        }
    }
}

/// The type and plaintext bytes sops writes for a JSON leaf, or `None` for values sops
/// never encrypts or hashes (null, the empty string, containers).
///
/// These bytes are both what gets encrypted and what goes into the MAC.
pub(crate) fn leaf_plaintext(value: &Value) -> Option<(LeafType, Vec<u8>)> {
    match value {
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some((LeafType::Str, s.as_bytes().to_vec())),
        Value::Bool(b) => Some((LeafType::Bool, go_bool(*b).as_bytes().to_vec())),
        Value::Number(n) => Some(number_plaintext(n)),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// sops ≥ 3.13.2 reads integers that fit in int64 as `int` and every other number as a
/// Go float64.
fn number_plaintext(n: &Number) -> (LeafType, Vec<u8>) {
    if let Some(i) = n.as_i64() {
        (LeafType::Int, i.to_string().into_bytes())
    } else if let Some(u) = n.as_u64() {
        (LeafType::Float, go_float_f(u as f64).into_bytes())
    } else {
        let f = n.as_f64().unwrap_or(f64::NAN);
        (LeafType::Float, go_float_f(f).into_bytes())
    }
}

/// The MAC bytes of an unencrypted leaf as sops ≤ 3.13.1 hashed it after reading a JSON
/// file: every number was a float64, so integers above 2^53 were rounded first.
pub(crate) fn legacy_json_plaintext(value: &Value) -> Option<Vec<u8>> {
    match value {
        Value::Number(n) if !n.is_f64() => n.as_f64().map(|f| go_float_f(f).into_bytes()),
        _ => leaf_plaintext(value).map(|(_, bytes)| bytes),
    }
}

/// A decrypted leaf: the JSON value it becomes and the bytes sops hashes for it.
pub(crate) struct DecodedLeaf {
    pub(crate) value: Value,
    pub(crate) mac_bytes: Vec<u8>,
}

/// Why a decrypted plaintext could not be turned into a value.
pub(crate) enum DecodeError {
    /// The plaintext does not parse as its recorded type.
    Invalid(String),
    /// The value exists in Go but has no JSON form.
    Unrepresentable(String),
}

/// Parses decrypted bytes the way sops does for each `type:`, and re-renders them as Go
/// does for the MAC (so `type:bool` plaintext `true` hashes as `True`).
pub(crate) fn decode_leaf(kind: LeafType, plaintext: &[u8]) -> Result<DecodedLeaf, DecodeError> {
    let text = || {
        std::str::from_utf8(plaintext)
            .map_err(|_| DecodeError::Invalid("the plaintext is not UTF-8".to_string()))
    };
    match kind {
        LeafType::Str | LeafType::Time | LeafType::Comment | LeafType::Bytes => {
            let s = text()?;
            Ok(DecodedLeaf {
                value: Value::String(s.to_string()),
                mac_bytes: plaintext.to_vec(),
            })
        }
        LeafType::Int => {
            let i: i64 = text()?
                .parse()
                .map_err(|_| DecodeError::Invalid("the plaintext is not an integer".into()))?;
            Ok(DecodedLeaf {
                value: Value::Number(i.into()),
                mac_bytes: i.to_string().into_bytes(),
            })
        }
        LeafType::Float => {
            let f = parse_go_float(text()?)
                .ok_or_else(|| DecodeError::Invalid("the plaintext is not a number".into()))?;
            let value = float_value(f).ok_or_else(|| {
                DecodeError::Unrepresentable(
                    "a non-finite float (Inf or NaN) has no JSON form".to_string(),
                )
            })?;
            Ok(DecodedLeaf {
                value,
                mac_bytes: go_float_f(f).into_bytes(),
            })
        }
        LeafType::Bool => {
            let b = match text()? {
                "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
                "0" | "f" | "F" | "FALSE" | "false" | "False" => false,
                _ => {
                    return Err(DecodeError::Invalid(
                        "the plaintext is not a boolean".into(),
                    ))
                }
            };
            Ok(DecodedLeaf {
                value: Value::Bool(b),
                mac_bytes: go_bool(b).as_bytes().to_vec(),
            })
        }
    }
}

/// A float as sops prints it in JSON: whole numbers that float64 holds exactly come out
/// as integers (Go writes `42`, not `42.0`), everything else stays a float.
fn float_value(f: f64) -> Option<Value> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if f.is_finite() && f.fract() == 0.0 && f.abs() <= EXACT && !(f == 0.0 && f.is_sign_negative())
    {
        // Truncation is exact here: |f| <= 2^53 and f has no fraction.
        return Some(Value::Number((f as i64).into()));
    }
    Number::from_f64(f).map(Value::Number)
}

/// Go's `strconv.ParseFloat(s, 64)` for the forms sops writes (decimal, `+Inf`, `NaN`).
fn parse_go_float(s: &str) -> Option<f64> {
    match s {
        "+Inf" | "Inf" | "+inf" | "inf" => Some(f64::INFINITY),
        "-Inf" | "-inf" => Some(f64::NEG_INFINITY),
        "NaN" | "nan" => Some(f64::NAN),
        _ => {
            // Rust also accepts "infinity"; Go does too, so nothing to filter.
            s.parse::<f64>().ok()
        }
    }
}

/// Go's `True` / `False`, a leftover of the Python sops.
pub(crate) fn go_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never an
/// exponent. Rust's `Display` for `f64` is the same for finite values.
pub(crate) fn go_float_f(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_string()
    } else if f == f64::INFINITY {
        "+Inf".to_string()
    } else if f == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn go_float_formats() {
        // (value, Go's 'f' form, which the MAC hashes)
        let cases: &[(f64, &str)] = &[
            (0.5, "0.5"),
            (42.0, "42"),
            (-0.0, "-0"),
            (2.75, "2.75"),
            (1234.56789, "1234.56789"),
            (1e21, "1000000000000000000000"),
            (1e20, "100000000000000000000"),
            (1234567.0, "1234567"),
            (1e-7, "0.0000001"),
            (1.5e-7, "0.00000015"),
            (0.00001, "0.00001"),
            (-2.5e-10, "-0.00000000025"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (f64::NAN, "NaN"),
        ];
        for (f, hashed) in cases {
            assert_eq!(go_float_f(*f), *hashed, "'f' of {f}");
        }
    }

    #[test]
    fn leaf_plaintexts() {
        let cases = [
            (json!("héllo"), Some(("str", "héllo"))),
            (json!(""), None),
            (json!(null), None),
            (json!(true), Some(("bool", "True"))),
            (json!(false), Some(("bool", "False"))),
            (json!(42), Some(("int", "42"))),
            (json!(-7), Some(("int", "-7"))),
            (
                json!(9223372036854775807_i64),
                Some(("int", "9223372036854775807")),
            ),
            (
                json!(18446744073709551615_u64),
                // Go's 'f' pads the shortest digits with zeros, as Rust does.
                Some(("float", "18446744073709552000")),
            ),
            (json!(42.0), Some(("float", "42"))),
            (json!(1e21), Some(("float", "1000000000000000000000"))),
            (json!([1]), None),
        ];
        for (value, expected) in cases {
            let got = leaf_plaintext(&value).map(|(t, b)| (t.tag(), String::from_utf8(b).unwrap()));
            let expected = expected.map(|(t, b)| (t, b.to_string()));
            assert_eq!(got, expected, "{value}");
        }
    }

    #[test]
    fn decodes_like_sops() {
        let ok = |kind, text: &str| match decode_leaf(kind, text.as_bytes()) {
            Ok(leaf) => (leaf.value, String::from_utf8(leaf.mac_bytes).unwrap()),
            Err(_) => panic!("{text} did not decode"),
        };
        assert_eq!(ok(LeafType::Str, "x y"), (json!("x y"), "x y".into()));
        assert_eq!(ok(LeafType::Int, "-12"), (json!(-12), "-12".into()));
        assert_eq!(ok(LeafType::Float, "42"), (json!(42), "42".into()));
        assert_eq!(ok(LeafType::Float, "2.75"), (json!(2.75), "2.75".into()));
        assert_eq!(
            ok(LeafType::Float, "1e21"),
            (json!(1e21), "1000000000000000000000".into())
        );
        assert_eq!(ok(LeafType::Bool, "True"), (json!(true), "True".into()));
        assert_eq!(ok(LeafType::Bool, "false"), (json!(false), "False".into()));
        assert!(matches!(
            decode_leaf(LeafType::Int, b"4.5"),
            Err(DecodeError::Invalid(_))
        ));
        assert!(matches!(
            decode_leaf(LeafType::Bool, b"yes"),
            Err(DecodeError::Invalid(_))
        ));
        assert!(matches!(
            decode_leaf(LeafType::Float, b"+Inf"),
            Err(DecodeError::Unrepresentable(_))
        ));
    }

    #[test]
    fn legacy_hash_rounds_big_integers() {
        let big = json!(9007199254740993_i64);
        assert_eq!(
            legacy_json_plaintext(&big).unwrap(),
            b"9007199254740992".to_vec()
        );
        assert_eq!(legacy_json_plaintext(&json!(5)).unwrap(), b"5".to_vec());
    }
}
