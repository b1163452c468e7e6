//! Formatting of diagnostics and errors for the terminal and for machines.

use flowspec::{Diagnostic, Severity};

/// Diagnostics as lines for people, with a summary line.
pub fn text(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
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
    } else if warnings > 0 {
        out.push_str(&format!(
            "catalog is valid, with {warnings} warning{}\n",
            plural(warnings)
        ));
    }
    out
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
