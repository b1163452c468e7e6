//! TypeScript: option objects in camelCase, calls chained on each handle,
//! and a `main` that writes the catalog when the module is run.

use serde_json::Value;

use super::literal::{self, pad, Syntax, WIDTH};
use super::{Call, Header};

struct TypeScript;

/// Whether `key` can be an object's key without quotes.
fn identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

impl Syntax for TypeScript {
    fn string(&self, text: &str) -> String {
        Value::String(text.to_string()).to_string()
    }

    fn key(&self, key: &str) -> String {
        match identifier(key) {
            true => key.to_string(),
            false => self.string(key),
        }
    }

    fn secret(&self, env: &str, json: bool) -> String {
        match json {
            false => format!("secret(env({}))", self.string(env)),
            true => format!("secret(JSON.parse(env({})) as JsonValue)", self.string(env)),
        }
    }

    fn lines(&self, parts: &[String], indent: usize) -> String {
        parts.join(&format!(" +\n{}", pad(indent + 4)))
    }

    fn spaced_braces(&self) -> bool {
        true
    }

    fn hugs_last_argument(&self) -> bool {
        true
    }
}

/// A call's arguments: the name (for a spec) and the option object.
fn object(options: &[(String, Value)]) -> Value {
    Value::Object(options.iter().cloned().collect())
}

/// The statement making one spec.
fn statement(call: &Call) -> String {
    let head = format!("cat.{}", call.entity.method());
    let mut args = vec![(String::new(), Value::String(call.name.clone()))];
    if !call.options.is_empty() || call.entity != super::Entity::Test {
        args.push((String::new(), object(&call.options)));
    }
    let many = call.children.len() > super::MANY_BINDINGS
        && call.children.iter().all(|c| c.method == "binding");
    if many {
        // A list of the bindings, added in a loop: tsc overflows its stack
        // on a chain of thousands of calls.
        let (handle, ty) = match call.entity {
            super::Entity::Capture => ("capture", "CaptureBinding"),
            _ => ("materialization", "MaterializationBindingOptions"),
        };
        let list = Value::Array(call.children.iter().map(|c| object(&c.options)).collect());
        let list = literal::render(&TypeScript, &list, 8, WIDTH);
        let make = literal::call(&TypeScript, &head, &args, 8, 8 + handle.len() + 9, false);
        return format!(
            "    {{\n        const bindings: {ty}[] = {list};\n        const {handle} = {make};\n        \
             for (const binding of bindings) {{\n            {handle}.binding(binding);\n        }}\n    }}\n"
        );
    }
    let mut out = literal::call(&TypeScript, &head, &args, 4, 4, false);
    for child in &call.children {
        let head = format!("\n        .{}", child.method);
        let args = [(String::new(), object(&child.options))];
        out.push_str(&literal::call(&TypeScript, &head, &args, 8, 0, false));
    }
    format!("    {out};\n")
}

pub(crate) fn program(header: &Header<'_>, calls: &[Call]) -> String {
    let mut out = String::from("/**\n");
    for line in header.lines("node flow.js") {
        match line.is_empty() {
            true => out.push_str(" *\n"),
            false => out.push_str(&format!(" * {line}\n")),
        }
    }
    out.push_str(" */\n\nimport { pathToFileURL } from \"node:url\";\n\n");
    let json = header.secrets.iter().any(|s| s.json);
    let mut names = vec!["Catalog", "FlowspecError"];
    if json {
        names.push("type JsonValue");
    }
    if !header.secrets.is_empty() {
        names.push("secret");
    }
    let body: String = calls.iter().map(statement).collect();
    for ty in ["CaptureBinding", "MaterializationBindingOptions"] {
        if body.contains(&format!("const bindings: {ty}[]")) {
            names.push(match ty {
                "CaptureBinding" => "type CaptureBinding",
                _ => "type MaterializationBindingOptions",
            });
        }
    }
    out.push_str(&format!(
        "import {{ {} }} from \"flowspec\";\n\n",
        names.join(", ")
    ));
    if !header.secrets.is_empty() {
        out.push_str(ENV);
    }
    out.push_str("/** The catalog. */\nexport function catalog(): Catalog {\n    const cat = new Catalog();\n");
    out.push_str(&body);
    out.push_str("    return cat;\n}\n\n");
    out.push_str(MAIN);
    out
}

const ENV: &str = r#"/** The value of the environment variable `name`, which must be set. */
function env(name: string): string {
    const value = process.env[name];
    if (value === undefined) {
        throw new Error(`set the environment variable ${name}: it holds a secret of the catalog`);
    }
    return value;
}

"#;

const MAIN: &str = r#"if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const target = process.argv[2] ?? "flow.yaml";
    try {
        for (const path of catalog().write(target)) {
            console.log(`wrote ${path}`);
        }
    } catch (err) {
        if (!(err instanceof Error)) throw err;
        const code = err instanceof FlowspecError ? `[${err.code}]` : "";
        console.error(`error${code}: ${err.message}`);
        process.exitCode = 1;
    }
}
"#;
