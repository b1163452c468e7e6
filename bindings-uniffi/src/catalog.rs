//! The catalog object: a [`flowspec::Catalog`] behind a lock, until closed.

use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

use flowspec::{json_api, Catalog, Kind};
use serde_json::Value;

use crate::{parse, Diagnostic, FfiError};

/// What a write wrote.
///
/// ```
/// let w = flowspec_uniffi::Written { files: vec!["out/flow.yaml".into()], stale_warning: None };
/// assert_eq!(w.files.len(), 1);
/// ```
#[derive(Debug, Clone, uniffi::Record)]
pub struct Written {
    /// Every file of the written catalog.
    pub files: Vec<String>,
    /// A warning naming files of an earlier write that the catalog no
    /// longer uses, if any (the languages print it as a warning).
    pub stale_warning: Option<String>,
}

/// A catalog: specs added with [`FfiCatalog::add`] from JSON option objects,
/// validated, rendered, written and published.
///
/// ```
/// use flowspec_uniffi::FfiCatalog;
/// let catalog = FfiCatalog::new(r#"{"baseDir": "out"}"#.into()).unwrap();
/// let err = catalog.add("capture".into(), "nope".into(), "{}".into()).unwrap_err();
/// assert_eq!(err.code(), "invalid_name");
/// ```
#[derive(uniffi::Object)]
pub struct FfiCatalog {
    inner: Mutex<Option<Catalog>>,
}

impl FfiCatalog {
    fn wrap(catalog: Catalog) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(Some(catalog)),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Option<Catalog>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on the catalog, unless it is closed.
    fn with<T>(&self, f: impl FnOnce(&mut Catalog) -> flowspec::Result<T>) -> Result<T, FfiError> {
        match self.lock().as_mut() {
            Some(catalog) => Ok(f(catalog)?),
            None => Err(FfiError::closed("catalog")),
        }
    }
}

fn kind(text: &str) -> Result<Kind, FfiError> {
    Ok(Kind::from_str(text).map_err(flowspec::Error::from)?)
}

#[uniffi::export]
impl FfiCatalog {
    /// A new, empty catalog, from `CatalogOptions` as JSON.
    #[uniffi::constructor]
    pub fn new(options: String) -> Result<Arc<Self>, FfiError> {
        Ok(Self::wrap(json_api::new_catalog(parse(
            "catalog", &options,
        )?)?))
    }

    /// The catalog of a `flow.yaml` / `flow.json` and its imports, from
    /// `LoadOptions` as JSON.
    #[uniffi::constructor]
    pub fn load(path: String, options: String) -> Result<Arc<Self>, FfiError> {
        let options = parse(&format!("load {path}"), &options)?;
        Ok(Self::wrap(json_api::load(&path, options)?))
    }

    /// Adds to the catalog with the option object of a call: a spec
    /// (`capture`, `collection`, `derivation`, `materialization`, `test`,
    /// with its name) or a part of one (`captureBinding`, `transform`,
    /// `materializationBinding`, `ingest`, `verify`, with its spec's name).
    pub fn add(&self, call: String, name: String, options: String) -> Result<(), FfiError> {
        type Add = fn(&mut Catalog, &str, Value) -> flowspec::Result<()>;
        let add: Add = match call.as_str() {
            "capture" => json_api::capture,
            "captureBinding" => json_api::capture_binding,
            "collection" => json_api::collection,
            "derivation" => json_api::derivation,
            "transform" => json_api::transform,
            "materialization" => json_api::materialization,
            "materializationBinding" => json_api::materialization_binding,
            "test" => json_api::test,
            "ingest" => json_api::ingest,
            "verify" => json_api::verify,
            other => {
                return Err(flowspec::Error::invalid_spec(
                    "add",
                    format!("no call `{other}` adds to a catalog"),
                )
                .into())
            }
        };
        let options = parse(&format!("{call} {name}"), &options)?;
        self.with(|c| add(c, &name, options))
    }

    /// Validates the catalog: its warnings, or a `validation` error with
    /// every problem.
    pub fn validate(&self) -> Result<Vec<Diagnostic>, FfiError> {
        let warnings = self.with(|c| c.validate())?;
        Ok(warnings.iter().map(Diagnostic::from).collect())
    }

    /// A copy with every file reference inlined: what Estuary receives.
    pub fn bundle(&self) -> Result<Arc<Self>, FfiError> {
        let bundled = self.with(|c| c.bundle())?;
        Ok(Self::wrap(bundled))
    }

    /// The catalog as one document, `yaml` or `json`, from `RenderOptions`.
    pub fn render(&self, format: String, options: String) -> Result<String, FfiError> {
        let format = match format.as_str() {
            "yaml" => flowspec::write::Format::Yaml,
            "json" => flowspec::write::Format::Json,
            other => {
                return Err(flowspec::Error::invalid_spec(
                    "render",
                    format!("unknown format `{other}`, expected `yaml` or `json`"),
                )
                .into())
            }
        };
        let options = parse("render", &options)?;
        self.with(|c| json_api::render(c, format, options))
    }

    /// Writes the catalog to `path`, from `WriteOptions`.
    pub fn write(&self, path: String, options: String) -> Result<Written, FfiError> {
        let options = parse(&format!("write {path}"), &options)?;
        let written = self.with(|c| json_api::write(c, &path, options))?;
        Ok(Written {
            stale_warning: written.stale_warning(),
            files: written
                .files
                .into_iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
        })
    }

    /// Decrypts the catalog's sops-encrypted configs in place, from
    /// `DecryptSecretsOptions`: how many configs were decrypted.
    pub fn decrypt_secrets(&self, options: String) -> Result<u64, FfiError> {
        let options = parse("decryptSecrets", &options)?;
        let count = self.with(|c| json_api::decrypt_secrets(c, options))?;
        Ok(count as u64)
    }

    /// Publishes the catalog, from `PublishOptions`: the publication as
    /// JSON.
    pub fn publish(&self, options: String) -> Result<String, FfiError> {
        let options = parse("publish", &options)?;
        Ok(self.with(|c| json_api::publish(c, options))?.to_string())
    }

    /// Publishes the catalog as a dry run that runs its tests, from
    /// `PublishOptions`: the publication as JSON.
    pub fn test_remote(&self, options: String) -> Result<String, FfiError> {
        let options = parse("testRemote", &options)?;
        Ok(self
            .with(|c| json_api::test_remote(c, options))?
            .to_string())
    }

    /// What publishing would change, from `PlanOptions`: the plan as JSON.
    pub fn plan(&self, options: String) -> Result<String, FfiError> {
        let options = parse("plan", &options)?;
        Ok(self.with(|c| json_api::plan(c, options))?.to_string())
    }

    /// Runs the catalog's tests locally, from `RunTestsOptions`: the
    /// results as JSON.
    pub fn run_tests(&self, options: String) -> Result<String, FfiError> {
        let options = parse("runTests", &options)?;
        Ok(self.with(|c| json_api::run_tests(c, options))?.to_string())
    }

    /// Writes the derivations' generated TypeScript files, from
    /// `GenerateOptions`: the files as JSON.
    pub fn generate(&self, options: String) -> Result<String, FfiError> {
        let options = parse("generate", &options)?;
        Ok(self
            .with(|c| json_api::generate(Some(c), options))?
            .to_string())
    }

    /// The spec of a kind and name as JSON, if the catalog has it.
    pub fn get_spec(&self, kind: String, name: String) -> Result<Option<String>, FfiError> {
        let kind = self::kind(&kind)?;
        self.with(|c| Ok(json_api::get(c, kind, &name).map(|spec| spec.to_string())))
    }

    /// Sets (adds or replaces) the spec of a kind and name, from its JSON.
    pub fn set_spec(&self, kind: String, name: String, spec: String) -> Result<(), FfiError> {
        let kind = self::kind(&kind)?;
        let spec = parse(&format!("{} {name}", kind.singular()), &spec)?;
        self.with(|c| json_api::set(c, kind, &name, spec))
    }

    /// Removes the spec of a kind and name: whether there was one.
    pub fn remove_spec(&self, kind: String, name: String) -> Result<bool, FfiError> {
        let kind = self::kind(&kind)?;
        self.with(|c| Ok(json_api::remove(c, kind, &name)))
    }

    /// The names of the specs of a kind, sorted.
    pub fn names(&self, kind: String) -> Result<Vec<String>, FfiError> {
        let kind = self::kind(&kind)?;
        self.with(|c| Ok(json_api::names(c, kind)))
    }

    /// `Catalog(1 capture, 3 collections, ...)`, or `Catalog(closed)`.
    pub fn describe(&self) -> String {
        let count = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
        match self.lock().as_ref() {
            Some(c) => format!(
                "Catalog({}, {}, {}, {})",
                count(c.captures.len(), "capture"),
                count(c.collections.len(), "collection"),
                count(c.materializations.len(), "materialization"),
                count(c.tests.len(), "test"),
            ),
            None => "Catalog(closed)".to_string(),
        }
    }

    /// Frees the catalog: later calls fail with the code `closed`.
    pub fn release(&self) {
        self.lock().take();
    }

    /// Whether [`FfiCatalog::release`] was called.
    pub fn is_closed(&self) -> bool {
        self.lock().is_none()
    }
}
