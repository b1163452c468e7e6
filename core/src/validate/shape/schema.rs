//! The JSON schema a [`Shape`] stands for: what `jsonSchemaMerge` writes
//! after it unions the shapes of two schemas.
//!
//! The schema is in-line (no `$ref`, `allOf` or `anyOf`): a location's
//! types, `enum`, `format`, object and array keywords and, from a detailed
//! inference, its annotations and bounds. Keys come out sorted, as every
//! reduced document's do.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::{Reduction, Shape};
use crate::testing::reduce::compare;
use crate::validate::types::Types;

/// The meta-schema named at the root of a written schema.
pub(crate) const DRAFT_2019_09: &str = "https://json-schema.org/draft/2019-09/schema";

impl Shape {
    /// This shape as a JSON schema (draft 2019-09), for a root location.
    ///
    /// ```
    /// use flowspec::validate::Shape;
    /// use serde_json::json;
    /// let shape = Shape::infer_detailed(&json!({
    ///     "type": "object",
    ///     "properties": {"n": {"type": "integer", "minimum": 0, "reduce": {"strategy": "sum"}}},
    ///     "required": ["n"],
    /// }));
    /// assert_eq!(shape.to_schema(), json!({
    ///     "$schema": "https://json-schema.org/draft/2019-09/schema",
    ///     "type": "object",
    ///     "properties": {"n": {"type": "integer", "minimum": 0, "reduce": {"strategy": "sum"}}},
    ///     "required": ["n"],
    /// }));
    /// ```
    pub fn to_schema(&self) -> Value {
        match self.sub_schema() {
            Value::Object(mut out) => {
                out.insert("$schema".into(), DRAFT_2019_09.into());
                sorted(out)
            }
            other => other,
        }
    }

    fn sub_schema(&self) -> Value {
        if self.types == Types::INVALID {
            return Value::Bool(false);
        }
        let mut out = Map::new();
        let details = self.details.as_deref().cloned().unwrap_or_default();
        if self.types != Types::ANY {
            // A fractional-only location (from an enum like `[1.5]`) is a `number`.
            let names: Vec<Value> = self
                .types
                .names()
                .into_iter()
                .map(|n| Value::from(if n == "fractional" { "number" } else { n }))
                .collect();
            out.insert(
                "type".into(),
                match <[Value; 1]>::try_from(names) {
                    Ok([one]) => one,
                    Err(many) => Value::Array(many),
                },
            );
        }
        if let Some(values) = &self.enum_ {
            let mut values = values.clone();
            values.sort_by(compare);
            values.dedup_by(|a, b| compare(a, b) == Ordering::Equal);
            out.insert("enum".into(), Value::Array(values));
        }
        for (key, value) in [
            ("title", details.title.map(Value::from)),
            ("description", details.description.map(Value::from)),
            ("default", details.default),
        ] {
            if let Some(value) = value {
                out.insert(key.into(), value);
            }
        }

        if self.types.overlaps(Types::OBJECT) {
            let obj = &self.object;
            let required: Vec<Value> = obj
                .properties
                .iter()
                .filter(|p| p.required)
                .map(|p| Value::from(p.name.as_str()))
                .collect();
            if !required.is_empty() {
                out.insert("required".into(), Value::Array(required));
            }
            if !obj.properties.is_empty() {
                let properties = obj
                    .properties
                    .iter()
                    .map(|p| (p.name.clone(), p.shape.sub_schema()))
                    .collect();
                out.insert("properties".into(), sorted(properties));
            }
            if !obj.patterns.is_empty() {
                let patterns = obj
                    .patterns
                    .iter()
                    .map(|p| (p.re.as_str().to_string(), p.shape.sub_schema()))
                    .collect();
                out.insert("patternProperties".into(), sorted(patterns));
            }
            if let Some(additional) = &obj.additional {
                out.insert("additionalProperties".into(), additional.sub_schema());
            }
        }

        if self.types.overlaps(Types::ARRAY) {
            let array = &*self.array;
            if array.min_items != 0 {
                out.insert("minItems".into(), array.min_items.into());
            }
            if let Some(max) = array.max_items {
                out.insert("maxItems".into(), max.into());
            }
            let additional = array.additional.as_deref().map(Shape::sub_schema);
            if !array.tuple.is_empty() {
                let tuple = array.tuple.iter().map(Shape::sub_schema).collect();
                out.insert("items".into(), Value::Array(tuple));
                if let Some(additional) = additional {
                    out.insert("additionalItems".into(), additional);
                }
            } else if let Some(additional) = additional {
                out.insert("items".into(), additional);
            }
        }

        if self.types.overlaps(Types::STRING) {
            let string = details.string;
            if let Some(format) = &self.format {
                out.insert("format".into(), format.as_str().into());
            }
            if let Some(encoding) = string.content_encoding {
                out.insert("contentEncoding".into(), encoding.into());
            }
            if let Some(content_type) = string.content_type {
                out.insert("contentMediaType".into(), content_type.into());
            }
            if string.min_length != 0 {
                out.insert("minLength".into(), string.min_length.into());
            }
            if let Some(max) = string.max_length {
                out.insert("maxLength".into(), max.into());
            }
        }

        if self.types.overlaps(Types::NUMBER) {
            if let Some(min) = details.numeric.minimum {
                out.insert("minimum".into(), min);
            }
            if let Some(max) = details.numeric.maximum {
                out.insert("maximum".into(), max);
            }
        }

        if details.secret == Some(true) {
            out.insert("secret".into(), true.into());
        }
        match self.reduction {
            Reduction::Unset => {}
            Reduction::Strategy(strategy) => {
                let reduce = details
                    .reduce
                    .unwrap_or_else(|| serde_json::json!({"strategy": strategy.name()}));
                out.insert("reduce".into(), reduce);
            }
            Reduction::Multiple => {
                out.insert("reduce".into(), "multiple-strategies".into());
            }
        }
        out.extend(details.annotations);
        sorted(out)
    }
}

/// An object with its keys in order.
fn sorted(map: Map<String, Value>) -> Value {
    let mut entries: Vec<(String, Value)> = map.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Object(entries.into_iter().collect())
}
