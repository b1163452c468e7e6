//! Schema shapes: what a JSON schema says about each document location.
//!
//! A [`Shape`] is inferred from a schema once, then queried by JSON
//! pointer: which types a location may take, whether it must, may or cannot
//! exist, and its `reduce` strategy. It follows `properties`,
//! `patternProperties`, `additionalProperties`, `unevaluatedProperties`,
//! `items`, `prefixItems`, `additionalItems`, `required`, `type`, `const`,
//! `enum`, `$ref` (local pointers, `$defs`, `$anchor` and embedded resources
//! with their own `$id`), `allOf` (intersection), `anyOf` and `oneOf`
//! (union), `if`/`then`/`else` (union of `then` and `else`), and the
//! schemas `true` and `false`, as Estuary's `doc::Shape` does.
//!
//! ```
//! use flowspec::validate::{Exists, Shape, Types};
//! let shape = Shape::infer(&serde_json::json!({
//!     "type": "object",
//!     "properties": {"id": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}},
//!     "required": ["id"],
//! }));
//! let (id, exists) = shape.locate("/id");
//! assert_eq!((id.types(), exists), (Types::STRING, Exists::Must));
//! assert_eq!(shape.locate("/tags/3").0.types(), Types::STRING);
//! assert_eq!(shape.locate("/other").1, Exists::Implicit);
//! ```

mod details;
mod infer;
mod inspect;
mod intersect;
mod schema;
mod squash;
mod union;

use std::sync::Arc;

use serde_json::Value;

use super::types::Types;

pub(crate) use details::details_at;
pub(crate) use infer::infer;
pub(crate) use squash::COMPLEXITY_LIMIT;

/// What a schema says about one document location.
///
/// ```
/// use flowspec::validate::{Shape, Types};
/// let shape = Shape::infer(&serde_json::json!({"type": ["integer", "null"]}));
/// assert_eq!(shape.types(), Types::INTEGER | Types::NULL);
/// ```
#[derive(Debug, Clone)]
pub struct Shape {
    pub(crate) types: Types,
    pub(crate) enum_: Option<Vec<Value>>,
    pub(crate) reduction: Reduction,
    /// JSON pointer, in the main schema document, of the `reduce`
    /// annotation that set `reduction`.
    pub(crate) reduce_at: Option<Arc<str>>,
    pub(crate) format: Option<String>,
    pub(crate) object: ObjShape,
    pub(crate) array: Arrays,
    /// Annotations and bounds, gathered only by a detailed inference.
    pub(crate) details: Option<Box<details::Details>>,
}

/// The [`ArrayShape`] of a location, boxed when it says anything: most
/// locations are not arrays, and a large catalog has many thousands of
/// shapes. Reads of an unset one see the shape of any array.
#[derive(Debug, Clone, Default)]
pub(crate) struct Arrays(Option<Box<ArrayShape>>);

static ANY_ARRAY: ArrayShape = ArrayShape {
    min_items: 0,
    max_items: None,
    tuple: Vec::new(),
    additional: None,
};

impl Arrays {
    /// The array shape, owned.
    pub(crate) fn into_inner(self) -> ArrayShape {
        self.0.map(|b| *b).unwrap_or_default()
    }
}

impl From<ArrayShape> for Arrays {
    fn from(a: ArrayShape) -> Self {
        let unset = a.min_items == 0
            && a.max_items.is_none()
            && a.tuple.is_empty()
            && a.additional.is_none();
        Arrays((!unset).then(|| Box::new(a)))
    }
}

impl std::ops::Deref for Arrays {
    type Target = ArrayShape;

    fn deref(&self) -> &ArrayShape {
        self.0.as_deref().unwrap_or(&ANY_ARRAY)
    }
}

impl std::ops::DerefMut for Arrays {
    fn deref_mut(&mut self) -> &mut ArrayShape {
        self.0.get_or_insert_with(Box::default)
    }
}

/// The properties an object location may have.
#[derive(Debug, Clone, Default)]
pub(crate) struct ObjShape {
    /// Named properties, sorted by name.
    pub properties: Vec<Property>,
    /// Pattern properties, sorted by regex.
    pub patterns: Vec<Pattern>,
    pub additional: Option<Box<Shape>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Property {
    pub name: String,
    pub required: bool,
    pub shape: Shape,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub re: regex::Regex,
    pub shape: Shape,
}

/// The items an array location may have.
#[derive(Debug, Clone, Default)]
pub(crate) struct ArrayShape {
    pub min_items: u64,
    pub max_items: Option<u64>,
    pub tuple: Vec<Shape>,
    pub additional: Option<Box<Shape>>,
}

/// The reduction of a location: none given, one strategy, or several
/// (different strategies in `anyOf`/`oneOf` branches, chosen per document).
///
/// ```
/// use flowspec::validate::{Reduction, Shape, Strategy};
/// let shape = Shape::infer(&serde_json::json!({"reduce": {"strategy": "sum"}}));
/// assert_eq!(shape.reduction(), Reduction::Strategy(Strategy::Sum));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduction {
    /// No strategy: `lastWriteWins` applies.
    Unset,
    /// One strategy.
    Strategy(Strategy),
    /// Different strategies in alternative branches.
    Multiple,
}

/// A reduction strategy of a `reduce` annotation.
///
/// ```
/// use flowspec::validate::Strategy;
/// assert_eq!(Strategy::from_name("lastWriteWins"), Some(Strategy::LastWriteWins));
/// assert_eq!(Strategy::Sum.name(), "sum");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Append arrays.
    Append,
    /// Keep the first value.
    FirstWriteWins,
    /// Keep the last value (the default).
    LastWriteWins,
    /// Keep the greatest value.
    Maximize,
    /// Merge objects or arrays.
    Merge,
    /// Keep the smallest value.
    Minimize,
    /// Add to, intersect or remove from a set.
    Set,
    /// Add numbers.
    Sum,
    /// Merge JSON schemas.
    JsonSchemaMerge,
}

impl Strategy {
    /// Every strategy, by name.
    ///
    /// ```
    /// use flowspec::validate::Strategy;
    /// assert!(Strategy::ALL.iter().all(|s| Strategy::from_name(s.name()) == Some(*s)));
    /// ```
    pub const ALL: &'static [Strategy] = &[
        Strategy::Append,
        Strategy::FirstWriteWins,
        Strategy::JsonSchemaMerge,
        Strategy::LastWriteWins,
        Strategy::Maximize,
        Strategy::Merge,
        Strategy::Minimize,
        Strategy::Set,
        Strategy::Sum,
    ];

    /// The strategy of a `strategy` name.
    ///
    /// ```
    /// use flowspec::validate::Strategy;
    /// assert_eq!(Strategy::from_name("merge"), Some(Strategy::Merge));
    /// assert_eq!(Strategy::from_name("bigSum"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Strategy> {
        Strategy::ALL.iter().copied().find(|s| s.name() == name)
    }

    /// The name used in `reduce: {strategy: ...}`.
    ///
    /// ```
    /// assert_eq!(flowspec::validate::Strategy::JsonSchemaMerge.name(), "jsonSchemaMerge");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Append => "append",
            Strategy::FirstWriteWins => "firstWriteWins",
            Strategy::LastWriteWins => "lastWriteWins",
            Strategy::Maximize => "maximize",
            Strategy::Merge => "merge",
            Strategy::Minimize => "minimize",
            Strategy::Set => "set",
            Strategy::Sum => "sum",
            Strategy::JsonSchemaMerge => "jsonSchemaMerge",
        }
    }
}

/// Whether a location exists in every document a schema accepts.
///
/// ```
/// use flowspec::validate::{Exists, Shape};
/// let shape = Shape::infer(&serde_json::json!({"properties": {"a": false}}));
/// assert_eq!(shape.locate("/a").1, Exists::Cannot);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exists {
    /// The location always exists.
    Must,
    /// The schema names the location (a property, pattern, additional
    /// properties or items), but it may be absent.
    May,
    /// No keyword names the location; the schema merely allows it.
    Implicit,
    /// The location can never exist.
    Cannot,
}

impl Exists {
    fn extend(self, child: Exists) -> Exists {
        use Exists::*;
        match (self, child) {
            (Cannot, _) | (_, Cannot) => Cannot,
            (Implicit, _) | (_, Implicit) => Implicit,
            (May, _) | (_, May) => May,
            (Must, Must) => Must,
        }
    }
}

/// A shape that accepts anything.
static ANYTHING: Shape = Shape::anything();

impl Shape {
    /// The shape of the schema `true`.
    pub(crate) const fn anything() -> Shape {
        Shape {
            types: Types::ANY,
            enum_: None,
            reduction: Reduction::Unset,
            reduce_at: None,
            format: None,
            object: ObjShape {
                properties: Vec::new(),
                patterns: Vec::new(),
                additional: None,
            },
            array: Arrays(None),
            details: None,
        }
    }

    /// The shape of the schema `false`.
    pub(crate) const fn nothing() -> Shape {
        let mut s = Shape::anything();
        s.types = Types::INVALID;
        s
    }

    /// Infers the shape of a self-contained schema (an object or a bool).
    /// References resolve within the document: local pointers, anchors and
    /// embedded resources with their own `$id`; any other reference
    /// constrains nothing.
    ///
    /// ```
    /// use flowspec::validate::{Shape, Types};
    /// let shape = Shape::infer(&serde_json::json!({
    ///     "$defs": {"id": {"type": "integer"}},
    ///     "properties": {"id": {"$ref": "#/$defs/id"}},
    /// }));
    /// assert_eq!(shape.locate("/id").0.types(), Types::INTEGER);
    /// ```
    pub fn infer(schema: &Value) -> Shape {
        let mut index = super::index::Index::default();
        index.add(0, super::index::INLINE_BASE, schema);
        infer(&index, schema, false)
    }

    /// Infers the shape of a self-contained schema as [`Shape::infer`]
    /// does, also gathering what [`Shape::to_schema`] writes back: titles,
    /// descriptions, defaults, `secret`, `x-` annotations, `reduce`
    /// options, numeric bounds and string lengths and encodings.
    ///
    /// ```
    /// use flowspec::validate::Shape;
    /// let shape = Shape::infer_detailed(&serde_json::json!({"type": "string", "title": "A name", "maxLength": 8}));
    /// assert_eq!(shape.to_schema()["maxLength"], 8);
    /// ```
    pub fn infer_detailed(schema: &Value) -> Shape {
        let mut index = super::index::Index::default();
        index.add(0, super::index::INLINE_BASE, schema);
        infer(&index, schema, true)
    }

    /// The types this location may take.
    ///
    /// ```
    /// use flowspec::validate::{Shape, Types};
    /// assert_eq!(Shape::infer(&serde_json::json!({"enum": ["a", 1]})).types(), Types::STRING | Types::INTEGER);
    /// ```
    pub fn types(&self) -> Types {
        self.types
    }

    /// The reduction strategy of this location.
    ///
    /// ```
    /// use flowspec::validate::{Reduction, Shape};
    /// assert_eq!(Shape::infer(&serde_json::json!(true)).reduction(), Reduction::Unset);
    /// ```
    pub fn reduction(&self) -> Reduction {
        self.reduction
    }

    /// The shape at a JSON pointer (`""` for the root), and whether the
    /// location exists.
    ///
    /// ```
    /// use flowspec::validate::{Exists, Shape};
    /// let shape = Shape::infer(&serde_json::json!({"type": "object", "additionalProperties": {"type": "string"}}));
    /// assert_eq!(shape.locate("/anything").1, Exists::May);
    /// ```
    pub fn locate(&self, ptr: &str) -> (&Shape, Exists) {
        let mut shape = self;
        let mut exists = Exists::Must;
        for token in tokens(ptr) {
            let (next, e) = shape.locate_token(&token);
            shape = next;
            exists = exists.extend(e);
        }
        if shape.types == Types::INVALID {
            exists = Exists::Cannot;
        }
        (shape, exists)
    }

    fn locate_token(&self, token: &str) -> (&Shape, Exists) {
        let index = parse_index(token);
        if self.types.overlaps(Types::ARRAY) && (index.is_some() || token == "-") {
            let Some(index) = index else {
                // The position after the last item never holds a value.
                let item = self.array.additional.as_deref().unwrap_or(&ANYTHING);
                return (item, Exists::Cannot);
            };
            let exists = if self.types == Types::ARRAY && index < self.array.min_items {
                Exists::Must
            } else if index >= self.array.max_items.unwrap_or(u64::MAX) {
                Exists::Cannot
            } else if self.array.max_items.is_some()
                || (index as usize) < self.array.tuple.len()
                || self.array.additional.is_some()
            {
                Exists::May
            } else {
                Exists::Implicit
            };
            let item = self
                .array
                .tuple
                .get(index as usize)
                .or(self.array.additional.as_deref())
                .unwrap_or(&ANYTHING);
            return (item, exists);
        }
        if self.types.overlaps(Types::OBJECT) {
            return self.property(token);
        }
        (&ANYTHING, Exists::Cannot)
    }

    /// The shape and existence of the property `name` of this object.
    fn property(&self, name: &str) -> (&Shape, Exists) {
        let obj = &self.object;
        if let Ok(i) = obj
            .properties
            .binary_search_by(|p| p.name.as_str().cmp(name))
        {
            let p = &obj.properties[i];
            let exists = if self.types == Types::OBJECT && p.required {
                Exists::Must
            } else {
                Exists::May
            };
            (&p.shape, exists)
        } else if let Some(p) = obj.patterns.iter().find(|p| p.re.is_match(name)) {
            (&p.shape, Exists::May)
        } else if let Some(a) = &obj.additional {
            (a, Exists::May)
        } else {
            (&ANYTHING, Exists::Implicit)
        }
    }

    /// Every location the schema names, depth first: its JSON pointer,
    /// whether it is a pattern (under pattern or additional properties or
    /// items), its shape, and whether it exists.
    pub(crate) fn locations(&self) -> Vec<(String, bool, &Shape, Exists)> {
        let mut out = Vec::new();
        let mut ptr = String::new();
        self.locations_into(&mut ptr, Exists::Must, false, &mut out);
        out
    }

    fn locations_into<'s>(
        &'s self,
        ptr: &mut String,
        exists: Exists,
        pattern: bool,
        out: &mut Vec<(String, bool, &'s Shape, Exists)>,
    ) {
        let exists = if self.types == Types::INVALID {
            Exists::Cannot
        } else {
            exists
        };
        out.push((ptr.clone(), pattern, self, exists));
        let len = ptr.len();
        let mut child = |token: &str, shape: &'s Shape, e: Exists, pattern: bool, out: &mut _| {
            ptr.push('/');
            inspect::push_escaped(ptr, token);
            shape.locations_into(ptr, exists.extend(e), pattern, out);
            ptr.truncate(len);
        };
        for p in &self.object.properties {
            let e = if self.types == Types::OBJECT && p.required {
                Exists::Must
            } else {
                Exists::May
            };
            child(&p.name, &p.shape, e, pattern, out);
        }
        for p in &self.object.patterns {
            child(p.re.as_str(), &p.shape, Exists::May, true, out);
        }
        if let Some(a) = &self.object.additional {
            child("*", a, Exists::May, true, out);
        }
        for (i, item) in self.array.tuple.iter().enumerate() {
            let e = if self.types == Types::ARRAY && (i as u64) < self.array.min_items {
                Exists::Must
            } else {
                Exists::May
            };
            child(&i.to_string(), item, e, pattern, out);
        }
        if let Some(a) = &self.array.additional {
            child("-", a, Exists::May, true, out);
        }
    }
}

/// Parses an array index token: digits without a leading zero.
fn parse_index(token: &str) -> Option<u64> {
    if token.is_empty()
        || !token.bytes().all(|b| b.is_ascii_digit())
        || (token.len() > 1 && token.starts_with('0'))
    {
        return None;
    }
    token.parse().ok()
}

/// The unescaped tokens of a JSON pointer.
pub(crate) fn tokens(ptr: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    ptr.split('/').skip(1).map(|t| {
        if t.contains('~') {
            std::borrow::Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
        } else {
            std::borrow::Cow::Borrowed(t)
        }
    })
}

/// The union of the types of `values`.
pub(crate) fn value_types<'v>(values: impl IntoIterator<Item = &'v Value>) -> Types {
    values
        .into_iter()
        .fold(Types::INVALID, |t, v| t | Types::for_value(v))
}

#[cfg(test)]
mod tests;
