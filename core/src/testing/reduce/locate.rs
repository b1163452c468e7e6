//! Which strategy applies at each location of a document.
//!
//! Strategies come from the `reduce` annotations of the subschemas that
//! validated the right-hand document. When no conditional subschema
//! (`oneOf`, `anyOf`, `if`/`then`/`else`, `not`, `dependentSchemas`) carries
//! a `reduce` annotation, the strategy of each location is known from the
//! schema alone: a static [`Plan`] of locations is built once and documents
//! only need validating. Otherwise each document is evaluated and its
//! annotations are collected, location by location.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

use super::strategy::Strategy;
use crate::validate::index::{Index, INLINE_BASE};

const WRITE_URL: &str = "flow://write-schema";
const RELAXED_URL: &str = "flow://relaxed-write-schema";
const INFERRED_URL: &str = "flow://inferred-schema";

/// Keywords under which a subschema applies only to some documents.
const CONDITIONAL: &[&str] = &[
    "oneOf",
    "anyOf",
    "if",
    "then",
    "else",
    "not",
    "dependentSchemas",
];

/// The strategies given at one location.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    /// None: the default applies.
    Unset,
    /// One strategy.
    One(Strategy),
    /// Two different strategies.
    Conflict(Strategy, Strategy),
}

impl Slot {
    fn add(&mut self, s: Strategy) {
        match self {
            Slot::Unset => *self = Slot::One(s),
            Slot::One(first) if *first != s => *self = Slot::Conflict(first.clone(), s),
            _ => {}
        }
    }
}

/// One location of a [`Plan`].
#[derive(Debug)]
pub(crate) struct PlanNode {
    pub slot: Slot,
    /// The `default` of the location, if a schema gives one.
    pub default: Option<Value>,
    /// Named properties, sorted by name.
    props: Vec<(String, usize)>,
    /// Properties matching a pattern (first match wins).
    patterns: Vec<(regex::Regex, usize)>,
    /// Other properties.
    additional: Option<usize>,
    /// Items by index.
    prefix: Vec<Option<usize>>,
    /// Other items.
    items: Option<usize>,
}

/// The locations of documents of a schema, with their strategies.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    nodes: Vec<PlanNode>,
    /// Whether an associative reduction of two valid documents may find
    /// them not associative (so the combiner keeps a copy to fall back on).
    pub may_not_associate: bool,
}

impl Plan {
    /// The node at a document pointer.
    pub fn locate(&self, ptr: &str) -> Option<&PlanNode> {
        let mut at = if self.nodes.is_empty() { None } else { Some(0) };
        if ptr.is_empty() {
            return at.map(|i| &self.nodes[i]);
        }
        for token in ptr.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let node = &self.nodes[at?];
            at = self.prop(node, &token);
            if let Ok(i) = token.parse::<usize>() {
                at = at.or_else(|| self.item(node, i));
            }
        }
        at.map(|i| &self.nodes[i])
    }

    fn prop(&self, node: &PlanNode, name: &str) -> Option<usize> {
        if let Ok(i) = node.props.binary_search_by(|(n, _)| n.as_str().cmp(name)) {
            return Some(node.props[i].1);
        }
        for (re, child) in &node.patterns {
            if re.is_match(name) {
                return Some(*child);
            }
        }
        node.additional
    }

    fn item(&self, node: &PlanNode, index: usize) -> Option<usize> {
        match node.prefix.get(index) {
            Some(child) => *child,
            None => node.items,
        }
    }
}

static DEFAULT: Strategy = Strategy::LastWriteWins {
    delete: false,
    associative: true,
};

/// Where a reduction is in a document, and how to find its strategy.
#[derive(Debug, Clone)]
pub(crate) enum Cursor<'a> {
    /// A location of a static plan (`None`: one the schema says nothing of).
    Static(&'a Plan, Option<usize>),
    /// A location of a document whose annotations were collected: the map
    /// of strategies by pointer, and the pointer.
    Dynamic(&'a FxHashMap<String, Slot>, String),
}

impl<'a> Cursor<'a> {
    /// The strategy here, or the two that conflict.
    pub fn strategy(&self) -> Result<&'a Strategy, (&'a Strategy, &'a Strategy)> {
        let slot = match self {
            Cursor::Static(plan, Some(i)) => &plan.nodes[*i].slot,
            Cursor::Static(_, None) => return Ok(&DEFAULT),
            Cursor::Dynamic(map, ptr) => match map.get(ptr) {
                Some(slot) => slot,
                None => return Ok(&DEFAULT),
            },
        };
        match slot {
            Slot::Unset => Ok(&DEFAULT),
            Slot::One(s) => Ok(s),
            Slot::Conflict(a, b) => Err((a, b)),
        }
    }

    /// The location of property `name` of this one.
    pub fn prop(&self, name: &str) -> Cursor<'a> {
        match self {
            Cursor::Static(plan, at) => {
                Cursor::Static(plan, at.and_then(|i| plan.prop(&plan.nodes[i], name)))
            }
            Cursor::Dynamic(map, ptr) => {
                let mut p = String::with_capacity(ptr.len() + name.len() + 1);
                p.push_str(ptr);
                p.push('/');
                p.push_str(&crate::names::escape_token(name));
                Cursor::Dynamic(map, p)
            }
        }
    }

    /// The location of item `index` of this one.
    pub fn item(&self, index: usize) -> Cursor<'a> {
        match self {
            Cursor::Static(plan, at) => {
                Cursor::Static(plan, at.and_then(|i| plan.item(&plan.nodes[i], index)))
            }
            Cursor::Dynamic(map, ptr) => Cursor::Dynamic(map, format!("{ptr}/{index}")),
        }
    }
}

/// Builds the plan of `root` (a schema of the documents indexed by `index`)
/// and says whether its strategies depend on the document.
pub(crate) fn plan(index: &Index<'_>, root: &Value) -> Result<(Plan, bool), String> {
    let mut b = Builder {
        index,
        plan: Plan::default(),
        memo: FxHashMap::default(),
        conditional: false,
        reduce_seen: FxHashMap::default(),
    };
    b.build(vec![root])?;
    let dynamic = b.conditional;
    Ok((b.plan, dynamic))
}

struct Builder<'i, 's> {
    index: &'i Index<'s>,
    plan: Plan,
    memo: FxHashMap<Vec<usize>, usize>,
    /// Whether a `reduce` annotation sits under a conditional keyword.
    conditional: bool,
    /// Memo of "holds a `reduce` annotation" by subschema address.
    reduce_seen: FxHashMap<usize, bool>,
}

fn addr(v: &Value) -> usize {
    v as *const Value as usize
}

impl<'s> Builder<'_, 's> {
    fn resolve(&self, schema: &'s Value, reference: &str) -> Option<&'s Value> {
        let base = self
            .index
            .node(schema)
            .map(|n| n.base.to_string())
            .unwrap_or_else(|| INLINE_BASE.to_string());
        self.index.resolve_url(&base, reference).map(|(_, v, _)| v)
    }

    /// `schema` and every subschema that always applies with it (`$ref`,
    /// `allOf`).
    fn expand(&mut self, schema: &'s Value, out: &mut Vec<&'s Value>, seen: &mut HashSet<usize>) {
        let Value::Object(obj) = schema else {
            return;
        };
        if !seen.insert(addr(schema)) {
            return;
        }
        out.push(schema);
        for keyword in CONDITIONAL {
            if let Some(sub) = obj.get(*keyword) {
                if self.holds_reduce(sub, &mut HashSet::new()) {
                    self.conditional = true;
                }
            }
        }
        if let Some(Value::String(r)) = obj.get("$ref") {
            if let Some(target) = self.resolve(schema, r) {
                self.expand(target, out, seen);
            }
        }
        if let Some(Value::Array(all)) = obj.get("allOf") {
            for sub in all {
                self.expand(sub, out, seen);
            }
        }
    }

    /// Whether a `reduce` annotation is in `value` or what it references.
    fn holds_reduce(&mut self, value: &'s Value, seen: &mut HashSet<usize>) -> bool {
        if let Some(known) = self.reduce_seen.get(&addr(value)) {
            return *known;
        }
        if !seen.insert(addr(value)) {
            return false;
        }
        let found = match value {
            Value::Object(obj) => {
                obj.contains_key("reduce")
                    || match obj.get("$ref") {
                        Some(Value::String(r)) => match self.resolve(value, r) {
                            Some(t) => self.holds_reduce(t, seen),
                            None => false,
                        },
                        _ => false,
                    }
                    || obj
                        .iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "$defs" | "definitions"))
                        .any(|(_, v)| self.holds_reduce(v, seen))
            }
            Value::Array(items) => items.iter().any(|v| self.holds_reduce(v, seen)),
            _ => false,
        };
        self.reduce_seen.insert(addr(value), found);
        found
    }

    fn build(&mut self, schemas: Vec<&'s Value>) -> Result<Option<usize>, String> {
        let mut all = Vec::new();
        let mut seen = HashSet::new();
        for s in schemas {
            self.expand(s, &mut all, &mut seen);
        }
        if all.is_empty() {
            return Ok(None);
        }
        let mut key: Vec<usize> = all.iter().map(|v| addr(v)).collect();
        key.sort_unstable();
        if let Some(i) = self.memo.get(&key) {
            return Ok(Some(*i));
        }
        let at = self.plan.nodes.len();
        self.memo.insert(key, at);
        let mut slot = Slot::Unset;
        let mut default = None;
        let mut container = false;
        for s in &all {
            if let Some(r) = s.get("reduce") {
                slot.add(Strategy::parse(r)?);
            }
            if default.is_none() {
                default = s.get("default").cloned();
            }
            container |= matches!(
                s.get("type").and_then(Value::as_str),
                Some("object" | "array")
            );
        }
        let risky = match &slot {
            Slot::One(Strategy::LastWriteWins { associative, .. }) => !associative,
            Slot::One(Strategy::Merge { .. })
            | Slot::One(Strategy::Minimize { .. })
            | Slot::One(Strategy::Maximize { .. }) => !container,
            _ => false,
        };
        self.plan.may_not_associate |= risky;
        self.plan.nodes.push(PlanNode {
            slot,
            default,
            props: Vec::new(),
            patterns: Vec::new(),
            additional: None,
            prefix: Vec::new(),
            items: None,
        });

        // Properties.
        let objs: Vec<&'s Map<String, Value>> = all.iter().filter_map(|s| s.as_object()).collect();
        let props_of = |o: &'s Map<String, Value>| match o.get("properties") {
            Some(Value::Object(p)) => p,
            _ => &EMPTY_MAP,
        };
        let mut names: Vec<&String> = objs.iter().flat_map(|o| props_of(o).keys()).collect();
        names.sort_unstable();
        names.dedup();
        let mut patterns_of = Vec::new();
        for o in &objs {
            let mut ps = Vec::new();
            if let Some(Value::Object(p)) = o.get("patternProperties") {
                for (re, sub) in p {
                    if let Ok(re) = regex::Regex::new(re) {
                        ps.push((re, sub));
                    }
                }
            }
            patterns_of.push(ps);
        }
        let mut props = Vec::new();
        for name in names {
            let mut subs = Vec::new();
            for (o, ps) in objs.iter().zip(&patterns_of) {
                let mut matched = false;
                if let Some(sub) = props_of(o).get(name.as_str()) {
                    subs.push(sub);
                    matched = true;
                }
                for (re, sub) in ps {
                    if re.is_match(name) {
                        subs.push(*sub);
                        matched = true;
                    }
                }
                if !matched {
                    if let Some(sub) = o.get("additionalProperties") {
                        subs.push(sub);
                    }
                }
            }
            if let Some(child) = self.build(subs)? {
                props.push((name.clone(), child));
            }
        }
        let mut patterns = Vec::new();
        for ps in patterns_of {
            for (re, sub) in ps {
                if let Some(child) = self.build(vec![sub])? {
                    patterns.push((re, child));
                }
            }
        }
        let additional = self.build(
            objs.iter()
                .filter_map(|o| o.get("additionalProperties"))
                .collect(),
        )?;

        // Items.
        let mut tuples: Vec<&'s Vec<Value>> = Vec::new();
        let mut rest: Vec<Option<&'s Value>> = Vec::new();
        for o in &objs {
            match (o.get("prefixItems"), o.get("items")) {
                (Some(Value::Array(t)), items) => {
                    tuples.push(t);
                    rest.push(items);
                }
                (None, Some(Value::Array(t))) => {
                    tuples.push(t);
                    rest.push(o.get("additionalItems"));
                }
                (_, items) => {
                    tuples.push(&EMPTY);
                    rest.push(items);
                }
            }
        }
        let len = tuples.iter().map(|t| t.len()).max().unwrap_or(0);
        let mut prefix = Vec::new();
        for i in 0..len {
            let subs = tuples
                .iter()
                .zip(&rest)
                .filter_map(|(t, r)| t.get(i).or(*r))
                .collect();
            prefix.push(self.build(subs)?);
        }
        let items = self.build(rest.into_iter().flatten().collect())?;
        let node = &mut self.plan.nodes[at];
        node.props = props;
        node.patterns = patterns;
        node.additional = additional;
        node.prefix = prefix;
        node.items = items;
        Ok(Some(at))
    }
}

static EMPTY: Vec<Value> = Vec::new();
static EMPTY_MAP: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// The documents of a collection schema, indexed, with the `flow://`
/// documents a read schema may reference.
pub(crate) struct Documents {
    pub write: Option<Value>,
    pub relaxed: Option<Value>,
}

impl Documents {
    /// The `flow://` documents of `schema` given the write schema.
    pub fn new(write: Option<&Value>) -> Self {
        Documents {
            write: write.cloned(),
            relaxed: write.map(crate::validate::schema::relax),
        }
    }

    /// An index of `schema` and these documents.
    pub fn index<'s>(&'s self, schema: &'s Value) -> Index<'s> {
        static TRUE: Value = Value::Bool(true);
        let mut index = Index::default();
        index.add(0, INLINE_BASE, schema);
        if let Some(w) = &self.write {
            index.add(1, WRITE_URL, w);
        }
        if let Some(r) = &self.relaxed {
            index.add(2, RELAXED_URL, r);
        }
        index.add(3, INFERRED_URL, &TRUE);
        index
    }
}

/// Collects the strategies of an evaluated document, by location.
pub(crate) fn annotations(evaluation: &jsonschema::Evaluation) -> FxHashMap<String, Slot> {
    let mut map: FxHashMap<String, Slot> = FxHashMap::default();
    for entry in evaluation.iter_annotations() {
        let Some(reduce) = entry.annotations.value().get("reduce") else {
            continue;
        };
        // Annotations were checked when the schema compiled.
        let Ok(strategy) = Strategy::parse(reduce) else {
            continue;
        };
        map.entry(entry.instance_location.as_str().to_string())
            .or_insert(Slot::Unset)
            .add(strategy);
    }
    map
}
