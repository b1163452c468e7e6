//! Reductions: how two documents of one key become one, by the `reduce`
//! annotations of their schema.
//!
//! The strategy of each location comes from the annotations of the
//! subschemas that validated the right-hand (later) document; locations
//! without one use `lastWriteWins`. Nested locations use their own
//! strategies only under a strategy that recurses (`merge`, `set`, and
//! `minimize`/`maximize` with equal keys).
//!
//! ```
//! use flowspec::testing::reduce::Schema;
//! use serde_json::json;
//! let schema = Schema::new(&json!({
//!     "type": "object",
//!     "reduce": {"strategy": "merge"},
//!     "properties": {"n": {"type": "integer", "reduce": {"strategy": "sum"}}},
//! }), None).unwrap();
//! let rhs = json!({"n": 2, "s": "b"});
//! let annotations = schema.validate(&rhs).unwrap();
//! let reduced = schema.reduce(json!({"n": 1, "s": "a"}), rhs, &annotations, true).unwrap();
//! assert_eq!(reduced, (json!({"n": 3, "s": "b"}), false));
//! ```

mod compare;
mod locate;
mod number;
mod schema;
mod set;
mod strategy;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::fmt;

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

pub use compare::compare;
pub use strategy::Strategy;

use compare::compare_keyed;
use locate::{Cursor, Plan, Slot};
use number::SumError;

/// What went wrong at the location of a failed reduction.
///
/// ```
/// use flowspec::testing::reduce::Kind;
/// assert_eq!(Kind::SumWrongType.to_string(), "'sum' strategy expects numbers");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Kind {
    /// `append` of something other than arrays.
    AppendWrongType,
    /// `sum` of something other than numbers.
    SumWrongType,
    /// `sum` overflowed.
    SumNumericOverflow,
    /// `merge` of something other than objects or arrays.
    MergeWrongType,
    /// `set` of values that are not well-formed sets.
    SetWrongType,
    /// `jsonSchemaMerge` of values that are not JSON schemas.
    JsonSchemaMerge(String),
    /// Two different strategies at one location.
    ConflictingStrategies(Strategy, Strategy),
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::AppendWrongType => f.write_str("'append' strategy expects arrays"),
            Kind::SumWrongType => f.write_str("'sum' strategy expects numbers"),
            Kind::SumNumericOverflow => f.write_str("`sum` resulted in numeric overflow"),
            Kind::MergeWrongType => f.write_str("'merge' strategy expects objects or arrays"),
            Kind::SetWrongType => f.write_str(
                "'set' strategy expects objects having only 'add', 'remove', and 'intersect' \
                 properties with consistent object or array types",
            ),
            Kind::JsonSchemaMerge(detail) => write!(
                f,
                "'json-schema-merge' strategy expects objects containing valid JSON schemas: {detail}"
            ),
            Kind::ConflictingStrategies(a, b) => {
                write!(f, "conflicting strategies at this location: {a:?} vs {b:?}")
            }
        }
    }
}

/// Where and why a reduction failed.
///
/// ```
/// use flowspec::testing::reduce::{Failure, Kind};
/// use serde_json::json;
/// let f = Failure { ptr: "/n".into(), lhs: None, rhs: json!("x"), kind: Kind::SumWrongType };
/// assert_eq!(f.ptr, "/n");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// JSON pointer of the location in the documents.
    pub ptr: String,
    /// The left-hand (earlier) value there, if any.
    pub lhs: Option<Value>,
    /// The right-hand value there.
    pub rhs: Value,
    /// What went wrong.
    pub kind: Kind,
}

/// A failed reduction.
///
/// ```
/// use flowspec::testing::reduce::{Failure, Kind, ReduceError};
/// use serde_json::json;
/// let err = ReduceError::Failed(Box::new(Failure { ptr: "/n".into(), lhs: Some(json!(1)), rhs: json!("x"), kind: Kind::SumWrongType }));
/// assert_eq!(err.to_string(), "while reducing \"/n\": having values LHS: 1, RHS: \"x\": 'sum' strategy expects numbers");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ReduceError {
    /// The documents can only be reduced once the base document is known
    /// (in a full reduction): the combiner keeps both.
    NotAssociative,
    /// A reduction failed at a location.
    Failed(Box<Failure>),
}

impl fmt::Display for ReduceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReduceError::NotAssociative => f.write_str("documents are not associative"),
            ReduceError::Failed(failure) => {
                let Failure {
                    ptr,
                    lhs,
                    rhs,
                    kind,
                } = &**failure;
                write!(f, "while reducing {ptr:?}: having values LHS: ")?;
                match lhs {
                    Some(l) => write!(f, "{l}")?,
                    None => f.write_str("(none)")?,
                }
                write!(f, ", RHS: {rhs}: {kind}")
            }
        }
    }
}

impl std::error::Error for ReduceError {}

impl ReduceError {
    fn leaf(lhs: Option<Value>, rhs: Value, kind: Kind) -> Self {
        ReduceError::Failed(Box::new(Failure {
            ptr: String::new(),
            lhs,
            rhs,
            kind,
        }))
    }

    /// The error, one level up: under property or index `token`.
    fn at(mut self, token: &str) -> Self {
        if let ReduceError::Failed(failure) = &mut self {
            failure.ptr = format!("/{}{}", crate::names::escape_token(token), failure.ptr);
        }
        self
    }
}

/// The strategies of a validated document, as [`Schema::validate`] finds
/// them.
///
/// ```
/// use flowspec::testing::reduce::Schema;
/// use serde_json::json;
/// let schema = Schema::new(&json!({"type": "object"}), None).unwrap();
/// let annotations = schema.validate(&json!({})).unwrap();
/// assert_eq!(schema.reduce(json!({"a": 1}), json!({}), &annotations, true).unwrap().0, json!({}));
/// ```
#[derive(Debug)]
pub struct Annotations(Option<FxHashMap<String, Slot>>);

/// A collection schema compiled for validating and reducing documents.
///
/// ```
/// use flowspec::testing::reduce::Schema;
/// use serde_json::json;
/// let schema = Schema::new(&json!({"type": "object", "reduce": {"strategy": "merge"}}), None).unwrap();
/// let rhs = json!({"b": 2});
/// let a = schema.validate(&rhs).unwrap();
/// assert_eq!(schema.reduce(json!({"a": 1}), rhs, &a, false).unwrap().0, json!({"a": 1, "b": 2}));
/// ```
pub struct Schema {
    validator: jsonschema::Validator,
    plan: Plan,
    /// Whether strategies depend on the document (conditional subschemas
    /// carry `reduce` annotations).
    dynamic: bool,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("plan", &self.plan)
            .field("dynamic", &self.dynamic)
            .finish_non_exhaustive()
    }
}

/// One error of a document's validation.
///
/// ```
/// use flowspec::testing::reduce::{Invalid, Schema};
/// use serde_json::json;
/// let schema = Schema::new(&json!({"type": "object", "required": ["id"]}), None).unwrap();
/// assert_eq!(
///     schema.validate(&json!({})).unwrap_err(),
///     vec![Invalid { ptr: "".into(), message: "\"id\" is a required property".into() }]
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// JSON pointer of the invalid location of the document.
    pub ptr: String,
    /// What is wrong there.
    pub message: String,
}

impl Schema {
    /// Compiles `schema`, a collection schema (a read schema when `write`,
    /// the collection's write schema, is given). The error is a message
    /// naming the problem.
    ///
    /// ```
    /// use flowspec::testing::reduce::Schema;
    /// use serde_json::json;
    /// assert!(Schema::new(&json!({"type": "object"}), None).is_ok());
    /// assert_eq!(
    ///     Schema::new(&json!({"$ref": "#/$defs/nope"}), None).unwrap_err(),
    ///     "invalid collection schema: referenced schema fragment location #/$defs/nope does not exist (at /$ref)"
    /// );
    /// ```
    pub fn new(schema: &Value, write: Option<&Value>) -> Result<Schema, String> {
        let text = schema.to_string();
        let write_text = write.map(Value::to_string);
        let compiled = crate::validate::schema::compile(&text, write_text.as_deref());
        let validator = compiled.validator().cloned();
        let Some(validator) = validator else {
            let problems: Vec<String> = compiled
                .problems
                .iter()
                .map(|p| format!("{} (at {})", p.message("schema"), p.path))
                .collect();
            return Err(format!(
                "invalid collection schema: {}",
                problems.join("; ")
            ));
        };
        let docs = locate::Documents::new(write);
        let index = docs.index(schema);
        let (plan, dynamic) =
            locate::plan(&index, schema).map_err(|e| format!("invalid collection schema: {e}"))?;
        Ok(Schema {
            validator,
            plan,
            dynamic,
        })
    }

    /// Validates `doc`, returning its strategies, or every validation error.
    ///
    /// ```
    /// use flowspec::testing::reduce::{Invalid, Schema};
    /// use serde_json::json;
    /// let schema = Schema::new(&json!({"type": "object", "properties": {"n": {"type": "integer"}}}), None).unwrap();
    /// assert!(schema.validate(&json!({"n": 1})).is_ok());
    /// assert_eq!(
    ///     schema.validate(&json!({"n": "x"})).unwrap_err(),
    ///     vec![Invalid { ptr: "/n".into(), message: "\"x\" is not of type \"integer\"".into() }]
    /// );
    /// ```
    pub fn validate(&self, doc: &Value) -> Result<Annotations, Vec<Invalid>> {
        if !self.dynamic {
            if self.validator.is_valid(doc) {
                return Ok(Annotations(None));
            }
            return Err(self.errors(doc));
        }
        let evaluation = self.validator.evaluate(doc);
        if !evaluation.flag().valid {
            return Err(self.errors(doc));
        }
        Ok(Annotations(Some(locate::annotations(&evaluation))))
    }

    fn errors(&self, doc: &Value) -> Vec<Invalid> {
        self.validator
            .iter_errors(doc)
            .map(|e| Invalid {
                ptr: e.instance_path().to_string(),
                message: e.to_string(),
            })
            .collect()
    }

    /// The strategies of `doc`, a document validated before, without
    /// validating it again where they do not depend on the document.
    pub(crate) fn annotations(&self, doc: &Value) -> Annotations {
        if !self.dynamic {
            return Annotations(None);
        }
        let evaluation = self.validator.evaluate(doc);
        Annotations(Some(locate::annotations(&evaluation)))
    }

    /// The `default` the schema gives the location `ptr`, if any.
    ///
    /// ```
    /// use flowspec::testing::reduce::Schema;
    /// use serde_json::json;
    /// let schema = Schema::new(&json!({"type": "object", "properties": {"id": {"default": "none"}}}), None).unwrap();
    /// assert_eq!(schema.default_at("/id"), Some(&json!("none")));
    /// assert_eq!(schema.default_at("/other"), None);
    /// ```
    pub fn default_at(&self, ptr: &str) -> Option<&Value> {
        self.plan.locate(ptr)?.default.as_ref()
    }

    /// Whether an associative reduction of valid documents may fail with
    /// [`ReduceError::NotAssociative`].
    pub(crate) fn may_not_associate(&self) -> bool {
        self.dynamic || self.plan.may_not_associate
    }

    /// Reduces `rhs` (validated, with `annotations`) into `lhs`: returns the
    /// reduced document, and whether a full reduction deleted it. `full`
    /// reductions have `lhs` as the base document.
    ///
    /// ```
    /// use flowspec::testing::reduce::Schema;
    /// use serde_json::json;
    /// let schema = Schema::new(&json!({"type": "object"}), None).unwrap();
    /// let a = schema.validate(&json!({"b": 1})).unwrap();
    /// assert_eq!(schema.reduce(json!({"a": 1}), json!({"b": 1}), &a, false).unwrap(), (json!({"b": 1}), false));
    /// ```
    pub fn reduce(
        &self,
        lhs: Value,
        rhs: Value,
        annotations: &Annotations,
        full: bool,
    ) -> Result<(Value, bool), ReduceError> {
        let cur = match &annotations.0 {
            Some(map) => Cursor::Dynamic(map, String::new()),
            None => Cursor::Static(&self.plan, Some(0)),
        };
        match reduce_at(Some(lhs), rhs, &cur, full)? {
            Some(doc) => Ok((doc, false)),
            None => Ok((Value::Object(Map::new()), true)),
        }
    }
}

/// Reduces `rhs` into `lhs` at the location of `cur`: `None` when a full
/// reduction deletes the location.
pub(crate) fn reduce_at(
    lhs: Option<Value>,
    rhs: Value,
    cur: &Cursor<'_>,
    full: bool,
) -> Result<Option<Value>, ReduceError> {
    let strategy = match cur.strategy() {
        Ok(s) => s,
        Err((a, b)) => {
            return Err(ReduceError::leaf(
                lhs,
                rhs,
                Kind::ConflictingStrategies(a.clone(), b.clone()),
            ))
        }
    };
    match strategy {
        Strategy::Append => match (lhs, rhs) {
            (None, Value::Array(r)) => Ok(Some(Value::Array(r))),
            (Some(Value::Null), Value::Array(_)) => Ok(Some(Value::Null)),
            (Some(Value::Array(mut l)), Value::Array(r)) => {
                l.extend(r);
                Ok(Some(Value::Array(l)))
            }
            (l, r) => Err(ReduceError::leaf(l, r, Kind::AppendWrongType)),
        },
        Strategy::FirstWriteWins => Ok(Some(lhs.unwrap_or(rhs))),
        Strategy::LastWriteWins {
            delete,
            associative,
        } => {
            if *delete && full {
                return Ok(None);
            }
            if !associative && !full {
                if let Some(l) = &lhs {
                    if compare(l, &rhs) != Ordering::Equal {
                        return Err(ReduceError::NotAssociative);
                    }
                }
            }
            Ok(Some(rhs))
        }
        Strategy::Minimize { key } | Strategy::Maximize { key } => {
            let min = matches!(strategy, Strategy::Minimize { .. });
            let Some(l) = lhs else {
                return Ok(Some(rhs));
            };
            let ord = if key.is_empty() {
                compare(&l, &rhs)
            } else {
                compare_keyed(key, &l, &rhs)
            };
            let keep_lhs = if min {
                ord == Ordering::Less
            } else {
                ord == Ordering::Greater
            };
            if keep_lhs {
                Ok(Some(l))
            } else if ord == Ordering::Equal && !key.is_empty() {
                merge(Some(l), rhs, &[], cur, full).map(Some)
            } else {
                Ok(Some(rhs))
            }
        }
        Strategy::Merge { key, delete } => {
            if *delete && full {
                return Ok(None);
            }
            merge(lhs, rhs, key, cur, full).map(Some)
        }
        Strategy::Set { key } => set::reduce_set(lhs, rhs, key, cur, full).map(Some),
        Strategy::Sum => match number::sum(lhs.as_ref(), &rhs) {
            Ok(v) => Ok(Some(v)),
            Err(SumError::WrongType) => Err(ReduceError::leaf(lhs, rhs, Kind::SumWrongType)),
            Err(SumError::Overflow) => Err(ReduceError::leaf(lhs, rhs, Kind::SumNumericOverflow)),
        },
        Strategy::JsonSchemaMerge => match schema::json_schema_merge(lhs.as_ref(), &rhs) {
            Ok(merged) => Ok(Some(merged)),
            Err(detail) => Err(ReduceError::leaf(lhs, rhs, Kind::JsonSchemaMerge(detail))),
        },
    }
}

/// The `merge` strategy.
fn merge(
    lhs: Option<Value>,
    rhs: Value,
    key: &[String],
    cur: &Cursor<'_>,
    full: bool,
) -> Result<Value, ReduceError> {
    match (lhs, rhs) {
        (Some(Value::Object(l)), Value::Object(r)) => merge_objects(l, r, cur, full),
        (Some(Value::Array(l)), Value::Array(r)) if key.is_empty() => merge_arrays(l, r, cur, full),
        (Some(Value::Array(l)), Value::Array(r)) => merge_keyed(l, r, key, cur, full),
        (None, r @ (Value::Object(_) | Value::Array(_))) if !full => Ok(r),
        (None, Value::Object(r)) => merge_objects(Map::new(), r, cur, full),
        (None, Value::Array(r)) if key.is_empty() => merge_arrays(Vec::new(), r, cur, full),
        (None, Value::Array(r)) => merge_keyed(Vec::new(), r, key, cur, full),
        (Some(_), r @ (Value::Object(_) | Value::Array(_))) => {
            if full {
                merge(None, r, key, cur, full)
            } else {
                Err(ReduceError::NotAssociative)
            }
        }
        (l, r) => Err(ReduceError::leaf(l, r, Kind::MergeWrongType)),
    }
}

fn merge_objects(
    mut l: Map<String, Value>,
    r: Map<String, Value>,
    cur: &Cursor<'_>,
    full: bool,
) -> Result<Value, ReduceError> {
    // Documents of a collection mostly have their properties in one order:
    // reduce the properties of `r` in place while they pair with those of
    // `l` by position, and look the others up by name.
    let mut r = r.into_iter();
    let mut rest = Vec::new();
    let mut removed = Vec::new();
    let mut ls = l.iter_mut();
    for (name, rv) in r.by_ref() {
        match ls.next() {
            Some((k, slot)) if *k == name => {
                let lv = std::mem::take(slot);
                match reduce_at(Some(lv), rv, &cur.prop(&name), full) {
                    Ok(Some(v)) => *slot = v,
                    Ok(None) => removed.push(name),
                    Err(err) => return Err(err.at(&name)),
                }
            }
            _ => {
                rest.push((name, rv));
                break;
            }
        }
    }
    rest.extend(r);
    for name in removed {
        l.shift_remove(&name);
    }
    for (name, rv) in rest {
        let child = cur.prop(&name);
        match l.get_mut(&name) {
            Some(slot) => {
                let lv = std::mem::take(slot);
                match reduce_at(Some(lv), rv, &child, full) {
                    Ok(Some(v)) => *slot = v,
                    Ok(None) => {
                        l.shift_remove(&name);
                    }
                    Err(err) => return Err(err.at(&name)),
                }
            }
            None => match reduce_at(None, rv, &child, full) {
                Ok(Some(v)) => {
                    l.insert(name, v);
                }
                Ok(None) => {}
                Err(err) => return Err(err.at(&name)),
            },
        }
    }
    let sorted = l
        .keys()
        .zip(l.keys().skip(1))
        .all(|(a, b)| a.as_bytes() < b.as_bytes());
    if !sorted {
        l.sort_keys();
    }
    Ok(Value::Object(l))
}

fn merge_arrays(
    mut l: Vec<Value>,
    r: Vec<Value>,
    cur: &Cursor<'_>,
    full: bool,
) -> Result<Value, ReduceError> {
    let mut deleted = Vec::new();
    for (i, rv) in r.into_iter().enumerate() {
        let child = cur.item(i);
        let lv = l.get_mut(i).map(std::mem::take);
        match reduce_at(lv, rv, &child, full) {
            Ok(Some(v)) if i < l.len() => l[i] = v,
            Ok(Some(v)) => l.push(v),
            Ok(None) if i < l.len() => deleted.push(i),
            Ok(None) => {
                // Keep later items at their indices.
                l.push(Value::Null);
                deleted.push(i);
            }
            Err(err) => return Err(err.at(&i.to_string())),
        }
    }
    for i in deleted.into_iter().rev() {
        l.remove(i);
    }
    Ok(Value::Array(l))
}

fn merge_keyed(
    l: Vec<Value>,
    r: Vec<Value>,
    key: &[String],
    cur: &Cursor<'_>,
    full: bool,
) -> Result<Value, ReduceError> {
    let mut out = Vec::with_capacity(l.len() + r.len());
    let mut l = l.into_iter().peekable();
    for (i, rv) in r.into_iter().enumerate() {
        while let Some(x) = l.next_if(|x| compare_keyed(key, x, &rv) == Ordering::Less) {
            out.push(x);
        }
        let lv = l.next_if(|x| compare_keyed(key, x, &rv) == Ordering::Equal);
        match reduce_at(lv, rv, &cur.item(i), full) {
            Ok(Some(v)) => out.push(v),
            Ok(None) => {}
            Err(err) => return Err(err.at(&i.to_string())),
        }
    }
    out.extend(l);
    Ok(Value::Array(out))
}
