//! The bindings' types, generated from the JSON API's schema
//! ([`super::schema`]) and committed:
//!
//! - the TypeScript interfaces of the Node binding, in the generated part of
//!   `bindings-node/dts-header.d.ts` (napi-rs puts it at the head of
//!   `index.d.ts`, before the classes and functions it generates);
//! - the Kotlin binding's functions, with a named argument per option, in
//!   the generated part of `bindings-uniffi/kotlin/flowspec/Dsl.kt`, and the
//!   Ruby binding's methods, with a keyword argument per option, in that of
//!   `bindings-uniffi/ruby/lib/flowspec/dsl.rb` ([`methods`] lists them);
//! - the Python binding's `TypedDict`s and aliases, in the generated part of
//!   `bindings-python/python/flowspec/_types.py`; its stub (`_flowspec.pyi`)
//!   types the keyword arguments of each call with them (`**options:
//!   Unpack[CaptureOptions]`).
//!
//! Each file has a hand-written part and a generated part between two
//! marker lines. The tests here fail when a generated part is not what the
//! schema gives; `FLOWSPEC_BLESS=1 cargo test -p flowspec --lib
//! json_api::surface` rewrites them.

mod kotlin;
mod methods;
mod python;
mod ruby;
mod typescript;

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::snake_case;

/// The command that regenerates the committed files.
const REGENERATE: &str = "FLOWSPEC_BLESS=1 cargo test -p flowspec --lib json_api::surface";

/// The first line of a generated part: a comment saying how to change it.
fn do_not_edit(comment: &str) -> String {
    format!("{comment} Do not edit: change the core's types, then run `{REGENERATE}`.\n")
}

/// The JSON API's schema, with lookups of its definitions.
struct Schema {
    root: Value,
}

impl Schema {
    fn new() -> Self {
        Self {
            root: super::schema(),
        }
    }

    fn def(&self, name: &str) -> &Value {
        &self.root["$defs"][name]
    }

    /// The name of the definition a schema refers to, if it is a `$ref`.
    fn ref_name(schema: &Value) -> Option<&str> {
        schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
    }

    /// The type of a call's options (`capture` → `CaptureOptions`).
    fn options_of(&self, call: &str) -> &str {
        Self::ref_name(&self.root["properties"]["options"]["properties"][call])
            .unwrap_or_else(|| panic!("no options for {call}"))
    }

    /// The calls and their option types, in the schema's order.
    fn calls(&self) -> Vec<(&str, &str)> {
        self.root["properties"]["options"]["properties"]
            .as_object()
            .expect("options")
            .iter()
            .map(|(call, s)| (call.as_str(), Self::ref_name(s).expect("a $ref")))
            .collect()
    }

    /// The kinds and their spec types, in the schema's order.
    fn specs(&self) -> Vec<(&str, &str)> {
        self.root["properties"]["specs"]["properties"]
            .as_object()
            .expect("specs")
            .iter()
            .map(|(kind, s)| (kind.as_str(), Self::ref_name(s).expect("a $ref")))
            .collect()
    }

    /// Whether a definition is a plain string (a name or a duration), which
    /// the bindings show as `string` / `str`.
    fn is_plain_string(&self, name: &str) -> bool {
        let def = self.def(name);
        def.get("type").and_then(Value::as_str) == Some("string")
            && def.get("enum").is_none()
            && def.get("const").is_none()
    }

    /// The definitions `roots` use, directly or not, in name order.
    fn reachable(&self, roots: &[&str]) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<String> = roots.iter().map(|r| r.to_string()).collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            refs(self.def(&name), &mut todo);
        }
        seen.into_iter().collect()
    }
}

/// Pushes the names of the definitions a schema refers to.
fn refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(name) = Schema::ref_name(schema) {
                out.push(name.to_string());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The alternatives of a union (`anyOf` / `oneOf`, or a list of `type`s),
/// without `null`: options may be left out instead.
fn alternatives(schema: &Value) -> Option<Vec<Value>> {
    let not_null = |v: &&Value| v.get("type").and_then(Value::as_str) != Some("null");
    for key in ["anyOf", "oneOf"] {
        if let Some(items) = schema.get(key).and_then(Value::as_array) {
            return Some(items.iter().filter(not_null).cloned().collect());
        }
    }
    if let Some(types) = schema.get("type").and_then(Value::as_array) {
        let mut out = Vec::new();
        for t in types.iter().filter(|t| t.as_str() != Some("null")) {
            let mut one = schema.as_object().cloned().unwrap_or_default();
            one.insert("type".into(), t.clone());
            out.push(Value::Object(one));
        }
        return Some(out);
    }
    None
}

/// The doc text of a schema: its title, then its description.
fn doc(schema: &Value) -> String {
    let title = schema.get("title").and_then(Value::as_str).unwrap_or("");
    let description = schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    match (title.is_empty(), description.is_empty()) {
        (false, false) => format!("{title}\n\n{description}"),
        (false, true) => title.to_string(),
        (true, false) => description.to_string(),
        (true, true) => String::new(),
    }
}

/// The properties of an object schema and whether each is required.
fn properties(schema: &Value) -> Vec<(&str, &Value, bool)> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.as_str(), v, required.contains(&k.as_str())))
                .collect()
        })
        .unwrap_or_default()
}

/// The schema of a map's values (`additionalProperties` or
/// `patternProperties`), if the schema is a map.
fn map_values(schema: &Value) -> Option<&Value> {
    if schema.get("properties").is_some() {
        return None;
    }
    if let Some(v) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        return Some(v);
    }
    schema
        .get("patternProperties")
        .and_then(Value::as_object)
        .and_then(|p| p.values().next())
}

/// `ingest` → `Ingest`.
fn pascal_case(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const BEGIN: &str = "BEGIN GENERATED types";
const END: &str = "END GENERATED types";

/// A file of the repository, by its path from the workspace root.
fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// Checks that the generated part of `path` (the lines between the line
/// holding `BEGIN GENERATED types` and the one holding `END GENERATED types`) is
/// `generated`, or, with `bless` (`FLOWSPEC_BLESS` set), writes it.
fn check(path: &str, generated: &str, bless: bool) {
    let file = repo_file(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    let begin = text
        .find(BEGIN)
        .and_then(|i| text[i..].find('\n').map(|j| i + j + 1))
        .unwrap_or_else(|| panic!("{path} has no `{BEGIN}` line"));
    let end = text[begin..]
        .find(END)
        .map(|i| begin + text[begin..i + begin].rfind('\n').map_or(0, |j| j + 1))
        .unwrap_or_else(|| panic!("{path} has no `{END}` line"));
    if text[begin..end] == *generated {
        return;
    }
    if bless {
        let updated = format!("{}{generated}{}", &text[..begin], &text[end..]);
        std::fs::write(&file, updated).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    let (want, got) = (&text[begin..end], generated);
    let line = want
        .lines()
        .zip(got.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| want.lines().count().min(got.lines().count()));
    panic!(
        "{path}: the generated part differs from what the core's schema gives (first at its \
         line {}: {:?} != {:?}); run `{REGENERATE}` and commit it",
        line + 1,
        want.lines().nth(line).unwrap_or("<end>"),
        got.lines().nth(line).unwrap_or("<end>"),
    );
}

#[test]
fn typescript_types_are_generated_from_the_schema() {
    check(
        "bindings-node/dts-header.d.ts",
        &format!(
            "{}{}",
            do_not_edit("//"),
            typescript::generate(&Schema::new())
        ),
        std::env::var_os("FLOWSPEC_BLESS").is_some(),
    );
}

#[test]
fn python_types_are_generated_from_the_schema() {
    check(
        "bindings-python/python/flowspec/_types.py",
        &format!("{}{}", do_not_edit("#"), python::generate(&Schema::new())),
        std::env::var_os("FLOWSPEC_BLESS").is_some(),
    );
}

#[test]
fn kotlin_methods_are_generated_from_the_schema() {
    check(
        "bindings-uniffi/kotlin/flowspec/Dsl.kt",
        &format!("{}{}", do_not_edit("//"), kotlin::generate(&Schema::new())),
        std::env::var_os("FLOWSPEC_BLESS").is_some(),
    );
}

#[test]
fn ruby_methods_are_generated_from_the_schema() {
    check(
        "bindings-uniffi/ruby/lib/flowspec/dsl.rb",
        &format!("{}{}", do_not_edit("#"), ruby::generate(&Schema::new())),
        std::env::var_os("FLOWSPEC_BLESS").is_some(),
    );
}

#[test]
fn names_change_case_both_ways() {
    for (camel, snake) in [
        ("minTxnDuration", "min_txn_duration"),
        ("key", "key"),
        ("expectPubId", "expect_pub_id"),
    ] {
        assert_eq!(snake_case(camel), snake);
    }
    assert_eq!(pascal_case("ingest"), "Ingest");
}

#[test]
fn a_stale_generated_part_is_reported_with_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ts");
    std::fs::write(
        &path,
        "head\n// BEGIN GENERATED types\nold\n// END GENERATED types\ntail\n",
    )
    .unwrap();
    let result = std::panic::catch_unwind(|| check(path.to_str().unwrap(), "new\n", false));
    let message = *result.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains(REGENERATE), "{message}");
    assert!(message.contains("\"old\" != \"new\""), "{message}");
}
