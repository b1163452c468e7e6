//! Where each spec and each large value goes, and how relative references
//! are rewritten for their new place.
//!
//! The split layout follows flowctl pull-specs (`sources::merge` and
//! `sources::indirect` in estuary/flow): a spec named `acmeCo/anvils/products`
//! lives in `acmeCo/anvils/flow.yaml`, imported by `acmeCo/flow.yaml`,
//! imported by the target; values whose compact JSON exceeds 512 bytes move
//! to sibling files named after the last part of the spec's name.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;
use url::Url;

use super::{render_value, Doc, Format, Layout, SPLIT_THRESHOLD};
use crate::{
    CaptureDef, CaptureEndpoint, Catalog, CollectionDef, DeriveUsing, Error, Kind,
    MaterializationDef, MaterializationEndpoint, Result, Shuffle, TestDef, TestDocuments,
    DEFAULT_BASE,
};

/// The files of one write: paths relative to `dir`, with `/` separators.
pub(crate) struct Plan {
    pub dir: PathBuf,
    pub files: Vec<(String, String)>,
}

/// Lays `catalog` out for writing to `target`.
pub(crate) fn plan(catalog: &Catalog, target: &Path, layout: Layout) -> Result<Plan> {
    let format = Format::from_path(target).ok_or_else(|| Error::Write {
        path: target.display().to_string(),
        message: "unknown format: the file name must end in .yaml, .yml or .json".to_string(),
    })?;
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Write {
            path: target.display().to_string(),
            message: "the file name is not valid UTF-8".to_string(),
        })?
        .to_string();
    let dir = target.parent().unwrap_or(Path::new("")).to_path_buf();
    let abs_dir = absolute(&dir).map_err(|err| Error::Write {
        path: target.display().to_string(),
        message: format!("cannot resolve the directory: {err}"),
    })?;
    let dir_url = Url::from_directory_path(&abs_dir).map_err(|()| Error::Write {
        path: target.display().to_string(),
        message: "the directory cannot be written as a file URL".to_string(),
    })?;

    let mut planner = Planner {
        catalog,
        format,
        target,
        dir: &dir,
        abs_dir: &abs_dir,
        dir_url: &dir_url,
        base_dir: base_dir(catalog.origins.base.as_deref()),
        files: BTreeMap::new(),
    };
    match layout {
        Layout::Flat => planner.flat(&file_name)?,
        Layout::Canonical => planner.canonical(&file_name)?,
    }
    check_paths(target, &planner.files)?;

    let files = planner
        .files
        .into_iter()
        .map(|(path, file)| (path, file.contents))
        .collect();
    Ok(Plan { dir, files })
}

struct Planned {
    contents: String,
    /// The spec that wrote it, for messages.
    owner: String,
}

struct Planner<'a> {
    catalog: &'a Catalog,
    format: Format,
    target: &'a Path,
    dir: &'a Path,
    abs_dir: &'a Path,
    dir_url: &'a Url,
    /// Directory URL that references of specs made in code resolve against.
    base_dir: Option<Url>,
    files: BTreeMap<String, Planned>,
}

/// The directory of a URL the specs came from, unless it is the default
/// base of specs made in code.
fn base_dir(base: Option<&str>) -> Option<Url> {
    let base = base?;
    if base == DEFAULT_BASE {
        return None;
    }
    let url = Url::parse(base).ok()?;
    if url.scheme() == "flow" || url.cannot_be_a_base() {
        return None;
    }
    url.join(".").ok()
}

impl<'a> Planner<'a> {
    fn add(&mut self, path: String, contents: String, owner: &str) -> Result<()> {
        if let Some(other) = self.files.get(&path) {
            return Err(Error::Write {
                path: self.dir.join(&path).display().to_string(),
                message: format!("both {} and {owner} would write this file", other.owner),
            });
        }
        self.files.insert(
            path,
            Planned {
                contents,
                owner: owner.to_string(),
            },
        );
        Ok(())
    }

    /// Directory URL that the relative references of a spec resolve against.
    fn source_dir(&self, kind: Kind, name: &str) -> Url {
        if let Some(scope) = self.catalog.origins.specs.get(&(kind, name.to_string())) {
            if let Some(dir) = base_dir(Some(&scope.url)) {
                return dir;
            }
        }
        self.base_dir
            .clone()
            .unwrap_or_else(|| self.dir_url.clone())
    }

    /// The catalog's own imports, rebased onto the target's directory.
    fn imports(&self) -> Vec<Cow<'a, str>> {
        let from = self
            .base_dir
            .clone()
            .unwrap_or_else(|| self.dir_url.clone());
        let rebase = Rebase::new(&from, self.dir_url);
        self.catalog
            .import
            .iter()
            .map(|i| match rebase.as_ref().and_then(|r| r.url(i)) {
                Some(new) => Cow::Owned(new),
                None => Cow::Borrowed(i.as_str()),
            })
            .collect()
    }

    fn flat(&mut self, file_name: &str) -> Result<()> {
        let catalog = self.catalog;
        let mut doc = Doc::of(catalog);
        doc.import = self.imports();
        let to = self.dir_url.clone();
        let to_path = self.abs_dir.to_path_buf();

        macro_rules! fix_all {
            ($specs:expr, $kind:expr, $fix:ident) => {
                for (name, def) in $specs.0.iter_mut() {
                    let from = self.source_dir($kind, name);
                    let mut fixer = Fixer {
                        what: format!("{} {}", $kind.singular(), name.as_str()),
                        rebase: Rebase::with_paths(&from, &to, &to_path),
                        split: None,
                        planner: self,
                    };
                    fixer.$fix(def)?;
                }
            };
        }
        // Specs made in code with no base are written where their
        // references resolve already.
        if self.base_dir.is_some() || !catalog.origins.specs.is_empty() {
            fix_all!(doc.captures, Kind::Capture, capture);
            fix_all!(doc.collections, Kind::Collection, collection);
            fix_all!(doc.materializations, Kind::Materialization, materialization);
            fix_all!(doc.tests, Kind::Test, test);
        }

        let text = doc.render(self.format);
        self.add(file_name.to_string(), text, "the catalog")
    }

    fn canonical(&mut self, file_name: &str) -> Result<()> {
        let catalog = self.catalog;
        let ext = self.format.extension();
        // Catalog files by path relative to the target's directory.
        let mut docs: BTreeMap<String, Doc<'a>> = BTreeMap::new();
        let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let root = file_name.to_string();
        let own_imports: Vec<String> = self.imports().into_iter().map(Cow::into_owned).collect();
        imports.entry(root.clone()).or_default().extend(own_imports);

        macro_rules! place_all {
            ($map:expr, $kind:expr, $fix:ident, $field:ident) => {
                for (name, def) in $map.iter() {
                    let what = format!("{} {}", $kind.singular(), name.as_str());
                    let (prefix, base) = self.split_name(&what, name.as_str())?;
                    let file = format!("{prefix}flow.{ext}");

                    // The import chain: the target imports `acmeCo/flow.yaml`,
                    // which imports `anvils/flow.yaml`, and so on.
                    let mut importer = root.clone();
                    let mut at = 0;
                    while let Some(slash) = prefix[at..].find('/') {
                        let next = &prefix[..at + slash + 1];
                        let child = format!("{next}flow.{ext}");
                        let rel = format!("{}flow.{ext}", &prefix[at..at + slash + 1]);
                        imports.entry(importer).or_default().insert(rel);
                        importer = child;
                        at += slash + 1;
                    }

                    let from = self.source_dir($kind, name);
                    let to_path = normalize(&self.abs_dir.join(prefix));
                    let to = Url::from_directory_path(&to_path).expect("an absolute path");
                    let mut spec = Cow::Borrowed(def);
                    let mut fixer = Fixer {
                        what,
                        rebase: Rebase::with_paths(&from, &to, &to_path),
                        split: Some(Split { prefix, base }),
                        planner: self,
                    };
                    fixer.$fix(&mut spec)?;
                    docs.entry(file).or_default().$field.0.push((name, spec));
                }
            };
        }
        place_all!(catalog.captures, Kind::Capture, capture, captures);
        place_all!(
            catalog.collections,
            Kind::Collection,
            collection,
            collections
        );
        place_all!(
            catalog.materializations,
            Kind::Materialization,
            materialization,
            materializations
        );
        place_all!(catalog.tests, Kind::Test, test, tests);

        for (file, list) in imports {
            docs.entry(file).or_default().import = list.into_iter().map(Cow::Owned).collect();
        }
        for (file, doc) in docs {
            let text = doc.render(self.format);
            self.add(file, text, "the catalog")?;
        }
        Ok(())
    }

    /// Splits a spec name into its directory prefix (`acmeCo/anvils/`) and
    /// its last part (`products`), refusing `.` and `..` parts, which would
    /// put files outside the target's directory.
    fn split_name<'n>(&self, what: &str, name: &'n str) -> Result<(&'n str, &'n str)> {
        if let Some(part) = name.split('/').find(|p| *p == "." || *p == "..") {
            return Err(Error::Write {
                path: self.dir.join(name).display().to_string(),
                message: format!(
                    "{what}: a name part `{part}` would place files outside of {}; \
                     rename the spec or write it with the flat layout",
                    display_dir(self.target),
                ),
            });
        }
        let slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
        Ok((&name[..slash], &name[slash..]))
    }
}

fn display_dir(target: &Path) -> String {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
        _ => ".".to_string(),
    }
}

/// Checks that no planned file is also a directory of another one.
fn check_paths(target: &Path, files: &BTreeMap<String, Planned>) -> Result<()> {
    for path in files.keys() {
        let mut at = 0;
        while let Some(slash) = path[at..].find('/') {
            let dir = &path[..at + slash];
            if let Some(file) = files.get(dir) {
                return Err(Error::Write {
                    path: target.with_file_name(dir).display().to_string(),
                    message: format!(
                        "{} writes this file, but {path} needs it as a directory",
                        file.owner
                    ),
                });
            }
            at += slash + 1;
        }
    }
    Ok(())
}

/// Where a spec's large values go: sibling files in `prefix`, named after `base`.
struct Split<'n> {
    prefix: &'n str,
    base: &'n str,
}

/// Moves relative references from one directory to another.
struct Rebase {
    from: Url,
    to: Url,
    /// The same directories as local paths, when both are local.
    paths: Option<(PathBuf, PathBuf)>,
}

impl Rebase {
    /// `None` when there is nothing to do.
    fn new(from: &Url, to: &Url) -> Option<Rebase> {
        (from != to).then(|| Rebase {
            from: from.clone(),
            to: to.clone(),
            paths: None,
        })
    }

    fn with_paths(from: &Url, to: &Url, to_path: &Path) -> Option<Rebase> {
        let mut rebase = Rebase::new(from, to)?;
        if from.scheme() == "file" {
            if let Ok(from_path) = from.to_file_path() {
                rebase.paths = Some((from_path, to_path.to_path_buf()));
            }
        }
        Some(rebase)
    }

    /// A relative URL reference, rewritten; `None` for absolute URLs.
    fn url(&self, reference: &str) -> Option<String> {
        if !is_relative_url(reference) {
            return None;
        }
        let absolute = self.from.join(reference).ok()?;
        Some(
            self.to
                .make_relative(&absolute)
                .unwrap_or_else(|| absolute.to_string()),
        )
    }

    /// A relative local path (a command with a `/`), rewritten.
    fn path(&self, path: &str) -> Option<String> {
        let (from, to) = self.paths.as_ref()?;
        if !path.contains('/') || Path::new(path).is_absolute() {
            return None;
        }
        let absolute = normalize(&from.join(path));
        let relative = relative_path(to, &absolute)?;
        Some(if relative.contains('/') {
            relative
        } else {
            format!("./{relative}")
        })
    }
}

fn is_relative_url(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('/')
        && !s.starts_with('#')
        && matches!(Url::parse(s), Err(url::ParseError::RelativeUrlWithoutBase))
}

/// A reference to a file, by the loader's rule: a string without whitespace.
fn as_reference(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) if !s.is_empty() && !s.chars().any(char::is_whitespace) => Some(s),
        _ => None,
    }
}

/// Rewrites the references of one spec and, in the split layout, moves its
/// large values to sibling files.
struct Fixer<'p, 'a, 'n> {
    /// `collection acmeCo/anvils`, for messages.
    what: String,
    rebase: Option<Rebase>,
    split: Option<Split<'n>>,
    planner: &'p mut Planner<'a>,
}

impl Fixer<'_, '_, '_> {
    fn rebase_url(&self, reference: &str) -> Option<Value> {
        self.rebase.as_ref()?.url(reference).map(Value::String)
    }

    /// Whether a value is large enough to move to its own file.
    fn is_large(&self, v: &Value) -> bool {
        self.split.is_some() && json_len_exceeds(v, SPLIT_THRESHOLD)
    }

    /// Writes a sibling file; returns the reference to it.
    fn sibling(&mut self, name: String, contents: String) -> Result<Value> {
        let split = self.split.as_ref().expect("only when splitting");
        let path = format!("{}{name}", split.prefix);
        self.planner.add(path, contents, &self.what)?;
        Ok(Value::String(name))
    }

    fn base(&self) -> &str {
        self.split.as_ref().map(|s| s.base).unwrap_or_default()
    }

    /// A slot holding a document or a reference to a YAML/JSON file
    /// (`config`, `resource`, non-SQL lambdas): `<stem>.yaml` when large.
    fn dom(&mut self, v: &Value, stem: impl FnOnce(&str) -> String) -> Result<Option<Value>> {
        if let Some(reference) = as_reference(v) {
            return Ok(self.rebase_url(reference));
        }
        if !self.is_large(v) {
            return Ok(None);
        }
        let name = format!("{}.{}", stem(self.base()), self.planner.format.extension());
        let contents = render_value(v, self.planner.format);
        self.sibling(name, contents).map(Some)
    }

    /// A slot holding text or a reference to a text file (SQL, TypeScript,
    /// Python): `name` when large, written as plain text.
    fn raw(&mut self, v: &Value, name: impl FnOnce(&str) -> String) -> Result<Option<Value>> {
        if let Some(reference) = as_reference(v) {
            return Ok(self.rebase_url(reference));
        }
        match v {
            Value::String(text) if self.is_large(v) => {
                let name = name(self.base());
                self.sibling(name, text.clone()).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// A schema: a URL (maybe with a fragment), or inline, moved to
    /// `<stem>.yaml` when large. A `file://` `$id` of a moved schema is
    /// dropped, unless the schema has definitions that resolve against it.
    fn schema(&mut self, schema: &crate::Schema, stem: &str) -> Result<Option<Value>> {
        let text = match schema.inline_json() {
            None => return Ok(schema.as_reference().and_then(|r| self.rebase_url(r))),
            Some(text) => text,
        };
        // The text is compact JSON, so its length is the JSON length.
        if self.split.is_none() || text.len() <= SPLIT_THRESHOLD {
            return Ok(None);
        }
        let mut schema = schema.to_value();
        if let Value::Object(m) = &mut schema {
            let drop_id = !m.contains_key("definitions")
                && !m.contains_key("$defs")
                && m.get("$id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| id.starts_with("file://"));
            if drop_id {
                m.shift_remove("$id");
            }
        }
        let name = format!("{}.{stem}.{}", self.base(), self.planner.format.extension());
        let contents = render_value(&schema, self.planner.format);
        self.sibling(name, contents).map(Some)
    }

    /// A transform name as part of a file name.
    fn transform_part<'t>(&self, name: &'t str) -> Result<&'t str> {
        if self.split.is_some() && (name == "." || name == "..") {
            return Err(Error::Write {
                path: self.planner.target.display().to_string(),
                message: format!(
                    "{}: transform `{name}` cannot be used in a file name; rename it",
                    self.what
                ),
            });
        }
        Ok(name)
    }

    fn command(&self, command: &[String]) -> Option<Vec<String>> {
        let first = command.first()?;
        let new = self.rebase.as_ref()?.path(first)?;
        let mut command = command.to_vec();
        command[0] = new;
        Some(command)
    }

    fn capture(&mut self, spec: &mut Cow<'_, CaptureDef>) -> Result<()> {
        if let Some(new) = self.dom(spec.endpoint.config(), |b| format!("{b}.config"))? {
            *spec.to_mut().endpoint.config_mut() = new;
        }
        if let CaptureEndpoint::Local(local) = &spec.endpoint {
            if let Some(new) = self.command(&local.command) {
                if let CaptureEndpoint::Local(local) = &mut spec.to_mut().endpoint {
                    local.command = new;
                }
            }
        }
        for i in 0..spec.bindings.len() {
            if let Some(new) = self.dom(&spec.bindings[i].resource, |b| {
                format!("{b}.resource.{i}.config")
            })? {
                spec.to_mut().bindings[i].resource = new;
            }
        }
        Ok(())
    }

    fn materialization(&mut self, spec: &mut Cow<'_, MaterializationDef>) -> Result<()> {
        if let Some(new) = self.dom(spec.endpoint.config(), |b| format!("{b}.config"))? {
            *spec.to_mut().endpoint.config_mut() = new;
        }
        if let MaterializationEndpoint::Local(local) = &spec.endpoint {
            if let Some(new) = self.command(&local.command) {
                if let MaterializationEndpoint::Local(local) = &mut spec.to_mut().endpoint {
                    local.command = new;
                }
            }
        }
        for i in 0..spec.bindings.len() {
            if let Some(new) = self.dom(&spec.bindings[i].resource, |b| {
                format!("{b}.resource.{i}.config")
            })? {
                spec.to_mut().bindings[i].resource = new;
            }
        }
        Ok(())
    }

    fn collection(&mut self, spec: &mut Cow<'_, CollectionDef>) -> Result<()> {
        if let Some(schema) = &spec.schema {
            if let Some(new) = self.schema(schema, "schema")? {
                spec.to_mut().schema = Some(new.into());
            }
        }
        if let Some(schema) = &spec.write_schema {
            if let Some(new) = self.schema(schema, "write.schema")? {
                spec.to_mut().write_schema = Some(new.into());
            }
        }
        if let Some(schema) = &spec.read_schema {
            if let Some(new) = self.schema(schema, "read.schema")? {
                spec.to_mut().read_schema = Some(new.into());
            }
        }
        let Some(derive) = &spec.derive else {
            return Ok(());
        };
        let is_sql = matches!(derive.using, DeriveUsing::Sqlite(_));

        macro_rules! derive_mut {
            ($spec:expr) => {
                $spec.to_mut().derive.as_mut().expect("checked above")
            };
        }
        match &derive.using {
            DeriveUsing::Connector(c) => {
                if let Some(new) = self.dom(&c.config, |b| format!("{b}.config"))? {
                    if let DeriveUsing::Connector(c) = &mut derive_mut!(spec).using {
                        c.config = new;
                    }
                }
            }
            DeriveUsing::Local(l) => {
                let config = self.dom(&l.config, |b| format!("{b}.config"))?;
                let command = self.command(&l.command);
                if config.is_some() || command.is_some() {
                    if let DeriveUsing::Local(l) = &mut derive_mut!(spec).using {
                        if let Some(new) = config {
                            l.config = new;
                        }
                        if let Some(new) = command {
                            l.command = new;
                        }
                    }
                }
            }
            DeriveUsing::Sqlite(s) => {
                for i in 0..s.migrations.len() {
                    let migration = match &spec.derive.as_ref().expect("checked above").using {
                        DeriveUsing::Sqlite(s) => &s.migrations[i],
                        _ => unreachable!(),
                    };
                    if let Some(new) = self.raw(migration, |b| format!("{b}.migration.{i}.sql"))? {
                        if let DeriveUsing::Sqlite(s) = &mut derive_mut!(spec).using {
                            s.migrations[i] = new;
                        }
                    }
                }
            }
            DeriveUsing::Typescript(t) => {
                if let Some(new) = self.raw(&t.module, |b| format!("{b}.ts"))? {
                    if let DeriveUsing::Typescript(t) = &mut derive_mut!(spec).using {
                        t.module = new;
                    }
                }
            }
            DeriveUsing::Python(p) => {
                if let Some(new) = self.raw(&p.module, |b| format!("{b}.py"))? {
                    if let DeriveUsing::Python(p) = &mut derive_mut!(spec).using {
                        p.module = new;
                    }
                }
            }
        }

        let count = spec.derive.as_ref().map_or(0, |d| d.transforms.len());
        for i in 0..count {
            let transform = &spec.derive.as_ref().expect("checked above").transforms[i];
            let name = self.transform_part(transform.name.as_str())?.to_string();
            if let Some(lambda) = &transform.lambda {
                let new = if is_sql {
                    self.raw(lambda, |b| format!("{b}.lambda.{name}.sql"))?
                } else {
                    self.dom(lambda, |b| format!("{b}.lambda.{name}"))?
                };
                if let Some(new) = new {
                    derive_mut!(spec).transforms[i].lambda = Some(new);
                }
            }
            let transform = &spec.derive.as_ref().expect("checked above").transforms[i];
            if let Some(Shuffle::Lambda(lambda)) = &transform.shuffle {
                let new = if is_sql {
                    self.raw(lambda, |b| format!("{b}.lambda.{name}.shuffle.sql"))?
                } else {
                    self.dom(lambda, |b| format!("{b}.lambda.{name}.shuffle"))?
                };
                if let Some(new) = new {
                    derive_mut!(spec).transforms[i].shuffle = Some(Shuffle::Lambda(new));
                }
            }
        }
        Ok(())
    }

    fn test(&mut self, spec: &mut Cow<'_, TestDef>) -> Result<()> {
        for i in 0..spec.steps.len() {
            let new = match spec.steps[i].documents() {
                TestDocuments::Url(url) => self.rebase_url(url),
                TestDocuments::Inline(docs) => {
                    if self.split.is_some() && json_len_exceeds(docs, SPLIT_THRESHOLD) {
                        let name = format!(
                            "{}.step.{i}.{}",
                            self.base(),
                            self.planner.format.extension()
                        );
                        let contents =
                            render_value(&Value::Array(docs.clone()), self.planner.format);
                        Some(self.sibling(name, contents)?)
                    } else {
                        None
                    }
                }
            };
            if let Some(Value::String(url)) = new {
                *spec.to_mut().steps[i].documents_mut() = TestDocuments::Url(url);
            }
        }
        Ok(())
    }
}

/// Whether the compact JSON of `v` is longer than `limit` bytes. Stops
/// serializing as soon as it is.
fn json_len_exceeds<T: serde::Serialize + ?Sized>(v: &T, limit: usize) -> bool {
    struct Counter {
        n: usize,
        limit: usize,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.n += buf.len();
            if self.n > self.limit {
                Err(std::io::Error::other("over the limit"))
            } else {
                Ok(buf.len())
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter { n: 0, limit };
    serde_json::to_writer(&mut counter, v).is_err()
}

/// `path` made absolute against the working directory, with `.` and `..`
/// resolved lexically (symlinks are not followed).
fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let path = if path.as_os_str().is_empty() {
        std::env::current_dir()?
    } else {
        std::path::absolute(path)?
    };
    Ok(normalize(&path))
}

/// Resolves `.` and `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The path of `to` relative to the directory `from` (both normalized and
/// absolute), with `/` separators.
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    if from.first() != to.first() {
        return None; // Different roots (drives).
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    for c in &to[common..] {
        parts.push(c.as_os_str().to_str()?.to_string());
    }
    Some(parts.join("/"))
}
