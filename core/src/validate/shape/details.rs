//! What a schema says of a location beyond what validation needs: titles,
//! descriptions, defaults, `secret`, `x-` annotations, the full `reduce`
//! annotation, numeric bounds and string lengths and encodings.
//!
//! Only a detailed inference ([`Shape::infer_detailed`](super::Shape::infer_detailed))
//! gathers them: for `jsonSchemaMerge`, which writes a shape back as a
//! schema, and for the annotations of projected fields ([`details_at`]).
//! Validation of a large catalog does not pay for them.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{infer, Shape};
use crate::testing::reduce::compare;
use crate::validate::index::{Index, INLINE_BASE};
use crate::validate::types::Types;

/// The details of each of `ptrs` in `schema`, a collection schema (with
/// `write`, the collection's write schema, when `schema` is a read schema
/// that may reference `flow://write-schema`): what Estuary's projections
/// take their `default`, `title`, `description` and `contentEncoding` from.
pub(crate) fn details_at(schema: &Value, write: Option<&Value>, ptrs: &[&str]) -> Vec<Details> {
    let relaxed = write.map(crate::validate::schema::relax);
    let mut index = Index::default();
    index.add(0, INLINE_BASE, schema);
    if let (Some(w), Some(r)) = (write, relaxed.as_ref()) {
        index.add(1, crate::validate::schema::WRITE_URL, w);
        index.add(2, crate::validate::schema::RELAXED_URL, r);
    }
    let shape: Shape = infer(&index, schema, true);
    ptrs.iter()
        .map(|ptr| {
            let (at, _) = shape.locate(ptr);
            at.details.as_deref().cloned().unwrap_or_default()
        })
        .collect()
}

/// The details of one location. `None` in a [`Shape`](super::Shape) stands
/// for `Details::default()`: nothing said.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Details {
    pub title: Option<String>,
    pub description: Option<String>,
    pub default: Option<Value>,
    /// `secret` (or `airbyte_secret`).
    pub secret: Option<bool>,
    /// The `reduce` annotation, as written.
    pub reduce: Option<Value>,
    /// Keywords starting with `x-`.
    pub annotations: BTreeMap<String, Value>,
    pub string: StringDetails,
    pub numeric: NumericDetails,
}

/// Constraints of string values.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct StringDetails {
    pub min_length: u64,
    pub max_length: Option<u64>,
    pub content_encoding: Option<String>,
    pub content_type: Option<String>,
}

/// Bounds of numeric values (`minimum`, `maximum`).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct NumericDetails {
    pub minimum: Option<Value>,
    pub maximum: Option<Value>,
}

impl Details {
    /// The details the keywords of one subschema give its location.
    pub(crate) fn of(obj: &Map<String, Value>) -> Option<Box<Details>> {
        let mut d = Details::default();
        let text = |v: &Value| v.as_str().map(str::to_string);
        for (keyword, v) in obj {
            match keyword.as_str() {
                "title" => d.title = text(v),
                "description" => d.description = text(v),
                "default" => d.default = Some(v.clone()),
                k if crate::secrets::SECRET_ANNOTATIONS.contains(&k) => {
                    d.secret = v.as_bool().or(d.secret)
                }
                "reduce" => d.reduce = Some(v.clone()),
                "minLength" => d.string.min_length = v.as_u64().unwrap_or(0),
                "maxLength" => d.string.max_length = v.as_u64(),
                "contentEncoding" => d.string.content_encoding = text(v),
                "contentMediaType" => d.string.content_type = text(v),
                "minimum" if v.is_number() => d.numeric.minimum = Some(v.clone()),
                "maximum" if v.is_number() => d.numeric.maximum = Some(v.clone()),
                k if k.len() > 2 && k[..2].eq_ignore_ascii_case("x-") => {
                    d.annotations.insert(k.to_string(), v.clone());
                }
                _ => {}
            }
        }
        boxed(d)
    }

    /// The details of locations that satisfy both sides (`allOf`): each
    /// annotation of `lhs`, else of `rhs`; the tighter bounds.
    pub(crate) fn intersect(
        lhs: Option<Box<Details>>,
        rhs: Option<Box<Details>>,
        types: (Types, Types),
    ) -> Option<Box<Details>> {
        let (l, r) = sides(lhs, rhs)?;
        let both = |t: Types| types.0.overlaps(t) && types.1.overlaps(t);
        let mut annotations = r.annotations;
        annotations.extend(l.annotations);
        boxed(Details {
            title: l.title.or(r.title),
            description: l.description.or(r.description),
            default: l.default.or(r.default),
            secret: l.secret.or(r.secret),
            reduce: l.reduce.or(r.reduce),
            annotations,
            string: if both(Types::STRING) {
                StringDetails {
                    min_length: l.string.min_length.max(r.string.min_length),
                    max_length: tighter(l.string.max_length, r.string.max_length, Ord::min),
                    content_encoding: l.string.content_encoding.or(r.string.content_encoding),
                    content_type: l.string.content_type.or(r.string.content_type),
                }
            } else {
                StringDetails::default()
            },
            numeric: if both(Types::NUMBER) {
                NumericDetails {
                    minimum: tighter(l.numeric.minimum, r.numeric.minimum, max_value),
                    maximum: tighter(l.numeric.maximum, r.numeric.maximum, min_value),
                }
            } else {
                NumericDetails::default()
            },
        })
    }

    /// The details of locations that satisfy either side (`anyOf`): only
    /// what both sides say; the looser bounds. A side that is not a string
    /// (or a number) leaves the other side's string (numeric) details.
    pub(crate) fn union(
        lhs: Option<Box<Details>>,
        rhs: Option<Box<Details>>,
        types: (Types, Types),
    ) -> Option<Box<Details>> {
        let (l, r) = sides(lhs, rhs)?;
        let mut annotations = l.annotations;
        annotations.retain(|k, v| r.annotations.get(k) == Some(v));
        let string = match (
            types.0.overlaps(Types::STRING),
            types.1.overlaps(Types::STRING),
        ) {
            (true, true) => StringDetails {
                min_length: l.string.min_length.min(r.string.min_length),
                max_length: looser(l.string.max_length, r.string.max_length, Ord::max),
                content_encoding: same(l.string.content_encoding, r.string.content_encoding),
                content_type: same(l.string.content_type, r.string.content_type),
            },
            (_, false) => l.string,
            (false, true) => r.string,
        };
        let numeric = match (
            types.0.overlaps(Types::NUMBER),
            types.1.overlaps(Types::NUMBER),
        ) {
            (true, true) => NumericDetails {
                minimum: looser(l.numeric.minimum, r.numeric.minimum, min_value),
                maximum: looser(l.numeric.maximum, r.numeric.maximum, max_value),
            },
            (_, false) => l.numeric,
            (false, true) => r.numeric,
        };
        boxed(Details {
            title: same(l.title, r.title),
            description: same(l.description, r.description),
            default: same(l.default, r.default),
            secret: same(l.secret, r.secret),
            reduce: same(l.reduce, r.reduce),
            annotations,
            string,
            numeric,
        })
    }
}

/// Both sides, unboxed; `None` when neither says anything.
fn sides(lhs: Option<Box<Details>>, rhs: Option<Box<Details>>) -> Option<(Details, Details)> {
    if lhs.is_none() && rhs.is_none() {
        return None;
    }
    let unbox = |d: Option<Box<Details>>| d.map(|b| *b).unwrap_or_default();
    Some((unbox(lhs), unbox(rhs)))
}

/// `None` for details that say nothing, so shapes stay small.
fn boxed(d: Details) -> Option<Box<Details>> {
    (d != Details::default()).then(|| Box::new(d))
}

/// The value when both sides agree on it.
fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> Option<T> {
    if a == b {
        a
    } else {
        None
    }
}

/// A bound both sides impose: the tighter of two, or the one given.
fn tighter<T>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// A bound either side imposes: none unless both sides have one.
fn looser<T>(a: Option<T>, b: Option<T>, pick: fn(T, T) -> T) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        _ => None,
    }
}

fn min_value(a: Value, b: Value) -> Value {
    if compare(&b, &a) == Ordering::Less {
        b
    } else {
        a
    }
}

fn max_value(a: Value, b: Value) -> Value {
    if compare(&b, &a) == Ordering::Greater {
        b
    } else {
        a
    }
}
