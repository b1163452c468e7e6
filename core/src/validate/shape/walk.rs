//! Annotations of document locations: `default`, `contentEncoding`,
//! `title` and `description`, found by walking a schema to a location.
//!
//! The walk follows what [`Shape`](super::Shape) inference follows to a
//! location: `properties`, `patternProperties`, `additionalProperties`,
//! `prefixItems`, `items` and `additionalItems`, and in place `$ref` and
//! `allOf` (the first annotation found wins), `anyOf` and `oneOf` (an
//! annotation holds only if every branch agrees on it) and `if`/`then`/
//! `else` (both branches must agree).

use std::rc::Rc;

use serde_json::{Map, Value};

use super::{parse_index, tokens};
use crate::validate::index::{Index, INLINE_BASE};

/// Stops walking after this many subschemas, so references that fan out
/// cannot take unbounded time.
const BUDGET: usize = 100_000;

/// The annotations of one location.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Annotations {
    /// The `default` value.
    pub default: Option<Value>,
    /// The `contentEncoding` of a string, like `base64`.
    pub content_encoding: Option<String>,
    /// The `title`.
    pub title: Option<String>,
    /// The `description`.
    pub description: Option<String>,
}

impl Annotations {
    fn of(obj: &Map<String, Value>) -> Self {
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
        Annotations {
            default: obj.get("default").cloned(),
            content_encoding: text("contentEncoding"),
            title: text("title"),
            description: text("description"),
        }
    }

    /// Each annotation of `self`, else of `other`.
    fn or(self, other: Annotations) -> Annotations {
        Annotations {
            default: self.default.or(other.default),
            content_encoding: self.content_encoding.or(other.content_encoding),
            title: self.title.or(other.title),
            description: self.description.or(other.description),
        }
    }

    /// The annotations both sides agree on.
    fn agree(self, other: Annotations) -> Annotations {
        fn same<T: PartialEq>(a: Option<T>, b: Option<T>) -> Option<T> {
            if a == b {
                a
            } else {
                None
            }
        }
        Annotations {
            default: same(self.default, other.default),
            content_encoding: same(self.content_encoding, other.content_encoding),
            title: same(self.title, other.title),
            description: same(self.description, other.description),
        }
    }
}

/// The annotations of each of `ptrs` in `schema`, a collection schema
/// (with `write`, the collection's write schema, when `schema` is a read
/// schema that may reference `flow://write-schema`).
pub(crate) fn annotations(
    schema: &Value,
    write: Option<&Value>,
    ptrs: &[&str],
) -> Vec<Annotations> {
    let relaxed = write.map(crate::validate::schema::relax);
    let mut index = Index::default();
    index.add(0, INLINE_BASE, schema);
    if let (Some(w), Some(r)) = (write, relaxed.as_ref()) {
        index.add(1, crate::validate::schema::WRITE_URL, w);
        index.add(2, crate::validate::schema::RELAXED_URL, r);
    }
    let base: Rc<str> = Rc::from(INLINE_BASE);
    ptrs.iter()
        .map(|ptr| {
            let path: Vec<String> = tokens(ptr).map(|t| t.into_owned()).collect();
            let mut walker = Walker {
                index: &index,
                visited: Vec::new(),
                budget: BUDGET,
            };
            walker.walk(schema, base.clone(), &path)
        })
        .collect()
}

struct Walker<'a, 's> {
    index: &'a Index<'s>,
    /// URLs of the references being followed, to stop at cycles.
    visited: Vec<String>,
    budget: usize,
}

impl Walker<'_, '_> {
    fn walk(&mut self, schema: &Value, base: Rc<str>, path: &[String]) -> Annotations {
        let Value::Object(obj) = schema else {
            return Annotations::default();
        };
        if self.budget == 0 {
            return Annotations::default();
        }
        self.budget -= 1;
        let base = match (obj.contains_key("$id"), self.index.node(schema)) {
            (true, Some(node)) => node.base.clone(),
            _ => base,
        };
        let mut out = match path.split_first() {
            None => Annotations::of(obj),
            Some((token, rest)) => match child(obj, token) {
                Some(sub) => self.walk(sub, base.clone(), rest),
                None => Annotations::default(),
            },
        };
        if let Some(reference) = obj.get("$ref").and_then(Value::as_str) {
            if let Some((url, target, node)) = self.index.resolve_url(&base, reference) {
                if !self.visited.contains(&url) {
                    self.visited.push(url);
                    out = out.or(self.walk(target, node.base.clone(), path));
                    self.visited.pop();
                }
            }
        }
        for sub in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out = out.or(self.walk(sub, base.clone(), path));
        }
        for keyword in ["anyOf", "oneOf"] {
            let branches = obj.get(keyword).and_then(Value::as_array);
            let mut union: Option<Annotations> = None;
            for sub in branches.into_iter().flatten() {
                let a = self.walk(sub, base.clone(), path);
                union = Some(match union {
                    Some(u) => u.agree(a),
                    None => a,
                });
            }
            if let Some(union) = union {
                out = out.or(union);
            }
        }
        if let (true, Some(then_), Some(else_)) =
            (obj.contains_key("if"), obj.get("then"), obj.get("else"))
        {
            let then_ = self.walk(then_, base.clone(), path);
            let else_ = self.walk(else_, base.clone(), path);
            out = out.or(then_.agree(else_));
        }
        out
    }
}

/// The subschema of `obj` that applies to its child `token`: a named
/// property, else a matching pattern, else additional properties; an item
/// of a tuple, else the schema of further items.
fn child<'v>(obj: &'v Map<String, Value>, token: &str) -> Option<&'v Value> {
    if let Some(sub) = obj
        .get("properties")
        .and_then(Value::as_object)
        .and_then(|p| p.get(token))
    {
        return Some(sub);
    }
    if let Some(index) = parse_index(token) {
        let index = usize::try_from(index).ok()?;
        let tuple = obj
            .get("prefixItems")
            .or_else(|| obj.get("items").filter(|i| i.is_array()))
            .and_then(Value::as_array);
        if let Some(sub) = tuple.and_then(|t| t.get(index)) {
            return Some(sub);
        }
        let further = if obj.contains_key("prefixItems") {
            obj.get("items")
        } else if tuple.is_some() {
            obj.get("additionalItems")
        } else {
            obj.get("items")
        };
        if further.is_some() {
            return further;
        }
    }
    if let Some(patterns) = obj.get("patternProperties").and_then(Value::as_object) {
        for (re, sub) in patterns {
            if regex::Regex::new(re).is_ok_and(|re| re.is_match(token)) {
                return Some(sub);
            }
        }
    }
    obj.get("additionalProperties")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotations_of_nested_tuple_and_referenced_locations() {
        let schema = json!({
            "$defs": {"b64": {"type": "string", "contentEncoding": "base64", "title": "Bytes"}},
            "type": "object",
            "properties": {
                "a": {"type": "object", "properties": {"b": {"default": 5, "description": "B"}}},
                "t": {"type": "array", "prefixItems": [{"default": "zero"}], "items": {"default": 1}},
                "r": {"$ref": "#/$defs/b64"},
                "u": {"oneOf": [{"default": 1, "title": "U"}, {"default": 2, "title": "U"}]},
            },
            "additionalProperties": {"default": "other"},
        });
        let got = annotations(
            &schema,
            None,
            &["/a/b", "/t/0", "/t/1", "/r", "/u", "/x", ""],
        );
        let want =
            |d: Option<Value>, c: Option<&str>, t: Option<&str>, s: Option<&str>| Annotations {
                default: d,
                content_encoding: c.map(str::to_string),
                title: t.map(str::to_string),
                description: s.map(str::to_string),
            };
        assert_eq!(
            got,
            vec![
                want(Some(json!(5)), None, None, Some("B")),
                want(Some(json!("zero")), None, None, None),
                want(Some(json!(1)), None, None, None),
                want(None, Some("base64"), Some("Bytes"), None),
                want(None, None, Some("U"), None),
                want(Some(json!("other")), None, None, None),
                want(None, None, None, None),
            ]
        );
    }

    #[test]
    fn read_schema_references_the_write_schema() {
        let write = json!({"type": "object", "properties": {"n": {"default": 3}}});
        let read = json!({"$ref": "flow://write-schema"});
        let got = annotations(&read, Some(&write), &["/n"]);
        assert_eq!(got[0].default, Some(json!(3)));
    }
}
