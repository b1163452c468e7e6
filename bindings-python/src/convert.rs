//! Python values ⇄ `serde_json::Value`, walking Python objects directly (no
//! JSON text in between).
//!
//! Structured options (`shards=`, `fields=`, `journals=`, ...) may be written
//! with snake_case keys: a [`Shape`] says which dicts are structured, so
//! their keys become camelCase, and everything else (configs, resources,
//! schemas, documents, field names) is copied as it is.
//!
//! Numbers are exact (see [`flowspec::json`]): an `int` of any size is that
//! integer, a `float` is the number its `repr` shows, and a
//! `decimal.Decimal` is the number it holds, digit for digit. Going back, an
//! integer is an `int`; any other number is a `float` when the float's
//! `repr` is the same number, else a `decimal.Decimal` holding it exactly.
//!
//! Values nest at most [`MAX_DEPTH`] levels, the core's limit (a value that
//! contains itself is caught by it too).

use std::borrow::Cow;
use std::fmt::Write as _;

use flowspec::json::MAX_DEPTH;
use num_bigint::BigInt;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PySequence, PyString,
    PyTuple, PyType,
};
use serde_json::{Map, Number, Value};

/// Steps of a path shown in a message.
const MAX_PATH_SHOWN: usize = 12;

/// Which parts of a value are structured options whose keys are spelled in
/// snake_case in Python and camelCase in the model.
#[derive(Debug)]
pub enum Shape {
    /// Copied as it is.
    Opaque,
    /// A dict of model fields: keys are converted; the listed children
    /// (by camelCase key) have their own shape, the others are opaque.
    /// Values that are not dicts are copied as they are.
    Fields(&'static [(&'static str, &'static Shape)]),
    /// A list whose items have a shape (other values are copied).
    Items(&'static Shape),
    /// A dict whose keys are data (names) and whose values have a shape.
    Values(&'static Shape),
}

/// `min_txn_duration` → `minTxnDuration`; `lambda_` → `lambda`. Keys that
/// are already camelCase are returned as they are.
pub fn camel_case(key: &str) -> Cow<'_, str> {
    let key = key.trim_end_matches('_');
    if !key.contains('_') {
        return Cow::Borrowed(key);
    }
    let mut out = String::with_capacity(key.len());
    for (i, part) in key.split('_').filter(|p| !p.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    Cow::Owned(out)
}

/// One step into a value, for messages.
#[derive(Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// A value that is not JSON, and where it was (boxed: errors are rare,
/// and the `Ok` path stays small).
#[derive(Debug)]
pub struct NotJson(Box<Detail>);

#[derive(Debug)]
struct Detail {
    /// Steps from the innermost outwards.
    steps: Vec<Step>,
    message: String,
    /// Too deep (or a cycle): the core's `nesting_too_deep` error rather
    /// than a TypeError.
    too_deep: bool,
    /// A Python error raised while reading the value (by a mapping's
    /// `items()`, say): raised as it is.
    raised: Option<PyErr>,
}

impl NotJson {
    fn new(message: String) -> Self {
        Self(Box::new(Detail {
            steps: Vec::new(),
            message,
            too_deep: false,
            raised: None,
        }))
    }

    fn python(err: PyErr) -> Self {
        let mut e = Self::new(String::new());
        e.0.raised = Some(err);
        e
    }

    fn at(mut self, step: Step) -> Self {
        self.0.steps.push(step);
        self
    }

    /// The Python error, naming the place from `root` (like
    /// `config["credentials"]["when"]`).
    pub fn into_pyerr(self, py: Python<'_>, root: &str) -> PyErr {
        let detail = *self.0;
        if let Some(err) = detail.raised {
            return err;
        }
        let mut place = root.to_string();
        // A value that contains itself makes a long path: its start is
        // enough to find it.
        for step in detail.steps.iter().rev().take(MAX_PATH_SHOWN) {
            match step {
                Step::Key(k) => {
                    let quoted = serde_json::to_string(k).unwrap_or_else(|_| k.clone());
                    let _ = write!(place, "[{quoted}]");
                }
                Step::Index(i) => {
                    let _ = write!(place, "[{i}]");
                }
            }
        }
        if detail.steps.len() > MAX_PATH_SHOWN {
            place.push_str("...");
        }
        if detail.too_deep {
            return crate::errors::to_py_err(py, flowspec::json::nesting_error(&place));
        }
        PyTypeError::new_err(format!("{place}: {}", detail.message))
    }
}

/// Converts a Python value to JSON; `root` names it in errors.
pub fn to_json(obj: &Bound<'_, PyAny>, shape: &Shape, root: &str) -> PyResult<Value> {
    value(obj, shape, 0).map_err(|e| e.into_pyerr(obj.py(), root))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    let ty = obj.get_type();
    let name = ty
        .qualname()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into());
    match ty.module().map(|m| m.to_string()) {
        Ok(module) if module != "builtins" => format!("{module}.{name}"),
        _ => name,
    }
}

fn value(obj: &Bound<'_, PyAny>, shape: &Shape, depth: usize) -> Result<Value, NotJson> {
    // Most values are strings, dicts and lists: test those first. `bool`
    // is a subclass of `int`, so it is tested before `int`.
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|e| NotJson::new(format!("the string cannot be encoded as UTF-8: {e}")));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        return object(dict.iter(), shape, depth);
    }
    if let Ok(list) = obj.cast::<PyList>() {
        return array(list.iter(), list.len(), shape, depth);
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        // Any other size, exactly.
        let big = obj.extract::<BigInt>().map_err(NotJson::python)?;
        return number(&big.to_string(), obj);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let f = f.value();
        return Number::from_f64(f).map(Value::Number).ok_or_else(|| {
            NotJson::new(format!(
                "{f} is not JSON (JSON has no NaN or infinity)",
                f = if f.is_nan() {
                    "nan".to_string()
                } else {
                    f.to_string()
                }
            ))
        });
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return array(t.iter(), t.len(), shape, depth);
    }
    // Other mappings and sequences (what `Mapping` / `Sequence` annotations
    // admit), but not bytes, which are sequences of ints.
    if !(obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>()) {
        if let Ok(m) = obj.cast::<PyMapping>() {
            let items = m.items().map_err(NotJson::python)?;
            let pairs = items
                .iter()
                .map(|item| item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>())
                .collect::<PyResult<Vec<_>>>()
                .map_err(NotJson::python)?;
            return object(pairs.into_iter(), shape, depth);
        }
        if let Ok(seq) = obj.cast::<PySequence>() {
            let items = seq
                .try_iter()
                .and_then(|it| it.collect::<PyResult<Vec<_>>>())
                .map_err(NotJson::python)?;
            let len = items.len();
            return array(items.into_iter(), len, shape, depth);
        }
    }
    if obj
        .is_instance(decimal_type(obj.py()).map_err(NotJson::python)?)
        .map_err(NotJson::python)?
    {
        return decimal(obj);
    }
    if let Ok(secret) = obj.cast::<crate::secrets::Secret>() {
        // The core's marker, its value sealed under a key of this process.
        return Ok(flowspec::secrets::Secret::new(secret.get().value.clone()).to_marker());
    }
    let ty = type_name(obj);
    let hint = match ty.as_str() {
        "set" | "frozenset" => " (use a list)",
        "bytes" | "bytearray" => " (decode it to a str)",
        "datetime.datetime" | "datetime.date" | "datetime.time" => {
            " (format it as a string, e.g. with .isoformat())"
        }
        _ => "",
    };
    Err(NotJson::new(format!(
        "a value of type {ty} is not JSON{hint}; expected dict, list, str, int, float, bool or None"
    )))
}

/// The JSON number whose text is `text`, the exact form of `obj`.
fn number(text: &str, obj: &Bound<'_, PyAny>) -> Result<Value, NotJson> {
    text.parse::<Number>().map(Value::Number).map_err(|_| {
        let repr = obj.repr().map(|r| r.to_string()).unwrap_or_default();
        NotJson::new(format!("{repr} is not a JSON number"))
    })
}

/// A `decimal.Decimal`, exactly: the number its text is (`1E+400`,
/// `0.10`). NaN and infinities are not JSON.
fn decimal(obj: &Bound<'_, PyAny>) -> Result<Value, NotJson> {
    let finite = obj
        .call_method0("is_finite")
        .and_then(|f| f.is_truthy())
        .map_err(NotJson::python)?;
    if !finite {
        let repr = obj.repr().map(|r| r.to_string()).unwrap_or_default();
        return Err(NotJson::new(format!(
            "{repr} is not JSON (JSON has no NaN or infinity)"
        )));
    }
    let text = obj.str().map_err(NotJson::python)?;
    number(&text.to_string_lossy(), obj)
}

/// The class `decimal.Decimal`.
fn decimal_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

fn array<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    len: usize,
    shape: &Shape,
    depth: usize,
) -> Result<Value, NotJson> {
    if depth >= MAX_DEPTH {
        return Err(too_deep());
    }
    let item_shape = match shape {
        Shape::Items(s) => s,
        _ => &Shape::Opaque,
    };
    let mut out = Vec::with_capacity(len);
    for (i, item) in items.enumerate() {
        out.push(value(&item, item_shape, depth + 1).map_err(|e| e.at(Step::Index(i)))?);
    }
    Ok(Value::Array(out))
}

fn too_deep() -> NotJson {
    let mut e = NotJson::new(String::new());
    e.0.too_deep = true;
    e
}

fn object<'py>(
    pairs: impl ExactSizeIterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    shape: &Shape,
    depth: usize,
) -> Result<Value, NotJson> {
    if depth >= MAX_DEPTH {
        return Err(too_deep());
    }
    let mut out = Map::with_capacity(pairs.len());
    for (k, v) in pairs {
        let key = match k.cast::<PyString>() {
            Ok(s) => s
                .to_cow()
                .map_err(|e| NotJson::new(format!("a key cannot be encoded as UTF-8: {e}")))?,
            Err(_) => {
                let repr = k.repr().map(|r| r.to_string()).unwrap_or_default();
                return Err(NotJson::new(format!(
                    "the key {repr} ({}) is not a string; JSON object keys are strings",
                    type_name(&k)
                )));
            }
        };
        let (name, child) = match shape {
            Shape::Fields(children) => {
                let name = camel_case(&key);
                let child = children
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, s)| *s)
                    .unwrap_or(&Shape::Opaque);
                (name, child)
            }
            Shape::Values(s) => (Cow::Borrowed(&*key), *s),
            _ => (Cow::Borrowed(&*key), &Shape::Opaque),
        };
        let v =
            value(&v, child, depth + 1).map_err(|e| e.at(Step::Key(key.clone().into_owned())))?;
        out.insert(name.into_owned(), v);
    }
    Ok(Value::Object(out))
}

/// Converts JSON to Python values (dict, list, str, int, float or
/// `decimal.Decimal`, bool, None; a secret marker `{"$secret": v}` becomes a
/// `Secret`).
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_python(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            // A secret this process sealed (or one written by hand) is a
            // `Secret` again; one it cannot open stays the plain marker,
            // which fails loudly wherever it is used.
            if let Some(Ok(secret)) = flowspec::secrets::Secret::from_marker(value) {
                let secret = crate::secrets::Secret {
                    value: secret.expose().clone(),
                };
                return Ok(Bound::new(py, secret)?.into_any());
            }
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_python(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A number as Python's exact form of it: an `int` for an integer, else a
/// `float` if one is exactly the number, else a `decimal.Decimal`.
fn number_to_python<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if flowspec::json::is_integer(n) {
        if let Some(i) = n.as_i64() {
            return Ok(i.into_pyobject(py)?.into_any());
        }
        if let Some(u) = n.as_u64() {
            return Ok(u.into_pyobject(py)?.into_any());
        }
        let big: BigInt = n
            .as_str()
            .parse()
            .map_err(|_| PyValueError::new_err(format!("{n} is not an integer")))?;
        return Ok(big.into_pyobject(py)?.into_any());
    }
    match flowspec::json::exact_f64(n) {
        Some(f) => Ok(f.into_pyobject(py)?.into_any()),
        None => decimal_type(py)?.call1((n.as_str(),)),
    }
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn camel_case_converts_snake_case_only() {
        for (snake, camel) in [
            ("min_txn_duration", "minTxnDuration"),
            ("lambda_", "lambda"),
            ("group_by", "groupBy"),
            ("image", "image"),
            ("groupBy", "groupBy"),
            ("add_new_bindings", "addNewBindings"),
        ] {
            assert_eq!(camel_case(snake), camel);
        }
    }
}
