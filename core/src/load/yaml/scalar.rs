//! Scalars resolved as serde_yaml_ng resolves them: by tag, else by text.

use std::num::ParseIntError;

use libyaml_safer::ScalarStyle;
use serde::de::{self, Unexpected, Visitor};

use super::events::Scalar;
use super::{Result, BOOL_TAG, FLOAT_TAG, INT_TAG, NULL_TAG};

/// Visits a scalar as serde_yaml_ng does: by its tag, else (plain) by its
/// text, else as a string.
pub(super) fn visit_scalar<'de, V: Visitor<'de>>(
    visitor: V,
    scalar: Scalar,
    tagged_already: bool,
) -> Result<V::Value> {
    let v = scalar.value.as_str();
    if let (Some(tag), false) = (&scalar.tag, tagged_already) {
        if tag.is(BOOL_TAG) {
            return match parse_bool(v) {
                Some(v) => visitor.visit_bool(v),
                None => Err(de::Error::invalid_value(Unexpected::Str(v), &"a boolean")),
            };
        } else if tag.is(INT_TAG) {
            return match visit_int(visitor, v) {
                Ok(result) => result,
                Err(_) => Err(de::Error::invalid_value(Unexpected::Str(v), &"an integer")),
            };
        } else if tag.is(FLOAT_TAG) {
            return match parse_f64(v) {
                Some(v) => visitor.visit_f64(v),
                None => Err(de::Error::invalid_value(Unexpected::Str(v), &"a float")),
            };
        } else if tag.is(NULL_TAG) {
            return match parse_null(v) {
                Some(()) => visitor.visit_unit(),
                None => Err(de::Error::invalid_value(Unexpected::Str(v), &"null")),
            };
        } else if tag.0.starts_with(b"!") && scalar.style == ScalarStyle::Plain {
            return visit_untagged_scalar(visitor, scalar.value);
        }
    } else if scalar.style == ScalarStyle::Plain {
        return visit_untagged_scalar(visitor, scalar.value);
    }
    visitor.visit_str(&scalar.value)
}

/// Resolves a plain scalar: null, a boolean, an integer, a float, or else
/// a string.
fn visit_untagged_scalar<'de, V: Visitor<'de>>(visitor: V, v: String) -> Result<V::Value> {
    if v.is_empty() || parse_null(&v) == Some(()) {
        return visitor.visit_unit();
    }
    if let Some(boolean) = parse_bool(&v) {
        return visitor.visit_bool(boolean);
    }
    let visitor = match visit_int(visitor, &v) {
        Ok(result) => return result,
        Err(visitor) => visitor,
    };
    if !digits_but_not_number(&v) {
        if let Some(float) = parse_f64(&v) {
            return visitor.visit_f64(float);
        }
    }
    visitor.visit_str(&v)
}

/// Whether a plain scalar is null (the empty one aside).
pub(super) fn parse_null(scalar: &str) -> Option<()> {
    match scalar {
        "null" | "Null" | "NULL" | "~" => Some(()),
        _ => None,
    }
}

/// A plain scalar's boolean, if it is one.
fn parse_bool(scalar: &str) -> Option<bool> {
    match scalar {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A scalar's non-negative integer (decimal, `0x`, `0o` or `0b`, maybe
/// with `+`), if it is one that fits `T`.
fn parse_unsigned_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) {
        return None;
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

/// A scalar's negative integer, if it is one that fits `T`.
fn parse_negative_int<T>(
    scalar: &str,
    from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>,
) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

/// A scalar's float (`.inf`, `-.inf` and `.nan` included), if it is one.
fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(unpositive) if unpositive.starts_with(['+', '-']) => return None,
        Some(unpositive) => unpositive,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits make a string in YAML 1.2 (`007`).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Visits `v` as the first of u64, i64, u128 and i128 it parses as, or
/// gives the visitor back.
fn visit_int<'de, V: Visitor<'de>>(visitor: V, v: &str) -> Result<Result<V::Value>, V> {
    if let Some(int) = parse_unsigned_int(v, u64::from_str_radix) {
        return Ok(visitor.visit_u64(int));
    }
    if let Some(int) = parse_negative_int(v, i64::from_str_radix) {
        return Ok(visitor.visit_i64(int));
    }
    if let Some(int) = parse_unsigned_int(v, u128::from_str_radix) {
        return Ok(visitor.visit_u128(int));
    }
    if let Some(int) = parse_negative_int(v, i128::from_str_radix) {
        return Ok(visitor.visit_i128(int));
    }
    Err(visitor)
}
