//! Publishing from Python: the options and results of `Catalog.publish`,
//! `Catalog.test_remote`, `pull_specs` and `list_specs`, their `_async`
//! forms, and `LocalControlPlane`, a control plane on this machine. The
//! work is the core's (`flowspec::json_api::publish` and the server crate);
//! this converts values and errors.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::convert::to_python;
use crate::errors::to_py_err;
use crate::options;

/// The JSON options of a publishing call (`publish`, `testRemote`,
/// `pullSpecs`) from its keyword arguments; a `LocalControlPlane` given
/// as `control_plane` stands for its endpoints and token.
pub fn publish_options(
    py: Python<'_>,
    call: &str,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Value> {
    let mut plane = None;
    let kwargs = match kwargs {
        Some(given) => {
            let copy = given.copy()?;
            if let Some(value) = copy.get_item("control_plane")? {
                if let Ok(local) = value.extract::<PyRef<'_, LocalControlPlane>>() {
                    plane = Some(local.target(py)?);
                    copy.del_item("control_plane")?;
                }
            }
            Some(copy)
        }
        None => None,
    };
    let mut options = options::build(py, call, options::table(call), &[], kwargs.as_ref())?;
    if let (Some(plane), Value::Object(map)) = (plane, &mut options) {
        map.insert("controlPlane".into(), plane);
    }
    Ok(options)
}

/// A result of the core (camelCase JSON) as Python values with
/// snake_case keys.
pub fn result<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    fn snake(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (flowspec::json_api::snake_case(k), snake(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(snake).collect()),
            other => other.clone(),
        }
    }
    to_python(py, &snake(value))
}

/// `method(**kwargs)` run on a worker thread: an awaitable, for the
/// `_async` forms.
pub fn in_thread<'py>(
    method: Bound<'py, PyAny>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = method.py();
    let call = py
        .import("functools")?
        .call_method("partial", (method,), kwargs)?;
    py.import("asyncio")?.call_method1("to_thread", (call,))
}

/// Pulls live specs into local catalog files, as `flowctl catalog
/// pull-specs` does; returns ``{"written", "specs", "files"}``.
#[pyfunction]
#[pyo3(signature = (**kwargs))]
pub fn pull_specs<'py>(
    py: Python<'py>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = publish_options(py, "pullSpecs", kwargs)?;
    let pulled = py
        .detach(|| flowspec::json_api::pull_specs(options))
        .map_err(|e| to_py_err(py, e))?;
    result(py, &pulled)
}

/// `pull_specs`, awaitable.
#[pyfunction]
#[pyo3(signature = (**kwargs))]
pub fn pull_specs_async<'py>(
    py: Python<'py>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let function = py.import("flowspec._flowspec")?.getattr("pull_specs")?;
    in_thread(function, kwargs)
}

/// Writes the TypeScript types of derivations, ``deno.json`` and stubs of
/// missing modules, migrations and lambdas for the catalog file
/// ``source``, as ``flowctl generate`` does; returns ``[{"path", "kind"}]``.
#[pyfunction]
#[pyo3(signature = (source, **kwargs))]
pub fn generate<'py>(
    py: Python<'py>,
    source: std::path::PathBuf,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut options = options::build(py, "generate", options::table("generate"), &[], kwargs)?;
    if let Value::Object(map) = &mut options {
        map.insert(
            "source".into(),
            Value::String(source.to_string_lossy().into_owned()),
        );
    }
    let generated = py
        .detach(|| flowspec::json_api::generate(None, options))
        .map_err(|e| to_py_err(py, e))?;
    result(py, &generated)
}

/// Lists live specs; options as `pull_specs`, without ``target``.
#[pyfunction]
#[pyo3(signature = (**kwargs))]
pub fn list_specs<'py>(
    py: Python<'py>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = publish_options(py, "pullSpecs", kwargs)?;
    let specs = py
        .detach(|| flowspec::json_api::list(options))
        .map_err(|e| to_py_err(py, e))?;
    result(py, &specs)
}

/// A control plane on this machine: Estuary's API over loopback HTTP,
/// backed by SQLite (in memory, or in the file ``db``), on free ports
/// unless given. Use it as a context manager, or ``start()`` / ``stop()``.
///
/// >>> cat = flowspec.Catalog()
/// >>> _ = cat.collection("acmeCo/anvils", key=["/id"],
/// ...     schema={"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]})
/// >>> with flowspec.LocalControlPlane() as plane:
/// ...     cat.publish(control_plane=plane)["status"]
/// 'success'
#[pyclass(module = "flowspec", name = "LocalControlPlane")]
pub struct LocalControlPlane {
    local: flowspec_server::Switched,
}

impl LocalControlPlane {
    fn with<R>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&flowspec_server::ControlPlane) -> R,
    ) -> PyResult<R> {
        self.local.with(f).map_err(|e| to_py_err(py, e))
    }

    /// Its endpoints and token, as the `controlPlane` option.
    fn target(&self, py: Python<'_>) -> PyResult<Value> {
        self.with(py, |plane| plane.target())
    }
}

#[pymethods]
impl LocalControlPlane {
    #[new]
    #[pyo3(signature = (*, db = None, pg_port = 0, agent_port = 0, encryption_port = 0))]
    fn new(
        db: Option<std::path::PathBuf>,
        pg_port: u16,
        agent_port: u16,
        encryption_port: u16,
    ) -> Self {
        LocalControlPlane {
            local: flowspec_server::Switched::new(flowspec_server::Options {
                db,
                pg_port,
                agent_port,
                encryption_port,
                ..flowspec_server::Options::ephemeral()
            }),
        }
    }

    /// Starts serving (nothing happens if it already is).
    fn start(&self, py: Python<'_>) -> PyResult<()> {
        py.detach(|| self.local.start())
            .map_err(|e| to_py_err(py, e))
    }

    /// Stops serving (nothing happens if it is not).
    fn stop(&self, py: Python<'_>) {
        py.detach(|| self.local.stop());
    }

    fn __enter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        slf.borrow().start(slf.py())?;
        Ok(slf)
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.stop(py);
        false
    }

    /// Whether it is serving.
    #[getter]
    fn running(&self) -> bool {
        self.local.running()
    }

    /// Its PostgREST URL.
    #[getter]
    fn pg_url(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |p| p.endpoints().pg_url.clone())
    }

    /// Its agent API URL.
    #[getter]
    fn agent_url(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |p| p.endpoints().agent_url.clone())
    }

    /// Its config-encryption URL.
    #[getter]
    fn config_encryption_url(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |p| p.endpoints().config_encryption_url.clone())
    }

    /// A refresh token of its user, as ``FLOW_AUTH_TOKEN`` takes it (a
    /// credential: never shown by ``repr``).
    #[getter]
    fn flow_auth_token(&self, py: Python<'_>) -> PyResult<String> {
        self.with(py, |p| p.auth_token().to_base64())
    }

    /// Its endpoints and token, as the ``control_plane=`` option of the
    /// publishing calls.
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        result(py, &self.target(py)?)
    }

    fn __repr__(&self) -> String {
        match self.local.with(|p| p.endpoints().pg_url.clone()) {
            Ok(url) => format!("<LocalControlPlane {url} running>"),
            Err(_) => "<LocalControlPlane stopped>".to_string(),
        }
    }
}

/// Adds the publishing functions and classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<LocalControlPlane>()?;
    m.add_function(wrap_pyfunction!(pull_specs, m)?)?;
    m.add_function(wrap_pyfunction!(pull_specs_async, m)?)?;
    m.add_function(wrap_pyfunction!(list_specs, m)?)?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    Ok(())
}
