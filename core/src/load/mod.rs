//! Loading `flow.yaml` / `flow.json`: imports, file references, anchors → one [`crate::Catalog`].
//!
//! [`load`] reads a catalog file and every file it imports, and returns one
//! catalog that is fully inline, as flowctl sends it to Estuary: every file
//! reference (schemas, connector configs, binding resources, SQL
//! migrations and lambdas, TypeScript and Python modules, test fixtures) is
//! replaced by the file's content, schemas are bundled with the files they
//! `$ref`, and `import` is empty. [`Catalog::origins`](crate::Catalog) says
//! where each spec was defined, which files import which, and the root
//! file's URL.
//!
//! The rules follow flowctl:
//! - A file is YAML, or JSON when its name ends in `.json`. YAML anchors,
//!   aliases and `<<` merge keys work in catalog files. Key order is kept.
//! - `import` entries and file references are URLs relative to the file
//!   that holds them, or absolute `file://` URLs. Each file is read once, so
//!   import cycles are fine. `http(s)` is not supported.
//! - In `config`, `resource`, `migrations`, `module` and `lambda` slots, a
//!   string without whitespace is the URL of a file: `.yaml`, `.yml` and
//!   `.json` files are parsed, others are taken as text.
//! - In `schema`, `writeSchema` and `readSchema`, a string is the URL of a
//!   schema, optionally with a `#fragment`. Test `documents` given as a
//!   string is the URL of a file holding an array of documents.
//!
//! Every problem found is reported, each as a [`crate::Diagnostic`] with the
//! URL of its file and a JSON pointer to it, in one [`crate::Error::Load`].
//!
//! Limits keep bad input from exhausting the machine: files over 256 MiB
//! are refused, documents may nest 128 levels deep, and YAML aliases may
//! not expand a document beyond a million values plus four per byte of its
//! text.

mod bundle;
mod catalog;
mod inline;
mod parse;
mod source;
mod stream;
mod yaml;

#[cfg(test)]
mod tests;

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde_json::Value;
use url::Url;

use crate::{codes, Catalog, Diagnostic, Error, Kind, Origins, Result, Scope, DEFAULT_BASE};

/// Loads the catalog at `source` and everything it imports or refers to,
/// into one inline catalog.
///
/// `source` is a path, a `file://` URL, or `-` for standard input. A
/// catalog read from stdin has the scope URL `stdin:///flow.yaml`, and its
/// relative references resolve against the current directory.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("flow.yaml"), "import: [anvils/flow.yaml]\n").unwrap();
/// std::fs::create_dir(dir.path().join("anvils")).unwrap();
/// std::fs::write(
///     dir.path().join("anvils/flow.yaml"),
///     "collections:\n  acmeCo/anvils:\n    schema: anvil.schema.yaml\n    key: [/id]\n",
/// ).unwrap();
/// std::fs::write(
///     dir.path().join("anvils/anvil.schema.yaml"),
///     "type: object\nproperties: {id: {type: string}}\nrequired: [id]\n",
/// ).unwrap();
///
/// let catalog = flowspec::load::load(dir.path().join("flow.yaml").to_str().unwrap()).unwrap();
/// let anvils = &catalog.collections["acmeCo/anvils"];
/// let schema = anvils.schema.as_ref().unwrap().to_value();
/// assert!(schema["$ref"].as_str().unwrap().ends_with("/anvils/anvil.schema.yaml"));
/// assert!(catalog.import.is_empty());
/// assert_eq!(catalog.origins.imports.len(), 1);
///
/// let err = flowspec::load::load(dir.path().join("nope.yaml").to_str().unwrap()).unwrap_err();
/// assert_eq!(err.diagnostics()[0].code, "read_failed");
/// ```
pub fn load(source: &str) -> Result<Catalog> {
    if source == "-" {
        return load_stdin(std::io::stdin().lock());
    }
    let url = source::source_url(source).map_err(|d| Error::Load(vec![d]))?;
    let bytes = source::read(&url, &Scope::new(url.as_str()));
    Loader::new().load_root(url, bytes.as_deref())
}

/// Loads a catalog read from `reader`, as `load("-")` does from stdin.
fn load_stdin(reader: impl std::io::Read) -> Result<Catalog> {
    let url = Url::parse(source::STDIN_URL).expect("a valid URL");
    let bytes = source::read_stdin(reader);
    Loader::new().load_root(url, bytes.as_deref())
}

/// Loads a catalog from `text`, taken to be the content of the file at
/// `url`, along with everything it imports or refers to.
///
/// `url` gives the scope of diagnostics, the format (JSON if it ends in
/// `.json`, else YAML) and, when it is a `file://` URL, what relative
/// references resolve against (else the current directory). A plain path
/// is taken as a file.
///
/// ```
/// let catalog = flowspec::load::load_str(
///     "collections:\n  acmeCo/anvils:\n    schema: {type: object}\n    key: [/id]\n",
///     "file:///p/flow.yaml",
/// ).unwrap();
/// let scope = catalog.origins.scope(flowspec::Kind::Collection, "acmeCo/anvils");
/// assert_eq!(scope.to_string(), "file:///p/flow.yaml#/collections/acmeCo~1anvils");
///
/// let err = flowspec::load::load_str("collections: {acmeCo/anvils: {key: [id]}}", "file:///p/flow.yaml").unwrap_err();
/// assert_eq!(err.diagnostics()[0].scope, "file:///p/flow.yaml#/collections/acmeCo~1anvils/key/0");
/// ```
pub fn load_str(text: &str, url: &str) -> Result<Catalog> {
    let url = source::text_url(url).map_err(|d| Error::Load(vec![d]))?;
    Loader::new().load_root(url, Ok(text.as_bytes()))
}

/// Resolves the file references that remain in a catalog made in code:
/// `import`s are loaded and merged in, and every file reference in a spec
/// is replaced by its content, exactly as [`load`] does.
///
/// References of a loaded spec resolve against its file. Others resolve
/// against [`Origins::base`](crate::Origins) when it is a `file://` URL,
/// else against the current directory.
///
/// On error the catalog keeps its `import` list and gets no imported spec,
/// but references that did resolve may already be inlined (resolving again
/// is harmless).
///
/// ```
/// use flowspec::{Catalog, CollectionDef, Collection, Schema, JsonPointer};
///
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("anvil.schema.json"), r#"{"type": "object"}"#).unwrap();
///
/// let mut catalog = Catalog::default();
/// catalog.origins.base = Some(url::Url::from_directory_path(dir.path()).unwrap().to_string());
/// catalog.collections.insert(
///     Collection::new("acmeCo/anvils").unwrap(),
///     CollectionDef::new(Schema::reference("anvil.schema.json"), vec![JsonPointer::new("/id").unwrap()]),
/// );
/// flowspec::load::inline_references(&mut catalog).unwrap();
/// let schema = catalog.collections["acmeCo/anvils"].schema.as_ref().unwrap();
/// assert!(schema.as_reference().is_none());
/// ```
pub fn inline_references(catalog: &mut Catalog) -> Result<()> {
    let mut loader = Loader::new();
    let mut imported = Catalog::default();

    if !catalog.import.is_empty() {
        let base = catalog
            .origins
            .base
            .as_deref()
            .unwrap_or(DEFAULT_BASE)
            .to_string();
        let scope = Scope::new(base.as_str()).push("import");
        let url = match Url::parse(&base) {
            Ok(url) => Some(url),
            Err(_) => loader.cwd(&scope),
        };
        if let Some(url) = url {
            let mut queue = VecDeque::new();
            let list = catalog.import.iter().cloned().map(Value::String).collect();
            loader.queue_imports(
                Value::Array(list),
                &scope,
                &url,
                &mut imported.origins,
                &mut queue,
            );
            loader.load_catalog_files(&mut imported, None, queue);
            loader.check_collisions(catalog, &imported);
            loader.inline_catalog(&mut imported);
        }
    }
    loader.inline_catalog(catalog);

    if let Some(err) = loader.error() {
        return Err(err);
    }
    let Catalog {
        captures,
        collections,
        materializations,
        tests,
        origins,
        ..
    } = imported;
    catalog.captures.extend(captures);
    catalog.collections.extend(collections);
    catalog.materializations.extend(materializations);
    catalog.tests.extend(tests);
    catalog.origins.specs.extend(origins.specs);
    catalog.origins.imports.extend(origins.imports);
    catalog.import.clear();
    Ok(())
}

/// Whether a catalog holds file references that validation must read:
/// schemas given as URLs or referring to other files, and test documents
/// given as URLs.
pub(crate) fn has_validation_references(catalog: &Catalog) -> bool {
    fn external_ref(value: &Value) -> bool {
        match value {
            Value::Object(map) => map.iter().any(|(k, v)| match (k.as_str(), v) {
                ("$ref", Value::String(r)) => !(r.starts_with('#') || r.starts_with("flow://")),
                _ => external_ref(v),
            }),
            Value::Array(items) => items.iter().any(external_ref),
            _ => false,
        }
    }
    let schema = |s: &Option<crate::Schema>| {
        s.as_ref().is_some_and(|s| {
            s.as_reference().is_some() || (s.may_refer() && external_ref(&s.to_value()))
        })
    };
    catalog
        .collections
        .values()
        .any(|c| schema(&c.schema) || schema(&c.write_schema) || schema(&c.read_schema))
        || catalog.tests.values().any(|t| {
            t.steps
                .iter()
                .any(|s| matches!(s.documents(), crate::TestDocuments::Url(_)))
        })
}

/// Inlines the file references that validation reads (see
/// [`has_validation_references`]), leaving modules, lambdas and configs as
/// they are.
pub(crate) fn inline_validation_references(catalog: &mut Catalog) -> Result<()> {
    let mut loader = Loader::new();
    loader.validation_only = true;
    loader.inline_catalog(catalog);
    match loader.error() {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

/// The state of one load: the files read so far, and the problems found.
struct Loader {
    diagnostics: Vec<Diagnostic>,
    /// The file URL of the current directory, once needed.
    cwd: Option<std::result::Result<Url, String>>,
    /// Catalog files, loaded or queued.
    catalogs: HashSet<Url>,
    /// Files of config-like references, by URL and whether they are
    /// documents (`None`: they failed to load).
    resources: HashMap<(Url, bool), Option<inline::Resource>>,
    /// Schema files (`None`: they failed to load).
    schemas: HashMap<Url, Option<bundle::SchemaDoc>>,
    /// Tests written as a bare array of steps (their scopes lack `/steps`).
    bare_tests: HashSet<String>,
    /// Parsed scope URLs.
    urls: HashMap<String, Option<Url>>,
    /// Catalog files without any `$ref`, whose inline schemas need no bundling.
    ref_free: HashSet<String>,
    /// Inline only what validation reads: schemas and test documents.
    validation_only: bool,
}

impl Loader {
    fn new() -> Self {
        Self {
            diagnostics: Vec::new(),
            cwd: None,
            catalogs: HashSet::new(),
            resources: HashMap::new(),
            schemas: HashMap::new(),
            bare_tests: HashSet::new(),
            urls: HashMap::new(),
            ref_free: HashSet::new(),
            validation_only: false,
        }
    }

    /// Loads the root catalog file at `url` (`parsed` is its content) and
    /// everything it refers to.
    fn load_root(
        mut self,
        url: Url,
        bytes: std::result::Result<&[u8], &Diagnostic>,
    ) -> Result<Catalog> {
        let mut catalog = Catalog::default();
        catalog.origins.base = Some(url.to_string());
        match bytes {
            Ok(bytes) => {
                self.load_catalog_files(&mut catalog, Some((&url, bytes)), VecDeque::new());
                self.inline_catalog(&mut catalog);
            }
            Err(d) => self.diagnostics.push(d.clone()),
        }
        match self.error() {
            Some(err) => Err(err),
            None => Ok(catalog),
        }
    }

    /// The error to return, if any problem was found.
    fn error(&mut self) -> Option<Error> {
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            Some(Error::Load(std::mem::take(&mut self.diagnostics)))
        } else {
            None
        }
    }

    /// The file URL of the current directory; a problem finding it is
    /// reported at `scope`.
    fn cwd(&mut self, scope: &Scope) -> Option<Url> {
        let cwd = self.cwd.get_or_insert_with(source::cwd_url);
        match cwd {
            Ok(url) => Some(url.clone()),
            Err(message) => {
                let message = message.clone();
                self.diagnostics
                    .push(scope.diagnostic(codes::READ_FAILED, message));
                None
            }
        }
    }

    /// The URL that references in the file at `url` resolve against.
    fn base_for(&mut self, url: &Url, scope: &Scope) -> Option<Url> {
        if url.scheme() == "file" {
            Some(url.clone())
        } else {
            self.cwd(scope)
        }
    }

    /// Reports specs of `imported` whose names are taken in `catalog`.
    fn check_collisions(&mut self, catalog: &Catalog, imported: &Catalog) {
        self.collisions(
            Kind::Capture,
            &catalog.captures,
            &catalog.origins,
            &imported.captures,
            &imported.origins,
        );
        self.collisions(
            Kind::Collection,
            &catalog.collections,
            &catalog.origins,
            &imported.collections,
            &imported.origins,
        );
        self.collisions(
            Kind::Materialization,
            &catalog.materializations,
            &catalog.origins,
            &imported.materializations,
            &imported.origins,
        );
        self.collisions(
            Kind::Test,
            &catalog.tests,
            &catalog.origins,
            &imported.tests,
            &imported.origins,
        );
    }

    fn collisions<N: Ord + Borrow<str>, T>(
        &mut self,
        kind: Kind,
        existing: &BTreeMap<N, T>,
        existing_origins: &Origins,
        imported: &BTreeMap<N, T>,
        imported_origins: &Origins,
    ) {
        let entity = kind.singular();
        for name in imported.keys() {
            let name: &str = name.borrow();
            if existing.contains_key(name) {
                self.diagnostics
                    .push(imported_origins.scope(kind, name).diagnostic(
                        codes::NAME_COLLISION,
                        format!(
                            "{entity} {name} collides with {entity} {name}, defined at {}",
                            existing_origins.scope(kind, name)
                        ),
                    ));
            }
        }
    }
}
