//! Python: keyword arguments in snake_case (the keys of structured option
//! dicts too), calls chained on each handle, and a `main` that writes the
//! catalog.

use serde_json::{Map, Value};

use super::literal::{self, pad, quoted, Syntax};
use super::{Call, Header};
use crate::json_api::{option_table, snake_case, OptionShape};

struct Python;

impl Syntax for Python {
    fn constant(&self, value: &Value) -> &'static str {
        match value {
            Value::Bool(true) => "True",
            Value::Bool(false) => "False",
            _ => "None",
        }
    }

    fn string(&self, text: &str) -> String {
        quoted(text, |c| match c as u32 {
            n if n <= 0xff => format!("\\x{n:02x}"),
            n => format!("\\u{n:04x}"),
        })
    }

    fn secret(&self, env: &str, json: bool) -> String {
        match json {
            false => format!("fs.secret(env({}))", self.string(env)),
            true => format!("fs.secret(json.loads(env({})))", self.string(env)),
        }
    }

    fn lines(&self, parts: &[String], indent: usize) -> String {
        let inner = pad(indent + 4);
        let body: Vec<String> = parts.iter().map(|p| format!("{inner}{p}\n")).collect();
        format!("(\n{}{})", body.concat(), pad(indent))
    }
}

/// The arguments given by position, by call: the others are keywords.
fn positional(call: &str) -> &'static [&'static str] {
    match call {
        "captureBinding" | "materializationBinding" => &["resource"],
        "transform" => &["name"],
        "ingest" | "verify" => &["collection", "documents"],
        _ => &[],
    }
}

/// A value with the keys of its structured dicts in snake_case.
fn snake_keys(value: &Value, shape: &OptionShape) -> Value {
    match (shape, value) {
        (OptionShape::Fields(_), Value::Object(map)) if super::secret_of(value).is_none() => {
            let out: Map<String, Value> = map
                .iter()
                .map(|(k, v)| (snake_case(k), snake_keys(v, shape.field(k))))
                .collect();
            Value::Object(out)
        }
        (OptionShape::Items(item), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| snake_keys(v, item)).collect())
        }
        (OptionShape::Values(inner), Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), snake_keys(v, inner)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// The arguments of a call of `call` with these options.
fn args(call: &str, options: &[(String, Value)]) -> Vec<(String, Value)> {
    let table = option_table(call);
    let by_position = positional(call);
    let mut out: Vec<(String, Value)> = Vec::new();
    for key in by_position {
        if let Some((_, v)) = options.iter().find(|(k, _)| k == key) {
            out.push((String::new(), v.clone()));
        }
    }
    for (key, value) in options {
        if by_position.contains(&key.as_str()) {
            continue;
        }
        let option = table.iter().find(|o| o.key == *key);
        let name = option.map_or_else(|| snake_case(key), |o| o.python.clone());
        let shape = option.map_or(&OptionShape::Opaque, |o| &o.shape);
        out.push((format!("{name}="), snake_keys(value, shape)));
    }
    out
}

/// The statement making one spec.
fn statement(call: &Call) -> String {
    let mut options = vec![(String::new(), Value::String(call.name.clone()))];
    options.extend(args(call.entity.method(), &call.options));
    let head = format!("cat.{}", call.entity.method());
    let mut out = literal::call(&Python, &head, &options, 4, 4, true);
    for child in &call.children {
        let used = out.rsplit('\n').next().map_or(0, str::len);
        let head = format!(".{}", child.method);
        out.push_str(&literal::call(
            &Python,
            &head,
            &args(child.call, &child.options),
            4,
            used,
            true,
        ));
    }
    format!("    {out}\n")
}

pub(crate) fn program(header: &Header<'_>, calls: &[Call]) -> String {
    let mut out = String::from("#!/usr/bin/env python3\n\"\"\"");
    let lines = header.lines("python flow.py");
    out.push_str(&lines.join("\n").replace('\\', "\\\\"));
    out.push_str("\n\"\"\"\n\nfrom __future__ import annotations\n\n");
    let json = header.secrets.iter().any(|s| s.json);
    if json {
        out.push_str("import json\n");
    }
    if !header.secrets.is_empty() {
        out.push_str("import os\n");
    }
    out.push_str("import sys\n\nimport flowspec as fs\n\n\n");
    if !header.secrets.is_empty() {
        out.push_str(ENV);
    }
    out.push_str(
        "def catalog() -> fs.Catalog:\n    \"\"\"The catalog.\"\"\"\n    cat = fs.Catalog()\n",
    );
    for call in calls {
        out.push_str(&statement(call));
    }
    out.push_str("    return cat\n\n\n");
    out.push_str(MAIN);
    out
}

const ENV: &str = r#"def env(name: str) -> str:
    """The value of the environment variable ``name``, which must be set."""
    value = os.environ.get(name)
    if value is None:
        raise SystemExit(f"set the environment variable {name}: it holds a secret of the catalog")
    return value


"#;

const MAIN: &str = r#"def main(argv: list[str]) -> int:
    target = argv[1] if len(argv) > 1 else "flow.yaml"
    try:
        for path in catalog().write(target):
            print(f"wrote {path}")
    except fs.FlowspecError as err:
        print(f"error[{err.code}]: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
"#;
