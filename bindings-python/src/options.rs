//! The keyword options of each DSL call: their Python names, and how each
//! value is converted into the JSON option object the core's `json_api` takes.

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

/// An option: its Python name (the JSON key is its camelCase form) and
/// its conversion.
pub struct Opt {
    pub name: &'static str,
    pub conv: Conv,
}

const fn opaque(name: &'static str) -> Opt {
    Opt {
        name,
        conv: Conv::Json(&Shape::Opaque),
    }
}

const fn shaped(name: &'static str, shape: &'static Shape) -> Opt {
    Opt {
        name,
        conv: Conv::Json(shape),
    }
}

const fn schema(name: &'static str) -> Opt {
    Opt {
        name,
        conv: Conv::Schema,
    }
}

// Shapes of the structured options. A dict listed as `Fields` has its keys
// converted; its unlisted children (configs, resources, lambdas, field
// names of `require` / `include`, `env`, `dependencies`) are left alone.
static FIELDS: Shape = Shape::Fields(&[]);
static JOURNALS: Shape = Shape::Fields(&[("fragments", &FIELDS)]);
static SOURCE: Shape = Shape::Fields(&[("partitions", &FIELDS)]);
static TRANSFORM: Shape = Shape::Fields(&[
    ("source", &SOURCE),
    ("partitions", &FIELDS),
    ("shuffle", &FIELDS),
]);
static TRANSFORMS: Shape = Shape::Items(&TRANSFORM);
static CAPTURE_BINDINGS: Shape = Shape::Items(&FIELDS);
static MATERIALIZATION_BINDING: Shape = Shape::Fields(&[
    ("source", &SOURCE),
    ("partitions", &FIELDS),
    ("fields", &FIELDS),
]);
static MATERIALIZATION_BINDINGS: Shape = Shape::Items(&MATERIALIZATION_BINDING);
static PROJECTIONS: Shape = Shape::Values(&FIELDS);
static VERIFY_STEP: Shape = Shape::Fields(&[("collection", &SOURCE)]);
static STEP: Shape = Shape::Fields(&[("ingest", &FIELDS), ("verify", &VERIFY_STEP)]);
static STEPS: Shape = Shape::Items(&STEP);
static USING: Shape = Shape::Fields(&[
    ("typescript", &FIELDS),
    ("sqlite", &FIELDS),
    ("python", &FIELDS),
    ("connector", &FIELDS),
    ("local", &FIELDS),
]);

/// `Catalog.capture()`.
pub static CAPTURE: &[Opt] = &[
    opaque("image"),
    opaque("config"),
    shaped("local", &FIELDS),
    shaped("bindings", &CAPTURE_BINDINGS),
    opaque("interval"),
    shaped("auto_discover", &FIELDS),
    shaped("shards", &FIELDS),
    opaque("expect_pub_id"),
    opaque("delete"),
    opaque("reset"),
    opaque("redact_salt"),
];

/// `Capture.binding()`.
pub static CAPTURE_BINDING: &[Opt] = &[
    opaque("resource"),
    opaque("target"),
    opaque("disable"),
    opaque("backfill"),
];

/// `Catalog.collection()`.
pub static COLLECTION: &[Opt] = &[
    schema("schema"),
    schema("write_schema"),
    schema("read_schema"),
    opaque("key"),
    shaped("projections", &PROJECTIONS),
    shaped("journals", &JOURNALS),
    opaque("expect_pub_id"),
    opaque("delete"),
];

/// `Catalog.derivation()`.
pub static DERIVATION: &[Opt] = &[
    schema("schema"),
    schema("write_schema"),
    schema("read_schema"),
    opaque("key"),
    shaped("projections", &PROJECTIONS),
    shaped("journals", &JOURNALS),
    opaque("expect_pub_id"),
    opaque("delete"),
    shaped("typescript", &FIELDS),
    shaped("sqlite", &FIELDS),
    shaped("python", &FIELDS),
    shaped("connector", &FIELDS),
    shaped("local", &FIELDS),
    shaped("using", &USING),
    shaped("transforms", &TRANSFORMS),
    opaque("shuffle_key_types"),
    shaped("shards", &FIELDS),
    opaque("redact_salt"),
];

/// `Derivation.transform()`.
pub static TRANSFORM_OPTIONS: &[Opt] = &[
    opaque("name"),
    shaped("source", &SOURCE),
    shaped("shuffle", &FIELDS),
    opaque("lambda_"),
    shaped("partitions", &FIELDS),
    opaque("not_before"),
    opaque("not_after"),
    opaque("priority"),
    opaque("read_delay"),
    opaque("disable"),
    opaque("backfill"),
];

/// `Catalog.materialization()`.
pub static MATERIALIZATION: &[Opt] = &[
    opaque("image"),
    opaque("config"),
    shaped("dekaf", &FIELDS),
    shaped("local", &FIELDS),
    shaped("source_capture", &FIELDS),
    opaque("on_incompatible_schema_change"),
    shaped("bindings", &MATERIALIZATION_BINDINGS),
    shaped("shards", &FIELDS),
    opaque("expect_pub_id"),
    opaque("delete"),
];

/// `Materialization.binding()`.
pub static MATERIALIZATION_BINDING_OPTIONS: &[Opt] = &[
    opaque("resource"),
    shaped("source", &SOURCE),
    shaped("partitions", &FIELDS),
    opaque("not_before"),
    opaque("not_after"),
    shaped("fields", &FIELDS),
    opaque("priority"),
    opaque("backfill"),
    opaque("disable"),
    opaque("on_incompatible_schema_change"),
];

/// `Catalog.test()`.
pub static TEST: &[Opt] = &[
    opaque("description"),
    shaped("steps", &STEPS),
    opaque("expect_pub_id"),
    opaque("delete"),
];

/// `Test.ingest()`.
pub static INGEST: &[Opt] = &[
    opaque("collection"),
    opaque("documents"),
    opaque("description"),
];

/// `Test.verify()`.
pub static VERIFY: &[Opt] = &[
    shaped("collection", &SOURCE),
    opaque("documents"),
    shaped("partitions", &FIELDS),
    opaque("description"),
];

fn convert(py: Python<'_>, call: &str, opt: &Opt, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    match opt.conv {
        Conv::Json(shape) => {
            if let Some(message) = spellings(value, shape, &mut opt.name.to_string())? {
                return Err(invalid_spec(py, call, message));
            }
            to_json(value, shape, opt.name)
        }
        Conv::Schema => crate::schema::to_schema(py, value, opt.name),
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

fn unexpected(call: &str, table: &[Opt], name: &str) -> PyErr {
    // A close name: at most two edits away, and not most of the name.
    let close = table
        .iter()
        .map(|o| (strsim::osa_distance(o.name, name), o.name))
        .filter(|(d, _)| *d <= 2 && d * 3 <= name.len())
        .min_by_key(|(d, _)| *d);
    match close {
        Some((_, hint)) => PyTypeError::new_err(format!(
            "{call} got an unexpected keyword argument '{name}'; did you mean '{hint}'?"
        )),
        None => PyTypeError::new_err(format!(
            "{call} got an unexpected keyword argument '{name}'"
        )),
    }
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
        if let Some(opt) = table.iter().find(|o| o.name == *name) {
            if !value.is_none() {
                out.insert(
                    camel_case(name).into_owned(),
                    convert(py, call, opt, value)?,
                );
            }
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
                out.insert(camel_case(name).into_owned(), convert(py, call, opt, &v)?);
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
