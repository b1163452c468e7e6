//! Scalars resolved as serde_yaml_ng resolves them: by tag, else by text.
//!
//! Numbers are given exactly (see [`crate::json`]): integers that fit 64
//! bits as integers, and any other number, integer or float, as serde_json
//! takes one with its `arbitrary_precision` feature: a map whose one key is
//! serde_json's number token and whose value is the number's JSON text.
//! serde_yaml_ng resolves the same scalars to numbers, but reads those
//! through `f64`, which rounds long ones and takes `1e400` for a string;
//! here `1e400` is a number too. YAML forms that are not JSON are
//! normalized: `+1.5` is `1.5`, `.5` is `0.5`, `5.` is `5.0`, `01.5` is
//! `1.5`, `1E3` is `1e+3` (as serde_json writes a parsed exponent), and a
//! `!!float` integer gets a fraction (`!!float 1` is `1.0`).

use std::num::ParseIntError;

use libyaml_safer::ScalarStyle;
use serde::de::{self, Unexpected, Visitor};

use super::error::Error;
use super::events::Scalar;
use super::{Result, BOOL_TAG, FLOAT_TAG, INT_TAG, NULL_TAG};
use crate::json::{is_integer_text, NumberAccess};

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
            let visitor = match visit_int(visitor, v) {
                Ok(result) => return result,
                Err(visitor) => visitor,
            };
            return match parse_number(v, false) {
                Some(Number::Text(text)) if is_integer_text(&text) && !digits_but_not_number(v) => {
                    visit_number(visitor, text)
                }
                _ => Err(de::Error::invalid_value(Unexpected::Str(v), &"an integer")),
            };
        } else if tag.is(FLOAT_TAG) {
            return match parse_number(v, true) {
                Some(number) => number.visit(visitor),
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
        if let Some(number) = parse_number(&v, false) {
            return number.visit(visitor);
        }
    }
    visitor.visit_str(&v)
}

/// A number that is not an integer of 128 bits: its JSON text, or one of
/// YAML's infinities and NaN (which are not JSON: the visitor says so).
enum Number {
    Text(String),
    NonFinite(f64),
}

impl Number {
    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Number::Text(text) => visit_number(visitor, text),
            Number::NonFinite(float) => visitor.visit_f64(float),
        }
    }
}

/// Visits the number whose JSON text is `text`, as serde_json does.
fn visit_number<'de, V: Visitor<'de>>(visitor: V, text: String) -> Result<V::Value> {
    visitor.visit_map(NumberAccess::<Error>::new(text))
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

/// A scalar's number as serde_yaml_ng's float rule reads one (a float,
/// or an integer too long for 128 bits; `.inf`, `-.inf` and `.nan`
/// included), if it is one. With `float` (a `!!float` tag), an integer
/// gets a fraction.
fn parse_number(scalar: &str, float: bool) -> Option<Number> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(unpositive) if unpositive.starts_with(['+', '-']) => return None,
        Some(unpositive) => unpositive,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(Number::NonFinite(f64::INFINITY));
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(Number::NonFinite(f64::NEG_INFINITY));
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(Number::NonFinite(f64::NAN.copysign(1.0)));
    }
    json_number(unpositive, float).map(Number::Text)
}

/// The JSON text of a decimal number as Rust reads an `f64` (what
/// serde_yaml_ng reads floats with): `-?(digits(.digits?)?|.digits)`, then
/// maybe an exponent `[eE][+-]?digits`.
fn json_number(text: &str, float: bool) -> Option<String> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let int_len = digits(rest);
    let (int, rest) = rest.split_at(int_len);
    let (frac, rest) = match rest.strip_prefix('.') {
        Some(after) => {
            let (frac, rest) = after.split_at(digits(after));
            (Some(frac), rest)
        }
        None => (None, rest),
    };
    if int.is_empty() && frac.is_none_or(str::is_empty) {
        return None;
    }
    let exponent = match rest.strip_prefix(['e', 'E']) {
        Some(after) => {
            let (sign, after) = match after.strip_prefix(['+', '-']) {
                Some(unsigned) => (&after[..1], unsigned),
                None => ("+", after),
            };
            if after.is_empty() || digits(after) != after.len() {
                return None;
            }
            Some((sign, after))
        }
        None if rest.is_empty() => None,
        None => return None,
    };
    let mut out = String::with_capacity(text.len() + 4);
    if negative {
        out.push('-');
    }
    let int = int.trim_start_matches('0');
    out.push_str(if int.is_empty() { "0" } else { int });
    match frac {
        Some(frac) => {
            out.push('.');
            out.push_str(if frac.is_empty() { "0" } else { frac });
        }
        None if float && exponent.is_none() => out.push_str(".0"),
        None => {}
    }
    if let Some((sign, digits)) = exponent {
        out.push('e');
        out.push_str(sign);
        out.push_str(digits);
    }
    Some(out)
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
