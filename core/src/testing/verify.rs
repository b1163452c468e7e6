//! Comparing a verify step's expected documents with the actual ones, as
//! Estuary's test harness does.
//!
//! Expected documents are subsets of the actual ones: every property of an
//! expected object must be in the actual object and match, while extra
//! actual properties are fine at any depth. Arrays match element-wise and
//! must have equal lengths. Numbers match when their texts are equal, or
//! when they differ by less than `f64::EPSILON` times the larger magnitude
//! (so `1.0` matches `1`). Other scalars match exactly (`"43"` is not `42`).

use serde_json::Value;

use super::results::Mismatch;

/// Whether `actual` matches `expected`.
///
/// ```
/// use flowspec::testing::verify::matches;
/// use serde_json::json;
/// assert!(matches(&json!({"a": 1, "extra": true}), &json!({"a": 1.0})));
/// assert!(!matches(&json!([1, 2]), &json!([1])));
/// assert!(!matches(&json!("43"), &json!(42)));
/// ```
pub fn matches(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| matches(av, ev))),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(av, ev)| matches(av, ev))
        }
        (Value::Number(a), Value::Number(e)) => {
            if a.to_string() == e.to_string() {
                return true;
            }
            match (a.as_f64(), e.as_f64()) {
                (Some(a), Some(e)) => (a - e).abs() < f64::EPSILON * a.abs().max(e.abs()),
                _ => false,
            }
        }
        _ => actual == expected,
    }
}

/// The differences between actual and expected documents, both in key
/// order: mismatched documents at an index of both, missing expected ones
/// and unexpected actual ones.
///
/// ```
/// use flowspec::testing::{verify::compare, Mismatch};
/// use serde_json::json;
/// let diffs = compare(&[json!({"k": 1, "n": 2})], &[json!({"k": 1, "n": 3}), json!({"k": 2})]);
/// assert_eq!(diffs.len(), 2);
/// assert!(matches!(diffs[0], Mismatch::Mismatched { index: 0, .. }));
/// assert!(matches!(diffs[1], Mismatch::Missing { index: 1, .. }));
/// ```
pub fn compare(actual: &[Value], expected: &[Value]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (index, (a, e)) in actual.iter().zip(expected).enumerate() {
        if !matches(a, e) {
            out.push(Mismatch::Mismatched {
                index,
                actual: a.clone(),
                expected: e.clone(),
                differences: differences(a, e),
            });
        }
    }
    for (index, e) in expected.iter().enumerate().skip(actual.len()) {
        out.push(Mismatch::Missing {
            index,
            expected: e.clone(),
        });
    }
    for (index, a) in actual.iter().enumerate().skip(expected.len()) {
        out.push(Mismatch::Unexpected {
            index,
            actual: a.clone(),
        });
    }
    out
}

/// Each place where `actual` does not match `expected`, as a line
/// `<pointer>: expected <e>, actual <a>` (or `actual is missing`).
fn differences(actual: &Value, expected: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(actual, expected, &mut String::new(), &mut out);
    out
}

fn walk(actual: &Value, expected: &Value, at: &mut String, out: &mut Vec<String>) {
    let here = |at: &str| {
        if at.is_empty() {
            "/".to_string()
        } else {
            at.to_string()
        }
    };
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let len = at.len();
                at.push('/');
                at.push_str(&k.replace('~', "~0").replace('/', "~1"));
                match a.get(k) {
                    Some(av) => walk(av, ev, at, out),
                    None => out.push(format!("{at}: expected {ev}, actual is missing")),
                }
                at.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => {
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                walk(av, ev, at, out);
                at.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(e)) => out.push(format!(
            "{}: expected {} items, actual has {}",
            here(at),
            e.len(),
            a.len()
        )),
        _ if matches(actual, expected) => {}
        _ => out.push(format!(
            "{}: expected {expected}, actual {actual}",
            here(at)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_match_by_text_or_within_epsilon() {
        assert!(matches(&json!(1.0), &json!(1)));
        assert!(matches(&json!(44.1), &json!(44.10000000000001)));
        assert!(!matches(&json!(0.0), &json!(0)));
        assert!(!matches(&json!(44.1), &json!(44.2)));
        assert!(matches(&json!(-260), &json!(-260)));
    }

    #[test]
    fn objects_are_subsets_and_arrays_exact() {
        assert!(matches(
            &json!({"a": {"b": 1, "c": 2}, "d": 3}),
            &json!({"a": {"b": 1}})
        ));
        assert!(!matches(&json!({"a": {"c": 2}}), &json!({"a": {"b": 1}})));
        assert!(!matches(&json!([1, 2, 3]), &json!([1, 2])));
        assert!(!matches(&json!(null), &json!({})));
        assert!(matches(
            &json!(["x", {"y": 1, "z": 2}]),
            &json!(["x", {"y": 1}])
        ));
    }

    #[test]
    fn differences_name_each_place() {
        let d = differences(
            &json!({"a": {"b": 1}, "n": [1, 2], "s": "x"}),
            &json!({"a": {"b": 2, "c": 3}, "n": [1], "s": "x", "t/u": 1}),
        );
        assert_eq!(
            d,
            vec![
                "/a/b: expected 2, actual 1",
                "/a/c: expected 3, actual is missing",
                "/n: expected 1 items, actual has 2",
                "/t~1u: expected 1, actual is missing",
            ]
        );
        assert_eq!(
            differences(&json!(1), &json!("1")),
            vec!["/: expected \"1\", actual 1"]
        );
    }

    #[test]
    fn compare_reports_all_three_kinds() {
        let actual = [
            json!({"k": "a", "n": 1}),
            json!({"k": "b", "n": 2}),
            json!({"k": "c"}),
        ];
        let expected = [json!({"k": "a", "n": 1}), json!({"k": "b", "n": 999})];
        let diffs = compare(&actual, &expected);
        assert_eq!(diffs.len(), 2);
        assert!(
            matches!(&diffs[0], Mismatch::Mismatched { index: 1, differences, .. }
            if differences == &["/n: expected 999, actual 2"])
        );
        assert!(matches!(&diffs[1], Mismatch::Unexpected { index: 2, .. }));
    }
}
