//! Catalog files: top-level keys, imports, and each spec deserialized on its own.

use std::borrow::Borrow;
use std::collections::{BTreeMap, VecDeque};

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::parse::{kind_of, Format};
use super::stream::{self, Item};
use super::{source, Loader};
use crate::names::NameError;
use crate::{
    codes, CaptureDef, Catalog, CollectionDef, Diagnostic, Kind, MaterializationDef, Origins,
    Schema, Scope, TestDef, TestDocuments,
};

/// The top-level keys of a catalog file.
const TOP_LEVEL: &[&str] = &[
    "$schema",
    "import",
    "captures",
    "collections",
    "materializations",
    "tests",
];

/// An imported catalog file, waiting to be loaded.
pub(super) struct Import {
    /// The file.
    pub url: Url,
    /// Where it is imported, for errors reading it.
    pub referrer: Scope,
}

impl Loader {
    /// Loads the root catalog file (`root`: its URL and content) and,
    /// breadth first, every file it imports, into `catalog`.
    pub(super) fn load_catalog_files(
        &mut self,
        catalog: &mut Catalog,
        root: Option<(&Url, &[u8])>,
        mut queue: VecDeque<Import>,
    ) {
        if let Some((url, bytes)) = root {
            self.catalogs.insert(real_url(url));
            self.load_catalog_file(catalog, url, bytes, &mut queue);
        }
        while let Some(Import { url, referrer }) = queue.pop_front() {
            match source::read(&url, &referrer) {
                Ok(bytes) => self.load_catalog_file(catalog, &url, &bytes, &mut queue),
                Err(d) => self.diagnostics.push(d),
            }
        }
    }

    /// Queues the imports of a file at `url` (listed in `value`, found at
    /// `scope`), recording each import edge.
    pub(super) fn queue_imports(
        &mut self,
        value: Value,
        scope: &Scope,
        url: &Url,
        origins: &mut Origins,
        queue: &mut VecDeque<Import>,
    ) {
        let items = match value {
            Value::Null => return,
            Value::Array(items) => items,
            other => {
                self.diagnostics.push(scope.diagnostic(
                    codes::INVALID_SPEC,
                    format!(
                        "invalid type: {}, expected an array of file URLs",
                        kind_of(&other)
                    ),
                ));
                return;
            }
        };
        let Some(base) = self.base_for(url, scope) else {
            return;
        };
        for (index, item) in items.into_iter().enumerate() {
            let item_scope = scope.push_index(index);
            let Value::String(reference) = item else {
                self.diagnostics.push(item_scope.diagnostic(
                    codes::INVALID_SPEC,
                    format!("invalid type: {}, expected a file URL", kind_of(&item)),
                ));
                continue;
            };
            let imported = match source::resolve(&base, &reference, &item_scope, "import", false) {
                Ok(imported) => imported,
                Err(d) => {
                    self.diagnostics.push(d);
                    continue;
                }
            };
            if !self.may_read(&imported, &item_scope, "import") {
                continue;
            }
            origins
                .imports
                .insert((url.to_string(), imported.to_string()));
            // A file reached by two paths (through a symlink) is one file.
            if self.catalogs.insert(real_url(&imported)) {
                queue.push_back(Import {
                    url: imported,
                    referrer: item_scope,
                });
            }
        }
    }

    /// Loads one catalog file, a spec at a time as it is parsed (see
    /// [`stream`]). A file that fails to parse adds nothing but its error.
    fn load_catalog_file(
        &mut self,
        catalog: &mut Catalog,
        url: &Url,
        bytes: &[u8],
        queue: &mut VecDeque<Import>,
    ) {
        let mut file = FileLoad::new(self, url);
        let parsed =
            stream::parse_catalog(bytes, url.as_str(), Format::of(url.path()), &mut |item| {
                match item {
                    Item::Restart => file.undo(self, catalog),
                    Item::Spec(section, name, value) => {
                        self.load_spec_of(catalog, &mut file, section, name, value)
                    }
                    Item::Top(key, value) => self.load_top(&mut file, key, value),
                    // An empty file is an empty catalog.
                    Item::Document(Value::Null) => {}
                    Item::Document(other) => self.diagnostics.push(file.scope.diagnostic(
                        codes::INVALID_SPEC,
                        format!(
                        "a catalog file must hold a map of `import`, `captures`, `collections`, \
                         `materializations` and `tests`, but this one holds {}",
                        kind_of(&other)
                    ),
                    )),
                }
            });
        match parsed {
            Ok(has_refs) => {
                if !has_refs {
                    self.ref_free.insert(url.to_string());
                }
                catalog.origins.imports.extend(file.imports.origins.imports);
                queue.extend(file.imports.queue);
            }
            Err(d) => {
                file.undo(self, catalog);
                self.diagnostics.push(d);
            }
        }
    }

    /// A top-level entry of a catalog file, other than a spec.
    fn load_top(&mut self, file: &mut FileLoad, key: String, value: Value) {
        let scope = file.scope.push(&key);
        match key.as_str() {
            // An editor hint, in YAML and JSON alike: it says nothing of
            // the catalog, and flowspec writes its own.
            "$schema" => match value {
                Value::String(_) | Value::Null => {}
                other => self.diagnostics.push(scope.diagnostic(
                    codes::INVALID_SPEC,
                    format!("invalid type: {}, expected a string", kind_of(&other)),
                )),
            },
            "import" => {
                let Imports { origins, queue } = &mut file.imports;
                self.queue_imports(value, &scope, file.url, origins, queue)
            }
            section if stream::SECTIONS.contains(&section) => {
                // A section that is not a map (its specs arrive one by one).
                let kind = kind_of_section(section);
                self.diagnostics
                    .extend(section_type_error(&scope, kind, &value));
            }
            _ => self.diagnostics.push(scope.diagnostic(
                codes::INVALID_SPEC,
                <serde_json::Error as serde::de::Error>::unknown_field(&key, TOP_LEVEL).to_string(),
            )),
        }
    }

    /// Loads one spec of the section `section` of a catalog file.
    fn load_spec_of(
        &mut self,
        catalog: &mut Catalog,
        file: &mut FileLoad,
        section: &str,
        name: String,
        value: Value,
    ) {
        let kind = kind_of_section(section);
        let scope = &file.scope.push(section);
        let origins = &mut catalog.origins;
        let inserted = match kind {
            Kind::Capture => {
                self.load_spec(name, value, scope, kind, &mut catalog.captures, origins)
            }
            Kind::Collection => {
                self.load_spec(name, value, scope, kind, &mut catalog.collections, origins)
            }
            Kind::Materialization => self.load_spec(
                name,
                value,
                scope,
                kind,
                &mut catalog.materializations,
                origins,
            ),
            Kind::Test => self.load_spec(name, value, scope, kind, &mut catalog.tests, origins),
        };
        if let Some(name) = inserted {
            file.specs.push((kind, name));
        }
    }

    /// Loads one spec into `specs`; returns its name if it was added.
    fn load_spec<N, T>(
        &mut self,
        name: String,
        mut value: Value,
        scope: &Scope,
        kind: Kind,
        specs: &mut BTreeMap<N, T>,
        origins: &mut Origins,
    ) -> Option<String>
    where
        N: Ord + Borrow<str> + TryFrom<String, Error = NameError>,
        T: Spec,
    {
        let spec_scope = scope.push(&name);
        let bare_test = kind == Kind::Test && value.is_array();
        let parsed_name = match N::try_from(name.clone()) {
            Ok(n) => Some(n),
            Err(e) => {
                self.diagnostics
                    .push(spec_scope.diagnostic(codes::INVALID_NAME, e.message));
                None
            }
        };
        let taken = T::take_opaque(&mut value);
        let spec = match deserialize_spec::<T>(value, &spec_scope, kind, &name) {
            Ok(mut spec) => {
                spec.restore_opaque(taken);
                spec
            }
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        let parsed_name = parsed_name?;
        if specs.contains_key(name.as_str()) {
            let entity = kind.singular();
            self.diagnostics.push(spec_scope.diagnostic(
                codes::NAME_COLLISION,
                format!(
                    "{entity} {name} collides with {entity} {name}, defined at {}",
                    origins.scope(kind, &name)
                ),
            ));
            return None;
        }
        if bare_test {
            self.bare_tests.insert(name.clone());
        }
        specs.insert(parsed_name, spec);
        origins.record(kind, &name, spec_scope);
        Some(name)
    }
}

/// The URL of the file at `url` with symlinks resolved, which identifies
/// the file however it is reached.
fn real_url(url: &Url) -> Url {
    if url.scheme() != "file" {
        return url.clone();
    }
    url.to_file_path()
        .ok()
        .and_then(|path| Url::from_file_path(crate::paths::real_path(&path)).ok())
        .unwrap_or_else(|| url.clone())
}

/// The kind of specs a section holds.
fn kind_of_section(section: &str) -> Kind {
    match section {
        "captures" => Kind::Capture,
        "collections" => Kind::Collection,
        "materializations" => Kind::Materialization,
        _ => Kind::Test,
    }
}

/// The error of a section that is not a map (none for null).
fn section_type_error(scope: &Scope, kind: Kind, value: &Value) -> Option<Diagnostic> {
    if value.is_null() {
        return None;
    }
    Some(scope.diagnostic(
        codes::INVALID_SPEC,
        format!(
            "invalid type: {}, expected a map of {} names to their specs",
            kind_of(value),
            kind.singular()
        ),
    ))
}

/// Imports of one catalog file, queued once it has parsed.
#[derive(Default)]
struct Imports {
    origins: Origins,
    queue: VecDeque<Import>,
}

/// One catalog file being loaded: where it is, and what it has added so
/// far, to undo if it fails to parse.
struct FileLoad<'u> {
    url: &'u Url,
    /// The file's scope (its URL, with an empty pointer).
    scope: Scope,
    /// How many diagnostics there were before the file.
    diagnostics: usize,
    specs: Vec<(Kind, String)>,
    imports: Imports,
}

impl<'u> FileLoad<'u> {
    fn new(loader: &Loader, url: &'u Url) -> Self {
        FileLoad {
            url,
            scope: Scope::new(url.as_str()),
            diagnostics: loader.diagnostics.len(),
            specs: Vec::new(),
            imports: Imports::default(),
        }
    }

    /// Takes back everything the file added.
    fn undo(&mut self, loader: &mut Loader, catalog: &mut Catalog) {
        loader.diagnostics.truncate(self.diagnostics);
        for (kind, name) in self.specs.drain(..) {
            match kind {
                Kind::Capture => drop(catalog.captures.remove(name.as_str())),
                Kind::Collection => drop(catalog.collections.remove(name.as_str())),
                Kind::Materialization => drop(catalog.materializations.remove(name.as_str())),
                Kind::Test => drop(catalog.tests.remove(name.as_str())),
            }
            catalog.origins.specs.remove(&(kind, name.clone()));
            loader.bare_tests.remove(&name);
        }
        for import in std::mem::take(&mut self.imports).queue {
            loader.catalogs.remove(&real_url(&import.url));
        }
    }
}

/// A kind of spec, whose bulkiest opaque values (schemas, binding
/// resources, test documents) are taken out of its document before it is
/// deserialized, and put back after: deserializing a `serde_json::Value`
/// from a `Value` rebuilds it, while moving it costs nothing.
///
/// Only values that cannot fail to deserialize are taken (objects where any
/// JSON is allowed, arrays of documents), so errors are the same either way.
pub(super) trait Spec: DeserializeOwned {
    /// Takes opaque values out of `value`, leaving placeholders; each is
    /// returned with the index of its slot.
    fn take_opaque(value: &mut Value) -> Vec<(usize, Value)>;
    /// Puts back what [`Spec::take_opaque`] took.
    fn restore_opaque(&mut self, taken: Vec<(usize, Value)>);
}

const SCHEMA_SLOTS: [&str; 3] = ["schema", "writeSchema", "readSchema"];

impl Spec for CollectionDef {
    fn take_opaque(value: &mut Value) -> Vec<(usize, Value)> {
        let mut taken = Vec::new();
        for (slot, key) in SCHEMA_SLOTS.iter().enumerate() {
            if let Some(schema @ Value::Object(_)) = value.get_mut(*key) {
                // `null` deserializes as `None`; the schema is put back after.
                taken.push((slot, schema.take()));
            }
        }
        taken
    }

    fn restore_opaque(&mut self, taken: Vec<(usize, Value)>) {
        for (slot, schema) in taken {
            let schema = Some(Schema::new(schema));
            match slot {
                0 => self.schema = schema,
                1 => self.write_schema = schema,
                _ => self.read_schema = schema,
            }
        }
    }
}

fn take_resources(value: &mut Value) -> Vec<(usize, Value)> {
    let mut taken = Vec::new();
    if let Some(Value::Array(bindings)) = value.get_mut("bindings") {
        for (index, binding) in bindings.iter_mut().enumerate() {
            if let Some(resource @ Value::Object(_)) = binding.get_mut("resource") {
                taken.push((index, resource.take()));
            }
        }
    }
    taken
}

impl Spec for CaptureDef {
    fn take_opaque(value: &mut Value) -> Vec<(usize, Value)> {
        take_resources(value)
    }

    fn restore_opaque(&mut self, taken: Vec<(usize, Value)>) {
        for (index, resource) in taken {
            self.bindings[index].resource = resource;
        }
    }
}

impl Spec for MaterializationDef {
    fn take_opaque(value: &mut Value) -> Vec<(usize, Value)> {
        take_resources(value)
    }

    fn restore_opaque(&mut self, taken: Vec<(usize, Value)>) {
        for (index, resource) in taken {
            self.bindings[index].resource = resource;
        }
    }
}

impl Spec for TestDef {
    fn take_opaque(value: &mut Value) -> Vec<(usize, Value)> {
        let steps = match value {
            Value::Array(steps) => steps,
            Value::Object(map) => match map.get_mut("steps") {
                Some(Value::Array(steps)) => steps,
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        let mut taken = Vec::new();
        for (index, step) in steps.iter_mut().enumerate() {
            let Value::Object(step) = step else { continue };
            if step.len() != 1 {
                continue;
            }
            let Some(Value::Object(body)) = step.values_mut().next() else {
                continue;
            };
            if let Some(documents @ Value::Array(_)) = body.get_mut("documents") {
                taken.push((
                    index,
                    std::mem::replace(documents, Value::Array(Vec::new())),
                ));
            }
        }
        taken
    }

    fn restore_opaque(&mut self, taken: Vec<(usize, Value)>) {
        for (index, documents) in taken {
            if let Value::Array(documents) = documents {
                *self.steps[index].documents_mut() = TestDocuments::Inline(documents);
            }
        }
    }
}

/// Deserializes one spec, reporting the first problem at the scope of the
/// offending value.
pub(super) fn deserialize_spec<T: DeserializeOwned>(
    value: Value,
    scope: &Scope,
    kind: Kind,
    name: &str,
) -> Result<T, Diagnostic> {
    crate::json::from_value(&value).map_err(|err| {
        let pointer = crate::json::pointer_of(err.path());
        let code = match crate::json::rejected_name(&err) {
            Some(_) => codes::INVALID_NAME,
            None => codes::INVALID_SPEC,
        };
        scope
            .join_pointer(&pointer)
            .diagnostic(code, format!("{} {name}: {}", kind.singular(), err.inner()))
    })
}
