//! The catalog API as JSON, which the Python and Node bindings call: option
//! objects (camelCase) that become model specs, and catalog, spec and sops
//! operations taking JSON options. Every language shares this one
//! implementation; Rust code uses the builders ([`crate::build`]) and the
//! catalog's own methods instead.
//!
//! Each operation names its spec in errors, and unknown options are errors
//! that name the option, suggest the closest known one, and list them all.
//! [`schema`] is the JSON schema of every option object and spec type: the
//! bindings' TypeScript and Python types are generated from it.
//!
//! ```
//! use flowspec::{json_api, Catalog};
//! use serde_json::json;
//!
//! let mut catalog = Catalog::default();
//! json_api::capture(&mut catalog, "acmeCo/source", json!({"image": "ghcr.io/estuary/source-hello-world:dev", "config": {}}))?;
//! json_api::capture_binding(&mut catalog, "acmeCo/source", json!({"resource": {"name": "greetings"}, "target": "acmeCo/greetings"}))?;
//! json_api::collection(&mut catalog, "acmeCo/greetings", json!({"schema": {"type": "object"}, "key": ["/id"]}))?;
//! assert_eq!(catalog.captures["acmeCo/source"].bindings.len(), 1);
//!
//! let err = json_api::collection(&mut catalog, "acmeCo/other", json!({"schema": {}, "kye": ["/id"]})).unwrap_err();
//! assert!(err.to_string().starts_with("collection acmeCo/other: unknown option `kye`"));
//! # Ok::<(), flowspec::Error>(())
//! ```

mod options;
mod publish;
mod schema;
mod secrets;
mod shape;
mod specs;
#[cfg(test)]
mod surface;
mod testing;

pub use options::*;
pub use publish::{
    list, plan, publish, pull_specs, test_remote, ControlPlaneOptions, PlanOptions, PublishOptions,
    PullSpecsOptions,
};
pub use schema::schema;
pub use secrets::{
    age_keygen, decrypt, decrypt_file, decrypt_secrets, encrypt, encrypt_file, load,
    AgeKeygenOptions, DecryptFileOptions, DecryptOptions, DecryptSecretsOptions,
    EncryptFileOptions, EncryptOptions, LoadOptions, SecretText,
};
pub use shape::{option_table, option_tables, python_name, OptionShape, OptionSpec};
pub use specs::{get, names, remove, set};
pub use testing::{generate, run_tests, GenerateOptions, RunTestsOptions};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{Catalog, Error, Kind, Result};

/// Decodes options, naming the spec and the path of a bad value.
fn decode<T: DeserializeOwned>(what: &str, options: Value) -> Result<T> {
    let options = if options.is_null() {
        Value::Object(Default::default())
    } else {
        options
    };
    crate::json::from_value(&options).map_err(|e| path_error(what, e, "option"))
}

/// An error of decoding `what`, with the path of the bad value; unknown
/// fields are named as `noun`s, at the path of their parent, with the
/// closest known name when one is close (see [`unknown_option`]).
pub(crate) fn path_error(
    what: &str,
    err: serde_path_to_error::Error<serde_json::Error>,
    noun: &str,
) -> Error {
    let mut path = err.path().to_string();
    let rejected = crate::json::rejected_name(&err);
    let mut inner = err.into_inner().to_string();
    if let Some(rest) = inner.strip_prefix("unknown field ") {
        // The path may end with the unknown name: name its parent.
        let name = rest.split('`').nth(1).unwrap_or_default();
        let cut = path.rfind(['.', '[']).map_or(0, |i| i + 1);
        if path[cut..] == *name {
            path.truncate(cut.saturating_sub(1));
        }
        inner = unknown_with_hint(&format!("unknown {noun} "), rest);
    } else if let Some(rest) = inner.strip_prefix("unknown variant ") {
        inner = unknown_with_hint("unknown variant ", rest);
    }
    let message = if path.is_empty() || path == "." {
        inner
    } else {
        format!("{path}: {inner}")
    };
    match rejected {
        Some(name) => Error::Name(crate::NameError {
            message: format!("{what}: {message}"),
            ..name
        }),
        None => Error::invalid_spec(what, message),
    }
}

/// `prefix` and serde's "`name`, expected one of `a`, `b`" (`rest`), with
/// "did you mean" after the name when one of the expected names is close.
fn unknown_with_hint(prefix: &str, rest: &str) -> String {
    let quoted = |s: &str| -> Option<(String, usize)> {
        let s2 = s.strip_prefix('`')?;
        let end = s2.find('`')?;
        Some((s2[..end].to_string(), end + 2))
    };
    let Some((name, len)) = quoted(rest) else {
        return format!("{prefix}{rest}");
    };
    let tail = &rest[len..];
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    match did_you_mean(&name, &expected) {
        Some(hint) => format!(
            "{prefix}`{name}`, did you mean `{hint}`?{}",
            tail.strip_prefix(',').unwrap_or(tail)
        ),
        None => format!("{prefix}{rest}"),
    }
}

/// The name among `expected` closest to `name`, when it is close: at most
/// two edits away (a transposition is one), and fewer edits than a third
/// of `name`'s length.
///
/// ```
/// use flowspec::json_api::did_you_mean;
/// assert_eq!(did_you_mean("kye", &["schema", "key"]), Some("key"));
/// assert_eq!(did_you_mean("group_buy", &["group_by", "exclude"]), Some("group_by"));
/// assert_eq!(did_you_mean("x", &["key"]), None);
/// ```
pub fn did_you_mean<'a>(name: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::osa_distance(e, name), *e))
        .filter(|(d, _)| *d <= 2 && d * 3 <= name.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, e)| e)
}

/// The message of an unknown option `name`, suggesting the closest of
/// `expected` ([`did_you_mean`]) and listing them all, in the words of the
/// core's decoding errors. The bindings use it for options they check
/// themselves, like Python's keyword arguments.
///
/// ```
/// use flowspec::json_api::unknown_option;
/// assert_eq!(
///     unknown_option("kye", &["schema", "key", "delete"]),
///     "unknown option `kye`, did you mean `key`? expected one of `schema`, `key`, `delete`"
/// );
/// assert_eq!(unknown_option("nope", &["a", "b"]), "unknown option `nope`, expected `a` or `b`");
/// ```
pub fn unknown_option(name: &str, expected: &[&str]) -> String {
    let list: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
    let list = match list.as_slice() {
        [] => "there are no options".to_string(),
        [one] => format!("expected {one}"),
        [a, b] => format!("expected {a} or {b}"),
        _ => format!("expected one of {}", list.join(", ")),
    };
    match did_you_mean(name, expected) {
        Some(hint) => format!("unknown option `{name}`, did you mean `{hint}`? {list}"),
        None => format!("unknown option `{name}`, {list}"),
    }
}

/// An option's name in snake_case (`minTxnDuration` → `min_txn_duration`),
/// as Python's keyword arguments spell the options' camelCase names.
///
/// ```
/// assert_eq!(flowspec::json_api::snake_case("expectPubId"), "expect_pub_id");
/// assert_eq!(flowspec::json_api::snake_case("key"), "key");
/// ```
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn exists(kind: Kind, name: &str) -> Error {
    Error::AlreadyDefined {
        kind,
        name: name.to_string(),
    }
}

fn missing(kind: Kind, name: &str) -> Error {
    Error::NotDefined {
        kind,
        name: name.to_string(),
    }
}

/// Adds a capture from [`CaptureOptions`].
pub fn capture(catalog: &mut Catalog, name: &str, options: Value) -> Result<()> {
    let typed = crate::Capture::new(name)?;
    if catalog.captures.contains_key(&typed) {
        return Err(exists(Kind::Capture, name));
    }
    let what = format!("capture {name}");
    let def = decode::<CaptureOptions>(&what, options)?.into_def(&what)?;
    catalog.captures.insert(typed, def);
    Ok(())
}

/// Adds a binding ([`crate::CaptureBinding`] as JSON) to a capture.
pub fn capture_binding(catalog: &mut Catalog, capture: &str, options: Value) -> Result<()> {
    let def = catalog
        .captures
        .get_mut(capture)
        .ok_or_else(|| missing(Kind::Capture, capture))?;
    let what = format!("capture {capture} binding {}", def.bindings.len());
    def.bindings.push(decode(&what, options)?);
    Ok(())
}

/// Adds a collection from [`CollectionOptions`].
pub fn collection(catalog: &mut Catalog, name: &str, options: Value) -> Result<()> {
    let typed = crate::Collection::new(name)?;
    if catalog.collections.contains_key(&typed) {
        return Err(exists(Kind::Collection, name));
    }
    let what = format!("collection {name}");
    let def = decode::<CollectionOptions>(&what, options)?.into_def();
    catalog.collections.insert(typed, def);
    Ok(())
}

/// Adds a derivation from [`DerivationOptions`].
pub fn derivation(catalog: &mut Catalog, name: &str, options: Value) -> Result<()> {
    let typed = crate::Collection::new(name)?;
    if catalog.collections.contains_key(&typed) {
        return Err(exists(Kind::Collection, name));
    }
    let what = format!("derivation {name}");
    let def = decode::<DerivationOptions>(&what, options)?.into_def(&what)?;
    catalog.collections.insert(typed, def);
    Ok(())
}

/// Adds a transform from [`TransformOptions`] to a derivation.
pub fn transform(catalog: &mut Catalog, derivation: &str, options: Value) -> Result<()> {
    let def = catalog
        .collections
        .get_mut(derivation)
        .ok_or_else(|| missing(Kind::Collection, derivation))?;
    let derive = def.derive.as_mut().ok_or_else(|| {
        Error::invalid_spec(
            format!("collection {derivation}"),
            "it is not a derivation: define it with derivation(...) to add transforms",
        )
    })?;
    let what = format!(
        "derivation {derivation} transform {}",
        derive.transforms.len()
    );
    let transform = decode::<TransformOptions>(&what, options)?.into_def(&what)?;
    derive.transforms.push(transform);
    Ok(())
}

/// Adds a materialization from [`MaterializationOptions`].
pub fn materialization(catalog: &mut Catalog, name: &str, options: Value) -> Result<()> {
    let typed = crate::Materialization::new(name)?;
    if catalog.materializations.contains_key(&typed) {
        return Err(exists(Kind::Materialization, name));
    }
    let what = format!("materialization {name}");
    let def = decode::<MaterializationOptions>(&what, options)?.into_def(&what)?;
    catalog.materializations.insert(typed, def);
    Ok(())
}

/// Adds a binding from [`MaterializationBindingOptions`] to a materialization.
pub fn materialization_binding(catalog: &mut Catalog, name: &str, options: Value) -> Result<()> {
    let def = catalog
        .materializations
        .get_mut(name)
        .ok_or_else(|| missing(Kind::Materialization, name))?;
    let what = format!("materialization {name} binding {}", def.bindings.len());
    let binding = decode::<MaterializationBindingOptions>(&what, options)?.into_def(&what)?;
    def.bindings.push(binding);
    Ok(())
}

/// Adds a test from [`TestOptions`].
pub fn test(catalog: &mut Catalog, name: &str, options: Value) -> Result<()> {
    let typed = crate::Test::new(name)?;
    if catalog.tests.contains_key(&typed) {
        return Err(exists(Kind::Test, name));
    }
    let what = format!("test {name}");
    let def = decode::<TestOptions>(&what, options)?.into_def();
    catalog.tests.insert(typed, def);
    Ok(())
}

/// Adds an ingest step from [`IngestOptions`] to a test.
pub fn ingest(catalog: &mut Catalog, test: &str, options: Value) -> Result<()> {
    let def = catalog
        .tests
        .get_mut(test)
        .ok_or_else(|| missing(Kind::Test, test))?;
    let what = format!("test {test} step {}", def.steps.len());
    let step = decode::<IngestOptions>(&what, options)?.into_step();
    def.steps.push(step);
    Ok(())
}

/// Adds a verify step from [`VerifyOptions`] to a test.
pub fn verify(catalog: &mut Catalog, test: &str, options: Value) -> Result<()> {
    let def = catalog
        .tests
        .get_mut(test)
        .ok_or_else(|| missing(Kind::Test, test))?;
    let what = format!("test {test} step {}", def.steps.len());
    let step = decode::<VerifyOptions>(&what, options)?.into_step();
    def.steps.push(step);
    Ok(())
}

/// Options of [`new_catalog`]: where relative file references resolve
/// (`baseDir`), and the `root` they must stay in.
///
/// ```
/// let o: flowspec::json_api::CatalogOptions = serde_json::from_value(serde_json::json!({"baseDir": "out"})).unwrap();
/// assert_eq!(o.base_dir.as_deref(), Some("out"));
/// ```
#[derive(Debug, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "catalog options: an object {baseDir, root, denyOutsideRoot}"
)]
pub struct CatalogOptions {
    /// The directory that relative file references of the catalog's specs
    /// (a schema file, a TypeScript module, ...) resolve against: typically
    /// the directory it will be written to. Default: the current directory.
    pub base_dir: Option<String>,
    /// The directory file references must stay in. Default: the base
    /// directory.
    pub root: Option<String>,
    /// Refuse to read files outside of the root, rather than warn. Default
    /// `false`.
    #[serde(default)]
    pub deny_outside_root: bool,
}

/// A new, empty catalog, from [`CatalogOptions`].
///
/// ```
/// let catalog = flowspec::json_api::new_catalog(serde_json::json!({"baseDir": "/p/specs"}))?;
/// assert_eq!(catalog.origins.base_dir.as_deref(), Some("file:///p/specs/"));
/// let err = flowspec::json_api::new_catalog(serde_json::json!({"basedir": "/p"})).unwrap_err();
/// assert!(err.to_string().contains("unknown option `basedir`"), "{err}");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn new_catalog(options: Value) -> Result<Catalog> {
    let options: CatalogOptions = decode("catalog", options)?;
    let mut catalog = Catalog::default();
    if let Some(dir) = options.base_dir {
        catalog.set_base_dir(dir)?;
    }
    if let Some(dir) = options.root {
        catalog.set_root(dir)?;
    }
    catalog.origins.deny_outside_root = options.deny_outside_root;
    Ok(catalog)
}

/// Writes a catalog to `target` with [`WriteOptions`]; returns what was
/// written ([`crate::write::Written`]).
///
/// ```no_run
/// let catalog = flowspec::Catalog::default();
/// flowspec::json_api::write(&catalog, "out/flow.yaml", serde_json::json!({"layout": "flat"}))?;
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn write(catalog: &Catalog, target: &str, options: Value) -> Result<crate::write::Written> {
    let options = decode::<WriteOptions>(&format!("write {target}"), options)?;
    catalog.write_with(target, &options.to_write_options())
}

/// The catalog as one document (`yaml` or `json`), its secrets encrypted as
/// [`write`] encrypts them, with [`RenderOptions`].
///
/// ```
/// let catalog = flowspec::Catalog::default();
/// let yaml = flowspec::json_api::render(&catalog, flowspec::write::Format::Yaml, serde_json::json!({}))?;
/// assert!(yaml.starts_with("# yaml-language-server"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn render(catalog: &Catalog, format: crate::write::Format, options: Value) -> Result<String> {
    if options.get("layout").is_some() {
        return Err(Error::invalid_spec(
            "render",
            "unknown option `layout`: a rendered catalog is one document",
        ));
    }
    let options = decode::<RenderOptions>("render", options)?;
    let write_options = crate::write::WriteOptions {
        recipients: options.recipients,
        plaintext_secrets: options.plaintext_secrets,
        ..Default::default()
    };
    crate::write::render_with(
        catalog,
        format,
        &write_options,
        std::path::Path::new("flow.yaml"),
    )
}

#[cfg(test)]
mod tests;
