//! The total order of JSON values, used for keys, keyed merges, sets and
//! `minimize`/`maximize`.

use std::cmp::Ordering;

use serde_json::{Number, Value};

/// Compares two JSON values in Estuary's total order: `null` < booleans <
/// numbers < strings < arrays < objects; `false < true`; numbers by value
/// (`20 == 20.0`); strings by UTF-8 bytes; arrays lexicographically; objects
/// as their sorted (name, value) pairs. A prefix orders first.
///
/// ```
/// use std::cmp::Ordering;
/// use flowspec::testing::reduce::compare;
/// use serde_json::json;
/// assert_eq!(compare(&json!(20), &json!(20.0)), Ordering::Equal);
/// assert_eq!(compare(&json!("DEPOSIT"), &json!("alice")), Ordering::Less);
/// assert_eq!(compare(&json!(true), &json!(0)), Ordering::Less);
/// assert_eq!(compare(&json!([1]), &json!([1, 0])), Ordering::Less);
/// ```
pub fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) => compare_numbers(a, b),
        (Value::String(a), Value::String(b)) => a.as_bytes().cmp(b.as_bytes()),
        (Value::Array(a), Value::Array(b)) => {
            for (x, y) in a.iter().zip(b) {
                match compare(x, y) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            a.len().cmp(&b.len())
        }
        (Value::Object(a), Value::Object(b)) => {
            let mut a: Vec<_> = a.iter().collect();
            let mut b: Vec<_> = b.iter().collect();
            a.sort_unstable_by(|x, y| x.0.as_bytes().cmp(y.0.as_bytes()));
            b.sort_unstable_by(|x, y| x.0.as_bytes().cmp(y.0.as_bytes()));
            for ((ka, va), (kb, vb)) in a.iter().zip(&b) {
                match ka
                    .as_bytes()
                    .cmp(kb.as_bytes())
                    .then_with(|| compare(va, vb))
                {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            a.len().cmp(&b.len())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// A number as an integer when it is one, else as a float.
fn integer(n: &Number) -> Option<i128> {
    n.as_u64()
        .map(i128::from)
        .or_else(|| n.as_i64().map(i128::from))
}

fn compare_numbers(a: &Number, b: &Number) -> Ordering {
    match (integer(a), integer(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let x = a.as_f64().unwrap_or(f64::NAN);
            let y = b.as_f64().unwrap_or(f64::NAN);
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
    }
}

/// Compares two optional values (a missing value orders first).
pub(crate) fn compare_opt(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => compare(a, b),
    }
}

/// Compares `a` and `b` by the values at the pointers of `key` (the whole
/// value for the pointer `""`).
pub(crate) fn compare_keyed(key: &[String], a: &Value, b: &Value) -> Ordering {
    for ptr in key {
        match compare_opt(a.pointer(ptr), b.pointer(ptr)) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}
