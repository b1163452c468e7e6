//! The forms `schema=` takes: a dict, a JSON-schema string, a file
//! reference, `True` / `False`, a pydantic model class, or a dataclass /
//! TypedDict (through pydantic's `TypeAdapter`).

use pyo3::exceptions::{PyImportError, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyMapping, PyString, PyType};
use serde_json::Value;

use crate::convert::{to_json, Shape};
use crate::errors::invalid_spec;

/// Converts a `schema=` argument (named `name` in errors) to JSON.
pub fn to_schema(py: Python<'_>, obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Value> {
    if obj.cast::<PyDict>().is_ok() {
        return to_json(obj, &Shape::Opaque, name);
    }
    if obj.cast::<PyMapping>().is_ok() && obj.cast::<PyType>().is_err() {
        return to_json(obj, &Shape::Opaque, name);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return string(py, &s.to_cow()?, name);
    }
    if let Ok(ty) = obj.cast::<PyType>() {
        return class(py, ty, name);
    }
    let ty = obj.get_type().qualname()?;
    let hint = if obj.hasattr(intern!(py, "model_json_schema"))? {
        " (pass the model class, not an instance)"
    } else {
        ""
    };
    Err(PyTypeError::new_err(format!(
        "{name}= takes a dict, a JSON-schema string, a file reference, a pydantic model class, \
         a dataclass or a TypedDict; got a value of type {ty}{hint}"
    )))
}

fn string(py: Python<'_>, s: &str, name: &str) -> PyResult<Value> {
    let trimmed = s.trim_start();
    if trimmed.starts_with('{') {
        return match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => Ok(v),
            Ok(_) => Err(invalid_spec(py, name, "not a JSON object")),
            Err(e) => Err(invalid_spec(
                py,
                name,
                format!("the string is not valid JSON: {e}"),
            )),
        };
    }
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return Err(invalid_spec(
            py,
            name,
            format!(
                "{s:?} is neither a JSON object nor a file reference \
                 (a relative path or URL, without whitespace)"
            ),
        ));
    }
    Ok(Value::String(s.to_string()))
}

fn class(py: Python<'_>, ty: &Bound<'_, PyType>, name: &str) -> PyResult<Value> {
    let qualname = ty.qualname()?;
    if ty.hasattr(intern!(py, "model_json_schema"))? {
        let schema = ty.call_method0(intern!(py, "model_json_schema"))?;
        return to_json(
            &schema,
            &Shape::Opaque,
            &format!("{qualname}.model_json_schema()"),
        );
    }
    let dataclass = ty.hasattr(intern!(py, "__dataclass_fields__"))?;
    let typed_dict =
        ty.hasattr(intern!(py, "__required_keys__"))? && ty.hasattr(intern!(py, "__total__"))?;
    if !(dataclass || typed_dict) {
        return Err(PyTypeError::new_err(format!(
            "{name}=: class {qualname} is neither a pydantic model, a dataclass nor a TypedDict"
        )));
    }
    let what = if dataclass { "dataclass" } else { "TypedDict" };
    let pydantic = py.import(intern!(py, "pydantic")).map_err(|e| {
        let err = PyImportError::new_err(format!(
            "{name}=: the JSON schema of {what} {qualname} is made by pydantic, which is not \
             installed; install it (`pip install pydantic`), or pass the schema as a dict"
        ));
        err.set_cause(py, Some(e));
        err
    })?;
    let adapter = pydantic.getattr(intern!(py, "TypeAdapter"))?.call1((ty,))?;
    let schema = adapter.call_method0(intern!(py, "json_schema"))?;
    to_json(
        &schema,
        &Shape::Opaque,
        &format!("TypeAdapter({qualname}).json_schema()"),
    )
}
