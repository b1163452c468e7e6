//! A quick structural check of JSON schemas: whether every keyword that
//! draft 2020-12 defines has a value of the form its meta-schema requires.
//!
//! A schema that passes, uses no regular expressions and no keyword this
//! check does not cover, and whose references resolve, is one that
//! `jsonschema` compiles; building its validator can then wait until a
//! document must be validated. Any other schema is compiled right away, so
//! its errors are `jsonschema`'s. Unknown keywords (like Flow's `reduce`,
//! `redact` and `secret`) are annotations to `jsonschema`, and pass.

use serde_json::Value;

/// Whether `schema` is certainly compiled by `jsonschema` (draft 2020-12),
/// its references aside.
pub(crate) fn wellformed(schema: &Value) -> bool {
    let obj = match schema {
        Value::Bool(_) => return true,
        Value::Object(obj) => obj,
        _ => return false,
    };
    obj.iter().all(|(keyword, v)| match keyword.as_str() {
        "$id" | "$ref" | "$comment" | "title" | "description" | "format" | "contentEncoding"
        | "contentMediaType" => v.is_string(),
        "$anchor" => v.as_str().is_some_and(anchor),
        "$defs" | "definitions" | "properties" | "dependentSchemas" => {
            v.as_object().is_some_and(|m| m.values().all(wellformed))
        }
        "additionalProperties"
        | "unevaluatedProperties"
        | "propertyNames"
        | "items"
        | "contains"
        | "not"
        | "if"
        | "then"
        | "else"
        | "unevaluatedItems"
        | "contentSchema" => wellformed(v),
        "prefixItems" | "allOf" | "anyOf" | "oneOf" => v
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(wellformed)),
        "type" => match v {
            Value::String(t) => type_name(t),
            Value::Array(ts) => {
                !ts.is_empty() && ts.iter().all(|t| t.as_str().is_some_and(type_name)) && unique(ts)
            }
            _ => false,
        },
        "enum" | "examples" => v.is_array(),
        "const" | "default" => true,
        "required" => v
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string) && unique(a)),
        "dependentRequired" => v.as_object().is_some_and(|m| {
            m.values().all(|r| {
                r.as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string) && unique(a))
            })
        }),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties"
        | "minContains" | "maxContains" => v.is_u64(),
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => v.is_number(),
        "multipleOf" => v.as_f64().is_some_and(|f| f > 0.0),
        "uniqueItems" | "deprecated" | "readOnly" | "writeOnly" => v.is_boolean(),
        // Regular expressions, other drafts and dynamic references are
        // left to `jsonschema`.
        "pattern" | "patternProperties" | "$schema" | "$vocabulary" | "$dynamicRef"
        | "$dynamicAnchor" | "$recursiveRef" | "$recursiveAnchor" | "additionalItems"
        | "dependencies" => false,
        _ => true,
    })
}

fn type_name(t: &str) -> bool {
    matches!(
        t,
        "array" | "boolean" | "integer" | "null" | "number" | "object" | "string"
    )
}

fn anchor(a: &str) -> bool {
    let mut chars = a.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn unique(values: &[Value]) -> bool {
    values
        .iter()
        .enumerate()
        .all(|(i, v)| !values[..i].contains(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn agrees_with_jsonschema() {
        let cases = [
            (json!(true), true),
            (
                json!({"type": "object", "properties": {"a": {"type": ["string", "null"], "reduce": {"strategy": "merge"}}}, "required": ["a"]}),
                true,
            ),
            (
                json!({"$defs": {"x": {"$anchor": "X", "enum": [1, "a"]}}, "$ref": "#X", "minItems": 2, "multipleOf": 0.5}),
                true,
            ),
            (
                json!({"items": {"const": 1}, "prefixItems": [true], "allOf": [{"title": "t"}]}),
                true,
            ),
            (json!({"type": "objekt"}), false),
            (json!({"type": []}), false),
            (json!({"type": ["string", "string"]}), false),
            (json!({"required": "a"}), false),
            (json!({"required": ["a", "a"]}), false),
            (json!({"minLength": -1}), false),
            (json!({"multipleOf": 0}), false),
            (json!({"properties": {"a": {"type": 5}}}), false),
            (json!({"allOf": []}), false),
            (json!({"$anchor": "1x"}), false),
            (json!("string"), false),
            // Left to jsonschema, valid or not.
            (json!({"pattern": "^a"}), false),
            (
                json!({"$schema": "https://json-schema.org/draft/2020-12/schema"}),
                false,
            ),
        ];
        for (schema, want) in cases {
            assert_eq!(wellformed(&schema), want, "{schema}");
            if want {
                let built = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .build(&schema);
                assert!(built.is_ok(), "{schema}: {:?}", built.err());
            }
        }
    }
}
