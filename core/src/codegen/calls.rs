//! The DSL calls that build a catalog, in no language yet: one per spec,
//! with its option object and its chained calls (bindings, transforms, test
//! steps), and the secrets of its configs replaced by markers naming the
//! environment variables that hold them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::{SecretVar, SECRET};
use crate::json_api::option_table;
use crate::Kind;

/// What a call makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entity {
    Capture,
    Collection,
    Derivation,
    Materialization,
    Test,
}

impl Entity {
    /// The method of the catalog that makes it, and its call's name in the
    /// JSON API.
    pub(crate) fn method(self) -> &'static str {
        match self {
            Entity::Capture => "capture",
            Entity::Collection => "collection",
            Entity::Derivation => "derivation",
            Entity::Materialization => "materialization",
            Entity::Test => "test",
        }
    }
}

/// One spec's call.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub entity: Entity,
    pub name: String,
    /// The spec as written, with secret markers.
    pub spec: Value,
    /// The options of the call (camelCase keys, in the spec's order).
    pub options: Vec<(String, Value)>,
    /// The calls chained on its handle.
    pub children: Vec<Child>,
}

/// A call chained on a spec's handle.
#[derive(Debug, Clone)]
pub(crate) struct Child {
    /// `binding`, `transform`, `ingest` or `verify`.
    pub method: &'static str,
    /// Its call in the JSON API (`captureBinding`, ...).
    pub call: &'static str,
    pub options: Vec<(String, Value)>,
}

/// Where each spec's configs are (JSON pointers), by kind and name.
pub(crate) type Configs = BTreeMap<(Kind, String), Vec<String>>;

/// The calls that build the catalog `document` (as the flat layout writes
/// it), whose configs are at `configs`, and the secrets they read.
pub(crate) fn calls(document: &Value, configs: &Configs) -> (Vec<Call>, Vec<SecretVar>) {
    let mut env = Env::default();
    let mut out = Vec::new();
    let kinds = [
        ("captures", Kind::Capture),
        ("collections", Kind::Collection),
        ("materializations", Kind::Materialization),
        ("tests", Kind::Test),
    ];
    for (section, kind) in kinds {
        let specs = document.get(section).and_then(Value::as_object);
        for (name, spec) in specs.into_iter().flatten() {
            let mut spec = spec.clone();
            for pointer in configs.get(&(kind, name.clone())).into_iter().flatten() {
                env.config(kind, name, &mut spec, pointer);
            }
            let name = name.clone();
            out.push(match kind {
                Kind::Capture => capture(name, spec),
                Kind::Collection => collection(name, spec),
                Kind::Materialization => materialization(name, spec),
                Kind::Test => test(name, spec),
            });
        }
    }
    (out, env.vars)
}

fn entries(value: &Value) -> Vec<(String, Value)> {
    value
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Whether every key of `options` is an option of `call`.
fn fits(call: &str, options: &[(String, Value)]) -> bool {
    let table = option_table(call);
    options
        .iter()
        .all(|(k, _)| table.iter().any(|o| o.key == *k))
}

/// The options of an endpoint of a capture or materialization: `image` and
/// `config` of a connector, else the endpoint's one key (`local`, `dekaf`).
fn endpoint(endpoint: &Value) -> Vec<(String, Value)> {
    match endpoint.get("connector") {
        Some(connector) => entries(connector),
        None => entries(endpoint),
    }
}

/// A binding, transform or step's source spelled as a name plus the
/// options `partitions`, `notBefore`, `notAfter` (when those are options of
/// `call`).
fn flatten_source(call: &str, key: &str, options: &mut Vec<(String, Value)>) {
    let Some(i) = options.iter().position(|(k, _)| k == key) else {
        return;
    };
    let Some(source) = options[i].1.as_object().cloned() else {
        return;
    };
    let mut parts: Vec<(String, Value)> = Vec::new();
    for (k, v) in &source {
        match k.as_str() {
            "name" => {}
            "partitions" | "notBefore" | "notAfter" => parts.push((k.clone(), v.clone())),
            _ => return,
        }
    }
    // `{name}` alone is a form of its own, which the model keeps.
    let Some(name) = source.get("name").filter(|_| !parts.is_empty()) else {
        return;
    };
    let table = option_table(call);
    if !parts.iter().all(|(k, _)| table.iter().any(|o| o.key == *k)) {
        return;
    }
    options[i].1 = name.clone();
    for (n, part) in parts.into_iter().enumerate() {
        options.insert(i + 1 + n, part);
    }
}

/// Chained calls of `items` when each fits `call`'s options, else `None`.
fn children(
    items: Option<&Value>,
    method: &'static str,
    call: &'static str,
    edit: impl Fn(&mut Vec<(String, Value)>),
) -> Option<Vec<Child>> {
    let mut out = Vec::new();
    for item in items.and_then(Value::as_array).into_iter().flatten() {
        let mut options = entries(item);
        edit(&mut options);
        if !item.is_object() || !fits(call, &options) {
            return None;
        }
        out.push(Child {
            method,
            call,
            options,
        });
    }
    Some(out)
}

fn capture(name: String, spec: Value) -> Call {
    task(Entity::Capture, name, spec, "captureBinding", |_| {})
}

/// A capture or materialization: its endpoint's options, the rest of its
/// spec as options, and its bindings as calls of `binding_call` (each
/// edited by `edit`) when they fit it.
fn task(
    entity: Entity,
    name: String,
    spec: Value,
    binding_call: &'static str,
    edit: impl Fn(&mut Vec<(String, Value)>),
) -> Call {
    let mut options = endpoint(&spec["endpoint"]);
    let mut kids = Vec::new();
    for (k, v) in entries(&spec) {
        match k.as_str() {
            "endpoint" => {}
            "bindings" => match children(Some(&v), "binding", binding_call, &edit) {
                Some(c) => kids = c,
                None => options.push((k, v)),
            },
            // A materialization's `sourceCapture`, as the model spells it.
            "source" => options.push(("sourceCapture".to_string(), v)),
            _ => options.push((k, v)),
        }
    }
    Call {
        entity,
        name,
        spec,
        options,
        children: kids,
    }
}

fn collection(name: String, spec: Value) -> Call {
    let mut options = Vec::new();
    let mut kids = Vec::new();
    let Some(derive) = spec.get("derive").cloned() else {
        return Call {
            entity: Entity::Collection,
            name,
            options: entries(&spec),
            spec,
            children: kids,
        };
    };
    for (k, v) in entries(&spec) {
        if k != "derive" {
            options.push((k, v));
        }
    }
    for (k, v) in entries(&derive) {
        match k.as_str() {
            "using" => options.push(runtime(&v)),
            "transforms" => {
                let edit = |o: &mut Vec<(String, Value)>| {
                    flatten_source("transform", "source", o);
                    shuffle_short(o);
                };
                match children(Some(&v), "transform", "transform", edit) {
                    Some(c) => kids = c,
                    None => options.push((k, v)),
                }
            }
            _ => options.push((k, v)),
        }
    }
    Call {
        entity: Entity::Derivation,
        name,
        spec,
        options,
        children: kids,
    }
}

/// `{key: [...]}` as the list alone, the short form of a shuffle.
fn shuffle_short(options: &mut [(String, Value)]) {
    for (k, v) in options.iter_mut() {
        if k == "shuffle" {
            if let Some(key) = v
                .as_object()
                .filter(|m| m.len() == 1)
                .and_then(|m| m.get("key"))
            {
                *v = key.clone();
            }
        }
    }
}

/// A derivation's runtime as the option naming it.
fn runtime(using: &Value) -> (String, Value) {
    let whole = ("using".to_string(), using.clone());
    let Some((kind, inner)) = using
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.iter().next())
    else {
        return whole;
    };
    let only = |key: &str| {
        inner
            .as_object()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.get(key))
    };
    match kind.as_str() {
        "typescript" => match only("module") {
            Some(module) if module.is_string() => ("typescript".into(), module.clone()),
            _ => whole,
        },
        "python" => match only("module") {
            Some(module) if module.is_string() => ("python".into(), module.clone()),
            _ => ("python".into(), inner.clone()),
        },
        "sqlite" => match inner.as_object() {
            Some(m) if m.is_empty() => ("sqlite".into(), json!([])),
            Some(_) => match only("migrations") {
                Some(list) if list.is_array() => ("sqlite".into(), list.clone()),
                _ => whole,
            },
            None => whole,
        },
        "connector" | "local" => (kind.clone(), inner.clone()),
        _ => whole,
    }
}

fn materialization(name: String, spec: Value) -> Call {
    let edit = |o: &mut Vec<(String, Value)>| flatten_source("materializationBinding", "source", o);
    task(
        Entity::Materialization,
        name,
        spec,
        "materializationBinding",
        edit,
    )
}

fn test(name: String, spec: Value) -> Call {
    let mut options = Vec::new();
    let mut kids = Vec::new();
    for (k, v) in entries(&spec) {
        match k.as_str() {
            "steps" => match steps(&v) {
                Some(c) => kids = c,
                None => options.push((k, v)),
            },
            _ => options.push((k, v)),
        }
    }
    Call {
        entity: Entity::Test,
        name,
        spec,
        options,
        children: kids,
    }
}

/// A test's steps as `ingest` and `verify` calls.
fn steps(steps: &Value) -> Option<Vec<Child>> {
    let mut out = Vec::new();
    for step in steps.as_array()? {
        let (kind, inner) = step.as_object().filter(|m| m.len() == 1)?.iter().next()?;
        let mut options = entries(inner);
        let (method, call) = match kind.as_str() {
            "ingest" => ("ingest", "ingest"),
            "verify" => {
                flatten_source("verify", "collection", &mut options);
                ("verify", "verify")
            }
            _ => return None,
        };
        if !fits(call, &options) {
            return None;
        }
        out.push(Child {
            method,
            call,
            options,
        });
    }
    Some(out)
}

/// The environment variables of secrets, as they are named.
#[derive(Default)]
struct Env {
    vars: Vec<SecretVar>,
    taken: BTreeSet<String>,
}

impl Env {
    /// Replaces the secrets of the config at `pointer` in `spec` with
    /// markers.
    fn config(&mut self, kind: Kind, name: &str, spec: &mut Value, pointer: &str) {
        let Some(config) = spec.pointer_mut(pointer) else {
            return;
        };
        let encrypted = config.get("sops").is_some_and(Value::is_object);
        if encrypted {
            config.as_object_mut().expect("has a key").remove("sops");
        }
        self.walk(kind, name, config, &mut pointer.to_string(), encrypted);
    }

    fn walk(
        &mut self,
        kind: Kind,
        name: &str,
        value: &mut Value,
        pointer: &mut String,
        encrypted: bool,
    ) {
        match value {
            Value::Object(map) => {
                let old = std::mem::take(map);
                let mut new = Map::with_capacity(old.len());
                for (key, mut item) in old {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    let stripped = key
                        .strip_suffix(crate::redact::ESTUARY_SUFFIX)
                        .filter(|k| !k.is_empty());
                    match stripped {
                        Some(plain) => {
                            let marker = self.secret(kind, name, plain, pointer, &item);
                            new.insert(plain.to_string(), marker);
                        }
                        None if encrypted
                            && item.as_str().is_some_and(crate::secrets::looks_encrypted) =>
                        {
                            let marker = self.secret(kind, name, &key, pointer, &item);
                            new.insert(key, marker);
                        }
                        None => {
                            self.walk(kind, name, &mut item, pointer, encrypted);
                            new.insert(key, item);
                        }
                    }
                    pointer.truncate(len);
                }
                *map = new;
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push_str(&format!("/{i}"));
                    self.walk(kind, name, item, pointer, encrypted);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// The marker of a secret named `key` of spec `name`, and its variable.
    fn secret(&mut self, kind: Kind, name: &str, key: &str, pointer: &str, value: &Value) -> Value {
        let json = match value.as_str() {
            Some(text) if crate::secrets::looks_encrypted(text) => !text.contains(",type:str]"),
            Some(_) => false,
            None => true,
        };
        let last = name.rsplit('/').next().unwrap_or(name);
        let mut env = upper_snake(&format!("{last}_{key}"));
        if self.taken.contains(&env) {
            let whole = upper_snake(&format!("{name}_{key}"));
            env = whole.clone();
            let mut n = 2;
            while self.taken.contains(&env) {
                env = format!("{whole}_{n}");
                n += 1;
            }
        }
        self.taken.insert(env.clone());
        self.vars.push(SecretVar {
            env: env.clone(),
            kind,
            name: name.to_string(),
            pointer: pointer.to_string(),
            json,
        });
        json!({ SECRET: {"env": env, "json": json} })
    }
}

/// `acmeCo/source-stripe_access-token` → `ACMECO_SOURCE_STRIPE_ACCESS_TOKEN`;
/// a camelCase boundary is a `_` too (`privateKey` → `PRIVATE_KEY`).
fn upper_snake(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        None => "SECRET".to_string(),
        _ => out,
    }
}
