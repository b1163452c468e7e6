//! The keyword options of each DSL call: their Python names, and how each
//! value is converted into the JSON option object the core's `json_api` takes.
//!
//! Nothing here is written by hand: the tables are the core's
//! (`flowspec::json_api::option_tables`, derived from the JSON schema of its
//! option objects). A call takes the properties of its option object,
//! snake_cased (`lambda` is `lambda_`), and a value's [`Shape`] says which
//! of its dicts are structured (an object type of the schema, whose keys are
//! converted to camelCase) and which are data (configs, resources, maps of
//! names).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use flowspec::json_api::{OptionShape, OptionSpec};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PySequence, PyString, PyTuple};
use serde_json::{Map, Value};

use crate::convert::{camel_case, to_json, Shape};
use crate::errors::invalid_spec;

/// How an option's value is converted.
pub enum Conv {
    /// To JSON, with the shape of its structured parts.
    Json(&'static Shape),
    /// A collection schema (`schema=`, `write_schema=`, `read_schema=`).
    Schema,
}

/// An option: its Python name, its key in the JSON options, and its
/// conversion.
pub struct Opt {
    pub name: String,
    pub key: String,
    pub conv: Conv,
}

/// The options of a `json_api` call, by its name in the core's schema
/// (`capture`, `captureBinding`, `transform`, ...).
///
/// Panics for a call the schema does not have: the calls are fixed in the
/// binding's code, and its tests make each of them.
pub fn table(call: &str) -> &'static [Opt] {
    static TABLES: OnceLock<BTreeMap<String, Vec<Opt>>> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            let opt = |o: &OptionSpec| Opt {
                name: o.python.clone(),
                key: o.key.clone(),
                conv: match o.schema {
                    true => Conv::Schema,
                    false => Conv::Json(leak(&o.shape)),
                },
            };
            flowspec::json_api::option_tables()
                .iter()
                .map(|(call, opts)| (call.clone(), opts.iter().map(opt).collect()))
                .collect()
        })
        .get(call)
        .unwrap_or_else(|| panic!("the core's schema has no options of `{call}`"))
}

/// A [`Shape`] of the core's option shape, made once for the life of the
/// process.
fn leak(shape: &OptionShape) -> &'static Shape {
    let shape = match shape {
        OptionShape::Opaque => Shape::Opaque,
        OptionShape::Fields(children) => {
            let children: Vec<(&'static str, &'static Shape)> = children
                .iter()
                .map(|(k, t)| (&*Box::leak(k.clone().into_boxed_str()), leak(t)))
                .collect();
            Shape::Fields(Box::leak(children.into_boxed_slice()))
        }
        OptionShape::Items(t) => Shape::Items(leak(t)),
        OptionShape::Values(t) => Shape::Values(leak(t)),
    };
    Box::leak(Box::new(shape))
}

fn convert(py: Python<'_>, call: &str, opt: &Opt, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    match opt.conv {
        Conv::Json(shape) => {
            if let Some(message) = spellings(value, shape, &mut opt.name.clone())? {
                return Err(invalid_spec(py, call, message));
            }
            to_json(value, shape, &opt.name)
        }
        Conv::Schema => crate::schema::to_schema(py, value, &opt.name),
    }
}

/// Finds a structured dict of `value` (by `shape`) that spells one key in
/// both cases, like `{"group_by": ..., "groupBy": ...}`: both become
/// `groupBy`, so one would be lost. Returns the message naming them and
/// the place (`fields`, `bindings[0]["fields"]`), which `place` holds.
fn spellings(
    value: &Bound<'_, PyAny>,
    shape: &Shape,
    place: &mut String,
) -> PyResult<Option<String>> {
    // The structured values inside this one: a step of their place, the
    // value and its shape.
    let mut inner: Vec<(String, Bound<'_, PyAny>, &Shape)> = Vec::new();
    match (shape, value.cast::<PyDict>()) {
        (Shape::Items(item), _)
            if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() =>
        {
            for (i, v) in value.try_iter()?.enumerate() {
                inner.push((format!("[{i}]"), v?, item));
            }
        }
        (Shape::Values(child), Ok(dict)) => {
            for (k, v) in dict.iter() {
                inner.push((format!("[{}]", quoted(&k)?), v, child));
            }
        }
        (Shape::Fields(children), Ok(dict)) => {
            let mut seen: Vec<(String, String)> = Vec::with_capacity(dict.len());
            for (k, v) in dict.iter() {
                let Ok(key) = k.cast::<PyString>() else {
                    continue; // to_json says that a key is not a string
                };
                let key = key.to_cow()?.into_owned();
                let camel = camel_case(&key).into_owned();
                if let Some((first, _)) = seen.iter().find(|(_, c)| *c == camel) {
                    return Ok(Some(format!(
                        "{place}: `{first}` and `{key}` are two spellings of one option: give \
                         only one of them"
                    )));
                }
                if let Some((_, child)) = children.iter().find(|(n, _)| *n == camel) {
                    inner.push((format!("[{}]", quoted(&k)?), v, child));
                }
                seen.push((key, camel));
            }
        }
        _ => {}
    }
    let len = place.len();
    for (step, v, child) in inner {
        place.push_str(&step);
        let found = spellings(&v, child, place)?;
        place.truncate(len);
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// The error of an unknown keyword argument: the core's message, with the
/// closest option and the list of them.
fn unexpected(call: &str, table: &[Opt], name: &str) -> PyErr {
    let names: Vec<&str> = table.iter().map(|o| o.name.as_str()).collect();
    PyTypeError::new_err(format!(
        "{call}: {}",
        flowspec::json_api::unknown_option(name, &names)
    ))
}

/// The option object of a DSL call: the arguments given by position
/// (`(name, value)`, named as in `table`), then the keyword options.
/// Options that are `None` are left out, as if not given.
pub fn build(
    py: Python<'_>,
    call: &str,
    table: &[Opt],
    positional: &[(&str, &Bound<'_, PyAny>)],
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Value> {
    let mut out = Map::new();
    for (name, value) in positional {
        let opt = table
            .iter()
            .find(|o| o.name == *name)
            .unwrap_or_else(|| panic!("{call} has no option `{name}`"));
        if !value.is_none() {
            out.insert(opt.key.clone(), convert(py, call, opt, value)?);
        }
    }
    if let Some(kwargs) = kwargs {
        for (k, v) in kwargs.iter() {
            let k = k.cast_into::<PyString>()?;
            let name = k.to_cow()?;
            let name: &str = &name;
            let Some(opt) = table.iter().find(|o| o.name == name) else {
                return Err(unexpected(call, table, name));
            };
            if positional.iter().any(|(n, _)| *n == name) {
                return Err(PyTypeError::new_err(format!(
                    "{call} got multiple values for argument '{name}'"
                )));
            }
            if !v.is_none() {
                out.insert(opt.key.clone(), convert(py, call, opt, &v)?);
            }
        }
    }
    Ok(Value::Object(out))
}

/// A dict key as messages show it: a string in JSON quotes, as `to_json`
/// names places.
fn quoted(key: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(match key.cast::<PyString>() {
        Ok(s) => serde_json::Value::String(s.to_cow()?.into_owned()).to_string(),
        Err(_) => key.repr()?.to_string(),
    })
}

/// The type of `value`, for messages.
fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A list (or other sequence) of strings, like `recipients=`, named `what`
/// in errors; `None` when not given.
pub fn strings(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<Vec<String>>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    let seq = match value.cast::<PySequence>() {
        Ok(seq) if !value.is_instance_of::<PyString>() && !value.is_instance_of::<PyBytes>() => seq,
        _ => {
            return Err(PyTypeError::new_err(format!(
                "{what}: expected a list of strings, got {}",
                type_name(value)
            )))
        }
    };
    let mut out = Vec::with_capacity(seq.len().unwrap_or(0));
    for (i, item) in seq.try_iter()?.enumerate() {
        let item = item?;
        let Ok(s) = item.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}]: expected a string, got {}",
                type_name(&item)
            )));
        };
        out.push(s.to_cow()?.into_owned());
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {

    use super::*;

    fn names(call: &str) -> Vec<&'static str> {
        table(call).iter().map(|o| o.name.as_str()).collect()
    }

    #[test]
    fn each_call_takes_the_core_options_snake_cased() {
        assert_eq!(
            names("captureBinding"),
            ["resource", "target", "disable", "backfill"]
        );
        assert!(names("transform").contains(&"lambda_"));
        assert!(names("transform").contains(&"not_before"));
        let capture = table("capture");
        let o = capture.iter().find(|o| o.name == "expect_pub_id").unwrap();
        assert_eq!(o.key, "expectPubId");
        let collection = table("collection");
        let schema = collection
            .iter()
            .find(|o| o.name == "write_schema")
            .unwrap();
        assert!(matches!(schema.conv, Conv::Schema));
    }

    #[test]
    fn the_tables_of_the_core_schema_hold_the_shapes_of_its_types() {
        let fields = |call: &str, name: &str| match table(call).iter().find(|o| o.name == name) {
            Some(Opt {
                conv: Conv::Json(Shape::Fields(children)),
                ..
            }) => children.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            _ => panic!("{call} {name} is not structured"),
        };
        // A transform's source is a name or `{name, partitions, ...}`.
        assert_eq!(fields("transform", "source"), ["partitions"]);
        assert_eq!(
            fields("derivation", "using"),
            ["connector", "sqlite", "typescript", "python", "local"]
        );
        assert_eq!(fields("transform", "shuffle"), Vec::<&str>::new());
        // A config is data: its keys are kept as they are.
        let config = table("capture")
            .iter()
            .find(|o| o.name == "config")
            .unwrap();
        assert!(matches!(config.conv, Conv::Json(Shape::Opaque)));
    }
}
