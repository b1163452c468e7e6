//! JSON schema → TypeScript types.
//!
//! A schema is first inferred into a [`TsShape`]: what it says about each
//! location, as `validate::Shape` does, plus what TypeScript types need and
//! validation does not — titles, descriptions, and whether a location is a
//! reference to a named schema (`$anchor` matching `^[A-Z][\w_]+$`). `$ref`
//! and `allOf` intersect; `anyOf` and `oneOf` union their branches, which
//! then intersect; `if`/`then`/`else` union `then` and `else` when both are
//! given; `not` is ignored. Enum variants are kept in the total order of
//! documents (null < boolean < number < string < array < object).
//!
//! The shape then renders as a TypeScript type: a reference to a named
//! anchor as the anchor's type name; a location that says nothing as
//! `unknown`; an enum as a union of literals; anything else as a union of
//! object | array | `boolean` | `number` | `string` | `null` (`never` when
//! no type is possible). Titles and descriptions become `/* … */` comments.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use serde_json::{Map, Value};
use url::Url;

use crate::testing::reduce::compare;
use crate::validate::index::{LIST_KEYWORDS, MAP_KEYWORDS, ONE_KEYWORDS};
use crate::validate::Types;

/// The base URL of a schema that has none of its own.
pub(crate) const INLINE_BASE: &str = "flowspec://generate/schema.json";

/// Schemas expanded before inference gives up on a location (and takes it
/// as `unknown`): references may fan out without bound.
const BUDGET: usize = 100_000;

/// Where a shape came from: nothing yet, keywords of its own, or only a
/// `$ref` to another schema (by the target's absolute URL).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Provenance {
    Unset,
    Inline,
    Reference(String),
}

impl Provenance {
    fn intersect(self, rhs: Self) -> Self {
        match (self, rhs) {
            (l, r) if l == r => l,
            (Provenance::Unset, r) => r,
            (l, Provenance::Unset) => l,
            _ => Provenance::Inline,
        }
    }

    fn union(self, rhs: Self) -> Self {
        match (self, rhs) {
            (l, r) if l == r => l,
            (Provenance::Unset, _) | (_, Provenance::Unset) => Provenance::Unset,
            _ => Provenance::Inline,
        }
    }
}

/// What a schema says about one location, for TypeScript.
#[derive(Debug, Clone)]
pub(crate) struct TsShape {
    types: Types,
    enum_: Option<Vec<Value>>,
    title: Option<String>,
    description: Option<String>,
    provenance: Provenance,
    object: Obj,
    array: Arr,
}

#[derive(Debug, Clone, Default)]
struct Obj {
    /// Sorted by name.
    properties: Vec<Prop>,
    /// Sorted by regex.
    patterns: Vec<Pattern>,
    additional: Option<Box<TsShape>>,
}

#[derive(Debug, Clone)]
struct Prop {
    name: String,
    required: bool,
    shape: TsShape,
}

#[derive(Debug, Clone)]
struct Pattern {
    re: regex::Regex,
    shape: TsShape,
}

#[derive(Debug, Clone, Default)]
struct Arr {
    min_items: u64,
    tuple: Vec<TsShape>,
    additional: Option<Box<TsShape>>,
}

impl TsShape {
    fn anything() -> Self {
        TsShape {
            types: Types::ANY,
            enum_: None,
            title: None,
            description: None,
            provenance: Provenance::Unset,
            object: Obj::default(),
            array: Arr::default(),
        }
    }

    fn nothing() -> Self {
        TsShape {
            types: Types::INVALID,
            ..TsShape::anything()
        }
    }

    fn intersect(lhs: Self, rhs: Self) -> Self {
        let mut types = lhs.types & rhs.types;
        let enum_ = match (lhs.enum_, rhs.enum_) {
            (None, None) => None,
            (Some(v), None) | (None, Some(v)) => Some(v),
            (Some(l), Some(r)) => Some(l.into_iter().filter(|v| r.contains(v)).collect()),
        };
        let enum_ = enum_.map(|values: Vec<Value>| {
            let values: Vec<Value> = values
                .into_iter()
                .filter(|v| types.overlaps(Types::for_value(v)))
                .collect();
            types = types & value_types(&values);
            values
        });
        let both = |t: Types| lhs.types.overlaps(t) && rhs.types.overlaps(t);
        let object = if both(Types::OBJECT) {
            Obj::intersect(lhs.object, rhs.object)
        } else {
            Obj::default()
        };
        let array = if both(Types::ARRAY) {
            Arr::intersect(lhs.array, rhs.array)
        } else {
            Arr::default()
        };
        TsShape {
            types,
            enum_,
            title: lhs.title.or(rhs.title),
            description: lhs.description.or(rhs.description),
            provenance: lhs.provenance.intersect(rhs.provenance),
            object,
            array,
        }
    }

    fn union(lhs: Self, rhs: Self) -> Self {
        if lhs.types == Types::INVALID {
            return rhs;
        } else if rhs.types == Types::INVALID {
            return lhs;
        }
        let enum_ = match (lhs.enum_, rhs.enum_) {
            (Some(mut l), Some(r)) => {
                for v in r {
                    if !l.contains(&v) {
                        l.push(v);
                    }
                }
                l.sort_by(compare);
                Some(l)
            }
            _ => None,
        };
        let same = |l: Option<String>, r: Option<String>| if l == r { l } else { None };
        let (lo, ro) = (
            lhs.types.overlaps(Types::OBJECT),
            rhs.types.overlaps(Types::OBJECT),
        );
        let object = match (lo, ro) {
            (true, true) => Obj::union(lhs.object, rhs.object),
            (_, false) => lhs.object,
            (false, true) => rhs.object,
        };
        let (la, ra) = (
            lhs.types.overlaps(Types::ARRAY),
            rhs.types.overlaps(Types::ARRAY),
        );
        let array = match (la, ra) {
            (true, true) => Arr::union(lhs.array, rhs.array),
            (_, false) => lhs.array,
            (false, true) => rhs.array,
        };
        TsShape {
            types: lhs.types | rhs.types,
            enum_,
            title: same(lhs.title, rhs.title),
            description: same(lhs.description, rhs.description),
            provenance: lhs.provenance.union(rhs.provenance),
            object,
            array,
        }
    }
}

/// The shape a side's patterns or additional properties give a property it
/// does not name, if any.
fn impute(name: &str, patterns: &[Pattern], additional: Option<&TsShape>) -> Option<TsShape> {
    let mut matched = patterns.iter().filter(|p| p.re.is_match(name));
    match matched.next() {
        Some(first) => Some(matched.fold(first.shape.clone(), |s, p| {
            TsShape::intersect(s, p.shape.clone())
        })),
        None => additional.cloned(),
    }
}

/// Merges two lists sorted by `key`, calling `f` with the item of either
/// side or both.
fn merge_by<T, R>(
    lhs: Vec<T>,
    rhs: Vec<T>,
    key: impl Fn(&T) -> &str,
    mut f: impl FnMut(Option<T>, Option<T>) -> Option<R>,
) -> Vec<R> {
    let mut out = Vec::new();
    let mut l = lhs.into_iter().peekable();
    let mut r = rhs.into_iter().peekable();
    loop {
        let order = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => key(a).cmp(key(b)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        let item = match order {
            Ordering::Equal => f(l.next(), r.next()),
            Ordering::Less => f(l.next(), None),
            Ordering::Greater => f(None, r.next()),
        };
        out.extend(item);
    }
    out
}

impl Obj {
    fn intersect(lhs: Obj, rhs: Obj) -> Obj {
        let (lp, rp) = (&lhs.patterns, &rhs.patterns);
        let (la, ra) = (lhs.additional.as_deref(), rhs.additional.as_deref());
        let properties = merge_by(
            lhs.properties,
            rhs.properties,
            |p| &p.name,
            |l, r| match (l, r) {
                (Some(a), Some(b)) => Some(Prop {
                    name: a.name,
                    required: a.required || b.required,
                    shape: TsShape::intersect(a.shape, b.shape),
                }),
                (Some(mut a), None) => {
                    if let Some(other) = impute(&a.name, rp, ra) {
                        a.shape = TsShape::intersect(a.shape, other);
                    }
                    Some(a)
                }
                (None, Some(mut b)) => {
                    if let Some(other) = impute(&b.name, lp, la) {
                        b.shape = TsShape::intersect(other, b.shape);
                    }
                    Some(b)
                }
                (None, None) => None,
            },
        );
        let patterns = merge_by(
            lhs.patterns,
            rhs.patterns,
            |p| p.re.as_str(),
            |l, r| match (l, r) {
                (Some(a), Some(b)) => Some(Pattern {
                    re: a.re,
                    shape: TsShape::intersect(a.shape, b.shape),
                }),
                (a, b) => a.or(b),
            },
        );
        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(TsShape::intersect(*a, *b))),
            (a, b) => a.or(b),
        };
        Obj {
            properties,
            patterns,
            additional,
        }
    }

    fn union(lhs: Obj, rhs: Obj) -> Obj {
        let (lp, rp) = (&lhs.patterns, &rhs.patterns);
        let (la, ra) = (lhs.additional.as_deref(), rhs.additional.as_deref());
        // A property one side does not name takes that side's patterns or
        // additional properties; if those allow anything, so does the union.
        let properties = merge_by(
            lhs.properties,
            rhs.properties,
            |p| &p.name,
            |l, r| match (l, r) {
                (Some(a), Some(b)) => Some(Prop {
                    name: a.name,
                    required: a.required && b.required,
                    shape: TsShape::union(a.shape, b.shape),
                }),
                (Some(a), None) => impute(&a.name, rp, ra).map(|other| Prop {
                    name: a.name,
                    required: false,
                    shape: TsShape::union(a.shape, other),
                }),
                (None, Some(b)) => impute(&b.name, lp, la).map(|other| Prop {
                    name: b.name,
                    required: false,
                    shape: TsShape::union(other, b.shape),
                }),
                (None, None) => None,
            },
        );
        let patterns = merge_by(
            lhs.patterns,
            rhs.patterns,
            |p| p.re.as_str(),
            |l, r| match (l, r) {
                (Some(a), Some(b)) => Some(Pattern {
                    re: a.re,
                    shape: TsShape::union(a.shape, b.shape),
                }),
                (Some(a), None) => ra.map(|other| Pattern {
                    re: a.re,
                    shape: TsShape::union(a.shape, other.clone()),
                }),
                (None, Some(b)) => la.map(|other| Pattern {
                    re: b.re,
                    shape: TsShape::union(other.clone(), b.shape),
                }),
                (None, None) => None,
            },
        );
        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(TsShape::union(*a, *b))),
            _ => None,
        };
        Obj {
            properties,
            patterns,
            additional,
        }
    }
}

impl Arr {
    fn intersect(lhs: Arr, rhs: Arr) -> Arr {
        let len = lhs.tuple.len().max(rhs.tuple.len());
        let (mut l, mut r) = (lhs.tuple.into_iter(), rhs.tuple.into_iter());
        let mut tuple = Vec::with_capacity(len);
        for _ in 0..len {
            tuple.push(match (l.next(), r.next()) {
                (Some(a), Some(b)) => TsShape::intersect(a, b),
                (Some(a), None) => match &rhs.additional {
                    Some(b) => TsShape::intersect(a, (**b).clone()),
                    None => a,
                },
                (None, Some(b)) => match &lhs.additional {
                    Some(a) => TsShape::intersect((**a).clone(), b),
                    None => b,
                },
                (None, None) => break,
            });
        }
        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(TsShape::intersect(*a, *b))),
            (a, b) => a.or(b),
        };
        Arr {
            min_items: lhs.min_items.max(rhs.min_items),
            tuple,
            additional,
        }
    }

    fn union(lhs: Arr, rhs: Arr) -> Arr {
        let (mut l, mut r) = (lhs.tuple.into_iter(), rhs.tuple.into_iter());
        let mut tuple = Vec::new();
        loop {
            let item = match (l.next(), r.next()) {
                (Some(a), Some(b)) => TsShape::union(a, b),
                (Some(a), None) => match &rhs.additional {
                    Some(b) => TsShape::union(a, (**b).clone()),
                    None => break,
                },
                (None, Some(b)) => match &lhs.additional {
                    Some(a) => TsShape::union((**a).clone(), b),
                    None => break,
                },
                (None, None) => break,
            };
            tuple.push(item);
        }
        let additional = match (lhs.additional, rhs.additional) {
            (Some(a), Some(b)) => Some(Box::new(TsShape::union(*a, *b))),
            _ => None,
        };
        Arr {
            min_items: lhs.min_items.min(rhs.min_items),
            tuple,
            additional,
        }
    }
}

/// The union of the types of `values`.
fn value_types(values: &[Value]) -> Types {
    values
        .iter()
        .fold(Types::INVALID, |t, v| t | Types::for_value(v))
}

/// Keywords that do not make a schema a definition of its own: with only
/// these beside a `$ref`, the location is that reference.
const NON_OPERATIVE: &[&str] = &[
    "$ref",
    "$defs",
    "definitions",
    "$id",
    "$schema",
    "$comment",
    "default",
    "description",
    "examples",
    "title",
    "allOf",
    "anyOf",
    "oneOf",
    "if",
    "then",
    "else",
    "not",
];

/// The documents of one schema: its resources (the root and each `$id`)
/// and `$anchor`s by absolute URL.
#[derive(Default)]
struct Index<'s> {
    resources: HashMap<String, (&'s Value, String)>,
    anchors: BTreeMap<String, (&'s Value, String)>,
}

impl<'s> Index<'s> {
    fn add(&mut self, value: &'s Value, base: &str) {
        self.resources
            .insert(base.to_string(), (value, base.to_string()));
        self.walk(value, base.to_string(), 0);
    }

    fn walk(&mut self, value: &'s Value, base: String, depth: usize) {
        let Value::Object(obj) = value else {
            return;
        };
        if depth > crate::json::MAX_DEPTH {
            return;
        }
        let mut base = base;
        if let Some(id) = obj.get("$id").and_then(Value::as_str) {
            if let Some(url) = join(&base, id) {
                base = without_fragment(&url);
                self.resources.insert(base.clone(), (value, base.clone()));
            }
        }
        if let Some(anchor) = obj.get("$anchor").and_then(Value::as_str) {
            self.anchors
                .insert(format!("{base}#{anchor}"), (value, base.clone()));
        }
        for (keyword, child) in obj {
            let keyword = keyword.as_str();
            if MAP_KEYWORDS.contains(&keyword) {
                for sub in child.as_object().into_iter().flat_map(Map::values) {
                    self.walk(sub, base.clone(), depth + 1);
                }
            } else if LIST_KEYWORDS.contains(&keyword) && child.is_array() {
                for sub in child.as_array().into_iter().flatten() {
                    self.walk(sub, base.clone(), depth + 1);
                }
            } else if ONE_KEYWORDS.contains(&keyword) {
                self.walk(child, base.clone(), depth + 1);
            }
        }
    }

    /// The target of `reference` from `base`: its absolute URL, the
    /// subschema, and the subschema's base.
    fn resolve(&self, base: &str, reference: &str) -> Option<(String, &'s Value, String)> {
        let url = join(base, reference)?;
        let (resource, fragment) = match url.split_once('#') {
            Some((r, f)) => (r.to_string(), percent_decode(f)),
            None => (url.clone(), String::new()),
        };
        if fragment.is_empty() {
            let (v, b) = self.resources.get(&resource)?;
            return Some((url, v, b.clone()));
        }
        if !fragment.starts_with('/') {
            let (v, b) = self.anchors.get(&format!("{resource}#{fragment}"))?;
            return Some((url, v, b.clone()));
        }
        let (root, b) = self.resources.get(&resource)?;
        Some((url, root.pointer(&fragment)?, b.clone()))
    }
}

fn join(base: &str, reference: &str) -> Option<String> {
    if let Ok(abs) = Url::parse(reference) {
        return Some(abs.to_string());
    }
    Url::parse(base)
        .ok()?
        .join(reference)
        .ok()
        .map(String::from)
}

fn without_fragment(url: &str) -> String {
    url.split_once('#').map_or(url, |(r, _)| r).to_string()
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether an anchor names a schema of its own, by Estuary's rule.
fn is_named_anchor(anchor: &str) -> bool {
    let mut chars = anchor.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && anchor.len() > 1
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Whether a property name can be written bare: `^\pL[\pL\pN_]*$`.
fn is_bare_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(char::is_alphabetic)
        && chars.all(|c| c.is_alphabetic() || c.is_numeric() || c == '_')
}

struct Inferrer<'a, 's> {
    index: &'a Index<'s>,
    visited: Vec<String>,
    budget: usize,
}

impl Inferrer<'_, '_> {
    fn infer(&mut self, schema: &Value, base: &str) -> TsShape {
        let obj = match schema {
            Value::Bool(false) => return TsShape::nothing(),
            Value::Object(obj) if self.budget > 0 => obj,
            _ => return TsShape::anything(),
        };
        self.budget -= 1;
        let mut base = base.to_string();
        if let Some(id) = obj.get("$id").and_then(Value::as_str) {
            if let Some(url) = join(&base, id) {
                base = without_fragment(&url);
            }
        }
        let mut shape = TsShape::anything();
        if !obj.keys().all(|k| NON_OPERATIVE.contains(&k.as_str())) {
            shape.provenance = Provenance::Inline;
        }
        let mut unevaluated_properties = None;
        let mut unevaluated_items = None;
        for (keyword, v) in obj {
            match keyword.as_str() {
                "type" => {
                    shape.types = match v {
                        Value::String(n) => Types::for_name(n).unwrap_or(Types::ANY),
                        Value::Array(names) => names
                            .iter()
                            .filter_map(|n| n.as_str().and_then(Types::for_name))
                            .fold(Types::INVALID, |a, b| a | b),
                        _ => Types::ANY,
                    }
                }
                "const" => shape.enum_ = Some(vec![v.clone()]),
                "enum" => {
                    if let Value::Array(values) = v {
                        let mut values = values.clone();
                        values.sort_by(compare);
                        shape.enum_ = Some(values);
                    }
                }
                "title" => shape.title = v.as_str().map(str::to_string),
                "description" => shape.description = v.as_str().map(str::to_string),
                "minItems" => shape.array.min_items = v.as_u64().unwrap_or(0),
                "prefixItems" => {
                    for sub in v.as_array().into_iter().flatten() {
                        let item = self.infer(sub, &base);
                        shape.array.tuple.push(item);
                    }
                }
                "items" => match v {
                    Value::Array(items) => {
                        for sub in items {
                            let item = self.infer(sub, &base);
                            shape.array.tuple.push(item);
                        }
                    }
                    sub => shape.array.additional = Some(Box::new(self.infer(sub, &base))),
                },
                "additionalItems" => {
                    shape.array.additional = Some(Box::new(self.infer(v, &base)));
                }
                "unevaluatedItems" => unevaluated_items = Some(self.infer(v, &base)),
                "properties" => {
                    for (name, sub) in v.as_object().into_iter().flatten() {
                        let prop = Obj {
                            properties: vec![Prop {
                                name: name.clone(),
                                required: false,
                                shape: self.infer(sub, &base),
                            }],
                            ..Obj::default()
                        };
                        shape.object = Obj::intersect(std::mem::take(&mut shape.object), prop);
                    }
                }
                "required" => {
                    let mut names: Vec<&str> = v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    names.sort_unstable();
                    names.dedup();
                    let required = Obj {
                        properties: names
                            .into_iter()
                            .map(|name| Prop {
                                name: name.to_string(),
                                required: true,
                                shape: TsShape::anything(),
                            })
                            .collect(),
                        ..Obj::default()
                    };
                    shape.object = Obj::intersect(std::mem::take(&mut shape.object), required);
                }
                "patternProperties" => {
                    for (re, sub) in v.as_object().into_iter().flatten() {
                        let sub = self.infer(sub, &base);
                        if let Ok(re) = regex::Regex::new(re) {
                            let pattern = Obj {
                                patterns: vec![Pattern { re, shape: sub }],
                                ..Obj::default()
                            };
                            shape.object =
                                Obj::intersect(std::mem::take(&mut shape.object), pattern);
                        }
                    }
                }
                "additionalProperties" => {
                    shape.object.additional = Some(Box::new(self.infer(v, &base)));
                }
                "unevaluatedProperties" => unevaluated_properties = Some(self.infer(v, &base)),
                _ => {}
            }
        }

        // Pattern properties also apply to the named properties they match.
        let Obj {
            properties,
            patterns,
            additional,
        } = std::mem::take(&mut shape.object);
        let properties = properties
            .into_iter()
            .map(|mut p| {
                for pattern in patterns.iter().filter(|pt| pt.re.is_match(&p.name)) {
                    p.shape = TsShape::intersect(p.shape, pattern.shape.clone());
                }
                p
            })
            .collect();
        shape.object = Obj {
            properties,
            patterns,
            additional,
        };

        // Enum variants restrict the types, and the types filter the variants.
        if let Some(values) = shape.enum_.take() {
            let values: Vec<Value> = values
                .into_iter()
                .filter(|v| shape.types.overlaps(Types::for_value(v)))
                .collect();
            shape.types = shape.types & value_types(&values);
            shape.enum_ = Some(values);
        }

        // In-place applicators, in the order they are written.
        let (mut one_of, mut any_of) = (None, None);
        let (mut if_, mut then_, mut else_) = (false, None, None);
        for (keyword, v) in obj {
            match keyword.as_str() {
                "$ref" => {
                    if let Some(reference) = v.as_str() {
                        let referent = self.reference(&base, reference);
                        shape = TsShape::intersect(shape, referent);
                    }
                }
                "allOf" => {
                    for sub in v.as_array().into_iter().flatten() {
                        let sub = self.infer(sub, &base);
                        shape = TsShape::intersect(shape, sub);
                    }
                }
                "oneOf" | "anyOf" => {
                    let mut union: Option<TsShape> = None;
                    for sub in v.as_array().into_iter().flatten() {
                        let sub = self.infer(sub, &base);
                        union = Some(match union {
                            Some(u) => TsShape::union(u, sub),
                            None => sub,
                        });
                    }
                    if keyword == "oneOf" {
                        one_of = union;
                    } else {
                        any_of = union;
                    }
                }
                "if" => if_ = true,
                "then" => then_ = Some(self.infer(v, &base)),
                "else" => else_ = Some(self.infer(v, &base)),
                _ => {}
            }
        }
        for union in [one_of, any_of].into_iter().flatten() {
            shape = TsShape::intersect(shape, union);
        }
        if let (true, Some(then_), Some(else_)) = (if_, then_, else_) {
            shape = TsShape::intersect(shape, TsShape::union(then_, else_));
        }
        if let (None, Some(sub)) = (&shape.object.additional, unevaluated_properties) {
            shape.object.additional = Some(Box::new(sub));
        }
        if let (None, Some(sub)) = (&shape.array.additional, unevaluated_items) {
            shape.array.additional = Some(Box::new(sub));
        }
        shape
    }

    /// The shape of the target of a `$ref`: a reference to it, unless it is
    /// itself a reference (the innermost one is kept).
    fn reference(&mut self, base: &str, reference: &str) -> TsShape {
        let (url, mut referent) = match self.index.resolve(base, reference) {
            Some((url, _, _)) if self.visited.contains(&url) => (url, TsShape::anything()),
            Some((url, target, target_base)) => {
                self.visited.push(url.clone());
                let shape = self.infer(target, &target_base);
                self.visited.pop();
                (url, shape)
            }
            None => (
                join(base, reference).unwrap_or_else(|| reference.to_string()),
                TsShape::anything(),
            ),
        };
        if !matches!(referent.provenance, Provenance::Reference(_)) {
            referent.provenance = Provenance::Reference(url);
        }
        referent
    }
}

/// A TypeScript type, before rendering.
#[derive(Debug, Clone, PartialEq)]
enum Ast {
    Comment(String, Box<Ast>),
    Never,
    Unknown,
    Boolean,
    Null,
    Number,
    String,
    Undefined,
    Literal(Value),
    Array(Box<Ast>),
    Tuple {
        items: Vec<Ast>,
        min_items: u64,
        spread: Option<Box<Ast>>,
    },
    /// Properties: (name as written, type, required).
    Object(Vec<(String, Ast, bool)>),
    Union(Vec<Ast>),
    Named(String),
}

impl Ast {
    fn render(&self, out: &mut String, indent: usize) {
        match self {
            Ast::Comment(body, of) => {
                out.push_str("/* ");
                out.push_str(body);
                out.push_str(" */ ");
                of.render(out, indent);
            }
            Ast::Never => out.push_str("never"),
            Ast::Unknown => out.push_str("unknown"),
            Ast::Boolean => out.push_str("boolean"),
            Ast::Null => out.push_str("null"),
            Ast::Number => out.push_str("number"),
            Ast::String => out.push_str("string"),
            Ast::Undefined => out.push_str("undefined"),
            Ast::Literal(value) => out.push_str(&value.to_string()),
            Ast::Named(name) => out.push_str(name),
            Ast::Array(of) => {
                let mut inner = String::new();
                of.render(&mut inner, indent);
                if inner.ends_with('"') {
                    let _ = write!(out, "({inner})[]");
                } else {
                    let _ = write!(out, "{inner}[]");
                }
            }
            Ast::Tuple {
                items,
                min_items,
                spread,
            } => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i != 0 {
                        out.push_str(", ");
                    }
                    item.render(out, indent);
                    if i as u64 >= *min_items {
                        out.push('?');
                    }
                }
                if let Some(spread) = spread {
                    out.push_str(", ...(");
                    spread.render(out, indent);
                    out.push_str(")[]");
                }
                out.push(']');
            }
            Ast::Object(properties) if properties.is_empty() => {
                out.push_str("Record<string, unknown>")
            }
            Ast::Object(properties) => {
                out.push('{');
                for (name, value, required) in properties {
                    out.push('\n');
                    out.extend(std::iter::repeat_n(' ', (indent + 1) * 4));
                    out.push_str(name);
                    if !required {
                        out.push('?');
                    }
                    out.push_str(": ");
                    value.render(out, indent + 1);
                    out.push(';');
                }
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', indent * 4));
                out.push('}');
            }
            Ast::Union(variants) => {
                for (i, v) in variants.iter().enumerate() {
                    if i != 0 {
                        out.push_str(" | ");
                    }
                    v.render(out, indent);
                }
            }
        }
    }
}

/// Maps the schemas of one collection schema document (with everything it
/// bundles) to TypeScript types, naming the schemas of named anchors.
pub(crate) struct Mapper<'s> {
    index: Index<'s>,
    root: &'s Value,
    base: String,
    /// The type name of each named anchor, by the anchor's URL (sorted).
    named: BTreeMap<String, String>,
}

impl<'s> Mapper<'s> {
    /// A mapper of `schema`, whose base URL is `base`. Named anchors get
    /// type names `<prefix><Anchor>`; with an empty `prefix`, anchors are
    /// not named and their schemas are written out where they are used.
    /// `extra` are further resources by URL (Flow's `flow://write-schema`),
    /// whose named anchors are named too, as when they are bundled.
    pub(crate) fn new(
        schema: &'s Value,
        base: &str,
        prefix: &str,
        extra: &[(&str, &'s Value)],
    ) -> Self {
        let mut index = Index::default();
        index.add(schema, base);
        for (url, value) in extra {
            if !index.resources.contains_key(*url) {
                index.add(value, url);
            }
        }
        // Each name once: the first anchor by URL that has it.
        let mut named = BTreeMap::new();
        if !prefix.is_empty() {
            let mut names = std::collections::HashSet::new();
            for url in index.anchors.keys() {
                let Some((_, anchor)) = url.rsplit_once('#') else {
                    continue;
                };
                let name = format!("{prefix}{anchor}");
                if is_named_anchor(anchor) && names.insert(name.clone()) {
                    named.insert(url.clone(), name);
                }
            }
        }
        Mapper {
            index,
            root: schema,
            base: base.to_string(),
            named,
        }
    }

    /// The named anchors, sorted by URL: the anchor, and its type name.
    pub(crate) fn named(&self) -> impl Iterator<Item = (&str, &str)> {
        self.named.iter().map(|(url, name)| {
            let anchor = url.rsplit_once('#').map_or("", |(_, a)| a);
            (anchor, name.as_str())
        })
    }

    /// The TypeScript type of the whole schema.
    pub(crate) fn root_type(&self) -> String {
        let shape = self.infer(self.root, &self.base.clone());
        self.render(&shape)
    }

    /// The TypeScript type of the schema of the named anchor with this
    /// type name (written out, not named).
    pub(crate) fn anchor_type(&self, name: &str) -> String {
        let Some((url, _)) = self.named.iter().find(|(_, n)| n.as_str() == name) else {
            return "unknown".to_string();
        };
        match self.index.anchors.get(url) {
            Some((value, base)) => {
                let shape = self.infer(value, base);
                self.render(&shape)
            }
            None => "unknown".to_string(),
        }
    }

    fn infer(&self, schema: &Value, base: &str) -> TsShape {
        Inferrer {
            index: &self.index,
            visited: Vec::new(),
            budget: BUDGET,
        }
        .infer(schema, base)
    }

    fn render(&self, shape: &TsShape) -> String {
        let mut out = String::new();
        self.to_ast(shape).render(&mut out, 0);
        out
    }

    fn to_ast(&self, shape: &TsShape) -> Ast {
        if let Provenance::Reference(url) = &shape.provenance {
            if let Some(name) = self.named.get(url) {
                let ast = Ast::Named(name.clone());
                return match &shape.title {
                    Some(title) => Ast::Comment(title.clone(), Box::new(ast)),
                    None => ast,
                };
            }
        }
        let ast = self.inner_ast(shape);
        match (&shape.title, &shape.description) {
            (Some(t), Some(d)) => Ast::Comment(format!("{t} {d}"), Box::new(ast)),
            (Some(s), None) | (None, Some(s)) => Ast::Comment(s.clone(), Box::new(ast)),
            (None, None) => ast,
        }
    }

    fn inner_ast(&self, shape: &TsShape) -> Ast {
        if shape.types == Types::ANY
            && shape.enum_.is_none()
            && shape.array.additional.is_none()
            && shape.array.tuple.is_empty()
            && shape.object.properties.is_empty()
            && shape.object.additional.is_none()
        {
            return Ast::Unknown;
        }
        if let Some(values) = shape.enum_.as_ref().filter(|e| !e.is_empty()) {
            return Ast::Union(values.iter().cloned().map(Ast::Literal).collect());
        }
        let mut variants = Vec::new();
        if shape.types.overlaps(Types::OBJECT) {
            variants.push(self.object_ast(&shape.object));
        }
        if shape.types.overlaps(Types::ARRAY) {
            variants.push(self.array_ast(&shape.array));
        }
        if shape.types.overlaps(Types::BOOLEAN) {
            variants.push(Ast::Boolean);
        }
        if shape.types.overlaps(Types::NUMBER) {
            variants.push(Ast::Number);
        }
        if shape.types.overlaps(Types::STRING) {
            variants.push(Ast::String);
        }
        if shape.types.overlaps(Types::NULL) {
            variants.push(Ast::Null);
        }
        match variants.len() {
            0 => Ast::Never,
            1 => variants.remove(0),
            _ => Ast::Union(variants),
        }
    }

    fn object_ast(&self, obj: &Obj) -> Ast {
        let mut properties: Vec<(String, Ast, bool)> = obj
            .properties
            .iter()
            .map(|p| {
                let name = if is_bare_name(&p.name) {
                    p.name.clone()
                } else {
                    Value::String(p.name.clone()).to_string()
                };
                (name, self.to_ast(&p.shape), p.required)
            })
            .collect();
        let additional = obj
            .additional
            .as_deref()
            .filter(|a| a.types != Types::INVALID);
        if !obj.patterns.is_empty() || additional.is_some() {
            // An indexer's type must admit every property's type.
            let mut merged = TsShape::nothing();
            let mut optional = false;
            for p in &obj.properties {
                merged = TsShape::union(merged, p.shape.clone());
                optional = optional || !p.required;
            }
            for p in &obj.patterns {
                merged = TsShape::union(merged, p.shape.clone());
            }
            if let Some(a) = additional {
                merged = TsShape::union(merged, a.clone());
            }
            let merged = match (optional, self.to_ast(&merged)) {
                (true, Ast::Union(mut variants)) => {
                    variants.push(Ast::Undefined);
                    Ast::Union(variants)
                }
                (true, ast) => Ast::Union(vec![ast, Ast::Undefined]),
                (false, ast) => ast,
            };
            properties.push(("[k: string]".to_string(), merged, true));
        }
        Ast::Object(properties)
    }

    fn array_ast(&self, arr: &Arr) -> Ast {
        if arr.tuple.is_empty() {
            let of = match &arr.additional {
                Some(items) => self.to_ast(items),
                None => Ast::Unknown,
            };
            return Ast::Array(Box::new(of));
        }
        Ast::Tuple {
            items: arr.tuple.iter().map(|s| self.to_ast(s)).collect(),
            min_items: arr.min_items,
            spread: arr
                .additional
                .as_deref()
                .filter(|a| a.types != Types::INVALID)
                .map(|a| Box::new(self.to_ast(a))),
        }
    }
}

/// The TypeScript type of `schema` (self-contained, or bundled with the
/// files it refers to), naming references to its named anchors
/// `<prefix><Anchor>`.
#[cfg(test)]
pub(crate) fn schema_type(schema: &Value, prefix: &str) -> String {
    Mapper::new(schema, INLINE_BASE, prefix, &[]).root_type()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compare_is_the_total_order() {
        let mut values = vec![
            json!({"a": 1}),
            json!([1]),
            json!("b"),
            json!("a"),
            json!(2.5),
            json!(-1),
            json!(true),
            json!(false),
            json!(null),
        ];
        values.sort_by(compare);
        assert_eq!(
            Value::Array(values),
            json!([null, false, true, -1, 2.5, "a", "b", [1], {"a": 1}])
        );
    }

    #[test]
    fn anchors_are_named_by_rule() {
        for (anchor, named) in [
            ("AnAnchor", true),
            ("Int", true),
            ("A_b1", true),
            ("A", false),
            ("anAnchor", false),
            ("An-Anchor", false),
        ] {
            assert_eq!(is_named_anchor(anchor), named, "{anchor}");
        }
        for (name, bare) in [
            ("lğmöm", true),
            ("a_1", true),
            ("1a", false),
            ("_a", false),
            ("a-b", false),
            ("", false),
        ] {
            assert_eq!(is_bare_name(name), bare, "{name}");
        }
    }
}
