//! Python types of the JSON API's option objects: a `TypedDict` per object
//! type with snake_case keys (as the Python binding takes them), an alias
//! per union or enum, and for each call that takes some options by position
//! a private `TypedDict` of its keyword arguments (`_TransformKeywords`).
//! Names are `str`; opaque JSON is `Any` / `JsonObject`, and a collection
//! schema is `Schema`, both declared by the hand-written part of
//! `_types.py`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{alternatives, doc, map_values, pascal_case, properties, snake_case, Schema};

/// The options each call of the Python binding takes by position: the rest
/// are keyword arguments.
const POSITIONAL: &[(&str, &[&str])] = &[
    ("captureBinding", &["resource", "target"]),
    ("transform", &["name", "source"]),
    ("materializationBinding", &["resource", "source"]),
    ("ingest", &["collection", "documents"]),
    ("verify", &["collection", "documents"]),
];

/// Types written by hand in `_types.py`.
const HAND_WRITTEN: &[&str] = &["Schema"];

/// The generated part of `_types.py`.
pub(super) fn generate(schema: &Schema) -> String {
    let mut gen = Generator {
        schema,
        out: String::new(),
        done: BTreeSet::new(),
        public: Vec::new(),
    };
    let calls = schema.calls();
    let roots: Vec<&str> = calls.iter().map(|(_, t)| *t).collect();
    for name in schema.reachable(&roots) {
        gen.emit_def(&name);
    }
    for (call, positional) in POSITIONAL {
        let ty = schema.options_of(call);
        let def = schema.def(ty);
        let keys: Vec<Key> = properties(def)
            .into_iter()
            .filter(|(name, _, _)| !positional.contains(name))
            .map(|(name, p, required)| Key {
                name: crate::json_api::python_name(name),
                ty: gen.py_type(p, ty),
                doc: doc(p),
                required,
            })
            .collect();
        let doc = format!(
            "The keyword arguments of the call taking `{ty}`, after `{}`.",
            positional.join("` and `")
        );
        gen.typed_dict(&format!("_{ty}Keywords"), &doc, keys);
    }
    let mut out = gen.out;
    gen.public.sort();
    out.push_str("\n\n__all__ += [\n");
    for name in &gen.public {
        out.push_str(&format!("    \"{name}\",\n"));
    }
    out.push_str("]\n");
    out
}

/// A key of a `TypedDict`.
struct Key {
    name: String,
    ty: String,
    doc: String,
    required: bool,
}

struct Generator<'a> {
    schema: &'a Schema,
    out: String,
    /// Definitions already written (or being written).
    done: BTreeSet<String>,
    /// The public names written, in order.
    public: Vec<String>,
}

impl Generator<'_> {
    /// Writes a definition after those it uses.
    fn emit_def(&mut self, name: &str) {
        if self.schema.is_plain_string(name)
            || HAND_WRITTEN.contains(&name)
            || !self.done.insert(name.to_string())
        {
            return;
        }
        let def = self.schema.def(name).clone();
        let mut used = Vec::new();
        super::refs(&def, &mut used);
        used.sort();
        for u in used {
            self.emit_def(&u);
        }
        if def.get("properties").is_some() {
            let keys = self.keys(&def, name);
            self.typed_dict(name, &doc(&def), keys);
        } else {
            let ty = self.py_type(&def, name);
            self.out.push_str(&format!("\n\n{name} = {ty}\n"));
            let text = doc(&def);
            if !text.is_empty() {
                self.out.push_str(&docstring(&text, ""));
            }
        }
        self.public.push(name.to_string());
    }

    /// The keys of an object schema, named as in the model.
    fn keys(&mut self, def: &Value, owner: &str) -> Vec<Key> {
        properties(def)
            .into_iter()
            .map(|(name, p, required)| Key {
                name: snake_case(name),
                ty: self.py_type(p, owner),
                doc: doc(p),
                required,
            })
            .collect()
    }

    /// Writes a `TypedDict`. With both required and optional keys, one
    /// kind goes in a base `TypedDict` (the one holding a key that is a
    /// Python keyword, which needs the functional form).
    fn typed_dict(&mut self, name: &str, doc: &str, keys: Vec<Key>) {
        let (required, optional): (Vec<Key>, Vec<Key>) = keys.into_iter().partition(|k| k.required);
        let keyword = |keys: &[Key]| {
            keys.iter()
                .any(|k| crate::json_api::shape::PYTHON_KEYWORDS.contains(&k.name.as_str()))
        };
        let plain = name.trim_start_matches('_');
        let (base, body) = if required.is_empty() {
            ("TypedDict, total=False".to_string(), optional)
        } else if optional.is_empty() {
            ("TypedDict".to_string(), required)
        } else if keyword(&optional) {
            let base = format!("_{plain}Optional");
            self.out.push_str(&functional(&base, &optional, false));
            (base, required)
        } else {
            let base = format!("_{plain}Required");
            if keyword(&required) {
                self.out.push_str(&functional(&base, &required, true));
            } else {
                self.out
                    .push_str(&format!("\n\nclass {base}(TypedDict):\n"));
                self.out.push_str(&class_keys(&required));
            }
            (format!("{base}, total=False"), optional)
        };
        if keyword(&body) {
            // Every key optional, or every key required, one a keyword.
            let total = base == "TypedDict";
            self.out.push_str(&functional(name, &body, total));
            if !doc.is_empty() {
                self.out.push_str(&docstring(doc, ""));
            }
            return;
        }
        self.out.push_str(&format!("\n\nclass {name}({base}):\n"));
        let mut text = String::new();
        if !doc.is_empty() {
            text.push_str(&docstring(doc, "    "));
        }
        if !body.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&class_keys(&body));
        }
        if text.is_empty() {
            text.push_str("    pass\n");
        }
        self.out.push_str(&text);
    }

    /// The Python type of a schema; objects inside a union of `owner` are
    /// written as private `TypedDict`s first.
    fn py_type(&mut self, s: &Value, owner: &str) -> String {
        if let Some(name) = Schema::ref_name(s) {
            return if self.schema.is_plain_string(name) {
                "str".into()
            } else {
                name.to_string()
            };
        }
        if let Some(value) = s.get("const") {
            return format!("Literal[{value}]");
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            let items: Vec<String> = values.iter().map(Value::to_string).collect();
            return format!("Literal[{}]", items.join(", "));
        }
        if let Some(items) = alternatives(s) {
            let consts: Vec<&Value> = items.iter().filter_map(|i| i.get("const")).collect();
            if !consts.is_empty() && consts.len() == items.len() {
                let items: Vec<String> = consts.iter().map(|v| v.to_string()).collect();
                return format!("Literal[{}]", items.join(", "));
            }
            let mut types: Vec<String> = Vec::new();
            for item in &items {
                let t = if item.get("properties").is_some() {
                    let first = properties(item).first().map_or("object", |p| p.0);
                    let name = format!("_{owner}{}", pascal_case(first));
                    let keys = self.keys(item, owner);
                    self.typed_dict(&name, &doc(item), keys);
                    name
                } else {
                    self.py_type(item, owner)
                };
                // `Union[Union[a, b], c]` is `Union[a, b, c]`.
                let flat = match t.strip_prefix("Union[").and_then(|t| t.strip_suffix(']')) {
                    Some(inner) => split_top_level(inner),
                    None => vec![t],
                };
                for t in flat {
                    if !types.contains(&t) {
                        types.push(t);
                    }
                }
            }
            return match types.len() {
                1 => types.pop().expect("one"),
                _ => format!("Union[{}]", types.join(", ")),
            };
        }
        match s.get("type").and_then(Value::as_str) {
            Some("string") => "str".into(),
            Some("boolean") => "bool".into(),
            Some("integer") => "int".into(),
            Some("number") => "float".into(),
            Some("array") => {
                let item = s
                    .get("items")
                    .map_or_else(|| "Any".to_string(), |i| self.py_type(i, owner));
                if item == "str" {
                    // A lone string is a sequence of strings too: not here.
                    "Union[List[str], Tuple[str, ...]]".into()
                } else {
                    format!("Sequence[{item}]")
                }
            }
            _ => match map_values(s) {
                Some(values) => format!("Mapping[str, {}]", self.py_type(values, owner)),
                None if s.get("type").is_some() => "JsonObject".into(),
                None => "Any".into(),
            },
        }
    }
}

/// The items of a comma-separated list of types, split at the commas
/// outside brackets.
fn split_top_level(list: &str) -> Vec<String> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in list.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                items.push(list[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(list[start..].trim().to_string());
    items
}

/// The keys of a class-form `TypedDict`, each after its doc as comments.
fn class_keys(keys: &[Key]) -> String {
    let mut out = String::new();
    for k in keys {
        for line in k.doc.lines() {
            if line.is_empty() {
                out.push_str("    #\n");
            } else {
                out.push_str(&format!("    # {line}\n"));
            }
        }
        out.push_str(&format!("    {}: {}\n", k.name, k.ty));
    }
    out
}

/// A functional-form `TypedDict` (for keys that are Python keywords).
fn functional(name: &str, keys: &[Key], total: bool) -> String {
    let mut out = format!("\n\n{name} = TypedDict(\n    \"{name}\",\n    {{\n");
    for k in keys {
        out.push_str(&format!("        \"{}\": {},\n", k.name, k.ty));
    }
    out.push_str("    },\n");
    if !total {
        out.push_str("    total=False,\n");
    }
    out.push_str(")\n");
    out
}

/// A docstring at `indent`.
fn docstring(text: &str, indent: &str) -> String {
    let text = text
        .trim()
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"");
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        return format!("{indent}\"\"\"{first}\"\"\"\n");
    }
    let mut out = format!("{indent}\"\"\"{first}\n");
    for line in rest {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
    out.push_str(&format!("{indent}\"\"\"\n"));
    out
}
