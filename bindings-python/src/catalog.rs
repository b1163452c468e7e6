//! `Catalog`: the DSL entry points, load / validate / bundle / write, and
//! the `Specs` mappings (`catalog.collections[...]`).

use std::path::PathBuf;

use flowspec::{dsl, Kind};
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::convert::{to_json, to_python, Shape};
use crate::errors::{diagnostics, invalid_value, to_py_err};
use crate::handles::{self, Capture, Collection, Derivation, Materialization, Test};
use crate::options;
use crate::secrets::decrypt_options;
use flowspec::write::Format;

/// A Flow catalog: captures, collections and derivations,
/// materializations and tests, keyed by name.
///
/// >>> cat = flowspec.Catalog()
/// >>> cat.collection("acmeCo/anvils", schema={"type": "object"}, key=["/id"])
/// <Collection acmeCo/anvils: key ['/id']>
#[pyclass(module = "flowspec", name = "Catalog")]
#[derive(Default)]
pub struct Catalog {
    pub inner: flowspec::Catalog,
}

/// Runs `f` on the catalog behind `catalog`, mapping its error.
pub fn with_mut<R>(
    py: Python<'_>,
    catalog: &Py<Catalog>,
    f: impl FnOnce(&mut flowspec::Catalog) -> flowspec::Result<R>,
) -> PyResult<R> {
    let mut guard = catalog.bind(py).try_borrow_mut()?;
    f(&mut guard.inner).map_err(|e| to_py_err(py, e))
}

/// The JSON write options of keyword arguments.
fn write_options(
    layout: Option<&str>,
    recipients: Option<Vec<String>>,
    plaintext_secrets: bool,
    prune: bool,
) -> serde_json::Value {
    let mut o = serde_json::Map::new();
    if prune {
        o.insert("prune".into(), true.into());
    }
    if let Some(layout) = layout {
        o.insert("layout".into(), layout.into());
    }
    if let Some(recipients) = recipients {
        o.insert("recipients".into(), recipients.into());
    }
    if plaintext_secrets {
        o.insert("plaintextSecrets".into(), true.into());
    }
    serde_json::Value::Object(o)
}

impl Catalog {
    /// `to_yaml()` / `to_json()`.
    fn render(
        &self,
        py: Python<'_>,
        format: Format,
        recipients: Option<Vec<String>>,
        plaintext_secrets: bool,
    ) -> PyResult<String> {
        let options = write_options(None, recipients, plaintext_secrets, false);
        py.detach(|| dsl::render(&self.inner, format, options))
            .map_err(|e| to_py_err(py, e))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn path_str(py: Python<'_>, path: &std::path::Path) -> PyResult<String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid_value(py, format!("{}: the path is not UTF-8", path.display())))
}

#[pymethods]
impl Catalog {
    /// An empty catalog. Relative file references of its specs (a schema
    /// file, `typescript="module.ts"`, ...) resolve against `base_dir`: by
    /// default the current directory; typically the directory the catalog
    /// will be written to.
    #[new]
    #[pyo3(signature = (*, base_dir = None))]
    fn new(py: Python<'_>, base_dir: Option<PathBuf>) -> PyResult<Self> {
        let mut options = serde_json::Map::new();
        if let Some(dir) = base_dir {
            options.insert("baseDir".into(), path_str(py, &dir)?.into());
        }
        let inner = dsl::new_catalog(options.into()).map_err(|e| to_py_err(py, e))?;
        Ok(Catalog { inner })
    }

    /// Loads a catalog from a `flow.yaml` / `flow.json` file (or `"-"` for
    /// stdin), following imports and inlining file references. Encrypted
    /// configs stay encrypted unless `decrypt=True` (with `identity`, the
    /// text of age secret keys, or `key_file`, else the keys sops finds).
    #[staticmethod]
    #[pyo3(signature = (path, *, decrypt = false, identity = None, key_file = None, root = None, deny_outside_root = false))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        decrypt: bool,
        identity: Option<String>,
        key_file: Option<PathBuf>,
        root: Option<PathBuf>,
        deny_outside_root: bool,
    ) -> PyResult<Catalog> {
        let path = path_str(py, &path)?;
        let mut options = decrypt_options(identity, key_file, &[]);
        if decrypt {
            options["decrypt"] = true.into();
        }
        if let Some(root) = root {
            options["root"] = path_str(py, &root)?.into();
        }
        if deny_outside_root {
            options["denyOutsideRoot"] = true.into();
        }
        let inner = py
            .detach(|| dsl::load(&path, options))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Catalog { inner })
    }

    /// Decrypts every sops-encrypted config in place (keeping their `_sops`
    /// keys, so writing encrypts them again); returns how many.
    #[pyo3(signature = (*, identity = None, key_file = None))]
    fn decrypt_secrets(
        &mut self,
        py: Python<'_>,
        identity: Option<String>,
        key_file: Option<PathBuf>,
    ) -> PyResult<usize> {
        let options = decrypt_options(identity, key_file, &[]);
        let inner = &mut self.inner;
        py.detach(|| dsl::decrypt_secrets(inner, options))
            .map_err(|e| to_py_err(py, e))
    }

    /// Adds a capture; returns its handle.
    #[pyo3(signature = (name, **options))]
    fn capture(
        slf: &Bound<'_, Self>,
        name: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Capture> {
        let py = slf.py();
        let o = options::build(py, "Catalog.capture()", options::CAPTURE, &[], options)?;
        with_mut(py, &slf.clone().unbind(), |c| dsl::capture(c, name, o))?;
        Ok(Capture::new(slf, name))
    }

    /// Adds a collection; returns its handle.
    #[pyo3(signature = (name, **options))]
    fn collection(
        slf: &Bound<'_, Self>,
        name: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Collection> {
        let py = slf.py();
        let o = options::build(
            py,
            "Catalog.collection()",
            options::COLLECTION,
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| dsl::collection(c, name, o))?;
        Ok(Collection::new(slf, name))
    }

    /// Adds a derivation (a collection derived by transforms); returns its handle.
    #[pyo3(signature = (name, **options))]
    fn derivation<'py>(
        slf: &Bound<'py, Self>,
        name: &str,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, Derivation>> {
        let py = slf.py();
        let o = options::build(
            py,
            "Catalog.derivation()",
            options::DERIVATION,
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| dsl::derivation(c, name, o))?;
        Derivation::create(slf, name)
    }

    /// Adds a materialization; returns its handle.
    #[pyo3(signature = (name, **options))]
    fn materialization(
        slf: &Bound<'_, Self>,
        name: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Materialization> {
        let py = slf.py();
        let o = options::build(
            py,
            "Catalog.materialization()",
            options::MATERIALIZATION,
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| {
            dsl::materialization(c, name, o)
        })?;
        Ok(Materialization::new(slf, name))
    }

    /// Adds a test; returns its handle.
    #[pyo3(signature = (name, **options))]
    fn test(
        slf: &Bound<'_, Self>,
        name: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Test> {
        let py = slf.py();
        let o = options::build(py, "Catalog.test()", options::TEST, &[], options)?;
        with_mut(py, &slf.clone().unbind(), |c| dsl::test(c, name, o))?;
        Ok(Test::new(slf, name))
    }

    /// Checks the catalog offline; returns the warnings, or raises
    /// `ValidationError` listing every problem.
    fn validate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let warnings = py
            .detach(|| self.inner.validate())
            .map_err(|e| to_py_err(py, e))?;
        diagnostics(py, &warnings)
    }

    /// A copy of the catalog with every file reference inlined.
    fn bundle(&self, py: Python<'_>) -> PyResult<Catalog> {
        let inner = py
            .detach(|| self.inner.bundle())
            .map_err(|e| to_py_err(py, e))?;
        Ok(Catalog { inner })
    }

    /// The catalog as one YAML document. Configs holding secrets are
    /// encrypted to `recipients` (else `SOPS_AGE_RECIPIENTS` or
    /// `.sops.yaml`); without any, this raises `SecretsError` unless
    /// `plaintext_secrets=True`.
    #[pyo3(signature = (*, recipients = None, plaintext_secrets = false))]
    fn to_yaml(
        &self,
        py: Python<'_>,
        recipients: Option<Vec<String>>,
        plaintext_secrets: bool,
    ) -> PyResult<String> {
        self.render(py, Format::Yaml, recipients, plaintext_secrets)
    }

    /// The catalog as one JSON document, its secrets encrypted as by
    /// `to_yaml()`.
    #[pyo3(signature = (*, recipients = None, plaintext_secrets = false))]
    fn to_json(
        &self,
        py: Python<'_>,
        recipients: Option<Vec<String>>,
        plaintext_secrets: bool,
    ) -> PyResult<String> {
        self.render(py, Format::Json, recipients, plaintext_secrets)
    }

    /// The catalog as a dict in the model's (camelCase) form.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(&self.inner)
            .map_err(|e| invalid_value(py, format!("cannot convert the catalog: {e}")))?;
        to_python(py, &value)
    }

    /// Writes the catalog to `path` (`.yaml`, `.yml` or `.json`) in the
    /// `"flat"` (one file) or `"canonical"` (split) layout; returns the
    /// files written. Configs holding secrets are encrypted to `recipients`
    /// (else `SOPS_AGE_RECIPIENTS` or `.sops.yaml`); without any, nothing is
    /// written and `SecretsError` is raised, unless `plaintext_secrets=True`.
    #[pyo3(signature = (path, *, layout = "flat", recipients = None, plaintext_secrets = false, prune = false))]
    fn write(
        &self,
        py: Python<'_>,
        path: PathBuf,
        layout: &str,
        recipients: Option<Vec<String>>,
        plaintext_secrets: bool,
        prune: bool,
    ) -> PyResult<Vec<PathBuf>> {
        if !matches!(layout, "flat" | "canonical") {
            return Err(invalid_value(
                py,
                format!("layout must be \"flat\" or \"canonical\", not {layout:?}"),
            ));
        }
        let target = path_str(py, &path)?;
        let options = write_options(Some(layout), recipients, plaintext_secrets, prune);
        let written = py
            .detach(|| dsl::write(&self.inner, &target, options))
            .map_err(|e| to_py_err(py, e))?;
        if let Some(warning) = written.stale_warning() {
            let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
            PyErr::warn(py, &category, &std::ffi::CString::new(warning)?, 1)?;
        }
        Ok(written.files)
    }

    /// The captures, by name.
    #[getter]
    fn captures(slf: &Bound<'_, Self>) -> Specs {
        Specs::new(slf, Kind::Capture)
    }

    /// The collections and derivations, by name.
    #[getter]
    fn collections(slf: &Bound<'_, Self>) -> Specs {
        Specs::new(slf, Kind::Collection)
    }

    /// The materializations, by name.
    #[getter]
    fn materializations(slf: &Bound<'_, Self>) -> Specs {
        Specs::new(slf, Kind::Materialization)
    }

    /// The tests, by name.
    #[getter]
    fn tests(slf: &Bound<'_, Self>) -> Specs {
        Specs::new(slf, Kind::Test)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        match other.cast::<Catalog>() {
            Ok(other) => match other.try_borrow() {
                Ok(other) => self.inner == other.inner,
                Err(_) => false,
            },
            Err(_) => false,
        }
    }

    fn __repr__(&self) -> String {
        let c = &self.inner;
        let derivations = c
            .collections
            .values()
            .filter(|d| d.derive.is_some())
            .count();
        let mut collections = plural(c.collections.len(), "collection", "collections");
        if derivations > 0 {
            collections.push_str(&format!(
                " ({})",
                plural(derivations, "derivation", "derivations")
            ));
        }
        format!(
            "<Catalog: {}, {}, {}, {}>",
            plural(c.captures.len(), "capture", "captures"),
            collections,
            plural(
                c.materializations.len(),
                "materialization",
                "materializations"
            ),
            plural(c.tests.len(), "test", "tests"),
        )
    }
}

/// The specs of one kind in a catalog, by name: a mutable mapping from
/// names to handles.
///
/// >>> cat = flowspec.Catalog()
/// >>> cat.collections["acmeCo/anvils"] = {"schema": {"type": "object"}, "key": ["/id"]}
/// >>> "acmeCo/anvils" in cat.collections, len(cat.collections)
/// (True, 1)
/// >>> del cat.collections["acmeCo/anvils"]
#[pyclass(module = "flowspec", frozen)]
pub struct Specs {
    catalog: Py<Catalog>,
    kind: Kind,
}

impl Specs {
    fn new(catalog: &Bound<'_, Catalog>, kind: Kind) -> Self {
        Self {
            catalog: catalog.clone().unbind(),
            kind,
        }
    }

    fn names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let guard = self.catalog.bind(py).try_borrow()?;
        Ok(dsl::names(&guard.inner, self.kind))
    }

    fn exists(&self, py: Python<'_>, name: &str) -> PyResult<bool> {
        let guard = self.catalog.bind(py).try_borrow()?;
        let c = &guard.inner;
        Ok(match self.kind {
            Kind::Capture => c.captures.contains_key(name),
            Kind::Collection => c.collections.contains_key(name),
            Kind::Materialization => c.materializations.contains_key(name),
            Kind::Test => c.tests.contains_key(name),
        })
    }

    fn missing(&self, name: &str) -> PyErr {
        PyKeyError::new_err(format!(
            "{} {name} is not in the catalog",
            self.kind.singular()
        ))
    }
}

#[pymethods]
impl Specs {
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        let guard = self.catalog.bind(py).try_borrow()?;
        let c = &guard.inner;
        Ok(match self.kind {
            Kind::Capture => c.captures.len(),
            Kind::Collection => c.collections.len(),
            Kind::Materialization => c.materializations.len(),
            Kind::Test => c.tests.len(),
        })
    }

    fn __contains__(&self, py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<bool> {
        match name.cast::<PyString>() {
            Ok(name) => self.exists(py, &name.to_cow()?),
            Err(_) => Ok(false),
        }
    }

    fn __getitem__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        if !self.exists(py, name)? {
            return Err(self.missing(name));
        }
        handles::handle(self.catalog.bind(py), self.kind, name)
    }

    /// Replaces (or adds) the spec `name`, given as a dict in the model's
    /// (camelCase) form.
    fn __setitem__(&self, py: Python<'_>, name: &str, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        let spec = to_json(spec, &Shape::Opaque, "spec")?;
        with_mut(py, &self.catalog, |c| dsl::set(c, self.kind, name, spec))
    }

    fn __delitem__(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        let mut guard = self.catalog.bind(py).try_borrow_mut()?;
        if dsl::remove(&mut guard.inner, self.kind, name) {
            Ok(())
        } else {
            Err(self.missing(name))
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.names(py)?)?.try_iter()?.into_any())
    }

    /// The names, sorted.
    fn keys(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.names(py)
    }

    /// The handles, sorted by name.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let catalog = self.catalog.bind(py);
        self.names(py)?
            .iter()
            .map(|n| handles::handle(catalog, self.kind, n))
            .collect()
    }

    /// `(name, handle)` pairs, sorted by name.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        let catalog = self.catalog.bind(py);
        self.names(py)?
            .iter()
            .map(|n| {
                let h = handles::handle(catalog, self.kind, n)?;
                PyTuple::new(py, [PyString::new(py, n).into_any(), h])
            })
            .collect()
    }

    /// The handle of `name`, or `default` if there is no such spec.
    #[pyo3(signature = (name, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        name: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fallback = || default.clone().unwrap_or_else(|| py.None().into_bound(py));
        let Ok(name) = name.cast::<PyString>() else {
            return Err(PyTypeError::new_err("spec names are strings"));
        };
        let name = name.to_cow()?;
        let name: &str = &name;
        if self.exists(py, name)? {
            handles::handle(self.catalog.bind(py), self.kind, name)
        } else {
            Ok(fallback())
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        match self.__len__(py) {
            Ok(n) => format!("<Specs {}: {n}>", self.kind.plural()),
            Err(_) => format!("<Specs {}>", self.kind.plural()),
        }
    }
}
