//! Handles: a spec of a catalog, by name. Their methods add to the spec and
//! return the handle, so calls chain; `.spec` reads and replaces it.

use flowspec::{json_api, CaptureEndpoint, DeriveUsing, Kind, MaterializationEndpoint};
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::catalog::{read, with_mut, Catalog};
use crate::convert::{to_json, to_python, Shape};
use crate::options;

/// A spec's place: its catalog and name.
pub struct Handle {
    catalog: Py<Catalog>,
    name: String,
}

impl Handle {
    fn new(catalog: &Bound<'_, Catalog>, name: &str) -> Self {
        Self {
            catalog: catalog.clone().unbind(),
            name: name.to_string(),
        }
    }

    fn spec<'py>(&self, py: Python<'py>, kind: Kind) -> PyResult<Bound<'py, PyAny>> {
        let value = {
            let guard = read(self.catalog.bind(py))?;
            json_api::get(&guard.inner, kind, &self.name)
        };
        match value {
            Some(v) => to_python(py, &v),
            None => Err(PyKeyError::new_err(format!(
                "{} {} is not in the catalog",
                kind.singular(),
                self.name
            ))),
        }
    }

    fn set_spec(&self, py: Python<'_>, kind: Kind, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        let spec = to_json(spec, &Shape::Opaque, "spec")?;
        with_mut(py, &self.catalog, |c| {
            json_api::set(c, kind, &self.name, spec)
        })
    }

    /// Adds to the spec through a `json_api` call taking `(catalog, name, options)`.
    fn add(
        &self,
        py: Python<'_>,
        call: &str,
        table: &[options::Opt],
        positional: &[(&str, &Bound<'_, PyAny>)],
        kwargs: Option<&Bound<'_, PyDict>>,
        f: fn(&mut flowspec::Catalog, &str, serde_json::Value) -> flowspec::Result<()>,
    ) -> PyResult<()> {
        let o = options::build(py, call, table, positional, kwargs)?;
        with_mut(py, &self.catalog, |c| f(c, &self.name, o))
    }

    /// `<Kind name: summary>`, from the typed spec (never config values).
    fn repr(
        &self,
        py: Python<'_>,
        class: &str,
        summary: impl FnOnce(&flowspec::Catalog) -> Option<String>,
    ) -> String {
        let described = match read(self.catalog.bind(py)) {
            Ok(guard) => summary(&guard.inner),
            Err(_) => return format!("<{class} {}>", self.name),
        };
        match described {
            Some(s) => format!("<{class} {}: {s}>", self.name),
            None => format!("<{class} {} (not in the catalog)>", self.name),
        }
    }

    fn eq(&self, other: &Handle) -> bool {
        self.catalog.is(&other.catalog) && self.name == other.name
    }
}

fn count(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

fn key_list(key: &[flowspec::JsonPointer]) -> String {
    let items: Vec<String> = key.iter().map(|k| format!("'{}'", k.as_str())).collect();
    format!("[{}]", items.join(", "))
}

fn hash_name(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}

/// The spec of `value` as JSON when it is the handle of a spec of `kind`
/// (to copy it, maybe into another catalog); `None` when it is no handle.
pub fn spec_of(value: &Bound<'_, PyAny>, kind: Kind) -> PyResult<Option<serde_json::Value>> {
    let (h, of) = if let Ok(c) = value.cast::<Capture>() {
        (&c.get().h, Kind::Capture)
    } else if let Ok(c) = value.cast::<Collection>() {
        (&c.get().h, Kind::Collection)
    } else if let Ok(m) = value.cast::<Materialization>() {
        (&m.get().h, Kind::Materialization)
    } else if let Ok(t) = value.cast::<Test>() {
        (&t.get().h, Kind::Test)
    } else {
        return Ok(None);
    };
    if of != kind {
        return Err(PyTypeError::new_err(format!(
            "the {} {} cannot be a {} spec",
            of.singular(),
            h.name,
            kind.singular()
        )));
    }
    let py = value.py();
    let guard = read(h.catalog.bind(py))?;
    match json_api::get(&guard.inner, kind, &h.name) {
        Some(spec) => Ok(Some(spec)),
        None => Err(PyKeyError::new_err(format!(
            "{} {} is not in the catalog",
            kind.singular(),
            h.name
        ))),
    }
}

/// The handle of an existing spec (a `Derivation` for a derived collection).
pub fn handle<'py>(
    catalog: &Bound<'py, Catalog>,
    kind: Kind,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = catalog.py();
    Ok(match kind {
        Kind::Capture => Bound::new(py, Capture::new(catalog, name))?.into_any(),
        Kind::Materialization => Bound::new(py, Materialization::new(catalog, name))?.into_any(),
        Kind::Test => Bound::new(py, Test::new(catalog, name))?.into_any(),
        Kind::Collection => {
            let derived = read(catalog)?
                .inner
                .collections
                .get(name)
                .is_some_and(|d| d.derive.is_some());
            if derived {
                Derivation::create(catalog, name)?.into_any()
            } else {
                Bound::new(py, Collection::new(catalog, name))?.into_any()
            }
        }
    })
}

/// A capture in a catalog.
///
/// >>> cat = flowspec.Catalog()
/// >>> cap = cat.capture("acmeCo/source-hello", image="ghcr.io/estuary/source-hello-world:dev", config={})
/// >>> cap.binding({"name": "greetings"}, target="acmeCo/greetings")
/// <Capture acmeCo/source-hello: ghcr.io/estuary/source-hello-world:dev, 1 binding>
#[pyclass(module = "flowspec", frozen)]
pub struct Capture {
    h: Handle,
}

impl Capture {
    pub fn new(catalog: &Bound<'_, Catalog>, name: &str) -> Self {
        Self {
            h: Handle::new(catalog, name),
        }
    }
}

#[pymethods]
impl Capture {
    /// Adds a binding of an endpoint resource to a target collection.
    #[pyo3(signature = (resource, target, **options))]
    fn binding<'py>(
        slf: &Bound<'py, Self>,
        resource: &Bound<'py, PyAny>,
        target: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        slf.get().h.add(
            slf.py(),
            "Capture.binding()",
            options::table("captureBinding"),
            &[("resource", resource), ("target", target)],
            options,
            json_api::capture_binding,
        )?;
        Ok(slf.clone())
    }

    /// The capture's name.
    #[getter]
    fn name(&self) -> &str {
        &self.h.name
    }

    /// The catalog holding the capture.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> Py<Catalog> {
        self.h.catalog.clone_ref(py)
    }

    /// The spec as a dict in the model's (camelCase) form; assign a dict to
    /// replace it.
    #[getter]
    fn get_spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.h.spec(py, Kind::Capture)
    }

    #[setter]
    fn set_spec(&self, py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        self.h.set_spec(py, Kind::Capture, spec)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Capture>().is_ok_and(|o| self.h.eq(&o.get().h))
    }

    fn __hash__(&self) -> u64 {
        hash_name(&self.h.name)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.h.repr(py, "Capture", |c| {
            c.captures.get(self.h.name.as_str()).map(|d| {
                let endpoint = match &d.endpoint {
                    CaptureEndpoint::Connector(c) => c.image.clone(),
                    CaptureEndpoint::Local(_) => "local command".to_string(),
                };
                format!("{endpoint}, {}", count(d.bindings.len(), "binding"))
            })
        })
    }
}

/// A collection in a catalog (`Derivation` is the handle of a derived one).
///
/// >>> cat = flowspec.Catalog()
/// >>> cat.collection("acmeCo/anvils", schema={"type": "object"}, key=["/id"])
/// <Collection acmeCo/anvils: key ['/id']>
#[pyclass(module = "flowspec", frozen, subclass)]
pub struct Collection {
    h: Handle,
}

impl Collection {
    pub fn new(catalog: &Bound<'_, Catalog>, name: &str) -> Self {
        Self {
            h: Handle::new(catalog, name),
        }
    }
}

#[pymethods]
impl Collection {
    /// The collection's name.
    #[getter]
    fn name(&self) -> &str {
        &self.h.name
    }

    /// The catalog holding the collection.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> Py<Catalog> {
        self.h.catalog.clone_ref(py)
    }

    /// The spec as a dict in the model's (camelCase) form; assign a dict to
    /// replace it.
    #[getter]
    fn get_spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.h.spec(py, Kind::Collection)
    }

    #[setter]
    fn set_spec(&self, py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        self.h.set_spec(py, Kind::Collection, spec)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Collection>()
            .is_ok_and(|o| self.h.eq(&o.get().h))
    }

    fn __hash__(&self) -> u64 {
        hash_name(&self.h.name)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        let this = slf.get();
        let derivation = slf.is_instance_of::<Derivation>();
        let class = if derivation {
            "Derivation"
        } else {
            "Collection"
        };
        this.h.repr(slf.py(), class, |c| {
            c.collections.get(this.h.name.as_str()).map(|d| {
                let key = format!("key {}", key_list(&d.key));
                match &d.derive {
                    None => key,
                    Some(derive) => {
                        let using = match &derive.using {
                            DeriveUsing::Connector(c) => c.image.as_str(),
                            DeriveUsing::Sqlite(_) => "sqlite",
                            DeriveUsing::Typescript(_) => "typescript",
                            DeriveUsing::Python(_) => "python",
                            DeriveUsing::Local(_) => "local command",
                        };
                        format!(
                            "{using}, {}, {key}",
                            count(derive.transforms.len(), "transform")
                        )
                    }
                }
            })
        })
    }
}

/// A derivation in a catalog: a collection derived from others by
/// transforms.
///
/// >>> cat = flowspec.Catalog()
/// >>> d = cat.derivation("acmeCo/totals", schema={"type": "object"}, key=["/id"], sqlite=[])
/// >>> d.transform("fromItems", source="acmeCo/items", shuffle=["/id"], lambda_="SELECT $id AS id;")
/// <Derivation acmeCo/totals: sqlite, 1 transform, key ['/id']>
#[pyclass(module = "flowspec", frozen, extends = Collection)]
pub struct Derivation;

impl Derivation {
    pub fn create<'py>(catalog: &Bound<'py, Catalog>, name: &str) -> PyResult<Bound<'py, Self>> {
        let init =
            PyClassInitializer::from(Collection::new(catalog, name)).add_subclass(Derivation);
        Bound::new(catalog.py(), init)
    }
}

#[pymethods]
impl Derivation {
    /// Adds a transform reading `source`.
    #[pyo3(signature = (name, source, **options))]
    fn transform<'py>(
        slf: &Bound<'py, Self>,
        name: &Bound<'py, PyAny>,
        source: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        slf.as_super().get().h.add(
            slf.py(),
            "Derivation.transform()",
            options::table("transform"),
            &[("name", name), ("source", source)],
            options,
            json_api::transform,
        )?;
        Ok(slf.clone())
    }
}

/// A materialization in a catalog.
///
/// >>> cat = flowspec.Catalog()
/// >>> m = cat.materialization("acmeCo/to-postgres", image="ghcr.io/estuary/materialize-postgres:dev", config={})
/// >>> m.binding({"table": "anvils"}, source="acmeCo/anvils")
/// <Materialization acmeCo/to-postgres: ghcr.io/estuary/materialize-postgres:dev, 1 binding>
#[pyclass(module = "flowspec", frozen)]
pub struct Materialization {
    h: Handle,
}

impl Materialization {
    pub fn new(catalog: &Bound<'_, Catalog>, name: &str) -> Self {
        Self {
            h: Handle::new(catalog, name),
        }
    }
}

#[pymethods]
impl Materialization {
    /// Adds a binding of a source collection to an endpoint resource.
    #[pyo3(signature = (resource, source, **options))]
    fn binding<'py>(
        slf: &Bound<'py, Self>,
        resource: &Bound<'py, PyAny>,
        source: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        slf.get().h.add(
            slf.py(),
            "Materialization.binding()",
            options::table("materializationBinding"),
            &[("resource", resource), ("source", source)],
            options,
            json_api::materialization_binding,
        )?;
        Ok(slf.clone())
    }

    /// The materialization's name.
    #[getter]
    fn name(&self) -> &str {
        &self.h.name
    }

    /// The catalog holding the materialization.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> Py<Catalog> {
        self.h.catalog.clone_ref(py)
    }

    /// The spec as a dict in the model's (camelCase) form; assign a dict to
    /// replace it.
    #[getter]
    fn get_spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.h.spec(py, Kind::Materialization)
    }

    #[setter]
    fn set_spec(&self, py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        self.h.set_spec(py, Kind::Materialization, spec)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Materialization>()
            .is_ok_and(|o| self.h.eq(&o.get().h))
    }

    fn __hash__(&self) -> u64 {
        hash_name(&self.h.name)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.h.repr(py, "Materialization", |c| {
            c.materializations.get(self.h.name.as_str()).map(|d| {
                let endpoint = match &d.endpoint {
                    MaterializationEndpoint::Connector(c) => c.image.clone(),
                    MaterializationEndpoint::Dekaf(d) => format!("dekaf {}", d.variant),
                    MaterializationEndpoint::Local(_) => "local command".to_string(),
                };
                format!("{endpoint}, {}", count(d.bindings.len(), "binding"))
            })
        })
    }
}

/// A test in a catalog: documents to ingest and the documents to expect.
///
/// >>> cat = flowspec.Catalog()
/// >>> t = cat.test("acmeCo/tests/greetings", description="Greetings pass through.")
/// >>> t.ingest("acmeCo/greetings", [{"id": 1}]).verify("acmeCo/greetings", [{"id": 1}])
/// <Test acmeCo/tests/greetings: 2 steps>
#[pyclass(module = "flowspec", frozen)]
pub struct Test {
    h: Handle,
}

impl Test {
    pub fn new(catalog: &Bound<'_, Catalog>, name: &str) -> Self {
        Self {
            h: Handle::new(catalog, name),
        }
    }
}

#[pymethods]
impl Test {
    /// Not a pytest test class (pytest collects classes named `Test*`).
    #[classattr]
    #[pyo3(name = "__test__")]
    fn not_a_pytest_class() -> bool {
        false
    }

    /// Adds a step that ingests `documents` into `collection`.
    #[pyo3(signature = (collection, documents, **options))]
    fn ingest<'py>(
        slf: &Bound<'py, Self>,
        collection: &Bound<'py, PyAny>,
        documents: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        slf.get().h.add(
            slf.py(),
            "Test.ingest()",
            options::table("ingest"),
            &[("collection", collection), ("documents", documents)],
            options,
            json_api::ingest,
        )?;
        Ok(slf.clone())
    }

    /// Adds a step that verifies `collection` holds `documents`.
    #[pyo3(signature = (collection, documents, **options))]
    fn verify<'py>(
        slf: &Bound<'py, Self>,
        collection: &Bound<'py, PyAny>,
        documents: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Self>> {
        slf.get().h.add(
            slf.py(),
            "Test.verify()",
            options::table("verify"),
            &[("collection", collection), ("documents", documents)],
            options,
            json_api::verify,
        )?;
        Ok(slf.clone())
    }

    /// The test's name.
    #[getter]
    fn name(&self) -> &str {
        &self.h.name
    }

    /// The catalog holding the test.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> Py<Catalog> {
        self.h.catalog.clone_ref(py)
    }

    /// The spec as a dict in the model's (camelCase) form; assign a dict to
    /// replace it.
    #[getter]
    fn get_spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.h.spec(py, Kind::Test)
    }

    #[setter]
    fn set_spec(&self, py: Python<'_>, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        self.h.set_spec(py, Kind::Test, spec)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Test>().is_ok_and(|o| self.h.eq(&o.get().h))
    }

    fn __hash__(&self) -> u64 {
        hash_name(&self.h.name)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        self.h.repr(py, "Test", |c| {
            c.tests
                .get(self.h.name.as_str())
                .map(|d| count(d.steps.len(), "step"))
        })
    }
}
