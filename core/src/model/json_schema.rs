//! The JSON schema of catalog files, generated from the model.

use serde_json::{json, Value};

use crate::model::Catalog;

/// The catalog JSON schema (draft 2020-12).
///
/// It is generated with schemars, then given what serde attributes cannot
/// say: name patterns as `patternProperties`, the `schema` versus
/// `writeSchema` + `readSchema` choice, and `shuffle` as required.
pub(crate) fn catalog_schema() -> Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let generator = settings.into_generator();
    let mut schema = generator.into_root_schema_for::<Catalog>().to_value();

    if let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) {
        if let Some(c) = defs.get_mut("CollectionDef").and_then(Value::as_object_mut) {
            c.insert(
                "oneOf".into(),
                json!([
                    {"required": ["schema"], "not": {"anyOf": [{"required": ["writeSchema"]}, {"required": ["readSchema"]}]}},
                    {"required": ["writeSchema", "readSchema"], "not": {"required": ["schema"]}}
                ]),
            );
        }
        // A test may also be written as a bare array of steps.
        if let Some(t) = defs.get_mut("TestDef") {
            let mut object = t.take();
            let mut annotations = serde_json::Map::new();
            for key in ["title", "description"] {
                if let Some(v) = object.as_object_mut().and_then(|o| o.remove(key)) {
                    annotations.insert(key.into(), v);
                }
            }
            annotations.insert(
                "oneOf".into(),
                json!([object, {"type": "array", "items": {"$ref": "#/$defs/TestStep"}}]),
            );
            *t = Value::Object(annotations);
        }
        if let Some(t) = defs.get_mut("TransformDef").and_then(Value::as_object_mut) {
            if let Some(req) = t.get_mut("required").and_then(Value::as_array_mut) {
                if !req.contains(&json!("shuffle")) {
                    req.push(json!("shuffle"));
                }
            }
        }
    }
    strip_code_blocks(&mut schema);
    schema
}

impl Catalog {
    /// Removes fenced code blocks (the Rust doc examples) from the
    /// descriptions of a schema generated from the model's types, as
    /// [`Catalog::json_schema`] does; the JSON API's schema
    /// (`json_api::schema`) uses it too.
    pub(crate) fn strip_schema_code_blocks(schema: &mut Value) {
        strip_code_blocks(schema);
    }
}

/// Removes fenced code blocks (the Rust doc examples) from descriptions.
fn strip_code_blocks(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "description" && v.is_string() {
                    if let Value::String(text) = v {
                        let mut out = Vec::new();
                        let mut fenced = false;
                        for line in text.lines() {
                            if line.trim_start().starts_with("```") {
                                fenced = !fenced;
                            } else if !fenced {
                                out.push(line);
                            }
                        }
                        *text = out.join("\n").trim().to_string();
                    }
                } else {
                    strip_code_blocks(v);
                }
            }
            map.retain(|k, v| k != "description" || v.as_str().is_none_or(|s| !s.is_empty()));
        }
        Value::Array(items) => items.iter_mut().for_each(strip_code_blocks),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn both_test_forms_and_both_schema_forms_match() {
        let schema = super::catalog_schema();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let ok = json!({
            "collections": {
                "acmeCo/a": {"schema": {"type": "object"}, "key": ["/id"]},
                "acmeCo/b": {"writeSchema": true, "readSchema": "b.schema.yaml#/$defs/x", "key": ["/id"]}
            },
            "tests": {
                "acmeCo/t1": [{"ingest": {"collection": "acmeCo/a", "documents": [{"id": 1}]}}],
                "acmeCo/t2": {"description": "d", "steps": [{"verify": {"description": "v", "collection": "acmeCo/a", "documents": "docs.yaml"}}]}
            }
        });
        let errors: Vec<String> = validator.iter_errors(&ok).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        for bad in [
            json!({"collections": {"acmeCo/a": {"key": ["/id"]}}}),
            json!({"collections": {"acmeCo/a": {"schema": true, "writeSchema": true, "readSchema": true, "key": ["/id"]}}}),
            json!({"collections": {"nope": {"schema": true, "key": ["/id"]}}}),
            json!({"collections": {"acmeCo/d": {"schema": true, "key": ["/id"], "derive": {"using": {"sqlite": {}}, "transforms": [{"name": "t", "source": "acmeCo/a"}]}}}}),
            json!({"tests": {"acmeCo/t": {"steps": [], "extra": 1}}}),
        ] {
            assert!(!validator.is_valid(&bad), "{bad}");
        }
    }
}
