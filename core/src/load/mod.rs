//! Loading `flow.yaml` / `flow.json`: imports, file references, anchors → one [`crate::Catalog`].
//!
//! [`load`] reads a catalog file and every file it imports into one
//! catalog, ready to be edited and written back: every spec with its
//! values inline. A value that its file gives as a reference to a file of
//! its own (a schema file, a config file, SQL or TypeScript, test fixtures)
//! is read and inlined, and recorded in [`Origins::files`](crate::Origins)
//! so that writing the catalog refers to that file again. A schema file's
//! `$ref`s are rewritten to resolve from the spec's file; a reference to a
//! fragment of a schema file (`schemas.yaml#/$defs/order`) stays a
//! reference. [`Catalog::origins`](crate::Catalog) also says where each
//! spec was defined, which files import which, and the root.
//!
//! [`inline_references`] (and [`Catalog::bundle`](crate::Catalog::bundle))
//! turn a catalog into what Estuary receives, as flowctl sends it: every
//! reference replaced by its content, schemas bundled with the files they
//! `$ref` (keyed by their absolute `file://` URLs), and `import` empty.
//!
//! The rules follow flowctl:
//! - A file is YAML, or JSON when its name ends in `.json`. YAML anchors,
//!   aliases and `<<` merge keys work in catalog files. Key order is kept.
//! - `import` entries and file references are URLs relative to the file
//!   that holds them, or absolute `file://` URLs. Each file is read once
//!   (also when two paths lead to it through a symlink), so import cycles
//!   are fine. `http(s)` is not supported.
//! - In `config`, `resource`, `migrations`, `module` and `lambda` slots, a
//!   string without whitespace is the URL of a file: `.yaml`, `.yml` and
//!   `.json` files are parsed, others are taken as text. A `config` or
//!   `resource` must be a YAML or JSON file holding an object.
//! - In `schema`, `writeSchema` and `readSchema`, a string is the URL of a
//!   schema, optionally with a `#fragment`. Test `documents` given as a
//!   string is the URL of a file holding an array of documents.
//!
//! **The root.** Files are expected inside the catalog's root: the project
//! root as `flowctl generate` finds it (the source's directory, and up
//! through each parent that also holds a `flow.yaml`), or the directory
//! given in [`LoadOptions::root`]. A file outside of it — an absolute path,
//! `..` beyond it, or a symlink leading out of it — is read with a warning
//! (code `reference_outside_root`), or refused with
//! [`LoadOptions::deny_outside_root`]: a reference to
//! `~/.config/sops/age/keys.txt` would otherwise publish the key.
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
pub(crate) mod parse;
mod source;
mod stream;

#[cfg(test)]
mod tests;

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

use serde_json::Value;
use url::Url;

use crate::{codes, Catalog, Diagnostic, Error, Kind, Origins, Result, Scope, DEFAULT_BASE};

pub(crate) use bundle::{rebase_refs, schema_files};
pub(crate) use parse::{kind_of, parse, Format};
pub(crate) use source::Root;

/// How [`load_with`] loads a catalog.
///
/// ```
/// let options = flowspec::load::LoadOptions { deny_outside_root: true, ..Default::default() };
/// assert!(options.root.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The directory file references must stay in. `None`: the project
    /// root, as `flowctl generate` finds it (see the module docs).
    pub root: Option<PathBuf>,
    /// Refuse to read any file outside of the root (and report each such
    /// reference as an error), rather than read it with a warning.
    pub deny_outside_root: bool,
    /// Leave a reference to a code file that does not exist — a TypeScript
    /// or Python `module`, a SQLite migration, a transform `lambda` — as it
    /// is written (a string without whitespace), rather than report it, so
    /// that [`crate::generate`] can write a stub there. Its file's URL is
    /// the reference resolved against the spec's file
    /// ([`missing_code`] lists them).
    pub allow_missing_code: bool,
}

/// A reference to a code file that does not exist, left in a catalog
/// loaded with [`LoadOptions::allow_missing_code`] (see [`missing_code`]).
///
/// ```
/// let m = flowspec::load::MissingCode {
///     collection: "acmeCo/d".into(),
///     pointer: "/derive/using/sqlite/migrations/0".into(),
///     reference: "one.sql".into(),
///     url: "file:///p/one.sql".into(),
/// };
/// assert!(m.url.ends_with(&m.reference));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingCode {
    /// The derived collection.
    pub collection: String,
    /// The slot's JSON pointer within the collection, like
    /// `/derive/using/typescript/module`.
    pub pointer: String,
    /// The reference as it is written.
    pub reference: String,
    /// The file's absolute `file://` URL.
    pub url: String,
}

/// The references to code files of `catalog` (modules, migrations and
/// transform lambdas written as a string without whitespace) that are
/// still references, with the URLs they resolve to: after a load with
/// [`LoadOptions::allow_missing_code`], the files that do not exist.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("flow.yaml"), "collections:\n  acmeCo/d:\n    schema: {type: object}\n    key: [/id]\n    derive:\n      using: {typescript: {module: d.ts}}\n      transforms: []\n").unwrap();
/// let source = dir.path().join("flow.yaml");
/// let err = flowspec::load::load(source.to_str().unwrap()).unwrap_err();
/// assert_eq!(err.diagnostics()[0].code, "read_failed");
///
/// let options = flowspec::load::LoadOptions { allow_missing_code: true, ..Default::default() };
/// let catalog = flowspec::load::load_with(source.to_str().unwrap(), &options).unwrap();
/// let missing = flowspec::load::missing_code(&catalog);
/// assert_eq!(missing[0].pointer, "/derive/using/typescript/module");
/// assert_eq!(missing[0].reference, "d.ts");
/// assert!(missing[0].url.starts_with("file:///") && missing[0].url.ends_with("/d.ts"));
/// ```
pub fn missing_code(catalog: &Catalog) -> Vec<MissingCode> {
    let mut out = Vec::new();
    catalog.for_each_slot(|kind, name, slot, pointer, value| {
        let code = matches!(
            slot,
            crate::Slot::Module(_) | crate::Slot::Migration(_) | crate::Slot::Lambda { .. }
        );
        let crate::SlotValue::Value(value) = value else {
            return;
        };
        let Some(reference) = crate::file_reference(value).filter(|_| code) else {
            return;
        };
        let url = reference_base(&catalog.origins, kind, name).and_then(|b| b.join(reference).ok());
        if let Some(url) = url.filter(|u| u.scheme() == "file") {
            out.push(MissingCode {
                collection: name.to_string(),
                pointer: pointer.to_string(),
                reference: reference.to_string(),
                url: url.to_string(),
            });
        }
    });
    out
}

/// Loads the catalog at `source` and everything it imports or refers to,
/// into one catalog whose values are inline (see the module docs).
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
/// assert_eq!(schema["required"][0], "id");
/// let file = catalog.origins.file(flowspec::Kind::Collection, "acmeCo/anvils", "/schema").unwrap();
/// assert!(file.url.ends_with("/anvils/anvil.schema.yaml"));
/// assert!(catalog.import.is_empty());
/// assert_eq!(catalog.origins.imports.len(), 1);
///
/// let err = flowspec::load::load(dir.path().join("nope.yaml").to_str().unwrap()).unwrap_err();
/// assert_eq!(err.code(), "io");
/// assert_eq!(err.io_error().unwrap().kind(), std::io::ErrorKind::NotFound);
/// ```
pub fn load(source: &str) -> Result<Catalog> {
    load_with(source, &LoadOptions::default())
}

/// Loads the catalog at `source` as [`load`] does, with [`LoadOptions`].
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let project = dir.path().join("project");
/// std::fs::create_dir(&project).unwrap();
/// std::fs::write(dir.path().join("secret.json"), r#"{"token": "x"}"#).unwrap();
/// std::fs::write(project.join("flow.yaml"), "captures:\n  acmeCo/source:\n    endpoint:\n      connector:\n        image: ghcr.io/estuary/source-x:v1\n        config: ../secret.json\n    bindings: []\n").unwrap();
///
/// let strict = flowspec::load::LoadOptions { deny_outside_root: true, ..Default::default() };
/// let err = flowspec::load::load_with(project.join("flow.yaml").to_str().unwrap(), &strict).unwrap_err();
/// assert_eq!(err.diagnostics()[0].code, "reference_outside_root");
/// assert!(err.diagnostics()[0].message.contains("refusing to read"));
/// ```
pub fn load_with(source: &str, options: &LoadOptions) -> Result<Catalog> {
    if source == "-" {
        return load_stdin(std::io::stdin().lock(), options);
    }
    let url = source::source_url(source).map_err(|d| Error::Load(vec![d]))?;
    // A source that cannot be read is an I/O error of the source, not a
    // problem within the catalog.
    let bytes = match source::read_file(&url, &Scope::new(url.as_str())) {
        Ok(bytes) => Ok(bytes),
        Err(source::ReadFailure::Io(err)) => {
            return Err(Error::Io {
                path: url.to_file_path().unwrap_or_else(|()| source.into()),
                source: err,
            })
        }
        Err(source::ReadFailure::Invalid(d)) => Err(d),
    };
    Loader::for_source(&url, options)?.load_root(url, bytes.as_ref().map(Vec::as_slice))
}

/// Loads a catalog read from `reader`, as `load("-")` does from stdin.
fn load_stdin(reader: impl std::io::Read, options: &LoadOptions) -> Result<Catalog> {
    let url = Url::parse(source::STDIN_URL).expect("a valid URL");
    let bytes = source::read_stdin(reader);
    Loader::for_source(&url, options)?.load_root(url, bytes.as_deref())
}

/// The catalog at `path` as [`load`] reads it, without checking where its
/// references lead; `None` if there is none, or it does not load. Writing
/// reads the catalog it replaces with it.
pub(crate) fn load_previous(path: &std::path::Path) -> Option<Catalog> {
    if !path.is_file() {
        return None;
    }
    let url = source::source_url(path.to_str()?).ok()?;
    let bytes = source::read(&url, &Scope::new(url.as_str()));
    Loader::new(Mode::Sources, None, false)
        .load_root(url, bytes.as_deref())
        .ok()
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
    Loader::for_source(&url, &LoadOptions::default())?.load_root(url, Ok(text.as_bytes()))
}

/// Replaces every file reference that remains in `catalog` by its content,
/// as flowctl does before sending a catalog: `import`s are loaded and
/// merged in, configs, resources, SQL, modules and test documents are
/// inlined, and schemas are bundled with the files they `$ref`. Returns the
/// warnings found: files outside of the root, whether read now or when the
/// catalog was loaded.
///
/// References of a loaded spec resolve against its file. Others resolve
/// against [`Origins::base_dir`](crate::Origins), else the directory of
/// [`Origins::base`](crate::Origins) when it is a `file://` URL, else the
/// current directory.
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
/// catalog.origins.base_dir = Some(url::Url::from_directory_path(dir.path()).unwrap().to_string());
/// catalog.collections.insert(
///     Collection::new("acmeCo/anvils").unwrap(),
///     CollectionDef::new(Schema::reference("anvil.schema.json"), vec![JsonPointer::new("/id").unwrap()]),
/// );
/// flowspec::load::inline_references(&mut catalog).unwrap();
/// let schema = catalog.collections["acmeCo/anvils"].schema.as_ref().unwrap();
/// assert!(schema.as_reference().is_none());
/// ```
pub fn inline_references(catalog: &mut Catalog) -> Result<Vec<Diagnostic>> {
    let mut loader = Loader::for_catalog(catalog, Mode::Bundle);
    loader.diagnostics = outside_root(catalog);
    let mut imported = Catalog::default();

    if !catalog.import.is_empty() {
        let base = catalog
            .origins
            .base
            .as_deref()
            .unwrap_or(DEFAULT_BASE)
            .to_string();
        let scope = Scope::new(base.as_str()).push("import");
        let url = match catalog.origins.base_dir.as_deref().map(Url::parse) {
            Some(Ok(dir)) => Some(dir),
            _ => match Url::parse(&base) {
                Ok(url) if url.scheme() == "file" => Some(url),
                _ => loader.cwd(&scope),
            },
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
    catalog.origins.files.extend(origins.files);
    catalog.import.clear();
    Ok(loader.diagnostics)
}

/// Whether a catalog holds file references to resolve: imports, values
/// given as the URLs of files, and schemas that refer to other files.
pub(crate) fn has_references(catalog: &Catalog) -> bool {
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
    if !catalog.import.is_empty() {
        return true;
    }
    let mut found = false;
    catalog.for_each_slot(|_, _, _, _, value| {
        found = found
            || match value {
                crate::SlotValue::Value(v) => crate::file_reference(v).is_some(),
                crate::SlotValue::Schema(s) => {
                    s.as_reference().is_some() || (s.may_refer() && external_ref(&s.to_value()))
                }
                crate::SlotValue::Documents(d) => matches!(d, crate::TestDocuments::Url(_)),
            };
    });
    found
}

/// Warnings (code `reference_outside_root`) for the files a loaded catalog
/// read from outside of its root: imported catalog files, and files values
/// were loaded from.
pub(crate) fn outside_root(catalog: &Catalog) -> Vec<Diagnostic> {
    let origins = &catalog.origins;
    let Some(root) = root_of(origins) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (from, to) in &origins.imports {
        if let Ok(url) = Url::parse(to) {
            if url.scheme() == "file" && !root.contains(&url) {
                out.push(
                    Diagnostic::new(
                        from.as_str(),
                        format!(
                            "the imported catalog file {url} is outside of the catalog's root {}",
                            root.url
                        ),
                        codes::REFERENCE_OUTSIDE_ROOT,
                    )
                    .warning(),
                );
            }
        }
    }
    for ((kind, name, pointer), file) in &origins.files {
        if let Ok(url) = Url::parse(&file.url) {
            if !root.contains(&url) {
                out.push(
                    origins
                        .scope(*kind, name)
                        .join_pointer(pointer)
                        .diagnostic(
                            codes::REFERENCE_OUTSIDE_ROOT,
                            format!(
                                "{} {name}: {url} is outside of the catalog's root {}: its \
                                 content is read and sent with the catalog (enforce the root to \
                                 refuse such references)",
                                kind.singular(),
                                root.url
                            ),
                        )
                        .warning(),
                );
            }
        }
    }
    out
}

/// The URL that the relative references of a spec resolve against: the
/// file it was loaded from; for a spec made in code,
/// [`Origins::base_dir`], else [`Origins::base`] when it is a `file://`
/// URL, else the current directory (`None` when there is none).
pub(crate) fn reference_base(origins: &Origins, kind: Kind, name: &str) -> Option<Url> {
    let file = |url: &str| Url::parse(url).ok().filter(|u| u.scheme() == "file");
    if let Some(scope) = origins.specs.get(&(kind, name.to_string())) {
        return file(&scope.url).or_else(|| source::cwd_url().ok());
    }
    code_base(origins)
}

/// The URL that the relative references of specs made in code resolve
/// against (see [`reference_base`]).
pub(crate) fn code_base(origins: &Origins) -> Option<Url> {
    let file = |url: &str| Url::parse(url).ok().filter(|u| u.scheme() == "file");
    origins
        .base_dir
        .as_deref()
        .and_then(file)
        .or_else(|| origins.base.as_deref().and_then(file))
        .or_else(|| source::cwd_url().ok())
}

/// The root of a catalog: [`Origins::root`], else the directory references
/// of specs made in code resolve against.
fn root_of(origins: &Origins) -> Option<Root> {
    let url = match &origins.root {
        Some(root) => Url::parse(root).ok()?,
        None => code_base(origins)?.join(".").ok()?,
    };
    Root::new(&url)
}

/// What a load does with file references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Inline the values of files, recording where they came from; keep
    /// references to fragments of schema files, and inline schemas' `$ref`s,
    /// as they are (checked).
    Sources,
    /// Inline everything and bundle every schema, as Estuary receives it.
    Bundle,
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
    /// The base URL of the specs of each scope URL.
    urls: HashMap<String, Option<Url>>,
    /// Catalog files without any `$ref`, whose inline schemas need no bundling.
    ref_free: HashSet<String>,
    /// What to do with references.
    mode: Mode,
    /// The directory files are expected in.
    root: Option<Root>,
    /// Refuse files outside of the root.
    deny_outside_root: bool,
    /// Leave references to missing code files as they are.
    missing_code: bool,
}

impl Loader {
    fn new(mode: Mode, root: Option<Root>, deny_outside_root: bool) -> Self {
        Self {
            diagnostics: Vec::new(),
            cwd: None,
            catalogs: HashSet::new(),
            resources: HashMap::new(),
            schemas: HashMap::new(),
            bare_tests: HashSet::new(),
            urls: HashMap::new(),
            ref_free: HashSet::new(),
            mode,
            root,
            deny_outside_root,
            missing_code: false,
        }
    }

    /// A loader of the catalog file at `url`, with `options`.
    fn for_source(url: &Url, options: &LoadOptions) -> Result<Self> {
        let root_url = match &options.root {
            Some(dir) => {
                let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
                Some(Url::from_directory_path(&dir).map_err(|()| {
                    Error::Load(vec![Diagnostic::new(
                        url.as_str(),
                        format!("the root {} is not a directory path", dir.display()),
                        codes::INVALID_REFERENCE,
                    )])
                })?)
            }
            None if url.scheme() == "file" => source::project_root(url),
            None => source::cwd_url().ok(),
        };
        let mut loader = Loader::new(
            Mode::Sources,
            root_url.as_ref().and_then(Root::new),
            options.deny_outside_root,
        );
        loader.missing_code = options.allow_missing_code;
        Ok(loader)
    }

    /// A loader of the references left in `catalog`.
    fn for_catalog(catalog: &Catalog, mode: Mode) -> Self {
        Loader::new(
            mode,
            root_of(&catalog.origins),
            catalog.origins.deny_outside_root,
        )
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
        catalog.origins.root = self.root.as_ref().map(|r| r.url.to_string());
        catalog.origins.deny_outside_root = self.deny_outside_root;
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
