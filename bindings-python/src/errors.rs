//! The exception classes, `Diagnostic`, and the one function that turns a
//! core error into a Python exception.

use std::ffi::CStr;

use pyo3::exceptions::{PyException, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};

/// One problem found while loading or validating a catalog.
///
/// >>> cat = flowspec.Catalog()
/// >>> _ = cat.collection("acmeCo/x", schema={"type": "object"}, key=[])
/// >>> try:
/// ...     cat.validate()
/// ... except flowspec.ValidationError as err:
/// ...     d = err.diagnostics[0]
/// >>> d.scope, d.code
/// ('flow://catalog#/collections/acmeCo~1x/key', 'key_empty')
#[pyclass(module = "flowspec", frozen, eq, hash)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// File URL and JSON pointer of the offending value.
    #[pyo3(get)]
    pub scope: String,
    /// What is wrong, naming the entity and the value.
    #[pyo3(get)]
    pub message: String,
    /// A stable code for the kind of problem, like `key_empty`.
    #[pyo3(get)]
    pub code: String,
    /// `"error"` or `"warning"`.
    #[pyo3(get)]
    pub severity: String,
}

impl From<&flowspec::Diagnostic> for Diagnostic {
    fn from(d: &flowspec::Diagnostic) -> Self {
        Self {
            scope: d.scope.clone(),
            message: d.message.clone(),
            code: d.code.clone(),
            severity: d.severity.as_str().to_string(),
        }
    }
}

impl Diagnostic {
    fn line(&self) -> String {
        if self.severity == "warning" {
            format!("{}: warning: {} [{}]", self.scope, self.message, self.code)
        } else {
            format!("{}: {} [{}]", self.scope, self.message, self.code)
        }
    }
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(scope={:?}, message={:?}, code={:?}, severity={:?})",
            self.scope, self.message, self.code, self.severity
        )
    }

    fn __str__(&self) -> String {
        self.line()
    }
}

/// A list of `Diagnostic`s.
pub fn diagnostics<'py>(
    py: Python<'py>,
    items: &[flowspec::Diagnostic],
) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, items.iter().map(Diagnostic::from))
}

/// The exception classes of the module.
pub struct Exceptions {
    pub base: Py<PyType>,
    pub invalid_name: Py<PyType>,
    pub invalid_spec: Py<PyType>,
    pub file: Py<PyType>,
    pub load: Py<PyType>,
    pub validation: Py<PyType>,
    pub write: Py<PyType>,
    pub secrets: Py<PyType>,
    pub control_plane: Py<PyType>,
    /// Subclasses of `FileError` and `WriteError` that are also the
    /// builtin `OSError` subclass of an errno (`FileNotFoundError`...),
    /// made when first raised.
    os_classes: PyOnceLock<Py<PyDict>>,
}

static EXCEPTIONS: PyOnceLock<Exceptions> = PyOnceLock::new();

const BASE_DOC: &CStr = c"The base of every flowspec error.

Attributes:
    code: The stable code of the kind of error, one of ``flowspec.codes``
        (like ``\"validation\"``), as the Rust core and the Node binding
        name it.
    diagnostics: The problems of a load, validation or catalog-secrets
        error, each with ``scope``, ``message``, ``code`` and ``severity``
        (empty for others).

>>> try:
...     flowspec.Catalog().collection(\"nope\", schema={}, key=[\"/id\"])
... except flowspec.FlowspecError as err:
...     print(err.code)
invalid_name";

/// A new exception class. `code` is the class-level code, of errors of it
/// made by hand, for a class whose errors have one code (raised errors
/// always carry theirs).
fn subclass<'py>(
    py: Python<'py>,
    name: &str,
    bases: &[&Bound<'py, PyType>],
    code: Option<&str>,
    doc: &str,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "flowspec")?;
    namespace.set_item("__doc__", doc)?;
    if let Some(code) = code {
        namespace.set_item("code", code)?;
    }
    let bases = PyTuple::new(py, bases)?;
    let ty = py.get_type::<PyType>().call1((name, bases, namespace))?;
    Ok(ty.cast_into::<PyType>()?.unbind())
}

fn create(py: Python<'_>) -> PyResult<Exceptions> {
    let base = PyErr::new_type(
        py,
        c"flowspec.FlowspecError",
        Some(BASE_DOC),
        Some(&py.get_type::<PyException>()),
        None,
    )?;
    let b = base.bind(py);
    b.setattr("diagnostics", PyList::empty(py))?;
    let value_error = py.get_type::<PyValueError>();
    let os_error = py.get_type::<PyOSError>();
    let file = subclass(
        py,
        "FileError",
        &[b, &os_error],
        Some(flowspec::codes::IO),
        "A file could not be read (code ``io``, or ``sops_io`` for a file of a \
         secrets operation). It is an ``OSError`` with ``errno``, ``strerror`` and \
         ``filename``, and also the builtin subclass of its errno, like \
         ``FileNotFoundError`` for a missing file.",
    )?;
    Ok(Exceptions {
        invalid_name: subclass(
            py,
            "InvalidNameError",
            &[b, &value_error],
            Some(flowspec::codes::INVALID_NAME),
            "A catalog name, field or JSON pointer does not follow its rule (code \
             ``invalid_name``), whether given to a method, in an option or in a loaded \
             file's spec.\n\n\
             Attributes:\n    entity: The kind of name checked, like ``\"collection\"``.\n    \
             value: The rejected value.",
        )?,
        invalid_spec: subclass(
            py,
            "InvalidSpecError",
            &[b, &value_error],
            Some(flowspec::codes::INVALID_SPEC),
            &format!(
                "An option or spec is not valid (code ``invalid_spec``): an unknown \
                 option, a wrong type, a missing endpoint... The message names the spec \
                 and the option. Also a spec added under a name already defined (code \
                 ``name_collision``), an operation on a spec that is not defined (code \
                 ``reference_undefined``), and a value nested more than {} levels deep or \
                 that contains itself (code ``nesting_too_deep``).",
                flowspec::json::MAX_DEPTH
            ),
        )?,
        write: subclass(
            py,
            "WriteError",
            &[file.bind(py)],
            Some(flowspec::codes::WRITE),
            "A catalog could not be written (code ``write``). When the operating \
             system refused, it has its ``errno`` and is also the builtin ``OSError`` \
             subclass of it (``PermissionError``...); ``filename`` is the file or \
             directory.",
        )?,
        file,
        load: subclass(
            py,
            "LoadError",
            &[b, &value_error],
            Some(flowspec::codes::LOAD),
            "A catalog source could not be loaded (code ``load``); ``diagnostics`` say \
             where and why. A source file that cannot be read at all raises \
             ``FileError`` (``FileNotFoundError``...) instead.",
        )?,
        validation: subclass(
            py,
            "ValidationError",
            &[b, &value_error],
            Some(flowspec::codes::VALIDATION),
            "The catalog is not valid (code ``validation``); ``diagnostics`` list every \
             problem with its scope, message and code.\n\n``str()`` reads \
             \"N validation errors\" followed by the diagnostics.",
        )?,
        secrets: subclass(
            py,
            "SecretsError",
            &[b, &value_error],
            None,
            "A sops / age operation failed; ``code`` says which (``sops_...``), or the \
             secrets of a catalog's configs could not be sealed or opened (code \
             ``catalog_secrets``; ``diagnostics`` say where, e.g. ``plaintext_secret``). \
             A file that cannot be read or written raises ``FileError`` (code \
             ``sops_io``) instead.",
        )?,
        control_plane: subclass(
            py,
            "ControlPlaneError",
            &[b],
            None,
            "A call to the control plane failed; ``code`` says how: no credentials \
             (``not_authenticated``), a refusal (``control_plane_refused``), no answer \
             (``control_plane_unreachable``), a publication that failed \
             (``publication_failed``: ``diagnostics`` are the control plane's errors, \
             scoped ``flow://<type>/<name>#<pointer>``), configs that could not be \
             encrypted (``config_encryption_failed``), a data plane \
             (``data_plane_invalid``), a name that is not live (``live_spec_not_found``), \
             a profile or token (``profile_invalid``, ``auth_token_invalid``...).",
        )?,
        base,
        os_classes: PyOnceLock::new(),
    })
}

/// The exception classes (created once).
pub fn exceptions(py: Python<'_>) -> PyResult<&Exceptions> {
    EXCEPTIONS.get_or_try_init(py, || create(py))
}

fn validation_message(diagnostics: &[flowspec::Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let mut out = format!(
        "{errors} validation error{}",
        if errors == 1 { "" } else { "s" }
    );
    for d in diagnostics {
        out.push_str("\n  ");
        out.push_str(&Diagnostic::from(d).line());
    }
    out
}

/// Turns a core error into the Python exception of its kind, carrying
/// `.code` (the core's stable code) and `.diagnostics`. Every core error
/// reaches Python through here.
pub fn to_py_err(py: Python<'_>, err: flowspec::Error) -> PyErr {
    match build(py, &err) {
        Ok(e) => e,
        Err(e) => e,
    }
}

fn build(py: Python<'_>, err: &flowspec::Error) -> PyResult<PyErr> {
    use flowspec::ErrorClass as C;
    let ex = exceptions(py)?;
    let io = err.io_error();
    let class = err.class();
    let value = match class {
        C::File => os_error(py, ex, &ex.file, err, io)?,
        C::Write => os_error(py, ex, &ex.write, err, io)?,
        _ => {
            let (class, message) = match (class, err) {
                (_, flowspec::Error::Validation(d)) => (&ex.validation, validation_message(d)),
                (C::InvalidName, _) => (&ex.invalid_name, err.to_string()),
                (C::Load, _) => (&ex.load, err.to_string()),
                (C::Secrets, _) => (&ex.secrets, err.to_string()),
                (C::ControlPlane, _) => (&ex.control_plane, err.to_string()),
                (C::InvalidSpec, _) => (&ex.invalid_spec, err.to_string()),
                _ => (&ex.base, err.to_string()),
            };
            class.bind(py).call1((message,))?
        }
    };
    value.setattr("code", err.code())?;
    value.setattr("diagnostics", diagnostics(py, err.diagnostics())?)?;
    if let flowspec::Error::Name(name) = err {
        value.setattr("entity", name.entity)?;
        value.setattr("value", &name.value)?;
    }
    Ok(PyErr::from_value(value))
}

/// An `OSError` of `class` for `err`: with the errno of the OS's failure
/// (and then also of the builtin subclass of that errno), its `strerror`
/// and the file as `filename`; without one, the message only.
fn os_error<'py>(
    py: Python<'py>,
    ex: &Exceptions,
    class: &Py<PyType>,
    err: &flowspec::Error,
    io: Option<&std::io::Error>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(errno) = io.and_then(std::io::Error::raw_os_error) else {
        return class.bind(py).call1((err.to_string(),));
    };
    let os = py.import("os")?;
    let strerror: String = os.call_method1("strerror", (errno,))?.extract()?;
    // What was being done, when the core says (a write, a secrets file).
    let strerror = match err {
        flowspec::Error::Write { message, .. } => format!("{message}: {strerror}"),
        flowspec::Error::Secrets(flowspec::secrets::SopsError::Io { action, .. })
            if *action != "read" =>
        {
            format!("cannot {action}: {strerror}")
        }
        _ => strerror,
    };
    let filename = err.path().map(|p| p.into_os_string());
    let class = os_class(py, ex, class, errno)?;
    class.call1((errno, strerror, filename))
}

/// `class`, or its subclass that is also the builtin `OSError` subclass
/// of `errno` (`FileNotFoundError` for `ENOENT`...), named after it and
/// reachable as an attribute of `class` (`FileError.FileNotFoundError`).
fn os_class<'py>(
    py: Python<'py>,
    ex: &Exceptions,
    class: &Py<PyType>,
    errno: i32,
) -> PyResult<Bound<'py, PyType>> {
    let builtin = py
        .get_type::<PyOSError>()
        .call1((errno, "probe"))?
        .get_type();
    let class = class.bind(py);
    if builtin.is(py.get_type::<PyOSError>()) {
        return Ok(class.clone());
    }
    let cache = ex
        .os_classes
        .get_or_try_init(py, || -> PyResult<_> { Ok(PyDict::new(py).unbind()) })?
        .bind(py);
    let key = (class.clone(), builtin.clone());
    if let Some(found) = cache.get_item(&key)? {
        return Ok(found.cast_into::<PyType>()?);
    }
    let name = builtin.name()?.to_string();
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "flowspec")?;
    namespace.set_item("__qualname__", format!("{}.{name}", class.name()?))?;
    namespace.set_item("__doc__", class.getattr("__doc__")?)?;
    let made = py
        .get_type::<PyType>()
        .call1((
            name.as_str(),
            PyTuple::new(py, [class, &builtin])?,
            namespace,
        ))?
        .cast_into::<PyType>()?;
    class.setattr(name.as_str(), &made)?;
    cache.set_item(key, &made)?;
    Ok(made)
}

/// An `InvalidSpecError` raised by the binding itself (through the same
/// mapping as the core's): `subject` is what was being built or decoded.
pub fn invalid_spec(
    py: Python<'_>,
    subject: impl Into<String>,
    message: impl Into<String>,
) -> PyErr {
    to_py_err(py, flowspec::Error::invalid_spec(subject, message))
}

/// The registry of codes, as `(code, group, description)`: what
/// `flowspec.codes` is made of.
#[pyfunction]
pub fn _codes() -> Vec<(&'static str, String, &'static str)> {
    flowspec::codes::REGISTRY
        .iter()
        .map(|c| {
            let group = match serde_json::to_value(c.group) {
                Ok(serde_json::Value::String(s)) => s,
                _ => String::new(),
            };
            (c.code, group, c.description)
        })
        .collect()
}

/// Registers the exception classes and `Diagnostic` on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let ex = exceptions(py)?;
    m.add("FlowspecError", ex.base.bind(py))?;
    m.add("InvalidNameError", ex.invalid_name.bind(py))?;
    m.add("InvalidSpecError", ex.invalid_spec.bind(py))?;
    m.add("FileError", ex.file.bind(py))?;
    m.add("LoadError", ex.load.bind(py))?;
    m.add("ValidationError", ex.validation.bind(py))?;
    m.add("WriteError", ex.write.bind(py))?;
    m.add("SecretsError", ex.secrets.bind(py))?;
    m.add("ControlPlaneError", ex.control_plane.bind(py))?;
    m.add_class::<Diagnostic>()?;
    m.add_function(wrap_pyfunction!(_codes, m)?)?;
    Ok(())
}
