//! Catalog files: top-level keys, imports, and each spec deserialized on its own.

use std::borrow::Borrow;
use std::collections::{BTreeMap, VecDeque};

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::parse::{self, kind_of, Format, Parsed};
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
    /// Loads the root catalog document (already parsed) and, breadth first,
    /// every file it imports, into `catalog`.
    pub(super) fn load_catalog_files(
        &mut self,
        catalog: &mut Catalog,
        root: Option<(&Url, Parsed)>,
        mut queue: VecDeque<Import>,
    ) {
        if let Some((url, doc)) = root {
            self.catalogs.insert(url.clone());
            self.load_catalog_doc(catalog, url, doc, true, &mut queue);
        }
        while let Some(Import { url, referrer }) = queue.pop_front() {
            let bytes = match source::read(&url, &referrer) {
                Ok(bytes) => bytes,
                Err(d) => {
                    self.diagnostics.push(d);
                    continue;
                }
            };
            match parse::parse(&bytes, url.as_str(), Format::of(url.path()), true) {
                Ok(doc) => {
                    drop(bytes);
                    self.load_catalog_doc(catalog, &url, doc, false, &mut queue);
                }
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
            origins
                .imports
                .insert((url.to_string(), imported.to_string()));
            if self.catalogs.insert(imported.clone()) {
                queue.push_back(Import {
                    url: imported,
                    referrer: item_scope,
                });
            }
        }
    }

    fn load_catalog_doc(
        &mut self,
        catalog: &mut Catalog,
        url: &Url,
        doc: Parsed,
        is_root: bool,
        queue: &mut VecDeque<Import>,
    ) {
        if !doc.has_refs {
            self.ref_free.insert(url.to_string());
        }
        let file = Scope::new(url.as_str());
        let map = match doc.value {
            Value::Object(map) => map,
            // An empty file is an empty catalog.
            Value::Null => return,
            other => {
                self.diagnostics.push(file.diagnostic(
                    codes::INVALID_SPEC,
                    format!(
                        "a catalog file must hold a map of `import`, `captures`, `collections`, \
                         `materializations` and `tests`, but this one holds {}",
                        kind_of(&other)
                    ),
                ));
                return;
            }
        };
        for (key, value) in map {
            let scope = file.push(&key);
            match key.as_str() {
                "$schema" => match value {
                    Value::String(s) if is_root => catalog.schema = Some(s),
                    Value::String(_) | Value::Null => {}
                    other => self.diagnostics.push(scope.diagnostic(
                        codes::INVALID_SPEC,
                        format!("invalid type: {}, expected a string", kind_of(&other)),
                    )),
                },
                "import" => self.queue_imports(value, &scope, url, &mut catalog.origins, queue),
                "captures" => self.load_specs(
                    value,
                    &scope,
                    Kind::Capture,
                    &mut catalog.captures,
                    &mut catalog.origins,
                ),
                "collections" => self.load_specs(
                    value,
                    &scope,
                    Kind::Collection,
                    &mut catalog.collections,
                    &mut catalog.origins,
                ),
                "materializations" => self.load_specs(
                    value,
                    &scope,
                    Kind::Materialization,
                    &mut catalog.materializations,
                    &mut catalog.origins,
                ),
                "tests" => self.load_specs(
                    value,
                    &scope,
                    Kind::Test,
                    &mut catalog.tests,
                    &mut catalog.origins,
                ),
                _ => self.diagnostics.push(
                    scope.diagnostic(
                        codes::INVALID_SPEC,
                        <serde_json::Error as serde::de::Error>::unknown_field(&key, TOP_LEVEL)
                            .to_string(),
                    ),
                ),
            }
        }
    }

    /// Loads the specs of one kind from a file: each is checked and
    /// deserialized on its own, so that every broken spec is reported.
    fn load_specs<N, T>(
        &mut self,
        value: Value,
        scope: &Scope,
        kind: Kind,
        specs: &mut BTreeMap<N, T>,
        origins: &mut Origins,
    ) where
        N: Ord + Borrow<str> + TryFrom<String, Error = NameError>,
        T: Spec,
    {
        let map = match value {
            Value::Object(map) => map,
            Value::Null => return,
            other => {
                self.diagnostics.push(scope.diagnostic(
                    codes::INVALID_SPEC,
                    format!(
                        "invalid type: {}, expected a map of {} names to their specs",
                        kind_of(&other),
                        kind.singular()
                    ),
                ));
                return;
            }
        };
        for (name, mut value) in map {
            let spec_scope = scope.push(&name);
            let bare_test = kind == Kind::Test && value.is_array();
            let parsed_name = match N::try_from(name.clone()) {
                Ok(n) => Some(n),
                Err(e) => {
                    self.diagnostics
                        .push(spec_scope.diagnostic(codes::NAME_INVALID, e.message));
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
                    continue;
                }
            };
            let Some(parsed_name) = parsed_name else {
                continue;
            };
            if specs.contains_key(name.as_str()) {
                let entity = kind.singular();
                self.diagnostics.push(spec_scope.diagnostic(
                    codes::NAME_COLLISION,
                    format!(
                        "{entity} {name} collides with {entity} {name}, defined at {}",
                        origins.scope(kind, &name)
                    ),
                ));
                continue;
            }
            if bare_test {
                self.bare_tests.insert(name.clone());
            }
            specs.insert(parsed_name, spec);
            origins.record(kind, &name, spec_scope);
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
            let schema = Some(Schema(schema));
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
    serde_path_to_error::deserialize(value).map_err(|err| {
        let pointer = pointer_of(err.path());
        scope.join_pointer(&pointer).diagnostic(
            codes::INVALID_SPEC,
            format!("{} {name}: {}", kind.singular(), err.inner()),
        )
    })
}

/// A serde path as a JSON pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&crate::names::escape_token(key));
            }
            Segment::Enum { variant } => {
                pointer.push('/');
                pointer.push_str(&crate::names::escape_token(variant));
            }
            Segment::Unknown => {}
        }
    }
    pointer
}
