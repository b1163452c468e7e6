//! The catalog API as JSON, which the Python and Node bindings call: option
//! objects (camelCase) that become model specs, and catalog, spec and sops
//! operations taking JSON options. Every language shares this one
//! implementation; Rust code uses the builders ([`crate::build`]) and the
//! catalog's own methods instead.
//!
//! Each operation names its spec in errors, and unknown options are errors
//! that name the option.
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
mod secrets;
mod specs;

pub use options::*;
pub use secrets::{
    age_keygen, decrypt, decrypt_file, decrypt_secrets, encrypt, encrypt_file, load,
    DecryptOptionsJson, EncryptOptionsJson,
};
pub use specs::{get, names, remove, set};

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
/// fields are named as `noun`s, at the path of their parent.
pub(crate) fn path_error(
    what: &str,
    err: serde_path_to_error::Error<serde_json::Error>,
    noun: &str,
) -> Error {
    let mut path = err.path().to_string();
    let rejected = crate::json::rejected_name(&err);
    let mut inner = err.into_inner().to_string();
    if inner.starts_with("unknown field") {
        inner = inner.replacen("unknown field", &format!("unknown {noun}"), 1);
        let cut = path.rfind(['.', '[']).unwrap_or(0);
        path.truncate(cut);
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
    let def = decode::<CollectionOptions>(&what, options)?.into_def(&what)?;
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

/// Options of [`new_catalog`].
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatalogOptions {
    /// The directory relative file references of specs made in code
    /// resolve against (default: the current directory when they are read).
    pub base_dir: Option<String>,
    /// The directory file references must stay in (default: the base
    /// directory).
    pub root: Option<String>,
    /// Refuse to read files outside of the root, rather than warn.
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
/// [`write`] encrypts them, with [`WriteOptions`] (`layout` is not allowed).
///
/// ```
/// let catalog = flowspec::Catalog::default();
/// let yaml = flowspec::json_api::render(&catalog, flowspec::write::Format::Yaml, serde_json::json!({}))?;
/// assert!(yaml.starts_with("# yaml-language-server"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn render(catalog: &Catalog, format: crate::write::Format, options: Value) -> Result<String> {
    let options = decode::<WriteOptions>("render", options)?;
    if options.layout.is_some() {
        return Err(Error::invalid_spec(
            "render",
            "unknown option `layout`: a rendered catalog is one document",
        ));
    }
    crate::write::render_with(
        catalog,
        format,
        &options.to_write_options(),
        std::path::Path::new("flow.yaml"),
    )
}

#[cfg(test)]
mod tests;
