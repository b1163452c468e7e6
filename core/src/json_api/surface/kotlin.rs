//! The Kotlin binding's methods (`bindings-uniffi/kotlin/flowspec/Dsl.kt`):
//! for each method of [`super::methods::METHODS`], a function with a named
//! argument per option, defaulting to `null` (left out) unless required.
//! Options keep their camelCase names; their types follow the schema where
//! Kotlin can say it (`String`, `Boolean`, `Long`, `List<String>`), and are
//! `Any` (JSON as maps, lists and scalars) elsewhere.

use serde_json::Value;

use super::methods::{first_paragraph, method_doc, params, Lead, Method, Owner, METHODS};
use super::{alternatives, Schema};

/// Kotlin's hard keywords: a name among them is written in backticks.
const KEYWORDS: &[&str] = &[
    "as",
    "break",
    "class",
    "continue",
    "do",
    "else",
    "false",
    "for",
    "fun",
    "if",
    "in",
    "interface",
    "is",
    "null",
    "object",
    "package",
    "return",
    "super",
    "this",
    "throw",
    "true",
    "try",
    "typealias",
    "typeof",
    "val",
    "var",
    "when",
    "while",
];

fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("`{name}`")
    } else {
        name.to_string()
    }
}

/// The generated part of `Dsl.kt`.
pub(super) fn generate(schema: &Schema) -> String {
    let mut out = String::new();
    for method in METHODS {
        out.push('\n');
        out.push_str(&function(schema, method));
    }
    out
}

fn function(schema: &Schema, method: &Method) -> String {
    let params = params(schema, method);
    let mut text = format!("{}\n", method_doc(schema, method));
    for (name, _) in method.lead {
        text.push_str(&format!("\n@param {name} {}", lead_doc(name)));
    }
    for p in &params {
        let line = first_paragraph(&p.doc);
        if !line.is_empty() {
            text.push_str(&format!("\n@param {} {line}", p.key));
        }
    }
    let mut out = kdoc(&text);
    let receiver = match method.owner {
        Owner::Module | Owner::Constructor => String::new(),
        Owner::CatalogStatic => "Catalog.Companion.".to_string(),
        Owner::Class(class) => format!("{class}."),
    };
    out.push_str("@Throws(FlowspecException::class)\n");
    out.push_str(&format!("fun {receiver}{}(\n", method.name));
    let mut args: Vec<String> = Vec::new();
    for (name, lead) in method.lead {
        let ty = match lead {
            Lead::Text => "String",
            Lead::OptionalText => "String? = null",
            Lead::Object => "Map<String, Any?>",
        };
        out.push_str(&format!("    {name}: {ty},\n"));
        args.push(name.to_string());
    }
    let mut pairs = String::new();
    for p in &params {
        let ty = kotlin_type(schema, p.schema);
        let ty = if p.required {
            ty.to_string()
        } else {
            format!("{ty}? = null")
        };
        out.push_str(&format!("    {}: {ty},\n", ident(p.key)));
        pairs.push_str(&format!("        \"{}\" to {},\n", p.key, ident(p.key)));
    }
    args.push(if pairs.is_empty() {
        "options()".to_string()
    } else {
        format!("options(\n{pairs}    )")
    });
    out.push_str(&format!(
        "): {} = {}(\n    {},\n)\n",
        method.returns,
        method.helper,
        args.join(",\n    ")
    ));
    out
}

fn lead_doc(name: &str) -> &'static str {
    match name {
        "name" => "The spec's catalog name, like `acmeCo/source-postgres`.",
        "path" => "The file.",
        "document" => "The document, as maps, lists and scalars.",
        _ => "",
    }
}

/// The Kotlin type of an option's schema (without nullability).
fn kotlin_type(schema: &Schema, s: &Value) -> &'static str {
    if let Some(name) = Schema::ref_name(s) {
        let def = schema.def(name);
        return if schema.is_plain_string(name) {
            "String"
        } else {
            kotlin_type(schema, def)
        };
    }
    if let Some(items) = alternatives(s) {
        let types: Vec<&str> = items.iter().map(|i| kotlin_type(schema, i)).collect();
        return match types.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => first,
            _ => "Any",
        };
    }
    if s.get("enum").is_some() || s.get("const").is_some_and(Value::is_string) {
        return "String";
    }
    match s.get("type").and_then(Value::as_str) {
        Some("string") => "String",
        Some("boolean") => "Boolean",
        Some("integer") => "Long",
        Some("number") => "Double",
        Some("array") => match s.get("items").map(|i| kotlin_type(schema, i)) {
            Some("String") => "List<String>",
            _ => "List<Any?>",
        },
        _ => "Any",
    }
}

/// A KDoc comment of `text`.
fn kdoc(text: &str) -> String {
    let text = text.trim().replace("*/", "*&#47;");
    let mut out = "/**\n".to_string();
    for line in text.lines() {
        if line.is_empty() {
            out.push_str(" *\n");
        } else {
            out.push_str(&format!(" * {line}\n"));
        }
    }
    out.push_str(" */\n");
    out
}
