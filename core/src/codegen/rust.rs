//! Rust: the consuming builders of [`crate::build`], `json!` for values,
//! and a `main` that writes the catalog. A spec using something no builder
//! method sets is made from its model form instead
//! (`Spec::Capture(name, serde_json::from_value(json!(…))?)`), so every
//! catalog can be written.

use serde_json::{Map, Value};

use super::literal::{self, pad, quoted, Syntax};
use super::{Call, Entity, Header};

struct Rust;

impl Syntax for Rust {
    fn string(&self, text: &str) -> String {
        str_literal(text)
    }

    fn secret(&self, env: &str, json: bool) -> String {
        match json {
            false => format!("secret(env({})?)", str_literal(env)),
            true => format!(
                "secret(serde_json::from_str::<serde_json::Value>(&env({})?)?)",
                str_literal(env)
            ),
        }
    }

    fn lines(&self, parts: &[String], indent: usize) -> String {
        let inner = pad(indent + 4);
        let body: Vec<String> = parts.iter().map(|p| format!("{inner}{p},\n")).collect();
        format!("concat!(\n{}{})", body.concat(), pad(indent))
    }
}

fn str_literal(text: &str) -> String {
    quoted(text, |c| format!("\\u{{{:x}}}", c as u32))
}

/// A `&str` of code (SQL, a module): over several lines with `concat!`
/// when it has several.
fn text(code: &str) -> String {
    literal::render(&Rust, &Value::String(code.to_string()), 16, literal::WIDTH)
}

/// An argument of a builder method.
enum Arg {
    /// A `&str`.
    Str(String),
    /// A `serde_json::Value`: `json!(…)`.
    Json(Value),
    /// A model type, from its JSON: `serde_json::from_value(json!(…))?`.
    Model(Value),
    /// Code as it is.
    Raw(String),
}

/// A builder method and its arguments.
struct Method(&'static str, Vec<Arg>);

fn str_of(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

/// `["a", "b"]`: a list of strings as an array of literals.
fn strings(value: &Value) -> Option<String> {
    let items: Option<Vec<String>> = value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(text))
        .collect();
    let items = items?;
    match items.is_empty() {
        true => Some("[] as [&str; 0]".to_string()),
        false => Some(format!("[{}]", items.join(", "))),
    }
}

fn keys_within(value: &Value, keys: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.keys().all(|k| keys.contains(&k.as_str())))
}

fn flag(name: &'static str, value: &Value) -> Option<Option<Method>> {
    match value {
        Value::Bool(true) => Some(Some(Method(name, vec![]))),
        Value::Bool(false) => Some(None),
        _ => None,
    }
}

/// The method setting a task's endpoint: a connector, Dekaf (only
/// materializations have it) or a local command.
fn endpoint(endpoint: &Value) -> Option<Method> {
    let config = |v: &Value| {
        v.get("config")
            .cloned()
            .unwrap_or(Value::Object(Map::new()))
    };
    if let Some(c) = endpoint.get("connector") {
        let image = Arg::Str(str_of(c.get("image")?)?);
        return Some(Method("connector", vec![image, Arg::Json(config(c))]));
    }
    if let Some(d) = endpoint
        .get("dekaf")
        .filter(|d| keys_within(d, &["variant", "config"]))
    {
        let variant = Arg::Str(str_of(d.get("variant")?)?);
        return Some(Method("dekaf", vec![variant, Arg::Json(config(d))]));
    }
    Some(Method(
        "local",
        vec![Arg::Model(endpoint.get("local")?.clone())],
    ))
}

/// A task's bindings: `binding(resource, to)` for those with only a
/// resource and a collection named by `to` (`target` or `source`),
/// `binding_def` for the others.
fn bindings(bindings: &Value, to: &str) -> Option<Vec<Method>> {
    let mut out = Vec::new();
    for b in bindings.as_array()? {
        match (
            keys_within(b, &["resource", to]),
            b.get(to).and_then(Value::as_str),
        ) {
            (true, Some(name)) => {
                let resource = Arg::Json(b.get("resource")?.clone());
                out.push(Method(
                    "binding",
                    vec![resource, Arg::Str(name.to_string())],
                ));
            }
            _ => out.push(Method("binding_def", vec![Arg::Model(b.clone())])),
        }
    }
    Some(out)
}

fn capture(spec: &Value) -> Option<Vec<Method>> {
    let mut out = vec![endpoint(spec.get("endpoint")?)?];
    for (k, v) in spec.as_object()? {
        match k.as_str() {
            "endpoint" => {}
            "bindings" => out.extend(bindings(v, "target")?),
            "interval" => out.push(Method("interval", vec![Arg::Str(str_of(v)?)])),
            "autoDiscover"
                if keys_within(v, &["addNewBindings", "evolveIncompatibleCollections"]) =>
            {
                let get = |key: &str| {
                    v.get(key)
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        .to_string()
                };
                out.push(Method(
                    "auto_discover",
                    vec![
                        Arg::Raw(get("addNewBindings")),
                        Arg::Raw(get("evolveIncompatibleCollections")),
                    ],
                ));
            }
            "shards" => out.push(Method("shards", vec![Arg::Model(v.clone())])),
            "expectPubId" => out.push(Method("expect_pub_id", vec![Arg::Str(str_of(v)?)])),
            "delete" => out.extend(flag("delete", v)?),
            "reset" => out.extend(flag("reset", v)?),
            "redactSalt" => out.push(Method("redact_salt", vec![Arg::Str(str_of(v)?)])),
            _ => return None,
        }
    }
    Some(out)
}

fn collection(spec: &Value) -> Option<Vec<Method>> {
    let mut out = Vec::new();
    for (k, v) in spec.as_object()? {
        match k.as_str() {
            "schema" => out.push(Method("schema", vec![Arg::Json(v.clone())])),
            "writeSchema" => out.push(Method("write_schema", vec![Arg::Json(v.clone())])),
            "readSchema" => out.push(Method("read_schema", vec![Arg::Json(v.clone())])),
            "key" => out.push(Method("key", vec![Arg::Raw(strings(v)?)])),
            "projections" => {
                for (field, p) in v.as_object()? {
                    let field = Arg::Str(field.clone());
                    match p {
                        Value::String(location) => out.push(Method(
                            "projection",
                            vec![field, Arg::Str(location.clone())],
                        )),
                        _ if keys_within(p, &["location", "partition"])
                            && p.get("partition") == Some(&Value::Bool(true)) =>
                        {
                            let location = Arg::Str(str_of(p.get("location")?)?);
                            out.push(Method("partition", vec![field, location]));
                        }
                        _ => return None,
                    }
                }
            }
            "journals" => out.push(Method("journals", vec![Arg::Model(v.clone())])),
            "derive" => out.push(Method("derive", vec![Arg::Raw(derivation(v)?)])),
            "expectPubId" => out.push(Method("expect_pub_id", vec![Arg::Str(str_of(v)?)])),
            "delete" => out.extend(flag("delete", v)?),
            _ => return None,
        }
    }
    Some(out)
}

/// A `DerivationBuilder` expression.
fn derivation(derive: &Value) -> Option<String> {
    let using = derive.get("using")?;
    let (kind, inner) = using.as_object().filter(|m| m.len() == 1)?.iter().next()?;
    let only = |key: &str| {
        inner
            .as_object()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.get(key))
    };
    let mut out = match kind.as_str() {
        "typescript" => format!(
            "DerivationBuilder::typescript({})",
            text(only("module")?.as_str()?)
        ),
        "python" if only("module").is_some_and(Value::is_string) => {
            format!(
                "DerivationBuilder::python({})",
                text(only("module")?.as_str()?)
            )
        }
        "sqlite" => {
            let list = match inner.as_object()?.is_empty() {
                true => "[] as [&str; 0]".to_string(),
                false => strings(only("migrations")?)?,
            };
            format!("DerivationBuilder::sqlite({list})")
        }
        "connector" if keys_within(inner, &["image", "config"]) => {
            let config = inner
                .get("config")
                .cloned()
                .unwrap_or(Value::Object(Map::new()));
            format!(
                "DerivationBuilder::connector({}, json!({}))",
                str_literal(inner.get("image")?.as_str()?),
                literal::inline(&Rust, &config)
            )
        }
        "local" => format!("DerivationBuilder::local({})", model(inner)),
        _ => format!("DerivationBuilder::using({})", model(using)),
    };
    for (k, v) in derive.as_object()? {
        match k.as_str() {
            "using" => {}
            "transforms" => {
                for t in v.as_array()? {
                    out.push_str(&format!(".transform({})", transform(t)?));
                }
            }
            "shuffleKeyTypes" => out.push_str(&format!(
                ".shuffle_key_types(serde_json::from_value::<Vec<flowspec::ShuffleType>>(json!({}))?)",
                literal::inline(&Rust, v)
            )),
            "shards" => out.push_str(&format!(".shards({})", model(v))),
            "redactSalt" => out.push_str(&format!(".redact_salt({})", str_literal(v.as_str()?))),
            _ => return None,
        }
    }
    Some(out)
}

/// A `TransformBuilder` expression.
fn transform(t: &Value) -> Option<String> {
    let name = t.get("name")?.as_str()?;
    let source = t.get("source")?;
    let source_name = match source {
        Value::String(s) => s.as_str(),
        _ if keys_within(source, &["name", "partitions", "notBefore", "notAfter"]) => {
            source.get("name")?.as_str()?
        }
        _ => return None,
    };
    let mut out = format!(
        "TransformBuilder::new({}, {})",
        str_literal(name),
        str_literal(source_name)
    );
    if let Some(partitions) = source.get("partitions") {
        out.push_str(&format!(".partitions({})", model(partitions)));
    }
    for key in ["notBefore", "notAfter"] {
        if let Some(v) = source.get(key) {
            let method = if key == "notBefore" {
                "not_before"
            } else {
                "not_after"
            };
            out.push_str(&format!(".{method}({})", str_literal(v.as_str()?)));
        }
    }
    for (k, v) in t.as_object()? {
        match k.as_str() {
            "name" | "source" => {}
            "shuffle" => match v {
                Value::String(any) if any == "any" => out.push_str(".shuffle_any()"),
                _ => match v.as_object().filter(|m| m.len() == 1)?.iter().next()? {
                    (key, list) if key == "key" => {
                        out.push_str(&format!(".shuffle_key({})", strings(list)?))
                    }
                    (key, Value::String(lambda)) if key == "lambda" => {
                        out.push_str(&format!(".shuffle_lambda({})", text(lambda)))
                    }
                    _ => return None,
                },
            },
            "lambda" => out.push_str(&format!(".lambda({})", text(v.as_str()?))),
            "priority" => out.push_str(&format!(".priority({})", v.as_u64()?)),
            "readDelay" => out.push_str(&format!(".read_delay({})", str_literal(v.as_str()?))),
            "disable" => {
                if v.as_bool()? {
                    out.push_str(".disable()")
                }
            }
            "backfill" => out.push_str(&format!(".backfill({})", v.as_u64()?)),
            _ => return None,
        }
    }
    Some(out)
}

fn materialization(spec: &Value) -> Option<Vec<Method>> {
    let mut out = vec![endpoint(spec.get("endpoint")?)?];
    for (k, v) in spec.as_object()? {
        match k.as_str() {
            "endpoint" => {}
            "bindings" => out.extend(bindings(v, "source")?),
            "source" | "sourceCapture" => {
                out.push(Method("source_capture", vec![Arg::Str(str_of(v)?)]))
            }
            "onIncompatibleSchemaChange" => out.push(Method(
                "on_incompatible_schema_change",
                vec![Arg::Model(v.clone())],
            )),
            "shards" => out.push(Method("shards", vec![Arg::Model(v.clone())])),
            "expectPubId" => out.push(Method("expect_pub_id", vec![Arg::Str(str_of(v)?)])),
            "delete" => out.extend(flag("delete", v)?),
            _ => return None,
        }
    }
    Some(out)
}

fn documents(docs: &Value) -> Option<String> {
    let items: Vec<String> = docs
        .as_array()?
        .iter()
        .map(|d| format!("json!({})", literal::inline(&Rust, d)))
        .collect();
    Some(format!("[{}]", items.join(", ")))
}

fn test(spec: &Value) -> Option<Vec<Method>> {
    let mut out = Vec::new();
    for (k, v) in spec.as_object()? {
        match k.as_str() {
            "description" => out.push(Method("description", vec![Arg::Str(str_of(v)?)])),
            "steps" => {
                for step in v.as_array()? {
                    out.push(
                        test_step(step)
                            .unwrap_or_else(|| Method("step", vec![Arg::Model(step.clone())])),
                    );
                }
            }
            "delete" => out.extend(flag("delete", v)?),
            _ => return None,
        }
    }
    Some(out)
}

fn test_step(step: &Value) -> Option<Method> {
    let (kind, inner) = step.as_object().filter(|m| m.len() == 1)?.iter().next()?;
    if !keys_within(inner, &["collection", "documents"]) {
        return None;
    }
    let docs = Arg::Raw(documents(inner.get("documents")?)?);
    let collection = inner.get("collection")?;
    match (kind.as_str(), collection) {
        ("ingest", Value::String(c)) => Some(Method("ingest", vec![Arg::Str(c.clone()), docs])),
        ("verify", Value::String(c)) => Some(Method("verify", vec![Arg::Str(c.clone()), docs])),
        ("verify", _) if keys_within(collection, &["name", "partitions"]) => Some(Method(
            "verify_partitions",
            vec![
                Arg::Str(str_of(collection.get("name")?)?),
                Arg::Model(collection.get("partitions")?.clone()),
                docs,
            ],
        )),
        _ => None,
    }
}

/// `serde_json::from_value(json!(…))?`.
fn model(value: &Value) -> String {
    format!(
        "serde_json::from_value(json!({}))?",
        literal::inline(&Rust, value)
    )
}

fn arg(arg: &Arg, indent: usize, used: usize) -> String {
    match arg {
        Arg::Str(s) => str_literal(s),
        Arg::Json(v) => format!("json!({})", literal::render(&Rust, v, indent, used + 6)),
        Arg::Model(v) => format!(
            "serde_json::from_value(json!({}))?",
            literal::render(&Rust, v, indent, used + 30)
        ),
        Arg::Raw(code) => code.clone(),
    }
}

/// The statement adding one spec.
fn statement(call: &Call) -> String {
    let name = str_literal(&call.name);
    let (builder, methods) = match call.entity {
        Entity::Capture => ("CaptureBuilder", capture(&call.spec)),
        Entity::Collection | Entity::Derivation => ("CollectionBuilder", collection(&call.spec)),
        Entity::Materialization => ("MaterializationBuilder", materialization(&call.spec)),
        Entity::Test => ("TestBuilder", test(&call.spec)),
    };
    let Some(methods) = methods else {
        let kind = match call.entity {
            Entity::Capture => "Capture",
            Entity::Collection | Entity::Derivation => "Collection",
            Entity::Materialization => "Materialization",
            Entity::Test => "Test",
        };
        let spec = literal::render(&Rust, &call.spec, 8, 38);
        return format!(
            "    catalog.add(Spec::{kind}(\n        flowspec::{kind}::new({name})?,\n        \
             serde_json::from_value(json!({spec}))?,\n    ))?;\n"
        );
    };
    let chain = |methods: &[&Method], indent: usize| {
        let mut out = format!("{builder}::new({name})");
        for Method(method, args) in methods {
            let used = indent + 1 + method.len();
            let args: Vec<String> = args.iter().map(|a| arg(a, indent, used)).collect();
            out.push_str(&format!("\n{}.{method}({})", pad(indent), args.join(", ")));
        }
        out
    };
    let (simple, others): (Vec<&Method>, Vec<&Method>) =
        methods.iter().partition(|m| m.0 == "binding");
    if simple.len() <= super::MANY_BINDINGS || others.iter().any(|m| m.0 == "binding_def") {
        let all: Vec<&Method> = methods.iter().collect();
        return format!("    catalog.add(\n        {},\n    )?;\n", chain(&all, 12));
    }
    // Many bindings: a list of them, added in a loop, rather than a chain
    // of thousands of calls.
    let mut out = String::from("    {\n        let bindings = [\n");
    for Method(_, args) in &simple {
        let args: Vec<String> = args.iter().map(|a| arg(a, 12, 13)).collect();
        out.push_str(&format!("            ({}),\n", args.join(", ")));
    }
    out.push_str(&format!(
        "        ];\n        let mut builder = {};\n",
        chain(&others, 12)
    ));
    out.push_str(
        "        for (resource, collection) in bindings {\n            \
         builder = builder.binding(resource, collection);\n        }\n        \
         catalog.add(builder)?;\n    }\n",
    );
    out
}

pub(crate) fn program(header: &Header<'_>, calls: &[Call]) -> String {
    let mut body = String::new();
    for call in calls {
        body.push_str(&statement(call));
    }
    let mut out = String::new();
    for line in header.lines("cargo run --") {
        match line.is_empty() {
            true => out.push_str("//!\n"),
            false => out.push_str(&format!("//! {line}\n")),
        }
    }
    out.push('\n');
    let builders: Vec<&str> = [
        "CaptureBuilder",
        "CollectionBuilder",
        "DerivationBuilder",
        "MaterializationBuilder",
        "Spec",
        "TestBuilder",
        "TransformBuilder",
    ]
    .into_iter()
    .filter(|b| body.contains(&format!("{b}::")))
    .collect();
    match builders.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("use flowspec::build::{one};\n")),
        many => out.push_str(&format!("use flowspec::build::{{{}}};\n", many.join(", "))),
    }
    if body.contains("secret(") {
        out.push_str("use flowspec::{secret, Catalog};\n");
    } else {
        out.push_str("use flowspec::Catalog;\n");
    }
    if body.contains("json!(") {
        out.push_str("use serde_json::json;\n");
    }
    out.push_str(
        "\n/// What the program's functions return.\ntype Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;\n\n",
    );
    if !header.secrets.is_empty() {
        out.push_str(ENV);
    }
    out.push_str("/// The catalog.\npub fn catalog() -> Result<Catalog> {\n");
    match calls.is_empty() {
        true => out.push_str("    let catalog = Catalog::default();\n"),
        false => out.push_str("    let mut catalog = Catalog::default();\n"),
    }
    out.push_str(&body);
    out.push_str("    Ok(catalog)\n}\n\n");
    out.push_str(MAIN);
    out
}

const ENV: &str = r#"/// The value of the environment variable `name`, which must be set.
fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| {
        format!("set the environment variable {name}: it holds a secret of the catalog").into()
    })
}

"#;

const MAIN: &str = r#"fn main() -> std::process::ExitCode {
    let target = std::env::args().nth(1).unwrap_or_else(|| "flow.yaml".to_string());
    let written = catalog().and_then(|c| Ok(c.write(&target, flowspec::write::Layout::Flat)?));
    match written {
        Ok(written) => {
            for path in &written.files {
                println!("wrote {}", path.display());
            }
            std::process::ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
"#;

/// `text` formatted by `rustfmt` (edition 2021), when it is on the `PATH`
/// and formats it; else as it is.
pub(crate) fn format(text: String) -> String {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return text };
    let mut stdin = child.stdin.take().expect("piped");
    let input = text.clone();
    // Written from a thread, so a large program cannot fill both pipes.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output();
    let wrote = writer.join().map(|r| r.is_ok()).unwrap_or(false);
    match output {
        Ok(out) if out.status.success() && wrote => String::from_utf8(out.stdout).unwrap_or(text),
        _ => text,
    }
}
