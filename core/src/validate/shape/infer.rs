//! Inference of a [`Shape`] from the keywords of a JSON schema.

use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::{value_types, ObjShape, Pattern, Property, Reduction, Shape, Strategy};
use crate::validate::index::Index;
use crate::validate::types::Types;

/// Inferring stops expanding references after this many subschemas, so a
/// schema whose references fan out cannot take unbounded time.
const BUDGET: usize = 200_000;

/// Infers the shape of `schema`, a document of `index` (its document 0).
pub(crate) fn infer(index: &Index<'_>, schema: &Value) -> Shape {
    let base = index
        .node(schema)
        .map(|n| n.base.clone())
        .unwrap_or_else(|| Rc::from(crate::validate::index::INLINE_BASE));
    let mut inferrer = Inferrer {
        index,
        visited: Vec::new(),
        budget: BUDGET,
    };
    inferrer.infer(schema, base)
}

struct Inferrer<'a, 's> {
    index: &'a Index<'s>,
    /// URLs of the references being expanded, to stop at cycles.
    visited: Vec<String>,
    budget: usize,
}

impl Inferrer<'_, '_> {
    fn infer(&mut self, schema: &Value, base: Rc<str>) -> Shape {
        let obj = match schema {
            Value::Bool(false) => return Shape::nothing(),
            Value::Object(obj) if self.budget > 0 => obj,
            _ => return Shape::anything(),
        };
        self.budget -= 1;

        let node = self.index.node(schema);
        let base = match (obj.contains_key("$id"), node) {
            (true, Some(node)) => node.base.clone(),
            _ => base,
        };

        let mut shape = Shape::anything();
        self.local_keywords(obj, &base, &mut shape);
        if obj.contains_key("reduce") {
            if let Some(strategy) = obj
                .get("reduce")
                .and_then(|r| r.get("strategy"))
                .and_then(Value::as_str)
                .and_then(Strategy::from_name)
            {
                shape.reduction = Reduction::Strategy(strategy);
                shape.reduce_at = node
                    .filter(|n| n.doc == 0)
                    .map(|n| Arc::from(format!("{}/reduce", n.path).as_str()));
            }
        }

        // Enum variants restrict the types, and the types filter the variants.
        if let Some(values) = shape.enum_.take() {
            let values: Vec<Value> = values
                .into_iter()
                .filter(|v| shape.types.overlaps(Types::for_value(v)))
                .collect();
            shape.types = shape.types & value_types(&values);
            shape.enum_ = Some(values);
        }

        // In-place applicators.
        if let Some(Value::String(reference)) = obj.get("$ref") {
            let referent = self.reference(&base, reference);
            shape = Shape::intersect(shape, referent);
        }
        if let Some(Value::Array(all)) = obj.get("allOf") {
            for sub in all {
                let sub = self.infer(sub, base.clone());
                shape = Shape::intersect(shape, sub);
            }
        }
        for keyword in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = obj.get(keyword) {
                let mut union: Option<Shape> = None;
                for sub in branches {
                    let sub = self.infer(sub, base.clone());
                    union = Some(match union {
                        Some(u) => Shape::union(u, sub),
                        None => sub,
                    });
                }
                if let Some(union) = union {
                    shape = Shape::intersect(shape, union);
                }
            }
        }
        if let (true, Some(then_), Some(else_)) =
            (obj.contains_key("if"), obj.get("then"), obj.get("else"))
        {
            let then_ = self.infer(then_, base.clone());
            let else_ = self.infer(else_, base.clone());
            shape = Shape::intersect(shape, Shape::union(then_, else_));
        }

        // `unevaluated*` apply where nothing else constrains additional locations.
        if shape.object.additional.is_none() {
            if let Some(sub) = obj.get("unevaluatedProperties") {
                shape.object.additional = Some(Box::new(self.infer(sub, base.clone())));
            }
        }
        if shape.array.additional.is_none() {
            if let Some(sub) = obj.get("unevaluatedItems") {
                shape.array.additional = Some(Box::new(self.infer(sub, base.clone())));
            }
        }
        shape
    }

    /// Keywords that constrain this location itself, and its properties and items.
    fn local_keywords(&mut self, obj: &Map<String, Value>, base: &Rc<str>, shape: &mut Shape) {
        match obj.get("type") {
            Some(Value::String(name)) => {
                if let Some(t) = Types::for_name(name) {
                    shape.types = t;
                }
            }
            Some(Value::Array(names)) => {
                let t = names
                    .iter()
                    .filter_map(|n| n.as_str().and_then(Types::for_name))
                    .fold(Types::INVALID, |a, b| a | b);
                shape.types = t;
            }
            _ => {}
        }
        if let Some(value) = obj.get("const") {
            shape.enum_ = Some(vec![value.clone()]);
        } else if let Some(Value::Array(values)) = obj.get("enum") {
            shape.enum_ = Some(values.clone());
        }
        if let Some(Value::String(format)) = obj.get("format") {
            shape.format = Some(format.clone());
        }

        // Arrays.
        if let Some(n) = obj.get("minItems").and_then(Value::as_u64) {
            shape.array.min_items = n;
        }
        if let Some(n) = obj.get("maxItems").and_then(Value::as_u64) {
            shape.array.max_items = Some(n);
        }
        match (obj.get("prefixItems"), obj.get("items")) {
            (Some(Value::Array(prefix)), items) => {
                shape.array.tuple = prefix.iter().map(|s| self.infer(s, base.clone())).collect();
                if let Some(items) = items.filter(|i| !i.is_array()) {
                    shape.array.additional = Some(Box::new(self.infer(items, base.clone())));
                }
            }
            (_, Some(Value::Array(tuple))) => {
                shape.array.tuple = tuple.iter().map(|s| self.infer(s, base.clone())).collect();
                if let Some(addl) = obj.get("additionalItems") {
                    shape.array.additional = Some(Box::new(self.infer(addl, base.clone())));
                }
            }
            (_, Some(items)) => {
                shape.array.additional = Some(Box::new(self.infer(items, base.clone())));
            }
            (_, None) => {}
        }

        // Objects.
        let mut properties: Vec<Property> = match obj.get("properties") {
            Some(Value::Object(props)) => props
                .iter()
                .map(|(name, sub)| Property {
                    name: name.clone(),
                    required: false,
                    shape: self.infer(sub, base.clone()),
                })
                .collect(),
            _ => Vec::new(),
        };
        properties.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(Value::Array(required)) = obj.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                match properties.binary_search_by(|p| p.name.as_str().cmp(name)) {
                    Ok(i) => properties[i].required = true,
                    Err(i) => properties.insert(
                        i,
                        Property {
                            name: name.to_string(),
                            required: true,
                            shape: Shape::anything(),
                        },
                    ),
                }
            }
        }
        let mut patterns = Vec::new();
        if let Some(Value::Object(pats)) = obj.get("patternProperties") {
            for (re, sub) in pats {
                let shape = self.infer(sub, base.clone());
                if let Ok(re) = regex::Regex::new(re) {
                    patterns.push(Pattern { re, shape });
                }
            }
            patterns.sort_by(|a, b| a.re.as_str().cmp(b.re.as_str()));
        }
        let additional = obj
            .get("additionalProperties")
            .map(|sub| Box::new(self.infer(sub, base.clone())));

        // Pattern properties also apply to the named properties they match.
        if !patterns.is_empty() {
            for p in &mut properties {
                for pattern in patterns.iter().filter(|pt| pt.re.is_match(&p.name)) {
                    let shape = std::mem::replace(&mut p.shape, Shape::anything());
                    p.shape = Shape::intersect(shape, pattern.shape.clone());
                }
            }
        }
        shape.object = ObjShape {
            properties,
            patterns,
            additional,
        };
    }

    /// The shape of the target of a `$ref`, or anything when it does not
    /// resolve (reported elsewhere) or is already being expanded.
    fn reference(&mut self, base: &str, reference: &str) -> Shape {
        let Some((url, target, node)) = self.index.resolve_url(base, reference) else {
            return Shape::anything();
        };
        if self.visited.contains(&url) {
            return Shape::anything();
        }
        self.visited.push(url);
        let shape = self.infer(target, node.base.clone());
        self.visited.pop();
        shape
    }
}
