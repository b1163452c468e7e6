//! File references in specs, replaced by the content of their files.
//!
//! The slots that may hold a reference, and the rule for each, follow
//! flowctl: a config-like slot holding a JSON string without whitespace is
//! the URL of a file; a schema slot holding a string is the URL of a schema
//! (bundled, see `bundle.rs`); test `documents` holding a string is the URL
//! of a fixture file.

use serde_json::Value;
use url::Url;

use super::parse::{self, kind_of, Format};
use super::{source, Loader};
use crate::{
    codes, CaptureDef, CaptureEndpoint, Catalog, CollectionDef, DeriveUsing, MaterializationDef,
    MaterializationEndpoint, Scope, Shuffle, TestDef, TestDocuments, TestStep,
};
use crate::{Kind, Origins};

/// The content of a loaded file: a document, or text.
#[derive(Clone)]
pub(super) enum Resource {
    Document(Value),
    Text(String),
}

impl Resource {
    fn into_value(self) -> Value {
        match self {
            Resource::Document(v) => v,
            Resource::Text(s) => Value::String(s),
        }
    }
}

impl Loader {
    /// Replaces every file reference in the specs of `catalog` by its content.
    pub(super) fn inline_catalog(&mut self, catalog: &mut Catalog) {
        let Catalog {
            captures,
            collections,
            materializations,
            tests,
            origins,
            ..
        } = catalog;

        for (name, spec) in captures.iter_mut() {
            if self.validation_only {
                break;
            }
            if let Some((base, scope)) = self.spec_base(origins, Kind::Capture, name) {
                self.inline_capture(spec, &base, &scope);
            }
        }
        for (name, spec) in collections.iter_mut() {
            if let Some((base, scope)) = self.spec_base(origins, Kind::Collection, name) {
                self.inline_collection(spec, &base, &scope);
            }
        }
        for (name, spec) in materializations.iter_mut() {
            if self.validation_only {
                break;
            }
            if let Some((base, scope)) = self.spec_base(origins, Kind::Materialization, name) {
                self.inline_materialization(spec, &base, &scope);
            }
        }
        for (name, spec) in tests.iter_mut() {
            if let Some((base, scope)) = self.spec_base(origins, Kind::Test, name) {
                let steps = if self.bare_tests.contains(name.as_str()) {
                    scope.clone()
                } else {
                    scope.push("steps")
                };
                self.inline_test(spec, &base, &steps);
            }
        }
    }

    /// The URL that references of a spec resolve against, and its scope.
    fn spec_base(&mut self, origins: &Origins, kind: Kind, name: &str) -> Option<(Url, Scope)> {
        let scope = origins.scope(kind, name);
        let url = match self.urls.get(&scope.url) {
            Some(url) => url.clone(),
            None => {
                let url = Url::parse(&scope.url).ok();
                self.urls.insert(scope.url.clone(), url.clone());
                url
            }
        };
        let base = match url {
            Some(url) if url.scheme() == "file" => url,
            _ => self.cwd(&scope)?,
        };
        Some((base, scope))
    }

    fn inline_capture(&mut self, spec: &mut CaptureDef, base: &Url, scope: &Scope) {
        let endpoint = || scope.push("endpoint");
        match &mut spec.endpoint {
            CaptureEndpoint::Connector(c) => self.inline_config(&mut c.config, base, || {
                endpoint().push("connector").push("config")
            }),
            CaptureEndpoint::Local(l) => self.inline_config(&mut l.config, base, || {
                endpoint().push("local").push("config")
            }),
        }
        for (index, binding) in spec.bindings.iter_mut().enumerate() {
            self.inline_config(&mut binding.resource, base, || {
                scope.push("bindings").push_index(index).push("resource")
            });
        }
    }

    fn inline_materialization(&mut self, spec: &mut MaterializationDef, base: &Url, scope: &Scope) {
        let endpoint = || scope.push("endpoint");
        match &mut spec.endpoint {
            MaterializationEndpoint::Connector(c) => {
                self.inline_config(&mut c.config, base, || {
                    endpoint().push("connector").push("config")
                })
            }
            MaterializationEndpoint::Local(l) => self.inline_config(&mut l.config, base, || {
                endpoint().push("local").push("config")
            }),
            MaterializationEndpoint::Dekaf(d) => self.inline_config(&mut d.config, base, || {
                endpoint().push("dekaf").push("config")
            }),
        }
        for (index, binding) in spec.bindings.iter_mut().enumerate() {
            self.inline_config(&mut binding.resource, base, || {
                scope.push("bindings").push_index(index).push("resource")
            });
        }
    }

    fn inline_collection(&mut self, spec: &mut CollectionDef, base: &Url, scope: &Scope) {
        let scan = !self.ref_free.contains(&scope.url);
        if let Some(schema) = &mut spec.schema {
            self.bundle_schema_slot(schema, base, scan, || scope.push("schema"));
        }
        if let Some(schema) = &mut spec.write_schema {
            self.bundle_schema_slot(schema, base, scan, || scope.push("writeSchema"));
        }
        if let Some(schema) = &mut spec.read_schema {
            self.bundle_schema_slot(schema, base, scan, || scope.push("readSchema"));
        }
        let Some(derive) = &mut spec.derive else {
            return;
        };
        if self.validation_only {
            return;
        }
        let using = || scope.push("derive").push("using");
        match &mut derive.using {
            DeriveUsing::Connector(c) => self.inline_config(&mut c.config, base, || {
                using().push("connector").push("config")
            }),
            DeriveUsing::Local(l) => {
                self.inline_config(&mut l.config, base, || using().push("local").push("config"))
            }
            DeriveUsing::Sqlite(s) => {
                for (index, migration) in s.migrations.iter_mut().enumerate() {
                    self.inline_config(migration, base, || {
                        using().push("sqlite").push("migrations").push_index(index)
                    });
                }
            }
            DeriveUsing::Typescript(t) => self.inline_config(&mut t.module, base, || {
                using().push("typescript").push("module")
            }),
            DeriveUsing::Python(p) => self.inline_config(&mut p.module, base, || {
                using().push("python").push("module")
            }),
        }
        for (index, transform) in derive.transforms.iter_mut().enumerate() {
            let at = || scope.push("derive").push("transforms").push_index(index);
            if let Some(lambda) = &mut transform.lambda {
                self.inline_config(lambda, base, || at().push("lambda"));
            }
            if let Some(Shuffle::Lambda(lambda)) = &mut transform.shuffle {
                self.inline_config(lambda, base, || at().push("shuffle").push("lambda"));
            }
        }
    }

    fn inline_test(&mut self, spec: &mut TestDef, base: &Url, steps: &Scope) {
        for (index, step) in spec.steps.iter_mut().enumerate() {
            let (verb, documents) = match step {
                TestStep::Ingest(s) => ("ingest", &mut s.documents),
                TestStep::Verify(s) => ("verify", &mut s.documents),
            };
            let scope = || steps.push_index(index).push(verb).push("documents");
            match documents {
                TestDocuments::Url(reference) => {
                    let scope = scope();
                    let url = match source::resolve(base, reference, &scope, "load", false) {
                        Ok(url) => url,
                        Err(d) => {
                            self.diagnostics.push(d);
                            continue;
                        }
                    };
                    let Some(Resource::Document(value)) = self.fetch(&url, true, &scope) else {
                        continue;
                    };
                    match fixture_documents(value, &url) {
                        Ok(docs) => *documents = TestDocuments::Inline(docs),
                        Err(d) => self.diagnostics.push(d),
                    }
                }
                TestDocuments::Inline(docs) => {
                    for (i, doc) in docs.iter().enumerate() {
                        if !doc.is_object() {
                            self.diagnostics.push(scope().push_index(i).diagnostic(
                                codes::INVALID_SPEC,
                                format!(
                                    "test documents must be objects, but document {i} is {}",
                                    kind_of(doc)
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    /// Replaces a config-like value that is a file reference (a string
    /// without whitespace) with the file's content: a document for YAML or
    /// JSON files, else the text.
    fn inline_config(&mut self, value: &mut Value, base: &Url, scope: impl FnOnce() -> Scope) {
        let Value::String(reference) = value else {
            return;
        };
        if reference.is_empty() || reference.chars().any(char::is_whitespace) {
            return;
        }
        let scope = scope();
        let url = match source::resolve(base, reference, &scope, "load", false) {
            Ok(url) => url,
            Err(d) => {
                self.diagnostics.push(d);
                return;
            }
        };
        let is_document = source::is_document(&url);
        if let Some(resource) = self.fetch(&url, is_document, &scope) {
            *value = resource.into_value();
        }
    }

    /// The content of the file at `url`, read once. `document` says whether
    /// to parse it (without YAML merge keys, as flowctl does for files other
    /// than catalogs) or to take it as text.
    pub(super) fn fetch(&mut self, url: &Url, document: bool, scope: &Scope) -> Option<Resource> {
        let key = (url.clone(), document);
        if let Some(cached) = self.resources.get(&key) {
            return cached.clone();
        }
        let loaded = self.read_resource(url, document, scope);
        self.resources.insert(key, loaded.clone());
        loaded
    }

    fn read_resource(&mut self, url: &Url, document: bool, scope: &Scope) -> Option<Resource> {
        let bytes = match source::read(url, scope) {
            Ok(bytes) => bytes,
            Err(d) => {
                self.diagnostics.push(d);
                return None;
            }
        };
        let loaded = if document {
            parse::parse(&bytes, url.as_str(), Format::of(url.path()), false)
                .map(Resource::Document)
        } else {
            parse::utf8(&bytes, url.as_str()).map(|text| Resource::Text(text.to_owned()))
        };
        match loaded {
            Ok(resource) => Some(resource),
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }
}

/// The documents of a fixture file, which must be an array of objects.
fn fixture_documents(value: Value, url: &Url) -> Result<Vec<Value>, crate::Diagnostic> {
    let file = Scope::new(url.as_str());
    let Value::Array(docs) = value else {
        return Err(file.diagnostic(
            codes::INVALID_SPEC,
            format!(
                "test documents must be an array of objects, but {url} holds {}",
                kind_of(&value)
            ),
        ));
    };
    if let Some((i, doc)) = docs.iter().enumerate().find(|(_, d)| !d.is_object()) {
        return Err(file.push_index(i).diagnostic(
            codes::INVALID_SPEC,
            format!(
                "test documents must be objects, but document {i} is {}",
                kind_of(doc)
            ),
        ));
    }
    Ok(docs)
}
