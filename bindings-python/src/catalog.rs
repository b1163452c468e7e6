//! `Catalog`: the DSL entry points, load / validate / bundle / write, and
//! the `Specs` mappings (`catalog.collections[...]`).

use std::path::PathBuf;

use flowspec::{json_api, Kind};
use pyo3::exceptions::{PyKeyError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::convert::{to_json, to_python, Shape};
use crate::errors::{diagnostics, invalid_spec, to_py_err};
use crate::handles::{self, Capture, Collection, Derivation, Materialization, Test};
use crate::options;
use crate::secrets::decrypt_options;
use flowspec::write::Format;

/// A Flow catalog: captures, collections and derivations,
/// materializations and tests, keyed by name.
///
/// It may be shared between threads: reads may overlap, but a change needs
/// the catalog to itself, and is otherwise a ``RuntimeError`` ("the catalog
/// is in use by another thread..."), as is a read while another thread
/// changes it.
///
/// >>> cat = flowspec.Catalog()
/// >>> cat.collection("acmeCo/anvils", schema={"type": "object"}, key=["/id"])
/// <Collection acmeCo/anvils: key ['/id']>
#[pyclass(module = "flowspec", name = "Catalog")]
#[derive(Default)]
pub struct Catalog {
    pub inner: flowspec::Catalog,
}

/// The error of using a catalog that another thread, or a call that has
/// not returned, is using in a way that excludes this use.
fn in_use() -> PyErr {
    PyRuntimeError::new_err(
        "the catalog is in use by another thread, or by a call that has not returned: a \
         Catalog may be read by several threads at once, but changed only while nothing else \
         uses it (see Threads in flowspec's README)",
    )
}

/// The catalog, to read: it may be read by several threads at once.
pub fn read<'py>(catalog: &Bound<'py, Catalog>) -> PyResult<PyRef<'py, Catalog>> {
    catalog.try_borrow().map_err(|_| in_use())
}

/// The catalog, to change: no other thread may be using it.
pub fn change<'py>(catalog: &Bound<'py, Catalog>) -> PyResult<PyRefMut<'py, Catalog>> {
    catalog.try_borrow_mut().map_err(|_| in_use())
}

/// Runs `f` on the catalog behind `catalog`, mapping its error.
pub fn with_mut<R>(
    py: Python<'_>,
    catalog: &Py<Catalog>,
    f: impl FnOnce(&mut flowspec::Catalog) -> flowspec::Result<R>,
) -> PyResult<R> {
    let mut guard = change(catalog.bind(py))?;
    f(&mut guard.inner).map_err(|e| to_py_err(py, e))
}

/// The JSON write options of keyword arguments.
fn write_options(
    layout: Option<&str>,
    recipients: Option<&Bound<'_, PyAny>>,
    plaintext_secrets: bool,
    prune: bool,
) -> PyResult<serde_json::Value> {
    let mut o = serde_json::Map::new();
    if prune {
        o.insert("prune".into(), true.into());
    }
    if let Some(layout) = layout {
        o.insert("layout".into(), layout.into());
    }
    if let Some(recipients) = options::strings(recipients, "recipients")? {
        o.insert("recipients".into(), recipients.into());
    }
    if plaintext_secrets {
        o.insert("plaintextSecrets".into(), true.into());
    }
    Ok(serde_json::Value::Object(o))
}

impl Catalog {
    /// `to_yaml()` / `to_json()`.
    fn render(
        slf: &Bound<'_, Self>,
        format: Format,
        recipients: Option<&Bound<'_, PyAny>>,
        plaintext_secrets: bool,
    ) -> PyResult<String> {
        let py = slf.py();
        let options = write_options(None, recipients, plaintext_secrets, false)?;
        let this = read(slf)?;
        let inner = &this.inner;
        py.detach(|| json_api::render(inner, format, options))
            .map_err(|e| to_py_err(py, e))
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn path_str(py: Python<'_>, path: &std::path::Path) -> PyResult<String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid_spec(py, path.display().to_string(), "the path is not UTF-8"))
}

#[pymethods]
impl Catalog {
    /// An empty catalog. Relative file references of its specs (a schema
    /// file, `typescript="module.ts"`, ...) resolve against `base_dir`: by
    /// default the current directory; typically the directory the catalog
    /// will be written to.
    #[new]
    #[pyo3(signature = (*, base_dir = None, root = None, deny_outside_root = false))]
    fn new(
        py: Python<'_>,
        base_dir: Option<PathBuf>,
        root: Option<PathBuf>,
        deny_outside_root: bool,
    ) -> PyResult<Self> {
        let mut options = serde_json::Map::new();
        if let Some(dir) = base_dir {
            options.insert("baseDir".into(), path_str(py, &dir)?.into());
        }
        if let Some(dir) = root {
            options.insert("root".into(), path_str(py, &dir)?.into());
        }
        if deny_outside_root {
            options.insert("denyOutsideRoot".into(), true.into());
        }
        let inner = json_api::new_catalog(options.into()).map_err(|e| to_py_err(py, e))?;
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
            .detach(|| json_api::load(&path, options))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Catalog { inner })
    }

    /// Decrypts every sops-encrypted config in place (keeping their `_sops`
    /// keys, so writing encrypts them again); returns how many.
    #[pyo3(signature = (*, identity = None, key_file = None))]
    fn decrypt_secrets(
        slf: &Bound<'_, Self>,
        identity: Option<String>,
        key_file: Option<PathBuf>,
    ) -> PyResult<usize> {
        let py = slf.py();
        let options = decrypt_options(identity, key_file, &[]);
        let mut this = change(slf)?;
        let inner = &mut this.inner;
        py.detach(|| json_api::decrypt_secrets(inner, options))
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
        let o = options::build(
            py,
            "Catalog.capture()",
            options::table("capture"),
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| json_api::capture(c, name, o))?;
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
            options::table("collection"),
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| {
            json_api::collection(c, name, o)
        })?;
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
            options::table("derivation"),
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| {
            json_api::derivation(c, name, o)
        })?;
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
            options::table("materialization"),
            &[],
            options,
        )?;
        with_mut(py, &slf.clone().unbind(), |c| {
            json_api::materialization(c, name, o)
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
        let o = options::build(py, "Catalog.test()", options::table("test"), &[], options)?;
        with_mut(py, &slf.clone().unbind(), |c| json_api::test(c, name, o))?;
        Ok(Test::new(slf, name))
    }

    /// Checks the catalog offline; returns the warnings, or raises
    /// `ValidationError` listing every problem.
    fn validate<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let py = slf.py();
        let this = read(slf)?;
        let inner = &this.inner;
        let warnings = py
            .detach(|| inner.validate())
            .map_err(|e| to_py_err(py, e))?;
        diagnostics(py, &warnings)
    }

    /// Publishes the catalog to a control plane, as ``flowctl catalog
    /// publish --auto-approve`` does; returns the publication (``status``,
    /// ``pub_id``, ``specs``, ``pruned``, ``logs``...). Options: ``profile``
    /// or ``control_plane`` (a ``LocalControlPlane``), ``default_data_plane``,
    /// ``keep_sops``, ``source``.
    #[pyo3(signature = (**kwargs))]
    fn publish<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let options = crate::publish::publish_options(py, "publish", kwargs)?;
        let this = read(slf)?;
        let inner = &this.inner;
        let published = py
            .detach(|| json_api::publish(inner, options))
            .map_err(|e| to_py_err(py, e))?;
        crate::publish::result(py, &published)
    }

    /// ``publish``, awaitable (it runs on a worker thread).
    #[pyo3(signature = (**kwargs))]
    fn publish_async<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::publish::in_thread(slf.getattr("publish")?, kwargs)
    }

    /// What publishing the catalog would change (``flowspec catalog
    /// diff``): every spec as create, update, delete or unchanged, with the
    /// locations that differ; secrets by name only. Options: ``profile`` or
    /// ``control_plane``, ``source``, ``identity``, ``key_file``.
    #[pyo3(signature = (**kwargs))]
    fn plan<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let options = crate::publish::publish_options(py, "plan", kwargs)?;
        let this = read(slf)?;
        let inner = &this.inner;
        let plan = py
            .detach(|| json_api::plan(inner, options))
            .map_err(|e| to_py_err(py, e))?;
        crate::publish::result(py, &plan)
    }

    /// ``plan``, awaitable (it runs on a worker thread).
    #[pyo3(signature = (**kwargs))]
    fn plan_async<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::publish::in_thread(slf.getattr("plan")?, kwargs)
    }

    /// Runs the catalog's tests on a control plane: a dry-run publication,
    /// whose draft is always deleted; options as ``publish``.
    #[pyo3(signature = (**kwargs))]
    fn test_remote<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let options = crate::publish::publish_options(py, "testRemote", kwargs)?;
        let this = read(slf)?;
        let inner = &this.inner;
        let published = py
            .detach(|| json_api::test_remote(inner, options))
            .map_err(|e| to_py_err(py, e))?;
        crate::publish::result(py, &published)
    }

    /// ``test_remote``, awaitable.
    #[pyo3(signature = (**kwargs))]
    fn test_remote_async<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::publish::in_thread(slf.getattr("test_remote")?, kwargs)
    }

    /// Runs the catalog's tests locally, with Estuary's semantics; returns
    /// the results (a failing test is a result, not an error).
    #[pyo3(signature = (**kwargs))]
    fn run_tests<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let options = crate::options::build(
            py,
            "runTests",
            crate::options::table("runTests"),
            &[],
            kwargs,
        )?;
        let this = read(slf)?;
        let inner = &this.inner;
        let results = py
            .detach(|| json_api::run_tests(inner, options))
            .map_err(|e| to_py_err(py, e))?;
        crate::publish::result(py, &results)
    }

    /// ``run_tests``, awaitable (it runs on a worker thread).
    #[pyo3(signature = (**kwargs))]
    fn run_tests_async<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::publish::in_thread(slf.getattr("run_tests")?, kwargs)
    }

    /// Writes the TypeScript types of derivations, ``deno.json`` and stubs
    /// of missing code for the file this catalog was loaded from (or
    /// ``source``), as ``flowctl generate`` does.
    #[pyo3(signature = (**kwargs))]
    fn generate<'py>(
        slf: &Bound<'py, Self>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let options = crate::options::build(
            py,
            "generate",
            crate::options::table("generate"),
            &[],
            kwargs,
        )?;
        let this = read(slf)?;
        let inner = &this.inner;
        let generated = py
            .detach(|| json_api::generate(Some(inner), options))
            .map_err(|e| to_py_err(py, e))?;
        crate::publish::result(py, &generated)
    }

    /// A copy of the catalog with every file reference inlined.
    fn bundle(slf: &Bound<'_, Self>) -> PyResult<Catalog> {
        let py = slf.py();
        let this = read(slf)?;
        let inner = &this.inner;
        let inner = py.detach(|| inner.bundle()).map_err(|e| to_py_err(py, e))?;
        Ok(Catalog { inner })
    }

    /// The catalog as one YAML document. Configs holding secrets are
    /// encrypted to `recipients` (else `SOPS_AGE_RECIPIENTS` or
    /// `.sops.yaml`); without any, this raises `SecretsError` unless
    /// `plaintext_secrets=True`.
    #[pyo3(signature = (*, recipients = None, plaintext_secrets = false))]
    fn to_yaml(
        slf: &Bound<'_, Self>,
        recipients: Option<&Bound<'_, PyAny>>,
        plaintext_secrets: bool,
    ) -> PyResult<String> {
        Self::render(slf, Format::Yaml, recipients, plaintext_secrets)
    }

    /// The catalog as one JSON document, its secrets encrypted as by
    /// `to_yaml()`.
    #[pyo3(signature = (*, recipients = None, plaintext_secrets = false))]
    fn to_json(
        slf: &Bound<'_, Self>,
        recipients: Option<&Bound<'_, PyAny>>,
        plaintext_secrets: bool,
    ) -> PyResult<String> {
        Self::render(slf, Format::Json, recipients, plaintext_secrets)
    }

    /// The catalog as a dict in the model's (camelCase) form.
    fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let value = serde_json::to_value(&read(slf)?.inner)
            .map_err(|e| invalid_spec(py, "to_dict", format!("cannot convert the catalog: {e}")))?;
        to_python(py, &value)
    }

    /// Writes the catalog to `path` (`.yaml`, `.yml` or `.json`) in the
    /// `"flat"` (one file) or `"canonical"` (split) layout; returns the
    /// files written. Configs holding secrets are encrypted to `recipients`
    /// (else `SOPS_AGE_RECIPIENTS` or `.sops.yaml`); without any, nothing is
    /// written and `SecretsError` is raised, unless `plaintext_secrets=True`.
    #[pyo3(signature = (path, *, layout = "flat", recipients = None, plaintext_secrets = false, prune = false))]
    fn write(
        slf: &Bound<'_, Self>,
        path: PathBuf,
        layout: &str,
        recipients: Option<&Bound<'_, PyAny>>,
        plaintext_secrets: bool,
        prune: bool,
    ) -> PyResult<Vec<PathBuf>> {
        let py = slf.py();
        let target = path_str(py, &path)?;
        let options = write_options(Some(layout), recipients, plaintext_secrets, prune)?;
        let written = {
            let this = read(slf)?;
            let inner = &this.inner;
            py.detach(|| json_api::write(inner, &target, options))
                .map_err(|e| to_py_err(py, e))?
        };
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

    fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<Catalog>() {
            Ok(other) if other.is(slf) => Ok(true),
            Ok(other) => Ok(read(slf)?.inner == read(other)?.inner),
            Err(_) => Ok(false),
        }
    }

    fn __repr__(slf: &Bound<'_, Self>) -> String {
        let Ok(this) = read(slf) else {
            return "<Catalog (in use)>".to_string();
        };
        let c = &this.inner;
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
/// names to handles (registered as a ``collections.abc.MutableMapping``).
/// A spec is set as a dict in the model's form, or as a handle of the same
/// kind; ``pop`` gives the removed spec as a dict.
///
/// >>> cat = flowspec.Catalog()
/// >>> cat.collections["acmeCo/anvils"] = {"schema": {"type": "object"}, "key": ["/id"]}
/// >>> "acmeCo/anvils" in cat.collections, len(cat.collections)
/// (True, 1)
/// >>> from collections.abc import MutableMapping
/// >>> isinstance(cat.collections, MutableMapping)
/// True
/// >>> cat.collections.pop("acmeCo/anvils")
/// {'schema': {'type': 'object'}, 'key': ['/id']}
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
        let guard = read(self.catalog.bind(py))?;
        Ok(json_api::names(&guard.inner, self.kind))
    }

    fn exists(&self, py: Python<'_>, name: &str) -> PyResult<bool> {
        let guard = read(self.catalog.bind(py))?;
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
        let guard = read(self.catalog.bind(py))?;
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
    /// (camelCase) form, or as the handle of a spec of the same kind (of
    /// this catalog or another).
    fn __setitem__(&self, py: Python<'_>, name: &str, spec: &Bound<'_, PyAny>) -> PyResult<()> {
        let spec = match handles::spec_of(spec, self.kind)? {
            Some(spec) => spec,
            None => to_json(spec, &Shape::Opaque, "spec")?,
        };
        with_mut(py, &self.catalog, |c| {
            json_api::set(c, self.kind, name, spec)
        })
    }

    /// Removes the spec `name` and returns it as a dict in the model's
    /// form (a handle would point to nothing), or returns `default` when
    /// there is no such spec; without `default`, that raises `KeyError`.
    #[pyo3(signature = (name, *default))]
    fn pop<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        default: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if default.len() > 1 {
            return Err(PyTypeError::new_err(format!(
                "pop expected at most 2 arguments, got {}",
                default.len() + 1
            )));
        }
        let removed = {
            let mut guard = change(self.catalog.bind(py))?;
            let spec = json_api::get(&guard.inner, self.kind, name);
            json_api::remove(&mut guard.inner, self.kind, name);
            spec
        };
        match (removed, default.get_item(0)) {
            (Some(spec), _) => to_python(py, &spec),
            (None, Ok(default)) => Ok(default),
            (None, Err(_)) => Err(self.missing(name)),
        }
    }

    /// Removes the first spec (by name) and returns `(name, spec)`, the
    /// spec as a dict in the model's form.
    fn popitem<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let Some(name) = self.names(py)?.into_iter().next() else {
            return Err(PyKeyError::new_err(format!(
                "popitem(): there are no {}",
                self.kind.plural()
            )));
        };
        let spec = self.pop(py, &name, &PyTuple::empty(py))?;
        PyTuple::new(py, [PyString::new(py, &name).into_any(), spec])
    }

    /// Removes every spec of this kind.
    fn clear(&self, py: Python<'_>) -> PyResult<()> {
        let mut guard = change(self.catalog.bind(py))?;
        for name in json_api::names(&guard.inner, self.kind) {
            json_api::remove(&mut guard.inner, self.kind, &name);
        }
        Ok(())
    }

    /// Sets specs from a mapping (or `(name, spec)` pairs) and keyword
    /// arguments, as `specs[name] = spec` does.
    #[pyo3(signature = (other = None, **kwargs))]
    fn update(
        &self,
        py: Python<'_>,
        other: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        if let Some(other) = other {
            if other.hasattr("keys")? {
                for name in other.call_method0("keys")?.try_iter()? {
                    let name = name?;
                    let spec = other.get_item(&name)?;
                    self.__setitem__(py, &name.extract::<String>()?, &spec)?;
                }
            } else {
                for pair in other.try_iter()? {
                    let (name, spec): (String, Bound<'_, PyAny>) = pair?.extract()?;
                    self.__setitem__(py, &name, &spec)?;
                }
            }
        }
        for (name, spec) in kwargs.into_iter().flatten() {
            self.__setitem__(py, &name.extract::<String>()?, &spec)?;
        }
        Ok(())
    }

    /// The handle of `name`; when there is no such spec, `spec` is added
    /// first (as `specs[name] = spec` adds it).
    fn setdefault<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        spec: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if !self.exists(py, name)? {
            self.__setitem__(py, name, spec)?;
        }
        handles::handle(self.catalog.bind(py), self.kind, name)
    }

    fn __delitem__(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        let mut guard = change(self.catalog.bind(py))?;
        if json_api::remove(&mut guard.inner, self.kind, name) {
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
