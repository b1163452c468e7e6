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

use rustc_hash::{FxHashMap, FxHasher};
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
/// consistently with it by [`hash_key`]: `20` and `20.0` are one key).
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

/// Hashes the values of a key, borrowed from a document or owned.
fn hash_key<'v>(values: impl ExactSizeIterator<Item = &'v Value>) -> u64 {
    let mut state = FxHasher::default();
    values.len().hash(&mut state);
    values.for_each(|v| hash_value(v, &mut state));
    state.finish()
}

/// Whether two keys are one: equal, value by value, in the total order.
fn same_key(stored: &[Value], found: &[&Value]) -> bool {
    stored.len() == found.len()
        && stored
            .iter()
            .zip(found)
            .all(|(a, b)| compare(a, b) == Ordering::Equal)
}

/// Whether two values are written alike (objects with their properties
/// in one order).
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| identical(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && identical(va, vb))
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        (a, b) => a == b,
    }
}

/// A key pointer, split into its tokens once.
#[derive(Debug)]
struct Pointer(Vec<Token>);

/// A token of a key pointer: a property name, and the array index it
/// denotes, if any.
#[derive(Debug)]
struct Token {
    name: String,
    index: Option<usize>,
}

impl Pointer {
    /// Splits `ptr` (starting with '/') as [`Value::pointer`] does.
    fn new(ptr: &str) -> Pointer {
        Pointer(
            ptr.split('/')
                .skip(1)
                .map(|t| {
                    let name = t.replace("~1", "/").replace("~0", "~");
                    let index =
                        if name.starts_with('+') || (name.starts_with('0') && name.len() != 1) {
                            None
                        } else {
                            name.parse().ok()
                        };
                    Token { name, index }
                })
                .collect(),
        )
    }

    /// The value at this pointer of `doc`, as [`Value::pointer`] finds it.
    fn find<'v>(&self, doc: &'v Value) -> Option<&'v Value> {
        self.0.iter().try_fold(doc, |at, token| match at {
            Value::Object(map) => map.get(&token.name),
            Value::Array(items) => token.index.and_then(|i| items.get(i)),
            _ => None,
        })
    }
}

/// The documents of one key: the first one (held back), then the
/// associative reductions of later ones (more than one only where they
/// were not associative).
#[derive(Debug)]
struct Entry {
    key: Key,
    docs: Vec<Value>,
    /// The next entry whose key has the same hash.
    next: Option<usize>,
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
    key: Vec<Pointer>,
    defaults: Vec<Value>,
    full: bool,
    /// The documents of each key.
    entries: Vec<Entry>,
    /// The first entry of each key hash.
    index: FxHashMap<u64, usize>,
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
            key: key.iter().map(|k| Pointer::new(k)).collect(),
            defaults,
            full,
            entries: Vec::new(),
            index: FxHashMap::default(),
        })
    }

    /// The entry of the key of `doc`, if there is one (with the key of
    /// `doc` when it is written otherwise than the entry's, as `20.0` is
    /// for `20`), else the key and its hash. The key is borrowed for the
    /// look-up and cloned only for a new entry.
    fn find(&self, doc: &Value) -> Result<(usize, Option<Key>), (Key, u64)> {
        let mut found: Vec<&Value> = Vec::with_capacity(self.key.len());
        found.extend(
            self.key
                .iter()
                .zip(&self.defaults)
                .map(|(ptr, default)| ptr.find(doc).unwrap_or(default)),
        );
        let hash = hash_key(found.iter().copied());
        let mut at = self.index.get(&hash).copied();
        while let Some(i) = at {
            let entry = &self.entries[i];
            if same_key(&entry.key.0, &found) {
                let own = (!entry.key.0.iter().zip(&found).all(|(a, b)| identical(a, b)))
                    .then(|| Key(found.into_iter().cloned().collect()));
                return Ok((i, own));
            }
            at = entry.next;
        }
        Err((Key(found.into_iter().cloned().collect()), hash))
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
        let (at, own) = match self.find(&doc) {
            Ok(found) => found,
            Err((key, hash)) => {
                let at = self.entries.len();
                let next = self.index.insert(hash, at);
                self.entries.push(Entry {
                    key,
                    docs: vec![doc],
                    next,
                });
                return Ok(());
            }
        };
        let entry = &mut self.entries[at];
        let key_of = |entry: &Entry| own.map_or_else(|| entry.key.0.clone(), |k| k.0);
        let docs = &mut entry.docs;
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
                    key: key_of(&self.entries[at]),
                    error: ReduceError::NotAssociative,
                }),
            },
            Err(error) => Err(CombineError::Reduce {
                key: key_of(&self.entries[at]),
                error,
            }),
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
        let mut entries = std::mem::take(&mut self.entries);
        self.index.clear();
        entries.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        let mut out = Vec::with_capacity(entries.len());
        for Entry { key, docs, .. } in entries {
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
