//! TypeScript declarations of the JSON API's types: an interface per
//! object type, a type alias per union or enum, and `Specs`, the spec type
//! of each kind. Names (`CaptureName`, `Duration`, ...) are `string`; opaque
//! JSON is `JsonValue` / `JsonObject`, declared by the hand-written part of
//! the header.

use serde_json::Value;

use super::{alternatives, doc, map_values, properties, Schema};

/// The generated part of `dts-header.d.ts`.
pub(super) fn generate(schema: &Schema) -> String {
    let mut roots: Vec<&str> = schema.calls().into_iter().map(|(_, t)| t).collect();
    roots.extend(schema.specs().into_iter().map(|(_, t)| t));
    let mut out = String::new();
    for name in schema.reachable(&roots) {
        if schema.is_plain_string(&name) {
            continue;
        }
        let def = schema.def(&name);
        out.push('\n');
        let mut text = doc(def);
        for example in def
            .get("examples")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            text.push_str(&format!("\n\n@example\n{example}"));
        }
        out.push_str(&jsdoc(&text, ""));
        if def.get("properties").is_some() {
            out.push_str(&format!("export interface {name} {{\n"));
            out.push_str(&members(schema, def, "  "));
            out.push_str("}\n");
        } else {
            out.push_str(&format!("export type {name} = {}\n", ts_type(schema, def)));
        }
    }
    out.push('\n');
    out.push_str(&jsdoc(
        "The spec of each kind, as in `flow.yaml`: what `getSpec` returns and `setSpec` takes.",
        "",
    ));
    out.push_str("export interface Specs {\n");
    for (kind, ty) in schema.specs() {
        out.push_str(&format!("  {kind}: {ty}\n"));
    }
    out.push_str("}\n\n");
    out
}

/// The members of an interface, each with its doc.
fn members(schema: &Schema, def: &Value, indent: &str) -> String {
    let mut out = String::new();
    for (name, property, required) in properties(def) {
        out.push_str(&jsdoc(&doc(property), indent));
        let optional = if required { "" } else { "?" };
        out.push_str(&format!(
            "{indent}{}{optional}: {}\n",
            property_name(name),
            ts_type(schema, property)
        ));
    }
    out
}

/// A property name, quoted unless it is an identifier.
fn property_name(name: &str) -> String {
    let identifier = name.chars().enumerate().all(|(i, c)| {
        c == '_' || c == '$' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())
    });
    if identifier && !name.is_empty() {
        name.to_string()
    } else {
        Value::String(name.to_string()).to_string()
    }
}

/// A JSDoc comment of `text` at `indent`, or nothing for no text.
fn jsdoc(text: &str, indent: &str) -> String {
    let text = text.trim().replace("*/", "*\\/");
    if text.is_empty() {
        return String::new();
    }
    if !text.contains('\n') {
        return format!("{indent}/** {text} */\n");
    }
    let mut out = format!("{indent}/**\n");
    for line in text.lines() {
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {line}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

/// The TypeScript type of a schema.
fn ts_type(schema: &Schema, s: &Value) -> String {
    if let Some(name) = Schema::ref_name(s) {
        return if schema.is_plain_string(name) {
            "string".into()
        } else {
            name.to_string()
        };
    }
    if let Some(value) = s.get("const") {
        return value.to_string();
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let items: Vec<String> = values.iter().map(Value::to_string).collect();
        return items.join(" | ");
    }
    if let Some(items) = alternatives(s) {
        let mut types: Vec<String> = Vec::new();
        for item in &items {
            let t = ts_type(schema, item);
            if !types.contains(&t) {
                types.push(t);
            }
        }
        return match types.len() {
            0 => "never".into(),
            _ => types.join(" | "),
        };
    }
    match s.get("type").and_then(Value::as_str) {
        Some("string") => "string".into(),
        Some("boolean") => "boolean".into(),
        Some("integer" | "number") => "number".into(),
        Some("array") => match s.get("items") {
            Some(items) => format!("Array<{}>", ts_type(schema, items)),
            None => "Array<JsonValue>".into(),
        },
        Some("object") if s.get("properties").is_some() => {
            let fields: Vec<String> = properties(s)
                .into_iter()
                .map(|(name, p, required)| {
                    let optional = if required { "" } else { "?" };
                    format!("{}{optional}: {}", property_name(name), ts_type(schema, p))
                })
                .collect();
            format!("{{ {} }}", fields.join("; "))
        }
        Some("object") => match map_values(s) {
            Some(values) => format!("Record<string, {}>", ts_type(schema, values)),
            None => "JsonObject".into(),
        },
        _ => match map_values(s) {
            Some(values) => format!("Record<string, {}>", ts_type(schema, values)),
            None => "JsonValue".into(),
        },
    }
}
