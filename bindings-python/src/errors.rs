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
            message: flowspec::secrets::redact_identities(&d.message),
            code: d.code.clone(),
            severity: match d.severity {
                flowspec::Severity::Error => "error",
                flowspec::Severity::Warning => "warning",
            }
            .to_string(),
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
    pub invalid_value: Py<PyType>,
    pub file: Py<PyType>,
    pub load: Py<PyType>,
    pub validation: Py<PyType>,
    pub write: Py<PyType>,
    pub secrets: Py<PyType>,
}

static EXCEPTIONS: PyOnceLock<Exceptions> = PyOnceLock::new();

const BASE_DOC: &CStr = c"The base of every flowspec error.

Attributes:
    code: The stable slug of the kind of error, as the Rust core and the
        Node binding name it (like ``\"validation\"``).
    diagnostics: The problems of a load or validation error, each with
        ``scope``, ``message``, ``code`` and ``severity`` (empty for others).

>>> try:
...     flowspec.Catalog().collection(\"nope\", schema={}, key=[\"/id\"])
... except flowspec.FlowspecError as err:
...     print(err.code)
invalid_name";

fn subclass<'py>(
    py: Python<'py>,
    name: &str,
    bases: &[&Bound<'py, PyType>],
    code: &str,
    doc: &str,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "flowspec")?;
    namespace.set_item("__doc__", doc)?;
    namespace.set_item("code", code)?;
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
    b.setattr("code", "flowspec")?;
    b.setattr("diagnostics", PyList::empty(py))?;
    let value_error = py.get_type::<PyValueError>();
    let os_error = py.get_type::<PyOSError>();
    Ok(Exceptions {
        invalid_name: subclass(
            py,
            "InvalidNameError",
            &[b, &value_error],
            "invalid_name",
            "A catalog name or JSON pointer does not follow its rule (code ``invalid_name``).\n\n\
             Attributes:\n    entity: The kind of name checked, like ``\"collection\"``.\n    \
             value: The rejected value.",
        )?,
        invalid_value: subclass(
            py,
            "InvalidValueError",
            &[b, &value_error],
            "invalid_value",
            &format!(
                "An option or spec is not valid: an unknown option, a wrong type, a missing \
                 endpoint... (code ``invalid_value``). The message names the spec and the \
                 option.\n\nA value nested more than {} levels deep (or that contains itself) \
                 is one too, with the code ``nesting_too_deep``.",
                flowspec::json::MAX_DEPTH
            ),
        )?,
        file: subclass(
            py,
            "FileError",
            &[b, &os_error],
            "io",
            "A file could not be read or written (code ``io``).",
        )?,
        load: subclass(
            py,
            "LoadError",
            &[b, &value_error],
            "load",
            "A catalog source could not be loaded (code ``load``); ``diagnostics`` say \
             where and why.",
        )?,
        validation: subclass(
            py,
            "ValidationError",
            &[b, &value_error],
            "validation",
            "The catalog is not valid (code ``validation``); ``diagnostics`` list every \
             problem with its scope, message and code.\n\n``str()`` reads \
             \"N validation errors\" followed by the diagnostics.",
        )?,
        write: subclass(
            py,
            "WriteError",
            &[b],
            "write",
            "A catalog could not be written (code ``write``).",
        )?,
        secrets: subclass(
            py,
            "SecretsError",
            &[b],
            "sops",
            "A sops / age operation failed; ``code`` says which (``sops_...``), or the \
             secrets of a catalog's configs could not be sealed or opened (code \
             ``catalog_secrets``; ``diagnostics`` say where, e.g. ``plaintext_secret``).",
        )?,
        base,
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
/// `.code` (the core's stable slug) and `.diagnostics`. Every core error
/// reaches Python through here.
pub fn to_py_err(py: Python<'_>, err: flowspec::Error) -> PyErr {
    match build(py, &err) {
        Ok(e) => e,
        Err(e) => e,
    }
}

fn build(py: Python<'_>, err: &flowspec::Error) -> PyResult<PyErr> {
    use flowspec::Error as E;
    let ex = exceptions(py)?;
    let (class, message) = match err {
        E::Name(_) => (&ex.invalid_name, err.to_string()),
        E::InvalidValue(_) | E::NestingTooDeep(_) => (&ex.invalid_value, err.to_string()),
        E::Io { .. } => (&ex.file, err.to_string()),
        E::Load(_) => (&ex.load, err.to_string()),
        E::Validation(d) => (&ex.validation, validation_message(d)),
        E::Write { .. } => (&ex.write, err.to_string()),
        E::Secrets(_) | E::CatalogSecrets(_) => (&ex.secrets, err.to_string()),
        _ => (&ex.base, err.to_string()),
    };
    let value = class
        .bind(py)
        .call1((flowspec::secrets::redact_identities(&message),))?;
    value.setattr("code", err.code())?;
    value.setattr("diagnostics", diagnostics(py, err.diagnostics())?)?;
    if let E::Name(name) = err {
        value.setattr("entity", name.entity)?;
        value.setattr("value", &name.value)?;
    }
    Ok(PyErr::from_value(value))
}

/// An `InvalidValueError` raised by the binding itself (through the same
/// mapping as the core's).
pub fn invalid_value(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_py_err(py, flowspec::Error::InvalidValue(message.into()))
}

/// Registers the exception classes and `Diagnostic` on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let ex = exceptions(py)?;
    m.add("FlowspecError", ex.base.bind(py))?;
    m.add("InvalidNameError", ex.invalid_name.bind(py))?;
    m.add("InvalidValueError", ex.invalid_value.bind(py))?;
    m.add("FileError", ex.file.bind(py))?;
    m.add("LoadError", ex.load.bind(py))?;
    m.add("ValidationError", ex.validation.bind(py))?;
    m.add("WriteError", ex.write.bind(py))?;
    m.add("SecretsError", ex.secrets.bind(py))?;
    m.add_class::<Diagnostic>()?;
    Ok(())
}
