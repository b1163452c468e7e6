//! Reading, replacing and removing specs as JSON, by kind and name.

use serde_json::Value;

use crate::{Catalog, Kind, Result};

/// A spec as JSON (the model's form), if it exists.
///
/// ```
/// use flowspec::{json_api, Catalog, Kind};
/// let mut catalog = Catalog::default();
/// json_api::collection(&mut catalog, "acmeCo/x", serde_json::json!({"schema": {"type": "object"}, "key": ["/id"]}))?;
/// assert_eq!(json_api::get(&catalog, Kind::Collection, "acmeCo/x").unwrap()["key"][0], "/id");
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn get(catalog: &Catalog, kind: Kind, name: &str) -> Option<Value> {
    let value = match kind {
        Kind::Capture => catalog.captures.get(name).map(serde_json::to_value),
        Kind::Collection => catalog.collections.get(name).map(serde_json::to_value),
        Kind::Materialization => catalog.materializations.get(name).map(serde_json::to_value),
        Kind::Test => catalog.tests.get(name).map(serde_json::to_value),
    };
    value.map(|v| v.expect("specs serialize"))
}

/// Replaces (or adds) a spec given as JSON in the model's form.
///
/// ```
/// use flowspec::{json_api, Catalog, Kind};
/// let mut catalog = Catalog::default();
/// json_api::set(&mut catalog, Kind::Collection, "acmeCo/x", serde_json::json!({"schema": true, "key": ["/id"]}))?;
/// let err = json_api::set(&mut catalog, Kind::Collection, "acmeCo/x", serde_json::json!({"key": "/id"})).unwrap_err();
/// assert!(err.to_string().starts_with("collection acmeCo/x: key: invalid type"));
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn set(catalog: &mut Catalog, kind: Kind, name: &str, spec: Value) -> Result<()> {
    let what = format!("{} {name}", kind.singular());
    match kind {
        Kind::Capture => {
            let n = crate::Capture::new(name)?;
            catalog.captures.insert(n, decode_spec(&what, spec)?);
        }
        Kind::Collection => {
            let n = crate::Collection::new(name)?;
            catalog.collections.insert(n, decode_spec(&what, spec)?);
        }
        Kind::Materialization => {
            let n = crate::Materialization::new(name)?;
            catalog
                .materializations
                .insert(n, decode_spec(&what, spec)?);
        }
        Kind::Test => {
            let n = crate::Test::new(name)?;
            catalog.tests.insert(n, decode_spec(&what, spec)?);
        }
    }
    Ok(())
}

fn decode_spec<T: serde::de::DeserializeOwned>(what: &str, spec: Value) -> Result<T> {
    crate::json::from_value(&spec).map_err(|e| super::path_error(what, e, "field"))
}

/// Removes a spec; returns whether it existed.
pub fn remove(catalog: &mut Catalog, kind: Kind, name: &str) -> bool {
    match kind {
        Kind::Capture => catalog.captures.remove(name).is_some(),
        Kind::Collection => catalog.collections.remove(name).is_some(),
        Kind::Materialization => catalog.materializations.remove(name).is_some(),
        Kind::Test => catalog.tests.remove(name).is_some(),
    }
}

/// The names of the specs of a kind, sorted.
pub fn names(catalog: &Catalog, kind: Kind) -> Vec<String> {
    match kind {
        Kind::Capture => catalog.captures.keys().map(|k| k.to_string()).collect(),
        Kind::Collection => catalog.collections.keys().map(|k| k.to_string()).collect(),
        Kind::Materialization => catalog
            .materializations
            .keys()
            .map(|k| k.to_string())
            .collect(),
        Kind::Test => catalog.tests.keys().map(|k| k.to_string()).collect(),
    }
}
