//! The combiner: documents grouped and reduced by key under a collection schema.
//!
//! Each added document is validated, then reduced associatively into the
//! earlier documents of its key; the first document of a key is held back
//! as the base of full reductions. Draining yields one document per key in
//! ascending key order: folded into the first document with full reductions
//! (verify), or associatively (ingest and derived outputs).
//!
//! ```
//! use flowspec::testing::Combiner;
//! use serde_json::json;
//! let schema = json!({
//!     "type": "object",
//!     "reduce": {"strategy": "merge"},
//!     "properties": {"id": {"type": "string"}, "n": {"type": "integer", "reduce": {"strategy": "sum"}}},
//!     "required": ["id"],
//! });
//! let mut combiner = Combiner::new(&schema, None, &["/id"], true).unwrap();
//! for doc in [json!({"id": "b", "n": 1}), json!({"id": "a", "n": 2}), json!({"id": "b", "n": 3})] {
//!     combiner.add(doc).unwrap();
//! }
//! let out: Vec<_> = combiner.drain().unwrap().into_iter().map(|c| c.doc).collect();
//! assert_eq!(out, vec![json!({"id": "a", "n": 2}), json!({"id": "b", "n": 4})]);
//! ```

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;
use std::fmt;

use serde_json::Value;

use super::reduce::{compare, Annotations, Invalid, ReduceError, Schema};

/// A failure of the combiner.
///
/// ```
/// use flowspec::testing::{CombineError, Combiner};
/// use serde_json::json;
/// let schema = json!({"type": "object", "properties": {"n": {"type": "integer"}}});
/// let mut combiner = Combiner::new(&schema, None, &["/n"], true).unwrap();
/// let err = combiner.add(json!({"n": "x"})).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "document failed validation against its collection JSON Schema:\n  at \"/n\": \"x\" is not of type \"integer\""
/// );
/// assert!(matches!(err, CombineError::Invalid { .. }));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum CombineError {
    /// The collection schema does not compile.
    Schema {
        /// What is wrong with it.
        message: String,
    },
    /// A document (added, or combined on drain) is not valid.
    Invalid {
        /// The document.
        doc: Value,
        /// Each validation error, with the pointer of its location.
        errors: Vec<Invalid>,
    },
    /// Two documents of a key could not be reduced.
    Reduce {
        /// The key of the documents.
        key: Vec<Value>,
        /// Where and why the reduction failed.
        error: ReduceError,
    },
}

impl fmt::Display for CombineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CombineError::Schema { message } => f.write_str(message),
            CombineError::Invalid { errors, .. } => {
                f.write_str("document failed validation against its collection JSON Schema:")?;
                for e in errors {
                    write!(f, "\n  at {:?}: {}", e.ptr, e.message)?;
                }
                Ok(())
            }
            CombineError::Reduce { error, .. } => {
                write!(f, "failed to combine documents having shared key: {error}")
            }
        }
    }
}

impl std::error::Error for CombineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CombineError::Reduce { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// The combined document of one key.
///
/// ```
/// use flowspec::testing::{Combined, Combiner};
/// use serde_json::json;
/// let mut combiner = Combiner::new(&json!({"type": "object"}), None, &["/id"], true).unwrap();
/// combiner.add(json!({"id": 7})).unwrap();
/// assert_eq!(
///     combiner.drain().unwrap(),
///     vec![Combined { key: vec![json!(7)], doc: json!({"id": 7}), deleted: false }]
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// The key, one value per key pointer.
    pub key: Vec<Value>,
    /// The document.
    pub doc: Value,
    /// Whether a full reduction deleted the document.
    pub deleted: bool,
}

/// A key, ordered by the total order of JSON values (and hashed
/// consistently with it: `20` and `20.0` are one key).
#[derive(Debug, Clone)]
struct Key(Vec<Value>);

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.0.iter().zip(&other.0) {
            match compare(a, b) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        self.0.len().cmp(&other.0.len())
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.len().hash(state);
        self.0.iter().for_each(|v| hash_value(v, state));
    }
}

/// Hashes `v` so that values equal in the total order hash alike.
fn hash_value<H: Hasher>(v: &Value, state: &mut H) {
    match v {
        Value::Null => 0u8.hash(state),
        Value::Bool(b) => (1u8, *b).hash(state),
        Value::Number(n) => {
            2u8.hash(state);
            let int = n
                .as_u64()
                .map(i128::from)
                .or_else(|| n.as_i64().map(i128::from));
            match (int, n.as_f64()) {
                (Some(i), _) => i.hash(state),
                (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e38 => (f as i128).hash(state),
                (None, Some(f)) => f.to_bits().hash(state),
                (None, None) => {}
            }
        }
        Value::String(s) => (3u8, s.as_str()).hash(state),
        Value::Array(items) => {
            (4u8, items.len()).hash(state);
            items.iter().for_each(|v| hash_value(v, state));
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(state);
            let mut pairs: Vec<_> = map.iter().collect();
            pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for (k, v) in pairs {
                k.hash(state);
                hash_value(v, state);
            }
        }
    }
}

/// Documents grouped by key and reduced under a collection schema.
#[derive(Debug)]
pub struct Combiner {
    schema: Schema,
    key: Vec<String>,
    defaults: Vec<Value>,
    full: bool,
    /// The documents of each key: the first one (held back), then the
    /// associative reductions of later ones (more than one only where they
    /// were not associative).
    entries: FxHashMap<Key, Vec<Value>>,
}

impl Combiner {
    /// A combiner of documents of `schema`, a collection schema as the
    /// loaded catalog holds it (a read schema when `write_schema` is given:
    /// it may then reference `flow://write-schema`,
    /// `flow://relaxed-write-schema` and `flow://inferred-schema`), keyed by
    /// the pointers of `key`. `full`: whether [`Combiner::drain`] reduces
    /// fully (as verify does) or associatively (as ingest does).
    ///
    /// ```
    /// use flowspec::testing::Combiner;
    /// use serde_json::json;
    /// let write = json!({"type": "object", "properties": {"id": {"type": "integer"}}});
    /// let read = json!({"$ref": "flow://write-schema", "required": ["id"]});
    /// let mut combiner = Combiner::new(&read, Some(&write), &["/id"], true).unwrap();
    /// assert!(combiner.add(json!({})).is_err());
    /// assert_eq!(
    ///     Combiner::new(&json!({"type": "object"}), None, &["id"], true).unwrap_err().to_string(),
    ///     "key pointer \"id\" is not a JSON pointer (it must start with '/')"
    /// );
    /// ```
    pub fn new(
        schema: &Value,
        write_schema: Option<&Value>,
        key: &[&str],
        full: bool,
    ) -> Result<Combiner, CombineError> {
        for ptr in key {
            if !ptr.starts_with('/') {
                return Err(CombineError::Schema {
                    message: format!(
                        "key pointer {ptr:?} is not a JSON pointer (it must start with '/')"
                    ),
                });
            }
        }
        let schema = Schema::new(schema, write_schema)
            .map_err(|message| CombineError::Schema { message })?;
        let defaults = key
            .iter()
            .map(|ptr| schema.default_at(ptr).cloned().unwrap_or(Value::Null))
            .collect();
        Ok(Combiner {
            schema,
            key: key.iter().map(|k| k.to_string()).collect(),
            defaults,
            full,
            entries: FxHashMap::default(),
        })
    }

    fn extract(&self, doc: &Value) -> Key {
        Key(self
            .key
            .iter()
            .zip(&self.defaults)
            .map(|(ptr, default)| doc.pointer(ptr).unwrap_or(default).clone())
            .collect())
    }

    /// Validates `doc` against the schema (an error if it is invalid) and
    /// combines it with the earlier documents of its key.
    ///
    /// ```
    /// use flowspec::testing::Combiner;
    /// use serde_json::json;
    /// let mut combiner = Combiner::new(&json!({"type": "object"}), None, &["/id"], false).unwrap();
    /// combiner.add(json!({"id": 1, "v": "a"})).unwrap();
    /// combiner.add(json!({"id": 1, "v": "b"})).unwrap();
    /// assert_eq!(combiner.drain().unwrap()[0].doc, json!({"id": 1, "v": "b"}));
    /// ```
    pub fn add(&mut self, doc: Value) -> Result<(), CombineError> {
        let annotations = match self.schema.validate(&doc) {
            Ok(a) => a,
            Err(errors) => return Err(CombineError::Invalid { doc, errors }),
        };
        let key = self.extract(&doc);
        let docs = match self.entries.get_mut(&key) {
            Some(docs) => docs,
            None => {
                self.entries.insert(key, vec![doc]);
                return Ok(());
            }
        };
        if docs.len() < 2 {
            docs.push(doc);
            return Ok(());
        }
        let Some(last) = docs.last_mut() else {
            return Ok(());
        };
        let backup = self
            .schema
            .may_not_associate()
            .then(|| (last.clone(), doc.clone()));
        match self
            .schema
            .reduce(std::mem::take(last), doc, &annotations, false)
        {
            Ok((reduced, _)) => {
                *last = reduced;
                Ok(())
            }
            Err(ReduceError::NotAssociative) => match backup {
                Some((l, r)) => {
                    *last = l;
                    docs.push(r);
                    Ok(())
                }
                None => Err(CombineError::Reduce {
                    key: key.0,
                    error: ReduceError::NotAssociative,
                }),
            },
            Err(error) => Err(CombineError::Reduce { key: key.0, error }),
        }
    }

    /// The strategies of a document already validated.
    fn annotate(&self, doc: &Value) -> Annotations {
        self.schema.annotations(doc)
    }

    /// Every key's combined document, in ascending key order, each
    /// validated again. Leaves the combiner empty and reusable.
    ///
    /// ```
    /// use flowspec::testing::Combiner;
    /// use serde_json::json;
    /// let schema = json!({"type": "object", "properties": {"n": {"type": "integer"}}});
    /// let mut combiner = Combiner::new(&schema, None, &["/k"], true).unwrap();
    /// combiner.add(json!({"k": "b"})).unwrap();
    /// combiner.add(json!({"n": 1})).unwrap();
    /// let keys: Vec<_> = combiner.drain().unwrap().into_iter().map(|c| c.key).collect();
    /// assert_eq!(keys, vec![vec![json!(null)], vec![json!("b")]]);
    /// assert!(combiner.drain().unwrap().is_empty());
    /// ```
    pub fn drain(&mut self) -> Result<Vec<Combined>, CombineError> {
        let mut entries: Vec<_> = std::mem::take(&mut self.entries).into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut out = Vec::with_capacity(entries.len());
        for (key, docs) in entries {
            let mut docs = docs.into_iter();
            let Some(mut acc) = docs.next() else {
                continue;
            };
            let mut deleted = false;
            for rhs in docs {
                let annotations = self.annotate(&rhs);
                let backup = (!self.full && self.schema.may_not_associate())
                    .then(|| (acc.clone(), rhs.clone()));
                match self
                    .schema
                    .reduce(std::mem::take(&mut acc), rhs, &annotations, self.full)
                {
                    Ok((doc, d)) => {
                        acc = doc;
                        deleted = d;
                    }
                    Err(ReduceError::NotAssociative) => {
                        let Some((l, r)) = backup else {
                            return Err(CombineError::Reduce {
                                key: key.0,
                                error: ReduceError::NotAssociative,
                            });
                        };
                        self.emit(&key, l, false, &mut out)?;
                        acc = r;
                    }
                    Err(error) => return Err(CombineError::Reduce { key: key.0, error }),
                }
            }
            self.emit(&key, acc, deleted, &mut out)?;
        }
        Ok(out)
    }

    fn emit(
        &self,
        key: &Key,
        doc: Value,
        deleted: bool,
        out: &mut Vec<Combined>,
    ) -> Result<(), CombineError> {
        if !deleted {
            if let Err(errors) = self.schema.validate(&doc) {
                return Err(CombineError::Invalid { doc, errors });
            }
        }
        out.push(Combined {
            key: key.0.clone(),
            doc,
            deleted,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests;
