//! sops with age: the `Secret` marker, `encrypt` / `decrypt` of documents
//! and files, and `age_keygen`. Each function gathers its keyword arguments
//! into the JSON options of [`flowspec::json_api`] and maps its errors.

use std::path::PathBuf;

use flowspec::json_api;
use pyo3::prelude::*;
use serde_json::{json, Map, Value};

use crate::convert::{to_json, to_python, Shape};
use crate::errors::to_py_err;
use crate::options::strings;

/// A value to be encrypted when the catalog is written: put it anywhere in
/// a config. ``repr()`` and ``str()`` never show it; ``reveal()`` does.
///
/// >>> token = flowspec.secret("sk_live_123")
/// >>> token
/// Secret('<redacted>')
/// >>> token.reveal()
/// 'sk_live_123'
#[pyclass(module = "flowspec", name = "Secret", frozen)]
pub struct Secret {
    pub value: Value,
}

#[pymethods]
impl Secret {
    /// Marks a value (str, int, float, bool, or a dict / list of them) as
    /// secret.
    #[new]
    fn new(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            value: to_json(value, &Shape::Opaque, "secret")?,
        })
    }

    /// The secret value itself.
    fn reveal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.value)
    }

    fn __repr__(&self) -> String {
        format!("Secret('{}')", flowspec::secrets::REDACTED)
    }

    fn __str__(&self) -> String {
        self.__repr__()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Secret>()
            .map(|o| o.get().value == self.value)
            .unwrap_or(false)
    }

    /// Secrets are immutable: a copy is the same secret.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __deepcopy__(slf: Py<Self>, _memo: &Bound<'_, PyAny>) -> Py<Self> {
        slf
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.value.to_string().hash(&mut h);
        h.finish()
    }
}

/// Marks a value as secret: ``secret("sk_live_123")``. When the catalog is
/// written, ``access_token: secret(...)`` becomes ``access_token_sops:
/// ENC[...]``, encrypted with sops to the age recipients.
#[pyfunction]
pub fn secret(value: &Bound<'_, PyAny>) -> PyResult<Secret> {
    Secret::new(value)
}

/// The JSON options of the keyword arguments that are not `None` / `False`,
/// camelCased.
fn options(pairs: &[(&str, Value)]) -> Value {
    let mut map = Map::new();
    for (k, v) in pairs {
        if !(v.is_null() || *v == Value::Bool(false)) {
            map.insert((*k).to_string(), v.clone());
        }
    }
    Value::Object(map)
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

#[allow(clippy::too_many_arguments)]
fn encrypt_options(
    recipients: Option<Vec<String>>,
    encrypted_suffix: Option<String>,
    unencrypted_suffix: Option<String>,
    encrypted_regex: Option<String>,
    unencrypted_regex: Option<String>,
    mac_only_encrypted: bool,
    extra: &[(&str, Value)],
) -> Value {
    let mut pairs = vec![
        ("recipients", opt(recipients)),
        ("encryptedSuffix", opt(encrypted_suffix)),
        ("unencryptedSuffix", opt(unencrypted_suffix)),
        ("encryptedRegex", opt(encrypted_regex)),
        ("unencryptedRegex", opt(unencrypted_regex)),
        ("macOnlyEncrypted", json!(mac_only_encrypted)),
    ];
    pairs.extend(extra.iter().cloned());
    options(&pairs)
}

/// Decrypt options: an identity's text, a key file, suffix stripping.
pub fn decrypt_options(
    identity: Option<String>,
    key_file: Option<PathBuf>,
    extra: &[(&str, Value)],
) -> Value {
    let mut pairs = vec![
        ("identity", opt(identity)),
        (
            "keyFile",
            opt(key_file.map(|p| p.to_string_lossy().into_owned())),
        ),
    ];
    pairs.extend(extra.iter().cloned());
    options(&pairs)
}

/// Encrypts a document (a dict) in the sops format for age recipients;
/// returns the encrypted dict with its ``sops`` metadata.
#[pyfunction]
#[pyo3(signature = (document, *, recipients=None, encrypted_suffix=None, unencrypted_suffix=None,
    encrypted_regex=None, unencrypted_regex=None, mac_only_encrypted=false, path=None))]
#[allow(clippy::too_many_arguments)]
pub fn encrypt<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    recipients: Option<Bound<'py, PyAny>>,
    encrypted_suffix: Option<String>,
    unencrypted_suffix: Option<String>,
    encrypted_regex: Option<String>,
    unencrypted_regex: Option<String>,
    mac_only_encrypted: bool,
    path: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    let document = to_json(document, &Shape::Opaque, "document")?;
    let options = encrypt_options(
        strings(recipients.as_ref(), "recipients")?,
        encrypted_suffix,
        unencrypted_suffix,
        encrypted_regex,
        unencrypted_regex,
        mac_only_encrypted,
        &[("path", opt(path.map(|p| p.to_string_lossy().into_owned())))],
    );
    let sealed = py
        .detach(|| json_api::encrypt(document, options))
        .map_err(|e| to_py_err(py, e))?;
    to_python(py, &sealed)
}

/// Decrypts a sops document (a dict), verifying its MAC.
#[pyfunction]
#[pyo3(signature = (document, *, identity=None, key_file=None, strip_suffix=false))]
pub fn decrypt<'py>(
    py: Python<'py>,
    document: &Bound<'py, PyAny>,
    identity: Option<String>,
    key_file: Option<PathBuf>,
    strip_suffix: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let document = to_json(document, &Shape::Opaque, "document")?;
    let options = decrypt_options(identity, key_file, &[("stripSuffix", json!(strip_suffix))]);
    let plain = py
        .detach(|| json_api::decrypt(document, options))
        .map_err(|e| to_py_err(py, e))?;
    to_python(py, &plain)
}

/// Encrypts a JSON or YAML file; returns the encrypted text, and with
/// ``in_place=True`` also replaces the file atomically.
#[pyfunction]
#[pyo3(signature = (path, *, recipients=None, encrypted_suffix=None, unencrypted_suffix=None,
    encrypted_regex=None, unencrypted_regex=None, mac_only_encrypted=false, input_type=None,
    in_place=false))]
#[allow(clippy::too_many_arguments)]
pub fn encrypt_file(
    py: Python<'_>,
    path: PathBuf,
    recipients: Option<Bound<'_, PyAny>>,
    encrypted_suffix: Option<String>,
    unencrypted_suffix: Option<String>,
    encrypted_regex: Option<String>,
    unencrypted_regex: Option<String>,
    mac_only_encrypted: bool,
    input_type: Option<String>,
    in_place: bool,
) -> PyResult<String> {
    let options = encrypt_options(
        strings(recipients.as_ref(), "recipients")?,
        encrypted_suffix,
        unencrypted_suffix,
        encrypted_regex,
        unencrypted_regex,
        mac_only_encrypted,
        &[("inputType", opt(input_type)), ("inPlace", json!(in_place))],
    );
    let path = path.to_string_lossy().into_owned();
    py.detach(|| json_api::encrypt_file(&path, options))
        .map_err(|e| to_py_err(py, e))
}

/// Decrypts a sops file (JSON or YAML), verifying its MAC; returns the
/// document.
#[pyfunction]
#[pyo3(signature = (path, *, identity=None, key_file=None, strip_suffix=false, input_type=None))]
pub fn decrypt_file<'py>(
    py: Python<'py>,
    path: PathBuf,
    identity: Option<String>,
    key_file: Option<PathBuf>,
    strip_suffix: bool,
    input_type: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = decrypt_options(
        identity,
        key_file,
        &[
            ("stripSuffix", json!(strip_suffix)),
            ("inputType", opt(input_type)),
        ],
    );
    let path = path.to_string_lossy().into_owned();
    let plain = py
        .detach(|| json_api::decrypt_file(&path, options))
        .map_err(|e| to_py_err(py, e))?;
    to_python(py, &plain)
}

/// Writes a new age identity to ``path`` (readable only by its owner), or
/// to sops' default ``keys.txt`` when ``path`` is None; returns its public
/// key (the recipient).
#[pyfunction]
#[pyo3(signature = (path=None, *, overwrite=false))]
pub fn age_keygen(py: Python<'_>, path: Option<PathBuf>, overwrite: bool) -> PyResult<String> {
    let path = path.map(|p| p.to_string_lossy().into_owned());
    let options = serde_json::json!({ "overwrite": overwrite });
    py.detach(|| json_api::age_keygen(path.as_deref(), options))
        .map_err(|e| to_py_err(py, e))
}

/// Registers the secrets API on the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Secret>()?;
    m.add_function(wrap_pyfunction!(secret, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_file, m)?)?;
    m.add_function(wrap_pyfunction!(decrypt_file, m)?)?;
    m.add_function(wrap_pyfunction!(age_keygen, m)?)?;
    Ok(())
}
