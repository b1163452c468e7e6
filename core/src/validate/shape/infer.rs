//! Inference of a [`Shape`] from the keywords of a JSON schema.

use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::details::Details;
use super::{value_types, ObjShape, Pattern, Property, Reduction, Shape, Strategy};
use crate::validate::index::Index;
use crate::validate::types::Types;

/// Inferring stops expanding references after this many subschemas, so a
/// schema whose references fan out cannot take unbounded time.
const BUDGET: usize = 200_000;

/// Infers the shape of `schema`, a document of `index` (its document 0),
/// with the [`Details`] of each location when `detailed`.
pub(crate) fn infer(index: &Index<'_>, schema: &Value, detailed: bool) -> Shape {
    let base = index
        .node(schema)
        .map(|n| n.base.clone())
        .unwrap_or_else(|| Rc::from(crate::validate::index::INLINE_BASE));
    let mut inferrer = Inferrer {
        index,
        visited: Vec::new(),
        budget: BUDGET,
        detailed,
    };
    inferrer.infer(schema, base)
}

struct Inferrer<'a, 's> {
    index: &'a Index<'s>,
    /// URLs of the references being expanded, to stop at cycles.
    visited: Vec<String>,
    budget: usize,
    detailed: bool,
}

/// The keywords of one subschema, gathered in one pass over its properties
/// (looking each keyword up would hash it, for every subschema).
#[derive(Default)]
struct Keywords<'v> {
    id: bool,
    reference: Option<&'v str>,
    reduce: Option<&'v Value>,
    type_: Option<&'v Value>,
    const_: Option<&'v Value>,
    enum_: Option<&'v Vec<Value>>,
    format: Option<&'v str>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    prefix_items: Option<&'v Vec<Value>>,
    items: Option<&'v Value>,
    additional_items: Option<&'v Value>,
    unevaluated_items: Option<&'v Value>,
    properties: Option<&'v Map<String, Value>>,
    required: Option<&'v Vec<Value>>,
    pattern_properties: Option<&'v Map<String, Value>>,
    additional_properties: Option<&'v Value>,
    unevaluated_properties: Option<&'v Value>,
    all_of: Option<&'v Vec<Value>>,
    any_of: Option<&'v Vec<Value>>,
    one_of: Option<&'v Vec<Value>>,
    if_: bool,
    then_: Option<&'v Value>,
    else_: Option<&'v Value>,
}

impl<'v> Keywords<'v> {
    fn of(obj: &'v Map<String, Value>) -> Self {
        let mut kw = Keywords::default();
        for (keyword, v) in obj {
            match keyword.as_str() {
                "$id" => kw.id = true,
                "$ref" => kw.reference = v.as_str(),
                "reduce" => kw.reduce = Some(v),
                "type" => kw.type_ = Some(v),
                "const" => kw.const_ = Some(v),
                "enum" => kw.enum_ = v.as_array(),
                "format" => kw.format = v.as_str(),
                "minItems" => kw.min_items = v.as_u64(),
                "maxItems" => kw.max_items = v.as_u64(),
                "prefixItems" => kw.prefix_items = v.as_array(),
                "items" => kw.items = Some(v),
                "additionalItems" => kw.additional_items = Some(v),
                "unevaluatedItems" => kw.unevaluated_items = Some(v),
                "properties" => kw.properties = v.as_object(),
                "required" => kw.required = v.as_array(),
                "patternProperties" => kw.pattern_properties = v.as_object(),
                "additionalProperties" => kw.additional_properties = Some(v),
                "unevaluatedProperties" => kw.unevaluated_properties = Some(v),
                "allOf" => kw.all_of = v.as_array(),
                "anyOf" => kw.any_of = v.as_array(),
                "oneOf" => kw.one_of = v.as_array(),
                "if" => kw.if_ = true,
                "then" => kw.then_ = Some(v),
                "else" => kw.else_ = Some(v),
                _ => {}
            }
        }
        kw
    }
}

impl Inferrer<'_, '_> {
    fn infer(&mut self, schema: &Value, base: Rc<str>) -> Shape {
        let obj = match schema {
            Value::Bool(false) => return Shape::nothing(),
            Value::Object(obj) if self.budget > 0 => obj,
            _ => return Shape::anything(),
        };
        self.budget -= 1;
        let kw = Keywords::of(obj);

        // Only subschemas with an `$id` or a `reduce` need their place.
        let node = if kw.id || kw.reduce.is_some() {
            self.index.node(schema)
        } else {
            None
        };
        let base = match (kw.id, node) {
            (true, Some(node)) => node.base.clone(),
            _ => base,
        };

        let mut shape = Shape::anything();
        if self.detailed {
            shape.details = Details::of(obj);
        }
        self.local_keywords(&kw, &base, &mut shape);
        if let Some(strategy) = kw
            .reduce
            .and_then(|r| r.get("strategy"))
            .and_then(Value::as_str)
            .and_then(Strategy::from_name)
        {
            shape.reduction = Reduction::Strategy(strategy);
            shape.reduce_at = node
                .filter(|n| n.doc == 0)
                .map(|n| Arc::from(format!("{}/reduce", n.path).as_str()));
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
        if let Some(reference) = kw.reference {
            let referent = self.reference(&base, reference);
            shape = Shape::intersect(shape, referent);
        }
        for sub in kw.all_of.into_iter().flatten() {
            let sub = self.infer(sub, base.clone());
            shape = Shape::intersect(shape, sub);
        }
        for branches in [kw.any_of, kw.one_of].into_iter().flatten() {
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
        if let (true, Some(then_), Some(else_)) = (kw.if_, kw.then_, kw.else_) {
            let then_ = self.infer(then_, base.clone());
            let else_ = self.infer(else_, base.clone());
            shape = Shape::intersect(shape, Shape::union(then_, else_));
        }

        // `unevaluated*` apply where nothing else constrains additional locations.
        if let (None, Some(sub)) = (&shape.object.additional, kw.unevaluated_properties) {
            shape.object.additional = Some(Box::new(self.infer(sub, base.clone())));
        }
        if let (None, Some(sub)) = (&shape.array.additional, kw.unevaluated_items) {
            shape.array.additional = Some(Box::new(self.infer(sub, base.clone())));
        }
        shape
    }

    /// Keywords that constrain this location itself, and its properties and items.
    fn local_keywords(&mut self, kw: &Keywords<'_>, base: &Rc<str>, shape: &mut Shape) {
        match kw.type_ {
            Some(Value::String(name)) => {
                if let Some(t) = Types::for_name(name) {
                    shape.types = t;
                }
            }
            Some(Value::Array(names)) => {
                shape.types = names
                    .iter()
                    .filter_map(|n| n.as_str().and_then(Types::for_name))
                    .fold(Types::INVALID, |a, b| a | b);
            }
            _ => {}
        }
        if let Some(value) = kw.const_ {
            shape.enum_ = Some(vec![value.clone()]);
        } else if let Some(values) = kw.enum_ {
            shape.enum_ = Some(values.clone());
        }
        shape.format = kw.format.map(str::to_string);

        // Arrays.
        if let Some(n) = kw.min_items {
            shape.array.min_items = n;
        }
        if kw.max_items.is_some() {
            shape.array.max_items = kw.max_items;
        }
        match (kw.prefix_items, kw.items) {
            (Some(prefix), items) => {
                shape.array.tuple = prefix.iter().map(|s| self.infer(s, base.clone())).collect();
                if let Some(items) = items.filter(|i| !i.is_array()) {
                    shape.array.additional = Some(Box::new(self.infer(items, base.clone())));
                }
            }
            (None, Some(Value::Array(tuple))) => {
                shape.array.tuple = tuple.iter().map(|s| self.infer(s, base.clone())).collect();
                if let Some(addl) = kw.additional_items {
                    shape.array.additional = Some(Box::new(self.infer(addl, base.clone())));
                }
            }
            (None, Some(items)) => {
                shape.array.additional = Some(Box::new(self.infer(items, base.clone())));
            }
            (None, None) => {}
        }

        // Objects.
        let mut properties: Vec<Property> = kw
            .properties
            .into_iter()
            .flatten()
            .map(|(name, sub)| Property {
                name: name.clone(),
                required: false,
                shape: self.infer(sub, base.clone()),
            })
            .collect();
        properties.sort_by(|a, b| a.name.cmp(&b.name));
        for name in kw.required.into_iter().flatten().filter_map(Value::as_str) {
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
        let mut patterns = Vec::new();
        for (re, sub) in kw.pattern_properties.into_iter().flatten() {
            let shape = self.infer(sub, base.clone());
            if let Ok(re) = regex::Regex::new(re) {
                patterns.push(Pattern { re, shape });
            }
        }
        patterns.sort_by(|a, b| a.re.as_str().cmp(b.re.as_str()));
        let additional = kw
            .additional_properties
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
