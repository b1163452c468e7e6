//! Formatting of diagnostics and errors for the terminal and for machines.

use flowspec::Diagnostic;

/// Diagnostics as lines for people, with a summary line.
pub fn text(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = d.severity.as_str();
        out.push_str(&format!(
            "{level}[{}]: {}\n  --> {}\n",
            d.code, d.message, d.scope
        ));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        out.push_str(&format!(
            "catalog is invalid: {errors} error{}, {warnings} warning{}\n",
            plural(errors),
            plural(warnings)
        ));
    }
    out
}

/// The one line that says a catalog is valid: what it holds, and how many
/// warnings it has.
pub fn summary(catalog: &flowspec::Catalog, diagnostics: &[Diagnostic]) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", plural(n));
    let mut line = format!(
        "catalog is valid: {}, {}, {}, {}",
        count(catalog.captures.len(), "capture"),
        count(catalog.collections.len(), "collection"),
        count(catalog.materializations.len(), "materialization"),
        count(catalog.tests.len(), "test"),
    );
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    if warnings > 0 {
        line.push_str(&format!(", with {}", count(warnings, "warning")));
    }
    line.push('\n');
    line
}

/// Diagnostics as one JSON document: `{"valid": bool, "diagnostics": [...]}`.
pub fn json(valid: bool, diagnostics: &[Diagnostic]) -> String {
    let doc = serde_json::json!({ "valid": valid, "diagnostics": diagnostics });
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value serializes");
    text.push('\n');
    text
}

/// An error for the terminal, with its code.
pub fn error(err: &flowspec::Error) -> String {
    match err {
        flowspec::Error::Load(d) | flowspec::Error::Validation(d) => text(d),
        other => format!("error[{}]: {other}", other.code()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
