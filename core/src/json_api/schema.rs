//! The JSON schema of the bindings' JSON API: every option object the
//! `json_api` calls decode, and the spec types they read and write.
//!
//! It is generated from the Rust types (schemars), so the names and fields
//! the bindings show are the core's own: the TypeScript interfaces of the
//! Node binding, the Python binding's `TypedDict`s and keyword arguments,
//! and the Python binding's table of options are all derived from it.

use schemars::JsonSchema;
use serde_json::{json, Map, Value};

use super::{
    AgeKeygenOptions, CaptureOptions, CatalogOptions, CollectionOptions, DecryptFileOptions,
    DecryptOptions, DecryptSecretsOptions, DerivationOptions, EncryptFileOptions, EncryptOptions,
    GenerateOptions, IngestOptions, LoadOptions, MaterializationBindingOptions,
    MaterializationOptions, PlanOptions, PublishOptions, PullSpecsOptions, RenderOptions,
    RunTestsOptions, TestOptions, TransformOptions, VerifyOptions, WriteOptions,
};
use crate::{CaptureBinding, CaptureDef, CollectionDef, MaterializationDef, TestDef};

/// A sops file format, as options name it (`inputType`).
pub(super) struct FormatName;

impl JsonSchema for FormatName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Format".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "title": "Format",
            "description": "A file format: `json` or `yaml`.",
            "type": "string",
            "enum": ["json", "yaml"],
        })
    }
}

/// Renames of model types whose names the bindings already give to
/// something else: `Derivation` is the handle of a derived collection in
/// Python and TypeScript, so the model's derive block is `DerivationDef`
/// there, as `CaptureDef` and `CollectionDef` are.
const RENAMES: &[(&str, &str)] = &[("Derivation", "DerivationDef")];

/// What serde types cannot say about opaque JSON values: configs and
/// resources are objects or file URLs, modules are code or file URLs, and
/// migrations are SQL or file URLs. `(type, property, schema)`.
fn overrides() -> Vec<(&'static str, &'static str, Value)> {
    let config = json!({"$ref": "#/$defs/Config"});
    let resource = json!({"$ref": "#/$defs/Resource"});
    let text = json!({"type": "string"});
    vec![
        ("ConnectorConfig", "config", config.clone()),
        ("LocalConfig", "config", config.clone()),
        ("DekafConfig", "config", config.clone()),
        ("CaptureOptions", "config", config.clone()),
        ("MaterializationOptions", "config", config),
        ("CaptureBinding", "resource", resource.clone()),
        ("MaterializationBinding", "resource", resource.clone()),
        ("MaterializationBindingOptions", "resource", resource),
        ("TypescriptModule", "module", text.clone()),
        ("PythonModule", "module", text.clone()),
        (
            "SqliteMigrations",
            "migrations",
            json!({"type": "array", "items": text}),
        ),
    ]
}

/// The JSON schema (draft 2020-12) of the JSON API. Its `properties` are
/// `options`, whose properties name each call (`capture`, `captureBinding`,
/// `write`, `encryptFile`, …) and refer to the option object it decodes,
/// and `specs`, the spec type of each kind (`capture`, `collection`,
/// `materialization`, `test`). `$defs` holds those types and every type
/// they use.
///
/// ```
/// let schema = flowspec::json_api::schema();
/// assert_eq!(schema["properties"]["options"]["properties"]["collection"]["$ref"], "#/$defs/CollectionOptions");
/// let key = &schema["$defs"]["CollectionOptions"]["properties"]["key"];
/// assert_eq!(key["type"], "array");
/// ```
pub fn schema() -> Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut options = Map::new();
    let mut option = |call: &str, schema: schemars::Schema| {
        options.insert(call.to_string(), schema.to_value());
    };
    option("newCatalog", generator.subschema_for::<CatalogOptions>());
    option("load", generator.subschema_for::<LoadOptions>());
    option("write", generator.subschema_for::<WriteOptions>());
    option("render", generator.subschema_for::<RenderOptions>());
    option(
        "decryptSecrets",
        generator.subschema_for::<DecryptSecretsOptions>(),
    );
    option("capture", generator.subschema_for::<CaptureOptions>());
    option(
        "captureBinding",
        generator.subschema_for::<CaptureBinding>(),
    );
    option("collection", generator.subschema_for::<CollectionOptions>());
    option("derivation", generator.subschema_for::<DerivationOptions>());
    option("transform", generator.subschema_for::<TransformOptions>());
    option(
        "materialization",
        generator.subschema_for::<MaterializationOptions>(),
    );
    option(
        "materializationBinding",
        generator.subschema_for::<MaterializationBindingOptions>(),
    );
    option("test", generator.subschema_for::<TestOptions>());
    option("ingest", generator.subschema_for::<IngestOptions>());
    option("verify", generator.subschema_for::<VerifyOptions>());
    option("encrypt", generator.subschema_for::<EncryptOptions>());
    option(
        "encryptFile",
        generator.subschema_for::<EncryptFileOptions>(),
    );
    option("decrypt", generator.subschema_for::<DecryptOptions>());
    option(
        "decryptFile",
        generator.subschema_for::<DecryptFileOptions>(),
    );
    option("ageKeygen", generator.subschema_for::<AgeKeygenOptions>());
    option("publish", generator.subschema_for::<PublishOptions>());
    option("testRemote", generator.subschema_for::<PublishOptions>());
    option("plan", generator.subschema_for::<PlanOptions>());
    option("pullSpecs", generator.subschema_for::<PullSpecsOptions>());
    option("runTests", generator.subschema_for::<RunTestsOptions>());
    option("generate", generator.subschema_for::<GenerateOptions>());
    let specs = json!({
        "capture": generator.subschema_for::<CaptureDef>().to_value(),
        "collection": generator.subschema_for::<CollectionDef>().to_value(),
        "materialization": generator.subschema_for::<MaterializationDef>().to_value(),
        "test": generator.subschema_for::<TestDef>().to_value(),
    });
    let mut defs = generator.take_definitions(true);

    defs.insert(
        "Config".into(),
        json!({
            "title": "Connector configuration",
            "description": "An object, or the relative URL of a YAML or JSON file that holds it.",
            "anyOf": [{"type": "object"}, {"type": "string"}],
        }),
    );
    defs.insert(
        "Resource".into(),
        json!({
            "title": "Endpoint resource",
            "description": "An object (connector-specific), or the relative URL of a file that holds it.",
            "anyOf": [{"type": "object"}, {"type": "string"}],
        }),
    );
    for (ty, property, schema) in overrides() {
        let slot = defs
            .get_mut(ty)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|p| p.get_mut(property))
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{ty} has a property {property}"));
        slot.retain(|k, _| k == "title" || k == "description");
        if let Value::Object(schema) = schema {
            slot.extend(schema);
        }
    }

    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "flowspec JSON API",
        "description": "The option objects of the bindings' calls, and the spec of each kind.",
        "type": "object",
        "properties": {
            "options": {"type": "object", "properties": options},
            "specs": {"type": "object", "properties": specs},
        },
        "$defs": defs,
    });
    for (from, to) in RENAMES {
        rename(&mut schema, from, to);
    }
    crate::Catalog::strip_schema_code_blocks(&mut schema);
    plain_links(&mut schema);
    schema
}

/// Rewrites rustdoc's links in descriptions (`[`CaptureDef`]`,
/// `[`crate::write::Written`]`) as code (`` `CaptureDef` ``, `` `Written` ``):
/// the bindings have no Rust paths.
fn plain_links(value: &mut Value) {
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\[`([^`\]]+)`\](\([^)]*\))?").expect("a valid regex")
    });
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" || key == "title" => {
                        let replaced = LINK.replace_all(text, |c: &regex::Captures| {
                            let path: Vec<&str> = c[1].split("::").collect();
                            let keep = path
                                .iter()
                                .position(|s| s.starts_with(char::is_uppercase))
                                .unwrap_or(path.len() - 1);
                            format!("`{}`", path[keep..].join("::"))
                        });
                        *text = replaced.into_owned();
                    }
                    _ => plain_links(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(plain_links),
        _ => {}
    }
}

/// Renames the definition `from` to `to`, and every reference to it.
fn rename(schema: &mut Value, from: &str, to: &str) {
    if let Some(defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) {
        let old: Vec<(String, Value)> = std::mem::take(defs).into_iter().collect();
        for (k, v) in old {
            defs.insert(if k == from { to.to_string() } else { k }, v);
        }
    }
    let (old, new) = (format!("#/$defs/{from}"), format!("#/$defs/{to}"));
    fn walk(v: &mut Value, old: &str, new: &str) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if k == "$ref" && v.as_str() == Some(old) {
                        *v = Value::String(new.to_string());
                    } else {
                        walk(v, old, new);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| walk(v, old, new)),
            _ => {}
        }
    }
    walk(schema, &old, &new);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Every option object of the schema accepts what its call accepts,
    /// and rejects an unknown option.
    #[test]
    fn the_schema_validates_option_objects_as_the_calls_decode_them() {
        let schema = super::schema();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let options = |call: &str, value: serde_json::Value| json!({"options": {call: value}});
        let ok = [
            options(
                "capture",
                json!({"image": "i", "config": "c.yaml", "autoDiscover": true}),
            ),
            options(
                "derivation",
                json!({"key": ["/id"], "schema": true, "sqlite": ["CREATE TABLE t (x);"]}),
            ),
            options(
                "transform",
                json!({"name": "t", "source": "acmeCo/a", "shuffle": ["/id"]}),
            ),
            options(
                "materializationBinding",
                json!({"resource": {}, "source": "acmeCo/a", "fields": {"groupBy": ["id"]}}),
            ),
            options(
                "decryptFile",
                json!({"keyFile": "k.txt", "inputType": "yaml"}),
            ),
            json!({"specs": {"collection": {"key": ["/id"], "schema": true, "derive": {"using": {"sqlite": {}}, "transforms": []}}}}),
        ];
        for value in ok {
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{value}: {errors:#?}");
        }
        let bad = [
            options("capture", json!({"imgae": "i"})),
            options("capture", json!({"image": "i", "config": 5})),
            options("collection", json!({"schema": true})),
            options("render", json!({"layout": "flat"})),
            options("decryptSecrets", json!({"stripSuffix": true})),
            options("decrypt", json!({"inputType": "json"})),
            options("write", json!({"layout": "split"})),
        ];
        for value in bad {
            assert!(!validator.is_valid(&value), "{value}");
        }
    }

    #[test]
    fn every_example_is_valid() {
        let schema = super::schema();
        let mut checked = 0;
        for (name, def) in schema["$defs"].as_object().unwrap() {
            for example in def
                .get("examples")
                .and_then(|e| e.as_array())
                .into_iter()
                .flatten()
            {
                let one = json!({"$defs": schema["$defs"], "$ref": format!("#/$defs/{name}")});
                let validator = jsonschema::validator_for(&one).unwrap();
                assert!(validator.is_valid(example), "{name}: {example}");
                checked += 1;
            }
        }
        assert!(checked >= 20, "{checked} examples");
    }

    #[test]
    fn rustdoc_links_become_code() {
        let mut v = json!({"description": "See [`CaptureDef`], [`crate::write::Written`], [`Catalog::load`] and [`super::render`](x)."});
        super::plain_links(&mut v);
        assert_eq!(
            v["description"],
            "See `CaptureDef`, `Written`, `Catalog::load` and `render`."
        );
    }

    #[test]
    fn the_model_derive_block_is_derivation_def() {
        let schema = super::schema();
        assert!(schema["$defs"].get("Derivation").is_none());
        assert_eq!(
            schema["$defs"]["CollectionDef"]["properties"]["derive"]["anyOf"][0]["$ref"],
            "#/$defs/DerivationDef"
        );
    }
}
