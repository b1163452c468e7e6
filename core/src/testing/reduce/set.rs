//! The `set` strategy: a set (or map) with pending `intersect` and
//! `remove` terms, kept until a full reduction.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::compare::compare_keyed;
use super::locate::Cursor;
use super::{reduce_at, Kind, ReduceError};

/// A set term: members with their values, sorted (by name in object form,
/// by key in array form).
type Members = Vec<(Option<String>, Value)>;

#[derive(Default)]
struct Terms {
    add: Option<Members>,
    intersect: Option<Members>,
    remove: Option<Members>,
}

/// The form of a side's terms: objects or arrays.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Object,
    Array,
}

fn order(key: &[String], a: &(Option<String>, Value), b: &(Option<String>, Value)) -> Ordering {
    match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => compare_keyed(key, &a.1, &b.1),
    }
}

/// Splits a side into its terms, checking their form.
fn terms(value: &Value, key: &[String], form: &mut Option<Form>) -> Option<Terms> {
    let obj = value.as_object()?;
    if obj.contains_key("intersect") && obj.contains_key("remove") {
        return None;
    }
    let mut out = Terms::default();
    for (name, term) in obj {
        let members: Members = match term {
            Value::Object(m) => {
                if *form.get_or_insert(Form::Object) != Form::Object {
                    return None;
                }
                let mut v: Members = m
                    .iter()
                    .map(|(k, v)| (Some(k.clone()), v.clone()))
                    .collect();
                v.sort_by(|a, b| order(key, a, b));
                v
            }
            Value::Array(items) => {
                if *form.get_or_insert(Form::Array) != Form::Array {
                    return None;
                }
                let v: Members = items.iter().map(|v| (None, v.clone())).collect();
                if v.windows(2)
                    .any(|w| order(key, &w[0], &w[1]) != Ordering::Less)
                {
                    return None;
                }
                v
            }
            _ => return None,
        };
        match name.as_str() {
            "add" => out.add = Some(members),
            "intersect" => out.intersect = Some(members),
            "remove" => out.remove = Some(members),
            _ => return None,
        }
    }
    Some(out)
}

/// Members of `a` whose presence in `b` is `keep`.
fn filter(key: &[String], a: Members, b: &Members, keep: bool) -> Members {
    a.into_iter()
        .filter(|m| b.binary_search_by(|x| order(key, x, m)).is_ok() == keep)
        .collect()
}

/// The union of `a` and `b`, taking `b`'s value for common members.
fn union(key: &[String], a: Members, b: Members) -> Members {
    let mut out: Members = Vec::with_capacity(a.len() + b.len());
    let mut a = a.into_iter().peekable();
    for m in b {
        while let Some(x) = a.next_if(|x| order(key, x, &m) == Ordering::Less) {
            out.push(x);
        }
        a.next_if(|x| order(key, x, &m) == Ordering::Equal);
        out.push(m);
    }
    out.extend(a);
    out
}

fn render(form: Form, members: Members) -> Value {
    match form {
        Form::Object => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.unwrap_or_default(), v))
                .collect::<Map<String, Value>>(),
        ),
        Form::Array => Value::Array(members.into_iter().map(|(_, v)| v).collect()),
    }
}

/// Reduces set `rhs` into set `lhs` (empty when absent).
pub(crate) fn reduce_set(
    lhs: Option<Value>,
    rhs: Value,
    key: &[String],
    cur: &Cursor<'_>,
    full: bool,
) -> Result<Value, ReduceError> {
    let mut form = None;
    let empty = Value::Object(Map::new());
    let parsed = terms(lhs.as_ref().unwrap_or(&empty), key, &mut form)
        .and_then(|l| Some((l, terms(&rhs, key, &mut form)?)));
    let Some((l, r)) = parsed else {
        return Err(ReduceError::leaf(lhs, rhs, Kind::SetWrongType));
    };
    let form = form.unwrap_or(Form::Object);

    // LHS's additions, less what RHS intersects or removes.
    let mut la = l.add.unwrap_or_default();
    if let Some(ri) = &r.intersect {
        la = filter(key, la, ri, true);
    }
    if let Some(rr) = &r.remove {
        la = filter(key, la, rr, false);
    }
    // Joined with RHS's additions, common members reduced.
    let add_cur = cur.prop("add");
    let mut add: Members = Vec::new();
    let mut la = la.into_iter().peekable();
    for (index, (name, rv)) in r.add.unwrap_or_default().into_iter().enumerate() {
        let probe = (name.clone(), rv);
        while let Some(x) = la.next_if(|x| order(key, x, &probe) == Ordering::Less) {
            add.push(x);
        }
        let lv = la
            .next_if(|x| order(key, x, &probe) == Ordering::Equal)
            .map(|(_, v)| v);
        let (name, rv) = probe;
        let (child, token) = match &name {
            Some(n) => (add_cur.prop(n), n.clone()),
            None => (add_cur.item(index), index.to_string()),
        };
        match reduce_at(lv, rv, &child, full) {
            Ok(Some(v)) => add.push((name, v)),
            Ok(None) => {}
            Err(err) => return Err(err.at(&token).at("add")),
        }
    }
    add.extend(la);

    let mut out = Map::new();
    out.insert("add".to_string(), render(form, add));
    if !full {
        let other = match (l.intersect, l.remove, r.intersect, r.remove) {
            (Some(li), _, Some(ri), _) => Some(("intersect", filter(key, li, &ri, true))),
            (Some(li), _, None, Some(rr)) => Some(("intersect", filter(key, li, &rr, false))),
            (Some(li), _, None, None) => Some(("intersect", li)),
            (None, Some(lr), Some(ri), _) => Some(("intersect", filter(key, ri, &lr, false))),
            (None, Some(lr), None, Some(rr)) => Some(("remove", union(key, lr, rr))),
            (None, Some(lr), None, None) => Some(("remove", lr)),
            (None, None, Some(ri), _) => Some(("intersect", ri)),
            (None, None, None, Some(rr)) => Some(("remove", rr)),
            (None, None, None, None) => None,
        };
        if let Some((name, members)) = other {
            out.insert(name.to_string(), render(form, members));
        }
    }
    out.sort_keys();
    Ok(Value::Object(out))
}
