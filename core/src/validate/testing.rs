//! Helpers of the validation tests.

use serde_json::Value;

use crate::{Catalog, Diagnostic, Severity};

/// An expected diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expect {
    pub scope: String,
    pub code: String,
    pub message: String,
    pub severity: Severity,
}

impl Expect {
    pub fn error(scope: &str, code: &str, message: &str) -> Self {
        Expect {
            scope: scope.to_string(),
            code: code.to_string(),
            message: message.to_string(),
            severity: Severity::Error,
        }
    }

    pub fn warning(scope: &str, code: &str, message: &str) -> Self {
        Expect {
            severity: Severity::Warning,
            ..Expect::error(scope, code, message)
        }
    }
}

impl From<&Diagnostic> for Expect {
    fn from(d: &Diagnostic) -> Self {
        Expect {
            scope: d.scope.clone(),
            code: d.code.clone(),
            message: d.message.clone(),
            severity: d.severity,
        }
    }
}

/// A catalog from JSON.
pub(crate) fn catalog(json: Value) -> Catalog {
    serde_json::from_value(json).expect("test catalog deserializes")
}

/// Asserts that validating `json` gives exactly `want`.
#[track_caller]
pub(crate) fn check(json: Value, want: &[Expect]) {
    check_catalog(&catalog(json), want)
}

/// Asserts that validating `catalog` gives exactly `want`.
#[track_caller]
pub(crate) fn check_catalog(catalog: &Catalog, want: &[Expect]) {
    let got: Vec<Expect> = super::validate(catalog).iter().map(Expect::from).collect();
    let mut want = want.to_vec();
    want.sort_by(|a, b| (&a.scope, &a.code, &a.message).cmp(&(&b.scope, &b.code, &b.message)));
    assert_eq!(got, want, "\n got: {got:#?}\nwant: {want:#?}");
}

/// A collection with a string key `/id` and the given extra properties.
pub(crate) fn collection(props: Value) -> Value {
    let mut properties = serde_json::json!({"id": {"type": "string"}});
    for (k, v) in props.as_object().into_iter().flatten() {
        properties[k] = v.clone();
    }
    serde_json::json!({
        "schema": {"type": "object", "properties": properties, "required": ["id"]},
        "key": ["/id"],
    })
}
