//! The `jsonSchemaMerge` strategy: both sides are JSON schemas, and the
//! result is the schema of their union — a document valid under either
//! side is valid under it — as Estuary merges inferred schemas.
//!
//! Each side is checked with the JSON-schema validator, inferred as a
//! [`Shape`] (with titles, bounds and annotations), the shapes are
//! unioned, the union is kept to Estuary's bound on named locations
//! ([`Shape::squash`]), and written back as an in-line schema.

use serde_json::Value;

use crate::validate::Shape;

/// Merges the schema `rhs` into `lhs`, or says why the sides are not
/// schemas. An absent `lhs` takes `rhs` as it is.
pub(super) fn json_schema_merge(lhs: Option<&Value>, rhs: &Value) -> Result<Value, String> {
    let Some(lhs) = lhs else {
        check(rhs)?;
        return Ok(rhs.clone());
    };
    check(lhs)?;
    check(rhs)?;
    let mut union = Shape::union(Shape::infer_detailed(lhs), Shape::infer_detailed(rhs));
    union.squash(crate::validate::shape::COMPLEXITY_LIMIT);
    Ok(union.to_schema())
}

/// That `schema` is an object holding a valid JSON schema.
fn check(schema: &Value) -> Result<(), String> {
    let Value::Object(obj) = schema else {
        return Err(format!(
            "expected an object, found {}",
            crate::load::kind_of(schema)
        ));
    };
    let mut options = jsonschema::options();
    if !obj.contains_key("$schema") {
        options = options.with_draft(jsonschema::Draft::Draft201909);
    }
    options.build(schema).map(drop).map_err(|err| {
        let at = err.instance_path().to_string();
        if at.is_empty() {
            err.to_string()
        } else {
            format!("at {at}: {err}")
        }
    })
}
