//! An index of the schema documents of one collection schema: the resources
//! they embed (`$id`), their anchors (`$anchor`), every `$ref` and every
//! `reduce` annotation, so that references resolve without the network.

use std::rc::Rc;

use serde_json::Value;

use rustc_hash::FxHashMap;

/// The base URL of an inline schema without an `$id` of its own.
pub(crate) const INLINE_BASE: &str = "flowspec://inline/schema.json";

/// Where a subschema sits: its document, its JSON pointer in that document,
/// and the base URL its references resolve against.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub base: Rc<str>,
    pub doc: usize,
    pub path: Rc<str>,
}

/// A `$ref` keyword: where it is, what it says, and its base URL.
#[derive(Debug, Clone)]
pub(crate) struct RefSite {
    pub node: Node,
    pub reference: String,
}

/// A `reduce` annotation and where it is.
#[derive(Debug)]
pub(crate) struct ReduceSite<'s> {
    pub node: Node,
    pub value: &'s Value,
}

/// The index of one or more schema documents.
#[derive(Default)]
pub(crate) struct Index<'s> {
    resources: FxHashMap<String, (&'s Value, Node)>,
    anchors: FxHashMap<String, (&'s Value, Node)>,
    nodes: FxHashMap<usize, Node>,
    pub refs: Vec<RefSite>,
    pub reduces: Vec<ReduceSite<'s>>,
    /// Whether a document uses the tuple form of `items` (an array) or
    /// `additionalItems`, which draft 2020-12 replaced with `prefixItems`.
    pub legacy_items: bool,
}

/// Keywords whose value is a map of subschemas.
pub(crate) const MAP_KEYWORDS: &[&str] = &[
    "$defs",
    "definitions",
    "properties",
    "patternProperties",
    "dependentSchemas",
];
/// Keywords whose value is one subschema.
pub(crate) const ONE_KEYWORDS: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "propertyNames",
    "items",
    "additionalItems",
    "unevaluatedItems",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "contentSchema",
];
/// Keywords whose value is an array of subschemas.
pub(crate) const LIST_KEYWORDS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

impl<'s> Index<'s> {
    /// Adds a document, resolving its relative references against `base`.
    pub fn add(&mut self, doc: usize, base: &str, value: &'s Value) {
        let base: Rc<str> = Rc::from(base);
        self.resources.insert(
            base.to_string(),
            (
                value,
                Node {
                    base: base.clone(),
                    doc,
                    path: Rc::from(""),
                },
            ),
        );
        let mut path = String::new();
        self.walk(value, base, doc, &mut path);
    }

    fn walk(&mut self, value: &'s Value, base: Rc<str>, doc: usize, path: &mut String) {
        let Value::Object(obj) = value else {
            return;
        };
        // One pass over the keywords (each lookup would hash its name).
        let (mut id, mut anchor, mut reference, mut reduce) = (None, None, None, None);
        for (keyword, v) in obj {
            match keyword.as_str() {
                "$id" => id = v.as_str(),
                "$anchor" => anchor = v.as_str(),
                "$ref" => reference = v.as_str(),
                "reduce" => reduce = Some(v),
                "items" if v.is_array() => self.legacy_items = true,
                "additionalItems" => self.legacy_items = true,
                _ => {}
            }
        }
        let mut base = base;
        if let Some(id) = id {
            if let Some(url) = join(&base, id) {
                let url = without_fragment(&url);
                base = Rc::from(url.as_str());
                let node = Node {
                    base: base.clone(),
                    doc,
                    path: Rc::from(path.as_str()),
                };
                self.resources.insert(url, (value, node));
            }
        }
        // Only subschemas that references or diagnostics need are recorded.
        if id.is_none() && anchor.is_none() && reference.is_none() && reduce.is_none() {
            self.walk_children(obj, base, doc, path);
            return;
        }
        let node = Node {
            base: base.clone(),
            doc,
            path: Rc::from(path.as_str()),
        };
        if let Some(anchor) = anchor {
            self.anchors
                .insert(format!("{base}#{anchor}"), (value, node.clone()));
        }
        if let Some(reference) = reference {
            self.refs.push(RefSite {
                node: node.clone(),
                reference: reference.to_string(),
            });
        }
        if let Some(reduce) = reduce {
            self.reduces.push(ReduceSite {
                node: node.clone(),
                value: reduce,
            });
        }
        self.nodes.insert(addr(value), node);
        self.walk_children(obj, base, doc, path);
    }

    fn walk_children(
        &mut self,
        obj: &'s serde_json::Map<String, Value>,
        base: Rc<str>,
        doc: usize,
        path: &mut String,
    ) {
        for (keyword, child) in obj {
            let keyword = keyword.as_str();
            let len = path.len();
            if MAP_KEYWORDS.contains(&keyword) {
                if let Value::Object(map) = child {
                    for (name, sub) in map {
                        path.push('/');
                        path.push_str(keyword);
                        path.push('/');
                        path.push_str(&crate::names::escape_token(name));
                        self.walk(sub, base.clone(), doc, path);
                        path.truncate(len);
                    }
                }
            } else if LIST_KEYWORDS.contains(&keyword) && child.is_array() {
                for (i, sub) in child.as_array().into_iter().flatten().enumerate() {
                    path.push('/');
                    path.push_str(keyword);
                    path.push('/');
                    path.push_str(&i.to_string());
                    self.walk(sub, base.clone(), doc, path);
                    path.truncate(len);
                }
            } else if ONE_KEYWORDS.contains(&keyword) {
                path.push('/');
                path.push_str(keyword);
                self.walk(child, base.clone(), doc, path);
                path.truncate(len);
            }
        }
    }

    /// Where a subschema of an indexed document sits.
    pub fn node(&self, value: &Value) -> Option<&Node> {
        self.nodes.get(&addr(value))
    }

    /// Resolves `reference` against `base`: the subschema it names, and its
    /// place, or `None` when no indexed document holds it.
    #[cfg(test)]
    pub fn resolve(&self, base: &str, reference: &str) -> Option<(&'s Value, Node)> {
        self.resolve_url(base, reference).map(|(_, v, n)| (v, n))
    }

    /// Like [`Index::resolve`], also giving the absolute URL of the target.
    pub fn resolve_url(&self, base: &str, reference: &str) -> Option<(String, &'s Value, Node)> {
        let url = join(base, reference)?;
        let (resource, fragment) = match url.split_once('#') {
            Some((r, f)) => (r.to_string(), percent_decode(f)),
            None => (url.clone(), String::new()),
        };
        if fragment.is_empty() {
            let (v, n) = self.resources.get(&resource)?;
            return Some((url, v, n.clone()));
        }
        if !fragment.starts_with('/') {
            let (v, n) = self.anchors.get(&format!("{resource}#{fragment}"))?;
            return Some((url, v, n.clone()));
        }
        let (root, node) = self.resources.get(&resource)?;
        let target = root.pointer(&fragment)?;
        let node = match self.node(target) {
            Some(n) => n.clone(),
            None => Node {
                base: node.base.clone(),
                doc: node.doc,
                path: Rc::from(format!("{}{}", node.path, fragment).as_str()),
            },
        };
        Some((url, target, node))
    }
}

fn addr(value: &Value) -> usize {
    value as *const Value as usize
}

/// Resolves a reference against a base URL.
pub(crate) fn join(base: &str, reference: &str) -> Option<String> {
    if let Ok(abs) = url::Url::parse(reference) {
        return Some(abs.to_string());
    }
    let base = url::Url::parse(base).ok()?;
    base.join(reference).ok().map(|u| u.to_string())
}

fn without_fragment(url: &str) -> String {
    match url.split_once('#') {
        Some((r, _)) => r.to_string(),
        None => url.to_string(),
    }
}

/// Decodes `%XX` escapes of a URL fragment.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_pointers_anchors_and_embedded_resources() {
        let doc = json!({
            "$defs": {
                "a b": {"type": "string", "$anchor": "Ab"},
                "ext": {
                    "$id": "https://example.com/order.json",
                    "$defs": {"id": {"type": "integer"}},
                    "properties": {"id": {"$ref": "#/$defs/id"}}
                }
            },
            "$ref": "https://example.com/order.json",
            "properties": {"x": {"reduce": {"strategy": "sum"}}},
        });
        let mut index = Index::default();
        index.add(0, INLINE_BASE, &doc);

        let (v, node) = index.resolve(INLINE_BASE, "#/$defs/a%20b").unwrap();
        assert_eq!(v, &json!({"type": "string", "$anchor": "Ab"}));
        assert_eq!(&*node.path, "/$defs/a b");
        assert!(index.resolve(INLINE_BASE, "#Ab").is_some());
        let (v, node) = index
            .resolve(INLINE_BASE, "https://example.com/order.json")
            .unwrap();
        assert_eq!(v["$id"], "https://example.com/order.json");
        assert_eq!(&*node.path, "/$defs/ext");
        // A reference inside the embedded resource resolves against its $id.
        let site = index
            .refs
            .iter()
            .find(|r| r.reference == "#/$defs/id")
            .unwrap();
        assert_eq!(&*site.node.base, "https://example.com/order.json");
        let (v, node) = index.resolve(&site.node.base, &site.reference).unwrap();
        assert_eq!(v, &json!({"type": "integer"}));
        assert_eq!(&*node.path, "/$defs/ext/$defs/id");

        assert!(index.resolve(INLINE_BASE, "#/$defs/missing").is_none());
        assert!(index.resolve(INLINE_BASE, "other.json").is_none());
        assert_eq!(index.reduces.len(), 1);
        assert_eq!(&*index.reduces[0].node.path, "/properties/x");
        assert!(!index.legacy_items);
    }
}
